/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "fd-util.h"
#include "mounts-nopivot.h"
#include "strv.h"

static bool path_under(const char *path, const char *dir) {
        const char *rest = startswith(path, dir);

        return rest && (*rest == 0 || *rest == '/');
}

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s) {
        char *w = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
                    s[3] <= '7') {
                        *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else
                        *w++ = *s;
        }
        *w = 0;
}

static int hide_one(const char *path, SysrunError *e) {
        /* / is a slave already (rootfs_setup): nothing of this reaches the host. */
        if (umount2(path, MNT_DETACH) == 0)
                return 0;
        if (errno == ENOENT)
                return 0; /* gone with a parent detached before */
        if (errno != EINVAL && errno != EPERM)
                return sysrun_error_set(e, -errno, "--no-pivot: cannot detach '%s': %m", path);
        /* Locked (or already covered): cover it. */
        if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0555") < 0 &&
            errno != ENOENT)
                return sysrun_error_set(e, -errno, "--no-pivot: cannot cover '%s': %m", path);
        return 0;
}

int no_pivot_hide_host_pseudofs(const char *rootfs, SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **targets = NULL;
        char *save = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 64 << 20, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "--no-pivot: cannot read /proc/self/mountinfo: %m");
        /* Collected first: detaching /proc makes /proc/self/mountinfo go. */
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[5], *fsave = NULL, *p = line, *sep = strstr(line, " - "), *fstype;
                size_t i;

                if (!sep)
                        continue;
                *sep = 0;
                fstype = strtok_r(sep + 3, " ", &fsave);
                for (i = 0; i < ELEMENTSOF(f); i++, p = NULL)
                        if (!(f[i] = strtok_r(p, " ", &fsave)))
                                break;
                if (i < ELEMENTSOF(f) || !fstype || (!streq(fstype, "proc") && !streq(fstype, "sysfs")))
                        continue;
                unescape(f[3]);
                unescape(f[4]);
                if (!streq(f[3], "/") || path_under(f[4], rootfs))
                        continue;
                if (strv_extend(&targets, f[4]) < 0)
                        return sysrun_error_set(e, -ENOMEM, "out of memory");
        }
        STRV_FOREACH(t, targets) {
                r = hide_one(*t, e);
                if (r < 0)
                        return r;
        }
        return 0;
}
