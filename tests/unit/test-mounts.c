/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "mounts.h"
#include "strv.h"
#include "tests.h"

TEST(options) {
        static const struct {
                const char *opts[6];
                unsigned long flags, clear, propagation;
                bool bind, rbind;
                const char *data;
        } table[] = {
                { { "nosuid", "noexec", "nodev", NULL }, MS_NOSUID | MS_NOEXEC | MS_NODEV, 0, 0, false, false, NULL },
                { { "ro", "rw", NULL }, 0, MS_RDONLY, 0, false, false, NULL },
                { { "rw", "ro", NULL }, MS_RDONLY, 0, 0, false, false, NULL },
                { { "rbind", "ro", "rprivate", NULL }, MS_RDONLY, 0, MS_PRIVATE | MS_REC, true, true, NULL },
                { { "bind", NULL }, 0, 0, 0, true, false, NULL },
                { { "mode=755", "size=65536k", "strictatime", NULL }, MS_STRICTATIME, 0, 0, false, false,
                  "mode=755,size=65536k" },
                { { "newinstance", "ptmxmode=0666", "gid=5", NULL }, 0, 0, 0, false, false,
                  "newinstance,ptmxmode=0666,gid=5" },
                { { "rslave", "shared", NULL }, 0, 0, MS_SHARED, false, false, NULL },
                { { "suid", "dev", "exec", "atime", NULL }, 0, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME, 0,
                  false, false, NULL },
                { { "defaults", "tmpcopyup", NULL }, 0, 0, 0, false, false, NULL },
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                MountOptions o;
                ASSERT_OK(mount_options_parse((char **) table[i].opts, &o, NULL));
                ASSERT_EQ(o.flags, table[i].flags);
                ASSERT_EQ(o.clear_flags, table[i].clear);
                ASSERT_EQ(o.propagation, table[i].propagation);
                ASSERT_EQ(o.bind, table[i].bind);
                ASSERT_EQ(o.recursive_bind, table[i].rbind);
                if (table[i].data)
                        ASSERT_STREQ(o.data, table[i].data);
                else
                        ASSERT_NULL(o.data);
                mount_options_done(&o);
        }
}

TEST(propagation) {
        unsigned long f;

        ASSERT_OK(propagation_from_string("rshared", &f));
        ASSERT_EQ(f, MS_SHARED | MS_REC);
        ASSERT_OK(propagation_from_string("slave", &f));
        ASSERT_EQ(f, MS_SLAVE);
        ASSERT_OK(propagation_from_string("runbindable", &f));
        ASSERT_EQ(f, MS_UNBINDABLE | MS_REC);
        ASSERT_ERROR(propagation_from_string("bogus", &f), EINVAL);
}

/* Symlinks in the rootfs resolve inside it, never to the host. */
TEST(open_in_root) {
        char tmp[] = "/tmp/sysrun-test-root.XXXXXX";
        char path[4096];
        struct stat a, b;
        int rootfd, fd;

        ASSERT_NOT_NULL(mkdtemp(tmp));
        rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(rootfd);
        ASSERT_OK(mkdirat(rootfd, "etc", 0755));
        ASSERT_OK(symlinkat("/etc", rootfd, "abs"));
        ASSERT_OK(symlinkat("../../../../etc", rootfd, "rel"));
        ASSERT_OK(symlinkat("/newdir/sub", rootfd, "dangling"));

        fd = open_in_root(rootfd, "/abs", O_PATH);
        ASSERT_OK(fd);
        ASSERT_OK(fstat(fd, &a));
        ASSERT_OK(fstatat(rootfd, "etc", &b, 0));
        ASSERT_EQ(a.st_ino, b.st_ino);
        close(fd);
        fd = open_in_root(rootfd, "rel", O_PATH);
        ASSERT_OK(fstat(fd, &a));
        ASSERT_EQ(a.st_ino, b.st_ino);
        close(fd);

        /* A dangling symlink is refused (as securejoin's MkdirAll does), and nothing appears on the host. */
        ASSERT_ERROR(mkdir_open_in_root(rootfd, "/dangling/x/y", true), ENOENT);
        ASSERT_EQ(access("/newdir", F_OK), -1);
        snprintf(path, sizeof(path), "%s/newdir", tmp);
        ASSERT_EQ(access(path, F_OK), -1);

        fd = mkdir_open_in_root(rootfd, "a//b/../c/file", false);
        ASSERT_OK(fd);
        close(fd);
        snprintf(path, sizeof(path), "%s/a/c/file", tmp);
        ASSERT_OK(stat(path, &a));
        ASSERT_TRUE(S_ISREG(a.st_mode));

        close(rootfd);
        ASSERT_OK(rm_rf_at(AT_FDCWD, tmp));
}

DEFINE_TEST_MAIN()
