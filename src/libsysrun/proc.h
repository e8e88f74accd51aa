/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* From /proc/PID/stat: the state letter and the start time (clock ticks after boot). */
int proc_stat(pid_t pid, char *ret_state, uint64_t *ret_start_time);
/* Parses the text of /proc/PID/stat: state (field 3), flags (9, PF_*), starttime (22). Pure. */
int proc_stat_parse(const char *text, char *ret_state, unsigned *ret_flags, uint64_t *ret_start_time);
/* Whether the text of /proc/PID/status shows SIGKILL pending (SigPnd or ShdPnd). Pure. */
bool proc_status_sigkill_pending(const char *text);
/* 1 when pid is running and started at start_time; 0 when it is gone, a different process that
 * reuses the pid, or dead or dying: a zombie, exiting (PF_EXITING), or with SIGKILL pending. */
int proc_is_alive(pid_t pid, uint64_t start_time);
/* A pidfd for pid, checked against start_time after opening so it cannot name a reused pid.
 * -ESRCH when the process is gone. */
int pidfd_open_checked(pid_t pid, uint64_t start_time);
int pidfd_send(int pidfd, int sig);
/* Waits until the process behind pidfd exits; timeout_ms < 0 waits forever. -ETIMEDOUT. */
int pidfd_wait(int pidfd, int timeout_ms);
/* waitpid() without EINTR; returns the shell-style exit status (128+N for signal N). */
int wait_exit_status(pid_t pid);
int exit_status_from_wait(int status);
