/* SPDX-License-Identifier: Apache-2.0 */
/* What each field of linux.resources asks for. Callers fill every field they know with a value that
 * means "not set": docker 20.10 sends cpu.shares 0, blockIO.weight 0, memory {} (or disableOOMKiller
 * false), pids.limit -1; podman 4.3 sends pids.limit 0 with --pids-limit 0; Go callers write a
 * swappiness of -1 as uint64 (18446744073709551615). Those are no limits, for the listing of the
 * no-manager check and for the planner alike: this file is the one place that says so. Pure. */

#include "resources.h"
#include "strv.h"

static const char *const resource_field_names[_RESOURCE_FIELD_MAX] = {
        [RESOURCE_FIELD_MEMORY_LIMIT] = "linux.resources.memory.limit",
        [RESOURCE_FIELD_MEMORY_RESERVATION] = "linux.resources.memory.reservation",
        [RESOURCE_FIELD_MEMORY_SWAP] = "linux.resources.memory.swap",
        [RESOURCE_FIELD_MEMORY_KERNEL] = "linux.resources.memory.kernel",
        [RESOURCE_FIELD_MEMORY_KERNEL_TCP] = "linux.resources.memory.kernelTCP",
        [RESOURCE_FIELD_MEMORY_SWAPPINESS] = "linux.resources.memory.swappiness",
        [RESOURCE_FIELD_MEMORY_DISABLE_OOM_KILLER] = "linux.resources.memory.disableOOMKiller",
        [RESOURCE_FIELD_CPU_SHARES] = "linux.resources.cpu.shares",
        [RESOURCE_FIELD_CPU_QUOTA] = "linux.resources.cpu.quota",
        [RESOURCE_FIELD_CPU_BURST] = "linux.resources.cpu.burst",
        [RESOURCE_FIELD_CPU_PERIOD] = "linux.resources.cpu.period",
        [RESOURCE_FIELD_CPU_REALTIME_RUNTIME] = "linux.resources.cpu.realtimeRuntime",
        [RESOURCE_FIELD_CPU_REALTIME_PERIOD] = "linux.resources.cpu.realtimePeriod",
        [RESOURCE_FIELD_CPU_CPUS] = "linux.resources.cpu.cpus",
        [RESOURCE_FIELD_CPU_MEMS] = "linux.resources.cpu.mems",
        [RESOURCE_FIELD_CPU_IDLE] = "linux.resources.cpu.idle",
        [RESOURCE_FIELD_PIDS_LIMIT] = "linux.resources.pids.limit",
        [RESOURCE_FIELD_BLOCKIO_WEIGHT] = "linux.resources.blockIO.weight",
        [RESOURCE_FIELD_BLOCKIO_LEAF_WEIGHT] = "linux.resources.blockIO.leafWeight",
        [RESOURCE_FIELD_BLOCKIO_WEIGHT_DEVICE] = "linux.resources.blockIO.weightDevice",
        [RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS] = "linux.resources.blockIO.throttleReadBpsDevice",
        [RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_BPS] = "linux.resources.blockIO.throttleWriteBpsDevice",
        [RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_IOPS] = "linux.resources.blockIO.throttleReadIOPSDevice",
        [RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_IOPS] = "linux.resources.blockIO.throttleWriteIOPSDevice",
        [RESOURCE_FIELD_HUGEPAGE_LIMITS] = "linux.resources.hugepageLimits",
        [RESOURCE_FIELD_NETWORK_CLASS_ID] = "linux.resources.network.classID",
        [RESOURCE_FIELD_NETWORK_PRIORITIES] = "linux.resources.network.priorities",
        [RESOURCE_FIELD_RDMA] = "linux.resources.rdma",
        [RESOURCE_FIELD_UNIFIED] = "linux.resources.unified",
};

const char *resource_field_to_string(ResourceField f) {
        return f >= 0 && f < _RESOURCE_FIELD_MAX ? resource_field_names[f] : NULL;
}

/* A signed byte count or time: 0 is "not set", -1 "no limit"; anything else the planner checks. */
static ResourceKind kind_i64(const OptI64 *o) {
        if (!o->set || o->value == 0)
                return RESOURCE_UNSET;
        return o->value == -1 ? RESOURCE_UNLIMITED : RESOURCE_LIMIT;
}

static ResourceKind kind_u64(const OptU64 *o) {
        return o->set && o->value != 0 ? RESOURCE_LIMIT : RESOURCE_UNSET;
}

static ResourceKind kind_n(size_t n) {
        return n > 0 ? RESOURCE_LIMIT : RESOURCE_UNSET;
}

ResourceKind resource_field_kind(const OciResources *r, ResourceField f) {
        const OciMemory *m;
        const OciCpu *c;
        const OciBlockIO *b;

        if (!r)
                return RESOURCE_UNSET;
        m = &r->memory;
        c = &r->cpu;
        b = &r->block_io;

        switch (f) {
        case RESOURCE_FIELD_MEMORY_LIMIT:
                return kind_i64(&m->limit);
        case RESOURCE_FIELD_MEMORY_RESERVATION:
                return kind_i64(&m->reservation);
        case RESOURCE_FIELD_MEMORY_SWAP:
                return kind_i64(&m->swap);
        case RESOURCE_FIELD_MEMORY_KERNEL:
                return kind_i64(&m->kernel);
        case RESOURCE_FIELD_MEMORY_KERNEL_TCP:
                return kind_i64(&m->kernel_tcp);
        case RESOURCE_FIELD_MEMORY_SWAPPINESS:
                /* runc reads int64(swappiness) == -1 as "not set" */
                return m->swappiness.set && m->swappiness.value != UINT64_MAX ? RESOURCE_LIMIT : RESOURCE_UNSET;
        case RESOURCE_FIELD_MEMORY_DISABLE_OOM_KILLER:
                return m->disable_oom_killer.set && m->disable_oom_killer.value ? RESOURCE_LIMIT :
                                                                                 RESOURCE_UNSET;
        case RESOURCE_FIELD_CPU_SHARES:
                return kind_u64(&c->shares);
        case RESOURCE_FIELD_CPU_QUOTA:
                /* every negative quota is "max" to the kernel */
                return !c->quota.set || c->quota.value == 0 ? RESOURCE_UNSET :
                                c->quota.value < 0          ? RESOURCE_UNLIMITED :
                                                              RESOURCE_LIMIT;
        case RESOURCE_FIELD_CPU_BURST:
                return kind_u64(&c->burst);
        case RESOURCE_FIELD_CPU_PERIOD:
                return kind_u64(&c->period);
        case RESOURCE_FIELD_CPU_REALTIME_RUNTIME:
                return kind_i64(&c->realtime_runtime);
        case RESOURCE_FIELD_CPU_REALTIME_PERIOD:
                return kind_u64(&c->realtime_period);
        case RESOURCE_FIELD_CPU_CPUS:
                return isempty(c->cpus) ? RESOURCE_UNSET : RESOURCE_LIMIT;
        case RESOURCE_FIELD_CPU_MEMS:
                return isempty(c->mems) ? RESOURCE_UNSET : RESOURCE_LIMIT;
        case RESOURCE_FIELD_CPU_IDLE:
                /* 0 is the normal weight: it only undoes an earlier idle */
                if (!c->idle.set)
                        return RESOURCE_UNSET;
                return c->idle.value == 0 ? RESOURCE_UNLIMITED : RESOURCE_LIMIT;
        case RESOURCE_FIELD_PIDS_LIMIT:
                /* runc 1.1 and docker: 0 and negative are "max" */
                return !r->pids_limit.set ? RESOURCE_UNSET :
                                r->pids_limit.value <= 0 ? RESOURCE_UNLIMITED :
                                                           RESOURCE_LIMIT;
        case RESOURCE_FIELD_BLOCKIO_WEIGHT:
                return kind_u64(&b->weight);
        case RESOURCE_FIELD_BLOCKIO_LEAF_WEIGHT:
                return kind_u64(&b->leaf_weight);
        case RESOURCE_FIELD_BLOCKIO_WEIGHT_DEVICE:
                return kind_n(b->n_weight_devices);
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_BPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_IOPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_IOPS:
                return kind_n(b->n_throttle[f - RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS]);
        case RESOURCE_FIELD_HUGEPAGE_LIMITS:
                return kind_n(r->n_hugepage_limits);
        case RESOURCE_FIELD_NETWORK_CLASS_ID:
                return kind_u64(&r->network_class_id);
        case RESOURCE_FIELD_NETWORK_PRIORITIES:
                return kind_n(r->n_network_priorities);
        case RESOURCE_FIELD_RDMA:
                return kind_n(r->n_rdma);
        case RESOURCE_FIELD_UNIFIED:
                return kind_n(strv_length(r->unified));
        default:
                return RESOURCE_UNSET;
        }
}

const char *resource_field_controller(ResourceField f) {
        switch (f) {
        case RESOURCE_FIELD_MEMORY_LIMIT:
        case RESOURCE_FIELD_MEMORY_RESERVATION:
        case RESOURCE_FIELD_MEMORY_SWAP:
                return "memory";
        case RESOURCE_FIELD_CPU_SHARES:
        case RESOURCE_FIELD_CPU_QUOTA:
        case RESOURCE_FIELD_CPU_BURST:
        case RESOURCE_FIELD_CPU_PERIOD:
        case RESOURCE_FIELD_CPU_REALTIME_RUNTIME:
        case RESOURCE_FIELD_CPU_REALTIME_PERIOD:
        case RESOURCE_FIELD_CPU_IDLE:
                return "cpu";
        case RESOURCE_FIELD_CPU_CPUS:
        case RESOURCE_FIELD_CPU_MEMS:
                return "cpuset";
        case RESOURCE_FIELD_PIDS_LIMIT:
                return "pids";
        case RESOURCE_FIELD_BLOCKIO_WEIGHT:
        case RESOURCE_FIELD_BLOCKIO_WEIGHT_DEVICE:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_BPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_IOPS:
        case RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_IOPS:
                return "io";
        case RESOURCE_FIELD_HUGEPAGE_LIMITS:
                return "hugetlb";
        case RESOURCE_FIELD_RDMA:
                return "rdma";
        default:
                return NULL;
        }
}

int resources_required_controllers(const OciResources *r, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (ResourceField f = 0; f < _RESOURCE_FIELD_MAX; f++) {
                const char *controller = resource_field_controller(f);

                if (!resource_field_is_limit(r, f))
                        continue;
                if (f == RESOURCE_FIELD_UNIFIED) {
                        STRV_FOREACH_PAIR(k, v, r->unified) {
                                const char *dot = strchr(*k, '.');
                                char *field, *ctrl;

                                if (!dot || startswith(*k, "cgroup."))
                                        continue; /* core files; the planner refuses the rest */
                                if (asprintf(&field, "%s[\"%s\"]", resource_field_names[f], *k) < 0 ||
                                    strv_consume(&l, field) < 0)
                                        return -ENOMEM;
                                ctrl = strndup(*k, (size_t) (dot - *k));
                                if (!ctrl || strv_consume(&l, ctrl) < 0)
                                        return -ENOMEM;
                        }
                        continue;
                }
                if (!controller)
                        continue;
                if (strv_extend(&l, resource_field_names[f]) < 0 || strv_extend(&l, controller) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

bool resource_field_is_limit(const OciResources *r, ResourceField f) {
        return resource_field_kind(r, f) == RESOURCE_LIMIT;
}

int resources_list_limits(const OciResources *r, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (ResourceField f = 0; f < _RESOURCE_FIELD_MAX; f++) {
                if (!resource_field_is_limit(r, f))
                        continue;
                if (f != RESOURCE_FIELD_UNIFIED) {
                        if (strv_extend(&l, resource_field_names[f]) < 0)
                                return -ENOMEM;
                        continue;
                }
                STRV_FOREACH_PAIR(k, v, r->unified) {
                        char *p;
                        if (asprintf(&p, "%s[\"%s\"]", resource_field_names[f], *k) < 0 ||
                            strv_consume(&l, p) < 0)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(l);
        return 0;
}
