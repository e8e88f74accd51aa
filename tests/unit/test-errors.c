/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>

#include "errno-string.h"
#include "error.h"
#include "log.h"
#include "tests.h"

/* Go's syscall.Errno texts on linux/amd64 (zerrors_linux_amd64.go), which runc prints. */
TEST(errno_to_string_is_go_text) {
        static const struct {
                int errnum;
                const char *text;
        } cases[] = {
                { EPERM, "operation not permitted" },
                { ENOENT, "no such file or directory" },
                { ESRCH, "no such process" },
                { EIO, "input/output error" },
                { ENXIO, "no such device or address" },
                { ENOEXEC, "exec format error" },
                { EBADF, "bad file descriptor" },
                { EAGAIN, "resource temporarily unavailable" },
                { ENOMEM, "cannot allocate memory" },
                { EACCES, "permission denied" },
                { EBUSY, "device or resource busy" },
                { EEXIST, "file exists" },
                { EXDEV, "invalid cross-device link" },
                { ENODEV, "no such device" },
                { ENOTDIR, "not a directory" },
                { EISDIR, "is a directory" },
                { EINVAL, "invalid argument" },
                { EMFILE, "too many open files" },
                { ENOSPC, "no space left on device" },
                { EROFS, "read-only file system" },
                { EPIPE, "broken pipe" },
                { ERANGE, "numerical result out of range" },
                { EDEADLK, "resource deadlock avoided" },
                { ENAMETOOLONG, "file name too long" },
                { ENOSYS, "function not implemented" },
                { ELOOP, "too many levels of symbolic links" },
                { ENOTEMPTY, "directory not empty" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                if (!cases[i].errnum)
                        continue;
                ASSERT_STREQ(ERRNO_STRING(cases[i].errnum), cases[i].text);
                ASSERT_STREQ(ERRNO_STRING(-cases[i].errnum), cases[i].text);
        }
        /* An all-capitals word keeps its case; a number glibc has no text for is "errno N". */
        ASSERT_STREQ(ERRNO_STRING(EDOTDOT), "RFS specific error");
        ASSERT_STREQ(ERRNO_STRING(EOPNOTSUPP), "operation not supported");
        ASSERT_STREQ(ERRNO_STRING(ETIMEDOUT), "connection timed out");
        ASSERT_STREQ(ERRNO_STRING(ECONNREFUSED), "connection refused");
        ASSERT_STREQ(ERRNO_STRING(0), "errno 0");
        ASSERT_STREQ(ERRNO_STRING(4000), "errno 4000");
        ASSERT_STREQ(ERRNO_STRING(58), "errno 58"); /* a hole in Linux's table */
}

TEST(signal_to_go_string) {
        ASSERT_STREQ(SIGNAL_STRING(SIGKILL), "killed");
        ASSERT_STREQ(SIGNAL_STRING(SIGTERM), "terminated");
        ASSERT_STREQ(SIGNAL_STRING(SIGSEGV), "segmentation fault");
        ASSERT_STREQ(SIGNAL_STRING(SIGABRT), "aborted");
        ASSERT_STREQ(SIGNAL_STRING(SIGUSR1), "user defined signal 1");
        ASSERT_STREQ(SIGNAL_STRING(SIGXCPU), "CPU time limit exceeded");
        ASSERT_STREQ(SIGNAL_STRING(SIGRTMIN + 2), "signal 36");
}

TEST(format_expand_errno) {
        _cleanup_free_ char *a = format_expand_errno("open '%s': %m", ENOENT);
        _cleanup_free_ char *b = format_expand_errno("100%% %m%m %d", -EPERM);
        _cleanup_free_ char *c = format_expand_errno("%", EIO);

        ASSERT_STREQ(a, "open '%s': no such file or directory");
        ASSERT_STREQ(b, "100%% operation not permittedoperation not permitted %d");
        ASSERT_STREQ(c, "%");
}

TEST(error_set_spells_m_like_runc) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_ERROR(sysrun_error_set(&e, -EACCES, "exec: \"%s\": %m", "/etc/passwd"), EACCES);
        ASSERT_STREQ(e.msg, "exec: \"/etc/passwd\": permission denied");
        ASSERT_EQ(e.code, -EACCES);
        /* The first message wins. */
        ASSERT_ERROR(sysrun_error_set(&e, -EBUSY, "other: %m"), EBUSY);
        ASSERT_STREQ(e.msg, "exec: \"/etc/passwd\": permission denied");
        ASSERT_ERROR(sysrun_error_prefix(&e, "exec failed"), EACCES);
        ASSERT_STREQ(e.msg, "exec failed: exec: \"/etc/passwd\": permission denied");
        sysrun_error_done(&e);
        ASSERT_NULL(e.msg);
        ASSERT_EQ(e.code, 0);
}

TEST(error_message_is_capped) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *big = malloc(1 << 20);
        size_t len;

        ASSERT_NOT_NULL(big);
        memset(big, 'x', (1 << 20) - 1);
        big[(1 << 20) - 1] = 0;
        /* A multi-byte character across the cut is not split. */
        memcpy(big + SYSRUN_MESSAGE_MAX - 8, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8);
        ASSERT_ERROR(sysrun_error_set(&e, -EINVAL, "value '%s'", big), EINVAL);
        len = strlen(e.msg);
        ASSERT_TRUE(len <= SYSRUN_MESSAGE_MAX);
        ASSERT_TRUE(len >= SYSRUN_MESSAGE_MAX - 4);
        ASSERT_STREQ(e.msg + len - strlen(ELLIPSIS), ELLIPSIS);
        ASSERT_TRUE(strncmp(e.msg, "value 'xxx", 10) == 0);
        ASSERT_TRUE(((unsigned char) e.msg[len - strlen(ELLIPSIS) - 1] & 0xC0) != 0xC0);

        sysrun_error_done(&e);
        ASSERT_ERROR(sysrun_error_set(&e, -EINVAL, "short '%s'", "y"), EINVAL);
        ASSERT_STREQ(e.msg, "short 'y'");
}

static char *last_log;
static void capture(int level, const char *msg) {
        (void) level;
        free(last_log);
        last_log = strdup(msg);
}

TEST(log_spells_m_like_runc) {
        sysrun_log_set_handler(capture, LOG_DEBUG);
        errno = EEXIST;
        sysrun_log(LOG_WARNING, "mkdir '%s': %m", "/x");
        ASSERT_STREQ(last_log, "mkdir '/x': file exists");
        ASSERT_EQ(errno, EEXIST);
        sysrun_log_set_handler(NULL, LOG_WARNING);
        free(last_log);
        last_log = NULL;
}

DEFINE_TEST_MAIN();
