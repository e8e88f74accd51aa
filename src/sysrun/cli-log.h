/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Where log lines go (--log, --log-format, --debug), in runc's (logrus') shapes. */

#include <stdbool.h>

/* Opens --log FILE (append) once, so that the container's init, which inherits the descriptor
 * (close-on-exec: it goes at execve), logs there too after pivot_root; with --debug and no --log,
 * stderr is kept the same way. -errno when FILE cannot be opened. */
int cli_log_open(const char *path, bool json, bool debug);
/* One line at level ("error", "warning", "info", "debug"). */
void cli_log_report(const char *level, const char *msg);
