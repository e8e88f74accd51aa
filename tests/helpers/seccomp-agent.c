/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal seccomp agent for the integration tests: listens on a unix socket, receives the
 * runtime-spec containerProcessState with the listener fd, writes the state JSON to a file and
 * answers every notification for mkdir/mkdirat with the given errno (0: pretend success, without
 * making the directory). Anything else is let through. Exits when the container is gone.
 *
 * usage: seccomp-agent SOCKET STATE-FILE ERRNO */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int receive(int conn, char *buf, size_t size, int *ret_fd) {
        union {
                struct cmsghdr h;
                char b[CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
        struct msghdr mh = { .msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = control.b,
                             .msg_controllen = sizeof(control.b) };
        ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
        struct cmsghdr *c;

        if (n <= 0)
                return -1;
        buf[n] = 0;
        /* The rest of a long state arrives without the fd. */
        while ((size_t) n < size - 1) {
                ssize_t m = recv(conn, buf + n, size - 1 - (size_t) n, MSG_DONTWAIT);
                if (m <= 0)
                        break;
                n += m;
                buf[n] = 0;
        }
        c = CMSG_FIRSTHDR(&mh);
        if (!c || c->cmsg_type != SCM_RIGHTS)
                return -1;
        memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
        return 0;
}

int main(int argc, char **argv) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        static char state[1 << 16];
        int lsock, conn, fd, err;
        FILE *f;

        if (argc != 4 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "usage: seccomp-agent SOCKET STATE-FILE ERRNO\n");
                return 2;
        }
        err = atoi(argv[3]);
        strcpy(sa.sun_path, argv[1]);
        unlink(argv[1]);
        lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lsock < 0 || bind(lsock, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(lsock, 1) < 0) {
                perror("seccomp-agent: listen");
                return 1;
        }
        printf("ready\n");
        fflush(stdout);
        conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0 || receive(conn, state, sizeof(state), &fd) < 0) {
                perror("seccomp-agent: receive");
                return 1;
        }
        close(conn);
        close(lsock);
        unlink(argv[1]);
        f = fopen(argv[2], "we");
        if (!f || fputs(state, f) < 0 || fclose(f) != 0) {
                perror("seccomp-agent: state file");
                return 1;
        }

        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                struct seccomp_notif req;
                struct seccomp_notif_resp resp;

                if (poll(&p, 1, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return 1;
                }
                if (!(p.revents & POLLIN))
                        return 0; /* POLLHUP: every task of the filter is gone */
                memset(&req, 0, sizeof(req));
                if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
                        if (errno == EINTR || errno == ENOENT)
                                continue;
                        return errno == EBADF ? 0 : 1;
                }
                memset(&resp, 0, sizeof(resp));
                resp.id = req.id;
                if (req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat)
                        resp.error = -err;
                else
                        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
                        return 1;
        }
}
