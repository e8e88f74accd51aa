/* SPDX-License-Identifier: Apache-2.0 */
/* Which cgroup hierarchies this host mounts, and where a container's directories are in them. */
#include "cgroupfs-layout.h"

#include <fcntl.h>

#include "cgroupfs-sub.h"
#include "fd-util.h"
#include "strv.h"

/* The hierarchies every container gets when they are mounted: the device policy, pause, ps and the
 * pids count, and the usage figures of events --stats. */
static const char *const base_controllers[] = { "devices", "freezer", "pids", "cpu", "cpuacct", "blkio" };

void cgroupfs_layout_done(CgroupfsLayout *l) {
        cgroup_hierarchies_free(l->h, l->n);
        *l = (CgroupfsLayout){};
}

int cgroupfs_layout_load(CgroupfsLayout *ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &text, NULL);
        if (r < 0)
                return r;
        r = cgroup_hierarchies_from_mountinfo(text, &ret->h, &ret->n);
        if (r < 0)
                return r;
        ret->v1 = false;
        ret->v2 = NULL;
        for (size_t i = 0; i < ret->n; i++)
                ret->v1 = ret->v1 || !ret->h[i].unified;
        for (size_t i = 0; i < ret->n && !ret->v1; i++)
                if (ret->h[i].unified && !ret->v2)
                        ret->v2 = &ret->h[i];
        for (size_t i = 0; i < ret->n && ret->v1; i++)
                if (ret->h[i].unified && streq(ret->h[i].mount_point, "/sys/fs/cgroup/unified") && !ret->h[i].root) {
                        ret->hybrid_unified = &ret->h[i];
                        break;
                }
        return 0;
}

const CgroupHierarchy *cgroupfs_layout_find(const CgroupfsLayout *l, const char *controller) {
        if (l->v2)
                return l->v2;
        for (size_t i = 0; i < l->n; i++)
                if (!l->h[i].unified && strv_contains(l->h[i].controllers, controller))
                        return &l->h[i];
        return NULL;
}

bool cgroupfs_host_supported(void) {
        _cleanup_(cgroupfs_layout_done) CgroupfsLayout l = {};
        return cgroupfs_layout_load(&l) >= 0 && (l.v2 || cgroupfs_layout_find(&l, "devices"));
}

/* The controllers the v2 root offers ("cpu io memory pids …"). */
int cgroupfs_layout_v2_available(const CgroupfsLayout *l, char ***ret) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r = cgroupfs_read_text(l->v2->mount_point, "cgroup.controllers", &text);

        if (r < 0)
                return r;
        for (char *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
                if (strv_extend(ret, w) < 0)
                        return -ENOMEM;
        return 0;
}

/* Every write's controller is mounted; messages name the field and the controller. */
int cgroupfs_layout_check_mounted(const CgroupfsLayout *l, const CgroupfsPlan *p, SysrunError *e) {
        _cleanup_strv_free_ char **available = NULL;
        int r;

        if (l->v2) {
                r = cgroupfs_layout_v2_available(l, &available);
                if (r < 0)
                        return sysrun_error_set(e, r, "cannot read %s/cgroup.controllers: %m", l->v2->mount_point);
        }
        for (size_t i = 0; i < p->n_writes; i++) {
                _cleanup_free_ char *c = cgroupfs_controller_of(p->writes[i].file);
                if (!c)
                        return -ENOMEM;
                if (l->v2 && !strv_contains(available, c))
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s: cannot be applied: the cgroup v2 '%s' controller is not available "
                                        "on this host (not in %s/cgroup.controllers; needed for %s)",
                                        p->writes[i].field, c, l->v2->mount_point, p->writes[i].file);
                if (!cgroupfs_layout_find(l, c))
                        return sysrun_error_set(
                                        e, -EOPNOTSUPP,
                                        "%s: cannot be applied: the cgroup v1 '%s' controller is not mounted "
                                        "on this host (needed for %s)",
                                        p->writes[i].field, c, p->writes[i].file);
        }
        return 0;
}

bool cgroupfs_layout_needed(const CgroupHierarchy *h, const CgroupfsPlan *p) {
        if (h->unified)
                return true; /* only asked on pure v2 hosts */
        /* Never a memory hierarchy without a memory limit, even when it also holds another controller. */
        if (strv_contains(h->controllers, "memory") && !cgroupfs_plan_uses(p, "memory"))
                return false;
        STRV_FOREACH(c, h->controllers) {
                for (size_t i = 0; i < ELEMENTSOF(base_controllers); i++)
                        if (streq(*c, base_controllers[i]))
                                return true;
                if (cgroupfs_plan_uses(p, *c))
                        return true;
        }
        return false;
}

/* The cgroup directory of the container for controller, or NULL. */
const char *cgroupfs_layout_container_dir(const ContainerState *s, const CgroupfsLayout *l, const char *controller) {
        const CgroupHierarchy *h = cgroupfs_layout_find(l, controller);
        size_t n;

        if (!h)
                return NULL;
        n = strlen(h->mount_point);
        STRV_FOREACH(d, s->cgroupfs_dirs)
                if (strncmp(*d, h->mount_point, n) == 0 && (*d)[n] == '/')
                        return *d;
        return NULL;
}

const char *cgroupfs_layout_hierarchy_of(const CgroupfsLayout *l, const char *dir, const CgroupHierarchy **ret) {
        for (size_t i = 0; i < l->n; i++) {
                size_t n = strlen(l->h[i].mount_point);
                if ((l->h[i].unified == !!l->v2 || &l->h[i] == l->hybrid_unified) &&
                    strncmp(dir, l->h[i].mount_point, n) == 0 && dir[n] == '/') {
                        *ret = &l->h[i];
                        return dir + n;
                }
        }
        *ret = NULL;
        return NULL;
}

