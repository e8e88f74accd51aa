/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stddef.h>

/* Callers (docker, containerd, podman) match runc's error text by substring: "no such file or
 * directory" means exit 127, "permission denied" 126. runc prints Go's syscall.Errno strings,
 * which are glibc's strerror() texts with the first letter lowercased ("Bad" -> "bad", but
 * "RFS ..." stays), and "errno N" for a number glibc has no text for. */
#define ERRNO_STRING_MAX 96

/* Go's text for errnum (either sign), written into buf. Returns buf. */
const char *errno_to_string(int errnum, char *buf, size_t size);
#define ERRNO_STRING(errnum) errno_to_string((errnum), (char[ERRNO_STRING_MAX]){}, ERRNO_STRING_MAX)

/* Go's text for a signal, as runc shows a hook killed by one ("signal: killed"): glibc's
 * description with the same lowercasing, "signal N" when glibc has none (real-time signals). */
const char *signal_to_go_string(int sig, char *buf, size_t size);
#define SIGNAL_STRING(sig) signal_to_go_string((sig), (char[ERRNO_STRING_MAX]){}, ERRNO_STRING_MAX)

/* A copy of the printf format fmt with every "%m" replaced by errno_to_string(errnum), so that
 * glibc's own "%m" text never reaches a caller. NULL on OOM. */
char *format_expand_errno(const char *fmt, int errnum);
