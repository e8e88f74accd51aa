/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "errno-string.h"
#include "cli.h"
#include "exec.h"
#include "strv.h"

enum {
        OPT_ENV = 'e',
        OPT_TTY = 't',
        OPT_USER = 'u',
        OPT_GIDS = 'g',
        OPT_PROCESS = 'p',
        OPT_DETACH = 'd',
        OPT_CAP = 'c',
        OPT_CONSOLE_SOCKET = 256,
        OPT_PIDFD_SOCKET,
        OPT_CWD,
        OPT_PID_FILE,
        OPT_PROCESS_LABEL,
        OPT_APPARMOR,
        OPT_NO_NEW_PRIVS,
        OPT_PRESERVE_FDS,
        OPT_CGROUP,
        OPT_IGNORE_PAUSED,
};

/* runc exits 255 when exec itself fails, so that callers can tell it from the process's status. */
#define EXEC_FAILED 255

static int exec_fail(SysrunError *e, int r) {
        if (!e->msg)
                sysrun_error_set(e, r, "%s", ERRNO_STRING(r < 0 ? r : -EIO));
        sysrun_error_prefix(e, "exec failed");
        cli_fail(e, r);
        return EXEC_FAILED;
}

int cmd_exec(int argc, char **argv) {
        static const struct option opts[] = {
                { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
                { "pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET },
                { "cwd", required_argument, NULL, OPT_CWD },
                { "env", required_argument, NULL, OPT_ENV },
                { "tty", no_argument, NULL, OPT_TTY },
                { "user", required_argument, NULL, OPT_USER },
                { "additional-gids", required_argument, NULL, OPT_GIDS },
                { "process", required_argument, NULL, OPT_PROCESS },
                { "detach", no_argument, NULL, OPT_DETACH },
                { "pid-file", required_argument, NULL, OPT_PID_FILE },
                { "process-label", required_argument, NULL, OPT_PROCESS_LABEL },
                { "apparmor", required_argument, NULL, OPT_APPARMOR },
                { "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
                { "cap", required_argument, NULL, OPT_CAP },
                { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
                { "cgroup", required_argument, NULL, OPT_CGROUP },
                { "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
                {}
        };
        _cleanup_strv_free_ char **env = NULL, **caps = NULL;
        _cleanup_free_ uint32_t *gids = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        ExecOptions o = { .root = arg_root };
        int c, r, status = 0;

        while ((c = cli_getopt(argc, argv, opts)) >= 0) {
                switch (c) {
                case OPT_CONSOLE_SOCKET:
                        o.console_socket = optarg;
                        break;
                case OPT_PIDFD_SOCKET:
                        o.pidfd_socket = optarg;
                        break;
                case OPT_CWD:
                        o.cwd = optarg;
                        break;
                case OPT_ENV:
                        if (strv_extend(&env, optarg) < 0)
                                return cli_failf("out of memory");
                        break;
                case OPT_TTY:
                        o.tty = true;
                        break;
                case OPT_USER:
                        r = parse_user_spec(optarg, &o.uid, &o.gid_set, &o.gid);
                        if (r < 0)
                                return cli_failf(
                                                "exec failed: bad %s in --user '%s'",
                                                r == -ERANGE ? "gid" : "uid", optarg);
                        o.user_set = true;
                        break;
                case OPT_GIDS: {
                        unsigned gid;
                        uint32_t *n;

                        if (cli_parse_uint("--additional-gids", optarg, &gid) < 0)
                                return EXIT_FAILURE;
                        n = reallocarray(gids, o.n_additional_gids + 1, sizeof(uint32_t));
                        if (!n)
                                return cli_failf("out of memory");
                        gids = n;
                        gids[o.n_additional_gids++] = gid;
                        break;
                }
                case OPT_PROCESS:
                        o.process_path = optarg;
                        break;
                case OPT_DETACH:
                        o.detach = true;
                        break;
                case OPT_PID_FILE:
                        o.pid_file = optarg;
                        break;
                case OPT_PROCESS_LABEL:
                        o.process_label = optarg;
                        break;
                case OPT_APPARMOR:
                        o.apparmor = optarg;
                        break;
                case OPT_NO_NEW_PRIVS:
                        o.no_new_privs = true;
                        break;
                case OPT_CAP:
                        if (strv_extend(&caps, optarg) < 0)
                                return cli_failf("out of memory");
                        break;
                case OPT_PRESERVE_FDS:
                        if (cli_parse_uint("--preserve-fds", optarg, &o.preserve_fds) < 0)
                                return EXIT_FAILURE;
                        break;
                case OPT_CGROUP:
                        /* Sub-cgroups belong to the systemd unit, which sysrun does not split. */
                        cli_warn("--cgroup '%s' is ignored: the process joins the container's cgroup", optarg);
                        break;
                case OPT_IGNORE_PAUSED:
                        o.ignore_paused = true;
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (cli_check_args(argv[0], argc - optind, o.process_path ? 1 : 2, -1) != 0)
                return EXIT_FAILURE;
        o.id = argv[optind];
        o.args = argv + optind + 1;
        o.env = env;
        o.caps = caps;
        o.additional_gids = gids;

        r = container_exec(&o, &status, &e);
        if (r < 0)
                return exec_fail(&e, r);
        return status;
}
