/* SPDX-License-Identifier: Apache-2.0 */
#include <sched.h>
#include <sys/resource.h>

#include "config.h"
#include "strv.h"
#include "tests.h"

/* The JSON texts below use ' for " so that they stay readable; q() turns them into real JSON. */
static char *q(const char *s) {
        char *t = strdup(s);

        ASSERT_NOT_NULL(t);
        for (char *p = t; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return t;
}

static OciConfig *parse_ok(const char *json_q) {
        _cleanup_free_ char *json = q(json_q);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        int r;

        r = oci_config_parse_string(json, &c, &e);
        if (r < 0)
                fprintf(stderr, "unexpected error: %s\n", e.msg);
        ASSERT_OK(r);
        ASSERT_NULL(e.msg);
        ASSERT_NOT_NULL(c);
        return c;
}

static void assert_strv(char **l, const char *const *expected) {
        size_t n = 0;

        ASSERT_NOT_NULL(l);
        for (; expected[n]; n++)
                ASSERT_STREQ(l[n], expected[n]);
        ASSERT_EQ(strv_length(l), n);
}
#define ASSERT_STRV(l, ...) assert_strv((l), (const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_STRV_EMPTY(l)         \
        do {                         \
                ASSERT_NOT_NULL(l);  \
                ASSERT_NULL((l)[0]); \
        } while (0)

/* `runc spec` of runc 1.1.5, verbatim apart from indentation. */
static const char runc_spec[] =
        "{\n"
        "  \"ociVersion\": \"1.0.2-dev\",\n"
        "  \"process\": {\n"
        "    \"terminal\": true,\n"
        "    \"user\": {\n"
        "      \"uid\": 0,\n"
        "      \"gid\": 0\n"
        "    },\n"
        "    \"args\": [\n"
        "      \"sh\"\n"
        "    ],\n"
        "    \"env\": [\n"
        "      \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
        "      \"TERM=xterm\"\n"
        "    ],\n"
        "    \"cwd\": \"/\",\n"
        "    \"capabilities\": {\n"
        "      \"bounding\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"effective\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"permitted\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"ambient\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ]\n"
        "    },\n"
        "    \"rlimits\": [\n"
        "      {\n"
        "        \"type\": \"RLIMIT_NOFILE\",\n"
        "        \"hard\": 1024,\n"
        "        \"soft\": 1024\n"
        "      }\n"
        "    ],\n"
        "    \"noNewPrivileges\": true\n"
        "  },\n"
        "  \"root\": {\n"
        "    \"path\": \"rootfs\",\n"
        "    \"readonly\": true\n"
        "  },\n"
        "  \"hostname\": \"runc\",\n"
        "  \"mounts\": [\n"
        "    {\n"
        "      \"destination\": \"/proc\",\n"
        "      \"type\": \"proc\",\n"
        "      \"source\": \"proc\"\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev\",\n"
        "      \"type\": \"tmpfs\",\n"
        "      \"source\": \"tmpfs\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"strictatime\",\n"
        "        \"mode=755\",\n"
        "        \"size=65536k\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/pts\",\n"
        "      \"type\": \"devpts\",\n"
        "      \"source\": \"devpts\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"newinstance\",\n"
        "        \"ptmxmode=0666\",\n"
        "        \"mode=0620\",\n"
        "        \"gid=5\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/shm\",\n"
        "      \"type\": \"tmpfs\",\n"
        "      \"source\": \"shm\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"mode=1777\",\n"
        "        \"size=65536k\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/mqueue\",\n"
        "      \"type\": \"mqueue\",\n"
        "      \"source\": \"mqueue\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/sys\",\n"
        "      \"type\": \"sysfs\",\n"
        "      \"source\": \"sysfs\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"ro\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/sys/fs/cgroup\",\n"
        "      \"type\": \"cgroup\",\n"
        "      \"source\": \"cgroup\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"relatime\",\n"
        "        \"ro\"\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"linux\": {\n"
        "    \"resources\": {\n"
        "      \"devices\": [\n"
        "        {\n"
        "          \"allow\": false,\n"
        "          \"access\": \"rwm\"\n"
        "        }\n"
        "      ]\n"
        "    },\n"
        "    \"namespaces\": [\n"
        "      {\n"
        "        \"type\": \"pid\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"network\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"ipc\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"uts\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"mount\"\n"
        "      }\n"
        "    ],\n"
        "    \"maskedPaths\": [\n"
        "      \"/proc/acpi\",\n"
        "      \"/proc/asound\",\n"
        "      \"/proc/kcore\",\n"
        "      \"/proc/keys\",\n"
        "      \"/proc/latency_stats\",\n"
        "      \"/proc/timer_list\",\n"
        "      \"/proc/timer_stats\",\n"
        "      \"/proc/sched_debug\",\n"
        "      \"/sys/firmware\",\n"
        "      \"/proc/scsi\"\n"
        "    ],\n"
        "    \"readonlyPaths\": [\n"
        "      \"/proc/bus\",\n"
        "      \"/proc/fs\",\n"
        "      \"/proc/irq\",\n"
        "      \"/proc/sys\",\n"
        "      \"/proc/sysrq-trigger\"\n"
        "    ]\n"
        "  }\n"
        "}\n";

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

#define CONFIG(...) "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, " __VA_ARGS__ "}"
#define PROCESS(...) \
        CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}, " __VA_ARGS__ "}")
#define LINUX(...) CONFIG("'linux': {" __VA_ARGS__ "}")
#define RESOURCES(...) LINUX("'resources': {" __VA_ARGS__ "}")
#define SECCOMP(...) LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', " __VA_ARGS__ "}")

static const struct {
        const char *json;
        int error;
        const char *message;
} config_errors[] = {
        /* Syntax */
        { "", EINVAL, "invalid JSON: unexpected end of data at line 1, column 1" },
        { "{'ociVersion':\n  '1.2.0',\n  'root': {'path': 'rootfs'},\n}", EINVAL,
          "invalid JSON: unexpected character at line 4, column 1" },
        { "{'ociVersion': '1.2.0'} {}", EINVAL, "invalid JSON: unexpected character at line 1, column 25" },
        { "{'ociVersion': 01}", EINVAL, "invalid JSON: number expected at line 1, column 18" },
        { "{'a': [1, 2}", EINVAL, "invalid JSON: array value separator ',' expected at line 1, column 12" },
        { "{\n'ociVersion': '1.2.0',\n'x': 18446744073709551616}", EINVAL,
          "invalid JSON: integer out of the 64-bit range at line 3, column 6" },
        { "{'x': -9223372036854775809}", EINVAL,
          "invalid JSON: integer out of the 64-bit range at line 1, column 7" },
        { "{'ociVersion': '\xff'}", EINVAL, "invalid JSON: invalid utf-8 string at line 1, column 17" },
        { "[]", EINVAL, "expected a JSON object, got array" },
        { "null", EINVAL, "expected a JSON object, got null" },
        { "'config'", EINVAL, "expected a JSON object, got string" },

        /* Top level */
        { "{}", EINVAL, "ociVersion: missing required field" },
        { "{'ociVersion': null}", EINVAL, "ociVersion: expected a string, got null" },
        { "{'ociVersion': 1.2}", EINVAL, "ociVersion: expected a string, got number" },
        { "{'ociVersion': ''}", EINVAL, "ociVersion: must be a 1.x semantic version such as \"1.2.0\", got \"\"" },
        { "{'ociVersion': 'CAP_SYS_ADMIN'}", EINVAL,
          "ociVersion: must be a 1.x semantic version such as \"1.2.0\", got \"CAP_SYS_ADMIN\"" },
        { "{'ociVersion': '2.0.0'}", EINVAL,
          "ociVersion: must be a 1.x semantic version such as \"1.2.0\", got \"2.0.0\"" },
        { "{'ociVersion': '1.0'}", EINVAL, "ociVersion: must be a 1.x semantic version such as \"1.2.0\", got \"1.0\"" },
        { "{'ociVersion': '1.2.0'}", EINVAL, "root: missing required field" },
        { "{'ociVersion': '1.2.0', 'root': 'rootfs'}", EINVAL, "root: expected an object, got string" },
        { "{'ociVersion': '1.2.0', 'root': {}}", EINVAL, "root.path: missing required field" },
        { "{'ociVersion': '1.2.0', 'root': {'path': ''}}", EINVAL, "root.path: must not be empty" },
        { "{'ociVersion': '1.2.0', 'root': {'path': 'a\\u0000b'}}", EINVAL,
          "root.path: must not contain NUL bytes" },
        { "{'ociVersion': '1.2.0', 'root': {'path': 'r', 'readonly': 'yes'}}", EINVAL,
          "root.readonly: expected a boolean, got string" },
        { CONFIG("'hostname': ['a']"), EINVAL, "hostname: expected a string, got array" },
        { CONFIG("'domainname': false"), EINVAL, "domainname: expected a string, got boolean" },
        { CONFIG("'process': []"), EINVAL, "process: expected an object, got array" },
        { CONFIG("'linux': 'x'"), EINVAL, "linux: expected an object, got string" },

        /* process */
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': 5}"), EINVAL,
          "process.user: expected an object, got number" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'gid': 0}}"), EINVAL,
          "process.user.uid: missing required field" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0}}"), EINVAL,
          "process.user.gid: missing required field" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 'x', 'gid': 0}}"), EINVAL,
          "process.user.uid: expected an unsigned 32-bit integer, got \"x\"" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': -1, 'gid': 0}}"), EINVAL,
          "process.user.uid: expected an unsigned 32-bit integer, got -1" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 4294967296, 'gid': 0}}"), EINVAL,
          "process.user.uid: expected an unsigned 32-bit integer, got 4294967296" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 1.5, 'gid': 0}}"), EINVAL,
          "process.user.uid: expected an unsigned 32-bit integer, got 1.5" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 1e3}}"), EINVAL,
          "process.user.gid: expected an unsigned 32-bit integer, got 1e3" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': true}}"), EINVAL,
          "process.user.gid: expected an unsigned 32-bit integer, got boolean" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0, 'umask': -18}}"),
          EINVAL, "process.user.umask: expected an unsigned 32-bit integer, got -18" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'],"
                 " 'user': {'uid': 0, 'gid': 0, 'additionalGids': [1, '2']}}"),
          EINVAL, "process.user.additionalGids[1]: expected an unsigned 32-bit integer, got \"2\"" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh'],"
                 " 'user': {'uid': 0, 'gid': 0, 'additionalGids': 5}}"),
          EINVAL, "process.user.additionalGids: expected an array, got number" },
        { CONFIG("'process': {'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.cwd: missing required field" },
        { CONFIG("'process': {'cwd': 'rel', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.cwd: must be an absolute path, got \"rel\"" },
        { CONFIG("'process': {'cwd': '', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.cwd: must be an absolute path, got \"\"" },
        { CONFIG("'process': {'cwd': '/', 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.args: missing required field" },
        { CONFIG("'process': {'cwd': '/', 'args': [], 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.args: must not be empty" },
        { CONFIG("'process': {'cwd': '/', 'args': 'sh', 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.args: expected an array, got string" },
        { CONFIG("'process': {'cwd': '/', 'args': ['sh', 1], 'user': {'uid': 0, 'gid': 0}}"), EINVAL,
          "process.args[1]: expected a string, got number" },
        { PROCESS("'env': ['A=1', null]"), EINVAL, "process.env[1]: expected a string, got null" },
        { PROCESS("'terminal': 'true'"), EINVAL, "process.terminal: expected a boolean, got string" },
        { PROCESS("'consoleSize': {'height': 1}"), EINVAL,
          "process.consoleSize.width: missing required field" },
        { PROCESS("'capabilities': {'bounding': ['CAP_KILL', 'chown']}"), EINVAL,
          "process.capabilities.bounding[1]: expected a capability name starting with \"CAP_\", got \"chown\"" },
        { PROCESS("'capabilities': {'ambient': ['CAP_']}"), EINVAL,
          "process.capabilities.ambient[0]: expected a capability name starting with \"CAP_\", got \"CAP_\"" },
        { PROCESS("'capabilities': {'effective': [12]}"), EINVAL,
          "process.capabilities.effective[0]: expected a string, got number" },
        { PROCESS("'capabilities': ['CAP_KILL']"), EINVAL,
          "process.capabilities: expected an object, got array" },
        { PROCESS("'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, 'hard': 1}]"), EINVAL,
          "process.rlimits[0].type: unknown resource limit \"RLIMIT_FOO\"" },
        { PROCESS("'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1}]"), EINVAL,
          "process.rlimits[0].hard: missing required field" },
        { PROCESS("'rlimits': [{'soft': 1, 'hard': 1}]"), EINVAL,
          "process.rlimits[0].type: missing required field" },
        { PROCESS("'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': -1, 'hard': 1}]"), EINVAL,
          "process.rlimits[0].soft: expected an unsigned 64-bit integer, got -1" },
        { PROCESS("'rlimits': [{'type': 'RLIMIT_CPU', 'soft': 1, 'hard': 1},"
                  "            {'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 1},"
                  "            {'type': 'RLIMIT_NOFILE', 'soft': 2, 'hard': 2}]"),
          EINVAL,
          "process.rlimits[2].type: duplicate resource limit \"RLIMIT_NOFILE\", already set in process.rlimits[1]" },
        { PROCESS("'rlimits': [5]"), EINVAL, "process.rlimits[0]: expected an object, got number" },
        { PROCESS("'oomScoreAdj': 2147483648"), EINVAL,
          "process.oomScoreAdj: expected a 32-bit integer, got 2147483648" },
        { PROCESS("'ioPriority': {'class': 'IOPRIO_CLASS_X'}"), EINVAL,
          "process.ioPriority.class: must be one of \"IOPRIO_CLASS_RT\", \"IOPRIO_CLASS_BE\", "
          "\"IOPRIO_CLASS_IDLE\", got \"IOPRIO_CLASS_X\"" },
        { PROCESS("'ioPriority': {'priority': 1}"), EINVAL,
          "process.ioPriority.class: missing required field" },
        { PROCESS("'scheduler': {}"), EINVAL, "process.scheduler.policy: missing required field" },
        { PROCESS("'scheduler': {'policy': 'SCHED_FAST'}"), EINVAL,
          "process.scheduler.policy: must be one of \"SCHED_OTHER\", \"SCHED_FIFO\", \"SCHED_RR\", \"SCHED_BATCH\", "
          "\"SCHED_ISO\", \"SCHED_IDLE\", \"SCHED_DEADLINE\", got \"SCHED_FAST\"" },
        { PROCESS("'scheduler': {'policy': 'SCHED_RR', 'flags': ['SCHED_FLAG_RECLAIM', 'SCHED_FLAG_X']}"),
          EINVAL, "process.scheduler.flags[1]: unknown scheduler flag \"SCHED_FLAG_X\"" },
        { PROCESS("'scheduler': {'policy': 'SCHED_RR', 'nice': -2147483649}"), EINVAL,
          "process.scheduler.nice: expected a 32-bit integer, got -2147483649" },
        { PROCESS("'scheduler': {'policy': 'SCHED_RR', 'period': 1.0}"), EINVAL,
          "process.scheduler.period: expected an unsigned 64-bit integer, got 1.0" },
        { PROCESS("'noNewPrivileges': 1"), EINVAL,
          "process.noNewPrivileges: expected a boolean, got number" },
        { PROCESS("'execCPUAffinity': {'initial': 7}"), EINVAL,
          "process.execCPUAffinity.initial: expected a string, got number" },

        /* mounts */
        { CONFIG("'mounts': {}"), EINVAL, "mounts: expected an array, got object" },
        { CONFIG("'mounts': [{'type': 'tmpfs'}]"), EINVAL, "mounts[0].destination: missing required field" },
        { CONFIG("'mounts': [{'destination': '/proc'}, {'destination': 'tmp'}]"), EINVAL,
          "mounts[1].destination: must be an absolute path, got \"tmp\"" },
        { CONFIG("'mounts': [{'destination': '/tmp', 'options': 'ro'}]"), EINVAL,
          "mounts[0].options: expected an array, got string" },
        { CONFIG("'mounts': [{'destination': '/d',"
                 "             'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]"),
          EINVAL, "mounts[0]: uidMappings and gidMappings must be given together" },
        { CONFIG("'mounts': [{'destination': '/d', 'uidMappings': [{'containerID': 0, 'hostID': 1}]}]"),
          EINVAL, "mounts[0].uidMappings[0].size: missing required field" },

        /* hooks */
        { CONFIG("'hooks': []"), EINVAL, "hooks: expected an object, got array" },
        { CONFIG("'hooks': {'prestart': {}}"), EINVAL, "hooks.prestart: expected an array, got object" },
        { CONFIG("'hooks': {'poststart': [{'path': 'notify'}]}"), EINVAL,
          "hooks.poststart[0].path: must be an absolute path, got \"notify\"" },
        { CONFIG("'hooks': {'startContainer': [{'args': []}]}"), EINVAL,
          "hooks.startContainer[0].path: missing required field" },
        { CONFIG("'hooks': {'createRuntime': [{'path': '/a'}, {'path': '/b', 'timeout': 0}]}"), EINVAL,
          "hooks.createRuntime[1].timeout: must be greater than zero, got 0" },
        { CONFIG("'hooks': {'createContainer': [{'path': '/a', 'timeout': -5}]}"), EINVAL,
          "hooks.createContainer[0].timeout: must be greater than zero, got -5" },
        { CONFIG("'hooks': {'poststop': [{'path': '/a', 'env': [false]}]}"), EINVAL,
          "hooks.poststop[0].env[0]: expected a string, got boolean" },

        /* annotations */
        { CONFIG("'annotations': {'com.example.n': 1}"), EINVAL,
          "annotations[\"com.example.n\"]: expected a string, got number" },
        { CONFIG("'annotations': {'': 'x'}"), EINVAL, "annotations[\"\"]: key must not be empty" },
        { CONFIG("'annotations': ['a', 'b']"), EINVAL, "annotations: expected an object, got array" },

        /* linux */
        { LINUX("'namespaces': [{'type': 'pid'}, {'type': 'foo'}]"), EINVAL,
          "linux.namespaces[1].type: must be one of \"pid\", \"network\", \"mount\", \"ipc\", \"uts\", \"user\", "
          "\"cgroup\", \"time\", got \"foo\"" },
        { LINUX("'namespaces': [{'type': 'pid'}, {'type': 'uts'},"
                "               {'type': 'pid', 'path': '/proc/1/ns/pid'}]"),
          EINVAL,
          "linux.namespaces[2].type: duplicate namespace type \"pid\", already given in linux.namespaces[0]" },
        { LINUX("'namespaces': [{'type': 'network', 'path': 'proc/1/ns/net'}]"), EINVAL,
          "linux.namespaces[0].path: must be an absolute path, got \"proc/1/ns/net\"" },
        { LINUX("'namespaces': [{'path': '/proc/1/ns/net'}]"), EINVAL,
          "linux.namespaces[0].type: missing required field" },
        { LINUX("'uidMappings': [{'containerID': 0, 'hostID': -1, 'size': 1}]"), EINVAL,
          "linux.uidMappings[0].hostID: expected an unsigned 32-bit integer, got -1" },
        { LINUX("'gidMappings': [{'containerID': 0, 'size': 1}]"), EINVAL,
          "linux.gidMappings[0].hostID: missing required field" },
        { LINUX("'uidMappings': [{'containerID': 0, 'hostID': 0, 'size': 0}]"), EINVAL,
          "linux.uidMappings[0].size: must be greater than zero, got 0" },
        { LINUX("'uidMappings': [{'containerID': 4294967295, 'hostID': 0, 'size': 2}]"), EINVAL,
          "linux.uidMappings[0]: containerID + size must not exceed 4294967296, got 4294967295 + 2" },
        { LINUX("'gidMappings': [{'containerID': 0, 'hostID': 4294967200, 'size': 97}]"), EINVAL,
          "linux.gidMappings[0]: hostID + size must not exceed 4294967296, got 4294967200 + 97" },
        { LINUX("'timeOffsets': {'boottime': {'nanosecs': 1000000000}}"), EINVAL,
          "linux.timeOffsets.boottime.nanosecs: must be less than 1000000000, got 1000000000" },
        { LINUX("'timeOffsets': {'monotonic': {'secs': '1'}}"), EINVAL,
          "linux.timeOffsets.monotonic.secs: expected a 64-bit integer, got \"1\"" },
        { LINUX("'timeOffsets': {'monotonic': 5}"), EINVAL,
          "linux.timeOffsets.monotonic: expected an object, got number" },
        { LINUX("'devices': [{'path': '/dev/x', 'type': 'x'}]"), EINVAL,
          "linux.devices[0].type: must be one of \"c\", \"b\", \"u\", \"p\", got \"x\"" },
        { LINUX("'devices': [{'path': '/dev/x'}]"), EINVAL,
          "linux.devices[0].type: missing required field" },
        { LINUX("'devices': [{'path': '/dev/fuse', 'type': 'c', 'minor': 229}]"), EINVAL,
          "linux.devices[0].major: missing required field" },
        { LINUX("'devices': [{'path': '/dev/sda', 'type': 'b', 'major': 8}]"), EINVAL,
          "linux.devices[0].minor: missing required field" },
        { LINUX("'devices': [{'path': 'dev/null', 'type': 'c', 'major': 1, 'minor': 3}]"), EINVAL,
          "linux.devices[0].path: must be an absolute path, got \"dev/null\"" },
        { LINUX("'devices': [{'path': '/dev/null', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': -1}]"),
          EINVAL, "linux.devices[0].fileMode: expected an unsigned 32-bit integer, got -1" },
        { LINUX("'devices': [{'path': '/dev/null', 'type': 'c', 'major': 1, 'minor': 3, 'uid': 4294967296}]"),
          EINVAL, "linux.devices[0].uid: expected an unsigned 32-bit integer, got 4294967296" },
        { LINUX("'cgroupsPath': 5"), EINVAL, "linux.cgroupsPath: expected a string, got number" },
        { LINUX("'sysctl': {'net.ipv4.ip_forward': 1}"), EINVAL,
          "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got number" },
        { LINUX("'rootfsPropagation': 'bogus'"), EINVAL,
          "linux.rootfsPropagation: must be one of \"shared\", \"slave\", \"private\", \"unbindable\", \"rshared\", "
          "\"rslave\", \"rprivate\", \"runbindable\", got \"bogus\"" },
        { LINUX("'maskedPaths': ['/proc/kcore', 'proc/keys']"), EINVAL,
          "linux.maskedPaths[1]: must be an absolute path, got \"proc/keys\"" },
        { LINUX("'readonlyPaths': '/proc/sys'"), EINVAL,
          "linux.readonlyPaths: expected an array, got string" },
        { LINUX("'mountLabel': {}"), EINVAL, "linux.mountLabel: expected a string, got object" },
        { LINUX("'personality': {'domain': 'LINUX64'}"), EINVAL,
          "linux.personality.domain: must be one of \"LINUX\", \"LINUX32\", got \"LINUX64\"" },
        { LINUX("'personality': {'flags': []}"), EINVAL,
          "linux.personality.domain: missing required field" },

        /* linux.resources */
        { LINUX("'resources': []"), EINVAL, "linux.resources: expected an object, got array" },
        { RESOURCES("'devices': [{'allow': true, 'access': 'rwx'}]"), EINVAL,
          "linux.resources.devices[0].access: must only contain \"r\", \"w\" and \"m\", got \"rwx\"" },
        { RESOURCES("'devices': [{'allow': false}, {'allow': true, 'type': 'p'}]"), EINVAL,
          "linux.resources.devices[1].type: must be one of \"a\", \"c\", \"b\", got \"p\"" },
        { RESOURCES("'devices': [{'access': 'r'}]"), EINVAL,
          "linux.resources.devices[0].allow: missing required field" },
        { RESOURCES("'devices': [{'allow': true, 'major': '8'}]"), EINVAL,
          "linux.resources.devices[0].major: expected a 64-bit integer, got \"8\"" },
        { RESOURCES("'memory': {'limit': 9223372036854775808}"), EINVAL,
          "linux.resources.memory.limit: expected a 64-bit integer, got 9223372036854775808" },
        { RESOURCES("'memory': {'limit': '1G'}"), EINVAL,
          "linux.resources.memory.limit: expected a 64-bit integer, got \"1G\"" },
        { RESOURCES("'memory': {'swappiness': -1}"), EINVAL,
          "linux.resources.memory.swappiness: expected an unsigned 64-bit integer, got -1" },
        { RESOURCES("'memory': {'disableOOMKiller': 0}"), EINVAL,
          "linux.resources.memory.disableOOMKiller: expected a boolean, got number" },
        { RESOURCES("'cpu': {'shares': 'x'}"), EINVAL,
          "linux.resources.cpu.shares: expected an unsigned 64-bit integer, got \"x\"" },
        { RESOURCES("'cpu': {'quota': 0.5}"), EINVAL,
          "linux.resources.cpu.quota: expected a 64-bit integer, got 0.5" },
        { RESOURCES("'cpu': {'cpus': 0}"), EINVAL,
          "linux.resources.cpu.cpus: expected a string, got number" },
        { RESOURCES("'pids': {}"), EINVAL, "linux.resources.pids.limit: missing required field" },
        { RESOURCES("'pids': {'limit': null}"), EINVAL,
          "linux.resources.pids.limit: missing required field" },
        { RESOURCES("'blockIO': {'weight': 65536}"), EINVAL,
          "linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got 65536" },
        { RESOURCES("'blockIO': {'weightDevice': [{'major': 8, 'minor': 0}]}"), EINVAL,
          "linux.resources.blockIO.weightDevice[0]: at least one of weight and leafWeight is required" },
        { RESOURCES("'blockIO': {'weightDevice': [{'minor': 0, 'weight': 1}]}"), EINVAL,
          "linux.resources.blockIO.weightDevice[0].major: missing required field" },
        { RESOURCES("'blockIO': {'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': -1}]}"), EINVAL,
          "linux.resources.blockIO.throttleReadBpsDevice[0].rate: expected an unsigned 64-bit integer, got -1" },
        { RESOURCES(
                  "'blockIO': {'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0, 'rate': 1},"
                  "                                       {'major': 8, 'minor': 1}]}"),
          EINVAL, "linux.resources.blockIO.throttleWriteIOPSDevice[1].rate: missing required field" },
        { RESOURCES("'hugepageLimits': [{'limit': 1}]"), EINVAL,
          "linux.resources.hugepageLimits[0].pageSize: missing required field" },
        { RESOURCES("'hugepageLimits': [{'pageSize': '2MB', 'limit': 1}, {'pageSize': '64kB', 'limit': 1}]"),
          EINVAL,
          "linux.resources.hugepageLimits[1].pageSize: expected a size like \"2MB\" (KB, MB or GB), got \"64kB\"" },
        { RESOURCES("'hugepageLimits': [{'pageSize': '', 'limit': 1}]"), EINVAL,
          "linux.resources.hugepageLimits[0].pageSize: expected a size like \"2MB\" (KB, MB or GB), got \"\"" },
        { RESOURCES("'hugepageLimits': [{'pageSize': '2MB', 'limit': -2}]"), EINVAL,
          "linux.resources.hugepageLimits[0].limit: expected an unsigned 64-bit integer, got -2" },
        { RESOURCES("'network': {'classID': 4294967296}"), EINVAL,
          "linux.resources.network.classID: expected an unsigned 32-bit integer, got 4294967296" },
        { RESOURCES("'network': {'priorities': [{'name': 'eth0'}]}"), EINVAL,
          "linux.resources.network.priorities[0].priority: missing required field" },
        { RESOURCES("'rdma': {'mlx5_1': {}}"), EINVAL,
          "linux.resources.rdma[\"mlx5_1\"]: at least one of hcaHandles and hcaObjects is required" },
        { RESOURCES("'rdma': {'mlx5_1': {'hcaHandles': 1}, 'mlx4_0': {'hcaObjects': -1}}"), EINVAL,
          "linux.resources.rdma[\"mlx4_0\"].hcaObjects: expected an unsigned 32-bit integer, got -1" },
        { RESOURCES("'rdma': {'mlx5_1': 3}"), EINVAL,
          "linux.resources.rdma[\"mlx5_1\"]: expected an object, got number" },
        { RESOURCES("'unified': {'memory.max': 100}"), EINVAL,
          "linux.resources.unified[\"memory.max\"]: expected a string, got number" },

        /* linux.intelRdt */
        { LINUX("'intelRdt': {'closID': '../x'}"), EINVAL,
          "linux.intelRdt.closID: must be a plain directory name, got \"../x\"" },
        { LINUX("'intelRdt': {'closID': '..'}"), EINVAL,
          "linux.intelRdt.closID: must be a plain directory name, got \"..\"" },
        { LINUX("'intelRdt': {'schemata': ['L3:0=ff', 'MB:0=1\\nL3:0=1']}"), EINVAL,
          "linux.intelRdt.schemata[1]: must not contain newlines" },
        { LINUX("'intelRdt': {'enableCMT': 'yes'}"), EINVAL,
          "linux.intelRdt.enableCMT: expected a boolean, got string" },
        { LINUX("'intelRdt': {'l3CacheSchema': 1}"), EINVAL,
          "linux.intelRdt.l3CacheSchema: expected a string, got number" },

        /* linux.seccomp */
        { LINUX("'seccomp': {}"), EINVAL, "linux.seccomp.defaultAction: missing required field" },
        { LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_FOO'}"), EINVAL,
          "linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_FOO\"" },
        { LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_KILL', 'defaultErrnoRet': 1}"), EINVAL,
          "linux.seccomp.defaultErrnoRet: only allowed with SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not SCMP_ACT_KILL" },
        { SECCOMP("'architectures': 'SCMP_ARCH_X86_64'"), EINVAL,
          "linux.seccomp.architectures: expected an array, got string" },
        { SECCOMP("'listenerMetadata': 'm'"), EINVAL,
          "linux.seccomp.listenerMetadata: requires listenerPath" },
        { SECCOMP("'syscalls': [{'names': [], 'action': 'SCMP_ACT_ALLOW'}]"), EINVAL,
          "linux.seccomp.syscalls[0].names: must not be empty" },
        { SECCOMP("'syscalls': [{'action': 'SCMP_ACT_ALLOW'}]"), EINVAL,
          "linux.seccomp.syscalls[0].names: missing required field" },
        { SECCOMP("'syscalls': [{'names': ['read']}]"), EINVAL,
          "linux.seccomp.syscalls[0].action: missing required field" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'errnoRet': 1}]"), EINVAL,
          "linux.seccomp.syscalls[0].errnoRet: only allowed with SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not SCMP_ACT_ALLOW" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': -1}]"), EINVAL,
          "linux.seccomp.syscalls[0].errnoRet: expected an unsigned 32-bit integer, got -1" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW'},"
                  "             {'names': ['write'], 'action': 'SCMP_ACT_ALLOW',"
                  "              'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_FOO'}]}]"),
          EINVAL, "linux.seccomp.syscalls[1].args[0].op: unknown seccomp operator \"SCMP_CMP_FOO\"" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW',"
                  "              'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]"),
          EINVAL, "linux.seccomp.syscalls[0].args[0].index: must be less than 6, got 6" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW',"
                  "              'args': [{'index': 0, 'op': 'SCMP_CMP_EQ'}]}]"),
          EINVAL, "linux.seccomp.syscalls[0].args[0].value: missing required field" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW',"
                  "              'args': [{'index': 0, 'value': 1}]}]"),
          EINVAL, "linux.seccomp.syscalls[0].args[0].op: missing required field" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW',"
                  "              'args': [{'index': 0, 'value': 1, 'valueTwo': 1.5, 'op': 'SCMP_CMP_EQ'}]}]"),
          EINVAL,
          "linux.seccomp.syscalls[0].args[0].valueTwo: expected an unsigned 64-bit integer, got 1.5" },
        { SECCOMP("'syscalls': [{'names': ['read'], 'action': 'allow'}]"), EINVAL,
          "linux.seccomp.syscalls[0].action: unknown seccomp action \"allow\"" },
};

TEST(config_errors) {
        for (size_t i = 0; i < ELEMENTSOF(config_errors); i++) {
                _cleanup_free_ char *json = q(config_errors[i].json);
                _cleanup_oci_config_ OciConfig *c = NULL;
                SysrunError e = SYSRUN_ERROR_NULL;
                int r;

                r = oci_config_parse_string(json, &c, &e);
                if (r != -config_errors[i].error || !streq_ptr(e.msg, config_errors[i].message))
                        fprintf(stderr, "row %zu: %s\n  got %d: %s\n", i, json, r, strempty(e.msg));
                ASSERT_ERROR(r, config_errors[i].error);
                ASSERT_EQ(e.code, -config_errors[i].error);
                ASSERT_STREQ(e.msg, config_errors[i].message);
                ASSERT_NULL(c);
                sysrun_error_done(&e);
        }
}

TEST(error_first_message_wins) {
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;

        ASSERT_ERROR(oci_config_parse_string("{}", &c, &e), EINVAL);
        ASSERT_ERROR(oci_config_parse_string("[]", &c, &e), EINVAL);
        ASSERT_STREQ(e.msg, "ociVersion: missing required field");
        ASSERT_NULL(c);
        sysrun_error_done(&e);

        /* No error object at all is fine too. */
        ASSERT_ERROR(oci_config_parse_string("{}", &c, NULL), EINVAL);
        ASSERT_NULL(c);
}

static char *make_temp_dir(void) {
        char *d = strdup("/tmp/test-config-XXXXXX");

        ASSERT_NOT_NULL(d);
        ASSERT_NOT_NULL(mkdtemp(d));
        return d;
}

static char *write_file(const char *dir, const char *name, const char *content, size_t size) {
        _cleanup_fclose_ FILE *f = NULL;
        char *path = NULL;

        ASSERT_TRUE(asprintf(&path, "%s/%s", dir, name) > 0);
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_EQ(fwrite(content, 1, size, f), size);
        return path;
}

TEST(parse_file) {
        static const char nul_text[] = "{\n \"a\0\": 1}";
        static const char broken_text[] = "{\n  \"ociVersion\": \"1.2.0\",\n  \"root\": {\"path\": tru}\n}";
        _cleanup_free_ char *dir = make_temp_dir(), *good = NULL, *bad = NULL, *broken = NULL, *nul = NULL,
                            *missing = NULL, *bad_json = q(PROCESS("'cwd': 'rel'"));
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;

        good = write_file(dir, "config.json", runc_spec, strlen(runc_spec));
        ASSERT_OK(oci_config_parse_file(good, &c, &e));
        ASSERT_NULL(e.msg);
        ASSERT_STREQ(c->hostname, "runc");
        ASSERT_EQ(c->n_mounts, 7);
        c = oci_config_free(c);

        /* Errors from the parser get "<basename>: " in front. */
        bad = write_file(dir, "bad.json", bad_json, strlen(bad_json));
        ASSERT_ERROR(oci_config_parse_file(bad, &c, &e), EINVAL);
        ASSERT_STREQ(e.msg, "bad.json: process.cwd: must be an absolute path, got \"rel\"");
        ASSERT_NULL(c);
        sysrun_error_done(&e);

        broken = write_file(dir, "broken.json", broken_text, strlen(broken_text));
        ASSERT_ERROR(oci_config_parse_file(broken, &c, &e), EINVAL);
        ASSERT_STREQ(e.msg, "broken.json: invalid JSON: boolean expected at line 3, column 23");
        sysrun_error_done(&e);

        nul = write_file(dir, "nul.json", nul_text, sizeof(nul_text) - 1);
        ASSERT_ERROR(oci_config_parse_file(nul, &c, &e), EINVAL);
        ASSERT_STREQ(e.msg, "nul.json: invalid JSON: unexpected NUL byte at line 2, column 4");
        sysrun_error_done(&e);

        ASSERT_TRUE(asprintf(&missing, "%s/nothere/config.json", dir) > 0);
        ASSERT_ERROR(oci_config_parse_file(missing, &c, &e), ENOENT);
        ASSERT_EQ(e.code, -ENOENT);
        ASSERT_STREQ(e.msg, "config.json: cannot open: no such file or directory");
        sysrun_error_done(&e);

        ASSERT_ERROR(oci_config_parse_file(dir, &c, &e), EISDIR);
        ASSERT_TRUE(strstr(e.msg, ": cannot read: is a directory") != NULL);
        sysrun_error_done(&e);

        ASSERT_EQ(unlink(good), 0);
        ASSERT_EQ(unlink(bad), 0);
        ASSERT_EQ(unlink(broken), 0);
        ASSERT_EQ(unlink(nul), 0);
        ASSERT_EQ(rmdir(dir), 0);
}

/* What `sysrun exec --process` reads: a bare process object. */
TEST(process_parse_string) {
        _cleanup_(oci_process_freep) OciProcess *p = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *json = q(FULL_PROCESS);

        ASSERT_OK(oci_process_parse_string(json, &p, &e));
        ASSERT_NULL(e.msg);
        check_full_process(p);
}

TEST(process_errors) {
        static const struct {
                const char *json;
                const char *message;
        } table[] = {
                { "[]", "expected a JSON object, got array" },
                { "{'cwd': '/', 'args': ['sh'], 'user': {'uid': 'x', 'gid': 0}}",
                  "user.uid: expected an unsigned 32-bit integer, got \"x\"" },
                { "{'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}", "cwd: missing required field" },
                { "{'cwd': 'x', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}",
                  "cwd: must be an absolute path, got \"x\"" },
                { "{'cwd': '/', 'args': [], 'user': {'uid': 0, 'gid': 0}}", "args: must not be empty" },
                { "{'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0},"
                  " 'rlimits': [{'type': 'NOFILE', 'soft': 1, 'hard': 1}]}",
                  "rlimits[0].type: unknown resource limit \"NOFILE\"" },
                { "{'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0},"
                  " 'capabilities': {'permitted': ['KILL']}}",
                  "capabilities.permitted[0]: expected a capability name starting with \"CAP_\", got \"KILL\"" },
                { "{'cwd': '/',\n 'args': ['sh'],\n 'user': {'uid': 0, 'gid': 0}",
                  "invalid JSON: unexpected end of data at line 3, column 30" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *json = q(table[i].json);
                SysrunError e = SYSRUN_ERROR_NULL;
                OciProcess *p = NULL;

                ASSERT_ERROR(oci_process_parse_string(json, &p, &e), EINVAL);
                ASSERT_STREQ(e.msg, table[i].message);
                ASSERT_NULL(p);
                sysrun_error_done(&e);
        }
}

/* What `sysrun update --resources` reads: a bare linux.resources object. */
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

TEST(resources_errors) {
        static const struct {
                const char *json;
                const char *message;
        } table[] = {
                { "'memory'", "expected a JSON object, got string" },
                { "{'memory': {'limit': '1G'}}", "memory.limit: expected a 64-bit integer, got \"1G\"" },
                { "{'devices': [{'allow': true, 'access': 'rw '}]}",
                  "devices[0].access: must only contain \"r\", \"w\" and \"m\", got \"rw \"" },
                { "{'cpu': {'period': -100000}}",
                  "cpu.period: expected an unsigned 64-bit integer, got -100000" },
                { "{'pids': {'limit': 1.5}}", "pids.limit: expected a 64-bit integer, got 1.5" },
                { "{'rdma': {'x': {}}}",
                  "rdma[\"x\"]: at least one of hcaHandles and hcaObjects is required" },
                { "{'unified': {'cpu.max': ['max', '100000']}}",
                  "unified[\"cpu.max\"]: expected a string, got array" },
                { "{'blockIO': {'leafWeight': -1}}",
                  "blockIO.leafWeight: expected an unsigned 16-bit integer, got -1" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *json = q(table[i].json);
                SysrunError e = SYSRUN_ERROR_NULL;
                OciResources *r = NULL;

                ASSERT_ERROR(oci_resources_parse_string(json, &r, &e), EINVAL);
                ASSERT_STREQ(e.msg, table[i].message);
                ASSERT_NULL(r);
                sysrun_error_done(&e);
        }
}

TEST(namespace_tables) {
        static const struct {
                NamespaceType type;
                const char *name;
                const char *proc_name;
                int clone_flag;
        } table[] = {
                { NAMESPACE_PID, "pid", "pid", CLONE_NEWPID },
                { NAMESPACE_NETWORK, "network", "net", CLONE_NEWNET },
                { NAMESPACE_MOUNT, "mount", "mnt", CLONE_NEWNS },
                { NAMESPACE_IPC, "ipc", "ipc", CLONE_NEWIPC },
                { NAMESPACE_UTS, "uts", "uts", CLONE_NEWUTS },
                { NAMESPACE_USER, "user", "user", CLONE_NEWUSER },
                { NAMESPACE_CGROUP, "cgroup", "cgroup", CLONE_NEWCGROUP },
                { NAMESPACE_TIME, "time", "time", 0x00000080 /* CLONE_NEWTIME */ },
        };

        ASSERT_EQ(ELEMENTSOF(table), _NAMESPACE_TYPE_MAX);
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                ASSERT_EQ(table[i].type, i);
                ASSERT_STREQ(namespace_type_to_string(table[i].type), table[i].name);
                ASSERT_EQ(namespace_type_from_string(table[i].name), table[i].type);
                ASSERT_STREQ(namespace_type_to_proc_name(table[i].type), table[i].proc_name);
                ASSERT_EQ(namespace_type_to_clone_flag(table[i].type), table[i].clone_flag);
        }

        ASSERT_EQ(namespace_type_from_string("net"),
                  _NAMESPACE_TYPE_INVALID); /* /proc names are not OCI names */
        ASSERT_EQ(namespace_type_from_string("PID"), -EINVAL);
        ASSERT_EQ(namespace_type_from_string(""), -EINVAL);
        ASSERT_EQ(namespace_type_from_string(NULL), -EINVAL);
        ASSERT_NULL(namespace_type_to_string(_NAMESPACE_TYPE_MAX));
        ASSERT_NULL(namespace_type_to_string(_NAMESPACE_TYPE_INVALID));
        ASSERT_NULL(namespace_type_to_proc_name(_NAMESPACE_TYPE_MAX));
        ASSERT_EQ(namespace_type_to_clone_flag(_NAMESPACE_TYPE_MAX), -EINVAL);
        ASSERT_EQ(namespace_type_to_clone_flag(_NAMESPACE_TYPE_INVALID), -EINVAL);
}

TEST(hook_kind_table) {
        static const char *const names[] = {
                [HOOK_PRESTART] = "prestart",
                [HOOK_CREATE_RUNTIME] = "createRuntime",
                [HOOK_CREATE_CONTAINER] = "createContainer",
                [HOOK_START_CONTAINER] = "startContainer",
                [HOOK_POSTSTART] = "poststart",
                [HOOK_POSTSTOP] = "poststop",
        };

        ASSERT_EQ(ELEMENTSOF(names), _HOOK_KIND_MAX);
        for (HookKind k = 0; k < _HOOK_KIND_MAX; k++)
                ASSERT_STREQ(hook_kind_to_string(k), names[k]);
        ASSERT_NULL(hook_kind_to_string(_HOOK_KIND_MAX));
        ASSERT_NULL(hook_kind_to_string(_HOOK_KIND_INVALID));
}

TEST(seccomp_tables) {
        static const char *const actions[] = {
                [SECCOMP_ACTION_KILL] = "SCMP_ACT_KILL",
                [SECCOMP_ACTION_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
                [SECCOMP_ACTION_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
                [SECCOMP_ACTION_TRAP] = "SCMP_ACT_TRAP",
                [SECCOMP_ACTION_ERRNO] = "SCMP_ACT_ERRNO",
                [SECCOMP_ACTION_TRACE] = "SCMP_ACT_TRACE",
                [SECCOMP_ACTION_ALLOW] = "SCMP_ACT_ALLOW",
                [SECCOMP_ACTION_LOG] = "SCMP_ACT_LOG",
                [SECCOMP_ACTION_NOTIFY] = "SCMP_ACT_NOTIFY",
        };
        static const char *const operators[] = {
                [SECCOMP_OP_NE] = "SCMP_CMP_NE",
                [SECCOMP_OP_LT] = "SCMP_CMP_LT",
                [SECCOMP_OP_LE] = "SCMP_CMP_LE",
                [SECCOMP_OP_EQ] = "SCMP_CMP_EQ",
                [SECCOMP_OP_GE] = "SCMP_CMP_GE",
                [SECCOMP_OP_GT] = "SCMP_CMP_GT",
                [SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
        };

        ASSERT_EQ(ELEMENTSOF(actions), _SECCOMP_ACTION_MAX);
        for (SeccompActionType a = 0; a < _SECCOMP_ACTION_MAX; a++) {
                ASSERT_STREQ(seccomp_action_to_string(a), actions[a]);
                ASSERT_EQ(seccomp_action_from_string(actions[a]), a);
        }
        ASSERT_EQ(seccomp_action_from_string("SCMP_ACT_KILL_PROCES"), _SECCOMP_ACTION_INVALID);
        ASSERT_EQ(seccomp_action_from_string("scmp_act_allow"), -EINVAL);
        ASSERT_EQ(seccomp_action_from_string(NULL), -EINVAL);
        ASSERT_NULL(seccomp_action_to_string(_SECCOMP_ACTION_MAX));
        ASSERT_NULL(seccomp_action_to_string(_SECCOMP_ACTION_INVALID));

        ASSERT_EQ(ELEMENTSOF(operators), _SECCOMP_OP_MAX);
        for (SeccompOperator o = 0; o < _SECCOMP_OP_MAX; o++) {
                ASSERT_STREQ(seccomp_operator_to_string(o), operators[o]);
                ASSERT_EQ(seccomp_operator_from_string(operators[o]), o);
        }
        ASSERT_EQ(seccomp_operator_from_string("SCMP_CMP_MASKED"), _SECCOMP_OP_INVALID);
        ASSERT_EQ(seccomp_operator_from_string(""), -EINVAL);
        ASSERT_EQ(seccomp_operator_from_string(NULL), -EINVAL);
        ASSERT_NULL(seccomp_operator_to_string(_SECCOMP_OP_MAX));
        ASSERT_NULL(seccomp_operator_to_string(_SECCOMP_OP_INVALID));
}

TEST(oci_version_valid) {
        static const char *const good[] = { "1.0.0", "1.2.0", "1.0.2-dev", "1.0.0-rc.1", "1.1.0+build.5",
                                            "1.10.3-a-b.c+x" };
        static const char *const bad[] = { "",      "1",       "1.0",    "1.0.0.0", "01.0.0", "1.00.0",
                                           "1.0.01", "2.0.0",  "0.9.0",  "1.0.0-", "1.0.0-a..b", "1.0.0+",
                                           "1.0.0 ", " 1.0.0", "v1.0.0", "CAP_SYS_ADMIN" };

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                if (!oci_version_valid(good[i])) {
                        fprintf(stderr, "'%s' refused\n", good[i]);
                        abort();
                }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (oci_version_valid(bad[i])) {
                        fprintf(stderr, "'%s' accepted\n", bad[i]);
                        abort();
                }
        ASSERT_FALSE(oci_version_valid(NULL));
}

TEST(echoed_value_is_capped) {
        _cleanup_free_ char *big = malloc(100000), *json = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        const char *got;

        ASSERT_NOT_NULL(big);
        memset(big, 'a', 99999);
        big[99999] = 0;
        ASSERT_TRUE(asprintf(&json, "{\"ociVersion\": \"%s\"}", big) > 0);
        ASSERT_ERROR(oci_config_parse_string(json, &c, &e), EINVAL);
        got = strstr(e.msg, "got \"aaa");
        ASSERT_NOT_NULL(got);
        /* "got " + the value cut at SYSRUN_VALUE_MAX bytes, ending with the ellipsis. */
        ASSERT_EQ(strlen(got), 4 + SYSRUN_VALUE_MAX);
        ASSERT_STREQ(got + strlen(got) - strlen(ELLIPSIS), ELLIPSIS);
}

DEFINE_TEST_MAIN();
