/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <libgen.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fd-util.h"
#include "mounts.h"
#include "resources.h"

typedef struct DefaultDevice {
        const char *path;
        unsigned major, minor;
} DefaultDevice;

/* The devices every container gets, as in runc and crun. */
static const DefaultDevice default_devices[] = {
        { "/dev/null", 1, 3 },    { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
        { "/dev/random", 1, 8 },  { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

static const struct {
        const char *target, *path;
} default_symlinks[] = {
        { "/proc/self/fd", "fd" },        { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
        { "/proc/self/fd/2", "stderr" },  { "pts/ptmx", "ptmx" },
};

static int split_path(const char *path, char **ret_dir, const char **ret_name) {
        const char *slash = strrchr(path, '/');

        if (!slash || !slash[1])
                return -EINVAL;
        *ret_dir = strndup(path, (size_t) (slash - path) + 1);
        if (!*ret_dir)
                return -ENOMEM;
        *ret_name = slash + 1;
        return 0;
}

static int create_device(
                int rootfd,
                const char *path,
                char type,
                unsigned major,
                unsigned minor,
                mode_t perm,
                uid_t uid,
                gid_t gid,
                bool in_userns,
                SysrunError *e) {
        _cleanup_close_ int parent = -EBADF;
        _cleanup_free_ char *dir = NULL;
        mode_t fmt = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
        dev_t dev = makedev(major, minor);
        const char *name;
        struct stat st;
        int r;

        r = split_path(path, &dir, &name);
        if (r < 0)
                return sysrun_error_set(e, r, "device '%s': invalid path", path);
        parent = mkdir_open_in_root(rootfd, dir, true);
        if (parent < 0)
                return sysrun_error_set(e, parent, "device '%s': cannot create its directory: %m", path);

        if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                /* Whatever the rootfs put here (a symlink to a host file, a regular file, a
                 * different device) is replaced, never followed. */
                if ((st.st_mode & S_IFMT) == fmt && st.st_rdev == dev && !in_userns)
                        goto owner;
                if (S_ISDIR(st.st_mode))
                        return sysrun_error_set(e, -EISDIR, "device '%s': a directory is in the way", path);
                if (unlinkat(parent, name, 0) < 0 && errno != EBUSY)
                        return sysrun_error_set(e, -errno, "device '%s': cannot replace: %m", path);
        }

        if (!in_userns && mknodat(parent, name, fmt | (perm & 07777), fmt == S_IFIFO ? 0 : dev) == 0)
                goto owner;
        if (!in_userns && errno != EPERM)
                return sysrun_error_set(e, -errno, "device '%s': mknod: %m", path);

        /* In a user namespace mknod is not allowed: bind the host's node instead. */
        {
                _cleanup_close_ int host = -EBADF, file = -EBADF, target = -EBADF;
                char src[32], dst[32];

                host = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
                if (host < 0 || fstat(host, &st) < 0)
                        return sysrun_error_set(e, -errno, "device '%s': no such device on the host to bind: %m",
                                                path);
                if ((st.st_mode & S_IFMT) != fmt || (fmt != S_IFIFO && st.st_rdev != dev))
                        return sysrun_error_set(e, -ENODEV, "device '%s': the host's node is a different device",
                                                path);
                file = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0000);
                if (file < 0 && errno != EEXIST)
                        return sysrun_error_set(e, -errno, "device '%s': %m", path);
                target = openat(parent, name, O_PATH | O_CLOEXEC | O_NOFOLLOW);
                if (target < 0)
                        return sysrun_error_set(e, -errno, "device '%s': %m", path);
                if (mount(fd_path(src, host), fd_path(dst, target), NULL, MS_BIND, NULL) < 0)
                        return sysrun_error_set(e, -errno, "device '%s': bind mount: %m", path);
                return 0;
        }

owner:
        if (fchmodat(parent, name, perm & 07777, 0) < 0)
                return sysrun_error_set(e, -errno, "device '%s': chmod: %m", path);
        if (fchownat(parent, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
                return sysrun_error_set(e, -errno, "device '%s': chown: %m", path);
        return 0;
}

/* The node stays (stat works) but cannot be opened (EACCES): a nodev bind mount of itself. Without
 * a device cgroup, the closest to one that grants the device neither r nor w (EPERM there). */
static int device_deny_open(int rootfd, const char *path, SysrunError *e) {
        _cleanup_close_ int parent = -EBADF, node = -EBADF, top = -EBADF;
        _cleanup_free_ char *dir = NULL;
        const char *name;
        char p[32];
        int r;

        r = split_path(path, &dir, &name);
        if (r < 0)
                return sysrun_error_set(e, r, "device '%s': invalid path", path);
        parent = open_in_root(rootfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0)
                return sysrun_error_set(e, parent, "device '%s': %m", path);
        node = openat(parent, name, O_PATH | O_CLOEXEC | O_NOFOLLOW);
        if (node < 0)
                return sysrun_error_set(e, -errno, "device '%s': %m", path);
        if (mount(fd_path(p, node), fd_path(p, node), NULL, MS_BIND, NULL) < 0)
                return sysrun_error_set(e, -errno, "device '%s': bind mount: %m", path);
        top = openat(parent, name, O_PATH | O_CLOEXEC | O_NOFOLLOW);
        if (top < 0)
                return sysrun_error_set(e, -errno, "device '%s': %m", path);
        if (mount(NULL, fd_path(p, top), NULL, MS_BIND | MS_REMOUNT | MS_NODEV | MS_NOSUID | MS_NOEXEC,
                  NULL) < 0)
                return sysrun_error_set(e, -errno, "device '%s': remount nodev: %m", path);
        return 0;
}

int devices_setup(int rootfd, const OciConfig *config, bool in_userns, bool device_cgroup, SysrunError *e) {
        const OciLinux *l = config->linux_section;
        _cleanup_close_ int devfd = -EBADF;
        int r;

        devfd = mkdir_open_in_root(rootfd, "/dev", true);
        if (devfd < 0)
                return sysrun_error_set(e, devfd, "cannot create /dev in the rootfs: %m");

        for (size_t i = 0; i < ELEMENTSOF(default_devices); i++) {
                const DefaultDevice *d = &default_devices[i];
                bool overridden = false;

                for (size_t j = 0; l && j < l->n_devices; j++)
                        if (streq(l->devices[j].path, d->path))
                                overridden = true;
                if (overridden)
                        continue;
                r = create_device(rootfd, d->path, 'c', d->major, d->minor, 0666, 0, 0, in_userns, e);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; l && i < l->n_devices; i++) {
                const OciDevice *d = &l->devices[i];
                char type = d->type == 'u' ? 'c' : d->type;

                r = create_device(rootfd, d->path, type, (unsigned) d->major, (unsigned) d->minor,
                                  d->file_mode.set ? (mode_t) d->file_mode.value : 0666,
                                  d->uid.set ? (uid_t) d->uid.value : 0, d->gid.set ? (gid_t) d->gid.value : 0,
                                  in_userns, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "linux.devices[%zu]", i);
                /* linux.devices grants nothing: the rules of linux.resources.devices are the policy,
                 * which a device cgroup enforces itself (EPERM, as runc's "device cgroup deny") */
                if (type != 'p' && !device_cgroup &&
                    !(device_rules_access(&(ResourceInput){ .resources = l->resources,
                                                             .default_devices = true,
                                                             .devices = l->devices,
                                                             .n_devices = l->n_devices },
                                          type, d->major, d->minor) &
                      (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE))) {
                        r = device_deny_open(rootfd, d->path, e);
                        if (r < 0)
                                return sysrun_error_prefix(e, "linux.devices[%zu]", i);
                }
        }

        for (size_t i = 0; i < ELEMENTSOF(default_symlinks); i++) {
                struct stat st;
                if (fstatat(devfd, default_symlinks[i].path, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        continue;
                if (symlinkat(default_symlinks[i].target, devfd, default_symlinks[i].path) < 0 && errno != EEXIST)
                        return sysrun_error_set(e, -errno, "cannot create /dev/%s: %m", default_symlinks[i].path);
        }
        if (access("/proc/kcore", F_OK) == 0)
                (void) symlinkat("/proc/kcore", devfd, "core");
        return 0;
}

int stdio_reopen_dev_null(SysrunError *e) {
        static const char prefix[] = "error reopening /dev/null inside container";

        for (int fd = 0; fd < 3; fd++) {
                _cleanup_close_ int null = -EBADF;
                struct stat st, nst;
                int flags;

                if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                        continue;
                flags = fcntl(fd, F_GETFL);
                if (flags < 0)
                        continue;
                /* After pivot_root: the container's node, opened as the fd was. The device rules are
                 * in force already here (runc reopens before it sets them): a mode that they deny
                 * (--device /dev/null:r for a write fd) keeps the runtime's fd, as it would have
                 * been without the reopen. */
                null = open("/dev/null", (flags & O_ACCMODE) | O_CLOEXEC);
                if (null < 0 && (errno == EPERM || errno == EACCES))
                        continue;
                if (null < 0)
                        return sysrun_error_set(e, -errno, "%s: open /dev/null: %m", prefix);
                if (fstat(null, &nst) < 0 || !S_ISCHR(nst.st_mode) || nst.st_rdev != st.st_rdev)
                        return sysrun_error_set(e, -EPERM, "%s: /dev/null is not the null device", prefix);
                /* Without O_CLOEXEC: the container's process keeps it. */
                if (dup3(null, fd, 0) < 0)
                        return sysrun_error_set(e, -errno, "%s: dup3 fd %d: %m", prefix, fd);
        }
        return 0;
}
