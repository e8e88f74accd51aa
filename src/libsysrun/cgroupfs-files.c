/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and writing the files of a cgroup directory: v1 usage figures, and the v2 core files
 * (cgroup.subtree_control, cgroup.freeze, cgroup.events, cgroup.kill). */
#include "cgroupfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup-stats.h"
#include "fd-util.h"
#include "strv.h"

int cgroupfs_read_text(const char *dir, const char *file, char **ret) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        return read_full_file_at(AT_FDCWD, path, 16 << 20, ret, NULL);
}

int cgroupfs_write_text(const char *dir, const char *file, const char *value) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        return write_string_file_at(AT_FDCWD, path, value);
}

int cgroupfs_read_u64(const char *dir, const char *file, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        int r = cgroupfs_read_text(dir, file, &text);
        if (r < 0)
                return r;
        if (startswith(text, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        errno = 0;
        *ret = strtoull(text, NULL, 10);
        return errno ? -errno : 0;
}

/* blkio.throttle.io_service{_bytes,d}_recursive: "8:0 Read 4096" lines. */
static void blkio_add(CgroupStats *st, const char *text, bool bytes) {
        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                unsigned maj, min;
                char op[16];
                unsigned long long v;
                if (sscanf(p, "%u:%u %15s %llu", &maj, &min, op, &v) == 4) {
                        CgroupIoStat *io = NULL;
                        for (size_t i = 0; i < st->n_io && !io; i++)
                                if (st->io[i].major == maj && st->io[i].minor == min)
                                        io = &st->io[i];
                        if (!io) {
                                CgroupIoStat *grown = reallocarray(st->io, st->n_io + 1, sizeof(CgroupIoStat));
                                if (!grown)
                                        return;
                                st->io = grown;
                                io = &st->io[st->n_io++];
                                *io = (CgroupIoStat){ .major = maj, .minor = min };
                        }
                        if (streq(op, "Read"))
                                *(bytes ? &io->rbytes : &io->rios) = v;
                        else if (streq(op, "Write"))
                                *(bytes ? &io->wbytes : &io->wios) = v;
                }
                p = *eol ? eol + 1 : NULL;
        }
}

int cgroupfs_v1_stats_read(const CgroupV1Dirs *d, CgroupStats *ret) {
        _cleanup_(cgroup_stats_done) CgroupStats st = {};
        const char *dir;
        if ((dir = d->cpuacct)) {
                _cleanup_free_ char *text = NULL;
                uint64_t ns = 0, user = 0, sys = 0;
                long hz = sysconf(_SC_CLK_TCK);
                if (cgroupfs_read_u64(dir, "cpuacct.usage", &ns) >= 0 && cgroupfs_read_text(dir, "cpuacct.stat", &text) >= 0) {
                        (void) cgroup_parse_keyed(text, "user", &user);
                        (void) cgroup_parse_keyed(text, "system", &sys);
                        st.has_cpu = true;
                        st.cpu_usage_usec = ns / 1000;
                        st.cpu_user_usec = hz > 0 ? user * 1000000 / (uint64_t) hz : 0;
                        st.cpu_system_usec = hz > 0 ? sys * 1000000 / (uint64_t) hz : 0;
                }
        }
        if ((dir = d->cpu)) {
                _cleanup_free_ char *text = NULL;
                uint64_t ns = 0;
                if (cgroupfs_read_text(dir, "cpu.stat", &text) >= 0) {
                        (void) cgroup_parse_keyed(text, "nr_periods", &st.cpu_nr_periods);
                        (void) cgroup_parse_keyed(text, "nr_throttled", &st.cpu_nr_throttled);
                        if (cgroup_parse_keyed(text, "throttled_time", &ns) >= 0)
                                st.cpu_throttled_usec = ns / 1000;
                }
        }
        if ((dir = d->memory)) {
                _cleanup_free_ char *text = NULL;
                if (cgroupfs_read_u64(dir, "memory.usage_in_bytes", &st.memory_current) >= 0) {
                        st.has_memory = true;
                        (void) cgroupfs_read_u64(dir, "memory.limit_in_bytes", &st.memory_max);
                        (void) cgroupfs_read_u64(dir, "memory.max_usage_in_bytes", &st.memory_peak);
                        (void) cgroupfs_read_u64(dir, "memory.failcnt", &st.memory_events_max);
                        if (cgroupfs_read_text(dir, "memory.stat", &text) >= 0) {
                                char *save = NULL;
                                for (char *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
                                        if (strv_extend(&st.memory_stat, w) < 0)
                                                return -ENOMEM;
                                if (strv_length(st.memory_stat) % 2)
                                        st.memory_stat = strv_free(st.memory_stat);
                        }
                }
        }
        if ((dir = d->pids) && cgroupfs_read_u64(dir, "pids.current", &st.pids_current) >= 0) {
                st.has_pids = true;
                if (cgroupfs_read_u64(dir, "pids.max", &st.pids_max) < 0)
                        st.pids_max = UINT64_MAX;
        }
        if ((dir = d->blkio)) {
                _cleanup_free_ char *bytes = NULL, *ios = NULL;
                if (cgroupfs_read_text(dir, "blkio.throttle.io_service_bytes_recursive", &bytes) >= 0)
                        blkio_add(&st, bytes, true);
                if (cgroupfs_read_text(dir, "blkio.throttle.io_serviced_recursive", &ios) >= 0)
                        blkio_add(&st, ios, false);
        }
        *ret = st;
        st = (CgroupStats){};
        return 0;
}

/* The value of key in cgroup.events ("populated 1\nfrozen 0\n"). */
static int events_get(const char *dir, const char *key) {
        _cleanup_free_ char *text = NULL;
        uint64_t v;
        int r = cgroupfs_read_text(dir, "cgroup.events", &text);
        if (r < 0)
                return r;
        r = cgroup_parse_keyed(text, key, &v);
        return r < 0 ? r : v != 0;
}

/* Waits until cgroup.events says key is want: the kernel signals every change of the file with
 * POLLPRI, so this sleeps in poll() and rereads. */
int cgroupfs_v2_wait_event(const char *dir, const char *key, int want, int timeout_ms) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (asprintf(&path, "%s/cgroup.events", dir) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLPRI };
                r = events_get(dir, key);
                if (r < 0 || r == want)
                        return r < 0 ? r : 0;
                r = poll(&p, 1, timeout_ms);
                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r == 0)
                        return -ETIMEDOUT;
        }
}

int cgroupfs_v2_freeze(const char *dir, bool freeze, SysrunError *e) {
        int r = cgroupfs_write_text(dir, "cgroup.freeze", freeze ? "1" : "0");
        if (r < 0)
                return sysrun_error_set(e, r, "cgroup.freeze: write %d: %m (in %s)", freeze, dir);
        r = cgroupfs_v2_wait_event(dir, "frozen", freeze, 5000);
        if (r < 0)
                return sysrun_error_set(e, r, "cgroup.events: the container did not %s: %m (in %s)",
                                        freeze ? "freeze" : "thaw", dir);
        return 0;
}

int cgroupfs_v2_is_frozen(const char *dir) {
        _cleanup_free_ char *text = NULL;
        int r = cgroupfs_read_text(dir, "cgroup.freeze", &text);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        return startswith(text, "1") != NULL;
}

static bool word_in(const char *text, const char *word) {
        size_t n = strlen(word);
        for (const char *p = text; p && (p = strstr(p, word)); p += n)
                if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
                        return true;
        return false;
}

/* Writes "+c" for each controller that parent does not hand down yet. */
static int enable_in(const char *parent, char *const *controllers, SysrunError *e) {
        _cleanup_free_ char *enabled = NULL;
        int r = cgroupfs_read_text(parent, "cgroup.subtree_control", &enabled);

        if (r < 0)
                return sysrun_error_set(e, r, "cannot read %s/cgroup.subtree_control: %m", parent);
        STRV_FOREACH(c, controllers) {
                _cleanup_free_ char *plus = NULL;
                if (word_in(enabled, *c))
                        continue;
                if (asprintf(&plus, "+%s", *c) < 0)
                        return -ENOMEM;
                r = cgroupfs_write_text(parent, "cgroup.subtree_control", plus);
                if (r < 0)
                        return sysrun_error_set(e, r,
                                                "cgroup.subtree_control: write %s: %m (controller %s not enabled in "
                                                "%s%s)",
                                                plus, *c, parent,
                                                r == -EBUSY ? ", which holds processes itself" : "");
        }
        return 0;
}

int cgroupfs_v2_enable(const char *mount, const char *dir, char *const *controllers, SysrunError *e) {
        _cleanup_free_ char *p = strdup(dir);
        size_t start = strlen(mount);
        int r;

        if (!p)
                return -ENOMEM;
        /* Each ancestor of dir, from the mount point down, hands the controllers to its children. */
        r = enable_in(mount, controllers, e);
        for (char *slash = strchr(p + start + 1, '/'); r >= 0 && slash; slash = strchr(slash + 1, '/')) {
                *slash = 0;
                r = enable_in(p, controllers, e);
                *slash = '/';
        }
        return r;
}

/* rmdir of a tree, children first. */
int cgroupfs_remove_tree(const char *dir, unsigned depth) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (depth > 32)
                return -ELOOP;
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *sub = NULL;
                int r;
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
                        return -ENOMEM;
                r = cgroupfs_remove_tree(sub, depth + 1);
                if (r < 0)
                        return r;
        }
        if (rmdir(dir) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}
