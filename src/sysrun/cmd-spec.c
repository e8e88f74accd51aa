/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>

#include "errno-string.h"
#include "cli.h"
#include "fd-util.h"
#include "spec.h"

static const CliOption spec_options[] = {
        { "bundle", 'b', "DIR", "directory to write config.json in (default: the current directory)" },
        { "rootless", 256, NULL, "a spec for a rootless container: a user namespace that maps the caller" },
        {}
};

static int cmd_spec(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *json = NULL;
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        const char *bundle = ".";
        bool rootless = false;
        int c, r;

        while ((c = cli_getopt(argc, argv, spec_options)) >= 0) {
                switch (c) {
                case 'b':
                        bundle = optarg;
                        break;
                case 256:
                        rootless = true;
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (cli_check_args(argv[0], argc - optind, 0, 0) != 0)
                return EXIT_FAILURE;

        r = spec_generate(rootless, &json, &e);
        if (r < 0)
                return cli_fail(&e, r);
        dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return cli_failf("bundle '%s': %m", bundle);
        fd = openat(dfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
                if (errno == EEXIST)
                        return cli_failf("File config.json exists. Remove it first");
                return cli_failf("cannot create config.json: %m");
        }
        r = loop_write(fd, json, strlen(json));
        if (r < 0)
                return cli_failf("cannot write config.json: %s", ERRNO_STRING(r));
        return EXIT_SUCCESS;
}

const Command command_spec = {
        "spec", cmd_spec, "", "create a new specification file",
        "Writes runc's default config.json (a busybox-style shell in a rootfs directory) into the\n"
        "bundle directory; an existing config.json is an error.",
        spec_options,
};
