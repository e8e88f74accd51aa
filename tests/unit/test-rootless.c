/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include "resources.h"
#include "rootless.h"
#include "scope-rootless.h"
#include "scope.h"
#include "strv.h"
#include "tests.h"
#include "unit-property.h"
#include "userns-map.h"

TEST(idmap_is_own_id) {
        static const OciIdMapping own = { 0, 1000, 1 }, big = { 0, 1000, 2 }, other = { 0, 1001, 1 },
                                  pair[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };

        ASSERT_TRUE(idmap_is_own_id(&own, 1, 1000));
        ASSERT_FALSE(idmap_is_own_id(&big, 1, 1000));
        ASSERT_FALSE(idmap_is_own_id(&other, 1, 1000));
        ASSERT_FALSE(idmap_is_own_id(pair, 2, 1000));
        ASSERT_FALSE(idmap_is_own_id(pair, 0, 1000));
        /* Mapped to any container id: still the kernel's one allowed line. */
        ASSERT_TRUE(idmap_is_own_id(&(OciIdMapping){ 7, 1000, 1 }, 1, 1000));
}

TEST(idmap_helper_argv) {
        static const OciIdMapping m[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *joined = NULL;

        ASSERT_OK(idmap_helper_argv("newuidmap", 4242, m, 2, &argv));
        joined = strv_join(argv, " ");
        ASSERT_STREQ(joined, "newuidmap 4242 0 1000 1 1 100000 65536");
        strv_free(argv);
        argv = NULL;
        ASSERT_OK(idmap_helper_argv("newgidmap", 1, m, 0, &argv));
        free(joined);
        joined = strv_join(argv, " ");
        ASSERT_STREQ(joined, "newgidmap 1");
}

TEST(uid_map_is_initial) {
        ASSERT_TRUE(uid_map_is_initial("         0          0 4294967295\n"));
        ASSERT_TRUE(uid_map_is_initial("0 0 4294967295"));
        ASSERT_FALSE(uid_map_is_initial("         0       1000          1\n"));
        ASSERT_FALSE(uid_map_is_initial("0 1000 1\n1 100000 65536\n"));
        ASSERT_FALSE(uid_map_is_initial("0 0 4294967295\n1 1 1\n"));
        ASSERT_FALSE(uid_map_is_initial("0 0 65536\n"));
        ASSERT_FALSE(uid_map_is_initial(""));
        ASSERT_FALSE(uid_map_is_initial(NULL));
}

TEST(rootless_state_root_for) {
        static const struct {
                const char *xdg, *user;
                uid_t euid;
                bool in_userns;
                const char *expected;
        } cases[] = {
                /* runc's shouldHonorXDGRuntimeDir(), case by case */
                { "/run/user/1000", "alice", 1000, false, "/run/user/1000/sysrun" },
                { "/run/user/1000", NULL, 1000, false, "/run/user/1000/sysrun" },
                { NULL, "alice", 1000, false, "/run/sysrun" },
                { "", "alice", 1000, false, "/run/sysrun" },
                { "/run/user/0", "root", 0, false, "/run/sysrun" },
                { "/run/user/0", "alice", 0, false, "/run/sysrun" },
                /* root of a user namespace (rootless podman): unless $USER says root */
                { "/run/user/1000", "alice", 0, true, "/run/user/1000/sysrun" },
                { "/run/user/1000", NULL, 0, true, "/run/user/1000/sysrun" },
                { "/run/user/1000", "root", 0, true, "/run/sysrun" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *p = rootless_state_root_for(
                                "/run/sysrun", cases[i].xdg, cases[i].user, cases[i].euid, cases[i].in_userns);
                ASSERT_STREQ(p, cases[i].expected);
        }
}

TEST(rootless_mode_from_string) {
        RootlessMode m;

        ASSERT_OK(rootless_mode_from_string("auto", &m));
        ASSERT_EQ(m, ROOTLESS_AUTO);
        ASSERT_OK(rootless_mode_from_string("true", &m));
        ASSERT_EQ(m, ROOTLESS_FORCE);
        ASSERT_OK(rootless_mode_from_string("false", &m));
        ASSERT_EQ(m, ROOTLESS_NEVER);
        ASSERT_ERROR(rootless_mode_from_string("yes", &m), EINVAL);
}

static OciResources *parse(const char *json_q) {
        _cleanup_free_ char *json = strdup(json_q);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciResources *r = NULL;

        ASSERT_NOT_NULL(json);
        for (char *p = json; *p; p++)
                if (*p == '\'')
                        *p = '"';
        if (oci_resources_parse_string(json, &r, &e) < 0)
                fprintf(stderr, "parse error: %s\n", e.msg);
        ASSERT_NOT_NULL(r);
        return r;
}

static char *names(const ResourcePlan *p) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < p->properties.n; i++)
                ASSERT_OK(strv_extend(&l, p->properties.items[i].name));
        for (size_t i = 0; i < p->n_writes; i++)
                ASSERT_OK(strv_extend(&l, p->writes[i].file));
        return l ? strv_join(l, ",") : strdup("");
}

/* filter(resources, available controllers) → the names left, and the warning's list */
static void check_filter(const char *json_q, char **available, const char *left, const char *dropped) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(json_q);
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        _cleanup_strv_free_ char **needed = NULL;
        _cleanup_free_ char *got_left = NULL, *got_dropped = NULL;
        ResourceInput in = {
                .resources = r, .default_devices = true, .systemd_version = 252, .mode = RESOURCE_MODE_CREATE
        };

        ASSERT_OK(resources_plan(&in, &plan, NULL));
        ASSERT_OK(resources_required_controllers(r, &needed));
        ASSERT_OK(rootless_plan_filter(&plan, needed, available, &got_dropped));
        got_left = names(&plan);
        if (!streq(got_left, left))
                fprintf(stderr, "%s: left %s, wanted %s\n", json_q, got_left, left);
        ASSERT_STREQ(got_left, left);
        if (!streq_ptr(got_dropped, dropped))
                fprintf(stderr, "%s: dropped %s, wanted %s\n", json_q, got_dropped ?: "(null)",
                        dropped ?: "(null)");
        ASSERT_TRUE(streq_ptr(got_dropped, dropped));
}

TEST(rootless_plan_filter) {
        char *none[] = { NULL }, *pids_memory[] = { "pids", "memory", NULL },
             *all[] = { "cpu", "io", "memory", "pids", "hugetlb", NULL };

        /* The default device rules go without a word (the init's nodes keep them). */
        check_filter("{}", none, "", NULL);
        check_filter("{'pids':{'limit':100},'memory':{'limit':1048576}}", none, "",
                     "linux.resources.memory.limit (MemoryMax), linux.resources.pids.limit (TasksMax)");
        check_filter("{'pids':{'limit':100},'memory':{'limit':1048576}}", pids_memory, "MemoryMax,TasksMax",
                     NULL);
        check_filter("{'pids':{'limit':100},'blockIO':{'weight':100}}", pids_memory, "TasksMax",
                     "linux.resources.blockIO.weight (IOWeight)");
        /* What systemd has no property for goes to the sub-cgroup: the same rule. */
        check_filter("{'hugepageLimits':[{'pageSize':'2MB','limit':1048576}]}", pids_memory, "",
                     "linux.resources.hugepageLimits[0] (hugetlb.2MB.max)");
        check_filter("{'hugepageLimits':[{'pageSize':'2MB','limit':1048576}]}", all, "hugetlb.2MB.max", NULL);
        /* Callers' unset values are no limits: nothing to warn about (pids.limit 0 is TasksMax=infinity). */
        check_filter("{'pids':{'limit':0},'cpu':{'shares':0},'memory':{}}", none, "TasksMax", NULL);
}

TEST(rootless_default_slices) {
        _cleanup_free_ char *slice = NULL, *unit = NULL;

        rootless_set_mode(ROOTLESS_FORCE);
        ASSERT_TRUE(rootless_detect());
        ASSERT_OK(cgroups_path_parse(NULL, "c1", &slice, &unit, NULL));
        ASSERT_STREQ(slice, "user.slice");
        ASSERT_STREQ(unit, "sysrun-c1.scope");
        free(slice);
        free(unit);
        ASSERT_OK(cgroups_path_parse(":libpod:abc", "c1", &slice, &unit, NULL));
        ASSERT_STREQ(slice, "user.slice");
        ASSERT_STREQ(unit, "libpod-abc.scope");
        free(slice);
        free(unit);
        rootless_set_mode(ROOTLESS_NEVER);
        ASSERT_FALSE(rootless_detect());
        ASSERT_OK(cgroups_path_parse(NULL, "c1", &slice, &unit, NULL));
        ASSERT_STREQ(slice, "machine.slice");
        rootless_set_mode(ROOTLESS_AUTO);
}

DEFINE_TEST_MAIN();
