/* SPDX-License-Identifier: Apache-2.0 */
#include "lsm.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "fd-util.h"

#ifndef SELINUX_MAGIC
#        define SELINUX_MAGIC 0xf97cff8c
#endif

bool lsm_apparmor_enabled(void) {
        _cleanup_free_ char *s = NULL;

        return read_full_file_at(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", 64, &s, NULL) >= 0 &&
                        s[0] == 'Y';
}

bool lsm_selinux_enabled(void) {
        struct statfs sfs;

        return statfs("/sys/fs/selinux", &sfs) == 0 && (unsigned long) sfs.f_type == SELINUX_MAGIC;
}

int lsm_check(const OciProcess *p, SysrunError *e) {
        if (!isempty(p->apparmor_profile) && !lsm_apparmor_enabled())
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "process.apparmorProfile: AppArmor is not enabled on this host");
        if (!isempty(p->selinux_label) && !lsm_selinux_enabled())
                return sysrun_error_set(
                                e, -EOPNOTSUPP, "process.selinuxLabel: SELinux is not enabled on this host");
        return 0;
}

/* Opens /proc/thread-self/<attr> for writing. The attr file must belong to a real procfs and no
 * mount may sit on the way to it (a bind mount over attr/exec would redirect the write). */
static int open_attr(int procfd, const char *attr) {
        struct open_how how = {
                .flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_free_ char *rel = NULL;
        struct statfs sfs;
        int fd;

        if (asprintf(&rel, "thread-self/attr/%s", attr) < 0)
                return -ENOMEM;
        fd = (int) syscall(SYS_openat2, procfd, rel, &how, sizeof(how));
        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
                safe_close(fd);
                return -EXDEV;
        }
        return fd;
}

static int write_attr(int procfd, const char *attr, const char *value) {
        _cleanup_close_ int fd = open_attr(procfd, attr);

        if (fd < 0)
                return fd;
        return loop_write(fd, value, strlen(value));
}

int lsm_apply(const OciProcess *p, SysrunError *e) {
        _cleanup_close_ int procfd = -EBADF;
        struct statfs sfs;
        int r;

        if (isempty(p->apparmor_profile) && isempty(p->selinux_label))
                return 0;
        procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (procfd < 0)
                return sysrun_error_set(e, -errno, "cannot open /proc to set the process label: %m");
        if (fstatfs(procfd, &sfs) < 0)
                return sysrun_error_set(e, -errno, "cannot open /proc to set the process label: %m");
        if (sfs.f_type != PROC_SUPER_MAGIC)
                return sysrun_error_set(e, -EXDEV, "/proc is not a procfs: cannot set the process label");

        if (!isempty(p->apparmor_profile)) {
                _cleanup_free_ char *v = NULL;

                if (asprintf(&v, "exec %s", p->apparmor_profile) < 0)
                        return sysrun_error_set(e, -ENOMEM, "out of memory");
                /* The per-LSM directory (Linux 5.8+) first: attr/exec may belong to another LSM. */
                r = write_attr(procfd, "apparmor/exec", v);
                if (r == -ENOENT)
                        r = write_attr(procfd, "exec", v);
                if (r < 0)
                        return sysrun_error_set(
                                        e, r, "process.apparmorProfile: cannot apply '%s': %m",
                                        p->apparmor_profile);
        }
        if (!isempty(p->selinux_label)) {
                r = write_attr(procfd, "exec", p->selinux_label);
                if (r < 0)
                        return sysrun_error_set(
                                        e, r, "process.selinuxLabel: cannot apply '%s': %m", p->selinux_label);
        }
        return 0;
}

char *lsm_mount_data(const char *data, const char *mount_label) {
        char *s;

        if (asprintf(&s, "%s%scontext=\"%s\"", strempty(data), isempty(data) ? "" : ",", mount_label) < 0)
                return NULL;
        return s;
}

bool lsm_mount_label_applies(const char *fstype) {
        static const char *const excluded[] = { "proc",    "sysfs", "mqueue", "cgroup",
                                                "cgroup2", "bind",  "rbind" };

        if (!fstype)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(excluded); i++)
                if (streq(fstype, excluded[i]))
                        return false;
        return true;
}
