/* SPDX-License-Identifier: Apache-2.0 */
#include "scope-rootless.h"

#include "bus-util.h"
#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "log.h"
#include "strv.h"

static bool is_device_property(const char *name) {
        return streq(name, "DevicePolicy") || streq(name, "DeviceAllow");
}

/* The controller a limit needs, or NULL when it needs none (accounting, or not a limit). */
static const char *needed_controller(char *const *needed, const char *field) {
        return field ? strv_pairs_get(needed, field) : NULL;
}

static int note(char ***dropped, const char *field, const char *what) {
        char *s;

        if (asprintf(&s, "%s (%s)", field, what) < 0)
                return -ENOMEM;
        return strv_consume(dropped, s);
}

int rootless_plan_filter(ResourcePlan *plan, char *const *needed, char *const *available, char **ret_dropped) {
        _cleanup_strv_free_ char **dropped = NULL;
        size_t k = 0;
        int r;

        for (size_t i = 0; i < plan->properties.n; i++) {
                UnitProperty *p = &plan->properties.items[i];
                const char *controller = needed_controller(needed, p->field);
                bool drop = is_device_property(p->name) ||
                                (controller && !strv_contains(available, controller));

                if (!drop) {
                        plan->properties.items[k++] = *p;
                        continue;
                }
                /* The device rules are kept by the nodes the init makes (no device cgroup); the
                 * default ones are not the caller's request either: not worth a warning. */
                if (!is_device_property(p->name) && !strv_contains(dropped, p->field)) {
                        r = note(&dropped, p->field, p->name);
                        if (r < 0)
                                return r;
                }
                unit_property_done(p);
        }
        plan->properties.n = k;

        k = 0;
        for (size_t i = 0; i < plan->n_writes; i++) {
                CgroupWrite *w = &plan->writes[i];
                _cleanup_free_ char *controller = strndup(w->file, strcspn(w->file, "."));

                if (!controller)
                        return -ENOMEM;
                if (strv_contains(available, controller)) {
                        plan->writes[k++] = *w;
                        continue;
                }
                r = note(&dropped, w->field, w->file);
                if (r < 0)
                        return r;
                free(w->field);
                free(w->file);
                free(w->value);
        }
        plan->n_writes = k;

        *ret_dropped = dropped ? strv_join(dropped, ", ") : NULL;
        return dropped && !*ret_dropped ? -ENOMEM : 0;
}

int scope_rootless_attach(ContainerState *s, pid_t pid, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *sub = "";
        size_t n;
        sd_bus *bus;
        int r;

        if (!s->unit)
                return 0; /* no cgroup to join */
        n = s->cgroup_path ? strlen(s->cgroup_path) : 0;
        if (n > strlen("/" CGROUP_SUBGROUP) &&
            streq(s->cgroup_path + n - strlen("/" CGROUP_SUBGROUP), "/" CGROUP_SUBGROUP))
                sub = "/" CGROUP_SUBGROUP;
        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        r = bus_call_manager(
                        bus, "AttachProcessesToUnit", &error, NULL, "ssau", s->unit, sub, 1, (uint32_t) pid);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot move the process into unit '%s' (AttachProcessesToUnit): %s",
                                s->unit, bus_error_text(&error, r));
        return 0;
}

/* The controllers the system delegated to the user's manager: cgroup.controllers of its cgroup. */
static int user_manager_controllers(sd_bus *bus, char **ret_cgroup, char ***ret, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *cg = NULL, *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        _cleanup_strv_free_ char **l = NULL;
        int r;

        r = bus_manager_get_string(bus, "ControlGroup", &cg, &error);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot read the cgroup of the user's systemd: %s",
                                bus_error_text(&error, r));
        fd = cgroup_open(cg);
        if (fd < 0)
                return sysrun_error_set(e, fd, "cannot open the cgroup '%s' of the user's systemd: %m", cg);
        r = read_full_file_at(fd, "cgroup.controllers", 4096, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read cgroup.controllers of '%s': %m", cg);
        for (char *w = strtok(text, " \n"); w; w = strtok(NULL, " \n"))
                if (strv_extend(&l, w) < 0)
                        return -ENOMEM;
        *ret_cgroup = TAKE_PTR(cg);
        *ret = TAKE_PTR(l);
        return 0;
}

int scope_rootless_filter(sd_bus *bus, const OciResources *res, ResourcePlan *plan, SysrunError *e) {
        _cleanup_strv_free_ char **needed = NULL, **available = NULL;
        _cleanup_free_ char *cg = NULL, *dropped = NULL, *have = NULL;
        int r;

        r = resources_required_controllers(res, &needed);
        if (r < 0)
                return sysrun_error_set(e, r, "out of memory");
        r = user_manager_controllers(bus, &cg, &available, e);
        if (r < 0)
                return r;
        r = rootless_plan_filter(plan, needed, available, &dropped);
        if (r < 0)
                return sysrun_error_set(e, r, "out of memory");
        if (!dropped)
                return 0;
        have = strv_join(available, " ");
        sysrun_log(LOG_WARNING,
                   "rootless: the user's systemd ('%s') has only these controllers delegated: %s; not applied: %s",
                   cg, isempty(have) ? "none" : have, dropped);
        return 0;
}
