/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* A systemd unit property as sysrun sends it: a name, a D-Bus signature and a value of that type.
 * Built by the resources table (resources.c) and from org.systemd.property.* annotations, appended
 * to StartTransientUnit / SetUnitProperties messages as "(sv)". */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd-bus-dl.h"

#include "error.h"

/* One element of an a(st) or a(ss) array: (path, number) or (path, string). */
typedef struct UnitPropertyPair {
        char *path;
        uint64_t number;
        char *text;
} UnitPropertyPair;

typedef struct UnitProperty {
        char *name;
        char *field;       /* where it came from ("linux.resources.memory.limit"), for messages; or NULL */
        char signature[8]; /* "t", "b", "s", "ay", "as", "a(st)", "a(ss)", "i", "u", "x", "d", … */
        uint64_t u;        /* t u q y b */
        int64_t i;         /* x i n */
        double d;          /* d */
        char *s;           /* s o g */
        uint8_t *bytes;    /* ay */
        size_t n_bytes;
        char **strv;             /* as */
        UnitPropertyPair *pairs; /* a(st) a(ss) */
        size_t n_pairs;
} UnitProperty;

void unit_property_done(UnitProperty *p);

typedef struct UnitPropertyList {
        UnitProperty *items;
        size_t n;
} UnitPropertyList;

void unit_property_list_done(UnitPropertyList *l);
/* Moves *p into the list (p is zeroed, also on failure). */
int unit_property_list_take(UnitPropertyList *l, UnitProperty *p);
/* The last property of that name (the one systemd ends up with), or NULL. */
const UnitProperty *unit_property_list_find(const UnitPropertyList *l, const char *name);

/* Fills *ret (zeroed first) with a simple value; name/field are copied. */
int unit_property_u64(UnitProperty *ret, const char *name, const char *field, uint64_t v);
int unit_property_bool(UnitProperty *ret, const char *name, const char *field, bool v);
int unit_property_string(UnitProperty *ret, const char *name, const char *field, const char *v);
/* An empty property of that signature (no value; arrays empty), for the caller to fill. */
int unit_property_init(UnitProperty *ret, const char *name, const char *field, const char *signature);

/* Appends "(sv)" for p to an open a(sv) container. */
int unit_property_append(sd_bus_message *m, const UnitProperty *p);
int unit_property_list_append(sd_bus_message *m, const UnitPropertyList *l);

/* The value as text, for messages and tests: "104857600", "infinity" is not used (numbers stay
 * numbers), "yes"/"no", strings as is, ay as hex bytes "8f 01", pairs "path=value path=value". */
char *unit_property_to_string(const UnitProperty *p);

/* An org.systemd.property.<name> annotation value, typed like runc does it (GVariant text:
 * "uint64 5", "@t 5", "true", "'text'", "['a', 'b']") but also like systemd's own parser, for
 * the properties whose type sysrun knows ("MemoryMax" = "1G", "TimeoutStopUSec" = "5s",
 * "CollectMode" = "inactive-or-failed"). A name ending in "Sec" (not "USec"/"NSec") becomes
 * "…USec" with the value in seconds multiplied by 10⁶, as in runc. */
int unit_property_from_annotation(
                const char *name, const char *value, UnitProperty *ret, SysrunError *reterr_error);
/* Every org.systemd.property.* pair of a flat key/value vector, in order. */
int unit_properties_from_annotations(char *const *annotations, UnitPropertyList *l, SysrunError *reterr_error);

/* "252.39-1~deb12u2", "v245.4-1.fc32", "253" → 252, 245, 253. */
int systemd_version_parse(const char *s, unsigned *ret);
