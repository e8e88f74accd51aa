/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The commands that act on a container's cgroup through its manager: update, pause, resume, ps,
 * events. Orchestration only; the work is in the manager (scope.c) and the readers (cgroup-stats.c). */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

typedef struct ContainerUpdate {
        const OciResources *resources; /* NULL: none */
        /* Intel RDT (update --l3-cache-schema / --mem-bw-schema); NULL: unchanged */
        const char *l3_cache_schema;
        const char *mem_bw_schema;
} ContainerUpdate;

/* Applies new limits to a container that has not stopped; what was not given stays as it is. */
int container_update(const char *root, const char *id, const ContainerUpdate *u, SysrunError *reterr_error);
/* Freezes a running or created container; resume thaws a paused one. */
int container_pause(const char *root, const char *id, SysrunError *reterr_error);
int container_resume(const char *root, const char *id, SysrunError *reterr_error);
/* The host pids of the container's processes (its whole cgroup), sorted. Empty once stopped. */
int container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n, SysrunError *reterr_error);

/* Called with one JSON object (no newline) per event; a negative return stops the loop. */
typedef int (*ContainerEventFn)(const char *json, void *userdata);
/* stats_once: one "stats" event. Otherwise a "stats" event every interval_usec and an "oom" event
 * whenever memory.events counts a new OOM kill, until the container stops. */
int container_events(
                const char *root,
                const char *id,
                bool stats_once,
                uint64_t interval_usec,
                ContainerEventFn fn,
                void *userdata,
                SysrunError *reterr_error);
