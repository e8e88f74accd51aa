/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "config.h"
#include "criu-args.h"
#include "criu.h"
#include "restore-mountpoints.h"
#include "strv.h"
#include "tests.h"

static void assert_argv(char **got, const char *const *want) {
        size_t i;

        for (i = 0; want[i]; i++) {
                ASSERT_NOT_NULL(got[i]);
                ASSERT_STREQ(got[i], want[i]);
        }
        ASSERT_NULL(got[i]);
}

TEST(cgroup_mode_table) {
        for (CriuCgroupMode m = 0; m < _CRIU_CGROUP_MODE_MAX; m++)
                ASSERT_EQ(criu_cgroup_mode_from_string(criu_cgroup_mode_to_string(m)), m);
        ASSERT_STREQ(criu_cgroup_mode_to_string(CRIU_CGROUP_MODE_IGNORE), "ignore");
        ASSERT_EQ(criu_cgroup_mode_from_string("Soft"), _CRIU_CGROUP_MODE_INVALID);
        ASSERT_NULL(criu_cgroup_mode_to_string(_CRIU_CGROUP_MODE_MAX));
}

TEST(parse_cgroup_mode) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        CriuCgroupMode m = _CRIU_CGROUP_MODE_INVALID;

        ASSERT_OK(criu_parse_cgroup_mode("strict", &m, NULL));
        ASSERT_EQ(m, CRIU_CGROUP_MODE_STRICT);
        ASSERT_ERROR(criu_parse_cgroup_mode("none", &m, &e), EINVAL);
        ASSERT_STREQ(e.msg, "Invalid manage-cgroups-mode value");
        ASSERT_EQ(m, CRIU_CGROUP_MODE_STRICT);
}

TEST(parse_page_server) {
        static const struct {
                const char *in, *address;
                unsigned port;
                const char *error;
        } cases[] = {
                { "192.168.1.2:2000", "192.168.1.2", 2000, NULL },
                { "host:0", "host", 0, NULL },
                { "[::1]:27", "::1", 27, NULL },
                { "a:b", NULL, 0, "Invalid port number" },
                { "a:-1", NULL, 0, "Invalid port number" },
                { "a:65536", NULL, 0, "Invalid port number" },
                { "a", NULL, 0, "Use --page-server ADDRESS:PORT to specify page server" },
                { ":1", NULL, 0, "Use --page-server ADDRESS:PORT to specify page server" },
                { "a:", NULL, 0, "Use --page-server ADDRESS:PORT to specify page server" },
                { "::1:27", NULL, 0, "Use --page-server ADDRESS:PORT to specify page server" },
                { "[::1]27", NULL, 0, "Use --page-server ADDRESS:PORT to specify page server" },
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
                char *address = NULL;
                unsigned port = 4242;
                int r = criu_parse_page_server(cases[i].in, &address, &port, &e);

                if (cases[i].error) {
                        ASSERT_ERROR(r, EINVAL);
                        ASSERT_STREQ(e.msg, cases[i].error);
                        ASSERT_NULL(address);
                        ASSERT_EQ(port, 4242u);
                } else {
                        ASSERT_OK(r);
                        ASSERT_STREQ(address, cases[i].address);
                        ASSERT_EQ(port, cases[i].port);
                }
                free(address);
        }
}

TEST(parse_empty_ns) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(criu_parse_empty_ns("network", NULL));
        ASSERT_ERROR(criu_parse_empty_ns("pid", &e), EINVAL);
        ASSERT_STREQ(e.msg, "namespace \"pid\" is not supported");
}

TEST(dump_argv_minimal) {
        _cleanup_strv_free_ char **argv = NULL;
        CriuOptions o = { .image_path = "/img", .status_fd = -1 };
        CriuDumpTarget t = { .criu = "/usr/sbin/criu", .pid = 42, .root = "/b/rootfs" };

        ASSERT_OK(criu_dump_argv(&o, &t, &argv));
        assert_argv(argv, (const char *const[]) { "/usr/sbin/criu", "dump", "--tree", "42", "--root", "/b/rootfs",
                                                  "--images-dir", "/img", "--log-file", "dump.log", "-v4",
                                                  "--manage-cgroups", "--empty-ns", "net", NULL });
}

TEST(dump_argv_everything) {
        _cleanup_strv_free_ char **argv = NULL;
        const CriuExternalMount mounts[] = { { "/data", "/data" }, { "/proc/kcore", "/dev/null" } };
        CriuOptions o = {
                .image_path = "/img", .work_path = "/work", .parent_path = "../pre", .leave_running = true,
                .tcp_established = true, .ext_unix_sk = true, .shell_job = true, .lazy_pages = true,
                .file_locks = true, .auto_dedup = true, .status_fd = 5,
                .page_server_address = (char *) "10.0.0.1", .page_server_port = 1234,
                .manage_cgroups_mode_set = true, .manage_cgroups_mode = CRIU_CGROUP_MODE_FULL,
        };
        CriuDumpTarget t = { .criu = "criu", .pid = 7, .root = "/r", .freeze_cgroup = "/sys/fs/cgroup/x.scope",
                             .mounts = mounts, .n_mounts = 2, .external_tty = "tty[8800:1d]" };

        ASSERT_OK(criu_dump_argv(&o, &t, &argv));
        assert_argv(argv, (const char *const[]) {
                "criu", "dump", "--tree", "7", "--root", "/r", "--images-dir", "/img", "--work-dir", "/work",
                "--log-file", "dump.log", "-v4", "--manage-cgroups=full", "--tcp-established", "--ext-unix-sk",
                "--shell-job", "--file-locks", "--auto-dedup", "--lazy-pages", "--empty-ns", "net",
                "--freeze-cgroup", "/sys/fs/cgroup/x.scope", "--leave-running", "--track-mem",
                "--prev-images-dir", "../pre", "--status-fd", "5", "--page-server", "--address", "10.0.0.1",
                "--port", "1234", "--external", "mnt[/data]:/data", "--external", "mnt[/proc/kcore]:/dev/null",
                "--external", "tty[8800:1d]", NULL });
}

TEST(pre_dump_argv) {
        _cleanup_strv_free_ char **argv = NULL;
        CriuOptions o = { .image_path = "/img/1", .status_fd = -1, .pre_dump = true, .leave_running = true };
        CriuDumpTarget t = { .criu = "criu", .pid = 9, .root = "/r" };

        /* A pre-dump tracks memory for the next dump and never takes --leave-running. */
        ASSERT_OK(criu_dump_argv(&o, &t, &argv));
        assert_argv(argv, (const char *const[]) { "criu", "pre-dump", "--tree", "9", "--root", "/r", "--images-dir",
                                                  "/img/1", "--log-file", "pre-dump.log", "-v4", "--manage-cgroups",
                                                  "--empty-ns", "net", "--track-mem", NULL });
}

TEST(restore_argv) {
        _cleanup_strv_free_ char **argv = NULL;
        const CriuExternalMount mounts[] = { { "/data", "/srv/data" }, { "/dev/null", "/dev/null" } };
        const CriuInheritFd fds[] = { { 0, "pipe:[100]" }, { 2, "pipe:[102]" } };
        CriuOptions o = { .image_path = "/img", .status_fd = -1, .tcp_established = true,
                          .manage_cgroups_mode_set = true, .manage_cgroups_mode = CRIU_CGROUP_MODE_IGNORE };
        CriuRestoreTarget t = { .criu = "criu", .root = "/run/x/root", .pid_file = "/run/x/pid",
                                .cgroup_root = "/system.slice/sysrun-c1.scope", .mounts = mounts, .n_mounts = 2,
                                .inherit_fds = fds, .n_inherit_fds = 2 };

        ASSERT_OK(criu_restore_argv(&o, &t, &argv));
        assert_argv(argv, (const char *const[]) {
                "criu", "restore", "--restore-detached", "--pidfile", "/run/x/pid", "--root", "/run/x/root",
                "--images-dir", "/img", "--log-file", "restore.log", "-v4", "--manage-cgroups=ignore",
                "--tcp-established", "--empty-ns", "net", "--cgroup-root", "/system.slice/sysrun-c1.scope",
                "--external", "mnt[/data]:/srv/data", "--external", "mnt[/dev/null]:/dev/null", "--inherit-fd",
                "fd[0]:pipe:[100]", "--inherit-fd", "fd[2]:pipe:[102]", NULL });

        /* podman's pod restore */
        _cleanup_strv_free_ char **lsm = NULL;
        CriuOptions lo = { .image_path = "/img", .status_fd = -1, .lsm_profile = "selinux:system_u:system_r:container_t:s0:c1,c2",
                           .lsm_mount_context = "system_u:object_r:container_file_t:s0:c1,c2" };
        CriuRestoreTarget lt = { .criu = "criu", .root = "/r", .pid_file = "/p" };
        ASSERT_OK(criu_restore_argv(&lo, &lt, &lsm));
        assert_argv(lsm, (const char *const[]) {
                "criu", "restore", "--restore-detached", "--pidfile", "/p", "--root", "/r", "--images-dir", "/img",
                "--log-file", "restore.log", "-v4", "--manage-cgroups", "--empty-ns", "net", "--lsm-profile",
                "selinux:system_u:system_r:container_t:s0:c1,c2", "--lsm-mount-context",
                "system_u:object_r:container_file_t:s0:c1,c2", NULL });
}

static bool is_file(const char *path, void *userdata) {
        (void) userdata;
        return path[1] != 'd'; /* "/dir..." are directories */
}

TEST(external_mounts) {
        static const char json[] =
                "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
                "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/data\",\"type\":\"none\",\"source\":\"/srv/data\",\"options\":[\"rbind\",\"ro\"]},"
                "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/h/hosts\"},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"}],"
                "\"linux\":{\"maskedPaths\":[\"/proc/kcore\",\"/dir/acpi\"],"
                "\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}]}}";
        _cleanup_(oci_config_freep) OciConfig *c = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        CriuExternalMount *m = NULL;
        size_t n = 0;

        ASSERT_OK(oci_config_parse_string(json, &c, &e));
        ASSERT_OK(criu_dump_mounts(c, is_file, NULL, &m, &n));
        ASSERT_EQ(n, 5u);
        ASSERT_STREQ(m[0].key, "/data");
        ASSERT_STREQ(m[0].value, "/data");
        ASSERT_STREQ(m[1].key, "/etc/hosts");
        ASSERT_STREQ(m[1].value, "/etc/hosts");
        ASSERT_STREQ(m[2].key, "/sys/fs/cgroup");
        ASSERT_STREQ(m[2].value, "/sys/fs/cgroup");
        ASSERT_STREQ(m[3].key, "/proc/kcore");
        ASSERT_STREQ(m[3].value, "/dev/null");
        ASSERT_STREQ(m[4].key, "/dev/fuse");
        ASSERT_STREQ(m[4].value, "/dev/fuse");
        free(m);

        ASSERT_OK(criu_restore_mounts(c, "/sys/fs/cgroup/unified", &m, &n));
        ASSERT_EQ(n, 5u);
        ASSERT_STREQ(m[0].key, "/data");
        ASSERT_STREQ(m[0].value, "/srv/data");
        ASSERT_STREQ(m[1].key, "/etc/hosts");
        ASSERT_STREQ(m[1].value, "/h/hosts");
        ASSERT_STREQ(m[2].key, "/sys/fs/cgroup");
        ASSERT_STREQ(m[2].value, "/sys/fs/cgroup/unified");
        ASSERT_STREQ(m[3].key, "/dev/null");
        ASSERT_STREQ(m[3].value, "/dev/null");
        ASSERT_STREQ(m[4].key, "/dev/fuse");
        free(m);
        c = oci_config_free(c);

        /* In a cgroup namespace the cgroup mount is the container's own. */
        ASSERT_OK(oci_config_parse_string(
                        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"/sys/fs/cgroup\","
                        "\"type\":\"cgroup\",\"source\":\"cgroup\"}],\"linux\":{\"namespaces\":[{\"type\":\"cgroup\"}]}}",
                        &c, &e));
        ASSERT_OK(criu_dump_mounts(c, is_file, NULL, &m, &n));
        ASSERT_EQ(n, 0u);
        free(m);
}

TEST(namespaces) {
        static const char json[] =
                "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":["
                "{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/run/netns/n1\"},{\"type\":\"mount\"},"
                "{\"type\":\"ipc\",\"path\":\"/proc/7/ns/ipc\"},{\"type\":\"uts\",\"path\":\"/proc/7/ns/uts\"}]}}";
        _cleanup_(oci_config_freep) OciConfig *c = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        CriuNamespace *ns = NULL;
        size_t n = 42;

        ASSERT_OK(oci_config_parse_string(json, &c, &e));
        /* Dump: only the network namespace is external; the others criu dumps as it finds them. */
        ASSERT_OK(criu_namespaces(c, false, &ns, &n, &e));
        ASSERT_EQ(n, 1u);
        ASSERT_STREQ(ns[0].name, "net");
        ASSERT_STREQ(ns[0].path, "/run/netns/n1");
        ASSERT_STREQ(ns[0].key, "extRootNetNS");
        ASSERT_EQ(ns[0].inode, 0ull);
        ASSERT_EQ(ns[0].fd, -EBADF);
        free(ns);
        /* Restore: the ipc and uts paths are joined too. */
        ASSERT_OK(criu_namespaces(c, true, &ns, &n, &e));
        ASSERT_EQ(n, 3u);
        ASSERT_STREQ(ns[0].key, "extRootNetNS");
        ASSERT_STREQ(ns[1].name, "ipc");
        ASSERT_STREQ(ns[1].path, "/proc/7/ns/ipc");
        ASSERT_NULL(ns[1].key);
        ASSERT_STREQ(ns[2].name, "uts");
        ASSERT_NULL(ns[2].key);
        free(ns);
        c = oci_config_free(c);

        ASSERT_OK(oci_config_parse_string(
                        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":["
                        "{\"type\":\"pid\",\"path\":\"/proc/9/ns/pid\"},{\"type\":\"cgroup\",\"path\":\"/proc/9/ns/cgroup\"}]}}",
                        &c, &e));
        ASSERT_OK(criu_namespaces(c, false, &ns, &n, &e));
        ASSERT_EQ(n, 1u);
        ASSERT_STREQ(ns[0].name, "pid");
        ASSERT_STREQ(ns[0].key, "extRootPidNS");
        free(ns);
        ns = NULL;
        ASSERT_ERROR(criu_namespaces(c, true, &ns, &n, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg, "linux.namespaces: the cgroup namespace '/proc/9/ns/cgroup' cannot be restored into "
                            "(criu cannot join one)");
        ASSERT_NULL(ns);
}

TEST(namespaces_argv) {
        _cleanup_strv_free_ char **dump = NULL, **restore = NULL;
        const CriuNamespace ns[] = {
                { .name = "net", .path = "/run/netns/n1", .key = "extRootNetNS", .inode = 4026532217ull, .fd = 5 },
                { .name = "ipc", .path = "/proc/7/ns/ipc", .fd = -EBADF },
        };
        CriuOptions o = { .image_path = "/img", .status_fd = -1 };
        CriuDumpTarget d = { .criu = "criu", .pid = 3, .root = "/r", .namespaces = ns, .n_namespaces = 1 };
        CriuRestoreTarget t = { .criu = "criu", .root = "/r", .pid_file = "/p", .namespaces = ns, .n_namespaces = 2 };

        ASSERT_OK(criu_dump_argv(&o, &d, &dump));
        assert_argv(dump, (const char *const[]) { "criu", "dump", "--tree", "3", "--root", "/r", "--images-dir", "/img",
                                                  "--log-file", "dump.log", "-v4", "--manage-cgroups", "--empty-ns",
                                                  "net", "--external", "net[4026532217]:extRootNetNS", NULL });
        ASSERT_OK(criu_restore_argv(&o, &t, &restore));
        assert_argv(restore, (const char *const[]) { "criu", "restore", "--restore-detached", "--pidfile", "/p",
                                                     "--root", "/r", "--images-dir", "/img", "--log-file",
                                                     "restore.log", "-v4", "--manage-cgroups", "--empty-ns", "net",
                                                     "--inherit-fd", "fd[5]:extRootNetNS", "--join-ns",
                                                     "ipc:/proc/7/ns/ipc", NULL });
}

TEST(restore_mountpoints) {
        static const char json[] =
                "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
                "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/u/shm\"},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\"},"
                "{\"destination\":\"/etc/resolv.conf\",\"type\":\"bind\",\"source\":\"/u/resolv.conf\"},"
                "{\"destination\":\"/data\",\"type\":\"none\",\"source\":\"/srv\",\"options\":[\"rbind\"]},"
                "{\"destination\":\"//data//sub/\",\"type\":\"bind\",\"source\":\"/x\"},"
                "{\"destination\":\"/data2/y\",\"type\":\"bind\",\"source\":\"/y\"},"
                "{\"destination\":\"/data\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
                "{\"destination\":\"/\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]}";
        static const struct {
                int r;
                ssize_t base;
                const char *rel;
        } want[] = {
                { 1, -1, "proc" },           /* /proc */
                { 1, -1, "dev" },            /* /dev */
                { 0, 0, NULL },              /* /dev/shm: inside the tmpfs /dev */
                { 1, -1, "sys" },            /* /sys */
                { 0, 0, NULL },              /* a cgroup mount */
                { 1, -1, "etc/resolv.conf" },
                { 1, -1, "data" },
                { 1, 6, "sub/" },            /* inside the bind at /data: in its source */
                { 1, -1, "data2/y" },        /* /data2 is not /data */
                { 0, 0, NULL },              /* the same destination as an earlier mount */
                { 0, 0, NULL },              /* "/" */
        };
        _cleanup_(oci_config_freep) OciConfig *c = NULL;
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(oci_config_parse_string(json, &c, &e));
        ASSERT_EQ(c->n_mounts, ELEMENTSOF(want));
        for (size_t i = 0; i < ELEMENTSOF(want); i++) {
                ssize_t base = 42;
                const char *rel = NULL;

                ASSERT_EQ(restore_mountpoint_where(c, i, &base, &rel), want[i].r);
                if (want[i].r) {
                        ASSERT_EQ(base, want[i].base);
                        ASSERT_STREQ(rel, want[i].rel);
                } else {
                        ASSERT_EQ(base, (ssize_t) 42);
                        ASSERT_NULL(rel);
                }
        }
}

DEFINE_TEST_MAIN();
