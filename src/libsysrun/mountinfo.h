/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* One line of /proc/self/mountinfo (proc(5)): "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS". */

typedef struct MountInfoEntry {
        const char *root;       /* inside the filesystem, unescaped */
        const char *mountpoint; /* unescaped */
        const char *options;
        const char *fstype;
        const char *source;
        const char *superopts;
} MountInfoEntry;

/* Splits line in place (the entry points into it) and undoes the octal escapes of root and mount
 * point (\040 for a space). -EINVAL for a malformed line. */
int mountinfo_parse_line(char *line, MountInfoEntry *ret);
