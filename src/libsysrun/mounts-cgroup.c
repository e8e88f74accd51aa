/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "mountinfo.h"
#include "mounts-cgroup.h"
#include "strv.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
/* runc's defaults for the cgroup mounts it makes itself. */
#define CGROUP_DEFAULT_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* One cgroup filesystem mounted at /sys/fs/cgroup or /sys/fs/cgroup/<name>. */
typedef struct CgroupHierarchy {
        char *mountpoint;
        char *root;      /* the mount's root inside the hierarchy ("/" usually) */
        char *name;      /* v1: "cpu,cpuacct", "name=systemd"; cgroup2: "" */
        bool v2;
} CgroupHierarchy;

typedef struct CgroupHierarchies {
        CgroupHierarchy *items;
        size_t n;
} CgroupHierarchies;

static void cgroup_hierarchies_done(CgroupHierarchies *h) {
        for (size_t i = 0; i < h->n; i++) {
                free(h->items[i].mountpoint);
                free(h->items[i].root);
                free(h->items[i].name);
        }
        free(h->items);
        *h = (CgroupHierarchies){};
}

char *cgroup_v1_hierarchy_name(const char *superopts, char *const *controllers) {
        _cleanup_free_ char *copy = strdup(superopts);
        char *out = calloc(1, strlen(superopts) + 1), *save = NULL;

        if (!copy || !out) {
                free(out);
                return NULL;
        }
        for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save))
                if (startswith(opt, "name=") || strv_contains(controllers, opt)) {
                        if (*out)
                                strcat(out, ",");
                        strcat(out, opt);
                }
        return out;
}

/* Whether the comma-separated list holds name (of len bytes). */
static bool list_has(const char *list, const char *name, size_t len) {
        for (const char *p = list; *p;) {
                size_t n = strcspn(p, ",");

                if (n == len && strncmp(p, name, len) == 0)
                        return true;
                p += n;
                if (*p)
                        p++;
        }
        return false;
}

/* Whether two comma-separated lists hold the same names, in any order. */
static bool same_name_set(const char *a, const char *b) {
        for (int pass = 0; pass < 2; pass++) {
                const char *x = pass ? b : a, *y = pass ? a : b;

                for (const char *p = x; *p;) {
                        size_t n = strcspn(p, ",");

                        if (n > 0 && !list_has(y, p, n))
                                return false;
                        p += n;
                        if (*p)
                                p++;
                }
        }
        return true;
}

int cgroup_own_path(const char *text, const char *hierarchy, char **ret) {
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        /* "ID:NAMES:PATH" per line; cgroup2 is "0::PATH". */
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *names = strchr(line, ':'), *path;

                if (!names)
                        continue;
                names++;
                path = strchr(names, ':');
                if (!path)
                        continue;
                *path++ = 0;
                if (isempty(hierarchy) ? !isempty(names) :
                                         isempty(names) || !same_name_set(names, hierarchy))
                        continue;
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

static int read_controllers(char ***ret) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **l = NULL;
        char *save = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/cgroups", 1 << 20, &text, NULL);
        if (r < 0)
                return r;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char name[64];
                int hierarchy, num, enabled;

                if (line[0] == '#' || sscanf(line, "%63s %d %d %d", name, &hierarchy, &num, &enabled) != 4)
                        continue;
                if (enabled && strv_extend(&l, name) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* The cgroup filesystems at /sys/fs/cgroup and directly below it, the topmost per mountpoint. */
static int hierarchies_read(CgroupHierarchies *ret) {
        _cleanup_(cgroup_hierarchies_done) CgroupHierarchies h = {};
        _cleanup_strv_free_ char **controllers = NULL;
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        r = read_controllers(&controllers);
        if (r < 0)
                return r;
        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 64 << 20, &text, NULL);
        if (r < 0)
                return r;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                CgroupHierarchy *item = NULL, *n;
                MountInfoEntry mi;
                const char *sub;

                if (mountinfo_parse_line(line, &mi) < 0 ||
                    (!streq(mi.fstype, "cgroup") && !streq(mi.fstype, "cgroup2")))
                        continue;
                sub = startswith(mi.mountpoint, CGROUP_ROOT);
                if (!sub || (*sub && (*sub != '/' || strchr(sub + 1, '/') || !sub[1])))
                        continue;

                for (size_t i = 0; i < h.n; i++)
                        if (streq(h.items[i].mountpoint, mi.mountpoint))
                                item = &h.items[i];
                if (!item) {
                        n = realloc(h.items, (h.n + 1) * sizeof(*h.items));
                        if (!n)
                                return -ENOMEM;
                        h.items = n;
                        item = &h.items[h.n++];
                        *item = (CgroupHierarchy){ .mountpoint = strdup(mi.mountpoint) };
                        if (!item->mountpoint)
                                return -ENOMEM;
                }
                free(item->root);
                free(item->name);
                item->v2 = streq(mi.fstype, "cgroup2");
                item->root = strdup(mi.root);
                item->name = item->v2 ? strdup("") : cgroup_v1_hierarchy_name(mi.superopts, controllers);
                if (!item->root || !item->name)
                        return -ENOMEM;
        }
        *ret = h;
        h = (CgroupHierarchies){};
        return 0;
}

static int reopen(int at_fd, const char *path, bool in_root) {
        int fd;

        if (in_root)
                return open_in_root(at_fd, path, O_PATH);
        fd = openat(at_fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

/* Binds the container's own cgroup of hierarchy h on at_fd/path, with the mount's flags. */
static int bind_own(const RootfsContext *ctx, const CgroupHierarchy *h, const char *own_text, int at_fd,
                    const char *path, bool in_root, const MountOptions *o, size_t idx, SysrunError *e) {
        _cleanup_free_ char *own = NULL, *src = NULL;
        _cleanup_close_ int fd = -EBADF;
        unsigned long flags = o->flags & ~MS_REMOUNT;
        const char *rel;
        char target[32];
        int r;

        r = cgroup_own_path(own_text, h->name, &own);
        if (r < 0)
                return sysrun_error_set(e, r, "mounts[%zu]: cannot find the container's cgroup in %s: %m", idx,
                                        h->mountpoint);
        rel = streq(h->root, "/") ? own : startswith(own, h->root);
        if (!rel || (*rel && *rel != '/'))
                return sysrun_error_set(e, -EXDEV, "mounts[%zu]: the container's cgroup '%s' is outside %s", idx,
                                        own, h->mountpoint);
        if (asprintf(&src, "%s%s", h->mountpoint, rel) < 0)
                return sysrun_error_set(e, -ENOMEM, "out of memory");

        fd = reopen(at_fd, path, in_root);
        if (fd < 0)
                return sysrun_error_set(e, fd, "mounts[%zu]: cgroup: cannot open '%s': %m", idx, path);
        if (mount(src, fd_path(target, fd), NULL, MS_BIND | MS_REC, NULL) < 0)
                return sysrun_error_set(e, -errno, "mounts[%zu]: cgroup: cannot bind '%s': %m", idx, src);
        if (flags == 0)
                return 0;
        /* The fd must name the new mount, not the directory under it. */
        safe_close(fd);
        fd = reopen(at_fd, path, in_root);
        if (fd < 0)
                return sysrun_error_set(e, fd, "mounts[%zu]: cgroup: cannot open '%s': %m", idx, path);
        r = remount_bind(fd, flags, o->clear_flags, ctx->in_userns);
        if (r < 0)
                return sysrun_error_set(e, r, "mounts[%zu]: cgroup: remount of '%s' with its options: %m", idx, src);
        return 0;
}

static int fresh_mount(int fd, const char *source, const char *fstype, unsigned long flags, const char *data,
                       size_t idx, SysrunError *e) {
        char target[32];

        if (mount(source, fd_path(target, fd), fstype, flags, data) < 0)
                return sysrun_error_set(e, -errno, "mounts[%zu]: cannot mount %s%s%s: %m", idx, fstype,
                                        data ? " " : "", strempty(data));
        return 0;
}

/* A v1 or hybrid host: a tmpfs with one mount per hierarchy, and links for co-mounted controllers. */
static int mount_v1_layout(const RootfsContext *ctx, int rootfd, int dst_fd, const CgroupHierarchies *hs,
                           const char *own_text, size_t idx, const MountOptions *o, SysrunError *e) {
        const char *dest = ctx->config->mounts[idx].destination;
        unsigned long flags = (o->flags & ~MS_REMOUNT) | CGROUP_DEFAULT_FLAGS;
        _cleanup_close_ int tmpfs_fd = -EBADF;
        char target[32];
        int r;

        if (mount("tmpfs", fd_path(target, dst_fd), "tmpfs", CGROUP_DEFAULT_FLAGS, "mode=755") < 0)
                return sysrun_error_set(e, -errno, "mounts[%zu]: cannot mount the cgroup tmpfs on '%s': %m", idx, dest);
        tmpfs_fd = open_in_root(rootfd, dest, O_PATH | O_DIRECTORY);
        if (tmpfs_fd < 0)
                return sysrun_error_set(e, tmpfs_fd, "mounts[%zu]: '%s' moved during setup", idx, dest);

        for (size_t i = 0; i < hs->n; i++) {
                const CgroupHierarchy *h = &hs->items[i];
                const char *base = strrchr(h->mountpoint, '/') + 1;

                if (streq(h->mountpoint, CGROUP_ROOT) || (!h->v2 && isempty(h->name)))
                        continue;
                if (mkdirat(tmpfs_fd, base, 0755) < 0 && errno != EEXIST)
                        return sysrun_error_set(e, -errno, "mounts[%zu]: cannot create '%s/%s': %m", idx, dest, base);
                if (ctx->in_cgroupns) {
                        _cleanup_close_ int fd = reopen(tmpfs_fd, base, false);
                        _cleanup_free_ char *data = NULL;

                        if (fd < 0)
                                return sysrun_error_set(e, fd, "mounts[%zu]: cannot open '%s/%s': %m", idx, dest, base);
                        if (h->v2)
                                r = fresh_mount(fd, "cgroup2", "cgroup2", o->flags & ~MS_REMOUNT, NULL, idx, e);
                        else {
                                const char *named = startswith(h->name, "name=");

                                if (asprintf(&data, "%s%s", named ? "none," : "", h->name) < 0)
                                        return sysrun_error_set(e, -ENOMEM, "out of memory");
                                r = fresh_mount(fd, named ?: "cgroup", "cgroup", flags, data, idx, e);
                        }
                } else
                        r = bind_own(ctx, h, own_text, tmpfs_fd, base, /* in_root= */ false, o, idx, e);
                if (r < 0)
                        return r;

                /* cpu -> cpu,cpuacct */
                if (!h->v2 && strchr(base, ',')) {
                        _cleanup_free_ char *copy = strdup(base);
                        char *save = NULL;

                        if (!copy)
                                return sysrun_error_set(e, -ENOMEM, "out of memory");
                        for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
                                if (symlinkat(base, tmpfs_fd, c) < 0 && errno != EEXIST)
                                        return sysrun_error_set(e, -errno, "mounts[%zu]: cannot link '%s/%s': %m",
                                                                idx, dest, c);
                }
        }
        /* Read-only once populated, as asked; the hierarchies below have their own flags. */
        if (o->flags & MS_RDONLY) {
                r = remount_bind(tmpfs_fd, CGROUP_DEFAULT_FLAGS | MS_RDONLY, 0, ctx->in_userns);
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: cannot make the cgroup tmpfs read-only: %m", idx);
        }
        return 0;
}

int mount_cgroup(const RootfsContext *ctx, int rootfd, int dst_fd, size_t idx, const char *fstype,
                 const MountOptions *o, SysrunError *e) {
        _cleanup_(cgroup_hierarchies_done) CgroupHierarchies hs = {};
        _cleanup_free_ char *own_text = NULL;
        const CgroupHierarchy *unified = NULL;
        bool v2_host;
        int r;

        r = hierarchies_read(&hs);
        if (r < 0)
                return sysrun_error_set(e, r, "mounts[%zu]: cannot read the host's cgroup mounts: %m", idx);
        /* Where the manager (or nothing) put the init: the container's cgroup. */
        r = read_full_file_at(AT_FDCWD, "/proc/self/cgroup", 1 << 20, &own_text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "mounts[%zu]: cannot read /proc/self/cgroup: %m", idx);

        for (size_t i = 0; i < hs.n; i++)
                if (hs.items[i].v2 && (!unified || streq(hs.items[i].mountpoint, CGROUP_ROOT)))
                        unified = &hs.items[i];
        v2_host = unified && streq(unified->mountpoint, CGROUP_ROOT);

        if (!v2_host && streq(fstype, "cgroup"))
                return mount_v1_layout(ctx, rootfd, dst_fd, &hs, own_text, idx, o, e);

        /* cgroup2: the unified hierarchy. */
        if (ctx->in_cgroupns)
                return fresh_mount(dst_fd, ctx->config->mounts[idx].source ?: "cgroup2", "cgroup2",
                                   o->flags & ~MS_REMOUNT, o->data, idx, e);
        if (!unified)
                return sysrun_error_set(e, -ENOENT, "mounts[%zu]: the host has no cgroup2 hierarchy at %s", idx,
                                        CGROUP_ROOT);
        return bind_own(ctx, unified, own_text, rootfd, ctx->config->mounts[idx].destination, /* in_root= */ true,
                        o, idx, e);
}
