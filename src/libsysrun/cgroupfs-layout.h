/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The cgroup mounts of this host (from /proc/self/mountinfo), for the cgroupfs manager. */

#include <stdbool.h>

#include "cgroupfs.h"
#include "error.h"
#include "state.h"

typedef struct CgroupfsLayout {
        CgroupHierarchy *h;
        size_t n;
        bool v1; /* at least one v1 hierarchy with a controller */
        const CgroupHierarchy *v2; /* the cgroup2 mount, on hosts without v1 controllers */
        /* A hybrid host's cgroup2 mount (/sys/fs/cgroup/unified, no controllers): joined too, as runc
         * joins it, so that /proc/PID/cgroup's "0::" line names the container's cgroup. */
        const CgroupHierarchy *hybrid_unified;
} CgroupfsLayout;

void cgroupfs_layout_done(CgroupfsLayout *l);
int cgroupfs_layout_load(CgroupfsLayout *ret);
/* The hierarchy holding controller (the cgroup2 mount on a pure v2 host), or NULL. */
const CgroupHierarchy *cgroupfs_layout_find(const CgroupfsLayout *l, const char *controller);
/* The controllers the v2 root offers ("cpu io memory pids …"). */
int cgroupfs_layout_v2_available(const CgroupfsLayout *l, char ***ret);
/* Every write's controller is mounted; messages name the field and the controller. */
int cgroupfs_layout_check_mounted(const CgroupfsLayout *l, const CgroupfsPlan *p, SysrunError *reterr_error);
/* Whether a container gets a directory in h for plan p. */
bool cgroupfs_layout_needed(const CgroupHierarchy *h, const CgroupfsPlan *p);
/* The cgroup directory of the container for controller, or NULL. */
const char *cgroupfs_layout_container_dir(const ContainerState *s, const CgroupfsLayout *l, const char *controller);
/* The hierarchy that dir is in (*ret), and dir's path below its mount point; NULL when none. */
const char *cgroupfs_layout_hierarchy_of(const CgroupfsLayout *l, const char *dir, const CgroupHierarchy **ret);
