/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The protocol between sysrun and a process it forks into a container (create's init, exec's
 * process): typed messages over one SOCK_SEQPACKET socketpair, some with an fd attached. */

#include <stdint.h>

#include "error.h"

typedef enum SyncType {
        SYNC_PID = 1,    /* intermediate → parent: the init's pid (double-fork path) */
        SYNC_GO,         /* parent → init: id maps written, rlimits set: set up the mounts */
        SYNC_HOOKS,      /* init → parent: mounts done, run prestart/createRuntime now */
        SYNC_HOOKS_DONE, /* parent → init */
        SYNC_READY,      /* init → parent: about to wait for start */
        SYNC_CONTINUE,   /* parent → init: state saved, go on waiting (or exec) */
        SYNC_ERROR,      /* init → parent: error code and message */
        SYNC_SECCOMP_FD, /* init → parent: the seccomp listener fd (SCM_RIGHTS), for listenerPath */
        SYNC_PTY,        /* init → parent: the pty master (SCM_RIGHTS), for sysrun's own terminal */
        SYNC_MOUNT_SOURCE, /* parent → init, before SYNC_GO: a bind source (SCM_RIGHTS), value: index */
        SYNC_RELEASED,   /* init → parent: SYNC_CONTINUE seen, it no longer dies with sysrun */
        SYNC_CGROUP,     /* parent → init, after SYNC_GO: the init is in its cgroup (and resctrl group) */
} SyncType;

typedef struct SyncMsg {
        uint32_t type;
        int32_t value; /* pid or negative errno */
        char text[2048];
} SyncMsg;

int sync_send(int fd, SyncType type, int value, const char *text);
/* Returns -EPIPE when the peer is gone. */
int sync_recv(int fd, SyncMsg *ret);
/* The same with an fd attached (SCM_RIGHTS): SYNC_SECCOMP_FD, SYNC_PTY. */
int sync_send_fd(int fd, SyncType type, int value, int pass_fd);
/* Like sync_recv; an attached fd goes to *ret_fd (O_CLOEXEC), -EBADF when there is none. */
int sync_recv_fd(int fd, SyncMsg *ret, int *ret_fd);
/* Receives one message and checks its type; a SYNC_ERROR becomes the returned error. */
int sync_expect(int fd, SyncType type, int *ret_value, SysrunError *reterr_error);

/* Until the handoff (SYNC_CONTINUE) a process of create dies with the sysrun that started it:
 * PR_SET_PDEATHSIG, then a look at sync_fd in case sysrun died before that. sync_fd is the
 * child's end of the socket whose other end only sysrun holds. Never returns when sysrun is gone. */
void sync_die_with_parent(int sync_fd);
