/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The container's mount namespace, built in the init before pivot_root. Every destination is
 * resolved inside the rootfs with openat2(RESOLVE_IN_ROOT) and mounted onto through its
 * /proc/self/fd path, so no symlink (even one swapped in during setup) can move a mount out. */

#include <stdbool.h>

#include "config.h"
#include "error.h"
#include "mount-options.h"
#include "mount-sources.h"

/* Opens path inside the directory tree rootfd as if rootfd were "/", never leaving it. */
int open_in_root(int rootfd, const char *path, int flags);
/* Like open_in_root, but makes the missing parents (0755) and, when missing, the final component
 * as a directory (dir) or an empty file. Returns an O_PATH fd. */
int mkdir_open_in_root(int rootfd, const char *path, bool dir);

typedef struct RootfsContext {
        const OciConfig *config;
        const char *rootfs; /* absolute host path */
        const char *bundle;
        bool in_userns;
        bool new_netns;
        bool in_cgroupns; /* the init has its own (new or joined) cgroup namespace */
        bool device_cgroup; /* a device cgroup enforces linux.resources.devices */
        bool no_pivot;
        bool host_mntns; /* no mount namespace of its own: the runtime's, chroot (rootfs-hostns.h) */
        bool create_console; /* process.terminal: /dev/console is bound later */
        const int *idmap_fds; /* per mounts[] entry: a detached idmapped tree (mount-idmap.h), or -EBADF */
        size_t n_idmap_fds;
        const MountSources *sources; /* bind sources sysrun opened as the host's root (userns), or NULL */
        /* Waits until the init is in the container's cgroup; called before the first cgroup mount
         * and at the end of rootfs_setup() (NULL: it already is). */
        int (*cgroup_barrier)(void *userdata, SysrunError *reterr_error);
        void *barrier_userdata;
} RootfsContext;

/* Everything from the rootfs bind mount up to pivot_root: mounts (cgroup ones in mounts-cgroup.c),
 * devices, masked and read-only paths, the cwd. A cgroup mount that nothing after it depends on is
 * made after the other mounts and the devices (mount_defer_cgroup()), so that the work before the
 * cgroup barrier is as long as it can be. */
int rootfs_setup(const RootfsContext *ctx, bool *ret_dev_is_bind, SysrunError *reterr_error);
/* pivot_root (or MS_MOVE+chroot), then the read-only remounts of tmpfs mounts (/dev), root.readonly and
 * rootfsPropagation. */
int rootfs_pivot(const RootfsContext *ctx, SysrunError *reterr_error);

/* Remounts the bind mount at target_fd with flags, keeping the flags a user namespace cannot clear. */
int remount_bind(int target_fd, unsigned long flags, unsigned long clear, bool in_userns);

/* After pivot_root, when the container has a /dev of its own (not a bind): each of fds 0-2 that is
 * a null device (the runtime's /dev/null, which conmon gives a container's stdin) is reopened on the
 * container's /dev/null with the fd's access mode, as runc does. Nothing of the host's /dev stays
 * open in the container, and criu can dump the fd (a file on a mount outside the container is not
 * dumpable). A mode that the device rules deny keeps the runtime's fd. */
int stdio_reopen_dev_null(SysrunError *reterr_error);

/* Creates default devices and linux.devices under the container's /dev (an O_PATH/dir fd). Without
 * a device cgroup, a linux.devices node the rules grant neither r nor w is made unopenable. */
int devices_setup(
                int rootfd, const OciConfig *config, bool in_userns, bool device_cgroup, SysrunError *reterr_error);

/* Whether mounts[idx] is a cgroup mount that can move behind every later mount, the devices (/dev)
 * and the sysctls (/proc) without a change in what the container sees: its destination and theirs
 * are disjoint trees (compared lexically; a ".." anywhere keeps the order). Pure. */
bool mount_defer_cgroup(const OciMount *mounts, size_t n, size_t idx);
