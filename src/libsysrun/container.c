/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "cgroupfs-sub.h"
#include "container.h"
#include "create-context.h"
#include "listen-fds.h"
#include "fd-util.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "machine.h"
#include "mount-idmap.h"
#include "mount-sources.h"
#include "namespaces.h"
#include "notify.h"
#include "proc.h"
#include "rdt.h"
#include "rootfs-hostns.h"
#include "rootless.h"
#include "signals.h"
#include "strv.h"
#include "terminal.h"
#include "unit-name.h"










static int set_rlimits(pid_t pid, const OciProcess *p, SysrunError *e) {
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };
                /* From the parent: inside a user namespace hard limits could not be raised. */
                if (prlimit(pid, p->rlimits[i].resource, &rl, NULL) < 0)
                        return sysrun_error_set(e, -errno, "process.rlimits[%zu]: cannot set %s: %m", i,
                                                p->rlimits[i].type);
        }
        return 0;
}

static int set_oom_score_adj(pid_t pid, const OciProcess *p, SysrunError *e) {
        char path[64], value[32];
        int r;

        if (!p->oom_score_adj.set)
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int) pid);
        snprintf(value, sizeof(value), "%lld", (long long) p->oom_score_adj.value);
        r = write_string_file_at(AT_FDCWD, path, value);
        if (r < 0)
                return sysrun_error_set(e, r, "process.oomScoreAdj: cannot set %s: %m", value);
        return 0;
}

static void reset_signals(void) {
        sigset_t all;

        for (int s = 1; s < _NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        (void) signal(s, SIG_DFL);
        sigemptyset(&all);
        (void) sigprocmask(SIG_SETMASK, &all, NULL);
}

/* In the child: the state dir fd carries the per-container lock, which must not outlive create. */
static void close_parent_fds(CreateContext *c, int parent_sock, bool rootless) {
        /* A sysrun process joining the container's namespaces: no /proc/<pid>/exe for the container
         * (CVE-2019-5736). Rootless, the init stays dumpable until its id maps are written (init.c). */
        if (!rootless)
                (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        safe_close(parent_sock);
        safe_close(c->dirfd);
        safe_close(c->rootfd);
        reset_signals();
}

/* Moves fd to a number at or above min (keeping O_CLOEXEC), so preserved fds 3… stay free. */
static int move_fd_above(int fd, int min) {
        int n;

        if (fd < 0 || fd >= min)
                return fd;
        n = fcntl(fd, F_DUPFD_CLOEXEC, min);
        if (n < 0)
                return -errno;
        safe_close(fd);
        return n;
}

/* Forks the init into its namespaces. Without namespaces to join, one clone() makes them all and
 * the child is the init. To join namespaces by path (or make a time namespace, which applies to
 * children only) an intermediate child joins and unshares, then forks the init and reports its
 * pid. */
static int spawn_init(CreateContext *c, const NamespacePlan *plan, InitContext *ictx, int parent_sock,
                      SysrunError *e) {
        int clone_flags = plan->new_flags & ~(CLONE_NEWCGROUP | CLONE_NEWTIME);
        pid_t pid;
        int r;

        if (plan->n_joins == 0 && !(plan->new_flags & CLONE_NEWTIME)) {
                pid = (pid_t) syscall(SYS_clone, (unsigned long) clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
                if (pid < 0)
                        return sysrun_error_set(e, -errno, "cannot create the container's namespaces: %m");
                if (pid == 0) {
                        close_parent_fds(c, parent_sock, ictx->rootless);
                        init_main(ictx);
                }
                c->pid = pid;
                c->pid_is_child = true;
                return 0;
        }

        pid = fork();
        if (pid < 0)
                return sysrun_error_set(e, -errno, "fork: %m");
        if (pid == 0) {
                SysrunError ce = SYSRUN_ERROR_NULL;
                pid_t init_pid;

                close_parent_fds(c, parent_sock, ictx->rootless);
                sync_die_with_parent(ictx->sync_fd);
                r = namespaces_join(plan, &ce);
                if (r >= 0 && unshare(clone_flags | (plan->new_flags & CLONE_NEWTIME)) < 0)
                        r = sysrun_error_set(&ce, -errno, "cannot create the container's namespaces: %m");
                if (r >= 0 && (plan->new_flags & CLONE_NEWTIME))
                        r = timens_write_offsets(c->config->linux_section, &ce);
                if (r < 0) {
                        (void) sync_send(ictx->sync_fd, SYNC_ERROR, r, ce.msg);
                        _exit(1);
                }
                /* A sibling, not a child: sysrun is its parent, so it dies with sysrun (not with us,
                 * who exit now) and sysrun reaps it. */
                init_pid = (pid_t) syscall(SYS_clone, (unsigned long) CLONE_PARENT, NULL, NULL, NULL, NULL);
                if (init_pid < 0) {
                        (void) sync_send(ictx->sync_fd, SYNC_ERROR, -errno, "fork: cannot start the init");
                        _exit(1);
                }
                if (init_pid == 0)
                        init_main(ictx);
                (void) sync_send(ictx->sync_fd, SYNC_PID, init_pid, NULL);
                _exit(0);
        }

        r = create_wait_readable(c, parent_sock, e);
        if (r >= 0)
                r = sync_expect(parent_sock, SYNC_PID, &c->pid, e);
        if (r == -EINTR)
                (void) kill(pid, SIGKILL); /* it dies with its pid; an init it made has ours */
        (void) wait_exit_status(pid);
        if (r == -EPIPE)
                return sysrun_error_set(e, r, "the container's init exited before it started");
        if (r < 0)
                return r;
        c->pid_is_child = true;
        return 0;
}

/* Hands the init's seccomp listener fd and the state to the agent at linux.seccomp.listenerPath. */
static int pass_seccomp_fd(CreateContext *c, int fd, SysrunError *e) {
        _cleanup_free_ char *state = NULL;

        if (fd < 0 || !c->security.seccomp_config)
                return sysrun_error_set(e, -EPROTO, "the init sent no seccomp listener fd");
        state = state_to_json(c->state, CONTAINER_CREATING, false);
        if (!state)
                return sysrun_error_set(e, -ENOMEM, "out of memory");
        return seccomp_listener_send(c->security.seccomp_config, c->pid, state, fd, e);
}

static int wait_for_init(CreateContext *c, int sock, SysrunError *e) {
        for (;;) {
                _cleanup_close_ int fd = -EBADF;
                SyncMsg m;
                int r = create_wait_readable(c, sock, e);

                if (r < 0)
                        return r;
                r = sync_recv_fd(sock, &m, &fd);

                if (r == -EPIPE) {
                        int status = c->pid_is_child ? wait_exit_status(c->pid) : -1;
                        if (c->pid_is_child)
                                c->pidfd = safe_close(c->pidfd);
                        return sysrun_error_set(e, -ECHILD, "the container's init exited during setup (status %d)",
                                                status);
                }
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot talk to the container's init: %m");
                switch (m.type) {
                case SYNC_ERROR:
                        return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
                case SYNC_HOOKS:
                        /* Mounts done, pivot_root not yet: prestart and createRuntime run here, in
                         * our namespaces; the init runs createContainer next. */
                        c->hooks_started = true;
                        /* prestart sees "created", as crun sends and runtime-tools' hooks_stdin checks;
                         * the newer create-phase hooks see "creating", as the lifecycle defines it. */
                        r = hooks_run_state_until(c->config, HOOK_PRESTART, c->state, CONTAINER_CREATED,
                                                  c->abort_fd, e);
                        if (r >= 0)
                                r = hooks_run_state_until(c->config, HOOK_CREATE_RUNTIME, c->state,
                                                          CONTAINER_CREATING, c->abort_fd, e);
                        if (r < 0)
                                return create_check_interrupted(c, e) ?: r;
                        r = sync_send(sock, SYNC_HOOKS_DONE, 0, NULL);
                        if (r < 0)
                                return sysrun_error_set(e, r, "cannot talk to the container's init: %m");
                        break;
                case SYNC_SECCOMP_FD:
                        r = pass_seccomp_fd(c, fd, e);
                        if (r < 0)
                                return r;
                        break;
                case SYNC_PTY:
                        if (fd < 0 || c->pty_master >= 0)
                                return sysrun_error_set(e, -EPROTO, "unexpected pty from the init");
                        c->pty_master = TAKE_FD(fd);
                        break;
                case SYNC_READY:
                        return 0;
                default:
                        return sysrun_error_set(e, -EPROTO, "unexpected message %u from the init", m.type);
                }
        }
}


/* The init's ends of what it shares with sysrun: handed to it by the fork and closed here after. */
typedef struct InitFds {
        int sock;   /* the init's end of the sync socket (sysrun's is c->sync_fd) */
        int fifo;   /* exec.fifo, read end (create) */
        int out, err; /* run in a service: the write ends of the journal pipes */
} InitFds;

static void init_fds_done(InitFds *f) {
        f->sock = safe_close(f->sock);
        f->fifo = safe_close(f->fifo);
        f->out = safe_close(f->out);
        f->err = safe_close(f->err);
}

/* Phase 1: everything that can be refused is refused before anything is made; then the state
 * directory, so that from here on delete finds what a killed create left. */
static int create_prepare(CreateContext *c, bool exec_now, NamespacePlan *plan, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        int r;

        r = create_begin(c, e);
        if (r < 0)
                return r;
        r = terminal_check(c->config->process->terminal, !exec_now || o->detach, o->console_socket, e);
        if (r < 0)
                return r;
        c->listen_fds = listen_fds_inherited();
        r = namespaces_plan(c->config, plan, e);
        if (r >= 0)
                r = rootless_check(c->config, plan, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        /* Capability names, LSM availability and the seccomp filter: warnings and errors from here,
         * the init only applies the result. */
        r = process_security_prepare(c->config->process,
                                     c->config->linux_section ? c->config->linux_section->seccomp : NULL,
                                     &c->security, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        r = c->manager->check(c->config, o->manager_explicit, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        /* Here, in the host's user namespace: see mount-idmap.h. */
        r = mount_idmaps_prepare(c->config, c->bundle, plan->new_userns, plan->join_path[NAMESPACE_USER],
                                 3 + (int) (c->listen_fds + o->preserve_fds), &c->idmaps, e);
        if (r < 0)
                return r;
        /* resctrl is checked before anything is made; nothing at all happens without intelRdt. */
        if (c->config->linux_section && c->config->linux_section->intel_rdt.set) {
                r = rdt_prepare(&c->config->linux_section->intel_rdt, o->id, &c->rdt, e);
                if (r < 0)
                        return r;
        }

        c->rootfd = state_root_open(o->root, true, e);
        if (c->rootfd < 0)
                return c->rootfd;
        r = create_state_init(c, e);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot set up state: %m");
        c->state->own_pidns = (plan->new_flags & CLONE_NEWPID) != 0;
        c->state->no_machine = o->no_machine || c->state->rootless; /* machined is system-only */
        if (!plan->has[NAMESPACE_MOUNT]) { /* recorded in the first state, so that delete finds it */
                r = rootfs_hostns_prepare(c->rootfs, &c->state->host_rootfs_mount_id, e);
                if (r < 0)
                        return r;
        }
        if (exec_now && !o->detach) {
                /* A foreground run from a service (ExecStart=sysrun run …) lives and dies with it. */
                _cleanup_free_ char *cg = NULL;
                if (cgroup_pid_get_path(getpid(), &cg) >= 0)
                        c->state->bind_to_unit = unit_service_from_cgroup_path(cg);
        }
        r = create_state_dir_make(c, e);
        if (r < 0)
                return r;
        return create_notify_prepare(c, exec_now, e);
}

/* What the init gets besides its config: exec.fifo, the sync socket, the console socket, the
 * journal pipes and the bind sources, all above the fds that go on to the container. */
static int create_init_fds(CreateContext *c, bool exec_now, const NamespacePlan *plan, InitFds *f, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        int min_fd = 3 + (int) (c->listen_fds + o->preserve_fds), socks[2], r;

        if (!exec_now) {
                if (mkfifoat(c->dirfd, "exec.fifo", 0600) < 0)
                        return sysrun_error_set(e, -errno, "cannot create exec.fifo: %m");
                f->fifo = openat(c->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (f->fifo < 0)
                        return sysrun_error_set(e, -errno, "cannot open exec.fifo: %m");
                f->fifo = move_fd_above(f->fifo, min_fd);
                if (f->fifo < 0)
                        return sysrun_error_set(e, -EMFILE, "cannot move fds: %m");
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
                return sysrun_error_set(e, -errno, "socketpair: %m");
        c->sync_fd = socks[0];
        f->sock = move_fd_above(socks[1], min_fd);
        if (f->sock < 0)
                return sysrun_error_set(e, -EMFILE, "cannot move fds: %m");
        if (c->config->process->terminal && o->console_socket) {
                r = unix_connect(o->console_socket);
                if (r < 0)
                        return sysrun_error_set(e, r, "--console-socket: cannot connect to '%s': %m", o->console_socket);
                c->console_socket = move_fd_above(r, min_fd);
                if (c->console_socket < 0)
                        return sysrun_error_set(e, -EMFILE, "cannot move fds: %m");
        }
        if (exec_now && !o->detach && !c->config->process->terminal) {
                r = journal_pipe(STDOUT_FILENO, &c->out_pipe, &f->out);
                if (r >= 0)
                        r = journal_pipe(STDERR_FILENO, &c->err_pipe, &f->err);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot make a pipe for the container's output: %m");
        }
        /* In a user namespace the container's root may not reach a bind source that the host's
         * root can: sysrun opens them (mount_sources_send) into this table of the init's. Not when
         * rootless, as in runc: joining the init's mount namespace needs CAP_SYS_CHROOT here, and the
         * container's root is our own user anyway. */
        if (plan->in_userns && geteuid() == 0 && oci_config_has_bind_mounts(c->config)) {
                r = mount_sources_new(c->config, &c->mount_sources);
                if (r < 0)
                        return sysrun_error_set(e, r, "out of memory");
                c->mount_sources_pending = true;
        }
        return 0;
}

/* Phase 2: the init, forked into its namespaces; its pid on disk at once; its id maps, rlimits and
 * bind sources; then SYNC_GO, on which it makes its mounts. */
static int create_spawn(CreateContext *c, bool exec_now, const NamespacePlan *plan, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        _cleanup_(init_fds_done) InitFds f = { .sock = -EBADF, .fifo = -EBADF, .out = -EBADF, .err = -EBADF };
        InitContext ictx;
        int r;

        r = create_init_fds(c, exec_now, plan, &f, e);
        if (r < 0)
                return r;
        ictx = (InitContext){
                .config = c->config,
                .rootfs = c->rootfs,
                .bundle = c->bundle,
                .sync_fd = f.sock,
                .fifo_fd = f.fifo,
                .created_ns = plan->new_flags,
                .unshare_after_go = plan->new_flags & CLONE_NEWCGROUP,
                .preserve_fds = o->preserve_fds,
                .no_pivot = o->no_pivot,
                .host_mntns = !plan->has[NAMESPACE_MOUNT],
                .no_new_keyring = o->no_new_keyring,
                .in_userns = plan->in_userns,
                .new_netns = (plan->new_flags & CLONE_NEWNET) != 0,
                .in_cgroupns = plan->has[NAMESPACE_CGROUP],
                .device_cgroup = c->manager->device_cgroup,
                /* Also for createContainer alone: from there on a failure runs poststop. */
                .hooks_sync = hooks_any(c->config, HOOK_PRESTART) || hooks_any(c->config, HOOK_CREATE_RUNTIME) ||
                              hooks_any(c->config, HOOK_CREATE_CONTAINER),
                .state = c->state,
                .console_socket = c->console_socket,
                .pty_to_parent = c->config->process->terminal && !o->console_socket,
                .listen_fds = c->listen_fds,
                .security = &c->security,
                .idmap_fds = c->idmaps.fds,
                .n_idmap_fds = c->idmaps.n,
                .stdout_fd = f.out,
                .stderr_fd = f.err,
                .mount_sources = c->mount_sources.fds ? &c->mount_sources : NULL,
                .rootless = geteuid() != 0,
        };
        r = spawn_init(c, plan, &ictx, c->sync_fd, e);
        /* The init has its copies now. */
        mount_sources_done(&c->mount_sources);
        init_fds_done(&f);
        c->console_socket = safe_close(c->console_socket);
        mount_idmaps_done(&c->idmaps);
        if (r < 0)
                return r;

        r = proc_stat(c->pid, NULL, &c->state->pid_start_time);
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init exited during setup");
        c->pidfd = pidfd_open_checked(c->pid, c->state->pid_start_time);
        if (c->pidfd < 0)
                return sysrun_error_set(e, c->pidfd, "the container's init exited during setup");
        /* On disk at once: until the handoff the init dies with us (sync_die_with_parent()), and
         * should anything outlive a sysrun killed from here on, delete finds it by this pid. */
        c->state->pid = c->pid;
        c->notify.mainpid = c->pid;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;

        if (plan->new_userns) {
                r = idmap_write(c->pid, c->config->linux_section, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "config.json");
        }
        r = set_rlimits(c->pid, c->config->process, e);
        if (r >= 0)
                r = set_oom_score_adj(c->pid, c->config->process, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        if (c->mount_sources_pending) {
                r = mount_sources_send(c->config, c->bundle, c->pid, c->sync_fd, e);
                if (r < 0)
                        return r;
        }
        r = sync_send(c->sync_fd, SYNC_GO, c->pid, NULL); /* the hooks' state needs the host pid */
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init exited during setup");
        return 0;
}

/* Phase 3: the cgroup manager's point, while the init makes its mounts (systemd's scope job is the
 * longest part of a create). The init has neither forked nor exec'd; it waits for SYNC_CGROUP
 * before anything that needs the cgroup. */
/* The init's own error, when it failed (and said why) while the manager was busy: a dead init is
 * then also a failed cgroup move, but its reason is the one to report. */
static int init_failure(CreateContext *c, int r, SysrunError *e) {
        struct pollfd p = { .fd = c->sync_fd, .events = POLLIN };
        _cleanup_close_ int fd = -EBADF;
        SyncMsg m;

        if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN) || sync_recv_fd(c->sync_fd, &m, &fd) < 0 ||
            m.type != SYNC_ERROR)
                return r;
        sysrun_error_done(e);
        return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
}

static int create_enter_cgroup(CreateContext *c, SysrunError *e) {
        int r;

        c->cgroup_entered = true;
        r = c->manager->enter(c->config, c->state, c->pid, e);
        if (r < 0)
                return create_check_interrupted(c, e) ?: init_failure(c, r, e);
        if (c->rdt) {
                r = rdt_enter(c->rdt, c->state, c->dirfd, c->pid, e);
                if (r < 0)
                        return r;
        }
        /* An init that failed meanwhile has left its reason on the socket: wait_for_init() reads it. */
        (void) sync_send(c->sync_fd, SYNC_CGROUP, 0, NULL);
        return 0;
}

/* Phase 4: the init's requests (hooks, the seccomp listener, the pty) until it is ready, and what
 * the manager left in flight (machined's reply). */
static int create_setup_sync(CreateContext *c, SysrunError *e) {
        int r;

        r = wait_for_init(c, c->sync_fd, e);
        if (r < 0)
                return r;
        if (c->manager->complete) {
                r = c->manager->complete(c->state, e);
                if (r < 0)
                        return r;
        }
        return create_check_interrupted(c, e);
}

/* Phase 5: "created" on disk, the pid published, and the handoff: from SYNC_RELEASED on the init
 * no longer dies with us. run keeps the socket (c->sync_fd) to hear how the exec went. */
static int create_finish(CreateContext *c, bool exec_now, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        int r;

        rdt_commit(c->rdt, c->state);
        c->state->stored_status = CONTAINER_CREATED;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        r = process_publish(o->pid_file, o->pidfd_socket, c->pid, c->pidfd, "standard", e);
        if (r < 0)
                return r;
        r = sync_send(c->sync_fd, SYNC_CONTINUE, 0, NULL);
        if (r >= 0)
                r = sync_expect(c->sync_fd, SYNC_RELEASED, NULL, e);
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init exited during setup");
        if (!exec_now)
                c->sync_fd = safe_close(c->sync_fd);
        return 0;
}

/* The whole of create; with exec_now the init skips exec.fifo and execs once told to continue. */
static int create_internal(CreateContext *c, bool exec_now, SysrunError *e) {
        NamespacePlan plan;
        int r;

        r = create_prepare(c, exec_now, &plan, e);
        if (r >= 0)
                r = create_spawn(c, exec_now, &plan, e);
        if (r >= 0)
                r = create_enter_cgroup(c, e);
        if (r >= 0)
                r = create_setup_sync(c, e);
        if (r >= 0)
                r = create_finish(c, exec_now, e);
        return r;
}

int container_create(const ContainerCreateOptions *o, int *reterr_signal, SysrunError *e) {
        _cleanup_(create_context_done) CreateContext c = CREATE_CONTEXT_INIT(o);
        sigset_t old;
        int r;

        c.abort_fd = create_abort_signals_block(&old, e);
        if (c.abort_fd < 0)
                return c.abort_fd;
        r = create_internal(&c, /* exec_now= */ false, e);
        if (r < 0)
                create_context_abort(&c);
        /* A signal that came after the handoff acts now, as if it had come after we returned. */
        c.abort_fd = safe_close(c.abort_fd);
        (void) sigprocmask(SIG_SETMASK, &old, NULL);
        if (r < 0 && reterr_signal)
                *reterr_signal = c.interrupted_by;
        return r;
}

/* run, once the init was released: an error from it (a startContainer hook, execve) comes back
 * over the socket, a successful execve closes it. Then the poststart hooks. */
static int run_started(CreateContext *c, SysrunError *e) {
        SyncMsg m;
        int r;

        /* From here (startContainer, poststart) a failure stops and destroys, poststop included. */
        c->hooks_started = true;
        r = create_wait_readable(c, c->sync_fd, e);
        if (r < 0)
                return r;
        r = sync_recv(c->sync_fd, &m);
        c->sync_fd = safe_close(c->sync_fd);
        if (r < 0 && r != -EPIPE)
                return sysrun_error_set(e, r, "cannot talk to the container's init: %m");
        if (r >= 0 && m.type == SYNC_ERROR)
                return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
        if (r >= 0)
                return sysrun_error_set(e, -EPROTO, "unexpected message %u from the init", m.type);

        return hooks_run_state(c->config, HOOK_POSTSTART, c->state, CONTAINER_RUNNING, e);
}

int container_run(const ContainerCreateOptions *o, int *ret_status, int *reterr_signal, SysrunError *e) {
        _cleanup_(create_context_done) CreateContext c = CREATE_CONTEXT_INIT(o);
        _cleanup_close_ int sigfd = -EBADF;
        sigset_t old, before_abort;
        int r, status;

        if (!o->detach && !o->no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                return sysrun_error_set(e, -errno, "cannot become a subreaper: %m");

        /* Block signals before the init exists so none is lost; the init resets its mask. */
        if (!o->detach) {
                sigfd = forward_signals_block(&old, e);
                if (sigfd < 0)
                        return sigfd;
        }

        c.abort_fd = create_abort_signals_block(&before_abort, e);
        if (c.abort_fd < 0) {
                if (!o->detach)
                        (void) sigprocmask(SIG_SETMASK, &old, NULL);
                return c.abort_fd;
        }
        r = create_internal(&c, /* exec_now= */ true, e);
        if (r >= 0)
                r = run_started(&c, e);
        if (r < 0)
                create_context_abort(&c);
        /* From here on a SIGTERM is the container's (forwarded), or acts on us (detached). */
        c.abort_fd = safe_close(c.abort_fd);
        (void) sigprocmask(SIG_SETMASK, &before_abort, NULL);
        if (r < 0) {
                if (!o->detach)
                        (void) sigprocmask(SIG_SETMASK, &old, NULL);
                if (reterr_signal)
                        *reterr_signal = c.interrupted_by;
                return r;
        }
        if (o->detach) {
                /* As runc: run -d returns once the container said READY=1 (or died). */
                if (c.notify.fd >= 0) {
                        c.dirfd = safe_close(c.dirfd);
                        r = notify_relay_until_ready(&c.notify, c.pidfd, e);
                        if (r < 0)
                                return r;
                }
                *ret_status = 0;
                return 0;
        }

        /* The container is in the hands of other commands now (kill, delete, exec): drop its lock. */
        c.dirfd = safe_close(c.dirfd);
        /* Signals forwarded, the terminal proxied (without a console socket), the init reaped. */
        ForegroundIo io = { .pty_master = c.pty_master, .stdout_pipe = c.out_pipe, .stderr_pipe = c.err_pipe,
                            .relay = &c.notify };
        status = foreground_wait(c.pid, c.pidfd, sigfd, &io, e);
        (void) sigprocmask(SIG_SETMASK, &old, NULL);
        if (status < 0)
                return status;
        *ret_status = status;

        if (!o->keep) {
                SysrunError de = SYSRUN_ERROR_NULL;
                r = container_delete(o->root, o->id, true, &de);
                if (r < 0)
                        sysrun_log(LOG_WARNING, "cannot delete container '%s': %s", o->id, strempty(de.msg));
                sysrun_error_done(&de);
        }
        return 0;
}



