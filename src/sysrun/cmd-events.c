/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <stdlib.h>

#include "cli.h"
#include "container-ops.h"

/* Go's time.ParseDuration syntax: "5s", "500ms", "1m30s", "1.5h". */
static int parse_duration(const char *s, uint64_t *ret) {
        static const struct {
                const char *unit;
                double usec;
        } units[] = { { "ns", 1e-3 }, { "us", 1 },   { "µs", 1 },    { "ms", 1e3 },
                      { "s", 1e6 },   { "m", 60e6 }, { "h", 3600e6 } };
        double total = 0;

        if (streq(s, "0")) {
                *ret = 0;
                return 0;
        }
        if (!*s)
                return -EINVAL;
        while (*s) {
                char *end;
                double v;
                size_t best = 0, k = SIZE_MAX;

                if (!isdigit((unsigned char) *s) && *s != '.')
                        return -EINVAL;
                v = strtod(s, &end);
                if (end == s)
                        return -EINVAL;
                s = end;
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (startswith(s, units[i].unit) && strlen(units[i].unit) > best) {
                                best = strlen(units[i].unit);
                                k = i;
                        }
                if (k == SIZE_MAX)
                        return -EINVAL;
                total += v * units[k].usec;
                s += best;
        }
        *ret = (uint64_t) total;
        return 0;
}

static int print_event(const char *json, void *userdata) {
        puts(json);
        return fflush(stdout) == 0 ? 0 : -errno;
}

static const CliOption events_options[] = {
        { "stats", 's', NULL, "print the container's statistics once and exit" },
        { "interval", 'i', "DURATION", "time between two statistics reports (default: 5s)" },
        {}
};

static int cmd_events(int argc, char **argv) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        uint64_t interval = 5000000;
        bool stats = false;
        int c, r;

        while ((c = cli_getopt(argc, argv, events_options)) >= 0)
                switch (c) {
                case 's':
                        stats = true;
                        break;
                case 'i':
                        if (parse_duration(optarg, &interval) < 0 || interval < 1000)
                                return cli_failf(
                                                "invalid --interval '%s': expected a duration such as 5s",
                                                optarg);
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        r = container_events(arg_root, argv[optind], stats, interval, print_event, NULL, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}

const Command command_events = {
        "events", cmd_events, "<container-id>",
        "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
        "Prints one JSON object a line, as runc does: a \"stats\" event every --interval and an \"oom\"\n"
        "event when the kernel's OOM killer acts in the container, until the container stops.",
        events_options,
};
