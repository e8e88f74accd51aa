/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "container.h"
#include "errno-string.h"
#include "exec.h"
#include "fd-util.h"
#include "executable.h"
#include "listen-fds.h"
#include "sync.h"
#include "log.h"
#include "proc.h"
#include "process-setup.h"
#include "rdt.h"
#include "strv.h"
#include "terminal.h"

typedef struct ExecContext {
        const ExecOptions *opts;
        ContainerState *state;
        ContainerStatus status;
        OciConfig *config;    /* the copy in the state dir */
        OciProcess *process;  /* what runs */
        ProcessSecurity security;
        bool security_prepared;
        const CgroupManager *manager;
        int init_pidfd;
        int rootfd;           /* the init's root */
        int cgroup_fd;        /* for CLONE_INTO_CGROUP, when the manager has no attach() */
        int console_socket;
        int ns_flags;         /* CLONE_NEW* of the init's namespaces that differ from ours */
        bool in_userns;
        pid_t pid;            /* the process (host pid) */
        int pidfd;
        int pty_master;
} ExecContext;

static void exec_context_done(ExecContext *c) {
        container_state_free(c->state);
        oci_config_free(c->config);
        oci_process_free(c->process);
        if (c->security_prepared)
                process_security_done(&c->security);
        safe_close(c->init_pidfd);
        safe_close(c->rootfd);
        safe_close(c->cgroup_fd);
        safe_close(c->console_socket);
        safe_close(c->pidfd);
        safe_close(c->pty_master);
}

int parse_user_spec(const char *s, uint32_t *ret_uid, bool *ret_gid_set, uint32_t *ret_gid) {
        const char *colon = strchr(s, ':');
        unsigned long uid, gid = 0;
        char *end;

        errno = 0;
        uid = strtoul(s, &end, 10);
        if (errno || end == s || end != (colon ?: s + strlen(s)) || s[0] == '-' || uid > UINT32_MAX - 1)
                return -EINVAL;
        if (colon) {
                errno = 0;
                gid = strtoul(colon + 1, &end, 10);
                if (errno || end == colon + 1 || *end || colon[1] == '-' || gid > UINT32_MAX - 1)
                        return -ERANGE;
        }
        *ret_uid = (uint32_t) uid;
        *ret_gid_set = colon != NULL;
        *ret_gid = (uint32_t) gid;
        return 0;
}

/* runc's getProcess(): the config's process with the command line's changes, or -p's file. */
static int exec_build_process(ExecContext *c, SysrunError *e) {
        const ExecOptions *o = c->opts;
        OciProcess *p;
        int r;

        if (o->process_path) {
                _cleanup_free_ char *text = NULL;

                r = read_full_file_at(AT_FDCWD, o->process_path, 16 << 20, &text, NULL);
                if (r < 0)
                        return sysrun_error_set(e, r, "--process: cannot read '%s': %m", o->process_path);
                r = oci_process_parse_string(text, &c->process, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "%s", o->process_path);
                return 0;
        }

        if (!c->config->process)
                return sysrun_error_set(e, -EINVAL, "the container's config.json has no process");
        if (strv_length(o->args) == 0)
                return sysrun_error_set(e, -EINVAL, "exec args cannot be empty");
        p = c->process = TAKE_PTR(c->config->process);

        strv_free(p->args);
        p->args = strv_copy(o->args);
        if (!p->args)
                return -ENOMEM;
        if (o->cwd) {
                if (o->cwd[0] != '/')
                        return sysrun_error_set(e, -EINVAL, "--cwd: '%s' is not an absolute path", o->cwd);
                free(p->cwd);
                p->cwd = strdup(o->cwd);
                if (!p->cwd)
                        return -ENOMEM;
        }
        if (o->apparmor) {
                free(p->apparmor_profile);
                p->apparmor_profile = strdup(o->apparmor);
                if (!p->apparmor_profile)
                        return -ENOMEM;
        }
        if (o->process_label) {
                free(p->selinux_label);
                p->selinux_label = strdup(o->process_label);
                if (!p->selinux_label)
                        return -ENOMEM;
        }
        if (o->caps) {
                if (!p->capabilities) {
                        p->capabilities = calloc(1, sizeof(OciCapabilities));
                        if (!p->capabilities)
                                return -ENOMEM;
                }
                STRV_FOREACH(cap, o->caps) {
                        OciCapabilities *k = p->capabilities;
                        if (strv_extend(&k->bounding, *cap) < 0 || strv_extend(&k->effective, *cap) < 0 ||
                            strv_extend(&k->permitted, *cap) < 0)
                                return -ENOMEM;
                        /* Ambient needs inheritable, which --cap does not add (as runc). */
                        if (k->inheritable && strv_extend(&k->ambient, *cap) < 0)
                                return -ENOMEM;
                }
        }
        STRV_FOREACH(v, o->env)
                if (strv_extend(&p->env, *v) < 0)
                        return -ENOMEM;
        p->terminal = o->tty;
        if (o->no_new_privs)
                p->no_new_privileges = true;
        if (o->user_set)
                p->user.uid = o->uid;
        if (o->gid_set)
                p->user.gid = o->gid;
        if (o->n_additional_gids > 0) {
                uint32_t *g = reallocarray(
                                p->user.additional_gids, p->user.n_additional_gids + o->n_additional_gids,
                                sizeof(uint32_t));
                if (!g)
                        return -ENOMEM;
                memcpy(g + p->user.n_additional_gids, o->additional_gids,
                       o->n_additional_gids * sizeof(uint32_t));
                p->user.additional_gids = g;
                p->user.n_additional_gids += o->n_additional_gids;
        }
        return 0;
}

/* The namespaces of the init that we are not in already; they are what the config listed. */
static int exec_namespaces(ExecContext *c, SysrunError *e) {
        const OciLinux *l = c->config->linux_section;

        for (size_t i = 0; l && i < l->n_namespaces; i++) {
                NamespaceType t = l->namespaces[i].type;
                char theirs[64], ours[64];
                struct stat a, b;

                snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int) c->state->pid,
                         namespace_type_to_proc_name(t));
                snprintf(ours, sizeof(ours), "/proc/self/ns/%s", namespace_type_to_proc_name(t));
                if (stat(theirs, &a) < 0)
                        return sysrun_error_set(e, -errno, "cannot look at the container's %s namespace: %m",
                                                namespace_type_to_string(t));
                if (stat(ours, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
                        continue;
                c->ns_flags |= namespace_type_to_clone_flag(t);
                if (t == NAMESPACE_USER)
                        c->in_userns = true;
        }
        return 0;
}

/* Where the host's cgroup2 hierarchy is: /sys/fs/cgroup, or /sys/fs/cgroup/unified (hybrid). */
static int open_cgroup_dir(const char *rel) {
        static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

        for (size_t i = 0; i < ELEMENTSOF(roots); i++) {
                _cleanup_close_ int rootfd = -EBADF;
                struct statfs sfs;

                rootfd = open(roots[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (rootfd < 0 || fstatfs(rootfd, &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
                        continue;
                while (*rel == '/')
                        rel++;
                int fd = openat(rootfd, *rel ? rel : ".", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                return fd < 0 ? -errno : fd;
        }
        return -ENOENT;
}

static int exec_prepare(ExecContext *c, SysrunError *e) {
        const ExecOptions *o = c->opts;
        _cleanup_close_ int dirfd = -EBADF;
        _cleanup_free_ char *text = NULL, *root_path = NULL;
        int r;

        /* Checked before we open anything that could land on one of those numbers. */
        for (unsigned i = 0; i < o->preserve_fds; i++)
                if (fcntl(3 + (int) i, F_GETFD) < 0)
                        return sysrun_error_set(e, -EBADF, "unable to stat preserved-fd %u (of %u): %m", i,
                                                o->preserve_fds);

        r = container_open(o->root, o->id, /* lock= */ false, &dirfd, &c->state, &c->status, e);
        if (r < 0)
                return r;
        switch (c->status) {
        case CONTAINER_STOPPED:
                return sysrun_error_set(e, -ESRCH, "cannot exec in a stopped container");
        case CONTAINER_PAUSED:
                if (!o->ignore_paused)
                        return sysrun_error_set(
                                        e, -EBUSY,
                                        "cannot exec in a paused container (use --ignore-paused to override)");
                break;
        case CONTAINER_CREATING:
                return sysrun_error_set(e, -EBUSY, "cannot exec in a container that is being created");
        default:
                break;
        }

        r = read_full_file_at(dirfd, "config.json", 64 << 20, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the container's config.json: %m");
        r = oci_config_parse_string(text, &c->config, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");
        r = exec_build_process(c, e);
        if (r < 0)
                return r;
        r = terminal_check(c->process->terminal, o->detach, o->console_socket, e);
        if (r < 0)
                return r;
        r = process_security_prepare(
                        c->process, c->config->linux_section ? c->config->linux_section->seccomp : NULL,
                        &c->security, e);
        if (r < 0)
                return r;
        c->security_prepared = true;

        /* Pins the init: from here on its pid cannot be reused under us. */
        c->init_pidfd = pidfd_open_checked(c->state->pid, c->state->pid_start_time);
        if (c->init_pidfd < 0)
                return sysrun_error_set(e, -ESRCH, "cannot exec in a stopped container");
        r = exec_namespaces(c, e);
        if (r < 0)
                return r;
        if (asprintf(&root_path, "/proc/%d/root", (int) c->state->pid) < 0)
                return -ENOMEM;
        c->rootfd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (c->rootfd < 0)
                return sysrun_error_set(e, -errno, "cannot open the container's root: %m");
        if (proc_is_alive(c->state->pid, c->state->pid_start_time) <= 0)
                return sysrun_error_set(e, -ESRCH, "cannot exec in a stopped container");

        c->manager = cgroup_manager_for_state(c->state);
        if (c->manager->clone_into_cgroup && !isempty(c->state->cgroup_path)) {
                c->cgroup_fd = open_cgroup_dir(c->state->cgroup_path);
                if (c->cgroup_fd < 0)
                        return sysrun_error_set(
                                        e, c->cgroup_fd, "cannot open the container's cgroup '%s': %m",
                                        c->state->cgroup_path);
        }
        if (c->process->terminal && o->console_socket) {
                c->console_socket = unix_connect(o->console_socket);
                if (c->console_socket < 0)
                        return sysrun_error_set(
                                        e, c->console_socket, "--console-socket: cannot connect to '%s': %m",
                                        o->console_socket);
        }
        return 0;
}

static int send_notify_fd(int notify_fd, void *userdata) {
        return sync_send_fd(*(const int *) userdata, SYNC_SECCOMP_FD, 0, notify_fd);
}

/* The process, in every namespace of the container: everything up to execve that can fail. */
static int exec_child_setup(ExecContext *c, int sock, char **ret_exe, SysrunError *e) {
        const OciProcess *p = c->process;
        unsigned keep = c->opts->preserve_fds;
        char cwd[PATH_MAX];
        int r;

        /* The init's root, not the mount namespace's: they differ after MS_MOVE+chroot (--no-pivot). */
        if (fchdir(c->rootfd) < 0 || chroot(".") < 0)
                return sysrun_error_set(e, -errno, "cannot enter the container's root: %m");
        c->rootfd = safe_close(c->rootfd);
        if (setsid() < 0)
                return sysrun_error_set(e, -errno, "setsid: %m");
        if (p->terminal) {
                TerminalSetup ts = {
                        .process = p,
                        .console_socket = c->console_socket,
                        .sync_fd = sock,
                        .console_target = -EBADF,
                };
                r = terminal_setup(&ts, e);
                if (r < 0)
                        return r;
                c->console_socket = safe_close(c->console_socket);
        }

        if (chdir(p->cwd) < 0)
                return sysrun_error_set(e, -errno, "process.cwd: cannot enter '%s': %m", p->cwd);
        /* A cwd reached through a leaked fd would lie outside the root (CVE-2024-21626). */
        if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
                return sysrun_error_set(e, -EPERM, "process.cwd: '%s' is outside the container", p->cwd);
        r = find_executable(p->args[0], p->env, ret_exe, e);
        if (r < 0)
                return r;

        for (unsigned i = 0; i < keep; i++) {
                int flags = fcntl(3 + (int) i, F_GETFD);
                if (flags >= 0)
                        (void) fcntl(3 + (int) i, F_SETFD, flags & ~FD_CLOEXEC);
        }
        if (syscall(SYS_close_range, 3 + keep, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "close_range: %m");

        return process_setup_security(p, &c->security, c->in_userns, send_notify_fd, &sock, e);
}

_noreturn_ static void exec_child(ExecContext *c, int sock) {
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *exe = NULL;
        const OciProcess *p = c->process;
        int r;

        /* The socket is shared with the joiner: nothing from us before sysrun has our pid. */
        if (sync_expect(sock, SYNC_GO, NULL, NULL) < 0)
                _exit(1);
        /* runc's --debug milestones, in its words (its exec.bats looks for them) */
        sysrun_log(LOG_DEBUG, "nsexec container setup: pid %d joined the container's namespaces", (int) getpid());
        sysrun_log(LOG_DEBUG, "child process in init()");
        r = exec_child_setup(c, sock, &exe, &e);
        if (r < 0) {
                (void) sync_send(sock, SYNC_ERROR, r, e.msg ?: ERRNO_STRING(r));
                _exit(1);
        }
        if (sync_send(sock, SYNC_READY, 0, NULL) < 0 || sync_expect(sock, SYNC_CONTINUE, NULL, NULL) < 0)
                _exit(1);

        umask(p->user.umask.set ? (mode_t) p->user.umask.value : 0022);
        sysrun_log(LOG_DEBUG, "setns_init: about to exec");
        execve(exe, p->args, p->env ?: (char *[]){ NULL });
        r = -errno;
        sysrun_error_set(&e, r, "exec %s: %m", exe); /* runc's words, as in init_main() */
        (void) sync_send(sock, SYNC_ERROR, r, e.msg);
        _exit(127);
}

static int join_namespaces(ExecContext *c, SysrunError *e) {
        static const NamespaceType order[] = {
                NAMESPACE_USER, NAMESPACE_IPC,    NAMESPACE_UTS,  NAMESPACE_NETWORK,
                NAMESPACE_PID,  NAMESPACE_CGROUP, NAMESPACE_TIME, NAMESPACE_MOUNT,
        };
        int fds[ELEMENTSOF(order)];
        int r = 0;

        if (c->ns_flags == 0)
                return 0;
        /* One call, atomically, on the init's pidfd (Linux ≥ 5.8). */
        if (setns(c->init_pidfd, c->ns_flags) == 0)
                return 0;
        if (errno != EINVAL)
                return sysrun_error_set(e, -errno, "cannot join the container's namespaces: %m");

        /* Older kernels: one /proc/PID/ns file each, all opened before the mount namespace changes. */
        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                char path[64];

                fds[i] = -EBADF;
                if (!(c->ns_flags & namespace_type_to_clone_flag(order[i])))
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int) c->state->pid,
                         namespace_type_to_proc_name(order[i]));
                fds[i] = open(path, O_RDONLY | O_CLOEXEC);
                if (fds[i] < 0 && r == 0)
                        r = sysrun_error_set(e, -errno, "cannot open %s: %m", path);
        }
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(order); i++)
                if (fds[i] >= 0 && setns(fds[i], namespace_type_to_clone_flag(order[i])) < 0)
                        r = sysrun_error_set(e, -errno, "cannot join the container's %s namespace: %m",
                                             namespace_type_to_string(order[i]));
        for (size_t i = 0; i < ELEMENTSOF(order); i++)
                safe_close(fds[i]);
        return r;
}

/* The intermediate child: host-side setup, the namespaces, then the fork into the pid namespace. */
_noreturn_ static void exec_joiner(ExecContext *c, int sock) {
        SysrunError e = SYSRUN_ERROR_NULL;
        const OciProcess *p = c->process;
        sigset_t none;
        pid_t pid;
        int r;

        /* A sysrun inside the container's namespaces: no /proc/<pid>/exe for it (CVE-2019-5736). */
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        for (int s = 1; s < _NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        (void) signal(s, SIG_DFL);
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);

        r = sync_expect(sock, SYNC_GO, NULL, &e);
        if (r < 0)
                _exit(1);
        /* Before the user namespace: from inside it hard limits could not be raised. */
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };
                if (setrlimit(p->rlimits[i].resource, &rl) < 0) {
                        r = sysrun_error_set(&e, -errno, "process.rlimits[%zu]: cannot set %s: %m", i,
                                             p->rlimits[i].type);
                        goto fail;
                }
        }
        if (p->oom_score_adj.set) {
                char value[32];
                snprintf(value, sizeof(value), "%lld", (long long) p->oom_score_adj.value);
                r = write_string_file_at(AT_FDCWD, "/proc/self/oom_score_adj", value);
                if (r < 0) {
                        sysrun_error_set(&e, r, "process.oomScoreAdj: cannot set %s: %m", value);
                        goto fail;
                }
        }
        r = join_namespaces(c, &e);
        if (r < 0)
                goto fail;

        pid = fork();
        if (pid < 0) {
                r = sysrun_error_set(&e, -errno, "fork: %m");
                goto fail;
        }
        if (pid == 0)
                exec_child(c, sock);
        (void) sync_send(sock, SYNC_PID, pid, NULL);
        _exit(0);

fail:
        (void) sync_send(sock, SYNC_ERROR, r, e.msg ?: ERRNO_STRING(r));
        _exit(1);
}

static pid_t fork_joiner(ExecContext *c) {
        struct clone_args args = {
                .flags = CLONE_INTO_CGROUP,
                .exit_signal = SIGCHLD,
                .cgroup = (uint64_t) c->cgroup_fd,
        };
        long pid;

        if (c->cgroup_fd < 0)
                return fork();
        pid = syscall(SYS_clone3, &args, sizeof(args));
        return (pid_t) pid;
}

/* Messages from the process until it is ready: the pty master, the seccomp listener, errors. */
static int exec_wait_ready(ExecContext *c, int sock, SysrunError *e) {
        for (;;) {
                _cleanup_close_ int fd = -EBADF;
                SyncMsg m;
                int r;

                r = sync_recv_fd(sock, &m, &fd);
                if (r == -EPIPE)
                        return sysrun_error_set(e, -ECHILD, "the process exited during setup");
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot talk to the process: %m");
                switch (m.type) {
                case SYNC_ERROR:
                        return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
                case SYNC_PTY:
                        if (fd < 0 || c->pty_master >= 0)
                                return sysrun_error_set(e, -EPROTO, "unexpected pty from the process");
                        c->pty_master = TAKE_FD(fd);
                        break;
                case SYNC_SECCOMP_FD: {
                        _cleanup_free_ char *state = NULL;

                        if (fd < 0 || !c->security.seccomp_config)
                                return sysrun_error_set(e, -EPROTO, "the process sent no seccomp listener fd");
                        state = state_to_json(c->state, c->status, false);
                        if (!state)
                                return -ENOMEM;
                        r = seccomp_listener_send(c->security.seccomp_config, c->pid, state, fd, e);
                        if (r < 0)
                                return r;
                        break;
                }
                case SYNC_READY:
                        return 0;
                default:
                        return sysrun_error_set(e, -EPROTO, "unexpected message %u from the process", m.type);
                }
        }
}

static int exec_spawn(ExecContext *c, SysrunError *e) {
        const ExecOptions *o = c->opts;
        _cleanup_close_ int parent_sock = -EBADF, child_sock = -EBADF;
        pid_t joiner;
        int socks[2], r, status;
        SyncMsg m;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
                return sysrun_error_set(e, -errno, "socketpair: %m");
        parent_sock = socks[0];
        child_sock = socks[1];

        joiner = fork_joiner(c);
        if (joiner < 0)
                return sysrun_error_set(e, -errno, "cannot start the process%s: %m",
                                        c->cgroup_fd >= 0 ? " in the container's cgroup" : "");
        if (joiner == 0) {
                parent_sock = safe_close(parent_sock);
                exec_joiner(c, child_sock);
        }
        child_sock = safe_close(child_sock);
        c->console_socket = safe_close(c->console_socket);

        /* The joiner has not forked yet: what attach() does is inherited by the process. */
        r = c->manager->attach ? c->manager->attach(c->state, joiner, e) : 0;
        if (r >= 0)
                r = rdt_join(c->state, joiner, e);
        if (r >= 0) {
                r = sync_send(parent_sock, SYNC_GO, 0, NULL);
                if (r >= 0)
                        r = sync_expect(parent_sock, SYNC_PID, &c->pid, e);
        }
        status = wait_exit_status(joiner);
        if (r == -EPIPE)
                return sysrun_error_set(e, r, "cannot join the container (status %d)", status);
        if (r < 0)
                return r;

        c->pidfd = (int) syscall(SYS_pidfd_open, c->pid, 0);
        if (c->pidfd < 0)
                return sysrun_error_set(e, -errno, "the process exited during setup: %m");
        r = sync_send(parent_sock, SYNC_GO, 0, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "the process exited during setup: %m");
        r = exec_wait_ready(c, parent_sock, e);
        if (r < 0)
                return r;

        r = process_publish(o->pid_file, o->pidfd_socket, c->pid, c->pidfd, "setns", e);
        if (r < 0)
                return r;
        r = sync_send(parent_sock, SYNC_CONTINUE, 0, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "the process exited during setup");
        /* execve closes the socket (O_CLOEXEC); an error arrives instead when it failed. */
        r = sync_recv(parent_sock, &m);
        if (r == -EPIPE)
                return 0;
        if (r < 0)
                return sysrun_error_set(e, r, "cannot talk to the process: %m");
        if (m.type == SYNC_ERROR)
                return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
        return sysrun_error_set(e, -EPROTO, "unexpected message %u from the process", m.type);
}

int container_exec(const ExecOptions *o, int *ret_status, SysrunError *e) {
        _cleanup_(exec_context_done) ExecContext c = {
                .opts = o,
                .init_pidfd = -EBADF,
                .rootfd = -EBADF,
                .cgroup_fd = -EBADF,
                .console_socket = -EBADF,
                .pidfd = -EBADF,
                .pty_master = -EBADF,
        };
        _cleanup_close_ int sigfd = -EBADF;
        sigset_t old;
        int r;

        r = exec_prepare(&c, e);
        if (r < 0)
                return r;

        if (!o->detach) {
                /* The process is reparented to us when the joiner exits: we reap it. */
                if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                        return sysrun_error_set(e, -errno, "cannot become a subreaper: %m");
                sigfd = forward_signals_block(&old, e);
                if (sigfd < 0)
                        return sigfd;
        }

        r = exec_spawn(&c, e);
        if (r < 0) {
                if (c.pidfd >= 0) {
                        (void) pidfd_send(c.pidfd, SIGKILL);
                        if (!o->detach)
                                (void) wait_exit_status(c.pid);
                }
                goto out;
        }
        if (o->detach) {
                *ret_status = 0;
                return 0;
        }

        ForegroundIo io = { .pty_master = c.pty_master, .stdout_pipe = -EBADF, .stderr_pipe = -EBADF };
        r = foreground_wait(c.pid, c.pidfd, sigfd, &io, e);
        if (r >= 0) {
                *ret_status = r;
                r = 0;
        }
out:
        if (!o->detach)
                (void) sigprocmask(SIG_SETMASK, &old, NULL);
        return r;
}
