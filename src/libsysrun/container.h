/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Container lifecycle: orchestration only; the syscalls live in init.c, mounts.c, namespaces.c and
 * the cgroup managers. */

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "error.h"
#include "state.h"

typedef struct ContainerCreateOptions {
        const char *root; /* state root */
        const char *id;
        const char *bundle; /* NULL: cwd */
        const char *console_socket;
        const char *pid_file;
        const char *pidfd_socket;
        bool no_pivot;
        bool no_new_keyring;
        bool no_machine; /* not registered with systemd-machined */
        unsigned preserve_fds;
        CgroupManagerType manager;
        bool manager_explicit;
        /* run only */
        bool detach;
        bool keep;
        bool no_subreaper;
} ContainerCreateOptions;

/* SIGTERM, SIGINT or SIGHUP before the container is handed off stop the setup: everything made
 * is undone and -EINTR returned, with the signal in *reterr_signal (0 for any other failure). */
int container_create(const ContainerCreateOptions *o, int *reterr_signal, SysrunError *reterr_error);
/* create + start; in the foreground waits, forwards signals and returns the exit status
 * (128+N for signal N) in ret_status, then deletes the container unless keep. */
int container_run(const ContainerCreateOptions *o, int *ret_status, int *reterr_signal,
                  SysrunError *reterr_error);
int container_start(const char *root, const char *id, SysrunError *reterr_error);
/* Signals the init (all: every process of the container). With SIGKILL it returns once the init is
 * dead (at most 5 s), so that `state` and `delete` right after it see a stopped container. */
int container_kill(const char *root, const char *id, int sig, bool all, SysrunError *reterr_error);
int container_delete(const char *root, const char *id, bool force, SysrunError *reterr_error);

/* The status as it is now: derived from the stored status, the init's liveness (pid and start
 * time), exec.fifo and the cgroup manager's freezer. */
ContainerStatus container_status(int dirfd, const ContainerState *s);
/* Opens a container's state dir (with lock: taking the per-container lock), loads its state and
 * derives its status. "container does not exist" when there is none. */
int container_open(const char *root, const char *id, bool lock, int *ret_dirfd, ContainerState **ret,
                   ContainerStatus *ret_status, SysrunError *reterr_error);
/* Loads a container's state and its current status. */
int container_load(const char *root, const char *id, ContainerState **ret, ContainerStatus *ret_status,
                   SysrunError *reterr_error);

/* restore (checkpoint.c): spawn() starts a runner that waits until it is released; it is put into
 * the container's cgroup as an init would be; finish() releases it (criu restore runs there, so the
 * restored processes start in that cgroup), reaps it and returns the restored init's pid. */
typedef struct ContainerRestoreRunner {
        int (*spawn)(void *userdata, const ContainerState *s, pid_t *ret_pid, SysrunError *reterr_error);
        int (*finish)(void *userdata, const ContainerState *s, pid_t *ret_init, SysrunError *reterr_error);
        void *userdata;
} ContainerRestoreRunner;
/* Makes the state, the scope (or cgroup) and the machine of a container from the bundle in o, with
 * runner's process in it; on failure nothing is left. */
int container_create_restored(const ContainerCreateOptions *o, const ContainerRestoreRunner *runner,
                              pid_t *ret_pid, SysrunError *reterr_error);
