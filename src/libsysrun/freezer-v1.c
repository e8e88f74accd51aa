/* SPDX-License-Identifier: Apache-2.0 */
#include "freezer-v1.h"

#include <time.h>

#include "cgroupfs.h"
#include "log.h"

/* runc's budget: a v1 cgroup into which tasks keep forking (or exec joins) can stay FREEZING; the
 * kernel re-checks on each write, so the write is repeated, with a thaw now and then to let a racing
 * fork finish. FREEZING → FROZEN itself takes microseconds, the pauses are runc's as well. */
#define FREEZE_ATTEMPTS 1000U
#define FREEZE_SHORT_PAUSE_EVERY 25U /* 10 µs before the read */
#define FREEZE_THAW_EVERY 50U        /* thaw, 10 ms, freeze again */

int freezer_v1_state_from_text(const char *text) {
        size_t n = strcspn(text, "\n");

        if (n == 6 && strncmp(text, "FROZEN", n) == 0)
                return FREEZER_V1_FROZEN;
        if (n == 8 && strncmp(text, "FREEZING", n) == 0)
                return FREEZER_V1_FREEZING;
        if (n == 6 && strncmp(text, "THAWED", n) == 0)
                return FREEZER_V1_THAWED;
        return -EINVAL;
}

int freezer_v1_state(const char *dir) {
        _cleanup_free_ char *text = NULL;
        int r = cgroupfs_read_text(dir, "freezer.state", &text);
        if (r < 0)
                return r;
        return freezer_v1_state_from_text(text);
}

static void pause_ns(long ns) {
        (void) nanosleep(&(struct timespec){ .tv_nsec = ns }, NULL);
}

int freezer_v1_freeze(const char *dir, bool freeze, SysrunError *e) {
        int r;

        if (!freeze) {
                r = cgroupfs_write_text(dir, "freezer.state", "THAWED");
                if (r < 0)
                        return sysrun_error_set(e, r, "freezer.state: write THAWED: %m (in %s)", dir);
                return 0;
        }
        for (unsigned i = 0; i < FREEZE_ATTEMPTS; i++) {
                if (i % FREEZE_THAW_EVERY == FREEZE_THAW_EVERY - 1) {
                        (void) cgroupfs_write_text(dir, "freezer.state", "THAWED");
                        pause_ns(10 * 1000 * 1000);
                }
                r = cgroupfs_write_text(dir, "freezer.state", "FROZEN");
                if (r < 0) {
                        (void) cgroupfs_write_text(dir, "freezer.state", "THAWED");
                        return sysrun_error_set(e, r, "freezer.state: write FROZEN: %m (in %s)", dir);
                }
                if (i % FREEZE_SHORT_PAUSE_EVERY == FREEZE_SHORT_PAUSE_EVERY - 1)
                        pause_ns(10 * 1000);
                r = freezer_v1_state(dir);
                if (r == FREEZER_V1_FROZEN) {
                        if (i > 1)
                                sysrun_log(LOG_DEBUG, "frozen after %u retries", i);
                        return 0;
                }
                if (r != FREEZER_V1_FREEZING) {
                        (void) cgroupfs_write_text(dir, "freezer.state", "THAWED");
                        if (r < 0 && r != -EINVAL)
                                return sysrun_error_set(e, r, "freezer.state: read: %m (in %s)", dir);
                        return sysrun_error_set(e, -EIO,
                                                "freezer.state: unexpected state while freezing (in %s)", dir);
                }
        }
        /* Left FREEZING, a frozen half and a running half: thawed, as runc does. */
        (void) cgroupfs_write_text(dir, "freezer.state", "THAWED");
        return sysrun_error_set(e, -EBUSY,
                                "freezer.state: unable to freeze (still FREEZING after %u attempts, in %s)",
                                FREEZE_ATTEMPTS, dir);
}
