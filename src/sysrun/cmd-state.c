/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cli.h"
#include "container.h"

static int cmd_state(int argc, char **argv) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *json = NULL;
        ContainerStatus status;
        int r;

        if (cli_getopt(argc, argv, NULL) >= 0)
                return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        r = container_load(arg_root, argv[optind], &s, &status, &e);
        if (r < 0)
                return cli_fail(&e, r);
        if (!s->owner)
                s->owner = state_owner_name(s);
        json = state_to_json(s, status, true);
        if (!json)
                return cli_failf("out of memory");
        puts(json);
        return EXIT_SUCCESS;
}

const Command command_state = {
        "state", cmd_state, "<container-id>", "output the state of a container",
        "Prints the runtime-spec state JSON (ociVersion, id, pid, status, bundle, annotations) with\n"
        "runc's extra keys (rootfs, created, owner).",
        NULL,
};
