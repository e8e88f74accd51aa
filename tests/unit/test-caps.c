/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"
#include "strv.h"
#include "tests.h"

#define BIT(n) (UINT64_C(1) << (n))
#define ALL_40 (BIT(41) - 1)

TEST(number_from_name) {
        ASSERT_EQ(cap_number_from_name("CAP_CHOWN"), 0);
        ASSERT_EQ(cap_number_from_name("CAP_DAC_OVERRIDE"), 1);
        ASSERT_EQ(cap_number_from_name("CAP_NET_BIND_SERVICE"), 10);
        ASSERT_EQ(cap_number_from_name("CAP_SYS_ADMIN"), 21);
        ASSERT_EQ(cap_number_from_name("CAP_AUDIT_READ"), 37);
        ASSERT_EQ(cap_number_from_name("CAP_CHECKPOINT_RESTORE"), 40);
        /* Unknown to libcap, or not in the OCI spelling. */
        ASSERT_ERROR(cap_number_from_name("CAP_TEST"), EINVAL);
        ASSERT_ERROR(cap_number_from_name("cap_chown"), EINVAL);
        ASSERT_ERROR(cap_number_from_name("CAP_chown"), EINVAL);
        ASSERT_ERROR(cap_number_from_name("CHOWN"), EINVAL);
        ASSERT_ERROR(cap_number_from_name("5"), EINVAL);
        ASSERT_ERROR(cap_number_from_name("CAP_"), EINVAL);
        ASSERT_ERROR(cap_number_from_name(NULL), EINVAL);
}

TEST(set_names) {
        ASSERT_STREQ(cap_set_type_to_string(CAP_SET_BOUNDING), "bounding");
        ASSERT_STREQ(cap_set_type_to_string(CAP_SET_AMBIENT), "ambient");
        ASSERT_NULL(cap_set_type_to_string(_CAP_SET_MAX));
}

TEST(resolve_masks) {
        char *bnd[] = { (char *) "CAP_CHOWN", (char *) "CAP_NET_BIND_SERVICE", (char *) "CAP_KILL", NULL };
        char *eff[] = { (char *) "CAP_NET_BIND_SERVICE", NULL };
        char *prm[] = { (char *) "CAP_NET_BIND_SERVICE", (char *) "CAP_KILL", NULL };
        char *inh[] = { (char *) "CAP_NET_BIND_SERVICE", NULL };
        char *amb[] = { (char *) "CAP_NET_BIND_SERVICE", NULL };
        OciCapabilities c = {
                .bounding = bnd, .effective = eff, .permitted = prm, .inheritable = inh, .ambient = amb
        };
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        CapMasks m;

        ASSERT_OK(caps_resolve(&c, 40, ALL_40, &m, &unknown, &unavailable, &dropped, &e));
        ASSERT_TRUE(m.set);
        ASSERT_EQ(m.last_cap, 40);
        ASSERT_EQ_U64(m.mask[CAP_SET_BOUNDING], 0x421);
        ASSERT_EQ_U64(m.mask[CAP_SET_EFFECTIVE], 0x400);
        ASSERT_EQ_U64(m.mask[CAP_SET_PERMITTED], 0x420);
        ASSERT_EQ_U64(m.mask[CAP_SET_INHERITABLE], 0x400);
        ASSERT_EQ_U64(m.mask[CAP_SET_AMBIENT], 0x400);
        ASSERT_NULL(unknown);
        ASSERT_NULL(unavailable);
        ASSERT_NULL(dropped);
}

TEST(resolve_empty_sets) {
        OciCapabilities c = {};
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        CapMasks m;

        /* Present but empty: everything is dropped (unlike an absent capabilities object). */
        ASSERT_OK(caps_resolve(&c, 40, ALL_40, &m, &unknown, &unavailable, &dropped, &e));
        ASSERT_TRUE(m.set);
        for (CapSetType t = 0; t < _CAP_SET_MAX; t++)
                ASSERT_EQ_U64(m.mask[t], 0);
}

TEST(resolve_unknown_and_unavailable) {
        char *bnd[] = { (char *) "CAP_TEST",         (char *) "CAP_CHOWN", (char *) "CAP_CHECKPOINT_RESTORE",
                        (char *) "CAP_SYS_RESOURCE", (char *) "CAP_TEST",  NULL };
        char *prm[] = { (char *) "CAP_CHOWN", (char *) "CAP_SYS_RESOURCE", (char *) "CAP_BPF", NULL };
        OciCapabilities c = { .bounding = bnd, .permitted = prm, .effective = prm };
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        CapMasks m;

        /* A kernel whose last capability is CAP_AUDIT_READ (37), without CAP_SYS_RESOURCE (24). */
        /* Asked for in effective/permitted: capset could not grant it, so it is refused. */
        ASSERT_ERROR(caps_resolve(&c, 37, (BIT(38) - 1) & ~BIT(24), &m, &unknown, &unavailable, &dropped, &e),
                     EPERM);
        ASSERT_STREQ(e.msg,
                     "process.capabilities.effective: unable to apply caps: CAP_SYS_RESOURCE is not in sysrun's "
                     "own bounding set: operation not permitted");
        sysrun_error_done(&e);

        /* Only in the bounding set: dropping it is what was asked, and it is listed. */
        prm[1] = (char *) "CAP_CHOWN";
        ASSERT_OK(caps_resolve(&c, 37, (BIT(38) - 1) & ~BIT(24), &m, &unknown, &unavailable, &dropped, &e));
        ASSERT_EQ_U64(m.mask[CAP_SET_BOUNDING], 0x1);
        ASSERT_EQ_U64(m.mask[CAP_SET_PERMITTED], 0x1);
        ASSERT_EQ_U64(m.mask[CAP_SET_EFFECTIVE], 0x1);
        ASSERT_EQ(strv_length(unknown), 3);
        ASSERT_STREQ(unknown[0], "CAP_TEST");
        ASSERT_STREQ(unknown[1], "CAP_CHECKPOINT_RESTORE");
        ASSERT_STREQ(unknown[2], "CAP_BPF");
        ASSERT_EQ(strv_length(unavailable), 1);
        ASSERT_STREQ(unavailable[0], "CAP_SYS_RESOURCE");
        ASSERT_NULL(dropped);
}

TEST(resolve_unavailable_in_each_set_is_refused) {
        char *name[] = { (char *) "CAP_SYS_RESOURCE", NULL };
        char *all[] = { (char *) "CAP_SYS_RESOURCE", NULL };
        static const char *const expected[] = {
                "process.capabilities.permitted: unable to apply caps: CAP_SYS_RESOURCE is not in sysrun's own "
                "bounding set: operation not permitted",
                "process.capabilities.inheritable: unable to apply caps: CAP_SYS_RESOURCE is not in sysrun's own "
                "bounding set: operation not permitted",
                "process.capabilities.ambient: unable to apply caps: CAP_SYS_RESOURCE is not in sysrun's own "
                "bounding set: operation not permitted",
        };
        OciCapabilities cs[] = {
                { .bounding = all, .permitted = name },
                { .bounding = all, .inheritable = name },
                { .bounding = all, .ambient = name },
        };

        for (size_t i = 0; i < ELEMENTSOF(cs); i++) {
                _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
                _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
                CapMasks m;

                ASSERT_ERROR(caps_resolve(&cs[i], 40, ALL_40 & ~BIT(24), &m, &unknown, &unavailable, &dropped, &e),
                             EPERM);
                ASSERT_STREQ(e.msg, expected[i]);
        }
}

TEST(resolve_ambient_needs_permitted_and_inheritable) {
        char *bnd[] = { (char *) "CAP_NET_RAW", (char *) "CAP_NET_BIND_SERVICE", NULL };
        char *prm[] = { (char *) "CAP_NET_RAW", (char *) "CAP_NET_BIND_SERVICE", NULL };
        char *inh[] = { (char *) "CAP_NET_BIND_SERVICE", NULL };
        char *amb[] = { (char *) "CAP_NET_RAW", (char *) "CAP_NET_BIND_SERVICE", NULL };
        OciCapabilities c = { .bounding = bnd, .permitted = prm, .inheritable = inh, .ambient = amb };
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        CapMasks m;

        ASSERT_OK(caps_resolve(&c, 40, ALL_40, &m, &unknown, &unavailable, &dropped, &e));
        ASSERT_EQ_U64(m.mask[CAP_SET_AMBIENT], BIT(10));
        ASSERT_EQ(strv_length(dropped), 1);
        ASSERT_STREQ(dropped[0], "CAP_NET_RAW");
}

TEST(resolve_errors) {
        char *bnd[] = { (char *) "CAP_CHOWN", NULL };
        char *eff[] = { (char *) "CAP_KILL", NULL };
        char *inh[] = { (char *) "CAP_SETUID", NULL };
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **dropped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        OciCapabilities c1 = { .bounding = bnd, .effective = eff, .permitted = bnd };
        OciCapabilities c2 = { .bounding = bnd, .inheritable = inh };
        CapMasks m;

        ASSERT_ERROR(caps_resolve(&c1, 40, ALL_40, &m, &unknown, &unavailable, &dropped, &e), EINVAL);
        ASSERT_STREQ(e.msg, "process.capabilities.effective: CAP_KILL is not in the permitted set");
        sysrun_error_done(&e);
        ASSERT_ERROR(caps_resolve(&c2, 40, ALL_40, &m, &unknown, &unavailable, &dropped, &e), EINVAL);
        ASSERT_STREQ(e.msg, "process.capabilities.inheritable: CAP_SETUID is not in the bounding set");
        sysrun_error_done(&e);
}

TEST(prepare_absent) {
        SysrunError e = SYSRUN_ERROR_NULL;
        CapMasks m = { .set = true };

        /* No capabilities object: the caps are left as they are, like runc. */
        ASSERT_OK(caps_prepare(NULL, &m, &e));
        ASSERT_FALSE(m.set);
}

DEFINE_TEST_MAIN();
