/* SPDX-License-Identifier: Apache-2.0 */
/* config.json refused (each error names its field), parsing from files, and the name tables. */
#include <sched.h>
#include <sys/resource.h>

#include "config-fixtures.h"

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
TEST(resources_errors) {
        static const struct {
                const char *json;
                const char *message;
        } table[] = {
                { "'memory'", "expected a JSON object, got string" },
                { "{'memory': {'limit': '1G'}}", "memory.limit: expected a 64-bit integer, got \"1G\"" },
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

/* A long value in an enum's error (the fuzzer's find: the cut copy must outlive the helper). */
TEST(echoed_enum_value_is_capped) {
        _cleanup_free_ char *big = malloc(1000), *json = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        const char *got;

        ASSERT_NOT_NULL(big);
        memset(big, 'n', 999);
        big[999] = 0;
        ASSERT_TRUE(asprintf(&json, "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"r\"}, \"linux\": {\"namespaces\": [{\"type\": \"%s\"}]}}",
                             big) > 0);
        ASSERT_ERROR(oci_config_parse_string(json, &c, &e), EINVAL);
        got = strstr(e.msg, "got \"nnn");
        ASSERT_NOT_NULL(got);
        ASSERT_EQ(strlen(got), 4 + SYSRUN_VALUE_MAX);
}

DEFINE_TEST_MAIN();
