/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup.h"
#include "resources.h"
#include "rootless.h"
#include "strv.h"
#include "tests.h"

/* The defaults as root has them, whoever runs the tests (test-rootless.c has the rootless ones). */
__attribute__((constructor)) static void not_rootless(void) {
        rootless_set_mode(ROOTLESS_NEVER);
}

TEST(limits_list) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_strv_free_ char **l = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(oci_config_parse_string(
                "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"resources\":{"
                "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
                "\"memory\":{\"limit\":1048576},\"cpu\":{\"cpus\":\"0-1\"},\"pids\":{\"limit\":10},"
                "\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1}]},"
                "\"unified\":{\"memory.high\":\"5M\"}}}}",
                &c, &e));
        ASSERT_OK(resources_list_limits(c->linux_section->resources, &l));
        ASSERT_EQ(strv_length(l), 5);
        ASSERT_STREQ(l[0], "linux.resources.memory.limit");
        ASSERT_STREQ(l[1], "linux.resources.cpu.cpus");
        ASSERT_STREQ(l[2], "linux.resources.pids.limit");
        ASSERT_STREQ(l[3], "linux.resources.blockIO.throttleReadBpsDevice");
        ASSERT_STREQ(l[4], "linux.resources.unified[\"memory.high\"]");
}

TEST(devices_only_is_no_limit) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_strv_free_ char **l = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        const CgroupManager *m = cgroup_manager_get(CGROUP_MANAGER_DISABLED);

        ASSERT_OK(oci_config_parse_string("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{"
                                          "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}}}",
                                          &c, &e));
        ASSERT_OK(resources_list_limits(c->linux_section->resources, &l));
        ASSERT_NULL(l);
        ASSERT_OK(m->check(c, false, &e));
}

TEST(disabled_refuses_limits) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        const CgroupManager *m = cgroup_manager_get(CGROUP_MANAGER_DISABLED);

        ASSERT_OK(oci_config_parse_string("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{"
                                          "\"resources\":{\"pids\":{\"limit\":5}}}}",
                                          &c, &e));
        ASSERT_ERROR(m->check(c, false, &e), EOPNOTSUPP);
        ASSERT_TRUE(strncmp(e.msg, "linux.resources.pids.limit: cannot be applied", 45) == 0);
        sysrun_error_done(&e);
        ASSERT_OK(m->check(c, true, &e));
}

static void check_devices(const char *rules, int want, const char *msg) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_free_ char *json = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        const CgroupManager *m = cgroup_manager_get(CGROUP_MANAGER_DISABLED);

        ASSERT_TRUE(asprintf(&json,
                             "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{"
                             "\"devices\":[{\"path\":\"/dev/fifo\",\"type\":\"p\"},"
                             "{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,\"minor\":4}],"
                             "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}%s]}}}",
                             rules) > 0);
        ASSERT_OK(oci_config_parse_string(json, &c, &e));
        if (want == 0) {
                ASSERT_OK(m->check(c, false, &e));
                return;
        }
        ASSERT_ERROR(m->check(c, false, &e), want);
        ASSERT_STREQ(e.msg, msg);
        sysrun_error_done(&e);
        ASSERT_OK(m->check(c, true, &e)); /* --cgroup-manager=disabled: a warning */
}

TEST(disabled_device_modes) {
        static const char partial[] =
                "linux.devices[1] ('/dev/x'): linux.resources.devices grant it only '%s': cannot be applied: no "
                "cgroup manager (systemd is not running), and without a device cgroup the node would be readable "
                "and writable";
        char msg[sizeof(partial) + 4];

        snprintf(msg, sizeof(msg), partial, "r");
        check_devices(",{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":4,\"access\":\"rm\"}", EOPNOTSUPP, msg);
        snprintf(msg, sizeof(msg), partial, "w");
        check_devices(",{\"allow\":true,\"type\":\"c\",\"major\":1,\"access\":\"w\"}", EOPNOTSUPP, msg);
        check_devices(",{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":4,\"access\":\"rw\"}", 0, NULL);
        check_devices("", 0, NULL); /* nothing granted: an unopenable node, not an error */
        /* a deny after allow-all takes w away */
        snprintf(msg, sizeof(msg), partial, "r");
        check_devices(",{\"allow\":true,\"type\":\"a\",\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\","
                      "\"major\":1,\"minor\":4,\"access\":\"w\"}",
                      EOPNOTSUPP, msg);
}

TEST(manager_names) {
        ASSERT_EQ(cgroup_manager_type_from_string("systemd"), CGROUP_MANAGER_SYSTEMD);
        ASSERT_EQ(cgroup_manager_type_from_string("disabled"), CGROUP_MANAGER_DISABLED);
        ASSERT_EQ(cgroup_manager_type_from_string("cgroupfs"), CGROUP_MANAGER_CGROUPFS);
        ASSERT_EQ(cgroup_manager_type_from_string("cgroupFS"), _CGROUP_MANAGER_TYPE_INVALID);
        ASSERT_STREQ(cgroup_manager_type_to_string(CGROUP_MANAGER_SYSTEMD), "systemd");
}

DEFINE_TEST_MAIN()
