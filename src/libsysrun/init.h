/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The container's init: forked by sysrun, it sets up namespaces, mounts, pivot_root, devices and
 * the process, tells the parent it is ready, then waits on exec.fifo (create) or execs at once
 * (run). It talks to the parent over one SOCK_SEQPACKET socketpair. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"
#include "mount-sources.h"
#include "process-setup.h"
#include "state.h"

typedef enum SyncType {
        SYNC_PID = 1,    /* intermediate → parent: the init's pid (double-fork path) */
        SYNC_GO,         /* parent → init: id maps written, cgroup entered, rlimits set */
        SYNC_HOOKS,      /* init → parent: mounts done, run prestart/createRuntime now */
        SYNC_HOOKS_DONE, /* parent → init */
        SYNC_READY,      /* init → parent: about to wait for start */
        SYNC_CONTINUE,   /* parent → init: state saved, go on waiting (or exec) */
        SYNC_ERROR,      /* init → parent: error code and message */
        SYNC_SECCOMP_FD, /* init → parent: the seccomp listener fd (SCM_RIGHTS), for listenerPath */
        SYNC_PTY,        /* init → parent: the pty master (SCM_RIGHTS), for sysrun's own terminal */
        SYNC_MOUNT_SOURCE, /* parent → init, before SYNC_GO: a bind source (SCM_RIGHTS), value: index */
        SYNC_RELEASED,   /* init → parent: SYNC_CONTINUE seen, it no longer dies with sysrun */
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

typedef struct InitContext {
        const OciConfig *config;
        const char *rootfs; /* absolute host path */
        const char *bundle;
        int sync_fd;
        int fifo_fd;         /* read end of exec.fifo; -EBADF for run (exec at once) */
        int created_ns;      /* CLONE_NEW* flags the clone already made */
        int unshare_after_go; /* CLONE_NEWCGROUP: after the cgroup move */
        unsigned preserve_fds;
        bool no_pivot;
        bool host_mntns; /* the config has no mount namespace: the runtime's is kept */
        bool no_new_keyring;
        bool in_userns;
        bool new_netns;
        bool in_cgroupns;
        bool device_cgroup; /* the cgroup manager enforces the device rules (CgroupManager) */
        bool hooks_sync; /* stop at SYNC_HOOKS */
        const ProcessSecurity *security; /* prepared by the parent (caps masks, seccomp BPF) */
        const ContainerState *state; /* for the createContainer/startContainer hooks' state JSON */
        int console_socket;          /* process.terminal: the master goes here (-EBADF: none) */
        bool pty_to_parent;          /* process.terminal without console socket: SYNC_PTY */
        unsigned listen_fds;         /* socket activation: fds 3… passed on, LISTEN_PID fixed */
        const int *idmap_fds;        /* per mounts[] entry: an idmapped tree made by sysrun, or -EBADF */
        size_t n_idmap_fds;
        int stdout_fd, stderr_fd;    /* the process's stdout and stderr instead of ours (-EBADF: ours) */
        MountSources *mount_sources; /* bind sources opened by the parent; closed after the mounts */
        bool rootless;               /* sysrun runs as non-root: it writes our id maps as that user */
} InitContext;

/* Until the handoff (SYNC_CONTINUE) a process of create dies with the sysrun that started it:
 * PR_SET_PDEATHSIG, then a look at sync_fd in case sysrun died before that. sync_fd is the
 * child's end of the socket whose other end only sysrun holds. Never returns when sysrun is gone. */
void init_die_with_parent(int sync_fd);

/* Runs in the forked child; never returns. Errors go to the parent as SYNC_ERROR. */
_noreturn_ void init_main(const InitContext *ctx);

/* Searches PATH (from env, or the default) for file inside the current root, as runc does (Go's
 * exec.LookPath); on failure the message is runc's ("exec: \"x\": executable file not found in
 * $PATH", "exec: \"/x\": stat /x: no such file or directory", "exec: \"/x\": permission denied"). */
int find_executable(const char *file, char *const *env, char **ret, SysrunError *reterr_error);
