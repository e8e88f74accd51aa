/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The systemd manager on a hybrid (or legacy) host: the v1 hierarchies next to systemd's units.
 * systemd does not realise units in the v1 freezer and cpuset hierarchies (FreezeUnit and AllowedCPUs=
 * need the unified one), so a scope gets a freezer and a cpuset cgroup of sysrun's at the scope's path
 * (as runc's systemd v1 driver joins every hierarchy): pause/resume and cpu.cpus/mems go through them. exec joins every v1 cgroup of the init: CLONE_INTO_CGROUP
 * places a process in the cgroup2 hierarchy only, and the v1 devices, pids and freezer cgroups are
 * what enforce the container's limits there. */

#include <stdbool.h>
#include <sys/types.h>

#include "cgroupfs.h"
#include "config.h"
#include "error.h"

/* The directory of scope_cg (systemd's ControlGroup, "/machine.slice/x.scope") in the v1 hierarchy
 * h, where systemd's root is pid1_path in it ("/" or "/init.scope" are the root). NULL when h's
 * mount does not reach it. Pure. */
char *scope_v1_dir(const CgroupHierarchy *h, const char *pid1_path, const char *scope_cg);

/* Puts pid into the scope's v1 freezer and cpuset cgroups, making them (a new cpuset one gets its
 * parent's cpus and mems). 0 also when the host has no such v1 hierarchy. A frozen freezer cgroup (a
 * paused container's, same cgroupsPath) is refused. */
int scope_v1_join(const char *scope_cg, pid_t pid, SysrunError *reterr_error);
/* Freezes or thaws the scope's v1 freezer cgroup; -EOPNOTSUPP (e untouched) when it has none. */
int scope_v1_freeze(const char *scope_cg, bool freeze, SysrunError *reterr_error);
/* 1 when the scope's v1 freezer cgroup is frozen or freezing, 0 when not or without one. */
int scope_v1_is_frozen(const char *scope_cg);
/* Removes the scope's v1 freezer and cpuset cgroups and the slices above them when empty; a frozen
 * freezer cgroup (found so by create) is left alone. */
int scope_v1_remove(const char *scope_cg, SysrunError *reterr_error);
/* exec: pid joins each v1 cgroup that the container's init is in (where that hierarchy is mounted). */
int scope_v1_attach(pid_t init, pid_t pid, SysrunError *reterr_error);
/* The directory of pid's cgroup in the v1 hierarchy of controller: 1 with *ret, 0 when no v1
 * hierarchy has controller (or its mount does not show pid's cgroup). */
int scope_v1_pid_dir(pid_t pid, const char *controller, char **ret);
/* On a v1 cpu controller systemd takes the quota as CPUQuotaPerSecUSec, rounded up to 10 ms, and
 * derives cpu.cfs_quota_us from it and the period (504000 for 500000 of 900000). As runc's v1 systemd
 * driver, the exact values then go to cpu.cfs_period_us and cpu.cfs_quota_us of pid's cgroup (a
 * quota of 0 or -1 as -1, unlimited). A value the kernel refuses, such as more than the parent
 * allows, is an error naming the field. 0 without a v1 cpu hierarchy. */
int scope_v1_cpu_bandwidth(pid_t pid, const OptI64 *quota, const OptU64 *period, SysrunError *reterr_error);
/* cpu.cfs_quota_us and cpu.cfs_period_us of pid's v1 cpu cgroup: 1 with both, 0 without a v1 cpu
 * hierarchy. */
int scope_v1_cpu_read(pid_t pid, int64_t *ret_quota, uint64_t *ret_period);
/* cpu.cpus and cpu.mems (when not empty) to pid's v1 cpuset cgroup, which systemd leaves alone (its
 * AllowedCPUs= acts on cgroup v2 only). An error names the field. 0 without a v1 cpuset hierarchy. */
int scope_v1_cpuset_apply(pid_t pid, const char *cpus, const char *mems, SysrunError *reterr_error);
