/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "cli.h"
#include "container-ops.h"
#include "strv.h"

static bool pid_listed(const pid_t *pids, size_t n, long pid) {
        for (size_t i = 0; i < n; i++)
                if (pids[i] == pid)
                        return true;
        return false;
}

/* Runs ps(1) with args and keeps its header and the rows of the container's pids, like runc. */
static int ps_table(char **args, const pid_t *pids, size_t n) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t size = 0, pid_col = SIZE_MAX;
        bool header = true;
        int fds[2], status;
        pid_t child;

        if (strv_extend(&argv, "ps") < 0)
                return cli_failf("out of memory");
        if (!args || !args[0]) {
                if (strv_extend(&argv, "-ef") < 0)
                        return cli_failf("out of memory");
        } else
                STRV_FOREACH(a, args)
                        if (strv_extend(&argv, *a) < 0)
                                return cli_failf("out of memory");
        if (pipe2(fds, O_CLOEXEC) < 0)
                return cli_failf("pipe: %m");
        child = fork();
        if (child < 0)
                return cli_failf("fork: %m");
        if (child == 0) {
                if (dup2(fds[1], STDOUT_FILENO) < 0)
                        _exit(127);
                execvp("ps", argv);
                _exit(127);
        }
        close(fds[1]);
        f = fdopen(fds[0], "re");
        if (!f) {
                close(fds[0]);
                return cli_failf("fdopen: %m");
        }
        while (getline(&line, &size, f) >= 0) {
                _cleanup_free_ char *copy = strdup(line);
                char *save = NULL, *w;
                size_t col = 0;

                if (!copy)
                        return cli_failf("out of memory");
                if (header) {
                        for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), col++)
                                if (streq(w, "PID"))
                                        pid_col = col;
                        if (pid_col == SIZE_MAX)
                                return cli_failf("couldn't find PID field in ps output");
                        fputs(line, stdout);
                        header = false;
                        continue;
                }
                for (w = strtok_r(copy, " \t\n", &save); w && col < pid_col;
                     w = strtok_r(NULL, " \t\n", &save))
                        col++;
                if (w && pid_listed(pids, n, strtol(w, NULL, 10)))
                        fputs(line, stdout);
        }
        if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return cli_failf("ps failed (arguments: %s)", args && args[0] ? args[0] : "-ef");
        return EXIT_SUCCESS;
}

static const CliOption ps_options[] = {
        { "format", 'f', "FORMAT", "table (default: ps(1)'s rows of the container's processes) or json (their pids)" },
        {}
};

static int cmd_ps(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ pid_t *pids = NULL;
        const char *format = "table";
        char **ps_args;
        size_t n = 0;
        int c, r;

        while ((c = cli_getopt(argc, argv, ps_options)) >= 0) {
                if (c != 'f')
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                format = optarg;
        }
        if (!streq(format, "table") && !streq(format, "json"))
                return cli_failf("invalid format option");
        if (cli_check_args(argv[0], argc - optind, 1, -1) != 0)
                return EXIT_FAILURE;
        ps_args = argv + optind + 1;
        if (ps_args[0] && streq(ps_args[0], "--"))
                ps_args++;
        r = container_pids(arg_root, argv[optind], &pids, &n, &e);
        if (r < 0)
                return cli_fail(&e, r);
        if (streq(format, "json")) {
                if (ps_args[0])
                        return cli_failf("ps options cannot be used with --format json");
                fputc('[', stdout);
                for (size_t i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", (int) pids[i]);
                fputs("]\n", stdout);
                return EXIT_SUCCESS;
        }
        fflush(stdout);
        return ps_table(ps_args, pids, n);
}

const Command command_ps = {
        "ps", cmd_ps, "<container-id> [ps options]", "ps displays the processes running inside a container",
        "Runs ps(1) with [ps options] (default: -ef) and keeps the header and the rows of the\n"
        "container's processes.",
        ps_options,
};
