/* SPDX-License-Identifier: Apache-2.0 */
/* A console-socket receiver for the integration tests, speaking runc's protocol (one message, the
 * pty's name as payload, the master as SCM_RIGHTS): listens on SOCKET, takes one connection and
 * the master from it, writes INPUT to the terminal (when given) and copies everything the
 * container's side writes to stdout until that side is closed (EIO) or TIMEOUT seconds pass.
 * The pty's name goes to stderr as "name: …".
 *
 * With -P it takes any fd (--pidfd-socket) and prints "<name> <pid>", the pid from the fd's fdinfo.
 *
 * usage: recvtty [-P] [-i INPUT] [-t TIMEOUT] SOCKET */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int receive_master(int conn, char *name, size_t size) {
        union {
                struct cmsghdr h;
                char b[CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov = { .iov_base = name, .iov_len = size - 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
                             .msg_controllen = sizeof(control.b) };
        struct cmsghdr *c;
        ssize_t n;
        int fd;

        n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
        if (n <= 0)
                return -1;
        name[n] = 0;
        c = CMSG_FIRSTHDR(&mh);
        if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                return -1;
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
        return fd;
}

int main(int argc, char **argv) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        const char *input = NULL;
        int timeout = 10, opt, sock, conn, master, pidfd_mode = 0;
        char name[4096], buf[4096];
        time_t deadline;

        while ((opt = getopt(argc, argv, "Pi:t:")) >= 0) {
                if (opt == 'P')
                        pidfd_mode = 1;
                else if (opt == 'i')
                        input = optarg;
                else if (opt == 't')
                        timeout = atoi(optarg);
                else
                        return 2;
        }
        if (optind != argc - 1 || strlen(argv[optind]) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "usage: recvtty [-P] [-i INPUT] [-t TIMEOUT] SOCKET\n");
                return 2;
        }
        strcpy(sa.sun_path, argv[optind]);
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || bind(sock, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(sock, 1) < 0) {
                perror("recvtty: socket");
                return 1;
        }
        deadline = time(NULL) + timeout;

        conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
                perror("recvtty: accept");
                return 1;
        }
        master = receive_master(conn, name, sizeof(name));
        if (master < 0) {
                fprintf(stderr, "recvtty: no fd received\n");
                return 1;
        }
        close(conn);
        close(sock);
        unlink(argv[optind]);
        if (pidfd_mode) {
                char path[64], line[256];
                FILE *f;

                snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", master);
                f = fopen(path, "re");
                while (f && fgets(line, sizeof(line), f))
                        if (strncmp(line, "Pid:", 4) == 0) {
                                printf("%s %d\n", name, atoi(line + 4));
                                return 0;
                        }
                fprintf(stderr, "recvtty: the fd is no pidfd\n");
                return 1;
        }
        fprintf(stderr, "name: %s\n", name);

        if (input && write(master, input, strlen(input)) < 0) {
                perror("recvtty: write");
                return 1;
        }
        for (;;) {
                struct pollfd p = { .fd = master, .events = POLLIN };
                int left = (int) (deadline - time(NULL));
                ssize_t n;

                if (left <= 0 || poll(&p, 1, left * 1000) == 0) {
                        fprintf(stderr, "recvtty: timed out\n");
                        return 1;
                }
                n = read(master, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break; /* EIO: every slave fd is closed, the process is gone */
                if (fwrite(buf, 1, (size_t) n, stdout) != (size_t) n)
                        return 1;
                fflush(stdout);
        }
        return 0;
}
