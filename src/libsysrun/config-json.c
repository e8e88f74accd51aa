/* SPDX-License-Identifier: Apache-2.0 */
/* The typed json-c accessors behind config.c and config-linux.c; see config-internal.h. */
#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>

#include "config-internal.h"
#include "strv.h"

#ifndef JSON_TOKENER_VALIDATE_UTF8
#define JSON_TOKENER_VALIDATE_UTF8 0 /* json-c < 0.15 */
#endif

#define JSON_PATH_FMT "%s%s%s"
#define JSON_PATH_ARGS(parent, key) strempty(parent), !isempty(parent) && (key) ? "." : "", strempty(key)

char *json_path(const char *parent, const char *key) {
        char *p;

        return asprintf(&p, JSON_PATH_FMT, JSON_PATH_ARGS(parent, key)) < 0 ? NULL : p;
}

char *json_path_index(const char *parent, const char *key, size_t i) {
        char *p;

        return asprintf(&p, JSON_PATH_FMT "[%zu]", JSON_PATH_ARGS(parent, key), i) < 0 ? NULL : p;
}

char *json_path_map(const char *parent, const char *key, const char *name) {
        char *p;

        return asprintf(&p, JSON_PATH_FMT "[\"%s\"]", JSON_PATH_ARGS(parent, key), name) < 0 ? NULL : p;
}

int json_oom(SysrunError *err) {
        return sysrun_error_set(err, -ENOMEM, "Out of memory");
}

int json_error(SysrunError *err, const char *parent, const char *key, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return json_oom(err);

        if (isempty(parent) && !key)
                return sysrun_error_set(err, -EINVAL, "%s", msg);
        return sysrun_error_set(err, -EINVAL, JSON_PATH_FMT ": %s", JSON_PATH_ARGS(parent, key), msg);
}

static const char *json_type_name(json_object *v) {
        switch (json_object_get_type(v)) {
        case json_type_boolean:
                return "boolean";
        case json_type_double:
        case json_type_int:
                return "number";
        case json_type_object:
                return "object";
        case json_type_array:
                return "array";
        case json_type_string:
                return "string";
        case json_type_null:
        default:
                return "null";
        }
}

const char *json_describe_buf(json_object *v, char *buf) {
        const char *s = NULL;
        size_t n;

        if (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int) ||
            json_object_is_type(v, json_type_double))
                s = json_object_to_json_string_ext(v,
                                                   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return json_type_name(v); /* NULL only on OOM */
        n = strlen(s);
        if (n <= SYSRUN_VALUE_MAX)
                return s;
        /* Cut on a UTF-8 character boundary. */
        n = SYSRUN_VALUE_MAX - strlen(ELLIPSIS);
        while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
                n--;
        memcpy(buf, s, n);
        strcpy(buf + n, ELLIPSIS);
        return buf;
}

/* dst (owned) with src's members over it, as Go decodes a second JSON object into the same value:
 * an object merges into an object, anything else replaces. A member written again moves to the end,
 * so that the members' order stays that of their last writes (json_find() reads it). */
static int json_merge_into(json_object *dst, json_object *src) {
        json_object_object_foreach(src, k, v) {
                _cleanup_(json_object_putp) json_object *value = NULL;
                json_object *old = NULL;

                if (json_object_object_get_ex(dst, k, &old) && json_object_is_type(old, json_type_object) &&
                    json_object_is_type(v, json_type_object)) {
                        value = json_object_get(old);
                        if (json_merge_into(value, v) < 0)
                                return -ENOMEM;
                } else if (v && json_object_deep_copy(v, &value, NULL) < 0)
                        return -ENOMEM;
                json_object_object_del(dst, k);
                if (json_object_object_add(dst, k, value) < 0)
                        return -ENOMEM;
                TAKE_PTR(value);
        }
        return 0;
}

/* A member as Go's encoding/json, which runc reads config.json with, fills a struct field: every
 * member whose name is the field's but for ASCII case counts, in document order. The last scalar
 * or array wins and objects merge, so runc's update.bats {"cpu": {...}, "CPU": {"Cpus": "0"}}
 * means cpu.cpus too. Several such members are folded once, under key. */
static bool json_find(json_object *obj, const char *key, json_object **ret) {
        _cleanup_(json_object_putp) json_object *merged = NULL;
        json_object *last = NULL;
        unsigned n = 0;

        if (!json_object_is_type(obj, json_type_object))
                return false;
        json_object_object_foreach(obj, k, v)
                if (strcasecmp(k, key) == 0) {
                        n++;
                        last = v;
                }
        if (n <= 1 || !json_object_is_type(last, json_type_object)) {
                *ret = last;
                return n > 0;
        }
        merged = json_object_new_object();
        if (!merged)
                goto fallback;
        json_object_object_foreach(obj, k2, v2)
                if (strcasecmp(k2, key) == 0) {
                        if (!json_object_is_type(v2, json_type_object)) {
                                /* a scalar, array or null before: the objects after it start afresh */
                                json_object_put(merged);
                                merged = json_object_new_object();
                                if (!merged)
                                        goto fallback;
                                continue;
                        }
                        if (json_merge_into(merged, v2) < 0)
                                goto fallback;
                }
        /* The spellings go, the fold stays: a second lookup finds one member. */
        for (;;) {
                const char *variant = NULL;
                json_object_object_foreach(obj, k3, v3) {
                        (void) v3;
                        if (strcasecmp(k3, key) == 0) {
                                variant = k3;
                                break;
                        }
                }
                if (!variant)
                        break;
                _cleanup_free_ char *name = strdup(variant); /* the entry's own string goes with it */
                if (!name) {
                        *ret = NULL;
                        return false;
                }
                json_object_object_del(obj, name);
        }
        if (json_object_object_add(obj, key, merged) < 0) {
                *ret = NULL; /* the members it replaces are gone already */
                return false;
        }
        *ret = TAKE_PTR(merged);
        return true;
fallback:
        *ret = last; /* out of memory: the last one, unmerged */
        return true;
}

static json_object *json_member(json_object *obj, const char *key) {
        json_object *v = NULL;

        (void) json_find(obj, key, &v);
        return v;
}

/* A macro: json_describe()'s buffer must live in the caller's scope, not in a helper's. */
#define json_member_describe(obj, key) json_describe(json_member((obj), (key)))

static void text_position(const char *text, size_t offset, unsigned *ret_line, unsigned *ret_column) {
        unsigned line = 1, column = 1;

        for (size_t i = 0; i < offset; i++) {
                if (text[i] == '\n') {
                        line++;
                        column = 1;
                } else
                        column++;
        }
        *ret_line = line;
        *ret_column = column;
}

/* json-c clamps integer literals beyond 64 bits instead of failing, so look for them ourselves. The
 * text is valid JSON by now: skipping strings is all the tokenizing needed. */
static const char *find_out_of_range_integer(const char *text, size_t len) {
        char quote = 0;

        for (size_t i = 0; i < len; i++) {
                const char *start = text + i;
                size_t n;

                if (quote) {
                        if (text[i] == '\\')
                                i++;
                        else if (text[i] == quote)
                                quote = 0;
                        continue;
                }
                if (text[i] == '"' || text[i] == '\'') {
                        quote = text[i];
                        continue;
                }
                if (text[i] != '-' && !isdigit((unsigned char) text[i]))
                        continue;

                n = strspn(start, "+-0123456789.eE");
                if (!memchr(start, '.', n) && !memchr(start, 'e', n) && !memchr(start, 'E', n)) {
                        errno = 0;
                        if (text[i] == '-')
                                (void) strtoll(start, NULL, 10);
                        else
                                (void) strtoull(start, NULL, 10);
                        if (errno == ERANGE)
                                return start;
                }
                i += n - 1;
        }
        return NULL;
}

int json_parse_text(const char *text, size_t len, json_object **ret, SysrunError *err) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        struct json_tokener *tok;
        enum json_tokener_error e;
        const char *bad, *what;
        unsigned line, column;
        size_t end;

        assert(text[len] == '\0');

        if (len >= INT_MAX)
                return sysrun_error_set(err, -EFBIG, "invalid JSON: text too long");

        bad = memchr(text, '\0', len);
        if (bad) {
                what = "unexpected NUL byte";
                end = bad - text;
                goto invalid;
        }

        tok = json_tokener_new();
        if (!tok)
                return json_oom(err);
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
        /* Include the terminating NUL, so that the tokener knows the text is complete. */
        o = json_tokener_parse_ex(tok, text, (int) len + 1);
        e = json_tokener_get_error(tok);
        end = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        if (e != json_tokener_success) {
                what = json_tokener_error_desc(e);
                goto invalid;
        }

        bad = find_out_of_range_integer(text, len);
        if (bad) {
                what = "integer out of the 64-bit range";
                end = bad - text;
                goto invalid;
        }

        if (!json_object_is_type(o, json_type_object))
                return json_error(err, NULL, NULL, "expected a JSON object, got %s", json_type_name(o));

        *ret = TAKE_PTR(o);
        return 0;

invalid:
        text_position(text, end < len ? end : len, &line, &column);
        return sysrun_error_set(err, -EINVAL, "invalid JSON: %s at line %u, column %u", what, line, column);
}

/* Returns 1 with *ret set (possibly to NULL for a mandatory null), 0 if absent or an optional null. */
static int json_lookup(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                       json_object **ret, SysrunError *err) {
        json_object *v = NULL;

        if (!json_find(obj, key, &v)) {
                if (flags & JSON_MANDATORY)
                        return json_error(err, parent, key, "missing required field");
                return 0;
        }
        if (!v && !(flags & JSON_MANDATORY))
                return 0;
        *ret = v;
        return 1;
}

int json_value_object(json_object *v, const char *parent, const char *key, SysrunError *err) {
        if (!json_object_is_type(v, json_type_object))
                return json_error(err, parent, key, "expected an object, got %s", json_type_name(v));
        return 0;
}

int json_value_string(json_object *v, const char *parent, const char *key, JsonFlags flags, char **ret,
                      SysrunError *err) {
        const char *s;
        char *copy;

        if (!json_object_is_type(v, json_type_string))
                return json_error(err, parent, key, "expected a string, got %s", json_type_name(v));
        s = json_object_get_string(v);
        if (strlen(s) != (size_t) json_object_get_string_len(v))
                return json_error(err, parent, key, "must not contain NUL bytes");
        if ((flags & JSON_ABSOLUTE) && s[0] != '/')
                return json_error(err, parent, key, "must be an absolute path, got %s", json_describe(v));
        if ((flags & JSON_NONEMPTY) && isempty(s))
                return json_error(err, parent, key, "must not be empty");

        copy = strdup(s);
        if (!copy)
                return json_oom(err);
        free(*ret);
        *ret = copy;
        return 1;
}

int json_get_object(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                    json_object **ret, SysrunError *err) {
        json_object *v = NULL;
        int r;

        r = json_lookup(obj, parent, key, flags, &v, err);
        if (r <= 0)
                return r;
        r = json_value_object(v, parent, key, err);
        if (r < 0)
                return r;
        *ret = v;
        return 1;
}

int json_get_array(json_object *obj, const char *parent, const char *key, JsonFlags flags, json_object **ret,
                   SysrunError *err) {
        json_object *v = NULL;
        int r;

        r = json_lookup(obj, parent, key, flags, &v, err);
        if (r <= 0)
                return r;
        if (!json_object_is_type(v, json_type_array))
                return json_error(err, parent, key, "expected an array, got %s", json_type_name(v));
        if ((flags & JSON_NONEMPTY) && json_object_array_length(v) == 0)
                return json_error(err, parent, key, "must not be empty");
        *ret = v;
        return 1;
}

int json_get_string(json_object *obj, const char *parent, const char *key, JsonFlags flags, char **ret,
                    SysrunError *err) {
        json_object *v = NULL;
        int r;

        r = json_lookup(obj, parent, key, flags, &v, err);
        if (r <= 0)
                return r;
        return json_value_string(v, parent, key, flags, ret, err);
}

static char *join_choices(const char *const *choices) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        for (size_t i = 0; choices[i]; i++)
                fprintf(f, "%s\"%s\"", i > 0 ? ", " : "", choices[i]);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

int json_get_enum(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                  const char *const *choices, char **ret, int *ret_index, SysrunError *err) {
        _cleanup_free_ char *s = NULL, *list = NULL;
        int r;

        r = json_get_string(obj, parent, key, flags, &s, err);
        if (r <= 0)
                return r;
        for (int i = 0; choices[i]; i++)
                if (streq(choices[i], s)) {
                        if (ret) {
                                free(*ret);
                                *ret = TAKE_PTR(s);
                        }
                        if (ret_index)
                                *ret_index = i;
                        return 1;
                }

        list = join_choices(choices);
        if (!list)
                return json_oom(err);
        return json_error(err, parent, key, "must be one of %s, got %s", list,
                          json_member_describe(obj, key));
}

int json_get_bool(json_object *obj, const char *parent, const char *key, JsonFlags flags, bool *ret,
                  SysrunError *err) {
        json_object *v = NULL;
        int r;

        r = json_lookup(obj, parent, key, flags, &v, err);
        if (r <= 0)
                return r;
        if (!json_object_is_type(v, json_type_boolean))
                return json_error(err, parent, key, "expected a boolean, got %s", json_type_name(v));
        *ret = json_object_get_boolean(v);
        return 1;
}

static const struct {
        const char *name;
        int64_t min;
        uint64_t max;
} json_int_table[_JSON_INT_MAX] = {
        [JSON_U16] = { "an unsigned 16-bit integer", 0, UINT16_MAX },
        [JSON_U32] = { "an unsigned 32-bit integer", 0, UINT32_MAX },
        [JSON_U64] = { "an unsigned 64-bit integer", 0, UINT64_MAX },
        [JSON_I32] = { "a 32-bit integer", INT32_MIN, INT32_MAX },
        [JSON_I64] = { "a 64-bit integer", INT64_MIN, INT64_MAX },
};

static int json_value_integer(json_object *v, const char *parent, const char *key, JsonInt kind,
                              int64_t *ret_i, uint64_t *ret_u, SysrunError *err) {
        int64_t i;
        uint64_t u;

        assert(kind >= 0 && kind < _JSON_INT_MAX);

        /* Floats are rejected even when integral, as Go runtimes do. */
        if (!json_object_is_type(v, json_type_int))
                goto invalid;
        /* json-c stores values above INT64_MAX as uint64: get_int64() clamps those, get_uint64() not. */
        i = json_object_get_int64(v);
        u = json_object_get_uint64(v);
        if (i < 0 ? i < json_int_table[kind].min : u > json_int_table[kind].max)
                goto invalid;
        if (ret_i)
                *ret_i = i;
        if (ret_u)
                *ret_u = u;
        return 1;

invalid:
        return json_error(err, parent, key, "expected %s, got %s", json_int_table[kind].name,
                          json_describe(v));
}

static int json_get_integer(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                            JsonInt kind, int64_t *ret_i, uint64_t *ret_u, SysrunError *err) {
        json_object *v = NULL;
        int r;

        r = json_lookup(obj, parent, key, flags, &v, err);
        if (r <= 0)
                return r;
        return json_value_integer(v, parent, key, kind, ret_i, ret_u, err);
}

int json_value_uint(json_object *v, const char *parent, const char *key, JsonInt kind, uint64_t *ret,
                    SysrunError *err) {
        assert(json_int_table[kind].min == 0);
        return json_value_integer(v, parent, key, kind, NULL, ret, err);
}

int json_get_uint(json_object *obj, const char *parent, const char *key, JsonFlags flags, JsonInt kind,
                  uint64_t *ret, SysrunError *err) {
        assert(json_int_table[kind].min == 0);
        return json_get_integer(obj, parent, key, flags, kind, NULL, ret, err);
}

int json_get_int(json_object *obj, const char *parent, const char *key, JsonFlags flags, JsonInt kind,
                 int64_t *ret, SysrunError *err) {
        assert(json_int_table[kind].max <= INT64_MAX);
        return json_get_integer(obj, parent, key, flags, kind, ret, NULL, err);
}

int json_get_u32(json_object *obj, const char *parent, const char *key, JsonFlags flags, uint32_t *ret,
                 SysrunError *err) {
        uint64_t u;
        int r;

        r = json_get_uint(obj, parent, key, flags, JSON_U32, &u, err);
        if (r > 0)
                *ret = (uint32_t) u;
        return r;
}

int json_get_opt_uint(json_object *obj, const char *parent, const char *key, JsonInt kind, OptU64 *ret,
                      SysrunError *err) {
        uint64_t u;
        int r;

        r = json_get_uint(obj, parent, key, 0, kind, &u, err);
        if (r > 0)
                *ret = (OptU64) { .set = true, .value = u };
        return r;
}

int json_get_opt_int(json_object *obj, const char *parent, const char *key, JsonInt kind, OptI64 *ret,
                     SysrunError *err) {
        int64_t i;
        int r;

        r = json_get_int(obj, parent, key, 0, kind, &i, err);
        if (r > 0)
                *ret = (OptI64) { .set = true, .value = i };
        return r;
}

int json_get_opt_bool(json_object *obj, const char *parent, const char *key, OptBool *ret,
                      SysrunError *err) {
        bool b;
        int r;

        r = json_get_bool(obj, parent, key, 0, &b, err);
        if (r > 0)
                *ret = (OptBool) { .set = true, .value = b };
        return r;
}

int json_get_strv(json_object *obj, const char *parent, const char *key, JsonFlags flags, char ***ret,
                  SysrunError *err) {
        _cleanup_strv_free_ char **l = NULL;
        json_object *a = NULL;
        size_t n;
        int r;

        r = json_get_array(obj, parent, key, flags, &a, err);
        if (r <= 0)
                return r;

        n = json_object_array_length(a);
        l = calloc(n + 1, sizeof(char *));
        if (!l)
                return json_oom(err);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *p = json_path_index(parent, key, i);

                if (!p)
                        return json_oom(err);
                r = json_value_string(json_object_array_get_idx(a, i), p, NULL, flags & JSON_ABSOLUTE, &l[i],
                                      err);
                if (r < 0)
                        return r;
        }

        strv_free(*ret);
        *ret = TAKE_PTR(l);
        return 1;
}

int json_get_string_map(json_object *obj, const char *parent, const char *key, char ***ret,
                        SysrunError *err) {
        _cleanup_strv_free_ char **l = NULL;
        json_object *m = NULL;
        size_t n = 0;
        int r;

        r = json_get_object(obj, parent, key, 0, &m, err);
        if (r <= 0)
                return r;

        /* Sized at once: an append per key would copy the list each time (quadratic). */
        l = calloc(2 * (size_t) json_object_object_length(m) + 1, sizeof(char *));
        if (!l)
                return json_oom(err);
        json_object_object_foreach(m, name, value) {
                _cleanup_free_ char *p = json_path_map(parent, key, name), *s = NULL;

                if (!p)
                        return json_oom(err);
                if (isempty(name))
                        return json_error(err, p, NULL, "key must not be empty");
                r = json_value_string(value, p, NULL, 0, &s, err);
                if (r < 0)
                        return r;
                l[n] = strdup(name);
                if (!l[n])
                        return json_oom(err);
                l[n + 1] = TAKE_PTR(s);
                n += 2;
        }

        strv_free(*ret);
        *ret = TAKE_PTR(l);
        return 1;
}

int json_get_array_of_internal(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                               size_t size, JsonElementParser parse, void **ret, size_t *ret_n,
                               SysrunError *err) {
        json_object *a = NULL;
        size_t n;
        int r;

        r = json_get_array(obj, parent, key, flags, &a, err);
        if (r <= 0)
                return r;

        n = json_object_array_length(a);
        if (n == 0)
                return 1;
        *ret = calloc(n, size);
        if (!*ret)
                return json_oom(err);
        *ret_n = n;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *p = json_path_index(parent, key, i);
                json_object *e = json_object_array_get_idx(a, i);

                if (!p)
                        return json_oom(err);
                r = json_value_object(e, p, NULL, err);
                if (r < 0)
                        return r;
                r = parse(e, p, (uint8_t *) *ret + i * size, err);
                if (r < 0)
                        return r;
        }
        return 1;
}
