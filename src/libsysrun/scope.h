/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The systemd cgroup manager: each container is a transient scope unit (Delegate=yes) made with
 * StartTransientUnit, its limits are unit properties (resources.c), and systemd stays the source of
 * truth for the container's cgroup. */

#include <stdbool.h>

#include "cgroup.h"
#include "error.h"
#include "unit-name.h"

extern const CgroupManager systemd_manager;

/* "sysrun-<id>.scope", the id escaped as systemd escapes unit names (cgroups-path.c). NULL on OOM. */
char *scope_default_name(const char *id);
/* linux.cgroupsPath in runc's "slice:prefix:name" form → the slice to put the unit in and the unit.
 * NULL or empty: "machine.slice" and "sysrun-<id>.scope" (the id escaped, unit_name_escape()); an
 * empty slice part is "system.slice", as runc has it. A name ending in ".slice" asks for that
 * slice to be made (*ret_unit is then the slice and the container's scope goes inside it). */
int cgroups_path_parse(
                const char *cgroups_path,
                const char *id,
                char **ret_slice,
                char **ret_unit,
                SysrunError *reterr_error);
/* The cgroupsPath to go by: an absolute path without ':' (a cgroupfs path, as runc's and crun's
 * default cgroupfs manager take them and containerd sends with SystemdCgroup=false) gives NULL (the
 * default scope) when the systemd manager was not asked for; asked for explicitly it is kept, to be
 * refused as runc does. Anything else is kept for the parser to judge. */
const char *cgroups_path_effective(const char *cgroups_path, bool explicit_choice);
