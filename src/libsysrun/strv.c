/* SPDX-License-Identifier: Apache-2.0 */
#include "strv.h"

char **strv_free(char **l) {
        if (!l)
                return NULL;
        for (char **s = l; *s; s++)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

char **strv_copy(char *const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof(char *));

        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return strv_free(c);
        }
        return c;
}

int strv_consume(char ***l, char *s) {
        size_t n;
        char **c;

        if (!s)
                return -ENOMEM;
        n = strv_length(*l);
        c = reallocarray(*l, n + 2, sizeof(char *));
        if (!c) {
                free(s);
                return -ENOMEM;
        }
        c[n] = s;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *s) {
        return strv_consume(l, strdup(s));
}

bool strv_contains(char *const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

const char *strv_env_get(char *const *l, const char *key) {
        size_t k = strlen(key);

        /* The last assignment wins, as with execve()'s consumers. */
        const char *found = NULL;
        STRV_FOREACH(i, l)
                if (strncmp(*i, key, k) == 0 && (*i)[k] == '=')
                        found = *i + k + 1;
        return found;
}

const char *strv_pairs_get(char *const *l, const char *key) {
        STRV_FOREACH_PAIR(k, v, l)
                if (streq(*k, key))
                        return *v;
        return NULL;
}

char *strv_join(char *const *l, const char *sep) {
        size_t n = 1, k = 0;
        char *s;

        STRV_FOREACH(i, l)
                n += strlen(*i) + strlen(sep);
        s = malloc(n);
        if (!s)
                return NULL;
        STRV_FOREACH(i, l) {
                if (i != l) {
                        memcpy(s + k, sep, strlen(sep));
                        k += strlen(sep);
                }
                memcpy(s + k, *i, strlen(*i));
                k += strlen(*i);
        }
        s[k] = 0;
        return s;
}
