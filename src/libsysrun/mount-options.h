/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* OCI mount options ("ro", "rbind", "rro", "idmap", "size=…") split into what each of the kernel's
 * interfaces takes: MS_* flags for mount(2), MOUNT_ATTR_* for mount_setattr(AT_RECURSIVE), sysrun's
 * own steps (idmap, tmpcopyup) and the filesystem's data string. Pure. */

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

typedef struct MountOptions {
        unsigned long flags;       /* MS_* applied at mount time */
        unsigned long clear_flags; /* MS_* the options turned off ("rw", "suid", …) */
        unsigned long propagation; /* MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE (+MS_REC) */
        uint64_t attr_set;         /* MOUNT_ATTR_* for the whole tree ("rro", "rnoexec", "rnoatime", …) */
        uint64_t attr_clr;         /* MOUNT_ATTR_* cleared ("rrw", "rexec"; MOUNT_ATTR__ATIME with an atime option) */
        bool bind;
        bool recursive_bind;
        bool idmap;           /* "idmap"/"ridmap": idmapped bind mount */
        bool recursive_idmap; /* "ridmap": the submounts too */
        bool tmpcopyup;       /* a tmpfs that starts with a copy of what the rootfs has there */
        char *data;           /* comma-joined options the kernel interprets per filesystem */
} MountOptions;

void mount_options_done(MountOptions *o);
/* Splits OCI mount options; unknown options go to data. */
int mount_options_parse(char *const *options, MountOptions *ret, SysrunError *reterr_error);
/* The recursive-attribute options among options ("rro,rnoexec"), for messages; NULL when none
 * or out of memory. */
char *mount_options_recursive_names(char *const *options);
/* Whether the data string has an option key ("mode=" matches "size=1m,mode=755"). */
bool mount_options_data_has(const char *data, const char *key);
/* "shared", "rslave", … for linux.rootfsPropagation; -EINVAL otherwise. */
int propagation_from_string(const char *s, unsigned long *ret);
