/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"
#include "container-ops.h"

static int cmd_resume(int argc, char **argv) {
        return cli_run_on_id(argc, argv, container_resume);
}

const Command command_resume = {
        "resume", cmd_resume, "<container-id>", "resumes all processes that have been previously paused",
        "Thaws the cgroup of a paused container.",
        NULL,
};
