/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer. */
int read_full_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_size);
/* Writes data to dir/name through a temporary file and rename(), so readers see old or new. */
int write_file_atomic_at(int dirfd, const char *name, const char *data, size_t size, mode_t mode);
/* Writes a string to an existing file (e.g. /proc or cgroupfs knobs). */
int write_string_file_at(int dirfd, const char *path, const char *s);
int loop_write(int fd, const void *buf, size_t size);
/* Removes a directory tree below dirfd/name without following symlinks or crossing mounts. */
int rm_rf_at(int dirfd, const char *name);
/* Writes pid to path atomically (temp file + rename in the same directory), for --pid-file. */
int write_pid_file(const char *path, pid_t pid, SysrunError *reterr_error);
/* "/proc/self/fd/N" for fd, in buf. */
char *fd_path(char buf[static 32], int fd);

/* Sends fd with SCM_RIGHTS and data as the payload (MSG_NOSIGNAL). */
int send_fd(int sock, int fd, const void *data, size_t size);
/* Receives one message into buf (NUL-terminated, so at most size - 1 bytes); *ret_fd is the fd that
 * came with it (O_CLOEXEC) or -EBADF. Extra fds are closed. Returns the payload length; 0 is EOF. */
ssize_t recv_fd(int sock, void *buf, size_t size, int *ret_fd);
