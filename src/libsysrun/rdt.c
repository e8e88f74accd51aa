/* SPDX-License-Identifier: Apache-2.0 */
/* Intel RDT: the resctrl group life cycle, exec joining, update, stats. See rdt.h. */
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "errno-string.h"
#include "fd-util.h"
#include "log.h"
#include "rdt.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(struct json_object *, json_object_put, NULL);
#define _cleanup_json_ _cleanup_(json_object_putp)

typedef struct RdtRoot {
        int fd;
        bool fake; /* SYSRUN_RESCTRL_ROOT: a plain directory that does not populate itself */
        bool mba_mbps;
} RdtRoot;

struct RdtPlan {
        RdtRoot root;
        char *group;     /* RDT_ROOT_GROUP or a name below the root */
        char *mon_group; /* the container id with enableMonitoring */
        char *schemata;  /* written when the group is made */
        bool explicit_clos;
        bool create;
};

static void *mfree(void *p) {
        free(p);
        return NULL;
}

static void rdt_root_done(RdtRoot *r) {
        r->fd = safe_close(r->fd);
}

/* -ENOENT, with the message set, when resctrl is not mounted. */
static int rdt_root_open(RdtRoot *ret, SysrunError *e) {
        _cleanup_free_ char *mountinfo = NULL, *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *env;
        bool mbps = false;
        struct statfs sfs;
        int r;

        env = secure_getenv(RDT_ROOT_ENV);
        if (!isempty(env)) {
                fd = open(env, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return sysrun_error_set(e, -errno, "%s='%s': %m", RDT_ROOT_ENV, env);
                *ret = (RdtRoot){ .fd = TAKE_FD(fd), .fake = true };
                return 0;
        }

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 64 << 20, &mountinfo, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read /proc/self/mountinfo: %m");
        r = rdt_mountinfo_find(mountinfo, &path, &mbps);
        if (r == -ENOENT)
                return sysrun_error_set(e, r, "resctrl is not mounted (mount -t resctrl resctrl "
                                        "/sys/fs/resctrl)");
        if (r < 0)
                return sysrun_error_set(e, r, "cannot parse /proc/self/mountinfo: %m");
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return sysrun_error_set(e, -errno, "cannot open resctrl at '%s': %m", path);
        if (fstatfs(fd, &sfs) < 0)
                return sysrun_error_set(e, -errno, "cannot statfs '%s': %m", path);
        if ((unsigned long) sfs.f_type != RDTGROUP_SUPER_MAGIC)
                return sysrun_error_set(e, -EMEDIUMTYPE, "'%s' is listed as resctrl but is another "
                                        "filesystem (something is mounted over it)", path);
        *ret = (RdtRoot){ .fd = TAKE_FD(fd), .mba_mbps = mbps };
        return 0;
}

/* The kernel's explanation of the last failed resctrl operation, or NULL when it has none. */
static char *last_cmd_status(const RdtRoot *root) {
        _cleanup_free_ char *s = NULL;
        size_t n;

        if (read_full_file_at(root->fd, "info/last_cmd_status", 4096, &s, NULL) < 0)
                return NULL;
        n = strlen(s);
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
                s[--n] = 0;
        for (char *p = s; *p; p++)
                if (*p == '\n')
                        *p = ' ';
        if (n == 0 || streq(s, "ok"))
                return NULL;
        return TAKE_PTR(s);
}

/* "<what>: <errno text> (last_cmd_status: <kernel text>)". */
_printf_(4, 5) static int rdt_error(const RdtRoot *root, SysrunError *e, int r, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL, *status = last_cmd_status(root);
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&what, fmt, ap) < 0)
                what = NULL;
        va_end(ap);
        if (!what)
                return sysrun_error_set(e, r, "out of memory");
        if (status)
                return sysrun_error_set(e, r, "%s: %s (last_cmd_status: %s)", what, ERRNO_STRING(r), status);
        return sysrun_error_set(e, r, "%s: %s", what, ERRNO_STRING(r));
}

/* A path below the root: "<group>/<file>", or "<file>" for the root group. */
static char *group_path(const char *group, const char *file) {
        char *p;

        if (streq(group, RDT_ROOT_GROUP))
                return strdup(file ?: ".");
        if (!file)
                return strdup(group);
        return asprintf(&p, "%s/%s", group, file) < 0 ? NULL : p;
}

static char *mon_path(const char *group, const char *mon, const char *file) {
        _cleanup_free_ char *rel = NULL;

        if (asprintf(&rel, "mon_groups/%s%s%s", mon, file ? "/" : "", strempty(file)) < 0)
                return NULL;
        return group_path(group, rel);
}

static int rdt_write(const RdtRoot *root, const char *path, const char *text, bool append) {
        _cleanup_close_ int fd = -EBADF;
        int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;

        if (root->fake)
                flags |= O_CREAT | (append ? O_APPEND : O_TRUNC);
        fd = openat(root->fd, path, flags, 0644);
        if (fd < 0)
                return -errno;
        /* One write(): the kernel applies a schemata write as a whole. */
        return loop_write(fd, text, strlen(text));
}

static int rdt_rmdir(const RdtRoot *root, const char *path) {
        if (root->fake)
                return rm_rf_at(root->fd, path);
        /* The kernel moves the group's tasks to its parent and removes its files. */
        if (unlinkat(root->fd, path, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* 1 when the group exists, 0 when it does not; an error when the name is taken by a file. */
static int group_exists(const RdtRoot *root, const char *group, SysrunError *e) {
        struct stat st;

        if (streq(group, RDT_ROOT_GROUP))
                return 1;
        if (fstatat(root->fd, group, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno == ENOENT)
                        return 0;
                return sysrun_error_set(e, -errno, "cannot access resctrl group '%s': %m", group);
        }
        if (!S_ISDIR(st.st_mode))
                return sysrun_error_set(e, -ENOTDIR, "'%s' is a resctrl file, not a group", group);
        return 1;
}

int rdt_count_groups(int rootfd) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd, n = 1; /* the root */

        fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (!rdt_group_name_is_valid(de->d_name)) /* ".", "..", info, mon_groups, mon_data */
                        continue;
                if (de->d_type == DT_DIR ||
                    (de->d_type == DT_UNKNOWN &&
                     fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)))
                        n++;
        }
        return n;
}

static int read_group_schemata(const RdtRoot *root, const char *group, char **ret, SysrunError *e) {
        _cleanup_free_ char *path = group_path(group, "schemata");
        int r;

        if (!path)
                return -ENOMEM;
        r = read_full_file_at(root->fd, path, 1 << 20, ret, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the schemata of resctrl group '%s': %m", group);
        return 0;
}

RdtPlan *rdt_plan_free(RdtPlan *p) {
        if (!p)
                return NULL;
        rdt_root_done(&p->root);
        free(p->group);
        free(p->mon_group);
        free(p->schemata);
        free(p);
        return NULL;
}

/* An existing group is shared: its schemata must already be what the request asks for. */
static int check_shared(RdtPlan *p, const RdtInfo *info, const RdtSchemata *want, SysrunError *e) {
        _cleanup_(rdt_schemata_done) RdtSchemata have = {};
        _cleanup_free_ char *text = NULL, *origin = NULL;
        int r;

        if (want->n_lines > 0) {
                r = read_group_schemata(&p->root, p->group, &text, e);
                if (r < 0)
                        return r;
                if (asprintf(&origin, "resctrl group '%s': schemata", p->group) < 0)
                        return -ENOMEM;
                r = rdt_schemata_add(&have, text, origin, e);
                if (r < 0)
                        return r;
                r = rdt_schemata_compare(info, want, &have, p->group, e);
                if (r < 0)
                        return r;
        }
        if (p->mon_group) {
                _cleanup_free_ char *mon = mon_path(p->group, p->mon_group, NULL);

                if (!mon)
                        return -ENOMEM;
                if (faccessat(p->root.fd, mon, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                        return sysrun_error_set(e, -EEXIST, "linux.intelRdt.enableMonitoring: monitoring "
                                                "group '%s' already exists in resctrl group '%s'",
                                                p->mon_group, p->group);
        }
        return 0;
}

static int check_new(RdtPlan *p, const RdtInfo *info, const RdtSchemata *want, SysrunError *e) {
        uint64_t closids;
        int n;

        if (p->explicit_clos && want->n_lines == 0)
                return sysrun_error_set(e, -ENOENT, "linux.intelRdt.closID: resctrl group '%s' does not "
                                        "exist; without l3CacheSchema, memBwSchema or schemata it must be "
                                        "created beforehand", p->group);
        if (info->n_resources == 0)
                return sysrun_error_set(e, -EOPNOTSUPP, "linux.intelRdt: this host's resctrl has no "
                                        "allocation resources, so no group can be made (only closID \"/\" "
                                        "can be used)");
        closids = rdt_info_num_closids(info);
        n = rdt_count_groups(p->root.fd);
        if (n < 0)
                return sysrun_error_set(e, n, "cannot list the resctrl groups: %m");
        if ((uint64_t) n >= closids)
                return sysrun_error_set(e, -ENOSPC, "linux.intelRdt: no CLOSID left for resctrl group '%s': "
                                        "%d groups (the root included) use all %" PRIu64 " (num_closids); "
                                        "share a group with closID or remove one", p->group, n, closids);
        if (want->n_lines > 0) {
                p->schemata = rdt_schemata_to_string(want);
                if (!p->schemata)
                        return -ENOMEM;
        }
        p->create = true;
        return 0;
}

int rdt_prepare(const OciIntelRdt *cfg, const char *id, RdtPlan **ret, SysrunError *e) {
        _cleanup_(rdt_plan_freep) RdtPlan *p = NULL;
        _cleanup_(rdt_schemata_done) RdtSchemata want = {};
        _cleanup_(rdt_info_done) RdtInfo info = {};
        int r, exists;

        p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        p->root.fd = -EBADF;
        p->explicit_clos = cfg->clos_id != NULL;
        p->group = strdup(cfg->clos_id ?: id);
        if (!p->group)
                return -ENOMEM;
        if (!streq(p->group, RDT_ROOT_GROUP) && !rdt_group_name_is_valid(p->group)) {
                if (p->explicit_clos)
                        return sysrun_error_set(e, -EINVAL, "linux.intelRdt.closID: '%s' cannot name a "
                                                "resctrl group", p->group);
                return sysrun_error_set(e, -EINVAL, "linux.intelRdt: container id '%s' cannot name a "
                                        "resctrl group; set closID", p->group);
        }
        if (cfg->enable_monitoring) {
                if (!rdt_group_name_is_valid(id))
                        return sysrun_error_set(e, -EINVAL, "linux.intelRdt.enableMonitoring: container id "
                                                "'%s' cannot name a monitoring group", id);
                p->mon_group = strdup(id);
                if (!p->mon_group)
                        return -ENOMEM;
        }

        r = rdt_schemata_from_config(cfg->l3_cache_schema, cfg->mem_bw_schema, cfg->schemata,
                                     "linux.intelRdt", &want, e);
        if (r < 0)
                return r;
        r = rdt_root_open(&p->root, e);
        if (r < 0)
                return sysrun_error_prefix(e, "linux.intelRdt");
        exists = group_exists(&p->root, p->group, e);
        if (exists < 0)
                return sysrun_error_prefix(e, "linux.intelRdt");

        /* A pre-made closID without schemata and monitoring needs no info at all. */
        if (want.n_lines > 0 || !exists || p->mon_group) {
                r = rdt_info_load(p->root.fd, p->root.mba_mbps, &info, e);
                if (r < 0)
                        return sysrun_error_prefix(e, "linux.intelRdt");
        }
        r = rdt_schemata_validate(&info, &want, e);
        if (r < 0)
                return r;
        if (p->mon_group && !info.monitoring)
                return sysrun_error_set(e, -EOPNOTSUPP, "linux.intelRdt.enableMonitoring: this host's "
                                        "resctrl has no monitoring (info/L3_MON is missing)");

        r = exists ? check_shared(p, &info, &want, e) : check_new(p, &info, &want, e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

int rdt_enter(RdtPlan *p, ContainerState *s, int state_dirfd, pid_t pid, SysrunError *e) {
        _cleanup_free_ char *schemata = NULL, *tasks = NULL, *mon = NULL, *mon_tasks = NULL;
        char pid_text[32];
        int r;

        /* Recorded first: a create killed from here on is undone by delete --force. */
        free(s->rdt_group);
        free(s->rdt_mon_group);
        s->rdt_group = strdup(p->group);
        s->rdt_mon_group = p->mon_group ? strdup(p->mon_group) : NULL;
        s->rdt_group_created = p->create;
        schemata = group_path(p->group, "schemata");
        tasks = group_path(p->group, "tasks");
        if (p->mon_group) {
                mon = mon_path(p->group, p->mon_group, NULL);
                mon_tasks = mon_path(p->group, p->mon_group, "tasks");
        }
        if (!s->rdt_group || !schemata || !tasks ||
            (p->mon_group && (!s->rdt_mon_group || !mon || !mon_tasks)))
                return -ENOMEM;
        r = state_save(state_dirfd, s, e);
        if (r < 0)
                return r;

        if (p->create) {
                if (mkdirat(p->root.fd, p->group, 0755) < 0) {
                        r = -errno;
                        s->rdt_group_created = false; /* whatever is there is not ours */
                        if (r == -EEXIST)
                                return sysrun_error_set(e, r, "linux.intelRdt: resctrl group '%s' was just "
                                                        "created by someone else", p->group);
                        return rdt_error(&p->root, e, r, "linux.intelRdt: cannot create resctrl group '%s'",
                                         p->group);
                }
                if (p->schemata) {
                        r = rdt_write(&p->root, schemata, p->schemata, false);
                        if (r < 0)
                                return rdt_error(&p->root, e, r, "linux.intelRdt: cannot write the "
                                                 "schemata of resctrl group '%s'", p->group);
                }
        }

        snprintf(pid_text, sizeof(pid_text), "%d\n", (int) pid);
        r = rdt_write(&p->root, tasks, pid_text, true);
        if (r < 0)
                return rdt_error(&p->root, e, r, "linux.intelRdt: cannot move the init (pid %d) into "
                                 "resctrl group '%s'", (int) pid, p->group);
        if (p->mon_group) {
                if (p->root.fake) {
                        _cleanup_free_ char *parent = group_path(p->group, "mon_groups");
                        if (!parent)
                                return -ENOMEM;
                        (void) mkdirat(p->root.fd, parent, 0755);
                }
                if (mkdirat(p->root.fd, mon, 0755) < 0) {
                        r = -errno;
                        if (r == -EEXIST)
                                s->rdt_mon_group = mfree(s->rdt_mon_group);
                        return rdt_error(&p->root, e, r, "linux.intelRdt.enableMonitoring: cannot create "
                                         "monitoring group '%s' in resctrl group '%s'", p->mon_group,
                                         p->group);
                }
                r = rdt_write(&p->root, mon_tasks, pid_text, true);
                if (r < 0)
                        return rdt_error(&p->root, e, r, "linux.intelRdt.enableMonitoring: cannot move the "
                                         "init (pid %d) into monitoring group '%s'", (int) pid,
                                         p->mon_group);
        }
        return 0;
}

void rdt_commit(const RdtPlan *p, ContainerState *s) {
        /* runtime-spec: "If closID is set … the runtime MUST NOT remove the sub-directory". */
        if (p && p->explicit_clos)
                s->rdt_group_created = false;
}

/* The state's names, checked: state.json decides what is removed. */
static int state_names_valid(const ContainerState *s, SysrunError *e) {
        if ((!streq(s->rdt_group, RDT_ROOT_GROUP) && !rdt_group_name_is_valid(s->rdt_group)) ||
            (s->rdt_mon_group && !rdt_group_name_is_valid(s->rdt_mon_group)))
                return sysrun_error_set(e, -EBADMSG, "state.json: bad resctrl group name");
        return 0;
}

int rdt_destroy(const ContainerState *s, SysrunError *e) {
        _cleanup_(rdt_root_done) RdtRoot root = { .fd = -EBADF };
        SysrunError le = SYSRUN_ERROR_NULL;
        int r;

        if (!s->rdt_group)
                return 0;
        r = state_names_valid(s, e);
        if (r < 0)
                return r;
        r = rdt_root_open(&root, &le);
        if (r == -ENOENT) {
                /* Unmounting resctrl removed every group. */
                sysrun_error_done(&le);
                return 0;
        }
        if (r < 0) {
                r = sysrun_error_set(e, r, "%s", le.msg);
                sysrun_error_done(&le);
                return r;
        }

        if (s->rdt_mon_group) {
                _cleanup_free_ char *mon = mon_path(s->rdt_group, s->rdt_mon_group, NULL);
                if (!mon)
                        return -ENOMEM;
                r = rdt_rmdir(&root, mon);
                if (r < 0)
                        return rdt_error(&root, e, r, "cannot remove resctrl monitoring group '%s'", mon);
        }
        if (s->rdt_group_created && !streq(s->rdt_group, RDT_ROOT_GROUP)) {
                r = rdt_rmdir(&root, s->rdt_group);
                if (r < 0)
                        return rdt_error(&root, e, r, "cannot remove resctrl group '%s'", s->rdt_group);
        }
        return 0;
}

int rdt_join(const ContainerState *s, pid_t pid, SysrunError *e) {
        _cleanup_(rdt_root_done) RdtRoot root = { .fd = -EBADF };
        _cleanup_free_ char *tasks = NULL, *mon_tasks = NULL;
        char pid_text[32];
        int r;

        if (!s->rdt_group)
                return 0;
        r = state_names_valid(s, e);
        if (r < 0)
                return r;
        r = rdt_root_open(&root, e);
        if (r < 0)
                return sysrun_error_prefix(e, "intelRdt");
        tasks = group_path(s->rdt_group, "tasks");
        if (!tasks || (s->rdt_mon_group && !(mon_tasks = mon_path(s->rdt_group, s->rdt_mon_group, "tasks"))))
                return -ENOMEM;
        snprintf(pid_text, sizeof(pid_text), "%d\n", (int) pid);
        r = rdt_write(&root, tasks, pid_text, true);
        if (r < 0)
                return rdt_error(&root, e, r, "cannot move pid %d into resctrl group '%s'", (int) pid,
                                 s->rdt_group);
        if (mon_tasks) {
                r = rdt_write(&root, mon_tasks, pid_text, true);
                if (r < 0)
                        return rdt_error(&root, e, r, "cannot move pid %d into resctrl monitoring group "
                                         "'%s'", (int) pid, s->rdt_mon_group);
        }
        return 0;
}

int rdt_update(ContainerState *s, const char *l3, const char *mb, char *const *schemata, SysrunError *e) {
        _cleanup_(rdt_root_done) RdtRoot root = { .fd = -EBADF };
        _cleanup_(rdt_schemata_done) RdtSchemata want = {};
        _cleanup_(rdt_info_done) RdtInfo info = {};
        _cleanup_free_ char *text = NULL, *path = NULL;
        int r;

        r = rdt_schemata_from_config(l3, mb, schemata, "intelRdt", &want, e);
        if (r < 0)
                return r;
        if (want.n_lines == 0)
                return 0;
        if (!s->rdt_group)
                return sysrun_error_set(e, -EINVAL, "the container was created without linux.intelRdt; "
                                        "Intel RDT cannot be added by update");
        r = state_names_valid(s, e);
        if (r < 0)
                return r;
        r = rdt_root_open(&root, e);
        if (r < 0)
                return sysrun_error_prefix(e, "intelRdt");
        r = rdt_info_load(root.fd, root.mba_mbps, &info, e);
        if (r < 0)
                return sysrun_error_prefix(e, "intelRdt");
        r = rdt_schemata_validate(&info, &want, e);
        if (r < 0)
                return r;
        text = rdt_schemata_to_string(&want);
        path = group_path(s->rdt_group, "schemata");
        if (!text || !path)
                return -ENOMEM;
        r = rdt_write(&root, path, text, false);
        if (r < 0)
                return rdt_error(&root, e, r, "intelRdt: cannot write the schemata of resctrl group '%s'",
                                 s->rdt_group);
        return 0;
}

int rdt_features(bool *ret_enabled, bool *ret_schemata, bool *ret_monitoring) {
        *ret_enabled = *ret_schemata = *ret_monitoring = true;
        return 0;
}

/* ---- stats ------------------------------------------------------------------------------------- */

/* The trimmed line of text whose resource is exactly name, or NULL. */
static char *find_line(const char *text, const char *name) {
        size_t len = strlen(name);

        for (const char *p = text; p && *p;) {
                size_t n = strcspn(p, "\n");
                const char *t = p;

                while (*t == ' ' || *t == '\t')
                        t++;
                if ((size_t) (t - p) + len < n && strncmp(t, name, len) == 0) {
                        const char *c = t + len;
                        while (*c == ' ')
                                c++;
                        if (*c == ':')
                                return strndup(t, n - (size_t) (t - p));
                }
                p += n + (p[n] == '\n');
        }
        return NULL;
}

static int add_string(struct json_object *o, const char *key, const char *value) {
        struct json_object *v;

        if (isempty(value))
                return 0; /* omitempty */
        v = json_object_new_string(value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_u64(struct json_object *o, const char *key, uint64_t value, bool omitempty) {
        struct json_object *v;

        if (omitempty && value == 0)
                return 0;
        v = json_object_new_uint64(value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_object(struct json_object *o, const char *key, struct json_object **v) {
        if (json_object_object_add(o, key, *v) < 0)
                return -ENOMEM;
        *v = NULL;
        return 0;
}

/* info/<dir>/<file> as a number; 0 when missing or unreadable, as the field is then just omitted. */
static uint64_t info_uint(const RdtRoot *root, const char *dir, const char *file) {
        _cleanup_free_ char *text = NULL;
        char path[256];
        uint64_t v;

        snprintf(path, sizeof(path), "info/%s/%s", dir, file);
        if (read_full_file_at(root->fd, path, 4096, &text, NULL) < 0 || rdt_parse_uint(text, &v) < 0)
                return 0;
        return v;
}

/* A monitoring counter; the kernel reads "Unavailable" or "Error" when the hardware has no value. */
static uint64_t counter(int dirfd, const char *file) {
        _cleanup_free_ char *text = NULL;
        uint64_t v;

        if (read_full_file_at(dirfd, file, 4096, &text, NULL) < 0)
                return 0;
        if (rdt_parse_uint(text, &v) < 0) {
                sysrun_log(LOG_DEBUG, "resctrl: %s: '%s', reporting 0", file, text);
                return 0;
        }
        return v;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int add_mon_stats(const RdtRoot *root, const RdtInfo *info, const char *mon_dir,
                         struct json_object *o, SysrunError *e) {
        _cleanup_json_ struct json_object *mbm = NULL, *cmt = NULL;
        _cleanup_strv_free_ char **domains = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_free_ char *path = NULL;
        struct dirent *de;
        int fd, r;

        if (asprintf(&path, "%s/mon_data", mon_dir) < 0)
                return -ENOMEM;
        fd = openat(root->fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return sysrun_error_set(e, -errno, "cannot open resctrl '%s': %m", path);
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -ENOMEM;
        }
        while ((de = readdir(d)))
                if (startswith(de->d_name, "mon_") && strv_extend(&domains, de->d_name) < 0)
                        return -ENOMEM;
        /* mon_L3_00, mon_L3_01, …: one entry per domain, in order. */
        if (domains)
                qsort(domains, strv_length(domains), sizeof(char *), cmp_str);

        mbm = json_object_new_array();
        cmt = json_object_new_array();
        if (!mbm || !cmt)
                return -ENOMEM;
        STRV_FOREACH(dom, domains) {
                _cleanup_close_ int dfd = openat(dirfd(d), *dom, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                _cleanup_json_ struct json_object *m = NULL, *c = NULL;

                if (dfd < 0)
                        continue;
                if (info->mbm_total || info->mbm_local) {
                        m = json_object_new_object();
                        if (!m)
                                return -ENOMEM;
                        r = add_u64(m, "mbm_total_bytes",
                                    info->mbm_total ? counter(dfd, "mbm_total_bytes") : 0, false);
                        if (r >= 0)
                                r = add_u64(m, "mbm_local_bytes",
                                            info->mbm_local ? counter(dfd, "mbm_local_bytes") : 0, false);
                        if (r < 0 || json_object_array_add(mbm, m) < 0)
                                return -ENOMEM;
                        m = NULL;
                }
                if (info->llc_occupancy) {
                        c = json_object_new_object();
                        if (!c || add_u64(c, "llc_occupancy", counter(dfd, "llc_occupancy"), false) < 0 ||
                            json_object_array_add(cmt, c) < 0)
                                return -ENOMEM;
                        c = NULL;
                }
        }
        if ((info->mbm_total || info->mbm_local) && add_object(o, "mbm_stats", &mbm) < 0)
                return -ENOMEM;
        if (info->llc_occupancy && add_object(o, "cmt_stats", &cmt) < 0)
                return -ENOMEM;
        return 0;
}

static int add_schemata(const char *root_text, const char *group_text, const char *resource,
                        const char *key_root, const char *key, struct json_object *o) {
        _cleanup_free_ char *a = find_line(root_text, resource), *b = find_line(group_text, resource);

        if (add_string(o, key_root, a) < 0 || add_string(o, key, b) < 0)
                return -ENOMEM;
        return 0;
}

int rdt_stats_json(const ContainerState *s, struct json_object **ret, SysrunError *e) {
        _cleanup_(rdt_root_done) RdtRoot root = { .fd = -EBADF };
        _cleanup_(rdt_info_done) RdtInfo info = {};
        _cleanup_json_ struct json_object *o = NULL, *lines = NULL, *l3 = NULL, *mb = NULL;
        _cleanup_free_ char *root_text = NULL, *group_text = NULL, *mon_dir = NULL;
        int r;

        *ret = NULL;
        if (!s->rdt_group)
                return 0;
        r = state_names_valid(s, e);
        if (r < 0)
                return r;
        r = rdt_root_open(&root, e);
        if (r < 0)
                return sysrun_error_prefix(e, "intelRdt");
        r = read_group_schemata(&root, RDT_ROOT_GROUP, &root_text, e);
        if (r >= 0)
                r = read_group_schemata(&root, s->rdt_group, &group_text, e);
        if (r < 0)
                return r;

        o = json_object_new_object();
        lines = json_object_new_array();
        if (!o || !lines)
                return -ENOMEM;

        if (faccessat(root.fd, "info/L3", F_OK, 0) == 0) {
                _cleanup_free_ char *mask = NULL;
                (void) read_full_file_at(root.fd, "info/L3/cbm_mask", 4096, &mask, NULL);
                if (mask)
                        mask[strcspn(mask, "\n")] = 0;
                l3 = json_object_new_object();
                if (!l3 || add_string(l3, "cbm_mask", mask) < 0 ||
                    add_u64(l3, "min_cbm_bits", info_uint(&root, "L3", "min_cbm_bits"), true) < 0 ||
                    add_u64(l3, "num_closids", info_uint(&root, "L3", "num_closids"), true) < 0 ||
                    add_object(o, "l3_cache_info", &l3) < 0 ||
                    add_schemata(root_text, group_text, "L3", "l3_cache_schema_root", "l3_cache_schema",
                                 o) < 0)
                        return -ENOMEM;
        }
        if (faccessat(root.fd, "info/MB", F_OK, 0) == 0) {
                mb = json_object_new_object();
                if (!mb ||
                    add_u64(mb, "bandwidth_gran", info_uint(&root, "MB", "bandwidth_gran"), true) < 0 ||
                    add_u64(mb, "delay_linear", info_uint(&root, "MB", "delay_linear"), true) < 0 ||
                    add_u64(mb, "min_bandwidth", info_uint(&root, "MB", "min_bandwidth"), true) < 0 ||
                    add_u64(mb, "num_closids", info_uint(&root, "MB", "num_closids"), true) < 0 ||
                    add_object(o, "mem_bw_info", &mb) < 0 ||
                    add_schemata(root_text, group_text, "MB", "mem_bw_schema_root", "mem_bw_schema", o) < 0)
                        return -ENOMEM;
        }

        /* runc: the group's whole schemata, one string per line. */
        for (char *p = group_text, *t; (t = strsep(&p, "\n"));) {
                struct json_object *v;

                t += strspn(t, " \t");
                if (!*t)
                        continue;
                v = json_object_new_string(t);
                if (!v || json_object_array_add(lines, v) < 0) {
                        json_object_put(v);
                        return -ENOMEM;
                }
        }
        if (json_object_array_length(lines) > 0 && add_object(o, "schemata", &lines) < 0)
                return -ENOMEM;

        r = rdt_info_load(root.fd, root.mba_mbps, &info, e);
        if (r < 0)
                return sysrun_error_prefix(e, "intelRdt");
        if (info.monitoring) {
                /* Without a MON group of its own, the group's counters are all there is (as runc). */
                mon_dir = s->rdt_mon_group ? mon_path(s->rdt_group, s->rdt_mon_group, NULL)
                                           : group_path(s->rdt_group, NULL);
                if (!mon_dir)
                        return -ENOMEM;
                r = add_mon_stats(&root, &info, mon_dir, o, e);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(o);
        return 0;
}
