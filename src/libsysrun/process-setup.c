/* SPDX-License-Identifier: Apache-2.0 */
#include "process-setup.h"

#include <grp.h>
#include <sys/prctl.h>

#include "lsm.h"
#include "rootless.h"

int process_security_prepare(
                const OciProcess *p, const OciSeccomp *seccomp, ProcessSecurity *ret, SysrunError *e) {
        ProcessSecurity s = { .seccomp_config = seccomp };
        int r;

        r = caps_prepare(p->capabilities, &s.caps, e);
        if (r < 0)
                return r;
        r = lsm_check(p, e);
        if (r < 0)
                return r;
        if (seccomp) {
                r = seccomp_program_compile(seccomp, &s.seccomp, e);
                if (r < 0)
                        return r;
        }
        *ret = s;
        return 0;
}

void process_security_done(ProcessSecurity *s) {
        s->seccomp = seccomp_program_free(s->seccomp);
}

int process_setup_user(const OciUser *u, bool in_userns, SysrunError *e) {
        if (u->n_additional_gids > 0) {
                if (setgroups(u->n_additional_gids, (const gid_t *) u->additional_gids) < 0)
                        return sysrun_error_set(e, -errno, "process.user.additionalGids: setgroups: %m");
        } else if (setgroups(0, NULL) < 0 && !((in_userns || rootless_detect()) && errno == EPERM))
                /* EPERM in a user namespace (the container's, or the one a rootless sysrun runs in):
                 * /proc/self/setgroups says "deny"; nothing to drop then. */
                return sysrun_error_set(e, -errno, "setgroups: %m");
        if (setresgid(u->gid, u->gid, u->gid) < 0)
                return sysrun_error_set(
                                e, -errno, "process.user.gid: cannot switch to gid %u%s: %m", u->gid,
                                errno == EINVAL ? " (not mapped in the user namespace)" : "");
        if (setresuid(u->uid, u->uid, u->uid) < 0)
                return sysrun_error_set(
                                e, -errno, "process.user.uid: cannot switch to uid %u%s: %m", u->uid,
                                errno == EINVAL ? " (not mapped in the user namespace)" : "");
        return 0;
}

int process_setup_seccomp(
                const OciProcess *p,
                const ProcessSecurity *s,
                bool late,
                SeccompFdHandler on_notify_fd,
                void *userdata,
                SysrunError *e) {
        _cleanup_close_ int notify_fd = -EBADF;
        int r;

        if (!s->seccomp || p->no_new_privileges != late)
                return 0;
        r = seccomp_program_load(s->seccomp, &notify_fd);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.seccomp: cannot load the filter: %m");
        if (notify_fd < 0)
                return 0;
        if (!on_notify_fd)
                return sysrun_error_set(e, -EOPNOTSUPP, "linux.seccomp: nobody to hand the listener fd to");
        r = on_notify_fd(notify_fd, userdata);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.seccomp: cannot pass on the listener fd: %m");
        return 0;
}

int process_setup_security(
                const OciProcess *p,
                const ProcessSecurity *s,
                bool in_userns,
                SeccompFdHandler on_notify_fd,
                void *userdata,
                SysrunError *e) {
        int r;

        /* Labels take effect at execve; written first, while no filter can refuse the writes. */
        r = lsm_apply(p, e);
        if (r < 0)
                return r;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return sysrun_error_set(e, -errno, "process.noNewPrivileges: %m");
        /* Without no_new_privs loading a filter needs CAP_SYS_ADMIN: before the caps go. */
        r = process_setup_seccomp(p, s, false, on_notify_fd, userdata, e);
        if (r < 0)
                return r;

        /* The bounding set needs CAP_SETPCAP, so it goes before the uid changes. */
        r = caps_apply_bounding(&s->caps, in_userns, e);
        if (r < 0)
                return r;
        /* Keep the permitted set across setresuid() away from 0; the wanted sets come after. */
        if (s->caps.set && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return sysrun_error_set(e, -errno, "prctl(PR_SET_KEEPCAPS): %m");
        r = process_setup_user(&p->user, in_userns, e);
        if (r < 0)
                return r;
        if (s->caps.set && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return sysrun_error_set(e, -errno, "prctl(PR_SET_KEEPCAPS): %m");
        r = caps_apply(&s->caps, e);
        if (r < 0)
                return r;

        /* With no_new_privs: as close to execve as possible, so few syscalls need allowing. */
        return process_setup_seccomp(p, s, true, on_notify_fd, userdata, e);
}
