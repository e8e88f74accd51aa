/* SPDX-License-Identifier: Apache-2.0 */
#include <assert.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "errno-string.h"
#include "hooks.h"
#include "log.h"
#include "proc.h"
#include "signals.h"

#define HOOK_OUTPUT_MAX 4096

typedef struct HookOutput {
        int fd;
        size_t len;
        char buf[HOOK_OUTPUT_MAX + 1];
} HookOutput;

/* Reads what is there without blocking; keeps the first HOOK_OUTPUT_MAX bytes. */
static void output_drain(HookOutput *o) {
        char tmp[4096];

        while (o->fd >= 0) {
                ssize_t n = read(o->fd, tmp, sizeof(tmp));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return;
                if (n <= 0) {
                        o->fd = safe_close(o->fd);
                        return;
                }
                size_t take = (size_t) n < HOOK_OUTPUT_MAX - o->len ? (size_t) n : HOOK_OUTPUT_MAX - o->len;
                memcpy(o->buf + o->len, tmp, take);
                o->len += take;
                o->buf[o->len] = 0;
        }
}

static const char *output_text(HookOutput *o) {
        /* Trailing newlines make the one-line error message ugly. */
        while (o->len > 0 && (o->buf[o->len - 1] == '\n' || o->buf[o->len - 1] == '\r'))
                o->buf[--o->len] = 0;
        return o->buf;
}

static int64_t now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: stdio from the pipes, signals as a fresh process expects them, then the hook. A
 * failed execve sends its errno on exec_errno_fd (O_CLOEXEC: EOF once the hook runs). */
_noreturn_ static void hook_exec(const OciHook *h, pid_t parent, int in, int out, int err, int exec_errno_fd) {
        char *default_argv[] = { h->path, NULL };
        sigset_t none;
        int fds[3] = { in, out, err };

        /* A hook dies with the sysrun (or init) that waits for it: a killed create leaves none. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
                _exit(126);

        for (int s = 1; s < _NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        (void) signal(s, SIG_DFL);
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);

        /* Out of the way of 0..2 first, so that no dup2() clobbers a source. */
        for (int i = 0; i < 3; i++) {
                fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
                if (fds[i] < 0)
                        _exit(126);
        }
        for (int i = 0; i < 3; i++)
                if (dup2(fds[i], i) < 0)
                        _exit(126);
        /* Only stdio: no fd of sysrun's (nor the container's preserved ones) reaches a hook. */
        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                _exit(126);

        execve(h->path, h->args ?: default_argv, h->env ?: environ);
        {
                int saved = errno;
                (void) !write(exec_errno_fd, &saved, sizeof(saved));
        }
        _exit(127);
}

/* Go's os.ProcessState text, which runc's hook errors carry. */
static void describe_status(int status, char *buf, size_t size) {
        if (WIFEXITED(status))
                snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                snprintf(buf, size, "signal: %s%s", SIGNAL_STRING(WTERMSIG(status)),
                         WCOREDUMP(status) ? " (core dumped)" : "");
        else
                snprintf(buf, size, "wait status %d", status);
}

/* The errno of the hook's failed execve, or 0 when it ran. */
static int exec_errno_read(int fd) {
        int err = 0;
        ssize_t n;

        do
                n = read(fd, &err, sizeof(err));
        while (n < 0 && errno == EINTR);
        return n == (ssize_t) sizeof(err) ? err : 0;
}

static int hook_run_one(HookKind kind, size_t idx, const OciHook *h, const char *state, int cancel_fd,
                        SysrunError *e) {
        _cleanup_close_ int in_w = -EBADF, pidfd = -EBADF, exec_errno_r = -EBADF, exec_errno_w = -EBADF;
        HookOutput out = { .fd = -EBADF }, err = { .fd = -EBADF };
        int in_pipe[2] = { -EBADF, -EBADF }, out_pipe[2] = { -EBADF, -EBADF },
            err_pipe[2] = { -EBADF, -EBADF };
        size_t state_len = strlen(state), written = 0;
        int64_t deadline = h->timeout.set ? now_ms() + h->timeout.value * 1000 : -1;
        sigset_t pipe_set, old_mask;
        bool timed_out = false, canceled = false;
        int exec_errno_pipe[2] = { -EBADF, -EBADF };
        char what[128];
        pid_t pid, parent = getpid();
        int status = 0, exec_err, r;

        if (pipe2(in_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC | O_NONBLOCK) < 0 ||
            pipe2(err_pipe, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(exec_errno_pipe, O_CLOEXEC) < 0) {
                r = -errno;
                goto fail_pipes;
        }
        exec_errno_r = exec_errno_pipe[0];
        exec_errno_w = exec_errno_pipe[1];

        /* A hook that exits without reading its stdin must not kill us with SIGPIPE (crun 1.8
         * dies there): SIGPIPE stays blocked while we write and a pending one is consumed. */
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        (void) sigprocmask(SIG_BLOCK, &pipe_set, &old_mask);

        pid = fork();
        if (pid < 0) {
                r = -errno;
                (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
                goto fail_pipes;
        }
        if (pid == 0)
                hook_exec(h, parent, in_pipe[0], out_pipe[1], err_pipe[1], exec_errno_w);
        exec_errno_w = safe_close(exec_errno_w);

        safe_close(in_pipe[0]);
        safe_close(out_pipe[1]);
        safe_close(err_pipe[1]);
        in_w = in_pipe[1];
        out.fd = out_pipe[0];
        err.fd = err_pipe[0];
        (void) fcntl(in_w, F_SETFL, O_NONBLOCK);

        /* Our own child, not reaped yet: the pid cannot be reused under us. */
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
                r = -errno;
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                goto fail;
        }

        for (;;) {
                struct pollfd p[5] = {
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = in_w, .events = POLLOUT },
                        { .fd = out.fd, .events = POLLIN },
                        { .fd = err.fd, .events = POLLIN },
                        { .fd = cancel_fd, .events = POLLIN },
                };
                int timeout = -1, n;

                if (deadline >= 0) {
                        int64_t left = deadline - now_ms();
                        timeout = left > 0 ? (int) left : 0;
                }
                n = poll(p, ELEMENTSOF(p), timeout);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        (void) pidfd_send(pidfd, SIGKILL);
                        (void) waitpid(pid, NULL, 0);
                        goto fail;
                }
                if (n == 0 || (p[4].revents & POLLIN)) {
                        timed_out = n == 0;
                        canceled = n > 0;
                        (void) pidfd_send(pidfd, SIGKILL);
                        break;
                }
                if (in_w >= 0 && p[1].revents) {
                        ssize_t k = write(in_w, state + written, state_len - written);
                        if (k < 0 && errno == EPIPE) {
                                struct timespec zero = {};
                                (void) sigtimedwait(&pipe_set, NULL, &zero);
                                in_w = safe_close(in_w);
                        } else if (k < 0 && errno != EINTR && errno != EAGAIN)
                                in_w = safe_close(in_w);
                        else if (k > 0) {
                                written += (size_t) k;
                                if (written == state_len)
                                        in_w = safe_close(in_w); /* EOF for the hook */
                        }
                }
                if (p[2].revents)
                        output_drain(&out);
                if (p[3].revents)
                        output_drain(&err);
                if (p[0].revents & POLLIN)
                        break;
        }

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        r = -errno;
                        goto fail;
                }
        in_w = safe_close(in_w);
        (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
        /* Whatever the hook wrote before it exited; a daemon it left may hold the pipes open. */
        output_drain(&out);
        output_drain(&err);
        safe_close(out.fd);
        safe_close(err.fd);

        if (canceled)
                return sysrun_error_set(e, -ECANCELED, "%s hook #%zu (%s) canceled", hook_kind_to_string(kind),
                                        idx, h->path);
        /* runc's words (its Hook.Run and HookList.RunHooks): callers and their tests match them. */
        exec_err = exec_errno_read(exec_errno_r);
        if (exec_err > 0)
                return sysrun_error_set(e, -exec_err, "error running hook #%zu: fork/exec %s: %m", idx, h->path);
        if (timed_out)
                return sysrun_error_set(e, -ETIMEDOUT, "error running hook #%zu: hook ran past specified timeout of %.1fs",
                                        idx, (double) h->timeout.value);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                if (out.len > 0 || err.len > 0)
                        sysrun_log(LOG_DEBUG, "%s hook #%zu (%s): stdout: %s, stderr: %s",
                                   hook_kind_to_string(kind), idx, h->path, output_text(&out),
                                   output_text(&err));
                return 0;
        }
        describe_status(status, what, sizeof(what));
        /* runc also keeps the hook's trailing newlines; one line reads better on a terminal. */
        return sysrun_error_set(e, -EIO, "error running hook #%zu: error running hook: %s, stdout: %s, stderr: %s",
                                idx, what, output_text(&out), output_text(&err));

fail:
        (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
        safe_close(out.fd);
        safe_close(err.fd);
        return sysrun_error_set(e, r, "error running hook #%zu: %s hook '%s': %m", idx, hook_kind_to_string(kind),
                                h->path);
fail_pipes:
        for (int i = 0; i < 2; i++) {
                safe_close(in_pipe[i]);
                safe_close(out_pipe[i]);
                safe_close(err_pipe[i]);
        }
        return sysrun_error_set(e, r, "error running hook #%zu: %s hook '%s': %m", idx, hook_kind_to_string(kind),
                                h->path);
}

static int hooks_run_until(const OciConfig *c, HookKind kind, const char *state_json, int cancel_fd,
                           SysrunError *e) {
        assert(kind >= 0 && kind < _HOOK_KIND_MAX);

        for (size_t i = 0; c && i < c->n_hooks[kind]; i++) {
                SysrunError he = SYSRUN_ERROR_NULL;
                int r;

                r = hook_run_one(kind, i, &c->hooks[kind][i], state_json, cancel_fd, &he);
                if (r < 0 && kind == HOOK_POSTSTOP) {
                        /* runtime-spec: a poststop failure is a warning, the rest still run. */
                        sysrun_log(LOG_WARNING, "%s", he.msg ?: ERRNO_STRING(r));
                        sysrun_error_done(&he);
                        continue;
                }
                if (r < 0) {
                        if (e && !e->msg) {
                                *e = he;
                                return r;
                        }
                        sysrun_error_done(&he);
                        return r;
                }
        }
        return 0;
}

int hooks_run(const OciConfig *c, HookKind kind, const char *state_json, SysrunError *e) {
        return hooks_run_until(c, kind, state_json, -EBADF, e);
}

int hooks_run_state_until(const OciConfig *c, HookKind kind, const ContainerState *s, ContainerStatus status,
                          int cancel_fd, SysrunError *e) {
        _cleanup_free_ char *json = NULL;

        if (!hooks_any(c, kind))
                return 0;
        json = state_to_json(s, status, false);
        if (!json)
                return sysrun_error_set(e, -ENOMEM, "cannot build the state for the %s hooks",
                                        hook_kind_to_string(kind));
        return hooks_run_until(c, kind, json, cancel_fd, e);
}

int hooks_run_state(const OciConfig *c, HookKind kind, const ContainerState *s, ContainerStatus status,
                    SysrunError *e) {
        return hooks_run_state_until(c, kind, s, status, -EBADF, e);
}
