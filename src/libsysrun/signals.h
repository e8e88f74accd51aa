/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Parses a signal as runc's kill does: a number ("9"), a name with or without the SIG prefix,
 * in any case ("KILL", "sigkill"), or a real-time signal ("RTMIN+3", "SIGRTMAX-1").
 * Returns the signal number, or -EINVAL. */
int signal_from_string(const char *s);
/* signal_from_string(), and "0": kill's liveness probe (runc's kill takes any number). */
int kill_signal_from_string(const char *s);
/* "SIGKILL", "SIGRTMIN+3"; NULL for an invalid number. */
const char *signal_to_string(int sig);
