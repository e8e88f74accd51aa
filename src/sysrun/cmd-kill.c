/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"
#include "signals.h"

int cmd_kill(int argc, char **argv) {
        static const struct option opts[] = {
                { "all", no_argument, NULL, 'a' },
                {}
        };
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        bool all = false;
        int c, r, sig = SIGTERM;

        while ((c = cli_getopt(argc, argv, opts)) >= 0) {
                if (c != 'a')
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                all = true;
        }
        if (cli_check_args(argv[0], argc - optind, 1, 2) != 0)
                return EXIT_FAILURE;
        if (argc - optind == 2) {
                sig = kill_signal_from_string(argv[optind + 1]);
                if (sig < 0)
                        return cli_failf("unknown signal \"%s\"", argv[optind + 1]);
        }
        r = container_kill(arg_root, argv[optind], sig, all, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}
