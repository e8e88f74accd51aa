/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* checkpoint: orchestration around `criu dump` (criu.c runs it, criu-args.c builds its argv). */

#include "cgroup.h"
#include "criu-args.h"
#include <stdbool.h>

#include "error.h"

/* Dumps a running or paused container into o->image_path (made if missing), with descriptors.json
 * (the targets of the init's fds 0-2) as runc writes it. Unless o->leave_running or o->pre_dump the
 * container is deleted afterwards, as runc does. criu (path, or see criu_find()) must pass
 * `criu check`; on any failure the container is left as it was. */
int container_checkpoint(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                         SysrunError *reterr_error);

typedef struct ContainerRestoreOptions {
        const char *bundle; /* NULL: cwd */
        const char *pid_file;
        const char *console_socket;
        bool detach;
        bool no_subreaper;
        bool no_pivot;
} ContainerRestoreOptions;

/* Restores a container dumped by container_checkpoint() as id, from the bundle in ro, into a fresh
 * scope (or cgroup) of manager's, registered with machined; status running. Detached: returns once it
 * runs; else waits for its init and deletes it, with the exit status in *ret_status. */
int container_restore(const char *root, const char *id, const char *criu_path, const CriuOptions *o,
                      const ContainerRestoreOptions *ro, CgroupManagerType manager, bool manager_explicit,
                      int *ret_status, SysrunError *reterr_error);
