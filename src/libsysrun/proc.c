/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "proc.h"

int proc_stat_parse(const char *text, char *ret_state, unsigned *ret_flags, uint64_t *ret_start_time) {
        unsigned long long start = 0;
        unsigned flags = 0;
        const char *p;
        char state;

        /* comm may contain spaces and parentheses: fields restart after the last ')'. */
        p = strrchr(text, ')');
        if (!p || p[1] != ' ')
                return -EIO;
        /* state is field 3, flags field 9, starttime field 22. */
        if (sscanf(p + 2, "%c %*d %*d %*d %*d %*d %u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &state,
                   &flags, &start) != 3)
                return -EIO;
        if (ret_state)
                *ret_state = state;
        if (ret_flags)
                *ret_flags = flags;
        if (ret_start_time)
                *ret_start_time = start;
        return 0;
}

static int proc_stat_full(pid_t pid, char *ret_state, unsigned *ret_flags, uint64_t *ret_start_time) {
        _cleanup_free_ char *buf = NULL;
        char path[64];
        int r;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 4096, &buf, NULL);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        return proc_stat_parse(buf, ret_state, ret_flags, ret_start_time);
}

int proc_stat(pid_t pid, char *ret_state, uint64_t *ret_start_time) {
        return proc_stat_full(pid, ret_state, NULL, ret_start_time);
}

bool proc_status_sigkill_pending(const char *text) {
        static const char *const keys[] = { "\nSigPnd:", "\nShdPnd:" };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const char *p = strstr(text, keys[i]);
                unsigned long long mask;

                if (p && sscanf(p + strlen(keys[i]), "%llx", &mask) == 1 && (mask & (1ULL << (SIGKILL - 1))))
                        return true;
        }
        return false;
}

/* PF_EXITING (include/linux/sched.h): set as the task enters do_exit(). */
#define PROC_PF_EXITING 0x00000004U

int proc_is_alive(pid_t pid, uint64_t start_time) {
        _cleanup_free_ char *status = NULL;
        unsigned flags;
        uint64_t st;
        char state, path[64];
        int r;

        if (pid <= 0)
                return 0;
        r = proc_stat_full(pid, &state, &flags, &st);
        if (r == -ESRCH)
                return 0;
        if (r < 0)
                return r;
        if (st != start_time || state == 'Z' || state == 'X' || (flags & PROC_PF_EXITING))
                return 0;
        /* kill(2) with SIGKILL returns before the target runs again: doomed from that moment, so
         * that `state` right after `kill ID KILL` (from us or anyone) says stopped. */
        snprintf(path, sizeof(path), "/proc/%d/status", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 16384, &status, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return !proc_status_sigkill_pending(status);
}

int pidfd_open_checked(pid_t pid, uint64_t start_time) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (pid <= 0)
                return -ESRCH;
        fd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (fd < 0)
                return -errno;
        /* Verified after opening: from here on the pidfd pins this exact process. */
        uint64_t st;
        r = proc_stat(pid, NULL, &st);
        if (r < 0)
                return r;
        if (st != start_time)
                return -ESRCH;
        return TAKE_FD(fd);
}

int pidfd_send(int pidfd, int sig) {
        if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
                return -errno;
        return 0;
}

int pidfd_wait(int pidfd, int timeout_ms) {
        struct pollfd p = { .fd = pidfd, .events = POLLIN };

        for (;;) {
                int n = poll(&p, 1, timeout_ms);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                return n == 0 ? -ETIMEDOUT : 0;
        }
}

int exit_status_from_wait(int status) {
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return 255;
}

int wait_exit_status(pid_t pid) {
        int status;

        for (;;) {
                if (waitpid(pid, &status, 0) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                return exit_status_from_wait(status);
        }
}
