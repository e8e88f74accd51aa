/* SPDX-License-Identifier: Apache-2.0 */
#include <json-c/json.h>
#include <stdarg.h>

#include "macro.h"
#include "spec.h"
#include "strv.h"
#include "tests.h"

/* `runc spec` and `runc spec --rootless` of runc 1.1.5 (run as root: hostID 0), with ociVersion changed from
 * "1.0.2-dev" to "1.2.0" and a trailing newline added: runc writes none. */
static const char runc_spec[] =
        "{\n"
        "\t\"ociVersion\": \"1.2.0\",\n"
        "\t\"process\": {\n"
        "\t\t\"terminal\": true,\n"
        "\t\t\"user\": {\n"
        "\t\t\t\"uid\": 0,\n"
        "\t\t\t\"gid\": 0\n"
        "\t\t},\n"
        "\t\t\"args\": [\n"
        "\t\t\t\"sh\"\n"
        "\t\t],\n"
        "\t\t\"env\": [\n"
        "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
        "\t\t\t\"TERM=xterm\"\n"
        "\t\t],\n"
        "\t\t\"cwd\": \"/\",\n"
        "\t\t\"capabilities\": {\n"
        "\t\t\t\"bounding\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"effective\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"permitted\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"ambient\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t\"rlimits\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
        "\t\t\t\t\"hard\": 1024,\n"
        "\t\t\t\t\"soft\": 1024\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"noNewPrivileges\": true\n"
        "\t},\n"
        "\t\"root\": {\n"
        "\t\t\"path\": \"rootfs\",\n"
        "\t\t\"readonly\": true\n"
        "\t},\n"
        "\t\"hostname\": \"runc\",\n"
        "\t\"mounts\": [\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/proc\",\n"
        "\t\t\t\"type\": \"proc\",\n"
        "\t\t\t\"source\": \"proc\"\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev\",\n"
        "\t\t\t\"type\": \"tmpfs\",\n"
        "\t\t\t\"source\": \"tmpfs\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"strictatime\",\n"
        "\t\t\t\t\"mode=755\",\n"
        "\t\t\t\t\"size=65536k\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/pts\",\n"
        "\t\t\t\"type\": \"devpts\",\n"
        "\t\t\t\"source\": \"devpts\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"newinstance\",\n"
        "\t\t\t\t\"ptmxmode=0666\",\n"
        "\t\t\t\t\"mode=0620\",\n"
        "\t\t\t\t\"gid=5\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/shm\",\n"
        "\t\t\t\"type\": \"tmpfs\",\n"
        "\t\t\t\"source\": \"shm\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"mode=1777\",\n"
        "\t\t\t\t\"size=65536k\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/mqueue\",\n"
        "\t\t\t\"type\": \"mqueue\",\n"
        "\t\t\t\"source\": \"mqueue\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/sys\",\n"
        "\t\t\t\"type\": \"sysfs\",\n"
        "\t\t\t\"source\": \"sysfs\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"ro\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
        "\t\t\t\"type\": \"cgroup\",\n"
        "\t\t\t\"source\": \"cgroup\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"relatime\",\n"
        "\t\t\t\t\"ro\"\n"
        "\t\t\t]\n"
        "\t\t}\n"
        "\t],\n"
        "\t\"linux\": {\n"
        "\t\t\"resources\": {\n"
        "\t\t\t\"devices\": [\n"
        "\t\t\t\t{\n"
        "\t\t\t\t\t\"allow\": false,\n"
        "\t\t\t\t\t\"access\": \"rwm\"\n"
        "\t\t\t\t}\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t\"namespaces\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"pid\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"network\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"ipc\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"uts\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"mount\"\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"maskedPaths\": [\n"
        "\t\t\t\"/proc/acpi\",\n"
        "\t\t\t\"/proc/asound\",\n"
        "\t\t\t\"/proc/kcore\",\n"
        "\t\t\t\"/proc/keys\",\n"
        "\t\t\t\"/proc/latency_stats\",\n"
        "\t\t\t\"/proc/timer_list\",\n"
        "\t\t\t\"/proc/timer_stats\",\n"
        "\t\t\t\"/proc/sched_debug\",\n"
        "\t\t\t\"/sys/firmware\",\n"
        "\t\t\t\"/proc/scsi\"\n"
        "\t\t],\n"
        "\t\t\"readonlyPaths\": [\n"
        "\t\t\t\"/proc/bus\",\n"
        "\t\t\t\"/proc/fs\",\n"
        "\t\t\t\"/proc/irq\",\n"
        "\t\t\t\"/proc/sys\",\n"
        "\t\t\t\"/proc/sysrq-trigger\"\n"
        "\t\t]\n"
        "\t}\n"
        "}\n";

static const char runc_spec_rootless[] =
        "{\n"
        "\t\"ociVersion\": \"1.2.0\",\n"
        "\t\"process\": {\n"
        "\t\t\"terminal\": true,\n"
        "\t\t\"user\": {\n"
        "\t\t\t\"uid\": 0,\n"
        "\t\t\t\"gid\": 0\n"
        "\t\t},\n"
        "\t\t\"args\": [\n"
        "\t\t\t\"sh\"\n"
        "\t\t],\n"
        "\t\t\"env\": [\n"
        "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
        "\t\t\t\"TERM=xterm\"\n"
        "\t\t],\n"
        "\t\t\"cwd\": \"/\",\n"
        "\t\t\"capabilities\": {\n"
        "\t\t\t\"bounding\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"effective\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"permitted\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t],\n"
        "\t\t\t\"ambient\": [\n"
        "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
        "\t\t\t\t\"CAP_KILL\",\n"
        "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t\"rlimits\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
        "\t\t\t\t\"hard\": 1024,\n"
        "\t\t\t\t\"soft\": 1024\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"noNewPrivileges\": true\n"
        "\t},\n"
        "\t\"root\": {\n"
        "\t\t\"path\": \"rootfs\",\n"
        "\t\t\"readonly\": true\n"
        "\t},\n"
        "\t\"hostname\": \"runc\",\n"
        "\t\"mounts\": [\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/proc\",\n"
        "\t\t\t\"type\": \"proc\",\n"
        "\t\t\t\"source\": \"proc\"\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev\",\n"
        "\t\t\t\"type\": \"tmpfs\",\n"
        "\t\t\t\"source\": \"tmpfs\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"strictatime\",\n"
        "\t\t\t\t\"mode=755\",\n"
        "\t\t\t\t\"size=65536k\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/pts\",\n"
        "\t\t\t\"type\": \"devpts\",\n"
        "\t\t\t\"source\": \"devpts\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"newinstance\",\n"
        "\t\t\t\t\"ptmxmode=0666\",\n"
        "\t\t\t\t\"mode=0620\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/shm\",\n"
        "\t\t\t\"type\": \"tmpfs\",\n"
        "\t\t\t\"source\": \"shm\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"mode=1777\",\n"
        "\t\t\t\t\"size=65536k\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/dev/mqueue\",\n"
        "\t\t\t\"type\": \"mqueue\",\n"
        "\t\t\t\"source\": \"mqueue\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/sys\",\n"
        "\t\t\t\"type\": \"none\",\n"
        "\t\t\t\"source\": \"/sys\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"rbind\",\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"ro\"\n"
        "\t\t\t]\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
        "\t\t\t\"type\": \"cgroup\",\n"
        "\t\t\t\"source\": \"cgroup\",\n"
        "\t\t\t\"options\": [\n"
        "\t\t\t\t\"nosuid\",\n"
        "\t\t\t\t\"noexec\",\n"
        "\t\t\t\t\"nodev\",\n"
        "\t\t\t\t\"relatime\",\n"
        "\t\t\t\t\"ro\"\n"
        "\t\t\t]\n"
        "\t\t}\n"
        "\t],\n"
        "\t\"linux\": {\n"
        "\t\t\"uidMappings\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"containerID\": 0,\n"
        "\t\t\t\t\"hostID\": 0,\n"
        "\t\t\t\t\"size\": 1\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"gidMappings\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"containerID\": 0,\n"
        "\t\t\t\t\"hostID\": 0,\n"
        "\t\t\t\t\"size\": 1\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"namespaces\": [\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"pid\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"ipc\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"uts\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"mount\"\n"
        "\t\t\t},\n"
        "\t\t\t{\n"
        "\t\t\t\t\"type\": \"user\"\n"
        "\t\t\t}\n"
        "\t\t],\n"
        "\t\t\"maskedPaths\": [\n"
        "\t\t\t\"/proc/acpi\",\n"
        "\t\t\t\"/proc/asound\",\n"
        "\t\t\t\"/proc/kcore\",\n"
        "\t\t\t\"/proc/keys\",\n"
        "\t\t\t\"/proc/latency_stats\",\n"
        "\t\t\t\"/proc/timer_list\",\n"
        "\t\t\t\"/proc/timer_stats\",\n"
        "\t\t\t\"/proc/sched_debug\",\n"
        "\t\t\t\"/sys/firmware\",\n"
        "\t\t\t\"/proc/scsi\"\n"
        "\t\t],\n"
        "\t\t\"readonlyPaths\": [\n"
        "\t\t\t\"/proc/bus\",\n"
        "\t\t\t\"/proc/fs\",\n"
        "\t\t\t\"/proc/irq\",\n"
        "\t\t\t\"/proc/sys\",\n"
        "\t\t\t\"/proc/sysrq-trigger\"\n"
        "\t\t]\n"
        "\t}\n"
        "}\n";

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(json_object *, json_object_put, NULL);
#define _cleanup_json_ _cleanup_(json_object_putp)

#define STRV_MAKE(...) ((char *[]) { __VA_ARGS__, NULL })

/* Follows a NULL-terminated list of keys from o; NULL if any of them is missing. */
static json_object *get(json_object *o, ...) {
        va_list ap;

        va_start(ap, o);
        for (const char *key = va_arg(ap, const char *); key && o; key = va_arg(ap, const char *))
                if (!json_object_object_get_ex(o, key, &o))
                        o = NULL;
        va_end(ap);
        return o;
}

static const char *get_string(json_object *o, const char *key) {
        json_object *v = get(o, key, NULL);

        ASSERT_NOT_NULL(v);
        ASSERT_TRUE(json_object_is_type(v, json_type_string));
        return json_object_get_string(v);
}

static int64_t get_int(json_object *o, const char *key) {
        json_object *v = get(o, key, NULL);

        ASSERT_NOT_NULL(v);
        ASSERT_TRUE(json_object_is_type(v, json_type_int));
        return json_object_get_int64(v);
}

static void assert_keys(json_object *o, char *const *expected) {
        char *const *k = expected;

        ASSERT_TRUE(json_object_is_type(o, json_type_object));
        json_object_object_foreach(o, key, value) {
                (void) value;
                ASSERT_NOT_NULL(*k);
                ASSERT_STREQ(key, *k);
                k++;
        }
        ASSERT_NULL(*k);
}

static void assert_string_array(json_object *a, char *const *expected) {
        ASSERT_NOT_NULL(a);
        ASSERT_TRUE(json_object_is_type(a, json_type_array));
        ASSERT_EQ(json_object_array_length(a), strv_length(expected));
        for (size_t i = 0; expected[i]; i++)
                ASSERT_STREQ(json_object_get_string(json_object_array_get_idx(a, i)), expected[i]);
}

/* Checks the value of key in each object of the array a, in order. */
static void assert_field_of_each(json_object *a, const char *key, char *const *expected) {
        ASSERT_NOT_NULL(a);
        ASSERT_TRUE(json_object_is_type(a, json_type_array));
        ASSERT_EQ(json_object_array_length(a), strv_length(expected));
        for (size_t i = 0; expected[i]; i++)
                ASSERT_STREQ(get_string(json_object_array_get_idx(a, i), key), expected[i]);
}

static json_object *find_mount(json_object *spec, const char *destination) {
        json_object *mounts = get(spec, "mounts", NULL);

        for (size_t i = 0; i < json_object_array_length(mounts); i++) {
                json_object *m = json_object_array_get_idx(mounts, i);

                if (streq(get_string(m, "destination"), destination))
                        return m;
        }
        return NULL;
}

static void assert_id_mapping(json_object *mappings, unsigned host_id) {
        json_object *m;

        ASSERT_NOT_NULL(mappings);
        ASSERT_EQ(json_object_array_length(mappings), 1);
        m = json_object_array_get_idx(mappings, 0);
        assert_keys(m, STRV_MAKE("containerID", "hostID", "size"));
        ASSERT_EQ(get_int(m, "containerID"), 0);
        ASSERT_EQ(get_int(m, "hostID"), host_id);
        ASSERT_EQ(get_int(m, "size"), 1);
}

static json_object *generate(bool rootless, char **ret_text) {
        _cleanup_(sysrun_error_done) SysrunError error = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *text = NULL;
        json_object *spec;
        size_t n;

        ASSERT_OK(spec_generate(rootless, &text, &error));
        ASSERT_FALSE(sysrun_error_is_set(&error));
        ASSERT_NOT_NULL(text);

        n = strlen(text);
        ASSERT_TRUE(n > 2);
        ASSERT_TRUE(text[n - 1] == '\n');
        ASSERT_TRUE(text[n - 2] == '}');

        spec = json_tokener_parse(text);
        ASSERT_NOT_NULL(spec);
        ASSERT_TRUE(json_object_is_type(spec, json_type_object));

        if (ret_text)
                *ret_text = TAKE_PTR(text);
        return spec;
}

/* Checks what the two variants share. */
static void assert_common(json_object *spec) {
        json_object *process, *caps;

        assert_keys(spec, STRV_MAKE("ociVersion", "process", "root", "hostname", "mounts", "linux"));
        ASSERT_STREQ(get_string(spec, "ociVersion"), "1.2.0");
        ASSERT_STREQ(get_string(spec, "hostname"), "runc");

        process = get(spec, "process", NULL);
        assert_keys(process, STRV_MAKE("terminal", "user", "args", "env", "cwd", "capabilities", "rlimits",
                                       "noNewPrivileges"));
        ASSERT_TRUE(json_object_get_boolean(get(process, "terminal", NULL)));
        ASSERT_EQ(get_int(get(process, "user", NULL), "uid"), 0);
        ASSERT_EQ(get_int(get(process, "user", NULL), "gid"), 0);
        assert_string_array(get(process, "args", NULL), STRV_MAKE("sh"));
        assert_string_array(get(process, "env", NULL),
                            STRV_MAKE("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                      "TERM=xterm"));
        ASSERT_STREQ(get_string(process, "cwd"), "/");
        caps = get(process, "capabilities", NULL);
        assert_keys(caps, STRV_MAKE("bounding", "effective", "permitted", "ambient"));
        json_object_object_foreach(caps, set, list) {
                (void) set;
                assert_string_array(list, STRV_MAKE("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        }
        ASSERT_EQ(json_object_array_length(get(process, "rlimits", NULL)), 1);
        ASSERT_STREQ(get_string(json_object_array_get_idx(get(process, "rlimits", NULL), 0), "type"),
                     "RLIMIT_NOFILE");
        ASSERT_EQ(get_int(json_object_array_get_idx(get(process, "rlimits", NULL), 0), "hard"), 1024);
        ASSERT_EQ(get_int(json_object_array_get_idx(get(process, "rlimits", NULL), 0), "soft"), 1024);
        ASSERT_TRUE(json_object_get_boolean(get(process, "noNewPrivileges", NULL)));

        assert_keys(get(spec, "root", NULL), STRV_MAKE("path", "readonly"));
        ASSERT_STREQ(get_string(get(spec, "root", NULL), "path"), "rootfs");
        ASSERT_TRUE(json_object_is_type(get(spec, "root", "readonly", NULL), json_type_boolean));
        ASSERT_TRUE(json_object_get_boolean(get(spec, "root", "readonly", NULL)));

        assert_field_of_each(get(spec, "mounts", NULL), "destination",
                             STRV_MAKE("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
                                       "/sys/fs/cgroup"));
        ASSERT_NULL(get(find_mount(spec, "/proc"), "options", NULL));
        assert_string_array(get(find_mount(spec, "/dev"), "options", NULL),
                            STRV_MAKE("nosuid", "strictatime", "mode=755", "size=65536k"));
        assert_string_array(get(find_mount(spec, "/dev/shm"), "options", NULL),
                            STRV_MAKE("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        assert_string_array(get(find_mount(spec, "/sys/fs/cgroup"), "options", NULL),
                            STRV_MAKE("nosuid", "noexec", "nodev", "relatime", "ro"));

        assert_string_array(get(spec, "linux", "maskedPaths", NULL),
                            STRV_MAKE("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                                      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
        assert_string_array(get(spec, "linux", "readonlyPaths", NULL),
                            STRV_MAKE("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                      "/proc/sysrq-trigger"));
}

TEST(spec_default) {
        _cleanup_json_ json_object *spec = NULL;
        json_object *devices, *d;

        spec = generate(false, NULL);
        assert_common(spec);

        ASSERT_STREQ(get_string(find_mount(spec, "/sys"), "type"), "sysfs");
        ASSERT_STREQ(get_string(find_mount(spec, "/sys"), "source"), "sysfs");
        assert_string_array(get(find_mount(spec, "/sys"), "options", NULL),
                            STRV_MAKE("nosuid", "noexec", "nodev", "ro"));
        assert_string_array(get(find_mount(spec, "/dev/pts"), "options", NULL),
                            STRV_MAKE("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
                                      "gid=5"));

        assert_keys(get(spec, "linux", NULL),
                    STRV_MAKE("resources", "namespaces", "maskedPaths", "readonlyPaths"));
        assert_field_of_each(get(spec, "linux", "namespaces", NULL), "type",
                             STRV_MAKE("pid", "network", "ipc", "uts", "mount"));

        devices = get(spec, "linux", "resources", "devices", NULL);
        ASSERT_NOT_NULL(devices);
        ASSERT_EQ(json_object_array_length(devices), 1);
        d = json_object_array_get_idx(devices, 0);
        assert_keys(d, STRV_MAKE("allow", "access"));
        ASSERT_TRUE(json_object_is_type(get(d, "allow", NULL), json_type_boolean));
        ASSERT_FALSE(json_object_get_boolean(get(d, "allow", NULL)));
        ASSERT_STREQ(get_string(d, "access"), "rwm");
}

static void check_rootless(uid_t uid, gid_t gid) {
        _cleanup_json_ json_object *spec = NULL;
        json_object *sys;

        spec = generate(true, NULL);
        assert_common(spec);

        /* /sys is bind mounted, the gid= option is gone. */
        sys = find_mount(spec, "/sys");
        assert_keys(sys, STRV_MAKE("destination", "type", "source", "options"));
        ASSERT_STREQ(get_string(sys, "type"), "none");
        ASSERT_STREQ(get_string(sys, "source"), "/sys");
        assert_string_array(get(sys, "options", NULL),
                            STRV_MAKE("rbind", "nosuid", "noexec", "nodev", "ro"));
        assert_string_array(get(find_mount(spec, "/dev/pts"), "options", NULL),
                            STRV_MAKE("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));

        /* No resources, no network namespace, a user namespace with the current IDs mapped to root. */
        assert_keys(get(spec, "linux", NULL),
                    STRV_MAKE("uidMappings", "gidMappings", "namespaces", "maskedPaths", "readonlyPaths"));
        assert_field_of_each(get(spec, "linux", "namespaces", NULL), "type",
                             STRV_MAKE("pid", "ipc", "uts", "mount", "user"));
        assert_id_mapping(get(spec, "linux", "uidMappings", NULL), uid);
        assert_id_mapping(get(spec, "linux", "gidMappings", NULL), gid);
}

TEST(spec_rootless) {
        uid_t uid = geteuid();
        gid_t gid = getegid();

        check_rootless(uid, gid);

        /* The mappings follow the effective IDs (runc uses os.Geteuid() and os.Getegid()). */
        if (setegid(4321) < 0 || seteuid(1234) < 0) {
                fprintf(stderr, "Cannot change the effective IDs (%m), skipping that part.\n");
                (void) setegid(gid);
                return;
        }
        check_rootless(1234, 4321);
        ASSERT_OK(seteuid(uid));
        ASSERT_OK(setegid(gid));
}

/* runc_spec_rootless with the host IDs of the uid and gid mappings set to uid and gid. */
static char *expected_rootless(uid_t uid, gid_t gid) {
        static const char needle[] = "\"hostID\": 0,";
        const char *t = runc_spec_rootless, *u, *g;
        size_t l = strlen(needle);
        char *r;

        u = strstr(t, needle);
        ASSERT_NOT_NULL(u);
        g = strstr(u + l, needle);
        ASSERT_NOT_NULL(g);
        ASSERT_NULL(strstr(g + l, needle));

        ASSERT_TRUE(asprintf(&r, "%.*s\"hostID\": %u,%.*s\"hostID\": %u,%s",
                             (int) (u - t), t, (unsigned) uid,
                             (int) (g - u - l), u + l, (unsigned) gid,
                             g + l) >= 0);
        return r;
}

static void assert_rootless_text(uid_t uid, gid_t gid) {
        _cleanup_json_ json_object *spec = NULL;
        _cleanup_free_ char *text = NULL, *expected = NULL;

        spec = generate(true, &text);
        expected = expected_rootless(uid, gid);
        ASSERT_STREQ(text, expected);
}

TEST(spec_same_as_runc) {
        _cleanup_json_ json_object *spec = NULL, *expected = NULL;
        _cleanup_free_ char *text = NULL;
        uid_t uid = geteuid();
        gid_t gid = getegid();

        /* Byte for byte, apart from ociVersion and the trailing newline (see above). */
        spec = generate(false, &text);
        ASSERT_STREQ(text, runc_spec);

        /* The structural comparison agrees. */
        expected = json_tokener_parse(runc_spec);
        ASSERT_NOT_NULL(expected);
        ASSERT_TRUE(json_object_equal(spec, expected));

        /* The rootless variant, with the effective IDs of this process … */
        assert_rootless_text(uid, gid);

        /* … and with other ones, when we may switch to them. */
        if (setegid(4321) < 0 || seteuid(1234) < 0) {
                fprintf(stderr, "Cannot change the effective IDs (%m), skipping that part.\n");
                (void) setegid(gid);
                return;
        }
        assert_rootless_text(1234, 4321);
        ASSERT_OK(seteuid(uid));
        ASSERT_OK(setegid(gid));
}

TEST(spec_no_error_argument) {
        _cleanup_free_ char *text = NULL;

        /* The error argument is optional. */
        ASSERT_OK(spec_generate(true, &text, NULL));
        ASSERT_NOT_NULL(text);
}

DEFINE_TEST_MAIN();
