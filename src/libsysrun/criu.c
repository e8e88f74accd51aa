/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criu.h"
#include "fd-util.h"
#include "macro.h"
#include "proc.h"
#include "strv.h"

static bool executable(const char *p) {
        return access(p, X_OK) == 0;
}

int criu_find(const char *path, char **ret, SysrunError *e) {
        const char *p = path ?: getenv("SYSRUN_CRIU");
        _cleanup_free_ char *dirs = NULL;
        char *s, *save = NULL;

        if (p && strchr(p, '/')) {
                if (!executable(p))
                        return sysrun_error_set(e, -ENOENT, "criu is not installed (package criu): '%s': %m", p);
                return (*ret = strdup(p)) ? 0 : -ENOMEM;
        }
        dirs = strdup(getenv("PATH") ?: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!dirs)
                return -ENOMEM;
        for (s = strtok_r(dirs, ":", &save); s; s = strtok_r(NULL, ":", &save)) {
                _cleanup_free_ char *c = NULL;
                if (asprintf(&c, "%s/%s", s, p ?: "criu") < 0)
                        return -ENOMEM;
                if (executable(c)) {
                        *ret = TAKE_PTR(c);
                        return 0;
                }
        }
        return sysrun_error_set(e, -ENOENT, "criu is not installed (package criu): no '%s' in $PATH", p ?: "criu");
}

/* The line to quote from criu's output: its first "Error" line (the cause; the later ones say what
 * failed because of it), else its last line. */
static char *error_line(char *text) {
        char *last = NULL, *save = NULL;

        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                if (strstr(l, "Error ("))
                        return l;
                last = l;
        }
        return last;
}

/* Runs argv with stdout and stderr in *ret_output (when not NULL; else both to /dev/null) and stdin
 * from /dev/null; returns the exit status (128+N for signal N). */
static int run(char *const *argv, char **ret_output, SysrunError *e) {
        _cleanup_close_ int rd = -EBADF, wr = -EBADF;
        _cleanup_free_ char *out = NULL;
        size_t n = 0, size = 0;
        int fds[2], status;
        pid_t pid;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "pipe: %m");
        rd = fds[0];
        wr = fds[1];
        pid = fork();
        if (pid < 0)
                return sysrun_error_set(e, -errno, "fork: %m");
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(wr, STDOUT_FILENO) < 0 ||
                    dup2(wr, STDERR_FILENO) < 0)
                        _exit(127);
                execv(argv[0], argv);
                dprintf(STDERR_FILENO, "exec '%s': %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        wr = safe_close(wr);
        for (;;) {
                ssize_t k;
                if (size - n < 4096) {
                        char *p = realloc(out, size + 65536);
                        if (!p)
                                break;
                        out = p;
                        size += 65536;
                }
                k = read(rd, out + n, size - n - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                n += (size_t) k;
        }
        if (out)
                out[n] = 0;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return sysrun_error_set(e, -errno, "waitpid: %m");
        if (ret_output)
                *ret_output = out ? TAKE_PTR(out) : strdup("");
        return exit_status_from_wait(status);
}

int criu_check(const char *criu, SysrunError *e) {
        _cleanup_free_ char *out = NULL;
        char *argv[] = { (char *) criu, (char *) "check", NULL };
        int r;

        r = run(argv, &out, e);
        if (r < 0)
                return r;
        if (r == 0)
                return 0;
        return sysrun_error_set(e, -EOPNOTSUPP, "criu check failed (exit %d), checkpoint/restore cannot work on this kernel: %s",
                                r, (out ? error_line(out) : NULL) ?: "no output");
}

#define CRIU_CHECK_CACHE "/run/sysrun/.criu-check"

/* What `criu check` said for this binary in this boot: features is asked often (podman asks on
 * each start), and a full check takes a good part of a second on some machines. */
static char *criu_check_key(const char *criu) {
        _cleanup_free_ char *boot = NULL;
        struct stat st;
        char *key;

        if (stat(criu, &st) < 0 ||
            read_full_file_at(AT_FDCWD, "/proc/sys/kernel/random/boot_id", 64, &boot, NULL) < 0)
                return NULL;
        boot[strcspn(boot, "\n")] = 0;
        if (asprintf(&key, "%s %s %llu %lld %lld", boot, criu, (unsigned long long) st.st_ino,
                     (long long) st.st_size, (long long) st.st_mtim.tv_sec) < 0)
                return NULL;
        return key;
}

bool criu_available(const char *path) {
        _cleanup_free_ char *criu = NULL, *key = NULL, *cached = NULL, *entry = NULL;
        _cleanup_close_ int dirfd = -EBADF;
        bool ok;

        if (criu_find(path, &criu, NULL) < 0)
                return false;
        key = geteuid() == 0 ? criu_check_key(criu) : NULL;
        if (key && read_full_file_at(AT_FDCWD, CRIU_CHECK_CACHE, 4096, &cached, NULL) >= 0) {
                size_t n = strlen(key);
                if (strncmp(cached, key, n) == 0 && cached[n] == ' ')
                        return startswith(cached + n + 1, "ok") != NULL;
        }
        ok = criu_check(criu, NULL) >= 0;
        /* Kept only where sysrun keeps its state anyway; never made for this. */
        if (key && asprintf(&entry, "%s %s\n", key, ok ? "ok" : "failed") >= 0 &&
            (dirfd = open("/run/sysrun", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
                (void) write_file_atomic_at(dirfd, ".criu-check", entry, strlen(entry), 0600);
        return ok;
}

int criu_failed(const char *command, int status, const char *out, const char *log_path, SysrunError *e) {
        _cleanup_free_ char *log = NULL, *copy = out ? strdup(out) : NULL;
        const char *line;

        if (log_path)
                (void) read_full_file_at(AT_FDCWD, log_path, 64 << 20, &log, NULL);
        line = log ? error_line(log) : NULL;
        if (!line && copy)
                line = error_line(copy);
        return sysrun_error_set(e, -EIO, "criu %s failed (exit %d): %s%s%s%s", command, status, line ?: "no output",
                                log_path ? " (log: " : "", log_path ?: "", log_path ? ")" : "");
}

int criu_execute(char *const *argv, const char *log_path, SysrunError *e) {
        _cleanup_free_ char *out = NULL;
        int r;

        r = run(argv, &out, e);
        if (r <= 0)
                return r;
        return criu_failed(argv[1], r, out, log_path, e);
}

static bool is_bind(const OciMount *m) {
        if (streq_ptr(m->type, "bind"))
                return true;
        STRV_FOREACH(o, m->options)
                if (streq(*o, "bind") || streq(*o, "rbind"))
                        return true;
        return false;
}

/* A cgroup mount outside a cgroup namespace is a bind of the host's cgroup2 mount (mounts.c), whose
 * sharing criu cannot see from inside: external, as runc makes cgroup v1 binds. */
static bool is_cgroup_bind(const OciConfig *c, const OciMount *m) {
        return (streq_ptr(m->type, "cgroup") || streq_ptr(m->type, "cgroup2")) &&
               !oci_config_find_namespace(c, NAMESPACE_CGROUP);
}

int criu_external_mount_add(CriuExternalMount **l, size_t *n, const char *key, const char *value) {
        CriuExternalMount *p = realloc(*l, (*n + 1) * sizeof(**l));

        if (!p)
                return -ENOMEM;
        p[(*n)++] = (CriuExternalMount) { .key = key, .value = value };
        *l = p;
        return 0;
}

int criu_dump_mounts(const OciConfig *c, bool (*masked_is_file)(const char *path, void *userdata), void *userdata,
                     CriuExternalMount **ret, size_t *ret_n) {
        _cleanup_free_ CriuExternalMount *l = NULL;
        const OciLinux *lx = c->linux_section;
        size_t n = 0;
        int r = 0;

        for (size_t i = 0; i < c->n_mounts; i++)
                if (is_bind(&c->mounts[i]) || is_cgroup_bind(c, &c->mounts[i]))
                        r = r ?: criu_external_mount_add(&l, &n, c->mounts[i].destination, c->mounts[i].destination);
        STRV_FOREACH(p, lx ? lx->masked_paths : NULL)
                if (masked_is_file(*p, userdata))
                        r = r ?: criu_external_mount_add(&l, &n, *p, "/dev/null");
        for (size_t i = 0; lx && i < lx->n_devices; i++)
                r = r ?: criu_external_mount_add(&l, &n, lx->devices[i].path, lx->devices[i].path);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return 0;
}

int criu_restore_mounts(const OciConfig *c, const char *host_cgroup2, CriuExternalMount **ret, size_t *ret_n) {
        _cleanup_free_ CriuExternalMount *l = NULL;
        const OciLinux *lx = c->linux_section;
        size_t n = 0;
        int r = 0;

        for (size_t i = 0; i < c->n_mounts; i++)
                if (is_bind(&c->mounts[i]))
                        r = r ?: criu_external_mount_add(&l, &n, c->mounts[i].destination, c->mounts[i].source);
                else if (is_cgroup_bind(c, &c->mounts[i]))
                        r = r ?: criu_external_mount_add(&l, &n, c->mounts[i].destination, host_cgroup2);
        if (lx && lx->masked_paths && lx->masked_paths[0])
                r = r ?: criu_external_mount_add(&l, &n, "/dev/null", "/dev/null");
        for (size_t i = 0; lx && i < lx->n_devices; i++)
                r = r ?: criu_external_mount_add(&l, &n, lx->devices[i].path, lx->devices[i].path);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return 0;
}

int criu_namespaces(const OciConfig *c, bool restore, CriuNamespace **ret, size_t *ret_n, SysrunError *e) {
        _cleanup_free_ CriuNamespace *l = NULL;
        const OciLinux *lx = c->linux_section;
        size_t n = 0;

        for (size_t i = 0; lx && i < lx->n_namespaces; i++) {
                const OciNamespace *ns = &lx->namespaces[i];
                const char *key = ns->type == NAMESPACE_NETWORK ? "extRootNetNS"
                                  : ns->type == NAMESPACE_PID   ? "extRootPidNS"
                                                                : NULL;
                CriuNamespace *p;

                if (!ns->path || (!key && !restore))
                        continue;
                if (ns->type == NAMESPACE_CGROUP)
                        return sysrun_error_set(e, -EOPNOTSUPP,
                                                "linux.namespaces: the cgroup namespace '%s' cannot be restored into "
                                                "(criu cannot join one)",
                                                ns->path);
                p = realloc(l, (n + 1) * sizeof(*l));
                if (!p)
                        return -ENOMEM;
                l = p;
                l[n++] = (CriuNamespace) {
                        .name = namespace_type_to_proc_name(ns->type),
                        .path = ns->path,
                        .key = key,
                        .fd = -EBADF,
                };
        }
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return 0;
}
