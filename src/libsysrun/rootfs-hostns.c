/* SPDX-License-Identifier: Apache-2.0 */
#include "rootfs-hostns.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fd-util.h"
#include "strv.h"

int rootfs_hostns_check(const OciConfig *c, bool in_userns, SysrunError *e) {
        const OciLinux *l = c->linux_section;

        if (l && (strv_length(l->masked_paths) > 0 || strv_length(l->readonly_paths) > 0))
                return sysrun_error_set(e, -EINVAL,
                                        "linux.%s: unable to restrict sys entries without a private MNT namespace",
                                        strv_length(l->masked_paths) > 0 ? "maskedPaths" : "readonlyPaths");
        if (l && l->rootfs_propagation)
                return sysrun_error_set(e, -EINVAL,
                                        "linux.rootfsPropagation: cannot be applied without a private MNT namespace "
                                        "(it would change the host's mounts)");
        if (in_userns)
                return sysrun_error_set(e, -EINVAL,
                                        "linux.namespaces: a user namespace cannot mount in the runtime's mount "
                                        "namespace: add a mount namespace");
        return 0;
}

static int mount_id_of(const char *path, uint64_t *ret) {
        struct statx stx = {};

        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) < 0)
                return -errno;
        if (!(stx.stx_mask & STATX_MNT_ID))
                return -EOPNOTSUPP;
        *ret = stx.stx_mnt_id;
        return 0;
}

int rootfs_hostns_prepare(const char *rootfs, uint64_t *ret_mount_id, SysrunError *e) {
        struct mount_attr attr = { .propagation = MS_PRIVATE };
        _cleanup_close_ int tree = -EBADF;
        uint64_t id = 0;
        int r;

        /* A detached copy, made private before it is attached: the container's mounts inside it
         * never reach the host's peer groups. */
        tree = (int) syscall(SYS_open_tree, AT_FDCWD, rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        if (tree < 0)
                return sysrun_error_set(e, -errno, "cannot bind mount rootfs '%s': open_tree: %m", rootfs);
        if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
                return sysrun_error_set(e, -errno, "cannot make the rootfs bind private: mount_setattr: %m");
        if (syscall(SYS_move_mount, tree, "", AT_FDCWD, rootfs, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return sysrun_error_set(e, -errno, "cannot bind mount rootfs '%s': move_mount: %m", rootfs);
        r = mount_id_of(rootfs, &id);
        if (r < 0) {
                (void) umount2(rootfs, MNT_DETACH | UMOUNT_NOFOLLOW);
                return sysrun_error_set(e, r, "cannot read the mount id of rootfs '%s': %m", rootfs);
        }
        *ret_mount_id = id;
        return 0;
}

int rootfs_hostns_release(const char *rootfs, uint64_t mount_id, SysrunError *e) {
        uint64_t id = 0;
        int r;

        if (mount_id == 0 || !rootfs)
                return 0;
        /* Only our bind: gone already, or seen from another mount namespace, it is left alone. */
        r = mount_id_of(rootfs, &id);
        if (r == -ENOENT || (r >= 0 && id != mount_id))
                return 0;
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the mount id of rootfs '%s': %m", rootfs);
        if (umount2(rootfs, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
                return sysrun_error_set(e, -errno, "cannot unmount the rootfs bind '%s': %m", rootfs);
        return 0;
}

int rootfs_hostns_enter(const RootfsContext *ctx, SysrunError *e) {
        if (chdir(ctx->rootfs) < 0)
                return sysrun_error_set(e, -errno, "cannot enter rootfs '%s': %m", ctx->rootfs);
        if (chroot(".") < 0)
                return sysrun_error_set(e, -errno, "chroot '%s': %m", ctx->rootfs);
        if (chdir("/") < 0)
                return sysrun_error_set(e, -errno, "chdir /: %m");
        return 0;
}
