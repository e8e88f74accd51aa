/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The per-container state directory <root>/<id>/: state.json (written atomically), exec.fifo while
 * the container is created, config.json (a copy of the bundle's, for delete-time work). */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

#define CONTAINER_ID_MAX 255

typedef enum ContainerStatus {
        CONTAINER_CREATING,
        CONTAINER_CREATED,
        CONTAINER_RUNNING,
        CONTAINER_PAUSED,
        CONTAINER_STOPPED,
        _CONTAINER_STATUS_MAX,
        _CONTAINER_STATUS_INVALID = -EINVAL,
} ContainerStatus;

const char *container_status_to_string(ContainerStatus s);
ContainerStatus container_status_from_string(const char *s);

typedef struct ContainerState {
        char *id;
        char *oci_version;
        ContainerStatus stored_status; /* creating or created; the rest is derived */
        pid_t pid;                     /* host pid of the container's init; 0 while unknown */
        uint64_t pid_start_time;
        pid_t creator_pid; /* the sysrun process that is creating it (status creating) */
        uint64_t creator_start_time;
        char *bundle;
        char *rootfs;
        char *created; /* RFC 3339, nanoseconds */
        char *owner;   /* the owner's name, in states written before ownerUid; else NULL */
        uid_t owner_uid;
        char **annotations; /* flat key/value pairs */

        char *cgroup_manager; /* "disabled" | "systemd" | "cgroupfs" */
        char *unit;           /* systemd unit name */
        /* The unit a create was about to make, until it is made (then in unit): for delete after a
         * create that was killed midway. */
        char *unit_pending;
        char *cgroup_path;    /* cgroup of the container, relative to the cgroup2 root */
        bool systemd_slice_created;
        /* cgroupfs manager: the container's directory in each hierarchy it uses ("/sys/fs/cgroup/
         * pids/sysrun/c1"), and the parents it made, to be removed when empty (innermost last). */
        char **cgroupfs_dirs;
        char **cgroupfs_parents;
        /* An explicit cgroupsPath that already held another container's processes (cgroupfs), or
         * whose unit already ran (systemd), shared as runc shares it (with a warning): delete kills
         * nobody else, removes only what is empty and stops no unit. */
        bool cgroup_shared;

        char *rdt_group;      /* resctrl group path relative to the resctrl root, or NULL */
        bool rdt_group_created;
        char *rdt_mon_group;  /* monitoring group, or NULL */

        char *machine_name; /* the name registered with systemd-machined, or NULL */
        bool machine_registered;
        bool rootless; /* made without root: no machined registration (machined is system-only) */
        bool detached;
        bool own_pidns; /* its processes all die with its init */
        /* No mount namespace: the mount id of sysrun's private bind of the rootfs in the runtime's
         * mount namespace, unmounted on delete (rootfs-hostns.h); 0: none. */
        uint64_t host_rootfs_mount_id;
        /* Whether the saved config.json has poststart/poststop hooks, so that start and delete read
         * it only then. Missing in older states: true. */
        bool poststart_hooks;
        bool poststop_hooks;
        /* Not saved: create's --no-machine, for the cgroup manager that registers the machine. */
        bool no_machine;
        /* Not saved: the service that runs a foreground run, which the container's unit is bound to,
         * so that stopping the service stops the container. */
        char *bind_to_unit;
} ContainerState;

ContainerState *container_state_free(ContainerState *s);
static inline void container_state_freep(ContainerState **s) {
        *s = container_state_free(*s);
}
#define _cleanup_container_state_ _cleanup_(container_state_freep)

int container_id_validate(const char *id, SysrunError *reterr_error);

/* Opens (and with create, makes) the state root; it is made 0700. */
int state_root_open(const char *root, bool create, SysrunError *reterr_error);
/* Makes <root>/<id> exclusively; "container with given ID already exists" when it exists.
 * Returns a locked directory fd. */
int state_dir_create(int rootfd, const char *id, SysrunError *reterr_error);
/* Opens <root>/<id>; "container does not exist" when missing. With lock, takes the per-container
 * lock (exclusive), so concurrent commands on one id are serialised. */
int state_dir_open(int rootfd, const char *id, bool lock, SysrunError *reterr_error);
int state_load(int dirfd, ContainerState **ret, SysrunError *reterr_error);
/* The state.json text → a state (pure; state_load reads the file and calls it). */
int state_parse(const char *text, ContainerState **ret, SysrunError *reterr_error);
int state_save(int dirfd, const ContainerState *s, SysrunError *reterr_error);
int state_dir_remove(int rootfd, const char *id);
bool state_has_exec_fifo(int dirfd);

/* The runtime-spec state JSON, with runc's extra fields (rootfs, created, owner). */
char *state_to_json(const ContainerState *s, ContainerStatus status, bool pretty);

/* The owner's user name ("#<uid>" when it has none), looked up only when shown (state, list); never
 * call it in the init. */
char *state_owner_name(const ContainerState *s);

/* Current time as RFC 3339 with nanoseconds, UTC ("2026-11-29T05:49:00.123456789Z"). */
char *rfc3339_now(void);
/* The same for a given time. */
char *rfc3339_format(const struct timespec *ts);
/* Lists container ids (directory names) under root, sorted. */
int state_list_ids(int rootfd, char ***ret);
