/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Transient units over D-Bus: StartTransientUnit with the properties every sysrun unit has, its job
 * waited for, and StopUnit. */

#include <stdbool.h>
#include <sys/types.h>

#include "sd-bus-dl.h"

#include "error.h"
#include "unit-property.h"

#define SCOPE_IFACE "org.freedesktop.systemd1.Scope"
#define SLICE_IFACE "org.freedesktop.systemd1.Slice"
#define UNIT_IFACE "org.freedesktop.systemd1.Unit"

typedef struct TransientUnit {
        const char *name;
        const char *slice; /* Slice= for a scope, Wants= for a slice */
        const char *description;
        pid_t pid; /* 0 for a slice */
        const UnitPropertyList *resources;
        const UnitPropertyList *annotations;
        const char *binds_to; /* NULL: none */
} TransientUnit;

/* StartTransientUnit and wait for its job. A failed leftover of the same name is reset once and the
 * call retried; an active one is an error (and not ours: *record stays untouched). Once systemd took
 * the request the unit is ours to remove, so its name goes to *record (when given) before the wait.
 * 1 when made, 0 when it existed and exist_ok. */
int transient_unit_start(sd_bus *bus, const TransientUnit *u, bool exist_ok, char **record, SysrunError *reterr_error);
/* SetUnitProperties (runtime) with props; an error names the OCI field behind a refused property. */
int unit_set_properties(sd_bus *bus, const char *unit, const UnitPropertyList *props, SysrunError *reterr_error);
/* Joins a unit that runs already (a cgroupsPath that another container shares, as runc lets it):
 * systemd attaches pid to it (AttachProcessesToUnit) and takes resources as its properties.
 */
int unit_join(sd_bus *bus, const char *unit, pid_t pid, const UnitPropertyList *resources, SysrunError *reterr_error);
/* Stops a unit and waits for it to be gone. 0 when there was nothing to stop. */
int unit_stop(sd_bus *bus, const char *unit, SysrunError *reterr_error);
/* The OCI field behind a property systemd refused, when its error message names the property. */
const char *transient_unit_refused_field(const sd_bus_error *error, const UnitPropertyList *a, const UnitPropertyList *b);
