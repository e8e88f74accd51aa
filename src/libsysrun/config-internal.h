/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Shared by config.c, config-json.c and config-linux.c only: typed json-c accessors that report
 * errors as "<json path>: <what is wrong>". A value is addressed by the path of its parent ("" at
 * the top) plus its key (NULL when the parent path already names the value, e.g. an array element).
 *
 * The json_get_*() functions return 1 when the member was found and stored, 0 when it is absent
 * (left untouched), or a negative errno with the error set. A JSON null counts as absent, as it
 * does for Go runtimes, unless the member is JSON_MANDATORY. */

#include <json-c/json.h>

#include "config.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(json_object *, json_object_put, NULL);

typedef enum JsonFlags {
        JSON_MANDATORY = 1 << 0, /* absent is an error */
        JSON_ABSOLUTE = 1 << 1, /* strings (and string array elements): must start with "/" */
        JSON_NONEMPTY = 1 << 2, /* strings and arrays: must not be empty */
} JsonFlags;

typedef enum JsonInt {
        JSON_U16,
        JSON_U32,
        JSON_U64,
        JSON_I32,
        JSON_I64,
        _JSON_INT_MAX,
} JsonInt;

/* "parent.key", "parent.key[3]", "parent.key[\"name\"]"; NULL on OOM. */
char *json_path(const char *parent, const char *key);
char *json_path_index(const char *parent, const char *key, size_t i);
char *json_path_map(const char *parent, const char *key, const char *name);

int json_error(SysrunError *err, const char *parent, const char *key, const char *fmt, ...) _printf_(4, 5);
int json_oom(SysrunError *err);
/* The value as shown in messages: strings quoted, numbers as written, else the type name; cut at
 * SYSRUN_VALUE_MAX bytes with ELLIPSIS (a config may hold megabytes in one string). buf has
 * JSON_DESCRIBE_MAX bytes; json_describe() gives each call its own. */
#define JSON_DESCRIBE_MAX (SYSRUN_VALUE_MAX + 8)
const char *json_describe_buf(json_object *v, char *buf);
#define json_describe(v) json_describe_buf((v), (char[JSON_DESCRIBE_MAX]){})

/* Parses text[0..len) (text[len] must be NUL) into an object. */
int json_parse_text(const char *text, size_t len, json_object **ret, SysrunError *err);

int json_value_object(json_object *v, const char *parent, const char *key, SysrunError *err);
int json_value_string(json_object *v, const char *parent, const char *key, JsonFlags flags, char **ret,
                      SysrunError *err);
int json_value_uint(json_object *v, const char *parent, const char *key, JsonInt kind, uint64_t *ret,
                    SysrunError *err);

int json_get_object(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                    json_object **ret, SysrunError *err);
int json_get_array(json_object *obj, const char *parent, const char *key, JsonFlags flags, json_object **ret,
                   SysrunError *err);
int json_get_string(json_object *obj, const char *parent, const char *key, JsonFlags flags, char **ret,
                    SysrunError *err);
/* The string must be one of choices (NULL-terminated); *ret_index gets its position. */
int json_get_enum(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                  const char *const *choices, char **ret, int *ret_index, SysrunError *err);
int json_get_bool(json_object *obj, const char *parent, const char *key, JsonFlags flags, bool *ret,
                  SysrunError *err);
int json_get_uint(json_object *obj, const char *parent, const char *key, JsonFlags flags, JsonInt kind,
                  uint64_t *ret, SysrunError *err);
int json_get_int(json_object *obj, const char *parent, const char *key, JsonFlags flags, JsonInt kind,
                 int64_t *ret, SysrunError *err);
int json_get_u32(json_object *obj, const char *parent, const char *key, JsonFlags flags, uint32_t *ret,
                 SysrunError *err);
int json_get_opt_uint(json_object *obj, const char *parent, const char *key, JsonInt kind, OptU64 *ret,
                      SysrunError *err);
int json_get_opt_int(json_object *obj, const char *parent, const char *key, JsonInt kind, OptI64 *ret,
                     SysrunError *err);
int json_get_opt_bool(json_object *obj, const char *parent, const char *key, OptBool *ret, SysrunError *err);
/* An empty array gives an empty (non-NULL) vector. */
int json_get_strv(json_object *obj, const char *parent, const char *key, JsonFlags flags, char ***ret,
                  SysrunError *err);
/* A string→string object, as flat key/value pairs in file order. */
int json_get_string_map(json_object *obj, const char *parent, const char *key, char ***ret,
                        SysrunError *err);

/* An array of objects: allocates *ret (zeroed, NULL when empty) and *ret_n at once, so that the
 * owner's free function releases a half-parsed array, then calls parse(element, path, item). */
typedef int (*JsonElementParser)(json_object *o, const char *path, void *item, SysrunError *err);
int json_get_array_of_internal(json_object *obj, const char *parent, const char *key, JsonFlags flags,
                               size_t size, JsonElementParser parse, void **ret, size_t *ret_n,
                               SysrunError *err);
#define json_get_array_of(obj, parent, key, flags, parse, ret, ret_n, err)                                  \
        json_get_array_of_internal(obj, parent, key, flags, sizeof(**(ret)), parse, (void **) (ret), ret_n, \
                                   err)

/* config.c: one LinuxIDMapping object, for linux.{uid,gid}Mappings and mounts[].{uid,gid}Mappings. */
int oci_id_mapping_parse_json(json_object *o, const char *path, void *item, SysrunError *err);

/* config-linux.c: the "linux" object. */
int oci_linux_parse_json(json_object *o, const char *path, OciLinux *l, SysrunError *err);
OciLinux *oci_linux_free(OciLinux *l);
