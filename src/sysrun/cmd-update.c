/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>

#include "errno-string.h"
#include "cli.h"
#include "container-ops.h"
#include "fd-util.h"
#include "resources.h"

/* In the order of update_options[] (after "resources"), which gives the flag names for messages. */
enum {
        OPT_BLKIO_WEIGHT = 256,
        OPT_CPU_PERIOD,
        OPT_CPU_QUOTA,
        OPT_CPU_SHARE,
        OPT_CPU_RT_PERIOD,
        OPT_CPU_RT_RUNTIME,
        OPT_CPUSET_CPUS,
        OPT_CPUSET_MEMS,
        OPT_MEMORY,
        OPT_MEMORY_RESERVATION,
        OPT_MEMORY_SWAP,
        OPT_PIDS_LIMIT,
        OPT_CPU_IDLE,
        OPT_CPU_BURST,
        OPT_L3_CACHE_SCHEMA,
        OPT_MEM_BW_SCHEMA,
        OPT_KERNEL_MEMORY,
        OPT_KERNEL_MEMORY_TCP,
};

static int parse_i64(const char *opt, const char *s, int64_t *ret) {
        char *end;
        long long v;

        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno || !*s || *end)
                return cli_failf("invalid value \"%s\" for flag --%s", s, opt);
        *ret = v;
        return 0;
}

static int parse_u64(const char *opt, const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || !*s || *end || s[0] == '-')
                return cli_failf("invalid value \"%s\" for flag --%s", s, opt);
        *ret = v;
        return 0;
}

static int parse_bytes(const char *opt, const char *s, int64_t *ret) {
        if (parse_ram_bytes(s, ret) < 0)
                return cli_failf("invalid value \"%s\" for flag --%s", s, opt);
        return 0;
}

static int read_resources(const char *path, OciResources **ret) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, streq(path, "-") ? "/dev/stdin" : path, 16 << 20, &text, NULL);
        if (r < 0)
                return cli_failf("cannot read resources from '%s': %s", path, ERRNO_STRING(r));
        r = oci_resources_parse_string(text, ret, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return 0;
}

static const CliOption update_options[] = {
        { "resources", 'r', "FILE", "read the limits from FILE (- for stdin), an OCI linux.resources JSON; the limit flags are then ignored" },
        { "blkio-weight", OPT_BLKIO_WEIGHT, "WEIGHT", "block IO weight relative to other containers (10 to 1000)" },
        { "cpu-period", OPT_CPU_PERIOD, "USEC", "CPU CFS period in microseconds" },
        { "cpu-quota", OPT_CPU_QUOTA, "USEC", "CPU time in microseconds the container may use per period" },
        { "cpu-share", OPT_CPU_SHARE, "SHARES", "CPU shares, a weight relative to other containers" },
        { "cpu-rt-period", OPT_CPU_RT_PERIOD, "USEC", "realtime scheduling period in microseconds" },
        { "cpu-rt-runtime", OPT_CPU_RT_RUNTIME, "USEC", "realtime CPU time in microseconds per realtime period" },
        { "cpuset-cpus", OPT_CPUSET_CPUS, "LIST", "CPUs the container may run on (0-3,5)" },
        { "cpuset-mems", OPT_CPUSET_MEMS, "LIST", "memory nodes the container may allocate from (0-1)" },
        { "memory", OPT_MEMORY, "BYTES", "memory limit (suffixes k, m, g; -1 for none)" },
        { "memory-reservation", OPT_MEMORY_RESERVATION, "BYTES", "memory soft limit (memory.low)" },
        { "memory-swap", OPT_MEMORY_SWAP, "BYTES", "limit of memory plus swap (-1 for unlimited swap)" },
        { "pids-limit", OPT_PIDS_LIMIT, "N", "maximum number of processes (-1 for none)" },
        { "cpu-idle", OPT_CPU_IDLE, "0|1", "1 gives the container the idle CPU weight (cpu.idle)" },
        { "cpu-burst", OPT_CPU_BURST, "USEC", "CPU time in microseconds that may be borrowed beyond the quota" },
        { "l3-cache-schema", OPT_L3_CACHE_SCHEMA, "SCHEMA", "Intel RDT L3 cache schema (L3:0=ff)" },
        { "mem-bw-schema", OPT_MEM_BW_SCHEMA, "SCHEMA", "Intel RDT memory bandwidth schema (MB:0=50)" },
        { "kernel-memory", OPT_KERNEL_MEMORY, "BYTES", "accepted for runc compatibility and ignored with a warning" },
        { "kernel-memory-tcp", OPT_KERNEL_MEMORY_TCP, "BYTES", "accepted for runc compatibility and ignored with a warning" },
        {}
};

static int cmd_update(int argc, char **argv) {
        _cleanup_(oci_resources_freep) OciResources *from_file = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        OciResources flags = {};
        ContainerUpdate u = {};
        const char *file = NULL;
        bool any_flag = false;
        int c, r = 0;

        while ((c = cli_getopt(argc, argv, update_options)) >= 0) {
                const char *name = c >= 256 && c - 256 + 1 < (int) ELEMENTSOF(update_options) ?
                                           update_options[c - 256 + 1].name :
                                           "?";
                uint64_t u64;

                /* The limit flags; the RDT and ignored ones are not resources. */
                if (c >= OPT_BLKIO_WEIGHT && c <= OPT_CPU_BURST)
                        any_flag = true;
                switch (c) {
                case 'r':
                        file = optarg;
                        break;
                case OPT_BLKIO_WEIGHT:
                        r = parse_u64(name, optarg, &u64);
                        if (r == 0 && u64 > UINT16_MAX)
                                r = cli_failf("invalid value \"%s\" for flag --%s", optarg, name);
                        flags.block_io.weight = (OptU64){ true, u64 };
                        break;
                case OPT_CPU_PERIOD:
                        r = parse_u64(name, optarg, &flags.cpu.period.value);
                        flags.cpu.period.set = true;
                        break;
                case OPT_CPU_QUOTA:
                        r = parse_i64(name, optarg, &flags.cpu.quota.value);
                        flags.cpu.quota.set = true;
                        break;
                case OPT_CPU_SHARE:
                        r = parse_u64(name, optarg, &flags.cpu.shares.value);
                        flags.cpu.shares.set = true;
                        break;
                case OPT_CPU_RT_PERIOD:
                        r = parse_u64(name, optarg, &flags.cpu.realtime_period.value);
                        flags.cpu.realtime_period.set = true;
                        break;
                case OPT_CPU_RT_RUNTIME:
                        r = parse_i64(name, optarg, &flags.cpu.realtime_runtime.value);
                        flags.cpu.realtime_runtime.set = true;
                        break;
                case OPT_CPUSET_CPUS:
                        flags.cpu.cpus = optarg;
                        break;
                case OPT_CPUSET_MEMS:
                        flags.cpu.mems = optarg;
                        break;
                case OPT_MEMORY:
                        r = parse_bytes(name, optarg, &flags.memory.limit.value);
                        flags.memory.limit.set = true;
                        break;
                case OPT_MEMORY_RESERVATION:
                        r = parse_bytes(name, optarg, &flags.memory.reservation.value);
                        flags.memory.reservation.set = true;
                        break;
                case OPT_MEMORY_SWAP:
                        r = parse_bytes(name, optarg, &flags.memory.swap.value);
                        flags.memory.swap.set = true;
                        break;
                case OPT_PIDS_LIMIT:
                        r = parse_i64(name, optarg, &flags.pids_limit.value);
                        flags.pids_limit.set = true;
                        break;
                case OPT_CPU_IDLE:
                        r = parse_i64(name, optarg, &flags.cpu.idle.value);
                        flags.cpu.idle.set = true;
                        break;
                case OPT_CPU_BURST:
                        r = parse_u64(name, optarg, &flags.cpu.burst.value);
                        flags.cpu.burst.set = true;
                        break;
                case OPT_L3_CACHE_SCHEMA:
                        u.l3_cache_schema = optarg;
                        break;
                case OPT_MEM_BW_SCHEMA:
                        u.mem_bw_schema = optarg;
                        break;
                case OPT_KERNEL_MEMORY:
                case OPT_KERNEL_MEMORY_TCP:
                        cli_warn("--%s is ignored: kernel memory limits do not exist in cgroup v2", name);
                        break;
                default:
                        return cli_failf("flag provided but not defined: %s", argv[optind - 1]);
                }
                if (r != 0)
                        return EXIT_FAILURE;
        }
        if (cli_check_args(argv[0], argc - optind, 1, 1) != 0)
                return EXIT_FAILURE;

        /* As runc: with --resources the limit flags are not looked at. */
        if (file) {
                if (read_resources(file, &from_file) != 0)
                        return EXIT_FAILURE;
                u.resources = from_file;
        } else if (any_flag)
                u.resources = &flags;

        r = container_update(arg_root, argv[optind], &u, &e);
        if (r < 0)
                return cli_fail(&e, r);
        return EXIT_SUCCESS;
}

const Command command_update = {
        "update", cmd_update, "<container-id>", "update container resource constraints",
        "Changes the resource limits of a running, created or paused container, as unit properties\n"
        "under the systemd manager. Only the limits given change.",
        update_options,
};
