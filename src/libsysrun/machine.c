/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>

#include "bus-util.h"
#include "errno-string.h"
#include "log.h"
#include "machine.h"
#include "strv.h"

#define MACHINE_DEST "org.freedesktop.machine1"
#define MACHINE_PATH "/org/freedesktop/machine1"
#define MACHINE_IFACE "org.freedesktop.machine1.Manager"

/* machined takes a name that is a valid host name (systemd's hostname_is_valid()). */
bool machine_name_is_valid(const char *s) {
        bool label_start = true, hyphen = false;
        size_t n = 0;

        if (!s || !*s)
                return false;
        for (const char *p = s; *p; p++, n++) {
                if (*p == '.') {
                        if (label_start || hyphen)
                                return false;
                        label_start = true;
                } else if (*p == '-') {
                        if (label_start)
                                return false;
                        hyphen = true;
                        continue;
                } else if (isascii((unsigned char) *p) && isalnum((unsigned char) *p))
                        label_start = false;
                else
                        return false;
                hyphen = false;
        }
        return !label_start && !hyphen && n <= MACHINE_NAME_MAX;
}

/* FNV-1a: stable across builds and hosts, which is all the suffix needs. */
static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261u;

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 16777619u;
        return h;
}

int machine_name_from_id(const char *id, char **ret) {
        /* Room for "-" and 8 hex digits of the suffix. */
        enum { KEEP = MACHINE_NAME_MAX - 9 };
        _cleanup_free_ char *n = NULL;
        size_t len = 0;
        char *out;

        if (machine_name_is_valid(id)) {
                out = strdup(id);
                if (!out)
                        return -ENOMEM;
                *ret = out;
                return 0;
        }
        /* Every run of other characters becomes one '-'; none at either end. Then a hash of the
         * whole id keeps distinct ids apart ("a_b" and "a+b" both give "a-b"). */
        n = malloc(KEEP + 1);
        if (!n)
                return -ENOMEM;
        for (const char *p = id; *p && len < KEEP; p++) {
                if (isascii((unsigned char) *p) && isalnum((unsigned char) *p))
                        n[len++] = *p;
                else if (len > 0 && n[len - 1] != '-')
                        n[len++] = '-';
        }
        while (len > 0 && n[len - 1] == '-')
                len--;
        n[len] = 0;
        if (asprintf(&out, "%s%s%08x", len > 0 ? n : "sysrun", "-", name_hash(id)) < 0)
                return -ENOMEM;
        *ret = out;
        return 0;
}

bool machine_wanted(char *const *annotations, bool opt_out) {
        const char *v = strv_pairs_get(annotations, MACHINE_ANNOTATION);

        if (opt_out)
                return false;
        return !v || !(streq(v, "false") || streq(v, "no") || streq(v, "0") || streq(v, "off"));
}

static bool bus_has_broker(sd_bus *bus) {
        /* A direct connection to systemd (/run/systemd/private) cannot reach machined. */
        return sym_sd_bus_is_bus_client(bus) > 0;
}

int machine_register(sd_bus *bus, ContainerState *s, pid_t pid) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *name = NULL;
        int r;

        s->machine_registered = false;
        if (!bus_has_broker(bus)) {
                sysrun_log(LOG_WARNING,
                           "container '%s' is not registered with systemd-machined: there is no D-Bus "
                           "system bus to reach it",
                           s->id);
                return 0;
        }
        r = machine_name_from_id(s->id, &name);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_new_method_call(bus, &m, MACHINE_DEST, MACHINE_PATH, MACHINE_IFACE, "RegisterMachine");
        if (r >= 0)
                /* name, id (none: machined makes one), service, class, leader, root directory */
                r = sym_sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sym_sd_bus_message_append_array(m, 'y', NULL, 0);
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "ssus", "sysrun", "container", (uint32_t) pid, strempty(s->rootfs));
        if (r < 0)
                return r;
        /* Waited for: machined is bus-activated, and only the reply says whether it took the
         * machine (a masked or missing machined, a name taken by another machine). */
        r = sym_sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                sysrun_log(LOG_WARNING, "container '%s' is not registered with systemd-machined as '%s': %s",
                           s->id, name, bus_error_text(&error, r));
                return 0;
        }
        free(s->machine_name);
        s->machine_name = TAKE_PTR(name);
        s->machine_registered = true;
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
                r = sym_sd_bus_message_append(m, "s", s->machine_name ?: s->id);
        if (r >= 0)
                r = sym_sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sym_sd_bus_send(bus, m, NULL);
        if (r < 0)
                sysrun_log(LOG_DEBUG, "UnregisterMachine '%s': %s", s->machine_name ?: s->id, ERRNO_STRING(r));
}
