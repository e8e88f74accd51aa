/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Terminals and fd passing.
 *
 * Container side: the pty is opened in the container's own devpts (/dev/pts/ptmx of the current
 * root, after pivot_root or after exec's chroot), the master goes either over --console-socket
 * with runc's protocol (SCM_RIGHTS, the payload is the pty's name, so conmon, the containerd shim
 * and runc's recvtty work unchanged) or to sysrun itself over the sync socket (SYNC_PTY), and the
 * slave becomes the process's controlling terminal and stdio.
 *
 * sysrun side: in the foreground, sysrun proxies between its own terminal (raw mode, window size
 * on start and on SIGWINCH, restored on exit) and the master, forwards signals and reaps. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"
#include "notify.h"

/* Connects an AF_UNIX stream socket (O_CLOEXEC) to path. */
int unix_connect(const char *path);
/* Hands a pidfd to whoever listens on path, as runc's --pidfd-socket does; name is the payload. */
int pidfd_socket_send(const char *path, int pidfd, const char *name, SysrunError *reterr_error);
/* Tells the caller about a new container process: --pid-file (when pid_file is set), then
 * --pidfd-socket (when pidfd_socket is set, with name as the payload). */
int process_publish(const char *pid_file, const char *pidfd_socket, pid_t pid, int pidfd, const char *name,
                    SysrunError *reterr_error);

/* runc's rules: a terminal without a console socket needs sysrun in the foreground, and a console
 * socket needs both a terminal and a detached sysrun. */
int terminal_check(bool terminal, bool detach, const char *console_socket, SysrunError *reterr_error);

/* Makes the mount target for /dev/console below rootfs/dev (before pivot_root, so a read-only
 * root does not stop it): a symlink or anything else in the way is replaced, nothing is followed.
 * Returns an fd on it. */
int console_target_prepare(const char *rootfs, SysrunError *reterr_error);

typedef struct TerminalSetup {
        const OciProcess *process; /* consoleSize, user.uid */
        int console_socket;        /* the master goes here, or else */
        int sync_fd;               /* to sysrun as SYNC_PTY */
        int console_target;        /* /dev/console to bind the slave on, or -EBADF */
} TerminalSetup;

/* In the container (after setsid()): opens a pty in /dev/pts, sizes it, binds /dev/console, hands
 * the master over and makes the slave the controlling terminal and stdio 0–2. */
int terminal_setup(const TerminalSetup *t, SysrunError *reterr_error);

/* Blocks every signal that can be forwarded and returns a signalfd for them; the old mask goes to
 * ret_old. Call before the process exists, so no signal is lost. */
int forward_signals_block(sigset_t *ret_old, SysrunError *reterr_error);
/* Adds mask to the blocked signals and returns a signalfd for it (non-blocking); the old mask goes
 * to ret_old, and is restored on failure. */
int signalfd_block(const sigset_t *mask, sigset_t *ret_old, SysrunError *reterr_error);

/* Whether fd is the journal stream systemd gave the service that runs us ($JOURNAL_STREAM). journald
 * files what comes through a stream under the writer's unit: the container's output would land in
 * its scope's journal, not the service's, unless sysrun copies it. */
bool fd_is_journal_stream(int fd);
/* "dev:ino" of $JOURNAL_STREAM. Pure. */
int journal_stream_parse(const char *s, dev_t *ret_dev, ino_t *ret_ino);
/* A pipe for the container's fd (1 or 2) when it is the journal stream: 1 with the non-blocking read
 * end in *ret_read and the write end (for the init) in *ret_write; 0, both -EBADF, when it is not. */
int journal_pipe(int fd, int *ret_read, int *ret_write);

/* What a foreground wait carries besides signals. */
typedef struct ForegroundIo {
        int pty_master;     /* the terminal to proxy, or -EBADF */
        int stdout_pipe;    /* the container's stdout and stderr, copied to ours (to keep them in */
        int stderr_pipe;    /* the journal stream of the service that runs sysrun); or -EBADF */
        NotifyRelay *relay; /* NOTIFY_SOCKET messages to pass on, or NULL */
} ForegroundIo;

/* In the foreground: forwards signals (SIGCHLD reaps, SIGWINCH resizes) to pidfd, proxies the
 * terminal and the pipes of io, relays notifications, and returns pid's exit status (128+N for
 * signal N). pid must be our child (we are its parent or subreaper). Other reparented children are
 * reaped too. */
int foreground_wait(pid_t pid, int pidfd, int sigfd, const ForegroundIo *io, SysrunError *reterr_error);
