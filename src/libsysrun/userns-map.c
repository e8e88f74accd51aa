/* SPDX-License-Identifier: Apache-2.0 */
#include "userns-map.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "strv.h"

extern char **environ;

bool idmap_is_own_id(const OciIdMapping *m, size_t n, uint32_t own_id) {
        return n == 1 && m[0].host_id == own_id && m[0].size == 1;
}

int idmap_helper_argv(const char *helper, pid_t pid, const OciIdMapping *m, size_t n, char ***ret) {
        _cleanup_strv_free_ char **argv = NULL;
        char buf[16];

        if (strv_extend(&argv, helper) < 0)
                return -ENOMEM;
        snprintf(buf, sizeof(buf), "%d", (int) pid);
        if (strv_extend(&argv, buf) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const uint32_t v[] = { m[i].container_id, m[i].host_id, m[i].size };
                for (size_t j = 0; j < ELEMENTSOF(v); j++) {
                        snprintf(buf, sizeof(buf), "%u", v[j]);
                        if (strv_extend(&argv, buf) < 0)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(argv);
        return 0;
}

/* The helper's output (its messages go to stderr, some to stdout), without the trailing newline and
 * with inner ones turned into "; ", for a one-line error. */
static void output_tidy(char *s) {
        size_t n = strlen(s);

        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
                s[--n] = 0;
        for (char *p = s; *p; p++)
                if (*p == '\n')
                        *p = ';';
}

/* Runs the helper with its stdout and stderr into a pipe; 0 when it exited 0, else an error that
 * quotes it. */
static int run_helper(
                const char *helper, const char *field, pid_t pid, const OciIdMapping *m, size_t n, SysrunError *e) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_close_ int rd = -EBADF, wr = -EBADF;
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        char out[1024] = "";
        size_t len = 0;
        sigset_t none, all;
        pid_t child;
        int fds[2], status, r;

        r = idmap_helper_argv(helper, pid, m, n, &argv);
        if (r < 0)
                return sysrun_error_set(e, r, "out of memory");
        if (pipe2(fds, O_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "%s: pipe: %m", field);
        rd = fds[0];
        wr = fds[1];

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, wr, STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, wr, STDERR_FILENO);
        posix_spawnattr_init(&attr);
        /* Not the signal mask and handlers of a create that blocks and forwards signals. */
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        r = posix_spawnp(&child, helper, &fa, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        if (r == ENOENT)
                return sysrun_error_set(
                                e, -ENOENT,
                                "%s: mapping more than your own id (%s %u) needs %s (Debian/Ubuntu package uidmap, "
                                "shadow-utils elsewhere), which is not in PATH",
                                field, streq(helper, "newuidmap") ? "uid" : "gid",
                                streq(helper, "newuidmap") ? (unsigned) geteuid() : (unsigned) getegid(),
                                helper);
        if (r != 0)
                return sysrun_error_set(e, -r, "%s: cannot run %s: %m", field, helper);
        wr = safe_close(wr);

        for (;;) {
                ssize_t k = read(rd, out + len, sizeof(out) - 1 - len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                len += (size_t) k;
                if (len == sizeof(out) - 1) {
                        char sink[256]; /* keep reading, or a chatty helper would block on a full pipe */
                        while (read(rd, sink, sizeof(sink)) > 0)
                                ;
                        break;
                }
        }
        out[len] = 0;
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return sysrun_error_set(e, -errno, "%s: cannot wait for %s: %m", field, helper);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        output_tidy(out);
        if (WIFEXITED(status))
                return sysrun_error_set(
                                e, -EPERM, "%s: %s failed (exit status %d): %s", field, helper,
                                WEXITSTATUS(status), *out ? out : "(no message)");
        return sysrun_error_set(
                        e, -EIO, "%s: %s killed by signal %d%s%s", field, helper, WTERMSIG(status),
                        *out ? ": " : "", out);
}

static int write_own(pid_t pid, const char *file, const char *field, const OciIdMapping *m, SysrunError *e) {
        char path[64], text[64];
        int r;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        snprintf(text, sizeof(text), "%u %u 1\n", m->container_id, m->host_id);
        r = write_string_file_at(AT_FDCWD, path, text);
        if (r < 0)
                return sysrun_error_set(e, r, "%s: cannot write %s: %m", field, file);
        return 0;
}

int idmap_write_unprivileged(pid_t pid, const OciLinux *l, SysrunError *e) {
        int r;

        if (idmap_is_own_id(l->uid_mappings, l->n_uid_mappings, (uint32_t) geteuid()))
                r = write_own(pid, "uid_map", "linux.uidMappings", l->uid_mappings, e);
        else
                r = run_helper("newuidmap", "linux.uidMappings", pid, l->uid_mappings, l->n_uid_mappings, e);
        if (r < 0)
                return r;

        if (!idmap_is_own_id(l->gid_mappings, l->n_gid_mappings, (uint32_t) getegid()))
                /* newgidmap leaves setgroups allowed: the container may set its groups. */
                return run_helper("newgidmap", "linux.gidMappings", pid, l->gid_mappings, l->n_gid_mappings, e);
        {
                char path[64];
                snprintf(path, sizeof(path), "/proc/%d/setgroups", (int) pid);
                /* The kernel's condition for an unprivileged gid_map. */
                r = write_string_file_at(AT_FDCWD, path, "deny");
                if (r < 0 && r != -ENOENT)
                        return sysrun_error_set(e, r, "linux.gidMappings: cannot write setgroups: %m");
        }
        return write_own(pid, "gid_map", "linux.gidMappings", l->gid_mappings, e);
}
