/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* process.capabilities: names are resolved to bitmasks in the parent (where warnings can still be
 * printed), the forked child only applies the masks. */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"

typedef enum CapSetType {
        CAP_SET_BOUNDING,
        CAP_SET_EFFECTIVE,
        CAP_SET_PERMITTED,
        CAP_SET_INHERITABLE,
        CAP_SET_AMBIENT,
        _CAP_SET_MAX,
} CapSetType;

const char *cap_set_type_to_string(CapSetType t); /* "bounding", … (the OCI field names) */

typedef struct CapMasks {
        bool set;          /* false: process.capabilities is absent, the caps are left alone (as runc) */
        unsigned last_cap; /* the kernel's highest capability number */
        uint64_t mask[_CAP_SET_MAX];
        uint64_t bounding_now; /* caps_prepare()'s bounding set, which the process it forks inherits */
} CapMasks;

/* "CAP_NET_BIND_SERVICE" → 10. -EINVAL for a name libcap does not know. */
int cap_number_from_name(const char *name);

/* Resolves the five name lists. A name that libcap does not know or whose number is above last_cap
 * goes to *ret_unknown; a known one outside available (what the caller may grant at all) goes to
 * *ret_unavailable; both lists hold each name once and the names are left out of the masks.
 * Ambient capabilities that are not in both the permitted and the inheritable set are dropped (the
 * kernel refuses to raise them) and listed in *ret_ambient_dropped. An effective capability
 * outside the permitted set is an error (capset would fail). Pure. */
int caps_resolve(
                const OciCapabilities *c,
                unsigned last_cap,
                uint64_t available,
                CapMasks *ret,
                char ***ret_unknown,
                char ***ret_unavailable,
                char ***ret_ambient_dropped,
                SysrunError *reterr_error);

/* Parent side: resolves process.capabilities against the kernel and this process's bounding set.
 * Unknown names are a warning (as in runc); a capability outside our bounding set in any set but
 * bounding is an error (capset would not grant it). Dropped ambient capabilities are a debug note
 * only, as runc is silent (runc's default config lists ambient ones without inheritable ones).
 * c == NULL gives an unset CapMasks. */
int caps_prepare(const OciCapabilities *c, CapMasks *ret, SysrunError *reterr_error);

/* Child side, in this order around the user switch (see process-setup.c): */
/* Drops everything outside the bounding mask (needs CAP_SETPCAP: call before the uid changes). */
int caps_apply_bounding(const CapMasks *m, bool in_userns, SysrunError *reterr_error);
/* Sets effective, permitted and inheritable, then the ambient set. */
int caps_apply(const CapMasks *m, SysrunError *reterr_error);
