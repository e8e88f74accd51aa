/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Rootless operation: sysrun without root in the initial user namespace, either as an unprivileged
 * user (euid != 0) or as root of a user namespace (rootless podman runs the runtime so). What needs
 * real root is done the rootless way or refused up front, naming the field. */

#include <stdbool.h>

#include "cgroup.h"
#include "config.h"
#include "error.h"
#include "namespaces.h"

typedef enum RootlessMode {
        ROOTLESS_AUTO,  /* detect */
        ROOTLESS_FORCE, /* --rootless=true */
        ROOTLESS_NEVER, /* --rootless=false */
} RootlessMode;

/* --rootless VALUE: "true", "false" or "auto"; -EINVAL otherwise. */
int rootless_mode_from_string(const char *s, RootlessMode *ret);
void rootless_set_mode(RootlessMode m);

/* Whether a uid_map text is the initial user namespace's ("0 0 4294967295"). Pure. */
bool uid_map_is_initial(const char *text);
/* Whether this process runs without root in the initial user namespace (cached). */
bool rootless_detect(void);

/* The default state root: $XDG_RUNTIME_DIR/sysrun for a rootless caller (not for root of the
 * initial namespace, and not for a user namespace's root whose $USER is "root", as runc decides),
 * else default_root. Never NULL unless out of memory; the caller frees it. */
char *rootless_state_root(const char *default_root);
/* A state root under $XDG_RUNTIME_DIR gets the sticky bit, as runc does: the XDG spec lets the
 * directory's periodic clean-up remove anything without it. */
void rootless_state_root_keep(int fd, const char *root);
/* The same decision, from its inputs. Pure. */
char *rootless_state_root_for(
                const char *default_root,
                const char *xdg_runtime_dir,
                const char *user,
                uid_t euid,
                bool in_userns);

/* The cgroup manager of a rootless container when none is chosen: systemd when it runs and the user
 * has a manager of their own (bus_user_manager_address()), else cgroupfs on a writable, delegated
 * cgroup v2 subtree (rootless_cgroupfs_usable()), else none. */
CgroupManagerType rootless_cgroup_manager_default(void);
/* Whether the whole cgroup2 tree sysrun sees is the user's (a cgroup namespace with a writable
 * mount, as in a container): the cgroupfs manager works there unchanged. */
bool rootless_cgroupfs_usable(void);
/* Why a rootless container has no cgroup manager, for messages. */
const char *rootless_no_manager_reason(void);

/* Before anything is made: what a rootless create cannot do, as an error naming the field (no user
 * namespace for an unprivileged caller, idmapped mounts, hard rlimits above ours, an oomScoreAdj
 * below ours, additional groups with setgroups denied, Intel RDT). 0 when not rootless. */
int rootless_check(const OciConfig *c, const NamespacePlan *plan, SysrunError *reterr_error);
