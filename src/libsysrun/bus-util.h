/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* sd-bus plumbing for the systemd manager: one connection per process (per command), job waiting
 * on JobRemoved with a bounded timeout, and typed property reads. */

#include <stdint.h>

#include "sd-bus-dl.h"

#include "error.h"

#define BUS_TIMEOUT_USEC (30ULL * 1000000ULL)

/* The connection to systemd: the system bus, or /run/systemd/private when there is no bus socket
 * and we are root; rootless (rootless.h), the user's own systemd over the user bus (or
 * $XDG_RUNTIME_DIR/systemd/private). Opened on first use and kept for the life of the process;
 * borrowed reference. */
int bus_systemd(sd_bus **ret, SysrunError *reterr_error);
/* The system bus, for other services (machined): bus_systemd()'s when that is one, else (a bus that
 * appeared after that connection was made) a second one, opened on first use and kept. -ENOENT
 * when there is none. */
int bus_system(sd_bus **ret, SysrunError *reterr_error);
/* Connects and asks for the version without waiting, so that the handshake and the answer come
 * while the caller does other work; best effort (bus_systemd_version() asks again on failure). */
void bus_systemd_prefetch(void);
/* Where the user's systemd is reached: *ret_address NULL for sd_bus_open_user() ($DBUS_SESSION_BUS_ADDRESS
 * or $XDG_RUNTIME_DIR/bus), else an address to connect to; *ret_how names it for messages. -ENOENT
 * when there is none. Needs no libsystemd. */
int bus_user_manager_address(char **ret_address, const char **ret_how);
/* systemd's version (Manager.Version), asked once per process. */
int bus_systemd_version(sd_bus *bus, unsigned *ret, SysrunError *reterr_error);

/* Watches systemd's JobRemoved signals on bus (the cached connection); the match is added once per
 * connection. Call it BEFORE the call that makes the job, so that the signal cannot be missed. */
int bus_job_watch(sd_bus *bus);
/* Processes the bus until the job's JobRemoved arrives (sd_bus_wait, no polling) or timeout_usec
 * passes (-ETIMEDOUT). *ret_result: "done", "failed", "canceled", … */
int bus_job_wait(sd_bus *bus, const char *job_path, uint64_t timeout_usec, char **ret_result);

/* Calls org.freedesktop.systemd1.Manager.<method> with BUS_TIMEOUT_USEC. */
int bus_call_manager(
                sd_bus *bus,
                const char *method,
                sd_bus_error *error,
                sd_bus_message **ret_reply,
                const char *types,
                ...);
/* A new Manager method call, for calls with arrays. */
int bus_new_manager_call(sd_bus *bus, const char *method, sd_bus_message **ret);

/* A string property of the manager object ("ControlGroup"). */
int bus_manager_get_string(sd_bus *bus, const char *property, char **ret, sd_bus_error *error);

/* /org/freedesktop/systemd1/unit/<escaped name>. */
int bus_unit_path(const char *unit, char **ret);
/* Reads a property of a unit object ("org.freedesktop.systemd1.Unit", "org.freedesktop.systemd1.Scope"). */
int bus_unit_get_string(
                sd_bus *bus,
                const char *unit,
                const char *interface,
                const char *property,
                char **ret,
                sd_bus_error *error);
int bus_unit_get_u64(
                sd_bus *bus,
                const char *unit,
                const char *interface,
                const char *property,
                uint64_t *ret,
                sd_bus_error *error);

/* "message [org.freedesktop.systemd1.Name]" or the errno text (errno-string.h); for messages. */
const char *bus_error_text(const sd_bus_error *error, int r);
