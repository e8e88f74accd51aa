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

#include "bus-util.h"
#include "cgroup.h"
#include "cgroupfs-sub.h"
#include "container.h"
#include "exec.h"
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
#include "signals.h"
#include "strv.h"
#include "terminal.h"
#include "unit-name.h"

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
        int sync_fd;        /* run: the init's socket until it execs */
        int console_socket; /* --console-socket, handed to the init */
        int pty_master;     /* process.terminal in the foreground: sysrun's end of the pty */
        unsigned listen_fds; /* socket activation: sysrun's fds 3… go on to the container */
        bool hooks_started; /* the hooks began: undoing the create runs poststop too */
        MountIdmaps idmaps; /* idmapped bind mounts, made here and handed to the init (mount-idmap.h) */
        NotifyRelay notify;  /* NOTIFY_SOCKET: the container's socket, relayed by run */
        int out_pipe, err_pipe; /* run in a service: the container's stdout/stderr, for its journal */
        MountSources mount_sources; /* with a user namespace: bind sources, until the init has them */
        int abort_fd;       /* signalfd of SIGTERM, SIGINT, SIGHUP: the caller gives up the setup */
        int interrupted_by; /* the signal that stopped the setup */
} CreateContext;

static void create_context_done(CreateContext *c) {
        oci_config_free(c->config);
        free(c->config_text);
        free(c->bundle);
        free(c->rootfs);
        safe_close(c->pidfd);
        safe_close(c->dirfd);
        safe_close(c->rootfd);
        container_state_free(c->state);
        process_security_done(&c->security);
        rdt_plan_free(c->rdt);
        safe_close(c->sync_fd);
        safe_close(c->console_socket);
        safe_close(c->pty_master);
        mount_idmaps_done(&c->idmaps);
        safe_close(c->notify.fd);
        safe_close(c->out_pipe);
        safe_close(c->err_pipe);
        mount_sources_done(&c->mount_sources);
        safe_close(c->abort_fd);
}

/* Undoes a failed create: the init and everything in its namespaces, the cgroup, the state dir. */
static void create_context_abort(CreateContext *c) {
        SysrunError ignored = SYSRUN_ERROR_NULL;

        if (c->pidfd >= 0) {
                (void) pidfd_send(c->pidfd, SIGKILL);
                if (c->pid_is_child)
                        (void) wait_exit_status(c->pid);
                else
                        (void) pidfd_wait(c->pidfd, 10000);
        }
        if (c->cgroup_entered && c->manager)
                (void) c->manager->destroy(c->state, &ignored);
        if (c->rdt && c->state)
                (void) rdt_destroy(c->state, &ignored);
        if (c->state)
                (void) rootfs_hostns_release(c->rootfs, c->state->host_rootfs_mount_id, &ignored);
        if (c->dir_made)
                (void) state_dir_remove(c->rootfd, c->opts->id);
        /* runtime-spec: a failed hook stops the container and goes on with destroy and poststop. */
        if (c->hooks_started && c->state)
                (void) hooks_run_state(c->config, HOOK_POSTSTOP, c->state, CONTAINER_STOPPED, NULL);
        sysrun_error_done(&ignored);
}

/* A caller that gives up (timeout, Ctrl-C, a closed terminal) sends one of these: until the
 * handoff they stop the setup, which is undone. They are blocked and read through abort_fd, so
 * that each wait of the setup sees them. SIG_BLOCK adds to what run's forwarding blocked. */
static int abort_signals_block(sigset_t *ret_old, SysrunError *e) {
        sigset_t mask;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        return signalfd_block(&mask, ret_old, e);
}

/* 0, or -EINTR when an abort signal came: it replaces whatever error its effects caused. */
static int check_interrupted(CreateContext *c, SysrunError *e) {
        struct signalfd_siginfo si;

        if (c->abort_fd < 0 || read(c->abort_fd, &si, sizeof(si)) != (ssize_t) sizeof(si))
                return 0;
        c->interrupted_by = (int) si.ssi_signo;
        sysrun_error_done(e);
        return sysrun_error_set(e, -EINTR, "container creation interrupted by %s",
                                signal_to_string(c->interrupted_by) ?: "a signal");
}

/* Waits until fd is readable (or hung up); -EINTR when an abort signal comes first. */
static int wait_readable(CreateContext *c, int fd, SysrunError *e) {
        struct pollfd p[2] = {
                { .fd = fd, .events = POLLIN },
                { .fd = c->abort_fd, .events = POLLIN },
        };

        for (;;) {
                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return sysrun_error_set(e, -errno, "poll: %m");
                }
                if (p[1].revents & POLLIN) {
                        int r = check_interrupted(c, e);
                        if (r < 0)
                                return r;
                }
                if (p[0].revents)
                        return 0;
        }
}

static int load_bundle(CreateContext *c, SysrunError *e) {
        _cleanup_free_ char *path = NULL, *root = NULL;
        struct stat st;
        int r;

        c->bundle = realpath(c->opts->bundle ?: ".", NULL);
        if (!c->bundle)
                return sysrun_error_set(e, -errno, "bundle '%s': %m", c->opts->bundle ?: ".");
        if (asprintf(&path, "%s/config.json", c->bundle) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 64 << 20, &c->config_text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "config.json: cannot read '%s': %m", path);
        r = oci_config_parse_string(c->config_text, &c->config, e);
        if (r >= 0)
                r = oci_config_check_sizes(c->config, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");

        if (!c->config->process)
                return sysrun_error_set(e, -EINVAL, "config.json: process: missing required field");
        if (isempty(c->config->root_path))
                return sysrun_error_set(e, -EINVAL, "config.json: root.path: missing required field");
        if (c->config->root_path[0] == '/')
                root = strdup(c->config->root_path);
        else if (asprintf(&root, "%s/%s", c->bundle, c->config->root_path) < 0)
                root = NULL;
        if (!root)
                return -ENOMEM;
        c->rootfs = realpath(root, NULL);
        if (!c->rootfs || stat(c->rootfs, &st) < 0)
                return sysrun_error_set(e, -errno, "config.json: root.path: '%s': %m", root);
        if (!S_ISDIR(st.st_mode))
                return sysrun_error_set(e, -ENOTDIR, "config.json: root.path: '%s' is not a directory", root);
        return 0;
}

/* With NOTIFY_SOCKET: the container's socket directory and its mount; run binds the socket now, start
 * does it for create (the process cannot talk before then). */
static int notify_prepare(CreateContext *c, bool bind_now, SysrunError *e) {
        _cleanup_free_ char *state_dir = NULL;
        char path[32];
        int r;

        c->notify.host = notify_socket_host();
        if (!c->notify.host)
                return 0;
        state_dir = realpath(fd_path(path, c->dirfd), NULL);
        if (!state_dir)
                return sysrun_error_set(e, -errno, "cannot find the state directory: %m");
        r = notify_setup_config(c->dirfd, state_dir, c->config, e);
        if (r < 0 || !bind_now)
                return r;
        c->notify.fd = notify_listen(c->dirfd, e);
        return c->notify.fd < 0 ? c->notify.fd : 0;
}

static int state_init(CreateContext *c, SysrunError *e) {
        ContainerState *s = calloc(1, sizeof(*s));

        if (!s)
                return -ENOMEM;
        c->state = s;
        s->id = strdup(c->opts->id);
        s->oci_version = strdup(c->config->oci_version ?: "1.2.0");
        s->bundle = strdup(c->bundle);
        s->rootfs = strdup(c->rootfs);
        s->created = rfc3339_now();
        s->owner_uid = geteuid();
        s->poststart_hooks = hooks_any(c->config, HOOK_POSTSTART);
        s->poststop_hooks = hooks_any(c->config, HOOK_POSTSTOP);
        s->annotations = strv_copy(c->config->annotations);
        s->cgroup_manager = strdup(c->manager->name);
        s->stored_status = CONTAINER_CREATING;
        s->creator_pid = getpid();
        if (!s->id || !s->oci_version || !s->bundle || !s->rootfs || !s->created ||
            (c->config->annotations && !s->annotations) || !s->cgroup_manager)
                return -ENOMEM;
        return proc_stat(s->creator_pid, NULL, &s->creator_start_time);
}

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
                init_die_with_parent(ictx->sync_fd);
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

        r = wait_readable(c, parent_sock, e);
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
                int r = wait_readable(c, sock, e);

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
                                return check_interrupted(c, e) ?: r;
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

/* What the manager is about to make, the state directory, the first state and the saved config.json:
 * at once, so that a sysrun killed from here on leaves a container that list shows (as stopped once
 * we are gone) and delete removes. */
static int state_dir_make(CreateContext *c, SysrunError *e) {
        int r;

        if (c->manager->intent) {
                r = c->manager->intent(c->config, c->state, e);
                if (r < 0)
                        return r;
        }
        c->dirfd = state_dir_create(c->rootfd, c->opts->id, e);
        if (c->dirfd < 0)
                return c->dirfd;
        c->dir_made = true;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        r = write_file_atomic_at(c->dirfd, "config.json", c->config_text, strlen(c->config_text), 0600);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot save config.json in the state directory: %m");
        return 0;
}

/* The whole of create; with exec_now the init skips exec.fifo and execs once told to continue. */
static int create_internal(CreateContext *c, bool exec_now, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        _cleanup_close_ int parent_sock = -EBADF, child_sock = -EBADF, fifo_fd = -EBADF, out_write = -EBADF,
                            err_write = -EBADF;
        NamespacePlan plan;
        InitContext ictx;
        int socks[2], r;

        r = container_id_validate(o->id, e);
        if (r < 0)
                return r;
        c->manager = cgroup_manager_get(o->manager);
        if (!c->manager)
                return sysrun_error_set(e, -EOPNOTSUPP, "cgroup manager '%s' is not available in this build",
                                        cgroup_manager_type_to_string(o->manager));
        r = load_bundle(c, e);
        if (r < 0)
                return r;
        r = terminal_check(c->config->process->terminal, !exec_now || o->detach, o->console_socket, e);
        if (r < 0)
                return r;
        c->listen_fds = listen_fds_inherited();
        r = namespaces_plan(c->config, &plan, e);
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
        r = mount_idmaps_prepare(c->config, c->bundle, plan.new_userns, plan.join_path[NAMESPACE_USER],
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
        r = state_init(c, e);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot set up state: %m");
        c->state->own_pidns = (plan.new_flags & CLONE_NEWPID) != 0;
        c->state->no_machine = o->no_machine;
        if (!plan.has[NAMESPACE_MOUNT]) { /* recorded in the first state, so that delete finds it */
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
        r = state_dir_make(c, e);
        if (r < 0)
                return r;
        r = notify_prepare(c, exec_now, e);
        if (r < 0)
                return r;

        if (!exec_now) {
                if (mkfifoat(c->dirfd, "exec.fifo", 0600) < 0)
                        return sysrun_error_set(e, -errno, "cannot create exec.fifo: %m");
                fifo_fd = openat(c->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (fifo_fd < 0)
                        return sysrun_error_set(e, -errno, "cannot open exec.fifo: %m");
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
                return sysrun_error_set(e, -errno, "socketpair: %m");
        parent_sock = socks[0];
        child_sock = move_fd_above(socks[1], 3 + (int) (c->listen_fds + o->preserve_fds));
        fifo_fd = move_fd_above(fifo_fd, 3 + (int) (c->listen_fds + o->preserve_fds));
        if (child_sock < 0 || (!exec_now && fifo_fd < 0))
                return sysrun_error_set(e, -EMFILE, "cannot move fds: %m");
        if (c->config->process->terminal && o->console_socket) {
                r = unix_connect(o->console_socket);
                if (r < 0)
                        return sysrun_error_set(e, r, "--console-socket: cannot connect to '%s': %m", o->console_socket);
                c->console_socket = move_fd_above(r, 3 + (int) (c->listen_fds + o->preserve_fds));
                if (c->console_socket < 0)
                        return sysrun_error_set(e, -EMFILE, "cannot move fds: %m");
        }

        if (exec_now && !o->detach && !c->config->process->terminal) {
                r = journal_pipe(STDOUT_FILENO, &c->out_pipe, &out_write);
                if (r >= 0)
                        r = journal_pipe(STDERR_FILENO, &c->err_pipe, &err_write);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot make a pipe for the container's output: %m");
        }
        /* In a user namespace the container's root may not reach a bind source that the host's
         * root can: sysrun opens them (mount_sources_send) into this table of the init's. Not when
         * rootless, as in runc: joining the init's mount namespace needs CAP_SYS_CHROOT here, and the
         * container's root is our own user anyway. */
        if (plan.in_userns && geteuid() == 0 && oci_config_has_bind_mounts(c->config)) {
                r = mount_sources_new(c->config, &c->mount_sources);
                if (r < 0)
                        return sysrun_error_set(e, r, "out of memory");
        }

        ictx = (InitContext){
                .config = c->config,
                .rootfs = c->rootfs,
                .bundle = c->bundle,
                .sync_fd = child_sock,
                .fifo_fd = fifo_fd,
                .created_ns = plan.new_flags,
                .unshare_after_go = plan.new_flags & CLONE_NEWCGROUP,
                .preserve_fds = o->preserve_fds,
                .no_pivot = o->no_pivot,
                .host_mntns = !plan.has[NAMESPACE_MOUNT],
                .no_new_keyring = o->no_new_keyring,
                .in_userns = plan.in_userns,
                .new_netns = (plan.new_flags & CLONE_NEWNET) != 0,
                .in_cgroupns = plan.has[NAMESPACE_CGROUP],
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
                .stdout_fd = out_write,
                .stderr_fd = err_write,
                .mount_sources = c->mount_sources.fds ? &c->mount_sources : NULL,
                .rootless = geteuid() != 0,
        };
        r = spawn_init(c, &plan, &ictx, parent_sock, e);
        mount_sources_done(&c->mount_sources); /* only the init's copy is used */
        child_sock = safe_close(child_sock);
        out_write = safe_close(out_write);
        err_write = safe_close(err_write);
        fifo_fd = safe_close(fifo_fd);
        c->console_socket = safe_close(c->console_socket);
        mount_idmaps_done(&c->idmaps); /* the init has them now */
        if (r < 0)
                return r;

        r = proc_stat(c->pid, NULL, &c->state->pid_start_time);
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init exited during setup");
        c->pidfd = pidfd_open_checked(c->pid, c->state->pid_start_time);
        if (c->pidfd < 0)
                return sysrun_error_set(e, c->pidfd, "the container's init exited during setup");
        /* On disk at once: until the handoff the init dies with us (init_die_with_parent()), and
         * should anything outlive a sysrun killed from here on, delete finds it by this pid. */
        c->state->pid = c->pid;
        c->notify.mainpid = c->pid;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;

        if (plan.new_userns) {
                r = idmap_write(c->pid, c->config->linux_section, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "config.json");
        }
        r = set_rlimits(c->pid, c->config->process, e);
        if (r >= 0)
                r = set_oom_score_adj(c->pid, c->config->process, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");

        /* The cgroup manager's point: the init is blocked and has neither forked nor exec'd. */
        c->cgroup_entered = true;
        r = c->manager->enter(c->config, c->state, c->pid, e);
        if (r < 0)
                return check_interrupted(c, e) ?: r;
        if (c->rdt) {
                r = rdt_enter(c->rdt, c->state, c->dirfd, c->pid, e);
                if (r < 0)
                        return r;
        }

        if (ictx.mount_sources) {
                r = mount_sources_send(c->config, c->bundle, c->pid, parent_sock, e);
                if (r < 0)
                        return r;
        }
        r = sync_send(parent_sock, SYNC_GO, c->pid, NULL); /* the hooks' state needs the host pid */
        if (r >= 0)
                r = wait_for_init(c, parent_sock, e);
        if (r < 0)
                return r;

        r = check_interrupted(c, e);
        if (r < 0)
                return r;
        rdt_commit(c->rdt, c->state);
        c->state->stored_status = CONTAINER_CREATED;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        r = process_publish(o->pid_file, o->pidfd_socket, c->pid, c->pidfd, "standard", e);
        if (r < 0)
                return r;
        r = sync_send(parent_sock, SYNC_CONTINUE, 0, NULL);
        if (r >= 0)
                r = sync_expect(parent_sock, SYNC_RELEASED, NULL, e);
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init exited during setup");
        if (exec_now)
                c->sync_fd = TAKE_FD(parent_sock);
        return 0;
}

#define CREATE_CONTEXT_INIT(o)                                                                             \
        ((CreateContext){ .opts = (o), .rootfd = -EBADF, .dirfd = -EBADF, .pidfd = -EBADF, .sync_fd = -EBADF, \
                          .console_socket = -EBADF, .pty_master = -EBADF, .abort_fd = -EBADF,                \
                          .notify.fd = -EBADF, .out_pipe = -EBADF, .err_pipe = -EBADF })

int container_create(const ContainerCreateOptions *o, int *reterr_signal, SysrunError *e) {
        _cleanup_(create_context_done) CreateContext c = CREATE_CONTEXT_INIT(o);
        sigset_t old;
        int r;

        c.abort_fd = abort_signals_block(&old, e);
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
        r = wait_readable(c, c->sync_fd, e);
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

        c.abort_fd = abort_signals_block(&before_abort, e);
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

static int container_register_machine(ContainerState *s, CgroupManagerType t, pid_t pid, SysrunError *e) {
        sd_bus *bus;
        int r;

        if (t != CGROUP_MANAGER_SYSTEMD || !machine_wanted(s->annotations, s->no_machine))
                return 0;
        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        r = machine_register(bus, s, pid);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot register the restored container with systemd-machined: %m");
        return 0;
}

/* restore: state, scope and machine as create makes them, around criu instead of an init. */
static int restore_internal(CreateContext *c, const ContainerRestoreRunner *runner, SysrunError *e) {
        const ContainerCreateOptions *o = c->opts;
        NamespacePlan plan;
        pid_t init;
        int r;

        r = container_id_validate(o->id, e);
        if (r < 0)
                return r;
        c->manager = cgroup_manager_get(o->manager);
        if (!c->manager)
                return sysrun_error_set(e, -EOPNOTSUPP, "cgroup manager '%s' is not available in this build",
                                        cgroup_manager_type_to_string(o->manager));
        r = load_bundle(c, e);
        if (r < 0)
                return r;
        r = namespaces_plan(c->config, &plan, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        r = c->manager->check(c->config, o->manager_explicit, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        c->rootfd = state_root_open(o->root, true, e);
        if (c->rootfd < 0)
                return c->rootfd;
        r = state_init(c, e);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot set up state: %m");
        c->state->own_pidns = (plan.new_flags & CLONE_NEWPID) != 0;
        /* Registered below with the restored init as its leader, not criu. */
        c->state->no_machine = true;
        r = state_dir_make(c, e);
        if (r < 0)
                return r;

        r = runner->spawn(runner->userdata, c->state, &c->pid, e);
        if (r < 0)
                return r;
        c->pid_is_child = true;
        r = proc_stat(c->pid, NULL, &c->state->pid_start_time);
        c->pidfd = r < 0 ? r : pidfd_open_checked(c->pid, c->state->pid_start_time);
        if (c->pidfd < 0)
                return sysrun_error_set(e, c->pidfd, "the criu runner exited at once: %m");
        c->cgroup_entered = true;
        r = c->manager->enter(c->config, c->state, c->pid, e);
        if (r < 0)
                return r;
        /* finish() reaps the runner: from here c->pid is the restored init. */
        c->pidfd = safe_close(c->pidfd);
        r = runner->finish(runner->userdata, c->state, &init, e);
        c->pid = 0;
        if (r < 0)
                return r;
        c->pid = init;
        c->pid_is_child = false;
        r = proc_stat(init, NULL, &c->state->pid_start_time);
        if (r >= 0)
                c->pidfd = pidfd_open_checked(init, c->state->pid_start_time);
        if (r < 0 || c->pidfd < 0)
                return sysrun_error_set(e, r < 0 ? r : c->pidfd, "the restored init (pid %d) is gone", (int) init);
        c->state->pid = init;
        c->state->stored_status = CONTAINER_CREATED; /* without exec.fifo: running */
        c->state->no_machine = o->no_machine;
        r = container_register_machine(c->state, o->manager, init, e);
        if (r < 0)
                return r;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        return process_publish(o->pid_file, o->pidfd_socket, init, c->pidfd, "standard", e);
}

int container_create_restored(const ContainerCreateOptions *o, const ContainerRestoreRunner *runner,
                              pid_t *ret_pid, SysrunError *e) {
        _cleanup_(create_context_done) CreateContext c = { .opts = o, .rootfd = -EBADF, .dirfd = -EBADF,
                                                           .pidfd = -EBADF, .sync_fd = -EBADF,
                                                           .console_socket = -EBADF, .pty_master = -EBADF,
                                                           .notify.fd = -EBADF, .out_pipe = -EBADF,
                                                           .err_pipe = -EBADF };
        int r;

        r = restore_internal(&c, runner, e);
        if (r < 0) {
                create_context_abort(&c);
                return r;
        }
        *ret_pid = c.pid;
        return 0;
}
