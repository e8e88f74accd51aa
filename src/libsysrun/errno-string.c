/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno-string.h"

const char *errno_to_string(int errnum, char *buf, size_t size) {
        int n = errnum < 0 ? -errnum : errnum;
        const char *desc = n > 0 ? strerrordesc_np(n) : NULL;

        if (!desc) {
                snprintf(buf, size, "errno %d", n);
                return buf;
        }
        snprintf(buf, size, "%s", desc);
        /* Go lowercases a capitalised word only: "Bad address" -> "bad address", "RFS" stays. */
        if (buf[0] >= 'A' && buf[0] <= 'Z' && buf[1] >= 'a' && buf[1] <= 'z')
                buf[0] = (char) (buf[0] - 'A' + 'a');
        return buf;
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
