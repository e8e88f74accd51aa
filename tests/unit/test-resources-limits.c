/* SPDX-License-Identifier: Apache-2.0 */
/* resource_field_kind(): which values are limits. The callers' default blocks are in
 * tests/fixtures/resources (see its README). */
#include <fcntl.h>

#include "cgroup.h"
#include "config.h"
#include "resources.h"
#include "strv.h"
#include "tests.h"
#include "unit-property.h"

#define INF "18446744073709551615"

static OciResources *parse_json(const char *json) {
        SysrunError e = SYSRUN_ERROR_NULL;
        OciResources *r = NULL;

        if (oci_resources_parse_string(json, &r, &e) < 0)
                fprintf(stderr, "parse error: %s\n", e.msg);
        ASSERT_NOT_NULL(r);
        return r;
}

static OciResources *parse_fixture(const char *name) {
        _cleanup_free_ char *path = NULL, *json = NULL;
        size_t size = 0;
        FILE *f;

        ASSERT_TRUE(asprintf(&path, "%s/%s", SYSRUN_FIXTURE_DIR "/resources", name) > 0);
        f = fopen(path, "re");
        if (!f)
                fprintf(stderr, "%s: %m\n", path);
        ASSERT_NOT_NULL(f);
        ASSERT_TRUE(getdelim(&json, &size, '\0', f) > 0);
        fclose(f);
        return parse_json(json);
}

/* The limits as one string: "a,b,c". */
static char *limits_text(const OciResources *r) {
        _cleanup_strv_free_ char **l = NULL;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        ASSERT_OK(resources_list_limits(r, &l));
        f = open_memstream(&buf, &size);
        ASSERT_NOT_NULL(f);
        STRV_FOREACH(s, l)
                fprintf(f, "%s%s", s == l ? "" : ",", *s);
        ASSERT_TRUE(fclose(f) == 0);
        return buf;
}

static char *plan_text_v1(const OciResources *r, ResourceMode mode, bool cpu_v1) {
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        ResourceInput in = { .resources = r, .default_devices = mode == RESOURCE_MODE_CREATE, .mode = mode,
                             .cpu_v1 = cpu_v1 };
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int ret = resources_plan(&in, &plan, &e);

        if (ret < 0)
                fprintf(stderr, "unexpected error: %s\n", e.msg);
        ASSERT_OK(ret);
        f = open_memstream(&buf, &size);
        ASSERT_NOT_NULL(f);
        for (size_t i = 0; i < plan.properties.n; i++) {
                const UnitProperty *p = &plan.properties.items[i];
                _cleanup_free_ char *v = unit_property_to_string(p);
                ASSERT_NOT_NULL(v);
                if (streq(p->name, "DeviceAllow"))
                        continue; /* pinned by test-resources.c */
                fprintf(f, "%s%s=%s", i ? ";" : "", p->name, v);
        }
        for (size_t i = 0; i < plan.n_writes; i++)
                fprintf(f, "[%s=%s]", plan.writes[i].file, plan.writes[i].value);
        ASSERT_TRUE(fclose(f) == 0);
        ASSERT_NULL(plan.warnings);
        return buf;
}

static char *plan_text(const OciResources *r, ResourceMode mode) {
        return plan_text_v1(r, mode, false);
}

static void check_kind(const char *json, ResourceField field, ResourceKind want) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_json(json);
        ResourceKind got = resource_field_kind(r, field);

        if (got != want)
                fprintf(stderr, "%s: %s: got %d, want %d\n", json, resource_field_to_string(field), got, want);
        ASSERT_EQ(got, want);
        ASSERT_EQ(resource_field_is_limit(r, field), want == RESOURCE_LIMIT);
}

#define K(json, f, want) check_kind(json, RESOURCE_FIELD_##f, RESOURCE_##want)

TEST(kinds) {
        K("{}", MEMORY_LIMIT, UNSET);
        K("{\"memory\":{}}", MEMORY_LIMIT, UNSET);
        K("{\"memory\":{\"limit\":0}}", MEMORY_LIMIT, UNSET);
        K("{\"memory\":{\"limit\":-1}}", MEMORY_LIMIT, UNLIMITED);
        K("{\"memory\":{\"limit\":4096}}", MEMORY_LIMIT, LIMIT);
        K("{\"memory\":{\"limit\":-2}}", MEMORY_LIMIT, LIMIT); /* the planner refuses it */
        K("{\"memory\":{\"reservation\":0}}", MEMORY_RESERVATION, UNSET);
        K("{\"memory\":{\"reservation\":1}}", MEMORY_RESERVATION, LIMIT);
        K("{\"memory\":{\"swap\":0}}", MEMORY_SWAP, UNSET);
        K("{\"memory\":{\"swap\":-1}}", MEMORY_SWAP, UNLIMITED);
        K("{\"memory\":{\"kernel\":0}}", MEMORY_KERNEL, UNSET);
        K("{\"memory\":{\"kernel\":-1}}", MEMORY_KERNEL, UNLIMITED);
        K("{\"memory\":{\"kernel\":8192}}", MEMORY_KERNEL, LIMIT);
        K("{\"memory\":{\"kernelTCP\":0}}", MEMORY_KERNEL_TCP, UNSET);
        K("{\"memory\":{\"swappiness\":18446744073709551615}}", MEMORY_SWAPPINESS, UNSET);
        K("{\"memory\":{\"swappiness\":0}}", MEMORY_SWAPPINESS, LIMIT);
        K("{\"memory\":{\"swappiness\":60}}", MEMORY_SWAPPINESS, LIMIT);
        K("{\"memory\":{\"disableOOMKiller\":false}}", MEMORY_DISABLE_OOM_KILLER, UNSET);
        K("{\"memory\":{\"disableOOMKiller\":true}}", MEMORY_DISABLE_OOM_KILLER, LIMIT);
        K("{\"cpu\":{\"shares\":0}}", CPU_SHARES, UNSET);
        K("{\"cpu\":{\"shares\":2}}", CPU_SHARES, LIMIT);
        K("{\"cpu\":{\"quota\":0}}", CPU_QUOTA, UNSET);
        K("{\"cpu\":{\"quota\":-1}}", CPU_QUOTA, UNLIMITED);
        K("{\"cpu\":{\"quota\":-5}}", CPU_QUOTA, UNLIMITED);
        K("{\"cpu\":{\"quota\":1000}}", CPU_QUOTA, LIMIT);
        K("{\"cpu\":{\"burst\":0}}", CPU_BURST, UNSET);
        K("{\"cpu\":{\"burst\":10}}", CPU_BURST, LIMIT);
        K("{\"cpu\":{\"period\":0}}", CPU_PERIOD, UNSET);
        K("{\"cpu\":{\"period\":100000}}", CPU_PERIOD, LIMIT);
        K("{\"cpu\":{\"realtimeRuntime\":0}}", CPU_REALTIME_RUNTIME, UNSET);
        K("{\"cpu\":{\"realtimeRuntime\":-1}}", CPU_REALTIME_RUNTIME, UNLIMITED);
        K("{\"cpu\":{\"realtimeRuntime\":950000}}", CPU_REALTIME_RUNTIME, LIMIT);
        K("{\"cpu\":{\"realtimePeriod\":0}}", CPU_REALTIME_PERIOD, UNSET);
        K("{\"cpu\":{\"realtimePeriod\":1000000}}", CPU_REALTIME_PERIOD, LIMIT);
        K("{\"cpu\":{\"cpus\":\"\"}}", CPU_CPUS, UNSET);
        K("{\"cpu\":{\"cpus\":\"0\"}}", CPU_CPUS, LIMIT);
        K("{\"cpu\":{\"mems\":\"\"}}", CPU_MEMS, UNSET);
        K("{\"cpu\":{\"mems\":\"0\"}}", CPU_MEMS, LIMIT);
        K("{\"cpu\":{\"idle\":0}}", CPU_IDLE, UNLIMITED);
        K("{\"cpu\":{\"idle\":1}}", CPU_IDLE, LIMIT);
        K("{}", PIDS_LIMIT, UNSET);
        K("{\"pids\":{\"limit\":0}}", PIDS_LIMIT, UNLIMITED);
        K("{\"pids\":{\"limit\":-1}}", PIDS_LIMIT, UNLIMITED);
        K("{\"pids\":{\"limit\":1}}", PIDS_LIMIT, LIMIT);
        K("{\"blockIO\":{\"weight\":0}}", BLOCKIO_WEIGHT, UNSET);
        K("{\"blockIO\":{\"weight\":10}}", BLOCKIO_WEIGHT, LIMIT);
        K("{\"blockIO\":{\"leafWeight\":0}}", BLOCKIO_LEAF_WEIGHT, UNSET);
        K("{\"blockIO\":{\"weightDevice\":[]}}", BLOCKIO_WEIGHT_DEVICE, UNSET);
        K("{\"blockIO\":{\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":5}]}}",
          BLOCKIO_THROTTLE_WRITE_IOPS, LIMIT);
        K("{\"blockIO\":{\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":5}]}}",
          BLOCKIO_THROTTLE_READ_BPS, UNSET);
        K("{\"hugepageLimits\":[]}", HUGEPAGE_LIMITS, UNSET);
        K("{\"network\":{\"classID\":0}}", NETWORK_CLASS_ID, UNSET);
        K("{\"network\":{\"classID\":7}}", NETWORK_CLASS_ID, LIMIT);
        K("{\"unified\":{}}", UNIFIED, UNSET);
        K("{\"unified\":{\"memory.high\":\"max\"}}", UNIFIED, LIMIT);
        ASSERT_EQ(resource_field_kind(NULL, RESOURCE_FIELD_PIDS_LIMIT), RESOURCE_UNSET);
        ASSERT_NULL(resource_field_to_string(_RESOURCE_FIELD_MAX));
        ASSERT_STREQ(resource_field_to_string(RESOURCE_FIELD_BLOCKIO_THROTTLE_WRITE_IOPS),
                     "linux.resources.blockIO.throttleWriteIOPSDevice");
}

/* Every field has a name, and the names are the spec's spelling (the listing used to carry them). */
TEST(names) {
        for (ResourceField f = 0; f < _RESOURCE_FIELD_MAX; f++) {
                ASSERT_NOT_NULL(resource_field_to_string(f));
                ASSERT_TRUE(startswith(resource_field_to_string(f), "linux.resources."));
        }
}

TEST(list_every_kind_of_field) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_json(
                        "{\"memory\":{\"limit\":-1,\"swap\":0,\"swappiness\":10},\"cpu\":{\"quota\":-1,\"idle\":1},"
                        "\"pids\":{\"limit\":0},\"unified\":{\"memory.high\":\"max\",\"io.max\":\"8:0 rbps=1\"}}");
        _cleanup_free_ char *t = limits_text(r);

        /* -1 and pids 0 lift limits: nothing a missing manager fails to apply */
        ASSERT_STREQ(t, "linux.resources.memory.swappiness,linux.resources.cpu.idle,"
                        "linux.resources.unified[\"memory.high\"],linux.resources.unified[\"io.max\"]");
}

TEST(docker_default) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_fixture("docker-20.10-default.json");
        _cleanup_free_ char *l = limits_text(r), *p = plan_text(r, RESOURCE_MODE_CREATE);

        ASSERT_STREQ(l, "");
        ASSERT_STREQ(p, "DevicePolicy=strict");
}

TEST(docker_zeros) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_fixture("docker-zeros.json");
        _cleanup_free_ char *l = limits_text(r), *p = plan_text(r, RESOURCE_MODE_CREATE),
                            *u = plan_text(r, RESOURCE_MODE_UPDATE);

        ASSERT_STREQ(l, "");
        ASSERT_STREQ(p, "TasksMax=" INF ";DevicePolicy=strict");
        ASSERT_STREQ(u, "TasksMax=" INF); /* -1 lifts a limit in an update too */
}

TEST(podman_default) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_fixture("podman-4.3-default.json");
        _cleanup_free_ char *l = limits_text(r), *p = plan_text(r, RESOURCE_MODE_CREATE);

        ASSERT_STREQ(l, "linux.resources.pids.limit"); /* containers.conf's pids_limit = 2048 */
        ASSERT_STREQ(p, "TasksMax=2048;DevicePolicy=strict");
}

TEST(podman_pids_limit_0) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_fixture("podman-4.3-pids-limit-0.json");
        _cleanup_free_ char *l = limits_text(r), *p = plan_text(r, RESOURCE_MODE_CREATE),
                            *u = plan_text(r, RESOURCE_MODE_UPDATE);

        ASSERT_STREQ(l, "");
        ASSERT_STREQ(p, "TasksMax=" INF ";DevicePolicy=strict");
        ASSERT_STREQ(u, ""); /* runc's update leaves the limit alone for 0 */
}

/* The no-manager check reads the same predicate. */
TEST(disabled_manager_runs_the_default_blocks) {
        static const char *const fixtures[] = { "docker-20.10-default.json", "docker-zeros.json",
                                                "podman-4.3-pids-limit-0.json" };
        const CgroupManager *m = cgroup_manager_get(CGROUP_MANAGER_DISABLED);

        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                _cleanup_oci_config_ OciConfig *c = NULL;
                SysrunError e = SYSRUN_ERROR_NULL;

                ASSERT_OK(oci_config_parse_string(
                                "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{}}", &c, &e));
                c->linux_section->resources = parse_fixture(fixtures[i]);
                ASSERT_OK(m->check(c, false, &e));
        }
}

TEST(required_controllers) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_json(
                        "{\"memory\":{\"limit\":4096,\"swap\":-1,\"kernel\":8192},\"cpu\":{\"shares\":0,\"quota\":5000,"
                        "\"cpus\":\"0\"},\"pids\":{\"limit\":10},\"blockIO\":{\"weight\":0,"
                        "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1}]},"
                        "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}],"
                        "\"unified\":{\"io.max\":\"8:0 rbps=1\",\"memory.high\":\"max\"}}");
        _cleanup_(oci_resources_freep) OciResources *zeros = parse_fixture("docker-zeros.json");
        _cleanup_strv_free_ char **l = NULL, **none = NULL;
        _cleanup_free_ char *t = NULL;

        ASSERT_OK(resources_required_controllers(r, &l));
        t = strv_join(l, " ");
        /* swap -1 lifts a limit, kernel memory is ignored (a warning), shares and weight 0 are unset */
        ASSERT_STREQ(t, "linux.resources.memory.limit memory linux.resources.cpu.quota cpu "
                        "linux.resources.cpu.cpus cpuset linux.resources.pids.limit pids "
                        "linux.resources.blockIO.throttleReadBpsDevice io linux.resources.hugepageLimits hugetlb "
                        "linux.resources.unified[\"io.max\"] io linux.resources.unified[\"memory.high\"] memory");
        ASSERT_OK(resources_required_controllers(zeros, &none));
        ASSERT_NULL(none);
        ASSERT_STREQ(resource_field_controller(RESOURCE_FIELD_CPU_IDLE), "cpu");
        ASSERT_NULL(resource_field_controller(RESOURCE_FIELD_MEMORY_SWAPPINESS));
        ASSERT_NULL(resource_field_controller(RESOURCE_FIELD_UNIFIED));
}

/* A hybrid host's v1 cpu controller: the shares as given (CPUShares), as runc's v1 driver sets them. */
TEST(cpu_shares_v1) {
        _cleanup_(oci_resources_freep) OciResources *r = parse_json("{\"cpu\": {\"shares\": 100}}");
        _cleanup_free_ char *v1 = plan_text_v1(r, RESOURCE_MODE_UPDATE, true), *v2 = plan_text(r, RESOURCE_MODE_UPDATE);

        ASSERT_STREQ(v1, "CPUShares=100");
        ASSERT_STREQ(v2, "CPUWeight=17");
}

DEFINE_TEST_MAIN()
