/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cli.h"
#include "container-ops.h"

int cmd_resume(int argc, char **argv) {
        static const struct option opts[] = { {} };
        SysrunError e = SYSRUN_ERROR_NULL;
        int r;

        if (cli_getopt(argc, argv, opts) >= 0)
                return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        r = container_resume(arg_root, argv[optind], &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}
