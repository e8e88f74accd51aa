/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The state of one create (or restore) while it runs, and the steps that create and restore share:
 * reading the bundle, the first state, the state directory, and the undo of all of it on failure. */

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "container.h"
#include "error.h"
#include "mount-idmap.h"
#include "mount-sources.h"
#include "notify.h"
#include "process-setup.h"
#include "rdt.h"
#include "state.h"

/* Everything a create makes, so that a failure anywhere undoes exactly that. */
typedef struct CreateContext {
        const ContainerCreateOptions *opts;
        const CgroupManager *manager;
        OciConfig *config;
        char *config_text;
        char *bundle;
        char *rootfs;
        int rootfd;
        int dirfd;
        bool dir_made;
        bool cgroup_entered;
        pid_t pid;
        bool pid_is_child;
        int pidfd;
        ContainerState *state;
        ProcessSecurity security;
        RdtPlan *rdt; /* NULL without linux.intelRdt */
        int sync_fd;        /* sysrun's end of the init's socket; run keeps it until the init execs */
        int console_socket; /* --console-socket, handed to the init */
        int pty_master;     /* process.terminal in the foreground: sysrun's end of the pty */
        unsigned listen_fds; /* socket activation: sysrun's fds 3… go on to the container */
        bool hooks_started; /* the hooks began: undoing the create runs poststop too */
        MountIdmaps idmaps; /* idmapped bind mounts, made here and handed to the init (mount-idmap.h) */
        NotifyRelay notify;  /* NOTIFY_SOCKET: the container's socket, relayed by run */
        int out_pipe, err_pipe; /* run in a service: the container's stdout/stderr, for its journal */
        MountSources mount_sources; /* with a user namespace: bind sources, until the init has them */
        bool mount_sources_pending; /* ... which mount_sources_send() then opens for it */
        int abort_fd;       /* signalfd of SIGTERM, SIGINT, SIGHUP: the caller gives up the setup */
        int interrupted_by; /* the signal that stopped the setup */
} CreateContext;

#define CREATE_CONTEXT_INIT(o)                                                                             \
        ((CreateContext){ .opts = (o), .rootfd = -EBADF, .dirfd = -EBADF, .pidfd = -EBADF, .sync_fd = -EBADF, \
                          .console_socket = -EBADF, .pty_master = -EBADF, .abort_fd = -EBADF,                \
                          .notify.fd = -EBADF, .out_pipe = -EBADF, .err_pipe = -EBADF })

void create_context_done(CreateContext *c);
/* Undoes a failed create: the init and everything in its namespaces, the cgroup, the state dir. */
void create_context_abort(CreateContext *c);

/* Blocks SIGTERM, SIGINT and SIGHUP and returns a signalfd for them: until the handoff they stop
 * the setup, which is undone. */
int create_abort_signals_block(sigset_t *ret_old, SysrunError *reterr_error);
/* 0, or -EINTR when an abort signal came: it replaces whatever error its effects caused. */
int create_check_interrupted(CreateContext *c, SysrunError *reterr_error);
/* Waits until fd is readable (or hung up); -EINTR when an abort signal comes first. */
int create_wait_readable(CreateContext *c, int fd, SysrunError *reterr_error);

/* The id checked, the cgroup manager chosen (its prefetch() started), then create_load_bundle(). */
int create_begin(CreateContext *c, SysrunError *reterr_error);
/* bundle/config.json, parsed and checked, and the rootfs. */
int create_load_bundle(CreateContext *c, SysrunError *reterr_error);
/* With NOTIFY_SOCKET: the container's socket and its mount (bound now with bind_now). */
int create_notify_prepare(CreateContext *c, bool bind_now, SysrunError *reterr_error);
/* The first state, "creating". */
int create_state_init(CreateContext *c, SysrunError *reterr_error);
/* The manager's intent, the state directory, the first state and the saved config.json. */
int create_state_dir_make(CreateContext *c, SysrunError *reterr_error);
