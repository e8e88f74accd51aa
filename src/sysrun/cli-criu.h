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

#define CLI_CRIU_OPTIONS                                                                  \
        { "image-path", required_argument, NULL, OPT_CRIU_IMAGE_PATH },                   \
        { "work-path", required_argument, NULL, OPT_CRIU_WORK_PATH },                     \
        { "tcp-established", no_argument, NULL, OPT_CRIU_TCP_ESTABLISHED },               \
        { "ext-unix-sk", no_argument, NULL, OPT_CRIU_EXT_UNIX_SK },                       \
        { "shell-job", no_argument, NULL, OPT_CRIU_SHELL_JOB },                           \
        { "lazy-pages", no_argument, NULL, OPT_CRIU_LAZY_PAGES },                         \
        { "file-locks", no_argument, NULL, OPT_CRIU_FILE_LOCKS },                         \
        { "manage-cgroups-mode", required_argument, NULL, OPT_CRIU_MANAGE_CGROUPS_MODE }, \
        { "empty-ns", required_argument, NULL, OPT_CRIU_EMPTY_NS },                       \
        { "auto-dedup", no_argument, NULL, OPT_CRIU_AUTO_DEDUP }
