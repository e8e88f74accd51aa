/* SPDX-License-Identifier: Apache-2.0 */
#include "cli-log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"

static int log_fd = -EBADF; /* the --log file, or (--debug without --log) a copy of stderr */
static bool log_to_file = false;
static bool log_json = false;

int cli_log_open(const char *path, bool json, bool debug) {
        log_json = json;
        if (path) {
                log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                if (log_fd < 0)
                        return -errno;
                log_to_file = true;
        } else if (debug)
                log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        return 0;
}

/* A quoted string's contents, as JSON and as logrus' text format both escape them. */
static void put_escaped(FILE *out, const char *msg) {
        for (const char *p = msg; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(out, "\\%c", *p);
                else if ((unsigned char) *p < 0x20)
                        fprintf(out, "\\u%04x", (unsigned char) *p);
                else
                        fputc(*p, out);
        }
}

/* One logrus line, written with a single write(): the init appends to the same file. */
static void write_line(int fd, const char *level, const char *msg) {
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        FILE *f;
        char ts[64];
        struct timespec now;
        struct tm tm;

        (void) clock_gettime(CLOCK_REALTIME, &now);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", gmtime_r(&now.tv_sec, &tm));
        f = open_memstream(&line, &size);
        if (!f)
                return;
        if (log_json) {
                /* runc's (logrus) keys: level, msg, time. */
                fprintf(f, "{\"level\":\"%s\",\"msg\":\"", level);
                put_escaped(f, msg);
                fprintf(f, "\",\"time\":\"%s.%09ldZ\"}\n", ts, now.tv_nsec);
        } else {
                fprintf(f, "time=\"%s.%09ldZ\" level=%s msg=\"", ts, now.tv_nsec, level);
                put_escaped(f, msg);
                fputs("\"\n", f);
        }
        if (fclose(f) != 0 || !line)
                return;
        (void) !write(fd, line, size);
}

/* runc with --log FILE: every line goes to the file, and only a fatal error is repeated on stderr,
 * as the bare message (containerd and podman read the file, or that line, and put the runtime's
 * name in front themselves; a warning on stderr would end up in `docker logs` and in `podman
 * exec` output). Without --log, stderr gets the lines: "sysrun: …" text, or JSON lines; debug lines
 * (--debug) are logrus lines there, as runc's. */
void cli_log_report(const char *level, const char *msg) {
        bool debug = streq(level, "debug");

        if (log_to_file) {
                write_line(log_fd, level, msg);
                if (streq(level, "error"))
                        fprintf(stderr, "%s\n", msg);
        } else if (log_json || debug)
                write_line(debug && log_fd >= 0 ? log_fd : STDERR_FILENO, level, msg);
        else
                fprintf(stderr, "sysrun: %s%s\n", streq(level, "warning") ? "warning: " : "", msg);
}
