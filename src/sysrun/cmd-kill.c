/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"
#include "signals.h"

static const CliOption kill_options[] = {
        { "all", 'a', NULL, "send the signal to every process of the container, not only its init" },
        {}
};

static int cmd_kill(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        bool all = false;
        int c, r, sig = SIGTERM;

        while ((c = cli_getopt(argc, argv, kill_options)) >= 0) {
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

const Command command_kill = {
        "kill", cmd_kill, "<container-id> [signal]", "send a signal to the container's init process",
        "The signal is a name with or without SIG (TERM, SIGKILL, RTMIN+3) or a number; the default is\n"
        "SIGTERM.",
        kill_options,
};
