/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Reading a cgroup v2 tree's usage files, and runc's `events` JSON. Read-only. */

#include <stdint.h>

#include "cgroup.h"

struct json_object;

/* Reads cpu.stat, memory.*, pids.*, io.stat of <cgroup2 mount><path>. Files that do not exist
 * (controller not enabled) leave their part empty. */
int cgroup_stats_read(const char *path, CgroupStats *ret);

/* "key value" lines (cpu.stat, memory.events, memory.stat): the value of key. -ENOENT when absent. */
int cgroup_parse_keyed(const char *text, const char *key, uint64_t *ret);
/* Non-empty lines of a cgroup.procs text. Pure. */
uint64_t cgroup_count_lines(const char *text);
/* io.stat: "MAJ:MIN rbytes=… wbytes=… rios=… wios=… …" lines. */
int cgroup_parse_io_stat(const char *text, CgroupIoStat **ret, size_t *ret_n);

/* {"type":"stats","id":…,"data":{cpu,memory,pids,blkio,hugetlb,intel_rdt,…}} as runc prints it
 * (types/events.go). intel_rdt may be NULL; a reference is taken. */
char *cgroup_stats_to_json(const char *id, const CgroupStats *s, struct json_object *intel_rdt);
/* {"type":"oom","id":…} */
char *cgroup_oom_event_json(const char *id);
