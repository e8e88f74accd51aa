/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The security sequence of a container process, shared by the init (create/run) and exec:
 *
 *   parent:  process_security_prepare()  names → cap masks (warnings here), LSM check, seccomp → BPF
 *   fork
 *   child:   process_setup_security()     LSM labels, no_new_privs, seccomp (without no_new_privs:
 *                                         while still privileged), bounding set, keep-caps, groups,
 *                                         gid, uid, capabilities, ambient set, seccomp (with
 *                                         no_new_privs: last)
 *            execve
 *
 * The child part calls only async-signal-safe-ish code that needs no parsing, so it suits a forked
 * child. Run it after every fd that must not reach the container has been marked O_CLOEXEC. */

#include <stdbool.h>

#include "caps.h"
#include "config.h"
#include "error.h"
#include "seccomp-filter.h"

typedef struct ProcessSecurity {
        CapMasks caps;
        SeccompProgram *seccomp;          /* NULL: no filter */
        const OciSeccomp *seccomp_config; /* listenerPath/metadata for the notify fd */
} ProcessSecurity;

/* Parent: everything that can fail or warn because of the config. seccomp may be NULL. */
int process_security_prepare(
                const OciProcess *p, const OciSeccomp *seccomp, ProcessSecurity *ret, SysrunError *reterr_error);
void process_security_done(ProcessSecurity *s);

/* Receives the seccomp listener fd right after the filter is loaded (its only syscall before the
 * fd is sent must be sendmsg(), which a profile cannot hand to the listener). Returns -errno. The
 * callee does not take the fd; it is closed afterwards. */
typedef int (*SeccompFdHandler)(int notify_fd, void *userdata);

/* Child: the whole sequence above. in_userns: setgroups may be denied there. */
int process_setup_security(
                const OciProcess *p,
                const ProcessSecurity *s,
                bool in_userns,
                SeccompFdHandler on_notify_fd,
                void *userdata,
                SysrunError *reterr_error);

/* The pieces, for callers that need to place them differently. */
int process_setup_user(const OciUser *u, bool in_userns, SysrunError *reterr_error);
/* Loads the filter when its place has come: late == process.noNewPrivileges. */
int process_setup_seccomp(
                const OciProcess *p,
                const ProcessSecurity *s,
                bool late,
                SeccompFdHandler on_notify_fd,
                void *userdata,
                SysrunError *reterr_error);
