/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno-string.h"

/* Go's tables are glibc's texts with a capitalised first word lowercased: "Bad address" ->
 * "bad address", but "RFS specific error" and "CPU time limit exceeded" stay. */
static const char *go_text(const char *desc, const char *fallback, int n, char *buf, size_t size) {
        if (!desc) {
                snprintf(buf, size, "%s %d", fallback, n);
                return buf;
        }
        snprintf(buf, size, "%s", desc);
        if (buf[0] >= 'A' && buf[0] <= 'Z' && buf[1] >= 'a' && buf[1] <= 'z')
                buf[0] = (char) (buf[0] - 'A' + 'a');
        return buf;
}

const char *errno_to_string(int errnum, char *buf, size_t size) {
        int n = errnum < 0 ? -errnum : errnum;

        return go_text(n > 0 ? strerrordesc_np(n) : NULL, "errno", n, buf, size);
}

const char *signal_to_go_string(int sig, char *buf, size_t size) {
        return go_text(sig > 0 ? sigdescr_np(sig) : NULL, "signal", sig, buf, size);
}

char *format_expand_errno(const char *fmt, int errnum) {
        const char *text = ERRNO_STRING(errnum);
        size_t text_len = strlen(text), n = 0, size = 1;
        char *out;

        /* Upper bound: every "%m" grows to the text, and a '%' in the text doubles. */
        for (const char *p = fmt; *p; p++)
                size += p[0] == '%' && p[1] == 'm' ? 2 * text_len : 1;
        out = malloc(size);
        if (!out)
                return NULL;

        for (const char *p = fmt; *p; p++) {
                if (p[0] == '%' && p[1] == '%') {
                        out[n++] = *p++;
                        out[n++] = *p;
                } else if (p[0] == '%' && p[1] == 'm') {
                        for (const char *t = text; *t; t++) {
                                if (*t == '%')
                                        out[n++] = '%';
                                out[n++] = *t;
                        }
                        p++;
                } else
                        out[n++] = *p;
        }
        out[n] = 0;
        return out;
}
