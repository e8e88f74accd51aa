/* SPDX-License-Identifier: Apache-2.0 */
#include "errno-string.h"
#include "log.h"
#include "machine.h"

#define MACHINE_DEST "org.freedesktop.machine1"
#define MACHINE_PATH "/org/freedesktop/machine1"
#define MACHINE_IFACE "org.freedesktop.machine1.Manager"

bool machine_name_is_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 64 || s[0] == '.' || strstr(s, ".."))
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr("-_.", *p)))
                        return false;
        return true;
}

static bool bus_has_broker(sd_bus *bus) {
        /* A direct connection to systemd (/run/systemd/private) cannot reach machined. */
        return sym_sd_bus_is_bus_client(bus) > 0;
}

int machine_register_async(sd_bus *bus, const ContainerState *s, pid_t pid) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        if (!bus_has_broker(bus) || !machine_name_is_valid(s->id)) {
                sysrun_log(LOG_DEBUG, "not registering '%s' with systemd-machined (%s)", s->id,
                           bus_has_broker(bus) ? "not a valid machine name" : "no bus broker");
                return 0;
        }
        r = sym_sd_bus_message_new_method_call(bus, &m, MACHINE_DEST, MACHINE_PATH, MACHINE_IFACE, "RegisterMachine");
        if (r >= 0)
                /* name, id (none: machined makes one), service, class, leader, root directory */
                r = sym_sd_bus_message_append(m, "s", s->id);
        if (r >= 0)
                r = sym_sd_bus_message_append_array(m, 'y', NULL, 0);
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "ssus", "sysrun", "container", (uint32_t) pid, strempty(s->rootfs));
        if (r >= 0)
                r = sym_sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sym_sd_bus_send(bus, m, NULL);
        if (r >= 0)
                r = sym_sd_bus_flush(bus);
        if (r < 0) {
                sysrun_log(LOG_DEBUG, "cannot register '%s' with systemd-machined: %s", s->id, ERRNO_STRING(r));
                return 0;
        }
        return 1;
}

void machine_unregister(sd_bus *bus, const ContainerState *s) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        if (!s->machine_registered || !bus_has_broker(bus))
                return;
        /* Not waited for: machined also drops the machine when its scope goes, right after this. */
        r = sym_sd_bus_message_new_method_call(bus, &m, MACHINE_DEST, MACHINE_PATH, MACHINE_IFACE, "UnregisterMachine");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "s", s->id);
        if (r >= 0)
                r = sym_sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sym_sd_bus_send(bus, m, NULL);
        if (r < 0)
                sysrun_log(LOG_DEBUG, "UnregisterMachine '%s': %s", s->id, ERRNO_STRING(r));
}
