/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* "cgroup" and "cgroup2" mounts, as runc does them. With a cgroup namespace: fresh mounts, whose
 * root is the container's cgroup. Without: binds of the container's own cgroup (the init's, as
 * /proc/self/cgroup names it once the cgroup manager moved it there), never the host's whole tree.
 * On a v1 or hybrid host a "cgroup" mount is a tmpfs holding one such mount per hierarchy mounted
 * at /sys/fs/cgroup/<name> (the unified one included), with links for co-mounted controllers
 * (cpu -> cpu,cpuacct). */

#include <stdbool.h>

#include "error.h"
#include "mounts.h"

/* The hierarchy's name in a cgroup v1 mount's super options ("rw,cpu,cpuacct" -> "cpu,cpuacct",
 * "rw,xattr,name=systemd" -> "name=systemd"), as /proc/self/cgroup spells it: the options that are
 * controllers (in the strv controllers: the enabled ones of /proc/cgroups) or name=. NULL on
 * OOM; "" when there is none. */
char *cgroup_v1_hierarchy_name(const char *superopts, char *const *controllers);
/* The cgroup path of hierarchy (a v1 hierarchy name as above; "" for cgroup2) in the text of
 * /proc/self/cgroup. -ENOENT when it is not listed. */
int cgroup_own_path(const char *proc_self_cgroup, const char *hierarchy, char **ret);

/* Mounts the cgroup filesystem at dst_fd (the destination, made in the rootfs) for mounts[idx] of
 * type fstype ("cgroup" or "cgroup2") with its parsed options. */
int mount_cgroup(const RootfsContext *ctx, int rootfd, int dst_fd, size_t idx, const char *fstype,
                 const MountOptions *o, SysrunError *reterr_error);
