/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

typedef struct NamespacePlan {
        int new_flags; /* CLONE_NEW* to create */
        bool has[_NAMESPACE_TYPE_MAX]; /* created or joined */
        const char *join_path[_NAMESPACE_TYPE_MAX];
        size_t n_joins;
        bool new_userns;
        bool in_userns; /* created or joined */
} NamespacePlan;

/* Checks linux.namespaces against the rest of the config (mount namespace required, id maps with
 * a new user namespace, hostname with a UTS namespace, sysctls in namespaces the container owns,
 * time offsets with a time namespace) and returns what to create and join. Pure. */
int namespaces_plan(const OciConfig *c, NamespacePlan *ret, SysrunError *reterr_error);
/* Joins the namespaces named by path: the user namespace first, then the others. */
int namespaces_join(const NamespacePlan *plan, SysrunError *reterr_error);
/* Writes /proc/PID/{uid,gid}_map from linux.{uid,gid}Mappings. */
int idmap_write(pid_t pid, const OciLinux *l, SysrunError *reterr_error);
/* Formats mappings as the kernel's uid_map text ("0 1000 65536\n…"). Pure. */
char *idmap_format(const OciIdMapping *m, size_t n);
/* Writes /proc/self/timens_offsets (before the first process enters the time namespace). */
int timens_write_offsets(const OciLinux *l, SysrunError *reterr_error);
/* Checks one sysctl key against the namespaces the container owns. Pure. */
int sysctl_check(const char *key, const NamespacePlan *plan, SysrunError *reterr_error);
/* In the init, in the container's namespaces, with its mounts made but before readonlyPaths: writes
 * linux.sysctl (flat key/value pairs) through the procfs mounted at <rootfd>/proc, or through the
 * runtime's /proc when the container has none (rootfd < 0: the runtime's). */
int sysctls_apply(int rootfd, char **sysctl, SysrunError *reterr_error);
