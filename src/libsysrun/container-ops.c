/* SPDX-License-Identifier: Apache-2.0 */
#include "container-ops.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <sys/inotify.h>

#include "cgroup-stats.h"
#include "cgroup.h"
#include "cgroupfs-sub.h"
#include "container.h"
#include "fd-util.h"
#include "proc.h"
#include "rdt.h"
#include "state.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(struct json_object *, json_object_put, NULL);

int container_update(const char *root, const char *id, const ContainerUpdate *u, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_close_ int dirfd = -EBADF;
        ContainerStatus status;
        int r;

        r = container_open(root, id, true, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        if (status == CONTAINER_STOPPED || status == CONTAINER_CREATING)
                return sysrun_error_set(
                                e, -EINVAL, "cannot update a container in the %s state",
                                container_status_to_string(status));
        if (u->resources) {
                r = cgroup_manager_for_state(s)->update(s, u->resources, e);
                if (r < 0)
                        return r;
                /* The manager may have moved the container into a sub-cgroup. */
                r = state_save(dirfd, s, e);
                if (r < 0)
                        return r;
        }
        if (!isempty(u->l3_cache_schema) || !isempty(u->mem_bw_schema)) {
                r = rdt_update(s, u->l3_cache_schema, u->mem_bw_schema, NULL, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int freeze(const char *root, const char *id, bool on, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_close_ int dirfd = -EBADF;
        ContainerStatus status;
        int r;

        r = container_open(root, id, true, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        if (on && status != CONTAINER_RUNNING && status != CONTAINER_CREATED)
                return sysrun_error_set(e, -EINVAL, "container not running");
        if (!on && status != CONTAINER_PAUSED)
                return sysrun_error_set(e, -EINVAL, "container not paused");
        return cgroup_manager_for_state(s)->freeze(s, on, e);
}

int container_pause(const char *root, const char *id, SysrunError *e) {
        return freeze(root, id, true, e);
}

int container_resume(const char *root, const char *id, SysrunError *e) {
        return freeze(root, id, false, e);
}

int container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n, SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        ContainerStatus status;
        int r;

        r = container_open(root, id, false, NULL, &s, &status, e);
        if (r < 0)
                return r;
        if (status == CONTAINER_STOPPED) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        r = cgroup_manager_for_state(s)->pids(s, ret, ret_n, e);
        if (r == -EOPNOTSUPP)
                return sysrun_error_set(e, r, "ps needs a cgroup manager; container '%s' has none", id);
        return r;
}

static int emit_stats(
                ContainerState *s,
                ContainerEventFn fn,
                void *userdata,
                uint64_t *ret_oom_kills,
                SysrunError *e) {
        _cleanup_(cgroup_stats_done) CgroupStats st = {};
        _cleanup_(json_object_putp) struct json_object *rdt = NULL;
        _cleanup_free_ char *json = NULL;
        int r;

        r = cgroup_manager_for_state(s)->stats(s, &st, e);
        if (r < 0)
                return r;
        if (s->rdt_group) {
                r = rdt_stats_json(s, &rdt, e);
                if (r < 0)
                        return r;
        }
        json = cgroup_stats_to_json(s->id, &st, rdt);
        if (!json)
                return -ENOMEM;
        if (ret_oom_kills)
                *ret_oom_kills = st.memory_events_oom_kill;
        return fn(json, userdata);
}

/* memory.events of the container's cgroup, watched for changes; -ENOENT without the memory controller. */
static int watch_memory_events(const ContainerState *s, int *ret_inotify) {
        _cleanup_close_ int cg = -EBADF, fd = -EBADF;
        char buf[32], path[64];

        if (!s->cgroup_path)
                return -ENOENT;
        cg = cgroup_open(s->cgroup_path);
        if (cg < 0)
                return cg;
        if (faccessat(cg, "memory.events", F_OK, 0) < 0)
                return -errno;
        fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0)
                return -errno;
        snprintf(path, sizeof(path), "%s/memory.events", fd_path(buf, cg));
        if (inotify_add_watch(fd, path, IN_MODIFY) < 0)
                return -errno;
        *ret_inotify = TAKE_FD(fd);
        return 0;
}

int container_events(
                const char *root,
                const char *id,
                bool stats_once,
                uint64_t interval_usec,
                ContainerEventFn fn,
                void *userdata,
                SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_close_ int pidfd = -EBADF, ino = -EBADF;
        ContainerStatus status;
        uint64_t oom_kills = 0;
        int r;

        r = container_open(root, id, false, NULL, &s, &status, e);
        if (r < 0)
                return r;
        if (status == CONTAINER_STOPPED)
                return sysrun_error_set(e, -ESRCH, "container with id %s is not running", id);
        if (stats_once)
                return emit_stats(s, fn, userdata, NULL, e);

        pidfd = pidfd_open_checked(s->pid, s->pid_start_time);
        if (pidfd < 0)
                return sysrun_error_set(e, -ESRCH, "container with id %s is not running", id);
        (void) watch_memory_events(s, &ino);
        r = emit_stats(s, fn, userdata, &oom_kills, e);
        if (r < 0)
                return r;

        for (;;) {
                struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = ino, .events = POLLIN } };
                int n = poll(p, ino >= 0 ? 2 : 1, (int) (interval_usec / 1000));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return sysrun_error_set(e, -errno, "poll: %m");
                if (p[0].revents & POLLIN)
                        return 0; /* the container stopped */
                if (ino >= 0 && (p[1].revents & POLLIN)) {
                        _cleanup_(cgroup_stats_done) CgroupStats st = {};
                        char buf[4096];

                        while (read(ino, buf, sizeof(buf)) > 0)
                                ;
                        if (cgroup_manager_for_state(s)->stats(s, &st, NULL) >= 0 &&
                            st.memory_events_oom_kill > oom_kills) {
                                _cleanup_free_ char *json = cgroup_oom_event_json(s->id);
                                oom_kills = st.memory_events_oom_kill;
                                if (!json)
                                        return -ENOMEM;
                                r = fn(json, userdata);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }
                if (n == 0) {
                        r = emit_stats(s, fn, userdata, NULL, e);
                        if (r < 0)
                                return r;
                }
        }
}
