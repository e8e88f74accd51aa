/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* linux.seccomp: compiled to BPF with libseccomp in the parent (so that warnings and errors are
 * reported before anything runs and the init stays small), loaded in the forked child with
 * seccomp(2). A filter with SCMP_ACT_NOTIFY makes a listener fd, which the parent hands to the
 * agent at listenerPath with the container's state (runtime-spec containerProcessState). */

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

typedef struct SeccompProgram {
        struct sock_filter *insns;
        size_t n_insns;
        unsigned flags; /* SECCOMP_FILTER_FLAG_* for seccomp(SECCOMP_SET_MODE_FILTER) */
        bool notify;    /* uses SCMP_ACT_NOTIFY: loaded with NEW_LISTENER, the fd goes to the listener */
} SeccompProgram;

SeccompProgram *seccomp_program_free(SeccompProgram *p);
static inline void seccomp_program_freep(SeccompProgram **p) {
        *p = seccomp_program_free(*p);
}

/* The libseccomp action for an OCI action; errno_ret (or EPERM when unset) for ERRNO and TRACE.
 * -ERANGE for an errno that does not fit the 16 bits of SECCOMP_RET_DATA. Pure. */
int seccomp_action_to_scmp(SeccompActionType a, const OptU64 *errno_ret, uint32_t *ret);
/* "SCMP_ARCH_X86_64" → SCMP_ARCH_X86_64 (the audit arch). -EINVAL when it is not "SCMP_ARCH_…",
 * -ENOENT when libseccomp does not know it. */
int seccomp_arch_from_oci(const char *name, uint32_t *ret);
/* "SECCOMP_FILTER_FLAG_LOG" → SECCOMP_FILTER_FLAG_LOG. -EINVAL for a name that is no such flag. Pure. */
int seccomp_flag_from_oci(const char *name, unsigned *ret);
/* The native syscall number (or libseccomp's negative pseudo number for a syscall that this
 * architecture lacks but another has). -ENOENT when libseccomp does not know the name. */
int seccomp_syscall_number(const char *name);

/* One libseccomp rule: the conditions that must all hold. */
typedef struct SeccompRule {
        unsigned n_cmp;
        struct scmp_arg_cmp cmp[6];
} SeccompRule;

/* The rules for one syscalls[] entry's args. libseccomp refuses two conditions on one argument in
 * a rule, so then each condition becomes a rule of its own (they are OR'ed, as in runc); otherwise
 * one rule ANDs them all. No args: one rule without conditions. Pure. */
int seccomp_syscall_rules(const OciSeccompSyscall *s, SeccompRule **ret, size_t *ret_n);

/* An architecture of the filter (its audit token, SCMP_ARCH_*) and the largest syscall number that
 * the profile names on it (x32's with __X32_SYSCALL_BIT). */
typedef struct SeccompArchMax {
        uint32_t arch;
        uint32_t max_nr;
} SeccompArchMax;
#define SECCOMP_STUB_ARCHES_MAX 32

/* The -ENOSYS stub that runs before libseccomp's program, as runc's does: on each of the n
 * architectures, a syscall numbered above the largest one the profile names returns ENOSYS (the
 * kernel's answer for a syscall it lacks, so that libc falls back, e.g. from clone3 to clone)
 * instead of the default action; anything else goes on to the program that follows the stub. x32
 * syscalls share x86_64's audit token: the stub tells them apart by __X32_SYSCALL_BIT. Pure. */
int seccomp_enosys_stub(const SeccompArchMax *arches, size_t n, struct sock_filter **ret, size_t *ret_n);

/* Builds the filter: validates actions, architectures and flags, skips (with a debug note) names
 * that libseccomp does not know, drops flags that this kernel lacks, exports the BPF, and puts the
 * -ENOSYS stub in front when the default action refuses (not for allow, log and trace). */
int seccomp_program_compile(const OciSeccomp *s, SeccompProgram **ret, SysrunError *reterr_error);

/* In the child: installs the filter. With notify, *ret_notify_fd gets the listener (O_CLOEXEC),
 * otherwise -EBADF. Returns -errno; no_new_privs or CAP_SYS_ADMIN is needed. */
int seccomp_program_load(const SeccompProgram *p, int *ret_notify_fd);

/* The runtime-spec containerProcessState JSON text. state_json is the state (as `state` prints). */
char *seccomp_process_state_json(const char *metadata, pid_t pid, const char *state_json);
/* Connects to listener_path and sends the state JSON with the listener fd (SCM_RIGHTS). */
int seccomp_listener_send(
                const OciSeccomp *s, pid_t pid, const char *state_json, int notify_fd, SysrunError *reterr_error);
