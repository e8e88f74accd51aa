/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>

#include "errno-string.h"
#include "cli.h"
#include "container-ops.h"
#include "fd-util.h"
#include "resources.h"

/* In the order of opts[] below (after "resources"), which gives the flag names for messages. */
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

int cmd_update(int argc, char **argv) {
        static const struct option opts[] = {
                { "resources", required_argument, NULL, 'r' },
                { "blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT },
                { "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
                { "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
                { "cpu-share", required_argument, NULL, OPT_CPU_SHARE },
                { "cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD },
                { "cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME },
                { "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
                { "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
                { "memory", required_argument, NULL, OPT_MEMORY },
                { "memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION },
                { "memory-swap", required_argument, NULL, OPT_MEMORY_SWAP },
                { "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
                { "cpu-idle", required_argument, NULL, OPT_CPU_IDLE },
                { "cpu-burst", required_argument, NULL, OPT_CPU_BURST },
                { "l3-cache-schema", required_argument, NULL, OPT_L3_CACHE_SCHEMA },
                { "mem-bw-schema", required_argument, NULL, OPT_MEM_BW_SCHEMA },
                { "kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY },
                { "kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP },
                {}
        };
        _cleanup_(oci_resources_freep) OciResources *from_file = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        OciResources flags = {};
        ContainerUpdate u = {};
        const char *file = NULL;
        bool any_flag = false;
        int c, r = 0;

        while ((c = cli_getopt(argc, argv, opts)) >= 0) {
                const char *name = c >= 256 && c - 256 + 1 < (int) ELEMENTSOF(opts) ? opts[c - 256 + 1].name :
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
