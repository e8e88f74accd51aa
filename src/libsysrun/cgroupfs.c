/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroupfs manager. On cgroup v1/hybrid hosts: one directory per hierarchy that the container
 * needs (devices, freezer, pids, cpu, cpuacct, blkio always when mounted; the others only for a limit
 * of theirs); a v1 memory hierarchy is never touched unless a memory limit asks for it. On pure cgroup
 * v2 hosts: one directory, its controllers enabled in the ancestors' cgroup.subtree_control, and the
 * device policy as an eBPF program. Made by sysrun, removed by delete. */
#include "cgroupfs.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup-stats.h"
#include "bpf-devices.h"
#include "cgroupfs-layout.h"
#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "freezer-v1.h"
#include "log.h"
#include "rootless.h"
#include "strv.h"

static const OciResources *config_resources(const OciConfig *c) {
        return c->linux_section ? c->linux_section->resources : NULL;
}

static ResourceInput config_input(const OciConfig *c) {
        return (ResourceInput){
                .resources = config_resources(c),
                .default_devices = true,
                .devices = c->linux_section ? c->linux_section->devices : NULL,
                .n_devices = c->linux_section ? c->linux_section->n_devices : 0,
                .mode = RESOURCE_MODE_CREATE,
        };
}

static int layout_plan(const CgroupfsLayout *l, const ResourceInput *in, CgroupfsPlan *ret, SysrunError *e) {
        return l->v2 ? cgroupfs_v2_plan(in, ret, e) : cgroupfs_v1_plan(in, ret, e);
}

/* The v2 device filter of a create. */
static int v2_device_program(const OciConfig *c, struct bpf_insn **ret, size_t *ret_n) {
        _cleanup_free_ OciDeviceRule *rules = NULL;
        ResourceInput in = config_input(c);
        size_t n = 0;
        int r = cgroupfs_device_rules(&in, &rules, &n);
        return r < 0 ? r : bpf_devices_program(rules, n, ret, ret_n);
}

static int config_plan(const CgroupfsLayout *l, const OciConfig *c, CgroupfsPlan *ret, SysrunError *e) {
        ResourceInput in = config_input(c);
        return layout_plan(l, &in, ret, e);
}

/* The container's path in h: cgroupsPath as is when absolute, else below sysrun's own cgroup there. */
static int hierarchy_dir(const CgroupHierarchy *h, const OciConfig *c, const char *id, char **ret_dir,
                         char **ret_path, bool *ret_default, SysrunError *e) {
        _cleanup_free_ char *text = NULL, *base = NULL, *path = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 16, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read /proc/self/cgroup: %m");
        r = cgroup_v1_path_from_proc_text(text, h->unified ? "" : h->controllers[0], &base);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot find sysrun's own '%s' cgroup in /proc/self/cgroup",
                                        h->unified ? "cgroup2" : h->controllers[0]);
        /* /proc/self/cgroup names the hierarchy's paths; a mount of a subtree (a container's view)
         * shows them below its root. */
        if (h->root && startswith(base, h->root) && (base[strlen(h->root)] == '/' || !base[strlen(h->root)]))
                memmove(base, base + strlen(h->root), strlen(base + strlen(h->root)) + 1);
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
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        if (!l.v1 && !l.v2)
                return sysrun_error_set(e, -EOPNOTSUPP, "the cgroupfs cgroup manager: no cgroup hierarchy is mounted");
        if (l.v1 && !cgroupfs_layout_find(&l, "devices"))
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "linux.resources.devices: cannot be applied: the cgroup v1 'devices' "
                                        "controller is not mounted on this host");
        r = config_plan(&l, c, &plan, e);
        if (r < 0)
                return r;
        if (l.v2) {
                _cleanup_free_ struct bpf_insn *prog = NULL;
                size_t n = 0;
                r = v2_device_program(c, &prog, &n);
                if (r < 0)
                        return r;
        }
        return cgroupfs_layout_check_mounted(&l, &plan, e);
}

/* Records, before anything is made, the directories enter() is going to make, so that delete finds
 * them after a create killed midway. */
static int cgroupfs_intent(const OciConfig *c, ContainerState *s, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = config_plan(&l, c, &plan, e);
        if (r < 0)
                return r;
        /* The hybrid host's cgroup2 hierarchy goes last: the others' paths are what update and kill read. */
        for (size_t k = 0; k <= l.n; k++) {
                _cleanup_free_ char *dir = NULL, *path = NULL;
                size_t i = k < l.n ? k : (size_t) (l.hybrid_unified ? l.hybrid_unified - l.h : 0);
                bool is_default = false;

                if (k == l.n && !l.hybrid_unified)
                        break;
                if (k < l.n && &l.h[i] == l.hybrid_unified)
                        continue;
                if ((l.v2 ? &l.h[i] != l.v2 : l.h[i].unified && &l.h[i] != l.hybrid_unified) ||
                    !cgroupfs_layout_needed(&l.h[i], &plan))
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
                /* cgroup_path is relative to the cgroup2 mount (events, exec): v2 only. */
                if (l.v2) {
                        free(s->cgroup_path);
                        s->cgroup_path = TAKE_PTR(path);
                }
        }
        return 0;
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
        bool cpuset = !h->unified && strv_contains(h->controllers, "cpuset"); /* v2 inherits by itself */
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

static int write_one(const char *dir, const CgroupWrite *w, bool v2, SysrunError *e) {
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
                                v2 ? "%s: %s: write %s: no such file (controller %s not enabled in %s, or the "
                                     "kernel has no such file)"
                                   : "%s: %s: write %s: no such file (the kernel's %s controller has no such "
                                     "file in %s)",
                                w->field, w->file, w->value, controller ?: "?", dir);
        }
        if (r < 0)
                return sysrun_error_set(e, r, "%s: %s: write %s: %m (in %s)", w->field, w->file, w->value, dir);
        return 0;
}

static int apply_writes(const ContainerState *s, const CgroupfsLayout *l, const CgroupfsPlan *p, SysrunError *e) {
        for (size_t i = 0; i < p->n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(p->writes[i].file);
                const char *dir;
                int r;

                if (!c)
                        return -ENOMEM;
                dir = cgroupfs_layout_container_dir(s, l, c);
                if (!dir)
                        return sysrun_error_set(e, -EOPNOTSUPP,
                                                "%s: cannot be applied: the container has no '%s' cgroup",
                                                p->writes[i].field, c);
                r = write_one(dir, &p->writes[i], l->v2 != NULL, e);
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

/* v2: the controllers the container's cgroup gets: those its limits use, and those its usage figures
 * come from when the host has them. */
static int v2_enable_for(const CgroupfsLayout *l, const ContainerState *s, const CgroupfsPlan *p, SysrunError *e) {
        static const char *const base[] = { "cpu", "io", "memory", "pids" };
        _cleanup_strv_free_ char **available = NULL, **want = NULL;
        int r;

        r = cgroupfs_layout_v2_available(l, &available);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read %s/cgroup.controllers: %m", l->v2->mount_point);
        STRV_FOREACH(c, available) {
                bool needed = cgroupfs_plan_uses(p, *c);
                for (size_t i = 0; i < ELEMENTSOF(base) && !needed; i++)
                        needed = streq(base[i], *c);
                if (needed && strv_extend(&want, *c) < 0)
                        return -ENOMEM;
        }
        return want ? cgroupfs_v2_enable(l->v2->mount_point, s->cgroupfs_dirs[0], want, e) : 0;
}

static int v2_attach_device_filter(const OciConfig *c, const char *dir, SysrunError *e) {
        _cleanup_free_ struct bpf_insn *prog = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t n = 0;
        int r;

        r = v2_device_program(c, &prog, &n);
        if (r < 0)
                return r;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return sysrun_error_set(e, -errno, "cannot open cgroup '%s': %m", dir);
        return bpf_devices_attach(fd, prog, n, e);
}

/* 1 when the existing cgroup dir is frozen (v2 cgroup.freeze, v1 freezer FREEZING or FROZEN). */
static int cgroupfs_dir_frozen(const CgroupfsLayout *l, const char *dir) {
        const CgroupHierarchy *h;

        if (!cgroupfs_layout_hierarchy_of(l, dir, &h))
                return 0;
        if (h->unified)
                return cgroupfs_v2_is_frozen(dir);
        if (strv_contains(h->controllers, "freezer"))
                return freezer_v1_state(dir) > 0;
        return 0;
}

static int cgroupfs_enter(const OciConfig *c, ContainerState *s, pid_t pid, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = config_plan(&l, c, &plan, e);
        if (r < 0)
                return r;
        r = cgroupfs_layout_check_mounted(&l, &plan, e);
        if (r < 0)
                return r;
        /* A cgroup with processes in it is someone else's (the same id under another --root): never
         * shared, and then not ours to remove either. */
        STRV_FOREACH(d, s->cgroupfs_dirs) {
                _cleanup_close_ int fd = open(*d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                _cleanup_free_ pid_t *pids = NULL;
                size_t n = 0;
                /* An explicit cgroupsPath is the caller's to share, as runc lets it (with its warning);
                 * sysrun's default one is per container. */
                if (fd >= 0 && cgroup_read_pids_at(fd, &pids, &n) >= 0 && n > 0 && c->linux_section &&
                    !isempty(c->linux_section->cgroups_path)) {
                        if (!s->cgroup_shared)
                                sysrun_log(LOG_WARNING, "container's cgroup is not empty: %zu process(es) found", n);
                        s->cgroup_shared = true;
                        continue;
                }
                if (fd >= 0 && n > 0) {
                        r = sysrun_error_set(e, -EEXIST,
                                             "cgroup '%s' already exists and holds processes (another container "
                                             "with this id?)",
                                             *d);
                        s->cgroupfs_dirs = strv_free(s->cgroupfs_dirs);
                        s->cgroupfs_parents = strv_free(s->cgroupfs_parents);
                        return r;
                }
                /* A frozen one would freeze the init as it joins, and create would wait for it
                 * forever: refused, as runc does (and left as it is: it is not ours). */
                if (fd >= 0 && cgroupfs_dir_frozen(&l, *d) > 0) {
                        r = sysrun_error_set(e, -EBUSY, "container's cgroup unexpectedly frozen: '%s'", *d);
                        s->cgroupfs_dirs = strv_free(s->cgroupfs_dirs);
                        s->cgroupfs_parents = strv_free(s->cgroupfs_parents);
                        return r;
                }
        }
        STRV_FOREACH(d, s->cgroupfs_dirs) {
                const CgroupHierarchy *h;
                if (!cgroupfs_layout_hierarchy_of(&l, *d, &h))
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
        if (l.v2) {
                r = v2_enable_for(&l, s, &plan, e);
                /* Rootless, no BPF device program (it needs root): the init's nodes keep the rules. */
                if (r >= 0 && !rootless_detect())
                        r = v2_attach_device_filter(c, s->cgroupfs_dirs[0], e);
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
                        r = cgroupfs_write_text(dir, "cgroup.procs", s);
                        if (r < 0 && r != -ESRCH)
                                return sysrun_error_set(e, r, "cannot move process %s into '%s': %m", s, dir);
                }
        }
        return 0;
}

static int cgroupfs_update(ContainerState *s, const OciResources *res, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        ResourceInput in = { .resources = res, .mode = RESOURCE_MODE_UPDATE };
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = layout_plan(&l, &in, &plan, e);
        if (r < 0)
                return r;
        r = cgroupfs_layout_check_mounted(&l, &plan, e);
        if (r < 0)
                return r;
        if (!s->cgroupfs_dirs)
                return sysrun_error_set(e, -ENOENT, "container '%s' has no cgroup", s->id);
        if (l.v2) {
                r = v2_enable_for(&l, s, &plan, e);
                return r < 0 ? r : apply_writes(s, &l, &plan, e);
        }
        /* A controller the container did not use so far gets its directory now, with the processes. */
        for (size_t i = 0; i < plan.n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(plan.writes[i].file), *dir = NULL;
                const CgroupHierarchy *h, *first;
                const char *rel;

                if (!c)
                        return -ENOMEM;
                if (cgroupfs_layout_container_dir(s, &l, c))
                        continue;
                h = cgroupfs_layout_find(&l, c);
                rel = cgroupfs_layout_hierarchy_of(&l, s->cgroupfs_dirs[0], &first);
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

static int cgroupfs_freeze(ContainerState *s, bool freeze, SysrunError *e) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        const char *dir;
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        if (l.v2 && s->cgroupfs_dirs)
                return cgroupfs_v2_freeze(s->cgroupfs_dirs[0], freeze, e);
        dir = cgroupfs_layout_container_dir(s, &l, "freezer");
        if (!dir)
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "%s needs the freezer controller, which is not mounted on this host",
                                        freeze ? "pause" : "resume");
        return freezer_v1_freeze(dir, freeze, e);
}

static int cgroupfs_is_frozen(ContainerState *s) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        const char *dir;
        int r;

        if (cgroupfs_layout_load(&l) < 0)
                return 0;
        if (l.v2)
                return s->cgroupfs_dirs ? cgroupfs_v2_is_frozen(s->cgroupfs_dirs[0]) : 0;
        if (!(dir = cgroupfs_layout_container_dir(s, &l, "freezer")))
                return 0;
        r = freezer_v1_state(dir);
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

static pid_t *mfree_pids(pid_t *p) {
        free(p);
        return NULL;
}

/* Frozen while it signals, so that nothing forks past it (as runc does); thawed again unless it was
 * paused. SIGKILL always thaws: a frozen v1 task does not die before it runs. */
static int signal_all(ContainerState *s, const CgroupfsLayout *l, int sig, SysrunError *e) {
        _cleanup_free_ pid_t *pids = NULL;
        const char *freezer = l->v2 ? NULL : cgroupfs_layout_container_dir(s, l, "freezer"), *dir;
        bool was_frozen = false, froze = false;
        size_t n = 0;
        int r;

        if (!s->cgroupfs_dirs)
                return 0;
        dir = s->cgroupfs_dirs[0];
        if (l->v2) {
                /* cgroup.kill (Linux 5.14) kills the whole tree at once; a frozen v2 task dies too. */
                r = read_pids(s, &pids, &n);
                if (r >= 0 && sig == SIGKILL && cgroupfs_write_text(dir, "cgroup.kill", "1") >= 0)
                        return (int) n;
                was_frozen = cgroupfs_v2_is_frozen(dir) > 0;
                froze = !was_frozen && cgroupfs_v2_freeze(dir, true, NULL) >= 0;
        } else if (freezer) {
                was_frozen = freezer_v1_state(freezer) == FREEZER_V1_FROZEN;
                froze = !was_frozen && freezer_v1_freeze(freezer, true, NULL) >= 0;
        }
        pids = mfree_pids(pids);
        r = read_pids(s, &pids, &n);
        if (r >= 0)
                for (size_t i = 0; i < n; i++)
                        (void) kill(pids[i], sig);
        if (l->v2 && froze)
                (void) cgroupfs_v2_freeze(dir, false, NULL);
        else if (freezer && (froze || (was_frozen && sig == SIGKILL)))
                (void) freezer_v1_freeze(freezer, false, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the processes of cgroup '%s': %m", s->cgroupfs_dirs[0]);
        return (int) n;
}

static int cgroupfs_kill_all(ContainerState *s, int sig, SysrunError *e) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        int r;

        if (!s->cgroupfs_dirs)
                return -EOPNOTSUPP;
        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        r = signal_all(s, &l, sig, e);
        if (r == 0)
                return sysrun_error_set(e, -ESRCH, "container not running");
        return r < 0 ? r : 0;
}

static int cgroupfs_destroy(ContainerState *s, SysrunError *e) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        int r = 0;

        if (!s->cgroupfs_dirs && !s->cgroupfs_parents)
                return 0;
        (void) cgroupfs_layout_load(&l);
        if (s->cgroup_shared) {
                /* Another container's too: what is empty goes, and nobody is killed. Busy with no
                 * process listed is the last ones exiting (v1 has no event for it): retried as below. */
                for (unsigned i = 0; i < 500; i++) {
                        _cleanup_free_ pid_t *pids = NULL;
                        size_t n = 0;

                        r = 0;
                        STRV_FOREACH(d, s->cgroupfs_dirs)
                                if (cgroupfs_remove_tree(*d, 0) == -EBUSY)
                                        r = -EBUSY;
                        if (r != -EBUSY || read_pids(s, &pids, &n) < 0 || n > 0)
                                break;
                        nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
                }
                for (size_t i = strv_length(s->cgroupfs_parents); i > 0; i--)
                        (void) rmdir(s->cgroupfs_parents[i - 1]);
                return 0;
        }
        if (l.v2 && s->cgroupfs_dirs) {
                /* Killed, then empty once cgroup.events says so (no polling on v2). */
                if (cgroupfs_write_text(s->cgroupfs_dirs[0], "cgroup.kill", "1") >= 0)
                        (void) cgroupfs_v2_wait_event(s->cgroupfs_dirs[0], "populated", 0, 5000);
        }
        /* A v1 cgroup whose last tasks are still exiting is busy for a moment, and v1 has no event for
         * "empty" (release_agent aside): retried 10 ms apart for at most 5 s, killing what is left. */
        for (unsigned i = 0; i < 500; i++) {
                r = 0;
                STRV_FOREACH(d, s->cgroupfs_dirs) {
                        int k = cgroupfs_remove_tree(*d, 0);
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

static int cgroupfs_stats(ContainerState *s, CgroupStats *ret, SysrunError *e) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        CgroupV1Dirs dirs;
        int r;

        r = cgroupfs_layout_load(&l);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        if (!s->cgroupfs_dirs)
                return sysrun_error_set(e, -ENOENT, "container '%s' has no cgroup", s->id);
        if (l.v2) {
                const CgroupHierarchy *h;
                const char *rel = cgroupfs_layout_hierarchy_of(&l, s->cgroupfs_dirs[0], &h);
                /* cgroup_stats_read() takes the path below the cgroup2 mount point. */
                r = rel ? cgroup_stats_read(rel, ret) : -ENOENT;
        } else {
                dirs = (CgroupV1Dirs){
                        .cpu = cgroupfs_layout_container_dir(s, &l, "cpu"),
                        .cpuacct = cgroupfs_layout_container_dir(s, &l, "cpuacct"),
                        .memory = cgroupfs_layout_container_dir(s, &l, "memory"),
                        .pids = cgroupfs_layout_container_dir(s, &l, "pids"),
                        .blkio = cgroupfs_layout_container_dir(s, &l, "blkio"),
                };
                r = cgroupfs_v1_stats_read(&dirs, ret);
        }
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the statistics of cgroup '%s': %m", s->cgroupfs_dirs[0]);
        return 0;
}

#define CGROUPFS_OPERATIONS                 \
        .name = "cgroupfs",                 \
        .check = cgroupfs_check,            \
        .intent = cgroupfs_intent,          \
        .enter = cgroupfs_enter,            \
        .update = cgroupfs_update,          \
        .freeze = cgroupfs_freeze,          \
        .is_frozen = cgroupfs_is_frozen,    \
        .kill_all = cgroupfs_kill_all,      \
        .pids = cgroupfs_pids,              \
        .destroy = cgroupfs_destroy,        \
        .attach = cgroupfs_attach,          \
        .stats = cgroupfs_stats

const CgroupManager cgroupfs_manager = {
        CGROUPFS_OPERATIONS,
        .device_cgroup = true, /* devices.allow/deny (v1), the eBPF program (v2) */
};

/* Rootless, on a cgroup2 tree delegated to the user (rootless_cgroupfs_usable()): no device program. */
const CgroupManager cgroupfs_rootless_manager = {
        CGROUPFS_OPERATIONS,
        .device_cgroup = false,
};
