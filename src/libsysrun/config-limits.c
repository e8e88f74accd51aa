/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>

#include "config.h"
#include "strv.h"

/* Far beyond what real callers send (docker, podman and kubelet: tens of mounts, devices and
 * paths, a seccomp profile of about 400 syscall names, a few hooks), and low enough that a create
 * never works for long: each entry costs a mount, a device node, a process or a filter rule. */
#define MAX_MOUNTS 4096        /* the kernel itself stops at mount-max, 100000 per namespace */
#define MAX_PATHS 4096         /* maskedPaths, readonlyPaths: a mount each */
#define MAX_DEVICES 4096       /* linux.devices: a node each; linux.resources.devices: a rule each */
#define MAX_ID_MAPPINGS 340    /* the most lines uid_map and gid_map take */
#define MAX_GROUPS 65536       /* NGROUPS_MAX */
#define MAX_HOOKS 256          /* of each kind: a process each, one after another */
#define MAX_SYSCTL 4096        /* a file write each */
#define MAX_UNIFIED 4096       /* cgroup v2 has about a hundred interface files */
#define MAX_SECCOMP_RULES 4096 /* a filter holds at most 4096 instructions (BPF_MAXINSNS) */

static int check(SysrunError *e, const char *field, size_t n, size_t max) {
        if (n <= max)
                return 0;
        return sysrun_error_set(e, -E2BIG, "%s: %zu entries, more than the %zu sysrun accepts", field, n, max);
}

static int check_id_mappings(SysrunError *e, const char *parent, size_t n_uid, size_t n_gid) {
        char field[64];
        int r;

        snprintf(field, sizeof(field), "%suidMappings", parent);
        r = check(e, field, n_uid, MAX_ID_MAPPINGS);
        if (r < 0)
                return r;
        snprintf(field, sizeof(field), "%sgidMappings", parent);
        return check(e, field, n_gid, MAX_ID_MAPPINGS);
}

/* libseccomp adds one rule per name and (with a repeated argument index) per condition. */
static int check_seccomp(const OciSeccomp *s, SysrunError *e) {
        size_t rules = 0;

        for (size_t i = 0; s && i < s->n_syscalls; i++)
                rules += strv_length(s->syscalls[i].names) * (s->syscalls[i].n_args ?: 1);
        if (rules <= MAX_SECCOMP_RULES)
                return 0;
        return sysrun_error_set(
                        e, -E2BIG,
                        "linux.seccomp.syscalls: %zu rules (names times argument conditions), more than the %d "
                        "sysrun accepts",
                        rules, MAX_SECCOMP_RULES);
}

int oci_config_check_sizes(const OciConfig *c, SysrunError *e) {
        const OciLinux *l = c->linux_section;
        int r;

        r = check(e, "mounts", c->n_mounts, MAX_MOUNTS);
        for (size_t i = 0; r >= 0 && i < c->n_mounts; i++) {
                char parent[48];

                snprintf(parent, sizeof(parent), "mounts[%zu].", i);
                r = check_id_mappings(e, parent, c->mounts[i].n_uid_mappings, c->mounts[i].n_gid_mappings);
        }
        for (HookKind k = 0; r >= 0 && k < _HOOK_KIND_MAX; k++) {
                char field[48];

                snprintf(field, sizeof(field), "hooks.%s", hook_kind_to_string(k));
                r = check(e, field, c->n_hooks[k], MAX_HOOKS);
        }
        if (r >= 0 && c->process)
                r = check(e, "process.user.additionalGids", c->process->user.n_additional_gids, MAX_GROUPS);
        if (r < 0 || !l)
                return r;

        r = check_id_mappings(e, "linux.", l->n_uid_mappings, l->n_gid_mappings);
        if (r >= 0)
                r = check(e, "linux.devices", l->n_devices, MAX_DEVICES);
        if (r >= 0 && l->resources)
                r = check(e, "linux.resources.devices", l->resources->n_devices, MAX_DEVICES);
        if (r >= 0 && l->resources)
                r = check(e, "linux.resources.unified", strv_length(l->resources->unified) / 2, MAX_UNIFIED);
        if (r >= 0)
                r = check(e, "linux.maskedPaths", strv_length(l->masked_paths), MAX_PATHS);
        if (r >= 0)
                r = check(e, "linux.readonlyPaths", strv_length(l->readonly_paths), MAX_PATHS);
        if (r >= 0)
                r = check(e, "linux.sysctl", strv_length(l->sysctl) / 2, MAX_SYSCTL);
        if (r >= 0)
                r = check_seccomp(l->seccomp, e);
        return r;
}
