/* SPDX-License-Identifier: Apache-2.0 */
#include "path-util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *path_join_clean(const char *a, const char *b) {
        char *joined, *out;
        bool rooted;
        size_t n = 0, dotdot = 0; /* dotdot: where a leading run of ".." ends (they stay) */

        if (asprintf(&joined, "%s%s%s", a ? a : "", a && *a && b && *b ? "/" : "", b ? b : "") < 0)
                return NULL;
        out = malloc(strlen(joined) + 2);
        if (!out) {
                free(joined);
                return NULL;
        }
        rooted = joined[0] == '/';
        if (rooted)
                out[n++] = '/';
        dotdot = n;
        for (const char *p = joined; *p;) {
                const char *e;
                size_t len;

                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                e = strchrnul(p, '/');
                len = (size_t) (e - p);
                if (len == 1 && p[0] == '.') {
                        /* nothing */
                } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                        if (n > dotdot) {
                                /* back to the last separator after dotdot */
                                while (n > dotdot && out[n - 1] != '/')
                                        n--;
                                if (n > dotdot)
                                        n--; /* the separator itself */
                                if (n == 0 && rooted)
                                        n = 1;
                        } else if (!rooted) {
                                if (n > 0)
                                        out[n++] = '/';
                                out[n++] = '.';
                                out[n++] = '.';
                                dotdot = n;
                        }
                } else {
                        if (n > 0 && out[n - 1] != '/')
                                out[n++] = '/';
                        memcpy(out + n, p, len);
                        n += len;
                }
                p = e;
        }
        if (n == 0)
                out[n++] = '.';
        out[n] = 0;
        free(joined);
        return out;
}
