/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "fd-util.h"
#include "rootless.h"
#include "state.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(struct json_object *, json_object_put, NULL);
#define _cleanup_json_ _cleanup_(json_object_putp)

static const char *const status_table[_CONTAINER_STATUS_MAX] = {
        [CONTAINER_CREATING] = "creating", [CONTAINER_CREATED] = "created",
        [CONTAINER_RUNNING] = "running",   [CONTAINER_PAUSED] = "paused",
        [CONTAINER_STOPPED] = "stopped",
};

const char *container_status_to_string(ContainerStatus s) {
        if (s < 0 || s >= _CONTAINER_STATUS_MAX)
                return NULL;
        return status_table[s];
}

ContainerStatus container_status_from_string(const char *s) {
        for (size_t i = 0; s && i < ELEMENTSOF(status_table); i++)
                if (streq(status_table[i], s))
                        return (ContainerStatus) i;
        return _CONTAINER_STATUS_INVALID;
}

ContainerState *container_state_free(ContainerState *s) {
        if (!s)
                return NULL;
        free(s->id);
        free(s->oci_version);
        free(s->bundle);
        free(s->rootfs);
        free(s->created);
        free(s->owner);
        strv_free(s->annotations);
        free(s->cgroup_manager);
        free(s->unit);
        free(s->unit_pending);
        free(s->machine_name);
        free(s->bind_to_unit);
        free(s->cgroup_path);
        strv_free(s->cgroupfs_dirs);
        strv_free(s->cgroupfs_parents);
        free(s->rdt_group);
        free(s->rdt_mon_group);
        free(s);
        return NULL;
}

int container_id_validate(const char *id, SysrunError *reterr_error) {
        size_t n = id ? strlen(id) : 0;

        /* runc's rule (letters, digits, '_', '+', '-', '.'), plus a length limit so the id fits in
         * a file name; "." and ".." would name the wrong directory. */
        if (n == 0 || n > CONTAINER_ID_MAX || streq(id, ".") || streq(id, ".."))
                goto invalid;
        for (const char *p = id; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr("_+-.", *p)))
                        goto invalid;
        return 0;
invalid:
        return sysrun_error_set(
                reterr_error, -EINVAL,
                "invalid container ID format: '%s' (use 1 to %d letters, digits, '_', '+', '-' or '.')",
                strempty(id), CONTAINER_ID_MAX);
}

int state_root_open(const char *root, bool create, SysrunError *reterr_error) {
        int fd;

        if (create && mkdir(root, 0700) < 0 && errno != EEXIST) {
                /* Make missing parents, as runc's MkdirAll does. */
                _cleanup_free_ char *p = strdup(root);
                if (!p)
                        return -ENOMEM;
                for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                        *s = 0;
                        (void) mkdir(p, 0755);
                        *s = '/';
                }
                if (mkdir(root, 0700) < 0 && errno != EEXIST)
                        return sysrun_error_set(reterr_error, -errno, "cannot create state root '%s': %m%s", root,
                                                errno == EACCES && geteuid() != 0 ?
                                                                " (rootless: set XDG_RUNTIME_DIR, or pass --root)" :
                                                                "");
        }
        fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return sysrun_error_set(reterr_error, -errno, "cannot open state root '%s': %m%s", root,
                                        errno == EACCES && geteuid() != 0 ?
                                                        " (rootless: set XDG_RUNTIME_DIR, or pass --root)" :
                                                        "");
        if (create)
                rootless_state_root_keep(fd, root);
        return fd;
}

int state_dir_create(int rootfd, const char *id, SysrunError *reterr_error) {
        _cleanup_close_ int fd = -EBADF;

        if (mkdirat(rootfd, id, 0711) < 0) {
                if (errno != EEXIST)
                        return sysrun_error_set(reterr_error, -errno, "cannot create state directory for '%s': %m",
                                                id);
                /* A create killed before it wrote any state leaves a directory without state.json;
                 * nobody holds its lock then, and the id is free again. */
                fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
                    faccessat(fd, "state.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
                        return TAKE_FD(fd);
                return sysrun_error_set(reterr_error, -EEXIST, "container with given ID already exists");
        }
        fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || flock(fd, LOCK_EX) < 0) {
                int r = -errno;
                (void) unlinkat(rootfd, id, AT_REMOVEDIR);
                return sysrun_error_set(reterr_error, r, "cannot open state directory for '%s': %m", id);
        }
        return TAKE_FD(fd);
}

int state_dir_open(int rootfd, const char *id, bool lock, SysrunError *reterr_error) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
                if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
                        return sysrun_error_set(reterr_error, -ENOENT, "container does not exist");
                return sysrun_error_set(reterr_error, -errno, "cannot open state of '%s': %m", id);
        }
        if (lock && flock(fd, LOCK_EX) < 0)
                return sysrun_error_set(reterr_error, -errno, "cannot lock state of '%s': %m", id);
        return TAKE_FD(fd);
}

int state_dir_remove(int rootfd, const char *id) {
        return rm_rf_at(rootfd, id);
}

bool state_has_exec_fifo(int dirfd) {
        return faccessat(dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static int json_add_string(struct json_object *o, const char *key, const char *value) {
        struct json_object *v;

        if (!value)
                return 0;
        v = json_object_new_string(value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int json_add_int64(struct json_object *o, const char *key, int64_t value) {
        struct json_object *v = json_object_new_int64(value);

        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int json_add_bool(struct json_object *o, const char *key, bool value) {
        struct json_object *v = json_object_new_boolean(value);

        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int json_add_strv(struct json_object *o, const char *key, char *const *l) {
        struct json_object *a;

        if (!l)
                return 0;
        a = json_object_new_array();
        if (!a)
                return -ENOMEM;
        STRV_FOREACH(p, l) {
                struct json_object *v = json_object_new_string(*p);
                if (!v || json_object_array_add(a, v) < 0) {
                        json_object_put(v);
                        json_object_put(a);
                        return -ENOMEM;
                }
        }
        if (json_object_object_add(o, key, a) < 0) {
                json_object_put(a);
                return -ENOMEM;
        }
        return 0;
}

static int json_add_pairs(struct json_object *o, const char *key, char *const *pairs, bool always) {
        struct json_object *m;

        if (!pairs && !always)
                return 0;
        m = json_object_new_object();
        if (!m)
                return -ENOMEM;
        STRV_FOREACH_PAIR(k, v, pairs)
                if (json_add_string(m, *k, *v) < 0) {
                        json_object_put(m);
                        return -ENOMEM;
                }
        if (json_object_object_add(o, key, m) < 0) {
                json_object_put(m);
                return -ENOMEM;
        }
        return 0;
}

int state_save(int dirfd, const ContainerState *s, SysrunError *reterr_error) {
        _cleanup_json_ struct json_object *o = json_object_new_object();
        const char *text;
        int r = 0;

        if (!o)
                return -ENOMEM;
        r |= json_add_string(o, "id", s->id);
        r |= json_add_string(o, "ociVersion", s->oci_version);
        r |= json_add_string(o, "status", container_status_to_string(s->stored_status));
        r |= json_add_int64(o, "pid", s->pid);
        r |= json_add_int64(o, "pidStartTime", (int64_t) s->pid_start_time);
        r |= json_add_int64(o, "creatorPid", s->creator_pid);
        r |= json_add_int64(o, "creatorStartTime", (int64_t) s->creator_start_time);
        r |= json_add_string(o, "bundle", s->bundle);
        r |= json_add_string(o, "rootfs", s->rootfs);
        r |= json_add_string(o, "created", s->created);
        if (s->owner)
                r |= json_add_string(o, "owner", s->owner);
        r |= json_add_int64(o, "ownerUid", s->owner_uid);
        r |= json_add_pairs(o, "annotations", s->annotations, false);
        r |= json_add_string(o, "cgroupManager", s->cgroup_manager);
        r |= json_add_string(o, "unit", s->unit);
        r |= json_add_string(o, "unitPending", s->unit_pending);
        r |= json_add_string(o, "cgroupPath", s->cgroup_path);
        r |= json_add_bool(o, "systemdSliceCreated", s->systemd_slice_created);
        r |= json_add_strv(o, "cgroupfsDirs", s->cgroupfs_dirs);
        r |= json_add_strv(o, "cgroupfsParents", s->cgroupfs_parents);
        r |= json_add_bool(o, "cgroupShared", s->cgroup_shared);
        r |= json_add_string(o, "rdtGroup", s->rdt_group);
        r |= json_add_bool(o, "rdtGroupCreated", s->rdt_group_created);
        r |= json_add_string(o, "rdtMonGroup", s->rdt_mon_group);
        r |= json_add_string(o, "machineName", s->machine_name);
        r |= json_add_bool(o, "machineRegistered", s->machine_registered);
        r |= json_add_bool(o, "rootless", s->rootless);
        r |= json_add_bool(o, "detached", s->detached);
        r |= json_add_bool(o, "ownPidNamespace", s->own_pidns);
        if (s->host_rootfs_mount_id != 0)
                r |= json_add_int64(o, "hostRootfsMountId", (int64_t) s->host_rootfs_mount_id);
        r |= json_add_bool(o, "poststartHooks", s->poststart_hooks);
        r |= json_add_bool(o, "poststopHooks", s->poststop_hooks);
        if (r < 0)
                return sysrun_error_set(reterr_error, -ENOMEM, "out of memory");

        text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        r = write_file_atomic_at(dirfd, "state.json", text, strlen(text), 0600);
        if (r < 0)
                return sysrun_error_set(reterr_error, r, "cannot write state of '%s': %m", s->id);
        return 0;
}

static int json_get_string(struct json_object *o, const char *key, char **ret) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return 0;
        *ret = strdup(json_object_get_string(v));
        return *ret ? 0 : -ENOMEM;
}

static int64_t json_get_int(struct json_object *o, const char *key) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v))
                return 0;
        return json_object_get_int64(v);
}

static bool json_get_bool_or(struct json_object *o, const char *key, bool missing) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v))
                return missing;
        return json_object_get_boolean(v);
}

static int json_get_strv(struct json_object *o, const char *key, char ***ret) {
        struct json_object *a;

        if (!json_object_object_get_ex(o, key, &a) || !json_object_is_type(a, json_type_array))
                return 0;
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                struct json_object *v = json_object_array_get_idx(a, i);
                if (json_object_is_type(v, json_type_string) && strv_extend(ret, json_object_get_string(v)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static bool json_get_bool(struct json_object *o, const char *key) {
        return json_get_bool_or(o, key, false);
}

int state_parse(const char *text, ContainerState **ret, SysrunError *reterr_error) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_json_ struct json_object *o = NULL;
        _cleanup_free_ char *status = NULL;
        struct json_object *ann;
        int r;

        o = json_tokener_parse(text);
        if (!o || !json_object_is_type(o, json_type_object))
                return sysrun_error_set(reterr_error, -EBADMSG, "state.json is corrupt");

        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        r = 0;
        r |= json_get_string(o, "id", &s->id);
        r |= json_get_string(o, "ociVersion", &s->oci_version);
        r |= json_get_string(o, "status", &status);
        r |= json_get_string(o, "bundle", &s->bundle);
        r |= json_get_string(o, "rootfs", &s->rootfs);
        r |= json_get_string(o, "created", &s->created);
        r |= json_get_string(o, "owner", &s->owner);
        r |= json_get_string(o, "cgroupManager", &s->cgroup_manager);
        r |= json_get_string(o, "unit", &s->unit);
        r |= json_get_string(o, "unitPending", &s->unit_pending);
        r |= json_get_string(o, "machineName", &s->machine_name);
        r |= json_get_string(o, "cgroupPath", &s->cgroup_path);
        r |= json_get_strv(o, "cgroupfsDirs", &s->cgroupfs_dirs);
        r |= json_get_strv(o, "cgroupfsParents", &s->cgroupfs_parents);
        s->cgroup_shared = json_get_bool(o, "cgroupShared") || json_get_bool(o, "cgroupfsShared"); /* the older name */
        r |= json_get_string(o, "rdtGroup", &s->rdt_group);
        r |= json_get_string(o, "rdtMonGroup", &s->rdt_mon_group);
        if (r < 0)
                return -ENOMEM;
        s->pid = (pid_t) json_get_int(o, "pid");
        s->pid_start_time = (uint64_t) json_get_int(o, "pidStartTime");
        s->creator_pid = (pid_t) json_get_int(o, "creatorPid");
        s->creator_start_time = (uint64_t) json_get_int(o, "creatorStartTime");
        s->systemd_slice_created = json_get_bool(o, "systemdSliceCreated");
        s->rdt_group_created = json_get_bool(o, "rdtGroupCreated");
        s->machine_registered = json_get_bool(o, "machineRegistered");
        s->rootless = json_get_bool(o, "rootless");
        s->detached = json_get_bool(o, "detached");
        s->own_pidns = json_get_bool(o, "ownPidNamespace");
        s->host_rootfs_mount_id = (uint64_t) json_get_int(o, "hostRootfsMountId");
        s->poststart_hooks = json_get_bool_or(o, "poststartHooks", true);
        s->poststop_hooks = json_get_bool_or(o, "poststopHooks", true);
        s->owner_uid = (uid_t) json_get_int(o, "ownerUid");
        s->stored_status = container_status_from_string(status);
        if (s->stored_status < 0 || !s->id)
                return sysrun_error_set(reterr_error, -EBADMSG, "state.json is corrupt");

        if (json_object_object_get_ex(o, "annotations", &ann) && json_object_is_type(ann, json_type_object) &&
            json_object_object_length(ann) > 0) {
                size_t n = 0;

                /* Sized at once: an append per key copies the list each time (quadratic). */
                s->annotations = calloc(2 * (size_t) json_object_object_length(ann) + 1, sizeof(char *));
                if (!s->annotations)
                        return -ENOMEM;
                json_object_object_foreach(ann, k, v) {
                        if (!v) /* json-c has no text for a null; sysrun never writes one */
                                continue;
                        s->annotations[n] = strdup(k);
                        if (!s->annotations[n])
                                return -ENOMEM;
                        s->annotations[n + 1] = strdup(json_object_get_string(v));
                        if (!s->annotations[n + 1])
                                return -ENOMEM;
                        n += 2;
                }
        }
        *ret = TAKE_PTR(s);
        return 0;
}

int state_load(int dirfd, ContainerState **ret, SysrunError *reterr_error) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(dirfd, "state.json", 1 << 20, &text, NULL);
        if (r == -ENOENT)
                return sysrun_error_set(reterr_error, -ENOENT, "container does not exist");
        if (r < 0)
                return sysrun_error_set(reterr_error, r, "cannot read state: %m");
        return state_parse(text, ret, reterr_error);
}

char *state_owner_name(const ContainerState *s) {
        /* The last answer: list asks for every container, and most have the same owner. */
        static char *last_name = NULL;
        static uid_t last_uid = 0;
        struct passwd *pw;
        char *name;

        if (s->owner)
                return strdup(s->owner);
        if (last_name && last_uid == s->owner_uid)
                return strdup(last_name);
        /* Here and not at create: NSS may load modules and ask userdb, for a field only list shows. */
        pw = getpwuid(s->owner_uid);
        if (pw)
                name = strdup(pw->pw_name);
        else if (asprintf(&name, "#%u", (unsigned) s->owner_uid) < 0)
                name = NULL;
        if (name) {
                free(last_name);
                last_name = strdup(name);
                last_uid = s->owner_uid;
        }
        return name;
}

char *state_to_json(const ContainerState *s, ContainerStatus status, bool pretty) {
        _cleanup_json_ struct json_object *o = json_object_new_object();
        int r = 0;
        /* creating: the prestart/createRuntime/createContainer hooks get the init's pid, as in runc. */
        bool has_pid = status == CONTAINER_CREATED || status == CONTAINER_RUNNING || status == CONTAINER_PAUSED ||
                       (status == CONTAINER_CREATING && s->pid > 0);

        if (!o)
                return NULL;
        /* runc's field order and names; pid is 0 once stopped, as in runc. */
        r |= json_add_string(o, "ociVersion", s->oci_version);
        r |= json_add_string(o, "id", s->id);
        r |= json_add_int64(o, "pid", has_pid ? s->pid : 0);
        r |= json_add_string(o, "status", container_status_to_string(status));
        r |= json_add_string(o, "bundle", s->bundle);
        r |= json_add_string(o, "rootfs", s->rootfs);
        r |= json_add_string(o, "created", s->created);
        /* Never looked up here: this also runs in the init, inside the container's filesystem, where
         * NSS would read the container's files and load its modules. */
        r |= json_add_string(o, "owner", strempty(s->owner));
        r |= json_add_pairs(o, "annotations", s->annotations, false);
        if (r < 0)
                return NULL;
        return strdup(json_object_to_json_string_ext(
                o, (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
                           JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
 * Done here because gmtime_r() loads /etc/localtime on first use, for nothing in UTC. */
static void civil_from_days(int64_t days, int64_t *ret_y, unsigned *ret_m, unsigned *ret_d) {
        int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned) (z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153;

        *ret_d = doy - (153 * mp + 2) / 5 + 1;
        *ret_m = mp < 10 ? mp + 3 : mp - 9;
        *ret_y = (int64_t) yoe + era * 400 + (*ret_m <= 2);
}

char *rfc3339_format(const struct timespec *ts) {
        int64_t days = ts->tv_sec / 86400, secs = ts->tv_sec % 86400, year;
        unsigned month, day;
        char frac[16];
        char *res;
        int n;

        if (secs < 0) {
                secs += 86400;
                days--;
        }
        civil_from_days(days, &year, &month, &day);
        /* Go's RFC3339Nano: nanoseconds with trailing zeros trimmed. */
        n = snprintf(frac, sizeof(frac), ".%09ld", ts->tv_nsec);
        while (n > 1 && frac[n - 1] == '0')
                frac[--n] = 0;
        if (n == 1)
                frac[0] = 0;
        if (asprintf(&res, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u%sZ", year, month, day,
                     (unsigned) (secs / 3600), (unsigned) (secs / 60 % 60), (unsigned) (secs % 60), frac) < 0)
                return NULL;
        return res;
}

char *rfc3339_now(void) {
        struct timespec ts;

        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return NULL;
        return rfc3339_format(&ts);
}

static int strcmp_ptr(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int state_list_ids(int rootfd, char ***ret) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                if (strv_extend(&ids, de->d_name) < 0)
                        return -ENOMEM;
        }
        if (ids)
                qsort(ids, strv_length(ids), sizeof(char *), strcmp_ptr);
        *ret = TAKE_PTR(ids);
        return 0;
}
