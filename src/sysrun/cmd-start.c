/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"
#include "container.h"

static int cmd_start(int argc, char **argv) {
        return cli_run_on_id(argc, argv, container_start);
}

const Command command_start = {
        "start", cmd_start, "<container-id>", "executes the user defined process in a created container",
        "Lets the init of a created container exec the process of config.json. With NOTIFY_SOCKET set,\nstart returns once the container sent READY=1.",
        NULL,
};
