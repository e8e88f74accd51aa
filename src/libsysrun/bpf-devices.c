/* SPDX-License-Identifier: Apache-2.0 */
#include "bpf-devices.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "fd-util.h"

/* The few instruction forms the program needs (the kernel's uapi has the opcodes, not these). */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV_K(dst, imm) INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define MOV_X(dst, src) INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define AND_K(dst, imm) INSN(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH_K(dst, imm) INSN(BPF_ALU64 | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_K(dst, imm, off) INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers: r1 the context (struct bpf_cgroup_dev_ctx), r2 the access asked for, r3 the type, r4
 * major, r5 minor, r6 scratch, r0 the verdict. */
enum { R0, R1, R2, R3, R4, R5, R6 };

static unsigned access_mask(const char *a) {
        unsigned m = 0;
        if (!a || !*a)
                return BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
        for (; *a; a++)
                m |= *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
        return m;
}

int bpf_devices_program(const OciDeviceRule *rules, size_t n_rules, struct bpf_insn **ret, size_t *ret_n) {
        const unsigned all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
        /* 6 to load the context, at most 8 per rule, 2 for the default. */
        struct bpf_insn *p = calloc(6 + 8 * n_rules + 2, sizeof(struct bpf_insn));
        size_t n = 0;
        bool catch_all = false;

        if (!p)
                return -ENOMEM;
        p[n++] = LDX_W(R2, R1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
        p[n++] = MOV_X(R3, R2);
        p[n++] = AND_K(R3, 0xffff); /* the type: BPF_DEVCG_DEV_BLOCK or _CHAR */
        p[n++] = RSH_K(R2, 16);     /* the access: BPF_DEVCG_ACC_* */
        p[n++] = LDX_W(R4, R1, offsetof(struct bpf_cgroup_dev_ctx, major));
        p[n++] = LDX_W(R5, R1, offsetof(struct bpf_cgroup_dev_ctx, minor));
        /* The last rule wins: they are tried from the end, and the first match decides. */
        for (size_t k = n_rules; k > 0 && !catch_all; k--) {
                const OciDeviceRule *rule = &rules[k - 1];
                unsigned acc = access_mask(rule->access);
                bool any_type = rule->type == 'a' || rule->type == 0;
                size_t len = 2 + !any_type + (acc != all ? 3 : 0) + (rule->major >= 0) + (rule->minor >= 0);
                size_t end = n + len; /* where the next rule's test starts */

#define TO_NEXT ((int16_t) (end - (n + 1)))
                if (!any_type)
                        p[n] = JNE_K(R3, rule->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, TO_NEXT), n++;
                if (acc != all) {
                        p[n++] = MOV_X(R6, R2);
                        p[n++] = AND_K(R6, (int32_t) (~acc & all)); /* asked for more than the rule gives */
                        p[n] = JNE_K(R6, 0, TO_NEXT), n++;
                }
                if (rule->major >= 0)
                        p[n] = JNE_K(R4, (int32_t) rule->major, TO_NEXT), n++;
                if (rule->minor >= 0)
                        p[n] = JNE_K(R5, (int32_t) rule->minor, TO_NEXT), n++;
#undef TO_NEXT
                p[n++] = MOV_K(R0, rule->allow ? 1 : 0);
                p[n++] = EXIT();
                /* A rule for every device and access decides everything: nothing after it runs. */
                catch_all = len == 2;
        }
        if (!catch_all) {
                p[n++] = MOV_K(R0, 0);
                p[n++] = EXIT();
        }
        *ret = p;
        *ret_n = n;
        return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr) {
        long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));
        return r < 0 ? -errno : (int) r;
}

int bpf_devices_attach(int cgroup_fd, const struct bpf_insn *insns, size_t n, SysrunError *e) {
        static char log[4096];
        _cleanup_close_ int prog = -EBADF;
        union bpf_attr attr = {};
        int r;

        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t) (uintptr_t) insns;
        attr.insn_cnt = (uint32_t) n;
        attr.license = (uint64_t) (uintptr_t) "Apache-2.0";
        attr.log_buf = (uint64_t) (uintptr_t) log;
        attr.log_size = sizeof(log);
        attr.log_level = 1;
        prog = sys_bpf(BPF_PROG_LOAD, &attr);
        if (prog == -ENOSPC) { /* the verifier log did not fit: load again without one */
                attr.log_buf = 0;
                attr.log_size = 0;
                attr.log_level = 0;
                prog = sys_bpf(BPF_PROG_LOAD, &attr);
        }
        if (prog < 0)
                return sysrun_error_set(e, prog,
                                        "linux.resources.devices: cannot load the eBPF device filter (%zu "
                                        "instructions): %m%s%.200s",
                                        n, log[0] ? ": " : "", log);
        attr = (union bpf_attr){};
        attr.target_fd = (uint32_t) cgroup_fd;
        attr.attach_bpf_fd = (uint32_t) prog;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        r = sys_bpf(BPF_PROG_ATTACH, &attr);
        if (r < 0)
                return sysrun_error_set(e, r, "linux.resources.devices: cannot attach the eBPF device filter: %m");
        return 0;
}
