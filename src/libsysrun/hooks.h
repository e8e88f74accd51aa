/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* OCI hooks. Each hook runs with its args and env (sysrun's environment when env is absent, as in
 * runc), gets the container state JSON on stdin and is killed when it outlives its timeout. Its
 * stdout and stderr are kept (bounded) for the error message.
 *
 * Where they run (runtime-spec config.md, runtime.md):
 *   prestart, createRuntime  the parent, at the init's SYNC_HOOKS (after mounts, before pivot_root)
 *   createContainer          the init, in the container's namespaces, before pivot_root
 *   startContainer           the init, after exec.fifo released it, right before execve
 *   poststart                `start` after the fifo write; `run` once the process was exec'd
 *   poststop                 `delete`, after the container's resources are gone */

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "state.h"

/* Runs every hook of kind in order. The first failure stops the run and is returned in runc's
 * words ("error running hook #0: error running hook: exit status 1, stdout: …, stderr: …",
 * "error running hook #0: fork/exec /x: no such file or directory", "error running hook #0: hook
 * ran past specified timeout of 1.0s"), except for poststop, where a failure is logged as a
 * warning and the remaining hooks still run (then it returns 0). */
int hooks_run(const OciConfig *c, HookKind kind, const char *state_json, SysrunError *reterr_error);

/* Convenience: builds the state JSON of s with the given status and runs the hooks of kind. */
int hooks_run_state(const OciConfig *c, HookKind kind, const ContainerState *s, ContainerStatus status,
                    SysrunError *reterr_error);

/* The same, but a readable cancel_fd (a signalfd) kills the running hook and stops the run with
 * -ECANCELED. cancel_fd < 0: never. */
int hooks_run_state_until(const OciConfig *c, HookKind kind, const ContainerState *s, ContainerStatus status,
                          int cancel_fd, SysrunError *reterr_error);

static inline bool hooks_any(const OciConfig *c, HookKind kind) {
        return c && c->n_hooks[kind] > 0;
}
