/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The OCI runtime-spec 1.2 config (Linux parts) as typed C structs. config.c is the only place
 * that walks JSON; everything else reads these structs. Optional scalars use Opt* wrappers so that
 * "absent" and "zero" stay distinct. Absent strings are NULL, absent arrays have n_* == 0 and a
 * NULL pointer, absent string vectors are NULL. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct OptI64 {
        bool set;
        int64_t value;
} OptI64;
typedef struct OptU64 {
        bool set;
        uint64_t value;
} OptU64;
typedef struct OptBool {
        bool set;
        bool value;
} OptBool;

typedef enum NamespaceType {
        NAMESPACE_PID,
        NAMESPACE_NETWORK,
        NAMESPACE_MOUNT,
        NAMESPACE_IPC,
        NAMESPACE_UTS,
        NAMESPACE_USER,
        NAMESPACE_CGROUP,
        NAMESPACE_TIME,
        _NAMESPACE_TYPE_MAX,
        _NAMESPACE_TYPE_INVALID = -EINVAL,
} NamespaceType;

const char *namespace_type_to_string(NamespaceType t);   /* "pid", "network", … (OCI names) */
NamespaceType namespace_type_from_string(const char *s);
int namespace_type_to_clone_flag(NamespaceType t);       /* CLONE_NEWPID, … */
const char *namespace_type_to_proc_name(NamespaceType t); /* "pid", "net", "mnt", … (/proc/PID/ns) */

typedef enum HookKind {
        HOOK_PRESTART,
        HOOK_CREATE_RUNTIME,
        HOOK_CREATE_CONTAINER,
        HOOK_START_CONTAINER,
        HOOK_POSTSTART,
        HOOK_POSTSTOP,
        _HOOK_KIND_MAX,
        _HOOK_KIND_INVALID = -EINVAL,
} HookKind;

const char *hook_kind_to_string(HookKind k); /* "prestart", "createRuntime", … */

typedef enum SeccompActionType {
        SECCOMP_ACTION_KILL, /* SCMP_ACT_KILL == kill thread */
        SECCOMP_ACTION_KILL_PROCESS,
        SECCOMP_ACTION_KILL_THREAD,
        SECCOMP_ACTION_TRAP,
        SECCOMP_ACTION_ERRNO,
        SECCOMP_ACTION_TRACE,
        SECCOMP_ACTION_ALLOW,
        SECCOMP_ACTION_LOG,
        SECCOMP_ACTION_NOTIFY,
        _SECCOMP_ACTION_MAX,
        _SECCOMP_ACTION_INVALID = -EINVAL,
} SeccompActionType;

const char *seccomp_action_to_string(SeccompActionType a); /* "SCMP_ACT_KILL", … */
SeccompActionType seccomp_action_from_string(const char *s);

typedef enum SeccompOperator {
        SECCOMP_OP_NE,
        SECCOMP_OP_LT,
        SECCOMP_OP_LE,
        SECCOMP_OP_EQ,
        SECCOMP_OP_GE,
        SECCOMP_OP_GT,
        SECCOMP_OP_MASKED_EQ,
        _SECCOMP_OP_MAX,
        _SECCOMP_OP_INVALID = -EINVAL,
} SeccompOperator;

const char *seccomp_operator_to_string(SeccompOperator o); /* "SCMP_CMP_NE", … */
SeccompOperator seccomp_operator_from_string(const char *s);

typedef struct OciIdMapping {
        uint32_t container_id;
        uint32_t host_id;
        uint32_t size;
} OciIdMapping;

typedef struct OciUser {
        uint32_t uid;
        uint32_t gid;
        OptU64 umask;
        uint32_t *additional_gids;
        size_t n_additional_gids;
        char *username;
} OciUser;

typedef struct OciRlimit {
        char *type;   /* "RLIMIT_NOFILE" */
        int resource; /* RLIMIT_NOFILE */
        uint64_t soft;
        uint64_t hard;
} OciRlimit;

typedef struct OciCapabilities {
        /* NULL when the set is absent. Entries are validated "CAP_…" strings, unknown names kept
         * (the caps code drops them with a warning). */
        char **bounding;
        char **effective;
        char **inheritable;
        char **permitted;
        char **ambient;
} OciCapabilities;

typedef struct OciIOPriority {
        bool set;
        char *class; /* IOPRIO_CLASS_RT|BE|IDLE */
        int64_t priority;
} OciIOPriority;

typedef struct OciScheduler {
        bool set;
        char *policy; /* SCHED_OTHER, … */
        OptI64 nice;
        OptI64 priority;
        char **flags;
        OptU64 runtime;
        OptU64 deadline;
        OptU64 period;
} OciScheduler;

typedef struct OciProcess {
        bool terminal;
        bool has_console_size;
        uint32_t console_height;
        uint32_t console_width;
        OciUser user;
        char **args; /* required unless commandLine is given (Windows only; ignored) */
        char **env;
        char *cwd; /* required, absolute */
        OciCapabilities *capabilities;
        OciRlimit *rlimits;
        size_t n_rlimits;
        bool no_new_privileges;
        char *apparmor_profile;
        OptI64 oom_score_adj;
        char *selinux_label;
        OciIOPriority io_priority;
        OciScheduler scheduler;
        char *exec_cpu_affinity_initial;
        char *exec_cpu_affinity_final;
} OciProcess;

typedef struct OciMount {
        char *destination; /* required, absolute */
        char *source;
        char *type;
        char **options;
        OciIdMapping *uid_mappings;
        size_t n_uid_mappings;
        OciIdMapping *gid_mappings;
        size_t n_gid_mappings;
} OciMount;

typedef struct OciHook {
        char *path; /* required, absolute */
        char **args;
        char **env;
        OptI64 timeout; /* seconds, > 0 */
} OciHook;

typedef struct OciNamespace {
        NamespaceType type;
        char *path; /* NULL: create a new one */
} OciNamespace;

typedef struct OciDevice {
        char *path; /* required, absolute */
        char type;  /* 'c', 'b', 'u' or 'p' */
        int64_t major;
        int64_t minor;
        OptU64 file_mode;
        OptU64 uid;
        OptU64 gid;
} OciDevice;

typedef struct OciDeviceRule {
        bool allow;
        char type;     /* 'a', 'c' or 'b' ('a' when absent) */
        int64_t major; /* -1: wildcard (absent) */
        int64_t minor; /* -1: wildcard (absent) */
        char *access;  /* subset of "rwm"; NULL means "rwm" */
} OciDeviceRule;

typedef struct OciMemory {
        OptI64 limit;
        OptI64 reservation;
        OptI64 swap;
        OptI64 kernel;
        OptI64 kernel_tcp;
        OptU64 swappiness;
        OptBool disable_oom_killer;
        OptBool use_hierarchy;
        OptBool check_before_update;
} OciMemory;

typedef struct OciCpu {
        OptU64 shares;
        OptI64 quota;
        OptU64 burst;
        OptU64 period;
        OptI64 realtime_runtime;
        OptU64 realtime_period;
        char *cpus;
        char *mems;
        OptI64 idle;
} OciCpu;

typedef struct OciWeightDevice {
        int64_t major;
        int64_t minor;
        OptU64 weight;
        OptU64 leaf_weight;
} OciWeightDevice;

typedef struct OciThrottleDevice {
        int64_t major;
        int64_t minor;
        uint64_t rate;
} OciThrottleDevice;

typedef enum ThrottleKind {
        THROTTLE_READ_BPS,
        THROTTLE_WRITE_BPS,
        THROTTLE_READ_IOPS,
        THROTTLE_WRITE_IOPS,
        _THROTTLE_KIND_MAX,
} ThrottleKind;

typedef struct OciBlockIO {
        OptU64 weight;
        OptU64 leaf_weight;
        OciWeightDevice *weight_devices;
        size_t n_weight_devices;
        OciThrottleDevice *throttle[_THROTTLE_KIND_MAX];
        size_t n_throttle[_THROTTLE_KIND_MAX];
} OciBlockIO;

typedef struct OciHugepageLimit {
        char *page_size; /* "2MB" */
        uint64_t limit;
} OciHugepageLimit;

typedef struct OciNetPriority {
        char *name;
        uint32_t priority;
} OciNetPriority;

typedef struct OciRdma {
        char *device;
        OptU64 hca_handles;
        OptU64 hca_objects;
} OciRdma;

typedef struct OciResources {
        OciDeviceRule *devices;
        size_t n_devices;
        bool has_memory, has_cpu, has_pids, has_block_io, has_network;
        OciMemory memory;
        OciCpu cpu;
        OptI64 pids_limit;
        OciBlockIO block_io;
        OciHugepageLimit *hugepage_limits;
        size_t n_hugepage_limits;
        OptU64 network_class_id;
        OciNetPriority *network_priorities;
        size_t n_network_priorities;
        OciRdma *rdma;
        size_t n_rdma;
        char **unified; /* flat key/value pairs */
} OciResources;

typedef struct OciIntelRdt {
        bool set;
        char *clos_id;
        char *l3_cache_schema;
        char *mem_bw_schema;
        char **schemata;
        bool enable_monitoring; /* also set by the old enableCMT / enableMBM names */
} OciIntelRdt;

typedef struct OciSeccompArg {
        uint32_t index;
        uint64_t value;
        uint64_t value_two;
        SeccompOperator op;
} OciSeccompArg;

typedef struct OciSeccompSyscall {
        char **names;
        SeccompActionType action;
        OptU64 errno_ret;
        OciSeccompArg *args;
        size_t n_args;
} OciSeccompSyscall;

typedef struct OciSeccomp {
        SeccompActionType default_action;
        OptU64 default_errno_ret;
        char **architectures; /* "SCMP_ARCH_X86_64", … */
        char **flags;         /* "SECCOMP_FILTER_FLAG_LOG", … */
        char *listener_path;
        char *listener_metadata;
        OciSeccompSyscall *syscalls;
        size_t n_syscalls;
} OciSeccomp;

typedef struct OciTimeOffset {
        bool set;
        int64_t secs;
        uint32_t nanosecs;
} OciTimeOffset;

typedef struct OciPersonality {
        bool set;
        char *domain; /* LINUX or LINUX32 */
        char **flags;
} OciPersonality;

typedef struct OciLinux {
        OciNamespace *namespaces;
        size_t n_namespaces;
        OciIdMapping *uid_mappings;
        size_t n_uid_mappings;
        OciIdMapping *gid_mappings;
        size_t n_gid_mappings;
        OciTimeOffset time_offset_boottime;
        OciTimeOffset time_offset_monotonic;
        OciDevice *devices;
        size_t n_devices;
        char *cgroups_path;
        OciResources *resources; /* NULL when absent */
        OciIntelRdt intel_rdt;
        char **sysctl; /* flat key/value pairs */
        OciSeccomp *seccomp; /* NULL when absent */
        char *rootfs_propagation;
        char **masked_paths;
        char **readonly_paths;
        char *mount_label;
        OciPersonality personality;
} OciLinux;

typedef struct OciConfig {
        char *oci_version;
        char *root_path; /* as written in config.json */
        bool root_readonly;
        OciProcess *process; /* NULL when absent (allowed for create-only bundles) */
        char *hostname;
        char *domainname;
        OciMount *mounts;
        size_t n_mounts;
        OciHook *hooks[_HOOK_KIND_MAX];
        size_t n_hooks[_HOOK_KIND_MAX];
        char **annotations; /* flat key/value pairs, in file order */
        OciLinux *linux_section; /* NULL when absent */
} OciConfig;

/* Refuses absurd array sizes ("mounts: 100000 entries, more than the 4096 sysrun accepts"), so that
 * a create stays short; -E2BIG. */
int oci_config_check_sizes(const OciConfig *c, SysrunError *reterr_error);

OciConfig *oci_config_free(OciConfig *c);
static inline void oci_config_freep(OciConfig **c) {
        *c = oci_config_free(*c);
}
#define _cleanup_oci_config_ _cleanup_(oci_config_freep)

/* Parses a JSON text. Errors read "<json path>: <what is wrong>", e.g.
 * "process.user.uid: expected an unsigned 32-bit integer, got \"x\"". */
/* A runtime-spec 1.x version in SemVer 2.0.0 form: "1.0.0", "1.2.0", "1.0.2-dev", "1.1.0+x". Pure. */
bool oci_version_valid(const char *v);

int oci_config_parse_string(const char *json, OciConfig **ret, SysrunError *reterr_error);
/* Reads and parses a file; errors are prefixed "<basename>: " (so: "config.json: process.cwd: …"). */
int oci_config_parse_file(const char *path, OciConfig **ret, SysrunError *reterr_error);

/* Process alone, for `exec -p process.json`. Paths in errors start at the top of that file. */
int oci_process_parse_string(const char *json, OciProcess **ret, SysrunError *reterr_error);
OciProcess *oci_process_free(OciProcess *p);
static inline void oci_process_freep(OciProcess **p) {
        *p = oci_process_free(*p);
}

/* linux.resources alone, for `update -r`. */
int oci_resources_parse_string(const char *json, OciResources **ret, SysrunError *reterr_error);
OciResources *oci_resources_free(OciResources *r);
static inline void oci_resources_freep(OciResources **r) {
        *r = oci_resources_free(*r);
}

/* Convenience lookups. */
const OciNamespace *oci_config_find_namespace(const OciConfig *c, NamespaceType t);
