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


/* The RegisterMachine call in flight (one per process: one container per create). */
static struct {
        sd_bus *bus; /* bus_system()'s, kept for the life of the process */
        bool started, done;
        char *name;
        char *failure; /* machined's error; NULL when it took the machine */
} pending;

static int on_register_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const sd_bus_error *error = sym_sd_bus_message_get_error(m);

        pending.done = true;
        if (error) {
                pending.failure = strdup(bus_error_text(error, -EIO));
                if (!pending.failure)
                        return -ENOMEM;
        }
        return 0;
}

int machine_register_start(ContainerState *s, pid_t pid) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *name = NULL;
        SysrunError be = SYSRUN_ERROR_NULL;
        sd_bus *bus;
        int r;

        s->machine_registered = false;
        r = bus_system(&bus, &be);
        if (r < 0) {
                sysrun_log(LOG_WARNING, "container '%s' is not registered with systemd-machined: %s", s->id,
                           r == -ENOENT ? "there is no D-Bus system bus to reach it" : strempty(be.msg));
                sysrun_error_done(&be);
                return 0;
        }
        if (pending.started)
                return -EBUSY;
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
        /* A floating slot: the reply (or the call's timeout) runs the callback, which machine_register_finish()
         * waits for. machined may be bus-activated by this call. */
        r = sym_sd_bus_call_async(bus, NULL, m, on_register_reply, NULL, 0);
        if (r < 0) {
                sysrun_log(LOG_WARNING, "container '%s' is not registered with systemd-machined as '%s': %s",
                           s->id, name, ERRNO_STRING(r));
                return 0;
        }
        pending = (typeof(pending)) { .bus = bus, .started = true, .name = TAKE_PTR(name) };
        return 0;
}

int machine_register_finish(ContainerState *s) {
        sd_bus *bus = pending.bus;
        _cleanup_free_ char *name = NULL, *failure = NULL;
        int r = 0;

        if (!pending.started)
                return 0;
        while (!pending.done) {
                r = sym_sd_bus_process(bus, NULL);
                if (r < 0)
                        break;
                if (r > 0)
                        continue;
                r = sym_sd_bus_wait(bus, UINT64_MAX);
                if (r < 0 && r != -EINTR)
                        break;
        }
        name = TAKE_PTR(pending.name);
        failure = TAKE_PTR(pending.failure);
        if (!pending.done && !failure)
                failure = strdup(ERRNO_STRING(r));
        pending = (typeof(pending)) {};
        if (failure || !name) {
                sysrun_log(LOG_WARNING, "container '%s' is not registered with systemd-machined as '%s': %s",
                           s->id, strempty(name), failure ?: "out of memory");
                return 0;
        }
        free(s->machine_name);
        s->machine_name = TAKE_PTR(name);
        s->machine_registered = true;
        return 1;
}

int machine_register(ContainerState *s, pid_t pid) {
        int r = machine_register_start(s, pid);

        return r < 0 ? r : machine_register_finish(s);
}

void machine_unregister(const ContainerState *s) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        sd_bus *bus;
        int r;

        if (!s->machine_registered || bus_system(&bus, NULL) < 0)
                return;
        /* Not waited for: machined also drops the machine when its scope goes, right after this. */
        r = sym_sd_bus_message_new_method_call(bus, &m, MACHINE_DEST, MACHINE_PATH, MACHINE_IFACE, "UnregisterMachine");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "s", s->machine_name ?: s->id);
        if (r >= 0)
                r = sym_sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sym_sd_bus_send(bus, m, NULL);
        /* Out before we go on: nothing else may be sent on this connection. */
        if (r >= 0)
                r = sym_sd_bus_flush(bus);
        if (r < 0)
                sysrun_log(LOG_DEBUG, "UnregisterMachine '%s': %s", s->machine_name ?: s->id, ERRNO_STRING(r));
}
