/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "executable.h"
#include "strv.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Go's strconv.Quote() for the ASCII runc's messages show: "exec: \"a\\\"b\": …". */
static char *go_quote(const char *s) {
        static const char named[] = "\a\b\t\n\v\f\r", letters[] = "abtnvfr";
        char *out = malloc(strlen(s) * 4 + 3), *o = out;

        if (!out)
                return NULL;
        *o++ = '"';
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                const char *n = strchr(named, *p);
                if (*p == '"' || *p == '\\') {
                        *o++ = '\\';
                        *o++ = (char) *p;
                } else if (n) {
                        *o++ = '\\';
                        *o++ = letters[n - named];
                } else if (*p < 0x20 || *p == 0x7f)
                        o += sprintf(o, "\\x%02x", *p);
                else
                        *o++ = (char) *p;
        }
        *o++ = '"';
        *o = 0;
        return out;
}

/* Go's exec.LookPath() as runc 1.1 builds it: a regular file with any execute bit. */
static int executable_stat(const char *path, bool *ret_executable) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        *ret_executable = !S_ISDIR(st.st_mode) && (st.st_mode & 0111);
        return 0;
}

int find_executable(const char *file, char *const *env, char **ret, SysrunError *reterr_error) {
        _cleanup_free_ char *path = NULL, *quoted = go_quote(file);
        bool executable = false;
        const char *p;
        int r;

        if (!quoted)
                return sysrun_error_set(reterr_error, -ENOMEM, "Out of memory");
        /* runc's words (exec.Error): callers map "no such file or directory" and "executable file
         * not found" to exit 127, "permission denied" to 126. */
        if (strchr(file, '/')) {
                r = executable_stat(file, &executable);
                if (r < 0)
                        return sysrun_error_set(reterr_error, r, "exec: %s: stat %s: %m", quoted, file);
                if (!executable)
                        return sysrun_error_set(reterr_error, -EACCES, "exec: %s: %m", quoted);
                *ret = strdup(file);
                return *ret ? 0 : sysrun_error_set(reterr_error, -ENOMEM, "Out of memory");
        }

        p = strv_env_get(env, "PATH");
        path = strdup(p ?: DEFAULT_PATH);
        if (!path)
                return sysrun_error_set(reterr_error, -ENOMEM, "Out of memory");
        /* Every entry is tried, empty ones as ".", as Go does (strtok_r would skip them). */
        for (char *dir = path, *next; dir; dir = next) {
                _cleanup_free_ char *candidate = NULL;

                next = strchr(dir, ':');
                if (next)
                        *next++ = 0;
                if (asprintf(&candidate, "%s/%s", *dir ? dir : ".", file) < 0)
                        return sysrun_error_set(reterr_error, -ENOMEM, "Out of memory");
                if (executable_stat(candidate, &executable) < 0 || !executable)
                        continue;
                *ret = TAKE_PTR(candidate);
                return 0;
        }
        return sysrun_error_set(reterr_error, -ENOENT, "exec: %s: executable file not found in $PATH", quoted);
}
