/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>

#include "bus-util.h"
#include "errno-string.h"
#include "strv.h"
#include "transient-unit.h"

/* Names the OCI field behind a property systemd refused, when its message names the property. */
const char *transient_unit_refused_field(
                const sd_bus_error *error, const UnitPropertyList *a, const UnitPropertyList *b) {
        const UnitPropertyList *lists[] = { a, b };

        if (!sym_sd_bus_error_is_set(error) || !error->message)
                return NULL;
        for (size_t l = 0; l < ELEMENTSOF(lists); l++)
                for (size_t i = 0; lists[l] && i < lists[l]->n; i++) {
                        const char *hit = strstr(error->message, lists[l]->items[i].name);
                        size_t n = strlen(lists[l]->items[i].name);
                        if (hit && !isalnum((unsigned char) hit[n]) && lists[l]->items[i].field)
                                return lists[l]->items[i].field;
                }
        return NULL;
}

static int build_start_message(sd_bus *bus, const TransientUnit *u, sd_bus_message **ret) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        bool scope = u->pid > 0;
        int r;

        r = bus_new_manager_call(bus, "StartTransientUnit", &m);
        if (r < 0)
                return r;
        /* "fail": a stray unit of that name is an error, never silently replaced. */
        r = sym_sd_bus_message_append(m, "ss", u->name, "fail");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_open_container(m, 'a', "(sv)");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(
                        m, "(sv)(sv)(sv)", "Description", "s", u->description, "DefaultDependencies", "b", 0,
                        "CollectMode", "s", "inactive-or-failed");
        if (r >= 0 && scope)
                r = sym_sd_bus_message_append(
                                m, "(sv)(sv)(sv)", "Slice", "s", u->slice, "Delegate", "b", 1, "PIDs", "au",
                                1, (uint32_t) u->pid);
        /* Without the default dependencies (which would also order the scope after basic.target), the
         * ones that stop containers in order at shutdown, before what they use goes. */
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "(sv)(sv)", "Conflicts", "as", 1, "shutdown.target", "Before",
                                              "as", 1, "shutdown.target");
        /* Stopped with that service, or when it fails. Not After=: the service is still starting (a
         * Type=notify one waits for this very container), so an order would deadlock. */
        if (r >= 0 && scope && u->binds_to)
                r = sym_sd_bus_message_append(m, "(sv)", "BindsTo", "as", 1, u->binds_to);
        if (r >= 0 && !scope && !streq(u->slice, "-.slice"))
                r = sym_sd_bus_message_append(m, "(sv)", "Wants", "as", 1, u->slice);
        /* Always accounted, so that stats work without limits. A container's init ignores SIGTERM
         * unless it handles it (it is PID 1 of its namespace): `systemctl stop` sends SIGKILL after 10 s,
         * as `docker stop` does, not systemd's 90 s. Annotations may say otherwise. */
        if (r >= 0 && scope)
                r = sym_sd_bus_message_append(
                                m, "(sv)(sv)(sv)(sv)(sv)", "MemoryAccounting", "b", 1, "CPUAccounting", "b",
                                1, "IOAccounting", "b", 1, "TasksAccounting", "b", 1, "TimeoutStopUSec", "t",
                                (uint64_t) 10 * 1000000);
        if (r >= 0 && u->resources)
                r = unit_property_list_append(m, u->resources);
        if (r >= 0 && u->annotations)
                r = unit_property_list_append(m, u->annotations);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/* StartTransientUnit and wait for its job. A failed leftover of the same name is reset once and the
 * call retried; an active one is an error (and not ours: *record stays untouched). Once systemd took
 * the request the unit is ours to remove, so its name goes to *record (when given) before the wait.
 * 1 when made, 0 when it existed and exist_ok. */
int transient_unit_start(
                sd_bus *bus, const TransientUnit *u, bool exist_ok, char **record, SysrunError *e) {
        int r;

        for (unsigned attempt = 0;; attempt++) {
                _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
                _cleanup_free_ char *result = NULL;
                const char *job, *field;

                r = bus_job_watch(bus);
                if (r >= 0)
                        r = build_start_message(bus, u, &m);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot build the request for unit '%s': %m", u->name);
                r = sym_sd_bus_call(bus, m, BUS_TIMEOUT_USEC, &error, &reply);
                if (r < 0 && sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.UnitExists")) {
                        if (exist_ok)
                                return 0;
                        if (attempt == 0) {
                                (void) bus_call_manager(bus, "ResetFailedUnit", NULL, NULL, "s", u->name);
                                continue;
                        }
                        {
                                _cleanup_free_ char *state = NULL;
                                (void) bus_unit_get_string(bus, u->name, UNIT_IFACE, "ActiveState", &state, NULL);
                                return sysrun_error_set(
                                                e, -EEXIST, "unit '%s' already exists (%s): %s", u->name,
                                                state ?: "state unknown", bus_error_text(&error, r));
                        }
                }
                if (r < 0) {
                        field = transient_unit_refused_field(&error, u->resources, u->annotations);
                        return sysrun_error_set(
                                        e, r, "cannot start transient unit '%s' (StartTransientUnit): %s%s%s",
                                        u->name, bus_error_text(&error, r), field ? "; it comes from " : "",
                                        strempty(field));
                }
                if (record) {
                        free(*record);
                        *record = strdup(u->name);
                        if (!*record)
                                return -ENOMEM;
                }
                r = sym_sd_bus_message_read(reply, "o", &job);
                if (r < 0)
                        return sysrun_error_set(e, r, "unexpected reply to StartTransientUnit: %m");
                r = bus_job_wait(bus, job, BUS_TIMEOUT_USEC, &result);
                if (r == -ETIMEDOUT)
                        return sysrun_error_set(
                                        e, r, "timed out after 30 s waiting for systemd to start unit '%s'",
                                        u->name);
                if (r < 0)
                        return sysrun_error_set(e, r, "lost systemd while waiting for unit '%s': %m", u->name);
                if (!streq(result, "done"))
                        return sysrun_error_set(
                                        e, -EIO, "systemd failed to start unit '%s' (job result '%s')",
                                        u->name, result);
                return 1;
        }
}

/* Stops a unit and waits for it to be gone. 0 when there was nothing to stop. */
int unit_stop(sd_bus *bus, const char *unit, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *result = NULL;
        const char *job;
        int r;

        r = bus_job_watch(bus);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot watch systemd's jobs: %m");
        r = bus_call_manager(bus, "StopUnit", &error, &reply, "ss", unit, "replace");
        if (r < 0 && sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit"))
                return 0;
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot stop unit '%s' (StopUnit): %s", unit, bus_error_text(&error, r));
        r = sym_sd_bus_message_read(reply, "o", &job);
        if (r < 0)
                return sysrun_error_set(e, r, "unexpected reply to StopUnit: %m");
        r = bus_job_wait(bus, job, BUS_TIMEOUT_USEC, &result);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "waiting for unit '%s' to stop: %s", unit,
                                r == -ETIMEDOUT ? "timed out after 30 s" : ERRNO_STRING(r));
        return 1;
}

int unit_set_properties(sd_bus *bus, const char *unit, const UnitPropertyList *props, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        const char *field;
        int r;

        r = bus_new_manager_call(bus, "SetUnitProperties", &m);
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "sb", unit, 1);
        if (r >= 0)
                r = sym_sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = unit_property_list_append(m, props);
        if (r >= 0)
                r = sym_sd_bus_message_close_container(m);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot build the update of unit '%s': %m", unit);
        r = sym_sd_bus_call(bus, m, BUS_TIMEOUT_USEC, &error, NULL);
        if (r >= 0)
                return 0;
        field = transient_unit_refused_field(&error, props, NULL);
        return sysrun_error_set(e, r, "cannot update unit '%s' (SetUnitProperties): %s%s%s", unit,
                                bus_error_text(&error, r), field ? "; it comes from " : "", strempty(field));
}

int unit_join(sd_bus *bus, const char *unit, pid_t pid, const UnitPropertyList *resources, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        /* systemd moves it, into each hierarchy that it realised the unit in */
        r = bus_call_manager(bus, "AttachProcessesToUnit", &error, NULL, "ssau", unit, "", 1, (uint32_t) pid);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot move the container's init into unit '%s' "
                                        "(AttachProcessesToUnit): %s", unit, bus_error_text(&error, r));
        /* as runc: the new container's limits are the unit's from now on (the other's too) */
        if (!resources || resources->n == 0)
                return 0;
        return unit_set_properties(bus, unit, resources, e);
}
