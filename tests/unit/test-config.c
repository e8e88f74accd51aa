/* SPDX-License-Identifier: Apache-2.0 */
#include <sched.h>
#include <sys/resource.h>

#include "config-fixtures.h"

TEST(runc_spec) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        const OciProcess *p;
        const OciLinux *l;

        ASSERT_OK(oci_config_parse_string(runc_spec, &c, &e));
        ASSERT_NULL(e.msg);

        ASSERT_STREQ(c->oci_version, "1.0.2-dev");
        ASSERT_STREQ(c->root_path, "rootfs");
        ASSERT_TRUE(c->root_readonly);
        ASSERT_STREQ(c->hostname, "runc");
        ASSERT_NULL(c->domainname);
        ASSERT_NULL(c->annotations);
        for (HookKind k = 0; k < _HOOK_KIND_MAX; k++) {
                ASSERT_EQ(c->n_hooks[k], 0);
                ASSERT_NULL(c->hooks[k]);
        }

        p = c->process;
        ASSERT_NOT_NULL(p);
        ASSERT_TRUE(p->terminal);
        ASSERT_FALSE(p->has_console_size);
        ASSERT_EQ(p->user.uid, 0);
        ASSERT_EQ(p->user.gid, 0);
        ASSERT_FALSE(p->user.umask.set);
        ASSERT_EQ(p->user.n_additional_gids, 0);
        ASSERT_NULL(p->user.additional_gids);
        ASSERT_NULL(p->user.username);
        ASSERT_STRV(p->args, "sh");
        ASSERT_STRV(p->env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "TERM=xterm");
        ASSERT_STREQ(p->cwd, "/");
        ASSERT_NOT_NULL(p->capabilities);
        ASSERT_STRV(p->capabilities->bounding, "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        ASSERT_STRV(p->capabilities->effective, "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        ASSERT_NULL(p->capabilities->inheritable);
        ASSERT_STRV(p->capabilities->permitted, "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        ASSERT_STRV(p->capabilities->ambient, "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        ASSERT_EQ(p->n_rlimits, 1);
        ASSERT_STREQ(p->rlimits[0].type, "RLIMIT_NOFILE");
        ASSERT_EQ(p->rlimits[0].resource, RLIMIT_NOFILE);
        ASSERT_EQ_U64(p->rlimits[0].soft, 1024);
        ASSERT_EQ_U64(p->rlimits[0].hard, 1024);
        ASSERT_TRUE(p->no_new_privileges);
        ASSERT_NULL(p->apparmor_profile);
        ASSERT_FALSE(p->oom_score_adj.set);
        ASSERT_NULL(p->selinux_label);
        ASSERT_FALSE(p->io_priority.set);
        ASSERT_FALSE(p->scheduler.set);
        ASSERT_NULL(p->exec_cpu_affinity_initial);
        ASSERT_NULL(p->exec_cpu_affinity_final);

        ASSERT_EQ(c->n_mounts, 7);
        ASSERT_STREQ(c->mounts[0].destination, "/proc");
        ASSERT_STREQ(c->mounts[0].type, "proc");
        ASSERT_STREQ(c->mounts[0].source, "proc");
        ASSERT_NULL(c->mounts[0].options);
        ASSERT_STREQ(c->mounts[2].destination, "/dev/pts");
        ASSERT_STRV(c->mounts[2].options, "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
                    "gid=5");
        ASSERT_STREQ(c->mounts[6].destination, "/sys/fs/cgroup");
        ASSERT_STREQ(c->mounts[6].type, "cgroup");
        ASSERT_STRV(c->mounts[6].options, "nosuid", "noexec", "nodev", "relatime", "ro");
        for (size_t i = 0; i < c->n_mounts; i++) {
                ASSERT_EQ(c->mounts[i].n_uid_mappings, 0);
                ASSERT_EQ(c->mounts[i].n_gid_mappings, 0);
        }

        l = c->linux_section;
        ASSERT_NOT_NULL(l);
        ASSERT_NOT_NULL(l->resources);
        ASSERT_EQ(l->resources->n_devices, 1);
        ASSERT_FALSE(l->resources->devices[0].allow);
        ASSERT_EQ(l->resources->devices[0].type, 'a');
        ASSERT_EQ(l->resources->devices[0].major, -1);
        ASSERT_EQ(l->resources->devices[0].minor, -1);
        ASSERT_STREQ(l->resources->devices[0].access, "rwm");
        ASSERT_FALSE(l->resources->has_memory);
        ASSERT_FALSE(l->resources->has_cpu);
        ASSERT_FALSE(l->resources->has_pids);
        ASSERT_FALSE(l->resources->has_block_io);
        ASSERT_FALSE(l->resources->has_network);
        ASSERT_NULL(l->resources->unified);
        ASSERT_EQ(l->n_namespaces, 5);
        ASSERT_EQ(l->namespaces[0].type, NAMESPACE_PID);
        ASSERT_EQ(l->namespaces[1].type, NAMESPACE_NETWORK);
        ASSERT_EQ(l->namespaces[2].type, NAMESPACE_IPC);
        ASSERT_EQ(l->namespaces[3].type, NAMESPACE_UTS);
        ASSERT_EQ(l->namespaces[4].type, NAMESPACE_MOUNT);
        for (size_t i = 0; i < l->n_namespaces; i++)
                ASSERT_NULL(l->namespaces[i].path);
        ASSERT_STRV(l->masked_paths, "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                    "/sys/firmware", "/proc/scsi");
        ASSERT_STRV(l->readonly_paths, "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                    "/proc/sysrq-trigger");
        ASSERT_EQ(l->n_uid_mappings, 0);
        ASSERT_EQ(l->n_devices, 0);
        ASSERT_NULL(l->cgroups_path);
        ASSERT_FALSE(l->intel_rdt.set);
        ASSERT_NULL(l->sysctl);
        ASSERT_NULL(l->seccomp);
        ASSERT_NULL(l->rootfs_propagation);
        ASSERT_FALSE(l->personality.set);
        ASSERT_FALSE(l->time_offset_boottime.set);

        ASSERT_NOT_NULL(oci_config_find_namespace(c, NAMESPACE_MOUNT));
        ASSERT_TRUE(oci_config_find_namespace(c, NAMESPACE_MOUNT) == &l->namespaces[4]);
        ASSERT_NULL(oci_config_find_namespace(c, NAMESPACE_USER));
        ASSERT_NULL(oci_config_find_namespace(c, NAMESPACE_TIME));
        ASSERT_NULL(oci_config_find_namespace(NULL, NAMESPACE_PID));
}

#define FULL_PROCESS \
        "{'terminal': true," \
        " 'consoleSize': {'height': 25, 'width': 80}," \
        " 'user': {'uid': 1000, 'gid': 1001, 'umask': 18, 'additionalGids': [5, 6, 4294967295]," \
        "          'username': 'alice'}," \
        " 'args': ['/bin/sh', '-c', 'echo hi']," \
        " 'env': ['PATH=/usr/bin', 'TERM=xterm']," \
        " 'cwd': '/home/alice'," \
        " 'capabilities': {'bounding': ['CAP_CHOWN', 'CAP_KILL']," \
        "                  'effective': ['CAP_KILL']," \
        "                  'inheritable': []," \
        "                  'permitted': ['CAP_KILL', 'CAP_FROM_THE_FUTURE']," \
        "                  'ambient': ['CAP_KILL']}," \
        " 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1024, 'hard': 4096}," \
        "             {'type': 'RLIMIT_CORE', 'soft': 18446744073709551615, 'hard': 18446744073709551615}]," \
        " 'noNewPrivileges': true," \
        " 'apparmorProfile': 'acme_secure_profile'," \
        " 'oomScoreAdj': -500," \
        " 'selinuxLabel': 'system_u:system_r:svirt_lxc_net_t:s0:c124,c675'," \
        " 'ioPriority': {'class': 'IOPRIO_CLASS_RT', 'priority': 4}," \
        " 'scheduler': {'policy': 'SCHED_DEADLINE', 'nice': -5, 'priority': 10," \
        "               'flags': ['SCHED_FLAG_RESET_ON_FORK', 'SCHED_FLAG_RECLAIM']," \
        "               'runtime': 10000000, 'deadline': 20000000, 'period': 30000000}," \
        " 'execCPUAffinity': {'initial': '7', 'final': '0-3,7'}}"

#define FULL_RESOURCES \
        "{'devices': [{'allow': false, 'access': 'rwm'}," \
        "             {'allow': true, 'type': 'c', 'major': 10, 'minor': 229, 'access': 'rw'}," \
        "             {'allow': true, 'type': 'b', 'major': 8}]," \
        " 'memory': {'limit': 536870912, 'reservation': 268435456, 'swap': -1, 'kernel': -1," \
        "            'kernelTCP': 0, 'swappiness': 0, 'disableOOMKiller': false, 'useHierarchy': true," \
        "            'checkBeforeUpdate': true}," \
        " 'cpu': {'shares': 1024, 'quota': -9223372036854775808, 'burst': 1000, 'period': 100000," \
        "         'realtimeRuntime': 950000, 'realtimePeriod': 1000000, 'cpus': '2-3', 'mems': '0-7'," \
        "         'idle': 1}," \
        " 'pids': {'limit': 32771}," \
        " 'blockIO': {'weight': 10, 'leafWeight': 65535," \
        "             'weightDevice': [{'major': 8, 'minor': 0, 'weight': 500, 'leafWeight': 300}," \
        "                              {'major': 8, 'minor': 16, 'weight': 500}," \
        "                              {'major': 8, 'minor': 32, 'leafWeight': 7}]," \
        "             'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': 600}]," \
        "             'throttleWriteBpsDevice': [{'major': 8, 'minor': 16, 'rate': 18446744073709551615}]," \
        "             'throttleReadIOPSDevice': [{'major': 8, 'minor': 0, 'rate': 300}," \
        "                                        {'major': 8, 'minor': 16, 'rate': 301}]," \
        "             'throttleWriteIOPSDevice': [{'major': 259, 'minor': 1, 'rate': 0}]}," \
        " 'hugepageLimits': [{'pageSize': '2MB', 'limit': 209715200}, {'pageSize': '64KB', 'limit': 1000000}]," \
        " 'network': {'classID': 1048577," \
        "             'priorities': [{'name': 'eth0', 'priority': 500}, {'name': 'eth1', 'priority': 1000}]}," \
        " 'rdma': {'mlx5_1': {'hcaHandles': 3, 'hcaObjects': 10000}, 'mlx4_0': {'hcaObjects': 1000}}," \
        " 'unified': {'io.weight': '10', 'memory.high': 'max'}}"

/* Every section the parser knows, each field with a distinct value. */
static const char full_config[] =
        "{'ociVersion': '1.2.0',"
        " 'root': {'path': '/var/lib/box/rootfs', 'readonly': false},"
        " 'process': " FULL_PROCESS ","
        " 'hostname': 'box',"
        " 'domainname': 'example.test',"
        " 'mounts': ["
        "  {'destination': '/proc', 'type': 'proc', 'source': 'proc'},"
        "  {'destination': '/data', 'type': 'none', 'source': '/srv/data', 'options': ['rbind', 'ro', 'idmap'],"
        "   'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],"
        "   'gidMappings': [{'containerID': 0, 'hostID': 200000, 'size': 1000},"
        "                   {'containerID': 1000, 'hostID': 4294967294, 'size': 2}]}"
        " ],"
        " 'hooks': {"
        "  'prestart': [{'path': '/usr/bin/fix-mounts', 'args': ['fix-mounts', 'arg1'],"
        "                'env': ['key1=value1']}],"
        "  'createRuntime': [{'path': '/usr/bin/netns-setup', 'timeout': 5}],"
        "  'createContainer': [{'path': '/usr/bin/mount-hook', 'args': ['mount-hook', '-x']}],"
        "  'startContainer': [{'path': '/usr/bin/refresh-ldcache'}],"
        "  'poststart': [{'path': '/usr/bin/notify-start', 'timeout': 2147483647}],"
        "  'poststop': [{'path': '/usr/sbin/cleanup.sh', 'args': ['cleanup.sh', '-f']},"
        "               {'path': '/bin/true'}]"
        " },"
        " 'annotations': {'com.example.b': 'second', 'com.example.a': 'first', 'com.example.empty': ''},"
        " 'linux': {"
        "  'namespaces': [{'type': 'pid'}, {'type': 'network', 'path': '/var/run/netns/neta'},"
        "                 {'type': 'mount'}, {'type': 'ipc'}, {'type': 'uts'}, {'type': 'user'},"
        "                 {'type': 'cgroup'}, {'type': 'time'}],"
        "  'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 32000}],"
        "  'gidMappings': [{'containerID': 0, 'hostID': 2000, 'size': 1},"
        "                  {'containerID': 1, 'hostID': 3000, 'size': 10}],"
        "  'timeOffsets': {'boottime': {'secs': -3600, 'nanosecs': 999999999},"
        "                  'monotonic': {'secs': 86400}},"
        "  'devices': [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229,"
        "               'fileMode': 438, 'uid': 0, 'gid': 5},"
        "              {'path': '/dev/sda', 'type': 'b', 'major': 8, 'minor': 0},"
        "              {'path': '/dev/myfifo', 'type': 'p'},"
        "              {'path': '/dev/ttyS9', 'type': 'u', 'major': 4, 'minor': 73}],"
        "  'cgroupsPath': '/myRuntime/myContainer',"
        "  'resources': " FULL_RESOURCES ","
        "  'intelRdt': {'closID': 'guaranteed_group', 'l3CacheSchema': 'L3:0=7f0;1=1f',"
        "               'memBwSchema': 'MB:0=20;1=70', 'schemata': ['L2:0=ff;1=ff', 'L3:0=7f0'],"
        "               'enableMBM': false, 'enableCMT': true},"
        "  'sysctl': {'net.ipv4.ip_forward': '1', 'net.core.somaxconn': '256'},"
        "  'seccomp': {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1,"
        "              'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],"
        "              'flags': ['SECCOMP_FILTER_FLAG_LOG'],"
        "              'listenerPath': '/run/seccomp-agent.socket', 'listenerMetadata': 'meta',"
        "              'syscalls': [{'names': ['getcwd', 'chmod'], 'action': 'SCMP_ACT_ALLOW'},"
        "                           {'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 38,"
        "                            'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_EQ'},"
        "                                     {'index': 5, 'value': 18446744073709551615, 'valueTwo': 4,"
        "                                      'op': 'SCMP_CMP_MASKED_EQ'}]},"
        "                           {'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'},"
        "                           {'names': ['ptrace'], 'action': 'SCMP_ACT_TRACE', 'errnoRet': 0}]},"
        "  'rootfsPropagation': 'rslave',"
        "  'maskedPaths': ['/proc/kcore', '/sys/firmware'],"
        "  'readonlyPaths': ['/proc/sys'],"
        "  'mountLabel': 'system_u:object_r:svirt_sandbox_file_t:s0:c715,c811',"
        "  'personality': {'domain': 'LINUX32', 'flags': []}"
        " }"
        "}";

static void check_full_process(const OciProcess *p) {
        ASSERT_NOT_NULL(p);
        ASSERT_TRUE(p->terminal);
        ASSERT_TRUE(p->has_console_size);
        ASSERT_EQ(p->console_height, 25);
        ASSERT_EQ(p->console_width, 80);
        ASSERT_EQ(p->user.uid, 1000);
        ASSERT_EQ(p->user.gid, 1001);
        ASSERT_TRUE(p->user.umask.set);
        ASSERT_EQ_U64(p->user.umask.value, 18);
        ASSERT_EQ(p->user.n_additional_gids, 3);
        ASSERT_EQ(p->user.additional_gids[0], 5);
        ASSERT_EQ(p->user.additional_gids[1], 6);
        ASSERT_EQ_U64(p->user.additional_gids[2], UINT32_MAX);
        ASSERT_STREQ(p->user.username, "alice");
        ASSERT_STRV(p->args, "/bin/sh", "-c", "echo hi");
        ASSERT_STRV(p->env, "PATH=/usr/bin", "TERM=xterm");
        ASSERT_STREQ(p->cwd, "/home/alice");
        ASSERT_NOT_NULL(p->capabilities);
        ASSERT_STRV(p->capabilities->bounding, "CAP_CHOWN", "CAP_KILL");
        ASSERT_STRV(p->capabilities->effective, "CAP_KILL");
        ASSERT_STRV_EMPTY(p->capabilities->inheritable); /* present but empty: not NULL */
        ASSERT_STRV(p->capabilities->permitted, "CAP_KILL", "CAP_FROM_THE_FUTURE");
        ASSERT_STRV(p->capabilities->ambient, "CAP_KILL");
        ASSERT_EQ(p->n_rlimits, 2);
        ASSERT_STREQ(p->rlimits[0].type, "RLIMIT_NOFILE");
        ASSERT_EQ(p->rlimits[0].resource, RLIMIT_NOFILE);
        ASSERT_EQ_U64(p->rlimits[0].soft, 1024);
        ASSERT_EQ_U64(p->rlimits[0].hard, 4096);
        ASSERT_STREQ(p->rlimits[1].type, "RLIMIT_CORE");
        ASSERT_EQ(p->rlimits[1].resource, RLIMIT_CORE);
        ASSERT_EQ_U64(p->rlimits[1].soft, UINT64_MAX);
        ASSERT_EQ_U64(p->rlimits[1].hard, UINT64_MAX);
        ASSERT_TRUE(p->no_new_privileges);
        ASSERT_STREQ(p->apparmor_profile, "acme_secure_profile");
        ASSERT_TRUE(p->oom_score_adj.set);
        ASSERT_EQ(p->oom_score_adj.value, -500);
        ASSERT_STREQ(p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
        ASSERT_TRUE(p->io_priority.set);
        ASSERT_STREQ(p->io_priority.class, "IOPRIO_CLASS_RT");
        ASSERT_EQ(p->io_priority.priority, 4);
        ASSERT_TRUE(p->scheduler.set);
        ASSERT_STREQ(p->scheduler.policy, "SCHED_DEADLINE");
        ASSERT_TRUE(p->scheduler.nice.set);
        ASSERT_EQ(p->scheduler.nice.value, -5);
        ASSERT_TRUE(p->scheduler.priority.set);
        ASSERT_EQ(p->scheduler.priority.value, 10);
        ASSERT_STRV(p->scheduler.flags, "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM");
        ASSERT_TRUE(p->scheduler.runtime.set);
        ASSERT_EQ_U64(p->scheduler.runtime.value, 10000000);
        ASSERT_TRUE(p->scheduler.deadline.set);
        ASSERT_EQ_U64(p->scheduler.deadline.value, 20000000);
        ASSERT_TRUE(p->scheduler.period.set);
        ASSERT_EQ_U64(p->scheduler.period.value, 30000000);
        ASSERT_STREQ(p->exec_cpu_affinity_initial, "7");
        ASSERT_STREQ(p->exec_cpu_affinity_final, "0-3,7");
}

static void check_full_resources(const OciResources *r) {
        ASSERT_NOT_NULL(r);
        ASSERT_EQ(r->n_devices, 3);
        ASSERT_FALSE(r->devices[0].allow);
        ASSERT_EQ(r->devices[0].type, 'a');
        ASSERT_EQ(r->devices[0].major, -1);
        ASSERT_EQ(r->devices[0].minor, -1);
        ASSERT_STREQ(r->devices[0].access, "rwm");
        ASSERT_TRUE(r->devices[1].allow);
        ASSERT_EQ(r->devices[1].type, 'c');
        ASSERT_EQ(r->devices[1].major, 10);
        ASSERT_EQ(r->devices[1].minor, 229);
        ASSERT_STREQ(r->devices[1].access, "rw");
        ASSERT_TRUE(r->devices[2].allow);
        ASSERT_EQ(r->devices[2].type, 'b');
        ASSERT_EQ(r->devices[2].major, 8);
        ASSERT_EQ(r->devices[2].minor, -1);
        ASSERT_NULL(r->devices[2].access);

        ASSERT_TRUE(r->has_memory);
        ASSERT_TRUE(r->memory.limit.set);
        ASSERT_EQ(r->memory.limit.value, 536870912);
        ASSERT_TRUE(r->memory.reservation.set);
        ASSERT_EQ(r->memory.reservation.value, 268435456);
        ASSERT_TRUE(r->memory.swap.set);
        ASSERT_EQ(r->memory.swap.value, -1);
        ASSERT_TRUE(r->memory.kernel.set);
        ASSERT_EQ(r->memory.kernel.value, -1);
        ASSERT_TRUE(r->memory.kernel_tcp.set);
        ASSERT_EQ(r->memory.kernel_tcp.value, 0);
        ASSERT_TRUE(r->memory.swappiness.set);
        ASSERT_EQ_U64(r->memory.swappiness.value, 0);
        ASSERT_TRUE(r->memory.disable_oom_killer.set);
        ASSERT_FALSE(r->memory.disable_oom_killer.value);
        ASSERT_TRUE(r->memory.use_hierarchy.set);
        ASSERT_TRUE(r->memory.use_hierarchy.value);
        ASSERT_TRUE(r->memory.check_before_update.set);
        ASSERT_TRUE(r->memory.check_before_update.value);

        ASSERT_TRUE(r->has_cpu);
        ASSERT_TRUE(r->cpu.shares.set);
        ASSERT_EQ_U64(r->cpu.shares.value, 1024);
        ASSERT_TRUE(r->cpu.quota.set);
        ASSERT_TRUE(r->cpu.quota.value == INT64_MIN);
        ASSERT_EQ_U64(r->cpu.burst.value, 1000);
        ASSERT_EQ_U64(r->cpu.period.value, 100000);
        ASSERT_EQ(r->cpu.realtime_runtime.value, 950000);
        ASSERT_EQ_U64(r->cpu.realtime_period.value, 1000000);
        ASSERT_STREQ(r->cpu.cpus, "2-3");
        ASSERT_STREQ(r->cpu.mems, "0-7");
        ASSERT_TRUE(r->cpu.idle.set);
        ASSERT_EQ(r->cpu.idle.value, 1);

        ASSERT_TRUE(r->has_pids);
        ASSERT_TRUE(r->pids_limit.set);
        ASSERT_EQ(r->pids_limit.value, 32771);

        ASSERT_TRUE(r->has_block_io);
        ASSERT_TRUE(r->block_io.weight.set);
        ASSERT_EQ_U64(r->block_io.weight.value, 10);
        ASSERT_EQ_U64(r->block_io.leaf_weight.value, 65535);
        ASSERT_EQ(r->block_io.n_weight_devices, 3);
        ASSERT_EQ(r->block_io.weight_devices[0].major, 8);
        ASSERT_EQ(r->block_io.weight_devices[0].minor, 0);
        ASSERT_EQ_U64(r->block_io.weight_devices[0].weight.value, 500);
        ASSERT_EQ_U64(r->block_io.weight_devices[0].leaf_weight.value, 300);
        ASSERT_EQ(r->block_io.weight_devices[1].minor, 16);
        ASSERT_TRUE(r->block_io.weight_devices[1].weight.set);
        ASSERT_FALSE(r->block_io.weight_devices[1].leaf_weight.set);
        ASSERT_FALSE(r->block_io.weight_devices[2].weight.set);
        ASSERT_EQ_U64(r->block_io.weight_devices[2].leaf_weight.value, 7);
        ASSERT_EQ(r->block_io.n_throttle[THROTTLE_READ_BPS], 1);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_READ_BPS][0].major, 8);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_READ_BPS][0].minor, 0);
        ASSERT_EQ_U64(r->block_io.throttle[THROTTLE_READ_BPS][0].rate, 600);
        ASSERT_EQ(r->block_io.n_throttle[THROTTLE_WRITE_BPS], 1);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_WRITE_BPS][0].minor, 16);
        ASSERT_EQ_U64(r->block_io.throttle[THROTTLE_WRITE_BPS][0].rate, UINT64_MAX);
        ASSERT_EQ(r->block_io.n_throttle[THROTTLE_READ_IOPS], 2);
        ASSERT_EQ_U64(r->block_io.throttle[THROTTLE_READ_IOPS][0].rate, 300);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_READ_IOPS][1].minor, 16);
        ASSERT_EQ_U64(r->block_io.throttle[THROTTLE_READ_IOPS][1].rate, 301);
        ASSERT_EQ(r->block_io.n_throttle[THROTTLE_WRITE_IOPS], 1);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_WRITE_IOPS][0].major, 259);
        ASSERT_EQ(r->block_io.throttle[THROTTLE_WRITE_IOPS][0].minor, 1);
        ASSERT_EQ_U64(r->block_io.throttle[THROTTLE_WRITE_IOPS][0].rate, 0);

        ASSERT_EQ(r->n_hugepage_limits, 2);
        ASSERT_STREQ(r->hugepage_limits[0].page_size, "2MB");
        ASSERT_EQ_U64(r->hugepage_limits[0].limit, 209715200);
        ASSERT_STREQ(r->hugepage_limits[1].page_size, "64KB");
        ASSERT_EQ_U64(r->hugepage_limits[1].limit, 1000000);

        ASSERT_TRUE(r->has_network);
        ASSERT_TRUE(r->network_class_id.set);
        ASSERT_EQ_U64(r->network_class_id.value, 1048577);
        ASSERT_EQ(r->n_network_priorities, 2);
        ASSERT_STREQ(r->network_priorities[0].name, "eth0");
        ASSERT_EQ(r->network_priorities[0].priority, 500);
        ASSERT_STREQ(r->network_priorities[1].name, "eth1");
        ASSERT_EQ(r->network_priorities[1].priority, 1000);

        ASSERT_EQ(r->n_rdma, 2);
        ASSERT_STREQ(r->rdma[0].device, "mlx5_1");
        ASSERT_TRUE(r->rdma[0].hca_handles.set);
        ASSERT_EQ_U64(r->rdma[0].hca_handles.value, 3);
        ASSERT_EQ_U64(r->rdma[0].hca_objects.value, 10000);
        ASSERT_STREQ(r->rdma[1].device, "mlx4_0");
        ASSERT_FALSE(r->rdma[1].hca_handles.set);
        ASSERT_TRUE(r->rdma[1].hca_objects.set);
        ASSERT_EQ_U64(r->rdma[1].hca_objects.value, 1000);

        ASSERT_STRV(r->unified, "io.weight", "10", "memory.high", "max");
}

TEST(full_config) {
        _cleanup_oci_config_ OciConfig *c = parse_ok(full_config);
        const OciLinux *l;
        const OciSeccomp *s;

        ASSERT_STREQ(c->oci_version, "1.2.0");
        ASSERT_STREQ(c->root_path, "/var/lib/box/rootfs");
        ASSERT_FALSE(c->root_readonly);
        check_full_process(c->process);
        ASSERT_STREQ(c->hostname, "box");
        ASSERT_STREQ(c->domainname, "example.test");

        ASSERT_EQ(c->n_mounts, 2);
        ASSERT_STREQ(c->mounts[0].destination, "/proc");
        ASSERT_STREQ(c->mounts[0].type, "proc");
        ASSERT_STREQ(c->mounts[0].source, "proc");
        ASSERT_NULL(c->mounts[0].options);
        ASSERT_EQ(c->mounts[0].n_uid_mappings, 0);
        ASSERT_NULL(c->mounts[0].uid_mappings);
        ASSERT_STREQ(c->mounts[1].destination, "/data");
        ASSERT_STREQ(c->mounts[1].type, "none");
        ASSERT_STREQ(c->mounts[1].source, "/srv/data");
        ASSERT_STRV(c->mounts[1].options, "rbind", "ro", "idmap");
        ASSERT_EQ(c->mounts[1].n_uid_mappings, 1);
        ASSERT_EQ(c->mounts[1].uid_mappings[0].container_id, 0);
        ASSERT_EQ(c->mounts[1].uid_mappings[0].host_id, 100000);
        ASSERT_EQ(c->mounts[1].uid_mappings[0].size, 65536);
        ASSERT_EQ(c->mounts[1].n_gid_mappings, 2);
        ASSERT_EQ(c->mounts[1].gid_mappings[0].host_id, 200000);
        ASSERT_EQ(c->mounts[1].gid_mappings[0].size, 1000);
        ASSERT_EQ(c->mounts[1].gid_mappings[1].container_id, 1000);
        ASSERT_EQ_U64(c->mounts[1].gid_mappings[1].host_id, 4294967294U);
        ASSERT_EQ(c->mounts[1].gid_mappings[1].size, 2);

        for (HookKind k = 0; k < _HOOK_KIND_MAX; k++)
                ASSERT_EQ(c->n_hooks[k], k == HOOK_POSTSTOP ? 2 : 1);
        ASSERT_STREQ(c->hooks[HOOK_PRESTART][0].path, "/usr/bin/fix-mounts");
        ASSERT_STRV(c->hooks[HOOK_PRESTART][0].args, "fix-mounts", "arg1");
        ASSERT_STRV(c->hooks[HOOK_PRESTART][0].env, "key1=value1");
        ASSERT_FALSE(c->hooks[HOOK_PRESTART][0].timeout.set);
        ASSERT_STREQ(c->hooks[HOOK_CREATE_RUNTIME][0].path, "/usr/bin/netns-setup");
        ASSERT_NULL(c->hooks[HOOK_CREATE_RUNTIME][0].args);
        ASSERT_TRUE(c->hooks[HOOK_CREATE_RUNTIME][0].timeout.set);
        ASSERT_EQ(c->hooks[HOOK_CREATE_RUNTIME][0].timeout.value, 5);
        ASSERT_STREQ(c->hooks[HOOK_CREATE_CONTAINER][0].path, "/usr/bin/mount-hook");
        ASSERT_STRV(c->hooks[HOOK_CREATE_CONTAINER][0].args, "mount-hook", "-x");
        ASSERT_STREQ(c->hooks[HOOK_START_CONTAINER][0].path, "/usr/bin/refresh-ldcache");
        ASSERT_STREQ(c->hooks[HOOK_POSTSTART][0].path, "/usr/bin/notify-start");
        ASSERT_EQ(c->hooks[HOOK_POSTSTART][0].timeout.value, 2147483647);
        ASSERT_STREQ(c->hooks[HOOK_POSTSTOP][0].path, "/usr/sbin/cleanup.sh");
        ASSERT_STRV(c->hooks[HOOK_POSTSTOP][0].args, "cleanup.sh", "-f");
        ASSERT_STREQ(c->hooks[HOOK_POSTSTOP][1].path, "/bin/true");
        ASSERT_NULL(c->hooks[HOOK_POSTSTOP][1].env);

        /* File order, not sorted. */
        ASSERT_STRV(c->annotations, "com.example.b", "second", "com.example.a", "first", "com.example.empty",
                    "");
        ASSERT_STREQ(strv_pairs_get(c->annotations, "com.example.a"), "first");

        l = c->linux_section;
        ASSERT_NOT_NULL(l);
        ASSERT_EQ(l->n_namespaces, 8);
        for (NamespaceType t = 0; t < _NAMESPACE_TYPE_MAX; t++) {
                ASSERT_EQ(l->namespaces[t].type, t);
                if (t == NAMESPACE_NETWORK)
                        ASSERT_STREQ(l->namespaces[t].path, "/var/run/netns/neta");
                else
                        ASSERT_NULL(l->namespaces[t].path);
                ASSERT_TRUE(oci_config_find_namespace(c, t) == &l->namespaces[t]);
        }
        ASSERT_EQ(l->n_uid_mappings, 1);
        ASSERT_EQ(l->uid_mappings[0].container_id, 0);
        ASSERT_EQ(l->uid_mappings[0].host_id, 1000);
        ASSERT_EQ(l->uid_mappings[0].size, 32000);
        ASSERT_EQ(l->n_gid_mappings, 2);
        ASSERT_EQ(l->gid_mappings[0].host_id, 2000);
        ASSERT_EQ(l->gid_mappings[0].size, 1);
        ASSERT_EQ(l->gid_mappings[1].container_id, 1);
        ASSERT_EQ(l->gid_mappings[1].host_id, 3000);
        ASSERT_EQ(l->gid_mappings[1].size, 10);
        ASSERT_TRUE(l->time_offset_boottime.set);
        ASSERT_EQ(l->time_offset_boottime.secs, -3600);
        ASSERT_EQ(l->time_offset_boottime.nanosecs, 999999999);
        ASSERT_TRUE(l->time_offset_monotonic.set);
        ASSERT_EQ(l->time_offset_monotonic.secs, 86400);
        ASSERT_EQ(l->time_offset_monotonic.nanosecs, 0);

        ASSERT_EQ(l->n_devices, 4);
        ASSERT_STREQ(l->devices[0].path, "/dev/fuse");
        ASSERT_EQ(l->devices[0].type, 'c');
        ASSERT_EQ(l->devices[0].major, 10);
        ASSERT_EQ(l->devices[0].minor, 229);
        ASSERT_TRUE(l->devices[0].file_mode.set);
        ASSERT_EQ_U64(l->devices[0].file_mode.value, 0666);
        ASSERT_TRUE(l->devices[0].uid.set);
        ASSERT_EQ_U64(l->devices[0].uid.value, 0);
        ASSERT_EQ_U64(l->devices[0].gid.value, 5);
        ASSERT_STREQ(l->devices[1].path, "/dev/sda");
        ASSERT_EQ(l->devices[1].type, 'b');
        ASSERT_EQ(l->devices[1].major, 8);
        ASSERT_EQ(l->devices[1].minor, 0);
        ASSERT_FALSE(l->devices[1].file_mode.set);
        ASSERT_FALSE(l->devices[1].uid.set);
        ASSERT_STREQ(l->devices[2].path, "/dev/myfifo");
        ASSERT_EQ(l->devices[2].type, 'p');
        ASSERT_EQ(l->devices[2].major, 0);
        ASSERT_EQ(l->devices[2].minor, 0);
        ASSERT_EQ(l->devices[3].type, 'u');
        ASSERT_EQ(l->devices[3].minor, 73);
        ASSERT_STREQ(l->cgroups_path, "/myRuntime/myContainer");

        check_full_resources(l->resources);

        ASSERT_TRUE(l->intel_rdt.set);
        ASSERT_STREQ(l->intel_rdt.clos_id, "guaranteed_group");
        ASSERT_STREQ(l->intel_rdt.l3_cache_schema, "L3:0=7f0;1=1f");
        ASSERT_STREQ(l->intel_rdt.mem_bw_schema, "MB:0=20;1=70");
        ASSERT_STRV(l->intel_rdt.schemata, "L2:0=ff;1=ff", "L3:0=7f0");
        ASSERT_TRUE(l->intel_rdt.enable_monitoring); /* via enableCMT */

        ASSERT_STRV(l->sysctl, "net.ipv4.ip_forward", "1", "net.core.somaxconn", "256");

        s = l->seccomp;
        ASSERT_NOT_NULL(s);
        ASSERT_EQ(s->default_action, SECCOMP_ACTION_ERRNO);
        ASSERT_TRUE(s->default_errno_ret.set);
        ASSERT_EQ_U64(s->default_errno_ret.value, 1);
        ASSERT_STRV(s->architectures, "SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        ASSERT_STRV(s->flags, "SECCOMP_FILTER_FLAG_LOG");
        ASSERT_STREQ(s->listener_path, "/run/seccomp-agent.socket");
        ASSERT_STREQ(s->listener_metadata, "meta");
        ASSERT_EQ(s->n_syscalls, 4);
        ASSERT_STRV(s->syscalls[0].names, "getcwd", "chmod");
        ASSERT_EQ(s->syscalls[0].action, SECCOMP_ACTION_ALLOW);
        ASSERT_FALSE(s->syscalls[0].errno_ret.set);
        ASSERT_EQ(s->syscalls[0].n_args, 0);
        ASSERT_NULL(s->syscalls[0].args);
        ASSERT_STRV(s->syscalls[1].names, "personality");
        ASSERT_EQ(s->syscalls[1].action, SECCOMP_ACTION_ERRNO);
        ASSERT_TRUE(s->syscalls[1].errno_ret.set);
        ASSERT_EQ_U64(s->syscalls[1].errno_ret.value, 38);
        ASSERT_EQ(s->syscalls[1].n_args, 2);
        ASSERT_EQ(s->syscalls[1].args[0].index, 0);
        ASSERT_EQ_U64(s->syscalls[1].args[0].value, 8);
        ASSERT_EQ_U64(s->syscalls[1].args[0].value_two, 0);
        ASSERT_EQ(s->syscalls[1].args[0].op, SECCOMP_OP_EQ);
        ASSERT_EQ(s->syscalls[1].args[1].index, 5);
        ASSERT_EQ_U64(s->syscalls[1].args[1].value, UINT64_MAX);
        ASSERT_EQ_U64(s->syscalls[1].args[1].value_two, 4);
        ASSERT_EQ(s->syscalls[1].args[1].op, SECCOMP_OP_MASKED_EQ);
        ASSERT_EQ(s->syscalls[2].action, SECCOMP_ACTION_NOTIFY);
        ASSERT_EQ(s->syscalls[3].action, SECCOMP_ACTION_TRACE);
        ASSERT_TRUE(s->syscalls[3].errno_ret.set);
        ASSERT_EQ_U64(s->syscalls[3].errno_ret.value, 0);

        ASSERT_STREQ(l->rootfs_propagation, "rslave");
        ASSERT_STRV(l->masked_paths, "/proc/kcore", "/sys/firmware");
        ASSERT_STRV(l->readonly_paths, "/proc/sys");
        ASSERT_STREQ(l->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
        ASSERT_TRUE(l->personality.set);
        ASSERT_STREQ(l->personality.domain, "LINUX32");
        ASSERT_STRV_EMPTY(l->personality.flags);
}

TEST(process_parse_string) {
        _cleanup_(oci_process_freep) OciProcess *p = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *json = q(FULL_PROCESS);

        ASSERT_OK(oci_process_parse_string(json, &p, &e));
        ASSERT_NULL(e.msg);
        check_full_process(p);
}

TEST(resources_parse_string) {
        _cleanup_(oci_resources_freep) OciResources *r = NULL, *empty = NULL;
        _cleanup_free_ char *json = q(FULL_RESOURCES);
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(oci_resources_parse_string(json, &r, &e));
        ASSERT_NULL(e.msg);
        check_full_resources(r);

        ASSERT_OK(oci_resources_parse_string("{}", &empty, &e));
        ASSERT_EQ(empty->n_devices, 0);
        ASSERT_FALSE(empty->has_memory);
        ASSERT_FALSE(empty->has_cpu);
        ASSERT_FALSE(empty->has_pids);
        ASSERT_FALSE(empty->pids_limit.set);
        ASSERT_NULL(empty->unified);
}

/* runc's device permissions: r, w and m count, other letters are passed over ("rwa" is "rw"). */
TEST(device_access_letters) {
        static const struct {
                const char *access, *kept;
        } table[] = { { "rwa", "rw" }, { "rwm", "rwm" }, { "rwx", "rw" }, { "rw ", "rw" }, { "", "" } };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(oci_resources_freep) OciResources *r = NULL;
                _cleanup_free_ char *json = NULL;
                SysrunError e = SYSRUN_ERROR_NULL;

                ASSERT_TRUE(asprintf(&json, "{\"devices\": [{\"allow\": false, \"type\": \"c\", \"major\": 1, "
                                            "\"minor\": 11, \"access\": \"%s\"}]}", table[i].access) > 0);
                ASSERT_OK(oci_resources_parse_string(json, &r, &e));
                ASSERT_EQ(r->n_devices, 1);
                ASSERT_STREQ(r->devices[0].access, table[i].kept);
        }
}

TEST(device_access_none) {
        _cleanup_(oci_resources_freep) OciResources *r = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;

        /* Nothing left: not the "rwm" that an empty access means. */
        ASSERT_ERROR(oci_resources_parse_string("{\"devices\": [{\"allow\": true, \"access\": \"a\"}]}", &r, &e), EINVAL);
        ASSERT_STREQ(e.msg, "devices[0].access: has none of \"r\", \"w\" and \"m\", got \"a\"");
        sysrun_error_done(&e);
}

DEFINE_TEST_MAIN();
