/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sys/stat.h>

#include "cgroup-stats.h"
#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "scope.h"
#include "rootless.h"
#include "strv.h"
#include "tests.h"

/* The defaults as root has them, whoever runs the tests (test-rootless.c has the rootless ones). */
__attribute__((constructor)) static void not_rootless(void) {
        rootless_set_mode(ROOTLESS_NEVER);
}

static void check_path(const char *cgroups_path, const char *slice, const char *unit) {
        _cleanup_free_ char *s = NULL, *u = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        int r = cgroups_path_parse(cgroups_path, "c1", &s, &u, &e);

        if (r < 0)
                fprintf(stderr, "%s: %s\n", cgroups_path, e.msg);
        ASSERT_OK(r);
        ASSERT_STREQ(s, slice);
        ASSERT_STREQ(u, unit);
}

static void check_path_error(const char *cgroups_path, const char *msg) {
        _cleanup_free_ char *s = NULL, *u = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_ERROR(cgroups_path_parse(cgroups_path, "c1", &s, &u, &e), EINVAL);
        ASSERT_STREQ(e.msg, msg);
        sysrun_error_done(&e);
}

TEST(cgroups_path) {
        check_path(NULL, "machine.slice", "sysrun-c1.scope");
        check_path("", "machine.slice", "sysrun-c1.scope");
        check_path("machine.slice:libpod:abc", "machine.slice", "libpod-abc.scope");
        check_path(":crio:abc", "system.slice", "crio-abc.scope");
        check_path("-:x:abc", "-.slice", "x-abc.scope");
        check_path("system.slice::abc", "system.slice", "abc.scope");
        check_path("kubepods.slice:cri:kubepods-pod1.slice", "kubepods.slice", "kubepods-pod1.slice");
        check_path_error(
                        "/sysrun/c1",
                        "linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup manager, got "
                        "'/sysrun/c1'");
        check_path_error(
                        "a:b",
                        "linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup manager, "
                        "got 'a:b'");
        check_path_error(
                        "a:b:c:d",
                        "linux.cgroupsPath: expected \"slice:prefix:name\" with the systemd cgroup "
                        "manager, got 'a:b:c:d'");
        check_path_error("system:x:y", "linux.cgroupsPath: 'system' is not a slice name (\"name.slice\")");
        check_path_error("a/b.slice:x:y", "linux.cgroupsPath: 'a/b.slice' is not a slice name (\"name.slice\")");
        check_path_error("system.slice:x:", "linux.cgroupsPath: the name part of 'system.slice:x:' is empty");
        check_path_error("system.slice:x:a b", "linux.cgroupsPath: 'x-a b.scope' is not a valid unit name");
        ASSERT_TRUE(unit_name_is_valid("sysrun-abc.scope"));
        ASSERT_FALSE(unit_name_is_valid("sysrun-a+b.scope"));

        /* A valid container id that is too long for a unit name (found by fuzz-ids): refused here, not by
         * systemd. */
        {
                _cleanup_free_ char *s = NULL, *u = NULL, *long_id = malloc(244);
                SysrunError e = SYSRUN_ERROR_NULL;

                /* '+' is escaped as systemd escapes it. */
                ASSERT_OK(cgroups_path_parse(NULL, "+-a", &s, &u, &e));
                ASSERT_STREQ(u, "sysrun-\\x2b-a.scope");
                free(s);
                free(u);
                s = u = NULL;
                ASSERT_NOT_NULL(long_id);
                memset(long_id, 'a', 243);
                long_id[243] = 0; /* 7 + 243 + 6 = 256 characters */
                ASSERT_ERROR(cgroups_path_parse("", long_id, &s, &u, &e), EINVAL);
                sysrun_error_done(&e);
                long_id[242] = 0;
                ASSERT_OK(cgroups_path_parse("", long_id, &s, &u, &e));
                ASSERT_EQ(strlen(u), 255);
        }

        /* A cgroupfs path is set aside unless the systemd manager was asked for. */
        ASSERT_NULL(cgroups_path_effective("/default/c1", false));
        ASSERT_NULL(cgroups_path_effective("/kubepods/burstable/pod1/c1", false));
        ASSERT_STREQ(cgroups_path_effective("/default/c1", true), "/default/c1");
        ASSERT_STREQ(cgroups_path_effective("machine.slice:libpod:abc", false), "machine.slice:libpod:abc");
        ASSERT_STREQ(cgroups_path_effective("a:b", false), "a:b"); /* still refused by the parser */
        ASSERT_STREQ(cgroups_path_effective("invalid", false), "invalid"); /* not a cgroupfs path: refused */
        ASSERT_STREQ(cgroups_path_effective("", false), "");
        ASSERT_NULL(cgroups_path_effective(NULL, true));
        ASSERT_TRUE(unit_name_is_valid("a\\x2db@1.service"));
        ASSERT_FALSE(unit_name_is_valid("noext"));
        ASSERT_FALSE(unit_name_is_valid("a/b.scope"));
}

TEST(mountinfo) {
        _cleanup_free_ char *hybrid = NULL, *unified = NULL, *esc = NULL;
        char *none = NULL;

        ASSERT_OK(cgroup2_mount_point_from_mountinfo(
                        "22 1 8:1 / / rw - ext4 /dev/vda rw\n"
                        "30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                        "35 25 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
                        &hybrid));
        ASSERT_STREQ(hybrid, "/sys/fs/cgroup/unified");
        ASSERT_OK(cgroup2_mount_point_from_mountinfo(
                        "40 1 0:40 /sub /mnt/cg rw shared:5 - cgroup2 cgroup2 rw\n"
                        "89 88 0:38 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw",
                        &unified));
        ASSERT_STREQ(unified, "/sys/fs/cgroup");
        ASSERT_OK(cgroup2_mount_point_from_mountinfo("1 1 0:1 / /a\\040b rw - cgroup2 x rw\n", &esc));
        ASSERT_STREQ(esc, "/a b");
        /* A backslash without three octal digits stays as it is (found by fuzz-ids: it was decoded,
         * shifting a negative value). */
        free(esc);
        esc = NULL;
        ASSERT_OK(cgroup2_mount_point_from_mountinfo("1 1 0:1 / /a\\0\"m\\18 rw - cgroup2 x rw\n", &esc));
        ASSERT_STREQ(esc, "/a\\0\"m\\18");
        ASSERT_ERROR(cgroup2_mount_point_from_mountinfo("22 1 8:1 / / rw - ext4 /dev/vda rw\n", &none),
                     ENOENT);
}

TEST(proc_cgroup) {
        _cleanup_free_ char *a = NULL, *b = NULL;
        char *none = NULL;

        ASSERT_OK(cgroup_path_from_proc_text("0::/system.slice/sysrun-c1.scope\n", &a));
        ASSERT_STREQ(a, "/system.slice/sysrun-c1.scope");
        ASSERT_OK(cgroup_path_from_proc_text("12:memory:/x\n1:name=systemd:/y\n0::/z\n", &b));
        ASSERT_STREQ(b, "/z");
        ASSERT_ERROR(cgroup_path_from_proc_text("12:memory:/x\n", &none), ENODATA);
}

TEST(keyed_and_io) {
        _cleanup_free_ CgroupIoStat *io = NULL;
        uint64_t v = 0;
        size_t n = 0;

        ASSERT_EQ_U64(cgroup_count_lines("12\n345\n"), 2);
        ASSERT_EQ_U64(cgroup_count_lines("12\n345"), 2);
        ASSERT_EQ_U64(cgroup_count_lines(""), 0);
        ASSERT_EQ_U64(cgroup_count_lines("\n\n7\n"), 1);

        ASSERT_OK(cgroup_parse_keyed("usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n", "user_usec", &v));
        ASSERT_EQ_U64(v, 1000);
        ASSERT_OK(cgroup_parse_keyed("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n", "oom_kill", &v));
        ASSERT_EQ_U64(v, 1);
        ASSERT_ERROR(cgroup_parse_keyed("usage_usec 1\n", "usage", &v), ENOENT);

        ASSERT_OK(cgroup_parse_io_stat(
                        "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=1\n", &io,
                        &n));
        ASSERT_EQ(n, 2);
        ASSERT_EQ_U64(io[0].major, 8);
        ASSERT_EQ_U64(io[0].wbytes, 8192);
        ASSERT_EQ_U64(io[0].wios, 2);
        ASSERT_EQ_U64(io[1].minor, 1);
        ASSERT_EQ_U64(io[1].rbytes, 1);
}

TEST(stats_json) {
        char *stat[] = { (char *) "anon", (char *) "4096", (char *) "file", (char *) "8192", NULL };
        CgroupIoStat io = { .major = 8, .minor = 0, .rbytes = 100, .wbytes = 200, .rios = 1, .wios = 2 };
        CgroupStats s = {
                .has_cpu = true,
                .cpu_usage_usec = 3,
                .cpu_user_usec = 2,
                .cpu_system_usec = 1,
                .has_memory = true,
                .memory_current = 12288,
                .memory_max = UINT64_MAX,
                .swap_max = UINT64_MAX,
                .memory_stat = stat,
                .has_pids = true,
                .pids_current = 2,
                .pids_max = 100,
                .io = &io,
                .n_io = 1,
        };
        _cleanup_free_ char *json = cgroup_stats_to_json("c1", &s, NULL), *oom = cgroup_oom_event_json("c1");
        _cleanup_free_ char *empty = NULL;
        CgroupStats none = { .memory_max = UINT64_MAX, .swap_max = UINT64_MAX, .pids_max = UINT64_MAX };

        ASSERT_STREQ(json,
                     "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
                     "\"cpu\":{\"usage\":{\"total\":3000,\"kernel\":1000,\"user\":2000},\"throttling\":{}},"
                     "\"cpuset\":{},"
                     "\"memory\":{\"cache\":8192,\"usage\":{\"limit\":18446744073709551615,\"usage\":12288,\"failcnt\":0},"
                     "\"swap\":{\"limit\":18446744073709551615,\"usage\":12288,\"failcnt\":0},"
                     "\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},"
                     "\"raw\":{\"anon\":4096,\"file\":8192}},"
                     "\"pids\":{\"current\":2,\"limit\":100},"
                     "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":100},"
                     "{\"major\":8,\"op\":\"Write\",\"value\":200}],"
                     "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":1},{\"major\":8,\"op\":\"Write\",\"value\":2}]},"
                     "\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}}");
        ASSERT_STREQ(oom, "{\"type\":\"oom\",\"id\":\"c1\"}");
        empty = cgroup_stats_to_json("c2", &none, NULL);
        ASSERT_NOT_NULL(empty);
        ASSERT_TRUE(strstr(empty, "\"pids\":{}") != NULL);
}

static void put(int dirfd, const char *name, const char *text) {
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        ASSERT_TRUE(fd >= 0);
        ASSERT_OK(loop_write(fd, text, strlen(text)));
}

static char *get(int dirfd, const char *name) {
        char *text = NULL;

        ASSERT_OK(read_full_file_at(dirfd, name, 4096, &text, NULL));
        return text;
}

/* The sub-cgroup writes against a directory laid out like a delegated scope (a plain directory does
 * not populate itself, so the test makes the files the kernel would). */
TEST(subgroup_apply) {
        char tmpl[] = "/tmp/test-scope-XXXXXX";
        _cleanup_close_ int fd = -EBADF, sub = -EBADF;
        _cleanup_free_ char *procs = NULL, *control = NULL, *huge = NULL, *oom = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        CgroupWrite w[] = {
                { (char *) "linux.resources.hugepageLimits[0]", (char *) "hugetlb.2MB.max", (char *) "1048576" },
                { (char *) "linux.resources.unified[\"memory.oom.group\"]", (char *) "memory.oom.group", (char *) "1" },
        };
        CgroupWrite rdma = { (char *) "linux.resources.rdma[\"mlx5_1\"]", (char *) "rdma.max", (char *) "x" };
        CgroupWrite missing = { (char *) "linux.resources.cpu.burst", (char *) "cpu.max.burst", (char *) "1" };

        ASSERT_NOT_NULL(mkdtemp(tmpl));
        fd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(fd >= 0);
        put(fd, "cgroup.controllers", "cpu memory hugetlb\n");
        put(fd, "cgroup.subtree_control", "");
        put(fd, "cgroup.procs", "");
        ASSERT_TRUE(mkdirat(fd, "container", 0755) == 0);
        sub = openat(fd, "container", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(sub >= 0);
        put(sub, "cgroup.procs", "");
        put(sub, "hugetlb.2MB.max", "max\n");
        put(sub, "memory.oom.group", "0\n");

        /* A controller the scope does not have: refused before anything is written. */
        ASSERT_ERROR(cgroup_subgroup_apply_at(fd, "/s.scope", 1234, &rdma, 1, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg, "linux.resources.rdma[\"mlx5_1\"]: cannot be applied: systemd has no property for it and "
                            "the 'rdma' controller is not available in the container's cgroup '/s.scope'");
        sysrun_error_done(&e);
        procs = get(sub, "cgroup.procs");
        ASSERT_STREQ(procs, "");

        ASSERT_OK(cgroup_subgroup_apply_at(fd, "/s.scope", 1234, w, ELEMENTSOF(w), &e));
        free(procs);
        procs = get(sub, "cgroup.procs");
        control = get(fd, "cgroup.subtree_control");
        huge = get(sub, "hugetlb.2MB.max");
        oom = get(sub, "memory.oom.group");
        ASSERT_STREQ(procs, "1234");
        ASSERT_STREQ(control, "+hugetlb +memory");
        ASSERT_STREQ(huge, "1048576");
        ASSERT_STREQ(oom, "1\n"); /* a plain file keeps its tail; cgroupfs would not */

        /* A file the kernel does not have. */
        ASSERT_ERROR(cgroup_subgroup_apply_at(fd, "/s.scope", 1234, &missing, 1, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg, "linux.resources.cpu.burst: cannot be applied: the kernel has no 'cpu.max.burst' in the "
                            "container's cgroup");
        sysrun_error_done(&e);

        ASSERT_OK(rm_rf_at(AT_FDCWD, tmpl));
}

TEST(v1_hierarchy_path) {
        _cleanup_free_ char *p = NULL;
        char *none = NULL;

        ASSERT_EQ(cgroup_v1_hierarchy_path("5:devices:/system.slice/a.scope\n1:cpu,cpuacct:/x\n0::/y\n", "cpuacct", &p), 1);
        ASSERT_STREQ(p, "/x");
        ASSERT_EQ(cgroup_v1_hierarchy_path("1:name=systemd:/a\n0::/a\n", "devices", &none), 0);
        ASSERT_NULL(none);
}

TEST(v1_controllers_from_proc_text) {
        _cleanup_strv_free_ char **hybrid = NULL, **none = NULL, **v2 = NULL;
        _cleanup_free_ char *joined = NULL;
        const char *text = "13:pids:/system.slice/sysrun-c1.scope\n"
                           "12:cpu,cpuacct:/system.slice/sysrun-c1.scope\n"
                           "11:blkio:/system.slice/sysrun-c1.scope\n"
                           "10:memory:/process_api/7\n"              /* not realised for the unit */
                           "9:devices:/system.slice\n"               /* a parent is not the scope */
                           "8:cpuset:/system.slice/sysrun-c1.scope/x\n" /* nor a child */
                           "1:name=systemd:/system.slice/sysrun-c1.scope\n"
                           "0::/system.slice/sysrun-c1.scope\n";

        ASSERT_OK(cgroup_v1_controllers_from_proc_text(text, "/system.slice/sysrun-c1.scope", &hybrid));
        joined = strv_join(hybrid, " ");
        ASSERT_STREQ(joined, "pids cpu cpuacct io");
        ASSERT_OK(cgroup_v1_controllers_from_proc_text(text, "/system.slice", &none));
        ASSERT_EQ(strv_length(none), 1);
        ASSERT_STREQ(none[0], "devices");
        /* unified mode: the v2 line alone, no v1 controller */
        ASSERT_OK(cgroup_v1_controllers_from_proc_text("0::/a.scope\n", "/a.scope", &v2));
        ASSERT_NOT_NULL(v2);
        ASSERT_EQ(strv_length(v2), 0);
}

static void check_escape(const char *s, const char *expected) {
        _cleanup_free_ char *e = unit_name_escape(s);

        ASSERT_STREQ(e, expected);
}

TEST(unit_name_escape) {
        _cleanup_free_ char *s = NULL, *u = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;

        check_escape("abc", "abc");
        check_escape("a-b_c.d:e", "a-b_c.d:e");
        check_escape("a+b", "a\\x2bb");
        check_escape(".a", "\\x2ea");
        check_escape("a.", "a.");
        check_escape("a@b\\c", "a\\x40b\\x5cc");
        check_escape("", "");
        /* The default scope of an id that a unit name cannot hold as it is. */
        ASSERT_OK(cgroups_path_parse(NULL, "a+b", &s, &u, &e));
        ASSERT_STREQ(u, "sysrun-a\\x2bb.scope");
        ASSERT_TRUE(unit_name_is_valid(u));
}

static void check_service(const char *path, const char *expected) {
        _cleanup_free_ char *u = unit_service_from_cgroup_path(path);

        if (expected)
                ASSERT_STREQ(u, expected);
        else
                ASSERT_NULL(u);
}

TEST(unit_service_from_cgroup_path) {
        check_service("/system.slice/web.service", "web.service");
        check_service("/system.slice/sysrun@a.service", "sysrun@a.service");
        check_service("/system.slice/web.service/payload", "web.service");
        check_service("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service", "x.service");
        check_service("/user.slice/user-1000.slice/session-2.scope", NULL);
        check_service("/", NULL);
        check_service("", NULL);
        check_service("/.service", NULL);
        check_service("/system.slice/a b.service", NULL);
}

TEST(cgroup_path_is_unit) {
        ASSERT_TRUE(cgroup_path_is_unit("/machine.slice/sysrun-a.scope", "machine.slice", "sysrun-a.scope"));
        ASSERT_TRUE(cgroup_path_is_unit("/a.slice/a-b.slice/sysrun-a.scope", "a-b.slice", "sysrun-a.scope"));
        ASSERT_TRUE(cgroup_path_is_unit("/sysrun-a.scope", "-.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/machine.slice/sysrun-a.scope", "-.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/sysrun-a.scope", "machine.slice", "sysrun-a.scope"));
        /* our own cgroup, where a silently failed unit leaves the init */
        ASSERT_FALSE(cgroup_path_is_unit("/user.slice/session-1.scope", "machine.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/machine.slice/sysrun-a.scope/sysrun", "machine.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/xmachine.slice/sysrun-a.scope", "machine.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/machine.slice/sysrun-ab.scope", "machine.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("/", "-.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit("", "machine.slice", "sysrun-a.scope"));
        ASSERT_FALSE(cgroup_path_is_unit(NULL, "machine.slice", "sysrun-a.scope"));
}

DEFINE_TEST_MAIN();
