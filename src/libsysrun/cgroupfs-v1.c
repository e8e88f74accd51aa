/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources → cgroup v1 files. Pure: nothing here touches the file system. */
#include "cgroupfs.h"
#include "cgroupfs-plan.h"

#include <stdarg.h>

#include "strv.h"

void cgroupfs_plan_done(CgroupfsPlan *p) {
        for (size_t i = 0; i < p->n_writes; i++) {
                free(p->writes[i].field);
                free(p->writes[i].file);
                free(p->writes[i].value);
        }
        free(p->writes);
        p->writes = NULL;
        p->n_writes = 0;
}

int cgroupfs_plan_add(CgroupfsPlan *p, const char *field, const char *file, const char *fmt, ...) {
        CgroupWrite *grown, w = {};
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&w.value, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        w.field = strdup(field);
        w.file = strdup(file);
        grown = reallocarray(p->writes, p->n_writes + 1, sizeof(CgroupWrite));
        if (!w.field || !w.file || !grown) {
                free(w.field);
                free(w.file);
                free(w.value);
                if (grown)
                        p->writes = grown;
                return -ENOMEM;
        }
        p->writes = grown;
        p->writes[p->n_writes++] = w;
        return 0;
}

char *cgroupfs_controller_of(const char *file) {
        const char *dot = strchr(file, '.');
        return dot ? strndup(file, (size_t) (dot - file)) : strdup(file);
}

bool cgroupfs_plan_uses(const CgroupfsPlan *p, const char *controller) {
        size_t n = strlen(controller);
        for (size_t i = 0; i < p->n_writes; i++)
                if (strncmp(p->writes[i].file, controller, n) == 0 && p->writes[i].file[n] == '.')
                        return true;
        return false;
}


/* -1 is "unlimited" in OCI and in the v1 files alike. */
static int memory_plan(const OciResources *res, CgroupfsPlan *p, SysrunError *e) {
        const OciMemory *m = &res->memory;
        int r = 0;

        if (ASKED(MEMORY_LIMIT)) {
                if (m->limit.value < -1)
                        r = sysrun_error_set(e, -EINVAL, MEM "limit: invalid value %" PRIi64, m->limit.value);
                else
                        ADD(MEM "limit", "memory.limit_in_bytes", "%" PRIi64, m->limit.value);
        }
        if (r >= 0 && ASKED(MEMORY_SWAP)) {
                if (m->swap.value < -1)
                        r = sysrun_error_set(e, -EINVAL, MEM "swap: invalid value %" PRIi64, m->swap.value);
                else if (m->swap.value > 0 && m->limit.set && m->limit.value > 0 && m->swap.value < m->limit.value)
                        r = sysrun_error_set(
                                        e, -EINVAL,
                                        MEM "swap: %" PRIi64 " is below memory.limit %" PRIi64
                                            " (the OCI swap is memory+swap)",
                                        m->swap.value, m->limit.value);
                else
                        ADD(MEM "swap", "memory.memsw.limit_in_bytes", "%" PRIi64, m->swap.value);
        }
        if (r >= 0 && ASKED(MEMORY_RESERVATION))
                ADD(MEM "reservation", "memory.soft_limit_in_bytes", "%" PRIi64, m->reservation.value);
        if (r >= 0 && ASKED(MEMORY_KERNEL))
                ADD(MEM "kernel", "memory.kmem.limit_in_bytes", "%" PRIi64, m->kernel.value);
        if (r >= 0 && ASKED(MEMORY_KERNEL_TCP))
                ADD(MEM "kernelTCP", "memory.kmem.tcp.limit_in_bytes", "%" PRIi64, m->kernel_tcp.value);
        if (r >= 0 && ASKED(MEMORY_SWAPPINESS)) {
                if (m->swappiness.value > 100)
                        r = sysrun_error_set(e, -EINVAL, MEM "swappiness: %" PRIu64 " is above 100",
                                             m->swappiness.value);
                else
                        ADD(MEM "swappiness", "memory.swappiness", "%" PRIu64, m->swappiness.value);
        }
        if (r >= 0 && ASKED(MEMORY_DISABLE_OOM_KILLER))
                ADD(MEM "disableOOMKiller", "memory.oom_control", "1");
        return r;
}

static int cpu_plan(const OciResources *res, CgroupfsPlan *p) {
        const OciCpu *c = &res->cpu;
        if (ASKED(CPU_SHARES))
                ADD(CPU "shares", "cpu.shares", "%" PRIu64, c->shares.value);
        /* The period first: a quota is checked against it. */
        if (ASKED(CPU_PERIOD))
                ADD(CPU "period", "cpu.cfs_period_us", "%" PRIu64, c->period.value);
        if (ASKED(CPU_QUOTA))
                ADD(CPU "quota", "cpu.cfs_quota_us", "%" PRIi64, c->quota.value < 0 ? -1 : c->quota.value);
        if (ASKED(CPU_BURST))
                ADD(CPU "burst", "cpu.cfs_burst_us", "%" PRIu64, c->burst.value);
        if (ASKED(CPU_REALTIME_PERIOD))
                ADD(CPU "realtimePeriod", "cpu.rt_period_us", "%" PRIu64, c->realtime_period.value);
        if (ASKED(CPU_REALTIME_RUNTIME))
                ADD(CPU "realtimeRuntime", "cpu.rt_runtime_us", "%" PRIi64, c->realtime_runtime.value);
        if (ASKED(CPU_IDLE))
                ADD(CPU "idle", "cpu.idle", "%" PRIi64, c->idle.value);
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
static const char *const throttle_files[_THROTTLE_KIND_MAX] = {
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
        "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
};

static int blkio_plan(const OciResources *res, CgroupfsPlan *p) {
        const OciBlockIO *b = &res->block_io;
        /* blkio.weight: with the bfq scheduler the kernel calls it blkio.bfq.weight (the writer
         * falls back to it). */
        if (ASKED(BLOCKIO_WEIGHT))
                ADD(BLKIO "weight", "blkio.weight", "%" PRIu64, b->weight.value);
        if (ASKED(BLOCKIO_LEAF_WEIGHT))
                ADD(BLKIO "leafWeight", "blkio.leaf_weight", "%" PRIu64, b->leaf_weight.value);
        for (size_t i = 0; i < b->n_weight_devices; i++) {
                const OciWeightDevice *d = &b->weight_devices[i];
                if (d->weight.set)
                        ADD(BLKIO "weightDevice", "blkio.weight_device", "%" PRIi64 ":%" PRIi64 " %" PRIu64,
                            d->major, d->minor, d->weight.value);
                if (d->leaf_weight.set)
                        ADD(BLKIO "weightDevice", "blkio.leaf_weight_device",
                            "%" PRIi64 ":%" PRIi64 " %" PRIu64, d->major, d->minor, d->leaf_weight.value);
        }
        for (size_t k = 0; k < _THROTTLE_KIND_MAX; k++)
                for (size_t i = 0; i < b->n_throttle[k]; i++) {
                        const OciThrottleDevice *d = &b->throttle[k][i];
                        ADD(throttle_fields[k], throttle_files[k], "%" PRIi64 ":%" PRIi64 " %" PRIu64, d->major,
                            d->minor, d->rate);
                }
        return 0;
}

char *cgroupfs_v1_device_line(const OciDeviceRule *rule) {
        char major[24] = "*", minor[24] = "*", *s = NULL;

        if (rule->major >= 0)
                snprintf(major, sizeof(major), "%" PRIi64, rule->major);
        if (rule->minor >= 0)
                snprintf(minor, sizeof(minor), "%" PRIi64, rule->minor);
        if (rule->type == 'a' || rule->type == 0)
                return strdup("a"); /* the kernel reads it as every device, every access */
        if (asprintf(&s, "%c %s:%s %s", rule->type, major, minor, isempty(rule->access) ? "rwm" : rule->access) < 0)
                return NULL;
        return s;
}

int cgroupfs_device_rules(const ResourceInput *in, OciDeviceRule **ret, size_t *ret_n) {
        const OciResources *res = in->resources;
        _cleanup_free_ OciDeviceRule *defaults = NULL;
        size_t n_defaults = 0, n = 0;
        OciDeviceRule *l;
        int r;

        /* The caller's rules are the policy; linux.devices makes nodes and grants nothing, as in
         * runc. runc's default devices follow, but for the nodes linux.devices makes itself. */
        if (in->default_devices) {
                r = default_device_rules_for(in->devices, in->n_devices, &defaults, &n_defaults);
                if (r < 0)
                        return r;
        }
        l = calloc((res ? res->n_devices : 0) + n_defaults + 1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        for (size_t i = 0; res && i < res->n_devices; i++)
                l[n++] = res->devices[i];
        for (size_t i = 0; i < n_defaults; i++)
                l[n++] = defaults[i];
        *ret = l;
        *ret_n = n;
        return 0;
}

static bool access_is_all(const char *a) {
        return isempty(a) || (strchr(a, 'r') && strchr(a, 'w') && strchr(a, 'm'));
}

/* The device policy: everything denied, then each rule in order, so the kernel's list ends up as
 * the rules say (a later rule wins over an earlier one, as in runc). */
static int devices_plan(const ResourceInput *in, CgroupfsPlan *p, SysrunError *e) {
        _cleanup_free_ OciDeviceRule *rules = NULL;
        size_t n = 0, n_rules = in->resources ? in->resources->n_devices : 0;
        int r;

        r = cgroupfs_device_rules(in, &rules, &n);
        if (r < 0)
                return r;
        ADD("linux.resources.devices", "devices.deny", "a");
        for (size_t i = 0; i < n; i++) {
                const OciDeviceRule *rule = &rules[i];
                _cleanup_free_ char *line = NULL, *field = NULL;

                if (i < n_rules)
                        r = asprintf(&field, "linux.resources.devices[%zu]", i);
                else
                        r = asprintf(&field, "linux.resources.devices"); /* runc's defaults */
                if (r < 0)
                        return -ENOMEM;
                if (rule->access && rule->access[strspn(rule->access, "rwm")]) {
                        return sysrun_error_set(e, -EINVAL, "%s: invalid access '%s' (expected r, w, m)", field,
                                                rule->access);
                }
                if ((rule->type == 'a' || rule->type == 0) && !access_is_all(rule->access)) {
                        /* The kernel reads "a" as every access: a narrower one is spelt for each type. */
                        ADD(field, rule->allow ? "devices.allow" : "devices.deny", "c *:* %s", rule->access);
                        ADD(field, rule->allow ? "devices.allow" : "devices.deny", "b *:* %s", rule->access);
                        continue;
                }
                line = cgroupfs_v1_device_line(rule);
                if (!line)
                        return -ENOMEM;
                ADD(field, rule->allow ? "devices.allow" : "devices.deny", "%s", line);
        }
        return 0;
}

int cgroupfs_v1_plan(const ResourceInput *in, CgroupfsPlan *ret, SysrunError *e) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan plan = {};
        CgroupfsPlan *p = &plan;
        const OciResources *res = in->resources;
        int r;

        if (in->mode == RESOURCE_MODE_CREATE) {
                r = devices_plan(in, p, e);
                if (r < 0)
                        return r;
        }
        if (res) {
                r = memory_plan(res, p, e);
                if (r < 0)
                        return r;
                r = cpu_plan(res, p);
                if (r < 0)
                        return r;
                if (res->pids_limit.set && res->pids_limit.value != 0)
                        ADD("linux.resources.pids.limit", "pids.max", res->pids_limit.value < 0 ? "max" : "%" PRIi64,
                            res->pids_limit.value);
                r = blkio_plan(res, p);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < res->n_hugepage_limits; i++) {
                        const OciHugepageLimit *h = &res->hugepage_limits[i];
                        _cleanup_free_ char *file = NULL;
                        if (asprintf(&file, "hugetlb.%s.limit_in_bytes", h->page_size) < 0)
                                return -ENOMEM;
                        ADD("linux.resources.hugepageLimits", file, "%" PRIu64, h->limit);
                }
                if (ASKED(NETWORK_CLASS_ID))
                        ADD("linux.resources.network.classID", "net_cls.classid", "%" PRIu64,
                            res->network_class_id.value);
                for (size_t i = 0; i < res->n_network_priorities; i++)
                        ADD("linux.resources.network.priorities", "net_prio.ifpriomap", "%s %" PRIu32,
                            res->network_priorities[i].name, res->network_priorities[i].priority);
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
                STRV_FOREACH_PAIR(k, v, res->unified)
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "linux.resources.unified[\"%s\"]: invalid configuration: cannot use "
                                        "unified on cgroup v1 (this host has cgroup v1 controllers; unified keys "
                                        "need cgroup v2)",
                                        *k);
        }
        *ret = plan;
        plan = (CgroupfsPlan){};
        return 0;
}
