/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"
#include "container-ops.h"

static int cmd_pause(int argc, char **argv) {
        return cli_run_on_id(argc, argv, container_pause);
}

const Command command_pause = {
        "pause", cmd_pause, "<container-id>", "pause suspends all processes inside the container",
        "Freezes the container's cgroup (systemd's FreezeUnit under the systemd manager).",
        NULL,
};
