/* SPDX-License-Identifier: Apache-2.0 */
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd-util.h"
#include "sync.h"

int sync_send(int fd, SyncType type, int value, const char *text) {
        SyncMsg m = { .type = type, .value = value };
        size_t len = offsetof(SyncMsg, text);

        if (text) {
                snprintf(m.text, sizeof(m.text), "%s", text);
                len += strlen(m.text) + 1;
        }
        if (send(fd, &m, len, MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

int sync_recv(int fd, SyncMsg *ret) {
        ssize_t n;

        for (;;) {
                n = recv(fd, ret, sizeof(*ret) - 1, MSG_CMSG_CLOEXEC);
                if (n < 0 && errno == EINTR)
                        continue;
                break;
        }
        if (n < 0)
                return -errno;
        if (n < (ssize_t) offsetof(SyncMsg, text))
                return -EPIPE; /* EOF: the peer is gone */
        ((char *) ret)[n] = 0;
        if ((size_t) n == offsetof(SyncMsg, text))
                ret->text[0] = 0;
        return 0;
}

int sync_send_fd(int fd, SyncType type, int value, int pass_fd) {
        SyncMsg m = { .type = type, .value = value };

        return send_fd(fd, pass_fd, &m, offsetof(SyncMsg, text));
}

int sync_recv_fd(int fd, SyncMsg *ret, int *ret_fd) {
        ssize_t n = recv_fd(fd, ret, sizeof(*ret), ret_fd);

        if (n < 0)
                return (int) n;
        if (n < (ssize_t) offsetof(SyncMsg, text)) {
                *ret_fd = safe_close(*ret_fd);
                return -EPIPE; /* EOF: the peer is gone */
        }
        if ((size_t) n == offsetof(SyncMsg, text))
                ret->text[0] = 0;
        return 0;
}

int sync_expect(int fd, SyncType type, int *ret_value, SysrunError *e) {
        SyncMsg m;
        int r;

        r = sync_recv(fd, &m);
        if (r < 0)
                return r;
        if (m.type == SYNC_ERROR)
                return sysrun_error_set(e, m.value < 0 ? m.value : -EIO, "%s", m.text);
        if (m.type != type)
                return sysrun_error_set(e, -EPROTO, "unexpected message %u from the init (wanted %u)", m.type, type);
        if (ret_value)
                *ret_value = m.value;
        return 0;
}

void sync_die_with_parent(int sync_fd) {
        struct pollfd p = { .fd = sync_fd, .events = POLLRDHUP };

        /* SIGKILL reaches even a pid namespace's init: it comes from outside the namespace. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                _exit(1);
        /* getppid() says nothing in a new pid namespace (0 either way). sysrun closes its end of the
         * socket before the kernel looks for children to signal, so a hang-up here means the signal
         * was missed. */
        if (poll(&p, 1, 0) != 0 && (p.revents & (POLLHUP | POLLRDHUP)))
                _exit(1);
}
