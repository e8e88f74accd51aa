/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Systemd socket activation: the number of fds passed to sysrun itself (LISTEN_FDS, when
 * LISTEN_PID is ours), 0 otherwise. They are fds 3… and go on to the container's process. */
unsigned listen_fds_inherited(void);
/* env with LISTEN_FDS=n and LISTEN_PID=<the caller's pid> (LISTEN_FDNAMES kept from sysrun's
 * environment), replacing any earlier values. Call in the process that will exec. */
int listen_fds_env(char *const *env, unsigned n, char ***ret);
