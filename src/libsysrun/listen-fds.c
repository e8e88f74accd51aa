/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "listen-fds.h"
#include "macro.h"
#include "strv.h"

unsigned listen_fds_inherited(void) {
        const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
        unsigned long p, n;
        char *end;

        if (!pid || !fds)
                return 0;
        errno = 0;
        p = strtoul(pid, &end, 10);
        if (errno || *end || p != (unsigned long) getpid())
                return 0; /* meant for another process */
        n = strtoul(fds, &end, 10);
        if (errno || *end || n > 4096)
                return 0;
        for (unsigned long i = 0; i < n; i++)
                if (fcntl(3 + (int) i, F_GETFD) < 0)
                        return (unsigned) i; /* only what really is there */
        return (unsigned) n;
}

int listen_fds_env(char *const *env, unsigned n, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *names = getenv("LISTEN_FDNAMES");
        char *s;

        STRV_FOREACH(v, env)
                if (!startswith(*v, "LISTEN_FDS=") && !startswith(*v, "LISTEN_PID=") &&
                    !startswith(*v, "LISTEN_FDNAMES=") && strv_extend(&l, *v) < 0)
                        return -ENOMEM;
        if (asprintf(&s, "LISTEN_FDS=%u", n) < 0 || strv_consume(&l, s) < 0)
                return -ENOMEM;
        /* The pid the process will have, in its own pid namespace. */
        if (asprintf(&s, "LISTEN_PID=%d", (int) getpid()) < 0 || strv_consume(&l, s) < 0)
                return -ENOMEM;
        if (names && (asprintf(&s, "LISTEN_FDNAMES=%s", names) < 0 || strv_consume(&l, s) < 0))
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}
