/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stdarg.h>

#include "macro.h"

/* A message never grows past this: a huge echoed value (a config string, a path) is cut and
 * ends in ELLIPSIS. A single echoed value is cut earlier (SYSRUN_VALUE_MAX, json_describe()). */
#define SYSRUN_MESSAGE_MAX 4096
#define SYSRUN_VALUE_MAX 256
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

/* Carries a human-readable explanation across the library boundary. Library functions return
 * -errno and fill this in on failure only; the first message set wins. The CLI prints it. */
typedef struct SysrunError {
        int code; /* negative errno */
        char *msg;
} SysrunError;

#define SYSRUN_ERROR_NULL ((SysrunError){ 0, NULL })

/* vasprintf() with "%m" spelled as runc spells errnum (errno-string.h), capped at
 * SYSRUN_MESSAGE_MAX. NULL on OOM. */
char *sysrun_vformat(int errnum, const char *fmt, va_list ap) _printf_(2, 0);
char *sysrun_format(int errnum, const char *fmt, ...) _printf_(2, 3);

/* Sets the message (if none is set yet) and returns r. errno is set to -r first so "%m" works. */
int sysrun_error_set(SysrunError *e, int r, const char *fmt, ...) _printf_(3, 4);
/* Prepends "<prefix>: " to an existing message. Returns e->code (or -EIO when unset). */
int sysrun_error_prefix(SysrunError *e, const char *fmt, ...) _printf_(2, 3);
void sysrun_error_done(SysrunError *e);
/* Frees the message when the variable goes out of scope (every command's own SysrunError). */
#define _cleanup_error_ _cleanup_(sysrun_error_done)
static inline bool sysrun_error_is_set(const SysrunError *e) {
        return e && e->msg;
}
