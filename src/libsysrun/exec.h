/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* `exec`: a new process in a running (or created) container. It joins every namespace of the
 * container's init (setns() on a pidfd, one call), its cgroup and its root, and gets the same
 * process setup as the init (process-setup.h): user, groups, env, cwd, rlimits, capabilities,
 * no_new_privs, LSM label, seccomp.
 *
 *   sysrun ─ fork/clone3 ─→ joiner: rlimits, setns(pidfd, all) ─ fork ─→ process (pid namespace):
 *   (CLONE_INTO_CGROUP or     reports the process's pid, exits     waits for sysrun to have its
 *    manager->attach())                                            pidfd, chroot to the init's root,
 *                                                                  setsid, terminal, cwd, security,
 *                                                                  READY, waits, execve
 *
 * One SOCK_SEQPACKET socket carries it all (init.h's SyncType): GO, PID, GO, PTY/SECCOMP_FD,
 * READY, CONTINUE, then EOF once execve closed it, or ERROR.
 *
 * In the foreground sysrun is a subreaper (the process is reparented to it when the joiner exits),
 * forwards signals, proxies a terminal and returns the process's exit status. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

typedef struct ExecOptions {
        const char *root;
        const char *id;
        const char *process_path; /* -p: the whole process; the flags below are then ignored */
        char **args;              /* the command */
        const char *cwd;
        char **env;               /* appended to the config's env */
        bool user_set;
        uint32_t uid;
        bool gid_set;
        uint32_t gid;
        uint32_t *additional_gids;
        size_t n_additional_gids;
        char **caps;              /* added to bounding, effective, permitted (and ambient, as runc) */
        bool tty;
        bool no_new_privs;
        const char *process_label;
        const char *apparmor;
        bool detach;
        bool ignore_paused;
        const char *pid_file;
        const char *console_socket;
        const char *pidfd_socket;
        unsigned preserve_fds;
} ExecOptions;

/* Runs the process. In the foreground *ret_status is its exit status (128+N for signal N); detached
 * it is 0 once the process was exec'd. */
int container_exec(const ExecOptions *o, int *ret_status, SysrunError *reterr_error);

/* "uid[:gid]" as runc's -u takes it. Pure. */
int parse_user_spec(const char *s, uint32_t *ret_uid, bool *ret_gid_set, uint32_t *ret_gid);
