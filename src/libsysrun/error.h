/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include "macro.h"

/* Carries a human-readable explanation across the library boundary. Library functions return
 * -errno and fill this in on failure only; the first message set wins. The CLI prints it. */
typedef struct SysrunError {
        int code; /* negative errno */
        char *msg;
} SysrunError;

#define SYSRUN_ERROR_NULL ((SysrunError){ 0, NULL })

/* Sets the message (if none is set yet) and returns r. errno is set to -r first so "%m" works. */
int sysrun_error_set(SysrunError *e, int r, const char *fmt, ...) _printf_(3, 4);
/* Prepends "<prefix>: " to an existing message. Returns e->code (or -EIO when unset). */
int sysrun_error_prefix(SysrunError *e, const char *fmt, ...) _printf_(2, 3);
void sysrun_error_done(SysrunError *e);

#define ERRNO_TEXT_MAX 64
/* strerror(|r|) as runc (Go) spells it, lower case: "no such file or directory". */
char *errno_text(int r, char buf[static ERRNO_TEXT_MAX]);
static inline bool sysrun_error_is_set(const SysrunError *e) {
        return e && e->msg;
}
