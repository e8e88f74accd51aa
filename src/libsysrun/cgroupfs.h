/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The cgroupfs manager, for hosts without systemd: it makes the container's cgroup itself, in every
 * v1 hierarchy that it needs (hybrid/legacy hosts) or in the cgroup2 tree (unified hosts), and writes
 * linux.resources to the controllers' files. The translation is pure (cgroupfs-v1.c, cgroupfs-v2.c):
 * it turns resources into a list of {field, file, value} writes, which cgroupfs.c then performs. */

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"
#include "resources.h"

/* An ordered list of writes. Each file begins with its controller's name ("pids.max" → pids). */
typedef struct CgroupfsPlan {
        CgroupWrite *writes;
        size_t n_writes;
} CgroupfsPlan;

void cgroupfs_plan_done(CgroupfsPlan *p);
int cgroupfs_plan_add(CgroupfsPlan *p, const char *field, const char *file, const char *fmt, ...)
                _printf_(4, 5);
/* "pids" for "pids.max", "net_cls" for "net_cls.classid". */
char *cgroupfs_controller_of(const char *file);
/* Whether the plan writes to a file of controller c. */
bool cgroupfs_plan_uses(const CgroupfsPlan *p, const char *controller);

/* linux.resources (and, on create, the device policy) → v1 writes. Callers' "unset" values (pids 0,
 * cpu.shares 0, blockIO.weight 0) give no write. Errors name the field. */
int cgroupfs_v1_plan(const ResourceInput *in, CgroupfsPlan *ret, SysrunError *reterr_error);

/* The device rules of a create, in the order they are applied: linux.resources.devices, then runc's
 * default devices but for the nodes linux.devices makes itself (runc's createDevices), so that a
 * deny-all followed by an "r" rule keeps such a node read-only. Shared by the v1 lists and the v2
 * eBPF program. */
int cgroupfs_device_rules(const ResourceInput *in, OciDeviceRule **ret, size_t *ret_n);
/* One v1 devices.allow/deny line: "c 1:3 rwm", "a *:* rwm". Pure. */
char *cgroupfs_v1_device_line(const OciDeviceRule *rule);

/* One mounted cgroup hierarchy. */
typedef struct CgroupHierarchy {
        char *mount_point;   /* "/sys/fs/cgroup/cpu,cpuacct" */
        char *root;          /* the hierarchy's directory mounted there; NULL for "/" */
        char **controllers;  /* "cpu", "cpuacct"; for cgroup2 NULL */
        bool unified;        /* cgroup2 */
} CgroupHierarchy;

void cgroup_hierarchies_free(CgroupHierarchy *h, size_t n);
/* The cgroup mounts of a mountinfo text: every v1 hierarchy with at least one controller (named ones
 * such as name=systemd are left out) and the cgroup2 mount. Pure. */
int cgroup_hierarchies_from_mountinfo(const char *mountinfo, CgroupHierarchy **ret, size_t *ret_n);
/* The path of the hierarchy holding controller (v1) in a /proc/<pid>/cgroup text ("" for "0::"). Pure. */
int cgroup_v1_path_from_proc_text(const char *text, const char *controller, char **ret);

/* The cgroup a container gets: linux.cgroupsPath when absolute; relative to base (the runtime's own
 * cgroup) when relative; "/sysrun/<id>" when empty. *ret_default tells which. Errors name the field. */
int cgroupfs_resolve_path(const char *cgroups_path, const char *id, const char *base, char **ret,
                          bool *ret_default, SysrunError *reterr_error);

/* Whether this host has what the cgroupfs manager needs (a v1 devices hierarchy). */
bool cgroupfs_host_supported(void);

extern const CgroupManager cgroupfs_manager;
/* The same without a device cgroup, for a rootless sysrun (no BPF device program without root). */
extern const CgroupManager cgroupfs_rootless_manager;

/* linux.resources → v2 writes (the device policy excepted: see bpf-devices.h). Pure. */
int cgroupfs_v2_plan(const ResourceInput *in, CgroupfsPlan *ret, SysrunError *reterr_error);

/* cgroupfs-files.c: I/O on a cgroup directory. */
int cgroupfs_read_text(const char *dir, const char *file, char **ret);
int cgroupfs_write_text(const char *dir, const char *file, const char *value);
/* A number, or "max" → UINT64_MAX. */
int cgroupfs_read_u64(const char *dir, const char *file, uint64_t *ret);

/* The container's directories in the v1 hierarchies that usage figures come from (NULL: none). */
typedef struct CgroupV1Dirs {
        const char *cpu, *cpuacct, *memory, *pids, *blkio;
} CgroupV1Dirs;
int cgroupfs_v1_stats_read(const CgroupV1Dirs *dirs, CgroupStats *ret);

/* v2: enables controllers in cgroup.subtree_control of every ancestor of dir below mount. */
int cgroupfs_v2_enable(const char *mount, const char *dir, char *const *controllers, SysrunError *reterr_error);
int cgroupfs_v2_freeze(const char *dir, bool freeze, SysrunError *reterr_error);
int cgroupfs_v2_is_frozen(const char *dir);
/* Sleeps until cgroup.events has key = want (POLLPRI on the file); -ETIMEDOUT after timeout_ms. */
int cgroupfs_v2_wait_event(const char *dir, const char *key, int want, int timeout_ms);

/* rmdir of a cgroup tree, children first; a missing one is fine. */
int cgroupfs_remove_tree(const char *dir, unsigned depth);
