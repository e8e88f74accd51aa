/* SPDX-License-Identifier: Apache-2.0 */
#include "rootless.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "bus-util.h"
#include "fd-util.h"
#include "userns-map.h"

static RootlessMode mode = ROOTLESS_AUTO;
static int detected = -1;

int rootless_mode_from_string(const char *s, RootlessMode *ret) {
        if (streq(s, "auto"))
                *ret = ROOTLESS_AUTO;
        else if (streq(s, "true"))
                *ret = ROOTLESS_FORCE;
        else if (streq(s, "false"))
                *ret = ROOTLESS_NEVER;
        else
                return -EINVAL;
        return 0;
}

void rootless_set_mode(RootlessMode m) {
        mode = m;
}

bool uid_map_is_initial(const char *text) {
        unsigned long a, b, c;
        char rest;

        /* One line, the whole range mapped onto itself. */
        return text && sscanf(text, " %lu %lu %lu %c", &a, &b, &c, &rest) == 3 && a == 0 && b == 0 &&
                        c == 4294967295UL;
}

static bool in_user_namespace(void) {
        _cleanup_free_ char *text = NULL;

        if (read_full_file_at(AT_FDCWD, "/proc/self/uid_map", 4096, &text, NULL) < 0)
                return false;
        return !uid_map_is_initial(text);
}

bool rootless_detect(void) {
        if (mode != ROOTLESS_AUTO)
                return mode == ROOTLESS_FORCE;
        if (detected < 0)
                detected = geteuid() != 0 || in_user_namespace();
        return detected;
}

char *rootless_state_root_for(
                const char *default_root,
                const char *xdg_runtime_dir,
                const char *user,
                uid_t euid,
                bool in_userns) {
        char *p;

        /* runc's choice: root of the initial namespace keeps the system path even with a
         * $XDG_RUNTIME_DIR (/run/user/0), and so does a namespace's root that calls itself root. */
        if (isempty(xdg_runtime_dir) || (euid == 0 && (!in_userns || streq_ptr(user, "root"))))
                return strdup(default_root);
        return asprintf(&p, "%s/sysrun", xdg_runtime_dir) < 0 ? NULL : p;
}

char *rootless_state_root(const char *default_root) {
        return rootless_state_root_for(
                        default_root, getenv("XDG_RUNTIME_DIR"), getenv("USER"), geteuid(),
                        geteuid() == 0 && in_user_namespace());
}

bool rootless_cgroupfs_usable(void) {
        struct statfs sfs;

        /* Moving the init needs write access to cgroup.procs of the common ancestor of our cgroup
         * and the container's: the default one (/sysrun/ID) is below the root, so the whole tree
         * must be ours, as in a container with a cgroup namespace and a writable cgroup2 mount. v1
         * hierarchies are never delegated. */
        return statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC &&
                        access("/sys/fs/cgroup/cgroup.procs", W_OK) == 0 &&
                        access("/sys/fs/cgroup", W_OK) == 0;
}

CgroupManagerType rootless_cgroup_manager_default(void) {
        _cleanup_free_ char *address = NULL;
        const char *how;

        if (access("/run/systemd/system", F_OK) == 0 && bus_user_manager_address(&address, &how) >= 0)
                return CGROUP_MANAGER_SYSTEMD;
        if (rootless_cgroupfs_usable())
                return CGROUP_MANAGER_CGROUPFS;
        return CGROUP_MANAGER_DISABLED;
}

const char *rootless_no_manager_reason(void) {
        return "rootless, and neither a systemd user manager ($DBUS_SESSION_BUS_ADDRESS, $XDG_RUNTIME_DIR/bus) nor "
               "a cgroup v2 tree delegated to the user";
}

void rootless_state_root_keep(int fd, const char *root) {
        const char *xdg = getenv("XDG_RUNTIME_DIR"), *rest;
        struct stat st;

        if (!rootless_detect() || isempty(xdg) || !(rest = startswith(root, xdg)) || *rest != '/')
                return;
        if (fstat(fd, &st) == 0 && !(st.st_mode & S_ISVTX))
                (void) fchmod(fd, (st.st_mode & 07777) | S_ISVTX);
}

static const char *rlimit_name(const OciRlimit *r) {
        return r->type ?: "rlimit";
}

static int check_rlimits(const OciProcess *p, SysrunError *e) {
        for (size_t i = 0; p && i < p->n_rlimits; i++) {
                const OciRlimit *want = &p->rlimits[i];
                struct rlimit now;

                if (getrlimit(want->resource, &now) < 0)
                        return sysrun_error_set(
                                        e, -errno, "process.rlimits[%zu]: cannot read %s: %m", i,
                                        rlimit_name(want));
                /* Without CAP_SYS_RESOURCE in the initial namespace a hard limit only goes down. */
                if (now.rlim_max != RLIM_INFINITY && (want->hard == RLIM_INFINITY || want->hard > now.rlim_max))
                        return sysrun_error_set(
                                        e, -EPERM,
                                        "process.rlimits[%zu]: cannot raise the hard limit of %s to %llu in a "
                                        "rootless container: it is %llu here, and only root may raise it",
                                        i, rlimit_name(want), (unsigned long long) want->hard,
                                        (unsigned long long) now.rlim_max);
        }
        return 0;
}

static int check_oom_score_adj(const OciProcess *p, SysrunError *e) {
        _cleanup_free_ char *text = NULL;
        long ours;

        if (!p || !p->oom_score_adj.set)
                return 0;
        if (read_full_file_at(AT_FDCWD, "/proc/self/oom_score_adj", 64, &text, NULL) < 0)
                return 0; /* the write says what is wrong */
        ours = strtol(text, NULL, 10);
        if (p->oom_score_adj.value < ours)
                return sysrun_error_set(
                                e, -EPERM,
                                "process.oomScoreAdj: cannot lower it to %lld in a rootless container: "
                                "sysrun's own is %ld, and only root may go below it",
                                (long long) p->oom_score_adj.value, ours);
        return 0;
}

int rootless_check(const OciConfig *c, const NamespacePlan *plan, SysrunError *e) {
        const OciLinux *l = c->linux_section;
        int r;

        if (!rootless_detect())
                return 0;
        /* An unprivileged caller has capabilities only in a user namespace of its own. */
        if (geteuid() != 0 && !plan->in_userns)
                return sysrun_error_set(
                                e, -EPERM,
                                "linux.namespaces: a rootless container needs a user namespace: sysrun runs as uid "
                                "%u, without root (add {\"type\": \"user\"} with uidMappings and gidMappings, as "
                                "`sysrun spec --rootless` writes)",
                                (unsigned) geteuid());
        for (size_t i = 0; i < c->n_mounts; i++)
                if (c->mounts[i].n_uid_mappings || c->mounts[i].n_gid_mappings)
                        return sysrun_error_set(
                                        e, -EPERM,
                                        "mounts[%zu] (%s): idmapped mounts cannot be made rootless (mount_setattr "
                                        "needs root over the source's filesystem)",
                                        i, strempty(c->mounts[i].destination));
        if (l && l->intel_rdt.set)
                return sysrun_error_set(
                                e, -EPERM,
                                "linux.intelRdt: cannot be applied in a rootless container (resctrl is "
                                "root's)");
        /* setgroups is denied with a gid map of our own gid alone: the kernel's condition for it. */
        if (geteuid() != 0 && plan->new_userns && c->process && c->process->user.n_additional_gids > 0 &&
            idmap_is_own_id(l->gid_mappings, l->n_gid_mappings, (uint32_t) getegid()))
                return sysrun_error_set(
                                e, -EPERM,
                                "process.user.additionalGids: cannot be set when linux.gidMappings maps only "
                                "your own gid (%u): setgroups is denied then; map a range of /etc/subgid",
                                (unsigned) getegid());
        r = check_rlimits(c->process, e);
        if (r < 0)
                return r;
        return check_oom_score_adj(c->process, e);
}
