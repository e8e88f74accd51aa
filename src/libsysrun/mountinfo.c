/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "mountinfo.h"

static void unescape(char *s) {
        char *w = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
                    s[3] >= '0' && s[3] <= '7') {
                        *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else
                        *w++ = *s;
        }
        *w = 0;
}

int mountinfo_parse_line(char *line, MountInfoEntry *ret) {
        char *f[6], *tail[3], *save = NULL, *sep, *p = line;

        sep = strstr(line, " - ");
        if (!sep)
                return -EINVAL;
        *sep = 0;
        for (size_t i = 0; i < ELEMENTSOF(f); i++, p = NULL)
                if (!(f[i] = strtok_r(p, " ", &save)))
                        return -EINVAL;
        p = sep + 3;
        for (size_t i = 0; i < ELEMENTSOF(tail); i++, p = NULL)
                if (!(tail[i] = strtok_r(p, " ", &save)))
                        return -EINVAL;
        unescape(f[3]);
        unescape(f[4]);
        *ret = (MountInfoEntry){
                .root = f[3],
                .mountpoint = f[4],
                .options = f[5],
                .fstype = tail[0],
                .source = tail[1],
                .superopts = tail[2],
        };
        return 0;
}
