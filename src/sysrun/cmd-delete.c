/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cli.h"
#include "container.h"

static const CliOption delete_options[] = {
        { "force", 'f', NULL, "kill the container (SIGKILL) first if it is running or paused" },
        {}
};

static int cmd_delete(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        bool force = false;
        int c, r;

        while ((c = cli_getopt(argc, argv, delete_options)) >= 0) {
                if (c != 'f')
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                force = true;
        }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        r = container_delete(arg_root, argv[optind], force, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}

const Command command_delete = {
        "delete", cmd_delete, "<container-id>", "delete any resources held by the container",
        "Removes a stopped or created container: its scope, cgroup, machine registration, mounts and\n"
        "state directory. A running container is an error unless --force.",
        delete_options,
};
