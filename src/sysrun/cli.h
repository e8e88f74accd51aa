/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <getopt.h>
#include <stdbool.h>

#include "cgroup.h"
#include "error.h"

/* Global options, shared by every command. */
extern const char *arg_root;
extern bool arg_debug;
extern CgroupManagerType arg_cgroup_manager;
extern bool arg_cgroup_manager_explicit;

typedef struct Command {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *usage; /* "<container-id>" etc. */
        const char *help;
} Command;

/* Reports an error the way runc does (stderr, and --log in its format); returns EXIT_FAILURE. */
int cli_fail(const SysrunError *e, int r);
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks the count of positional arguments like runc ("requires exactly 1 argument(s)"). */
int cli_check_args(const char *cmd, int argc, int min, int max);
/* Parses a non-negative integer option value. */
int cli_parse_uint(const char *opt, const char *s, unsigned *ret);
/* getopt_long_only over argv from index 1, stopping at the first positional argument. */
int cli_getopt(int argc, char **argv, const struct option *opts);
/* A command with no options of its own and exactly one container id: runs op on it. */
int cli_run_on_id(int argc, char **argv, int (*op)(const char *root, const char *id, SysrunError *e));

int cmd_create(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_spec(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_restore(int argc, char **argv);
const char *cli_command_name(void);
