/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Idmapped bind mounts ("idmap", "ridmap", a mount's own uidMappings/gidMappings).
 *
 * They are made by sysrun itself, before the init is forked, and not by the init:
 * mount_setattr(MOUNT_ATTR_IDMAP) wants CAP_SYS_ADMIN over the source's filesystem (for a host
 * directory: the host's user namespace) and a mount that is not attached anywhere yet. Once the
 * init is in the container's user namespace it has neither. So sysrun clones each source
 * (open_tree(OPEN_TREE_CLONE)), idmaps the detached tree with a user namespace that carries the
 * mappings, and the init inherits the tree's fd: in its turn in mounts[] it only attaches it at
 * the destination (move_mount), then applies the mount's other options as for any bind mount.
 * A user namespace with the container's mappings maps ids exactly as the container's own. */

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"
#include "mount-options.h"

typedef enum MountIdmapSource {
        MOUNT_IDMAP_NONE,      /* not idmapped */
        MOUNT_IDMAP_OWN,       /* the mount's uidMappings/gidMappings */
        MOUNT_IDMAP_CONTAINER, /* linux.uidMappings/gidMappings of the container's new user namespace */
        MOUNT_IDMAP_JOINED,    /* the user namespace the container joins by path */
} MountIdmapSource;

/* Which mappings mounts[idx] is idmapped with. Mappings of its own without "idmap"/"ridmap" idmap
 * it too (runtime-spec: never ignored). Errors name the mount and the option. Pure. */
int mount_idmap_source(const OciMount *m, const MountOptions *o, size_t idx, bool new_userns, bool joined_userns,
                       MountIdmapSource *ret, SysrunError *reterr_error);

typedef struct MountIdmaps {
        int *fds; /* per mounts[] entry: the detached idmapped tree (O_CLOEXEC), or -EBADF */
        size_t n;
} MountIdmaps;

void mount_idmaps_done(MountIdmaps *m);
/* Makes the idmapped trees of every mount that asks for one. userns_path: the user namespace the
 * container joins (NULL: none). Each fd is at or above min_fd (the preserved fds stay free).
 * *ret stays empty (fds NULL) when no mount is idmapped. */
int mount_idmaps_prepare(const OciConfig *c, const char *bundle, bool new_userns, const char *userns_path,
                         int min_fd, MountIdmaps *ret, SysrunError *reterr_error);
