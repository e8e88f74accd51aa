/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "checkpoint.h"
#include "config.h"
#include "container.h"
#include "criu.h"
#include "fd-util.h"
#include "macro.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC_FULL(json_object *, json_object_put, NULL);

static const char *host_cgroup2_mount(void) {
        struct statfs sfs;

        if (statfs("/sys/fs/cgroup/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
                return "/sys/fs/cgroup/unified";
        return "/sys/fs/cgroup";
}

static bool masked_is_file(const char *path, void *userdata) {
        pid_t pid = *(const pid_t *) userdata;
        _cleanup_free_ char *p = NULL;
        struct stat st;

        /* Masked directories are tmpfs mounts that criu dumps itself; files are /dev/null binds. */
        return asprintf(&p, "/proc/%d/root%s", (int) pid, path) >= 0 && stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* runc's descriptors.json: a JSON array of the readlink() of the init's fds 0, 1 and 2, which a
 * restore matches ("pipe:[N]") to its own stdio with --inherit-fd. */
static int write_descriptors(pid_t pid, const char *image_path, SysrunError *e) {
        _cleanup_(json_object_putp) json_object *a = json_object_new_array();
        _cleanup_free_ char *path = NULL;
        const char *text;
        int r;

        if (!a)
                return -ENOMEM;
        for (int fd = 0; fd < 3; fd++) {
                char link[64], target[PATH_MAX];
                ssize_t n;

                snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int) pid, fd);
                n = readlink(link, target, sizeof(target) - 1);
                if (n < 0)
                        return sysrun_error_set(e, -errno, "readlink %s: %m", link);
                target[n] = 0;
                json_object_array_add(a, json_object_new_string(target));
        }
        text = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (asprintf(&path, "%s/descriptors.json", image_path) < 0)
                return -ENOMEM;
        r = write_file_atomic_at(AT_FDCWD, path, text, strlen(text), 0600);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot write '%s': %m", path);
        return 0;
}

static int check_parent_path(const CriuOptions *o, SysrunError *e) {
        _cleanup_free_ char *p = NULL;
        struct stat st;

        if (!o->parent_path)
                return 0;
        if (o->parent_path[0] == '/')
                return sysrun_error_set(e, -EINVAL, "--parent-path must be relative");
        if (asprintf(&p, "%s/%s", o->image_path, o->parent_path) < 0)
                return -ENOMEM;
        if (stat(p, &st) < 0)
                return sysrun_error_set(e, -errno, "invalid --parent-path: stat %s: %m", p);
        if (!S_ISDIR(st.st_mode))
                return sysrun_error_set(e, -ENOTDIR, "invalid --parent-path: stat %s: not a directory", p);
        return 0;
}

static int load_config(int dirfd, OciConfig **ret, SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(dirfd, "config.json", 64 << 20, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read the container's saved config.json: %m");
        return oci_config_parse_string(text, ret, e);
}

int container_checkpoint(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                         SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_(oci_config_freep) OciConfig *config = NULL;
        _cleanup_close_ int dirfd = -EBADF;
        _cleanup_free_ char *criu = NULL, *freezer = NULL, *log = NULL;
        _cleanup_free_ CriuExternalMount *mounts = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        ContainerStatus status;
        size_t n_mounts = 0;
        int r;

        r = container_open(root, id, true, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        if (status != CONTAINER_RUNNING && status != CONTAINER_PAUSED)
                return sysrun_error_set(e, -EINVAL, "Container cannot be checkpointed in %s state",
                                        container_status_to_string(status));
        r = criu_find(criu_path, &criu, e);
        if (r >= 0)
                r = criu_check(criu, e);
        if (r < 0) {
                (void) sysrun_error_prefix(e, "checkpoint");
                return r;
        }
        r = load_config(dirfd, &config, e);
        if (r < 0)
                return r;
        if (mkdir(o->image_path, 0700) < 0 && errno != EEXIST)
                return sysrun_error_set(e, -errno, "mkdir %s: %m", o->image_path);
        r = check_parent_path(o, e);
        if (r < 0)
                return r;
        r = write_descriptors(s->pid, o->image_path, e);
        if (r < 0)
                return r;
        r = criu_dump_mounts(config, masked_is_file, &s->pid, &mounts, &n_mounts);
        if (r < 0)
                return r;
        if (s->cgroup_path && asprintf(&freezer, "%s/%s", host_cgroup2_mount(), s->cgroup_path) < 0)
                return -ENOMEM;
        r = criu_dump_argv(o,
                           &(const CriuDumpTarget) {
                                   .criu = criu,
                                   .pid = s->pid,
                                   .root = s->rootfs,
                                   .freeze_cgroup = freezer,
                                   .mounts = mounts,
                                   .n_mounts = n_mounts,
                           },
                           &argv);
        if (r < 0)
                return r;
        if (asprintf(&log, "%s/%s", o->work_path ?: o->image_path, o->pre_dump ? "pre-dump.log" : "dump.log") < 0)
                return -ENOMEM;
        r = criu_execute(argv, log, e);
        if (r < 0)
                return r;
        if (o->leave_running || o->pre_dump)
                return 0;
        /* criu killed the tree; as runc does, the container goes away with it (restore makes it
         * anew). Drop our lock first: delete takes it. */
        dirfd = safe_close(dirfd);
        return container_delete(root, id, /* force= */ true, e);
}

int container_restore(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                      const ContainerRestoreOptions *ro, SysrunError *e) {
        _cleanup_free_ char *criu = NULL, *images = NULL;
        struct stat st;
        int r;

        (void) root;
        (void) ro;
        r = container_id_validate(id, e);
        if (r < 0)
                return r;
        r = criu_find(criu_path, &criu, e);
        if (r >= 0)
                r = criu_check(criu, e);
        if (r < 0) {
                (void) sysrun_error_prefix(e, "restore");
                return r;
        }
        if (stat(o->image_path, &st) < 0)
                return sysrun_error_set(e, -errno, "stat %s: %m", o->image_path);
        /* TODO: a fresh scope around `criu restore` (criu-args.h builds its argv). */
        return sysrun_error_set(e, -EOPNOTSUPP, "restore into a fresh systemd scope is not implemented yet");
}
