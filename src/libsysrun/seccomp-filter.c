/* SPDX-License-Identifier: Apache-2.0 */
#include "seccomp-filter.h"

#include <assert.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "fd-util.h"
#include "log.h"
#include "strv.h"
#include "sysrun-config.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#        define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The init sends the listener fd to the parent with sendmsg(); a notification on it would wait
 * for an agent that cannot have the fd yet. */
#define SECCOMP_NOTIFY_FORBIDDEN "sendmsg"

SeccompProgram *seccomp_program_free(SeccompProgram *p) {
        if (!p)
                return NULL;
        free(p->insns);
        free(p);
        return NULL;
}

int seccomp_action_to_scmp(SeccompActionType a, const OptU64 *errno_ret, uint32_t *ret) {
        uint64_t data = errno_ret && errno_ret->set ? errno_ret->value : EPERM;

        switch (a) {
        case SECCOMP_ACTION_KILL:
                *ret = SCMP_ACT_KILL;
                return 0;
        case SECCOMP_ACTION_KILL_PROCESS:
                *ret = SCMP_ACT_KILL_PROCESS;
                return 0;
        case SECCOMP_ACTION_KILL_THREAD:
                *ret = SCMP_ACT_KILL_THREAD;
                return 0;
        case SECCOMP_ACTION_TRAP:
                *ret = SCMP_ACT_TRAP;
                return 0;
        case SECCOMP_ACTION_ERRNO:
        case SECCOMP_ACTION_TRACE:
                if (data > 0xffff)
                        return -ERANGE;
                *ret = a == SECCOMP_ACTION_ERRNO ? SCMP_ACT_ERRNO((uint32_t) data) :
                                                   SCMP_ACT_TRACE((uint32_t) data);
                return 0;
        case SECCOMP_ACTION_ALLOW:
                *ret = SCMP_ACT_ALLOW;
                return 0;
        case SECCOMP_ACTION_LOG:
                *ret = SCMP_ACT_LOG;
                return 0;
        case SECCOMP_ACTION_NOTIFY:
                *ret = SCMP_ACT_NOTIFY;
                return 0;
        default:
                return -EINVAL;
        }
}

int seccomp_arch_from_oci(const char *name, uint32_t *ret) {
        char lower[32];
        const char *s;
        uint32_t a;
        size_t i;

        s = name ? startswith(name, "SCMP_ARCH_") : NULL;
        if (isempty(s) || strlen(s) >= sizeof(lower))
                return -EINVAL;
        /* libseccomp's names are the OCI suffix in lower case: X86_64 → x86_64, PPC64LE → ppc64le. */
        for (i = 0; s[i]; i++) {
                char c = s[i];
                if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
                        return -EINVAL;
                lower[i] = (char) (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        lower[i] = 0;
        a = seccomp_arch_resolve_name(lower);
        if (a == 0)
                return -ENOENT;
        *ret = a;
        return 0;
}

int seccomp_flag_from_oci(const char *name, unsigned *ret) {
        static const struct {
                const char *name;
                unsigned flag;
        } table[] = {
                { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
                { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
                { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
                { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
        };

        for (size_t i = 0; name && i < ELEMENTSOF(table); i++)
                if (streq(table[i].name, name)) {
                        *ret = table[i].flag;
                        return 0;
                }
        return -EINVAL;
}

int seccomp_syscall_number(const char *name) {
        int nr;

        if (isempty(name))
                return -ENOENT;
        nr = seccomp_syscall_resolve_name(name);
        return nr == __NR_SCMP_ERROR ? -ENOENT : nr;
}

static enum scmp_compare operator_to_scmp(SeccompOperator op) {
        switch (op) {
        case SECCOMP_OP_NE:
                return SCMP_CMP_NE;
        case SECCOMP_OP_LT:
                return SCMP_CMP_LT;
        case SECCOMP_OP_LE:
                return SCMP_CMP_LE;
        case SECCOMP_OP_EQ:
                return SCMP_CMP_EQ;
        case SECCOMP_OP_GE:
                return SCMP_CMP_GE;
        case SECCOMP_OP_GT:
                return SCMP_CMP_GT;
        case SECCOMP_OP_MASKED_EQ:
                return SCMP_CMP_MASKED_EQ;
        default:
                return _SCMP_CMP_MIN;
        }
}

int seccomp_syscall_rules(const OciSeccompSyscall *s, SeccompRule **ret, size_t *ret_n) {
        unsigned per_arg[6] = {};
        bool split = false;
        SeccompRule *rules;
        size_t n;

        for (size_t i = 0; i < s->n_args; i++) {
                if (s->args[i].index >= ELEMENTSOF(per_arg) || operator_to_scmp(s->args[i].op) == _SCMP_CMP_MIN)
                        return -EINVAL;
                if (++per_arg[s->args[i].index] > 1)
                        split = true;
        }
        /* Without a repeated index there are at most six conditions: one rule holds them all. */
        n = split ? s->n_args : 1;
        rules = calloc(n, sizeof(SeccompRule));
        if (!rules)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_args; i++) {
                SeccompRule *r = &rules[split ? i : 0];
                r->cmp[r->n_cmp++] = (struct scmp_arg_cmp){
                        .arg = s->args[i].index,
                        .op = operator_to_scmp(s->args[i].op),
                        .datum_a = s->args[i].value,
                        .datum_b = s->args[i].value_two,
                };
        }
        *ret = rules;
        *ret_n = n;
        return 0;
}

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(scmp_filter_ctx, seccomp_release, NULL);

static int add_syscall(
                scmp_filter_ctx ctx, const OciSeccomp *s, size_t idx, uint32_t def, bool *notify, SysrunError *e) {
        const OciSeccompSyscall *sc = &s->syscalls[idx];
        _cleanup_free_ SeccompRule *rules = NULL;
        size_t n_rules;
        uint32_t action;
        int r;

        r = seccomp_action_to_scmp(sc->action, &sc->errno_ret, &action);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "linux.seccomp.syscalls[%zu].errnoRet: %" PRIu64 " is out of range",
                                idx, sc->errno_ret.value);
        /* libseccomp refuses a rule that repeats the default action; it would change nothing. */
        if (action == def)
                return 0;
        r = seccomp_syscall_rules(sc, &rules, &n_rules);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.seccomp.syscalls[%zu].args: invalid", idx);

        STRV_FOREACH(name, sc->names) {
                int nr = seccomp_syscall_number(*name);

                if (nr == -ENOENT) {
                        sysrun_log(LOG_DEBUG, "linux.seccomp: ignoring syscall '%s', unknown to libseccomp",
                                   *name);
                        continue;
                }
                /* A notification on write would deadlock: the agent (and sysrun, reporting an
                 * error) may be blocked writing to the container's own stdio. runc's words. */
                if (sc->action == SECCOMP_ACTION_NOTIFY && streq(*name, "write"))
                        return sysrun_error_set(e, -EINVAL,
                                                "linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY cannot be used for "
                                                "the write syscall",
                                                idx);
                if (sc->action == SECCOMP_ACTION_NOTIFY && streq(*name, SECCOMP_NOTIFY_FORBIDDEN))
                        return sysrun_error_set(
                                        e, -EINVAL,
                                        "linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY cannot be used for '%s' "
                                        "(sysrun passes the listener with it)",
                                        idx, *name);
                for (size_t i = 0; i < n_rules; i++) {
                        r = seccomp_rule_add_array(ctx, action, nr, rules[i].n_cmp, rules[i].cmp);
                        if (r < 0)
                                return sysrun_error_set(
                                                e, r,
                                                "linux.seccomp.syscalls[%zu]: cannot add a rule for '%s': %m",
                                                idx, *name);
                }
                if (sc->action == SECCOMP_ACTION_NOTIFY)
                        *notify = true;
        }
        return 0;
}

/* The kernel rejects an unknown flag with EINVAL before it looks at the (NULL) program. */
static bool kernel_has_flags(unsigned flags) {
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

static int resolve_flags(const OciSeccomp *s, bool notify, unsigned *ret, SysrunError *e) {
        unsigned flags = 0;

        STRV_FOREACH(name, s->flags) {
                unsigned f, probe;

                if (seccomp_flag_from_oci(*name, &f) < 0)
                        return sysrun_error_set(e, -EINVAL, "linux.seccomp.flags: unknown flag '%s'", *name);
                /* TSYNC and NEW_LISTENER exclude each other; the init has one thread anyway. */
                if (f == SECCOMP_FILTER_FLAG_TSYNC && notify) {
                        sysrun_log(LOG_DEBUG, "linux.seccomp: %s is not used with SCMP_ACT_NOTIFY", *name);
                        continue;
                }
                if (f == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify) {
                        sysrun_log(LOG_DEBUG, "linux.seccomp: %s is only meaningful with SCMP_ACT_NOTIFY",
                                   *name);
                        continue;
                }
                probe = f == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ? f | SECCOMP_FILTER_FLAG_NEW_LISTENER : f;
                if (!kernel_has_flags(probe)) {
                        sysrun_log(LOG_DEBUG, "linux.seccomp: ignoring %s, not supported by this kernel",
                                   *name);
                        continue;
                }
                flags |= f;
        }
        if (notify)
                flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        *ret = flags;
        return 0;
}

static int export_bpf(scmp_filter_ctx ctx, SeccompProgram *p) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct stat st;
        size_t size, done = 0;
        int r;

        /* libseccomp 2.5 exports to an fd only: a memfd keeps it in memory. */
        fd = memfd_create("sysrun-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        size = (size_t) st.st_size;
        if (size == 0 || size % sizeof(struct sock_filter) != 0)
                return -EBADMSG;
        /* The kernel's limit (BPF_MAXINSNS); say so here rather than EINVAL in the init. */
        if (size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return -E2BIG;
        insns = malloc(size);
        if (!insns)
                return -ENOMEM;
        while (done < size) {
                ssize_t n = pread(fd, (char *) insns + done, size - done, (off_t) done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                done += (size_t) n;
        }
        p->insns = TAKE_PTR(insns);
        p->n_insns = size / sizeof(struct sock_filter);
        return 0;
}

#ifndef __X32_SYSCALL_BIT
#        define __X32_SYSCALL_BIT 0x40000000
#endif

/* A growing BPF program; every jump in the stub is forward and short but for "ja", whose
 * 32-bit offset the emitter computes. */
typedef struct BpfBuilder {
        struct sock_filter *insns;
        size_t n;
} BpfBuilder;

static void bpf_emit(BpfBuilder *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k) {
        b->insns[b->n++] = (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
}

/* "ja" to the absolute instruction index target (after the current one). */
static void bpf_emit_ja(BpfBuilder *b, size_t target) {
        bpf_emit(b, BPF_JMP | BPF_JA, 0, 0, (uint32_t) (target - b->n - 1));
}

/* if nr > max: ENOSYS, else the main program. 3 instructions. */
static void bpf_emit_above(BpfBuilder *b, uint32_t max, size_t enosys, size_t main_start) {
        bpf_emit(b, BPF_JMP | BPF_JGT | BPF_K, 0, 1, max);
        bpf_emit_ja(b, enosys);
        bpf_emit_ja(b, main_start);
}

int seccomp_enosys_stub(const SeccompArchMax *arches, size_t n, struct sock_filter **ret, size_t *ret_n) {
        /* x86_64's token with the maxima of x86_64 and x32 (UINT32_MAX: not in the filter). */
        uint32_t max_x86_64 = UINT32_MAX, max_x32 = UINT32_MAX;
        size_t len = 1, enosys, main_start;
        BpfBuilder b = {};

        if (n > SECCOMP_STUB_ARCHES_MAX)
                return -E2BIG;
        for (size_t i = 0; i < n; i++) {
                if (arches[i].arch == SCMP_ARCH_X86_64)
                        max_x86_64 = arches[i].max_nr;
                else if (arches[i].arch == SCMP_ARCH_X32)
                        max_x32 = arches[i].max_nr;
                else
                        len += 5; /* jeq, ld nr, above */
        }
        if (max_x86_64 != UINT32_MAX || max_x32 != UINT32_MAX)
                len += 3 + (max_x32 != UINT32_MAX ? 3 : 1) + (max_x86_64 != UINT32_MAX ? 3 : 1);
        len += 2; /* ja main, ret ENOSYS */
        enosys = len - 1;
        main_start = len;

        b.insns = calloc(len, sizeof(struct sock_filter));
        if (!b.insns)
                return -ENOMEM;
        bpf_emit(&b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
        for (size_t i = 0; i < n; i++) {
                if (arches[i].arch == SCMP_ARCH_X86_64 || arches[i].arch == SCMP_ARCH_X32)
                        continue;
                bpf_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, arches[i].arch);
                bpf_emit(&b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
                bpf_emit_above(&b, arches[i].max_nr, enosys, main_start);
        }
        if (max_x86_64 != UINT32_MAX || max_x32 != UINT32_MAX) {
                size_t x32_len = max_x32 != UINT32_MAX ? 3 : 1, native_len = max_x86_64 != UINT32_MAX ? 3 : 1;

                bpf_emit(&b, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t) (2 + x32_len + native_len), AUDIT_ARCH_X86_64);
                bpf_emit(&b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
                bpf_emit(&b, BPF_JMP | BPF_JSET | BPF_K, 0, (uint8_t) x32_len, __X32_SYSCALL_BIT);
                if (max_x32 != UINT32_MAX)
                        bpf_emit_above(&b, max_x32, enosys, main_start);
                else
                        bpf_emit_ja(&b, main_start);
                if (max_x86_64 != UINT32_MAX)
                        bpf_emit_above(&b, max_x86_64, enosys, main_start);
                else
                        bpf_emit_ja(&b, main_start);
        }
        bpf_emit_ja(&b, main_start);
        bpf_emit(&b, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
        assert(b.n == len);

        *ret = b.insns;
        *ret_n = b.n;
        return 0;
}

/* The default actions that let an unknown syscall reach the kernel (which answers ENOSYS itself)
 * need no stub, nor does an ENOSYS default. */
static bool default_needs_enosys_stub(const OciSeccomp *s, uint32_t def) {
        if (s->default_action == SECCOMP_ACTION_ALLOW || s->default_action == SECCOMP_ACTION_LOG ||
            s->default_action == SECCOMP_ACTION_TRACE)
                return false;
        return def != SCMP_ACT_ERRNO(ENOSYS);
}

/* The largest syscall number the profile names on each architecture of ctx (all entries, also
 * those that repeat the default action, as runc counts them). An architecture on which the
 * profile names nothing is left out: the default action covers it. */
static int profile_arch_maxima(scmp_filter_ctx ctx, const OciSeccomp *s, SeccompArchMax *ret, size_t *ret_n) {
        uint32_t candidates[SECCOMP_STUB_ARCHES_MAX];
        size_t n_candidates = 0, n = 0;

        candidates[n_candidates++] = seccomp_arch_native();
        STRV_FOREACH(name, s->architectures) {
                uint32_t arch;
                if (seccomp_arch_from_oci(*name, &arch) >= 0 && n_candidates < ELEMENTSOF(candidates))
                        candidates[n_candidates++] = arch;
        }
        for (size_t a = 0; a < n_candidates; a++) {
                bool seen = false, any = false;
                uint32_t max = 0;

                for (size_t i = 0; i < a; i++)
                        seen = seen || candidates[i] == candidates[a];
                if (seen || seccomp_arch_exist(ctx, candidates[a]) != 0)
                        continue;
                for (size_t i = 0; i < s->n_syscalls; i++)
                        STRV_FOREACH(name, s->syscalls[i].names) {
                                int nr = seccomp_syscall_resolve_name_arch(candidates[a], *name);
                                /* Negative: unknown, or a pseudo number for a syscall this arch lacks. */
                                if (nr < 0)
                                        continue;
                                if (!any || (uint32_t) nr > max)
                                        max = (uint32_t) nr;
                                any = true;
                        }
                if (any)
                        ret[n++] = (SeccompArchMax){ .arch = candidates[a], .max_nr = max };
        }
        *ret_n = n;
        return 0;
}

/* Why a prefix to libseccomp's BPF rather than libseccomp rules: a rule names one syscall and is
 * added on every architecture of the filter, so "every number above N on this arch" would take
 * one rule per number known to libseccomp (hundreds, and none for numbers it does not know yet,
 * which are the point), translated per arch. The prefix is exact and bounded: 5 instructions per
 * architecture (6-8 for x86_64/x32), at most SECCOMP_STUB_ARCHES_MAX of them, checked against
 * BPF_MAXINSNS with the rest. */
static int prepend_enosys_stub(scmp_filter_ctx ctx, const OciSeccomp *s, SeccompProgram *p) {
        SeccompArchMax arches[SECCOMP_STUB_ARCHES_MAX];
        _cleanup_free_ struct sock_filter *stub = NULL;
        struct sock_filter *joined;
        size_t n_arches, n_stub;
        int r;

        r = profile_arch_maxima(ctx, s, arches, &n_arches);
        if (r < 0 || n_arches == 0)
                return r;
        r = seccomp_enosys_stub(arches, n_arches, &stub, &n_stub);
        if (r < 0)
                return r;
        if (n_stub + p->n_insns > BPF_MAXINSNS)
                return -E2BIG;
        joined = reallocarray(stub, n_stub + p->n_insns, sizeof(struct sock_filter));
        if (!joined)
                return -ENOMEM;
        stub = NULL;
        memcpy(joined + n_stub, p->insns, p->n_insns * sizeof(struct sock_filter));
        free(p->insns);
        p->insns = joined;
        p->n_insns += n_stub;
        return 0;
}

int seccomp_program_compile(const OciSeccomp *s, SeccompProgram **ret, SysrunError *e) {
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = NULL;
        _cleanup_(seccomp_program_freep) SeccompProgram *p = NULL;
        bool notify = false;
        uint32_t def;
        int r;

        r = seccomp_action_to_scmp(s->default_action, &s->default_errno_ret, &def);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "linux.seccomp.defaultErrnoRet: %" PRIu64 " is out of range",
                                s->default_errno_ret.value);
        /* Every syscall of the init after the load would wait for an agent that has no fd yet. */
        if (s->default_action == SECCOMP_ACTION_NOTIFY)
                return sysrun_error_set(
                                e, -EINVAL,
                                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");

        ctx = seccomp_init(def);
        if (!ctx)
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "linux.seccomp.defaultAction: %s is not supported by this kernel or libseccomp",
                                seccomp_action_to_string(s->default_action));

        STRV_FOREACH(name, s->architectures) {
                uint32_t arch;

                r = seccomp_arch_from_oci(*name, &arch);
                if (r == -EINVAL)
                        return sysrun_error_set(
                                        e, r, "linux.seccomp.architectures: invalid architecture '%s'", *name);
                if (r < 0) {
                        sysrun_log(LOG_DEBUG,
                                   "linux.seccomp: ignoring architecture '%s', unknown to libseccomp", *name);
                        continue;
                }
                r = seccomp_arch_add(ctx, arch);
                if (r < 0 && r != -EEXIST)
                        return sysrun_error_set(
                                        e, r, "linux.seccomp.architectures: cannot add '%s': %m", *name);
        }

        for (size_t i = 0; i < s->n_syscalls; i++) {
                r = add_syscall(ctx, s, i, def, &notify, e);
                if (r < 0)
                        return r;
        }
        if (notify && !s->listener_path)
                return sysrun_error_set(
                                e, -EINVAL, "linux.seccomp: listenerPath is not set (SCMP_ACT_NOTIFY needs an agent)");

        p = calloc(1, sizeof(SeccompProgram));
        if (!p)
                return sysrun_error_set(e, -ENOMEM, "out of memory");
        p->notify = notify;
        r = resolve_flags(s, notify, &p->flags, e);
        if (r < 0)
                return r;
        r = export_bpf(ctx, p);
        if (r >= 0 && default_needs_enosys_stub(s, def))
                r = prepend_enosys_stub(ctx, s, p);
        if (r == -E2BIG)
                return sysrun_error_set(
                                e, r, "linux.seccomp: the filter is too large (more than %d instructions)",
                                BPF_MAXINSNS);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.seccomp: cannot build the filter: %m");

        *ret = TAKE_PTR(p);
        return 0;
}

int seccomp_program_load(const SeccompProgram *p, int *ret_notify_fd) {
        struct sock_fprog prog = {
                .len = (unsigned short) p->n_insns,
                .filter = p->insns,
        };
        long r;

        r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog);
        if (r < 0)
                return -errno;
        *ret_notify_fd = p->notify ? (int) r : -EBADF;
        return 0;
}

char *seccomp_process_state_json(const char *metadata, pid_t pid, const char *state_json) {
        json_object *m = NULL;
        char *s = NULL;

        if (metadata) {
                m = json_object_new_string(metadata);
                if (!m)
                        return NULL;
        }
        /* The state is sysrun's own JSON text: embedded as it is. */
        if (asprintf(&s, "{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d%s%s,\"state\":%s}",
                     SYSRUN_OCI_VERSION, (int) pid, m ? ",\"metadata\":" : "",
                     m ? json_object_to_json_string_ext(
                                         m, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) :
                         "",
                     state_json) < 0)
                s = NULL;
        json_object_put(m);
        return s;
}

int seccomp_listener_send(const OciSeccomp *s, pid_t pid, const char *state_json, int notify_fd, SysrunError *e) {
        _cleanup_free_ char *payload = NULL;
        _cleanup_close_ int sock = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov;
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
                .msg_controllen = sizeof(control.buf),
        };
        struct cmsghdr *cmsg;
        ssize_t n;

        if (!s->listener_path || strlen(s->listener_path) >= sizeof(sa.sun_path))
                return sysrun_error_set(
                                e, -EINVAL, "linux.seccomp.listenerPath: invalid socket path '%s'",
                                strempty(s->listener_path));
        strcpy(sa.sun_path, s->listener_path);
        payload = seccomp_process_state_json(s->listener_metadata, pid, state_json);
        if (!payload)
                return sysrun_error_set(e, -ENOMEM, "out of memory");

        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0)
                return sysrun_error_set(e, -errno, "linux.seccomp.listenerPath: socket: %m");
        if (connect(sock, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return sysrun_error_set(e, -errno,
                                        "failed to connect with seccomp agent specified in the seccomp profile: "
                                        "dial unix %s: connect: %m",
                                        s->listener_path);

        iov = (struct iovec){ .iov_base = payload, .iov_len = strlen(payload) };
        cmsg = CMSG_FIRSTHDR(&mh);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &notify_fd, sizeof(int));

        /* One message: fd and text arrive together, as the agent expects. */
        do
                n = sendmsg(sock, &mh, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return sysrun_error_set(e, -errno, "cannot send seccomp fd to %s: %m", s->listener_path);
        if ((size_t) n < iov.iov_len) {
                int r = loop_write(sock, payload + n, iov.iov_len - (size_t) n);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot send seccomp fd to %s: %m", s->listener_path);
        }
        return 0;
}
