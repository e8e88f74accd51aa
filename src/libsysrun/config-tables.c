/* SPDX-License-Identifier: Apache-2.0 */
#include <sched.h>
#include <sys/types.h>

#include "config.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* glibc < 2.36 lacks it */
#endif

static ssize_t string_table_lookup(const char *const *table, size_t n, const char *s) {
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (ssize_t) i;
        return -EINVAL;
}

#define DEFINE_STRING_TABLE_TO(name, type, table)                   \
        const char *name##_to_string(type i) {                      \
                if ((int) i < 0 || (size_t) i >= ELEMENTSOF(table)) \
                        return NULL;                                \
                return table[i];                                    \
        }
#define DEFINE_STRING_TABLE_FROM(name, type, table)                             \
        type name##_from_string(const char *s) {                                \
                return (type) string_table_lookup(table, ELEMENTSOF(table), s); \
        }

static const char *const namespace_type_table[_NAMESPACE_TYPE_MAX] = {
        [NAMESPACE_PID] = "pid",
        [NAMESPACE_NETWORK] = "network",
        [NAMESPACE_MOUNT] = "mount",
        [NAMESPACE_IPC] = "ipc",
        [NAMESPACE_UTS] = "uts",
        [NAMESPACE_USER] = "user",
        [NAMESPACE_CGROUP] = "cgroup",
        [NAMESPACE_TIME] = "time",
};
DEFINE_STRING_TABLE_TO(namespace_type, NamespaceType, namespace_type_table);
DEFINE_STRING_TABLE_FROM(namespace_type, NamespaceType, namespace_type_table);

static const char *const namespace_proc_name_table[_NAMESPACE_TYPE_MAX] = {
        [NAMESPACE_PID] = "pid",
        [NAMESPACE_NETWORK] = "net",
        [NAMESPACE_MOUNT] = "mnt",
        [NAMESPACE_IPC] = "ipc",
        [NAMESPACE_UTS] = "uts",
        [NAMESPACE_USER] = "user",
        [NAMESPACE_CGROUP] = "cgroup",
        [NAMESPACE_TIME] = "time",
};

const char *namespace_type_to_proc_name(NamespaceType t) {
        if ((int) t < 0 || t >= _NAMESPACE_TYPE_MAX)
                return NULL;
        return namespace_proc_name_table[t];
}

static const int namespace_clone_flag_table[_NAMESPACE_TYPE_MAX] = {
        [NAMESPACE_PID] = CLONE_NEWPID,
        [NAMESPACE_NETWORK] = CLONE_NEWNET,
        [NAMESPACE_MOUNT] = CLONE_NEWNS,
        [NAMESPACE_IPC] = CLONE_NEWIPC,
        [NAMESPACE_UTS] = CLONE_NEWUTS,
        [NAMESPACE_USER] = CLONE_NEWUSER,
        [NAMESPACE_CGROUP] = CLONE_NEWCGROUP,
        [NAMESPACE_TIME] = CLONE_NEWTIME,
};

int namespace_type_to_clone_flag(NamespaceType t) {
        if ((int) t < 0 || t >= _NAMESPACE_TYPE_MAX)
                return -EINVAL;
        return namespace_clone_flag_table[t];
}

static const char *const hook_kind_table[_HOOK_KIND_MAX] = {
        [HOOK_PRESTART] = "prestart",
        [HOOK_CREATE_RUNTIME] = "createRuntime",
        [HOOK_CREATE_CONTAINER] = "createContainer",
        [HOOK_START_CONTAINER] = "startContainer",
        [HOOK_POSTSTART] = "poststart",
        [HOOK_POSTSTOP] = "poststop",
};
DEFINE_STRING_TABLE_TO(hook_kind, HookKind, hook_kind_table);

static const char *const seccomp_action_table[_SECCOMP_ACTION_MAX] = {
        [SECCOMP_ACTION_KILL] = "SCMP_ACT_KILL",
        [SECCOMP_ACTION_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
        [SECCOMP_ACTION_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
        [SECCOMP_ACTION_TRAP] = "SCMP_ACT_TRAP",
        [SECCOMP_ACTION_ERRNO] = "SCMP_ACT_ERRNO",
        [SECCOMP_ACTION_TRACE] = "SCMP_ACT_TRACE",
        [SECCOMP_ACTION_ALLOW] = "SCMP_ACT_ALLOW",
        [SECCOMP_ACTION_LOG] = "SCMP_ACT_LOG",
        [SECCOMP_ACTION_NOTIFY] = "SCMP_ACT_NOTIFY",
};
DEFINE_STRING_TABLE_TO(seccomp_action, SeccompActionType, seccomp_action_table);
DEFINE_STRING_TABLE_FROM(seccomp_action, SeccompActionType, seccomp_action_table);

static const char *const seccomp_operator_table[_SECCOMP_OP_MAX] = {
        [SECCOMP_OP_NE] = "SCMP_CMP_NE",
        [SECCOMP_OP_LT] = "SCMP_CMP_LT",
        [SECCOMP_OP_LE] = "SCMP_CMP_LE",
        [SECCOMP_OP_EQ] = "SCMP_CMP_EQ",
        [SECCOMP_OP_GE] = "SCMP_CMP_GE",
        [SECCOMP_OP_GT] = "SCMP_CMP_GT",
        [SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};
DEFINE_STRING_TABLE_TO(seccomp_operator, SeccompOperator, seccomp_operator_table);
DEFINE_STRING_TABLE_FROM(seccomp_operator, SeccompOperator, seccomp_operator_table);
