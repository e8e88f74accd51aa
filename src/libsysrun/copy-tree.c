/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "copy-tree.h"
#include "fd-util.h"
#include "macro.h"

static int copy_data(int from, int to) {
        char buf[65536];

        for (;;) {
                ssize_t n = read(from, buf, sizeof(buf));
                int r;

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return 0;
                r = loop_write(to, buf, (size_t) n);
                if (r < 0)
                        return r;
        }
}

/* Both fds open (not O_PATH). A namespace the target filesystem lacks (EOPNOTSUPP) is skipped. */
static int copy_xattrs(int from, int to) {
        _cleanup_free_ char *names = NULL;
        ssize_t size;

        size = flistxattr(from, NULL, 0);
        if (size < 0)
                return errno == EOPNOTSUPP ? 0 : -errno;
        if (size == 0)
                return 0;
        names = malloc((size_t) size);
        if (!names)
                return -ENOMEM;
        size = flistxattr(from, names, (size_t) size);
        if (size < 0)
                return -errno; /* changed meanwhile: the rootfs is not ours to race */

        for (const char *n = names; n < names + size; n += strlen(n) + 1) {
                _cleanup_free_ char *value = NULL;
                ssize_t len = fgetxattr(from, n, NULL, 0);

                if (len < 0)
                        return -errno;
                value = malloc((size_t) len + 1);
                if (!value)
                        return -ENOMEM;
                len = fgetxattr(from, n, value, (size_t) len);
                if (len < 0)
                        return -errno;
                if (fsetxattr(to, n, value, (size_t) len, 0) < 0 && errno != EOPNOTSUPP)
                        return -errno;
        }
        return 0;
}

/* Owner first: chown clears the set-id bits that the chmod then restores. */
static int copy_attributes_fd(int fd, const struct stat *st) {
        const struct timespec times[2] = { st->st_atim, st->st_mtim };

        if (fchown(fd, st->st_uid, st->st_gid) < 0 || fchmod(fd, st->st_mode & 07777) < 0 ||
            futimens(fd, times) < 0)
                return -errno;
        return 0;
}

static int copy_tree_level(int src_dir, int dst_dir, unsigned depth, char **ret_failed_path);

static int copy_entry(int src_dir, int dst_dir, const char *name, unsigned depth, char **ret_failed_path) {
        const int open_flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
        _cleanup_close_ int from = -EBADF, to = -EBADF;
        struct stat st, check;
        int r;

        if (fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;

        switch (st.st_mode & S_IFMT) {
        case S_IFDIR:
                if (depth >= COPY_TREE_MAX_DEPTH)
                        return -ELOOP;
                from = openat(src_dir, name, open_flags | O_DIRECTORY);
                if (from < 0)
                        return -errno;
                if (mkdirat(dst_dir, name, 0700) < 0)
                        return -errno;
                to = openat(dst_dir, name, open_flags | O_DIRECTORY);
                if (to < 0)
                        return -errno;
                r = copy_tree_level(from, to, depth + 1, ret_failed_path);
                if (r < 0)
                        return r;
                break;
        case S_IFREG:
                from = openat(src_dir, name, open_flags);
                if (from < 0)
                        return -errno;
                /* The entry we looked at, not one swapped in since. */
                if (fstat(from, &check) < 0)
                        return -errno;
                if (check.st_ino != st.st_ino || check.st_dev != st.st_dev)
                        return -EBUSY;
                to = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (to < 0)
                        return -errno;
                r = copy_data(from, to);
                if (r < 0)
                        return r;
                break;
        case S_IFLNK: {
                const struct timespec times[2] = { st.st_atim, st.st_mtim };
                _cleanup_free_ char *target = malloc((size_t) st.st_size + 1);
                ssize_t n;

                if (!target)
                        return -ENOMEM;
                n = readlinkat(src_dir, name, target, (size_t) st.st_size + 1);
                if (n < 0)
                        return -errno;
                if (n > st.st_size)
                        return -EBUSY; /* grew meanwhile */
                target[n] = 0;
                if (symlinkat(target, dst_dir, name) < 0 ||
                    fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
                    utimensat(dst_dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                return 0;
        }
        default: { /* device nodes, fifos, sockets: never opened, made anew */
                const struct timespec times[2] = { st.st_atim, st.st_mtim };

                if (mknodat(dst_dir, name, (st.st_mode & S_IFMT) | 0600, st.st_rdev) < 0 ||
                    fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
                    fchmodat(dst_dir, name, st.st_mode & 07777, 0) < 0 || utimensat(dst_dir, name, times, 0) < 0)
                        return -errno;
                return 0;
        }
        }

        r = copy_xattrs(from, to);
        if (r < 0)
                return r;
        return copy_attributes_fd(to, &st);
}

/* Prepends "name/" to the failed path that a deeper level set, or sets it to name. */
static void failed_path_prepend(char **path, const char *name) {
        char *joined = NULL;

        if (!path)
                return;
        if (!*path) {
                *path = strdup(name);
                return;
        }
        if (asprintf(&joined, "%s/%s", name, *path) < 0)
                joined = NULL;
        free(*path);
        *path = joined;
}

static int copy_tree_level(int src_dir, int dst_dir, unsigned depth, char **ret_failed_path) {
        _cleanup_closedir_ DIR *d = NULL;
        int fd;

        /* A DIR of our own: the caller keeps src_dir. */
        fd = openat(src_dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -errno;
        }
        for (;;) {
                struct dirent *de;
                int r;

                errno = 0;
                de = readdir(d);
                if (!de)
                        return errno > 0 ? -errno : 0;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                r = copy_entry(dirfd(d), dst_dir, de->d_name, depth, ret_failed_path);
                if (r < 0) {
                        failed_path_prepend(ret_failed_path, de->d_name);
                        return r;
                }
        }
}

int copy_tree_at(int src_dir, int dst_dir, char **ret_failed_path) {
        _cleanup_free_ char *failed = NULL;
        int r;

        r = copy_tree_level(src_dir, dst_dir, 0, ret_failed_path ? &failed : NULL);
        if (r < 0 && ret_failed_path)
                *ret_failed_path = TAKE_PTR(failed);
        return r;
}
