/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>

#include "checkpoint.h"
#include "cli-criu.h"
#include "cli.h"
#include "macro.h"

enum { OPT_PARENT_PATH = 2000, OPT_LEAVE_RUNNING, OPT_STATUS_FD, OPT_PAGE_SERVER, OPT_PRE_DUMP };

static int parse_status_fd(const char *s, int *ret) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || !*s || *end || v < -1 || v > 1 << 20)
                return cli_failf("invalid value \"%s\" for flag -status-fd: parse error", s);
        *ret = (int) v;
        return 0;
}

static const CliOption checkpoint_options[] = {
        CLI_CRIU_OPTIONS,
        { "parent-path", OPT_PARENT_PATH, "REL", "a previous (pre-)dump, relative to the image path" },
        { "leave-running", OPT_LEAVE_RUNNING, NULL, "leave the container running after the checkpoint" },
        { "status-fd", OPT_STATUS_FD, "FD", "criu writes \\0 to this fd once the dump is done" },
        { "page-server", OPT_PAGE_SERVER, "IP:PORT", "send the memory pages to criu's page server there" },
        { "pre-dump", OPT_PRE_DUMP, NULL, "dump the memory only and leave the container running" },
        {}
};

static int cmd_checkpoint(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_(criu_options_done) CriuOptions o = { .status_fd = -1 };
        _cleanup_free_ char *image_path = NULL;
        int c, r;

        while ((c = cli_getopt(argc, argv, checkpoint_options)) >= 0) {
                r = cli_criu_option(c, optarg, &o);
                if (r == 0)
                        continue;
                if (r < 0)
                        return EXIT_FAILURE;
                switch (c) {
                case OPT_PARENT_PATH:
                        o.parent_path = optarg[0] ? optarg : NULL;
                        break;
                case OPT_LEAVE_RUNNING:
                        o.leave_running = true;
                        break;
                case OPT_STATUS_FD:
                        if (parse_status_fd(optarg, &o.status_fd) != 0)
                                return EXIT_FAILURE;
                        break;
                case OPT_PAGE_SERVER:
                        free(o.page_server_address);
                        o.page_server_address = NULL;
                        if (optarg[0]) {
                                r = criu_parse_page_server(optarg, &o.page_server_address, &o.page_server_port, &e);
                                if (r < 0)
                                        return cli_fail(&e, r);
                        }
                        break;
                case OPT_PRE_DUMP:
                        o.pre_dump = true;
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        if (o.parent_path && o.parent_path[0] == '/')
                return cli_failf("--parent-path must be relative");
        if (cli_criu_image_path(o.image_path, &image_path, &o) != 0)
                return EXIT_FAILURE;
        r = container_checkpoint(arg_root, argv[optind], arg_criu, &o, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}

const Command command_checkpoint = {
        "checkpoint", cmd_checkpoint, "<container-id>", "checkpoint a running container",
        "Dumps the container's processes with criu (criu dump, or pre-dump) into the image path, as\n"
        "runc does; without --leave-running or --pre-dump the container is gone afterwards.",
        checkpoint_options,
};
