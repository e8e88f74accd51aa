/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>

#include "error.h"

int sysrun_error_set(SysrunError *e, int r, const char *fmt, ...) {
        va_list ap;
        char *msg = NULL;

        if (!e || e->msg)
                return r;

        errno = r < 0 ? -r : r;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);

        e->code = r;
        e->msg = msg ?: strdup("Out of memory");
        return r;
}

int sysrun_error_prefix(SysrunError *e, const char *fmt, ...) {
        _cleanup_free_ char *prefix = NULL;
        char *joined = NULL;
        va_list ap;

        if (!e)
                return -EIO;
        if (!e->msg)
                return e->code < 0 ? e->code : -EIO;

        va_start(ap, fmt);
        if (vasprintf(&prefix, fmt, ap) < 0)
                prefix = NULL;
        va_end(ap);

        if (prefix && asprintf(&joined, "%s: %s", prefix, e->msg) >= 0) {
                free(e->msg);
                e->msg = joined;
        }
        return e->code < 0 ? e->code : -EIO;
}

void sysrun_error_done(SysrunError *e) {
        if (!e)
                return;
        free(e->msg);
        e->msg = NULL;
        e->code = 0;
}

char *errno_text(int r, char buf[static ERRNO_TEXT_MAX]) {
        const char *s = strerrordesc_np(r < 0 ? -r : r);

        snprintf(buf, ERRNO_TEXT_MAX, "%s", s ?: "unknown error");
        /* Go's (and so runc's) spelling: "invalid argument", not "Invalid argument". */
        if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
                buf[0] = (char) (buf[0] - 'A' + 'a');
        return buf;
}
