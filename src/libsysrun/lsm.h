/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* AppArmor and SELinux: process.apparmorProfile and process.selinuxLabel are written to the
 * process's attr/exec (effective at the next execve), linux.mountLabel becomes a context= mount
 * option. */

#include <stdbool.h>

#include "config.h"
#include "error.h"

bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* Parent side: an error when a label is asked for but its LSM is not enabled on this host. */
int lsm_check(const OciProcess *p, SysrunError *reterr_error);

/* Child side: writes the labels through /proc, after checking that it is a procfs and that no
 * mount covers the attr files. Nothing to do without labels. */
int lsm_apply(const OciProcess *p, SysrunError *reterr_error);

/* data with context="label" appended (as runc formats it). Pure. */
char *lsm_mount_data(const char *data, const char *mount_label);
/* linux.mountLabel applies to this filesystem type (not to proc, sysfs, mqueue or cgroup). Pure. */
bool lsm_mount_label_applies(const char *fstype);
