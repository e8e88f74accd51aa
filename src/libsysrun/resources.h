/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* linux.resources → systemd unit properties, through one declarative table (resources.c): each row
 * names the OCI field, the property, its D-Bus signature, the systemd version that brought it and a
 * pure converter. Fields systemd cannot express (or that the running systemd is too old for) have a
 * cgroupfs form instead, which the systemd manager writes into the "container" sub-cgroup of the
 * delegated scope (cgroupfs-sub.c). Nothing here does I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "unit-property.h"

/* One write into the container sub-cgroup. */
typedef struct CgroupWrite {
        char *field; /* the OCI field, for messages */
        char *file;  /* relative to the sub-cgroup: "hugetlb.2MB.max" */
        char *value;
} CgroupWrite;

typedef struct ResourcePlan {
        UnitPropertyList properties;
        CgroupWrite *writes;
        size_t n_writes;
        char **warnings; /* fields ignored on purpose, with the reason */
} ResourcePlan;

void resource_plan_done(ResourcePlan *p);

typedef enum ResourceMode {
        RESOURCE_MODE_CREATE,
        RESOURCE_MODE_UPDATE,
} ResourceMode;

typedef struct ResourceInput {
        const OciResources *resources; /* NULL: none */
        /* Create only: runc's default devices are allowed after the rules of linux.resources.devices,
         * as runc and crun do. linux.devices adds no rule: the caller's rules are the policy. */
        bool default_devices;
        /* linux.devices: a default rule for a node of the same path is left out, as runc does (the
         * caller's rules for it are then the policy: "--device /dev/null:r" is read-only). */
        const OciDevice *devices;
        size_t n_devices;
        unsigned systemd_version; /* 0: unknown, plan as for a current systemd */
        ResourceMode mode;
        /* systemd's cpu controller is a cgroup v1 hierarchy (a hybrid host): the shares go as
         * CPUShares, which it writes to cpu.shares as given, as runc's v1 driver sets them (a
         * CPUWeight comes back from its own conversion as another number). */
        bool cpu_v1;
} ResourceInput;

/* The fields of linux.resources that can set a limit (devices are not one: they are a policy). */
typedef enum ResourceField {
        RESOURCE_FIELD_MEMORY_LIMIT,
        RESOURCE_FIELD_MEMORY_RESERVATION,
        RESOURCE_FIELD_MEMORY_SWAP,
        RESOURCE_FIELD_MEMORY_KERNEL,
        RESOURCE_FIELD_MEMORY_KERNEL_TCP,
        RESOURCE_FIELD_MEMORY_SWAPPINESS,
        RESOURCE_FIELD_MEMORY_DISABLE_OOM_KILLER,
        RESOURCE_FIELD_CPU_SHARES,
        RESOURCE_FIELD_CPU_QUOTA,
        RESOURCE_FIELD_CPU_BURST,
        RESOURCE_FIELD_CPU_PERIOD,
        RESOURCE_FIELD_CPU_REALTIME_RUNTIME,
        RESOURCE_FIELD_CPU_REALTIME_PERIOD,
        RESOURCE_FIELD_CPU_CPUS,
        RESOURCE_FIELD_CPU_MEMS,
        RESOURCE_FIELD_CPU_IDLE,
        RESOURCE_FIELD_PIDS_LIMIT,
        RESOURCE_FIELD_BLOCKIO_WEIGHT,
        RESOURCE_FIELD_BLOCKIO_LEAF_WEIGHT,
        RESOURCE_FIELD_BLOCKIO_WEIGHT_DEVICE,
        RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS, /* the four in ThrottleKind order */
        RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_BPS,
        RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_IOPS,
        RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_IOPS,
        RESOURCE_FIELD_HUGEPAGE_LIMITS,
        RESOURCE_FIELD_NETWORK_CLASS_ID,
        RESOURCE_FIELD_NETWORK_PRIORITIES,
        RESOURCE_FIELD_RDMA,
        RESOURCE_FIELD_UNIFIED, /* any key; resources_list_limits() names each */
        _RESOURCE_FIELD_MAX,
        _RESOURCE_FIELD_INVALID = -EINVAL,
} ResourceField;

typedef enum ResourceKind {
        RESOURCE_UNSET,     /* absent, or the value callers send for "not set" (0, "", false) */
        RESOURCE_UNLIMITED, /* an explicit "no limit" (-1, pids 0): lifts a limit, sets none */
        RESOURCE_LIMIT,     /* a limit (or a value the planner refuses as invalid) */
} ResourceKind;

/* "linux.resources.memory.limit"; NULL for an invalid field. */
const char *resource_field_to_string(ResourceField f);
/* What field f of r asks for; r NULL: RESOURCE_UNSET. Pure: the one place that decides which
 * values are limits, used by the planner and by every manager's check. */
ResourceKind resource_field_kind(const OciResources *r, ResourceField f);
/* resource_field_kind() == RESOURCE_LIMIT. */
bool resource_field_is_limit(const OciResources *r, ResourceField f);
/* The cgroup v2 controller that enforces field f ("memory", "cpu", "cpuset", "pids", "io", "hugetlb",
 * "rdma"); NULL when none does (v1-only and deprecated fields, which the planner refuses or ignores;
 * unified keys, whose controller is their prefix). */
const char *resource_field_controller(ResourceField f);
/* Flat pairs (field, controller) for every limit of r that needs a controller to bite, each
 * unified key on its own ("linux.resources.unified[\"io.max\"]", "io"). *ret NULL when none. Pure. */
int resources_required_controllers(const OciResources *r, char ***ret);
/* The JSON paths of every field of r that sets a limit, in ResourceField order, each unified key
 * on its own ("linux.resources.unified[\"memory.high\"]"). *ret NULL when there is none. Pure. */
int resources_list_limits(const OciResources *r, char ***ret);

typedef struct ResourceRow ResourceRow;
/* Converts the row's field: 0 when it is not set, 1 with *ret filled, or -errno with the error set
 * (the message names the field). */
typedef int (*ResourceValueFn)(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *reterr_error);
/* The cgroupfs form: appends writes (or warnings) to the plan when the field is set. */
typedef int (*ResourceWriteFn)(
                const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *reterr_error);

typedef enum ResourceRowFlags {
        ROW_CREATE_ONLY = 1 << 0, /* systemd takes it only when the unit is made */
        ROW_RESET_LIST = 1 << 1,  /* an array property: an empty one first clears what was there */
} ResourceRowFlags;

struct ResourceRow {
        const char *field;     /* "linux.resources.memory.limit", "linux.resources.unified[\"cpu.max\"]" */
        const char *key;       /* unified key, or the throttle list, for converters shared by rows */
        const char *property;  /* "MemoryMax"; NULL when systemd has no equivalent */
        const char *signature; /* D-Bus type of the property */
        unsigned min_systemd;  /* the property needs this systemd; older ones get write() */
        ResourceRowFlags flags;
        ResourceValueFn value;
        ResourceWriteFn write;
};

const ResourceRow *resource_table(size_t *ret_n);

/* Runs every row. Errors name the field. */
int resources_plan(const ResourceInput *in, ResourcePlan *ret, SysrunError *reterr_error);

/* The unified keys the table maps to properties; any other key is written to the sub-cgroup. */
bool resources_unified_key_is_mapped(const char *key);
/* "<controller>.<file>": letters, digits, '_' and '.', not a cgroup.* core file. */
bool resources_unified_key_is_valid(const char *key);

/* The values an update does not give but needs for its conversion (OCI swap is memory+swap, a quota
 * needs its period), as the unit has them now. UINT64_MAX means "infinity"/unset. */
typedef struct CurrentResources {
        uint64_t memory_max;
        uint64_t memory_swap_max;
        uint64_t cpu_quota_per_sec_usec;
        uint64_t cpu_quota_period_usec;
        /* A v1 cpu controller's cpu.cfs_quota_us (-1: none) and cpu.cfs_period_us, exact where
         * systemd's per-second figure is rounded; 0 and 0 when not read. */
        int64_t cpu_cfs_quota_usec;
        uint64_t cpu_cfs_period_usec;
} CurrentResources;

/* Fills in r what an update needs from cur: the memory limit for a new swap, the OCI swap for a new
 * limit, the period for a new quota, the quota for a new period. */
void resources_merge_current(OciResources *r, const CurrentResources *cur);
/* Which of the values above the update needs (so the caller asks the unit only for those). */
bool resources_need_current(const OciResources *r);

/* Pure converters, exposed for tests. */

/* cgroup v1 cpu.shares → v2 cpu.weight: quadratic in log2 space (runc ≥ 1.3, crun ≥ 1.23):
 * 2 → 1, 1024 → 100, 262144 → 10000. 0 stays 0 (unset). */
uint64_t cpu_shares_to_weight(uint64_t shares);
/* OCI memory.swap (memory+swap) and memory.limit (0: unset) → MemorySwapMax, as runc converts:
 * 0 when nothing is to be set, 1 with *ret, -EINVAL when the pair makes no sense. */
int memory_swap_to_max(int64_t swap, int64_t limit, uint64_t *ret);
/* quota (µs per period, ≤ 0: none) and period (µs, 0: the default 100000) → CPUQuotaPerSecUSec,
 * rounded up to whole percent (10 ms), since systemd keeps the quota as a percentage. */
int cpu_quota_to_per_sec(int64_t quota, uint64_t period, uint64_t *ret);
/* "0-3,7" → { 0x8f }: CPU n is bit n%8 of byte n/8. */
int cpu_list_to_mask(const char *list, uint8_t **ret, size_t *ret_size);
/* blkio weight (10..1000, default 500) → IOWeight (1..10000, default 100), as systemd converts
 * BlockIOWeight= (so that the defaults meet). */
uint64_t blkio_weight_to_io_weight(uint64_t weight);
/* pids.limit → TasksMax: 0 and negative → infinity (runc 1.1, docker: 0 is "max"). */
uint64_t pids_limit_to_tasks_max(int64_t limit);
/* "max" → UINT64_MAX, else a decimal number. */
int unified_parse_max(const char *value, uint64_t *ret);
/* runc's --memory syntax: "512m", "1g", "1.5G", "100" (bytes), "-1". */
int parse_ram_bytes(const char *s, int64_t *ret);

/* linux.resources.devices (+ extra allows) → DevicePolicy and DeviceAllow entries. *ret_allow_all
 * when everything ends up allowed (DevicePolicy=auto, no entries); ret_pairs NULL: the policy alone. -EOPNOTSUPP with *ret_bad set to
 * the index of the rule that an allow-list cannot express (a deny inside a broader allow, "*:n"). */
int device_rules_to_allow_list(
                const OciDeviceRule *rules,
                size_t n_rules,
                const OciDeviceRule *extra,
                size_t n_extra,
                bool *ret_allow_all,
                UnitPropertyPair **ret_pairs,
                size_t *ret_n_pairs,
                size_t *ret_bad);
/* The device part of a create: the rules of in->resources, then runc's defaults (in->default_devices)
 * as allows. Errors name the rule ("<field>[3]: …"). */
int resources_devices_plan(
                const ResourceInput *in,
                const char *field,
                bool *ret_allow_all,
                UnitPropertyPair **ret_pairs,
                size_t *ret_n_pairs,
                SysrunError *reterr_error);
enum {
        DEVICE_ACCESS_READ = 1 << 0,
        DEVICE_ACCESS_WRITE = 1 << 1,
        DEVICE_ACCESS_MKNOD = 1 << 2,
};
/* The DEVICE_ACCESS_* bits the rules of in->resources (then runc's defaults, if in->default_devices)
 * leave to the device type ('c' or 'b') major:minor, replayed in order from "deny everything" as the
 * kernel's device controller would. -ENOMEM as 0. */
unsigned device_rules_access(const ResourceInput *in, char type, int64_t major, int64_t minor);
/* runc's default allowed devices (null, zero, full, random, urandom, tty, console, ptmx, pts and
 * mknod of any device). */
const OciDeviceRule *default_device_rules(size_t *ret_n);
/* runc's defaults without those for a path that linux.devices (devices, n_devices) makes itself
 * (runc's createDevices): *ret (NULL when none) is freed by the caller. */
int default_device_rules_for(const OciDevice *devices, size_t n_devices, OciDeviceRule **ret, size_t *ret_n);
