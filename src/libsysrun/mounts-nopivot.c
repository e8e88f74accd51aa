/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "fd-util.h"
#include "mountinfo.h"
#include "mounts-nopivot.h"
#include "strv.h"

static bool path_under(const char *path, const char *dir) {
        const char *rest = startswith(path, dir);

        return rest && (*rest == 0 || *rest == '/');
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
                MountInfoEntry mi;

                if (mountinfo_parse_line(line, &mi) < 0 ||
                    (!streq(mi.fstype, "proc") && !streq(mi.fstype, "sysfs")))
                        continue;
                if (!streq(mi.root, "/") || path_under(mi.mountpoint, rootfs))
                        continue;
                if (strv_extend(&targets, mi.mountpoint) < 0)
                        return sysrun_error_set(e, -ENOMEM, "out of memory");
        }
        STRV_FOREACH(t, targets) {
                r = hide_one(*t, e);
                if (r < 0)
                        return r;
        }
        return 0;
}
