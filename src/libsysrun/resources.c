/* SPDX-License-Identifier: Apache-2.0 */
#include "resources.h"

#include <ctype.h>
#include <math.h>

#include "strv.h"

#define R(in) ((in)->resources)
#define CPU_QUOTA_PERIOD_DEFAULT UINT64_C(100000)

void resource_plan_done(ResourcePlan *p) {
        unit_property_list_done(&p->properties);
        for (size_t i = 0; i < p->n_writes; i++) {
                free(p->writes[i].field);
                free(p->writes[i].file);
                free(p->writes[i].value);
        }
        free(p->writes);
        strv_free(p->warnings);
        *p = (ResourcePlan){};
}

static int plan_write(ResourcePlan *p, const char *field, const char *file, const char *value) {
        CgroupWrite *n = reallocarray(p->writes, p->n_writes + 1, sizeof(CgroupWrite));
        CgroupWrite w = { .field = strdup(field), .file = strdup(file), .value = strdup(value) };

        if (n)
                p->writes = n;
        if (!n || !w.field || !w.file || !w.value) {
                free(w.field);
                free(w.file);
                free(w.value);
                return -ENOMEM;
        }
        p->writes[p->n_writes++] = w;
        return 0;
}

static int plan_writef(ResourcePlan *p, const char *field, const char *file, const char *fmt, ...)
                _printf_(4, 5);
static int plan_writef(ResourcePlan *p, const char *field, const char *file, const char *fmt, ...) {
        _cleanup_free_ char *v = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&v, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return plan_write(p, field, file, v);
}

/* ---- the table's converters ---- */

static int field_error(SysrunError *e, int r, const ResourceRow *row, const char *fmt, ...) _printf_(4, 5);
static int field_error(SysrunError *e, int r, const ResourceRow *row, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        return sysrun_error_set(e, r, "%s: %s", row->field, msg ?: "out of memory");
}

static int ret_u64(const ResourceRow *row, UnitProperty *ret, uint64_t v) {
        int r = unit_property_u64(ret, row->property, row->field, v);
        return r < 0 ? r : 1;
}

static int v_memory_bytes(
                const ResourceInput *in, ResourceField f, const ResourceRow *row, const OptI64 *o,
                UnitProperty *ret, SysrunError *e) {
        if (resource_field_kind(R(in), f) == RESOURCE_UNSET)
                return 0;
        if (o->value < -1)
                return field_error(
                                e, -EINVAL, row, "expected -1 (unlimited) or a byte count, got %" PRIi64,
                                o->value);
        return ret_u64(row, ret, o->value == -1 ? UINT64_MAX : (uint64_t) o->value);
}

static int v_memory_limit(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        return R(in) ? v_memory_bytes(in, RESOURCE_FIELD_MEMORY_LIMIT, row, &R(in)->memory.limit, ret, e) : 0;
}

static int v_memory_reservation(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        return R(in) ? v_memory_bytes(
                                       in, RESOURCE_FIELD_MEMORY_RESERVATION, row, &R(in)->memory.reservation, ret, e) :
                       0;
}

static int v_memory_swap(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const OciMemory *m;
        uint64_t v;
        int r;

        if (!R(in))
                return 0;
        m = &R(in)->memory;
        /* An unlimited memory limit without a swap value makes swap unlimited too, as in runc. */
        if (resource_field_kind(R(in), RESOURCE_FIELD_MEMORY_SWAP) == RESOURCE_UNSET &&
            resource_field_kind(R(in), RESOURCE_FIELD_MEMORY_LIMIT) != RESOURCE_UNLIMITED)
                return 0;
        r = memory_swap_to_max(m->swap.set ? m->swap.value : 0, m->limit.set ? m->limit.value : 0, &v);
        if (r < 0) {
                if (m->swap.value < -1)
                        return field_error(
                                        e, r, row, "expected -1 (unlimited) or a byte count, got %" PRIi64,
                                        m->swap.value);
                if (!m->limit.set || m->limit.value <= 0)
                        return field_error(e, r, row, "a swap limit needs a memory limit (memory.limit)");
                return field_error(
                                e, r, row,
                                "memory+swap (%" PRIi64 ") must not be below memory.limit (%" PRIi64 ")",
                                m->swap.value, m->limit.value);
        }
        return r == 0 ? 0 : ret_u64(row, ret, v);
}

static bool cpu_idle(const ResourceInput *in) {
        return resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_IDLE) && R(in)->cpu.idle.value == 1;
}

static int v_cpu_shares(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_SHARES) || cpu_idle(in) || in->cpu_v1)
                return 0; /* idle wins, as in runc */
        return ret_u64(row, ret, cpu_shares_to_weight(R(in)->cpu.shares.value));
}

static int v_cpu_shares_v1(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        if (!in->cpu_v1 || !resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_SHARES) || cpu_idle(in))
                return 0;
        return ret_u64(row, ret, (uint64_t) R(in)->cpu.shares.value);
}

static int v_cpu_idle(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const OciCpu *c;

        if (resource_field_kind(R(in), RESOURCE_FIELD_CPU_IDLE) == RESOURCE_UNSET)
                return 0;
        c = &R(in)->cpu;
        if (c->idle.value != 0 && c->idle.value != 1)
                return field_error(e, -EINVAL, row, "expected 0 or 1, got %" PRIi64, c->idle.value);
        if (c->idle.value == 1)
                return ret_u64(row, ret, 0); /* CPUWeight=0 is systemd's "idle" */
        if (resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_SHARES))
                return 0;                     /* the shares row sets the weight */
        return ret_u64(row, ret, UINT64_MAX); /* back to the default weight */
}

static int w_cpu_idle(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        if (resource_field_kind(R(in), RESOURCE_FIELD_CPU_IDLE) == RESOURCE_UNSET)
                return 0;
        return plan_writef(plan, row->field, "cpu.idle", "%" PRIi64, R(in)->cpu.idle.value);
}

static bool cpu_quota_set(const ResourceInput *in) {
        return resource_field_kind(R(in), RESOURCE_FIELD_CPU_QUOTA) != RESOURCE_UNSET ||
                        resource_field_kind(R(in), RESOURCE_FIELD_CPU_PERIOD) != RESOURCE_UNSET;
}

static int v_cpu_quota(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const OciCpu *c;
        uint64_t v;
        int r;

        if (!cpu_quota_set(in))
                return 0;
        c = &R(in)->cpu;
        r = cpu_quota_to_per_sec(c->quota.set ? c->quota.value : 0, c->period.set ? c->period.value : 0, &v);
        if (r < 0)
                return field_error(e, r, row, "quota %" PRIi64 " is out of range", c->quota.value);
        return ret_u64(row, ret, v);
}

static int v_cpu_period(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const OciCpu *c = R(in) ? &R(in)->cpu : NULL;

        if (resource_field_kind(R(in), RESOURCE_FIELD_CPU_PERIOD) == RESOURCE_UNSET)
                return 0;
        if (c->period.value < 1000 || c->period.value > 1000000)
                return field_error(
                                e, -EINVAL, row, "expected 1000 to 1000000 (µs), got %" PRIu64,
                                c->period.value);
        return ret_u64(row, ret, c->period.value);
}

/* cpu.max as the kernel takes it; the quota rounded the way the property is. */
static int w_cpu_max(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        const OciCpu *c = R(in) ? &R(in)->cpu : NULL;
        uint64_t period, per_sec;
        int r;

        if (resource_field_kind(R(in), RESOURCE_FIELD_CPU_PERIOD) == RESOURCE_UNSET)
                return 0;
        period = c->period.value;
        if (!c->quota.set || c->quota.value <= 0)
                return plan_writef(plan, row->field, "cpu.max", "max %" PRIu64, period);
        r = cpu_quota_to_per_sec(c->quota.value, period, &per_sec);
        if (r < 0)
                return field_error(e, r, row, "quota %" PRIi64 " is out of range", c->quota.value);
        return plan_writef(
                        plan, row->field, "cpu.max", "%" PRIu64 " %" PRIu64, per_sec * period / 1000000,
                        period);
}

static int v_cpuset(const ResourceRow *row, const char *list, UnitProperty *ret, SysrunError *e) {
        int r;

        if (isempty(list))
                return 0;
        r = unit_property_init(ret, row->property, row->field, "ay");
        if (r < 0)
                return r;
        r = cpu_list_to_mask(list, &ret->bytes, &ret->n_bytes);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                unit_property_done(ret);
                return field_error(e, r, row, "invalid list '%s': expected e.g. \"0-3,7\"", list);
        }
        return 1;
}

static int v_cpu_cpus(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_CPUS))
                return 0;
        return v_cpuset(row, R(in)->cpu.cpus, ret, e);
}

static int v_cpu_mems(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_MEMS))
                return 0;
        return v_cpuset(row, R(in)->cpu.mems, ret, e);
}

static int w_cpuset(ResourcePlan *plan, const ResourceRow *row, const char *file, const char *list) {
        return isempty(list) ? 0 : plan_write(plan, row->field, file, list);
}

static int w_cpu_cpus(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        return resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_CPUS) ?
                        w_cpuset(plan, row, "cpuset.cpus", R(in)->cpu.cpus) :
                        0;
}

static int w_cpu_mems(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        return resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_MEMS) ?
                        w_cpuset(plan, row, "cpuset.mems", R(in)->cpu.mems) :
                        0;
}

static int w_cpu_burst(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_BURST))
                return 0;
        return plan_writef(plan, row->field, "cpu.max.burst", "%" PRIu64, R(in)->cpu.burst.value);
}

static int w_cpu_rt_runtime(
                const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        if (resource_field_kind(R(in), RESOURCE_FIELD_CPU_REALTIME_RUNTIME) == RESOURCE_UNSET)
                return 0;
        return plan_writef(
                        plan, row->field, "cpu.rt_runtime_us", "%" PRIi64, R(in)->cpu.realtime_runtime.value);
}

static int w_cpu_rt_period(
                const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_CPU_REALTIME_PERIOD))
                return 0;
        return plan_writef(plan, row->field, "cpu.rt_period_us", "%" PRIu64, R(in)->cpu.realtime_period.value);
}

static int v_pids(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        switch (resource_field_kind(R(in), RESOURCE_FIELD_PIDS_LIMIT)) {
        case RESOURCE_UNSET:
                return 0;
        case RESOURCE_UNLIMITED:
                /* runc's update leaves the limit alone for 0; only -1 lifts it */
                if (in->mode == RESOURCE_MODE_UPDATE && R(in)->pids_limit.value == 0)
                        return 0;
                return ret_u64(row, ret, UINT64_MAX);
        default:
                break;
        }
        return ret_u64(row, ret, pids_limit_to_tasks_max(R(in)->pids_limit.value));
}

static int v_io_weight(const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_BLOCKIO_WEIGHT))
                return 0;
        return ret_u64(row, ret, blkio_weight_to_io_weight(R(in)->block_io.weight.value));
}

static int add_pair(UnitProperty *p, int64_t major, int64_t minor, uint64_t number, const char *text) {
        UnitPropertyPair *n = reallocarray(p->pairs, p->n_pairs + 1, sizeof(UnitPropertyPair));
        UnitPropertyPair pair = { .number = number };

        if (!n)
                return -ENOMEM;
        p->pairs = n;
        if (asprintf(&pair.path, "/dev/block/%" PRIi64 ":%" PRIi64, major, minor) < 0)
                return -ENOMEM;
        if (text && !(pair.text = strdup(text))) {
                free(pair.path);
                return -ENOMEM;
        }
        p->pairs[p->n_pairs++] = pair;
        return 0;
}

static int v_io_device_weight(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const OciBlockIO *b = R(in) ? &R(in)->block_io : NULL;
        int r;

        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_BLOCKIO_WEIGHT_DEVICE))
                return 0;
        for (size_t i = 0; i < b->n_weight_devices; i++)
                if (b->weight_devices[i].leaf_weight.set)
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s[%zu].leafWeight: not supported with cgroup v2 (v1 only)",
                                        row->field, i);
        r = unit_property_init(ret, row->property, row->field, "a(st)");
        if (r < 0)
                return r;
        for (size_t i = 0; i < b->n_weight_devices; i++) {
                const OciWeightDevice *w = &b->weight_devices[i];
                r = add_pair(ret, w->major, w->minor, blkio_weight_to_io_weight(w->weight.value), NULL);
                if (r < 0) {
                        unit_property_done(ret);
                        return r;
                }
        }
        return 1;
}

static ThrottleKind throttle_kind(const ResourceRow *row) {
        static const char *const keys[_THROTTLE_KIND_MAX] = { "rbps", "wbps", "riops", "wiops" };

        for (ThrottleKind k = 0; k < _THROTTLE_KIND_MAX; k++)
                if (streq(row->key, keys[k]))
                        return k;
        return THROTTLE_READ_BPS;
}

static int v_io_throttle(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        ThrottleKind k = throttle_kind(row);
        const OciBlockIO *b = R(in) ? &R(in)->block_io : NULL;
        int r;

        if (!resource_field_is_limit(R(in), RESOURCE_FIELD_BLOCKIO_THROTTLE_READ_BPS + k))
                return 0;
        r = unit_property_init(ret, row->property, row->field, "a(st)");
        if (r < 0)
                return r;
        for (size_t i = 0; i < b->n_throttle[k]; i++) {
                const OciThrottleDevice *t = &b->throttle[k][i];
                /* 0 means "no limit" to the kernel (io.max takes "max"); systemd's is infinity. */
                r = add_pair(ret, t->major, t->minor, t->rate == 0 ? UINT64_MAX : t->rate, NULL);
                if (r < 0) {
                        unit_property_done(ret);
                        return r;
                }
        }
        return 1;
}

static int v_device_policy(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e);
static int v_device_allow(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e);

static int w_hugetlb(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        for (size_t i = 0; R(in) && i < R(in)->n_hugepage_limits; i++) {
                const OciHugepageLimit *h = &R(in)->hugepage_limits[i];
                _cleanup_free_ char *file = NULL, *field = NULL;

                if (asprintf(&file, "hugetlb.%s.max", h->page_size) < 0 ||
                    asprintf(&field, "%s[%zu]", row->field, i) < 0)
                        return -ENOMEM;
                if (plan_writef(plan, field, file, "%" PRIu64, h->limit) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int w_rdma(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        for (size_t i = 0; R(in) && i < R(in)->n_rdma; i++) {
                const OciRdma *d = &R(in)->rdma[i];
                _cleanup_free_ char *handles = NULL, *objects = NULL, *field = NULL;

                if ((d->hca_handles.set ? asprintf(&handles, "%" PRIu64, d->hca_handles.value) :
                                          asprintf(&handles, "max")) < 0 ||
                    (d->hca_objects.set ? asprintf(&objects, "%" PRIu64, d->hca_objects.value) :
                                          asprintf(&objects, "max")) < 0 ||
                    asprintf(&field, "%s[\"%s\"]", row->field, d->device) < 0)
                        return -ENOMEM;
                if (plan_writef(plan, field, "rdma.max", "%s hca_handle=%s hca_object=%s", d->device,
                                handles, objects) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* The field a row converts, by its JSON path. */
static ResourceField row_field(const ResourceRow *row) {
        for (ResourceField f = 0; f < _RESOURCE_FIELD_MAX; f++)
                if (streq(resource_field_to_string(f), row->field))
                        return f;
        return _RESOURCE_FIELD_INVALID;
}

/* Fields of cgroup v1 that v2 has no place for: the spec wants an error for what cannot be applied. */
static int w_v1_only(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        if (!resource_field_is_limit(R(in), row_field(row)))
                return 0;
        return field_error(e, -EOPNOTSUPP, row, "not supported with cgroup v2 (it exists in cgroup v1 only)");
}

/* Deprecated by the spec and ignored by runc: a warning, not an error. */
static int w_ignored(const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        _cleanup_free_ char *w = NULL;

        if (!resource_field_is_limit(R(in), row_field(row)))
                return 0;
        if (asprintf(&w, "%s: ignored (kernel memory limits are deprecated and not available in cgroup v2)",
                     row->field) < 0)
                return -ENOMEM;
        return strv_consume(&plan->warnings, TAKE_PTR(w));
}

/* ---- unified ---- */

static const char *unified_value(const ResourceInput *in, const ResourceRow *row) {
        return R(in) ? strv_pairs_get(R(in)->unified, row->key) : NULL;
}

static int v_unified_bytes(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const char *v = unified_value(in, row);
        uint64_t n;

        if (!v)
                return 0;
        if (unified_parse_max(v, &n) < 0)
                return field_error(e, -EINVAL, row, "expected \"max\" or a number, got '%s'", v);
        return ret_u64(row, ret, n);
}

static int v_unified_weight(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const char *v = unified_value(in, row), *n;
        uint64_t w;

        if (!v)
                return 0;
        n = startswith(v, "default ") ?: v; /* io.weight may say "default N" */
        if (unified_parse_max(n, &w) < 0 || w < 1 || w > 10000)
                return field_error(e, -EINVAL, row, "expected a weight from 1 to 10000, got '%s'", v);
        return ret_u64(row, ret, w);
}

static int v_unified_oom_group(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const char *v = unified_value(in, row);
        int r;

        if (!v)
                return 0;
        if (!streq(v, "0") && !streq(v, "1"))
                return field_error(e, -EINVAL, row, "expected \"0\" or \"1\", got '%s'", v);
        r = unit_property_string(ret, row->property, row->field, streq(v, "1") ? "kill" : "continue");
        return r < 0 ? r : 1;
}

/* "max", "max 100000", "50000 100000" or "50000". */
static int parse_cpu_max(const char *v, int64_t *ret_quota, uint64_t *ret_period) {
        _cleanup_free_ char *copy = strdup(v);
        char *sp;
        uint64_t q, p = 0;

        if (!copy)
                return -ENOMEM;
        sp = strchr(copy, ' ');
        if (sp) {
                *sp = 0;
                if (unified_parse_max(sp + 1, &p) < 0 || p == UINT64_MAX || p == 0)
                        return -EINVAL;
        }
        if (unified_parse_max(copy, &q) < 0 || (q != UINT64_MAX && q > INT64_MAX))
                return -EINVAL;
        *ret_quota = q == UINT64_MAX ? -1 : (int64_t) q;
        *ret_period = p;
        return 0;
}

static int v_unified_cpu_max(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        const char *v = unified_value(in, row);
        uint64_t period, per_sec;
        int64_t quota;
        int r;

        if (!v)
                return 0;
        r = parse_cpu_max(v, &quota, &period);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return field_error(e, r, row, "expected \"max\" or \"QUOTA [PERIOD]\", got '%s'", v);
        if (streq(row->property, "CPUQuotaPeriodUSec"))
                return period == 0 ? 0 : ret_u64(row, ret, period);
        r = cpu_quota_to_per_sec(quota, period, &per_sec);
        if (r < 0)
                return field_error(e, r, row, "quota out of range in '%s'", v);
        return ret_u64(row, ret, per_sec);
}

static int v_unified_cpuset(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        return v_cpuset(row, unified_value(in, row), ret, e);
}

static int w_unified_literal(
                const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        const char *v = unified_value(in, row);
        return v ? plan_write(plan, row->field, row->key, v) : 0;
}

bool resources_unified_key_is_valid(const char *k) {
        const char *dot = strchr(k, '.');

        if (!dot || dot == k || !dot[1] || startswith(k, "cgroup.") || strstr(k, ".."))
                return false;
        for (const char *p = k; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '_' && *p != '.')
                        return false;
        return true;
}

static int w_unified_other(
                const ResourceInput *in, const ResourceRow *row, ResourcePlan *plan, SysrunError *e) {
        STRV_FOREACH_PAIR(k, v, R(in) ? R(in)->unified : NULL) {
                _cleanup_free_ char *field = NULL;

                if (resources_unified_key_is_mapped(*k))
                        continue;
                if (asprintf(&field, "%s[\"%s\"]", row->field, *k) < 0)
                        return -ENOMEM;
                if (!resources_unified_key_is_valid(*k))
                        return sysrun_error_set(
                                        e, -EINVAL, "%s: not a cgroup v2 interface file of a controller",
                                        field);
                if (plan_write(plan, field, *k, *v) < 0)
                        return -ENOMEM;
        }
        return 0;
}

#define F(f) "linux.resources." f
#define U(k) "linux.resources.unified[\"" k "\"]"

static const ResourceRow resource_rows[] = {
        /* clang-format off */
        /* field, unified key or variant, property, D-Bus signature, systemd version, flags, value, write */
        { F("memory.limit"),                    NULL,               "MemoryMax",           "t",     231, 0,               v_memory_limit,       NULL },
        { F("memory.reservation"),              NULL,               "MemoryLow",           "t",     231, 0,               v_memory_reservation, NULL },
        { F("memory.swap"),                     NULL,               "MemorySwapMax",       "t",     232, 0,               v_memory_swap,        NULL },
        { F("memory.kernel"),                   "kernel",           NULL,                  NULL,    0,   0,               NULL,                 w_ignored },
        { F("memory.kernelTCP"),                "kernelTCP",        NULL,                  NULL,    0,   0,               NULL,                 w_ignored },
        { F("memory.swappiness"),               "swappiness",       NULL,                  NULL,    0,   0,               NULL,                 w_v1_only },
        { F("memory.disableOOMKiller"),         "disableOOMKiller", NULL,                  NULL,    0,   0,               NULL,                 w_v1_only },
        { F("cpu.shares"),                      NULL,               "CPUWeight",           "t",     232, 0,               v_cpu_shares,         NULL },
        { F("cpu.shares"),                      NULL,               "CPUShares",           "t",     208, 0,               v_cpu_shares_v1,      NULL },
        { F("cpu.idle"),                        NULL,               "CPUWeight",           "t",     252, 0,               v_cpu_idle,           w_cpu_idle },
        { F("cpu.quota"),                       NULL,               "CPUQuotaPerSecUSec",  "t",     213, 0,               v_cpu_quota,          NULL },
        { F("cpu.period"),                      NULL,               "CPUQuotaPeriodUSec",  "t",     242, 0,               v_cpu_period,         w_cpu_max },
        { F("cpu.burst"),                       NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_cpu_burst },
        { F("cpu.realtimeRuntime"),             NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_cpu_rt_runtime },
        { F("cpu.realtimePeriod"),              NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_cpu_rt_period },
        { F("cpu.cpus"),                        NULL,               "AllowedCPUs",         "ay",    244, 0,               v_cpu_cpus,           w_cpu_cpus },
        { F("cpu.mems"),                        NULL,               "AllowedMemoryNodes",  "ay",    244, 0,               v_cpu_mems,           w_cpu_mems },
        { F("pids.limit"),                      NULL,               "TasksMax",            "t",     227, 0,               v_pids,               NULL },
        { F("blockIO.weight"),                  NULL,               "IOWeight",            "t",     230, 0,               v_io_weight,          NULL },
        { F("blockIO.leafWeight"),              "leafWeight",       NULL,                  NULL,    0,   0,               NULL,                 w_v1_only },
        { F("blockIO.weightDevice"),            NULL,               "IODeviceWeight",      "a(st)", 230, ROW_RESET_LIST,  v_io_device_weight,   NULL },
        { F("blockIO.throttleReadBpsDevice"),   "rbps",             "IOReadBandwidthMax",  "a(st)", 230, ROW_RESET_LIST,  v_io_throttle,        NULL },
        { F("blockIO.throttleWriteBpsDevice"),  "wbps",             "IOWriteBandwidthMax", "a(st)", 230, ROW_RESET_LIST,  v_io_throttle,        NULL },
        { F("blockIO.throttleReadIOPSDevice"),  "riops",            "IOReadIOPSMax",       "a(st)", 230, ROW_RESET_LIST,  v_io_throttle,        NULL },
        { F("blockIO.throttleWriteIOPSDevice"), "wiops",            "IOWriteIOPSMax",      "a(st)", 230, ROW_RESET_LIST,  v_io_throttle,        NULL },
        { F("devices"),                         NULL,               "DevicePolicy",        "s",     208, 0,               v_device_policy,      NULL },
        { F("devices"),                         NULL,               "DeviceAllow",         "a(ss)", 240, ROW_RESET_LIST,  v_device_allow,       NULL },
        { F("hugepageLimits"),                  NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_hugetlb },
        { F("network.classID"),                 "classID",          NULL,                  NULL,    0,   0,               NULL,                 w_v1_only },
        { F("network.priorities"),              "priorities",       NULL,                  NULL,    0,   0,               NULL,                 w_v1_only },
        { F("rdma"),                            NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_rdma },
        { U("memory.min"),                      "memory.min",       "MemoryMin",           "t",     240, 0,               v_unified_bytes,      w_unified_literal },
        { U("memory.low"),                      "memory.low",       "MemoryLow",           "t",     231, 0,               v_unified_bytes,      NULL },
        { U("memory.high"),                     "memory.high",      "MemoryHigh",          "t",     231, 0,               v_unified_bytes,      NULL },
        { U("memory.max"),                      "memory.max",       "MemoryMax",           "t",     231, 0,               v_unified_bytes,      NULL },
        { U("memory.swap.max"),                 "memory.swap.max",  "MemorySwapMax",       "t",     232, 0,               v_unified_bytes,      NULL },
        { U("memory.zswap.max"),                "memory.zswap.max", "MemoryZSwapMax",      "t",     253, 0,               v_unified_bytes,      w_unified_literal },
        { U("memory.oom.group"),                "memory.oom.group", "OOMPolicy",           "s",     252, ROW_CREATE_ONLY, v_unified_oom_group,  w_unified_literal },
        { U("cpu.max"),                         "cpu.max",          "CPUQuotaPerSecUSec",  "t",     213, 0,               v_unified_cpu_max,    NULL },
        { U("cpu.max"),                         "cpu.max",          "CPUQuotaPeriodUSec",  "t",     242, 0,               v_unified_cpu_max,    w_unified_literal },
        { U("cpu.weight"),                      "cpu.weight",       "CPUWeight",           "t",     232, 0,               v_unified_weight,     NULL },
        { U("cpuset.cpus"),                     "cpuset.cpus",      "AllowedCPUs",         "ay",    244, 0,               v_unified_cpuset,     w_unified_literal },
        { U("cpuset.mems"),                     "cpuset.mems",      "AllowedMemoryNodes",  "ay",    244, 0,               v_unified_cpuset,     w_unified_literal },
        { U("pids.max"),                        "pids.max",         "TasksMax",            "t",     227, 0,               v_unified_bytes,      NULL },
        { U("io.weight"),                       "io.weight",        "IOWeight",            "t",     230, 0,               v_unified_weight,     NULL },
        { F("unified"),                         NULL,               NULL,                  NULL,    0,   0,               NULL,                 w_unified_other },
        /* clang-format on */
};

const ResourceRow *resource_table(size_t *ret_n) {
        *ret_n = ELEMENTSOF(resource_rows);
        return resource_rows;
}

bool resources_unified_key_is_mapped(const char *key) {
        for (size_t i = 0; i < ELEMENTSOF(resource_rows); i++)
                if (resource_rows[i].property && resource_rows[i].key &&
                    startswith(resource_rows[i].field, "linux.resources.unified[") &&
                    streq(resource_rows[i].key, key))
                        return true;
        return false;
}

/* ---- devices (the allow-list itself is in resources-devices.c) ---- */

static bool devices_apply(const ResourceInput *in) {
        /* runc does not update devices; at create the defaults always apply. */
        return in->mode == RESOURCE_MODE_CREATE &&
                        (in->default_devices || (R(in) && R(in)->n_devices > 0));
}

static void pairs_free(UnitPropertyPair *p, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(p[i].path);
                free(p[i].text);
        }
        free(p);
}

static int v_device_policy(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        bool allow_all;
        int r;

        if (!devices_apply(in))
                return 0;
        r = resources_devices_plan(in, row->field, &allow_all, NULL, NULL, e);
        if (r < 0)
                return r;
        r = unit_property_string(ret, row->property, row->field, allow_all ? "auto" : "strict");
        return r < 0 ? r : 1;
}

static int v_device_allow(
                const ResourceInput *in, const ResourceRow *row, UnitProperty *ret, SysrunError *e) {
        UnitPropertyPair *pairs = NULL;
        size_t n = 0;
        bool allow_all;
        int r;

        if (!devices_apply(in))
                return 0;
        r = resources_devices_plan(in, row->field, &allow_all, &pairs, &n, e);
        if (r < 0)
                return r;
        r = unit_property_init(ret, row->property, row->field, "a(ss)");
        if (r < 0) {
                pairs_free(pairs, n);
                return r;
        }
        ret->pairs = pairs;
        ret->n_pairs = n;
        return 1;
}

/* ---- the plan ---- */

static int row_needs_fallback(const ResourceInput *in, const ResourceRow *row, const char **ret_why) {
        if (in->systemd_version > 0 && row->min_systemd > in->systemd_version) {
                *ret_why = "version";
                return 1;
        }
        if (in->mode == RESOURCE_MODE_UPDATE && (row->flags & ROW_CREATE_ONLY)) {
                *ret_why = "create-only";
                return 1;
        }
        return 0;
}

int resources_plan(const ResourceInput *in, ResourcePlan *ret, SysrunError *e) {
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        int r;

        for (size_t i = 0; i < ELEMENTSOF(resource_rows); i++) {
                const ResourceRow *row = &resource_rows[i];
                UnitProperty p = {};
                const char *why = NULL;

                if (!row->property) {
                        r = row->write(in, row, &plan, e);
                        if (r < 0)
                                return r;
                        continue;
                }

                r = row->value(in, row, &p, e);
                if (r <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                if (row_needs_fallback(in, row, &why)) {
                        unit_property_done(&p);
                        if (row->write) {
                                r = row->write(in, row, &plan, e);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        if (streq(why, "version"))
                                return sysrun_error_set(
                                                e, -EOPNOTSUPP,
                                                "%s: needs systemd %u or newer for %s= (this is "
                                                "systemd %u)",
                                                row->field, row->min_systemd, row->property,
                                                in->systemd_version);
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP, "%s: can only be set when the container is created",
                                        row->field);
                }
                if (row->flags & ROW_RESET_LIST && p.n_pairs > 0) {
                        UnitProperty reset;
                        r = unit_property_init(&reset, row->property, row->field, row->signature);
                        if (r >= 0)
                                r = unit_property_list_take(&plan.properties, &reset);
                        if (r < 0) {
                                unit_property_done(&p);
                                return r;
                        }
                }
                r = unit_property_list_take(&plan.properties, &p);
                if (r < 0)
                        return r;
        }
        *ret = plan;
        plan = (ResourcePlan){};
        return 0;
}

bool resources_need_current(const OciResources *r) {
        const OciMemory *m = &r->memory;
        const OciCpu *c = &r->cpu;

        return (m->swap.set && !m->limit.set) || (c->quota.set && !c->period.set) ||
                        (c->period.set && !c->quota.set);
}

void resources_merge_current(OciResources *r, const CurrentResources *cur) {
        OciMemory *m = &r->memory;
        OciCpu *c = &r->cpu;

        /* A new OCI swap is memory+swap: it needs the limit in force. */
        if (m->swap.set && !m->limit.set)
                m->limit = (OptI64){ true, cur->memory_max == UINT64_MAX ? -1 : (int64_t) cur->memory_max };

        /* The v1 files, when read, are what is in force. */
        if (cur->cpu_cfs_period_usec != 0) {
                if (c->quota.set && !c->period.set)
                        c->period = (OptU64){ true, cur->cpu_cfs_period_usec };
                if (c->period.set && !c->quota.set && cur->cpu_cfs_quota_usec > 0)
                        c->quota = (OptI64){ true, cur->cpu_cfs_quota_usec };
                return;
        }

        /* A new quota is per period: the period in force (none set: the default). */
        if (c->quota.set && !c->period.set && cur->cpu_quota_period_usec != UINT64_MAX &&
            cur->cpu_quota_period_usec != 0)
                c->period = (OptU64){ true, cur->cpu_quota_period_usec };

        /* A new period keeps the quota in force (µs per period), as runc does. */
        if (c->period.set && !c->quota.set && cur->cpu_quota_per_sec_usec != UINT64_MAX) {
                uint64_t old_period = cur->cpu_quota_period_usec == UINT64_MAX ||
                                                cur->cpu_quota_period_usec == 0 ?
                                CPU_QUOTA_PERIOD_DEFAULT :
                                cur->cpu_quota_period_usec;
                c->quota = (OptI64){ true, (int64_t) (cur->cpu_quota_per_sec_usec * old_period / 1000000) };
        }
}
