/* SPDX-License-Identifier: Apache-2.0 */
#include "bus-util.h"

#include <stdarg.h>
#include <time.h>

#include "errno-string.h"
#include "rootless.h"
#include "strv.h"
#include "unit-property.h"

#define SYSTEMD_DEST "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define MANAGER_IFACE "org.freedesktop.systemd1.Manager"

/* One connection per process: every command opens at most one. A forked child must not use its
 * parent's, so it is tied to the pid that made it. */
static sd_bus *cached_bus = NULL;
static pid_t cached_bus_pid = 0;
/* The system bus, for machined, when cached_bus is systemd's private socket (same process). */
static sd_bus *cached_system_bus = NULL;
static unsigned cached_version = 0;
/* The Version asked by bus_systemd_prefetch() is in flight (on failure it is asked again). */
static bool version_pending = false;
/* JobRemoved results on the cached connection: job path, result, … (a signal may arrive before the
 * reply that names its job). One match per connection, added on first use and never removed: the
 * connection goes with the process, and an AddMatch/RemoveMatch pair per job would cost two messages
 * to the broker each time. */
static bool job_match_added = false;
static char **job_results = NULL;

static int bus_open_address(const char *address, sd_bus **ret) {
        _cleanup_(sym_sd_bus_unrefp) sd_bus *bus = NULL;
        int r;

        r = sym_sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_set_address(bus, address);
        if (r < 0)
                return r;
        r = sym_sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

int bus_user_manager_address(char **ret_address, const char **ret_how) {
        const char *env = getenv("DBUS_SESSION_BUS_ADDRESS"), *xdg = getenv("XDG_RUNTIME_DIR");
        _cleanup_free_ char *path = NULL;

        if (!isempty(env)) {
                *ret_how = "the user bus ($DBUS_SESSION_BUS_ADDRESS)";
                *ret_address = NULL; /* sd_bus_open_user() reads it */
                return 0;
        }
        *ret_how = "the user bus ($XDG_RUNTIME_DIR/bus; XDG_RUNTIME_DIR is not set)";
        if (isempty(xdg))
                return -ENOENT;
        if (asprintf(&path, "%s/bus", xdg) < 0)
                return -ENOMEM;
        *ret_how = "the user bus ($XDG_RUNTIME_DIR/bus)";
        if (access(path, F_OK) == 0) {
                *ret_address = NULL;
                return 0;
        }
        /* No bus daemon in the session: the user's systemd directly, as `systemctl --user` does. */
        free(path);
        if (asprintf(&path, "%s/systemd/private", xdg) < 0)
                return -ENOMEM;
        if (access(path, F_OK) < 0) {
                *ret_how = "the user bus ($XDG_RUNTIME_DIR/bus, $XDG_RUNTIME_DIR/systemd/private)";
                return -ENOENT;
        }
        *ret_how = "$XDG_RUNTIME_DIR/systemd/private";
        if (asprintf(ret_address, "unix:path=%s", path) < 0)
                return -ENOMEM;
        return 0;
}

static bool system_bus_chosen(void) {
        return secure_getenv("DBUS_SYSTEM_BUS_ADDRESS") != NULL;
}

static int bus_open(sd_bus **ret, const char **ret_how) {
        int r;

        /* Rootless: the user's own systemd, which delegates a subtree of its cgroup to the user. */
        if (rootless_detect()) {
                _cleanup_free_ char *address = NULL;
                r = bus_user_manager_address(&address, ret_how);
                if (r < 0)
                        return r;
                return address ? bus_open_address(address, ret) : sym_sd_bus_open_user(ret);
        }
        /* The bus, even for root: on systemd's private socket every connection gets every signal
         * of every unit, which made 100 parallel creates three times slower here (bench/). */
        if (system_bus_chosen() || access("/run/dbus/system_bus_socket", F_OK) == 0) {
                *ret_how = "the system bus";
                return sym_sd_bus_open_system(ret);
        }
        if (geteuid() != 0) {
                *ret_how = "the system bus";
                return -ENOENT;
        }
        /* No bus daemon: root may talk to systemd directly, as systemctl does. */
        *ret_how = "/run/systemd/private";
        return bus_open_address("unix:path=/run/systemd/private", ret);
}

int bus_systemd(sd_bus **ret, SysrunError *e) {
        const char *how = NULL;
        int r;

        r = libsystemd_load(e);
        if (r < 0)
                return r;

        if (cached_bus && cached_bus_pid == getpid()) {
                *ret = cached_bus;
                return 0;
        }
        cached_bus = NULL; /* a parent's connection: leave it alone */
        cached_system_bus = NULL;
        cached_version = 0;
        version_pending = false;
        job_match_added = false;
        job_results = strv_free(job_results); /* a parent's jobs */
        r = bus_open(&cached_bus, &how);
        if (r < 0) {
                cached_bus = NULL;
                return sysrun_error_set(e, r, "cannot connect to systemd through %s: %m", how);
        }
        cached_bus_pid = getpid();
        *ret = cached_bus;
        return 0;
}

int bus_system(sd_bus **ret, SysrunError *e) {
        sd_bus *bus;
        int r;

        r = bus_systemd(&bus, e);
        if (r < 0)
                return r;
        /* Rootless, bus_systemd() is the user's bus. */
        if (sym_sd_bus_is_bus_client(bus) > 0 && !rootless_detect()) {
                *ret = bus;
                return 0;
        }
        if (!cached_system_bus) {
                if (access("/run/dbus/system_bus_socket", F_OK) < 0 && !system_bus_chosen())
                        return sysrun_error_set(e, -ENOENT, "there is no D-Bus system bus");
                r = sym_sd_bus_open_system(&cached_system_bus);
                if (r < 0) {
                        cached_system_bus = NULL;
                        return sysrun_error_set(e, r, "cannot connect to the system bus: %m");
                }
        }
        *ret = cached_system_bus;
        return 0;
}


static int on_version(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *v;
        unsigned version;

        version_pending = false;
        if (sym_sd_bus_message_get_error(m) || sym_sd_bus_message_enter_container(m, 'v', "s") < 0 ||
            sym_sd_bus_message_read(m, "s", &v) < 0 || systemd_version_parse(v, &version) < 0)
                return 0; /* bus_systemd_version() asks again and says what went wrong */
        cached_version = version;
        return 0;
}

void bus_systemd_prefetch(void) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        sd_bus *bus;

        if (bus_systemd(&bus, NULL) < 0 || cached_version > 0 || version_pending)
                return;
        if (sym_sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, "org.freedesktop.DBus.Properties",
                                               "Get") < 0 ||
            sym_sd_bus_message_append(m, "ss", MANAGER_IFACE, "Version") < 0 ||
            sym_sd_bus_call_async(bus, NULL, m, on_version, NULL, BUS_TIMEOUT_USEC) < 0)
                return;
        version_pending = true;
}

int bus_systemd_version(sd_bus *bus, unsigned *ret, SysrunError *e) {
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *v = NULL;
        int r;

        /* The prefetched answer: its reply may already be here. */
        while (version_pending && bus == cached_bus) {
                r = sym_sd_bus_process(bus, NULL);
                if (r < 0)
                        break;
                if (r == 0 && sym_sd_bus_wait(bus, BUS_TIMEOUT_USEC) < 0)
                        break;
        }
        version_pending = false;
        if (cached_version > 0 && bus == cached_bus) {
                *ret = cached_version;
                return 0;
        }
        r = sym_sd_bus_get_property_string(bus, SYSTEMD_DEST, SYSTEMD_PATH, MANAGER_IFACE, "Version", &error, &v);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read systemd's version: %s", bus_error_text(&error, r));
        r = systemd_version_parse(v, ret);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot parse systemd's version '%s'", v);
        if (bus == cached_bus)
                cached_version = *ret;
        return 0;
}

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *path, *unit, *result;
        uint32_t id;

        if (sym_sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (strv_extend(&job_results, path) < 0 || strv_extend(&job_results, result) < 0)
                return -ENOMEM;
        return 0;
}

int bus_job_watch(sd_bus *bus) {
        int r;

        if (bus != cached_bus)
                return -EINVAL;
        if (job_match_added)
                return 0;
        /* Asynchronous: the AddMatch goes out before the method call on the same connection, so the
         * broker has it before systemd can emit the signal; no extra round trip. The slot is floating:
         * it lives as long as the connection. */
        r = sym_sd_bus_match_signal_async(
                        bus, NULL, SYSTEMD_DEST, SYSTEMD_PATH, MANAGER_IFACE, "JobRemoved", on_job_removed, NULL,
                        NULL);
        if (r < 0)
                return r;
        job_match_added = true;
        return 0;
}

static uint64_t now_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000;
}

int bus_job_wait(sd_bus *bus, const char *job_path, uint64_t timeout_usec, char **ret_result) {
        uint64_t deadline = now_usec() + timeout_usec;
        int r;

        for (;;) {
                const char *result = strv_pairs_get(job_results, job_path);
                uint64_t n;

                if (result) {
                        char *copy = strdup(result);
                        if (!copy)
                                return -ENOMEM;
                        *ret_result = copy;
                        return 0;
                }
                r = sym_sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                n = now_usec();
                if (n >= deadline)
                        return -ETIMEDOUT;
                r = sym_sd_bus_wait(bus, deadline - n);
                if (r < 0 && r != -EINTR)
                        return r;
        }
}

int bus_new_manager_call(sd_bus *bus, const char *method, sd_bus_message **ret) {
        return sym_sd_bus_message_new_method_call(bus, ret, SYSTEMD_DEST, SYSTEMD_PATH, MANAGER_IFACE, method);
}

int bus_call_manager(
                sd_bus *bus,
                const char *method,
                sd_bus_error *error,
                sd_bus_message **ret_reply,
                const char *types,
                ...) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        va_list ap;
        int r;

        r = bus_new_manager_call(bus, method, &m);
        if (r < 0)
                return r;
        if (types) {
                va_start(ap, types);
                r = sym_sd_bus_message_appendv(m, types, ap);
                va_end(ap);
                if (r < 0)
                        return r;
        }
        return sym_sd_bus_call(bus, m, BUS_TIMEOUT_USEC, error, ret_reply);
}

int bus_manager_get_string(sd_bus *bus, const char *property, char **ret, sd_bus_error *error) {
        return sym_sd_bus_get_property_string(bus, SYSTEMD_DEST, SYSTEMD_PATH, MANAGER_IFACE, property, error, ret);
}

int bus_unit_path(const char *unit, char **ret) {
        return sym_sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, ret);
}

int bus_unit_get_string(
                sd_bus *bus,
                const char *unit,
                const char *interface,
                const char *property,
                char **ret,
                sd_bus_error *error) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = bus_unit_path(unit, &path);
        if (r < 0)
                return r;
        return sym_sd_bus_get_property_string(bus, SYSTEMD_DEST, path, interface, property, error, ret);
}

int bus_unit_get_u64(
                sd_bus *bus,
                const char *unit,
                const char *interface,
                const char *property,
                uint64_t *ret,
                sd_bus_error *error) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = bus_unit_path(unit, &path);
        if (r < 0)
                return r;
        return sym_sd_bus_get_property_trivial(bus, SYSTEMD_DEST, path, interface, property, error, 't', ret);
}

const char *bus_error_text(const sd_bus_error *error, int r) {
        static __thread char buf[512];

        if (sym_sd_bus_error_is_set(error)) {
                snprintf(buf, sizeof(buf), "%s [%s]", error->message ?: "(no message)", error->name);
                return buf;
        }
        return ERRNO_STRING(r);
}
