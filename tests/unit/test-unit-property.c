/* SPDX-License-Identifier: Apache-2.0 */
/* Unit properties from annotations (org.systemd.property.*), and systemd's version string. */
#include "tests.h"
#include "unit-property.h"

#define INF "18446744073709551615" /* UINT64_MAX as unit_property_to_string() prints it */

static void check_annotation(
                const char *name,
                const char *value,
                const char *want_name,
                const char *want_sig,
                const char *want_value) {
        UnitProperty p;
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *v = NULL;
        int r = unit_property_from_annotation(name, value, &p, &e);

        if (r < 0)
                fprintf(stderr, "%s=%s: %s\n", name, value, e.msg);
        ASSERT_OK(r);
        v = unit_property_to_string(&p);
        ASSERT_STREQ(p.name, want_name);
        ASSERT_STREQ(p.signature, want_sig);
        ASSERT_STREQ(v, want_value);
        unit_property_done(&p);
}

static void check_annotation_error(const char *name, const char *value, const char *msg) {
        UnitProperty p;
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_TRUE(unit_property_from_annotation(name, value, &p, &e) < 0);
        ASSERT_STREQ(e.msg, msg);
        sysrun_error_done(&e);
}

TEST(annotations) {
        /* GVariant text, as runc takes it. */
        check_annotation("TimeoutStopUSec", "uint64 123456789", "TimeoutStopUSec", "t", "123456789");
        check_annotation("TimeoutStopUSec", "@t 5", "TimeoutStopUSec", "t", "5");
        check_annotation("CollectMode", "'inactive-or-failed'", "CollectMode", "s", "inactive-or-failed");
        check_annotation("SendSIGHUP", "true", "SendSIGHUP", "b", "yes");
        check_annotation("Wants", "['a.service', \"b.service\"]", "Wants", "as", "a.service b.service");
        check_annotation("UnknownNumber", "7", "UnknownNumber", "i", "7");
        check_annotation("UnknownText", "'x'", "UnknownText", "s", "x");
        check_annotation("UnknownU32", "uint32 7", "UnknownU32", "u", "7");
        check_annotation("UnknownDouble", "1.5", "UnknownDouble", "d", "1.5");
        /* runc's Sec → USec rewrite, in seconds. */
        check_annotation("TimeoutStopSec", "5", "TimeoutStopUSec", "t", "5000000");
        check_annotation("RuntimeMaxSec", "uint64 2", "RuntimeMaxUSec", "t", "2000000");
        check_annotation("RuntimeMaxSec", "0.5", "RuntimeMaxUSec", "t", "500000");
        /* Typed as systemd types them, for the properties sysrun knows. */
        check_annotation("MemoryMax", "1G", "MemoryMax", "t", "1073741824");
        check_annotation("MemoryHigh", "infinity", "MemoryHigh", "t", INF);
        check_annotation("TasksMax", "100", "TasksMax", "t", "100");
        check_annotation("TimeoutStopUSec", "1min 30s", "TimeoutStopUSec", "t", "90000000");
        check_annotation("CollectMode", "inactive-or-failed", "CollectMode", "s", "inactive-or-failed");
        check_annotation("KillSignal", "9", "KillSignal", "i", "9");
        /* systemd's own syntax, as systemd-run -p and systemctl set-property take it. */
        check_annotation("KillSignal", "SIGKILL", "KillSignal", "i", "9");
        check_annotation("FinalKillSignal", "TERM", "FinalKillSignal", "i", "15");
        check_annotation("TimeoutStopSec", "30s", "TimeoutStopUSec", "t", "30000000");
        check_annotation("TimeoutStopSec", "1min 30s", "TimeoutStopUSec", "t", "90000000");
        check_annotation("TimeoutStopSec", "500ms", "TimeoutStopUSec", "t", "500000");
        check_annotation("RuntimeMaxSec", "infinity", "RuntimeMaxUSec", "t", INF);
        check_annotation("MemoryMax", "50M", "MemoryMax", "t", "52428800");
        check_annotation("AllowedCPUs", "0-3,7", "AllowedCPUs", "ay", "8f");
        check_annotation("DelegateControllers", "cpu memory", "DelegateControllers", "as", "cpu memory");
        check_annotation("CPUAccounting", "yes", "CPUAccounting", "b", "yes");

        check_annotation_error(
                        "PIDs", "uint32 1",
                        "annotations[\"org.systemd.property.PIDs\"]: PIDs is set by sysrun and cannot be "
                        "overridden");
        check_annotation_error(
                        "bad-name", "1",
                        "annotations[\"org.systemd.property.bad-name\"]: 'bad-name' is not a valid systemd "
                        "property name");
        check_annotation_error(
                        "MemoryMax", "uint32 5",
                        "annotations[\"org.systemd.property.MemoryMax\"]: MemoryMax has type 't', not 'u'");
        check_annotation_error(
                        "Foo", "bar",
                        "annotations[\"org.systemd.property.Foo\"]: cannot tell the type of 'bar'; write it as "
                        "GVariant text, e.g. \"uint64 5\" or \"'text'\"");
        check_annotation_error(
                        "TimeoutStopSec", "soon",
                        "annotations[\"org.systemd.property.TimeoutStopSec\"]: expected seconds or a time span "
                        "(\"30s\", \"1min 30s\", \"infinity\"), got 'soon'");
        check_annotation_error(
                        "TimeoutStopSec", "5 parsecs",
                        "annotations[\"org.systemd.property.TimeoutStopSec\"]: expected seconds or a time span "
                        "(\"30s\", \"1min 30s\", \"infinity\"), got '5 parsecs'");
        check_annotation_error(
                        "KillSignal", "SIGNOPE",
                        "annotations[\"org.systemd.property.KillSignal\"]: cannot parse 'SIGNOPE' as 'i'");
        check_annotation_error(
                        "MemoryMax", "1Q",
                        "annotations[\"org.systemd.property.MemoryMax\"]: cannot parse '1Q' as 't'");

        _cleanup_(unit_property_list_done) UnitPropertyList l = {};
        char *pairs[] = { (char *) "io.kubernetes.x",
                          (char *) "y",
                          (char *) "org.systemd.property.TasksMax",
                          (char *) "5",
                          (char *) "org.systemd.property.CollectMode",
                          (char *) "'inactive'",
                          NULL };
        ASSERT_OK(unit_properties_from_annotations(pairs, &l, NULL));
        ASSERT_EQ(l.n, 2);
        ASSERT_STREQ(l.items[0].name, "TasksMax");
        ASSERT_STREQ(l.items[1].s, "inactive");
        ASSERT_STREQ(unit_property_list_find(&l, "CollectMode")->s, "inactive");
}

TEST(systemd_version) {
        unsigned v = 0;

        ASSERT_OK(systemd_version_parse("252.39-1~deb12u2", &v));
        ASSERT_EQ(v, 252);
        ASSERT_OK(systemd_version_parse("v245.4-1.fc32", &v));
        ASSERT_EQ(v, 245);
        ASSERT_OK(systemd_version_parse("253", &v));
        ASSERT_EQ(v, 253);
        ASSERT_ERROR(systemd_version_parse("", &v), EINVAL);
        ASSERT_ERROR(systemd_version_parse("x", &v), EINVAL);
}

DEFINE_TEST_MAIN();
