/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Before criu restores a container's mounts, their mount points must exist, as create makes them:
 * a checkpoint imported into a fresh rootfs (podman container restore --import) has none of the
 * files and directories that create added for its binds (/etc/resolv.conf, volumes). runc does the
 * same (prepareCriuRestoreMounts). */

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* Where mounts[idx]'s mount point is to be made: in the rootfs (*ret_base -1), or, when its
 * destination is inside an earlier bind mount's, in that bind's source (*ret_base its index), at
 * *ret_rel (a pointer into the destination). 0 when nothing is to be made: a cgroup mount, a
 * destination inside an earlier mount of another type (criu restores a tmpfs's content, and proc,
 * sysfs or devpts bring their own entries) or at the same destination as an earlier one. Pure. */
int restore_mountpoint_where(const OciConfig *c, size_t idx, ssize_t *ret_base, const char **ret_rel);

/* Makes the missing mount points of c's mounts (a directory, or an empty file for a bind of a
 * non-directory), resolved inside the rootfs or the bind source as create resolves them. */
int restore_make_mountpoints(const OciConfig *c, const char *rootfs, const char *bundle,
                             SysrunError *reterr_error);
