/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>

#include "errno-string.h"
#include "error.h"

/* Cuts s at max bytes (on a UTF-8 character boundary) and ends it with "…". */
static void ellipsize(char *s, size_t max) {
        size_t n;

        if (strlen(s) <= max)
                return;
        n = max - strlen(ELLIPSIS);
        while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
                n--;
        strcpy(s + n, ELLIPSIS);
}

char *sysrun_vformat(int errnum, const char *fmt, va_list ap) {
        _cleanup_free_ char *expanded = format_expand_errno(fmt, errnum);
        char *msg = NULL;

        if (!expanded || vasprintf(&msg, expanded, ap) < 0)
                return NULL;
        ellipsize(msg, SYSRUN_MESSAGE_MAX);
        return msg;
}

char *sysrun_format(int errnum, const char *fmt, ...) {
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sysrun_vformat(errnum, fmt, ap);
        va_end(ap);
        return msg;
}

int sysrun_error_set(SysrunError *e, int r, const char *fmt, ...) {
        va_list ap;
        char *msg;

        if (!e || e->msg)
                return r;

        errno = r < 0 ? -r : r;
        va_start(ap, fmt);
        msg = sysrun_vformat(r, fmt, ap);
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
        prefix = sysrun_vformat(e->code, fmt, ap);
        va_end(ap);

        if (prefix && asprintf(&joined, "%s: %s", prefix, e->msg) >= 0) {
                free(e->msg);
                e->msg = joined;
                ellipsize(e->msg, SYSRUN_MESSAGE_MAX);
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

