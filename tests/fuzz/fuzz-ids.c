/* SPDX-License-Identifier: Apache-2.0 */
/* Names and paths from callers and from the kernel: container ids (container_id_validate),
 * linux.cgroupsPath (cgroups_path_effective, cgroups_path_parse), unit names, the cgroup lines of
 * /proc/PID/cgroup and the cgroup2 entry of mountinfo, and the value strings of `update` flags and
 * cpusets. The first line is the id and the cgroupsPath; the whole input is the proc text. */

#include <assert.h>

#include "cgroupfs-sub.h"
#include "fuzz.h"
#include "resources.h"
#include "scope.h"
#include "state.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

static void check_id(const char *id) {
        SysrunError e = SYSRUN_ERROR_NULL;
        int r = container_id_validate(id, &e);

        assert(r < 0 ? !!e.msg : !e.msg);
        if (r >= 0) /* it names one directory below the state root */
                assert(*id && !strchr(id, '/') && strcmp(id, ".") != 0 && strcmp(id, "..") != 0 &&
                       strlen(id) <= CONTAINER_ID_MAX);
        sysrun_error_done(&e);
}

static void check_cgroups_path(const char *path, const char *id) {
        SysrunError e = SYSRUN_ERROR_NULL;
        char *slice = NULL, *unit = NULL;
        int r;

        for (int explicit = 0; explicit <= 1; explicit++) {
                const char *p = cgroups_path_effective(path, explicit);
                assert(!p || p == path);
        }
        r = cgroups_path_parse(path, id, &slice, &unit, &e);
        if (r >= 0) /* systemd unit names: never a path */
                assert(slice && unit && !strchr(slice, '/') && !strchr(unit, '/') &&
                       unit_name_is_valid(slice) && unit_name_is_valid(unit));
        else
                assert(!slice && !unit);
        free(slice);
        free(unit);
        sysrun_error_done(&e);
}

static void check_values(const char *s) {
        uint8_t *mask = NULL;
        size_t n = 0;
        uint64_t u;
        int64_t i;

        (void) unit_name_is_valid(s);
        (void) parse_ram_bytes(s, &i);
        (void) unified_parse_max(s, &u);
        if (cpu_list_to_mask(s, &mask, &n) >= 0)
                assert(mask && n > 0);
        free(mask);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **lines = fuzz_lines(data, size);
        _cleanup_free_ char *text = fuzz_string(data, size);
        char *out = NULL;
        int r;

        if (!lines || !text)
                return 0;
        STRV_FOREACH(l, lines) {
                check_id(*l);
                check_values(*l);
        }
        if (lines[0] && lines[1]) {
                SysrunError e = SYSRUN_ERROR_NULL;

                /* The default scope name embeds the id; create validates it first. */
                if (container_id_validate(lines[1], &e) >= 0)
                        check_cgroups_path(lines[0], lines[1]);
                sysrun_error_done(&e);
        }
        check_cgroups_path(lines[0] ?: "", "fuzz");

        r = cgroup_path_from_proc_text(text, &out);
        assert(r < 0 ? !out : !!out);
        free(out);
        out = NULL;
        r = cgroup2_mount_point_from_mountinfo(text, &out);
        assert(r < 0 ? !out : !!out);
        free(out);
        return 0;
}
