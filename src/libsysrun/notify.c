/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "fd-util.h"
#include "notify.h"
#include "strv.h"

#define NOTIFY_ENV "NOTIFY_SOCKET="
#define NOTIFY_CONTAINER_SOCKET NOTIFY_CONTAINER_DIR "/" NOTIFY_SOCKET_NAME
/* systemd reads at most this much of one notification. */
#define NOTIFY_MAX 4096

const char *notify_socket_host(void) {
        const char *s = getenv("NOTIFY_SOCKET");

        return !isempty(s) && (s[0] == '/' || s[0] == '@') ? s : NULL;
}

static int add_notify_mount(OciConfig *c, const char *source) {
        static const char *const options[] = { "bind", "nosuid", "noexec", "nodev", "ro" };
        OciMount *m = reallocarray(c->mounts, c->n_mounts + 1, sizeof(OciMount));

        if (!m)
                return -ENOMEM;
        c->mounts = m;
        m = &c->mounts[c->n_mounts];
        *m = (OciMount){};
        m->destination = strdup(NOTIFY_CONTAINER_DIR);
        m->source = strdup(source);
        m->type = strdup("bind");
        c->n_mounts++; /* from here oci_config_free() frees whatever was made */
        if (!m->destination || !m->source || !m->type)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(options); i++)
                if (strv_extend(&m->options, options[i]) < 0)
                        return -ENOMEM;
        return 0;
}

static int set_notify_env(OciProcess *p) {
        char *entry = strdup(NOTIFY_ENV NOTIFY_CONTAINER_SOCKET);

        if (!entry)
                return -ENOMEM;
        for (size_t i = 0; p->env && p->env[i]; i++)
                if (startswith(p->env[i], NOTIFY_ENV)) {
                        free(p->env[i]);
                        p->env[i] = entry;
                        return 0;
                }
        return strv_consume(&p->env, entry);
}

int notify_setup_config(int dirfd, const char *state_dir, OciConfig *c, SysrunError *e) {
        _cleanup_free_ char *source = NULL;
        int r;

        /* 0755: the container's processes, whatever their uid, reach the socket (0777) inside. */
        if (mkdirat(dirfd, NOTIFY_DIR, 0755) < 0 && errno != EEXIST)
                return sysrun_error_set(e, -errno, "cannot create the notify socket directory: %m");
        if (asprintf(&source, "%s/" NOTIFY_DIR, state_dir) < 0)
                return -ENOMEM;
        r = add_notify_mount(c, source);
        if (r >= 0 && c->process)
                r = set_notify_env(c->process);
        return r < 0 ? sysrun_error_set(e, r, "out of memory") : 0;
}

bool notify_configured(int dirfd) {
        return faccessat(dirfd, NOTIFY_DIR, F_OK, 0) == 0;
}

int notify_listen(int dirfd, SysrunError *e) {
        _cleanup_close_ int fd = -EBADF, dir = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char path[32];

        dir = openat(dirfd, NOTIFY_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return sysrun_error_set(e, -errno, "cannot open the notify socket directory: %m");
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return sysrun_error_set(e, -errno, "cannot create the notify socket: %m");
        /* Through the directory's fd: the state dir's own path may be longer than sun_path. */
        (void) snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/" NOTIFY_SOCKET_NAME, fd_path(path, dir));
        (void) unlinkat(dir, NOTIFY_SOCKET_NAME, 0); /* a start that was tried before */
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return sysrun_error_set(e, -errno, "cannot bind the notify socket: %m");
        if (fchmodat(dir, NOTIFY_SOCKET_NAME, 0777, 0) < 0)
                return sysrun_error_set(e, -errno, "cannot make the notify socket reachable: %m");
        return TAKE_FD(fd);
}

static bool notify_line_passes(const char *line, size_t n) {
        static const char *const exact[] = { "READY=1", "RELOADING=1", "STOPPING=1", "WATCHDOG=1",
                                             "WATCHDOG=trigger" };
        static const char *const prefixes[] = { "STATUS=", "ERRNO=", "BUSERROR=" };

        for (size_t i = 0; i < ELEMENTSOF(exact); i++)
                if (n == strlen(exact[i]) && memcmp(line, exact[i], n) == 0)
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (n >= strlen(prefixes[i]) && memcmp(line, prefixes[i], strlen(prefixes[i])) == 0)
                        return true;
        return false;
}

int notify_filter(const char *msg, size_t size, pid_t mainpid, char **ret, bool *ret_ready) {
        _cleanup_free_ char *out = malloc(size + 32);
        size_t len = 0;
        bool ready = false;

        if (!out)
                return -ENOMEM;
        for (const char *p = msg, *end = msg + size; p < end;) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);

                /* A NUL makes the rest of a line unreadable to systemd: the line goes. */
                if (!memchr(p, 0, n) && notify_line_passes(p, n)) {
                        memcpy(out + len, p, n);
                        len += n;
                        out[len++] = '\n';
                        if (n == strlen("READY=1") && memcmp(p, "READY=1", n) == 0 && !ready) {
                                ready = true;
                                len += (size_t) sprintf(out + len, "MAINPID=%d\n", (int) mainpid);
                        }
                }
                p += n + 1;
        }
        out[len] = 0;
        *ret_ready = ready;
        *ret = len > 0 ? TAKE_PTR(out) : NULL;
        return 0;
}

static void notify_send(const char *host, const char *msg) {
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t n = strlen(host);
        socklen_t len;

        if (fd < 0 || n >= sizeof(sa.sun_path))
                return;
        memcpy(sa.sun_path, host, n);
        if (host[0] == '@')
                sa.sun_path[0] = 0; /* abstract: the length, not a NUL, ends the name */
        len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + (host[0] == '@' ? 0 : 1));
        (void) sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *) &sa, len);
}

void notify_relay_pending(NotifyRelay *relay) {
        char buf[NOTIFY_MAX];

        if (!relay || relay->fd < 0)
                return;
        for (;;) {
                _cleanup_free_ char *out = NULL;
                ssize_t n = recv(relay->fd, buf, sizeof(buf), MSG_DONTWAIT);
                bool ready;

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return;
                if (notify_filter(buf, (size_t) n, relay->mainpid, &out, &ready) < 0 || !out)
                        continue;
                notify_send(relay->host, out);
                relay->ready = relay->ready || ready;
        }
}

int notify_relay_until_ready(NotifyRelay *relay, int pidfd, SysrunError *e) {
        while (!relay->ready) {
                struct pollfd p[2] = {
                        { .fd = relay->fd, .events = POLLIN },
                        { .fd = pidfd, .events = POLLIN },
                };

                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return sysrun_error_set(e, -errno, "poll: %m");
                }
                if (p[0].revents)
                        notify_relay_pending(relay);
                if (!relay->ready && p[1].revents)
                        return 0;
        }
        return 1;
}
