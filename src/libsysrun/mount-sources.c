/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "sync.h"
#include "mount-sources.h"
#include "proc.h"
#include "strv.h"

bool oci_mount_is_bind(const OciMount *m) {
        if (m->type && (streq(m->type, "bind") || streq(m->type, "rbind")))
                return true;
        STRV_FOREACH(opt, m->options)
                if (streq(*opt, "bind") || streq(*opt, "rbind"))
                        return true;
        return false;
}

bool oci_config_has_bind_mounts(const OciConfig *c) {
        for (size_t i = 0; i < c->n_mounts; i++)
                if (oci_mount_is_bind(&c->mounts[i]))
                        return true;
        return false;
}

int mount_sources_new(const OciConfig *c, MountSources *ret) {
        MountSources s = MOUNT_SOURCES_NULL;

        if (c->n_mounts > 0) {
                s.fds = malloc(c->n_mounts * sizeof(int));
                if (!s.fds)
                        return -ENOMEM;
                for (s.n = 0; s.n < c->n_mounts; s.n++)
                        s.fds[s.n] = -EBADF;
        }
        *ret = s;
        return 0;
}

int mount_sources_take(MountSources *s, size_t idx, int fd) {
        if (idx >= s->n || s->fds[idx] >= 0) {
                safe_close(fd);
                return -EINVAL;
        }
        s->fds[idx] = fd;
        return 0;
}

int mount_sources_get(const MountSources *s, size_t idx) {
        return s && idx < s->n ? s->fds[idx] : -EBADF;
}

void mount_sources_done(MountSources *s) {
        for (size_t i = 0; i < s->n; i++)
                safe_close(s->fds[i]);
        free(s->fds);
        *s = MOUNT_SOURCES_NULL;
}

/* The helper: in the init's mount namespace, our credentials and user namespace. */
static int send_all(const OciConfig *c, const char *bundle, int mntns_fd, int sock, SysrunError *e) {
        if (setns(mntns_fd, CLONE_NEWNS) < 0)
                return sysrun_error_set(e, -errno, "cannot join the container's mount namespace: %m");
        for (size_t i = 0; i < c->n_mounts; i++) {
                const OciMount *m = &c->mounts[i];
                _cleanup_free_ char *abs = NULL;
                _cleanup_close_ int fd = -EBADF;
                int r;

                if (!oci_mount_is_bind(m))
                        continue;
                if (!m->source)
                        return sysrun_error_set(e, -EINVAL, "mounts[%zu].source: required for a bind mount", i);
                if (m->source[0] != '/' && asprintf(&abs, "%s/%s", bundle, m->source) < 0)
                        return sysrun_error_set(e, -ENOMEM, "out of memory");
                fd = open(abs ?: m->source, O_PATH | O_CLOEXEC);
                if (fd < 0)
                        return sysrun_error_set(e, -errno, "mounts[%zu]: bind source '%s': %m", i, m->source);
                r = sync_send_fd(sock, SYNC_MOUNT_SOURCE, (int) i, fd);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot pass the bind sources to the container's init: %m");
        }
        return 0;
}

int mount_sources_send(const OciConfig *c, const char *bundle, pid_t init_pid, int sock, SysrunError *e) {
        _cleanup_close_ int mntns_fd = -EBADF, err_r = -EBADF, err_w = -EBADF;
        char path[64], buf[2048];
        int pipefd[2], status;
        ssize_t n;
        pid_t pid;

        if (!oci_config_has_bind_mounts(c))
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int) init_pid);
        mntns_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (mntns_fd < 0)
                return sysrun_error_set(e, -errno, "cannot open the container's mount namespace: %m");
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "pipe: %m");
        err_r = pipefd[0];
        err_w = pipefd[1];

        /* A child, so that sysrun itself never changes mount namespace. */
        pid = fork();
        if (pid < 0)
                return sysrun_error_set(e, -errno, "fork: %m");
        if (pid == 0) {
                SysrunError he = SYSRUN_ERROR_NULL;
                int r;

                /* Never outlives sysrun (an open of a hung network mount). */
                if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
                        _exit(1);
                r = send_all(c, bundle, mntns_fd, sock, &he);

                if (r < 0) {
                        int32_t code = r;
                        (void) loop_write(err_w, &code, sizeof(code));
                        (void) loop_write(err_w, he.msg ?: "", strlen(he.msg ?: ""));
                        _exit(1);
                }
                _exit(0);
        }
        err_w = safe_close(err_w);

        n = 0;
        for (;;) {
                ssize_t k = read(err_r, buf + n, sizeof(buf) - 1 - (size_t) n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0 || (size_t) (n += k) == sizeof(buf) - 1)
                        break;
        }
        status = wait_exit_status(pid);
        if (n >= (ssize_t) sizeof(int32_t)) {
                int32_t code;

                memcpy(&code, buf, sizeof(code));
                buf[n] = 0;
                return sysrun_error_set(e, code < 0 ? code : -EIO, "%s", buf + sizeof(code));
        }
        if (status != 0)
                return sysrun_error_set(e, -EIO, "cannot pass the bind sources to the container's init (status %d)",
                                        status);
        return 0;
}
