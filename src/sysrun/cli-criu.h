/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

#include "criu-args.h"

/* The global --criu (runc's): the criu binary for checkpoint and restore; NULL: see criu_find(). */
extern const char *arg_criu;

/* The options checkpoint and restore share, parsed into o; 0 when opt is one of them, 1 when it is
 * not, -EINVAL (reported) on a bad value. */
int cli_criu_option(int opt, const char *value, CriuOptions *o);
/* Makes o->image_path absolute: default ./checkpoint, as runc. Stored in *buf. */
int cli_criu_image_path(const char *given, char **buf, CriuOptions *o);

enum {
        OPT_CRIU_IMAGE_PATH = 1000,
        OPT_CRIU_WORK_PATH,
        OPT_CRIU_TCP_ESTABLISHED,
        OPT_CRIU_EXT_UNIX_SK,
        OPT_CRIU_SHELL_JOB,
        OPT_CRIU_LAZY_PAGES,
        OPT_CRIU_FILE_LOCKS,
        OPT_CRIU_MANAGE_CGROUPS_MODE,
        OPT_CRIU_EMPTY_NS,
        OPT_CRIU_AUTO_DEDUP,
};

/* The flags checkpoint and restore share, as CliOption rows. */
#define CLI_CRIU_OPTIONS                                                                                        \
        { "image-path", OPT_CRIU_IMAGE_PATH, "DIR", "the checkpoint images' directory (default: ./checkpoint)" },    \
        { "work-path", OPT_CRIU_WORK_PATH, "DIR", "criu's log and work files (default: the image path)" },          \
        { "tcp-established", OPT_CRIU_TCP_ESTABLISHED, NULL, "allow open TCP connections" },                       \
        { "ext-unix-sk", OPT_CRIU_EXT_UNIX_SK, NULL, "allow external unix sockets" },                               \
        { "shell-job", OPT_CRIU_SHELL_JOB, NULL, "allow shell jobs" },                                              \
        { "lazy-pages", OPT_CRIU_LAZY_PAGES, NULL, "use userfaultfd to restore memory pages lazily" },             \
        { "file-locks", OPT_CRIU_FILE_LOCKS, NULL, "handle file locks" },                                           \
        { "manage-cgroups-mode", OPT_CRIU_MANAGE_CGROUPS_MODE, "MODE",                                               \
          "cgroups mode: soft (default), full, strict or ignore" },                                                 \
        { "empty-ns", OPT_CRIU_EMPTY_NS, "NS", "make the namespace but restore nothing of it (network only)" },      \
        { "auto-dedup", OPT_CRIU_AUTO_DEDUP, NULL, "deduplicate memory images automatically" }
