/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup.h"
#include "cgroupfs.h"
#include "log.h"
#include "resources.h"
#include "rootless.h"
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
        if (rootless_detect())
                return rootless_cgroup_manager_default();
        if (access("/run/systemd/system", F_OK) == 0)
                return CGROUP_MANAGER_SYSTEMD;
        return cgroupfs_host_supported() ? CGROUP_MANAGER_CGROUPFS : CGROUP_MANAGER_DISABLED;
}

/* Without a cgroup, a node sysrun makes in /dev can be opened for reading and writing alike: a rule
 * that grants only one of the two cannot be honoured. (A node the rules grant neither is made
 * unopenable by devices_setup().) */
static int partial_device_modes(const OciConfig *c, char ***ret) {
        const OciLinux *l = c->linux_section;
        _cleanup_strv_free_ char **bad = NULL;

        for (size_t i = 0; l && i < l->n_devices; i++) {
                const OciDevice *d = &l->devices[i];
                unsigned rw;
                char *s;

                if (d->type == 'p')
                        continue; /* fifos are not device-controlled */
                rw = device_rules_access(&(ResourceInput){ .resources = l->resources,
                                                           .default_devices = true,
                                                           .devices = l->devices,
                                                           .n_devices = l->n_devices },
                                         d->type == 'b' ? 'b' : 'c',
                                         d->major, d->minor) &
                                (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE);
                if (rw == 0 || rw == (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE))
                        continue;
                if (asprintf(&s, "linux.devices[%zu] ('%s'): linux.resources.devices grant it only '%s'", i,
                             d->path, rw == DEVICE_ACCESS_READ ? "r" : "w") < 0 ||
                    strv_consume(&bad, s) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(bad);
        return 0;
}

static const char *no_manager_reason(void) {
        return rootless_detect() ? rootless_no_manager_reason() : "systemd is not running";
}

/* The "disabled" manager: no cgroup at all. Device rules are honoured by what sysrun creates in
 * /dev (the default devices and linux.devices, nothing else); any other limit is refused, because
 * a limit that silently does nothing is worse than an error, unless the user chose this manager. */
static int disabled_check(const OciConfig *c, bool explicit_choice, SysrunError *e) {
        _cleanup_strv_free_ char **limits = NULL, **devices = NULL;
        _cleanup_free_ char *joined = NULL;
        size_t len = 0;
        int r;

        r = resources_list_limits(c->linux_section ? c->linux_section->resources : NULL, &limits);
        if (r < 0)
                return r;
        r = partial_device_modes(c, &devices);
        if (r < 0)
                return r;
        if (!explicit_choice && devices)
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "%s: cannot be applied: no cgroup manager (%s), and "
                                        "without a device cgroup the node would be readable and writable",
                                        devices[0], no_manager_reason());
        if (!explicit_choice && limits)
                return sysrun_error_set(e, -EOPNOTSUPP,
                                        "%s: cannot be applied: no cgroup manager (%s); "
                                        "remove the limit or pass --cgroup-manager=disabled to ignore limits",
                                        limits[0], no_manager_reason());
        STRV_FOREACH(d, devices)
                if (strv_extend(&limits, *d) < 0)
                        return -ENOMEM;
        if (!limits)
                return 0;
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
        .device_cgroup = false,
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
extern const CgroupManager systemd_manager, systemd_user_manager;
#endif

const CgroupManager *cgroup_manager_get(CgroupManagerType t) {
        switch (t) {
#if HAVE_SYSTEMD_MANAGER
        case CGROUP_MANAGER_SYSTEMD:
                return rootless_detect() ? &systemd_user_manager : &systemd_manager;
#endif
        case CGROUP_MANAGER_CGROUPFS:
                return rootless_detect() ? &cgroupfs_rootless_manager : &cgroupfs_manager;
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
