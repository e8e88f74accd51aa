/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create-context.h"
#include "fd-util.h"
#include "hooks.h"
#include "proc.h"
#include "rootfs-hostns.h"
#include "rootless.h"
#include "terminal.h"
#include "signals.h"
#include "strv.h"

void create_context_done(CreateContext *c) {
        oci_config_free(c->config);
        free(c->config_text);
        free(c->bundle);
        free(c->rootfs);
        safe_close(c->pidfd);
        safe_close(c->dirfd);
        safe_close(c->rootfd);
        container_state_free(c->state);
        process_security_done(&c->security);
        rdt_plan_free(c->rdt);
        safe_close(c->sync_fd);
        safe_close(c->console_socket);
        safe_close(c->pty_master);
        mount_idmaps_done(&c->idmaps);
        safe_close(c->notify.fd);
        safe_close(c->out_pipe);
        safe_close(c->err_pipe);
        mount_sources_done(&c->mount_sources);
        safe_close(c->abort_fd);
}

/* Undoes a failed create: the init and everything in its namespaces, the cgroup, the state dir. */
void create_context_abort(CreateContext *c) {
        SysrunError ignored = SYSRUN_ERROR_NULL;

        if (c->pidfd >= 0) {
                (void) pidfd_send(c->pidfd, SIGKILL);
                if (c->pid_is_child)
                        (void) wait_exit_status(c->pid);
                else
                        (void) pidfd_wait(c->pidfd, 10000);
        }
        if (c->cgroup_entered && c->manager)
                (void) c->manager->destroy(c->state, &ignored);
        if (c->rdt && c->state)
                (void) rdt_destroy(c->state, &ignored);
        if (c->state)
                (void) rootfs_hostns_release(c->rootfs, c->state->host_rootfs_mount_id, &ignored);
        if (c->dir_made)
                (void) state_dir_remove(c->rootfd, c->opts->id);
        /* runtime-spec: a failed hook stops the container and goes on with destroy and poststop. */
        if (c->hooks_started && c->state)
                (void) hooks_run_state(c->config, HOOK_POSTSTOP, c->state, CONTAINER_STOPPED, NULL);
        sysrun_error_done(&ignored);
}

/* A caller that gives up (timeout, Ctrl-C, a closed terminal) sends one of these: until the
 * handoff they stop the setup, which is undone. They are blocked and read through abort_fd, so
 * that each wait of the setup sees them. SIG_BLOCK adds to what run's forwarding blocked. */
int create_abort_signals_block(sigset_t *ret_old, SysrunError *e) {
        sigset_t mask;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        return signalfd_block(&mask, ret_old, e);
}

/* 0, or -EINTR when an abort signal came: it replaces whatever error its effects caused. */
int create_check_interrupted(CreateContext *c, SysrunError *e) {
        struct signalfd_siginfo si;

        if (c->abort_fd < 0 || read(c->abort_fd, &si, sizeof(si)) != (ssize_t) sizeof(si))
                return 0;
        c->interrupted_by = (int) si.ssi_signo;
        sysrun_error_done(e);
        return sysrun_error_set(e, -EINTR, "container creation interrupted by %s",
                                signal_to_string(c->interrupted_by) ?: "a signal");
}

/* Waits until fd is readable (or hung up); -EINTR when an abort signal comes first. */
int create_wait_readable(CreateContext *c, int fd, SysrunError *e) {
        struct pollfd p[2] = {
                { .fd = fd, .events = POLLIN },
                { .fd = c->abort_fd, .events = POLLIN },
        };

        for (;;) {
                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return sysrun_error_set(e, -errno, "poll: %m");
                }
                if (p[1].revents & POLLIN) {
                        int r = create_check_interrupted(c, e);
                        if (r < 0)
                                return r;
                }
                if (p[0].revents)
                        return 0;
        }
}

int create_begin(CreateContext *c, SysrunError *e) {
        int r;

        r = container_id_validate(c->opts->id, e);
        if (r < 0)
                return r;
        c->manager = cgroup_manager_get(c->opts->manager);
        if (!c->manager)
                return sysrun_error_set(e, -EOPNOTSUPP, "cgroup manager '%s' is not available in this build",
                                        cgroup_manager_type_to_string(c->opts->manager));
        if (c->manager->prefetch)
                c->manager->prefetch();
        return create_load_bundle(c, e);
}

int create_load_bundle(CreateContext *c, SysrunError *e) {
        _cleanup_free_ char *path = NULL, *root = NULL;
        struct stat st;
        int r;

        c->bundle = realpath(c->opts->bundle ?: ".", NULL);
        if (!c->bundle)
                return sysrun_error_set(e, -errno, "bundle '%s': %m", c->opts->bundle ?: ".");
        if (asprintf(&path, "%s/config.json", c->bundle) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 64 << 20, &c->config_text, NULL);
        if (r < 0)
                return sysrun_error_set(e, r, "config.json: cannot read '%s': %m", path);
        r = oci_config_parse_string(c->config_text, &c->config, e);
        if (r >= 0)
                r = oci_config_check_sizes(c->config, e);
        if (r < 0)
                return sysrun_error_prefix(e, "config.json");

        if (!c->config->process)
                return sysrun_error_set(e, -EINVAL, "config.json: process: missing required field");
        if (isempty(c->config->root_path))
                return sysrun_error_set(e, -EINVAL, "config.json: root.path: missing required field");
        if (c->config->root_path[0] == '/')
                root = strdup(c->config->root_path);
        else if (asprintf(&root, "%s/%s", c->bundle, c->config->root_path) < 0)
                root = NULL;
        if (!root)
                return -ENOMEM;
        c->rootfs = realpath(root, NULL);
        if (!c->rootfs || stat(c->rootfs, &st) < 0)
                return sysrun_error_set(e, -errno, "config.json: root.path: '%s': %m", root);
        if (!S_ISDIR(st.st_mode))
                return sysrun_error_set(e, -ENOTDIR, "config.json: root.path: '%s' is not a directory", root);
        return 0;
}

/* With NOTIFY_SOCKET: the container's socket directory and its mount; run binds the socket now, start
 * does it for create (the process cannot talk before then). */
int create_notify_prepare(CreateContext *c, bool bind_now, SysrunError *e) {
        _cleanup_free_ char *state_dir = NULL;
        char path[32];
        int r;

        c->notify.host = notify_socket_host();
        if (!c->notify.host)
                return 0;
        state_dir = realpath(fd_path(path, c->dirfd), NULL);
        if (!state_dir)
                return sysrun_error_set(e, -errno, "cannot find the state directory: %m");
        r = notify_setup_config(c->dirfd, state_dir, c->config, e);
        if (r < 0 || !bind_now)
                return r;
        c->notify.fd = notify_listen(c->dirfd, e);
        return c->notify.fd < 0 ? c->notify.fd : 0;
}

int create_state_init(CreateContext *c, SysrunError *e) {
        ContainerState *s = calloc(1, sizeof(*s));

        if (!s)
                return -ENOMEM;
        c->state = s;
        s->id = strdup(c->opts->id);
        s->oci_version = strdup(c->config->oci_version ?: "1.2.0");
        s->bundle = strdup(c->bundle);
        s->rootfs = strdup(c->rootfs);
        s->created = rfc3339_now();
        s->owner_uid = geteuid();
        s->rootless = rootless_detect();
        s->poststart_hooks = hooks_any(c->config, HOOK_POSTSTART);
        s->poststop_hooks = hooks_any(c->config, HOOK_POSTSTOP);
        s->annotations = strv_copy(c->config->annotations);
        s->cgroup_manager = strdup(c->manager->name);
        s->stored_status = CONTAINER_CREATING;
        s->creator_pid = getpid();
        if (!s->id || !s->oci_version || !s->bundle || !s->rootfs || !s->created ||
            (c->config->annotations && !s->annotations) || !s->cgroup_manager)
                return -ENOMEM;
        return proc_stat(s->creator_pid, NULL, &s->creator_start_time);
}

/* What the manager is about to make, the state directory, the first state and the saved config.json:
 * at once, so that a sysrun killed from here on leaves a container that list shows (as stopped once
 * we are gone) and delete removes. */
int create_state_dir_make(CreateContext *c, SysrunError *e) {
        int r;

        if (c->manager->intent) {
                r = c->manager->intent(c->config, c->state, e);
                if (r < 0)
                        return r;
        }
        c->dirfd = state_dir_create(c->rootfd, c->opts->id, e);
        if (c->dirfd < 0)
                return c->dirfd;
        c->dir_made = true;
        r = state_save(c->dirfd, c->state, e);
        if (r < 0)
                return r;
        r = write_file_atomic_at(c->dirfd, "config.json", c->config_text, strlen(c->config_text), 0600);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot save config.json in the state directory: %m");
        return 0;
}
