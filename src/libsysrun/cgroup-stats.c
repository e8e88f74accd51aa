/* SPDX-License-Identifier: Apache-2.0 */
#include "cgroup-stats.h"

#include <ctype.h>
#include <fcntl.h>
#include <json-c/json.h>

#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(struct json_object *, json_object_put, NULL);
#define _cleanup_json_ _cleanup_(json_object_putp)

void cgroup_stats_done(CgroupStats *s) {
        if (!s)
                return;
        strv_free(s->memory_stat);
        free(s->io);
        *s = (CgroupStats){};
}

int cgroup_parse_keyed(const char *text, const char *key, uint64_t *ret) {
        size_t k = strlen(key);

        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                if (strncmp(p, key, k) == 0 && p[k] == ' ') {
                        char *end;
                        errno = 0;
                        unsigned long long v = strtoull(p + k + 1, &end, 10);
                        if (errno || (end != eol && *end != ' '))
                                return -EINVAL;
                        *ret = v;
                        return 0;
                }
                p = *eol ? eol + 1 : NULL;
        }
        return -ENOENT;
}

int cgroup_parse_io_stat(const char *text, CgroupIoStat **ret, size_t *ret_n) {
        _cleanup_free_ CgroupIoStat *l = NULL;
        size_t n = 0;

        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n');
                _cleanup_free_ char *line = strndup(p, (size_t) (eol - p));
                char *save = NULL, *w;
                CgroupIoStat st = {};
                unsigned maj, min;

                if (!line)
                        return -ENOMEM;
                p = *eol ? eol + 1 : NULL;
                w = strtok_r(line, " ", &save);
                if (!w || sscanf(w, "%u:%u", &maj, &min) != 2)
                        continue;
                st.major = maj;
                st.minor = min;
                while ((w = strtok_r(NULL, " ", &save))) {
                        char *eq = strchr(w, '=');
                        uint64_t v;
                        if (!eq)
                                continue;
                        *eq = 0;
                        v = strtoull(eq + 1, NULL, 10);
                        if (streq(w, "rbytes"))
                                st.rbytes = v;
                        else if (streq(w, "wbytes"))
                                st.wbytes = v;
                        else if (streq(w, "rios"))
                                st.rios = v;
                        else if (streq(w, "wios"))
                                st.wios = v;
                }
                CgroupIoStat *grown = reallocarray(l, n + 1, sizeof(CgroupIoStat));
                if (!grown)
                        return -ENOMEM;
                l = grown;
                l[n++] = st;
        }
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return 0;
}

uint64_t cgroup_count_lines(const char *text) {
        uint64_t n = 0;

        for (const char *p = text; p && *p; p = strchrnul(p, '\n'), p += *p == '\n')
                if (*p != '\n')
                        n++;
        return n;
}

static int read_text(int fd, const char *file, char **ret) {
        int r = read_full_file_at(fd, file, 1 << 20, ret, NULL);
        return r == -ENOENT ? 0 : r < 0 ? r : 1;
}

static int read_max(int fd, const char *file, uint64_t *ret) {
        _cleanup_free_ char *t = NULL;
        int r = read_text(fd, file, &t);

        if (r <= 0)
                return r;
        t[strcspn(t, "\n")] = 0;
        if (streq(t, "max")) {
                *ret = UINT64_MAX;
                return 1;
        }
        *ret = strtoull(t, NULL, 10);
        return 1;
}

static int parse_memory_stat(const char *text, char ***ret) {
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        for (const char *p = text; p && *p;) {
                const char *eol = strchrnul(p, '\n'), *sp = memchr(p, ' ', (size_t) (eol - p));
                if (sp &&
                    (strv_consume(&l, strndup(p, (size_t) (sp - p))) < 0 ||
                     strv_consume(&l, strndup(sp + 1, (size_t) (eol - sp - 1))) < 0))
                        return -ENOMEM;
                p = *eol ? eol + 1 : NULL;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int cgroup_stats_read(const char *path, CgroupStats *ret) {
        _cleanup_(cgroup_stats_done) CgroupStats s = {};
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *cpu = NULL, *events = NULL, *mstat = NULL, *io = NULL;
        int r;

        fd = cgroup_open(path);
        if (fd < 0)
                return fd;

        r = read_text(fd, "cpu.stat", &cpu);
        if (r < 0)
                return r;
        if (r > 0) {
                s.has_cpu = true;
                (void) cgroup_parse_keyed(cpu, "usage_usec", &s.cpu_usage_usec);
                (void) cgroup_parse_keyed(cpu, "user_usec", &s.cpu_user_usec);
                (void) cgroup_parse_keyed(cpu, "system_usec", &s.cpu_system_usec);
                (void) cgroup_parse_keyed(cpu, "nr_periods", &s.cpu_nr_periods);
                (void) cgroup_parse_keyed(cpu, "nr_throttled", &s.cpu_nr_throttled);
                (void) cgroup_parse_keyed(cpu, "throttled_usec", &s.cpu_throttled_usec);
        }

        r = read_max(fd, "memory.current", &s.memory_current);
        if (r < 0)
                return r;
        if (r > 0) {
                s.has_memory = true;
                s.memory_max = s.swap_max = UINT64_MAX;
                (void) read_max(fd, "memory.max", &s.memory_max);
                (void) read_max(fd, "memory.peak", &s.memory_peak);
                (void) read_max(fd, "memory.swap.current", &s.swap_current);
                (void) read_max(fd, "memory.swap.max", &s.swap_max);
                if (read_text(fd, "memory.events", &events) > 0) {
                        (void) cgroup_parse_keyed(events, "max", &s.memory_events_max);
                        (void) cgroup_parse_keyed(events, "oom", &s.memory_events_oom);
                        (void) cgroup_parse_keyed(events, "oom_kill", &s.memory_events_oom_kill);
                }
                if (read_text(fd, "memory.stat", &mstat) > 0) {
                        r = parse_memory_stat(mstat, &s.memory_stat);
                        if (r < 0)
                                return r;
                }
        }

        r = read_max(fd, "pids.current", &s.pids_current);
        if (r < 0)
                return r;
        if (r > 0) {
                s.has_pids = true;
                s.pids_max = UINT64_MAX;
                (void) read_max(fd, "pids.max", &s.pids_max);
        } else {
                /* No pids controller: the processes in the cgroup, with no limit, as runc reports. */
                _cleanup_free_ char *procs = NULL;
                if (read_text(fd, "cgroup.procs", &procs) > 0) {
                        s.pids_current = cgroup_count_lines(procs);
                        s.pids_max = UINT64_MAX;
                }
        }

        if (read_text(fd, "io.stat", &io) > 0) {
                r = cgroup_parse_io_stat(io, &s.io, &s.n_io);
                if (r < 0)
                        return r;
        }
        *ret = s;
        s = (CgroupStats){};
        return 0;
}

/* ---- JSON in runc's shape ---- */

static int add(struct json_object *o, const char *key, struct json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

/* omitempty: Go leaves zero numbers out for fields tagged so. */
static int add_u64(struct json_object *o, const char *key, uint64_t v, bool omitempty) {
        if (omitempty && v == 0)
                return 0;
        return add(o, key, json_object_new_uint64(v));
}

static struct json_object *memory_entry(uint64_t limit, uint64_t usage, uint64_t max, uint64_t failcnt) {
        _cleanup_json_ struct json_object *o = json_object_new_object();

        if (!o || add_u64(o, "limit", limit, false) < 0 || add_u64(o, "usage", usage, true) < 0 ||
            add_u64(o, "max", max, true) < 0 || add_u64(o, "failcnt", failcnt, false) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct json_object *cpu_json(const CgroupStats *s) {
        _cleanup_json_ struct json_object *o = json_object_new_object(), *usage = json_object_new_object(),
                                          *thr = json_object_new_object();

        if (!o || !usage || !thr)
                return NULL;
        /* Nanoseconds, like cgroup v1's cpuacct. */
        if (add_u64(usage, "total", s->cpu_usage_usec * 1000, true) < 0 ||
            add_u64(usage, "kernel", s->cpu_system_usec * 1000, false) < 0 ||
            add_u64(usage, "user", s->cpu_user_usec * 1000, false) < 0 ||
            add_u64(thr, "periods", s->cpu_nr_periods, true) < 0 ||
            add_u64(thr, "throttled_periods", s->cpu_nr_throttled, true) < 0 ||
            add_u64(thr, "throttled_time", s->cpu_throttled_usec * 1000, true) < 0 ||
            add(o, "usage", TAKE_PTR(usage)) < 0 || add(o, "throttling", TAKE_PTR(thr)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static struct json_object *memory_json(const CgroupStats *s) {
        _cleanup_json_ struct json_object *o = json_object_new_object(), *raw = json_object_new_object();
        uint64_t swap_limit = s->swap_max == UINT64_MAX || s->memory_max == UINT64_MAX ?
                        UINT64_MAX :
                        s->swap_max + s->memory_max;
        uint64_t cache = 0;

        if (!o || !raw)
                return NULL;
        STRV_FOREACH_PAIR(k, v, s->memory_stat)
        if (add_u64(raw, *k, strtoull(*v, NULL, 10), false) < 0)
                return NULL;
        if (strv_pairs_get(s->memory_stat, "file"))
                cache = strtoull(strv_pairs_get(s->memory_stat, "file"), NULL, 10);
        /* As runc: swap is reported as memory+swap, the way cgroup v1 counted it. */
        if (add_u64(o, "cache", cache, true) < 0 ||
            add(o, "usage",
                memory_entry(s->memory_max, s->memory_current, s->memory_peak, s->memory_events_max)) < 0 ||
            add(o, "swap", memory_entry(swap_limit, s->swap_current + s->memory_current, 0, 0)) < 0 ||
            add(o, "kernel", memory_entry(0, 0, 0, 0)) < 0 ||
            add(o, "kernelTCP", memory_entry(0, 0, 0, 0)) < 0)
                return NULL;
        if (json_object_object_length(raw) > 0 && add(o, "raw", TAKE_PTR(raw)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static int blkio_entries(struct json_object *o, const char *key, const CgroupStats *s, bool bytes) {
        _cleanup_json_ struct json_object *a = json_object_new_array();

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_io; i++) {
                const CgroupIoStat *io = &s->io[i];
                const struct {
                        const char *op;
                        uint64_t v;
                } ops[] = {
                        { "Read", bytes ? io->rbytes : io->rios },
                        { "Write", bytes ? io->wbytes : io->wios },
                };
                for (size_t j = 0; j < ELEMENTSOF(ops); j++) {
                        struct json_object *e = json_object_new_object();
                        if (!e || add_u64(e, "major", io->major, true) < 0 ||
                            add_u64(e, "minor", io->minor, true) < 0 ||
                            add(e, "op", json_object_new_string(ops[j].op)) < 0 ||
                            add_u64(e, "value", ops[j].v, true) < 0 || json_object_array_add(a, e) < 0) {
                                json_object_put(e);
                                return -ENOMEM;
                        }
                }
        }
        if (json_object_array_length(a) == 0)
                return 0;
        return add(o, key, TAKE_PTR(a));
}

char *cgroup_stats_to_json(const char *id, const CgroupStats *s, struct json_object *intel_rdt) {
        _cleanup_json_ struct json_object *ev = json_object_new_object(), *data = json_object_new_object(),
                                          *pids = json_object_new_object(), *blkio = json_object_new_object();

        if (!ev || !data || !pids || !blkio)
                return NULL;
        if (add_u64(pids, "current", s->pids_current, true) < 0 ||
            add_u64(pids, "limit", s->pids_max == UINT64_MAX ? 0 : s->pids_max, true) < 0 ||
            blkio_entries(blkio, "ioServiceBytesRecursive", s, true) < 0 ||
            blkio_entries(blkio, "ioServicedRecursive", s, false) < 0)
                return NULL;
        if (add(data, "cpu", cpu_json(s)) < 0 || add(data, "cpuset", json_object_new_object()) < 0 ||
            add(data, "memory", memory_json(s)) < 0 || add(data, "pids", TAKE_PTR(pids)) < 0 ||
            add(data, "blkio", TAKE_PTR(blkio)) < 0 || add(data, "hugetlb", json_object_new_object()) < 0 ||
            add(data, "intel_rdt", intel_rdt ? json_object_get(intel_rdt) : json_object_new_object()) < 0 ||
            json_object_object_add(data, "network_interfaces", NULL) < 0)
                return NULL;
        if (add(ev, "type", json_object_new_string("stats")) < 0 ||
            add(ev, "id", json_object_new_string(id)) < 0 || add(ev, "data", TAKE_PTR(data)) < 0)
                return NULL;
        return strdup(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
}

char *cgroup_oom_event_json(const char *id) {
        _cleanup_json_ struct json_object *ev = json_object_new_object();

        if (!ev || add(ev, "type", json_object_new_string("oom")) < 0 ||
            add(ev, "id", json_object_new_string(id)) < 0)
                return NULL;
        return strdup(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
}
