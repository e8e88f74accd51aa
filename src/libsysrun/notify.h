/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* sd_notify relay, as runc does it: when sysrun runs with NOTIFY_SOCKET set, the container gets a
 * socket of sysrun's (<state dir>/notify/notify.sock, bound read-only at /run/notify, with
 * NOTIFY_SOCKET=/run/notify/notify.sock in its environment), and sysrun passes what the container
 * says on to its own NOTIFY_SOCKET, with MAINPID= naming the container's init. run relays for the
 * container's life; create + start binds the socket in start, which returns once READY=1 came (or the
 * container died). */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#include "config.h"
#include "error.h"

#define NOTIFY_DIR "notify"
#define NOTIFY_SOCKET_NAME "notify.sock"
#define NOTIFY_CONTAINER_DIR "/run/notify"

/* sysrun's own NOTIFY_SOCKET (a path, or "@name" for an abstract socket), or NULL. */
const char *notify_socket_host(void);

/* Makes <state dir>/notify (dirfd: the state dir, whose host path is state_dir) and adds to c the
 * read-only bind of it at /run/notify and NOTIFY_SOCKET to process.env (replacing one it had). */
int notify_setup_config(int dirfd, const char *state_dir, OciConfig *c, SysrunError *reterr_error);
/* Whether the container was created with the relay's directory. */
bool notify_configured(int dirfd);
/* Binds the container's socket in <state dir>/notify: a non-blocking datagram socket fd. */
int notify_listen(int dirfd, SysrunError *reterr_error);

/* What sysrun passes on of one datagram from the container: its READY=1, STATUS=, RELOADING=1,
 * STOPPING=1, WATCHDOG=1 / WATCHDOG=trigger, ERRNO= and BUSERROR= lines, in order, with
 * MAINPID=<mainpid> after READY=1; nothing else (the container may not set the service's MAINPID,
 * FDSTORE or watchdog timeout). *ret is NULL when nothing is left. *ret_ready tells whether READY=1
 * was there. Pure. */
int notify_filter(const char *msg, size_t size, pid_t mainpid, char **ret, bool *ret_ready);

typedef struct NotifyRelay {
        int fd;           /* the container's socket; -EBADF: no relay */
        const char *host; /* where to pass it on */
        pid_t mainpid;
        bool ready;       /* READY=1 was passed on */
} NotifyRelay;

static inline void notify_relay_done(NotifyRelay *relay) {
        if (relay->fd >= 0)
                (void) close(relay->fd);
        relay->fd = -EBADF;
}

/* Reads every datagram waiting on relay->fd and passes each on. Failures to send are ignored: the
 * service manager may be gone, and the container must not notice. */
void notify_relay_pending(NotifyRelay *relay);
/* Relays until READY=1 was passed on (1) or the process behind pidfd exited (0). */
int notify_relay_until_ready(NotifyRelay *relay, int pidfd, SysrunError *reterr_error);
