/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* What the config tests share: JSON written with ' for ", the parse helpers, runc's spec. */

#include "config.h"
#include "strv.h"
#include "tests.h"

/* The JSON texts below use ' for " so that they stay readable; q() turns them into real JSON. */
static inline char *q(const char *s) {
        char *t = strdup(s);

        ASSERT_NOT_NULL(t);
        for (char *p = t; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return t;
}

static inline OciConfig *parse_ok(const char *json_q) {
        _cleanup_free_ char *json = q(json_q);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        int r;

        r = oci_config_parse_string(json, &c, &e);
        if (r < 0)
                fprintf(stderr, "unexpected error: %s\n", e.msg);
        ASSERT_OK(r);
        ASSERT_NULL(e.msg);
        ASSERT_NOT_NULL(c);
        return c;
}

static inline void assert_strv(char **l, const char *const *expected) {
        size_t n = 0;

        ASSERT_NOT_NULL(l);
        for (; expected[n]; n++)
                ASSERT_STREQ(l[n], expected[n]);
        ASSERT_EQ(strv_length(l), n);
}
#define ASSERT_STRV(l, ...) assert_strv((l), (const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_STRV_EMPTY(l)         \
        do {                         \
                ASSERT_NOT_NULL(l);  \
                ASSERT_NULL((l)[0]); \
        } while (0)

#define CONFIG(...) "{'ociVersion': '1.2.0', 'root': {'path': 'rootfs'}, " __VA_ARGS__ "}"
#define PROCESS(...) \
        CONFIG("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}, " __VA_ARGS__ "}")
#define LINUX(...) CONFIG("'linux': {" __VA_ARGS__ "}")
#define RESOURCES(...) LINUX("'resources': {" __VA_ARGS__ "}")
#define SECCOMP(...) LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', " __VA_ARGS__ "}")

/* `runc spec` of runc 1.1.5, verbatim apart from indentation. */
static const char runc_spec[] =
        "{\n"
        "  \"ociVersion\": \"1.0.2-dev\",\n"
        "  \"process\": {\n"
        "    \"terminal\": true,\n"
        "    \"user\": {\n"
        "      \"uid\": 0,\n"
        "      \"gid\": 0\n"
        "    },\n"
        "    \"args\": [\n"
        "      \"sh\"\n"
        "    ],\n"
        "    \"env\": [\n"
        "      \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
        "      \"TERM=xterm\"\n"
        "    ],\n"
        "    \"cwd\": \"/\",\n"
        "    \"capabilities\": {\n"
        "      \"bounding\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"effective\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"permitted\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ],\n"
        "      \"ambient\": [\n"
        "        \"CAP_AUDIT_WRITE\",\n"
        "        \"CAP_KILL\",\n"
        "        \"CAP_NET_BIND_SERVICE\"\n"
        "      ]\n"
        "    },\n"
        "    \"rlimits\": [\n"
        "      {\n"
        "        \"type\": \"RLIMIT_NOFILE\",\n"
        "        \"hard\": 1024,\n"
        "        \"soft\": 1024\n"
        "      }\n"
        "    ],\n"
        "    \"noNewPrivileges\": true\n"
        "  },\n"
        "  \"root\": {\n"
        "    \"path\": \"rootfs\",\n"
        "    \"readonly\": true\n"
        "  },\n"
        "  \"hostname\": \"runc\",\n"
        "  \"mounts\": [\n"
        "    {\n"
        "      \"destination\": \"/proc\",\n"
        "      \"type\": \"proc\",\n"
        "      \"source\": \"proc\"\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev\",\n"
        "      \"type\": \"tmpfs\",\n"
        "      \"source\": \"tmpfs\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"strictatime\",\n"
        "        \"mode=755\",\n"
        "        \"size=65536k\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/pts\",\n"
        "      \"type\": \"devpts\",\n"
        "      \"source\": \"devpts\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"newinstance\",\n"
        "        \"ptmxmode=0666\",\n"
        "        \"mode=0620\",\n"
        "        \"gid=5\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/shm\",\n"
        "      \"type\": \"tmpfs\",\n"
        "      \"source\": \"shm\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"mode=1777\",\n"
        "        \"size=65536k\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/dev/mqueue\",\n"
        "      \"type\": \"mqueue\",\n"
        "      \"source\": \"mqueue\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/sys\",\n"
        "      \"type\": \"sysfs\",\n"
        "      \"source\": \"sysfs\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"ro\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"destination\": \"/sys/fs/cgroup\",\n"
        "      \"type\": \"cgroup\",\n"
        "      \"source\": \"cgroup\",\n"
        "      \"options\": [\n"
        "        \"nosuid\",\n"
        "        \"noexec\",\n"
        "        \"nodev\",\n"
        "        \"relatime\",\n"
        "        \"ro\"\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"linux\": {\n"
        "    \"resources\": {\n"
        "      \"devices\": [\n"
        "        {\n"
        "          \"allow\": false,\n"
        "          \"access\": \"rwm\"\n"
        "        }\n"
        "      ]\n"
        "    },\n"
        "    \"namespaces\": [\n"
        "      {\n"
        "        \"type\": \"pid\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"network\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"ipc\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"uts\"\n"
        "      },\n"
        "      {\n"
        "        \"type\": \"mount\"\n"
        "      }\n"
        "    ],\n"
        "    \"maskedPaths\": [\n"
        "      \"/proc/acpi\",\n"
        "      \"/proc/asound\",\n"
        "      \"/proc/kcore\",\n"
        "      \"/proc/keys\",\n"
        "      \"/proc/latency_stats\",\n"
        "      \"/proc/timer_list\",\n"
        "      \"/proc/timer_stats\",\n"
        "      \"/proc/sched_debug\",\n"
        "      \"/sys/firmware\",\n"
        "      \"/proc/scsi\"\n"
        "    ],\n"
        "    \"readonlyPaths\": [\n"
        "      \"/proc/bus\",\n"
        "      \"/proc/fs\",\n"
        "      \"/proc/irq\",\n"
        "      \"/proc/sys\",\n"
        "      \"/proc/sysrq-trigger\"\n"
        "    ]\n"
        "  }\n"
        "}\n";
