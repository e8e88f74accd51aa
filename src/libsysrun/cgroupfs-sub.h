/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* cgroupfs access for the systemd manager. Reads: the cgroup2 mount, a process's cgroup, the pids of
 * a cgroup tree. Writes: only into the "container" sub-cgroup that sysrun makes inside the delegated
 * scope (and the scope's cgroup.subtree_control, which delegation hands over), for what systemd has no
 * property for. The scope itself belongs to systemd and is never written. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "resources.h"

#define CGROUP_SUBGROUP "container"

/* The cgroup2 mount point from /proc/self/mountinfo. */
int cgroup2_mount_point(char **ret);
/* Parses mountinfo text: the mount point of the first cgroup2 entry (one with root "/" preferred). */
int cgroup2_mount_point_from_mountinfo(const char *mountinfo, char **ret);
/* A process's cgroup v2 path ("/system.slice/x.scope"), from /proc/<pid>/cgroup. */
int cgroup_pid_get_path(pid_t pid, char **ret);
/* The "0::" entry of /proc/<pid>/cgroup text. */
int cgroup_path_from_proc_text(const char *text, char **ret);
/* Opens <cgroup2 mount><path> as a directory. */
int cgroup_open(const char *path);

/* The v1 controllers of /proc/<pid>/cgroup text whose hierarchy has the process in path itself (where
 * systemd realised the unit), with blkio called io as in v2. "name=" hierarchies are left out. */
int cgroup_v1_controllers_from_proc_text(const char *text, const char *path, char ***ret);
/* The controllers that act on pid in its cgroup path: cgroup.controllers of the cgroup2 directory,
 * and on a hybrid host the v1 hierarchies that have it in path. *ret is never NULL on success. */
int cgroup_pid_controllers(pid_t pid, const char *path, char ***ret);

/* The path of the v1 hierarchy that has controller in /proc/<pid>/cgroup text: 1 with *ret, 0 when
 * no v1 hierarchy has it (a unified host). */
int cgroup_v1_hierarchy_path(const char *text, const char *controller, char **ret);
/* 1 when a device cgroup acts on pid in path: on a unified host (cgroup2 at /sys/fs/cgroup), a
 * BPF_CGROUP_DEVICE program is attached to path or above it; on a hybrid one, pid is in the v1
 * devices hierarchy at path. 0 when none. */
int cgroup_devices_enforced(pid_t pid, const char *path);

/* 1 when the cgroup at path is frozen or asked to freeze (its cgroup.freeze, or an ancestor's through
 * cgroup.events "frozen"), 0 when not, -errno. */
int cgroup_is_frozen(const char *path);
/* 1 when cgroup.freeze of path says 1 (paused, as runc reads it: frozen or freezing), 0 when not. */
int cgroup_freeze_requested(const char *path);

/* Writes into <path>/container: checks that every controller the writes need is available, makes the
 * sub-cgroup, moves pid there (pid 0: every process of <path>), enables the controllers in <path>'s
 * cgroup.subtree_control, then writes. Errors name the OCI field. */
int cgroup_subgroup_apply(
                const char *path,
                pid_t pid,
                const CgroupWrite *writes,
                size_t n_writes,
                SysrunError *reterr_error);
/* The same below an open scope directory; path is for messages. */
int cgroup_subgroup_apply_at(
                int scope_fd,
                const char *path,
                pid_t pid,
                const CgroupWrite *writes,
                size_t n_writes,
                SysrunError *reterr_error);

/* Every pid in the cgroup tree at path, sorted. */
int cgroup_read_pids(const char *path, pid_t **ret, size_t *ret_n);
/* The same for an open cgroup directory (v1 or v2). */
int cgroup_read_pids_at(int dirfd, pid_t **ret, size_t *ret_n);
/* mountinfo's \ooo escapes undone in the first n bytes of s. */
char *mountinfo_unescape(const char *s, size_t n);
