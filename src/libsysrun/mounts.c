/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "copy-tree.h"
#include "errno-string.h"
#include "fd-util.h"
#include "log.h"
#include "lsm.h"
#include "mounts-cgroup.h"
#include "mounts-nopivot.h"
#include "mounts.h"
#include "namespaces.h"
#include "rootfs-hostns.h"
#include "strv.h"

int open_in_root(int rootfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd;

        while (*path == '/')
                path++;
        if (!*path)
                path = ".";
        fd = (int) syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        return fd < 0 ? -errno : fd;
}

int mkdir_open_in_root(int rootfd, const char *path, bool dir) {
        _cleanup_free_ char *copy = strdup(path), *prefix = calloc(1, strlen(path) + 2);
        _cleanup_close_ int parent = -EBADF;
        char *save = NULL, *c;
        int fd;

        if (!copy || !prefix)
                return -ENOMEM;
        fd = open_in_root(rootfd, path, O_PATH);
        if (fd != -ENOENT)
                return fd;

        parent = open_in_root(rootfd, "/", O_PATH | O_DIRECTORY);
        if (parent < 0)
                return parent;
        /* Walk down from the root, making each missing component. Each step is re-resolved inside
         * the root, so a symlink planted meanwhile still cannot lead out of it. */
        for (c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
                bool last = !save || !*save || strspn(save, "/") == strlen(save);

                strcat(strcat(prefix, "/"), c);
                fd = open_in_root(rootfd, prefix, O_PATH);
                if (fd == -ENOENT) {
                        if (last && !dir) {
                                int f = openat(parent, c, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
                                if (f < 0 && errno != EEXIST)
                                        return -errno;
                                safe_close(f);
                        } else if (mkdirat(parent, c, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        fd = open_in_root(rootfd, prefix, O_PATH);
                }
                if (fd < 0)
                        return fd;
                safe_close(parent);
                parent = fd;
        }
        return TAKE_FD(parent);
}

static int mount_fd(const char *source, int target_fd, const char *type, unsigned long flags, const char *data) {
        char target[32];

        if (mount(source, fd_path(target, target_fd), type, flags, data) < 0)
                return -errno;
        return 0;
}

/* Flags that a less privileged mount namespace may not clear on a bind mount. */
static unsigned long locked_flags(int fd) {
        struct statvfs sv;
        unsigned long f = 0;

        if (fstatvfs(fd, &sv) < 0)
                return 0;
        if (sv.f_flag & ST_NOSUID)
                f |= MS_NOSUID;
        if (sv.f_flag & ST_NODEV)
                f |= MS_NODEV;
        if (sv.f_flag & ST_NOEXEC)
                f |= MS_NOEXEC;
        if (sv.f_flag & ST_RDONLY)
                f |= MS_RDONLY;
        return f;
}

int remount_bind(int target_fd, unsigned long flags, unsigned long clear, bool in_userns) {
        unsigned long f = flags | MS_BIND | MS_REMOUNT;
        int r;

        if (in_userns)
                f |= locked_flags(target_fd) & ~clear & ~MS_RDONLY;
        r = mount_fd(NULL, target_fd, NULL, f, NULL);
        if (r == -EPERM && !in_userns) {
                /* The source mount may carry flags that cannot be cleared by a remount. */
                f |= locked_flags(target_fd) & ~clear;
                r = mount_fd(NULL, target_fd, NULL, f, NULL);
        }
        return r;
}

static bool fd_is_root(int fd, int rootfd) {
        struct stat a, b;

        return fstat(fd, &a) == 0 && fstat(rootfd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static bool is_dev_dest(const char *d) {
        while (*d == '/' && d[1] == '/')
                d++;
        return streq(d, "/dev") || streq(d, "/dev/");
}

/* The recursive options ("rro", "rnoexec", …) on the whole tree at dst_fd, after the mount is made. */
static int apply_recursive_attrs(const OciMount *m, size_t idx, const MountOptions *o, int dst_fd, SysrunError *e) {
        struct mount_attr attr = { .attr_set = o->attr_set, .attr_clr = o->attr_clr };
        _cleanup_free_ char *names = NULL;
        int r;

        if (syscall(SYS_mount_setattr, dst_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) >= 0)
                return 0;
        r = -errno;
        names = mount_options_recursive_names(m->options);
        return sysrun_error_set(e, r, "mounts[%zu] (%s): option \"%s\": %s: %s", idx, m->destination,
                                strempty(names),
                                r == -ENOSYS ? "recursive mount attributes need mount_setattr (Linux 5.12 or later)" :
                                r == -EINVAL ? "not supported by the kernel" :
                                               "cannot apply",
                                ERRNO_STRING(r));
}

/* tmpcopyup: the tmpfs at dst_fd gets a copy of what the rootfs had there (copy_from, opened before
 * the tmpfs covered it). Its root takes the covered directory's mode and owner, as runc does for the
 * mode, unless mode=, uid= or gid= ask otherwise: a /etc would not be world-writable (1777). */
static int tmpfs_copy_up(const OciMount *m, size_t idx, const char *data, int copy_from, int dst_fd,
                         SysrunError *e) {
        _cleanup_close_ int to = -EBADF;
        _cleanup_free_ char *failed = NULL;
        struct stat st;
        int r;

        to = openat(dst_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (to < 0)
                r = -errno;
        else
                r = copy_tree_at(copy_from, to, &failed);
        if (r >= 0 && fstat(copy_from, &st) < 0)
                r = -errno;
        if (r >= 0 && fchown(to, mount_options_data_has(data, "uid=") ? (uid_t) -1 : st.st_uid,
                             mount_options_data_has(data, "gid=") ? (gid_t) -1 : st.st_gid) < 0)
                r = -errno;
        if (r >= 0 && !mount_options_data_has(data, "mode=") && fchmod(to, st.st_mode & 07777) < 0)
                r = -errno;
        if (r < 0)
                return sysrun_error_set(e, r, "mounts[%zu] (%s): option \"tmpcopyup\": cannot copy '%s%s%s': %s", idx,
                                        m->destination, m->destination, failed ? "/" : "", strempty(failed),
                                        ERRNO_STRING(r));
        return 0;
}

/* A read-only tmpfs (/dev above all) is mounted read-write and made read-only after pivot_root, once
 * what goes in it (devices, /dev/pts, links, nested mounts, the cwd, /dev/console) is there, as runc
 * does. */
static bool readonly_deferred(const char *fstype, const char *destination, unsigned long flags) {
        return (flags & MS_RDONLY) && (streq(fstype, "tmpfs") || is_dev_dest(destination));
}

/* 1 when destination is a directory in the rootfs or missing (it is made), 0 when it is anything
 * else, a symlink included (not followed). */
static int mount_dest_is_directory(int rootfd, const char *destination) {
        _cleanup_close_ int fd = open_in_root(rootfd, destination, O_PATH | O_NOFOLLOW);
        struct stat st;

        if (fd == -ENOENT)
                return 1;
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        return S_ISDIR(st.st_mode);
}

static int mount_one(const RootfsContext *ctx, int rootfd, size_t idx, bool *dev_is_bind, SysrunError *e) {
        const OciMount *m = &ctx->config->mounts[idx];
        _cleanup_(mount_options_done) MountOptions o = {};
        _cleanup_close_ int src_fd = -EBADF, dst_fd = -EBADF, copy_from = -EBADF;
        _cleanup_free_ char *src_abs = NULL;
        const char *type = m->type;
        /* An idmapped bind: the tree sysrun cloned and idmapped before the init was forked. */
        int idmap_fd = ctx->idmap_fds && idx < ctx->n_idmap_fds ? ctx->idmap_fds[idx] : -EBADF;
        int src = -EBADF; /* src_fd, or the fd sysrun opened (the init closes those after setup) */
        char src_path[32];
        bool src_dir = true;
        int r;

        r = mount_options_parse(m->options, &o, e);
        if (r < 0)
                return sysrun_error_prefix(e, "mounts[%zu] (%s)", idx, m->destination);
        if (type && streq(type, "bind"))
                o.bind = true;
        if (type && streq(type, "rbind"))
                o.bind = o.recursive_bind = true;
        if (o.tmpcopyup && (o.bind || !streq_ptr(type, "tmpfs")))
                return sysrun_error_set(e, -EINVAL, "mounts[%zu] (%s): option \"tmpcopyup\": only for tmpfs mounts",
                                        idx, m->destination);
        if ((o.idmap || m->n_uid_mappings || m->n_gid_mappings) && idmap_fd < 0)
                return sysrun_error_set(e, -EPROTO, "mounts[%zu] (%s): the idmapped mount was not prepared", idx,
                                        m->destination);

        if (o.bind && idmap_fd >= 0) {
                struct stat st;

                if (fstat(idmap_fd, &st) < 0)
                        return sysrun_error_set(e, -errno, "mounts[%zu]: bind source '%s': %m", idx, m->source);
                src_dir = S_ISDIR(st.st_mode);
                if (is_dev_dest(m->destination))
                        *dev_is_bind = true;
        } else if (o.bind) {
                struct stat st;

                if (!m->source)
                        return sysrun_error_set(e, -EINVAL, "mounts[%zu].source: required for a bind mount", idx);
                src = mount_sources_get(ctx->sources, idx);
                if (src < 0) {
                        if (m->source[0] != '/' && asprintf(&src_abs, "%s/%s", ctx->bundle, m->source) < 0)
                                return -ENOMEM;
                        src = src_fd = open(src_abs ?: m->source, O_PATH | O_CLOEXEC);
                        if (src_fd < 0)
                                return sysrun_error_set(e, -errno, "mounts[%zu]: bind source '%s': %m", idx,
                                                        m->source);
                }
                if (fstat(src, &st) < 0)
                        return sysrun_error_set(e, -errno, "mounts[%zu]: bind source '%s': %m", idx, m->source);
                src_dir = S_ISDIR(st.st_mode);
                if (is_dev_dest(m->destination))
                        *dev_is_bind = true;
        }

        if (!o.bind && type && (streq(type, "proc") || streq(type, "sysfs"))) {
                r = mount_dest_is_directory(rootfd, m->destination);
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: '%s': %m", idx, m->destination);
                /* runc's words: a symlink (or a file) there has been a way to mount procfs elsewhere */
                if (r == 0)
                        return sysrun_error_set(
                                        e, -EINVAL,
                                        "mounts[%zu]: filesystem \"%s\" must be mounted on ordinary directory "
                                        "('%s' is not one)",
                                        idx, type, m->destination);
        }
        dst_fd = mkdir_open_in_root(rootfd, m->destination, src_dir);
        if (dst_fd < 0)
                return sysrun_error_set(e, dst_fd, "mounts[%zu]: cannot create destination '%s' in the rootfs: %m",
                                        idx, m->destination);

        if (o.bind) {
                if (idmap_fd >= 0)
                        r = syscall(SYS_move_mount, idmap_fd, "", dst_fd, "",
                                    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ? -errno : 0;
                else
                        r = mount_fd(fd_path(src_path, src), dst_fd, NULL,
                                     MS_BIND | (o.recursive_bind ? MS_REC : 0), NULL);
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: bind mount of '%s' on '%s': %m", idx, m->source,
                                                m->destination);
                /* Reopen: the fd must name the new mount, not the directory under it. */
                safe_close(dst_fd);
                dst_fd = open_in_root(rootfd, m->destination, O_PATH);
                if (dst_fd < 0)
                        return sysrun_error_set(e, dst_fd, "mounts[%zu]: '%s' moved during setup", idx, m->destination);
                if ((o.flags & ~MS_REMOUNT) != 0) {
                        r = remount_bind(dst_fd, o.flags & ~MS_REMOUNT, o.clear_flags, ctx->in_userns);
                        if (r < 0)
                                return sysrun_error_set(e, r, "mounts[%zu]: remount of '%s' with its options: %m", idx,
                                                        m->destination);
                }
        } else {
                const char *fstype = type;
                unsigned long flags = o.flags & ~MS_REMOUNT;

                if (!fstype)
                        return sysrun_error_set(e, -EINVAL, "mounts[%zu].type: required for a non-bind mount", idx);
                if (o.tmpcopyup) {
                        /* Opened before the tmpfs covers it; the root itself is never copied up. */
                        copy_from = open_in_root(rootfd, m->destination, O_RDONLY | O_DIRECTORY);
                        if (copy_from < 0)
                                return sysrun_error_set(e, copy_from, "mounts[%zu] (%s): option \"tmpcopyup\": %m",
                                                        idx, m->destination);
                        if (fd_is_root(copy_from, rootfd))
                                return sysrun_error_set(e, -EINVAL,
                                                        "mounts[%zu] (%s): option \"tmpcopyup\": not on the root",
                                                        idx, m->destination);
                }
                if (readonly_deferred(fstype, m->destination, flags))
                        flags &= ~MS_RDONLY; /* rootfs_pivot() */
                /* linux.mountLabel: only where SELinux can take it, like runc (a kernel without it
                 * would refuse context=). */
                if (ctx->config->linux_section && !isempty(ctx->config->linux_section->mount_label) &&
                    lsm_mount_label_applies(fstype) && lsm_selinux_enabled()) {
                        char *d = lsm_mount_data(o.data, ctx->config->linux_section->mount_label);
                        if (!d)
                                return sysrun_error_set(e, -ENOMEM, "out of memory");
                        free(o.data);
                        o.data = d;
                }
                if ((streq(fstype, "cgroup") || streq(fstype, "cgroup2")) && ctx->cgroup_barrier) {
                        r = ctx->cgroup_barrier(ctx->barrier_userdata, e);
                        if (r < 0)
                                return r;
                }
                if (streq(fstype, "cgroup") || streq(fstype, "cgroup2"))
                        r = mount_cgroup(ctx, rootfd, dst_fd, idx, fstype, &o, e);
                else
                        r = mount_fd(m->source ?: fstype, dst_fd, fstype, flags, o.data);
                if ((r == -EPERM || r == -EINVAL || r == -EBUSY) &&
                    (streq(fstype, "sysfs") || streq(fstype, "mqueue"))) {
                        /* Not allowed without the matching namespace in a user namespace: bind the host's
                         * instance instead, as runc does. */
                        const char *host = streq(fstype, "sysfs") ? "/sys" : "/dev/mqueue";
                        r = mount(host, fd_path(src_path, dst_fd), NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno : 0;
                        if (r >= 0) {
                                safe_close(dst_fd);
                                dst_fd = open_in_root(rootfd, m->destination, O_PATH);
                                if (dst_fd >= 0 && flags)
                                        r = remount_bind(dst_fd, flags, o.clear_flags, ctx->in_userns);
                        }
                }
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: mount %s on '%s': %m", idx, fstype, m->destination);
                if (o.propagation || o.attr_set || o.attr_clr || copy_from >= 0) {
                        safe_close(dst_fd);
                        dst_fd = open_in_root(rootfd, m->destination, O_PATH);
                }
                if (copy_from >= 0 && dst_fd >= 0) {
                        r = tmpfs_copy_up(m, idx, o.data, copy_from, dst_fd, e);
                        if (r < 0)
                                return r;
                }
        }

        if (o.attr_set || o.attr_clr) {
                if (dst_fd < 0)
                        return sysrun_error_set(e, dst_fd, "mounts[%zu]: '%s' moved during setup", idx, m->destination);
                r = apply_recursive_attrs(m, idx, &o, dst_fd, e);
                if (r < 0)
                        return r;
        }

        if (o.propagation) {
                if (dst_fd < 0)
                        return sysrun_error_set(e, dst_fd, "mounts[%zu]: '%s' moved during setup", idx, m->destination);
                r = mount_fd(NULL, dst_fd, NULL, o.propagation, NULL);
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: propagation of '%s': %m", idx, m->destination);
        }
        return 0;
}

static int mask_paths(int rootfd, char *const *paths, SysrunError *e) {
        _cleanup_close_ int null_fd = -EBADF;
        char src[32];
        struct stat st;

        if (!paths)
                return 0;
        /* The host's /dev/null, checked: never a node the rootfs could have replaced. */
        null_fd = open("/dev/null", O_PATH | O_CLOEXEC | O_NOFOLLOW);
        if (null_fd < 0 || fstat(null_fd, &st) < 0)
                return sysrun_error_set(e, -errno, "cannot open /dev/null: %m");
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                return sysrun_error_set(e, -EPERM, "/dev/null is not the null device");

        STRV_FOREACH(p, paths) {
                _cleanup_close_ int fd = open_in_root(rootfd, *p, O_PATH | O_NOFOLLOW);
                int r;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return sysrun_error_set(e, fd, "linux.maskedPaths: '%s': %m", *p);
                if (fstat(fd, &st) < 0)
                        return sysrun_error_set(e, -errno, "linux.maskedPaths: '%s': %m", *p);
                if (S_ISDIR(st.st_mode))
                        r = mount_fd("tmpfs", fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                                     "size=0,mode=0555");
                else if (S_ISLNK(st.st_mode))
                        continue; /* a symlink resolves to something we mask (or not) on its own */
                else
                        r = mount_fd(fd_path(src, null_fd), fd, NULL, MS_BIND, NULL);
                if (r < 0)
                        return sysrun_error_set(e, r, "linux.maskedPaths: cannot mask '%s': %m", *p);
        }
        return 0;
}

static int readonly_paths(int rootfd, char *const *paths, bool in_userns, SysrunError *e) {
        STRV_FOREACH(p, paths) {
                _cleanup_close_ int fd = open_in_root(rootfd, *p, O_PATH | O_NOFOLLOW);
                char src[32];
                int r;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return sysrun_error_set(e, fd, "linux.readonlyPaths: '%s': %m", *p);
                r = mount_fd(fd_path(src, fd), fd, NULL, MS_BIND | MS_REC, NULL);
                if (r >= 0) {
                        safe_close(fd);
                        fd = open_in_root(rootfd, *p, O_PATH | O_NOFOLLOW);
                        r = fd < 0 ? fd : remount_bind(fd, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, in_userns);
                        if (r == -EPERM || r == -EINVAL)
                                r = remount_bind(fd, MS_RDONLY, 0, in_userns);
                }
                if (r < 0)
                        return sysrun_error_set(e, r, "linux.readonlyPaths: cannot make '%s' read-only: %m", *p);
        }
        return 0;
}

static int do_pivot_root(const char *rootfs, bool no_pivot, SysrunError *e) {
        _cleanup_close_ int oldroot = -EBADF, newroot = -EBADF;

        newroot = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (newroot < 0)
                return sysrun_error_set(e, -errno, "cannot open rootfs '%s': %m", rootfs);
        if (fchdir(newroot) < 0)
                return sysrun_error_set(e, -errno, "cannot enter rootfs: %m");

        if (no_pivot) {
                int r = no_pivot_hide_host_pseudofs(rootfs, e);
                if (r < 0)
                        return r;
                if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
                        return sysrun_error_set(e, -errno, "cannot move rootfs to /: %m");
                if (chroot(".") < 0)
                        return sysrun_error_set(e, -errno, "chroot: %m");
                return chdir("/") < 0 ? sysrun_error_set(e, -errno, "chdir /: %m") : 0;
        }

        oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (oldroot < 0)
                return sysrun_error_set(e, -errno, "cannot open /: %m");
        /* pivot_root(".", ".") stacks the old root on top of the new one; unmount it from there. */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return sysrun_error_set(e, -errno, "pivot_root: %m");
        if (fchdir(oldroot) < 0)
                return sysrun_error_set(e, -errno, "cannot enter old root: %m");
        /* Keep the unmount from propagating to the host. */
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return sysrun_error_set(e, -errno, "cannot make old root a slave: %m");
        if (umount2(".", MNT_DETACH) < 0)
                return sysrun_error_set(e, -errno, "cannot detach old root: %m");
        if (chdir("/") < 0)
                return sysrun_error_set(e, -errno, "chdir /: %m");
        return 0;
}

/* The next component of p (its length in *ret_len; 0 at the end). */
static const char *path_component_next(const char *p, size_t *ret_len) {
        while (*p == '/')
                p++;
        *ret_len = strcspn(p, "/");
        return p;
}

/* 1 when a and b are the same path or one lies below the other, 0 when they are disjoint, -1 when a
 * ".." makes it unknowable lexically. "." and repeated or trailing slashes do not count. */
static bool path_has_dotdot(const char *p) {
        for (size_t n; *(p = path_component_next(p, &n)); p += n)
                if (n == 2 && strncmp(p, "..", 2) == 0)
                        return true;
        return false;
}

static int paths_overlap(const char *a, const char *b) {
        if (path_has_dotdot(a) || path_has_dotdot(b))
                return -1;
        for (;;) {
                size_t na, nb;

                a = path_component_next(a, &na);
                while (na == 1 && *a == '.')
                        a = path_component_next(a + 1, &na);
                b = path_component_next(b, &nb);
                while (nb == 1 && *b == '.')
                        b = path_component_next(b + 1, &nb);
                if (na == 0 || nb == 0)
                        return 1; /* one ended first: it is an ancestor of the other (or the same) */
                if (na != nb || strncmp(a, b, na) != 0)
                        return 0;
                a += na;
                b += nb;
        }
}

bool mount_defer_cgroup(const OciMount *mounts, size_t n, size_t idx) {
        const OciMount *m = &mounts[idx];

        if (!m->type || !(streq(m->type, "cgroup") || streq(m->type, "cgroup2")) || !m->destination)
                return false;
        if (paths_overlap(m->destination, "/dev") != 0 || paths_overlap(m->destination, "/proc") != 0)
                return false;
        for (size_t j = idx + 1; j < n; j++)
                if (!mounts[j].destination || paths_overlap(m->destination, mounts[j].destination) != 0)
                        return false;
        return true;
}

int rootfs_setup(const RootfsContext *ctx, bool *ret_dev_is_bind, SysrunError *e) {
        const OciConfig *c = ctx->config;
        const OciLinux *l = c->linux_section;
        unsigned long root_prop = MS_SLAVE | MS_REC;
        _cleanup_close_ int rootfd = -EBADF;
        bool dev_is_bind = false;
        int r;

        if (l && l->rootfs_propagation && propagation_from_string(l->rootfs_propagation, &root_prop) < 0)
                return sysrun_error_set(e, -EINVAL, "linux.rootfsPropagation: unknown value '%s'",
                                        l->rootfs_propagation);
        /* Nothing we mount may propagate back to the host, whatever rootfsPropagation asks for: it
         * is applied to the new root after pivot_root, where it cannot reach the host's mounts. */
        root_prop = MS_SLAVE | MS_REC;
        /* Without a mount namespace "/" is the host's: sysrun made the private rootfs bind already
         * (rootfs-hostns.h). */
        if (!ctx->host_mntns) {
                if (mount(NULL, "/", NULL, root_prop, NULL) < 0)
                        return sysrun_error_set(e, -errno, "cannot set propagation of /: %m");
                if (mount(ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                        return sysrun_error_set(e, -errno, "cannot bind mount rootfs '%s': %m", ctx->rootfs);
                /* pivot_root needs the new root's parent mount to be private. */
                if (!ctx->no_pivot && mount(NULL, ctx->rootfs, NULL, MS_PRIVATE, NULL) < 0)
                        return sysrun_error_set(e, -errno, "cannot make rootfs private: %m");
        }

        rootfd = open(ctx->rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return sysrun_error_set(e, -errno, "cannot open rootfs '%s': %m", ctx->rootfs);

        for (size_t i = 0; i < c->n_mounts; i++) {
                if (mount_defer_cgroup(c->mounts, c->n_mounts, i))
                        continue;
                r = mount_one(ctx, rootfd, i, &dev_is_bind, e);
                if (r < 0)
                        return r;
        }

        if (!dev_is_bind) {
                r = devices_setup(rootfd, c, ctx->in_userns, ctx->device_cgroup, e);
                if (r < 0)
                        return r;
        }
        *ret_dev_is_bind = dev_is_bind;

        /* Through the container's fresh /proc, before readonlyPaths makes /proc/sys read-only. */
        r = sysctls_apply(rootfd, l ? l->sysctl : NULL, e);
        if (r < 0)
                return r;

        if (ctx->cgroup_barrier) {
                r = ctx->cgroup_barrier(ctx->barrier_userdata, e);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_mounts; i++) {
                if (!mount_defer_cgroup(c->mounts, c->n_mounts, i))
                        continue;
                r = mount_one(ctx, rootfd, i, &dev_is_bind, e);
                if (r < 0)
                        return r;
        }

        r = mask_paths(rootfd, l ? l->masked_paths : NULL, e);
        if (r < 0)
                return r;
        r = readonly_paths(rootfd, l ? l->readonly_paths : NULL, ctx->in_userns, e);
        if (r < 0)
                return r;

        if (c->process && c->process->cwd) {
                /* runc makes a missing cwd; resolving it here keeps it inside the rootfs. */
                _cleanup_close_ int cwd = mkdir_open_in_root(rootfd, c->process->cwd, true);
                if (cwd < 0)
                        return sysrun_error_set(e, cwd, "process.cwd: cannot create '%s' in the rootfs: %m",
                                                c->process->cwd);
        }
        return 0;
}

/* After pivot_root: the read-only remounts that mount_one() left for later. */
static int remount_deferred_readonly(const RootfsContext *ctx, SysrunError *e) {
        const OciConfig *c = ctx->config;
        _cleanup_close_ int rootfd = -EBADF;

        for (size_t i = 0; i < c->n_mounts; i++) {
                const OciMount *m = &c->mounts[i];
                _cleanup_(mount_options_done) MountOptions o = {};
                _cleanup_close_ int fd = -EBADF;
                unsigned long flags;
                int r;

                if (!m->type || oci_mount_is_bind(m))
                        continue;
                r = mount_options_parse(m->options, &o, e);
                if (r < 0)
                        return r;
                flags = o.flags & ~MS_REMOUNT;
                if (!readonly_deferred(m->type, m->destination, flags))
                        continue;
                if (rootfd < 0) {
                        rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (rootfd < 0)
                                return sysrun_error_set(e, -errno, "cannot open /: %m");
                }
                fd = open_in_root(rootfd, m->destination, O_PATH);
                if (fd < 0)
                        return sysrun_error_set(e, fd, "mounts[%zu]: '%s' moved during setup", i, m->destination);
                r = remount_bind(fd, flags, o.clear_flags, ctx->in_userns);
                if (r < 0)
                        return sysrun_error_set(e, r, "mounts[%zu]: cannot make '%s' read-only: %m", i,
                                                m->destination);
        }
        return 0;
}

int rootfs_pivot(const RootfsContext *ctx, SysrunError *e) {
        const OciConfig *c = ctx->config;
        const OciLinux *l = c->linux_section;
        unsigned long after_prop = 0;
        int r;

        if (l && l->rootfs_propagation)
                (void) propagation_from_string(l->rootfs_propagation, &after_prop);
        r = ctx->host_mntns ? rootfs_hostns_enter(ctx, e) : do_pivot_root(ctx->rootfs, ctx->no_pivot, e);
        if (r < 0)
                return r;
        r = remount_deferred_readonly(ctx, e);
        if (r < 0)
                return r;

        if (c->root_readonly) {
                unsigned long f = MS_BIND | MS_REMOUNT | MS_RDONLY;
                struct statvfs sv;
                if (statvfs("/", &sv) == 0) {
                        f |= (sv.f_flag & ST_NOSUID) ? MS_NOSUID : 0;
                        f |= (sv.f_flag & ST_NODEV) ? MS_NODEV : 0;
                        f |= (sv.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
                }
                if (mount(NULL, "/", NULL, f, NULL) < 0)
                        return sysrun_error_set(e, -errno, "root.readonly: cannot remount / read-only: %m");
        }
        if (after_prop && mount(NULL, "/", NULL, after_prop, NULL) < 0)
                return sysrun_error_set(e, -errno, "linux.rootfsPropagation: cannot apply '%s': %m",
                                        l->rootfs_propagation);
        return 0;
}
