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
#include "sync.h"

typedef struct InitContext {
        const OciConfig *config;
        const char *rootfs; /* absolute host path */
        const char *bundle;
        int sync_fd;
        int fifo_fd;         /* read end of exec.fifo; -EBADF for run (exec at once) */
        int created_ns;      /* CLONE_NEW* flags the clone already made */
        int unshare_after_go; /* CLONE_NEWCGROUP: after the cgroup move (SYNC_CGROUP) */
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

/* Runs in the forked child; never returns. Errors go to the parent as SYNC_ERROR. */
_noreturn_ void init_main(const InitContext *ctx);
