/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "errno-string.h"
#include "executable.h"
#include "listen-fds.h"
#include "fd-util.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "mounts.h"
#include "strv.h"
#include "terminal.h"

/* The init's pid as the host sees it (SYNC_GO carries it): the hooks' state needs it. */
static pid_t init_host_pid;

/* createContainer and startContainer run here, in the container's namespaces. */
static int init_hooks(const InitContext *ctx, HookKind kind, ContainerStatus status, SysrunError *e) {
        ContainerState s;

        if (!ctx->state || !hooks_any(ctx->config, kind))
                return 0;
        s = *ctx->state;
        s.pid = init_host_pid;
        return hooks_run_state(ctx->config, kind, &s, status, e);
}

/* The init hands the seccomp listener fd to the parent, which passes it on to listenerPath. */
static int send_notify_fd(int notify_fd, void *userdata) {
        return sync_send_fd(*(const int *) userdata, SYNC_SECCOMP_FD, 0, notify_fd);
}

static int wait_for_start(int fifo_fd) {
        struct pollfd p = { .fd = fifo_fd, .events = POLLIN };
        char c;

        for (;;) {
                int n = poll(&p, 1, -1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (p.revents & POLLIN)
                        break;
                if (p.revents & (POLLHUP | POLLERR))
                        return -EPIPE;
        }
        if (read(fifo_fd, &c, 1) != 1)
                return -EPIPE;
        return 0;
}

/* Receives the bind sources sysrun opened (with a user namespace), then SYNC_GO. */
static int init_wait_go(const InitContext *ctx, SysrunError *e) {
        for (;;) {
                _cleanup_close_ int fd = -EBADF;
                SyncMsg m;
                int r;

                r = sync_recv_fd(ctx->sync_fd, &m, &fd);
                if (r < 0)
                        return r;
                switch (m.type) {
                case SYNC_GO:
                        init_host_pid = m.value;
                        return 0;
                case SYNC_MOUNT_SOURCE:
                        if (fd < 0 || m.value < 0 || !ctx->mount_sources ||
                            mount_sources_take(ctx->mount_sources, (size_t) m.value, TAKE_FD(fd)) < 0)
                                return sysrun_error_set(e, -EPROTO, "unexpected bind source from sysrun");
                        break;
                case SYNC_ERROR:
                        return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
                default:
                        return sysrun_error_set(e, -EPROTO, "unexpected message %u from sysrun (wanted %u)", m.type,
                                                SYNC_GO);
                }
        }
}

/* sysrun enters the cgroup while the init makes its mounts (systemd's scope job is the longest
 * part of a create). Nothing that needs the cgroup comes before SYNC_CGROUP: a cgroup mount, the
 * cgroup namespace, the hooks, and any fork or exec of the container's. */
typedef struct CgroupBarrier {
        int sync_fd;
        int unshare_flags; /* CLONE_NEWCGROUP, made once inside the container's cgroup */
        bool passed;
} CgroupBarrier;

static int cgroup_barrier_pass(void *userdata, SysrunError *e) {
        CgroupBarrier *b = userdata;
        int r;

        if (b->passed)
                return 0;
        r = sync_expect(b->sync_fd, SYNC_CGROUP, NULL, e);
        if (r < 0)
                return r;
        b->passed = true;
        /* In the container's cgroup now: it becomes the namespace's root. */
        if (b->unshare_flags && unshare(b->unshare_flags) < 0)
                return sysrun_error_set(e, -errno, "cannot create cgroup namespace: %m");
        return 0;
}

static int init_run(const InitContext *ctx, char **ret_exe, SysrunError *e) {
        const OciConfig *c = ctx->config;
        const OciProcess *p = c->process;
        CgroupBarrier barrier = { .sync_fd = ctx->sync_fd, .unshare_flags = ctx->unshare_after_go };
        RootfsContext rctx = {
                .config = c,
                .rootfs = ctx->rootfs,
                .bundle = ctx->bundle,
                .in_userns = ctx->in_userns,
                .new_netns = ctx->new_netns,
                .in_cgroupns = ctx->in_cgroupns,
                .device_cgroup = ctx->device_cgroup,
                .no_pivot = ctx->no_pivot,
                .host_mntns = ctx->host_mntns,
                .idmap_fds = ctx->idmap_fds,
                .n_idmap_fds = ctx->n_idmap_fds,
                .sources = ctx->mount_sources,
                .cgroup_barrier = cgroup_barrier_pass,
                .barrier_userdata = &barrier,
        };
        _cleanup_free_ char *exe = NULL;
        _cleanup_close_ int console_target = -EBADF;
        bool dev_is_bind = false;
        int r;

        r = init_wait_go(ctx, e);
        if (r < 0)
                return r;
        if (ctx->rootless)
                (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

        if (ctx->in_userns) {
                /* Become the user namespace's root, so files we make are owned by it. */
                (void) setresgid(0, 0, 0);
                (void) setresuid(0, 0, 0);
                /* A new euid clears the parent-death signal. */
                sync_die_with_parent(ctx->sync_fd);
        }
        if (setsid() < 0)
                return sysrun_error_set(e, -errno, "setsid: %m");
        if (!ctx->no_new_keyring && syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 &&
            errno != ENOSYS && errno != EACCES && errno != EPERM)
                return sysrun_error_set(e, -errno, "cannot create session keyring: %m");

        if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
                return sysrun_error_set(e, -errno, "hostname: cannot set '%s': %m", c->hostname);
        if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
                return sysrun_error_set(e, -errno, "domainname: cannot set '%s': %m", c->domainname);

        umask(0);
        r = rootfs_setup(&rctx, &dev_is_bind, e);
        if (r < 0)
                return r;
        if (ctx->mount_sources)
                mount_sources_done(ctx->mount_sources);

        if (ctx->hooks_sync) {
                r = sync_send(ctx->sync_fd, SYNC_HOOKS, 0, NULL);
                if (r < 0)
                        return r;
                r = sync_expect(ctx->sync_fd, SYNC_HOOKS_DONE, NULL, e);
                if (r < 0)
                        return r;
        }
        /* Before pivot_root: the hook's path is resolved in the runtime's filesystem; its cwd is
         * the rootfs, as runc runs it. */
        if (chdir(ctx->rootfs) < 0)
                return sysrun_error_set(e, -errno, "cannot enter rootfs '%s': %m", ctx->rootfs);
        r = init_hooks(ctx, HOOK_CREATE_CONTAINER, CONTAINER_CREATING, e);
        if (r < 0)
                return r;
        if (p && p->terminal) {
                /* Made now, while even a read-only root can still take it; bound after pivot. */
                console_target = console_target_prepare(ctx->rootfs, e);
                if (console_target < 0)
                        return console_target;
        }

        r = rootfs_pivot(&rctx, e);
        if (r < 0)
                return r;
        if (!dev_is_bind) {
                r = stdio_reopen_dev_null(e);
                if (r < 0)
                        return r;
        }

        if (p) {
                char cwd[PATH_MAX];

                if (chdir(p->cwd) < 0)
                        return sysrun_error_set(e, -errno, "process.cwd: cannot enter '%s': %m", p->cwd);
                /* A cwd reached through a leaked fd would lie outside the root (CVE-2024-21626). */
                if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
                        return sysrun_error_set(e, -EPERM, "process.cwd: '%s' is outside the container", p->cwd);

                r = find_executable(p->args[0], p->env, &exe, e);
                if (r < 0)
                        return r;
        }

        if (p && p->terminal) {
                TerminalSetup ts = {
                        .process = p,
                        .console_socket = ctx->console_socket,
                        .sync_fd = ctx->sync_fd,
                        .console_target = console_target,
                };
                r = terminal_setup(&ts, e);
                if (r < 0)
                        return r;
        }

        /* Only stdio, the socket-activation fds and the preserved fds reach the container; ours
         * are O_CLOEXEC. */
        for (unsigned i = 0; i < ctx->listen_fds + ctx->preserve_fds; i++) {
                int flags = fcntl(3 + (int) i, F_GETFD);
                if (flags >= 0)
                        (void) fcntl(3 + (int) i, F_SETFD, flags & ~FD_CLOEXEC);
        }
        if (syscall(SYS_close_range, 3 + ctx->listen_fds + ctx->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "close_range: %m");

        if (p) {
                /* LSM labels, no_new_privs, seccomp, groups/gid/uid with keep-caps, capabilities. */
                r = process_setup_security(p, ctx->security, ctx->in_userns, send_notify_fd, (void *) &ctx->sync_fd,
                                           e);
                if (r < 0)
                        return r;
                /* The user's uid and gid cleared the parent-death signal. */
                sync_die_with_parent(ctx->sync_fd);
        }

        *ret_exe = TAKE_PTR(exe);
        return 0;
}

void init_main(const InitContext *ctx) {
        SysrunError e = SYSRUN_ERROR_NULL;
        const OciProcess *p = ctx->config->process;
        _cleanup_free_ char *exe = NULL;
        _cleanup_strv_free_ char **env = NULL;
        int r;

        /* Until execve the init is a sysrun binary inside the container's namespaces: keep the
         * container from opening /proc/<pid>/exe or ptrace-ing it (CVE-2019-5736). execve resets it.
         * Rootless, a non-dumpable init's /proc/<pid>/uid_map is root's, which sysrun could then not
         * write: that waits for SYNC_GO (nothing of the container runs before it, and the binary is
         * not the user's to overwrite). */
        if (!ctx->rootless)
                (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        sync_die_with_parent(ctx->sync_fd);
        /* runc's --debug milestones, in its words (its debug.bats looks for them) */
        sysrun_log(LOG_DEBUG, "nsexec container setup: pid %d, namespaces 0x%x made", (int) getpid(),
                   (unsigned) ctx->created_ns);
        sysrun_log(LOG_DEBUG, "child process in init()");

        r = init_run(ctx, &exe, &e);
        if (r < 0)
                goto fail;
        /* set up: what is left is the handoff and exec.fifo (runc closes its pipe here) */
        sysrun_log(LOG_DEBUG, "init: closing the pipe to signal completion");

        r = sync_send(ctx->sync_fd, SYNC_READY, 0, NULL);
        if (r < 0)
                _exit(1);
        r = sync_expect(ctx->sync_fd, SYNC_CONTINUE, NULL, &e);
        if (r < 0)
                _exit(1);
        /* The handoff: the container now outlives sysrun. sysrun waits for the word before it
         * exits, or the death signal could still fire. */
        if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0 || sync_send(ctx->sync_fd, SYNC_RELEASED, 0, NULL) < 0)
                _exit(1);

        if (ctx->fifo_fd >= 0 && wait_for_start(ctx->fifo_fd) < 0)
                _exit(1);
        /* After pivot_root: the path is resolved in the container. */
        r = init_hooks(ctx, HOOK_START_CONTAINER, CONTAINER_CREATED, &e);
        if (r < 0)
                goto fail_late;
        if (!p)
                _exit(0);
        if (ctx->listen_fds > 0) {
                r = listen_fds_env(p->env, ctx->listen_fds, &env);
                if (r < 0) {
                        sysrun_error_set(&e, r, "cannot set LISTEN_FDS: %m");
                        goto fail_late;
                }
        }

        if ((ctx->stdout_fd >= 0 && dup2(ctx->stdout_fd, STDOUT_FILENO) < 0) ||
            (ctx->stderr_fd >= 0 && dup2(ctx->stderr_fd, STDERR_FILENO) < 0)) {
                r = sysrun_error_set(&e, -errno, "cannot set up stdout and stderr: %m");
                goto fail_late;
        }
        umask(p->user.umask.set ? (mode_t) p->user.umask.value : 0022);
        execve(exe, p->args, env ?: p->env ?: (char *[]){ NULL });
        /* runc's words (os.PathError of the exec): "exec /bin/x: exec format error". */
        r = sysrun_error_set(&e, -errno, "exec %s: %m", exe);
        /* run's sysrun still listens and reports it; create's is gone, then only stderr tells,
         * in the same words as runc's init. */
        if (sync_send(ctx->sync_fd, SYNC_ERROR, r, e.msg) < 0)
                fprintf(stderr, "%s\n", e.msg);
        _exit(127);

fail_late:
        if (sync_send(ctx->sync_fd, SYNC_ERROR, r, e.msg ?: ERRNO_STRING(r)) < 0)
                fprintf(stderr, "%s\n", e.msg ?: ERRNO_STRING(r));
        _exit(1);

fail:
        (void) sync_send(ctx->sync_fd, SYNC_ERROR, r, e.msg ?: ERRNO_STRING(r));
        _exit(1);
}
