/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* A config without a mount namespace, as runc runs it: the container stays in the runtime's mount
 * namespace (runtime-tools' linux_ns_itype checks it) and is chrooted into its rootfs, as runc's
 * prepareRootfs ends in chroot() without NEWNS (pivot_root needs a mount namespace of its own).
 * Where runc then turns the host root's propagation into MS_SLAVE and leaves its mounts behind on
 * the host, sysrun binds the rootfs on itself first, private, so that nothing mounted inside
 * propagates, never touches "/", and unmounts that bind (with everything in it) on delete. */

#include <stdint.h>

#include "config.h"
#include "error.h"
#include "mounts.h"

/* What cannot be done in the runtime's mount namespace, refused with runc's words where runc has
 * some ("unable to restrict sys entries without a private MNT namespace"). in_userns: a user
 * namespace may not mount in the host's mount namespace. Pure. */
int rootfs_hostns_check(const OciConfig *c, bool in_userns, SysrunError *reterr_error);
/* create, before the init starts: the private bind of rootfs on itself; its mount id for the state. */
int rootfs_hostns_prepare(const char *rootfs, uint64_t *ret_mount_id, SysrunError *reterr_error);
/* delete (and a failed create): unmounts that bind, if it is still the one on top of rootfs. */
int rootfs_hostns_release(const char *rootfs, uint64_t mount_id, SysrunError *reterr_error);
/* rootfs_pivot() without a mount namespace: chroot into the rootfs. */
int rootfs_hostns_enter(const RootfsContext *ctx, SysrunError *reterr_error);
