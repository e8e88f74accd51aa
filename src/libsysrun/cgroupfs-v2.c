/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources → cgroup v2 files. Pure: nothing here touches the file system. The device policy
 * is not a file on v2: it is an eBPF program (bpf-devices.c). */
#include "cgroupfs.h"
#include "cgroupfs-plan.h"

#include "strv.h"


static int unsupported(SysrunError *e, const char *field) {
        return sysrun_error_set(e, -EOPNOTSUPP, "%s: cannot be applied: cgroup v2 has no equivalent", field);
}

static int memory_plan(const OciResources *res, CgroupfsPlan *p, SysrunError *e) {
        const OciMemory *m = &res->memory;
        if (ASKED(MEMORY_LIMIT)) {
                if (m->limit.value < -1)
                        return sysrun_error_set(e, -EINVAL, MEM "limit: invalid value %" PRIi64, m->limit.value);
                if (m->limit.value < 0)
                        ADD(MEM "limit", "memory.max", "max");
                else
                        ADD(MEM "limit", "memory.max", "%" PRIi64, m->limit.value);
        }
        if (ASKED(MEMORY_SWAP)) {
                uint64_t swap_max;
                int r = memory_swap_to_max(m->swap.value, m->limit.set ? m->limit.value : 0, &swap_max);
                if (r < 0)
                        return sysrun_error_set(
                                        e, r,
                                        MEM "swap: %" PRIi64 " does not go with memory.limit %" PRIi64
                                            " (the OCI swap is memory+swap, and needs a memory limit)",
                                        m->swap.value, m->limit.set ? m->limit.value : 0);
                if (r > 0 && swap_max == UINT64_MAX)
                        ADD(MEM "swap", "memory.swap.max", "max");
                else if (r > 0)
                        ADD(MEM "swap", "memory.swap.max", "%" PRIu64, swap_max);
        }
        if (ASKED(MEMORY_RESERVATION))
                ADD(MEM "reservation", "memory.low", "%" PRIi64, m->reservation.value < 0 ? 0 : m->reservation.value);
        if (ASKED(MEMORY_KERNEL))
                return unsupported(e, MEM "kernel");
        if (ASKED(MEMORY_KERNEL_TCP))
                return unsupported(e, MEM "kernelTCP");
        /* swappiness 0 and a disabled OOM killer left off are what v2 does anyway. */
        if (ASKED(MEMORY_SWAPPINESS) && m->swappiness.value != 0 && m->swappiness.value != 60)
                return unsupported(e, MEM "swappiness");
        if (ASKED(MEMORY_DISABLE_OOM_KILLER))
                return unsupported(e, MEM "disableOOMKiller");
        return 0;
}

static int cpu_plan(const OciResources *res, CgroupfsPlan *p, SysrunError *e) {
        const OciCpu *c = &res->cpu;
        if (ASKED(CPU_SHARES))
                ADD(CPU "shares", "cpu.weight", "%" PRIu64, cpu_shares_to_weight(c->shares.value));
        if (ASKED(CPU_QUOTA) || ASKED(CPU_PERIOD)) {
                uint64_t period = ASKED(CPU_PERIOD) ? c->period.value : 100000;
                if (ASKED(CPU_QUOTA) && c->quota.value > 0)
                        ADD(c->quota.set ? CPU "quota" : CPU "period", "cpu.max", "%" PRIi64 " %" PRIu64,
                            c->quota.value, period);
                else
                        ADD(c->quota.set ? CPU "quota" : CPU "period", "cpu.max", "max %" PRIu64, period);
        }
        if (ASKED(CPU_BURST))
                ADD(CPU "burst", "cpu.max.burst", "%" PRIu64, c->burst.value);
        if (ASKED(CPU_IDLE))
                ADD(CPU "idle", "cpu.idle", "%" PRIi64, c->idle.value);
        if (ASKED(CPU_REALTIME_RUNTIME))
                return unsupported(e, CPU "realtimeRuntime");
        if (ASKED(CPU_REALTIME_PERIOD))
                return unsupported(e, CPU "realtimePeriod");
        if (ASKED(CPU_CPUS))
                ADD(CPU "cpus", "cpuset.cpus", "%s", c->cpus);
        if (ASKED(CPU_MEMS))
                ADD(CPU "mems", "cpuset.mems", "%s", c->mems);
        return 0;
}

static const char *const throttle_fields[_THROTTLE_KIND_MAX] = {
        BLKIO "throttleReadBpsDevice", BLKIO "throttleWriteBpsDevice",
        BLKIO "throttleReadIOPSDevice", BLKIO "throttleWriteIOPSDevice",
};
static const char *const throttle_keys[_THROTTLE_KIND_MAX] = { "rbps", "wbps", "riops", "wiops" };

static int io_plan(const OciResources *res, CgroupfsPlan *p, SysrunError *e) {
        const OciBlockIO *b = &res->block_io;
        if (ASKED(BLOCKIO_WEIGHT))
                ADD(BLKIO "weight", "io.weight", "default %" PRIu64, blkio_weight_to_io_weight(b->weight.value));
        if (ASKED(BLOCKIO_LEAF_WEIGHT))
                return unsupported(e, BLKIO "leafWeight");
        for (size_t i = 0; i < b->n_weight_devices; i++) {
                const OciWeightDevice *d = &b->weight_devices[i];
                if (d->weight.set)
                        ADD(BLKIO "weightDevice", "io.weight", "%" PRIi64 ":%" PRIi64 " %" PRIu64, d->major,
                            d->minor, blkio_weight_to_io_weight(d->weight.value));
                if (d->leaf_weight.set)
                        return unsupported(e, BLKIO "weightDevice.leafWeight");
        }
        for (size_t k = 0; k < _THROTTLE_KIND_MAX; k++)
                for (size_t i = 0; i < b->n_throttle[k]; i++) {
                        const OciThrottleDevice *d = &b->throttle[k][i];
                        ADD(throttle_fields[k], "io.max", "%" PRIi64 ":%" PRIi64 " %s=%" PRIu64, d->major, d->minor,
                            throttle_keys[k], d->rate);
                }
        return 0;
}

int cgroupfs_v2_plan(const ResourceInput *in, CgroupfsPlan *ret, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        CgroupfsPlan *p = &plan;
        const OciResources *res = in->resources;
        int r;

        if (res) {
                r = memory_plan(res, p, e);
                if (r >= 0)
                        r = cpu_plan(res, p, e);
                if (r >= 0 && res->pids_limit.set && res->pids_limit.value != 0) {
                        if (res->pids_limit.value < 0)
                                ADD("linux.resources.pids.limit", "pids.max", "max");
                        else
                                ADD("linux.resources.pids.limit", "pids.max", "%" PRIi64, res->pids_limit.value);
                }
                if (r >= 0)
                        r = io_plan(res, p, e);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < res->n_hugepage_limits; i++) {
                        const OciHugepageLimit *h = &res->hugepage_limits[i];
                        _cleanup_free_ char *file = NULL;
                        if (asprintf(&file, "hugetlb.%s.max", h->page_size) < 0)
                                return -ENOMEM;
                        ADD("linux.resources.hugepageLimits", file, "%" PRIu64, h->limit);
                }
                if (ASKED(NETWORK_CLASS_ID))
                        return unsupported(e, "linux.resources.network.classID");
                if (res->n_network_priorities > 0)
                        return unsupported(e, "linux.resources.network.priorities");
                for (size_t i = 0; i < res->n_rdma; i++) {
                        const OciRdma *d = &res->rdma[i];
                        char handles[32] = "max", objects[32] = "max";
                        if (d->hca_handles.set)
                                snprintf(handles, sizeof(handles), "%" PRIu64, d->hca_handles.value);
                        if (d->hca_objects.set)
                                snprintf(objects, sizeof(objects), "%" PRIu64, d->hca_objects.value);
                        ADD("linux.resources.rdma", "rdma.max", "%s hca_handle=%s hca_object=%s", d->device,
                            handles, objects);
                }
                /* Verbatim, after the fields: a unified key wins over the field it overlaps (runc). */
                STRV_FOREACH_PAIR(k, v, res->unified) {
                        _cleanup_free_ char *field = NULL;
                        if (asprintf(&field, "linux.resources.unified[\"%s\"]", *k) < 0)
                                return -ENOMEM;
                        if (!resources_unified_key_is_valid(*k))
                                return sysrun_error_set(e, -EINVAL,
                                                        "%s: not a cgroup v2 interface file of a controller", field);
                        if (strchr(*v, '\n') && strchr(*v, '\n')[1])
                                return sysrun_error_set(e, -EINVAL, "%s: the value has more than one line", field);
                        ADD(field, *k, "%s", *v);
                }
        }
        *ret = plan;
        plan = (CgroupfsPlan){};
        return 0;
}
