/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "rootless.h"
#include "scope.h"
#include "unit-name.h"

static bool has_suffix(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && streq(s + a - b, suffix);
}

/* "sysrun-<id>.scope", the id escaped as systemd escapes unit names. */
char *scope_default_name(const char *id) {
        _cleanup_free_ char *escaped = unit_name_escape(id);
        char *n;

        if (!escaped || asprintf(&n, "sysrun-%s.scope", escaped) < 0)
                return NULL;
        return n;
}


int cgroups_path_parse(
                const char *cgroups_path, const char *id, char **ret_slice, char **ret_unit, SysrunError *e) {
        _cleanup_free_ char *copy = NULL, *slice = NULL, *unit = NULL;
        char *prefix, *name, *c1, *c2;

        if (isempty(cgroups_path)) {
                /* Where systemd-nspawn and machinectl put containers; rootless, where a user's
                 * manager puts what is neither an app nor a session. */
                slice = strdup(rootless_detect() ? "user.slice" : "machine.slice");
                unit = scope_default_name(id);
                if (!slice || !unit)
                        return -ENOMEM;
                /* runc's ids may be 1024 characters long, systemd's unit names 255 (escaped). */
                if (!unit_name_is_valid(unit))
                        return sysrun_error_set(
                                        e, -EINVAL,
                                        "container ID '%s' does not make a valid systemd unit name ('%s'): "
                                        "set linux.cgroupsPath",
                                        id, unit);
                goto done;
        }
        copy = strdup(cgroups_path);
        if (!copy)
                return -ENOMEM;
        c1 = strchr(copy, ':');
        c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c1 || !c2 || strchr(c2 + 1, ':'))
                return sysrun_error_set(
                                e, -EINVAL,
                                "linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup "
                                "manager, got '%s'",
                                cgroups_path);
        *c1 = *c2 = 0;
        prefix = c1 + 1;
        name = c2 + 1;

        if (isempty(copy))
                slice = strdup(rootless_detect() ? "user.slice" : "system.slice");
        else if (streq(copy, "-"))
                slice = strdup("-.slice");
        else if (has_suffix(copy, ".slice") && !strchr(copy, '/') && unit_name_is_valid(copy))
                slice = strdup(copy);
        else
                return sysrun_error_set(
                                e, -EINVAL, "linux.cgroupsPath: '%s' is not a slice name (\"name.slice\")",
                                copy);
        if (!slice)
                return -ENOMEM;

        if (isempty(name))
                return sysrun_error_set(
                                e, -EINVAL, "linux.cgroupsPath: the name part of '%s' is empty", cgroups_path);
        if (has_suffix(name, ".slice"))
                unit = strdup(name);
        else if (isempty(prefix))
                (void) asprintf(&unit, "%s.scope", name);
        else
                (void) asprintf(&unit, "%s-%s.scope", prefix, name);
        if (!unit)
                return -ENOMEM;
        if (!unit_name_is_valid(unit) || strchr(unit, '/'))
                return sysrun_error_set(e, -EINVAL, "linux.cgroupsPath: '%s' is not a valid unit name", unit);
done:
        *ret_slice = TAKE_PTR(slice);
        *ret_unit = TAKE_PTR(unit);
        return 0;
}

const char *cgroups_path_effective(const char *cgroups_path, bool explicit_choice) {
        if (!explicit_choice && cgroups_path && cgroups_path[0] == '/' && !strchr(cgroups_path, ':'))
                return NULL;
        return cgroups_path;
}
