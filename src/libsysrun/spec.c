/* SPDX-License-Identifier: Apache-2.0 */
#include <assert.h>
#include <json-c/json.h>

#include "spec.h"

/* Same key order and indentation as Go's json.MarshalIndent(spec, "", "\t") in `runc spec`. */
#define SPEC_JSON_FLAGS                                                                         \
        (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_SPACED |    \
         JSON_C_TO_STRING_NOSLASHESCAPE)

/* runc 1.1's specconv.Example(), with ociVersion 1.2.0. json-c keeps the key order. */
static const char spec_template[] =
        "{"
                "\"ociVersion\": \"1.2.0\","
                "\"process\": {"
                        "\"terminal\": true,"
                        "\"user\": {\"uid\": 0, \"gid\": 0},"
                        "\"args\": [\"sh\"],"
                        "\"env\": ["
                                "\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
                                "\"TERM=xterm\""
                        "],"
                        "\"cwd\": \"/\","
                        "\"capabilities\": {"
                                "\"bounding\": ["
                                        "\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\""
                                "],"
                                "\"effective\": ["
                                        "\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\""
                                "],"
                                "\"permitted\": ["
                                        "\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\""
                                "],"
                                "\"ambient\": ["
                                        "\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\""
                                "]"
                        "},"
                        "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],"
                        "\"noNewPrivileges\": true"
                "},"
                "\"root\": {\"path\": \"rootfs\", \"readonly\": true},"
                "\"hostname\": \"runc\","
                "\"mounts\": ["
                        "{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
                        "{"
                                "\"destination\": \"/dev\","
                                "\"type\": \"tmpfs\","
                                "\"source\": \"tmpfs\","
                                "\"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]"
                        "},"
                        "{"
                                "\"destination\": \"/dev/pts\","
                                "\"type\": \"devpts\","
                                "\"source\": \"devpts\","
                                "\"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\","
                                              "\"mode=0620\", \"gid=5\"]"
                        "},"
                        "{"
                                "\"destination\": \"/dev/shm\","
                                "\"type\": \"tmpfs\","
                                "\"source\": \"shm\","
                                "\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\","
                                              "\"size=65536k\"]"
                        "},"
                        "{"
                                "\"destination\": \"/dev/mqueue\","
                                "\"type\": \"mqueue\","
                                "\"source\": \"mqueue\","
                                "\"options\": [\"nosuid\", \"noexec\", \"nodev\"]"
                        "},"
                        "{"
                                "\"destination\": \"/sys\","
                                "\"type\": \"sysfs\","
                                "\"source\": \"sysfs\","
                                "\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]"
                        "},"
                        "{"
                                "\"destination\": \"/sys/fs/cgroup\","
                                "\"type\": \"cgroup\","
                                "\"source\": \"cgroup\","
                                "\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]"
                        "}"
                "],"
                "\"linux\": {"
                        "\"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]},"
                        "\"namespaces\": ["
                                "{\"type\": \"pid\"},"
                                "{\"type\": \"network\"},"
                                "{\"type\": \"ipc\"},"
                                "{\"type\": \"uts\"},"
                                "{\"type\": \"mount\"}"
                        "],"
                        "\"maskedPaths\": ["
                                "\"/proc/acpi\","
                                "\"/proc/asound\","
                                "\"/proc/kcore\","
                                "\"/proc/keys\","
                                "\"/proc/latency_stats\","
                                "\"/proc/timer_list\","
                                "\"/proc/timer_stats\","
                                "\"/proc/sched_debug\","
                                "\"/sys/firmware\","
                                "\"/proc/scsi\""
                        "],"
                        "\"readonlyPaths\": ["
                                "\"/proc/bus\","
                                "\"/proc/fs\","
                                "\"/proc/irq\","
                                "\"/proc/sys\","
                                "\"/proc/sysrq-trigger\""
                        "]"
                "}"
        "}";

/* What runc's specconv.ToRootless() puts in place of the /sys mount. */
static const char rootless_sys_mount[] =
        "{"
                "\"destination\": \"/sys\","
                "\"type\": \"none\","
                "\"source\": \"/sys\","
                "\"options\": [\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"]"
        "}";

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(json_object *, json_object_put, NULL);
#define _cleanup_json_ _cleanup_(json_object_putp)

/* Sets o[key] = v (replacing an existing key in place, keeping the key order). Takes ownership of v, also
 * on failure; v == NULL means an allocation failed. */
static int json_set(json_object *o, const char *key, json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

/* Appends v to the array a. Takes ownership of v, also on failure. */
static int json_append(json_object *a, json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_array_add(a, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static const char *json_get_string(json_object *o, const char *key) {
        json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

/* [{"containerID": 0, "hostID": id, "size": 1}] */
static json_object *new_id_mappings(unsigned id) {
        _cleanup_json_ json_object *mapping = NULL, *array = NULL;

        mapping = json_object_new_object();
        array = json_object_new_array();
        if (!mapping || !array)
                return NULL;

        if (json_set(mapping, "containerID", json_object_new_int64(0)) < 0 ||
            json_set(mapping, "hostID", json_object_new_int64(id)) < 0 ||
            json_set(mapping, "size", json_object_new_int64(1)) < 0 ||
            json_append(array, TAKE_PTR(mapping)) < 0)
                return NULL;

        return TAKE_PTR(array);
}

/* Drops the network and user namespaces, then appends a user namespace. */
static json_object *rootless_namespaces(json_object *namespaces) {
        _cleanup_json_ json_object *array = NULL, *user = NULL;
        size_t n = json_object_array_length(namespaces);

        array = json_object_new_array();
        if (!array)
                return NULL;

        for (size_t i = 0; i < n; i++) {
                json_object *ns = json_object_array_get_idx(namespaces, i);
                const char *type = json_get_string(ns, "type");

                if (streq_ptr(type, "network") || streq_ptr(type, "user"))
                        continue;
                if (json_append(array, json_object_get(ns)) < 0)
                        return NULL;
        }

        user = json_object_new_object();
        if (!user ||
            json_set(user, "type", json_object_new_string("user")) < 0 ||
            json_append(array, TAKE_PTR(user)) < 0)
                return NULL;

        return TAKE_PTR(array);
}

/* Removes the gid= and uid= options of a mount in place. */
static int rootless_mount_options(json_object *mount) {
        _cleanup_json_ json_object *filtered = NULL;
        json_object *options;
        size_t n;

        if (!json_object_object_get_ex(mount, "options", &options))
                return 0;

        filtered = json_object_new_array();
        if (!filtered)
                return -ENOMEM;

        n = json_object_array_length(options);
        for (size_t i = 0; i < n; i++) {
                json_object *o = json_object_array_get_idx(options, i);
                const char *s = json_object_get_string(o);

                if (startswith(s, "gid=") || startswith(s, "uid="))
                        continue;
                if (json_append(filtered, json_object_get(o)) < 0)
                        return -ENOMEM;
        }

        /* Go's omitempty drops an empty list. */
        if (json_object_array_length(filtered) == 0) {
                json_object_object_del(mount, "options");
                return 0;
        }
        return json_set(mount, "options", TAKE_PTR(filtered));
}

static int rootless_mounts(json_object *spec) {
        _cleanup_json_ json_object *array = NULL;
        json_object *mounts;
        size_t n;
        int r;

        if (!json_object_object_get_ex(spec, "mounts", &mounts))
                return -EINVAL;

        array = json_object_new_array();
        if (!array)
                return -ENOMEM;

        n = json_object_array_length(mounts);
        for (size_t i = 0; i < n; i++) {
                json_object *m = json_object_array_get_idx(mounts, i);

                if (streq_ptr(json_get_string(m, "destination"), "/sys")) {
                        r = json_append(array, json_tokener_parse(rootless_sys_mount));
                        if (r < 0)
                                return r;
                        continue;
                }

                r = rootless_mount_options(m);
                if (r < 0)
                        return r;
                r = json_append(array, json_object_get(m));
                if (r < 0)
                        return r;
        }

        return json_set(spec, "mounts", TAKE_PTR(array));
}

/* Rebuilds "linux" as runc does: uidMappings and gidMappings first (the position of these fields in
 * the runtime-spec's Linux struct), no resources, a user namespace instead of the network namespace. */
static int rootless_linux(json_object *spec) {
        _cleanup_json_ json_object *linux_new = NULL;
        json_object *linux_old;
        int r;

        if (!json_object_object_get_ex(spec, "linux", &linux_old))
                return -EINVAL;

        linux_new = json_object_new_object();
        if (!linux_new)
                return -ENOMEM;

        r = json_set(linux_new, "uidMappings", new_id_mappings(geteuid()));
        if (r < 0)
                return r;
        r = json_set(linux_new, "gidMappings", new_id_mappings(getegid()));
        if (r < 0)
                return r;

        json_object_object_foreach(linux_old, key, value) {
                if (streq(key, "resources"))
                        continue;
                if (streq(key, "namespaces"))
                        r = json_set(linux_new, key, rootless_namespaces(value));
                else
                        r = json_set(linux_new, key, json_object_get(value));
                if (r < 0)
                        return r;
        }

        return json_set(spec, "linux", TAKE_PTR(linux_new));
}

int spec_generate(bool rootless, char **ret_json, SysrunError *reterr_error) {
        _cleanup_json_ json_object *spec = NULL;
        const char *text;
        char *json;
        int r;

        assert(ret_json);

        /* The template is known to be valid, so a failure can only be an allocation failure. */
        spec = json_tokener_parse(spec_template);
        if (!spec)
                return sysrun_error_set(reterr_error, -ENOMEM, "Failed to parse the spec template");

        if (rootless) {
                r = rootless_mounts(spec);
                if (r >= 0)
                        r = rootless_linux(spec);
                if (r < 0)
                        return sysrun_error_set(reterr_error, r, "Failed to make the spec rootless: %m");
        }

        text = json_object_to_json_string_ext(spec, SPEC_JSON_FLAGS);
        if (!text)
                return sysrun_error_set(reterr_error, -ENOMEM, "Failed to format the spec");

        if (asprintf(&json, "%s\n", text) < 0)
                return sysrun_error_set(reterr_error, -ENOMEM, "Out of memory");

        *ret_json = json;
        return 0;
}
