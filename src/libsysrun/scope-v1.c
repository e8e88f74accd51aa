/* SPDX-License-Identifier: Apache-2.0 */
#include "scope-v1.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "freezer-v1.h"
#include "log.h"
#include "strv.h"

#define CPU_FIELD "linux.resources.cpu."

/* A user's systemd (rootless) owns no v1 hierarchy: what it cannot write there is left alone, as
 * nothing of the container could be enforced in it anyway. */
static bool v1_denied(int r) {
        return geteuid() != 0 && (r == -EACCES || r == -EPERM || r == -EROFS);
}

char *scope_v1_dir(const CgroupHierarchy *h, const char *pid1_path, const char *scope_cg) {
        _cleanup_free_ char *base = strdup(isempty(pid1_path) ? "/" : pid1_path);
        const char *rel;
        size_t n;
        char *d;

        if (!base || h->unified || isempty(scope_cg) || scope_cg[0] != '/')
                return NULL;
        /* pid 1 sits in init.scope of systemd's root (systemd ≥ 226), as runc trims it */
        n = strlen(base);
        if (n >= strlen("/init.scope") && streq(base + n - strlen("/init.scope"), "/init.scope"))
                base[n - strlen("/init.scope")] = 0;
        n = strlen(base);
        while (n > 0 && base[n - 1] == '/')
                base[--n] = 0;
        /* the mount shows the hierarchy from h->root down */
        rel = base;
        if (h->root) {
                size_t m = strlen(h->root);
                if (strncmp(base, h->root, m) != 0 || (base[m] != 0 && base[m] != '/'))
                        return NULL;
                rel = base + m;
        }
        if (asprintf(&d, "%s%s%s", h->mount_point, rel, scope_cg) < 0)
                return NULL;
        return d;
}

static int hierarchies_load(CgroupHierarchy **ret, size_t *ret_n) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &text, NULL);
        if (r < 0)
                return r;
        return cgroup_hierarchies_from_mountinfo(text, ret, ret_n);
}

static int own_dir_uncached(const char *controller, const char *scope_cg, char **ret);

/* The v1 hierarchies that systemd does not realise units in, where sysrun makes the scope a cgroup
 * of its own (as runc's systemd v1 driver joins every hierarchy): the freezer for pause, the cpuset
 * for cpu.cpus and cpu.mems. */
static const char *const own_controllers[] = { "freezer", "cpuset" };

/* 1 with the scope's directory in controller's v1 hierarchy; 0 without one. Where each hierarchy is
 * is found once per process: state and list ask for every container. */
static int own_dir(const char *controller, const char *scope_cg, char **ret) {
        static pid_t cached_pid[ELEMENTSOF(own_controllers)];
        static char *prefix[ELEMENTSOF(own_controllers)]; /* what goes before the scope's path: NULL without one */
        size_t i;
        int r;

        for (i = 0; i < ELEMENTSOF(own_controllers) && !streq(own_controllers[i], controller); i++)
                ;
        if (i == ELEMENTSOF(own_controllers) || !scope_cg || scope_cg[0] != '/')
                return own_dir_uncached(controller, scope_cg, ret);
        if (cached_pid[i] != getpid()) {
                char *p = NULL;
                r = own_dir_uncached(controller, "/", &p);
                if (r < 0)
                        return r;
                if (r > 0)
                        p[strlen(p) - 1] = 0; /* the "/" asked for */
                free(cached_pid[i] ? NULL : prefix[i]); /* a parent's, before the fork: not ours to free */
                prefix[i] = r > 0 ? p : NULL;
                cached_pid[i] = getpid();
        }
        if (!prefix[i])
                return 0;
        return asprintf(ret, "%s%s", prefix[i], scope_cg) < 0 ? -ENOMEM : 1;
}

static int own_dir_uncached(const char *controller, const char *scope_cg, char **ret) {
        _cleanup_free_ char *proc1 = NULL, *pid1_path = NULL;
        CgroupHierarchy *h = NULL;
        size_t n = 0;
        int r;

        r = hierarchies_load(&h, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                if (h[i].unified || !strv_contains(h[i].controllers, controller))
                        continue;
                r = read_full_file_at(AT_FDCWD, "/proc/1/cgroup", 1 << 20, &proc1, NULL);
                if (r >= 0)
                        r = cgroup_v1_path_from_proc_text(proc1, controller, &pid1_path);
                if (r >= 0) {
                        *ret = scope_v1_dir(&h[i], pid1_path, scope_cg);
                        r = *ret ? 1 : -ENOENT;
                }
                cgroup_hierarchies_free(h, n);
                return r;
        }
        cgroup_hierarchies_free(h, n);
        return 0;
}

static int freezer_dir(const char *scope_cg, char **ret) {
        return own_dir("freezer", scope_cg, ret);
}

static char *trim_newline(char *t) {
        size_t n = strlen(t);
        while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == ' '))
                t[--n] = 0;
        return t;
}

/* A new cpuset cgroup has no CPU and no memory node, and takes no task until it has both: its
 * parent's (unless the parent's cgroup.clone_children gave them already). 0 also for a directory
 * that is no cpuset cgroup (the mount point's own parents). */
static int cpuset_inherit(const char *dir) {
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
        _cleanup_free_ char *parent = strdup(dir);
        char *slash = parent ? strrchr(parent, '/') : NULL;

        if (!slash)
                return -ENOMEM;
        *slash = 0;
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *from = NULL, *to = NULL, *mine = NULL, *value = NULL;
                int r;
                if (asprintf(&from, "%s/%s", parent, files[i]) < 0 || asprintf(&to, "%s/%s", dir, files[i]) < 0)
                        return -ENOMEM;
                if (read_full_file_at(AT_FDCWD, to, 4096, &mine, NULL) < 0)
                        return 0;
                if (!isempty(trim_newline(mine)))
                        continue;
                r = read_full_file_at(AT_FDCWD, from, 4096, &value, NULL);
                if (r >= 0)
                        r = write_string_file_at(AT_FDCWD, to, trim_newline(value));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* mkdir -p of the scope's directory in controller's hierarchy; a parent that another container's
 * delete removed meanwhile is made again. */
static int own_dir_make(const char *controller, char *dir, SysrunError *e) {
        bool cpuset = streq(controller, "cpuset");
        int r = 0;

        for (unsigned attempt = 0;; attempt++) {
                for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
                        *slash = 0;
                        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                                r = -errno;
                        else if (cpuset)
                                (void) cpuset_inherit(dir);
                        *slash = '/';
                }
                if (mkdir(dir, 0755) >= 0 || errno == EEXIST)
                        break;
                r = -errno;
                if (v1_denied(r)) {
                        sysrun_log(LOG_DEBUG, "cannot create the v1 %s cgroup '%s': %m", controller, dir);
                        return 0;
                }
                if (r != -ENOENT || attempt >= 3)
                        return sysrun_error_set(e, r, "cannot create the v1 %s cgroup '%s': %m", controller, dir);
        }
        if (cpuset) {
                r = cpuset_inherit(dir);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot give the v1 cpuset cgroup '%s' its parent's cpus and mems: %m",
                                                dir);
        }
        return 1;
}

static int write_pid(const char *dir, pid_t pid) {
        _cleanup_free_ char *path = NULL;
        char s[32];

        snprintf(s, sizeof(s), "%d", (int) pid);
        if (asprintf(&path, "%s/cgroup.procs", dir) < 0)
                return -ENOMEM;
        return write_string_file_at(AT_FDCWD, path, s);
}

int scope_v1_join(const char *scope_cg, pid_t pid, SysrunError *e) {
        for (size_t i = 0; i < ELEMENTSOF(own_controllers); i++) {
                const char *controller = own_controllers[i];
                _cleanup_free_ char *dir = NULL;
                int r;

                r = own_dir(controller, scope_cg, &dir);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot find the v1 %s cgroup of '%s': %m", controller, scope_cg);
                if (r == 0)
                        continue;
                r = own_dir_make(controller, dir, e);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue; /* a user's systemd: not there to be joined */
                if (streq(controller, "freezer") && freezer_v1_state(dir) > 0)
                        return sysrun_error_set(e, -EBUSY, "container's cgroup unexpectedly frozen: '%s'", dir);
                r = write_pid(dir, pid);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot move process %d into cgroup '%s': %m", (int) pid, dir);
        }
        return 0;
}

int scope_v1_freeze(const char *scope_cg, bool freeze, SysrunError *e) {
        _cleanup_free_ char *dir = NULL;
        int r;

        r = scope_cg ? freezer_dir(scope_cg, &dir) : 0;
        if (r <= 0 || access(dir, F_OK) < 0)
                return -EOPNOTSUPP;
        return freezer_v1_freeze(dir, freeze, e);
}

int scope_v1_is_frozen(const char *scope_cg) {
        _cleanup_free_ char *dir = NULL;
        int r;

        r = scope_cg ? freezer_dir(scope_cg, &dir) : 0;
        if (r <= 0)
                return 0;
        r = freezer_v1_state(dir);
        if (r == -ENOENT)
                return 0;
        return r < 0 ? r : r > 0;
}

static int own_dir_remove(const char *controller, const char *scope_cg, SysrunError *e) {
        _cleanup_free_ char *dir = NULL, *base = NULL;
        int r;

        r = scope_cg ? own_dir(controller, scope_cg, &dir) : 0;
        if (r <= 0)
                return 0;
        /* Frozen still: not the cgroup of a container that was killed (kill_all thaws after its
         * SIGKILL), but one that create found frozen and refused to join. Left as it was. */
        if (streq(controller, "freezer") && freezer_v1_state(dir) > 0)
                return 0;
        if (rmdir(dir) < 0 && errno != ENOENT)
                return sysrun_error_set(e, -errno, "cannot remove cgroup '%s': %m", dir);
        /* The slices above it, up to systemd's root, when no other container is in them. */
        base = strndup(dir, strlen(dir) - strlen(scope_cg));
        if (!base)
                return -ENOMEM;
        for (char *slash = strrchr(dir, '/'); slash && (size_t) (slash - dir) > strlen(base);
             slash = strrchr(dir, '/')) {
                *slash = 0;
                if (rmdir(dir) < 0)
                        break;
        }
        return 0;
}

int scope_v1_remove(const char *scope_cg, SysrunError *e) {
        int r = 0;

        for (size_t i = 0; i < ELEMENTSOF(own_controllers); i++) {
                int k = own_dir_remove(own_controllers[i], scope_cg, r < 0 ? NULL : e);
                if (k < 0 && r >= 0)
                        r = k;
        }
        return r;
}

int scope_v1_attach(pid_t init, pid_t pid, SysrunError *e) {
        _cleanup_free_ char *proc = NULL, *path = NULL;
        CgroupHierarchy *h = NULL;
        size_t n = 0;
        int r;

        r = hierarchies_load(&h, &n);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup mounts: %m");
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ char *dir = NULL;
                const char *rel;

                if (h[i].unified)
                        continue;
                if (!proc) {
                        char p[64];
                        snprintf(p, sizeof(p), "/proc/%d/cgroup", (int) init);
                        r = read_full_file_at(AT_FDCWD, p, 1 << 20, &proc, NULL);
                        if (r < 0) {
                                r = sysrun_error_set(e, r, "cannot read the cgroups of the container's init: %m");
                                break;
                        }
                }
                free(path);
                path = NULL;
                r = cgroup_v1_path_from_proc_text(proc, h[i].controllers[0], &path);
                if (r == -ENODATA) {
                        r = 0;
                        continue;
                }
                if (r < 0)
                        break;
                rel = path;
                if (h[i].root) {
                        size_t m = strlen(h[i].root);
                        if (strncmp(path, h[i].root, m) != 0)
                                continue; /* outside what this mount shows */
                        rel = path + m;
                }
                if (asprintf(&dir, "%s%s", h[i].mount_point, rel) < 0) {
                        r = -ENOMEM;
                        break;
                }
                r = write_pid(dir, pid);
                if (v1_denied(r))
                        r = 0;
                if (r < 0)
                        r = sysrun_error_set(e, r, "cannot move process %d into cgroup '%s': %m", (int) pid, dir);
        }
        cgroup_hierarchies_free(h, n);
        return r < 0 ? r : 0;
}

int scope_v1_pid_dir(pid_t pid, const char *controller, char **ret) {
        _cleanup_free_ char *proc = NULL, *path = NULL;
        CgroupHierarchy *h = NULL;
        char p[64];
        size_t n = 0;
        int r;

        snprintf(p, sizeof(p), "/proc/%d/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, p, 1 << 20, &proc, NULL);
        if (r < 0)
                return r;
        r = cgroup_v1_path_from_proc_text(proc, controller, &path);
        if (r == -ENODATA)
                return 0;
        if (r < 0)
                return r;
        r = hierarchies_load(&h, &n);
        if (r < 0)
                return r;
        r = 0;
        for (size_t i = 0; i < n && r == 0; i++) {
                const char *rel = path;
                if (h[i].unified || !strv_contains(h[i].controllers, controller))
                        continue;
                if (h[i].root) {
                        size_t m = strlen(h[i].root);
                        if (strncmp(path, h[i].root, m) != 0 || (path[m] && path[m] != '/'))
                                break; /* outside what this mount shows */
                        rel = path + m;
                }
                r = asprintf(ret, "%s%s", h[i].mount_point, rel) < 0 ? -ENOMEM : 1;
        }
        cgroup_hierarchies_free(h, n);
        return r;
}

static int write_value(const char *dir, const char *file, const char *field, const char *value, SysrunError *e) {
        _cleanup_free_ char *path = NULL;
        int r;

        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        r = write_string_file_at(AT_FDCWD, path, value);
        if (r < 0 && e)
                return sysrun_error_set(e, r, "%s: cannot be applied: failed to write \"%s\": write %s: %m", field,
                                        value, path);
        return r;
}

int scope_v1_cpu_bandwidth(pid_t pid, const OptI64 *quota, const OptU64 *period, SysrunError *e) {
        _cleanup_free_ char *dir = NULL;
        char q[32], per[32];
        bool period_pending = false;
        int r;

        if (!quota->set && !period->set)
                return 0;
        r = scope_v1_pid_dir(pid, "cpu", &dir);
        if (r <= 0)
                return r < 0 ? sysrun_error_set(e, r, "cannot find the container's v1 cpu cgroup: %m") : 0;
        snprintf(q, sizeof(q), "%" PRIi64, quota->value > 0 ? quota->value : (int64_t) -1);
        snprintf(per, sizeof(per), "%" PRIu64, period->value);
        if (period->set) {
                r = write_value(dir, "cpu.cfs_period_us", CPU_FIELD "period", per, NULL);
                /* A shorter period can raise quota/period above the parent's until the new quota is
                 * in: then the period goes again after it. */
                if (r == -EINVAL && quota->set)
                        period_pending = true;
                else if (r < 0)
                        return write_value(dir, "cpu.cfs_period_us", CPU_FIELD "period", per, e);
        }
        if (quota->set) {
                r = write_value(dir, "cpu.cfs_quota_us", CPU_FIELD "quota", q, e);
                if (r < 0)
                        return r;
        }
        if (period_pending)
                return write_value(dir, "cpu.cfs_period_us", CPU_FIELD "period", per, e);
        return 0;
}

int scope_v1_cpu_read(pid_t pid, int64_t *ret_quota, uint64_t *ret_period) {
        _cleanup_free_ char *dir = NULL, *q = NULL, *per = NULL, *qpath = NULL, *ppath = NULL;
        int r;

        r = scope_v1_pid_dir(pid, "cpu", &dir);
        if (r <= 0)
                return r;
        if (asprintf(&qpath, "%s/cpu.cfs_quota_us", dir) < 0 || asprintf(&ppath, "%s/cpu.cfs_period_us", dir) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, qpath, 64, &q, NULL);
        if (r >= 0)
                r = read_full_file_at(AT_FDCWD, ppath, 64, &per, NULL);
        if (r < 0)
                return r;
        if (sscanf(q, "%" SCNi64, ret_quota) != 1 || sscanf(per, "%" SCNu64, ret_period) != 1 || *ret_period == 0)
                return -EINVAL;
        return 1;
}

int scope_v1_cpuset_apply(pid_t pid, const char *cpus, const char *mems, SysrunError *e) {
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
        static const char *const fields[] = { CPU_FIELD "cpus", CPU_FIELD "mems" };
        const char *values[] = { cpus, mems };
        _cleanup_free_ char *dir = NULL;
        int r;

        if (isempty(cpus) && isempty(mems))
                return 0;
        r = scope_v1_pid_dir(pid, "cpuset", &dir);
        if (r <= 0)
                return r < 0 ? sysrun_error_set(e, r, "cannot find the container's v1 cpuset cgroup: %m") : 0;
        for (size_t i = 0; i < ELEMENTSOF(files); i++)
                if (!isempty(values[i])) {
                        r = write_value(dir, files[i], fields[i], values[i], e);
                        if (r < 0)
                                return r;
                }
        return 0;
}
