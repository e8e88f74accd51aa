/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli-criu.h"
#include "cli-log.h"
#include "cli.h"
#include "errno-string.h"
#include "log.h"
#include "macro.h"
#include "rootless.h"
#include "sysrun-config.h"
#include "sysrun-version.h"

const char *arg_root = NULL; /* default: rootless_state_root() */
bool arg_debug = false;
CgroupManagerType arg_cgroup_manager = _CGROUP_MANAGER_TYPE_INVALID;
bool arg_cgroup_manager_explicit = false;
static const char *arg_log = NULL;
static bool arg_log_json = false;

static const Command *const commands[] = {
        &command_create, &command_start, &command_run,    &command_state,      &command_kill,
        &command_delete, &command_list,  &command_ps,     &command_exec,       &command_pause,
        &command_resume, &command_update, &command_events, &command_checkpoint, &command_restore,
        &command_spec,   &command_features,
};

enum {
        OPT_ROOT = 256,
        OPT_LOG,
        OPT_LOG_FORMAT,
        OPT_DEBUG,
        OPT_SYSTEMD_CGROUP,
        OPT_CGROUP_MANAGER,
        OPT_ROOTLESS,
        OPT_CRIU,
};

static const CliOption global_options[] = {
        { "debug", OPT_DEBUG, NULL, "enable debug logging" },
        { "log", OPT_LOG, "FILE", "write log lines to FILE instead of stderr (a fatal error is repeated on stderr)" },
        { "log-format", OPT_LOG_FORMAT, "FORMAT", "format of log lines: text (default) or json" },
        { "root", OPT_ROOT, "DIR",
          "directory for container state (default: " SYSRUN_DEFAULT_ROOT ", rootless: $XDG_RUNTIME_DIR/sysrun)" },
        { "systemd-cgroup", OPT_SYSTEMD_CGROUP, NULL, "use systemd for cgroups (same as --cgroup-manager=systemd)" },
        { "cgroup-manager", OPT_CGROUP_MANAGER, "MANAGER",
          "systemd, cgroupfs or disabled (default: systemd when systemd runs, else cgroupfs where the host has cgroups)" },
        { "rootless", OPT_ROOTLESS, "VALUE",
          "true, false or auto (default): whether sysrun runs without root in the initial user namespace" },
        { "criu", OPT_CRIU, "PATH", "the criu binary for checkpoint and restore (default: criu in PATH)" },
        { "help", 'h', NULL, "show help" },
        { "version", 'v', NULL, "print the version" },
        {}
};

static const char *current_command = "sysrun";

const char *cli_command_name(void) {
        return current_command;
}

static void report(const char *level, const char *msg) {
        cli_log_report(level, msg);
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
                return cli_failf("\"%s\" requires exactly %d argument(s)", cmd, min);
        if (argc < min)
                return cli_failf("\"%s\" requires a minimum of %d argument(s)", cmd, min);
        if (max >= 0 && argc > max)
                return cli_failf("\"%s\" requires a maximum of %d argument(s)", cmd, max);
        return 0;
}

int cli_run_on_id(int argc, char **argv, int (*op)(const char *root, const char *id, SysrunError *e)) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        int r;

        if (cli_getopt(argc, argv, NULL) >= 0)
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

int cli_getopt(int argc, char **argv, const CliOption *opts) {
        /* Rebuilt on each call: getopt keeps its position in argv, not in this table. */
        static struct option longopts[64];
        char shorts[128] = "+";
        size_t n = 1, k = 0;

        /* As runc's commands (urfave/cli): flags may follow the container id ("update ID --cpu-period
         * 1000"), except where what follows the id is a command line of its own (exec, ps). */
        if (!streq(current_command, "sysrun") && !streq(current_command, "exec") && !streq(current_command, "ps"))
                n = 0;

        for (const CliOption *o = opts; o && o->name && k < ELEMENTSOF(longopts) - 1; o++, k++) {
                longopts[k] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->val };
                if (o->val > 0 && o->val < 128 && n < sizeof(shorts) - 3) {
                        shorts[n++] = (char) o->val;
                        if (o->arg)
                                shorts[n++] = ':';
                }
        }
        longopts[k] = (struct option){};
        shorts[n] = 0;
        opterr = 0;
        return getopt_long_only(argc, argv, shorts, longopts, NULL);
}

static size_t option_label(const CliOption *o, char *buf, size_t size) {
        int l;

        if (o->val > 0 && o->val < 128)
                l = snprintf(buf, size, "--%s%s%s, -%c%s%s", o->name, o->arg ? " " : "", strempty(o->arg),
                             o->val, o->arg ? " " : "", strempty(o->arg));
        else
                l = snprintf(buf, size, "--%s%s%s", o->name, o->arg ? " " : "", strempty(o->arg));
        return l < 0 ? 0 : (size_t) l;
}

static size_t options_width(const CliOption *opts, size_t width) {
        char label[128];

        for (const CliOption *o = opts; o && o->name; o++) {
                size_t l = option_label(o, label, sizeof(label));
                if (l > width)
                        width = l;
        }
        return width;
}

static void print_options(FILE *f, const CliOption *opts, size_t width) {
        char label[128];

        for (const CliOption *o = opts; o && o->name; o++) {
                option_label(o, label, sizeof(label));
                fprintf(f, "   %-*s   %s\n", (int) width, label, strempty(o->help));
        }
}

void cli_options_help(FILE *f, const CliOption *opts) {
        print_options(f, opts, options_width(opts, 0));
}

void cli_command_help(FILE *f, const Command *c) {
        static const CliOption help_option[] = { { "help", 'h', NULL, "show help" }, {} };
        size_t width;

        fprintf(f, "NAME:\n   sysrun %s - %s\n\nUSAGE:\n   sysrun %s%s%s%s\n", c->name, c->summary, c->name,
                c->options ? " [command options]" : "", isempty(c->usage) ? "" : " ", strempty(c->usage));
        if (c->description) {
                fputs("\nDESCRIPTION:\n", f);
                for (const char *p = c->description; *p;) {
                        size_t l = strcspn(p, "\n");
                        fprintf(f, "   %.*s\n", (int) l, p);
                        p += l + (p[l] == '\n');
                }
        }
        fputs("\nOPTIONS:\n", f);
        width = options_width(help_option, options_width(c->options, 0));
        print_options(f, c->options, width);
        print_options(f, help_option, width);
        fprintf(f, "\nSee sysrun-%s(8).\n", c->name);
}

static void help(FILE *f) {
        fprintf(f,
                "NAME:\n   sysrun - an OCI container runtime native to systemd\n\n"
                "USAGE:\n   sysrun [global options] command [command options] [arguments...]\n\n"
                "COMMANDS:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(f, "   %-13s%s\n", commands[i]->name, commands[i]->summary);
        fprintf(f, "\nGLOBAL OPTIONS:\n");
        cli_options_help(f, global_options);
        fprintf(f, "\n\"sysrun COMMAND --help\" describes a command; see also sysrun(8) and sysrun-COMMAND(8).\n");
}

int main(int argc, char **argv) {
        int c, r;

        sysrun_log_set_handler(library_log, LOG_WARNING);
        while ((c = cli_getopt(argc, argv, global_options)) >= 0) {
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
                                return cli_failf("invalid --cgroup-manager '%s': use systemd, cgroupfs or disabled",
                                                 optarg);
                        arg_cgroup_manager_explicit = true;
                        break;
                case OPT_ROOTLESS: {
                        RootlessMode m;
                        if (rootless_mode_from_string(optarg, &m) < 0)
                                return cli_failf("invalid --rootless value '%s': use true, false or auto", optarg);
                        rootless_set_mode(m);
                        break;
                }
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
        r = cli_log_open(arg_log, arg_log_json, arg_debug);
        if (r < 0) {
                fprintf(stderr, "sysrun: failed to open log file %s: %s\n", arg_log, ERRNO_STRING(r));
                return EXIT_FAILURE;
        }
        if (arg_cgroup_manager < 0)
                arg_cgroup_manager = cgroup_manager_default();
        if (!arg_root) {
                static char *default_root = NULL;
                default_root = rootless_state_root(SYSRUN_DEFAULT_ROOT);
                if (!default_root)
                        return cli_failf("out of memory");
                arg_root = default_root;
        }

        if (optind >= argc) {
                help(stdout);
                return EXIT_SUCCESS;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(commands[i]->name, argv[optind])) {
                        int idx = optind;
                        current_command = commands[i]->name;
                        if (idx + 1 < argc && (streq(argv[idx + 1], "--help") || streq(argv[idx + 1], "-h"))) {
                                cli_command_help(stdout, commands[i]);
                                return EXIT_SUCCESS;
                        }
                        optind = 0; /* reset getopt for the command's own options */
                        return commands[i]->run(argc - idx, argv + idx);
                }
        return cli_failf("No help topic for '%s'", argv[optind]);
}
