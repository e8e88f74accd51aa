/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "container.h"
#include "errno-string.h"
#include "fd-util.h"
#include "hooks.h"
#include "log.h"
#include "notify.h"
#include "proc.h"
#include "rdt.h"
#include "rootfs-hostns.h"
#include "strv.h"

ContainerStatus container_status(int dirfd, const ContainerState *s) {
        const CgroupManager *m;

        if (s->stored_status == CONTAINER_CREATING) {
                /* Still being made, unless the sysrun that was making it is gone. */
                if (proc_is_alive(s->creator_pid, s->creator_start_time) > 0)
                        return CONTAINER_CREATING;
                return CONTAINER_STOPPED;
        }
        if (proc_is_alive(s->pid, s->pid_start_time) <= 0)
                return CONTAINER_STOPPED;
        m = cgroup_manager_for_state(s);
        if (m && m->is_frozen((ContainerState *) s) > 0)
                return CONTAINER_PAUSED;
        if (state_has_exec_fifo(dirfd))
                return CONTAINER_CREATED;
        return CONTAINER_RUNNING;
}

int container_open(const char *root, const char *id, bool lock, int *ret_dirfd, ContainerState **ret,
                   ContainerStatus *ret_status, SysrunError *e) {
        _cleanup_close_ int rootfd = -EBADF, dirfd = -EBADF;
        _cleanup_container_state_ ContainerState *s = NULL;
        int r;

        r = container_id_validate(id, e);
        if (r < 0)
                return r;
        rootfd = state_root_open(root, false, NULL);
        if (rootfd < 0)
                return sysrun_error_set(e, -ENOENT, "container does not exist");
        dirfd = state_dir_open(rootfd, id, lock, e);
        if (dirfd < 0)
                return dirfd;
        r = state_load(dirfd, &s, e);
        if (r < 0)
                return r;
        if (ret_status)
                *ret_status = container_status(dirfd, s);
        if (ret_dirfd)
                *ret_dirfd = TAKE_FD(dirfd);
        *ret = TAKE_PTR(s);
        return 0;
}

int container_load(const char *root, const char *id, ContainerState **ret, ContainerStatus *ret_status,
                   SysrunError *e) {
        return container_open(root, id, false, NULL, ret, ret_status, e);
}

/* The copy of config.json in the state dir, for the hooks; NULL (with a warning) when unreadable. */
static OciConfig *saved_config(int dirfd, const char *id) {
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *text = NULL;
        OciConfig *c = NULL;
        int r;

        r = read_full_file_at(dirfd, "config.json", 64 << 20, &text, NULL);
        if (r >= 0)
                r = oci_config_parse_string(text, &c, &e);
        if (r < 0)
                sysrun_log(LOG_WARNING, "container '%s': cannot read its config.json, no hooks run: %s", id,
                           e.msg ?: ERRNO_STRING(r));
        sysrun_error_done(&e);
        return c;
}

static int destroy(int rootfd, int dirfd, ContainerState *s, SysrunError *e);

/* The init holds exec.fifo's read end O_CLOEXEC: once no reader is left (POLLERR on our end) it
 * has exec'd the process (or died), and poststart may run. */
static void wait_for_exec(int fifo, const ContainerState *s) {
        _cleanup_close_ int pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        struct pollfd p[2] = {
                { .fd = fifo, .events = 0 },
                { .fd = pidfd, .events = POLLIN },
        };

        while (poll(p, pidfd >= 0 ? 2 : 1, -1) < 0 && errno == EINTR)
                ;
}

int container_start(const char *root, const char *id, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_(oci_config_freep) OciConfig *config = NULL;
        _cleanup_close_ int dirfd = -EBADF, fifo = -EBADF;
        _cleanup_(notify_relay_done) NotifyRelay relay = { .fd = -EBADF, .host = notify_socket_host() };
        ContainerStatus status;
        int r;

        r = container_open(root, id, true, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        switch (status) {
        case CONTAINER_CREATED:
                break;
        case CONTAINER_STOPPED:
                return sysrun_error_set(e, -EINVAL, "cannot start a container that has stopped");
        case CONTAINER_RUNNING:
                return sysrun_error_set(e, -EINVAL, "cannot start an already running container");
        default:
                return sysrun_error_set(e, -EINVAL, "cannot start a container in the %s state",
                                        container_status_to_string(status));
        }

        /* Bound before the process runs, so that not even its first message is lost. */
        if (relay.host && notify_configured(dirfd)) {
                relay.fd = notify_listen(dirfd, e);
                if (relay.fd < 0)
                        return relay.fd;
                relay.mainpid = s->pid;
        }

        /* The init holds the read end; no reader means it died since we looked. */
        fifo = openat(dirfd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fifo < 0) {
                if (errno == ENXIO)
                        return sysrun_error_set(e, -ESRCH, "cannot start a container that has stopped");
                return sysrun_error_set(e, -errno, "cannot open exec.fifo: %m");
        }
        if (write(fifo, "0", 1) != 1)
                return sysrun_error_set(e, -errno, "cannot start the container: %m");
        if (unlinkat(dirfd, "exec.fifo", 0) < 0)
                return sysrun_error_set(e, -errno, "cannot remove exec.fifo: %m");

        if (s->poststart_hooks)
                config = saved_config(dirfd, id);
        if (hooks_any(config, HOOK_POSTSTART))
                wait_for_exec(fifo, s);
        r = hooks_run_state(config, HOOK_POSTSTART, s, CONTAINER_RUNNING, e);
        if (r < 0) {
                /* runtime-spec 1.3: a failed poststart hook stops the container and destroys it. */
                SysrunError de = SYSRUN_ERROR_NULL;
                _cleanup_close_ int rootfd = state_root_open(root, false, NULL);

                if (rootfd < 0 || destroy(rootfd, dirfd, s, &de) < 0)
                        sysrun_log(LOG_WARNING, "cannot destroy container '%s': %s", id,
                                   de.msg ?: "cannot open the state root");
                sysrun_error_done(&de);
                return r;
        }
        if (relay.fd >= 0) {
                /* As runc: start returns once the container said READY=1 (or died), without holding
                 * the container's lock meanwhile. */
                _cleanup_close_ int pidfd = pidfd_open_checked(s->pid, s->pid_start_time);

                dirfd = safe_close(dirfd);
                if (pidfd >= 0) {
                        r = notify_relay_until_ready(&relay, pidfd, e);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* Without a cgroup, the container's processes are those in its pid namespace or, when it shares
 * ours, those in the session its init made (the init calls setsid(); children that start their
 * own session are out of reach, as they are for runc without a cgroup). */
static bool in_container(long pid, const ContainerState *s, bool own_pidns, const struct stat *init_ns) {
        char path[64];

        if (own_pidns) {
                struct stat st;
                snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
                return stat(path, &st) == 0 && st.st_ino == init_ns->st_ino && st.st_dev == init_ns->st_dev;
        }
        return getsid((pid_t) pid) == s->pid;
}

static int kill_container_processes(const ContainerState *s, int sig) {
        _cleanup_closedir_ DIR *d = NULL;
        struct stat init_ns, self_ns;
        struct dirent *de;
        char path[64];
        bool own_pidns;

        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) s->pid);
        if (stat(path, &init_ns) < 0 || stat("/proc/self/ns/pid", &self_ns) < 0)
                return -errno;
        own_pidns = init_ns.st_ino != self_ns.st_ino || init_ns.st_dev != self_ns.st_dev;
        d = opendir("/proc");
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);

                if (*end || pid <= 0 || pid == getpid() || pid == s->pid)
                        continue;
                if (in_container(pid, s, own_pidns, &init_ns))
                        (void) kill((pid_t) pid, sig);
        }
        return 0;
}

static int signal_container(ContainerState *s, int sig, bool all, SysrunError *e) {
        _cleanup_close_ int pidfd = -EBADF;
        const CgroupManager *m = cgroup_manager_for_state(s);
        int r;

        if (all) {
                r = m->kill_all(s, sig, e);
                if (r != -EOPNOTSUPP)
                        return r;
        }
        pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        if (pidfd < 0)
                return sysrun_error_set(e, -ESRCH, "container not running");
        /* The others first: once the init is gone its session and namespace can no longer be found. */
        if (all)
                (void) kill_container_processes(s, sig);
        r = pidfd_send(pidfd, sig);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot signal the container's init: %m");
        return 0;
}

#define KILL_WAIT_MS 5000

int container_kill(const char *root, const char *id, int sig, bool all, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_close_ int dirfd = -EBADF, pidfd = -EBADF;
        ContainerStatus status;
        int r;

        r = container_open(root, id, false, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        if (status == CONTAINER_STOPPED || status == CONTAINER_CREATING) {
                /* runc: --all on a stopped container is not an error (signal 0 included), and what
                 * the init left in the container's cgroup (it shared a pid namespace) still gets the
                 * signal. containerd's shim sends this once such a container's init has exited. */
                if (all && status == CONTAINER_STOPPED) {
                        if (!s->own_pidns && sig != 0)
                                (void) cgroup_manager_for_state(s)->kill_all(s, sig, NULL);
                        return 0;
                }
                return sysrun_error_set(e, -ESRCH, "container not running");
        }
        /* Signal 0 asks whether the container is alive: its init answers for it (systemd's KillUnit
         * takes no signal 0). */
        if (sig == 0)
                all = false;
        r = signal_container(s, sig, all, e);
        if (r < 0 || sig != SIGKILL || status == CONTAINER_PAUSED)
                return r;
        /* SIGKILL is delivered asynchronously: return once the init is dead (a zombie counts), so
         * that a `state` or `delete` right after `kill ID KILL` finds it stopped (runtime-tools'
         * killsig does exactly that). Bounded: a process stuck in the kernel (D state) must not
         * hang kill, the signal is sent either way. Not when paused: a cgroup v1 freezer holds the
         * signal until thawed. */
        pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        if (pidfd >= 0 && pidfd_wait(pidfd, KILL_WAIT_MS) < 0)
                sysrun_log(LOG_DEBUG, "container '%s': the init is not dead %d ms after SIGKILL", id, KILL_WAIT_MS);
        return 0;
}

/* Kills the init (and with it its pid namespace) and waits until it is gone. */
static int kill_and_wait(ContainerState *s, SysrunError *e) {
        _cleanup_close_ int pidfd = -EBADF;
        int r;

        pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        if (pidfd == -ESRCH)
                return 0;
        if (pidfd < 0)
                return sysrun_error_set(e, pidfd, "cannot open the container's init: %m");
        /* A cgroup shared with another container (cgroup_shared) holds its processes too: then
         * only this container's, found by their namespaces. */
        if (s->cgroup_shared && !s->own_pidns)
                (void) kill_container_processes(s, SIGKILL);
        (void) signal_container(s, SIGKILL, !s->cgroup_shared, NULL);
        /* A v1 freezer holds the signal until thawed (kill_all thaws for itself), as runc thaws. */
        if (s->cgroup_shared && cgroup_manager_for_state(s)->is_frozen(s) > 0)
                (void) cgroup_manager_for_state(s)->freeze(s, false, NULL);
        r = pidfd_wait(pidfd, 10000);
        if (r < 0)
                return sysrun_error_set(e, r, "the container's init did not die after SIGKILL: %m");
        return 0;
}

/* 1 when the process is in the pid namespace ns or in one below it (a container nested in it). */
static int pid_in_pidns_tree(pid_t pid, const struct stat *ns) {
        _cleanup_close_ int fd = -EBADF;
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (unsigned depth = 0; depth < 64; depth++) { /* the kernel nests at most 32 */
                struct stat st;
                int parent;

                if (fstat(fd, &st) < 0)
                        return -errno;
                if (st.st_ino == ns->st_ino && st.st_dev == ns->st_dev)
                        return 1;
                parent = ioctl(fd, NS_GET_PARENT);
                if (parent < 0)
                        return 0; /* EPERM at the top: not below ns */
                safe_close(fd);
                fd = parent;
        }
        return 0;
}

/* The container that made an explicit cgroupsPath does not know that another one joined it later
 * (cgroup_shared is in the joiner's state). With a pid namespace of its own, its processes are
 * those of that namespace (and the ones below it): a process outside it is someone else's, and then
 * this delete must not kill the cgroup either. runc kills only the init there: the kernel takes its
 * namespace with it. */
static void note_shared_cgroup(ContainerState *s) {
        const CgroupManager *m = cgroup_manager_for_state(s);
        _cleanup_close_ int pidfd = -EBADF;
        _cleanup_free_ pid_t *pids = NULL;
        struct stat init_ns;
        bool init_alive;
        char path[64];
        size_t n = 0;

        if (s->cgroup_shared || !s->cgroupfs_dirs || !s->own_pidns || m->pids(s, &pids, &n, NULL) < 0)
                return;
        pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) s->pid);
        init_alive = pidfd >= 0 && stat(path, &init_ns) == 0;
        for (size_t i = 0; i < n; i++)
                /* Once the init is gone its namespace is too: whatever is left belongs to another. */
                if (!init_alive || pid_in_pidns_tree(pids[i], &init_ns) == 0) {
                        sysrun_log(LOG_DEBUG, "container '%s': process %d in its cgroup is not its own: "
                                   "the cgroup is shared, only the container's processes are killed",
                                   s->id, (int) pids[i]);
                        s->cgroup_shared = true;
                        return;
                }
}

static int destroy(int rootfd, int dirfd, ContainerState *s, SysrunError *e) {
        _cleanup_(oci_config_freep) OciConfig *config = s->poststop_hooks ? saved_config(dirfd, s->id) : NULL;
        const CgroupManager *m = cgroup_manager_for_state(s);
        int r;

        note_shared_cgroup(s);
        r = kill_and_wait(s, e);
        if (r < 0)
                return r;
        r = m->destroy(s, e);
        if (r < 0)
                return r;
        r = rdt_destroy(s, e);
        if (r < 0)
                return r;
        r = rootfs_hostns_release(s->rootfs, s->host_rootfs_mount_id, e);
        if (r < 0)
                return r;
        r = state_dir_remove(rootfd, s->id);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot remove the state of '%s': %m", s->id);
        /* Last, with everything gone; a failure is only a warning (hooks.c). */
        return hooks_run_state(config, HOOK_POSTSTOP, s, CONTAINER_STOPPED, NULL);
}

int container_delete(const char *root, const char *id, bool force, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_close_ int rootfd = -EBADF, dirfd = -EBADF;
        ContainerStatus status;
        int r;

        r = container_id_validate(id, e);
        if (r < 0)
                return r;
        rootfd = state_root_open(root, false, NULL);
        if (rootfd < 0)
                return force ? 0 : sysrun_error_set(e, -ENOENT, "container does not exist");
        dirfd = state_dir_open(rootfd, id, true, e);
        if (dirfd < 0) {
                if (dirfd == -ENOENT && force) {
                        sysrun_error_done(e);
                        return 0;
                }
                return dirfd;
        }
        r = state_load(dirfd, &s, e);
        if (r == -ENOENT) {
                /* A create that died before it wrote any state: only the directory is left. */
                (void) state_dir_remove(rootfd, id);
                if (force) {
                        sysrun_error_done(e);
                        return 0;
                }
                return r;
        }
        if (r < 0)
                return r;

        status = container_status(dirfd, s);
        switch (status) {
        case CONTAINER_STOPPED:
        case CONTAINER_CREATED:
                break;
        default:
                if (!force)
                        return sysrun_error_set(e, -EBUSY, "cannot delete container %s that is not stopped: %s", id,
                                                container_status_to_string(status));
        }
        return destroy(rootfd, dirfd, s, e);
}
