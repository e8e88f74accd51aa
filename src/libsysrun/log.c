/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>

#include "error.h"
#include "log.h"

static SysrunLogHandler log_handler;
static int log_max_level = LOG_WARNING;

void sysrun_log_set_handler(SysrunLogHandler handler, int max_level) {
        log_handler = handler;
        log_max_level = max_level;
}

void sysrun_log(int level, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int saved = errno;

        if (!log_handler || level > log_max_level)
                return;
        va_start(ap, fmt);
        msg = sysrun_vformat(saved, fmt, ap);
        va_end(ap);
        if (msg)
                log_handler(level, msg);
        errno = saved;
}
