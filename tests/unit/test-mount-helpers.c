/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "mount-sources.h"
#include "mountinfo.h"
#include "mounts-cgroup.h"
#include "tests.h"

TEST(hierarchy_name) {
        static char *controllers[] = { "cpu", "cpuacct", "memory", "pids", "net_cls", "net_prio", NULL };
        static const struct {
                const char *superopts, *name;
        } table[] = {
                { "rw,cpu,cpuacct", "cpu,cpuacct" },
                { "rw,xattr,name=systemd", "name=systemd" },
                { "ro,memory", "memory" },
                { "rw,nsdelegate,memory_recursiveprot", "" },
                { "rw,clone_children,release_agent=/x,net_cls,net_prio", "net_cls,net_prio" },
                { "rw", "" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char *n = cgroup_v1_hierarchy_name(table[i].superopts, controllers);
                ASSERT_NOT_NULL(n);
                ASSERT_STREQ(n, table[i].name);
                free(n);
        }
}

TEST(own_path) {
        static const char text[] = "12:cpu,cpuacct:/a/b\n"
                                   "11:name=systemd:/system.slice/x.scope\n"
                                   "4:memory:/m\n"
                                   "0::/unified/c\n";
        static const struct {
                const char *hierarchy, *path;
                int r;
        } table[] = {
                { "cpu,cpuacct", "/a/b", 0 },
                { "cpuacct,cpu", "/a/b", 0 }, /* any order */
                { "cpu", NULL, -ENOENT },      /* a part of a co-mounted hierarchy is not it */
                { "name=systemd", "/system.slice/x.scope", 0 },
                { "memory", "/m", 0 },
                { "", "/unified/c", 0 },
                { "pids", NULL, -ENOENT },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char *p = NULL;
                ASSERT_EQ(cgroup_own_path(text, table[i].hierarchy, &p), table[i].r);
                if (table[i].path)
                        ASSERT_STREQ(p, table[i].path);
                free(p);
        }
        {
                char *p = NULL;
                ASSERT_EQ(cgroup_own_path("1:cpu:/x\n", "", &p), -ENOENT); /* no cgroup2 line */
        }
}

TEST(mount_is_bind) {
        static char *bind_opt[] = { "ro", "rbind", NULL }, *plain[] = { "ro", "nosuid", NULL };
        OciMount m = { .destination = "/x" };

        ASSERT_FALSE(oci_mount_is_bind(&m));
        m.type = "bind";
        ASSERT_TRUE(oci_mount_is_bind(&m));
        m.type = "none";
        m.options = bind_opt;
        ASSERT_TRUE(oci_mount_is_bind(&m));
        m.type = "tmpfs";
        m.options = plain;
        ASSERT_FALSE(oci_mount_is_bind(&m));
}

TEST(mountinfo_line) {
        char line[] = "40 31 0:37 /a\\040b /sys/fs/cgroup/sys\\134temd rw,relatime shared:9 master:2 - cgroup cgroup rw,xattr,name=systemd";
        char bad[] = "40 31 0:37 / /x rw";
        char short_tail[] = "40 31 0:37 / /x rw - proc";
        MountInfoEntry mi;

        ASSERT_OK(mountinfo_parse_line(line, &mi));
        ASSERT_STREQ(mi.root, "/a b");
        ASSERT_STREQ(mi.mountpoint, "/sys/fs/cgroup/sys\\temd");
        ASSERT_STREQ(mi.options, "rw,relatime");
        ASSERT_STREQ(mi.fstype, "cgroup");
        ASSERT_STREQ(mi.source, "cgroup");
        ASSERT_STREQ(mi.superopts, "rw,xattr,name=systemd");
        ASSERT_ERROR(mountinfo_parse_line(bad, &mi), EINVAL);
        ASSERT_ERROR(mountinfo_parse_line(short_tail, &mi), EINVAL);
}

TEST(mount_sources_table) {
        OciMount mounts[3] = { { .destination = "/a" }, { .destination = "/b" }, { .destination = "/c" } };
        OciConfig c = { .mounts = mounts, .n_mounts = 3 };
        MountSources s = MOUNT_SOURCES_NULL;
        int fd = open("/", O_PATH | O_CLOEXEC);

        ASSERT_OK(fd);
        ASSERT_OK(mount_sources_new(&c, &s));
        ASSERT_EQ(s.n, (size_t) 3);
        for (size_t i = 0; i < 3; i++)
                ASSERT_EQ(mount_sources_get(&s, i), -EBADF);
        ASSERT_EQ(mount_sources_get(&s, 3), -EBADF);
        ASSERT_EQ(mount_sources_get(NULL, 0), -EBADF);

        ASSERT_OK(mount_sources_take(&s, 1, fd));
        ASSERT_EQ(mount_sources_get(&s, 1), fd);
        /* Out of range or taken twice: refused, and the fd is closed, not leaked. */
        ASSERT_ERROR(mount_sources_take(&s, 1, dup(fd)), EINVAL);
        ASSERT_ERROR(mount_sources_take(&s, 7, dup(fd)), EINVAL);

        mount_sources_done(&s);
        ASSERT_EQ(s.n, (size_t) 0);
        ASSERT_NULL(s.fds);
        ASSERT_EQ(fcntl(fd, F_GETFD), -1); /* closed by done */
        mount_sources_done(&s); /* idempotent */
}

DEFINE_TEST_MAIN()
