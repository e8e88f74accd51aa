/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Intel RDT (CAT, MBA, CMT/MBM) through the resctrl filesystem, managed by sysrun itself.
 *
 * A container's group is named by linux.intelRdt.closID, else by the container id; closID "/" is the
 * default group (the resctrl root), which is never made or removed. The request (l3CacheSchema,
 * memBwSchema, then schemata[]) is checked against info/ and the root group's schemata (which lists
 * every resource and domain) before anything is made. An existing group is shared only when its
 * schemata agrees with the request for every domain the request names. With enableMonitoring a MON
 * group mon_groups/<container id> inside the group holds the container's tasks.
 *
 * State: rdt_group is the group name ("/" for the root); rdt_mon_group the MON group's name (below
 * <group>/mon_groups/); rdt_group_created is true when delete must remove the group. During create it
 * means "made by this create" so that a failed or killed create is undone; rdt_commit() drops it for an
 * explicit closID (the spec forbids removing those at delete).
 *
 * Testing aid: the environment variable SYSRUN_RESCTRL_ROOT (read with secure_getenv(), so ignored in
 * setuid contexts) points sysrun at an ordinary directory laid out like resctrl. The superblock check
 * is skipped, and because a plain directory does not populate itself, sysrun then creates the files
 * the kernel would have made (schemata, tasks, mon_groups/), appends to tasks, and removes groups
 * recursively. Never set it in production. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"
#include "state.h"

struct json_object;

#define RDTGROUP_SUPER_MAGIC 0x7655821
#define RDT_ROOT_GROUP "/"
#define RDT_ROOT_ENV "SYSRUN_RESCTRL_ROOT"

/* ---- pure parsers and validators (rdt-schemata.c) ---------------------------------------------- */

typedef enum RdtKind {
        RDT_KIND_CACHE,     /* capacity bitmasks in hex: L3, L3CODE, L3DATA, L2, … */
        RDT_KIND_BANDWIDTH, /* decimal: MB (percent, or MBps with mba_MBps), SMBA */
        _RDT_KIND_MAX,
        _RDT_KIND_INVALID = -EINVAL,
} RdtKind;

typedef struct RdtDomain {
        unsigned id;
        char *value; /* as written, surrounding blanks trimmed; parsed per resource kind */
} RdtDomain;

/* One schemata line "NAME:ID=VALUE;ID=VALUE…". */
typedef struct RdtLine {
        char *origin; /* where it came from, for messages ("linux.intelRdt.schemata[1]"), or NULL */
        char *text;   /* the line, trimmed */
        char *resource;
        RdtDomain *domains;
        size_t n_domains;
} RdtLine;

typedef struct RdtSchemata {
        RdtLine *lines;
        size_t n_lines;
} RdtSchemata;

void rdt_schemata_done(RdtSchemata *s);

/* Parses the syntax of one line (kind-independent). Blanks around the line, the name and the values
 * are allowed (the kernel pads its own output); elsewhere they are not. A trailing ";" is allowed. */
int rdt_line_parse(const char *text, const char *origin, RdtLine *ret, SysrunError *reterr_error);
/* Appends every non-blank line of text (which may hold several, newline-separated). */
int rdt_schemata_add(RdtSchemata *s, const char *text, const char *origin, SysrunError *reterr_error);
/* The request, in the order the spec wants it written: l3CacheSchema, memBwSchema, schemata[]. NULL or
 * empty fields are unset. MB lines inside l3CacheSchema are dropped when memBwSchema is set (older
 * configs put both into l3CacheSchema); memBwSchema may hold MB lines only. prefix names the fields in
 * messages ("linux.intelRdt"). */
int rdt_schemata_from_config(const char *l3, const char *mb, char *const *schemata, const char *prefix,
                             RdtSchemata *ret, SysrunError *reterr_error);
/* "line\nline\n", or NULL when there are no lines or on OOM (check n_lines). */
char *rdt_schemata_to_string(const RdtSchemata *s);
const RdtLine *rdt_schemata_find(const RdtSchemata *s, const char *resource);

/* A capacity bitmask: hex, optional "0x"; -EINVAL/-ERANGE. */
int rdt_parse_cbm(const char *s, uint64_t *ret);
/* A decimal unsigned number, blanks around it allowed; -EINVAL/-ERANGE. */
int rdt_parse_uint(const char *s, uint64_t *ret);

/* One allocation resource: what info/<name>/ and the root group's schemata say about it. */
typedef struct RdtResource {
        char *name;
        RdtKind kind;
        uint64_t num_closids;
        /* cache */
        uint64_t cbm_mask;
        uint64_t min_cbm_bits;
        bool sparse_masks; /* info/<name>/sparse_masks = 1: non-contiguous masks are allowed */
        /* bandwidth */
        uint64_t min_bandwidth;
        uint64_t bandwidth_gran;
        uint64_t max_bandwidth; /* 100, or the root's largest value (AMD's scale is larger) */
        unsigned *domain_ids;   /* from the root group's line */
        size_t n_domain_ids;
} RdtResource;

typedef struct RdtInfo {
        RdtResource *resources;
        size_t n_resources;
        bool mba_mbps;   /* mounted with mba_MBps: MB values are MBps, no granularity or percent bound */
        bool monitoring; /* info/L3_MON exists */
        bool mbm_total, mbm_local, llc_occupancy; /* info/L3_MON/mon_features */
} RdtInfo;

void rdt_info_done(RdtInfo *i);
/* Reads the root group's schemata and info/<resource>/… below rootfd. Malformed or missing files are
 * errors that name the file. */
int rdt_info_load(int rootfd, bool mba_mbps, RdtInfo *ret, SysrunError *reterr_error);
const RdtResource *rdt_info_find(const RdtInfo *i, const char *name);
/* The number of CLOSIDs: the smallest num_closids over all resources; 0 when there are none. */
uint64_t rdt_info_num_closids(const RdtInfo *i);

/* Checks every line against info: resource exists, cache ids exist and appear once per resource
 * across all lines, masks are contiguous runs within cbm_mask at least min_cbm_bits wide, bandwidths
 * respect min_bandwidth, bandwidth_gran and the maximum (unless mba_MBps). */
int rdt_schemata_validate(const RdtInfo *info, const RdtSchemata *s, SysrunError *reterr_error);
/* 0 when every domain that want names has the same value in have (numerically: order and leading
 * zeros do not matter); -EEXIST with a message naming the line otherwise. group is for messages. */
int rdt_schemata_compare(const RdtInfo *info, const RdtSchemata *want, const RdtSchemata *have,
                         const char *group, SysrunError *reterr_error);

/* Finds the first resctrl mount in /proc/self/mountinfo text: its mount point (unescaped) and whether
 * it was mounted with mba_MBps. -ENOENT when there is none. */
int rdt_mountinfo_find(const char *mountinfo, char **ret_path, bool *ret_mba_mbps);
/* A group or MON group name: one path component, not one of resctrl's own directories. */
bool rdt_group_name_is_valid(const char *name);

/* ---- the resctrl filesystem (rdt.c) ----------------------------------------------------------- */

typedef struct RdtPlan RdtPlan;

/* Before anything is made (create_internal, right after the bundle is loaded): finds resctrl,
 * validates the request, checks a shared group's schemata and that a CLOSID is free. */
int rdt_prepare(const OciIntelRdt *cfg, const char *id, RdtPlan **ret, SysrunError *reterr_error);
RdtPlan *rdt_plan_free(RdtPlan *p);
static inline void rdt_plan_freep(RdtPlan **p) {
        *p = rdt_plan_free(*p);
}
/* At the cgroup manager's point (the init has neither forked nor exec'd): records the groups in the
 * state (saved to state_dirfd before anything is made, so a killed create can be undone), makes the
 * group and writes its schemata, and moves pid into the group and the MON group. On failure the state
 * still describes what was made: rdt_destroy() undoes it. */
int rdt_enter(RdtPlan *p, ContainerState *s, int state_dirfd, pid_t pid, SysrunError *reterr_error);
/* Once the create succeeded: a group named by an explicit closID is never removed at delete. */
void rdt_commit(const RdtPlan *p, ContainerState *s);
/* Removes the MON group and, when rdt_group_created, the group. Nothing to do when the state has no
 * group or resctrl is no longer mounted (unmounting removed every group). */
int rdt_destroy(const ContainerState *s, SysrunError *reterr_error);
/* Moves pid (a process that exec adds) into the container's group and MON group. */
int rdt_join(const ContainerState *s, pid_t pid, SysrunError *reterr_error);
/* update --l3-cache-schema/--mem-bw-schema (and schemata lines): validated like create, then written
 * to the container's group. NULL/empty arguments are unset; nothing to do when all are. */
int rdt_update(ContainerState *s, const char *l3, const char *mb, char *const *schemata,
               SysrunError *reterr_error);
/* The "intel_rdt" object of `events --stats`, in runc's shape (types/events.go IntelRdt). */
int rdt_stats_json(const ContainerState *s, struct json_object **ret, SysrunError *reterr_error);
/* features.md: the runtime's implementation status, "irrelevant to the availability of Intel RDT on
 * the host": sysrun implements closID/l3CacheSchema/memBwSchema, schemata and enableMonitoring. */
int rdt_features(bool *ret_enabled, bool *ret_schemata, bool *ret_monitoring);
/* Counts the resctrl groups (the root included) below rootfd; used for the CLOSID check. */
int rdt_count_groups(int rootfd);
