/* SPDX-License-Identifier: Apache-2.0 */
#include <assert.h>
#include <ctype.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>

#include "fd-util.h"
#include "sync.h"
#include "mounts.h"
#include "proc.h"
#include "terminal.h"


int unix_connect(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        return TAKE_FD(fd);
}

int pidfd_socket_send(const char *path, int pidfd, const char *name, SysrunError *e) {
        _cleanup_close_ int sock = -EBADF;
        int r;

        sock = unix_connect(path);
        if (sock < 0)
                return sysrun_error_set(e, sock, "--pidfd-socket: cannot connect to '%s': %m", path);
        r = send_fd(sock, pidfd, name, strlen(name));
        if (r < 0)
                return sysrun_error_set(e, r, "--pidfd-socket: cannot send the pidfd to '%s': %m", path);
        return 0;
}

int terminal_check(bool terminal, bool detach, const char *console_socket, SysrunError *e) {
        if (detach && terminal && !console_socket)
                return sysrun_error_set(
                                e, -EINVAL,
                                "cannot allocate tty if runc will detach without setting console socket");
        if ((!detach || !terminal) && console_socket)
                return sysrun_error_set(
                                e, -EINVAL,
                                "cannot use console socket if runc will not detach or allocate tty");
        return 0;
}

int console_target_prepare(const char *rootfs, SysrunError *e) {
        _cleanup_close_ int rootfd = -EBADF, devfd = -EBADF, fd = -EBADF;
        struct stat st;

        rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return sysrun_error_set(e, -errno, "cannot open rootfs '%s': %m", rootfs);
        devfd = open_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY);
        if (devfd < 0)
                return sysrun_error_set(e, devfd, "cannot open /dev in the container: %m");

        if (fstatat(devfd, "console", &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)) {
                        fd = openat(devfd, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
                        if (fd >= 0 && fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
                                return TAKE_FD(fd);
                        fd = safe_close(fd);
                }
                /* A symlink (or whatever else the image has there) is replaced, never followed. */
                if (unlinkat(devfd, "console", S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT)
                        return sysrun_error_set(e, -errno, "cannot remove /dev/console in the container: %m");
        } else if (errno != ENOENT)
                return sysrun_error_set(e, -errno, "cannot look at /dev/console in the container: %m");

        fd = openat(devfd, "console", O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC, 0600);
        if (fd < 0)
                return sysrun_error_set(e, -errno, "cannot create /dev/console in the container: %m");
        return TAKE_FD(fd);
}

/* A new pty in the devpts mounted at /dev/pts of the current root; checked to be a real ptmx on a
 * real devpts before it is used. */
static int pty_open(int *ret_master, int *ret_slave, char *ret_name, size_t name_size, SysrunError *e) {
        struct open_how how = {
                .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
                .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int master = -EBADF, slave = -EBADF;
        struct statfs sfs;
        struct stat st;
        unsigned n;
        int zero = 0;

        master = (int) syscall(SYS_openat2, AT_FDCWD, "/dev/pts/ptmx", &how, sizeof(how));
        if (master < 0)
                return sysrun_error_set(e, -errno, "cannot open /dev/pts/ptmx in the container: %m");
        if (fstatfs(master, &sfs) < 0 || fstat(master, &st) < 0)
                return sysrun_error_set(e, -errno, "cannot check /dev/pts/ptmx: %m");
        if (sfs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
                return sysrun_error_set(e, -EPERM, "/dev/pts/ptmx in the container is not a devpts ptmx");
        if (ioctl(master, TIOCSPTLCK, &zero) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
                return sysrun_error_set(e, -errno, "cannot unlock the pty: %m");
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return sysrun_error_set(e, -errno, "cannot open the pty's peer: %m");
        snprintf(ret_name, name_size, "/dev/pts/%u", n);
        *ret_master = TAKE_FD(master);
        *ret_slave = TAKE_FD(slave);
        return 0;
}

/* Binds the slave over target; the mount API needs no /proc in the container. */
static int console_bind(int slave, int target, SysrunError *e) {
        _cleanup_close_ int tree = -EBADF;

        tree = (int) syscall(SYS_open_tree, slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (tree < 0)
                return sysrun_error_set(e, -errno, "cannot bind the pty on /dev/console: open_tree: %m");
        if (syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
            0)
                return sysrun_error_set(e, -errno, "cannot bind the pty on /dev/console: move_mount: %m");
        return 0;
}

int terminal_setup(const TerminalSetup *t, SysrunError *e) {
        _cleanup_close_ int master = -EBADF, slave = -EBADF;
        const OciProcess *p = t->process;
        char name[64];
        int r;

        r = pty_open(&master, &slave, name, sizeof(name), e);
        if (r < 0)
                return r;
        if (p->has_console_size && p->console_height && p->console_width) {
                struct winsize ws = { .ws_row = (unsigned short) p->console_height,
                                      .ws_col = (unsigned short) p->console_width };
                if (ioctl(master, TIOCSWINSZ, &ws) < 0)
                        return sysrun_error_set(e, -errno, "process.consoleSize: cannot set it: %m");
        } else if (t->console_socket < 0) {
                /* Proxied by sysrun: the size of sysrun's own terminal (still our stdin), set before
                 * the process can ask for it; sysrun follows later changes with SIGWINCH. */
                struct winsize ws;
                if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
                        (void) ioctl(master, TIOCSWINSZ, &ws);
        }
        if (t->console_target >= 0) {
                r = console_bind(slave, t->console_target, e);
                if (r < 0)
                        return r;
        }
        /* Our own new pty (never an inherited device): the process's user may use it by name too.
         * An unmapped uid makes this fail, which is harmless. */
        (void) fchown(slave, p->user.uid, (gid_t) -1);

        if (t->console_socket >= 0)
                r = send_fd(t->console_socket, master, name, strlen(name));
        else
                r = sync_send_fd(t->sync_fd, SYNC_PTY, 0, master);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot send the pty master%s: %m",
                                        t->console_socket >= 0 ? " to the console socket" : "");
        master = safe_close(master); /* only the receiver holds it from here on */

        if (ioctl(slave, TIOCSCTTY, 0) < 0)
                return sysrun_error_set(e, -errno, "cannot make the pty the controlling terminal: %m");
        for (int i = 0; i < 3; i++)
                if (dup2(slave, i) < 0)
                        return sysrun_error_set(e, -errno, "cannot make the pty stdio: %m");
        return 0;
}

int signalfd_block(const sigset_t *mask, sigset_t *ret_old, SysrunError *e) {
        int fd;

        if (sigprocmask(SIG_BLOCK, mask, ret_old) < 0)
                return sysrun_error_set(e, -errno, "sigprocmask: %m");
        fd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (fd < 0) {
                int r = -errno;
                (void) sigprocmask(SIG_SETMASK, ret_old, NULL);
                return sysrun_error_set(e, r, "signalfd: %m");
        }
        return fd;
}

int forward_signals_block(sigset_t *ret_old, SysrunError *e) {
        sigset_t mask;

        sigfillset(&mask);
        /* Never forwarded: the unblockable ones and the ones a fault raises in us. */
        sigdelset(&mask, SIGKILL);
        sigdelset(&mask, SIGSTOP);
        sigdelset(&mask, SIGSEGV);
        sigdelset(&mask, SIGBUS);
        sigdelset(&mask, SIGFPE);
        sigdelset(&mask, SIGILL);
        return signalfd_block(&mask, ret_old, e);
}

/* Reaps exited children other than keep (reparented to us as a subreaper); keep stays a zombie
 * until its pidfd says so, so its status is never lost. */
static void reap_others(pid_t keep) {
        for (;;) {
                siginfo_t si = {};

                if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid <= 0 ||
                    si.si_pid == keep)
                        return;
                (void) waitpid(si.si_pid, NULL, WNOHANG);
        }
}

static void resize_from(int from, int master) {
        struct winsize ws;

        if (master >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
                (void) ioctl(master, TIOCSWINSZ, &ws);
}

typedef struct Buffer {
        char data[8192];
        size_t len;
} Buffer;

/* Moves what fits from fd into b; false on EOF or error (EIO: every slave fd is closed). */
static bool buffer_fill(int fd, Buffer *b) {
        ssize_t n = read(fd, b->data + b->len, sizeof(b->data) - b->len);

        if (n < 0)
                return errno == EINTR || errno == EAGAIN;
        if (n == 0)
                return false;
        b->len += (size_t) n;
        return true;
}

static bool buffer_flush(int fd, Buffer *b) {
        ssize_t n = write(fd, b->data, b->len);

        if (n < 0)
                return errno == EINTR || errno == EAGAIN;
        memmove(b->data, b->data + n, b->len - (size_t) n);
        b->len -= (size_t) n;
        return true;
}

int journal_stream_parse(const char *s, dev_t *ret_dev, ino_t *ret_ino) {
        unsigned long long dev, ino;
        int n = 0;

        if (!s || sscanf(s, "%llu:%llu%n", &dev, &ino, &n) != 2 || s[n] != 0 || !isdigit((unsigned char) s[0]))
                return -EINVAL;
        *ret_dev = (dev_t) dev;
        *ret_ino = (ino_t) ino;
        return 0;
}

bool fd_is_journal_stream(int fd) {
        struct stat st;
        dev_t dev;
        ino_t ino;

        return journal_stream_parse(getenv("JOURNAL_STREAM"), &dev, &ino) >= 0 && fstat(fd, &st) == 0 &&
               st.st_dev == dev && st.st_ino == ino;
}

int journal_pipe(int fd, int *ret_read, int *ret_write) {
        int p[2];

        *ret_read = *ret_write = -EBADF;
        if (!fd_is_journal_stream(fd))
                return 0;
        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        (void) fcntl(p[0], F_SETFL, O_NONBLOCK);
        *ret_read = p[0];
        *ret_write = p[1];
        return 1;
}

/* Copies what is waiting in a pipe to fd; false at EOF (or an error), when the pipe is done. */
static bool pipe_copy(int pipe_fd, int fd) {
        char buf[16384];

        for (;;) {
                ssize_t n = read(pipe_fd, buf, sizeof(buf));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno == EAGAIN;
                if (n == 0)
                        return false;
                (void) loop_write(fd, buf, (size_t) n);
        }
}

int foreground_wait(pid_t pid, int pidfd, int sigfd, const ForegroundIo *io, SysrunError *e) {
        int master = io ? io->pty_master : -EBADF;
        int out_pipe = io ? io->stdout_pipe : -EBADF, err_pipe = io ? io->stderr_pipe : -EBADF;
        NotifyRelay *relay = io ? io->relay : NULL;
        int tty_fd = isatty(STDIN_FILENO) ? STDIN_FILENO : isatty(STDOUT_FILENO) ? STDOUT_FILENO : -EBADF;
        bool in_open = master >= 0, master_open = master >= 0, raw = false;
        Buffer to_master = {}, to_out = {};
        struct termios saved;
        int status;

        if (master >= 0) {
                (void) fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
                if (tty_fd >= 0) {
                        resize_from(tty_fd, master);
                        if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
                                struct termios t = saved;
                                cfmakeraw(&t);
                                raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
                        }
                }
        }

        for (;;) {
                struct pollfd p[8] = {
                        { .fd = sigfd, .events = POLLIN },
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = in_open && to_master.len == 0 ? STDIN_FILENO : -1, .events = POLLIN },
                        { .fd = master_open ? master : -1,
                          .events = (to_out.len == 0 ? POLLIN : 0) | (to_master.len > 0 ? POLLOUT : 0) },
                        { .fd = to_out.len > 0 ? STDOUT_FILENO : -1, .events = POLLOUT },
                        { .fd = relay ? relay->fd : -1, .events = POLLIN },
                        { .fd = out_pipe, .events = POLLIN },
                        { .fd = err_pipe, .events = POLLIN },
                };

                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        status = sysrun_error_set(e, -errno, "poll: %m");
                        goto out;
                }
                if (p[0].revents & POLLIN) {
                        struct signalfd_siginfo si;

                        while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                                if (si.ssi_signo == SIGCHLD)
                                        reap_others(pid);
                                else if (si.ssi_signo == SIGWINCH)
                                        resize_from(tty_fd, master); /* the kernel signals the container */
                                else
                                        (void) pidfd_send(pidfd, (int) si.ssi_signo);
                        }
                }
                if (p[2].revents && !buffer_fill(STDIN_FILENO, &to_master))
                        in_open = false; /* EOF: stop reading, the container keeps its terminal */
                if (p[3].revents & POLLOUT && !buffer_flush(master, &to_master))
                        to_master.len = 0;
                if (p[3].revents & (POLLIN | POLLHUP | POLLERR) && to_out.len == 0 &&
                    !buffer_fill(master, &to_out))
                        master_open = false;
                if (p[4].revents && !buffer_flush(STDOUT_FILENO, &to_out))
                        to_out.len = 0;
                if (p[5].revents)
                        notify_relay_pending(relay);
                if (p[6].revents && !pipe_copy(out_pipe, STDOUT_FILENO))
                        out_pipe = -EBADF;
                if (p[7].revents && !pipe_copy(err_pipe, STDERR_FILENO))
                        err_pipe = -EBADF;
                if (p[1].revents & POLLIN)
                        break;
        }

        status = wait_exit_status(pid);
        if (status < 0)
                status = sysrun_error_set(e, status, "wait: %m");
        /* What the process wrote just before it exited. */
        for (;;) {
                if (to_out.len > 0 && loop_write(STDOUT_FILENO, to_out.data, to_out.len) < 0)
                        break;
                to_out.len = 0;
                if (!master_open || !buffer_fill(master, &to_out) || to_out.len == 0)
                        break;
        }
        /* The rest of what the container wrote; its other processes may still hold the pipes. */
        if (out_pipe >= 0)
                (void) pipe_copy(out_pipe, STDOUT_FILENO);
        if (err_pipe >= 0)
                (void) pipe_copy(err_pipe, STDERR_FILENO);
        reap_others(0);
out:
        if (raw)
                (void) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        return status;
}

int process_publish(const char *pid_file, const char *pidfd_socket, pid_t pid, int pidfd, const char *name,
                    SysrunError *e) {
        int r;

        if (pid_file) {
                r = write_pid_file(pid_file, pid, e);
                if (r < 0)
                        return r;
        }
        if (pidfd_socket)
                return pidfd_socket_send(pidfd_socket, pidfd, name, e);
        return 0;
}
