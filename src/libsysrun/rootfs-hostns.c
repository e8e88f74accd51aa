/* SPDX-License-Identifier: Apache-2.0 */
#include "rootfs-hostns.h"

#include <fcntl.h>
#include <unistd.h>

#include "fd-util.h"
#include "namespaces.h"
#include "strv.h"

int rootfs_hostns_check(const OciConfig *c, bool in_userns, SysrunError *e) {
        const OciLinux *l = c->linux_section;

        if (l && (strv_length(l->masked_paths) > 0 || strv_length(l->readonly_paths) > 0))
                return sysrun_error_set(e, -EINVAL,
                                        "linux.%s: unable to restrict sys entries without a private MNT namespace",
                                        strv_length(l->masked_paths) > 0 ? "maskedPaths" : "readonlyPaths");
        if (c->n_mounts > 0)
                return sysrun_error_set(e, -EINVAL,
                                        "mounts[0]: '%s' cannot be mounted without a private MNT namespace (it would "
                                        "be mounted in the host's)",
                                        c->mounts[0].destination);
        if (c->root_readonly)
                return sysrun_error_set(e, -EINVAL,
                                        "root.readonly: cannot remount the rootfs without a private MNT namespace");
        if (l && l->rootfs_propagation)
                return sysrun_error_set(e, -EINVAL,
                                        "linux.rootfsPropagation: cannot be applied without a private MNT namespace "
                                        "(it would change the host's mounts)");
        if (c->process && c->process->terminal)
                return sysrun_error_set(e, -EINVAL,
                                        "process.terminal: /dev/console cannot be bound without a private MNT "
                                        "namespace");
        if (in_userns)
                return sysrun_error_set(e, -EINVAL,
                                        "linux.namespaces: a user namespace without a private MNT namespace cannot "
                                        "make the nodes of /dev (they would be bind mounts in the host's)");
        return 0;
}

int rootfs_hostns_setup(const RootfsContext *ctx, SysrunError *e) {
        const OciConfig *c = ctx->config;
        const OciLinux *l = c->linux_section;
        _cleanup_close_ int rootfd = -EBADF;
        int r;

        rootfd = open(ctx->rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return sysrun_error_set(e, -errno, "cannot open rootfs '%s': %m", ctx->rootfs);
        /* Without a device cgroup a node the rules deny is made unopenable with a bind mount. */
        if (!ctx->device_cgroup && l && l->n_devices > 0)
                return sysrun_error_set(e, -EINVAL,
                                        "linux.devices: cannot be restricted without a device cgroup or a private "
                                        "MNT namespace");
        r = devices_setup(rootfd, c, /* in_userns= */ false, ctx->device_cgroup, e);
        if (r < 0)
                return r;
        r = sysctls_apply(rootfd, l ? l->sysctl : NULL, e);
        if (r < 0)
                return r;
        if (c->process && c->process->cwd) {
                _cleanup_close_ int cwd = mkdir_open_in_root(rootfd, c->process->cwd, true);
                if (cwd < 0)
                        return sysrun_error_set(e, cwd, "process.cwd: cannot create '%s' in the rootfs: %m",
                                                c->process->cwd);
        }
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
