/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The point where a cgroup manager plugs in. The parent calls enter() while the init is blocked,
 * before it forks or execs anything. Managers: "disabled" (no cgroup), "systemd" (a transient scope
 * unit per container) and "cgroupfs" (cgroups made by sysrun itself, cgroupfs.c). */

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"
#include "state.h"

typedef enum CgroupManagerType {
        CGROUP_MANAGER_DISABLED,
        CGROUP_MANAGER_SYSTEMD,
        CGROUP_MANAGER_CGROUPFS,
        _CGROUP_MANAGER_TYPE_MAX,
        _CGROUP_MANAGER_TYPE_INVALID = -EINVAL,
} CgroupManagerType;

const char *cgroup_manager_type_to_string(CgroupManagerType t);
CgroupManagerType cgroup_manager_type_from_string(const char *s);
/* systemd when it runs (/run/systemd/system exists), else cgroupfs where it works (cgroup v1
 * controllers mounted), else disabled. */
CgroupManagerType cgroup_manager_default(void);

/* Usage figures of the container's cgroup tree (cgroup v2 files), for `events`. Absent controllers
 * leave their has_* false. UINT64_MAX stands for "max". */
typedef struct CgroupIoStat {
        uint64_t major, minor;
        uint64_t rbytes, wbytes, rios, wios;
} CgroupIoStat;

typedef struct CgroupStats {
        bool has_cpu; /* cpu.stat */
        uint64_t cpu_usage_usec, cpu_user_usec, cpu_system_usec;
        uint64_t cpu_nr_periods, cpu_nr_throttled, cpu_throttled_usec;
        bool has_memory; /* memory.current and friends */
        uint64_t memory_current, memory_max, memory_peak, swap_current, swap_max;
        uint64_t memory_events_max, memory_events_oom, memory_events_oom_kill;
        char **memory_stat; /* memory.stat as flat key/value pairs */
        bool has_pids;
        uint64_t pids_current, pids_max;
        CgroupIoStat *io;
        size_t n_io;
} CgroupStats;

void cgroup_stats_done(CgroupStats *s);

typedef struct CgroupManager {
        const char *name;
        /* The manager enforces linux.resources.devices with a device cgroup (a denied node gives
         * EPERM, as under runc); without one, devices_setup() makes a node the rules grant nothing
         * unopenable, and check() refuses a node they grant only r or only w. */
        bool device_cgroup;
        /* First of all, without waiting: starts what check() will ask (systemd: the connection and
         * its version), so that it comes while the bundle is read. NULL: nothing. */
        void (*prefetch)(void);
        /* Before anything is made: can this manager apply the config's resources? explicit is true
         * when the user chose the manager on the command line. */
        int (*check)(const OciConfig *c, bool explicit_choice, SysrunError *reterr_error);
        /* Before the state is first written: records in state what enter() is going to make, so that
         * delete can find it after a create killed midway. NULL: nothing to record. */
        int (*intent)(const OciConfig *c, ContainerState *state, SysrunError *reterr_error);
        /* Puts pid into the container's cgroup, records unit/cgroup in state. */
        int (*enter)(const OciConfig *c, ContainerState *state, pid_t pid, SysrunError *reterr_error);
        /* Before create returns: waits for what enter() left in flight (machined's reply) and records
         * it in state. NULL: nothing is. */
        int (*complete)(ContainerState *state, SysrunError *reterr_error);
        int (*update)(ContainerState *state, const OciResources *r, SysrunError *reterr_error);
        int (*freeze)(ContainerState *state, bool freeze, SysrunError *reterr_error);
        /* 1 when frozen, 0 when not, negative errno. */
        int (*is_frozen)(ContainerState *state);
        int (*kill_all)(ContainerState *state, int sig, SysrunError *reterr_error);
        /* Host pids of every process in the container's cgroup. */
        int (*pids)(ContainerState *state, pid_t **ret, size_t *ret_n, SysrunError *reterr_error);
        /* Removes what enter() made; idempotent. */
        int (*destroy)(ContainerState *state, SysrunError *reterr_error);
        /* exec starts its process with clone3(CLONE_INTO_CGROUP) on state->cgroup_path (relative to
         * the cgroup2 mount). */
        bool clone_into_cgroup;
        /* exec: puts pid (not yet forked or exec'd) into the container's cgroup (after the clone
         * above, when the manager asks for it). NULL: nothing to do. */
        int (*attach)(ContainerState *state, pid_t pid, SysrunError *reterr_error);
        /* Usage of the container's cgroup (events); -EOPNOTSUPP without a cgroup. */
        int (*stats)(ContainerState *state, CgroupStats *ret, SysrunError *reterr_error);
} CgroupManager;

const CgroupManager *cgroup_manager_get(CgroupManagerType t);
/* The manager recorded in a container's state. */
const CgroupManager *cgroup_manager_for_state(const ContainerState *s);

