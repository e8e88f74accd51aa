/* SPDX-License-Identifier: Apache-2.0 */
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp-filter.h"
#include "tests.h"

TEST(action_translation) {
        OptU64 unset = {}, e38 = { .set = true, .value = 38 }, zero = { .set = true, .value = 0 },
               big = { .set = true, .value = 70000 };
        uint32_t a;

        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_KILL, &unset, &a));
        ASSERT_EQ_U64(a, 0x00000000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_KILL_THREAD, &unset, &a));
        ASSERT_EQ_U64(a, 0x00000000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_KILL_PROCESS, &unset, &a));
        ASSERT_EQ_U64(a, 0x80000000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_TRAP, &unset, &a));
        ASSERT_EQ_U64(a, 0x00030000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_ERRNO, &unset, &a));
        ASSERT_EQ_U64(a, 0x00050001); /* EPERM by default */
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_ERRNO, NULL, &a));
        ASSERT_EQ_U64(a, 0x00050001);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_ERRNO, &e38, &a));
        ASSERT_EQ_U64(a, 0x00050026);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_ERRNO, &zero, &a));
        ASSERT_EQ_U64(a, 0x00050000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_TRACE, &unset, &a));
        ASSERT_EQ_U64(a, 0x7ff00001);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_TRACE, &e38, &a));
        ASSERT_EQ_U64(a, 0x7ff00026);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_ALLOW, &unset, &a));
        ASSERT_EQ_U64(a, 0x7fff0000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_LOG, &unset, &a));
        ASSERT_EQ_U64(a, 0x7ffc0000);
        ASSERT_OK(seccomp_action_to_scmp(SECCOMP_ACTION_NOTIFY, &unset, &a));
        ASSERT_EQ_U64(a, 0x7fc00000);
        ASSERT_ERROR(seccomp_action_to_scmp(SECCOMP_ACTION_ERRNO, &big, &a), ERANGE);
        ASSERT_ERROR(seccomp_action_to_scmp(_SECCOMP_ACTION_INVALID, &unset, &a), EINVAL);
}

TEST(arch_translation) {
        uint32_t a;

        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_X86_64", &a));
        ASSERT_EQ_U64(a, 0xc000003e);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_X86", &a));
        ASSERT_EQ_U64(a, 0x40000003);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_X32", &a));
        ASSERT_EQ_U64(a, 0x4000003e);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_AARCH64", &a));
        ASSERT_EQ_U64(a, 0xc00000b7);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_ARM", &a));
        ASSERT_EQ_U64(a, 0x40000028);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_PPC64LE", &a));
        ASSERT_EQ_U64(a, 0xc0000015);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_S390X", &a));
        ASSERT_EQ_U64(a, 0x80000016);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_RISCV64", &a));
        ASSERT_EQ_U64(a, 0xc00000f3);
        ASSERT_OK(seccomp_arch_from_oci("SCMP_ARCH_MIPSEL64N32", &a));
        ASSERT_EQ_U64(a, 0xe0000008);
        /* Malformed: an error. Well-formed but unknown to libseccomp: -ENOENT (skipped). */
        ASSERT_ERROR(seccomp_arch_from_oci("x86_64", &a), EINVAL);
        ASSERT_ERROR(seccomp_arch_from_oci("SCMP_ARCH_", &a), EINVAL);
        ASSERT_ERROR(seccomp_arch_from_oci("SCMP_ARCH_x86_64", &a), EINVAL);
        ASSERT_ERROR(seccomp_arch_from_oci("SCMP_ARCH_X86-64", &a), EINVAL);
        ASSERT_ERROR(seccomp_arch_from_oci(NULL, &a), EINVAL);
        ASSERT_ERROR(seccomp_arch_from_oci("SCMP_ARCH_VAX", &a), ENOENT);
}

TEST(flag_translation) {
        unsigned f;

        ASSERT_OK(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_TSYNC", &f));
        ASSERT_EQ(f, 1);
        ASSERT_OK(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_LOG", &f));
        ASSERT_EQ(f, 2);
        ASSERT_OK(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_SPEC_ALLOW", &f));
        ASSERT_EQ(f, 4);
        ASSERT_OK(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", &f));
        ASSERT_EQ(f, 32);
        /* The runtime sets NEW_LISTENER itself; it is no OCI flag. */
        ASSERT_ERROR(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_NEW_LISTENER", &f), EINVAL);
        ASSERT_ERROR(seccomp_flag_from_oci("SECCOMP_FILTER_FLAG_tsync", &f), EINVAL);
        ASSERT_ERROR(seccomp_flag_from_oci("", &f), EINVAL);
        ASSERT_ERROR(seccomp_flag_from_oci(NULL, &f), EINVAL);
}

TEST(syscall_names) {
#if defined(__x86_64__)
        ASSERT_EQ(seccomp_syscall_number("read"), 0);
        ASSERT_EQ(seccomp_syscall_number("mkdir"), 83);
        ASSERT_EQ(seccomp_syscall_number("openat"), 257);
        ASSERT_EQ(seccomp_syscall_number("clone3"), 435);
        /* Not an x86-64 syscall, but an i386 one: libseccomp's pseudo number. */
        ASSERT_TRUE(seccomp_syscall_number("socketcall") < -10000);
#endif
        ASSERT_ERROR(seccomp_syscall_number("no_such_syscall"), ENOENT);
        ASSERT_ERROR(seccomp_syscall_number("MKDIR"), ENOENT);
        ASSERT_ERROR(seccomp_syscall_number(""), ENOENT);
        ASSERT_ERROR(seccomp_syscall_number(NULL), ENOENT);
}

TEST(rules_without_args) {
        OciSeccompSyscall s = { .action = SECCOMP_ACTION_ERRNO };
        _cleanup_free_ SeccompRule *r = NULL;
        size_t n;

        ASSERT_OK(seccomp_syscall_rules(&s, &r, &n));
        ASSERT_EQ(n, 1);
        ASSERT_EQ(r[0].n_cmp, 0);
}

TEST(rules_distinct_args_one_rule) {
        OciSeccompArg args[] = {
                { .index = 0, .value = 1, .op = SECCOMP_OP_EQ },
                { .index = 2, .value = 0xff, .value_two = 0x10, .op = SECCOMP_OP_MASKED_EQ },
                { .index = 5, .value = 7, .op = SECCOMP_OP_NE },
        };
        OciSeccompSyscall s = { .action = SECCOMP_ACTION_ERRNO, .args = args, .n_args = 3 };
        _cleanup_free_ SeccompRule *r = NULL;
        size_t n;

        ASSERT_OK(seccomp_syscall_rules(&s, &r, &n));
        ASSERT_EQ(n, 1);
        ASSERT_EQ(r[0].n_cmp, 3);
        ASSERT_EQ(r[0].cmp[0].arg, 0);
        ASSERT_EQ(r[0].cmp[0].op, SCMP_CMP_EQ);
        ASSERT_EQ_U64(r[0].cmp[0].datum_a, 1);
        ASSERT_EQ(r[0].cmp[1].arg, 2);
        ASSERT_EQ(r[0].cmp[1].op, SCMP_CMP_MASKED_EQ);
        ASSERT_EQ_U64(r[0].cmp[1].datum_a, 0xff);
        ASSERT_EQ_U64(r[0].cmp[1].datum_b, 0x10);
        ASSERT_EQ(r[0].cmp[2].arg, 5);
        ASSERT_EQ(r[0].cmp[2].op, SCMP_CMP_NE);
}

TEST(rules_repeated_arg_split) {
        OciSeccompArg args[] = {
                { .index = 0, .value = 1, .op = SECCOMP_OP_GT },
                { .index = 0, .value = 5, .op = SECCOMP_OP_LT },
                { .index = 1, .value = UINT64_MAX, .op = SECCOMP_OP_LE },
        };
        OciSeccompSyscall s = { .action = SECCOMP_ACTION_ERRNO, .args = args, .n_args = 3 };
        _cleanup_free_ SeccompRule *r = NULL;
        size_t n;

        ASSERT_OK(seccomp_syscall_rules(&s, &r, &n));
        ASSERT_EQ(n, 3);
        for (size_t i = 0; i < 3; i++)
                ASSERT_EQ(r[i].n_cmp, 1);
        ASSERT_EQ(r[0].cmp[0].op, SCMP_CMP_GT);
        ASSERT_EQ(r[1].cmp[0].op, SCMP_CMP_LT);
        ASSERT_EQ_U64(r[1].cmp[0].datum_a, 5);
        ASSERT_EQ(r[2].cmp[0].arg, 1);
        ASSERT_EQ(r[2].cmp[0].op, SCMP_CMP_LE);
        ASSERT_EQ_U64(r[2].cmp[0].datum_a, UINT64_MAX);
}

TEST(rules_invalid) {
        OciSeccompArg args[] = { { .index = 6, .value = 1, .op = SECCOMP_OP_EQ } };
        OciSeccompSyscall s = { .action = SECCOMP_ACTION_ERRNO, .args = args, .n_args = 1 };
        SeccompRule *r = NULL;
        size_t n;

        ASSERT_ERROR(seccomp_syscall_rules(&s, &r, &n), EINVAL);
        args[0].index = 0;
        args[0].op = _SECCOMP_OP_INVALID;
        ASSERT_ERROR(seccomp_syscall_rules(&s, &r, &n), EINVAL);
        ASSERT_NULL(r);
}

static int compile(OciSeccomp *s, SeccompProgram **p, SysrunError *e) {
        *p = NULL;
        sysrun_error_done(e);
        return seccomp_program_compile(s, p, e);
}

TEST(compile_errors) {
        char *mkdir_names[] = { (char *) "mkdir", NULL }, *sendmsg_names[] = { (char *) "sendmsg", NULL };
        char *bad_flags[] = { (char *) "SECCOMP_FILTER_FLAG_BOGUS", NULL };
        char *bad_arch[] = { (char *) "x86_64", NULL };
        OciSeccompSyscall notify = { .names = mkdir_names, .action = SECCOMP_ACTION_NOTIFY };
        OciSeccompSyscall notify_sendmsg = { .names = sendmsg_names, .action = SECCOMP_ACTION_NOTIFY };
        char *write_names[] = { (char *) "getpid", (char *) "write", NULL };
        OciSeccompSyscall notify_write = { .names = write_names, .action = SECCOMP_ACTION_NOTIFY };
        OciSeccomp s = { .default_action = SECCOMP_ACTION_ALLOW };
        SysrunError e = SYSRUN_ERROR_NULL;
        SeccompProgram *p;

        s.syscalls = &notify;
        s.n_syscalls = 1;
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.seccomp: listenerPath is not set (SCMP_ACT_NOTIFY needs an agent)");

        s.listener_path = (char *) "/run/agent.sock";
        s.syscalls = &notify_sendmsg;
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg,
                     "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for 'sendmsg' "
                     "(sysrun passes the listener with it)");

        s = (OciSeccomp){ .default_action = SECCOMP_ACTION_NOTIFY, .listener_path = (char *) "/x" };
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");

        /* runc's words: a notification on write would deadlock the agent. */
        s = (OciSeccomp){ .default_action = SECCOMP_ACTION_ALLOW, .listener_path = (char *) "/x",
                          .syscalls = &notify_write, .n_syscalls = 1 };
        sysrun_error_done(&e);
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the write syscall");

        s = (OciSeccomp){ .default_action = SECCOMP_ACTION_ALLOW, .flags = bad_flags };
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.seccomp.flags: unknown flag 'SECCOMP_FILTER_FLAG_BOGUS'");

        s = (OciSeccomp){ .default_action = SECCOMP_ACTION_ALLOW, .architectures = bad_arch };
        ASSERT_ERROR(compile(&s, &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.seccomp.architectures: invalid architecture 'x86_64'");

        s = (OciSeccomp){ .default_action = SECCOMP_ACTION_ERRNO, .default_errno_ret = { true, 65536 } };
        ASSERT_ERROR(compile(&s, &p, &e), ERANGE);
        ASSERT_STREQ(e.msg, "linux.seccomp.defaultErrnoRet: 65536 is out of range");
        sysrun_error_done(&e);
}

TEST(compile_flags) {
        char *names[] = { (char *) "mkdir", (char *) "no_such_syscall", NULL };
        char *flags[] = { (char *) "SECCOMP_FILTER_FLAG_TSYNC", (char *) "SECCOMP_FILTER_FLAG_LOG", NULL };
        char *archs[] = { (char *) "SCMP_ARCH_X86_64", (char *) "SCMP_ARCH_X86", (char *) "SCMP_ARCH_VAX",
                          NULL };
        OciSeccompSyscall sc = { .names = names, .action = SECCOMP_ACTION_ERRNO };
        OciSeccomp s = { .default_action = SECCOMP_ACTION_ALLOW,
                         .flags = flags,
                         .architectures = archs,
                         .syscalls = &sc,
                         .n_syscalls = 1 };
        SysrunError e = SYSRUN_ERROR_NULL;
        SeccompProgram *p;

        /* Unknown syscall and architecture names are skipped. */
        ASSERT_OK(compile(&s, &p, &e));
        ASSERT_NOT_NULL(p);
        ASSERT_TRUE(p->n_insns > 4);
        ASSERT_FALSE(p->notify);
        ASSERT_EQ(p->flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG);
        p = seccomp_program_free(p);

        /* With notify: NEW_LISTENER instead of TSYNC. */
        sc.action = SECCOMP_ACTION_NOTIFY;
        s.listener_path = (char *) "/run/agent.sock";
        ASSERT_OK(compile(&s, &p, &e));
        ASSERT_TRUE(p->notify);
        ASSERT_EQ(p->flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_NEW_LISTENER);
        p = seccomp_program_free(p);

        /* A rule that repeats the default action is left out rather than refused. */
        sc.action = SECCOMP_ACTION_ALLOW;
        s.flags = NULL;
        ASSERT_OK(compile(&s, &p, &e));
        ASSERT_EQ(p->flags, 0);
        p = seccomp_program_free(p);
        sysrun_error_done(&e);
}

/* Loads a filter in a child and reports the errno of lseek(fd, 0, whence) for a few inputs: the
 * conditions reach the kernel as intended, AND within a rule, OR across split rules. */
static void check_lseek(const OciSeccomp *s, const int (*cases)[3], size_t n) {
        SysrunError e = SYSRUN_ERROR_NULL;
        SeccompProgram *p = NULL;
        pid_t pid;
        int status;

        ASSERT_OK(seccomp_program_compile(s, &p, &e));
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                int fd;
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_program_load(p, &fd) < 0)
                        _exit(100);
                for (size_t i = 0; i < n; i++) {
                        long r = syscall(SYS_lseek, cases[i][0], 0L, cases[i][1]);
                        if (r >= 0 || errno != cases[i][2])
                                _exit(101 + (int) i);
                }
                _exit(0);
        }
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
        seccomp_program_free(p);
}

TEST(load_and_match) {
        char *names[] = { (char *) "lseek", NULL };
        OciSeccompArg and_args[] = {
                { .index = 0, .value = 1000, .op = SECCOMP_OP_EQ },
                { .index = 2, .value = 2, .op = SECCOMP_OP_EQ },
        };
        OciSeccompArg or_args[] = {
                { .index = 0, .value = 1000, .op = SECCOMP_OP_EQ },
                { .index = 0, .value = 1001, .op = SECCOMP_OP_EQ },
        };
        OciSeccompSyscall sc = { .names = names,
                                 .action = SECCOMP_ACTION_ERRNO,
                                 .errno_ret = { true, 42 },
                                 .args = and_args,
                                 .n_args = 2 };
        OciSeccomp s = { .default_action = SECCOMP_ACTION_ALLOW, .syscalls = &sc, .n_syscalls = 1 };
        /* fd, whence, expected errno (EBADF: the filter let it through to the kernel) */
        static const int and_cases[][3] = { { 1000, 2, 42 }, { 1000, 1, EBADF }, { 1001, 2, EBADF } };
        static const int or_cases[][3] = { { 1000, 0, 42 }, { 1001, 1, 42 }, { 1002, 0, EBADF } };

        check_lseek(&s, and_cases, ELEMENTSOF(and_cases));
        sc.args = or_args;
        check_lseek(&s, or_cases, ELEMENTSOF(or_cases));
}

TEST(enosys_stub_instructions) {
        static const SeccompArchMax one[] = { { SCMP_ARCH_AARCH64, 300 } };
        static const SeccompArchMax x86[] = { { SCMP_ARCH_X86_64, 334 }, { SCMP_ARCH_X86, 400 } };
        static const SeccompArchMax x32[] = { { SCMP_ARCH_X32, 0x40000000 + 300 } };
        _cleanup_free_ struct sock_filter *a = NULL, *b = NULL, *c = NULL;
        size_t na, nb, nc;

        /* ld arch; jeq aarch64 (else skip 4); ld nr; jgt 300 (else skip 1); ja enosys; ja main;
         * ja main; ret ENOSYS; <main> */
        ASSERT_OK(seccomp_enosys_stub(one, 1, &a, &na));
        ASSERT_EQ(na, 8);
        ASSERT_EQ(a[0].code, BPF_LD | BPF_W | BPF_ABS);
        ASSERT_EQ(a[0].k, 4); /* seccomp_data.arch */
        ASSERT_EQ(a[1].code, BPF_JMP | BPF_JEQ | BPF_K);
        ASSERT_EQ(a[1].k, SCMP_ARCH_AARCH64);
        ASSERT_EQ(a[1].jt, 0);
        ASSERT_EQ(a[1].jf, 4);
        ASSERT_EQ(a[2].k, 0); /* seccomp_data.nr */
        ASSERT_EQ(a[3].code, BPF_JMP | BPF_JGT | BPF_K);
        ASSERT_EQ(a[3].k, 300);
        ASSERT_EQ(a[3].jt, 0);
        ASSERT_EQ(a[3].jf, 1);
        ASSERT_EQ(a[4].code, BPF_JMP | BPF_JA);
        ASSERT_EQ(a[4].k, 2); /* to 7 */
        ASSERT_EQ(a[5].k, 2); /* to 8, the main program */
        ASSERT_EQ(a[6].k, 1); /* to 8 */
        ASSERT_EQ(a[7].code, BPF_RET | BPF_K);
        ASSERT_EQ(a[7].k, SECCOMP_RET_ERRNO | ENOSYS);

        /* x86_64 without x32 in the filter: x32 numbers go on to the main program. */
        ASSERT_OK(seccomp_enosys_stub(x86, 2, &b, &nb));
        ASSERT_EQ(nb, 1 + 5 + 3 + 1 + 3 + 2);
        ASSERT_EQ(b[1].k, SCMP_ARCH_X86);
        ASSERT_EQ(b[3].k, 400);
        ASSERT_EQ(b[6].k, SCMP_ARCH_X86_64);
        ASSERT_EQ(b[6].jf, 6);
        ASSERT_EQ(b[8].code, BPF_JMP | BPF_JSET | BPF_K);
        ASSERT_EQ(b[8].k, 0x40000000);
        ASSERT_EQ(b[8].jf, 1);
        ASSERT_EQ(b[9].code, BPF_JMP | BPF_JA);
        ASSERT_EQ(b[9].k, nb - 10); /* main */
        ASSERT_EQ(b[10].k, 334);

        /* x32 alone: its numbers are compared, x86_64's go on. */
        ASSERT_OK(seccomp_enosys_stub(x32, 1, &c, &nc));
        ASSERT_EQ(nc, 1 + 3 + 3 + 1 + 2);
        ASSERT_EQ(c[1].k, AUDIT_ARCH_X86_64);
        ASSERT_EQ(c[4].k, 0x40000000 + 300);
        ASSERT_EQ(c[7].code, BPF_JMP | BPF_JA);
        ASSERT_EQ(c[7].k, nc - 8);

        ASSERT_ERROR(seccomp_enosys_stub(one, SECCOMP_STUB_ARCHES_MAX + 1, &a, &na), E2BIG);
}

/* In a child: errno of syscall(nr, -1, NULL, 0, 0) under the compiled filter, for each nr. */
static void check_errnos(const OciSeccomp *s, const long (*cases)[2], size_t n) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        SeccompProgram *p = NULL;
        pid_t pid;
        int status;

        ASSERT_OK(seccomp_program_compile(s, &p, &e));
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                int fd;
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_program_load(p, &fd) < 0)
                        _exit(100);
                /* exit_group directly: a sanitizer's _exit() would make syscalls the filter refuses. */
                for (size_t i = 0; i < n; i++) {
                        long r = syscall(cases[i][0], -1L, NULL, 0L, 0L);
                        if (r >= 0 || errno != cases[i][1])
                                syscall(SYS_exit_group, 101 + (int) i);
                }
                syscall(SYS_exit_group, 0);
        }
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
        seccomp_program_free(p);
}

TEST(enosys_for_syscalls_newer_than_the_profile) {
#if defined(__x86_64__)
        /* A profile that knows nothing after openat (257 on x86_64). */
        char *allowed[] = { (char *) "exit_group", (char *) "exit", (char *) "openat", NULL };
        char *refused[] = { (char *) "openat", NULL };
        OciSeccompSyscall sc = { .names = allowed, .action = SECCOMP_ACTION_ALLOW };
        OciSeccomp s = { .default_action = SECCOMP_ACTION_ERRNO, .syscalls = &sc, .n_syscalls = 1 };
        /* Not named but older: the default action. Newer: ENOSYS (clone3 435, openat2 437, and
         * numbers no kernel has). openat itself is allowed (EFAULT from the kernel: no path). */
        static const long errno_cases[][2] = {
                { SYS_getuid, EPERM }, { SYS_mkdir, EPERM }, { 435, ENOSYS }, { 437, ENOSYS },
                { 1000, ENOSYS },      { SYS_openat, EFAULT },
        };
        static const long kill_cases[][2] = { { 435, ENOSYS }, { 437, ENOSYS } };
        static const long allow_cases[][2] = { { 437, EINVAL } };
        static const long enosys_default_cases[][2] = { { SYS_getuid, ENOSYS }, { 435, ENOSYS } };

        check_errnos(&s, errno_cases, ELEMENTSOF(errno_cases));
        /* KILL as the default: the newer ones still get ENOSYS instead. */
        s.default_action = SECCOMP_ACTION_KILL_PROCESS;
        check_errnos(&s, kill_cases, ELEMENTSOF(kill_cases));
        /* An ENOSYS default needs no stub and gives the same answers. */
        s.default_action = SECCOMP_ACTION_ERRNO;
        s.default_errno_ret = (OptU64){ true, ENOSYS };
        check_errnos(&s, enosys_default_cases, ELEMENTSOF(enosys_default_cases));
        /* ALLOW as the default: no stub, the kernel answers (openat2 with a zero size: EINVAL). */
        s.default_action = SECCOMP_ACTION_ALLOW;
        sc.names = refused;
        sc.action = SECCOMP_ACTION_ERRNO;
        check_errnos(&s, allow_cases, ELEMENTSOF(allow_cases));
#endif
}

TEST(process_state_json) {
        _cleanup_free_ char *a = NULL, *b = NULL;

        a = seccomp_process_state_json("m\"eta", 42, "{\"ociVersion\":\"1.2.0\",\"id\":\"x\"}");
        ASSERT_STREQ(a,
                     "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":42,\"metadata\":\"m\\\"eta\","
                     "\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"x\"}}");
        b = seccomp_process_state_json(NULL, 7, "{}");
        ASSERT_STREQ(b, "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":7,\"state\":{}}");
}

DEFINE_TEST_MAIN();
