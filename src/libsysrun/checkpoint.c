/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "checkpoint.h"
#include "cgroupfs-sub.h"
#include "config.h"
#include "container.h"
#include "criu.h"
#include "fd-util.h"
#include "macro.h"
#include "path-util.h"
#include "proc.h"
#include "restore-mountpoints.h"
#include "strv.h"
#include "terminal.h"

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
        _cleanup_close_ int dirfd = -EBADF;
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
        dirfd = open(image_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return sysrun_error_set(e, -errno, "open %s: %m", image_path);
        r = write_file_atomic_at(dirfd, "descriptors.json", text, strlen(text), 0600);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot write '%s/descriptors.json': %m", image_path);
        return 0;
}

/* The init's terminal, when one of its stdio fds is a pty slave (its master is outside, with whoever
 * took the console socket): criu dumps it as the external "tty[rdev:dev]", and restore hands it a
 * new pty in its place (--inherit-fd). The id is kept in the image as tty.info, as LXC keeps it. */
static int terminal_external(pid_t pid, const char *image_path, char **ret, SysrunError *e) {
        _cleanup_close_ int dirfd = -EBADF;
        int r;

        *ret = NULL;
        for (int fd = 0; fd < 3; fd++) {
                char link[64];
                struct stat st;

                snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int) pid, fd);
                /* UNIX98 pty slaves: majors 136 to 143 */
                if (stat(link, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) < 136 || major(st.st_rdev) > 143)
                        continue;
                if (asprintf(ret, "tty[%llx:%llx]", (unsigned long long) st.st_rdev, (unsigned long long) st.st_dev) < 0)
                        return -ENOMEM;
                break;
        }
        if (!*ret)
                return 0;
        dirfd = open(image_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return sysrun_error_set(e, -errno, "open %s: %m", image_path);
        r = write_file_atomic_at(dirfd, "tty.info", *ret, strlen(*ret), 0600);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot write '%s/tty.info': %m", image_path);
        return 0;
}

/* mkdir -p, as runc's os.MkdirAll. */
static int mkdir_parents(const char *path, SysrunError *e) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
                if (slash)
                        *slash = 0;
                if (mkdir(p, 0700) < 0 && errno != EEXIST)
                        return sysrun_error_set(e, -errno, "mkdir %s: %m", p);
                if (!slash)
                        return 0;
                *slash = '/';
        }
}

static int check_parent_path(const CriuOptions *o, SysrunError *e) {
        _cleanup_free_ char *p = NULL;
        struct stat st;

        if (!o->parent_path)
                return 0;
        if (o->parent_path[0] == '/')
                return sysrun_error_set(e, -EINVAL, "--parent-path must be relative");
        p = path_join_clean(o->image_path, o->parent_path); /* as runc's filepath.Join shows it */
        if (!p)
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

/* The namespaces the container joined by path that criu leaves alone (network, pid), each named by
 * its inode; a restore finds them again under their keys in the new config. */
static int dump_namespaces(const OciConfig *c, CriuNamespace **ret, size_t *ret_n, SysrunError *e) {
        _cleanup_free_ CriuNamespace *l = NULL;
        size_t n = 0;
        int r;

        r = criu_namespaces(c, /* restore= */ false, &l, &n, e);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                struct stat st;

                if (stat(l[i].path, &st) < 0)
                        return sysrun_error_set(e, -errno, "stat %s: %m", l[i].path);
                l[i].inode = (unsigned long long) st.st_ino;
        }
        *ret = TAKE_PTR(l);
        *ret_n = n;
        return 0;
}

int container_checkpoint(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                         SysrunError *e) {
        _cleanup_container_state_ ContainerState *s = NULL;
        _cleanup_(oci_config_freep) OciConfig *config = NULL;
        _cleanup_close_ int dirfd = -EBADF;
        _cleanup_free_ char *criu = NULL, *freezer = NULL, *log = NULL, *tty = NULL;
        _cleanup_free_ CriuExternalMount *mounts = NULL;
        _cleanup_free_ CriuNamespace *namespaces = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        ContainerStatus status;
        size_t n_mounts = 0, n_namespaces = 0;
        int r;

        r = container_open(root, id, true, &dirfd, &s, &status, e);
        if (r < 0)
                return r;
        if (status != CONTAINER_RUNNING && status != CONTAINER_PAUSED)
                return sysrun_error_set(e, -EINVAL, "Container cannot be checkpointed in %s state",
                                        container_status_to_string(status));
        /* The options first, as runc reads them before it asks criu anything. */
        r = check_parent_path(o, e);
        if (r < 0)
                return r;
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
        r = dump_namespaces(config, &namespaces, &n_namespaces, e);
        if (r < 0)
                return r;
        r = mkdir_parents(o->image_path, e);
        if (r < 0)
                return r;
        r = write_descriptors(s->pid, o->image_path, e);
        if (r >= 0)
                r = terminal_external(s->pid, o->image_path, &tty, e);
        if (r < 0)
                return r;
        r = criu_dump_mounts(config, masked_is_file, &s->pid, &mounts, &n_mounts);
        /* The terminal's /dev/console is a bind of the pty, whose master criu cannot see either. */
        if (r >= 0 && tty)
                r = criu_external_mount_add(&mounts, &n_mounts, "/dev/console", "/dev/console");
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
                                   .external_tty = tty,
                                   .namespaces = namespaces,
                                   .n_namespaces = n_namespaces,
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

/* The restore, run in a child of sysrun that the container's cgroup manager puts into the new scope
 * first (container_create_restored()): criu's restored tree is forked by criu, so it starts in the
 * scope with no window outside it, and --cgroup-root maps the dumped cgroup onto the scope. criu 3.17
 * has no way to be told "move them before they run" over its CLI other than this (an action script's
 * post-restore hook runs after the tasks exist but they may already run; --restore-sibling only
 * changes who their parent is). */
typedef struct Restore {
        const CriuOptions *o;
        const char *criu;
        OciConfig *config;
        char *pid_file; /* criu writes the restored init's pid here */
        char *log;
        int go_write; /* our end: a byte releases the runner */
        pid_t runner;
        char *tty;          /* the dump's tty.info: "tty[rdev:dev]", or NULL */
        int console_socket; /* --console-socket: the new pty's master goes there */
        CriuNamespace *namespaces; /* the external ones open (O_CLOEXEC until the runner execs criu) */
        size_t n_namespaces;
} Restore;

static void restore_done(Restore *r) {
        for (size_t i = 0; i < r->n_namespaces; i++)
                safe_close(r->namespaces[i].fd);
        free(r->namespaces);
        oci_config_free(r->config);
        free(r->pid_file);
        free(r->log);
        safe_close(r->go_write);
        free(r->tty);
        safe_close(r->console_socket);
}

/* In the runner: a new pty (the host's devpts) whose master goes to the console socket, as create
 * sends it; the slave, inherited by criu, takes the dumped terminal's place. Its fd, or -errno. */
static int restore_terminal(int console_socket, char *name, size_t size) {
        _cleanup_close_ int master = -EBADF, slave = -EBADF;
        int r;

        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, size) != 0)
                return -errno;
        slave = open(name, O_RDWR | O_NOCTTY); /* not O_CLOEXEC: criu inherits it */
        if (slave < 0)
                return -errno;
        r = send_fd(console_socket, master, name, strlen(name));
        if (r < 0)
                return r;
        return TAKE_FD(slave);
}

/* --inherit-fd for each stdio fd the dumped init had on a pipe: the restored one gets ours, as runc. */
static int inherit_fds(const char *image_path, CriuInheritFd fds[static 3], char *keys[static 3], size_t *ret_n) {
        _cleanup_(json_object_putp) json_object *a = NULL;
        _cleanup_free_ char *path = NULL, *text = NULL;
        size_t n = 0;

        if (asprintf(&path, "%s/descriptors.json", image_path) < 0)
                return -ENOMEM;
        if (read_full_file_at(AT_FDCWD, path, 1 << 20, &text, NULL) < 0) {
                *ret_n = 0; /* made by another tool: nothing to reconnect */
                return 0;
        }
        a = json_tokener_parse(text);
        for (int fd = 0; a && json_object_is_type(a, json_type_array) && fd < 3 &&
                         (size_t) fd < json_object_array_length(a); fd++) {
                const char *d = json_object_get_string(json_object_array_get_idx(a, fd));
                if (!d || strncmp(d, "pipe:", 5) != 0)
                        continue;
                keys[n] = strdup(d);
                if (!keys[n])
                        return -ENOMEM;
                fds[n] = (CriuInheritFd) { .fd = fd, .key = keys[n] };
                n++;
        }
        *ret_n = n;
        return 0;
}

/* tty.info of the image: NULL when the dump had no terminal. */
static int restore_tty_info(const char *image_path, char **ret) {
        _cleanup_close_ int dirfd = open(image_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int r;

        *ret = NULL;
        if (dirfd < 0)
                return -errno;
        r = read_full_file_at(dirfd, "tty.info", 256, ret, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (strncmp(*ret, "tty[", 4) != 0 || strchr(*ret, '\n') || strchr(*ret, ' ')) {
                free(*ret);
                *ret = NULL;
                return -EINVAL;
        }
        return 0;
}

/* The namespaces the new config names by path: the external ones (network, pid) are handed to criu
 * open, as runc does; they must exist. */
static int restore_namespaces(Restore *rs, SysrunError *e) {
        int r;

        r = criu_namespaces(rs->config, /* restore= */ true, &rs->namespaces, &rs->n_namespaces, e);
        if (r < 0)
                return sysrun_error_prefix(e, "restore");
        for (size_t i = 0; i < rs->n_namespaces; i++) {
                CriuNamespace *ns = &rs->namespaces[i];

                if (!ns->key)
                        continue;
                ns->fd = open(ns->path, O_RDONLY | O_CLOEXEC);
                if (ns->fd < 0)
                        return sysrun_error_set(e, -errno, "restore: the %s namespace '%s' must exist: %m", ns->name,
                                                ns->path);
        }
        return 0;
}

_noreturn_ static void runner_main(Restore *rs, const ContainerState *s, int go_read) {
        _cleanup_free_ char *cg = NULL, *cgroot = NULL;
        _cleanup_free_ CriuExternalMount *mounts = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        CriuInheritFd fds[4];
        char *keys[3] = {}, pty[64];
        size_t n_mounts = 0, n_fds = 0;
        char go;

        /* Released once we are in the container's cgroup; EOF: sysrun gave up. */
        if (read(go_read, &go, 1) != 1)
                _exit(EXIT_FAILURE);
        if (cgroup_pid_get_path(getpid(), &cg) < 0 || asprintf(&cgroot, "%s%s", cg[0] == '/' ? "" : "/", cg) < 0)
                _exit(EXIT_FAILURE);
        /* criu's --root must be a mount point; bound in a namespace of our own, so nothing of the
         * restore's mounts reaches the host's. */
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0 ||
            mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
                dprintf(STDERR_FILENO, "restore: cannot bind the rootfs '%s': %m\n", s->rootfs);
                _exit(EXIT_FAILURE);
        }
        if (criu_restore_mounts(rs->config, host_cgroup2_mount(), &mounts, &n_mounts) < 0 ||
            inherit_fds(rs->o->image_path, fds, keys, &n_fds) < 0)
                _exit(EXIT_FAILURE);
        if (rs->tty) {
                int slave = restore_terminal(rs->console_socket, pty, sizeof(pty));
                if (slave < 0 || criu_external_mount_add(&mounts, &n_mounts, "/dev/console", pty) < 0) {
                        dprintf(STDERR_FILENO, "restore: --console-socket: cannot hand over a terminal: %s\n",
                                strerror(slave < 0 ? -slave : ENOMEM));
                        _exit(EXIT_FAILURE);
                }
                rs->console_socket = safe_close(rs->console_socket);
                fds[n_fds++] = (CriuInheritFd) { .fd = slave, .key = rs->tty };
        }
        for (size_t i = 0; i < rs->n_namespaces; i++)
                if (rs->namespaces[i].fd >= 0 && fcntl(rs->namespaces[i].fd, F_SETFD, 0) < 0)
                        _exit(EXIT_FAILURE);
        if (
            criu_restore_argv(rs->o,
                              &(const CriuRestoreTarget) {
                                      .criu = rs->criu,
                                      .root = s->rootfs,
                                      .pid_file = rs->pid_file,
                                      .cgroup_root = cgroot,
                                      .mounts = mounts,
                                      .n_mounts = n_mounts,
                                      .inherit_fds = fds,
                                      .n_inherit_fds = n_fds,
                                      .namespaces = rs->namespaces,
                                      .n_namespaces = rs->n_namespaces,
                              },
                              &argv) < 0)
                _exit(EXIT_FAILURE);
        execv(argv[0], argv);
        dprintf(STDERR_FILENO, "restore: exec '%s': %m\n", argv[0]);
        _exit(127);
}

static int runner_spawn(void *userdata, const ContainerState *s, pid_t *ret_pid, SysrunError *e) {
        Restore *rs = userdata;
        int go[2], r;
        pid_t pid;

        r = restore_make_mountpoints(rs->config, s->rootfs, s->bundle, e);
        if (r < 0)
                return sysrun_error_prefix(e, "restore");
        if (pipe2(go, O_CLOEXEC) < 0)
                return sysrun_error_set(e, -errno, "pipe: %m");
        pid = fork();
        if (pid < 0) {
                safe_close(go[0]);
                safe_close(go[1]);
                return sysrun_error_set(e, -errno, "fork: %m");
        }
        if (pid == 0) {
                safe_close(go[1]);
                runner_main(rs, s, go[0]);
        }
        safe_close(go[0]);
        rs->go_write = go[1];
        rs->runner = pid;
        *ret_pid = pid;
        return 0;
}

static int runner_finish(void *userdata, const ContainerState *s, pid_t *ret_init, SysrunError *e) {
        Restore *rs = userdata;
        _cleanup_free_ char *text = NULL;
        int status, r;
        long pid;

        (void) s;
        r = loop_write(rs->go_write, "g", 1);
        rs->go_write = safe_close(rs->go_write);
        status = wait_exit_status(rs->runner);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot release criu: %m");
        if (status != 0)
                return criu_failed("restore", status, NULL, rs->log, e);
        r = read_full_file_at(AT_FDCWD, rs->pid_file, 64, &text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "criu restore wrote no pid file '%s': %m", rs->pid_file);
        (void) unlink(rs->pid_file);
        pid = strtol(text, NULL, 10);
        if (pid <= 0)
                return sysrun_error_set(e, -EIO, "criu restore wrote a bad pid file '%s'", rs->pid_file);
        *ret_init = (pid_t) pid;
        return 0;
}

int container_restore(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                      const ContainerRestoreOptions *ro, CgroupManagerType manager, bool manager_explicit,
                      int *ret_status, SysrunError *e) {
        _cleanup_(restore_done) Restore rs = { .o = o, .go_write = -EBADF, .console_socket = -EBADF };
        _cleanup_free_ char *criu = NULL, *bundle_config = NULL;
        const char *work = o->work_path ?: o->image_path;
        struct stat st;
        pid_t init;
        int r;

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
        /* A terminal container comes back with a new pty, whose master goes to --console-socket,
         * as for create: both or neither. */
        r = restore_tty_info(o->image_path, &rs.tty);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot read '%s/tty.info': %m", o->image_path);
        if (rs.tty && !ro->console_socket)
                return sysrun_error_set(e, -EINVAL, "the checkpoint has a terminal: --console-socket is required");
        if (!rs.tty && ro->console_socket)
                return sysrun_error_set(e, -EINVAL, "--console-socket: the checkpoint has no terminal");
        if (ro->console_socket) {
                rs.console_socket = unix_connect(ro->console_socket);
                if (rs.console_socket < 0)
                        return sysrun_error_set(e, rs.console_socket, "--console-socket: cannot connect to '%s': %m",
                                                ro->console_socket);
        }
        if (asprintf(&bundle_config, "%s/config.json", ro->bundle ?: ".") < 0 ||
            asprintf(&rs.pid_file, "%s/restore.pid", work) < 0 || asprintf(&rs.log, "%s/restore.log", work) < 0)
                return -ENOMEM;
        r = oci_config_parse_file(bundle_config, &rs.config, e);
        if (r < 0)
                return r;
        r = restore_namespaces(&rs, e);
        if (r < 0)
                return r;
        rs.criu = criu;
        (void) unlink(rs.pid_file);
        if (!ro->detach && !ro->no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                return sysrun_error_set(e, -errno, "cannot become a subreaper: %m");

        r = container_create_restored(
                        &(const ContainerCreateOptions) {
                                .root = root,
                                .id = id,
                                .bundle = ro->bundle,
                                .pid_file = ro->pid_file,
                                .no_pivot = ro->no_pivot,
                                .manager = manager,
                                .manager_explicit = manager_explicit,
                                .detach = ro->detach,
                                .no_subreaper = ro->no_subreaper,
                        },
                        &(const ContainerRestoreRunner) { .spawn = runner_spawn, .finish = runner_finish, .userdata = &rs },
                        &init, e);
        if (r < 0)
                return r;
        *ret_status = 0;
        if (ro->detach)
                return 0;
        /* In the foreground, as runc: wait for the restored init (our child: we are its subreaper),
         * then delete the container. */
        *ret_status = ro->no_subreaper ? 0 : wait_exit_status(init);
        return container_delete(root, id, /* force= */ true, e);
}
