/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* A config without a mount namespace, as runc runs it: the container stays in the runtime's mount
 * namespace and is only chrooted into its rootfs (runc's prepareRootfs ends in chroot() when there is
 * no NEWNS; pivot_root needs a mount namespace of its own). Nothing is mounted then: runc would mount
 * its mounts, /dev's bind mounts and the console into the host's namespace and turn the host root's
 * propagation into MS_SLAVE, which sysrun never does, so what needs a mount is refused instead. */

#include "config.h"
#include "error.h"
#include "mounts.h"

/* The parts of c that need a private mount namespace, refused with runc's wording where runc has one
 * ("unable to restrict sys entries without a private MNT namespace"). in_userns: the nodes of /dev
 * would have to be bind mounts. Pure. */
int rootfs_hostns_check(const OciConfig *c, bool in_userns, SysrunError *reterr_error);
/* rootfs_setup() without a mount namespace: the nodes of /dev, sysctls, the cwd. */
int rootfs_hostns_setup(const RootfsContext *ctx, SysrunError *reterr_error);
/* rootfs_pivot() without a mount namespace: chroot into the rootfs. */
int rootfs_hostns_enter(const RootfsContext *ctx, SysrunError *reterr_error);
