/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup.h"
#include "cgroupfs.h"
#include "log.h"
#include "strv.h"

static const char *const manager_names[_CGROUP_MANAGER_TYPE_MAX] = {
        [CGROUP_MANAGER_DISABLED] = "disabled",
        [CGROUP_MANAGER_SYSTEMD] = "systemd",
        [CGROUP_MANAGER_CGROUPFS] = "cgroupfs",
};

const char *cgroup_manager_type_to_string(CgroupManagerType t) {
        return t >= 0 && t < _CGROUP_MANAGER_TYPE_MAX ? manager_names[t] : NULL;
}

CgroupManagerType cgroup_manager_type_from_string(const char *s) {
        for (size_t i = 0; s && i < ELEMENTSOF(manager_names); i++)
                if (streq(manager_names[i], s))
                        return (CgroupManagerType) i;
        return _CGROUP_MANAGER_TYPE_INVALID;
}

CgroupManagerType cgroup_manager_default(void) {
        if (access("/run/systemd/system", F_OK) == 0)
                return CGROUP_MANAGER_SYSTEMD;
        return cgroupfs_host_supported() ? CGROUP_MANAGER_CGROUPFS : CGROUP_MANAGER_DISABLED;
}

#define ADD_IF(cond, path)                                      \
        do {                                                    \
                if ((cond) && strv_extend(&l, (path)) < 0)      \
                        return -ENOMEM;                         \
        } while (0)

int resources_list_limits(const OciResources *r, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        static const char *const throttle_names[_THROTTLE_KIND_MAX] = {
                "throttleReadBpsDevice", "throttleWriteBpsDevice",
                "throttleReadIOPSDevice", "throttleWriteIOPSDevice",
        };

        if (r) {
                const OciMemory *m = &r->memory;
                const OciCpu *c = &r->cpu;
                const OciBlockIO *b = &r->block_io;

                ADD_IF(m->limit.set, "linux.resources.memory.limit");
                ADD_IF(m->reservation.set, "linux.resources.memory.reservation");
                ADD_IF(m->swap.set, "linux.resources.memory.swap");
                ADD_IF(m->kernel.set, "linux.resources.memory.kernel");
                ADD_IF(m->kernel_tcp.set, "linux.resources.memory.kernelTCP");
                ADD_IF(m->swappiness.set, "linux.resources.memory.swappiness");
                ADD_IF(m->disable_oom_killer.set && m->disable_oom_killer.value,
                       "linux.resources.memory.disableOOMKiller");
                ADD_IF(c->shares.set, "linux.resources.cpu.shares");
                ADD_IF(c->quota.set, "linux.resources.cpu.quota");
                ADD_IF(c->burst.set, "linux.resources.cpu.burst");
                ADD_IF(c->period.set, "linux.resources.cpu.period");
                ADD_IF(c->realtime_runtime.set, "linux.resources.cpu.realtimeRuntime");
                ADD_IF(c->realtime_period.set, "linux.resources.cpu.realtimePeriod");
                ADD_IF(!isempty(c->cpus), "linux.resources.cpu.cpus");
                ADD_IF(!isempty(c->mems), "linux.resources.cpu.mems");
                ADD_IF(c->idle.set, "linux.resources.cpu.idle");
                ADD_IF(r->pids_limit.set, "linux.resources.pids.limit");
                ADD_IF(b->weight.set, "linux.resources.blockIO.weight");
                ADD_IF(b->leaf_weight.set, "linux.resources.blockIO.leafWeight");
                ADD_IF(b->n_weight_devices > 0, "linux.resources.blockIO.weightDevice");
                for (size_t i = 0; i < _THROTTLE_KIND_MAX; i++)
                        if (b->n_throttle[i] > 0) {
                                char *p;
                                if (asprintf(&p, "linux.resources.blockIO.%s", throttle_names[i]) < 0 ||
                                    strv_consume(&l, p) < 0)
                                        return -ENOMEM;
                        }
                ADD_IF(r->n_hugepage_limits > 0, "linux.resources.hugepageLimits");
                ADD_IF(r->network_class_id.set, "linux.resources.network.classID");
                ADD_IF(r->n_network_priorities > 0, "linux.resources.network.priorities");
                ADD_IF(r->n_rdma > 0, "linux.resources.rdma");
                STRV_FOREACH_PAIR(k, v, r->unified) {
                        char *p;
                        if (asprintf(&p, "linux.resources.unified[\"%s\"]", *k) < 0 || strv_consume(&l, p) < 0)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* The "disabled" manager: no cgroup at all. Device rules are honoured by what sysrun creates in
 * /dev (the default devices and linux.devices, nothing else); any other limit is refused, because
 * a limit that silently does nothing is worse than an error, unless the user chose this manager. */
static int disabled_check(const OciConfig *c, bool explicit_choice, SysrunError *e) {
        _cleanup_strv_free_ char **limits = NULL;
        _cleanup_free_ char *joined = NULL;
        size_t len = 0;
        int r;

        r = resources_list_limits(c->linux_section ? c->linux_section->resources : NULL, &limits);
        if (r < 0)
                return r;
        if (!limits)
                return 0;
        if (!explicit_choice)
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "%s: cannot be applied: no cgroup manager (systemd is not running); "
                                        "remove the limit or pass --cgroup-manager=disabled to ignore limits",
                                        limits[0]);
        STRV_FOREACH(s, limits)
                len += strlen(*s) + 2;
        joined = calloc(1, len + 1);
        if (!joined)
                return -ENOMEM;
        STRV_FOREACH(s, limits) {
                if (*joined)
                        strcat(joined, ", ");
                strcat(joined, *s);
        }
        sysrun_log(LOG_WARNING, "--cgroup-manager=disabled: ignoring resource limits: %s", joined);
        return 0;
}

static int disabled_enter(const OciConfig *c, ContainerState *s, pid_t pid, SysrunError *e) {
        return 0;
}

static int disabled_unsupported(ContainerState *s, const char *what, SysrunError *e) {
        return sysrun_error_set(e, -EOPNOTSUPP, "%s needs a cgroup manager; container '%s' has none", what, s->id);
}

static int disabled_update(ContainerState *s, const OciResources *r, SysrunError *e) {
        return disabled_unsupported(s, "update", e);
}

static int disabled_freeze(ContainerState *s, bool freeze, SysrunError *e) {
        return disabled_unsupported(s, freeze ? "pause" : "resume", e);
}

static int disabled_is_frozen(ContainerState *s) {
        return 0;
}

static int disabled_kill_all(ContainerState *s, int sig, SysrunError *e) {
        return -EOPNOTSUPP; /* the caller falls back to the pid namespace */
}

static int disabled_pids(ContainerState *s, pid_t **ret, size_t *ret_n, SysrunError *e) {
        return -EOPNOTSUPP;
}

static int disabled_destroy(ContainerState *s, SysrunError *e) {
        return 0;
}

static int disabled_attach(ContainerState *s, pid_t pid, SysrunError *e) {
        return 0; /* no cgroup to join */
}

static int disabled_stats(ContainerState *s, CgroupStats *ret, SysrunError *e) {
        return disabled_unsupported(s, "events", e);
}

static const CgroupManager disabled_manager = {
        .name = "disabled",
        .check = disabled_check,
        .enter = disabled_enter,
        .update = disabled_update,
        .freeze = disabled_freeze,
        .is_frozen = disabled_is_frozen,
        .kill_all = disabled_kill_all,
        .pids = disabled_pids,
        .destroy = disabled_destroy,
        .attach = disabled_attach,
        .stats = disabled_stats,
};

#if HAVE_SYSTEMD_MANAGER
extern const CgroupManager systemd_manager;
#endif

const CgroupManager *cgroup_manager_get(CgroupManagerType t) {
        switch (t) {
#if HAVE_SYSTEMD_MANAGER
        case CGROUP_MANAGER_SYSTEMD:
                return &systemd_manager;
#endif
        case CGROUP_MANAGER_CGROUPFS:
                return &cgroupfs_manager;
        case CGROUP_MANAGER_DISABLED:
                return &disabled_manager;
        default:
                return NULL;
        }
}

const CgroupManager *cgroup_manager_for_state(const ContainerState *s) {
        CgroupManagerType t = cgroup_manager_type_from_string(s->cgroup_manager);
        return cgroup_manager_get(t < 0 ? CGROUP_MANAGER_DISABLED : t);
}
