/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cli.h"
#include "container.h"

enum {
        OPT_BUNDLE = 'b',
        OPT_DETACH = 'd',
        OPT_CONSOLE_SOCKET = 256,
        OPT_PIDFD_SOCKET,
        OPT_PID_FILE,
        OPT_NO_PIVOT,
        OPT_NO_NEW_KEYRING,
        OPT_PRESERVE_FDS,
        OPT_KEEP,
        OPT_NO_SUBREAPER,
};

/* create and run share runc's flags; run adds --detach, --keep and --no-subreaper. */
static int parse(int argc, char **argv, bool run, ContainerCreateOptions *o) {
        static const struct option create_opts[] = {
                { "bundle", required_argument, NULL, OPT_BUNDLE },
                { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
                { "pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
                { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
                { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
                {}
        };
        static const struct option run_opts[] = {
                { "bundle", required_argument, NULL, OPT_BUNDLE },
                { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
                { "pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
                { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
                { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
                { "detach", no_argument, NULL, OPT_DETACH },
                { "keep", no_argument, NULL, OPT_KEEP },
                { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
                {}
        };
        int c;

        *o = (ContainerCreateOptions){
                .root = arg_root,
                .manager = arg_cgroup_manager,
                .manager_explicit = arg_cgroup_manager_explicit,
        };
        while ((c = cli_getopt(argc, argv, run ? run_opts : create_opts)) >= 0) {
                switch (c) {
                case OPT_BUNDLE:
                        o->bundle = optarg;
                        break;
                case OPT_CONSOLE_SOCKET:
                        o->console_socket = optarg;
                        break;
                case OPT_PIDFD_SOCKET:
                        o->pidfd_socket = optarg;
                        break;
                case OPT_PID_FILE:
                        o->pid_file = optarg;
                        break;
                case OPT_NO_PIVOT:
                        o->no_pivot = true;
                        break;
                case OPT_NO_NEW_KEYRING:
                        o->no_new_keyring = true;
                        break;
                case OPT_PRESERVE_FDS:
                        if (cli_parse_uint("--preserve-fds", optarg, &o->preserve_fds) < 0)
                                return -EINVAL;
                        break;
                case OPT_DETACH:
                        o->detach = true;
                        break;
                case OPT_KEEP:
                        o->keep = true;
                        break;
                case OPT_NO_SUBREAPER:
                        o->no_subreaper = true;
                        break;
                default:
                        cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                        return -EINVAL;
                }
        }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return -EINVAL;
        o->id = argv[optind];
        return 0;
}

/* Stopped by a signal: the shell's 128+N, as if the signal had killed us (once all was undone). */
static int setup_failed(const SysrunError *e, int r, int sig) {
        int status = cli_fail(e, r);

        return sig > 0 ? 128 + sig : status;
}

int cmd_create(int argc, char **argv) {
        SysrunError e = SYSRUN_ERROR_NULL;
        ContainerCreateOptions o;
        int r, sig = 0;

        if (parse(argc, argv, false, &o) < 0)
                return EXIT_FAILURE;
        r = container_create(&o, &sig, &e);
        if (r < 0)
                return setup_failed(&e, r, sig);
        return EXIT_SUCCESS;
}

int cmd_run(int argc, char **argv) {
        SysrunError e = SYSRUN_ERROR_NULL;
        ContainerCreateOptions o;
        int r, status = 0, sig = 0;

        if (parse(argc, argv, true, &o) < 0)
                return EXIT_FAILURE;
        r = container_run(&o, &status, &sig, &e);
        if (r < 0)
                return setup_failed(&e, r, sig);
        return status;
}
