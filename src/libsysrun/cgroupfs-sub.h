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
