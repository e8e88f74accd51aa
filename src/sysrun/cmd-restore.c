/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "checkpoint.h"
#include "cli-criu.h"
#include "cli.h"
#include "macro.h"

enum { OPT_BUNDLE = 'b', OPT_DETACH = 'd', OPT_PID_FILE = 2000, OPT_CONSOLE_SOCKET, OPT_NO_SUBREAPER, OPT_NO_PIVOT };

int cmd_restore(int argc, char **argv) {
        static const struct option opts[] = {
                CLI_CRIU_OPTIONS,
                { "bundle", required_argument, NULL, OPT_BUNDLE },
                { "detach", no_argument, NULL, OPT_DETACH },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
                { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
                { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
                {}
        };
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_(criu_options_done) CriuOptions o = { .status_fd = -1 };
        ContainerRestoreOptions ro = {};
        _cleanup_free_ char *image_path = NULL;
        int c, r, status = 0;

        while ((c = cli_getopt(argc, argv, opts)) >= 0) {
                r = cli_criu_option(c, optarg, &o);
                if (r == 0)
                        continue;
                if (r < 0)
                        return EXIT_FAILURE;
                switch (c) {
                case OPT_BUNDLE:
                        ro.bundle = optarg[0] ? optarg : NULL;
                        break;
                case OPT_DETACH:
                        ro.detach = true;
                        break;
                case OPT_PID_FILE:
                        ro.pid_file = optarg[0] ? optarg : NULL;
                        break;
                case OPT_CONSOLE_SOCKET:
                        ro.console_socket = optarg[0] ? optarg : NULL;
                        break;
                case OPT_NO_SUBREAPER:
                        ro.no_subreaper = true;
                        break;
                case OPT_NO_PIVOT:
                        ro.no_pivot = true;
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        if (cli_criu_image_path(o.image_path, &image_path, &o) != 0)
                return EXIT_FAILURE;
        r = container_restore(arg_root, argv[optind], arg_criu, &o, &ro, arg_cgroup_manager,
                              arg_cgroup_manager_explicit, &status, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return status;
}
