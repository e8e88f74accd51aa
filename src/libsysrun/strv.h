/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* NULL-terminated string vectors, as in systemd's strv.h. */
char **strv_free(char **l);
static inline void strv_freep(char ***p) {
        *p = strv_free(*p);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l);
char **strv_copy(char *const *l);
/* Appends a copy of s; returns 0 or -ENOMEM. */
int strv_extend(char ***l, const char *s);
/* Takes ownership of s, also on failure. */
int strv_consume(char ***l, char *s);
bool strv_contains(char *const *l, const char *s);
/* The entries with sep between them ("" for an empty or NULL list); NULL on OOM. */
char *strv_join(char *const *l, const char *sep);
/* For "KEY=VALUE" vectors: the value of key, or NULL. */
const char *strv_env_get(char *const *l, const char *key);
/* For flat key/value pair vectors (k0, v0, k1, v1, …): the value of key, or NULL. */
const char *strv_pairs_get(char *const *l, const char *key);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
#define STRV_FOREACH_PAIR(k, v, l) for (char *const *k = (l), *const *v = (l) ? (l) + 1 : NULL; k && *k; k += 2, v += 2)
