/* SPDX-License-Identifier: Apache-2.0 */
/* sd-notify ASSIGNMENT...: sends "A\nB\n…" to $NOTIFY_SOCKET, as systemd-notify does. Built static,
 * so that it runs inside a busybox container. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv) {
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char msg[4096] = "";
        size_t len = 0;
        int fd;

        if (!path || strlen(path) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "sd-notify: NOTIFY_SOCKET is not set\n");
                return 1;
        }
        for (int i = 1; i < argc; i++)
                len += (size_t) snprintf(msg + len, sizeof(msg) - len, "%s\n", argv[i]);
        strcpy(sa.sun_path, path);
        if (path[0] == '@')
                sa.sun_path[0] = 0;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, msg, len, 0, (struct sockaddr *) &sa,
                             (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(path) + (path[0] != '@'))) < 0) {
                perror("sd-notify");
                return 1;
        }
        return 0;
}
