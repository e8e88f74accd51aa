/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli-criu.h"
#include "cli.h"
#include "macro.h"

const char *arg_criu = NULL;

int cli_criu_option(int opt, const char *value, CriuOptions *o) {
        _cleanup_error_ SysrunError e = SYSRUN_ERROR_NULL;
        int r;

        switch (opt) {
        case OPT_CRIU_IMAGE_PATH:
                o->image_path = value;
                return 0;
        case OPT_CRIU_WORK_PATH:
                o->work_path = value[0] ? value : NULL;
                return 0;
        case OPT_CRIU_TCP_ESTABLISHED:
                o->tcp_established = true;
                return 0;
        case OPT_CRIU_EXT_UNIX_SK:
                o->ext_unix_sk = true;
                return 0;
        case OPT_CRIU_SHELL_JOB:
                o->shell_job = true;
                return 0;
        case OPT_CRIU_LAZY_PAGES:
                o->lazy_pages = true;
                return 0;
        case OPT_CRIU_FILE_LOCKS:
                o->file_locks = true;
                return 0;
        case OPT_CRIU_AUTO_DEDUP:
                o->auto_dedup = true;
                return 0;
        case OPT_CRIU_MANAGE_CGROUPS_MODE:
                /* runc: "" is the default (soft). */
                if (!value[0]) {
                        o->manage_cgroups_mode_set = false;
                        return 0;
                }
                r = criu_parse_cgroup_mode(value, &o->manage_cgroups_mode, &e);
                if (r < 0) {
                        cli_fail(&e, r);
                        return -EINVAL;
                }
                o->manage_cgroups_mode_set = true;
                return 0;
        case OPT_CRIU_EMPTY_NS:
                r = criu_parse_empty_ns(value, &e);
                if (r < 0) {
                        cli_fail(&e, r);
                        return -EINVAL;
                }
                return 0;
        default:
                return 1;
        }
}

int cli_criu_image_path(const char *given, char **buf, CriuOptions *o) {
        _cleanup_free_ char *cwd = NULL;

        if (given && given[0] == '/') {
                o->image_path = given;
                return 0;
        }
        cwd = getcwd(NULL, 0);
        if (!cwd)
                return cli_failf("getcwd: %m");
        if (asprintf(buf, "%s/%s", cwd, given && given[0] ? given : "checkpoint") < 0)
                return cli_failf("out of memory");
        o->image_path = *buf;
        return 0;
}
