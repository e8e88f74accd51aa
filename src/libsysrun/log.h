/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <syslog.h>

#include "macro.h"

/* The library never prints: warnings and debug notes go to a handler that the CLI installs. */
typedef void (*SysrunLogHandler)(int level, const char *msg);

void sysrun_log_set_handler(SysrunLogHandler handler, int max_level);
void sysrun_log(int level, const char *fmt, ...) _printf_(2, 3);
