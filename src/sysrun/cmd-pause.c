/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"
#include "container-ops.h"

int cmd_pause(int argc, char **argv) {
        return cli_run_on_id(argc, argv, container_pause);
}
