/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "checkpoint.h"
#include "cli-criu.h"
#include "cli.h"
#include "macro.h"

enum {
        OPT_BUNDLE = 'b',
        OPT_DETACH = 'd',
        OPT_PID_FILE = 2000,
        OPT_CONSOLE_SOCKET,
        OPT_NO_SUBREAPER,
        OPT_NO_PIVOT,
        OPT_LSM_PROFILE,
        OPT_LSM_MOUNT_CONTEXT,
};

static const CliOption restore_options[] = {
        CLI_CRIU_OPTIONS,
        { "bundle", OPT_BUNDLE, "DIR", "the container's bundle (default: the current directory)" },
        { "detach", OPT_DETACH, NULL, "detach from the restored container" },
        { "pid-file", OPT_PID_FILE, "FILE", "write the restored init's pid to FILE" },
        { "console-socket", OPT_CONSOLE_SOCKET, "SOCKET", "a terminal container's socket: the new pty's master is sent there" },
        { "no-subreaper", OPT_NO_SUBREAPER, NULL, "do not become a subreaper of the restored processes" },
        { "no-pivot", OPT_NO_PIVOT, NULL, "do not use pivot_root for the container's root" },
        { "lsm-profile", OPT_LSM_PROFILE, "TYPE:NAME", "the LSM profile of the restored processes (apparmor or selinux)" },
        { "lsm-mount-context", OPT_LSM_MOUNT_CONTEXT, "CONTEXT", "the LSM mount context of the restored mounts" },
        {}
};

static int cmd_restore(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_(criu_options_done) CriuOptions o = { .status_fd = -1 };
        ContainerRestoreOptions ro = {};
        _cleanup_free_ char *image_path = NULL;
        int c, r, status = 0;

        while ((c = cli_getopt(argc, argv, restore_options)) >= 0) {
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
                case OPT_LSM_PROFILE:
                        o.lsm_profile = optarg[0] ? optarg : NULL;
                        break;
                case OPT_LSM_MOUNT_CONTEXT:
                        o.lsm_mount_context = optarg[0] ? optarg : NULL;
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

const Command command_restore = {
        "restore", cmd_restore, "<container-id>", "restore a container from a previous checkpoint",
        "Restores a checkpoint as a new container from the bundle: criu restore runs in a process put\n"
        "into the container's fresh cgroup first, so the restored processes start there.",
        restore_options,
};
