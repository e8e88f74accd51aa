/* SPDX-License-Identifier: Apache-2.0 */
/* The "linux" object of config.json (and linux.resources alone, for update); the rest is in config.c. */
#include <inttypes.h>

#include "config-internal.h"
#include "strv.h"

static const char *const device_types[] = { "c", "b", "u", "p", NULL };
static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };
/* The spec names four; runc also takes the recursive forms, and configs written for it use them. */
static const char *const rootfs_propagations[] = {
        "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable", NULL,
};

static const char *const device_rule_types[] = { "a", "c", "b", NULL };

static int parse_device_rule(json_object *o, const char *path, void *item, SysrunError *err) {
        OciDeviceRule *d = item;
        int type = 0, r;

        *d = (OciDeviceRule) { .type = 'a', .major = -1, .minor = -1 };

        r = json_get_bool(o, path, "allow", JSON_MANDATORY, &d->allow, err);
        if (r < 0)
                return r;
        r = json_get_enum(o, path, "type", 0, device_rule_types, NULL, &type, err);
        if (r < 0)
                return r;
        if (r > 0)
                d->type = device_rule_types[type][0];
        r = json_get_int(o, path, "major", 0, JSON_I64, &d->major, err);
        if (r < 0)
                return r;
        r = json_get_int(o, path, "minor", 0, JSON_I64, &d->minor, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "access", 0, &d->access, err);
        if (r < 0)
                return r;
        /* runc reads r, w and m and passes over anything else ("rwa" is "rw"): no access is lost,
         * since there is no other. */
        if (d->access) {
                char *w = d->access;
                bool given = *w != 0;
                for (const char *c = d->access; *c; c++)
                        if (*c == 'r' || *c == 'w' || *c == 'm')
                                *w++ = *c;
                *w = 0;
                /* An empty access reads as "rwm" everywhere: "a" must not become that. */
                if (given && !*d->access)
                        return json_error(err, path, "access", "has none of \"r\", \"w\" and \"m\", got %s",
                                          json_describe(json_object_object_get(o, "access")));
        }
        return 0;
}

static int parse_memory(json_object *o, const char *path, OciMemory *m, SysrunError *err) {
        const struct {
                const char *key;
                OptI64 *value;
        } ints[] = {
                { "limit", &m->limit },
                { "reservation", &m->reservation },
                { "swap", &m->swap },
                { "kernel", &m->kernel },
                { "kernelTCP", &m->kernel_tcp },
        };
        const struct {
                const char *key;
                OptBool *value;
        } bools[] = {
                { "disableOOMKiller", &m->disable_oom_killer },
                { "useHierarchy", &m->use_hierarchy },
                { "checkBeforeUpdate", &m->check_before_update },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(ints); i++) {
                r = json_get_opt_int(o, path, ints[i].key, JSON_I64, ints[i].value, err);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(bools); i++) {
                r = json_get_opt_bool(o, path, bools[i].key, bools[i].value, err);
                if (r < 0)
                        return r;
        }
        r = json_get_opt_uint(o, path, "swappiness", JSON_U64, &m->swappiness, err);
        return r < 0 ? r : 0;
}

static int parse_cpu(json_object *o, const char *path, OciCpu *c, SysrunError *err) {
        const struct {
                const char *key;
                OptI64 *value;
        } ints[] = {
                { "quota", &c->quota },
                { "realtimeRuntime", &c->realtime_runtime },
                { "idle", &c->idle },
        };
        const struct {
                const char *key;
                OptU64 *value;
        } uints[] = {
                { "shares", &c->shares },
                { "burst", &c->burst },
                { "period", &c->period },
                { "realtimePeriod", &c->realtime_period },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(ints); i++) {
                r = json_get_opt_int(o, path, ints[i].key, JSON_I64, ints[i].value, err);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(uints); i++) {
                r = json_get_opt_uint(o, path, uints[i].key, JSON_U64, uints[i].value, err);
                if (r < 0)
                        return r;
        }
        r = json_get_string(o, path, "cpus", 0, &c->cpus, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "mems", 0, &c->mems, err);
        return r < 0 ? r : 0;
}

static int parse_weight_device(json_object *o, const char *path, void *item, SysrunError *err) {
        OciWeightDevice *w = item;
        int r;

        r = json_get_int(o, path, "major", JSON_MANDATORY, JSON_I64, &w->major, err);
        if (r < 0)
                return r;
        r = json_get_int(o, path, "minor", JSON_MANDATORY, JSON_I64, &w->minor, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "weight", JSON_U16, &w->weight, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "leafWeight", JSON_U16, &w->leaf_weight, err);
        if (r < 0)
                return r;
        if (!w->weight.set && !w->leaf_weight.set)
                return json_error(err, path, NULL, "at least one of weight and leafWeight is required");
        return 0;
}

static int parse_throttle_device(json_object *o, const char *path, void *item, SysrunError *err) {
        OciThrottleDevice *t = item;
        int r;

        r = json_get_int(o, path, "major", JSON_MANDATORY, JSON_I64, &t->major, err);
        if (r < 0)
                return r;
        r = json_get_int(o, path, "minor", JSON_MANDATORY, JSON_I64, &t->minor, err);
        if (r < 0)
                return r;
        r = json_get_uint(o, path, "rate", JSON_MANDATORY, JSON_U64, &t->rate, err);
        return r < 0 ? r : 0;
}

static int parse_block_io(json_object *o, const char *path, OciBlockIO *b, SysrunError *err) {
        static const char *const throttle_keys[_THROTTLE_KIND_MAX] = {
                [THROTTLE_READ_BPS] = "throttleReadBpsDevice",
                [THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
                [THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
                [THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
        };
        int r;

        r = json_get_opt_uint(o, path, "weight", JSON_U16, &b->weight, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "leafWeight", JSON_U16, &b->leaf_weight, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "weightDevice", 0, parse_weight_device, &b->weight_devices,
                              &b->n_weight_devices, err);
        if (r < 0)
                return r;
        for (ThrottleKind k = 0; k < _THROTTLE_KIND_MAX; k++) {
                r = json_get_array_of(o, path, throttle_keys[k], 0, parse_throttle_device, &b->throttle[k],
                                      &b->n_throttle[k], err);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The form of the hugetlb.<size>.* cgroup file names, which is also the spec schema's pattern. */
static bool page_size_is_valid(const char *s) {
        size_t n = strspn(s, "0123456789");

        return n > 0 && s[0] != '0' && (streq(s + n, "KB") || streq(s + n, "MB") || streq(s + n, "GB"));
}

static int parse_hugepage_limit(json_object *o, const char *path, void *item, SysrunError *err) {
        OciHugepageLimit *h = item;
        int r;

        r = json_get_string(o, path, "pageSize", JSON_MANDATORY, &h->page_size, err);
        if (r < 0)
                return r;
        if (!page_size_is_valid(h->page_size))
                return json_error(err, path, "pageSize",
                                  "expected a size like \"2MB\" (KB, MB or GB), got %s",
                                  json_describe(json_object_object_get(o, "pageSize")));
        r = json_get_uint(o, path, "limit", JSON_MANDATORY, JSON_U64, &h->limit, err);
        return r < 0 ? r : 0;
}

static int parse_net_priority(json_object *o, const char *path, void *item, SysrunError *err) {
        OciNetPriority *p = item;
        int r;

        r = json_get_string(o, path, "name", JSON_MANDATORY | JSON_NONEMPTY, &p->name, err);
        if (r < 0)
                return r;
        r = json_get_u32(o, path, "priority", JSON_MANDATORY, &p->priority, err);
        return r < 0 ? r : 0;
}

static int parse_rdma(json_object *o, const char *path, OciResources *res, SysrunError *err) {
        json_object *m = NULL;
        size_t n;
        int r;

        r = json_get_object(o, path, "rdma", 0, &m, err);
        if (r <= 0)
                return r;
        n = (size_t) json_object_object_length(m);
        if (n == 0)
                return 0;
        res->rdma = calloc(n, sizeof(OciRdma));
        if (!res->rdma)
                return json_oom(err);

        json_object_object_foreach(m, name, value) {
                _cleanup_free_ char *p = json_path_map(path, "rdma", name);
                OciRdma *d = res->rdma + res->n_rdma++;

                if (!p)
                        return json_oom(err);
                if (isempty(name))
                        return json_error(err, p, NULL, "key must not be empty");
                d->device = strdup(name);
                if (!d->device)
                        return json_oom(err);
                r = json_value_object(value, p, NULL, err);
                if (r < 0)
                        return r;
                r = json_get_opt_uint(value, p, "hcaHandles", JSON_U32, &d->hca_handles, err);
                if (r < 0)
                        return r;
                r = json_get_opt_uint(value, p, "hcaObjects", JSON_U32, &d->hca_objects, err);
                if (r < 0)
                        return r;
                if (!d->hca_handles.set && !d->hca_objects.set)
                        return json_error(err, p, NULL,
                                          "at least one of hcaHandles and hcaObjects is required");
        }
        return 0;
}

static int parse_resources(json_object *o, const char *path, OciResources *res, SysrunError *err) {
        _cleanup_free_ char *mp = json_path(path, "memory"), *cp = json_path(path, "cpu"),
                            *pp = json_path(path, "pids"), *bp = json_path(path, "blockIO"),
                            *np = json_path(path, "network");
        json_object *sub = NULL;
        int r;

        if (!mp || !cp || !pp || !bp || !np)
                return json_oom(err);

        r = json_get_array_of(o, path, "devices", 0, parse_device_rule, &res->devices, &res->n_devices, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "memory", 0, &sub, err);
        if (r > 0) {
                res->has_memory = true;
                r = parse_memory(sub, mp, &res->memory, err);
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "cpu", 0, &sub, err);
        if (r > 0) {
                res->has_cpu = true;
                r = parse_cpu(sub, cp, &res->cpu, err);
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "pids", 0, &sub, err);
        if (r > 0) {
                res->has_pids = true;
                r = json_get_opt_int(sub, pp, "limit", JSON_I64, &res->pids_limit, err);
                if (r == 0)
                        r = json_error(err, pp, "limit", "missing required field");
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "blockIO", 0, &sub, err);
        if (r > 0) {
                res->has_block_io = true;
                r = parse_block_io(sub, bp, &res->block_io, err);
        }
        if (r < 0)
                return r;

        r = json_get_array_of(o, path, "hugepageLimits", 0, parse_hugepage_limit, &res->hugepage_limits,
                              &res->n_hugepage_limits, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "network", 0, &sub, err);
        if (r > 0) {
                res->has_network = true;
                r = json_get_opt_uint(sub, np, "classID", JSON_U32, &res->network_class_id, err);
                if (r >= 0)
                        r = json_get_array_of(sub, np, "priorities", 0, parse_net_priority,
                                              &res->network_priorities, &res->n_network_priorities, err);
        }
        if (r < 0)
                return r;

        r = parse_rdma(o, path, res, err);
        if (r < 0)
                return r;
        r = json_get_string_map(o, path, "unified", &res->unified, err);
        return r < 0 ? r : 0;
}

static void resources_done(OciResources *res) {
        for (size_t i = 0; i < res->n_devices; i++)
                free(res->devices[i].access);
        free(res->devices);
        free(res->cpu.cpus);
        free(res->cpu.mems);
        free(res->block_io.weight_devices);
        for (ThrottleKind k = 0; k < _THROTTLE_KIND_MAX; k++)
                free(res->block_io.throttle[k]);
        for (size_t i = 0; i < res->n_hugepage_limits; i++)
                free(res->hugepage_limits[i].page_size);
        free(res->hugepage_limits);
        for (size_t i = 0; i < res->n_network_priorities; i++)
                free(res->network_priorities[i].name);
        free(res->network_priorities);
        for (size_t i = 0; i < res->n_rdma; i++)
                free(res->rdma[i].device);
        free(res->rdma);
        strv_free(res->unified);
}

OciResources *oci_resources_free(OciResources *res) {
        if (!res)
                return NULL;
        resources_done(res);
        free(res);
        return NULL;
}

int oci_resources_parse_string(const char *json, OciResources **ret, SysrunError *reterr_error) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_(oci_resources_freep) OciResources *res = NULL;
        int r;

        r = json_parse_text(json, strlen(json), &o, reterr_error);
        if (r < 0)
                return r;
        res = calloc(1, sizeof(OciResources));
        if (!res)
                return json_oom(reterr_error);
        r = parse_resources(o, NULL, res, reterr_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(res);
        return 0;
}

static int parse_intel_rdt(json_object *o, const char *path, OciIntelRdt *rdt, SysrunError *err) {
        static const char *const monitoring_keys[] = { "enableMonitoring", "enableCMT", "enableMBM" };
        int r;

        rdt->set = true;
        r = json_get_string(o, path, "closID", 0, &rdt->clos_id, err);
        if (r < 0)
                return r;
        /* closID names a directory under /sys/fs/resctrl: keep it from pointing elsewhere. "/" alone
         * is the default (root) group (runtime-spec 1.3). */
        if (r > 0 && !streq(rdt->clos_id, "/") &&
            (strpbrk(rdt->clos_id, "/\n") || isempty(rdt->clos_id) || streq(rdt->clos_id, ".") ||
             streq(rdt->clos_id, "..")))
                return json_error(err, path, "closID", "must be a plain directory name, got %s",
                                  json_describe(json_object_object_get(o, "closID")));
        r = json_get_string(o, path, "l3CacheSchema", 0, &rdt->l3_cache_schema, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "memBwSchema", 0, &rdt->mem_bw_schema, err);
        if (r < 0)
                return r;

        r = json_get_strv(o, path, "schemata", 0, &rdt->schemata, err);
        if (r < 0)
                return r;
        for (size_t i = 0; rdt->schemata && rdt->schemata[i]; i++)
                if (strchr(rdt->schemata[i], '\n')) {
                        _cleanup_free_ char *p = json_path_index(path, "schemata", i);

                        return p ? json_error(err, p, NULL, "must not contain newlines") : json_oom(err);
                }

        /* enableCMT and enableMBM are the pre-1.3 names; hardware cannot enable them separately anyway. */
        for (size_t i = 0; i < ELEMENTSOF(monitoring_keys); i++) {
                bool b = false;

                r = json_get_bool(o, path, monitoring_keys[i], 0, &b, err);
                if (r < 0)
                        return r;
                rdt->enable_monitoring = rdt->enable_monitoring || b;
        }
        return 0;
}

static void intel_rdt_done(OciIntelRdt *rdt) {
        free(rdt->clos_id);
        free(rdt->l3_cache_schema);
        free(rdt->mem_bw_schema);
        strv_free(rdt->schemata);
}

static int get_seccomp_action(json_object *o, const char *path, const char *key, SeccompActionType *ret,
                              SysrunError *err) {
        _cleanup_free_ char *s = NULL;
        SeccompActionType a;
        int r;

        r = json_get_string(o, path, key, JSON_MANDATORY, &s, err);
        if (r < 0)
                return r;
        a = seccomp_action_from_string(s);
        if (a < 0)
                return json_error(err, path, key, "unknown seccomp action %s",
                                  json_describe(json_object_object_get(o, key)));
        *ret = a;
        return 0;
}

/* The spec wants an error for an errno with an action that cannot return one. */
static int check_errno_ret(const char *path, const char *key, const OptU64 *errno_ret,
                           SeccompActionType action, SysrunError *err) {
        if (!errno_ret->set || action == SECCOMP_ACTION_ERRNO || action == SECCOMP_ACTION_TRACE)
                return 0;
        return json_error(err, path, key, "only allowed with SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not %s",
                          seccomp_action_to_string(action));
}

static int parse_seccomp_arg(json_object *o, const char *path, void *item, SysrunError *err) {
        OciSeccompArg *a = item;
        _cleanup_free_ char *op = NULL;
        int r;

        r = json_get_u32(o, path, "index", JSON_MANDATORY, &a->index, err);
        if (r < 0)
                return r;
        /* Syscalls have six argument registers. */
        if (a->index > 5)
                return json_error(err, path, "index", "must be less than 6, got %" PRIu32, a->index);
        r = json_get_uint(o, path, "value", JSON_MANDATORY, JSON_U64, &a->value, err);
        if (r < 0)
                return r;
        r = json_get_uint(o, path, "valueTwo", 0, JSON_U64, &a->value_two, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "op", JSON_MANDATORY, &op, err);
        if (r < 0)
                return r;
        a->op = seccomp_operator_from_string(op);
        if (a->op < 0)
                return json_error(err, path, "op", "unknown seccomp operator %s",
                                  json_describe(json_object_object_get(o, "op")));
        return 0;
}

static int parse_seccomp_syscall(json_object *o, const char *path, void *item, SysrunError *err) {
        OciSeccompSyscall *s = item;
        int r;

        r = json_get_strv(o, path, "names", JSON_MANDATORY | JSON_NONEMPTY, &s->names, err);
        if (r < 0)
                return r;
        r = get_seccomp_action(o, path, "action", &s->action, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "errnoRet", JSON_U32, &s->errno_ret, err);
        if (r < 0)
                return r;
        r = check_errno_ret(path, "errnoRet", &s->errno_ret, s->action, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "args", 0, parse_seccomp_arg, &s->args, &s->n_args, err);
        return r < 0 ? r : 0;
}

static int parse_seccomp(json_object *o, const char *path, OciSeccomp *s, SysrunError *err) {
        int r;

        r = get_seccomp_action(o, path, "defaultAction", &s->default_action, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "defaultErrnoRet", JSON_U32, &s->default_errno_ret, err);
        if (r < 0)
                return r;
        r = check_errno_ret(path, "defaultErrnoRet", &s->default_errno_ret, s->default_action, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "architectures", 0, &s->architectures, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "flags", 0, &s->flags, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "listenerPath", 0, &s->listener_path, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "listenerMetadata", 0, &s->listener_metadata, err);
        if (r < 0)
                return r;
        if (s->listener_metadata && !s->listener_path)
                return json_error(err, path, "listenerMetadata", "requires listenerPath");
        r = json_get_array_of(o, path, "syscalls", 0, parse_seccomp_syscall, &s->syscalls, &s->n_syscalls,
                              err);
        return r < 0 ? r : 0;
}

static OciSeccomp *seccomp_free(OciSeccomp *s) {
        if (!s)
                return NULL;

        strv_free(s->architectures);
        strv_free(s->flags);
        free(s->listener_path);
        free(s->listener_metadata);
        for (size_t i = 0; i < s->n_syscalls; i++) {
                strv_free(s->syscalls[i].names);
                free(s->syscalls[i].args);
        }
        free(s->syscalls);
        free(s);
        return NULL;
}

static int parse_namespace(json_object *o, const char *path, void *item, SysrunError *err) {
        const char *names[_NAMESPACE_TYPE_MAX + 1] = {};
        OciNamespace *ns = item;
        int type = 0, r;

        for (NamespaceType t = 0; t < _NAMESPACE_TYPE_MAX; t++)
                names[t] = namespace_type_to_string(t);
        r = json_get_enum(o, path, "type", JSON_MANDATORY, names, NULL, &type, err);
        if (r < 0)
                return r;
        ns->type = type;
        return json_get_string(o, path, "path", JSON_ABSOLUTE, &ns->path, err);
}

static int parse_namespaces(json_object *o, const char *path, OciLinux *l, SysrunError *err) {
        int r;

        r = json_get_array_of(o, path, "namespaces", 0, parse_namespace, &l->namespaces, &l->n_namespaces,
                              err);
        if (r <= 0)
                return r;
        for (size_t i = 1; i < l->n_namespaces; i++)
                for (size_t j = 0; j < i; j++)
                        if (l->namespaces[i].type == l->namespaces[j].type) {
                                _cleanup_free_ char *a = json_path_index(path, "namespaces", i),
                                                    *b = json_path_index(path, "namespaces", j);

                                if (!a || !b)
                                        return json_oom(err);
                                return json_error(err, a, "type",
                                                  "duplicate namespace type \"%s\", already given in %s",
                                                  namespace_type_to_string(l->namespaces[i].type), b);
                        }
        return 0;
}

static int parse_time_offset(json_object *o, const char *path, const char *key, OciTimeOffset *t,
                             SysrunError *err) {
        _cleanup_free_ char *p = NULL;
        json_object *sub = NULL;
        uint64_t ns;
        int r;

        r = json_get_object(o, path, key, 0, &sub, err);
        if (r <= 0)
                return r;
        p = json_path(path, key);
        if (!p)
                return json_oom(err);
        t->set = true;
        r = json_get_int(sub, p, "secs", 0, JSON_I64, &t->secs, err);
        if (r < 0)
                return r;
        r = json_get_uint(sub, p, "nanosecs", 0, JSON_U32, &ns, err);
        if (r <= 0)
                return r;
        /* The kernel refuses a nanosecond part of a second or more in timens_offsets. */
        if (ns >= 1000000000)
                return json_error(err, p, "nanosecs", "must be less than 1000000000, got %" PRIu64, ns);
        t->nanosecs = (uint32_t) ns;
        return 0;
}

static int parse_device(json_object *o, const char *path, void *item, SysrunError *err) {
        OciDevice *d = item;
        JsonFlags numbers;
        int type = 0, r;

        r = json_get_enum(o, path, "type", JSON_MANDATORY, device_types, NULL, &type, err);
        if (r < 0)
                return r;
        d->type = device_types[type][0];
        r = json_get_string(o, path, "path", JSON_MANDATORY | JSON_ABSOLUTE, &d->path, err);
        if (r < 0)
                return r;
        numbers = d->type == 'p' ? 0 : JSON_MANDATORY; /* a FIFO has no device number */
        r = json_get_int(o, path, "major", numbers, JSON_I64, &d->major, err);
        if (r < 0)
                return r;
        r = json_get_int(o, path, "minor", numbers, JSON_I64, &d->minor, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "fileMode", JSON_U32, &d->file_mode, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "uid", JSON_U32, &d->uid, err);
        if (r < 0)
                return r;
        return json_get_opt_uint(o, path, "gid", JSON_U32, &d->gid, err);
}

static int parse_personality(json_object *o, const char *path, OciPersonality *p, SysrunError *err) {
        _cleanup_free_ char *sp = NULL;
        json_object *sub = NULL;
        int r;

        r = json_get_object(o, path, "personality", 0, &sub, err);
        if (r <= 0)
                return r;
        sp = json_path(path, "personality");
        if (!sp)
                return json_oom(err);
        p->set = true;
        r = json_get_enum(sub, sp, "domain", JSON_MANDATORY, personality_domains, &p->domain, NULL, err);
        if (r < 0)
                return r;
        return json_get_strv(sub, sp, "flags", 0, &p->flags, err);
}

int oci_linux_parse_json(json_object *o, const char *path, OciLinux *l, SysrunError *err) {
        _cleanup_free_ char *tp = json_path(path, "timeOffsets"), *rp = json_path(path, "resources"),
                            *ip = json_path(path, "intelRdt"), *sp = json_path(path, "seccomp");
        json_object *sub = NULL;
        int r;

        if (!tp || !rp || !ip || !sp)
                return json_oom(err);

        r = parse_namespaces(o, path, l, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "uidMappings", 0, oci_id_mapping_parse_json, &l->uid_mappings,
                              &l->n_uid_mappings, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "gidMappings", 0, oci_id_mapping_parse_json, &l->gid_mappings,
                              &l->n_gid_mappings, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "timeOffsets", 0, &sub, err);
        if (r > 0) {
                r = parse_time_offset(sub, tp, "boottime", &l->time_offset_boottime, err);
                if (r >= 0)
                        r = parse_time_offset(sub, tp, "monotonic", &l->time_offset_monotonic, err);
        }
        if (r < 0)
                return r;

        r = json_get_array_of(o, path, "devices", 0, parse_device, &l->devices, &l->n_devices, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "cgroupsPath", 0, &l->cgroups_path, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "resources", 0, &sub, err);
        if (r > 0) {
                l->resources = calloc(1, sizeof(OciResources));
                r = l->resources ? parse_resources(sub, rp, l->resources, err) : json_oom(err);
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "intelRdt", 0, &sub, err);
        if (r > 0)
                r = parse_intel_rdt(sub, ip, &l->intel_rdt, err);
        if (r < 0)
                return r;

        r = json_get_string_map(o, path, "sysctl", &l->sysctl, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "seccomp", 0, &sub, err);
        if (r > 0) {
                l->seccomp = calloc(1, sizeof(OciSeccomp));
                r = l->seccomp ? parse_seccomp(sub, sp, l->seccomp, err) : json_oom(err);
        }
        if (r < 0)
                return r;

        r = json_get_enum(o, path, "rootfsPropagation", 0, rootfs_propagations, &l->rootfs_propagation, NULL,
                          err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "maskedPaths", JSON_ABSOLUTE, &l->masked_paths, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "readonlyPaths", JSON_ABSOLUTE, &l->readonly_paths, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "mountLabel", 0, &l->mount_label, err);
        if (r < 0)
                return r;
        return parse_personality(o, path, &l->personality, err);
}

OciLinux *oci_linux_free(OciLinux *l) {
        if (!l)
                return NULL;

        for (size_t i = 0; i < l->n_namespaces; i++)
                free(l->namespaces[i].path);
        free(l->namespaces);
        free(l->uid_mappings);
        free(l->gid_mappings);
        for (size_t i = 0; i < l->n_devices; i++)
                free(l->devices[i].path);
        free(l->devices);
        free(l->cgroups_path);
        oci_resources_free(l->resources);
        intel_rdt_done(&l->intel_rdt);
        strv_free(l->sysctl);
        seccomp_free(l->seccomp);
        free(l->rootfs_propagation);
        strv_free(l->masked_paths);
        strv_free(l->readonly_paths);
        free(l->mount_label);
        free(l->personality.domain);
        strv_free(l->personality.flags);
        free(l);
        return NULL;
}
