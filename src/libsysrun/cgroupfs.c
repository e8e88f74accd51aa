/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroupfs manager on cgroup v1/hybrid hosts: one directory per hierarchy that the container
 * needs (devices, freezer, pids, cpu, cpuacct, blkio always when mounted; the others only for a limit
 * of theirs), made by sysrun and removed by delete. A memory hierarchy is never touched unless a
 * memory limit asks for it. */
#include "cgroupfs.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup-stats.h"
#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "strv.h"

/* The hierarchies every container gets when they are mounted: the device policy, pause, ps and the
 * pids count, and the usage figures of events --stats. */
static const char *const base_controllers[] = { "devices", "freezer", "pids", "cpu", "cpuacct", "blkio" };

typedef struct Layout {
        CgroupHierarchy *h;
        size_t n;
        bool v1; /* at least one v1 hierarchy with a controller */
} Layout;

static void layout_done(Layout *l) {
        cgroup_hierarchies_free(l->h, l->n);
        *l = (Layout){};
}

static int layout_load(Layout *ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &text, NULL);
        if (r < 0)
                return r;
        r = cgroup_hierarchies_from_mountinfo(text, &ret->h, &ret->n);
        if (r < 0)
                return r;
        ret->v1 = false;
        for (size_t i = 0; i < ret->n; i++)
                ret->v1 = ret->v1 || !ret->h[i].unified;
        return 0;
}

static const CgroupHierarchy *layout_find(const Layout *l, const char *controller) {
        for (size_t i = 0; i < l->n; i++)
                if (!l->h[i].unified && strv_contains(l->h[i].controllers, controller))
                        return &l->h[i];
        return NULL;
}

bool cgroupfs_host_supported(void) {
        _cleanup_(layout_done) Layout l = {};
        return layout_load(&l) >= 0 && layout_find(&l, "devices");
}

static const OciResources *config_resources(const OciConfig *c) {
        return c->linux_section ? c->linux_section->resources : NULL;
}

static int config_plan(const OciConfig *c, CgroupfsPlan *ret, SysrunError *e) {
        ResourceInput in = {
                .resources = config_resources(c),
                .devices = c->linux_section ? c->linux_section->devices : NULL,
                .n_devices = c->linux_section ? c->linux_section->n_devices : 0,
                .default_devices = true,
                .mode = RESOURCE_MODE_CREATE,
        };
        return cgroupfs_v1_plan(&in, ret, e);
}

/* Every write's controller is mounted; messages name the field and the controller. */
static int check_mounted(const Layout *l, const CgroupfsPlan *p, SysrunError *e) {
        for (size_t i = 0; i < p->n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(p->writes[i].file);
                if (!c)
                        return -ENOMEM;
                if (!layout_find(l, c))
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s: cannot be applied: the cgroup v1 '%s' controller is not mounted "
                                        "on this host (needed for %s)",
                                        p->writes[i].field, c, p->writes[i].file);
        }
        return 0;
}

static bool hierarchy_needed(const CgroupHierarchy *h, const CgroupfsPlan *p) {
        /* Never a memory hierarchy without a memory limit, even when it also holds another controller. */
        if (strv_contains(h->controllers, "memory") && !cgroupfs_plan_uses(p, "memory"))
                return false;
        STRV_FOREACH(c, h->controllers) {
                for (size_t i = 0; i < ELEMENTSOF(base_controllers); i++)
                        if (streq(*c, base_controllers[i]))
                                return true;
                if (cgroupfs_plan_uses(p, *c))
                        return true;
        }
        return false;
}

/* The container's path in h: cgroupsPath as is when absolute, else below sysrun's own cgroup there. */
static int hierarchy_dir(const CgroupHierarchy *h, const OciConfig *c, const char *id, char **ret_dir,
                         char **ret_path, bool *ret_default, SysrunError *e) {
        _cleanup_free_ char *text = NULL, *base = NULL, *path = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 16, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read /proc/self/cgroup: %m");
        r = cgroup_v1_path_from_proc_text(text, h->controllers[0], &base);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot find sysrun's own '%s' cgroup in /proc/self/cgroup",
                                        h->controllers[0]);
        r = cgroupfs_resolve_path(c->linux_section ? c->linux_section->cgroups_path : NULL, id, base, &path,
                                  ret_default, e);
        if (r < 0)
                return r;
        if (asprintf(ret_dir, "%s%s", h->mount_point, path) < 0)
                return -ENOMEM;
        *ret_path = TAKE_PTR(path);
        return 0;
}

static int cgroupfs_check(const OciConfig *c, bool explicit_choice, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(layout_done) Layout l = {};
        int r;

        r = config_plan(c, &plan, e);
        if (r < 0)
                return r;
        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        if (!l.v1)
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "the cgroupfs cgroup manager needs cgroup v1 controllers on this build (this "
                                "host has a pure cgroup v2 tree); use --cgroup-manager=systemd or disabled");
        return check_mounted(&l, &plan, e);
}

/* Records, before anything is made, the directories enter() is going to make, so that delete finds
 * them after a create killed midway. */
static int cgroupfs_intent(const OciConfig *c, ContainerState *s, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(layout_done) Layout l = {};
        int r;

        r = config_plan(c, &plan, e);
        if (r < 0)
                return r;
        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        for (size_t i = 0; i < l.n; i++) {
                _cleanup_free_ char *dir = NULL, *path = NULL;
                bool is_default = false;

                if (l.h[i].unified || !hierarchy_needed(&l.h[i], &plan))
                        continue;
                r = hierarchy_dir(&l.h[i], c, s->id, &dir, &path, &is_default, e);
                if (r < 0)
                        return r;
                if (strv_extend(&s->cgroupfs_dirs, dir) < 0)
                        return -ENOMEM;
                if (is_default) {
                        /* "/sysrun" is sysrun's own: it goes with the last container in it. */
                        _cleanup_free_ char *parent = NULL;
                        if (asprintf(&parent, "%s/sysrun", l.h[i].mount_point) < 0 ||
                            strv_extend(&s->cgroupfs_parents, parent) < 0)
                                return -ENOMEM;
                }
                if (!s->cgroup_path || streq(l.h[i].controllers[0], "devices")) {
                        free(s->cgroup_path);
                        s->cgroup_path = TAKE_PTR(path);
                }
        }
        return 0;
}

/* The cgroup directory of the container for controller, or NULL. */
static const char *container_dir(const ContainerState *s, const Layout *l, const char *controller) {
        const CgroupHierarchy *h = layout_find(l, controller);
        size_t n;

        if (!h)
                return NULL;
        n = strlen(h->mount_point);
        STRV_FOREACH(d, s->cgroupfs_dirs)
                if (strncmp(*d, h->mount_point, n) == 0 && (*d)[n] == '/')
                        return *d;
        return NULL;
}

static const char *hierarchy_of_dir(const Layout *l, const char *dir, const CgroupHierarchy **ret) {
        for (size_t i = 0; i < l->n; i++) {
                size_t n = strlen(l->h[i].mount_point);
                if (!l->h[i].unified && strncmp(dir, l->h[i].mount_point, n) == 0 && dir[n] == '/') {
                        *ret = &l->h[i];
                        return dir + n;
                }
        }
        *ret = NULL;
        return NULL;
}

/* A new cpuset cgroup starts with no CPU and no memory node: it gets its parent's. */
static int cpuset_inherit(const char *dir, SysrunError *e) {
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
        _cleanup_free_ char *parent = strdup(dir);
        char *slash;
        int r;

        if (!parent)
                return -ENOMEM;
        slash = strrchr(parent, '/');
        if (slash)
                *slash = 0;
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *mine = NULL, *theirs = NULL, *p = NULL, *q = NULL;
                if (asprintf(&p, "%s/%s", dir, files[i]) < 0 || asprintf(&q, "%s/%s", parent, files[i]) < 0)
                        return -ENOMEM;
                r = read_full_file_at(AT_FDCWD, p, 1 << 16, &mine, NULL);
                if (r >= 0 && !isempty(mine) && !streq(mine, "\n"))
                        continue;
                r = read_full_file_at(AT_FDCWD, q, 1 << 16, &theirs, NULL);
                if (r >= 0)
                        r = write_string_file_at(AT_FDCWD, p, theirs);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot copy %s of '%s' into '%s': %m", files[i], parent, dir);
        }
        return 0;
}

/* mkdir -p below the mount point; the parents it makes are recorded in s (outermost first). */
static int make_dir(ContainerState *s, const CgroupHierarchy *h, const char *dir, SysrunError *e) {
        _cleanup_free_ char *p = strdup(dir);
        bool cpuset = strv_contains(h->controllers, "cpuset");
        size_t start = strlen(h->mount_point);
        int r;

        if (!p)
                return -ENOMEM;
        for (char *slash = p + start + 1;; slash++) {
                bool leaf;
                slash = strchrnul(slash, '/');
                leaf = *slash == 0;
                *slash = 0;
                if (mkdir(p, 0755) < 0) {
                        if (errno != EEXIST)
                                return sysrun_error_set(e, -errno, "cannot create cgroup '%s': %m", p);
                } else {
                        if (!leaf && !strv_contains(s->cgroupfs_parents, p) && strv_extend(&s->cgroupfs_parents, p) < 0)
                                return -ENOMEM;
                        if (cpuset) {
                                r = cpuset_inherit(p, e);
                                if (r < 0)
                                        return r;
                        }
                }
                if (leaf)
                        return 0;
                *slash = '/';
        }
}

static int write_one(const char *dir, const CgroupWrite *w, SysrunError *e) {
        _cleanup_free_ char *path = NULL, *controller = NULL;
        int r;

        if (asprintf(&path, "%s/%s", dir, w->file) < 0)
                return -ENOMEM;
        r = write_string_file_at(AT_FDCWD, path, w->value);
        if (r == -ENOENT && streq(w->file, "blkio.weight")) {
                /* Under the bfq scheduler the kernel names it blkio.bfq.weight. */
                free(path);
                if (asprintf(&path, "%s/blkio.bfq.weight", dir) < 0)
                        return -ENOMEM;
                r = write_string_file_at(AT_FDCWD, path, w->value);
        }
        if (r == -ENOENT) {
                controller = cgroupfs_controller_of(w->file);
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "%s: %s: write %s: no such file (the kernel's %s controller has no such file in "
                                "%s)",
                                w->field, w->file, w->value, controller ?: "?", dir);
        }
        if (r < 0)
                return sysrun_error_set(e, r, "%s: %s: write %s: %m (in %s)", w->field, w->file, w->value, dir);
        return 0;
}

static int apply_writes(const ContainerState *s, const Layout *l, const CgroupfsPlan *p, SysrunError *e) {
        for (size_t i = 0; i < p->n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(p->writes[i].file);
                const char *dir;
                int r;

                if (!c)
                        return -ENOMEM;
                dir = container_dir(s, l, c);
                if (!dir)
                        return sysrun_error_set(e, -EOPNOTSUPP,
                                                "%s: cannot be applied: the container has no '%s' cgroup",
                                                p->writes[i].field, c);
                r = write_one(dir, &p->writes[i], e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int join(const char *dir, pid_t pid, SysrunError *e) {
        _cleanup_free_ char *path = NULL;
        char s[32];
        int r;

        snprintf(s, sizeof(s), "%d", (int) pid);
        if (asprintf(&path, "%s/cgroup.procs", dir) < 0)
                return -ENOMEM;
        r = write_string_file_at(AT_FDCWD, path, s);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot move process %d into cgroup '%s': %m", (int) pid, dir);
        return 0;
}

static int cgroupfs_enter(const OciConfig *c, ContainerState *s, pid_t pid, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(layout_done) Layout l = {};
        int r;

        r = config_plan(c, &plan, e);
        if (r < 0)
                return r;
        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = check_mounted(&l, &plan, e);
        if (r < 0)
                return r;
        STRV_FOREACH(d, s->cgroupfs_dirs) {
                const CgroupHierarchy *h;
                if (!hierarchy_of_dir(&l, *d, &h))
                        return sysrun_error_set(e, -ENOENT, "cgroup '%s': its hierarchy is no longer mounted", *d);
                /* A parent another container's delete removes meanwhile: make it again. */
                for (unsigned attempt = 0;; attempt++) {
                        r = make_dir(s, h, *d, e);
                        if (r != -ENOENT || attempt >= 3)
                                break;
                        sysrun_error_done(e);
                }
                if (r < 0)
                        return r;
        }
        /* The limits first: a v1 cpuset takes no process before it has CPUs. */
        r = apply_writes(s, &l, &plan, e);
        if (r < 0)
                return r;
        STRV_FOREACH(d, s->cgroupfs_dirs) {
                r = join(*d, pid, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int cgroupfs_attach(ContainerState *s, pid_t pid, SysrunError *e) {
        STRV_FOREACH(d, s->cgroupfs_dirs) {
                int r = join(*d, pid, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_text(const char *dir, const char *file, char **ret) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        return read_full_file_at(AT_FDCWD, path, 16 << 20, ret, NULL);
}

static int write_text(const char *dir, const char *file, const char *value) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        return write_string_file_at(AT_FDCWD, path, value);
}

/* Moves every process of from into dir (update, for a hierarchy the container did not use yet). The
 * v1 hierarchies are independent, so from keeps them all; three rounds catch what forked meanwhile
 * (a child of a moved process is born in dir already). */
static int migrate(const char *from, const char *dir, SysrunError *e) {
        for (unsigned round = 0; round < 3; round++) {
                _cleanup_close_ int fd = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                _cleanup_free_ pid_t *pids = NULL;
                size_t n = 0;
                int r;

                if (fd < 0)
                        return sysrun_error_set(e, -errno, "cannot open cgroup '%s': %m", from);
                r = cgroup_read_pids_at(fd, &pids, &n);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot read the processes of '%s': %m", from);
                for (size_t i = 0; i < n; i++) {
                        char s[32];
                        snprintf(s, sizeof(s), "%d", (int) pids[i]);
                        r = write_text(dir, "cgroup.procs", s);
                        if (r < 0 && r != -ESRCH)
                                return sysrun_error_set(e, r, "cannot move process %s into '%s': %m", s, dir);
                }
        }
        return 0;
}

static int cgroupfs_update(ContainerState *s, const OciResources *res, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(layout_done) Layout l = {};
        ResourceInput in = { .resources = res, .mode = RESOURCE_MODE_UPDATE };
        int r;

        r = cgroupfs_v1_plan(&in, &plan, e);
        if (r < 0)
                return r;
        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = check_mounted(&l, &plan, e);
        if (r < 0)
                return r;
        if (!s->cgroupfs_dirs)
                return sysrun_error_set(e, -ENOENT, "container '%s' has no cgroup", s->id);
        /* A controller the container did not use so far gets its directory now, with the processes. */
        for (size_t i = 0; i < plan.n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(plan.writes[i].file), *dir = NULL, *path = NULL;
                const CgroupHierarchy *h, *first;
                const char *rel;

                if (!c)
                        return -ENOMEM;
                if (container_dir(s, &l, c))
                        continue;
                h = layout_find(&l, c);
                rel = hierarchy_of_dir(&l, s->cgroupfs_dirs[0], &first);
                if (!h || !rel)
                        return sysrun_error_set(e, -ENOENT, "%s: the container has no '%s' cgroup",
                                                plan.writes[i].field, c);
                if (asprintf(&dir, "%s%s", h->mount_point, rel) < 0 || strv_extend(&s->cgroupfs_dirs, dir) < 0)
                        return -ENOMEM;
                r = make_dir(s, h, dir, e);
                if (r >= 0 && streq(c, "cpuset"))
                        r = apply_writes(s, &l, &plan, e); /* before the processes, as in enter() */
                if (r >= 0)
                        r = migrate(s->cgroupfs_dirs[0], dir, e);
                if (r < 0)
                        return r;
        }
        return apply_writes(s, &l, &plan, e);
}

static int freezer_state(const char *dir) {
        _cleanup_free_ char *text = NULL;
        int r = read_text(dir, "freezer.state", &text);
        if (r < 0)
                return r;
        return startswith(text, "FROZEN") ? 2 : startswith(text, "FREEZING") ? 1 : 0;
}

static int v1_freeze(const char *dir, bool freeze, SysrunError *e) {
        int r;

        r = write_text(dir, "freezer.state", freeze ? "FROZEN" : "THAWED");
        if (r < 0)
                return sysrun_error_set(e, r, "freezer.state: write %s: %m (in %s)", freeze ? "FROZEN" : "THAWED",
                                        dir);
        if (!freeze)
                return 0;
        /* The v1 freezer has no notification (freezer.state cannot be polled, and no event file), so
         * this polls, briefly: FREEZING turns into FROZEN once every task stopped, within milliseconds
         * unless a task is stuck in the kernel. The write is repeated, as the kernel only rechecks on
         * a write or a read. At most 5 s. */
        for (unsigned i = 0; i < 1000; i++) {
                r = freezer_state(dir);
                if (r < 0)
                        return sysrun_error_set(e, r, "freezer.state: read: %m (in %s)", dir);
                if (r == 2)
                        return 0;
                (void) write_text(dir, "freezer.state", "FROZEN");
                nanosleep(&(struct timespec){ .tv_nsec = 5 * 1000 * 1000 }, NULL);
        }
        (void) write_text(dir, "freezer.state", "THAWED");
        return sysrun_error_set(e, -ETIMEDOUT, "freezer.state: the container did not freeze within 5 s (in %s)",
                                dir);
}

static int cgroupfs_freeze(ContainerState *s, bool freeze, SysrunError *e) {
        _cleanup_(layout_done) Layout l = {};
        const char *dir;
        int r;

        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        dir = container_dir(s, &l, "freezer");
        if (!dir)
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "%s needs the freezer controller, which is not mounted on this host",
                                        freeze ? "pause" : "resume");
        return v1_freeze(dir, freeze, e);
}

static int cgroupfs_is_frozen(ContainerState *s) {
        _cleanup_(layout_done) Layout l = {};
        const char *dir;
        int r;

        if (layout_load(&l) < 0 || !(dir = container_dir(s, &l, "freezer")))
                return 0;
        r = freezer_state(dir);
        if (r == -ENOENT)
                return 0;
        return r < 0 ? r : r > 0;
}

static int read_pids(const ContainerState *s, pid_t **ret, size_t *ret_n) {
        _cleanup_close_ int fd = -EBADF;

        *ret = NULL;
        *ret_n = 0;
        if (!s->cgroupfs_dirs)
                return 0;
        fd = open(s->cgroupfs_dirs[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        return cgroup_read_pids_at(fd, ret, ret_n);
}

static int cgroupfs_pids(ContainerState *s, pid_t **ret, size_t *ret_n, SysrunError *e) {
        int r = read_pids(s, ret, ret_n);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the processes of cgroup '%s': %m", s->cgroupfs_dirs[0]);
        return 0;
}

/* Frozen while it signals, so that nothing forks past it (as runc does); thawed again unless it was
 * paused. SIGKILL always thaws: a frozen v1 task does not die before it runs. */
static int signal_all(ContainerState *s, const Layout *l, int sig, SysrunError *e) {
        _cleanup_free_ pid_t *pids = NULL;
        const char *freezer = container_dir(s, l, "freezer");
        bool was_frozen = freezer && freezer_state(freezer) == 2, froze = false;
        size_t n = 0;
        int r;

        if (freezer && !was_frozen)
                froze = v1_freeze(freezer, true, NULL) >= 0;
        r = read_pids(s, &pids, &n);
        if (r >= 0)
                for (size_t i = 0; i < n; i++)
                        (void) kill(pids[i], sig);
        if (freezer && (froze || (was_frozen && sig == SIGKILL)))
                (void) v1_freeze(freezer, false, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the processes of cgroup '%s': %m", s->cgroupfs_dirs[0]);
        return (int) n;
}

static int cgroupfs_kill_all(ContainerState *s, int sig, SysrunError *e) {
        _cleanup_(layout_done) Layout l = {};
        int r;

        if (!s->cgroupfs_dirs)
                return -EOPNOTSUPP;
        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = signal_all(s, &l, sig, e);
        if (r == 0)
                return sysrun_error_set(e, -ESRCH, "container not running");
        return r < 0 ? r : 0;
}

/* rmdir of a tree, children first. A cgroup whose last tasks are still exiting is busy for a
 * moment: v1 has no event for "empty" (release_agent aside), so this retries, 10 ms apart, for at
 * most 5 s, killing what is still there. */
static int remove_tree(const char *dir, unsigned depth) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (depth > 32)
                return -ELOOP;
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *sub = NULL;
                int r;
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
                        return -ENOMEM;
                r = remove_tree(sub, depth + 1);
                if (r < 0)
                        return r;
        }
        if (rmdir(dir) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

static int cgroupfs_destroy(ContainerState *s, SysrunError *e) {
        _cleanup_(layout_done) Layout l = {};
        int r = 0;

        if (!s->cgroupfs_dirs && !s->cgroupfs_parents)
                return 0;
        (void) layout_load(&l);
        for (unsigned i = 0; i < 500; i++) {
                r = 0;
                STRV_FOREACH(d, s->cgroupfs_dirs) {
                        int k = remove_tree(*d, 0);
                        if (k < 0 && r >= 0)
                                r = k;
                }
                if (r != -EBUSY)
                        break;
                (void) signal_all(s, &l, SIGKILL, NULL);
                nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
        }
        if (r < 0)
                return sysrun_error_set(e, r, "cannot remove the container's cgroup '%s': %m", s->cgroupfs_dirs[0]);
        /* The parents it made, innermost first, when nothing else lives there. */
        for (size_t i = strv_length(s->cgroupfs_parents); i > 0; i--)
                if (rmdir(s->cgroupfs_parents[i - 1]) < 0 && errno != ENOENT && errno != EBUSY &&
                    errno != ENOTEMPTY)
                        return sysrun_error_set(e, -errno, "cannot remove cgroup '%s': %m",
                                                s->cgroupfs_parents[i - 1]);
        return 0;
}

static int read_u64(const char *dir, const char *file, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        int r = read_text(dir, file, &text);
        if (r < 0)
                return r;
        if (startswith(text, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        errno = 0;
        *ret = strtoull(text, NULL, 10);
        return errno ? -errno : 0;
}

/* blkio.throttle.io_service{_bytes,d}_recursive: "8:0 Read 4096" lines. */
static void blkio_add(CgroupStats *st, const char *text, bool bytes) {
        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                unsigned maj, min;
                char op[16];
                unsigned long long v;
                if (sscanf(p, "%u:%u %15s %llu", &maj, &min, op, &v) == 4) {
                        CgroupIoStat *io = NULL;
                        for (size_t i = 0; i < st->n_io && !io; i++)
                                if (st->io[i].major == maj && st->io[i].minor == min)
                                        io = &st->io[i];
                        if (!io) {
                                CgroupIoStat *grown = reallocarray(st->io, st->n_io + 1, sizeof(CgroupIoStat));
                                if (!grown)
                                        return;
                                st->io = grown;
                                io = &st->io[st->n_io++];
                                *io = (CgroupIoStat){ .major = maj, .minor = min };
                        }
                        if (streq(op, "Read"))
                                *(bytes ? &io->rbytes : &io->rios) = v;
                        else if (streq(op, "Write"))
                                *(bytes ? &io->wbytes : &io->wios) = v;
                }
                p = *eol ? eol + 1 : NULL;
        }
}

static int cgroupfs_stats(ContainerState *s, CgroupStats *ret, SysrunError *e) {
        _cleanup_(cgroup_stats_done) CgroupStats st = {};
        _cleanup_(layout_done) Layout l = {};
        const char *dir;
        int r;

        r = layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        if (!s->cgroupfs_dirs)
                return sysrun_error_set(e, -ENOENT, "container '%s' has no cgroup", s->id);
        if ((dir = container_dir(s, &l, "cpuacct"))) {
                _cleanup_free_ char *text = NULL;
                uint64_t ns = 0, user = 0, sys = 0;
                long hz = sysconf(_SC_CLK_TCK);
                if (read_u64(dir, "cpuacct.usage", &ns) >= 0 && read_text(dir, "cpuacct.stat", &text) >= 0) {
                        (void) cgroup_parse_keyed(text, "user", &user);
                        (void) cgroup_parse_keyed(text, "system", &sys);
                        st.has_cpu = true;
                        st.cpu_usage_usec = ns / 1000;
                        st.cpu_user_usec = hz > 0 ? user * 1000000 / (uint64_t) hz : 0;
                        st.cpu_system_usec = hz > 0 ? sys * 1000000 / (uint64_t) hz : 0;
                }
        }
        if ((dir = container_dir(s, &l, "cpu"))) {
                _cleanup_free_ char *text = NULL;
                uint64_t ns = 0;
                if (read_text(dir, "cpu.stat", &text) >= 0) {
                        (void) cgroup_parse_keyed(text, "nr_periods", &st.cpu_nr_periods);
                        (void) cgroup_parse_keyed(text, "nr_throttled", &st.cpu_nr_throttled);
                        if (cgroup_parse_keyed(text, "throttled_time", &ns) >= 0)
                                st.cpu_throttled_usec = ns / 1000;
                }
        }
        if ((dir = container_dir(s, &l, "memory"))) {
                _cleanup_free_ char *text = NULL;
                if (read_u64(dir, "memory.usage_in_bytes", &st.memory_current) >= 0) {
                        st.has_memory = true;
                        (void) read_u64(dir, "memory.limit_in_bytes", &st.memory_max);
                        (void) read_u64(dir, "memory.max_usage_in_bytes", &st.memory_peak);
                        (void) read_u64(dir, "memory.failcnt", &st.memory_events_max);
                        if (read_text(dir, "memory.stat", &text) >= 0) {
                                char *save = NULL;
                                for (char *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
                                        if (strv_extend(&st.memory_stat, w) < 0)
                                                return -ENOMEM;
                                if (strv_length(st.memory_stat) % 2)
                                        st.memory_stat = strv_free(st.memory_stat);
                        }
                }
        }
        if ((dir = container_dir(s, &l, "pids")) && read_u64(dir, "pids.current", &st.pids_current) >= 0) {
                st.has_pids = true;
                if (read_u64(dir, "pids.max", &st.pids_max) < 0)
                        st.pids_max = UINT64_MAX;
        }
        if ((dir = container_dir(s, &l, "blkio"))) {
                _cleanup_free_ char *bytes = NULL, *ios = NULL;
                if (read_text(dir, "blkio.throttle.io_service_bytes_recursive", &bytes) >= 0)
                        blkio_add(&st, bytes, true);
                if (read_text(dir, "blkio.throttle.io_serviced_recursive", &ios) >= 0)
                        blkio_add(&st, ios, false);
        }
        *ret = st;
        st = (CgroupStats){};
        return 0;
}

const CgroupManager cgroupfs_manager = {
        .name = "cgroupfs",
        .check = cgroupfs_check,
        .intent = cgroupfs_intent,
        .enter = cgroupfs_enter,
        .update = cgroupfs_update,
        .freeze = cgroupfs_freeze,
        .is_frozen = cgroupfs_is_frozen,
        .kill_all = cgroupfs_kill_all,
        .pids = cgroupfs_pids,
        .destroy = cgroupfs_destroy,
        .attach = cgroupfs_attach,
        .stats = cgroupfs_stats,
};
