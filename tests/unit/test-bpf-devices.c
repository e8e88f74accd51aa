/* SPDX-License-Identifier: Apache-2.0 */
#include "bpf-devices.h"
#include "cgroupfs.h"
#include "tests.h"

/* Runs the program on one request, interpreting the few instruction forms the generator emits (any
 * other form fails the test), and checks that every jump lands inside the program. */
static int run(const struct bpf_insn *p, size_t n, char type, unsigned major, unsigned minor, const char *access) {
        uint64_t r[11] = {};
        struct bpf_cgroup_dev_ctx ctx = {
                .access_type = (uint32_t) ((type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR) |
                                           ((strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0) |
                                            (strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0) |
                                            (strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0))
                                                   << 16),
                .major = major,
                .minor = minor,
        };

        for (size_t pc = 0; pc < n; pc++) {
                const struct bpf_insn *i = &p[pc];
                switch (i->code) {
                case BPF_LDX | BPF_MEM | BPF_W:
                        ASSERT_EQ(i->src_reg, 1);
                        ASSERT_TRUE(i->off >= 0 && (size_t) i->off + 4 <= sizeof(ctx));
                        r[i->dst_reg] = *(const uint32_t *) ((const char *) &ctx + i->off);
                        break;
                case BPF_ALU64 | BPF_MOV | BPF_K:
                        r[i->dst_reg] = (uint64_t) (int64_t) i->imm;
                        break;
                case BPF_ALU64 | BPF_MOV | BPF_X:
                        r[i->dst_reg] = r[i->src_reg];
                        break;
                case BPF_ALU64 | BPF_AND | BPF_K:
                        r[i->dst_reg] &= (uint64_t) (int64_t) i->imm;
                        break;
                case BPF_ALU64 | BPF_RSH | BPF_K:
                        r[i->dst_reg] >>= i->imm;
                        break;
                case BPF_JMP | BPF_JNE | BPF_K:
                        ASSERT_TRUE(i->off >= 0 && pc + 1 + (size_t) i->off < n);
                        if (r[i->dst_reg] != (uint64_t) (int64_t) i->imm)
                                pc += (size_t) i->off;
                        break;
                case BPF_JMP | BPF_EXIT:
                        return (int) r[0];
                default:
                        fprintf(stderr, "unexpected instruction 0x%02x at %zu\n", i->code, pc);
                        abort();
                }
        }
        abort(); /* fell off the end */
}

#define RULE(al, t, ma, mi, acc) ((OciDeviceRule){ .allow = (al), .type = (t), .major = (ma), .minor = (mi), .access = (char *) (acc) })

TEST(program_semantics) {
        /* The VM tier's config: deny all, c 1:3 rw, b 7:0 read-only. */
        OciDeviceRule rules[] = {
                RULE(false, 'a', -1, -1, "rwm"),
                RULE(true, 'c', 1, 3, "rw"),
                RULE(true, 'b', 7, -1, "r"),
        };
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t n = 0;

        ASSERT_OK(bpf_devices_program(rules, ELEMENTSOF(rules), &p, &n));
        /* 6 to load; b 7:* r: 1 type + 3 access + 1 major + 2; c 1:3 rw: 1 + 3 + 2 + 2; deny all: 2. */
        ASSERT_EQ(n, 6 + 7 + 8 + 2);
        ASSERT_EQ(run(p, n, 'c', 1, 3, "rw"), 1);
        ASSERT_EQ(run(p, n, 'c', 1, 3, "r"), 1);
        ASSERT_EQ(run(p, n, 'c', 1, 3, "m"), 0);
        ASSERT_EQ(run(p, n, 'c', 1, 11, "r"), 0);
        ASSERT_EQ(run(p, n, 'b', 1, 3, "r"), 0); /* the type counts */
        ASSERT_EQ(run(p, n, 'b', 7, 0, "r"), 1);
        ASSERT_EQ(run(p, n, 'b', 7, 5, "r"), 1);
        ASSERT_EQ(run(p, n, 'b', 7, 0, "w"), 0);
        ASSERT_EQ(run(p, n, 'b', 7, 0, "rw"), 0);
        ASSERT_EQ(run(p, n, 'b', 8, 0, "r"), 0);
}

TEST(later_rules_win) {
        OciDeviceRule rules[] = {
                RULE(true, 'a', -1, -1, NULL),
                RULE(false, 'c', 1, 11, "w"),
        };
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t n = 0;

        ASSERT_OK(bpf_devices_program(rules, ELEMENTSOF(rules), &p, &n));
        /* "allow everything" first: it is the last one tried and ends the program (no default). */
        ASSERT_EQ(n, 6 + 8 + 2);
        ASSERT_EQ(run(p, n, 'c', 1, 11, "w"), 0);
        ASSERT_EQ(run(p, n, 'c', 1, 11, "r"), 1);
        ASSERT_EQ(run(p, n, 'b', 8, 0, "rwm"), 1);
}

TEST(no_rules_denies_everything) {
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t n = 0;

        ASSERT_OK(bpf_devices_program(NULL, 0, &p, &n));
        ASSERT_EQ(n, 8);
        ASSERT_EQ(run(p, n, 'c', 1, 3, "r"), 0);
}

TEST(default_rules_program) {
        /* What a default create attaches: the spec's deny-all, then runc's defaults. */
        OciDeviceRule deny_all = RULE(false, 'a', -1, -1, "rwm");
        OciResources res = { .devices = &deny_all, .n_devices = 1 };
        ResourceInput in = { .resources = &res, .default_devices = true, .mode = RESOURCE_MODE_CREATE };
        _cleanup_free_ OciDeviceRule *rules = NULL;
        _cleanup_free_ struct bpf_insn *p = NULL;
        size_t n_rules = 0, n = 0;

        ASSERT_OK(cgroupfs_device_rules(&in, &rules, &n_rules));
        ASSERT_OK(bpf_devices_program(rules, n_rules, &p, &n));
        ASSERT_EQ(run(p, n, 'c', 1, 3, "rw"), 1);     /* null */
        ASSERT_EQ(run(p, n, 'c', 136, 4, "rw"), 1);   /* a pts */
        ASSERT_EQ(run(p, n, 'b', 8, 0, "m"), 1);      /* mknod of anything */
        ASSERT_EQ(run(p, n, 'b', 8, 0, "r"), 0);      /* but not opening a disk */
        ASSERT_EQ(run(p, n, 'c', 1, 11, "w"), 0);     /* nor /dev/kmsg */
}

DEFINE_TEST_MAIN();
