/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cgroup.h"
#include "error.h"

/* Global options, shared by every command. */
extern const char *arg_root;
extern bool arg_debug;
extern CgroupManagerType arg_cgroup_manager;
extern bool arg_cgroup_manager_explicit;

/* One flag of a command: the parser's getopt table and `sysrun CMD --help` both come from it, and
 * tests/integration/docs.bats checks that man/ and shell-completion/ know every name. */
typedef struct CliOption {
        const char *name; /* the long name, without "--" */
        int val;          /* the short option's letter, or a value >= 256 for a long-only flag */
        const char *arg;  /* the argument's name in help ("DIR"); NULL for a switch */
        const char *help; /* one line */
} CliOption;

typedef struct Command {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *usage;       /* "<container-id>" etc. */
        const char *summary;     /* one line, runc's words where runc has the command */
        const char *description; /* a few lines for --help; the man page says more */
        const CliOption *options; /* ends with {}; NULL for none */
} Command;

/* Reports an error the way runc does (stderr, and --log in its format); returns EXIT_FAILURE. */
int cli_fail(const SysrunError *e, int r);
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks the count of positional arguments like runc ("requires exactly 1 argument(s)"). */
int cli_check_args(const char *cmd, int argc, int min, int max);
/* Parses a non-negative integer option value. */
int cli_parse_uint(const char *opt, const char *s, unsigned *ret);
/* getopt_long_only over argv from index 1 with the flags of opts (NULL for none), stopping at the
 * first positional argument. */
int cli_getopt(int argc, char **argv, const CliOption *opts);
/* Prints runc-style help for a command: NAME, USAGE, DESCRIPTION, OPTIONS. */
void cli_command_help(FILE *f, const Command *c);
/* Prints an OPTIONS list, one flag a line with its argument name and meaning. */
void cli_options_help(FILE *f, const CliOption *opts);
/* A command with no options of its own and exactly one container id: runs op on it. */
int cli_run_on_id(int argc, char **argv, int (*op)(const char *root, const char *id, SysrunError *e));

/* One per command, defined in its cmd-*.c file. */
extern const Command command_create, command_start, command_run, command_state, command_kill,
                command_delete, command_list, command_ps, command_exec, command_pause, command_resume,
                command_update, command_events, command_checkpoint, command_restore, command_spec,
                command_features;

const char *cli_command_name(void);
