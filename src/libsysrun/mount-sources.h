/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Bind sources for an init in a user namespace. There the container's root may not reach a
 * source that the host's root can (a directory under a 0700 root-owned one), so sysrun opens them
 * as the host's root, as runc does: a helper joins only the init's mount namespace (a bind must
 * come from a mount of the namespace it goes to) and hands each O_PATH fd to the init, which
 * mounts from /proc/self/fd/N and closes them after the mounts. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

typedef struct MountSources {
        int *fds; /* one per config mount; -EBADF for a mount that is not a bind */
        size_t n;
} MountSources;

#define MOUNT_SOURCES_NULL ((MountSources){ .fds = NULL, .n = 0 })

/* Whether the mount is a bind: type bind/rbind or a bind/rbind option. */
bool oci_mount_is_bind(const OciMount *m);
bool oci_config_has_bind_mounts(const OciConfig *c);

/* An empty table (every fd -EBADF) for the config's mounts. */
int mount_sources_new(const OciConfig *c, MountSources *ret);
/* Stores fd (taken) for mount idx; -EINVAL for an index out of range or already set. */
int mount_sources_take(MountSources *s, size_t idx, int fd);
/* The source fd of mount idx, -EBADF when none was received. */
int mount_sources_get(const MountSources *s, size_t idx);
/* Closes every fd and frees the table. */
void mount_sources_done(MountSources *s);

/* In sysrun, before the init may start its mounts: opens every bind source (relative ones against
 * the bundle) in the mount namespace of init_pid, with the host's credentials, and sends each to
 * the init over sock as SYNC_MOUNT_SOURCE (value: the mount's index). Errors name the mount. */
int mount_sources_send(const OciConfig *c, const char *bundle, pid_t init_pid, int sock,
                       SysrunError *reterr_error);
