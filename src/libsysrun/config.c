/* SPDX-License-Identifier: Apache-2.0 */
/* config.json: the top level, process, mounts, hooks; reading and freeing. "linux" is in config-linux.c. */
#include <inttypes.h>
#include <sys/resource.h>

#include "config-internal.h"
#include "strv.h"

/* Config files are small; this only stops us from slurping /dev/zero. */
#define CONFIG_FILE_MAX (64U * 1024U * 1024U)

static const struct {
        const char *name;
        int resource;
} rlimit_table[] = {
        { "RLIMIT_AS", RLIMIT_AS },
        { "RLIMIT_CORE", RLIMIT_CORE },
        { "RLIMIT_CPU", RLIMIT_CPU },
        { "RLIMIT_DATA", RLIMIT_DATA },
        { "RLIMIT_FSIZE", RLIMIT_FSIZE },
        { "RLIMIT_LOCKS", RLIMIT_LOCKS },
        { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
        { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
        { "RLIMIT_NICE", RLIMIT_NICE },
        { "RLIMIT_NOFILE", RLIMIT_NOFILE },
        { "RLIMIT_NPROC", RLIMIT_NPROC },
        { "RLIMIT_RSS", RLIMIT_RSS },
        { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
        { "RLIMIT_RTTIME", RLIMIT_RTTIME },
        { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
        { "RLIMIT_STACK", RLIMIT_STACK },
};

static const char *const io_priority_classes[] = {
        "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL,
};
static const char *const scheduler_policies[] = {
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
        NULL,
};
static const char *const scheduler_flags[] = {
        "SCHED_FLAG_RESET_ON_FORK",
        "SCHED_FLAG_RECLAIM",
        "SCHED_FLAG_DL_OVERRUN",
        "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS",
        "SCHED_FLAG_UTIL_CLAMP_MIN",
        "SCHED_FLAG_UTIL_CLAMP_MAX",
        NULL,
};
int oci_id_mapping_parse_json(json_object *o, const char *path, void *item, SysrunError *err) {
        OciIdMapping *m = item;
        int r;

        r = json_get_u32(o, path, "containerID", JSON_MANDATORY, &m->container_id, err);
        if (r < 0)
                return r;
        r = json_get_u32(o, path, "hostID", JSON_MANDATORY, &m->host_id, err);
        if (r < 0)
                return r;
        r = json_get_u32(o, path, "size", JSON_MANDATORY, &m->size, err);
        if (r < 0)
                return r;

        /* The kernel refuses empty and wrapping extents when the map is written; say so early. */
        if (m->size == 0)
                return json_error(err, path, "size", "must be greater than zero, got 0");
        if ((uint64_t) m->container_id + m->size > UINT64_C(1) << 32)
                return json_error(err, path, NULL,
                                  "containerID + size must not exceed 4294967296, got %" PRIu32
                                  " + %" PRIu32,
                                  m->container_id, m->size);
        if ((uint64_t) m->host_id + m->size > UINT64_C(1) << 32)
                return json_error(err, path, NULL,
                                  "hostID + size must not exceed 4294967296, got %" PRIu32 " + %" PRIu32,
                                  m->host_id, m->size);
        return 0;
}

static int parse_user(json_object *o, const char *path, OciUser *u, SysrunError *err) {
        json_object *a = NULL;
        int r;

        r = json_get_u32(o, path, "uid", JSON_MANDATORY, &u->uid, err);
        if (r < 0)
                return r;
        r = json_get_u32(o, path, "gid", JSON_MANDATORY, &u->gid, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "umask", JSON_U32, &u->umask, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "username", 0, &u->username, err);
        if (r < 0)
                return r;

        r = json_get_array(o, path, "additionalGids", 0, &a, err);
        if (r <= 0 || json_object_array_length(a) == 0)
                return r;
        u->additional_gids = calloc(json_object_array_length(a), sizeof(uint32_t));
        if (!u->additional_gids)
                return json_oom(err);
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                _cleanup_free_ char *p = json_path_index(path, "additionalGids", i);
                uint64_t gid;

                if (!p)
                        return json_oom(err);
                r = json_value_uint(json_object_array_get_idx(a, i), p, NULL, JSON_U32, &gid, err);
                if (r < 0)
                        return r;
                u->additional_gids[u->n_additional_gids++] = (uint32_t) gid;
        }
        return 0;
}

static int parse_capabilities(json_object *o, const char *path, OciCapabilities *caps, SysrunError *err) {
        const struct {
                const char *key;
                char ***set;
        } sets[] = {
                { "bounding", &caps->bounding },
                { "effective", &caps->effective },
                { "inheritable", &caps->inheritable },
                { "permitted", &caps->permitted },
                { "ambient", &caps->ambient },
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
                r = json_get_strv(o, path, sets[i].key, 0, sets[i].set, err);
                if (r <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                /* Unknown but well-formed names are the caps code's business (it warns), not ours. */
                for (size_t j = 0; (*sets[i].set)[j]; j++) {
                        const char *name = (*sets[i].set)[j];
                        _cleanup_free_ char *p = NULL;

                        if (!isempty(startswith(name, "CAP_")))
                                continue;
                        p = json_path_index(path, sets[i].key, j);
                        if (!p)
                                return json_oom(err);
                        return json_error(err, p, NULL,
                                          "expected a capability name starting with \"CAP_\", got %s",
                                          json_describe(json_object_array_get_idx(
                                                  json_object_object_get(o, sets[i].key), j)));
                }
        }
        return 0;
}

static int parse_rlimit(json_object *o, const char *path, void *item, SysrunError *err) {
        OciRlimit *l = item;
        int r;

        r = json_get_string(o, path, "type", JSON_MANDATORY, &l->type, err);
        if (r < 0)
                return r;
        l->resource = -1;
        for (size_t i = 0; i < ELEMENTSOF(rlimit_table); i++)
                if (streq(rlimit_table[i].name, l->type))
                        l->resource = rlimit_table[i].resource;
        if (l->resource < 0)
                return json_error(err, path, "type", "unknown resource limit %s",
                                  json_describe(json_object_object_get(o, "type")));

        r = json_get_uint(o, path, "soft", JSON_MANDATORY, JSON_U64, &l->soft, err);
        if (r < 0)
                return r;
        return json_get_uint(o, path, "hard", JSON_MANDATORY, JSON_U64, &l->hard, err);
}

static int parse_rlimits(json_object *o, const char *path, OciProcess *p, SysrunError *err) {
        int r;

        r = json_get_array_of(o, path, "rlimits", 0, parse_rlimit, &p->rlimits, &p->n_rlimits, err);
        if (r <= 0)
                return r;
        /* The spec demands an error for duplicates rather than last-one-wins. */
        for (size_t i = 1; i < p->n_rlimits; i++)
                for (size_t j = 0; j < i; j++)
                        if (p->rlimits[i].resource == p->rlimits[j].resource) {
                                _cleanup_free_ char *a = json_path_index(path, "rlimits", i),
                                                    *b = json_path_index(path, "rlimits", j);

                                if (!a || !b)
                                        return json_oom(err);
                                return json_error(err, a, "type",
                                                  "duplicate resource limit \"%s\", already set in %s",
                                                  p->rlimits[i].type, b);
                        }
        return 0;
}

static int parse_scheduler(json_object *o, const char *path, OciScheduler *s, SysrunError *err) {
        int r;

        s->set = true;
        r = json_get_enum(o, path, "policy", JSON_MANDATORY, scheduler_policies, &s->policy, NULL, err);
        if (r < 0)
                return r;
        r = json_get_opt_int(o, path, "nice", JSON_I32, &s->nice, err);
        if (r < 0)
                return r;
        r = json_get_opt_int(o, path, "priority", JSON_I32, &s->priority, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "runtime", JSON_U64, &s->runtime, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "deadline", JSON_U64, &s->deadline, err);
        if (r < 0)
                return r;
        r = json_get_opt_uint(o, path, "period", JSON_U64, &s->period, err);
        if (r < 0)
                return r;

        r = json_get_strv(o, path, "flags", 0, &s->flags, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; s->flags[i]; i++)
                if (!strv_contains((char *const *) scheduler_flags, s->flags[i])) {
                        _cleanup_free_ char *p = json_path_index(path, "flags", i);

                        if (!p)
                                return json_oom(err);
                        return json_error(err, p, NULL, "unknown scheduler flag %s",
                                          json_describe(json_object_array_get_idx(
                                                  json_object_object_get(o, "flags"), i)));
                }
        return 0;
}

static int parse_process_object(json_object *o, const char *path, OciProcess *p, SysrunError *err) {
        json_object *sub = NULL;
        int r;

        r = json_get_bool(o, path, "terminal", 0, &p->terminal, err);
        if (r < 0)
                return r;
        r = json_get_object(o, path, "consoleSize", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "consoleSize");

                if (!sp)
                        return json_oom(err);
                p->has_console_size = true;
                r = json_get_u32(sub, sp, "height", JSON_MANDATORY, &p->console_height, err);
                if (r >= 0)
                        r = json_get_u32(sub, sp, "width", JSON_MANDATORY, &p->console_width, err);
        }
        if (r < 0)
                return r;

        /* Optional, as in runc: an absent user is root. */
        r = json_get_object(o, path, "user", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "user");

                r = sp ? parse_user(sub, sp, &p->user, err) : json_oom(err);
        }
        if (r < 0)
                return r;

        r = json_get_strv(o, path, "args", JSON_MANDATORY | JSON_NONEMPTY, &p->args, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "env", 0, &p->env, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "cwd", JSON_MANDATORY | JSON_ABSOLUTE, &p->cwd, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "capabilities", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "capabilities");

                p->capabilities = calloc(1, sizeof(OciCapabilities));
                r = sp && p->capabilities ? parse_capabilities(sub, sp, p->capabilities, err)
                                          : json_oom(err);
        }
        if (r < 0)
                return r;

        r = parse_rlimits(o, path, p, err);
        if (r < 0)
                return r;
        r = json_get_bool(o, path, "noNewPrivileges", 0, &p->no_new_privileges, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "apparmorProfile", 0, &p->apparmor_profile, err);
        if (r < 0)
                return r;
        r = json_get_opt_int(o, path, "oomScoreAdj", JSON_I32, &p->oom_score_adj, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "selinuxLabel", 0, &p->selinux_label, err);
        if (r < 0)
                return r;

        r = json_get_object(o, path, "ioPriority", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "ioPriority");

                if (!sp)
                        return json_oom(err);
                p->io_priority.set = true;
                r = json_get_enum(sub, sp, "class", JSON_MANDATORY, io_priority_classes,
                                  &p->io_priority.class, NULL, err);
                if (r >= 0)
                        r = json_get_int(sub, sp, "priority", 0, JSON_I32, &p->io_priority.priority, err);
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "scheduler", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "scheduler");

                r = sp ? parse_scheduler(sub, sp, &p->scheduler, err) : json_oom(err);
        }
        if (r < 0)
                return r;

        r = json_get_object(o, path, "execCPUAffinity", 0, &sub, err);
        if (r > 0) {
                _cleanup_free_ char *sp = json_path(path, "execCPUAffinity");

                if (!sp)
                        return json_oom(err);
                r = json_get_string(sub, sp, "initial", 0, &p->exec_cpu_affinity_initial, err);
                if (r >= 0)
                        r = json_get_string(sub, sp, "final", 0, &p->exec_cpu_affinity_final, err);
        }
        return r < 0 ? r : 0;
}

static int parse_mount(json_object *o, const char *path, void *item, SysrunError *err) {
        OciMount *m = item;
        int r;

        /* Spec 1.2 still allows deprecated relative destinations (meaning under "/"), runc only warns;
         * we refuse them rather than guess. */
        r = json_get_string(o, path, "destination", JSON_MANDATORY | JSON_ABSOLUTE, &m->destination, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "source", 0, &m->source, err);
        if (r < 0)
                return r;
        r = json_get_string(o, path, "type", 0, &m->type, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "options", 0, &m->options, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "uidMappings", 0, oci_id_mapping_parse_json, &m->uid_mappings,
                              &m->n_uid_mappings, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, path, "gidMappings", 0, oci_id_mapping_parse_json, &m->gid_mappings,
                              &m->n_gid_mappings, err);
        if (r < 0)
                return r;
        if (!m->uid_mappings != !m->gid_mappings)
                return json_error(err, path, NULL, "uidMappings and gidMappings must be given together");
        return 0;
}

static int parse_hook(json_object *o, const char *path, void *item, SysrunError *err) {
        OciHook *h = item;
        int r;

        r = json_get_string(o, path, "path", JSON_MANDATORY | JSON_ABSOLUTE, &h->path, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "args", 0, &h->args, err);
        if (r < 0)
                return r;
        r = json_get_strv(o, path, "env", 0, &h->env, err);
        if (r < 0)
                return r;
        r = json_get_opt_int(o, path, "timeout", JSON_I32, &h->timeout, err);
        if (r < 0)
                return r;
        if (h->timeout.set && h->timeout.value <= 0)
                return json_error(err, path, "timeout", "must be greater than zero, got %" PRIi64,
                                  h->timeout.value);
        return 0;
}

/* One semver number: digits, without a leading zero. */
static const char *semver_number(const char *p) {
        const char *start = p;

        while (*p >= '0' && *p <= '9')
                p++;
        if (p == start || (p - start > 1 && *start == '0'))
                return NULL;
        return p;
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-] (semver's pre-release and build parts). */
static const char *semver_identifiers(const char *p) {
        for (;;) {
                const char *start = p;
                while ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                       *p == '-')
                        p++;
                if (p == start)
                        return NULL;
                if (*p != '.')
                        return p;
                p++;
        }
}

bool oci_version_valid(const char *v) {
        const char *p = v ? startswith(v, "1.") : NULL;

        if (p)
                p = semver_number(p);
        if (p && *p == '.')
                p = semver_number(p + 1);
        else
                p = NULL;
        if (p && *p == '-')
                p = semver_identifiers(p + 1);
        if (p && *p == '+')
                p = semver_identifiers(p + 1);
        return p && *p == 0;
}

static int parse_config(json_object *o, OciConfig *c, SysrunError *err) {
        json_object *sub = NULL;
        int r;

        r = json_get_string(o, NULL, "ociVersion", JSON_MANDATORY, &c->oci_version, err);
        if (r < 0)
                return r;
        /* The runtime-spec: "MUST be in SemVer v2.0.0 format"; this runtime implements 1.x. */
        if (!oci_version_valid(c->oci_version))
                return json_error(err, NULL, "ociVersion", "must be a 1.x semantic version such as \"1.2.0\", got %s",
                                  json_describe(json_object_object_get(o, "ociVersion")));

        r = json_get_object(o, NULL, "root", JSON_MANDATORY, &sub, err);
        if (r < 0)
                return r;
        r = json_get_string(sub, "root", "path", JSON_MANDATORY | JSON_NONEMPTY, &c->root_path, err);
        if (r < 0)
                return r;
        r = json_get_bool(sub, "root", "readonly", 0, &c->root_readonly, err);
        if (r < 0)
                return r;

        r = json_get_object(o, NULL, "process", 0, &sub, err);
        if (r > 0) {
                c->process = calloc(1, sizeof(OciProcess));
                r = c->process ? parse_process_object(sub, "process", c->process, err) : json_oom(err);
        }
        if (r < 0)
                return r;

        r = json_get_string(o, NULL, "hostname", 0, &c->hostname, err);
        if (r < 0)
                return r;
        r = json_get_string(o, NULL, "domainname", 0, &c->domainname, err);
        if (r < 0)
                return r;
        r = json_get_array_of(o, NULL, "mounts", 0, parse_mount, &c->mounts, &c->n_mounts, err);
        if (r < 0)
                return r;

        r = json_get_object(o, NULL, "hooks", 0, &sub, err);
        if (r < 0)
                return r;
        for (HookKind k = 0; r > 0 && k < _HOOK_KIND_MAX; k++) {
                int q;

                q = json_get_array_of(sub, "hooks", hook_kind_to_string(k), 0, parse_hook, &c->hooks[k],
                                      &c->n_hooks[k], err);
                if (q < 0)
                        return q;
        }

        r = json_get_string_map(o, NULL, "annotations", &c->annotations, err);
        if (r < 0)
                return r;

        r = json_get_object(o, NULL, "linux", 0, &sub, err);
        if (r > 0) {
                c->linux_section = calloc(1, sizeof(OciLinux));
                r = c->linux_section ? oci_linux_parse_json(sub, "linux", c->linux_section, err)
                                     : json_oom(err);
        }
        return r < 0 ? r : 0;
}

int oci_config_parse_string(const char *json, OciConfig **ret, SysrunError *reterr_error) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_oci_config_ OciConfig *c = NULL;
        int r;

        r = json_parse_text(json, strlen(json), &o, reterr_error);
        if (r < 0)
                return r;
        c = calloc(1, sizeof(OciConfig));
        if (!c)
                return json_oom(reterr_error);
        r = parse_config(o, c, reterr_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

static int read_text_file(const char *path, char **ret, size_t *ret_size, SysrunError *err,
                          const char *name) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, allocated = 0;

        f = fopen(path, "re");
        if (!f)
                return sysrun_error_set(err, negative_errno(), "%s: cannot open: %m", name);

        for (;;) {
                size_t n;

                if (allocated - size < 2) {
                        size_t a = allocated ? allocated * 2 : 4096;
                        char *b;

                        if (a > CONFIG_FILE_MAX + 2)
                                return sysrun_error_set(err, -EFBIG, "%s: file too large", name);
                        b = realloc(buf, a);
                        if (!b)
                                return json_oom(err);
                        buf = b;
                        allocated = a;
                }
                n = fread(buf + size, 1, allocated - size - 1, f);
                size += n;
                if (n == 0)
                        break;
        }
        if (ferror(f))
                return sysrun_error_set(err, negative_errno(), "%s: cannot read: %m", name);

        buf[size] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

int oci_config_parse_file(const char *path, OciConfig **ret, SysrunError *reterr_error) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_oci_config_ OciConfig *c = NULL;
        _cleanup_free_ char *text = NULL;
        const char *name;
        size_t size = 0;
        int r;

        name = strrchr(path, '/');
        name = name && name[1] ? name + 1 : path;

        r = read_text_file(path, &text, &size, reterr_error, name);
        if (r < 0)
                return r;
        r = json_parse_text(text, size, &o, reterr_error);
        if (r >= 0) {
                c = calloc(1, sizeof(OciConfig));
                r = c ? parse_config(o, c, reterr_error) : json_oom(reterr_error);
        }
        if (r < 0) {
                (void) sysrun_error_prefix(reterr_error, "%s", name);
                return r;
        }
        *ret = TAKE_PTR(c);
        return 0;
}

int oci_process_parse_string(const char *json, OciProcess **ret, SysrunError *reterr_error) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_(oci_process_freep) OciProcess *p = NULL;
        int r;

        r = json_parse_text(json, strlen(json), &o, reterr_error);
        if (r < 0)
                return r;
        p = calloc(1, sizeof(OciProcess));
        if (!p)
                return json_oom(reterr_error);
        r = parse_process_object(o, NULL, p, reterr_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

OciProcess *oci_process_free(OciProcess *p) {
        if (!p)
                return NULL;

        free(p->user.additional_gids);
        free(p->user.username);
        strv_free(p->args);
        strv_free(p->env);
        free(p->cwd);
        if (p->capabilities) {
                strv_free(p->capabilities->bounding);
                strv_free(p->capabilities->effective);
                strv_free(p->capabilities->inheritable);
                strv_free(p->capabilities->permitted);
                strv_free(p->capabilities->ambient);
                free(p->capabilities);
        }
        for (size_t i = 0; i < p->n_rlimits; i++)
                free(p->rlimits[i].type);
        free(p->rlimits);
        free(p->apparmor_profile);
        free(p->selinux_label);
        free(p->io_priority.class);
        free(p->scheduler.policy);
        strv_free(p->scheduler.flags);
        free(p->exec_cpu_affinity_initial);
        free(p->exec_cpu_affinity_final);
        free(p);
        return NULL;
}

OciConfig *oci_config_free(OciConfig *c) {
        if (!c)
                return NULL;

        free(c->oci_version);
        free(c->root_path);
        oci_process_free(c->process);
        free(c->hostname);
        free(c->domainname);
        for (size_t i = 0; i < c->n_mounts; i++) {
                free(c->mounts[i].destination);
                free(c->mounts[i].source);
                free(c->mounts[i].type);
                strv_free(c->mounts[i].options);
                free(c->mounts[i].uid_mappings);
                free(c->mounts[i].gid_mappings);
        }
        free(c->mounts);
        for (HookKind k = 0; k < _HOOK_KIND_MAX; k++) {
                for (size_t i = 0; i < c->n_hooks[k]; i++) {
                        free(c->hooks[k][i].path);
                        strv_free(c->hooks[k][i].args);
                        strv_free(c->hooks[k][i].env);
                }
                free(c->hooks[k]);
        }
        strv_free(c->annotations);
        oci_linux_free(c->linux_section);
        free(c);
        return NULL;
}

const OciNamespace *oci_config_find_namespace(const OciConfig *c, NamespaceType t) {
        if (!c || !c->linux_section)
                return NULL;
        for (size_t i = 0; i < c->linux_section->n_namespaces; i++)
                if (c->linux_section->namespaces[i].type == t)
                        return c->linux_section->namespaces + i;
        return NULL;
}
