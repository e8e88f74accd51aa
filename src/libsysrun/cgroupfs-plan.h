/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* For the v1 and v2 write planners (cgroupfs-v1.c, cgroupfs-v2.c) only: they are functions of
 * `const OciResources *res` that fill `CgroupfsPlan *p`. */

#include "cgroupfs.h"
#include "resources.h"

/* Whether the caller asked for the field at all: the one rule for callers' "not set" values (0 for
 * cpu.shares or blockIO.weight, memory {}, a swappiness of -1…), resource_field_kind(). */
#define ASKED(f) (resource_field_kind(res, RESOURCE_FIELD_##f) != RESOURCE_UNSET)

#define ADD(field, file, ...)                                               \
        do {                                                                \
                if (cgroupfs_plan_add(p, (field), (file), __VA_ARGS__) < 0) \
                        return -ENOMEM;                                     \
        } while (0)

#define MEM "linux.resources.memory."
#define CPU "linux.resources.cpu."
#define BLKIO "linux.resources.blockIO."
