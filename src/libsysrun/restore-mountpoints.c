/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "macro.h"
#include "mount-sources.h"
#include "mounts.h"
#include "restore-mountpoints.h"

/* Whether dest lies inside dir (lexically, component by component): 1 and *ret_rest the rest of
 * dest (no leading '/'), 2 when it is dir itself, 0 when neither. */
static int path_inside(const char *dest, const char *dir, const char **ret_rest) {
        for (;;) {
                while (*dest == '/')
                        dest++;
                while (*dir == '/')
                        dir++;
                if (!*dir) {
                        *ret_rest = dest;
                        return *dest ? 1 : 2;
                }
                size_t n = strcspn(dir, "/");
                if (strncmp(dest, dir, n) != 0 || (dest[n] && dest[n] != '/'))
                        return 0;
                dest += n;
                dir += n;
        }
}

int restore_mountpoint_where(const OciConfig *c, size_t idx, ssize_t *ret_base, const char **ret_rel) {
        const OciMount *m = &c->mounts[idx];
        const char *rel = NULL;

        if (!m->destination || streq_ptr(m->type, "cgroup") || streq_ptr(m->type, "cgroup2"))
                return 0;
        /* The last earlier mount that holds the destination is the one it is made in. */
        for (size_t j = idx; j-- > 0;) {
                const OciMount *p = &c->mounts[j];
                int r;

                if (!p->destination)
                        continue;
                r = path_inside(m->destination, p->destination, &rel);
                if (r == 0)
                        continue;
                if (r == 2 || !oci_mount_is_bind(p))
                        return 0;
                *ret_base = (ssize_t) j;
                *ret_rel = rel;
                return 1;
        }
        (void) path_inside(m->destination, "/", &rel);
        if (!*rel)
                return 0;
        *ret_base = -1;
        *ret_rel = rel;
        return 1;
}

static int bind_source_open(const OciMount *m, const char *bundle, int flags) {
        _cleanup_free_ char *abs = NULL;
        int fd;

        if (m->source[0] != '/' && asprintf(&abs, "%s/%s", bundle ?: ".", m->source) < 0)
                return -ENOMEM;
        fd = open(abs ?: m->source, flags | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int restore_make_mountpoints(const OciConfig *c, const char *rootfs, const char *bundle, SysrunError *e) {
        _cleanup_close_ int rootfd = -EBADF;

        rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return sysrun_error_set(e, -errno, "cannot open rootfs '%s': %m", rootfs);
        for (size_t i = 0; i < c->n_mounts; i++) {
                const OciMount *m = &c->mounts[i];
                _cleanup_close_ int basefd = -EBADF, fd = -EBADF;
                const char *rel;
                ssize_t base;
                bool dir = true;

                if (restore_mountpoint_where(c, i, &base, &rel) <= 0)
                        continue;
                if (oci_mount_is_bind(m)) {
                        _cleanup_close_ int src = -EBADF;
                        struct stat st;

                        if (!m->source)
                                return sysrun_error_set(e, -EINVAL, "mounts[%zu].source: required for a bind mount",
                                                        i);
                        src = bind_source_open(m, bundle, O_PATH);
                        if (src < 0 || fstat(src, &st) < 0)
                                return sysrun_error_set(e, src < 0 ? src : -errno,
                                                        "mounts[%zu]: bind source '%s': %m", i, m->source);
                        dir = S_ISDIR(st.st_mode);
                }
                if (base >= 0) {
                        basefd = bind_source_open(&c->mounts[base], bundle, O_RDONLY | O_DIRECTORY);
                        if (basefd < 0)
                                return sysrun_error_set(e, basefd, "mounts[%zd]: bind source '%s': %m", base,
                                                        c->mounts[base].source);
                }
                fd = mkdir_open_in_root(base >= 0 ? basefd : rootfd, rel, dir);
                if (fd < 0)
                        return sysrun_error_set(e, fd, "mounts[%zu]: cannot make the mount point '%s': %m", i,
                                                m->destination);
        }
        return 0;
}
