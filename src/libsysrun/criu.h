/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Running the criu binary (see criu-args.h for why the CLI and not libcriu/RPC). criu is needed by
 * checkpoint and restore only, so it is looked up when they run. */

#include <stdbool.h>

#include "config.h"
#include "criu-args.h"
#include "error.h"

/* The binary: path (the global --criu), else $SYSRUN_CRIU (a testing aid: point it at a fake or a
 * missing criu), else "criu" in $PATH. "criu is not installed (package criu)" when there is none. */
int criu_find(const char *path, char **ret, SysrunError *reterr_error);
/* `criu check`: fails with criu's own error line quoted when the kernel lacks what criu needs. */
int criu_check(const char *criu, SysrunError *reterr_error);
/* Whether checkpoint can work here (features): criu is there and `criu check` passes. */
bool criu_available(const char *path);
/* Runs a criu command line and waits; on failure quotes the error lines of log_path (criu's
 * --log-file in the work dir). */
int criu_execute(char *const *argv, const char *log_path, SysrunError *reterr_error);
/* The error for a criu command that exited with status: the first error line of its log (else of
 * out, its output, which may be NULL). */
int criu_failed(const char *command, int status, const char *out, const char *log_path, SysrunError *reterr_error);

/* The external mounts of a dump, as runc makes them: each bind mount (mount point = name), a cgroup
 * mount outside a cgroup namespace (sysrun binds the host's cgroup2 mount there), each
 * masked path that is a file (bound from /dev/null, name "/dev/null") and each device node (bound
 * from the host in rootless containers). masked_is_file says whether a masked path is a regular
 * file in the container. Pointers into c; free *ret with free(). */
int criu_dump_mounts(const OciConfig *c, bool (*masked_is_file)(const char *path, void *userdata), void *userdata,
                     CriuExternalMount **ret, size_t *ret_n);
/* Appends one external mount (key and value are not copied). */
int criu_external_mount_add(CriuExternalMount **l, size_t *n, const char *key, const char *value);
/* The namespaces c names by path, as criu is told of them (CriuNamespace): on dump only the external
 * ones (network, pid), on restore all; a cgroup namespace path is refused on restore (criu cannot join
 * one). inode is 0 and fd -EBADF, for the caller to fill. Pointers into c; free *ret with free(). */
int criu_namespaces(const OciConfig *c, bool restore, CriuNamespace **ret, size_t *ret_n, SysrunError *reterr_error);
/* The same for a restore: name -> host path (bind sources, host_cgroup2 (the host's cgroup2 mount),
 * /dev/null, device nodes). */
int criu_restore_mounts(const OciConfig *c, const char *host_cgroup2, CriuExternalMount **ret, size_t *ret_n);
