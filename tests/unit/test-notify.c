/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "fd-util.h"
#include "notify.h"
#include "strv.h"
#include "terminal.h"
#include "tests.h"

static void check_filter(const char *msg, const char *expected, bool ready) {
        _cleanup_free_ char *out = NULL;
        bool r = !ready;

        ASSERT_OK(notify_filter(msg, strlen(msg), 4242, &out, &r));
        if (expected)
                ASSERT_STREQ(out, expected);
        else
                ASSERT_NULL(out);
        ASSERT_EQ(r, ready);
}

TEST(notify_filter) {
        check_filter("READY=1", "READY=1\nMAINPID=4242\n", true);
        check_filter("READY=1\n", "READY=1\nMAINPID=4242\n", true);
        check_filter("STATUS=up and running\nREADY=1\n", "STATUS=up and running\nREADY=1\nMAINPID=4242\n", true);
        /* The container may not move the service's main pid, its fd store or its watchdog. */
        check_filter("MAINPID=1\nREADY=1", "READY=1\nMAINPID=4242\n", true);
        check_filter("FDSTORE=1\nWATCHDOG_USEC=1\nEXTEND_TIMEOUT_USEC=5", NULL, false);
        check_filter("WATCHDOG=1", "WATCHDOG=1\n", false);
        check_filter("WATCHDOG=trigger", "WATCHDOG=trigger\n", false);
        check_filter("RELOADING=1\nSTOPPING=1", "RELOADING=1\nSTOPPING=1\n", false);
        check_filter("ERRNO=2\nBUSERROR=org.x.Y", "ERRNO=2\nBUSERROR=org.x.Y\n", false);
        check_filter("READY=0", NULL, false);
        check_filter("READY=11", NULL, false);
        check_filter("READY=1\nREADY=1", "READY=1\nMAINPID=4242\nREADY=1\n", true);
        check_filter("", NULL, false);
        check_filter("\n\n", NULL, false);
        {
                /* A NUL inside a line drops that line. */
                static const char m[] = "STATUS=a\0b\nREADY=1";
                _cleanup_free_ char *out = NULL;
                bool ready;

                ASSERT_OK(notify_filter(m, sizeof(m) - 1, 7, &out, &ready));
                ASSERT_STREQ(out, "READY=1\nMAINPID=7\n");
                ASSERT_TRUE(ready);
        }
}

TEST(notify_setup_config) {
        char tmpl[] = "/tmp/test-notify.XXXXXX";
        _cleanup_close_ int dirfd = -EBADF;
        OciConfig *c = calloc(1, sizeof(*c));
        struct stat st;

        ASSERT_NOT_NULL(c);
        c->process = calloc(1, sizeof(*c->process));
        ASSERT_NOT_NULL(c->process);
        ASSERT_OK(strv_extend(&c->process->env, "PATH=/bin"));
        ASSERT_OK(strv_extend(&c->process->env, "NOTIFY_SOCKET=/elsewhere"));
        ASSERT_NOT_NULL(mkdtemp(tmpl));
        dirfd = open(tmpl, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(dirfd >= 0);
        ASSERT_FALSE(notify_configured(dirfd));
        ASSERT_OK(notify_setup_config(dirfd, "/run/sysrun/c1", c, NULL));
        ASSERT_TRUE(notify_configured(dirfd));
        ASSERT_EQ(c->n_mounts, 1u);
        ASSERT_STREQ(c->mounts[0].destination, "/run/notify");
        ASSERT_STREQ(c->mounts[0].source, "/run/sysrun/c1/notify");
        ASSERT_STREQ(c->mounts[0].type, "bind");
        ASSERT_TRUE(strv_length(c->mounts[0].options) == 5);
        ASSERT_STREQ(c->mounts[0].options[4], "ro");
        /* Replaced, not added: getenv() would find the first one. */
        ASSERT_TRUE(strv_length(c->process->env) == 2);
        ASSERT_STREQ(c->process->env[1], "NOTIFY_SOCKET=/run/notify/notify.sock");
        {
                /* The socket is reachable for every uid, and what is sent to it can be read. */
                _cleanup_close_ int fd = notify_listen(dirfd, NULL), cl = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                char buf[64];

                ASSERT_TRUE(fd >= 0);
                ASSERT_OK(fstatat(dirfd, "notify/notify.sock", &st, 0));
                ASSERT_TRUE(S_ISSOCK(st.st_mode));
                ASSERT_EQ(st.st_mode & 0777, 0777u);
                snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify/notify.sock", tmpl);
                ASSERT_EQ(sendto(cl, "READY=1", 7, 0, (struct sockaddr *) &sa, sizeof(sa)), 7);
                ASSERT_EQ(recv(fd, buf, sizeof(buf), 0), 7);
        }
        oci_config_free(c);
        ASSERT_OK(rm_rf_at(AT_FDCWD, tmpl));
}

TEST(journal_stream_parse) {
        dev_t dev;
        ino_t ino;

        ASSERT_OK(journal_stream_parse("8:12345", &dev, &ino));
        ASSERT_EQ(dev, (dev_t) 8);
        ASSERT_EQ(ino, (ino_t) 12345);
        ASSERT_ERROR(journal_stream_parse("8:", &dev, &ino), EINVAL);
        ASSERT_ERROR(journal_stream_parse("8:1x", &dev, &ino), EINVAL);
        ASSERT_ERROR(journal_stream_parse(" 8:1", &dev, &ino), EINVAL);
        ASSERT_ERROR(journal_stream_parse("", &dev, &ino), EINVAL);
        ASSERT_ERROR(journal_stream_parse(NULL, &dev, &ino), EINVAL);
        /* Not a journal stream here: no pipe. */
        {
                int r = -1, w = -1;
                ASSERT_OK(unsetenv("JOURNAL_STREAM"));
                ASSERT_EQ(journal_pipe(STDOUT_FILENO, &r, &w), 0);
                ASSERT_EQ(r, -EBADF);
                ASSERT_EQ(w, -EBADF);
        }
}

DEFINE_TEST_MAIN();
