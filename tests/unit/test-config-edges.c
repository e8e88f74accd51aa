/* SPDX-License-Identifier: Apache-2.0 */
/* The parser at its edges: minimal and empty documents, unknown and null members, aliases, integer limits. */
#include <sched.h>
#include <sys/resource.h>

#include "config-fixtures.h"

TEST(minimal_config) {
        /* No process (create-only bundles), no linux section. */
        _cleanup_oci_config_ OciConfig *c = parse_ok("{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}}");

        ASSERT_STREQ(c->oci_version, "1.2.0");
        ASSERT_STREQ(c->root_path, "rootfs");
        ASSERT_FALSE(c->root_readonly);
        ASSERT_NULL(c->process);
        ASSERT_NULL(c->hostname);
        ASSERT_EQ(c->n_mounts, 0);
        ASSERT_NULL(c->mounts);
        ASSERT_NULL(c->annotations);
        ASSERT_NULL(c->linux_section);
        ASSERT_NULL(oci_config_find_namespace(c, NAMESPACE_PID));
}

TEST(empty_containers) {
        /* Present but empty: arrays stay NULL/0, string vectors and maps become empty vectors. */
        _cleanup_oci_config_ OciConfig *c = parse_ok(
                "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, 'mounts': [], 'hooks': {}, 'annotations': {},"
                " 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0, 'additionalGids': []},"
                "             'env': [], 'rlimits': [], 'capabilities': {}},"
                " 'linux': {'namespaces': [], 'sysctl': {},"
                "           'resources': {'memory': {}, 'rdma': {}, 'unified': {}},"
                "           'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': []},"
                "           'intelRdt': {}}}");

        ASSERT_EQ(c->n_mounts, 0);
        ASSERT_NULL(c->mounts);
        for (HookKind k = 0; k < _HOOK_KIND_MAX; k++)
                ASSERT_NULL(c->hooks[k]);
        ASSERT_STRV_EMPTY(c->annotations);
        ASSERT_EQ(c->process->user.n_additional_gids, 0);
        ASSERT_NULL(c->process->user.additional_gids);
        ASSERT_STRV_EMPTY(c->process->env);
        ASSERT_EQ(c->process->n_rlimits, 0);
        ASSERT_NOT_NULL(c->process->capabilities);
        ASSERT_NULL(c->process->capabilities->bounding);
        ASSERT_EQ(c->linux_section->n_namespaces, 0);
        ASSERT_STRV_EMPTY(c->linux_section->sysctl);
        ASSERT_TRUE(c->linux_section->resources->has_memory);
        ASSERT_FALSE(c->linux_section->resources->memory.limit.set);
        ASSERT_FALSE(c->linux_section->resources->has_cpu);
        ASSERT_EQ(c->linux_section->resources->n_rdma, 0);
        ASSERT_STRV_EMPTY(c->linux_section->resources->unified);
        ASSERT_EQ(c->linux_section->seccomp->default_action, SECCOMP_ACTION_ALLOW);
        ASSERT_EQ(c->linux_section->seccomp->n_syscalls, 0);
        ASSERT_TRUE(c->linux_section->intel_rdt.set);
        ASSERT_FALSE(c->linux_section->intel_rdt.enable_monitoring);
        ASSERT_NULL(c->linux_section->intel_rdt.clos_id);
}

TEST(unknown_properties_ignored) {
        _cleanup_oci_config_ OciConfig *c = parse_ok(
                "{'ociVersion': '1.2.0', 'x-top': {'nested': [1, 2.5, null]},"
                " 'windows': {'layerFolders': ['C:\\\\l']}, 'solaris': {'milestone': 'x'},"
                " 'vm': {'kernel': {'path': '/k'}}, 'zos': {},"
                " 'root': {'path': 'rootfs', 'future': true},"
                " 'process': {'cwd': '/', 'args': ['sh'], 'commandLine': 'sh.exe',"
                "             'user': {'uid': 1, 'gid': 2, 'sid': 'S-1'},"
                "             'capabilities': {'bounding': ['CAP_KILL'], 'someday': ['x']},"
                "             'rlimits': [{'type': 'RLIMIT_NPROC', 'soft': 1, 'hard': 2, 'note': 'x'}],"
                "             'ioPriority': {'class': 'IOPRIO_CLASS_IDLE', 'extra': 1}},"
                " 'mounts': [{'destination': '/tmp', 'type': 'tmpfs', 'whatever': {}}],"
                " 'hooks': {'preflight': [{'path': 'relative is fine here, it is ignored'}],"
                "           'poststop': [{'path': '/bin/true', 'retries': 3}]},"
                " 'linux': {'netDevices': {'eth0': {'name': 'x'}}, 'memoryPolicy': {'mode': 'MPOL_BIND'},"
                "           'namespaces': [{'type': 'pid', 'flags': 1}],"
                "           'timeOffsets': {'realtime': {'secs': 'not checked'}, 'boottime': {'secs': 1, 'x': 2}},"
                "           'resources': {'memory': {'limit': 1, 'future': 'x'}, 'misc': {'a': 1},"
                "                         'devices': [{'allow': true, 'z': 0}]},"
                "           'intelRdt': {'enableMonitoring': true, 'futureKnob': 1},"
                "           'seccomp': {'defaultAction': 'SCMP_ACT_LOG', 'future': [],"
                "                       'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_KILL', 'comment': 'x',"
                "                                     'args': [{'index': 1, 'value': 2, 'op': 'SCMP_CMP_NE', 'c': 0}]}]},"
                "           'personality': {'domain': 'LINUX', 'future': 1}}}");

        ASSERT_STREQ(c->root_path, "rootfs");
        ASSERT_EQ(c->process->user.uid, 1);
        ASSERT_EQ(c->process->user.gid, 2);
        ASSERT_STRV(c->process->capabilities->bounding, "CAP_KILL");
        ASSERT_EQ(c->process->rlimits[0].resource, RLIMIT_NPROC);
        ASSERT_STREQ(c->process->io_priority.class, "IOPRIO_CLASS_IDLE");
        ASSERT_EQ(c->process->io_priority.priority, 0);
        ASSERT_EQ(c->n_mounts, 1);
        ASSERT_EQ(c->n_hooks[HOOK_POSTSTOP], 1);
        for (HookKind k = 0; k < HOOK_POSTSTOP; k++)
                ASSERT_EQ(c->n_hooks[k], 0);
        ASSERT_EQ(c->linux_section->n_namespaces, 1);
        ASSERT_TRUE(c->linux_section->time_offset_boottime.set);
        ASSERT_EQ(c->linux_section->time_offset_boottime.secs, 1);
        ASSERT_FALSE(c->linux_section->time_offset_monotonic.set);
        ASSERT_EQ(c->linux_section->resources->memory.limit.value, 1);
        ASSERT_TRUE(c->linux_section->resources->devices[0].allow);
        ASSERT_TRUE(c->linux_section->intel_rdt.enable_monitoring);
        ASSERT_EQ(c->linux_section->seccomp->default_action, SECCOMP_ACTION_LOG);
        ASSERT_EQ(c->linux_section->seccomp->syscalls[0].action, SECCOMP_ACTION_KILL);
        ASSERT_EQ(c->linux_section->seccomp->syscalls[0].args[0].op, SECCOMP_OP_NE);
        ASSERT_STREQ(c->linux_section->personality.domain, "LINUX");
}

TEST(null_is_absent) {
        /* Go runtimes write null for unset optional fields; treat those like absent ones. */
        _cleanup_oci_config_ OciConfig *c = parse_ok(
                "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs', 'readonly': null}, 'hostname': null,"
                " 'mounts': null, 'hooks': null, 'annotations': null,"
                " 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0, 'umask': null},"
                "             'env': null, 'capabilities': null, 'oomScoreAdj': null},"
                " 'linux': {'resources': null, 'seccomp': null, 'namespaces': [{'type': 'uts', 'path': null}]}}");

        ASSERT_FALSE(c->root_readonly);
        ASSERT_NULL(c->hostname);
        ASSERT_EQ(c->n_mounts, 0);
        ASSERT_NULL(c->annotations);
        ASSERT_FALSE(c->process->user.umask.set);
        ASSERT_NULL(c->process->env);
        ASSERT_NULL(c->process->capabilities);
        ASSERT_FALSE(c->process->oom_score_adj.set);
        ASSERT_NULL(c->linux_section->resources);
        ASSERT_NULL(c->linux_section->seccomp);
        ASSERT_EQ(c->linux_section->namespaces[0].type, NAMESPACE_UTS);
        ASSERT_NULL(c->linux_section->namespaces[0].path);
}

TEST(intel_rdt_monitoring_aliases) {
        static const struct {
                const char *rdt;
                bool expected;
        } table[] = {
                { "{}", false },
                { "{'enableMonitoring': true}", true },
                { "{'enableMonitoring': false}", false },
                { "{'enableCMT': true}", true },
                { "{'enableMBM': true}", true },
                { "{'enableCMT': false, 'enableMBM': false}", false },
                { "{'enableMonitoring': false, 'enableMBM': true}", true },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_oci_config_ OciConfig *c = NULL;
                _cleanup_free_ char *json = NULL;

                ASSERT_TRUE(asprintf(&json,
                                     "{'ociVersion': '1.2.0', 'root': {'path': 'r'}, 'linux': {'intelRdt': %s}}",
                                     table[i].rdt) > 0);
                c = parse_ok(json);
                ASSERT_TRUE(c->linux_section->intel_rdt.set);
                ASSERT_EQ(c->linux_section->intel_rdt.enable_monitoring, table[i].expected);
        }
}

TEST(integer_limits) {
        /* The extremes of each integer kind parse; one beyond is refused (see the error table). */
        _cleanup_oci_config_ OciConfig *c = parse_ok(
                "{'ociVersion': '1.2.0', 'root': {'path': 'r'},"
                " 'process': {'cwd': '/', 'args': ['a'], 'user': {'uid': 4294967295, 'gid': 0},"
                "             'oomScoreAdj': -2147483648,"
                "             'scheduler': {'policy': 'SCHED_OTHER', 'nice': 2147483647,"
                "                           'runtime': 18446744073709551615},"
                "             'rlimits': [{'type': 'RLIMIT_AS', 'soft': 0, 'hard': 9223372036854775808}]},"
                " 'linux': {'timeOffsets': {'boottime': {'secs': -9223372036854775808},"
                "                           'monotonic': {'secs': 9223372036854775807}},"
                "           'resources': {'memory': {'limit': 9223372036854775807, 'swap': -9223372036854775808},"
                "                         'blockIO': {'weight': 0, 'leafWeight': 65535}}}}");

        ASSERT_EQ_U64(c->process->user.uid, UINT32_MAX);
        ASSERT_EQ(c->process->oom_score_adj.value, INT32_MIN);
        ASSERT_EQ(c->process->scheduler.nice.value, INT32_MAX);
        ASSERT_EQ_U64(c->process->scheduler.runtime.value, UINT64_MAX);
        ASSERT_EQ_U64(c->process->rlimits[0].hard, UINT64_C(9223372036854775808));
        ASSERT_TRUE(c->linux_section->time_offset_boottime.secs == INT64_MIN);
        ASSERT_TRUE(c->linux_section->time_offset_monotonic.secs == INT64_MAX);
        ASSERT_TRUE(c->linux_section->resources->memory.limit.value == INT64_MAX);
        ASSERT_TRUE(c->linux_section->resources->memory.swap.value == INT64_MIN);
        ASSERT_EQ_U64(c->linux_section->resources->block_io.weight.value, 0);
        ASSERT_EQ_U64(c->linux_section->resources->block_io.leaf_weight.value, 65535);
}

TEST(member_names_case_insensitive) {
        /* As Go's encoding/json reads runc's config: runc's update.bats writes resources.CPU.Cpus. */
        _cleanup_oci_config_ OciConfig *c = parse_ok(
                "{'ociVersion': '1.2.0', 'Root': {'path': 'rootfs'}, 'PROCESS': {'cwd': '/', 'ARGS': ['sh']},"
                " 'linux': {'resources': {'CPU': {'Cpus': '0', 'MEMS': '0-1'}}}}");
        /* Every spelling counts, in document order: objects merge, the last scalar wins. */
        _cleanup_oci_config_ OciConfig *merged = parse_ok(
                "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, 'hostname': 'a', 'HOSTNAME': 'b',"
                " 'linux': {'resources': {'cpu': {'shares': 100, 'cpus': '1'}, 'CPU': {'Cpus': '0', 'mems': '0'},"
                "                         'Cpu': {'cpus': '3'}}}}");
        /* An object after a scalar starts afresh (Go would have refused the scalar). */
        _cleanup_oci_config_ OciConfig *after = parse_ok(
                "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, 'Root': {'readonly': true}}");

        ASSERT_STREQ(c->root_path, "rootfs");
        ASSERT_STREQ(c->process->args[0], "sh");
        ASSERT_STREQ(c->linux_section->resources->cpu.cpus, "0");
        ASSERT_STREQ(c->linux_section->resources->cpu.mems, "0-1");
        ASSERT_STREQ(merged->hostname, "b");
        ASSERT_EQ_U64(merged->linux_section->resources->cpu.shares.value, 100);
        ASSERT_STREQ(merged->linux_section->resources->cpu.cpus, "3");
        ASSERT_STREQ(merged->linux_section->resources->cpu.mems, "0");
        ASSERT_STREQ(after->root_path, "rootfs");
        ASSERT_TRUE(after->root_readonly);
}

DEFINE_TEST_MAIN();
