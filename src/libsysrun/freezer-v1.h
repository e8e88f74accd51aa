/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The cgroup v1 freezer (freezer.state), for the cgroupfs manager on v1/hybrid hosts and for the
 * systemd manager where systemd cannot freeze a unit (hybrid hosts: FreezeUnit needs the unified
 * hierarchy). */

#include <stdbool.h>

#include "error.h"

typedef enum FreezerV1State {
        FREEZER_V1_THAWED = 0,
        FREEZER_V1_FREEZING = 1,
        FREEZER_V1_FROZEN = 2,
} FreezerV1State;

/* The state freezer.state of the cgroup directory dir reports, or -errno. */
int freezer_v1_state(const char *dir);
/* Parses freezer.state text ("FROZEN\n"); -EINVAL for anything else. Pure. */
int freezer_v1_state_from_text(const char *text);
/* Freezes dir and returns once the kernel reports FROZEN (retrying as runc does while tasks keep
 * appearing; a cgroup left FREEZING is thawed again and an error), or thaws it. */
int freezer_v1_freeze(const char *dir, bool freeze, SysrunError *reterr_error);
