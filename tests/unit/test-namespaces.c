/* SPDX-License-Identifier: Apache-2.0 */
#include <sched.h>

#include "config.h"
#include "namespaces.h"
#include "tests.h"

static const char *plan_error(const char *json, NamespacePlan *ret) {
        static char msg[512];
        _cleanup_oci_config_ OciConfig *c = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        NamespacePlan p;
        int r;

        ASSERT_OK(oci_config_parse_string(json, &c, &e));
        r = namespaces_plan(c, &p, &e);
        if (r >= 0) {
                if (ret)
                        *ret = p;
                return NULL;
        }
        snprintf(msg, sizeof(msg), "%s", e.msg);
        sysrun_error_done(&e);
        return msg;
}

#define CFG(extra) "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"}," extra "}"

TEST(plan) {
        NamespacePlan p;

        ASSERT_NULL(plan_error(CFG("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},"
                                   "{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"},{\"type\":\"cgroup\"}]}"),
                               &p));
        ASSERT_EQ(p.new_flags, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWCGROUP);
        ASSERT_EQ(p.n_joins, 1);
        ASSERT_NOT_NULL(p.join_path[NAMESPACE_NETWORK]); /* points into the (now freed) config */
        ASSERT_TRUE(p.has[NAMESPACE_NETWORK]);
        ASSERT_FALSE(p.has[NAMESPACE_UTS]);
        ASSERT_FALSE(p.in_userns);

        ASSERT_NULL(plan_error(CFG("\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"mount\"}],"
                                   "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
                                   "\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"),
                               &p));
        ASSERT_TRUE(p.new_userns);
        ASSERT_TRUE(p.in_userns);
        ASSERT_EQ(p.new_flags, CLONE_NEWUSER | CLONE_NEWNS);
}

TEST(plan_errors) {
        static const struct {
                const char *json, *msg;
        } table[] = {
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}]}"),
                  "linux.uidMappings: required with a new user namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
                      "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"),
                  "linux.gidMappings: required with a new user namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
                      "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"),
                  "linux.uidMappings: only allowed with a new user namespace" },
                { CFG("\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"),
                  "hostname: unable to set hostname without a private UTS namespace" },
                { CFG("\"domainname\":\"d\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"),
                  "domainname: unable to set domainname without a private UTS namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"timeOffsets\":{\"monotonic\":"
                      "{\"secs\":1,\"nanosecs\":0}}}"),
                  "linux.timeOffsets: require a new time namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}}"),
                  "linux.sysctl: 'net.ipv4.ip_forward' not allowed in host network namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"}],"
                      "\"sysctl\":{\"kernel.panic\":\"1\"}}"),
                  "linux.sysctl: 'kernel.panic' is not in a separate kernel namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{\"kernel.shmmax\":\"1\"}}"),
                  "linux.sysctl: 'kernel.shmmax' requires an IPC namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{\"fs.mqueue.msg_max\":\"1\"}}"),
                  "linux.sysctl: 'fs.mqueue.msg_max' requires an IPC namespace" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{\"kernel.hostname\":\"x\"}}"),
                  "linux.sysctl: 'kernel.hostname' requires a UTS namespace" },
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                const char *m = plan_error(table[i].json, NULL);
                if (!m || strcmp(m, table[i].msg) != 0)
                        fprintf(stderr, "row %zu\n", i);
                ASSERT_STREQ(m, table[i].msg);
        }
        ASSERT_NULL(plan_error(CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"ipc\"},"
                                   "{\"type\":\"network\"},{\"type\":\"uts\"}],\"sysctl\":{\"kernel.shmmax\":"
                                   "\"1\",\"fs.mqueue.msg_max\":\"5\",\"net.core.somaxconn\":\"1\","
                                   "\"kernel.domainname\":\"x\"}}"),
                               NULL));
}

/* No mount namespace: the runtime's is kept (runc); what cannot be done there is refused. */
TEST(no_mount_namespace) {
        static const struct {
                const char *json, *msg;
        } refused[] = {
                { CFG("\"linux\":{\"maskedPaths\":[\"/proc/kcore\"]}"),
                  "linux.maskedPaths: unable to restrict sys entries without a private MNT namespace" },
                { CFG("\"linux\":{\"readonlyPaths\":[\"/proc/sys\"]}"),
                  "linux.readonlyPaths: unable to restrict sys entries without a private MNT namespace" },
                { CFG("\"linux\":{\"rootfsPropagation\":\"shared\"}"),
                  "linux.rootfsPropagation: cannot be applied without a private MNT namespace (it would change "
                  "the host's mounts)" },
                { CFG("\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
                      "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
                      "\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"),
                  "linux.namespaces: a user namespace cannot mount in the runtime's mount namespace: add a mount "
                  "namespace" },
        };
        NamespacePlan p;

        ASSERT_NULL(plan_error(CFG("\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}"), &p));
        ASSERT_EQ(p.new_flags, CLONE_NEWPID);
        ASSERT_FALSE(p.has[NAMESPACE_MOUNT]);
        ASSERT_NULL(plan_error(CFG("\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[]}"), &p));
        ASSERT_EQ(p.new_flags, 0);
        /* mounts and a read-only root are done in sysrun's private bind of the rootfs */
        ASSERT_NULL(plan_error("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
                               "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}]}",
                               NULL));
        for (size_t i = 0; i < ELEMENTSOF(refused); i++)
                ASSERT_STREQ(plan_error(refused[i].json, NULL), refused[i].msg);
        ASSERT_NULL(plan_error(CFG("\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"maskedPaths\":[\"/proc/kcore\"]}"),
                               NULL));
}

TEST(idmap_format) {
        OciIdMapping m[] = { { 0, 100000, 65536 }, { 65536, 1000, 1 } };
        char *s = idmap_format(m, 2);

        ASSERT_STREQ(s, "0 100000 65536\n65536 1000 1\n");
        free(s);
        s = idmap_format(m, 0);
        ASSERT_STREQ(s, "");
        free(s);
}

DEFINE_TEST_MAIN()
