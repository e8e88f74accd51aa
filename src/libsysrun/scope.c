/* SPDX-License-Identifier: Apache-2.0 */
#include "scope.h"

#include <ctype.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/statfs.h>

#include "bus-util.h"
#include "cgroup-stats.h"
#include "cgroupfs-sub.h"
#include "errno-string.h"
#include "fd-util.h"
#include "log.h"
#include "machine.h"
#include "resources.h"
#include "rootless.h"
#include "scope-rootless.h"
#include "scope-v1.h"
#include "strv.h"
#include "transient-unit.h"
#include "unit-name.h"

static bool has_suffix(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && streq(s + a - b, suffix);
}

/* Whether create chose the systemd manager itself (check() records it for intent() and enter(), which
 * follow in the same process). */
static bool manager_implicit = false;

static const char *config_cgroups_path(const OciConfig *c) {
        return cgroups_path_effective(
                        c->linux_section ? c->linux_section->cgroups_path : NULL, !manager_implicit);
}

static const OciResources *config_resources(const OciConfig *c) {
        return c->linux_section ? c->linux_section->resources : NULL;
}

/* systemd's cpu controller is a v1 hierarchy: a hybrid host. */
static bool cpu_controller_v1(void) {
        struct statfs sfs;

        return statfs("/sys/fs/cgroup/cpu", &sfs) == 0 && sfs.f_type == CGROUP_SUPER_MAGIC;
}

static int config_plan(const OciConfig *c, unsigned version, ResourcePlan *ret, SysrunError *e) {
        ResourceInput in = {
                .resources = config_resources(c),
                .default_devices = true,
                .devices = c->linux_section ? c->linux_section->devices : NULL,
                .n_devices = c->linux_section ? c->linux_section->n_devices : 0,
                .systemd_version = version,
                .mode = RESOURCE_MODE_CREATE,
                .cpu_v1 = cpu_controller_v1(),
        };
        return resources_plan(&in, ret, e);
}

/* The plan check() made for a config, so that enter() in the same create need not make it again. */
static struct {
        const OciConfig *config;
        unsigned version;
        ResourcePlan plan;
} checked_plan;

static int scope_check(const OciConfig *c, bool explicit_choice, SysrunError *e) {
        _cleanup_(unit_property_list_done) UnitPropertyList annotations = {};
        _cleanup_free_ char *slice = NULL, *unit = NULL;
        unsigned version = 0;
        sd_bus *bus;
        int r;

        /* Everything that can be refused is refused before anything is made: the config, and (over the
         * connection that enter() will reuse) a field the running systemd is too old for. Without a
         * systemd to ask, the config alone is checked; enter() then says what is missing. */
        manager_implicit = !explicit_choice;
        /* As runc: unified keys need a unified host, whatever systemd could map. */
        if (cpu_controller_v1() && config_resources(c))
                STRV_FOREACH_PAIR(k, v, config_resources(c)->unified)
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "linux.resources.unified[\"%s\"]: invalid configuration: cannot use "
                                        "unified on cgroup v1 (this host has cgroup v1 controllers; unified keys "
                                        "need cgroup v2)",
                                        *k);
        if (c->linux_section && c->linux_section->cgroups_path && !config_cgroups_path(c))
                sysrun_log(LOG_WARNING,
                           "linux.cgroupsPath: '%s' is a cgroupfs path, which the systemd cgroup manager does "
                           "not take; the container goes to the default scope (choose one with "
                           "--systemd-cgroup and \"slice:prefix:name\")",
                           c->linux_section->cgroups_path);
        r = cgroups_path_parse(config_cgroups_path(c), "check", &slice, &unit, e);
        if (r < 0)
                return r;
        r = unit_properties_from_annotations(c->annotations, &annotations, e);
        if (r < 0)
                return r;
        if (bus_systemd(&bus, NULL) < 0 || bus_systemd_version(bus, &version, NULL) < 0)
                version = 0;
        resource_plan_done(&checked_plan.plan);
        checked_plan.config = NULL;
        r = config_plan(c, version, &checked_plan.plan, e);
        if (r < 0)
                return r;
        checked_plan.config = c;
        checked_plan.version = version;
        return 0;
}

/* The scope's cgroup: the recorded path without the sub-cgroup sysrun may have made. */
static char *scope_cgroup(const ContainerState *s) {
        const char *p = s->cgroup_path;
        size_t n;

        if (!p)
                return NULL;
        n = strlen(p);
        if (has_suffix(p, "/" CGROUP_SUBGROUP))
                n -= strlen("/" CGROUP_SUBGROUP);
        return strndup(p, n);
}

static bool cgroup_is_populated(const char *path) {
        _cleanup_close_ int fd = cgroup_open(path);
        _cleanup_free_ char *text = NULL;
        uint64_t v = 1;

        if (fd < 0 || read_full_file_at(fd, "cgroup.events", 4096, &text, NULL) < 0)
                return fd >= 0;
        (void) cgroup_parse_keyed(text, "populated", &v);
        return v != 0;
}

/* Stops a slice sysrun made, unless some process still lives in it (another container). */
static int stop_slice_if_unused(sd_bus *bus, const char *slice, SysrunError *e) {
        _cleanup_free_ char *cg = NULL;

        if (bus_unit_get_string(bus, slice, SLICE_IFACE, "ControlGroup", &cg, NULL) >= 0 && !isempty(cg) &&
            cgroup_is_populated(cg))
                return 0;
        return unit_stop(bus, slice, e);
}

static void log_warnings(char **warnings) {
        STRV_FOREACH(w, warnings)
                sysrun_log(LOG_WARNING, "%s", *w);
}

/* The units a create makes: the scope, the slice it goes in, and the slice to make first when
 * cgroupsPath names one (NULL otherwise; the scope then goes inside it). */
static int scope_units(
                const OciConfig *c,
                const char *id,
                char **ret_scope,
                char **ret_slice,
                char **ret_own_slice,
                SysrunError *e) {
        _cleanup_free_ char *slice = NULL, *unit = NULL, *scope = NULL;
        int r;

        r = cgroups_path_parse(config_cgroups_path(c), id, &slice, &unit, e);
        if (r < 0)
                return r;
        if (has_suffix(unit, ".slice")) {
                scope = scope_default_name(id);
                if (!scope)
                        return -ENOMEM;
        } else
                scope = TAKE_PTR(unit);
        *ret_scope = TAKE_PTR(scope);
        if (ret_slice)
                *ret_slice = TAKE_PTR(slice);
        if (ret_own_slice)
                *ret_own_slice = TAKE_PTR(unit);
        return 0;
}

static char *unit_description(const char *id) {
        char *d;

        return asprintf(&d, "sysrun container %s", id) < 0 ? NULL : d;
}

/* systemd stores a limit whose controller it cannot enable for the scope (not delegated to it, or
 * bound to a v1 hierarchy it does not have) and enforces nothing: such a limit is refused, as without
 * a manager. */
static int check_controllers(const OciResources *res, pid_t pid, const char *cgroup, SysrunError *e) {
        _cleanup_strv_free_ char **needed = NULL, **available = NULL;
        int r;

        r = resources_required_controllers(res, &needed);
        if (r < 0 || !needed)
                return r;
        r = cgroup_pid_controllers(pid, cgroup, &available);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the controllers of cgroup '%s': %m", cgroup);
        STRV_FOREACH_PAIR(field, controller, needed) {
                _cleanup_free_ char *there = NULL;

                if (strv_contains(available, *controller))
                        continue;
                there = strv_join(available, " ");
                if (!there)
                        return -ENOMEM;
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "%s: cannot be applied: the %s controller is not available in the container's "
                                "cgroup '%s' (systemd could not enable it there; it has: %s)",
                                *field, *controller, cgroup, isempty(there) ? "none" : there);
        }
        return 0;
}

static bool device_policy_strict(const UnitPropertyList *l) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].name, "DevicePolicy") && streq_ptr(l->items[i].s, "strict"))
                        return true;
        return false;
}

/* DevicePolicy=strict is done by a v1 devices hierarchy or a BPF program; systemd records it without
 * either (a hybrid host whose devices hierarchy it does not have), and then the rules do nothing. */
static int check_device_policy(const UnitPropertyList *l, pid_t pid, const char *cgroup, SysrunError *e) {
        int r;

        if (!device_policy_strict(l))
                return 0;
        r = cgroup_devices_enforced(pid, cgroup);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot tell whether a device cgroup acts on '%s': %m", cgroup);
        if (r == 0)
                return sysrun_error_set(
                                e, -EOPNOTSUPP,
                                "linux.resources.devices: cannot be applied: no device cgroup acts on the "
                                "container's cgroup '%s' (no v1 devices hierarchy there, no BPF device program)",
                                cgroup);
        return 0;
}

/* A v1 cpu controller gets the exact quota and period after systemd, a v1 cpuset the cpus and mems
 * that systemd leaves to cgroup v2 (scope-v1.h). */
static int cpu_v1_apply(const OciResources *res, pid_t pid, SysrunError *e) {
        OptI64 quota = {};
        OptU64 period = {};
        int r;

        if (!res || !cpu_controller_v1())
                return 0;
        if (resource_field_is_limit(res, RESOURCE_FIELD_CPU_QUOTA))
                quota = res->cpu.quota;
        if (resource_field_is_limit(res, RESOURCE_FIELD_CPU_PERIOD))
                period = res->cpu.period;
        r = scope_v1_cpu_bandwidth(pid, &quota, &period, e);
        if (r < 0)
                return r;
        return scope_v1_cpuset_apply(pid,
                                     resource_field_is_limit(res, RESOURCE_FIELD_CPU_CPUS) ? res->cpu.cpus : NULL,
                                     resource_field_is_limit(res, RESOURCE_FIELD_CPU_MEMS) ? res->cpu.mems : NULL, e);
}

/* An explicit cgroupsPath whose unit runs already: shared, as runc 1.1 shares it (with its warning;
 * runc 1.2 refuses). No machine of its own: the unit is the other container's. */
static int scope_join(sd_bus *bus, const char *unit, pid_t pid, const UnitPropertyList *props, ContainerState *s,
                      SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *cg = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        int r;

        r = bus_unit_get_string(bus, unit, SCOPE_IFACE, "ControlGroup", &cg, &error);
        if (r < 0 || isempty(cg))
                return sysrun_error_set(e, r < 0 ? r : -ENOENT, "cannot read the cgroup of unit '%s': %s", unit,
                                        r < 0 ? bus_error_text(&error, r) : "it has none");
        if (cgroup_is_frozen(cg) > 0 || scope_v1_is_frozen(cg) > 0)
                return sysrun_error_set(e, -EBUSY, "container's cgroup unexpectedly frozen: '%s' (unit '%s')", cg,
                                        unit);
        if (cgroup_read_pids(cg, &pids, &n) >= 0 && n > 0)
                sysrun_log(LOG_WARNING, "container's cgroup is not empty: %zu process(es) found", n);
        r = unit_join(bus, unit, pid, props, e);
        if (r < 0)
                return r;
        s->unit = strdup(unit);
        if (!s->unit)
                return -ENOMEM;
        s->cgroup_shared = true;
        return 0;
}

static int scope_intent(const OciConfig *c, ContainerState *s, SysrunError *e) {
        free(s->unit_pending);
        s->unit_pending = NULL;
        return scope_units(c, s->id, &s->unit_pending, NULL, NULL, e);
}

static int scope_enter(const OciConfig *c, ContainerState *s, pid_t pid, SysrunError *e) {
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        _cleanup_(unit_property_list_done) UnitPropertyList annotations = {};
        _cleanup_free_ char *slice = NULL, *own_slice = NULL, *scope_name = NULL, *description = NULL,
                            *cg = NULL, *actual = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *parent;
        unsigned version;
        sd_bus *bus;
        int r;

        r = scope_units(c, s->id, &scope_name, &slice, &own_slice, e);
        if (r < 0)
                return r;
        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        r = bus_systemd_version(bus, &version, e);
        if (r < 0)
                return r;
        if (checked_plan.config == c && checked_plan.version == version) {
                plan = checked_plan.plan;
                checked_plan.plan = (ResourcePlan) {};
                checked_plan.config = NULL;
        } else
                r = config_plan(c, version, &plan, e);
        if (r >= 0)
                r = unit_properties_from_annotations(c->annotations, &annotations, e);
        if (r >= 0 && rootless_detect())
                r = scope_rootless_filter(bus, config_resources(c), &plan, e);
        if (r < 0)
                return r;
        description = unit_description(s->id);
        if (!description)
                return -ENOMEM;

        parent = slice;
        if (own_slice) {
                /* A slice of its own; the container's scope goes inside. */
                TransientUnit su = { .name = own_slice, .slice = slice, .description = description };
                r = transient_unit_start(bus, &su, /* exist_ok= */ true, NULL, e);
                if (r < 0)
                        return r;
                s->systemd_slice_created = r > 0;
                parent = own_slice;
        }

        TransientUnit u = { .name = scope_name,
                            .slice = parent,
                            .description = description,
                            .pid = pid,
                            .resources = &plan.properties,
                            .annotations = &annotations,
                            .binds_to = s->bind_to_unit };
        r = transient_unit_start(bus, &u, /* exist_ok= */ false, &s->unit, e);
        if (r == -EEXIST && config_cgroups_path(c)) {
                sysrun_error_done(e);
                r = scope_join(bus, scope_name, pid, &plan.properties, s, e);
        }
        if (s->unit) {
                free(s->unit_pending);
                s->unit_pending = NULL;
        }
        if (r < 0) {
                /* Without a scope of ours, destroy() would not know the slice. */
                if (s->systemd_slice_created && !s->unit)
                        (void) stop_slice_if_unused(bus, parent, NULL);
                return r;
        }

        /* Proof that the init is there (a unit that silently failed would leave it in our own
         * cgroup): the cgroup systemd makes for the scope in its slice, or else systemd's word for
         * where the scope is (one more round trip). */
        r = cgroup_pid_get_path(pid, &actual);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the cgroup of the container's init: %m");
        if (cgroup_path_is_unit(actual, parent, scope_name))
                cg = TAKE_PTR(actual);
        else {
                r = bus_unit_get_string(bus, scope_name, SCOPE_IFACE, "ControlGroup", &cg, &error);
                if (r < 0)
                        return sysrun_error_set(
                                        e, r, "cannot read the cgroup of unit '%s': %s", scope_name,
                                        bus_error_text(&error, r));
        }
        if (isempty(cg) || (actual && !streq(cg, actual)))
                return sysrun_error_set(
                                e, -EIO, "the container's init is in cgroup '%s', not in unit '%s' ('%s')",
                                actual, scope_name, strempty(cg));
        free(s->cgroup_path);
        s->cgroup_path = TAKE_PTR(cg);

        /* systemd happily makes a scope in a cgroup directory that already exists, frozen (that of a
         * paused container with the same cgroupsPath): the init would stop there and create hang.
         * runc refuses such a cgroup before it starts; here the abort kills the (frozen) init with
         * SIGKILL, which the cgroup v2 freezer lets through. */
        r = cgroup_is_frozen(s->cgroup_path);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot read the freezer state of cgroup '%s': %m", s->cgroup_path);
        if (r > 0)
                return sysrun_error_set(e, -EBUSY, "container's cgroup unexpectedly frozen: '%s' (unit '%s')",
                                        s->cgroup_path, scope_name);
        r = scope_v1_join(s->cgroup_path, pid, e); /* hybrid hosts: see scope-v1.h */
        if (r < 0)
                return r;

        log_warnings(plan.warnings);
        if (machine_wanted(s->annotations, s->no_machine) && !s->cgroup_shared) {
                r = machine_register_start(s, pid);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot register with systemd-machined: %m");
        }
        if (plan.n_writes > 0) {
                char *sub;
                /* checks the controllers of what it writes itself, naming each entry */
                r = cgroup_subgroup_apply(s->cgroup_path, pid, plan.writes, plan.n_writes, e);
                if (r < 0)
                        return r;
                if (asprintf(&sub, "%s/" CGROUP_SUBGROUP, s->cgroup_path) < 0)
                        return -ENOMEM;
                cg = TAKE_PTR(s->cgroup_path);
                s->cgroup_path = sub;
        }
        if (rootless_detect())
                return 0; /* scope_rootless_filter() left out and named what cannot bite */
        r = check_controllers(config_resources(c), pid, cg ?: s->cgroup_path, e);
        if (r < 0)
                return r;
        r = check_device_policy(&plan.properties, pid, cg ?: s->cgroup_path, e);
        if (r < 0)
                return r;
        return cpu_v1_apply(config_resources(c), pid, e);
}

static int scope_complete(ContainerState *s, SysrunError *e) {
        int r = machine_register_finish(s);

        return r < 0 ? sysrun_error_set(e, r, "out of memory") : 0;
}

static int read_current(sd_bus *bus, const char *unit, CurrentResources *cur, SysrunError *e) {
        static const struct {
                const char *name;
                size_t offset;
        } props[] = {
                { "MemoryMax", offsetof(CurrentResources, memory_max) },
                { "MemorySwapMax", offsetof(CurrentResources, memory_swap_max) },
                { "CPUQuotaPerSecUSec", offsetof(CurrentResources, cpu_quota_per_sec_usec) },
                { "CPUQuotaPeriodUSec", offsetof(CurrentResources, cpu_quota_period_usec) },
        };

        for (size_t i = 0; i < ELEMENTSOF(props); i++) {
                _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
                int r = bus_unit_get_u64(
                                bus, unit, SCOPE_IFACE, props[i].name,
                                (uint64_t *) ((char *) cur + props[i].offset), &error);
                if (r < 0)
                        return sysrun_error_set(
                                        e, r, "cannot read %s of unit '%s': %s", props[i].name, unit,
                                        bus_error_text(&error, r));
        }
        return 0;
}

/* memory.checkBeforeUpdate: refuse a limit below what the container uses now (the OOM killer would
 * run, and systemd would stop the unit). Without the memory controller there is nothing to compare. */
static int check_memory_usage(const ContainerState *s, const OciResources *r, SysrunError *e) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        uint64_t current;

        if (!r->memory.check_before_update.set || !r->memory.check_before_update.value ||
            !r->memory.limit.set || r->memory.limit.value <= 0)
                return 0;
        fd = cgroup_open(s->cgroup_path);
        if (fd < 0 || read_full_file_at(fd, "memory.current", 64, &text, NULL) < 0)
                return 0;
        current = strtoull(text, NULL, 10);
        if ((uint64_t) r->memory.limit.value < current)
                return sysrun_error_set(
                                e, -EBUSY,
                                "linux.resources.memory.limit: %" PRIi64 " is below the current usage (%" PRIu64
                                " bytes) and memory.checkBeforeUpdate is set",
                                r->memory.limit.value, current);
        return 0;
}

static int scope_update(ContainerState *s, const OciResources *res, SysrunError *e) {
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        _cleanup_free_ char *scope_cg = NULL;
        OciResources merged = *res; /* shallow: only scalar fields change */
        unsigned version;
        bool thaw;
        sd_bus *bus;
        int r;

        if (!s->unit)
                return sysrun_error_set(e, -EINVAL, "container '%s' has no systemd unit", s->id);
        r = bus_systemd(&bus, e);
        if (r >= 0)
                r = bus_systemd_version(bus, &version, e);
        if (r < 0)
                return r;
        if (resources_need_current(res)) {
                CurrentResources cur = {};
                r = read_current(bus, s->unit, &cur, e);
                if (r < 0)
                        return r;
                if (cpu_controller_v1() &&
                    scope_v1_cpu_read(s->pid, &cur.cpu_cfs_quota_usec, &cur.cpu_cfs_period_usec) <= 0) {
                        cur.cpu_cfs_quota_usec = 0; /* not read: systemd's figures count */
                        cur.cpu_cfs_period_usec = 0;
                }
                resources_merge_current(&merged, &cur);
        }
        r = check_memory_usage(s, &merged, e);
        if (r < 0)
                return r;
        ResourceInput in = { .resources = &merged, .systemd_version = version, .mode = RESOURCE_MODE_UPDATE,
                             .cpu_v1 = cpu_controller_v1() };
        r = resources_plan(&in, &plan, e);
        if (r >= 0 && rootless_detect())
                r = scope_rootless_filter(bus, res, &plan, e);
        if (r < 0)
                return r;
        scope_cg = scope_cgroup(s);
        if (!scope_cg)
                return sysrun_error_set(e, -EINVAL, "container '%s' has no cgroup", s->id);
        /* as at create: nothing stored that cannot bite */
        r = rootless_detect() ? 0 : check_controllers(res, s->pid, scope_cg, e);
        if (r < 0)
                return r;

        if (plan.properties.n > 0) {
                /* systemd rewrites a v1 device cgroup from scratch (deny all, then each rule) with any
                 * property: frozen meanwhile, as runc does, the container never sees the gap. */
                thaw = scope_v1_is_frozen(scope_cg) == 0 && scope_v1_freeze(scope_cg, true, NULL) >= 0;
                r = unit_set_properties(bus, s->unit, &plan.properties, e);
                if (thaw)
                        (void) scope_v1_freeze(scope_cg, false, NULL);
                if (r < 0)
                        return r;
        }
        log_warnings(plan.warnings);
        r = cpu_v1_apply(&merged, s->pid, e);
        if (r < 0)
                return r;
        if (plan.n_writes > 0) {
                char *sub;
                r = cgroup_subgroup_apply(scope_cg, 0, plan.writes, plan.n_writes, e);
                if (r < 0)
                        return r;
                if (asprintf(&sub, "%s/" CGROUP_SUBGROUP, scope_cg) < 0)
                        return -ENOMEM;
                free(s->cgroup_path);
                s->cgroup_path = sub;
        }
        return 0;
}

static int scope_freeze(ContainerState *s, bool freeze, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *method = freeze ? "FreezeUnit" : "ThawUnit";
        sd_bus *bus;
        int r;

        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        /* systemd answers once the freezer reached the new state. */
        r = bus_call_manager(bus, method, &error, NULL, "s", s->unit);
        if (r < 0 && sym_sd_bus_error_has_name(&error, "org.freedesktop.DBus.Error.NotSupported")) {
                _cleanup_free_ char *cg = scope_cgroup(s);
                int k = scope_v1_freeze(cg, freeze, e); /* a hybrid host: the v1 freezer, as runc */
                if (k != -EOPNOTSUPP)
                        return k;
        }
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot %s unit '%s' (%s): %s", freeze ? "freeze" : "thaw", s->unit,
                                method, bus_error_text(&error, r));
        return 0;
}

/* From the cgroup, not from systemd's FreezerState: state and list ask for every container, and must
 * not cost a D-Bus call each. */
static int scope_is_frozen(ContainerState *s) {
        _cleanup_free_ char *cg = NULL;
        int r;

        if (!s->unit || !s->cgroup_path)
                return 0;
        cg = scope_cgroup(s);
        if (!cg)
                return -ENOMEM;
        /* A hybrid host's v1 freezer (scope-v1.h), then the unified one FreezeUnit writes. */
        r = scope_v1_is_frozen(cg);
        if (r != 0)
                return r;
        r = cgroup_freeze_requested(cg);
        return r == -ENOENT ? 0 : r;
}

static int scope_kill_all(ContainerState *s, int sig, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus *bus;
        int r;

        if (!s->unit)
                return -EOPNOTSUPP;
        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        r = bus_call_manager(bus, "KillUnit", &error, NULL, "ssi", s->unit, "all", (int32_t) sig);
        if (r < 0 &&
            (sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit") ||
             sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchProcess")))
                return sysrun_error_set(e, -ESRCH, "container not running");
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot signal unit '%s' (KillUnit): %s", s->unit,
                                bus_error_text(&error, r));
        if (sig == SIGKILL) { /* a task frozen by the v1 freezer dies only once it runs */
                _cleanup_free_ char *cg = scope_cgroup(s);
                if (scope_v1_is_frozen(cg) > 0)
                        (void) scope_v1_freeze(cg, false, NULL);
        }
        return 0;
}

static int scope_attach(ContainerState *s, pid_t pid, SysrunError *e) {
        return scope_v1_attach(s->pid, pid, e);
}

static int scope_pids(ContainerState *s, pid_t **ret, size_t *ret_n, SysrunError *e) {
        _cleanup_free_ char *cg = scope_cgroup(s);
        int r;

        if (!cg) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        r = cgroup_read_pids(cg, ret, ret_n);
        if (r == -ENOENT) { /* the unit is gone, and its cgroup with it */
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the processes of cgroup '%s': %m", cg);
        return 0;
}

static int scope_stats(ContainerState *s, CgroupStats *ret, SysrunError *e) {
        _cleanup_free_ char *cg = scope_cgroup(s);
        int r;

        if (!cg)
                return sysrun_error_set(e, -ENOENT, "container '%s' has no cgroup", s->id);
        r = cgroup_stats_read(cg, ret);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the statistics of cgroup '%s': %m", cg);
        return 0;
}

/* The slice a scope sits in: the parent component of its cgroup (systemd names cgroups after units). */
static char *parent_slice(const char *scope_cg) {
        const char *end = strrchr(scope_cg, '/'), *start;

        if (!end || end == scope_cg)
                return NULL;
        for (start = end - 1; start > scope_cg && *start != '/'; start--)
                ;
        return strndup(start + 1, (size_t) (end - start - 1));
}

/* The unit of a create that was killed between asking for it and recording it. If the init died
 * before systemd moved it in, the scope runs with a cgroup that was never populated, so it never
 * becomes empty in systemd's eyes and stays active. Stopped only when it is loaded, is a sysrun
 * container of this id, and holds no process: one holding processes is not ours (the same name under
 * another --root), or ours about to stop by itself. */
static int stop_pending_unit(sd_bus *bus, const ContainerState *s, SysrunError *e) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *description = NULL, *want = NULL, *cg = NULL;

        if (bus_call_manager(bus, "GetUnit", NULL, &reply, "s", s->unit_pending) < 0)
                return 0; /* not loaded: never made, or already collected */
        want = unit_description(s->id);
        if (!want)
                return -ENOMEM;
        if (bus_unit_get_string(bus, s->unit_pending, UNIT_IFACE, "Description", &description, NULL) < 0 ||
            !streq(description, want))
                return 0;
        if (bus_unit_get_string(bus, s->unit_pending, SCOPE_IFACE, "ControlGroup", &cg, NULL) < 0 ||
            (!isempty(cg) && cgroup_is_populated(cg)))
                return 0;
        return unit_stop(bus, s->unit_pending, e);
}

static int scope_destroy(ContainerState *s, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *scope_cg = NULL, *slice = NULL, *v1_cg = NULL;
        sd_bus *bus;
        int r;

        if (!s->unit && !s->unit_pending)
                return 0;
        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        if (!s->unit)
                return stop_pending_unit(bus, s, e);
        if (s->cgroup_shared)
                return 0; /* the other container's unit: its processes are its own */
        if (s->systemd_slice_created) {
                /* The slice sysrun made for it goes too, once nothing else lives there. Asked only while
                 * the scope is loaded (GetUnit does not load it; reading a property would, and a unit
                 * that is not found reports a default slice). */
                _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                if (bus_call_manager(bus, "GetUnit", NULL, &reply, "s", s->unit) >= 0)
                        (void) bus_unit_get_string(bus, s->unit, SCOPE_IFACE, "Slice", &slice, NULL);
                if (isempty(slice) && (scope_cg = scope_cgroup(s))) {
                        free(slice);
                        slice = parent_slice(scope_cg);
                }
        }
        /* The caller killed the init; with a pid namespace of its own everything else died with it.
         * Otherwise whatever is left dies now, so that the stop job does not wait for SIGTERM to work.
         * A unit that is already gone (CollectMode removed it) needs nothing more. A stopped unit may
         * still be a failed one when a CollectMode annotation keeps those: reset it, so that it goes. */
        machine_unregister(s);
        if (!s->own_pidns) {
                r = bus_call_manager(bus, "KillUnit", &error, NULL, "ssi", s->unit, "all", (int32_t) SIGKILL);
                if (r < 0 && sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit"))
                        goto slice;
        }
        r = unit_stop(bus, s->unit, e);
        if (r < 0)
                return r;
        if (r > 0 && strv_pairs_get(s->annotations, "org.systemd.property.CollectMode"))
                (void) bus_call_manager(bus, "ResetFailedUnit", NULL, NULL, "s", s->unit);
slice:
        v1_cg = scope_cgroup(s);
        r = scope_v1_remove(v1_cg, e);
        if (r < 0)
                return r;
        if (!isempty(slice))
                return stop_slice_if_unused(bus, slice, e);
        return 0;
}

/* What the system and the user manager share; each adds its device policy and how exec joins. */
#define SCOPE_OPERATIONS                    \
        .name = "systemd",                  \
        .prefetch = bus_systemd_prefetch,   \
        .check = scope_check,               \
        .intent = scope_intent,             \
        .enter = scope_enter,               \
        .complete = scope_complete,         \
        .update = scope_update,             \
        .freeze = scope_freeze,             \
        .is_frozen = scope_is_frozen,       \
        .kill_all = scope_kill_all,         \
        .pids = scope_pids,                 \
        .destroy = scope_destroy,           \
        .stats = scope_stats

const CgroupManager systemd_manager = {
        SCOPE_OPERATIONS,
        .device_cgroup = true, /* DevicePolicy=/DeviceAllow= */
        .clone_into_cgroup = true, /* exec joins state->cgroup_path with CLONE_INTO_CGROUP */
        .attach = scope_attach,    /* and the init's v1 cgroups (hybrid hosts) */
};

/* Rootless: the same over the user bus, without a device cgroup (see scope-rootless.h). */
const CgroupManager systemd_user_manager = {
        SCOPE_OPERATIONS,
        .device_cgroup = false,
        .attach = scope_rootless_attach,
};
