/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "copy-tree.h"
#include "fd-util.h"
#include "mount-idmap.h"
#include "mounts.h"
#include "strv.h"
#include "tests.h"

static bool defer(const char *const *dests, const char *const *types, size_t n, size_t idx) {
        OciMount m[8] = {};

        for (size_t i = 0; i < n; i++) {
                m[i].destination = (char *) dests[i];
                m[i].type = (char *) types[i];
        }
        return mount_defer_cgroup(m, n, idx);
}

TEST(defer_cgroup) {
        /* runc's and docker's default order: the cgroup mount is last anyway, and may wait */
        const char *d1[] = { "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup" };
        const char *t1[] = { "proc", "tmpfs", "devpts", "sysfs", "cgroup" };
        ASSERT_TRUE(defer(d1, t1, 5, 4));
        ASSERT_FALSE(defer(d1, t1, 5, 0)); /* not a cgroup mount */

        /* a later mount below it or above it keeps the order */
        const char *d2[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/x", "/etc/hosts" };
        const char *t2[] = { "cgroup2", "bind", "bind" };
        ASSERT_FALSE(defer(d2, t2, 3, 0));
        const char *d3[] = { "/sys/fs/cgroup", "/sys//", "/etc/hosts" };
        const char *t3[] = { "cgroup2", "tmpfs", "bind" };
        ASSERT_FALSE(defer(d3, t3, 3, 0));
        const char *d4[] = { "/sys/fs/cgroup/", "/sys/./fs/cgroup" };
        const char *t4[] = { "cgroup", "tmpfs" };
        ASSERT_FALSE(defer(d4, t4, 2, 0));
        /* disjoint trees, however spelled */
        const char *d5[] = { "/sys/fs/cgroup", "/sys/fs/cgroupx", "//etc/./resolv.conf", "/sys/fs/cg" };
        const char *t5[] = { "cgroup2", "bind", "bind", "tmpfs" };
        ASSERT_TRUE(defer(d5, t5, 4, 0));
        /* ".." cannot be compared lexically; /dev and /proc are made later too */
        const char *d6[] = { "/sys/fs/cgroup", "/run/../sys" };
        const char *t6[] = { "cgroup", "tmpfs" };
        ASSERT_FALSE(defer(d6, t6, 2, 0));
        const char *d7[] = { "/dev/cg" };
        const char *t7[] = { "cgroup2" };
        ASSERT_FALSE(defer(d7, t7, 1, 0));
        const char *d8[] = { "/" };
        ASSERT_FALSE(defer(d8, t7, 1, 0));
        const char *d9[] = { "/proc/cg" };
        ASSERT_FALSE(defer(d9, t7, 1, 0));
        const char *d10[] = { "/sys/fs/cgroup" };
        ASSERT_TRUE(defer(d10, t7, 1, 0));
}

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
                { { "defaults", NULL }, 0, 0, 0, false, false, NULL },
                { { "nosymfollow", NULL }, MS_NOSYMFOLLOW, 0, 0, false, false, NULL },
                { { "nosymfollow", "symfollow", NULL }, 0, MS_NOSYMFOLLOW, 0, false, false, NULL },
                /* Recursive attributes and sysrun's own steps never reach the data string. */
                { { "rbind", "rro", "rnoexec", "size=1m", NULL }, 0, 0, 0, true, true, "size=1m" },
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

/* Every recursive option: the exact attr_set/attr_clr of mount_setattr(AT_RECURSIVE). */
TEST(recursive_attrs) {
        static const struct {
                const char *opts[4];
                uint64_t set, clr;
        } table[] = {
                /* clang-format off */
                { { "rro", NULL },          MOUNT_ATTR_RDONLY,      0 },
                { { "rrw", NULL },          0,                      MOUNT_ATTR_RDONLY },
                { { "rnosuid", NULL },      MOUNT_ATTR_NOSUID,      0 },
                { { "rsuid", NULL },        0,                      MOUNT_ATTR_NOSUID },
                { { "rnodev", NULL },       MOUNT_ATTR_NODEV,       0 },
                { { "rdev", NULL },         0,                      MOUNT_ATTR_NODEV },
                { { "rnoexec", NULL },      MOUNT_ATTR_NOEXEC,      0 },
                { { "rexec", NULL },        0,                      MOUNT_ATTR_NOEXEC },
                { { "rnodiratime", NULL },  MOUNT_ATTR_NODIRATIME,  0 },
                { { "rdiratime", NULL },    0,                      MOUNT_ATTR_NODIRATIME },
                { { "rnosymfollow", NULL }, MOUNT_ATTR_NOSYMFOLLOW, 0 },
                { { "rsymfollow", NULL },   0,                      MOUNT_ATTR_NOSYMFOLLOW },
                /* atime is one setting: each option sets all of MOUNT_ATTR__ATIME in attr_clr. */
                { { "rrelatime", NULL },      MOUNT_ATTR_RELATIME,    MOUNT_ATTR__ATIME },
                { { "rnoatime", NULL },       MOUNT_ATTR_NOATIME,     MOUNT_ATTR__ATIME },
                { { "rstrictatime", NULL },   MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
                { { "ratime", NULL },         MOUNT_ATTR_RELATIME,    MOUNT_ATTR__ATIME },
                { { "rnorelatime", NULL },    MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
                { { "rnostrictatime", NULL }, MOUNT_ATTR_RELATIME,    MOUNT_ATTR__ATIME },
                /* The last word wins. */
                { { "rnoatime", "rstrictatime", NULL },      MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
                { { "rro", "rrw", NULL },                    0,                      MOUNT_ATTR_RDONLY },
                { { "rrw", "rro", NULL },                    MOUNT_ATTR_RDONLY,      0 },
                { { "rro", "rnoatime", "rnodev", NULL },
                  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME | MOUNT_ATTR_NODEV, MOUNT_ATTR__ATIME },
                { { "rexec", "rnosuid", "rnodiratime", NULL },
                  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODIRATIME, MOUNT_ATTR_NOEXEC },
                /* Non-recursive twins stay MS_* flags. */
                { { "ro", "noexec", NULL }, 0, 0 },
                /* clang-format on */
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                MountOptions o;
                ASSERT_OK(mount_options_parse((char **) table[i].opts, &o, NULL));
                ASSERT_EQ_U64(o.attr_set, table[i].set);
                ASSERT_EQ_U64(o.attr_clr, table[i].clr);
                ASSERT_NULL(o.data);
                ASSERT_FALSE(o.idmap);
                mount_options_done(&o);
        }
}

TEST(sysrun_steps) {
        static const struct {
                const char *opts[4];
                bool idmap, ridmap, copyup;
        } table[] = {
                { { "bind", "idmap", NULL }, true, false, false },
                { { "rbind", "ridmap", NULL }, true, true, false },
                { { "ridmap", "idmap", NULL }, true, true, false },
                { { "tmpcopyup", "mode=755", NULL }, false, false, true },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                MountOptions o;
                ASSERT_OK(mount_options_parse((char **) table[i].opts, &o, NULL));
                ASSERT_EQ(o.idmap, table[i].idmap);
                ASSERT_EQ(o.recursive_idmap, table[i].ridmap);
                ASSERT_EQ(o.tmpcopyup, table[i].copyup);
                ASSERT_EQ_U64(o.attr_set, 0);
                ASSERT_EQ_U64(o.attr_clr, 0);
                ASSERT_EQ(o.flags, 0);
                if (table[i].copyup)
                        ASSERT_STREQ(o.data, "mode=755");
                else
                        ASSERT_NULL(o.data);
                mount_options_done(&o);
        }
}

TEST(options_refused) {
        SysrunError e = SYSRUN_ERROR_NULL;
        MountOptions o;

        ASSERT_ERROR(mount_options_parse((char **) (const char *[]){ "bind", "idmap=uids=0-1-2", NULL }, &o, &e),
                     EINVAL);
        ASSERT_STREQ(e.msg, "option \"idmap=uids=0-1-2\": mappings in the option are not supported, use "
                            "uidMappings and gidMappings");
        sysrun_error_done(&e);
}

TEST(data_has) {
        ASSERT_TRUE(mount_options_data_has("size=1m,mode=755", "mode="));
        ASSERT_TRUE(mount_options_data_has("mode=755", "mode="));
        ASSERT_FALSE(mount_options_data_has("size=1m,xmode=755", "mode="));
        ASSERT_FALSE(mount_options_data_has("size=1m", "mode="));
        ASSERT_FALSE(mount_options_data_has(NULL, "mode="));
        ASSERT_FALSE(mount_options_data_has("", "uid="));
}

TEST(recursive_names) {
        char *n = mount_options_recursive_names((char **) (const char *[]){ "rbind", "rro", "ro", "rnoatime", NULL });

        ASSERT_STREQ(n, "rro,rnoatime");
        free(n);
        ASSERT_NULL(mount_options_recursive_names((char **) (const char *[]){ "ro", NULL }));
}

static void check_idmap_source(const char *const *opts, const char *type, bool own, bool new_userns, bool joined,
                               int expect_r, MountIdmapSource expect, const char *expect_msg) {
        OciIdMapping map = { .container_id = 0, .host_id = 100000, .size = 65536 };
        OciMount m = { .destination = (char *) "/data", .type = (char *) type, .options = (char **) opts };
        SysrunError e = SYSRUN_ERROR_NULL;
        MountIdmapSource s = MOUNT_IDMAP_NONE;
        MountOptions o;

        if (own) {
                m.uid_mappings = m.gid_mappings = &map;
                m.n_uid_mappings = m.n_gid_mappings = 1;
        }
        ASSERT_OK(mount_options_parse(m.options, &o, NULL));
        ASSERT_EQ(mount_idmap_source(&m, &o, 3, new_userns, joined, &s, &e), expect_r);
        if (expect_r == 0)
                ASSERT_EQ(s, expect);
        if (expect_msg)
                ASSERT_STREQ(e.msg, expect_msg);
        else
                ASSERT_NULL(e.msg);
        mount_options_done(&o);
        sysrun_error_done(&e);
}

TEST(idmap_source) {
        const char *bind_idmap[] = { "bind", "idmap", NULL }, *rbind_ridmap[] = { "rbind", "ridmap", NULL };
        const char *bind[] = { "bind", NULL }, *tmpfs_idmap[] = { "idmap", NULL };

        check_idmap_source(bind, NULL, false, true, false, 0, MOUNT_IDMAP_NONE, NULL);
        check_idmap_source(bind_idmap, NULL, false, true, false, 0, MOUNT_IDMAP_CONTAINER, NULL);
        check_idmap_source(rbind_ridmap, NULL, false, false, true, 0, MOUNT_IDMAP_JOINED, NULL);
        check_idmap_source(bind_idmap, NULL, true, true, false, 0, MOUNT_IDMAP_OWN, NULL);
        check_idmap_source(tmpfs_idmap, "bind", true, false, false, 0, MOUNT_IDMAP_OWN, NULL);
        /* Mappings alone idmap the mount: never ignored. */
        check_idmap_source(bind, NULL, true, false, false, 0, MOUNT_IDMAP_OWN, NULL);
        check_idmap_source(bind_idmap, NULL, false, false, false, -EINVAL, MOUNT_IDMAP_NONE,
                           "mounts[3] (/data): option \"idmap\": needs the mount's uidMappings and gidMappings, or "
                           "a user namespace");
        check_idmap_source(tmpfs_idmap, "tmpfs", false, true, false, -EINVAL, MOUNT_IDMAP_NONE,
                           "mounts[3] (/data): option \"idmap\": only bind mounts can be idmapped");
        check_idmap_source((const char *[]){ NULL }, "tmpfs", true, true, false, -EINVAL, MOUNT_IDMAP_NONE,
                           "mounts[3] (/data): uidMappings: only bind mounts can be idmapped");
}


static void write_file(int dirfd, const char *path, const char *text, mode_t mode) {
        int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

        ASSERT_OK(fd);
        ASSERT_OK(loop_write(fd, text, strlen(text)));
        close(fd);
}

/* tmpcopyup's copy: contents, modes (set-id bits too), owners, symlinks unfollowed, subdirs, fifos. */
TEST(copy_tree) {
        char src[] = "/tmp/sysrun-test-copy-src.XXXXXX", dst[] = "/tmp/sysrun-test-copy-dst.XXXXXX";
        char link[64] = {};
        _cleanup_free_ char *data = NULL, *failed = NULL;
        int sfd, dfd, fd;
        struct stat st;

        ASSERT_NOT_NULL(mkdtemp(src));
        ASSERT_NOT_NULL(mkdtemp(dst));
        sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(sfd);
        ASSERT_OK(dfd);
        write_file(sfd, "passwd", "root:x:0:0\n", 0644);
        ASSERT_OK(fchmodat(sfd, "passwd", 04751, 0));
        ASSERT_OK(mkdirat(sfd, "sub", 0555));
        ASSERT_OK(fchmodat(sfd, "sub", 0555, 0));
        ASSERT_OK(mkdirat(sfd, "deep", 0750));
        write_file(sfd, "deep/f", "x", 0600);
        ASSERT_OK(symlinkat("/etc/shadow", sfd, "deep/l"));
        ASSERT_OK(mkfifoat(sfd, "fifo", 0620));
        ASSERT_OK(fchmodat(sfd, "fifo", 0620, 0));
        if (geteuid() == 0)
                ASSERT_OK(fchownat(sfd, "deep/f", 123, 456, 0));

        ASSERT_OK(copy_tree_at(sfd, dfd, &failed));
        ASSERT_NULL(failed);

        ASSERT_OK(read_full_file_at(dfd, "passwd", 4096, &data, NULL));
        ASSERT_STREQ(data, "root:x:0:0\n");
        ASSERT_OK(fstatat(dfd, "passwd", &st, 0));
        ASSERT_EQ(st.st_mode, S_IFREG | 04751);
        ASSERT_OK(fstatat(dfd, "sub", &st, 0));
        ASSERT_EQ(st.st_mode, S_IFDIR | 0555);
        ASSERT_OK(fstatat(dfd, "deep", &st, 0));
        ASSERT_EQ(st.st_mode, S_IFDIR | 0750);
        ASSERT_OK(fstatat(dfd, "deep/f", &st, 0));
        ASSERT_EQ(st.st_mode, S_IFREG | 0600);
        if (geteuid() == 0) {
                ASSERT_EQ(st.st_uid, 123);
                ASSERT_EQ(st.st_gid, 456);
        }
        ASSERT_OK(fstatat(dfd, "deep/l", &st, AT_SYMLINK_NOFOLLOW));
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_EQ(readlinkat(dfd, "deep/l", link, sizeof(link) - 1), 11);
        ASSERT_STREQ(link, "/etc/shadow");
        ASSERT_OK(fstatat(dfd, "fifo", &st, AT_SYMLINK_NOFOLLOW));
        ASSERT_EQ(st.st_mode, S_IFIFO | 0620);

        /* A second copy meets the first: the failing entry is named. */
        ASSERT_ERROR(copy_tree_at(sfd, dfd, &failed), EEXIST);
        ASSERT_NOT_NULL(failed);
        free(TAKE_PTR(failed));

        /* Too deep is refused. */
        fd = openat(sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        for (int i = 0; i <= COPY_TREE_MAX_DEPTH; i++) {
                int next;
                ASSERT_OK(mkdirat(fd, "d", 0755));
                next = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                ASSERT_OK(next);
                close(fd);
                fd = next;
        }
        close(fd);
        close(dfd);
        ASSERT_OK(rm_rf_at(AT_FDCWD, dst));
        ASSERT_OK(mkdir(dst, 0700));
        dfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_ERROR(copy_tree_at(sfd, dfd, NULL), ELOOP);

        close(sfd);
        close(dfd);
        ASSERT_OK(rm_rf_at(AT_FDCWD, src));
        ASSERT_OK(rm_rf_at(AT_FDCWD, dst));
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
