/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* checkpoint/restore options (runc's flags) and the criu command lines they become. Pure: no I/O.
 *
 * sysrun drives criu through its command line, not its RPC (`criu swrk`): Debian ships the criu
 * binary but no libcriu, and the RPC would need a protobuf library and criu's .proto files in the
 * build for two commands. The CLI has every option runc sets over RPC. */

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

typedef enum CriuCgroupMode {
        CRIU_CGROUP_MODE_SOFT,
        CRIU_CGROUP_MODE_FULL,
        CRIU_CGROUP_MODE_STRICT,
        CRIU_CGROUP_MODE_IGNORE,
        _CRIU_CGROUP_MODE_MAX,
        _CRIU_CGROUP_MODE_INVALID = -EINVAL,
} CriuCgroupMode;

const char *criu_cgroup_mode_to_string(CriuCgroupMode m);
CriuCgroupMode criu_cgroup_mode_from_string(const char *s);

typedef struct CriuOptions {
        const char *image_path;  /* made absolute by the caller */
        const char *work_path;   /* NULL: criu uses the image dir */
        const char *parent_path; /* relative to image_path; checkpoint only */
        bool leave_running;
        bool tcp_established;
        bool ext_unix_sk;
        bool shell_job;
        bool lazy_pages;
        bool file_locks;
        bool pre_dump;
        bool auto_dedup;
        int status_fd;             /* -1: none */
        char *page_server_address; /* NULL: none */
        unsigned page_server_port;
        bool manage_cgroups_mode_set;
        CriuCgroupMode manage_cgroups_mode;
        const char *lsm_profile;       /* restore only: "TYPE:NAME" for criu, or NULL */
        const char *lsm_mount_context; /* restore only, or NULL */
} CriuOptions;

void criu_options_done(CriuOptions *o);

/* --page-server ADDRESS:PORT, with runc's messages. */
int criu_parse_page_server(const char *s, char **ret_address, unsigned *ret_port, SysrunError *reterr_error);
/* --manage-cgroups-mode, with runc's message. */
int criu_parse_cgroup_mode(const char *s, CriuCgroupMode *ret, SysrunError *reterr_error);
/* --empty-ns: only "network", as in runc (criu always gets --empty-ns net: sysrun, like runc, does
 * not manage network devices). */
int criu_parse_empty_ns(const char *ns, SysrunError *reterr_error);

/* An external mount: on dump, the mount point in the container (key) and its name in the image
 * (value); on restore, the name (key) and the host path bound there (value). */
typedef struct CriuExternalMount {
        const char *key;
        const char *value;
} CriuExternalMount;

/* A namespace that linux.namespaces names by path, as runc tells criu of it: network and pid are
 * external under key (the dump names the namespace's inode; the restore hands criu the one the new
 * config names, open as fd), the others are joined on restore (--join-ns; key NULL). */
typedef struct CriuNamespace {
        const char *name; /* criu's (and /proc/PID/ns's): "net", "pid", "ipc", "uts", "mnt", "user", "time" */
        const char *path;
        const char *key;          /* "extRootNetNS", "extRootPidNS", or NULL */
        unsigned long long inode; /* dump: of path */
        int fd;                   /* restore: path, open for criu to inherit */
} CriuNamespace;

typedef struct CriuDumpTarget {
        const char *criu;          /* the binary */
        pid_t pid;                 /* the container's init */
        const char *root;          /* host path of the container's rootfs */
        const char *freeze_cgroup; /* the container's cgroup (absolute), or NULL */
        const CriuExternalMount *mounts;
        size_t n_mounts;
        const char *external_tty; /* "tty[rdev:dev]" of the init's terminal (its master is outside), or NULL */
        const CriuNamespace *namespaces; /* the external ones */
        size_t n_namespaces;
} CriuDumpTarget;

typedef struct CriuInheritFd {
        int fd;          /* fd of the criu process */
        const char *key; /* descriptors.json's entry, "pipe:[1234]", or the dump's "tty[rdev:dev]" */
} CriuInheritFd;

typedef struct CriuRestoreTarget {
        const char *criu;
        const char *root;        /* where the rootfs is mounted for the restore */
        const char *pid_file;    /* criu writes the restored init's pid here */
        const char *cgroup_root; /* the new scope's cgroup (relative to the cgroup2 root), or NULL */
        const CriuExternalMount *mounts;
        size_t n_mounts;
        const CriuInheritFd *inherit_fds;
        size_t n_inherit_fds;
        const char *action_script; /* NULL: none */
        const CriuNamespace *namespaces;
        size_t n_namespaces;
} CriuRestoreTarget;

/* The argv of `criu dump` (`criu pre-dump` with o->pre_dump). */
int criu_dump_argv(const CriuOptions *o, const CriuDumpTarget *t, char ***ret);
/* The argv of `criu restore`: always detached, the restored tree's root pid in t->pid_file. */
int criu_restore_argv(const CriuOptions *o, const CriuRestoreTarget *t, char ***ret);
