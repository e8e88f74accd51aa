/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "fd-util.h"
#include "log.h"
#include "namespaces.h"
#include "rootfs-hostns.h"
#include "strv.h"
#include "userns-map.h"

int sysctl_check(const char *key, const NamespacePlan *plan, SysrunError *e) {
        /* IPC sysctls that the kernel namespaces (as runc's list). */
        static const char *const ipc_keys[] = {
                "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
        };

        for (size_t i = 0; i < ELEMENTSOF(ipc_keys); i++)
                if (streq(key, ipc_keys[i]))
                        goto ipc;
        if (startswith(key, "fs.mqueue."))
                goto ipc;
        if (startswith(key, "net.")) {
                if (!plan->has[NAMESPACE_NETWORK])
                        return sysrun_error_set(e, -EINVAL, "linux.sysctl: '%s' not allowed in host network namespace",
                                                key);
                return 0;
        }
        if (streq(key, "kernel.hostname") || streq(key, "kernel.domainname")) {
                if (!plan->has[NAMESPACE_UTS])
                        return sysrun_error_set(e, -EINVAL, "linux.sysctl: '%s' requires a UTS namespace", key);
                return 0;
        }
        return sysrun_error_set(e, -EINVAL, "linux.sysctl: '%s' is not in a separate kernel namespace", key);
ipc:
        if (!plan->has[NAMESPACE_IPC])
                return sysrun_error_set(e, -EINVAL, "linux.sysctl: '%s' requires an IPC namespace", key);
        return 0;
}

#define PROC_ROOT_INO 1

static bool is_procfs_root(int fd) {
        struct statfs sfs;
        struct stat st;

        return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC && fstat(fd, &st) == 0 &&
                        st.st_ino == PROC_ROOT_INO;
}

/* A procfs of our own, attached nowhere: no mount of the container's (a file bind-mounted over
 * /proc/sys/..., CVE-2025-52881) or of the runtime's (/proc/sys is a read-only mount of its own in
 * nested containers and sandboxes) is in the way. The kernel refuses it in a user namespace whose
 * procfs is partly hidden; -errno then. */
static int private_procfs_open(void) {
        _cleanup_close_ int fs = -EBADF;
        int mnt;

        fs = (int) syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
        if (fs < 0)
                return -errno;
        if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return -errno;
        mnt = (int) syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                            MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (mnt < 0)
                return -errno;
        return mnt;
}

/* The procfs sysctls are written through: a private one, else the container's own /proc (as runc did),
 * else the runtime's. Each is checked to be the root of a real procfs. */
static int sysctl_procfs_open(int rootfd) {
        struct open_how how = {
                .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        int fd;

        fd = private_procfs_open();
        if (fd >= 0 && is_procfs_root(fd))
                return fd;
        safe_close(fd);
        if (rootfd >= 0) {
                fd = (int) syscall(SYS_openat2, rootfd, "proc", &how, sizeof(how));
                if (fd >= 0 && is_procfs_root(fd))
                        return fd;
                safe_close(fd);
        }
        fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        if (!is_procfs_root(fd)) {
                safe_close(fd);
                return -EXDEV;
        }
        return fd;
}

static int sysctl_write(int procfd, const char *key, const char *value) {
        struct open_how how = {
                .flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
        };
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *rel = NULL;
        struct statfs sfs;

        if (asprintf(&rel, "sys/%s", key) < 0)
                return -ENOMEM;
        for (char *p = rel + 4; *p; p++)
                if (*p == '.')
                        *p = '/';
        fd = (int) syscall(SYS_openat2, procfd, rel, &how, sizeof(how));
        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sfs) < 0)
                return -errno;
        if (sfs.f_type != PROC_SUPER_MAGIC)
                return -EXDEV;
        return loop_write(fd, value, strlen(value));
}

int sysctls_apply(int rootfd, char **sysctl, SysrunError *e) {
        _cleanup_close_ int procfd = -EBADF;

        if (!sysctl)
                return 0;
        procfd = sysctl_procfs_open(rootfd);
        if (procfd < 0)
                return sysrun_error_set(e, procfd, "linux.sysctl: cannot open a procfs to write to: %m");
        STRV_FOREACH_PAIR(k, v, sysctl) {
                int r = sysctl_write(procfd, *k, *v);
                if (r < 0)
                        return sysrun_error_set(e, r, "linux.sysctl: cannot set '%s' to '%s': %m", *k, *v);
        }
        return 0;
}

int namespaces_plan(const OciConfig *c, NamespacePlan *ret, SysrunError *e) {
        const OciLinux *l = c->linux_section;
        NamespacePlan p = {};
        int r;

        for (size_t i = 0; l && i < l->n_namespaces; i++) {
                const OciNamespace *ns = &l->namespaces[i];

                p.has[ns->type] = true;
                if (ns->path) {
                        p.join_path[ns->type] = ns->path;
                        p.n_joins++;
                } else
                        p.new_flags |= namespace_type_to_clone_flag(ns->type);
        }
        p.new_userns = p.has[NAMESPACE_USER] && !p.join_path[NAMESPACE_USER];
        p.in_userns = p.has[NAMESPACE_USER];

        if (!p.has[NAMESPACE_MOUNT]) {
                /* The runtime's mount namespace, as runc (and runtime-tools' linux_ns_itype) expect: the
                 * container is only chrooted, and what would need a mount is refused. */
                r = rootfs_hostns_check(c, p.in_userns, e);
                if (r < 0)
                        return r;
        }
        if (p.new_userns && (!l->n_uid_mappings || !l->n_gid_mappings))
                return sysrun_error_set(e, -EINVAL, "linux.%s: required with a new user namespace",
                                        !l->n_uid_mappings ? "uidMappings" : "gidMappings");
        if (l && (l->n_uid_mappings || l->n_gid_mappings) && !p.new_userns)
                return sysrun_error_set(e, -EINVAL, "linux.%s: only allowed with a new user namespace",
                                        l->n_uid_mappings ? "uidMappings" : "gidMappings");
        if (c->hostname && *c->hostname && !p.has[NAMESPACE_UTS])
                return sysrun_error_set(e, -EINVAL,
                                        "hostname: unable to set hostname without a private UTS namespace");
        if (c->domainname && *c->domainname && !p.has[NAMESPACE_UTS])
                return sysrun_error_set(e, -EINVAL,
                                        "domainname: unable to set domainname without a private UTS namespace");
        if (l && (l->time_offset_boottime.set || l->time_offset_monotonic.set) &&
            !(p.new_flags & CLONE_NEWTIME))
                return sysrun_error_set(e, -EINVAL, "linux.timeOffsets: require a new time namespace");
        STRV_FOREACH_PAIR(k, v, l ? l->sysctl : NULL) {
                r = sysctl_check(*k, &p, e);
                if (r < 0)
                        return r;
        }
        *ret = p;
        return 0;
}

int namespaces_join(const NamespacePlan *p, SysrunError *e) {
        /* The user namespace first: it grants the capabilities to join the rest. */
        static const NamespaceType order[] = {
                NAMESPACE_USER, NAMESPACE_IPC,    NAMESPACE_UTS,  NAMESPACE_NETWORK,
                NAMESPACE_PID,  NAMESPACE_CGROUP, NAMESPACE_TIME, NAMESPACE_MOUNT,
        };

        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                NamespaceType t = order[i];
                _cleanup_close_ int fd = -EBADF;

                if (!p->join_path[t])
                        continue;
                fd = open(p->join_path[t], O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        return sysrun_error_set(e, -errno, "linux.namespaces: cannot open %s namespace '%s': %m",
                                                namespace_type_to_string(t), p->join_path[t]);
                if (setns(fd, namespace_type_to_clone_flag(t)) < 0)
                        return sysrun_error_set(e, -errno, "linux.namespaces: cannot join %s namespace '%s': %m",
                                                namespace_type_to_string(t), p->join_path[t]);
        }
        return 0;
}

char *idmap_format(const OciIdMapping *m, size_t n) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static int write_map(pid_t pid, const char *file, const OciIdMapping *m, size_t n, SysrunError *e) {
        _cleanup_free_ char *text = idmap_format(m, n);
        char path[64];
        int r;

        if (!text)
                return -ENOMEM;
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        r = write_string_file_at(AT_FDCWD, path, text);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.%s: cannot write %s: %m",
                                        streq(file, "uid_map") ? "uidMappings" : "gidMappings", file);
        return 0;
}

int idmap_write(pid_t pid, const OciLinux *l, SysrunError *e) {
        int r;

        if (geteuid() != 0)
                return idmap_write_unprivileged(pid, l, e);
        r = write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings, e);
        if (r < 0)
                return r;
        return write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, e);
}

int timens_write_offsets(const OciLinux *l, SysrunError *e) {
        char text[128];
        size_t n = 0;
        int r;

        if (l->time_offset_monotonic.set)
                n += (size_t) snprintf(text + n, sizeof(text) - n, "monotonic %lld %u\n",
                                       (long long) l->time_offset_monotonic.secs, l->time_offset_monotonic.nanosecs);
        if (l->time_offset_boottime.set)
                n += (size_t) snprintf(text + n, sizeof(text) - n, "boottime %lld %u\n",
                                       (long long) l->time_offset_boottime.secs, l->time_offset_boottime.nanosecs);
        if (n == 0)
                return 0;
        r = write_string_file_at(AT_FDCWD, "/proc/self/timens_offsets", text);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.timeOffsets: cannot write timens_offsets: %m");
        return 0;
}
