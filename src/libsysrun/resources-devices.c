/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources.devices → DevicePolicy= and DeviceAllow=: the OCI rules are replayed in order, the way
 * the kernel's device cgroup would apply them, and the result must be an allow-list. */

#include "resources.h"

#define R(in) ((in)->resources)


typedef struct DeviceEntry {
        char type;            /* 'c' or 'b' */
        int64_t major, minor; /* -1: any */
        unsigned access;
} DeviceEntry;

static unsigned access_bits(const char *a) {
        unsigned bits = 0;

        if (!a)
                return DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE | DEVICE_ACCESS_MKNOD;
        for (; *a; a++)
                bits |= *a == 'r' ? DEVICE_ACCESS_READ :
                        *a == 'w' ? DEVICE_ACCESS_WRITE :
                        *a == 'm' ? DEVICE_ACCESS_MKNOD :
                                    0;
        return bits;
}

/* a covers b: every device b names is one a names. */
static bool entry_covers(const DeviceEntry *a, const DeviceEntry *b) {
        return a->type == b->type && (a->major == -1 || a->major == b->major) &&
                        (a->minor == -1 || a->minor == b->minor);
}

static int apply_rule(
                DeviceEntry **entries, size_t *n, bool *allow_all, char type, const OciDeviceRule *rule) {
        DeviceEntry rd = {
                .type = type, .major = rule->major, .minor = rule->minor, .access = access_bits(rule->access)
        };

        if (rule->allow) {
                DeviceEntry *grown;

                if (*allow_all)
                        return 0;
                if (rd.major == -1 && rd.minor != -1)
                        return -EOPNOTSUPP; /* "*:n": systemd has no such pattern */
                for (size_t i = 0; i < *n; i++)
                        if ((*entries)[i].type == type && (*entries)[i].major == rd.major &&
                            (*entries)[i].minor == rd.minor) {
                                (*entries)[i].access |= rd.access;
                                return 0;
                        }
                grown = reallocarray(*entries, *n + 1, sizeof(DeviceEntry));
                if (!grown)
                        return -ENOMEM;
                *entries = grown;
                (*entries)[(*n)++] = rd;
                return 0;
        }

        if (*allow_all)
                return -EOPNOTSUPP; /* a deny list: DeviceAllow cannot say "all but" */
        for (size_t i = 0; i < *n; i++) {
                DeviceEntry *e = &(*entries)[i];
                if (entry_covers(&rd, e))
                        e->access &= ~rd.access;
                else if (entry_covers(e, &rd) && (e->access & rd.access))
                        return -EOPNOTSUPP; /* a hole in a broader allow */
        }
        for (size_t i = 0; i < *n;)
                if ((*entries)[i].access == 0)
                        (*entries)[i] = (*entries)[--(*n)];
                else
                        i++;
        return 0;
}

int device_rules_to_allow_list(
                const OciDeviceRule *rules,
                size_t n_rules,
                const OciDeviceRule *extra,
                size_t n_extra,
                bool *ret_allow_all,
                UnitPropertyPair **ret_pairs,
                size_t *ret_n_pairs,
                size_t *ret_bad) {
        _cleanup_free_ DeviceEntry *entries = NULL;
        UnitPropertyPair *pairs = NULL;
        bool allow_all = false; /* runc and crun start from "deny everything" */
        size_t n = 0;
        int r;

        for (size_t i = 0; i < n_rules + n_extra; i++) {
                const OciDeviceRule *rule = i < n_rules ? &rules[i] : &extra[i - n_rules];

                if (rule->type == 'a' && rule->major == -1 && rule->minor == -1 &&
                    access_bits(rule->access) == (DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE | DEVICE_ACCESS_MKNOD)) {
                        allow_all = rule->allow;
                        n = 0;
                        continue;
                }
                for (const char *t = rule->type == 'a' ? "cb" : rule->type == 'b' ? "b" : "c"; *t; t++) {
                        r = apply_rule(&entries, &n, &allow_all, *t, rule);
                        if (r == -EOPNOTSUPP && ret_bad)
                                *ret_bad = i;
                        if (r < 0)
                                return r;
                }
        }

        if (!ret_pairs) { /* the policy alone */
                *ret_allow_all = allow_all;
                return 0;
        }
        if (!allow_all && n > 0) {
                pairs = calloc(n, sizeof(UnitPropertyPair));
                if (!pairs)
                        return -ENOMEM;
        }
        for (size_t i = 0; !allow_all && i < n; i++) {
                const DeviceEntry *e = &entries[i];
                const char *kind = e->type == 'b' ? "block" : "char";
                char acc[4] = {};
                size_t k = 0;

                if (e->access & DEVICE_ACCESS_READ)
                        acc[k++] = 'r';
                if (e->access & DEVICE_ACCESS_WRITE)
                        acc[k++] = 'w';
                if (e->access & DEVICE_ACCESS_MKNOD)
                        acc[k++] = 'm';
                if (e->major == -1)
                        r = asprintf(&pairs[i].path, "%s-*", kind);
                else if (e->minor == -1)
                        r = asprintf(&pairs[i].path, "%s-%" PRIi64, kind, e->major);
                else
                        r = asprintf(&pairs[i].path, "/dev/%s/%" PRIi64 ":%" PRIi64, kind, e->major, e->minor);
                pairs[i].text = strdup(acc);
                if (r < 0 || !pairs[i].text) {
                        for (size_t j = 0; j <= i; j++) {
                                free(pairs[j].path);
                                free(pairs[j].text);
                        }
                        free(pairs);
                        return -ENOMEM;
                }
        }
        *ret_allow_all = allow_all;
        *ret_pairs = pairs;
        *ret_n_pairs = allow_all ? 0 : n;
        return 0;
}

static const OciDeviceRule default_rules[] = {
        { .allow = true, .type = 'c', .major = -1, .minor = -1, .access = (char *) "m" },
        { .allow = true, .type = 'b', .major = -1, .minor = -1, .access = (char *) "m" },
        { .allow = true, .type = 'c', .major = 1, .minor = 3, .access = (char *) "rwm" },    /* null */
        { .allow = true, .type = 'c', .major = 1, .minor = 8, .access = (char *) "rwm" },    /* random */
        { .allow = true, .type = 'c', .major = 1, .minor = 7, .access = (char *) "rwm" },    /* full */
        { .allow = true, .type = 'c', .major = 5, .minor = 0, .access = (char *) "rwm" },    /* tty */
        { .allow = true, .type = 'c', .major = 1, .minor = 5, .access = (char *) "rwm" },    /* zero */
        { .allow = true, .type = 'c', .major = 1, .minor = 9, .access = (char *) "rwm" },    /* urandom */
        { .allow = true, .type = 'c', .major = 5, .minor = 1, .access = (char *) "rwm" },    /* console */
        { .allow = true, .type = 'c', .major = 136, .minor = -1, .access = (char *) "rwm" }, /* pts */
        { .allow = true, .type = 'c', .major = 5, .minor = 2, .access = (char *) "rwm" },    /* ptmx */
};

/* The nodes runc's defaults are for: linux.devices making one of them drops its rule. */
static const char *const default_rule_paths[ELEMENTSOF(default_rules)] = {
        [2] = "/dev/null", [3] = "/dev/random", [4] = "/dev/full",
        [5] = "/dev/tty",  [6] = "/dev/zero",   [7] = "/dev/urandom",
};

const OciDeviceRule *default_device_rules(size_t *ret_n) {
        *ret_n = ELEMENTSOF(default_rules);
        return default_rules;
}

int default_device_rules_for(const OciDevice *devices, size_t n_devices, OciDeviceRule **ret, size_t *ret_n) {
        OciDeviceRule *l = calloc(ELEMENTSOF(default_rules), sizeof(*l));
        size_t n = 0;

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(default_rules); i++) {
                bool made = false;
                for (size_t j = 0; default_rule_paths[i] && j < n_devices && !made; j++)
                        made = streq_ptr(devices[j].path, default_rule_paths[i]);
                if (!made)
                        l[n++] = default_rules[i];
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

static int input_defaults(const ResourceInput *in, OciDeviceRule **ret, size_t *ret_n) {
        if (!in->default_devices) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        return default_device_rules_for(in->devices, in->n_devices, ret, ret_n);
}

/* The rules of linux.resources.devices, then runc's defaults. linux.devices only makes nodes: it
 * grants nothing the rules do not (runc's CreateCgroupConfig appends the defaults alone). */
int resources_devices_plan(
                const ResourceInput *in,
                const char *field,
                bool *ret_allow_all,
                UnitPropertyPair **ret,
                size_t *ret_n,
                SysrunError *e) {
        _cleanup_free_ OciDeviceRule *defaults = NULL;
        size_t n_defaults = 0, bad = 0;
        int r;

        r = input_defaults(in, &defaults, &n_defaults);
        if (r < 0)
                return r;
        r = device_rules_to_allow_list(
                        R(in) ? R(in)->devices : NULL, R(in) ? R(in)->n_devices : 0, defaults, n_defaults,
                        ret_allow_all, ret, ret_n, &bad);
        if (r == -EOPNOTSUPP && R(in) && bad < R(in)->n_devices)
                return sysrun_error_set(
                                e, r,
                                "%s[%zu]: cannot be expressed as a systemd DeviceAllow= list (a deny "
                                "rule inside a broader allow, or a \"*:minor\" rule)",
                                field, bad);
        return r;
}

static bool rule_matches(const OciDeviceRule *rule, char type, int64_t major, int64_t minor) {
        return (rule->type == 'a' || rule->type == type) && (rule->major == -1 || rule->major == major) &&
                        (rule->minor == -1 || rule->minor == minor);
}

unsigned device_rules_access(const ResourceInput *in, char type, int64_t major, int64_t minor) {
        _cleanup_free_ OciDeviceRule *defaults = NULL;
        const OciResources *res = in->resources;
        size_t n_defaults = 0;
        size_t n_rules = res ? res->n_devices : 0;
        unsigned access = 0; /* runc and crun start from "deny everything" */

        if (input_defaults(in, &defaults, &n_defaults) < 0)
                return 0;

        for (size_t i = 0; i < n_rules + n_defaults; i++) {
                const OciDeviceRule *rule = i < n_rules ? &res->devices[i] : &defaults[i - n_rules];

                if (!rule_matches(rule, type, major, minor))
                        continue;
                if (rule->allow)
                        access |= access_bits(rule->access);
                else
                        access &= ~access_bits(rule->access);
        }
        return access;
}
