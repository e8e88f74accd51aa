/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criu-args.h"
#include "macro.h"
#include "strv.h"

static const char *const cgroup_mode_table[_CRIU_CGROUP_MODE_MAX] = {
        [CRIU_CGROUP_MODE_SOFT] = "soft",
        [CRIU_CGROUP_MODE_FULL] = "full",
        [CRIU_CGROUP_MODE_STRICT] = "strict",
        [CRIU_CGROUP_MODE_IGNORE] = "ignore",
};

const char *criu_cgroup_mode_to_string(CriuCgroupMode m) {
        return m >= 0 && m < _CRIU_CGROUP_MODE_MAX ? cgroup_mode_table[m] : NULL;
}

CriuCgroupMode criu_cgroup_mode_from_string(const char *s) {
        for (CriuCgroupMode m = 0; s && m < _CRIU_CGROUP_MODE_MAX; m++)
                if (streq(cgroup_mode_table[m], s))
                        return m;
        return _CRIU_CGROUP_MODE_INVALID;
}

void criu_options_done(CriuOptions *o) {
        free(o->page_server_address);
        o->page_server_address = NULL;
}

int criu_parse_page_server(const char *s, char **ret_address, unsigned *ret_port, SysrunError *e) {
        const char *colon, *port;
        _cleanup_free_ char *address = NULL;
        char *end;
        unsigned long v;

        /* Go's net.SplitHostPort: HOST:PORT or [IPv6]:PORT. */
        if (s[0] == '[') {
                const char *close = strchr(s, ']');
                if (!close || close[1] != ':')
                        goto bad;
                address = strndup(s + 1, close - s - 1);
                port = close + 2;
        } else {
                colon = strrchr(s, ':');
                if (!colon || memchr(s, ':', colon - s))
                        goto bad;
                address = strndup(s, colon - s);
                port = colon + 1;
        }
        if (!address)
                return -ENOMEM;
        if (!address[0] || !port[0] || strchr(port, ':'))
                goto bad;
        errno = 0;
        v = strtoul(port, &end, 10);
        if (errno || *end || port[0] == '-' || port[0] == '+' || v > 65535)
                return sysrun_error_set(e, -EINVAL, "Invalid port number");
        *ret_address = TAKE_PTR(address);
        *ret_port = (unsigned) v;
        return 0;
bad:
        return sysrun_error_set(e, -EINVAL, "Use --page-server ADDRESS:PORT to specify page server");
}

int criu_parse_cgroup_mode(const char *s, CriuCgroupMode *ret, SysrunError *e) {
        CriuCgroupMode m = criu_cgroup_mode_from_string(s);

        if (m < 0)
                return sysrun_error_set(e, -EINVAL, "Invalid manage-cgroups-mode value");
        *ret = m;
        return 0;
}

int criu_parse_empty_ns(const char *ns, SysrunError *e) {
        if (!streq(ns, "network"))
                return sysrun_error_set(e, -EINVAL, "namespace \"%s\" is not supported", ns);
        return 0;
}

static int add(char ***l, const char *fmt, ...) _printf_(2, 3);
static int add(char ***l, const char *fmt, ...) {
        va_list ap;
        char *s = NULL;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        return strv_consume(l, n < 0 ? NULL : s);
}

/* The options dump and restore share, in one order so that tests can compare whole vectors. */
static int add_common(char ***l, const CriuOptions *o, const char *log_file) {
        int r = 0;

        r = r ?: add(l, "--images-dir");
        r = r ?: add(l, "%s", o->image_path);
        if (o->work_path) {
                r = r ?: add(l, "--work-dir");
                r = r ?: add(l, "%s", o->work_path);
        }
        r = r ?: add(l, "--log-file");
        r = r ?: add(l, "%s", log_file);
        r = r ?: add(l, "-v4");
        if (o->manage_cgroups_mode_set)
                r = r ?: add(l, "--manage-cgroups=%s", criu_cgroup_mode_to_string(o->manage_cgroups_mode));
        else
                r = r ?: add(l, "--manage-cgroups");
        if (o->tcp_established)
                r = r ?: add(l, "--tcp-established");
        if (o->ext_unix_sk)
                r = r ?: add(l, "--ext-unix-sk");
        if (o->shell_job)
                r = r ?: add(l, "--shell-job");
        if (o->file_locks)
                r = r ?: add(l, "--file-locks");
        if (o->auto_dedup)
                r = r ?: add(l, "--auto-dedup");
        if (o->lazy_pages)
                r = r ?: add(l, "--lazy-pages");
        /* runc always gives criu CLONE_NEWNET as the empty namespace mask. */
        r = r ?: add(l, "--empty-ns");
        r = r ?: add(l, "net");
        return r;
}

static int add_mounts(char ***l, const CriuExternalMount *m, size_t n) {
        int r = 0;

        for (size_t i = 0; i < n; i++) {
                r = r ?: add(l, "--external");
                r = r ?: add(l, "mnt[%s]:%s", m[i].key, m[i].value);
        }
        return r;
}

int criu_dump_argv(const CriuOptions *o, const CriuDumpTarget *t, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r = 0;

        r = r ?: add(&l, "%s", t->criu);
        r = r ?: add(&l, o->pre_dump ? "pre-dump" : "dump");
        r = r ?: add(&l, "--tree");
        r = r ?: add(&l, "%d", (int) t->pid);
        r = r ?: add(&l, "--root");
        r = r ?: add(&l, "%s", t->root);
        r = r ?: add_common(&l, o, o->pre_dump ? "pre-dump.log" : "dump.log");
        if (t->freeze_cgroup) {
                r = r ?: add(&l, "--freeze-cgroup");
                r = r ?: add(&l, "%s", t->freeze_cgroup);
        }
        /* A pre-dump always leaves the tree running; --leave-running is dump's. */
        if (o->leave_running && !o->pre_dump)
                r = r ?: add(&l, "--leave-running");
        if (o->parent_path || o->pre_dump)
                r = r ?: add(&l, "--track-mem");
        if (o->parent_path) {
                r = r ?: add(&l, "--prev-images-dir");
                r = r ?: add(&l, "%s", o->parent_path);
        }
        if (o->status_fd >= 0) {
                r = r ?: add(&l, "--status-fd");
                r = r ?: add(&l, "%d", o->status_fd);
        }
        if (o->page_server_address) {
                r = r ?: add(&l, "--page-server");
                r = r ?: add(&l, "--address");
                r = r ?: add(&l, "%s", o->page_server_address);
                r = r ?: add(&l, "--port");
                r = r ?: add(&l, "%u", o->page_server_port);
        }
        r = r ?: add_mounts(&l, t->mounts, t->n_mounts);
        if (t->external_tty) {
                r = r ?: add(&l, "--external");
                r = r ?: add(&l, "%s", t->external_tty);
        }
        for (size_t i = 0; i < t->n_namespaces; i++) {
                const CriuNamespace *ns = &t->namespaces[i];
                if (!ns->key)
                        continue;
                r = r ?: add(&l, "--external");
                r = r ?: add(&l, "%s[%llu]:%s", ns->name, ns->inode, ns->key);
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

int criu_restore_argv(const CriuOptions *o, const CriuRestoreTarget *t, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r = 0;

        r = r ?: add(&l, "%s", t->criu);
        r = r ?: add(&l, "restore");
        r = r ?: add(&l, "--restore-detached");
        r = r ?: add(&l, "--pidfile");
        r = r ?: add(&l, "%s", t->pid_file);
        r = r ?: add(&l, "--root");
        r = r ?: add(&l, "%s", t->root);
        r = r ?: add_common(&l, o, "restore.log");
        if (t->cgroup_root) {
                r = r ?: add(&l, "--cgroup-root");
                r = r ?: add(&l, "%s", t->cgroup_root);
        }
        if (t->action_script) {
                r = r ?: add(&l, "--action-script");
                r = r ?: add(&l, "%s", t->action_script);
        }
        /* podman's pod restore (runc's flags; criu ≥ 3.16 sets them right, Debian's is 3.17) */
        if (o->lsm_profile) {
                r = r ?: add(&l, "--lsm-profile");
                r = r ?: add(&l, "%s", o->lsm_profile);
        }
        if (o->lsm_mount_context) {
                r = r ?: add(&l, "--lsm-mount-context");
                r = r ?: add(&l, "%s", o->lsm_mount_context);
        }
        r = r ?: add_mounts(&l, t->mounts, t->n_mounts);
        for (size_t i = 0; i < t->n_inherit_fds; i++) {
                r = r ?: add(&l, "--inherit-fd");
                r = r ?: add(&l, "fd[%d]:%s", t->inherit_fds[i].fd, t->inherit_fds[i].key);
        }
        for (size_t i = 0; i < t->n_namespaces; i++) {
                const CriuNamespace *ns = &t->namespaces[i];
                if (ns->key) {
                        r = r ?: add(&l, "--inherit-fd");
                        r = r ?: add(&l, "fd[%d]:%s", ns->fd, ns->key);
                } else {
                        r = r ?: add(&l, "--join-ns");
                        r = r ?: add(&l, "%s:%s", ns->name, ns->path);
                }
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}
