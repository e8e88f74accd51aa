/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli-criu.h"
#include "cli.h"
#include "errno-string.h"
#include "log.h"
#include "macro.h"
#include "sysrun-config.h"
#include "sysrun-version.h"

const char *arg_root = SYSRUN_DEFAULT_ROOT;
bool arg_debug = false;
CgroupManagerType arg_cgroup_manager = _CGROUP_MANAGER_TYPE_INVALID;
bool arg_cgroup_manager_explicit = false;
static const char *arg_log = NULL;
static bool arg_log_json = false;

static const Command commands[] = {
        { "create", cmd_create, "<container-id>", "create a container" },
        { "start", cmd_start, "<container-id>", "executes the user defined process in a created container" },
        { "run", cmd_run, "<container-id>", "create and run a container" },
        { "state", cmd_state, "<container-id>", "output the state of a container" },
        { "kill", cmd_kill, "<container-id> [signal]", "send a signal to the container's init process" },
        { "delete", cmd_delete, "<container-id>", "delete any resources held by the container" },
        { "list", cmd_list, "", "lists containers started by sysrun with the given root" },
        { "ps", cmd_ps, "<container-id> [ps options]", "ps displays the processes running inside a container" },
        { "exec", cmd_exec, "<container-id> <command> [command options]", "execute new process inside the container" },
        { "pause", cmd_pause, "<container-id>", "pause suspends all processes inside the container" },
        { "resume", cmd_resume, "<container-id>", "resumes all processes that have been previously paused" },
        { "update", cmd_update, "<container-id>", "update container resource constraints" },
        { "events", cmd_events, "<container-id>", "display container events such as OOM notifications, cpu, memory, and IO usage statistics" },
        { "checkpoint", cmd_checkpoint, "<container-id>", "checkpoint a running container" },
        { "restore", cmd_restore, "<container-id>", "restore a container from a previous checkpoint" },
        { "spec", cmd_spec, "", "create a new specification file" },
        { "features", cmd_features, "", "show the enabled features" },
};

static const char *current_command = "sysrun";

const char *cli_command_name(void) {
        return current_command;
}

/* A quoted string's contents, as JSON and as logrus' text format both escape them. */
static void fputs_escaped(FILE *out, const char *msg) {
        for (const char *p = msg; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(out, "\\%c", *p);
                else if ((unsigned char) *p < 0x20)
                        fprintf(out, "\\u%04x", (unsigned char) *p);
                else
                        fputc(*p, out);
        }
}

static void log_line(const char *level, const char *msg) {
        _cleanup_fclose_ FILE *f = NULL;
        char ts[64];
        time_t now = time(NULL);
        struct tm tm;

        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
        if (arg_log) {
                f = fopen(arg_log, "ae");
                if (!f)
                        return;
        }
        if (arg_log_json) {
                /* runc's (logrus) keys: level, msg, time. */
                FILE *out = f ?: stderr;
                fprintf(out, "{\"level\":\"%s\",\"msg\":\"", level);
                fputs_escaped(out, msg);
                fprintf(out, "\",\"time\":\"%s\"}\n", ts);
        } else if (f) {
                fprintf(f, "time=\"%s\" level=%s msg=\"", ts, level);
                fputs_escaped(f, msg);
                fputs("\"\n", f);
        }
}

/* runc with --log FILE: every line goes to the file, and only a fatal error is repeated on stderr,
 * as the bare message (containerd and podman read the file, or that line, and put the runtime's
 * name in front themselves; a warning on stderr would end up in `docker logs` and in `podman
 * exec` output). Without --log, stderr gets the lines: "sysrun: …" text, or JSON lines. */
static void report(const char *level, const char *msg) {
        log_line(level, msg);
        if (arg_log) {
                if (streq(level, "error"))
                        fprintf(stderr, "%s\n", msg);
        } else if (!arg_log_json)
                fprintf(stderr, "sysrun: %s%s\n", streq(level, "warning") ? "warning: " : "", msg);
}

static void library_log(int level, const char *msg) {
        report(level <= LOG_ERR ? "error" : level <= LOG_WARNING ? "warning" : level <= LOG_INFO ? "info" : "debug",
               msg);
}

int cli_fail(const SysrunError *e, int r) {
        if (e && e->msg)
                report("error", e->msg);
        else
                report("error", ERRNO_STRING(r < 0 ? r : -EIO));
        return EXIT_FAILURE;
}

int cli_failf(const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = sysrun_vformat(errno, fmt, ap);
        va_end(ap);
        report("error", msg ?: "out of memory");
        return EXIT_FAILURE;
}

void cli_warn(const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = sysrun_vformat(errno, fmt, ap);
        va_end(ap);
        if (msg)
                report("warning", msg);
}

int cli_check_args(const char *cmd, int argc, int min, int max) {
        if (min == max && argc != min)
                return cli_failf("%s: \"%s\" requires exactly %d argument(s)", "sysrun", cmd, min);
        if (argc < min)
                return cli_failf("%s: \"%s\" requires a minimum of %d argument(s)", "sysrun", cmd, min);
        if (max >= 0 && argc > max)
                return cli_failf("%s: \"%s\" requires a maximum of %d argument(s)", "sysrun", cmd, max);
        return 0;
}

int cli_run_on_id(int argc, char **argv, int (*op)(const char *root, const char *id, SysrunError *e)) {
        static const struct option opts[] = { {} };
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        int r;

        if (cli_getopt(argc, argv, opts) >= 0)
                return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;
        r = op(arg_root, argv[optind], &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}

int cli_parse_uint(const char *opt, const char *s, unsigned *ret) {
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || !*s || *end || v > 1u << 20 || s[0] == '-')
                return cli_failf("invalid value '%s' for %s", s, opt);
        *ret = (unsigned) v;
        return 0;
}

int cli_getopt(int argc, char **argv, const struct option *opts) {
        char shorts[128] = "+";
        size_t n = 1;

        for (const struct option *o = opts; o->name; o++)
                if (o->val > 0 && o->val < 128 && n < sizeof(shorts) - 3) {
                        shorts[n++] = (char) o->val;
                        if (o->has_arg == required_argument)
                                shorts[n++] = ':';
                }
        shorts[n] = 0;
        opterr = 0;
        return getopt_long_only(argc, argv, shorts, opts, NULL);
}

static void help(FILE *f) {
        fprintf(f,
                "NAME:\n   sysrun - an OCI container runtime native to systemd\n\n"
                "USAGE:\n   sysrun [global options] command [command options] [arguments...]\n\n"
                "COMMANDS:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(f, "   %-11s%s\n", commands[i].name, commands[i].help);
        fprintf(f,
                "\nGLOBAL OPTIONS:\n"
                "   --debug                  enable debug logging\n"
                "   --log value              set the log file to write sysrun logs to (default is stderr)\n"
                "   --log-format value       set the log format ('text' (default), or 'json')\n"
                "   --root value             root directory for storage of container state (default: \"%s\")\n"
                "   --systemd-cgroup         use systemd for cgroups (same as --cgroup-manager=systemd)\n"
                "   --cgroup-manager value   systemd or disabled (default: systemd when it runs)\n"
                "   --rootless value         accepted for runc compatibility (true, false, auto)\n"
                "   --help, -h               show help\n"
                "   --version, -v            print the version\n",
                SYSRUN_DEFAULT_ROOT);
}

int main(int argc, char **argv) {
        enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP, OPT_CGROUP_MANAGER,
               OPT_ROOTLESS, OPT_CRIU };
        static const struct option opts[] = {
                { "root", required_argument, NULL, OPT_ROOT },
                { "log", required_argument, NULL, OPT_LOG },
                { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
                { "debug", no_argument, NULL, OPT_DEBUG },
                { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
                { "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
                { "rootless", required_argument, NULL, OPT_ROOTLESS },
                { "criu", required_argument, NULL, OPT_CRIU },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'v' },
                {}
        };
        int c;

        sysrun_log_set_handler(library_log, LOG_WARNING);
        while ((c = cli_getopt(argc, argv, opts)) >= 0) {
                switch (c) {
                case OPT_ROOT:
                        arg_root = optarg;
                        break;
                case OPT_LOG:
                        arg_log = optarg;
                        break;
                case OPT_LOG_FORMAT:
                        if (streq(optarg, "json"))
                                arg_log_json = true;
                        else if (!streq(optarg, "text"))
                                return cli_failf("invalid log-format: %s", optarg);
                        break;
                case OPT_DEBUG:
                        arg_debug = true;
                        sysrun_log_set_handler(library_log, LOG_DEBUG);
                        break;
                case OPT_SYSTEMD_CGROUP:
                        arg_cgroup_manager = CGROUP_MANAGER_SYSTEMD;
                        arg_cgroup_manager_explicit = true;
                        break;
                case OPT_CGROUP_MANAGER:
                        arg_cgroup_manager = cgroup_manager_type_from_string(optarg);
                        if (arg_cgroup_manager < 0)
                                return cli_failf("invalid --cgroup-manager '%s': use systemd or disabled", optarg);
                        arg_cgroup_manager_explicit = true;
                        break;
                case OPT_ROOTLESS:
                        break;
                case OPT_CRIU:
                        arg_criu = optarg;
                        break;
                case 'h':
                        help(stdout);
                        return EXIT_SUCCESS;
                case 'v':
                        printf("sysrun version %s\ncommit: %s\nspec: %s\n", SYSRUN_VERSION, SYSRUN_COMMIT,
                               SYSRUN_OCI_VERSION);
                        return EXIT_SUCCESS;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
        }
        if (arg_cgroup_manager < 0)
                arg_cgroup_manager = cgroup_manager_default();

        if (optind >= argc) {
                help(stdout);
                return EXIT_SUCCESS;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(commands[i].name, argv[optind])) {
                        int idx = optind;
                        current_command = commands[i].name;
                        if (idx + 1 < argc && (streq(argv[idx + 1], "--help") || streq(argv[idx + 1], "-h"))) {
                                printf("NAME:\n   sysrun %s - %s\n\nUSAGE:\n   sysrun %s [command options] %s\n\n"
                                       "See sysrun(8) for the options (they are runc's).\n",
                                       commands[i].name, commands[i].help, commands[i].name, commands[i].usage);
                                return EXIT_SUCCESS;
                        }
                        optind = 0; /* reset getopt for the command's own options */
                        return commands[i].run(argc - idx, argv + idx);
                }
        return cli_failf("No help topic for '%s'", argv[optind]);
}
