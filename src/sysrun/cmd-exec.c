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

static const CliOption exec_options[] = {
        { "console-socket", OPT_CONSOLE_SOCKET, "PATH",
          "AF_UNIX socket that receives the master end of the process's terminal (with --tty)" },
        { "pidfd-socket", OPT_PIDFD_SOCKET, "PATH", "AF_UNIX socket that receives a pidfd of the new process" },
        { "cwd", OPT_CWD, "DIR", "working directory of the process, in the container" },
        { "env", OPT_ENV, "NAME=VALUE", "set an environment variable (repeatable)" },
        { "tty", OPT_TTY, NULL, "give the process a pseudo-terminal" },
        { "user", OPT_USER, "UID[:GID]", "numeric user and group to run the process as" },
        { "additional-gids", OPT_GIDS, "GID", "add a supplementary group (repeatable)" },
        { "process", OPT_PROCESS, "FILE", "process.json describing the process; the command is then optional" },
        { "detach", OPT_DETACH, NULL, "return once the process started, instead of waiting for it" },
        { "pid-file", OPT_PID_FILE, "FILE", "write the host pid of the process to FILE" },
        { "process-label", OPT_PROCESS_LABEL, "LABEL", "SELinux label of the process" },
        { "apparmor", OPT_APPARMOR, "PROFILE", "AppArmor profile of the process" },
        { "no-new-privs", OPT_NO_NEW_PRIVS, NULL, "set no_new_privs: the process cannot gain privileges" },
        { "cap", OPT_CAP, "CAP", "add a capability (CAP_NET_ADMIN) to the process's sets (repeatable)" },
        { "preserve-fds", OPT_PRESERVE_FDS, "N", "pass N more file descriptors, from fd 3 on, to the process" },
        { "cgroup", OPT_CGROUP, "PATH", "accepted for runc compatibility and ignored with a warning" },
        { "ignore-paused", OPT_IGNORE_PAUSED, NULL, "exec even when the container is paused (the process starts frozen)" },
        {}
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

static int cmd_exec(int argc, char **argv) {
        _cleanup_strv_free_ char **env = NULL, **caps = NULL;
        _cleanup_free_ uint32_t *gids = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        ExecOptions o = { .root = arg_root };
        int c, r, status = 0;

        while ((c = cli_getopt(argc, argv, exec_options)) >= 0) {
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

const Command command_exec = {
        "exec", cmd_exec, "<container-id> <command> [command options]", "execute new process inside the container",
        "Runs a new process in the running container: its namespaces, cgroup, and the security settings\n"
        "of the container's process unless flags change them. Without --detach sysrun waits and exits\n"
        "with the process's status; it exits 255 when the exec itself fails.",
        exec_options,
};
