/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The systemd cgroup manager of a rootless container: the scope is made by the user's own systemd
 * (user@UID.service), which has only the controllers the system delegated to it, and no device
 * cgroup (a BPF device program needs root). What it cannot apply is left out of the request and
 * named in one warning. */

#include "resources.h"
#include "sd-bus-dl.h"
#include "state.h"

/* Removes from plan what needs a controller that is not in available (flat pairs field → controller
 * in needed, as resources_required_controllers() makes them), and every device property
 * (DevicePolicy, DeviceAllow). *ret_dropped: "field (Property), …" of what was removed and came from
 * a limit, NULL when nothing. Pure. */
int rootless_plan_filter(ResourcePlan *plan, char *const *needed, char *const *available, char **ret_dropped);

/* exec: asks the user's systemd to move pid into the container's unit (AttachProcessesToUnit). The
 * caller may not write cgroup.procs of the common ancestor of its own cgroup and the container's (a
 * login session's scope is root's); systemd can, or asks the system's systemd to. */
int scope_rootless_attach(ContainerState *s, pid_t pid, SysrunError *reterr_error);

/* Filters plan against the controllers of the user manager's cgroup (Manager.ControlGroup over bus)
 * and logs the one warning. */
int scope_rootless_filter(sd_bus *bus, const OciResources *res, ResourcePlan *plan, SysrunError *reterr_error);
