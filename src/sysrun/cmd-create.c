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
        OPT_NO_MACHINE,
};

/* run has create's flags, then its own three. */
static const CliOption create_options[] = {
        { "bundle", OPT_BUNDLE, "DIR", "path to the bundle directory (default: the current directory)" },
        { "console-socket", OPT_CONSOLE_SOCKET, "PATH",
          "AF_UNIX socket that receives the master end of the container's terminal (process.terminal)" },
        { "pidfd-socket", OPT_PIDFD_SOCKET, "PATH", "AF_UNIX socket that receives a pidfd of the container's init" },
        { "pid-file", OPT_PID_FILE, "FILE", "write the host pid of the container's init to FILE" },
        { "no-pivot", OPT_NO_PIVOT, NULL, "enter the rootfs with MS_MOVE, not pivot_root (for a rootfs on a ramdisk)" },
        { "no-new-keyring", OPT_NO_NEW_KEYRING, NULL, "keep the caller's session keyring instead of a new one" },
        { "preserve-fds", OPT_PRESERVE_FDS, "N", "pass N more file descriptors, from fd 3 on, to the container" },
        { "no-machine", OPT_NO_MACHINE, NULL, "do not register the container with systemd-machined" },
        {}
};

static const CliOption run_options[] = {
        { "bundle", OPT_BUNDLE, "DIR", "path to the bundle directory (default: the current directory)" },
        { "console-socket", OPT_CONSOLE_SOCKET, "PATH",
          "AF_UNIX socket that receives the master end of the container's terminal (process.terminal)" },
        { "pidfd-socket", OPT_PIDFD_SOCKET, "PATH", "AF_UNIX socket that receives a pidfd of the container's init" },
        { "pid-file", OPT_PID_FILE, "FILE", "write the host pid of the container's init to FILE" },
        { "no-pivot", OPT_NO_PIVOT, NULL, "enter the rootfs with MS_MOVE, not pivot_root (for a rootfs on a ramdisk)" },
        { "no-new-keyring", OPT_NO_NEW_KEYRING, NULL, "keep the caller's session keyring instead of a new one" },
        { "preserve-fds", OPT_PRESERVE_FDS, "N", "pass N more file descriptors, from fd 3 on, to the container" },
        { "no-machine", OPT_NO_MACHINE, NULL, "do not register the container with systemd-machined" },
        { "detach", OPT_DETACH, NULL, "return once the process started, instead of waiting for it" },
        { "keep", OPT_KEEP, NULL, "do not delete the container when its process exits" },
        { "no-subreaper", OPT_NO_SUBREAPER, NULL, "do not make sysrun a child subreaper while it waits" },
        {}
};

/* create and run share runc's flags; run adds --detach, --keep and --no-subreaper. */
static int parse(int argc, char **argv, bool run, ContainerCreateOptions *o) {
        int c;

        *o = (ContainerCreateOptions){
                .root = arg_root,
                .manager = arg_cgroup_manager,
                .manager_explicit = arg_cgroup_manager_explicit,
        };
        while ((c = cli_getopt(argc, argv, run ? run_options : create_options)) >= 0) {
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
                case OPT_NO_MACHINE:
                        o->no_machine = true;
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

static int cmd_create(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        ContainerCreateOptions o;
        int r, sig = 0;

        if (parse(argc, argv, false, &o) < 0)
                return EXIT_FAILURE;
        r = container_create(&o, &sig, &e);
        if (r < 0)
                return setup_failed(&e, r, sig);
        return EXIT_SUCCESS;
}

static int cmd_run(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        ContainerCreateOptions o;
        int r, status = 0, sig = 0;

        if (parse(argc, argv, true, &o) < 0)
                return EXIT_FAILURE;
        r = container_run(&o, &status, &sig, &e);
        if (r < 0)
                return setup_failed(&e, r, sig);
        return status;
}

const Command command_create = {
        "create", cmd_create, "<container-id>", "create a container",
        "Sets up the container of the bundle (namespaces, mounts, cgroup as a systemd scope) and leaves\n"
        "its init waiting: \"sysrun start\" runs the process. <container-id> must be unique under --root.",
        create_options,
};

const Command command_run = {
        "run", cmd_run, "<container-id>", "create and run a container",
        "Creates the container of the bundle and starts its process. In the foreground (without\n"
        "--detach) sysrun forwards signals, waits, deletes the container and exits with the process's\n"
        "status (128+N when signal N killed it).",
        run_options,
};
