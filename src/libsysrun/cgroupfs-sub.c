/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroupfs-sub.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup-stats.h"
#include "fd-util.h"
#include "strv.h"

static bool is_octal(char c) {
        return c >= '0' && c <= '7';
}

/* mountinfo escapes space, tab, newline and backslash as \ooo; anything else is kept as it is. */
char *mountinfo_unescape(const char *s, size_t n) {
        char *out = malloc(n + 1), *o = out;

        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && is_octal(s[i + 2]) &&
                    is_octal(s[i + 3])) {
                        *o++ = (char) (((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
                        i += 3;
                } else
                        *o++ = s[i];
        }
        *o = 0;
        return out;
}

int cgroup2_mount_point_from_mountinfo(const char *mountinfo, char **ret) {
        _cleanup_free_ char *fallback = NULL;
        const char *line = mountinfo;

        while (line && *line) {
                const char *eol = strchrnul(line, '\n');
                _cleanup_free_ char *copy = strndup(line, (size_t) (eol - line));
                char *save = NULL, *f[5] = {}, *w;
                size_t i = 0;
                bool dash = false, cgroup2 = false;

                if (!copy)
                        return -ENOMEM;
                /* id parent maj:min root mountpoint options [optional…] - fstype source superoptions */
                for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                        if (i < 5)
                                f[i++] = w;
                        else if (dash) {
                                cgroup2 = streq(w, "cgroup2");
                                break;
                        } else if (streq(w, "-"))
                                dash = true;
                }
                if (cgroup2 && f[4]) {
                        char *mp = mountinfo_unescape(f[4], strlen(f[4]));
                        if (!mp)
                                return -ENOMEM;
                        if (streq(f[3], "/")) {
                                *ret = mp;
                                return 0;
                        }
                        if (!fallback)
                                fallback = mp;
                        else
                                free(mp);
                }
                line = *eol ? eol + 1 : NULL;
        }
        if (!fallback)
                return -ENOENT;
        *ret = TAKE_PTR(fallback);
        return 0;
}

int cgroup2_mount_point(char **ret) {
        /* Read once per process: list and state ask once per container. */
        static char *cached = NULL;
        static pid_t cached_pid = 0;
        _cleanup_free_ char *text = NULL;
        int r;

        if (!cached || cached_pid != getpid()) {
                char *mp = NULL;

                r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &text, NULL);
                if (r >= 0)
                        r = cgroup2_mount_point_from_mountinfo(text, &mp);
                if (r < 0)
                        return r;
                free(cached_pid == getpid() ? cached : NULL);
                cached = mp;
                cached_pid = getpid();
        }
        *ret = strdup(cached);
        return *ret ? 0 : -ENOMEM;
}

int cgroup_path_from_proc_text(const char *text, char **ret) {
        const char *p = text;

        while (p && *p) {
                const char *eol = strchrnul(p, '\n');
                if (startswith(p, "0::")) {
                        char *s = strndup(p + 3, (size_t) (eol - p - 3));
                        if (!s)
                                return -ENOMEM;
                        *ret = s;
                        return 0;
                }
                p = *eol ? eol + 1 : NULL;
        }
        return -ENODATA;
}

int cgroup_pid_get_path(pid_t pid, char **ret) {
        _cleanup_free_ char *text = NULL;
        char path[64];
        int r;

        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 1 << 16, &text, NULL);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        return cgroup_path_from_proc_text(text, ret);
}

int cgroup_open(const char *path) {
        _cleanup_free_ char *mnt = NULL, *full = NULL;
        int fd, r;

        r = cgroup2_mount_point(&mnt);
        if (r < 0)
                return r;
        if (asprintf(&full, "%s/%s", mnt, path[0] == '/' ? path + 1 : path) < 0)
                return -ENOMEM;
        fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int cgroup_freeze_requested(const char *path) {
        _cleanup_close_ int fd = cgroup_open(path);
        _cleanup_free_ char *freeze = NULL;
        int r;

        if (fd < 0)
                return fd;
        r = read_full_file_at(fd, "cgroup.freeze", 64, &freeze, NULL);
        if (r < 0)
                return r;
        return startswith(freeze, "1") != NULL;
}

int cgroup_is_frozen(const char *path) {
        _cleanup_close_ int fd = cgroup_open(path);
        _cleanup_free_ char *freeze = NULL, *events = NULL;
        uint64_t frozen = 0;
        int r;

        if (fd < 0)
                return fd;
        r = read_full_file_at(fd, "cgroup.freeze", 64, &freeze, NULL);
        if (r < 0 && r != -ENOENT) /* the root cgroup has none */
                return r;
        if (freeze && startswith(freeze, "1"))
                return 1;
        r = read_full_file_at(fd, "cgroup.events", 4096, &events, NULL);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        (void) cgroup_parse_keyed(events, "frozen", &frozen);
        return frozen != 0;
}

static int read_words(int dirfd, const char *file, char ***ret) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        char *save = NULL;
        int r;

        if (!l)
                return -ENOMEM;
        r = read_full_file_at(dirfd, file, 1 << 20, &text, NULL);
        if (r < 0)
                return r;
        for (char *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
                if (strv_extend(&l, w) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

static char *controller_of(const char *file) {
        const char *dot = strchr(file, '.');
        return dot ? strndup(file, (size_t) (dot - file)) : strdup(file);
}

int cgroup_v1_controllers_from_proc_text(const char *text, const char *path, char ***ret) {
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *p = text;

        if (!l)
                return -ENOMEM;
        while (p && *p) {
                const char *eol = strchrnul(p, '\n'), *c1 = memchr(p, ':', (size_t) (eol - p)), *c2;
                _cleanup_free_ char *list = NULL;
                char *save = NULL;

                c2 = c1 ? memchr(c1 + 1, ':', (size_t) (eol - c1 - 1)) : NULL;
                p = *eol ? eol + 1 : NULL;
                if (!c2 || c2 == c1 + 1) /* the v2 line "0::/path", or junk */
                        continue;
                if ((size_t) (eol - c2 - 1) != strlen(path) || strncmp(c2 + 1, path, strlen(path)) != 0)
                        continue;
                list = strndup(c1 + 1, (size_t) (c2 - c1 - 1));
                if (!list)
                        return -ENOMEM;
                for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                        if (startswith(w, "name="))
                                continue;
                        if (strv_extend(&l, streq(w, "blkio") ? "io" : w) < 0)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int cgroup_v1_hierarchy_path(const char *text, const char *controller, char **ret) {
        const char *p = text;

        while (p && *p) {
                const char *eol = strchrnul(p, '\n'), *c1 = memchr(p, ':', (size_t) (eol - p)), *c2;
                _cleanup_free_ char *list = NULL;
                char *save = NULL;

                c2 = c1 ? memchr(c1 + 1, ':', (size_t) (eol - c1 - 1)) : NULL;
                if (c2 && c2 > c1 + 1) {
                        list = strndup(c1 + 1, (size_t) (c2 - c1 - 1));
                        if (!list)
                                return -ENOMEM;
                        for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save))
                                if (streq(w, controller)) {
                                        char *s = strndup(c2 + 1, (size_t) (eol - c2 - 1));
                                        if (!s)
                                                return -ENOMEM;
                                        *ret = s;
                                        return 1;
                                }
                }
                p = *eol ? eol + 1 : NULL;
        }
        return 0;
}

int cgroup_devices_enforced(pid_t pid, const char *path) {
        _cleanup_free_ char *text = NULL, *v1 = NULL;
        _cleanup_close_ int fd = -EBADF;
        union bpf_attr attr = {};
        struct statfs sfs;
        char proc[64];
        int r;

        /* /proc/<pid>/cgroup names every hierarchy of the kernel, mounted or not: whether systemd
         * runs on v1 devices is whether cgroup2 is not what it has at /sys/fs/cgroup. */
        if (statfs("/sys/fs/cgroup", &sfs) < 0)
                return -errno;
        if (sfs.f_type != CGROUP2_SUPER_MAGIC) {
                snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int) pid);
                r = read_full_file_at(AT_FDCWD, proc, 1 << 16, &text, NULL);
                if (r < 0)
                        return r == -ENOENT ? -ESRCH : r;
                r = cgroup_v1_hierarchy_path(text, "devices", &v1);
                if (r < 0)
                        return r;
                return r > 0 && streq(v1, path);
        }
        fd = cgroup_open(path);
        if (fd < 0)
                return fd;
        attr.query.target_fd = (uint32_t) fd;
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.query_flags = BPF_F_QUERY_EFFECTIVE;
        if (syscall(__NR_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0)
                return -errno;
        return attr.query.prog_cnt > 0;
}

int cgroup_pid_controllers(pid_t pid, const char *path, char ***ret) {
        _cleanup_strv_free_ char **l = NULL, **v1 = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        char proc[64];
        int r;

        fd = cgroup_open(path);
        if (fd < 0)
                return fd;
        r = read_words(fd, "cgroup.controllers", &l);
        if (r < 0)
                return r;
        snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, proc, 1 << 16, &text, NULL);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        r = cgroup_v1_controllers_from_proc_text(text, path, &v1);
        if (r < 0)
                return r;
        STRV_FOREACH(c, v1)
                if (!strv_contains(l, *c) && strv_extend(&l, *c) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

/* Moves every process of the scope into the sub-cgroup (update, when the sub-cgroup is new). */
static int migrate_all(int scope_fd, int sub_fd) {
        for (unsigned round = 0; round < 16; round++) {
                _cleanup_strv_free_ char **pids = NULL;
                int r = read_words(scope_fd, "cgroup.procs", &pids);

                if (r < 0)
                        return r;
                if (!pids[0])
                        return 0;
                STRV_FOREACH(p, pids) {
                        r = write_string_file_at(sub_fd, "cgroup.procs", *p);
                        if (r < 0 && r != -ESRCH)
                                return r;
                }
        }
        return -EBUSY; /* something keeps forking into the scope */
}

int cgroup_subgroup_apply(const char *path, pid_t pid, const CgroupWrite *writes, size_t n, SysrunError *e) {
        _cleanup_close_ int scope_fd = -EBADF;

        if (n == 0)
                return 0;
        scope_fd = cgroup_open(path);
        if (scope_fd < 0)
                return sysrun_error_set(e, scope_fd, "cannot open the container's cgroup '%s': %m", path);
        return cgroup_subgroup_apply_at(scope_fd, path, pid, writes, n, e);
}

int cgroup_subgroup_apply_at(
                int scope_fd, const char *path, pid_t pid, const CgroupWrite *writes, size_t n, SysrunError *e) {
        _cleanup_strv_free_ char **available = NULL, **enabled = NULL, **needed = NULL;
        _cleanup_free_ char *plus = NULL;
        _cleanup_close_ int sub_fd = -EBADF;
        size_t plus_len = 0;
        int r;

        if (n == 0)
                return 0;
        r = read_words(scope_fd, "cgroup.controllers", &available);
        if (r >= 0)
                r = read_words(scope_fd, "cgroup.subtree_control", &enabled);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the controllers of '%s': %m", path);

        /* Everything is checked before anything is made. */
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *c = controller_of(writes[i].file);
                if (!c)
                        return -ENOMEM;
                if (!strv_contains(available, c))
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s: cannot be applied: systemd has no property for it and the '%s' "
                                        "controller is not available in the container's cgroup '%s'",
                                        writes[i].field, c, path);
                if (!strv_contains(needed, c) && strv_consume(&needed, TAKE_PTR(c)) < 0)
                        return -ENOMEM;
        }

        if (mkdirat(scope_fd, CGROUP_SUBGROUP, 0755) < 0 && errno != EEXIST)
                return sysrun_error_set(
                                e, -errno, "cannot create the sub-cgroup '%s/" CGROUP_SUBGROUP "': %m", path);
        sub_fd = openat(scope_fd, CGROUP_SUBGROUP, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub_fd < 0)
                return sysrun_error_set(e, -errno, "cannot open '%s/" CGROUP_SUBGROUP "': %m", path);
        if (pid > 0) {
                char s[32];
                snprintf(s, sizeof(s), "%d", (int) pid);
                r = write_string_file_at(sub_fd, "cgroup.procs", s);
        } else
                r = migrate_all(scope_fd, sub_fd);
        if (r < 0)
                return sysrun_error_set(
                                e, r, "cannot move the container into '%s/" CGROUP_SUBGROUP "': %m", path);

        /* One write enables them all: "+hugetlb +rdma". */
        STRV_FOREACH(c, needed) {
                char *grown;
                if (strv_contains(enabled, *c))
                        continue;
                grown = realloc(plus, plus_len + strlen(*c) + 3);
                if (!grown)
                        return -ENOMEM;
                plus = grown;
                plus_len += (size_t) sprintf(plus + plus_len, "%s+%s", plus_len ? " " : "", *c);
        }
        if (plus) {
                r = write_string_file_at(scope_fd, "cgroup.subtree_control", plus);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot enable '%s' below '%s': %m", plus, path);
        }

        for (size_t i = 0; i < n; i++) {
                const CgroupWrite *w = &writes[i];
                _cleanup_close_ int fd = openat(sub_fd, w->file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);

                if (fd < 0 && errno == ENOENT)
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s: cannot be applied: the kernel has no '%s' in the container's "
                                        "cgroup",
                                        w->field, w->file);
                if (fd < 0)
                        return sysrun_error_set(e, -errno, "%s: cannot open '%s': %m", w->field, w->file);
                r = loop_write(fd, w->value, strlen(w->value));
                if (r < 0)
                        return sysrun_error_set(
                                        e, r, "%s: cannot write '%s' to '%s': %m", w->field, w->value,
                                        w->file);
        }
        return 0;
}

static int compare_pids(const void *a, const void *b) {
        pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
        return x < y ? -1 : x > y;
}

static int collect_pids(int dirfd, unsigned depth, pid_t **pids, size_t *n) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd, r;

        if (depth > 32)
                return -ELOOP;
        r = read_words(dirfd, "cgroup.procs", &words);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        STRV_FOREACH(w, words) {
                pid_t *grown = reallocarray(*pids, *n + 1, sizeof(pid_t));
                if (!grown)
                        return -ENOMEM;
                *pids = grown;
                (*pids)[(*n)++] = (pid_t) atoi(*w);
        }
        fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                _cleanup_close_ int sub = -EBADF;
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        continue; /* removed meanwhile */
                r = collect_pids(sub, depth + 1, pids, n);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cgroup_read_pids(const char *path, pid_t **ret, size_t *ret_n) {
        _cleanup_close_ int fd = -EBADF;

        fd = cgroup_open(path);
        if (fd < 0)
                return fd;
        return cgroup_read_pids_at(fd, ret, ret_n);
}

int cgroup_read_pids_at(int dirfd, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        int r;

        r = collect_pids(dirfd, 0, &pids, &n);
        if (r < 0)
                return r;
        if (n > 0)
                qsort(pids, n, sizeof(pid_t), compare_pids);
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        return 0;
}
