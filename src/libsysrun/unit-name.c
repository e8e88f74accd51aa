/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "unit-name.h"

static bool unit_char_is_valid(char c) {
        return (isascii((unsigned char) c) && isalnum((unsigned char) c)) || strchr(":-_.\\@", c);
}

bool unit_name_is_valid(const char *name) {
        const char *dot = strrchr(name, '.');

        if (!dot || dot == name || strlen(name) > UNIT_NAME_MAX)
                return false;
        for (const char *p = name; *p; p++)
                if (!unit_char_is_valid(*p))
                        return false;
        return true;
}

char *unit_name_escape(const char *s) {
        char *out = malloc(strlen(s) * 4 + 1), *t = out;

        if (!out)
                return NULL;
        for (const char *p = s; *p; p++) {
                /* '@' separates a template's instance and '\' starts an escape: both escaped too. */
                if (unit_char_is_valid(*p) && *p != '@' && *p != '\\' && !(p == s && *p == '.'))
                        *t++ = *p;
                else
                        t += sprintf(t, "\\x%02x", (unsigned char) *p);
        }
        *t = 0;
        return out;
}

char *unit_service_from_cgroup_path(const char *path) {
        const char *found = NULL, *p = path;
        size_t n = 0;

        while (p && *p) {
                size_t len;

                p += strspn(p, "/");
                len = strcspn(p, "/");
                if (len > strlen(".service") && strncmp(p + len - strlen(".service"), ".service", strlen(".service")) == 0) {
                        found = p;
                        n = len;
                }
                p += len;
        }
        if (!found)
                return NULL;
        char *u = strndup(found, n);
        if (u && !unit_name_is_valid(u)) {
                free(u);
                return NULL;
        }
        return u;
}

bool cgroup_path_is_unit(const char *path, const char *slice, const char *unit) {
        const char *last, *parent;

        if (!path || !slice || !unit)
                return false;
        last = strrchr(path, '/');
        if (!last || !streq(last + 1, unit))
                return false;
        for (parent = last; parent > path && parent[-1] != '/'; parent--)
                ;
        if (streq(slice, "-.slice"))
                return parent == last && last == path;
        return (size_t) (last - parent) == strlen(slice) && strncmp(parent, slice, strlen(slice)) == 0;
}
