/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "errno-string.h"
#include "fd-util.h"
#include "mount-idmap.h"
#include "namespaces.h"
#include "proc.h"

/* 'option "ridmap"', or 'uidMappings' for mappings alone, for messages. */
static const char *idmap_label(const OciMount *m, const MountOptions *o) {
        if (!o->idmap)
                return m->n_uid_mappings ? "uidMappings" : "gidMappings";
        return o->recursive_idmap ? "option \"ridmap\"" : "option \"idmap\"";
}

static bool is_bind(const OciMount *m, const MountOptions *o) {
        return o->bind || streq_ptr(m->type, "bind") || streq_ptr(m->type, "rbind");
}

int mount_idmap_source(const OciMount *m, const MountOptions *o, size_t idx, bool new_userns, bool joined_userns,
                       MountIdmapSource *ret, SysrunError *e) {
        bool own = m->n_uid_mappings > 0 || m->n_gid_mappings > 0;

        if (!o->idmap && !own) {
                *ret = MOUNT_IDMAP_NONE;
                return 0;
        }
        if (!is_bind(m, o))
                return sysrun_error_set(e, -EINVAL, "mounts[%zu] (%s): %s: only bind mounts can be idmapped", idx,
                                        m->destination, idmap_label(m, o));
        if (own)
                *ret = MOUNT_IDMAP_OWN;
        else if (new_userns)
                *ret = MOUNT_IDMAP_CONTAINER;
        else if (joined_userns)
                *ret = MOUNT_IDMAP_JOINED;
        else
                return sysrun_error_set(e, -EINVAL,
                                        "mounts[%zu] (%s): %s: needs the mount's uidMappings and gidMappings, or "
                                        "a user namespace",
                                        idx, m->destination, idmap_label(m, o));
        return 0;
}

static int write_map(pid_t pid, const char *file, const OciIdMapping *m, size_t n) {
        _cleanup_free_ char *text = idmap_format(m, n);
        char path[64];

        if (!text)
                return -ENOMEM;
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        return write_string_file_at(AT_FDCWD, path, text);
}

/* A user namespace with these mappings, as an fd. A child makes it and waits for EOF on a pipe,
 * so it ends as soon as the namespace is open, or when sysrun dies. */
static int userns_open_with_mappings(const OciIdMapping *uid, size_t n_uid, const OciIdMapping *gid, size_t n_gid) {
        _cleanup_close_ int hold_read = -EBADF, hold_write = -EBADF;
        char path[64];
        int p[2], fd = -EBADF, r;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        hold_read = p[0];
        hold_write = p[1];
        pid = (pid_t) syscall(SYS_clone, (unsigned long) (CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, NULL);
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                char c;

                (void) close(hold_write);
                while (read(hold_read, &c, 1) < 0 && errno == EINTR)
                        ;
                _exit(0);
        }
        hold_read = safe_close(hold_read);

        r = write_map(pid, "uid_map", uid, n_uid);
        if (r >= 0)
                r = write_map(pid, "gid_map", gid, n_gid);
        if (r >= 0) {
                snprintf(path, sizeof(path), "/proc/%d/ns/user", (int) pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        r = -errno;
        }
        hold_write = safe_close(hold_write);
        (void) wait_exit_status(pid);
        return r < 0 ? r : fd;
}

/* Why mount_setattr(MOUNT_ATTR_IDMAP) failed, in words. */
static const char *idmap_failure(int r) {
        switch (r) {
        case -ENOSYS:
                return "idmapped mounts need mount_setattr (Linux 5.12 or later)";
        case -EINVAL:
        case -EOPNOTSUPP:
                return "idmapped mounts are not supported by the filesystem";
        default:
                return "cannot idmap the mount";
        }
}

static int idmapped_tree_open(const OciConfig *c, size_t idx, const MountOptions *o, const char *bundle,
                              int userns_fd, int min_fd, SysrunError *e) {
        const OciMount *m = &c->mounts[idx];
        bool recursive_bind = o->recursive_bind || streq_ptr(m->type, "rbind");
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns_fd };
        _cleanup_free_ char *src_abs = NULL;
        _cleanup_close_ int tree = -EBADF;
        int fd;

        if (isempty(m->source))
                return sysrun_error_set(e, -EINVAL, "mounts[%zu].source: required for a bind mount", idx);
        if (m->source[0] != '/' && asprintf(&src_abs, "%s/%s", bundle, m->source) < 0)
                return sysrun_error_set(e, -ENOMEM, "out of memory");
        tree = (int) syscall(SYS_open_tree, AT_FDCWD, src_abs ?: m->source,
                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive_bind ? AT_RECURSIVE : 0));
        if (tree < 0) {
                int r = -errno;
                return sysrun_error_set(e, r, "mounts[%zu] (%s): %s: cannot clone bind source '%s': %s", idx,
                                        m->destination, idmap_label(m, o), m->source, ERRNO_STRING(r));
        }
        if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (o->recursive_idmap ? AT_RECURSIVE : 0), &attr,
                    sizeof(attr)) < 0) {
                int r = -errno;
                return sysrun_error_set(e, r, "mounts[%zu] (%s): %s: %s: %s", idx, m->destination,
                                        idmap_label(m, o), idmap_failure(r), ERRNO_STRING(r));
        }
        if (tree >= min_fd)
                return TAKE_FD(tree);
        fd = fcntl(tree, F_DUPFD_CLOEXEC, min_fd);
        if (fd < 0) {
                int r = -errno;
                return sysrun_error_set(e, r, "mounts[%zu] (%s): cannot move fd: %s", idx, m->destination,
                                        ERRNO_STRING(r));
        }
        return fd;
}

void mount_idmaps_done(MountIdmaps *m) {
        for (size_t i = 0; m->fds && i < m->n; i++)
                safe_close(m->fds[i]);
        free(m->fds);
        m->fds = NULL;
        m->n = 0;
}

static void mount_idmaps_donep(MountIdmaps *m) {
        mount_idmaps_done(m);
}

int mount_idmaps_prepare(const OciConfig *c, const char *bundle, bool new_userns, const char *userns_path,
                         int min_fd, MountIdmaps *ret, SysrunError *e) {
        _cleanup_(mount_idmaps_donep) MountIdmaps idmaps = {};
        _cleanup_close_ int container_userns = -EBADF;
        const OciLinux *l = c->linux_section;
        int r;

        for (size_t i = 0; i < c->n_mounts; i++) {
                const OciMount *m = &c->mounts[i];
                _cleanup_(mount_options_done) MountOptions o = {};
                _cleanup_close_ int own_userns = -EBADF;
                MountIdmapSource source;
                int userns_fd;

                r = mount_options_parse(m->options, &o, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "mounts[%zu] (%s)", i, m->destination);
                r = mount_idmap_source(m, &o, i, new_userns, userns_path != NULL, &source, e);
                if (r < 0)
                        return r;
                if (source == MOUNT_IDMAP_NONE)
                        continue;

                if (!idmaps.fds) {
                        idmaps.fds = malloc(c->n_mounts * sizeof(int));
                        if (!idmaps.fds)
                                return sysrun_error_set(e, -ENOMEM, "out of memory");
                        for (size_t j = 0; j < c->n_mounts; j++)
                                idmaps.fds[j] = -EBADF;
                        idmaps.n = c->n_mounts;
                }

                if (source == MOUNT_IDMAP_OWN) {
                        own_userns = userns_open_with_mappings(m->uid_mappings, m->n_uid_mappings, m->gid_mappings,
                                                               m->n_gid_mappings);
                        if (own_userns < 0)
                                return sysrun_error_set(e, own_userns,
                                                        "mounts[%zu] (%s): uidMappings: cannot make a user namespace "
                                                        "with the mount's mappings: %s",
                                                        i, m->destination, ERRNO_STRING(own_userns));
                        userns_fd = own_userns;
                } else {
                        if (container_userns < 0 && source == MOUNT_IDMAP_CONTAINER) {
                                container_userns = userns_open_with_mappings(l->uid_mappings, l->n_uid_mappings,
                                                                             l->gid_mappings, l->n_gid_mappings);
                                if (container_userns < 0)
                                        return sysrun_error_set(e, container_userns,
                                                                "mounts[%zu] (%s): cannot make a user namespace "
                                                                "with linux.uidMappings: %s",
                                                                i, m->destination,
                                                                ERRNO_STRING(container_userns));
                        }
                        if (container_userns < 0) {
                                container_userns = open(userns_path, O_RDONLY | O_CLOEXEC);
                                if (container_userns < 0) {
                                        r = -errno;
                                        return sysrun_error_set(e, r,
                                                                "mounts[%zu] (%s): cannot open user namespace '%s': %s",
                                                                i, m->destination, userns_path, ERRNO_STRING(r));
                                }
                        }
                        userns_fd = container_userns;
                }

                r = idmapped_tree_open(c, i, &o, bundle, userns_fd, min_fd, e);
                if (r < 0)
                        return r;
                idmaps.fds[i] = r;
        }
        *ret = idmaps;
        idmaps = (MountIdmaps){};
        return 0;
}
