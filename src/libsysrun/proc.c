/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "proc.h"

int proc_stat(pid_t pid, char *ret_state, uint64_t *ret_start_time) {
        _cleanup_free_ char *buf = NULL;
        unsigned long long start = 0;
        char path[64], state;
        const char *p;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 4096, &buf, NULL);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;

        /* comm may contain spaces and parentheses: fields restart after the last ')'. */
        p = strrchr(buf, ')');
        if (!p)
                return -EIO;
        /* state is field 3, starttime field 22: 19 fields after the state. */
        if (sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                   &state, &start) != 2)
                return -EIO;
        if (ret_state)
                *ret_state = state;
        if (ret_start_time)
                *ret_start_time = start;
        return 0;
}

int proc_is_alive(pid_t pid, uint64_t start_time) {
        uint64_t st;
        char state;
        int r;

        if (pid <= 0)
                return 0;
        r = proc_stat(pid, &state, &st);
        if (r == -ESRCH)
                return 0;
        if (r < 0)
                return r;
        return st == start_time && state != 'Z' && state != 'X';
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
