/* SPDX-License-Identifier: Apache-2.0 */
#include "lsm.h"
#include "tests.h"

TEST(mount_data) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

        a = lsm_mount_data(NULL, "system_u:object_r:container_file_t:s0:c1,c2");
        ASSERT_STREQ(a, "context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
        b = lsm_mount_data("mode=755,size=65536k", "system_u:object_r:container_file_t:s0");
        ASSERT_STREQ(b, "mode=755,size=65536k,context=\"system_u:object_r:container_file_t:s0\"");
        c = lsm_mount_data("", "l");
        ASSERT_STREQ(c, "context=\"l\"");
}

TEST(mount_label_applies) {
        ASSERT_TRUE(lsm_mount_label_applies("tmpfs"));
        ASSERT_TRUE(lsm_mount_label_applies("devpts"));
        ASSERT_TRUE(lsm_mount_label_applies("ext4"));
        ASSERT_FALSE(lsm_mount_label_applies("proc"));
        ASSERT_FALSE(lsm_mount_label_applies("sysfs"));
        ASSERT_FALSE(lsm_mount_label_applies("mqueue"));
        ASSERT_FALSE(lsm_mount_label_applies("cgroup"));
        ASSERT_FALSE(lsm_mount_label_applies("cgroup2"));
        ASSERT_FALSE(lsm_mount_label_applies(NULL));
}

TEST(check) {
        OciProcess p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(lsm_check(&p, &e));
        p.apparmor_profile = (char *) "unconfined-test";
        if (!lsm_apparmor_enabled()) {
                ASSERT_ERROR(lsm_check(&p, &e), EOPNOTSUPP);
                ASSERT_STREQ(e.msg, "process.apparmorProfile: AppArmor is not enabled on this host");
                sysrun_error_done(&e);
        }
        p.apparmor_profile = NULL;
        p.selinux_label = (char *) "system_u:system_r:container_t:s0";
        if (!lsm_selinux_enabled()) {
                ASSERT_ERROR(lsm_check(&p, &e), EOPNOTSUPP);
                ASSERT_STREQ(e.msg, "process.selinuxLabel: SELinux is not enabled on this host");
                sysrun_error_done(&e);
        }
}

DEFINE_TEST_MAIN();
