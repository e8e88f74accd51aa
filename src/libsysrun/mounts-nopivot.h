/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include "error.h"

/* For --no-pivot (MS_MOVE and chroot, which leave the old root in the mount namespace): detaches
 * every full proc and sysfs mount outside rootfs, or covers it with a tmpfs where it cannot be
 * detached. With none of them left, the kernel refuses a fresh proc or sysfs mount in a nested
 * user namespace (mount_too_revealing), as with pivot_root. As runc does. */
int no_pivot_hide_host_pseudofs(const char *rootfs, SysrunError *reterr_error);
