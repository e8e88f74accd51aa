/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* systemd unit names: what systemd accepts, and how an OCI id is made into part of one. Pure. */

#include <stdbool.h>

#define UNIT_NAME_MAX 255

/* Characters systemd accepts in a unit name, and its length limit. */
bool unit_name_is_valid(const char *name);
/* s with each character that a unit name cannot hold written as "\xNN", as systemd escapes them
 * ("a+b" → "a\x2bb"); a leading '.' too. Characters that are valid stay, '-' included, so that
 * the names of ids made of [A-Za-z0-9_.-] do not change. */
char *unit_name_escape(const char *s);
/* The service a process is in, from its cgroup path: the deepest component that names a service
 * ("/system.slice/web.service/x" → "web.service"), or NULL (a scope, a slice, the root). */
char *unit_service_from_cgroup_path(const char *path);

/* Whether a cgroup path (as /proc/PID/cgroup gives it) is that of unit directly in slice, as systemd
 * lays them out: ".../<slice>/<unit>", or "/<unit>" in -.slice. Pure. */
bool cgroup_path_is_unit(const char *path, const char *slice, const char *unit);
