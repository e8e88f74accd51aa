/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cli.h"

/* Listed so that callers get a clear error rather than "No help topic". */
static int cmd_not_implemented(int argc, char **argv) {
        return cli_failf("'%s' is not implemented yet", argv[0]);
}

const Command command_checkpoint = {
        "checkpoint", cmd_not_implemented, "<container-id>", "checkpoint a running container",
        "Not implemented: sysrun exits 1 with a message.",
        NULL,
};

const Command command_restore = {
        "restore", cmd_not_implemented, "<container-id>", "restore a container from a previous checkpoint",
        "Not implemented: sysrun exits 1 with a message.",
        NULL,
};
