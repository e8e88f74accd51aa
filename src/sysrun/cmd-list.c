/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"
#include "strv.h"

typedef struct Row {
        ContainerState *state;
        ContainerStatus status;
} Row;

static void print_cell(const char *s, size_t width, bool last) {
        if (last)
                printf("%s\n", s);
        else
                printf("%-*s", (int) width, s);
}

/* runc's columns first, in runc's order (scripts and runc's tests read them so), then the unit and the
 * machine: what systemctl and machinectl know the container as ("-" for none). */
static const char *machine_cell(const ContainerState *s) {
        if (s->rootless && !s->machine_registered)
                return "-(rootless)"; /* machined registers system containers only */
        return s->machine_registered && s->machine_name ? s->machine_name : "-";
}

static void print_table(const Row *rows, size_t n, bool legend) {
        static const char *const headers[] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER", "UNIT", "MACHINE" };
        size_t width[ELEMENTSOF(headers)];
        char pid[16];

        /* runc's tabwriter layout: columns at least 12 wide, 3 spaces of padding. */
        for (size_t c = 0; c < ELEMENTSOF(headers); c++)
                width[c] = strlen(headers[c]);
        for (size_t i = 0; i < n; i++) {
                const ContainerState *s = rows[i].state;
                const char *cells[] = { s->id, "", container_status_to_string(rows[i].status), s->bundle,
                                        s->created, s->owner, s->unit ?: "-", machine_cell(s) };
                snprintf(pid, sizeof(pid), "%d", rows[i].status == CONTAINER_STOPPED ? 0 : (int) s->pid);
                cells[1] = pid;
                for (size_t c = 0; c < ELEMENTSOF(headers); c++)
                        if (strlen(strempty(cells[c])) > width[c])
                                width[c] = strlen(strempty(cells[c]));
        }
        for (size_t c = 0; c < ELEMENTSOF(headers); c++)
                width[c] = width[c] + 3 < 12 ? 12 : width[c] + 3;

        for (size_t c = 0; legend && c < ELEMENTSOF(headers); c++)
                print_cell(headers[c], width[c], c + 1 == ELEMENTSOF(headers));
        for (size_t i = 0; i < n; i++) {
                const ContainerState *s = rows[i].state;
                snprintf(pid, sizeof(pid), "%d", rows[i].status == CONTAINER_STOPPED ? 0 : (int) s->pid);
                const char *cells[] = { s->id, pid, container_status_to_string(rows[i].status), s->bundle,
                                        s->created, s->owner, s->unit ?: "-", machine_cell(s) };
                for (size_t c = 0; c < ELEMENTSOF(headers); c++)
                        print_cell(strempty(cells[c]), width[c], c + 1 == ELEMENTSOF(headers));
        }
        /* machinectl's legend, for people only: scripts parsing runc's table see none. */
        if (legend && isatty(STDOUT_FILENO))
                printf("\n%zu container%s listed.\n", n, n == 1 ? "" : "s");
}

static const CliOption list_options[] = {
        { "format", 'f', "FORMAT", "table (default) or json (runc's)" },
        { "quiet", 'q', NULL, "print the container ids only" },
        { "no-legend", 256, NULL, "print neither the header line nor the count line of the table" },
        {}
};

static int cmd_list(int argc, char **argv) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_close_ int rootfd = -EBADF;
        _cleanup_free_ Row *rows = NULL;
        bool json = false, quiet = false, legend = true;
        size_t n = 0;
        int c;

        while ((c = cli_getopt(argc, argv, list_options)) >= 0) {
                switch (c) {
                case 'f':
                        if (streq(optarg, "json"))
                                json = true;
                        else if (!streq(optarg, "table"))
                                return cli_failf("invalid format option");
                        break;
                case 'q':
                        quiet = true;
                        break;
                case 256:
                        legend = false;
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (cli_check_args(argv[0], argc - optind, 0, 0) != 0)
                return EXIT_FAILURE;

        rootfd = state_root_open(arg_root, false, NULL);
        if (rootfd >= 0 && state_list_ids(rootfd, &ids) < 0)
                return cli_failf("cannot list '%s': %m", arg_root);
        rows = calloc(strv_length(ids) + 1, sizeof(Row));
        if (!rows)
                return cli_failf("out of memory");
        STRV_FOREACH(id, ids) {
                _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
                /* A container being deleted or half-created is skipped, as runc does. */
                if (container_load(arg_root, *id, &rows[n].state, &rows[n].status, &e) >= 0) {
                        if (!rows[n].state->owner)
                                rows[n].state->owner = state_owner_name(rows[n].state);
                        n++;
                }
                sysrun_error_done(&e);
        }

        if (quiet)
                for (size_t i = 0; i < n; i++)
                        puts(rows[i].state->id);
        else if (json) {
                fputc('[', stdout);
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *j = state_to_json(rows[i].state, rows[i].status, false);
                        printf("%s%s", i ? "," : "", strempty(j));
                }
                fputs("]\n", stdout);
        } else
                print_table(rows, n, legend);

        for (size_t i = 0; i < n; i++)
                container_state_free(rows[i].state);
        return EXIT_SUCCESS;
}

const Command command_list = {
        "list", cmd_list, "", "lists containers started by sysrun with the given root",
        "The table has runc's columns (ID, PID, STATUS, BUNDLE, CREATED, OWNER), then UNIT and MACHINE:\n"
        "the container's systemd unit and its systemd-machined name (\"-\" for none, \"-(rootless)\" for a\n"
        "rootless container: machined registers system containers only).",
        list_options,
};
