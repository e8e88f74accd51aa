/* SPDX-License-Identifier: Apache-2.0 */
/* resctrl schemata lines and info/: parsing and validation, no changes to any filesystem. The rules
 * follow the kernel's own checks (Documentation/filesystems/resctrl.rst), so that a request fails
 * here, with a message that names the line, before anything is made. */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "rdt.h"

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A copy of s[0, n) without surrounding blanks. */
static char *strndup_trim(const char *s, size_t n) {
        while (n > 0 && is_blank(*s))
                s++, n--;
        while (n > 0 && is_blank(s[n - 1]))
                n--;
        return strndup(s, n);
}

static void *mfree(void *p) {
        free(p);
        return NULL;
}

static bool has_blank(const char *s) {
        return strpbrk(s, " \t\n\r") != NULL;
}

static void line_done(RdtLine *l) {
        free(l->origin);
        free(l->text);
        free(l->resource);
        for (size_t i = 0; i < l->n_domains; i++)
                free(l->domains[i].value);
        free(l->domains);
        *l = (RdtLine){};
}

void rdt_schemata_done(RdtSchemata *s) {
        for (size_t i = 0; i < s->n_lines; i++)
                line_done(&s->lines[i]);
        free(s->lines);
        *s = (RdtSchemata){};
}

static const char *origin_of(const RdtLine *l) {
        return l->origin ?: "resctrl schemata";
}

int rdt_parse_uint(const char *s, uint64_t *ret) {
        unsigned long long v;
        char *end;

        while (is_blank(*s))
                s++;
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        while (is_blank(*end))
                end++;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

int rdt_parse_cbm(const char *s, uint64_t *ret) {
        const char *p;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        if (!*s)
                return -EINVAL;
        for (p = s; *p; p++)
                if (!isxdigit((unsigned char) *p))
                        return -EINVAL;
        while (*s == '0' && s[1])
                s++;
        if (strlen(s) > 16)
                return -ERANGE;
        *ret = strtoull(s, NULL, 16);
        return 0;
}

static bool resource_name_is_valid(const char *name) {
        if (!*name)
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '_')
                        return false;
        return true;
}

int rdt_line_parse(const char *text, const char *origin, RdtLine *ret, SysrunError *e) {
        _cleanup_(line_done) RdtLine l = {};
        const char *colon, *p;

        l.text = strndup_trim(text, strlen(text));
        if (!l.text || (origin && !(l.origin = strdup(origin))))
                return -ENOMEM;
        colon = strchr(l.text, ':');
        if (!colon)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': expected 'RESOURCE:ID=VALUE;ID=VALUE…'",
                                        origin_of(&l), l.text);
        l.resource = strndup_trim(l.text, (size_t) (colon - l.text));
        if (!l.resource)
                return -ENOMEM;
        if (!resource_name_is_valid(l.resource))
                return sysrun_error_set(e, -EINVAL, "%s: '%s': '%s' is not a resource name", origin_of(&l),
                                        l.text, l.resource);

        for (p = colon + 1; *p;) {
                const char *end = strchrnul(p, ';'), *eq = memchr(p, '=', (size_t) (end - p));
                _cleanup_free_ char *id = NULL, *value = NULL;
                uint64_t v;
                RdtDomain *d;

                if (end == p)
                        return sysrun_error_set(e, -EINVAL, "%s: '%s': empty entry", origin_of(&l), l.text);
                if (!eq)
                        return sysrun_error_set(e, -EINVAL, "%s: '%s': '%.*s' is not ID=VALUE",
                                                origin_of(&l), l.text, (int) (end - p), p);
                id = strndup(p, (size_t) (eq - p));
                value = strndup_trim(eq + 1, (size_t) (end - eq - 1));
                if (!id || !value)
                        return -ENOMEM;
                /* The kernel trims values but not ids. */
                if (has_blank(id) || rdt_parse_uint(id, &v) < 0 || v > UINT_MAX)
                        return sysrun_error_set(e, -EINVAL, "%s: '%s': '%s' is not a domain id",
                                                origin_of(&l), l.text, id);
                if (!*value || has_blank(value))
                        return sysrun_error_set(e, -EINVAL, "%s: '%s': bad value '%s' for id %s",
                                                origin_of(&l), l.text, value, id);
                d = reallocarray(l.domains, l.n_domains + 1, sizeof(RdtDomain));
                if (!d)
                        return -ENOMEM;
                l.domains = d;
                l.domains[l.n_domains++] = (RdtDomain){ .id = (unsigned) v, .value = TAKE_PTR(value) };
                p = *end ? end + 1 : end; /* a trailing ";" is fine, as for the kernel */
        }
        if (l.n_domains == 0)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': no domains", origin_of(&l), l.text);
        *ret = l;
        l = (RdtLine){};
        return 0;
}

static int schemata_add(RdtSchemata *s, const char *text, const char *origin, const char *skip_resource,
                        SysrunError *e) {
        const char *p = text;

        while (*p) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *line = strndup(p, n);
                RdtLine l, *a;
                int r;

                if (!line)
                        return -ENOMEM;
                p += n + (p[n] == '\n');
                if (!line[strspn(line, " \t\r")])
                        continue;
                r = rdt_line_parse(line, origin, &l, e);
                if (r < 0)
                        return r;
                if (skip_resource && streq(l.resource, skip_resource)) {
                        line_done(&l);
                        continue;
                }
                a = reallocarray(s->lines, s->n_lines + 1, sizeof(RdtLine));
                if (!a) {
                        line_done(&l);
                        return -ENOMEM;
                }
                s->lines = a;
                s->lines[s->n_lines++] = l;
        }
        return 0;
}

int rdt_schemata_add(RdtSchemata *s, const char *text, const char *origin, SysrunError *e) {
        return schemata_add(s, text, origin, NULL, e);
}

int rdt_schemata_from_config(const char *l3, const char *mb, char *const *schemata, const char *prefix,
                             RdtSchemata *ret, SysrunError *e) {
        _cleanup_(rdt_schemata_done) RdtSchemata s = {};
        _cleanup_free_ char *origin = NULL;
        size_t first;
        int r;

        if (!isempty(l3)) {
                if (asprintf(&origin, "%s.l3CacheSchema", prefix) < 0)
                        return -ENOMEM;
                r = schemata_add(&s, l3, origin, isempty(mb) ? NULL : "MB", e);
                if (r < 0)
                        return r;
                origin = mfree(origin);
        }
        if (!isempty(mb)) {
                if (asprintf(&origin, "%s.memBwSchema", prefix) < 0)
                        return -ENOMEM;
                first = s.n_lines;
                r = schemata_add(&s, mb, origin, NULL, e);
                if (r < 0)
                        return r;
                for (size_t i = first; i < s.n_lines; i++)
                        if (!streq(s.lines[i].resource, "MB"))
                                return sysrun_error_set(e, -EINVAL, "%s: '%s': must be an 'MB:' line",
                                                        origin, s.lines[i].text);
                origin = mfree(origin);
        }
        for (size_t i = 0; schemata && schemata[i]; i++) {
                if (asprintf(&origin, "%s.schemata[%zu]", prefix, i) < 0)
                        return -ENOMEM;
                r = schemata_add(&s, schemata[i], origin, NULL, e);
                if (r < 0)
                        return r;
                origin = mfree(origin);
        }
        *ret = s;
        s = (RdtSchemata){};
        return 0;
}

char *rdt_schemata_to_string(const RdtSchemata *s) {
        size_t size = 1, n = 0;
        char *buf;

        if (s->n_lines == 0)
                return NULL;
        for (size_t i = 0; i < s->n_lines; i++)
                size += strlen(s->lines[i].text) + 1;
        buf = malloc(size);
        if (!buf)
                return NULL;
        for (size_t i = 0; i < s->n_lines; i++)
                n += (size_t) sprintf(buf + n, "%s\n", s->lines[i].text);
        return buf;
}

const RdtLine *rdt_schemata_find(const RdtSchemata *s, const char *resource) {
        for (size_t i = 0; i < s->n_lines; i++)
                if (streq(s->lines[i].resource, resource))
                        return &s->lines[i];
        return NULL;
}

/* ---- info/ ------------------------------------------------------------------------------------- */

void rdt_info_done(RdtInfo *i) {
        for (size_t k = 0; k < i->n_resources; k++) {
                free(i->resources[k].name);
                free(i->resources[k].domain_ids);
        }
        free(i->resources);
        *i = (RdtInfo){};
}

const RdtResource *rdt_info_find(const RdtInfo *i, const char *name) {
        for (size_t k = 0; k < i->n_resources; k++)
                if (streq(i->resources[k].name, name))
                        return &i->resources[k];
        return NULL;
}

uint64_t rdt_info_num_closids(const RdtInfo *i) {
        uint64_t n = 0;

        for (size_t k = 0; k < i->n_resources; k++)
                if (n == 0 || i->resources[k].num_closids < n)
                        n = i->resources[k].num_closids;
        return n;
}

static bool info_exists(int rootfd, const char *dir, const char *file) {
        char path[PATH_MAX];

        snprintf(path, sizeof(path), "info/%s%s%s", dir, file ? "/" : "", strempty(file));
        return faccessat(rootfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/* info/<dir>/<file>, trimmed. With optional, a missing file leaves *ret NULL. */
static int read_info(int rootfd, const char *dir, const char *file, bool optional, char **ret,
                     SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        char path[PATH_MAX];
        int r;

        snprintf(path, sizeof(path), "info/%s/%s", dir, file);
        r = read_full_file_at(rootfd, path, 64 << 10, &text, NULL);
        if (r == -ENOENT && optional) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return sysrun_error_set(e, r, "resctrl: cannot read '%s': %m", path);
        *ret = strndup_trim(text, strlen(text));
        return *ret ? 0 : -ENOMEM;
}

static int read_info_uint(int rootfd, const char *dir, const char *file, bool optional, uint64_t *ret,
                          SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_info(rootfd, dir, file, optional, &text, e);
        if (r < 0 || !text)
                return r;
        if (rdt_parse_uint(text, ret) < 0)
                return sysrun_error_set(e, -EBADMSG, "resctrl: 'info/%s/%s' holds '%s', expected a number",
                                        dir, file, text);
        return 0;
}

static int load_resource(int rootfd, const RdtLine *root_line, bool mba_mbps, RdtResource *res,
                         SysrunError *e) {
        const char *name = root_line->resource;
        int r;

        if (info_exists(rootfd, name, "cbm_mask")) {
                _cleanup_free_ char *mask = NULL;
                uint64_t sparse = 0;

                res->kind = RDT_KIND_CACHE;
                r = read_info(rootfd, name, "cbm_mask", false, &mask, e);
                if (r < 0)
                        return r;
                if (rdt_parse_cbm(mask, &res->cbm_mask) < 0 || res->cbm_mask == 0)
                        return sysrun_error_set(e, -EBADMSG, "resctrl: 'info/%s/cbm_mask' holds '%s', "
                                                "expected a non-zero hexadecimal bitmask", name, mask);
                r = read_info_uint(rootfd, name, "min_cbm_bits", false, &res->min_cbm_bits, e);
                if (r < 0)
                        return r;
                r = read_info_uint(rootfd, name, "sparse_masks", true, &sparse, e);
                if (r < 0)
                        return r;
                res->sparse_masks = sparse != 0;
        } else if (info_exists(rootfd, name, "bandwidth_gran")) {
                res->kind = RDT_KIND_BANDWIDTH;
                r = read_info_uint(rootfd, name, "bandwidth_gran", false, &res->bandwidth_gran, e);
                if (r < 0)
                        return r;
                if (res->bandwidth_gran == 0)
                        return sysrun_error_set(e, -EBADMSG, "resctrl: 'info/%s/bandwidth_gran' is 0", name);
                r = read_info_uint(rootfd, name, "min_bandwidth", false, &res->min_bandwidth, e);
                if (r < 0)
                        return r;
                /* Percent on Intel; AMD has a larger scale: the root holds the default, the maximum. */
                res->max_bandwidth = mba_mbps ? UINT32_MAX : 100;
                for (size_t k = 0; k < root_line->n_domains; k++) {
                        uint64_t v;
                        if (rdt_parse_uint(root_line->domains[k].value, &v) < 0)
                                return sysrun_error_set(e, -EBADMSG, "resctrl: root schemata: '%s': '%s' "
                                                        "is not a number", root_line->text,
                                                        root_line->domains[k].value);
                        if (v > res->max_bandwidth)
                                res->max_bandwidth = v;
                }
        } else if (!info_exists(rootfd, name, NULL))
                return sysrun_error_set(e, -EBADMSG, "resctrl: the root schemata names '%s', but info/%s "
                                        "is missing", name, name);
        else
                return sysrun_error_set(e, -EOPNOTSUPP, "resctrl: resource '%s' is not supported (info/%s "
                                        "has neither cbm_mask nor bandwidth_gran)", name, name);

        r = read_info_uint(rootfd, name, "num_closids", false, &res->num_closids, e);
        if (r < 0)
                return r;
        if (res->num_closids == 0)
                return sysrun_error_set(e, -EBADMSG, "resctrl: 'info/%s/num_closids' is 0", name);

        res->domain_ids = calloc(root_line->n_domains, sizeof(unsigned));
        if (!res->domain_ids)
                return -ENOMEM;
        for (size_t k = 0; k < root_line->n_domains; k++)
                res->domain_ids[k] = root_line->domains[k].id;
        res->n_domain_ids = root_line->n_domains;
        return 0;
}

static int load_mon_features(int rootfd, RdtInfo *info, SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        int r;

        info->monitoring = info_exists(rootfd, "L3_MON", NULL);
        if (!info->monitoring)
                return 0;
        r = read_info(rootfd, "L3_MON", "mon_features", true, &text, e);
        if (r < 0 || !text)
                return r;
        for (char *p = text, *t; (t = strsep(&p, "\n"));) {
                /* Newer kernels list more events; only these three have a place in runc's stats. */
                if (streq(t, "mbm_total_bytes"))
                        info->mbm_total = true;
                else if (streq(t, "mbm_local_bytes"))
                        info->mbm_local = true;
                else if (streq(t, "llc_occupancy"))
                        info->llc_occupancy = true;
        }
        return 0;
}

int rdt_info_load(int rootfd, bool mba_mbps, RdtInfo *ret, SysrunError *e) {
        _cleanup_(rdt_schemata_done) RdtSchemata root = {};
        _cleanup_(rdt_info_done) RdtInfo info = { .mba_mbps = mba_mbps };
        _cleanup_free_ char *text = NULL;
        int r;

        /* The root group's schemata lists every allocation resource and every domain. */
        r = read_full_file_at(rootfd, "schemata", 1 << 20, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "resctrl: cannot read the root group's schemata: %m");
        r = rdt_schemata_add(&root, text, "resctrl: root schemata", e);
        if (r < 0)
                return r;

        info.resources = calloc(root.n_lines ?: 1, sizeof(RdtResource));
        if (!info.resources)
                return -ENOMEM;
        for (size_t i = 0; i < root.n_lines; i++) {
                RdtResource *res;

                if (rdt_info_find(&info, root.lines[i].resource))
                        return sysrun_error_set(e, -EBADMSG, "resctrl: the root schemata lists '%s' twice",
                                                root.lines[i].resource);
                res = &info.resources[info.n_resources++];
                res->name = strdup(root.lines[i].resource);
                if (!res->name)
                        return -ENOMEM;
                r = load_resource(rootfd, &root.lines[i], mba_mbps, res, e);
                if (r < 0)
                        return r;
        }
        r = load_mon_features(rootfd, &info, e);
        if (r < 0)
                return r;
        *ret = info;
        info = (RdtInfo){};
        return 0;
}

/* ---- validation and comparison ----------------------------------------------------------------- */

static const char *domain_word(const RdtResource *res) {
        return res->kind == RDT_KIND_CACHE ? "cache id" : "domain";
}

static bool has_domain(const RdtResource *res, unsigned id) {
        for (size_t k = 0; k < res->n_domain_ids; k++)
                if (res->domain_ids[k] == id)
                        return true;
        return false;
}

static char *domain_list(const RdtResource *res) {
        char *s = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&s, &n);

        if (!f)
                return NULL;
        for (size_t k = 0; k < res->n_domain_ids; k++)
                fprintf(f, "%s%u", k ? ", " : "", res->domain_ids[k]);
        if (fclose(f) != 0)
                return mfree(s);
        return s;
}

static char *resource_list(const RdtInfo *info) {
        char *s = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&s, &n);

        if (!f)
                return NULL;
        for (size_t k = 0; k < info->n_resources; k++)
                fprintf(f, "%s%s", k ? ", " : "", info->resources[k].name);
        if (info->n_resources == 0)
                fputs("none", f);
        if (fclose(f) != 0)
                return mfree(s);
        return s;
}

static int validate_cache(const RdtResource *res, const RdtLine *l, const RdtDomain *d, SysrunError *e) {
        uint64_t v, run;
        int bits;

        if (rdt_parse_cbm(d->value, &v) < 0)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': cache id %u: '%s' is not a hexadecimal "
                                        "bitmask", origin_of(l), l->text, d->id, d->value);
        if (v & ~res->cbm_mask)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': cache id %u: mask %s has bits outside "
                                        "cbm_mask %" PRIx64, origin_of(l), l->text, d->id, d->value,
                                        res->cbm_mask);
        bits = __builtin_popcountll(v);
        if (v != 0 && !res->sparse_masks) {
                run = v >> __builtin_ctzll(v);
                if (run & (run + 1))
                        return sysrun_error_set(e, -EINVAL, "%s: '%s': cache id %u: mask %s is not a "
                                                "contiguous run of set bits", origin_of(l), l->text, d->id,
                                                d->value);
        }
        if ((uint64_t) bits < res->min_cbm_bits)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': cache id %u: mask %s has %d bits set, %s "
                                        "needs at least %" PRIu64 " (min_cbm_bits)", origin_of(l), l->text,
                                        d->id, d->value, bits, res->name, res->min_cbm_bits);
        return 0;
}

static int validate_bandwidth(const RdtInfo *info, const RdtResource *res, const RdtLine *l,
                              const RdtDomain *d, SysrunError *e) {
        uint64_t v;

        if (rdt_parse_uint(d->value, &v) < 0 || v > UINT32_MAX)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': domain %u: '%s' is not a bandwidth value",
                                        origin_of(l), l->text, d->id, d->value);
        /* With mba_MBps the values are MBps, fed to a software controller: no percentages, no steps. */
        if (info->mba_mbps && streq(res->name, "MB"))
                return 0;
        if (v < res->min_bandwidth)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': domain %u: %" PRIu64 " is below "
                                        "min_bandwidth %" PRIu64, origin_of(l), l->text, d->id, v,
                                        res->min_bandwidth);
        if (v > res->max_bandwidth)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': domain %u: %" PRIu64
                                        " is above the maximum %" PRIu64, origin_of(l), l->text, d->id, v,
                                        res->max_bandwidth);
        /* The kernel would round it up, and a shared group would then never match the request. */
        if (v % res->bandwidth_gran != 0)
                return sysrun_error_set(e, -EINVAL, "%s: '%s': domain %u: %" PRIu64 " is not a multiple of "
                                        "bandwidth_gran %" PRIu64, origin_of(l), l->text, d->id, v,
                                        res->bandwidth_gran);
        return 0;
}

/* Where (resource, id) was set before position (li, di), or NULL. */
static const RdtLine *find_earlier(const RdtSchemata *s, size_t li, size_t di) {
        const RdtLine *l = &s->lines[li];
        unsigned id = l->domains[di].id;

        for (size_t i = 0; i <= li; i++) {
                const RdtLine *o = &s->lines[i];
                size_t n = i == li ? di : o->n_domains;

                if (!streq(o->resource, l->resource))
                        continue;
                for (size_t k = 0; k < n; k++)
                        if (o->domains[k].id == id)
                                return o;
        }
        return NULL;
}

int rdt_schemata_validate(const RdtInfo *info, const RdtSchemata *s, SysrunError *e) {
        int r;

        for (size_t i = 0; i < s->n_lines; i++) {
                const RdtLine *l = &s->lines[i];
                const RdtResource *res = rdt_info_find(info, l->resource);

                if (!res) {
                        _cleanup_free_ char *list = resource_list(info);
                        return sysrun_error_set(e, -EOPNOTSUPP, "%s: '%s': resource '%s' is not available "
                                                "on this host (resctrl has: %s)", origin_of(l), l->text,
                                                l->resource, strempty(list));
                }
                for (size_t k = 0; k < l->n_domains; k++) {
                        const RdtDomain *d = &l->domains[k];
                        const RdtLine *dup;

                        if (!has_domain(res, d->id)) {
                                _cleanup_free_ char *list = domain_list(res);
                                return sysrun_error_set(e, -EINVAL, "%s: '%s': %s %u does not exist (%s "
                                                        "has %s)", origin_of(l), l->text, domain_word(res),
                                                        d->id, res->name, strempty(list));
                        }
                        /* Written in one go, the kernel refuses a domain set twice. */
                        dup = find_earlier(s, i, k);
                        if (dup)
                                return sysrun_error_set(e, -EINVAL, "%s: '%s': %s %s %u is set twice (also "
                                                        "by %s)", origin_of(l), l->text, res->name,
                                                        domain_word(res), d->id,
                                                        dup == l ? "this line" : origin_of(dup));
                        r = res->kind == RDT_KIND_CACHE ? validate_cache(res, l, d, e)
                                                        : validate_bandwidth(info, res, l, d, e);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static const RdtDomain *find_domain(const RdtSchemata *s, const char *resource, unsigned id) {
        for (size_t i = 0; i < s->n_lines; i++) {
                if (!streq(s->lines[i].resource, resource))
                        continue;
                for (size_t k = 0; k < s->lines[i].n_domains; k++)
                        if (s->lines[i].domains[k].id == id)
                                return &s->lines[i].domains[k];
        }
        return NULL;
}

static bool values_equal(RdtKind kind, const char *a, const char *b) {
        uint64_t x, y;

        if (kind == RDT_KIND_CACHE)
                return rdt_parse_cbm(a, &x) >= 0 && rdt_parse_cbm(b, &y) >= 0 && x == y;
        return rdt_parse_uint(a, &x) >= 0 && rdt_parse_uint(b, &y) >= 0 && x == y;
}

int rdt_schemata_compare(const RdtInfo *info, const RdtSchemata *want, const RdtSchemata *have,
                         const char *group, SysrunError *e) {
        for (size_t i = 0; i < want->n_lines; i++) {
                const RdtLine *l = &want->lines[i];
                const RdtResource *res = rdt_info_find(info, l->resource);
                RdtKind kind = res ? res->kind
                                   : (startswith(l->resource, "L") ? RDT_KIND_CACHE : RDT_KIND_BANDWIDTH);
                const char *word = kind == RDT_KIND_CACHE ? "cache id" : "domain";

                for (size_t k = 0; k < l->n_domains; k++) {
                        const RdtDomain *d = &l->domains[k], *h = find_domain(have, l->resource, d->id);

                        if (!h)
                                return sysrun_error_set(e, -EEXIST, "%s: '%s': resctrl group '%s' already "
                                                        "exists and has no %s %s %u", origin_of(l), l->text,
                                                        group, l->resource, word, d->id);
                        if (!values_equal(kind, d->value, h->value))
                                return sysrun_error_set(e, -EEXIST, "%s: '%s': resctrl group '%s' already "
                                                        "exists with a different schemata (%s %s %u is %s "
                                                        "there)", origin_of(l), l->text, group, l->resource,
                                                        word, d->id, h->value);
                }
        }
        return 0;
}

/* ---- mountinfo and names ----------------------------------------------------------------------- */

/* mountinfo escapes blanks, tabs, newlines and backslashes as \ooo. */
static char *unescape_octal(const char *s, size_t n) {
        char *out = malloc(n + 1), *o = out;

        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
                    s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
                        *o++ = (char) (((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
                        i += 3;
                } else
                        *o++ = s[i];
        }
        *o = 0;
        return out;
}

/* The n-th (0-based) space-separated field of line[0, len), as a pointer and length. */
static bool field(const char *line, size_t len, unsigned n, const char **ret, size_t *ret_len) {
        const char *p = line, *end = line + len;

        for (;;) {
                const char *f = p;
                while (p < end && *p != ' ')
                        p++;
                if (n == 0) {
                        *ret = f;
                        *ret_len = (size_t) (p - f);
                        return p > f;
                }
                if (p >= end)
                        return false;
                p++;
                n--;
        }
}

int rdt_mountinfo_find(const char *mountinfo, char **ret_path, bool *ret_mba_mbps) {
        for (const char *line = mountinfo; *line;) {
                size_t len = strcspn(line, "\n");
                const char *sep = NULL, *mp, *fstype, *opts;
                size_t mp_len, fstype_len, opts_len, tail_len;

                /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS" */
                for (const char *p = line; p + 3 <= line + len; p++)
                        if (p[0] == ' ' && p[1] == '-' && p[2] == ' ') {
                                sep = p + 3;
                                break;
                        }
                if (sep && field(line, len, 4, &mp, &mp_len)) {
                        tail_len = len - (size_t) (sep - line);
                        if (field(sep, tail_len, 0, &fstype, &fstype_len) && fstype_len == 7 &&
                            memcmp(fstype, "resctrl", 7) == 0) {
                                bool mbps = false;

                                if (field(sep, tail_len, 2, &opts, &opts_len))
                                        for (const char *o = opts; o < opts + opts_len;) {
                                                size_t n = strcspn(o, ", \n");
                                                if (n > (size_t) (opts + opts_len - o))
                                                        n = (size_t) (opts + opts_len - o);
                                                if (n == 8 && memcmp(o, "mba_MBps", 8) == 0)
                                                        mbps = true;
                                                o += n + 1;
                                        }
                                *ret_path = unescape_octal(mp, mp_len);
                                if (!*ret_path)
                                        return -ENOMEM;
                                if (ret_mba_mbps)
                                        *ret_mba_mbps = mbps;
                                return 0;
                        }
                }
                line += len + (line[len] == '\n');
        }
        return -ENOENT;
}

bool rdt_group_name_is_valid(const char *name) {
        if (isempty(name) || strlen(name) > NAME_MAX || strpbrk(name, "/\n") || streq(name, ".") ||
            streq(name, ".."))
                return false;
        /* resctrl's own directories in the root (and in every group). */
        return !streq(name, "info") && !streq(name, "mon_groups") && !streq(name, "mon_data");
}
