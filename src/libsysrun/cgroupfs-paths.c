/* SPDX-License-Identifier: Apache-2.0 */
/* Where the cgroupfs manager's cgroups live: the mounted hierarchies and the container's path. Pure. */
#include "cgroupfs.h"

#include "cgroupfs-sub.h"
#include "strv.h"

static const char *const v1_controllers[] = {
        "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory",
        "misc", "net_cls", "net_prio", "perf_event", "pids", "rdma",
};

static bool is_v1_controller(const char *s) {
        for (size_t i = 0; i < ELEMENTSOF(v1_controllers); i++)
                if (streq(v1_controllers[i], s))
                        return true;
        return false;
}

void cgroup_hierarchies_free(CgroupHierarchy *h, size_t n) {
        for (size_t i = 0; h && i < n; i++) {
                free(h[i].mount_point);
                free(h[i].root);
                strv_free(h[i].controllers);
        }
        free(h);
}

/* mountinfo: id parent maj:min root mountpoint options [optional…] - fstype source superoptions.
 * 1 with *ret filled for a cgroup mount, 0 for any other line. */
static int parse_line(const char *line, CgroupHierarchy *ret) {
        _cleanup_free_ char *copy = strdup(line);
        _cleanup_strv_free_ char **controllers = NULL;
        char *save = NULL, *mount_point = NULL, *root = NULL, *after[3] = {};
        size_t i = 0, k = 0;
        bool dash = false;

        if (!copy)
                return -ENOMEM;
        for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), i++) {
                if (i == 3)
                        root = w;
                else if (i == 4)
                        mount_point = w;
                else if (dash && k < 3)
                        after[k++] = w;
                else if (i > 5 && streq(w, "-"))
                        dash = true;
        }
        if (!mount_point || !after[0] || (!streq(after[0], "cgroup") && !streq(after[0], "cgroup2")))
                return 0;
        if (streq(after[0], "cgroup")) {
                char *s2 = NULL;
                for (char *o = strtok_r(after[2] ?: (char *) "", ",", &s2); o; o = strtok_r(NULL, ",", &s2))
                        if (is_v1_controller(o) && strv_extend(&controllers, o) < 0)
                                return -ENOMEM;
                if (!controllers)
                        return 0; /* a named hierarchy (name=systemd): no controller */
        }
        ret->mount_point = mountinfo_unescape(mount_point, strlen(mount_point));
        ret->root = root && !streq(root, "/") ? mountinfo_unescape(root, strlen(root)) : NULL;
        if (!ret->mount_point || (root && !streq(root, "/") && !ret->root))
                return -ENOMEM;
        ret->controllers = TAKE_PTR(controllers);
        ret->unified = streq(after[0], "cgroup2");
        return 1;
}

int cgroup_hierarchies_from_mountinfo(const char *mountinfo, CgroupHierarchy **ret, size_t *ret_n) {
        CgroupHierarchy *l = NULL;
        size_t n = 0;
        int r = 0;

        for (const char *p = mountinfo; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                _cleanup_free_ char *line = strndup(p, (size_t) (eol - p));
                CgroupHierarchy h = {};
                bool seen = false;

                p = *eol ? eol + 1 : NULL;
                if (!line) {
                        r = -ENOMEM;
                        break;
                }
                r = parse_line(line, &h);
                if (r < 0)
                        break;
                if (r == 0)
                        continue;
                /* The same hierarchy mounted twice (or cgroup2 twice): the first mount counts. */
                for (size_t i = 0; i < n && !seen; i++)
                        seen = l[i].unified == h.unified &&
                               (h.unified || (l[i].controllers && streq(l[i].controllers[0], h.controllers[0])));
                if (seen) {
                        free(h.mount_point);
                        free(h.root);
                        strv_free(h.controllers);
                        continue;
                }
                CgroupHierarchy *grown = reallocarray(l, n + 1, sizeof(*l));
                if (!grown) {
                        free(h.mount_point);
                        free(h.root);
                        strv_free(h.controllers);
                        r = -ENOMEM;
                        break;
                }
                l = grown;
                l[n++] = h;
                r = 0;
        }
        if (r < 0) {
                cgroup_hierarchies_free(l, n);
                return r;
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

int cgroup_v1_path_from_proc_text(const char *text, const char *controller, char **ret) {
        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                const char *c1 = memchr(p, ':', (size_t) (eol - p));
                const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t) (eol - c1 - 1)) : NULL;

                if (c2) {
                        /* "4:memory:/path", "1:cpu,cpuacct:/", "0::/path" (controller "") */
                        _cleanup_free_ char *list = strndup(c1 + 1, (size_t) (c2 - c1 - 1));
                        char *save = NULL;
                        bool match = isempty(controller) && c2 == c1 + 1;

                        if (!list)
                                return -ENOMEM;
                        for (char *w = strtok_r(list, ",", &save); w && !match; w = strtok_r(NULL, ",", &save))
                                match = streq(w, controller);
                        if (match) {
                                *ret = strndup(c2 + 1, (size_t) (eol - c2 - 1));
                                return *ret ? 0 : -ENOMEM;
                        }
                }
                p = *eol ? eol + 1 : NULL;
        }
        return -ENODATA;
}

/* Joins base and path, dropping empty components; refuses "." and "..". */
static int join_checked(const char *base, const char *path, char **ret) {
        _cleanup_free_ char *copy = NULL, *out = NULL;
        char *save = NULL;
        size_t len = 0;

        if (asprintf(&copy, "%s/%s", base ?: "", path) < 0)
                return -ENOMEM;
        out = calloc(1, strlen(copy) + 2);
        if (!out)
                return -ENOMEM;
        for (char *w = strtok_r(copy, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
                if (streq(w, ".") || streq(w, ".."))
                        return -EINVAL;
                len += (size_t) sprintf(out + len, "/%s", w);
        }
        if (len == 0)
                return -EINVAL; /* the root cgroup is nobody's container */
        *ret = TAKE_PTR(out);
        return 0;
}

int cgroupfs_resolve_path(const char *cgroups_path, const char *id, const char *base, char **ret,
                          bool *ret_default, SysrunError *e) {
        _cleanup_free_ char *def = NULL;
        const char *colon;
        int r;

        if (isempty(cgroups_path)) {
                if (asprintf(&def, "sysrun/%s", id) < 0)
                        return -ENOMEM;
                *ret_default = true;
                return join_checked("/", def, ret);
        }
        colon = strchr(cgroups_path, ':');
        if (cgroups_path[0] != '/' && colon && strchr(colon + 1, ':'))
                return sysrun_error_set(
                                e, -EINVAL,
                                "linux.cgroupsPath: '%s' is in the systemd form (slice:prefix:name), but the "
                                "cgroup manager is cgroupfs (systemd is not running); give a path instead",
                                cgroups_path);
        r = join_checked(cgroups_path[0] == '/' ? "/" : base, cgroups_path, ret);
        if (r == -EINVAL)
                return sysrun_error_set(
                                e, r, "linux.cgroupsPath: '%s' is not a cgroup path (\".\" and \"..\" are not "
                                      "allowed, nor the root cgroup)",
                                cgroups_path);
        if (r < 0)
                return r;
        *ret_default = false;
        return 0;
}
