/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include "error.h"

/* Searches PATH (from env, or the default) for file inside the current root, as runc does (Go's
 * exec.LookPath); on failure the message is runc's ("exec: \"x\": executable file not found in
 * $PATH", "exec: \"/x\": stat /x: no such file or directory", "exec: \"/x\": permission denied"). */
int find_executable(const char *file, char *const *env, char **ret, SysrunError *reterr_error);
