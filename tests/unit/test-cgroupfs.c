/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroupfs.h"
#include "freezer-v1.h"
#include "scope-v1.h"
#include "strv.h"
#include "tests.h"

/* Parses {"linux": LINUX} and plans it (create mode, with runc's default devices). */
static int plan_linux(const char *linux_json, ResourceMode mode, CgroupfsPlan *ret, SysrunError *e) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_free_ char *json = NULL;
        ResourceInput in;

        ASSERT_TRUE(asprintf(&json, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":%s}", linux_json) > 0);
        ASSERT_OK(oci_config_parse_string(json, &c, e));
        in = (ResourceInput){
                .resources = c->linux_section->resources,
                .default_devices = mode == RESOURCE_MODE_CREATE,
                .mode = mode,
        };
        return cgroupfs_v1_plan(&in, ret, e);
}

static int plan_v2(const char *resources_json, CgroupfsPlan *ret, SysrunError *e) {
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_free_ char *json = NULL;
        ResourceInput in;

        ASSERT_TRUE(asprintf(&json, "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"resources\":%s}}",
                             resources_json) > 0);
        ASSERT_OK(oci_config_parse_string(json, &c, e));
        in = (ResourceInput){ .resources = c->linux_section->resources, .mode = RESOURCE_MODE_CREATE };
        return cgroupfs_v2_plan(&in, ret, e);
}

static void assert_write(const CgroupfsPlan *p, size_t i, const char *field, const char *file, const char *value) {
        ASSERT_TRUE(i < p->n_writes);
        ASSERT_STREQ(p->writes[i].field, field);
        ASSERT_STREQ(p->writes[i].file, file);
        ASSERT_STREQ(p->writes[i].value, value);
}

TEST(v1_limits_exact) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(plan_linux(
                "{\"resources\":{\"memory\":{\"limit\":1048576,\"swap\":2097152,\"reservation\":524288,"
                "\"swappiness\":10},"
                "\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0-1\",\"mems\":\"0\"},"
                "\"pids\":{\"limit\":8},"
                "\"blockIO\":{\"weight\":300,\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}]},"
                "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304}],"
                "\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":5}]}}}",
                RESOURCE_MODE_UPDATE, &p, &e));
        ASSERT_EQ(p.n_writes, 15);
        assert_write(&p, 0, "linux.resources.memory.limit", "memory.limit_in_bytes", "1048576");
        assert_write(&p, 1, "linux.resources.memory.swap", "memory.memsw.limit_in_bytes", "2097152");
        assert_write(&p, 2, "linux.resources.memory.reservation", "memory.soft_limit_in_bytes", "524288");
        assert_write(&p, 3, "linux.resources.memory.swappiness", "memory.swappiness", "10");
        assert_write(&p, 4, "linux.resources.cpu.shares", "cpu.shares", "512");
        /* The period before the quota. */
        assert_write(&p, 5, "linux.resources.cpu.period", "cpu.cfs_period_us", "100000");
        assert_write(&p, 6, "linux.resources.cpu.quota", "cpu.cfs_quota_us", "50000");
        assert_write(&p, 7, "linux.resources.cpu.cpus", "cpuset.cpus", "0-1");
        assert_write(&p, 8, "linux.resources.cpu.mems", "cpuset.mems", "0");
        assert_write(&p, 9, "linux.resources.pids.limit", "pids.max", "8");
        assert_write(&p, 10, "linux.resources.blockIO.weight", "blkio.weight", "300");
        assert_write(&p, 11, "linux.resources.blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device",
                     "8:0 1048576");
        assert_write(&p, 12, "linux.resources.hugepageLimits", "hugetlb.2MB.limit_in_bytes", "4194304");
        assert_write(&p, 13, "linux.resources.network.classID", "net_cls.classid", "1048577");
        assert_write(&p, 14, "linux.resources.network.priorities", "net_prio.ifpriomap", "eth0 5");
        ASSERT_TRUE(cgroupfs_plan_uses(&p, "memory"));
        ASSERT_TRUE(cgroupfs_plan_uses(&p, "net_prio"));
        ASSERT_FALSE(cgroupfs_plan_uses(&p, "devices")); /* update: no device policy */
        ASSERT_FALSE(cgroupfs_plan_uses(&p, "net"));
}

TEST(v1_unset_values_write_nothing) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        /* docker's and podman's "not set". */
        ASSERT_OK(plan_linux("{\"resources\":{\"pids\":{\"limit\":0},\"cpu\":{\"shares\":0},"
                             "\"blockIO\":{\"weight\":0},\"memory\":{}}}",
                             RESOURCE_MODE_UPDATE, &p, &e));
        ASSERT_EQ(p.n_writes, 0);
}

TEST(v1_pids_unlimited) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(plan_linux("{\"resources\":{\"pids\":{\"limit\":-1},\"cpu\":{\"quota\":-1}}}",
                             RESOURCE_MODE_UPDATE, &p, &e));
        ASSERT_EQ(p.n_writes, 2);
        assert_write(&p, 0, "linux.resources.cpu.quota", "cpu.cfs_quota_us", "-1");
        assert_write(&p, 1, "linux.resources.pids.limit", "pids.max", "max");
}

TEST(v1_errors_name_the_field) {
        CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_ERROR(plan_linux("{\"resources\":{\"memory\":{\"limit\":2097152,\"swap\":1048576}}}",
                                RESOURCE_MODE_UPDATE, &p, &e),
                     EINVAL);
        ASSERT_STREQ(e.msg, "linux.resources.memory.swap: 1048576 is below memory.limit 2097152 (the OCI swap is "
                            "memory+swap)");
        sysrun_error_done(&e);
        ASSERT_ERROR(plan_linux("{\"resources\":{\"unified\":{\"memory.high\":\"5M\"}}}", RESOURCE_MODE_UPDATE, &p,
                                &e),
                     EOPNOTSUPP);
        ASSERT_STREQ(e.msg, "linux.resources.unified[\"memory.high\"]: invalid configuration: cannot use unified "
                            "on cgroup v1 (this host has cgroup v1 controllers; unified keys need cgroup v2)");
        sysrun_error_done(&e);
        ASSERT_EQ(p.n_writes, 0);
}

TEST(v1_device_policy_order) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        size_t n_defaults;

        (void) default_device_rules(&n_defaults);
        /* docker's --device /dev/loop0:r: the node in linux.devices, an "r" rule after deny-all. */
        ASSERT_OK(plan_linux("{\"devices\":[{\"path\":\"/dev/loop0\",\"type\":\"b\",\"major\":7,\"minor\":0}],"
                             "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                             "{\"allow\":true,\"type\":\"b\",\"major\":7,\"minor\":0,\"access\":\"r\"}]}}",
                             RESOURCE_MODE_CREATE, &p, &e));
        /* linux.devices makes the node and grants nothing: the rules are the policy. */
        ASSERT_EQ(p.n_writes, 3 + n_defaults);
        assert_write(&p, 0, "linux.resources.devices", "devices.deny", "a");
        assert_write(&p, 1, "linux.resources.devices[0]", "devices.deny", "a");
        assert_write(&p, 2, "linux.resources.devices[1]", "devices.allow", "b 7:0 r");
        assert_write(&p, 3, "linux.resources.devices", "devices.allow", "c *:* m");
        assert_write(&p, 4, "linux.resources.devices", "devices.allow", "b *:* m");
        assert_write(&p, 5, "linux.resources.devices", "devices.allow", "c 1:3 rwm");
        assert_write(&p, 2 + n_defaults, "linux.resources.devices", "devices.allow", "c 5:2 rwm");
}

TEST(v1_device_all_narrow_access_is_split) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(plan_linux("{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwm\"},"
                             "{\"allow\":false,\"type\":\"a\",\"access\":\"w\"}]}}",
                             RESOURCE_MODE_CREATE, &p, &e));
        assert_write(&p, 1, "linux.resources.devices[0]", "devices.allow", "a");
        /* "a" alone would mean every access: a narrower rule for all devices is one per type. */
        assert_write(&p, 2, "linux.resources.devices[1]", "devices.deny", "c *:* w");
        assert_write(&p, 3, "linux.resources.devices[1]", "devices.deny", "b *:* w");
}

TEST(v1_device_line) {
        OciDeviceRule wild = { .allow = true, .type = 'c', .major = 136, .minor = -1, .access = (char *) "rw" };
        OciDeviceRule all = { .allow = false, .type = 'a', .major = -1, .minor = -1 };
        _cleanup_free_ char *a = cgroupfs_v1_device_line(&wild), *b = cgroupfs_v1_device_line(&all);

        ASSERT_STREQ(a, "c 136:* rw");
        ASSERT_STREQ(b, "a");
}

TEST(v2_limits_exact) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(plan_v2("{\"memory\":{\"limit\":33554432,\"swap\":67108864,\"reservation\":1048576},"
                          "\"cpu\":{\"shares\":1024,\"quota\":20000,\"period\":100000,\"idle\":1,\"cpus\":\"0\"},"
                          "\"pids\":{\"limit\":8},"
                          "\"blockIO\":{\"weight\":500,\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":100}]},"
                          "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}],"
                          "\"rdma\":{\"mlx5_0\":{\"hcaHandles\":3}},"
                          "\"unified\":{\"memory.high\":\"30000000\"}}",
                          &p, &e));
        ASSERT_EQ(p.n_writes, 13);
        assert_write(&p, 0, "linux.resources.memory.limit", "memory.max", "33554432");
        /* OCI swap is memory+swap; v2 counts swap alone. */
        assert_write(&p, 1, "linux.resources.memory.swap", "memory.swap.max", "33554432");
        assert_write(&p, 2, "linux.resources.memory.reservation", "memory.low", "1048576");
        assert_write(&p, 3, "linux.resources.cpu.shares", "cpu.weight", "100");
        assert_write(&p, 4, "linux.resources.cpu.quota", "cpu.max", "20000 100000");
        assert_write(&p, 5, "linux.resources.cpu.idle", "cpu.idle", "1");
        assert_write(&p, 6, "linux.resources.cpu.cpus", "cpuset.cpus", "0");
        assert_write(&p, 7, "linux.resources.pids.limit", "pids.max", "8");
        assert_write(&p, 8, "linux.resources.blockIO.weight", "io.weight", "default 100");
        assert_write(&p, 9, "linux.resources.blockIO.throttleWriteIOPSDevice", "io.max", "8:0 wiops=100");
        assert_write(&p, 10, "linux.resources.hugepageLimits", "hugetlb.2MB.max", "0");
        assert_write(&p, 11, "linux.resources.rdma", "rdma.max", "mlx5_0 hca_handle=3 hca_object=max");
        assert_write(&p, 12, "linux.resources.unified[\"memory.high\"]", "memory.high", "30000000");
}

TEST(v2_unlimited_and_unset) {
        _cleanup_(cgroupfs_plan_done) CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(plan_v2("{\"memory\":{\"limit\":-1},\"cpu\":{\"quota\":-1,\"shares\":0},\"pids\":{\"limit\":-1},"
                          "\"blockIO\":{\"weight\":0}}",
                          &p, &e));
        ASSERT_EQ(p.n_writes, 3);
        assert_write(&p, 0, "linux.resources.memory.limit", "memory.max", "max");
        assert_write(&p, 1, "linux.resources.cpu.quota", "cpu.max", "max 100000");
        assert_write(&p, 2, "linux.resources.pids.limit", "pids.max", "max");
}

TEST(v2_errors_name_the_field) {
        CgroupfsPlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_ERROR(plan_v2("{\"unified\":{\"cgroup.procs\":\"1\"}}", &p, &e), EINVAL);
        ASSERT_STREQ(e.msg, "linux.resources.unified[\"cgroup.procs\"]: not a cgroup v2 interface file of a controller");
        sysrun_error_done(&e);
        ASSERT_ERROR(plan_v2("{\"unified\":{\"../x.max\":\"1\"}}", &p, &e), EINVAL);
        sysrun_error_done(&e);
        ASSERT_ERROR(plan_v2("{\"network\":{\"classID\":1}}", &p, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg, "linux.resources.network.classID: cannot be applied: cgroup v2 has no equivalent");
        sysrun_error_done(&e);
        ASSERT_ERROR(plan_v2("{\"memory\":{\"swap\":1000}}", &p, &e), EINVAL);
        sysrun_error_done(&e);
        ASSERT_EQ(p.n_writes, 0);
}

static const char mountinfo[] =
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
        "50 36 0:33 / /mnt/devices\\040again rw,relatime - cgroup cgroup rw,devices\n"
        "51 31 0:34 /docker/abc /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n";

TEST(hierarchies_from_mountinfo) {
        CgroupHierarchy *h = NULL;
        size_t n = 0;

        ASSERT_OK(cgroup_hierarchies_from_mountinfo(mountinfo, &h, &n));
        ASSERT_EQ(n, 5); /* name=systemd and the second devices mount are not counted */
        ASSERT_STREQ(h[0].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
        ASSERT_EQ(strv_length(h[0].controllers), 2);
        ASSERT_STREQ(h[0].controllers[1], "cpuacct");
        ASSERT_STREQ(h[1].controllers[0], "memory");
        ASSERT_STREQ(h[2].mount_point, "/sys/fs/cgroup/devices");
        ASSERT_TRUE(h[3].unified);
        ASSERT_STREQ(h[3].mount_point, "/sys/fs/cgroup/unified");
        ASSERT_NULL(h[3].controllers);
        ASSERT_NULL(h[0].root);
        ASSERT_STREQ(h[4].root, "/docker/abc");
        ASSERT_STREQ(h[4].controllers[0], "pids");
        cgroup_hierarchies_free(h, n);
}

TEST(v1_path_from_proc) {
        static const char text[] = "9:name=systemd:/\n4:memory:/process_api/x\n1:cpu,cpuacct:/a/b\n0::/u\n";
        _cleanup_free_ char *m = NULL, *c = NULL, *u = NULL;

        ASSERT_OK(cgroup_v1_path_from_proc_text(text, "memory", &m));
        ASSERT_STREQ(m, "/process_api/x");
        ASSERT_OK(cgroup_v1_path_from_proc_text(text, "cpuacct", &c));
        ASSERT_STREQ(c, "/a/b");
        ASSERT_OK(cgroup_v1_path_from_proc_text(text, "", &u));
        ASSERT_STREQ(u, "/u");
        ASSERT_ERROR(cgroup_v1_path_from_proc_text(text, "pids", &u), ENODATA);
}

TEST(resolve_path) {
        SysrunError e = SYSRUN_ERROR_NULL;
        bool def = false;
        char *p = NULL;

        ASSERT_OK(cgroupfs_resolve_path(NULL, "c1", "/x", &p, &def, &e));
        ASSERT_STREQ(p, "/sysrun/c1");
        ASSERT_TRUE(def);
        free(p);
        ASSERT_OK(cgroupfs_resolve_path("/kubepods//pod1/c1/", "c1", "/x", &p, &def, &e));
        ASSERT_STREQ(p, "/kubepods/pod1/c1");
        ASSERT_FALSE(def);
        free(p);
        ASSERT_OK(cgroupfs_resolve_path("inner/c1", "c1", "/x/y", &p, &def, &e));
        ASSERT_STREQ(p, "/x/y/inner/c1");
        free(p);
        ASSERT_OK(cgroupfs_resolve_path("inner", "c1", "/", &p, &def, &e));
        ASSERT_STREQ(p, "/inner");
        free(p);
        ASSERT_ERROR(cgroupfs_resolve_path("/a/../b", "c1", "/", &p, &def, &e), EINVAL);
        sysrun_error_done(&e);
        ASSERT_ERROR(cgroupfs_resolve_path("/", "c1", "/", &p, &def, &e), EINVAL);
        sysrun_error_done(&e);
        ASSERT_ERROR(cgroupfs_resolve_path("system.slice:docker:c1", "c1", "/", &p, &def, &e), EINVAL);
        ASSERT_TRUE(strstr(e.msg, "systemd form") != NULL);
        sysrun_error_done(&e);
}

TEST(freezer_v1_state_text) {
        ASSERT_EQ(freezer_v1_state_from_text("FROZEN\n"), FREEZER_V1_FROZEN);
        ASSERT_EQ(freezer_v1_state_from_text("FREEZING\n"), FREEZER_V1_FREEZING);
        ASSERT_EQ(freezer_v1_state_from_text("THAWED\n"), FREEZER_V1_THAWED);
        ASSERT_EQ(freezer_v1_state_from_text("THAWED"), FREEZER_V1_THAWED);
        ASSERT_EQ(freezer_v1_state_from_text("FROZENX\n"), -EINVAL);
        ASSERT_EQ(freezer_v1_state_from_text(""), -EINVAL);
}

TEST(scope_v1_dir) {
        char *controllers[] = { (char *) "freezer", NULL };
        CgroupHierarchy h = { .mount_point = (char *) "/sys/fs/cgroup/freezer", .controllers = controllers };
        CgroupHierarchy sub = { .mount_point = (char *) "/sys/fs/cgroup/freezer",
                                .root = (char *) "/outer",
                                .controllers = controllers };
        CgroupHierarchy v2 = { .mount_point = (char *) "/sys/fs/cgroup/unified", .unified = true };
        const struct {
                const CgroupHierarchy *h;
                const char *pid1, *scope, *want;
        } cases[] = {
                { &h, "/", "/machine.slice/a.scope", "/sys/fs/cgroup/freezer/machine.slice/a.scope" },
                { &h, "/init.scope", "/machine.slice/a.scope", "/sys/fs/cgroup/freezer/machine.slice/a.scope" },
                { &h, "/lxc/c1", "/machine.slice/a.scope", "/sys/fs/cgroup/freezer/lxc/c1/machine.slice/a.scope" },
                { &h, "/lxc/c1/init.scope", "/s.slice/a.scope", "/sys/fs/cgroup/freezer/lxc/c1/s.slice/a.scope" },
                { &h, NULL, "/machine.slice/a.scope", "/sys/fs/cgroup/freezer/machine.slice/a.scope" },
                { &sub, "/outer/init.scope", "/m.slice/a.scope", "/sys/fs/cgroup/freezer/m.slice/a.scope" },
                { &sub, "/other", "/m.slice/a.scope", NULL },     /* outside the mount */
                { &sub, "/outerx", "/m.slice/a.scope", NULL },    /* a prefix only */
                { &h, "/", "", NULL },
                { &h, "/", "relative", NULL },
                { &v2, "/", "/m.slice/a.scope", NULL },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *d = scope_v1_dir(cases[i].h, cases[i].pid1, cases[i].scope);
                if (cases[i].want)
                        ASSERT_STREQ(d, cases[i].want);
                else
                        ASSERT_NULL(d);
        }
}

DEFINE_TEST_MAIN();
