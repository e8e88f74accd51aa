/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The id maps of a new user namespace, written by a sysrun without root. The kernel lets an
 * unprivileged writer map only its own uid (and its own gid, once setgroups is "deny"), in one line
 * of size 1; anything more goes through the setuid helpers newuidmap/newgidmap (shadow's uidmap),
 * which check the ranges against /etc/subuid and /etc/subgid. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* Whether the kernel takes this map from an unprivileged writer whose own id is own_id: one entry of
 * size 1 with host_id == own_id. Pure. */
bool idmap_is_own_id(const OciIdMapping *m, size_t n, uint32_t own_id);

/* The helper's command line: helper PID containerID hostID size …, NULL-terminated. Pure. */
int idmap_helper_argv(const char *helper, pid_t pid, const OciIdMapping *m, size_t n, char ***ret);

/* Writes /proc/PID/{uid,gid}_map as the caller's (non-root) user: its own id directly (with
 * setgroups "deny" for the gid map), any other map through newuidmap/newgidmap, whose exact message
 * and exit status come back on failure, prefixed with the field ("linux.uidMappings: …"). PID must be
 * blocked in its new user namespace and dumpable. */
int idmap_write_unprivileged(pid_t pid, const OciLinux *l, SysrunError *reterr_error);
