/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"

#include <fcntl.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "fd-util.h"
#include "log.h"
#include "strv.h"

static const char *const cap_set_names[_CAP_SET_MAX] = {
        [CAP_SET_BOUNDING] = "bounding",   [CAP_SET_EFFECTIVE] = "effective",
        [CAP_SET_PERMITTED] = "permitted", [CAP_SET_INHERITABLE] = "inheritable",
        [CAP_SET_AMBIENT] = "ambient",
};

const char *cap_set_type_to_string(CapSetType t) {
        if ((int) t < 0 || t >= _CAP_SET_MAX)
                return NULL;
        return cap_set_names[t];
}

int cap_number_from_name(const char *name) {
        cap_value_t v;

        /* libcap also takes bare numbers and lower case; OCI names are "CAP_" and upper case. */
        if (!name || !startswith(name, "CAP_"))
                return -EINVAL;
        for (const char *p = name; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        return -EINVAL;
        if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
                return -EINVAL;
        return (int) v;
}

static char *const *cap_set_list(const OciCapabilities *c, CapSetType t) {
        switch (t) {
        case CAP_SET_BOUNDING:
                return c->bounding;
        case CAP_SET_EFFECTIVE:
                return c->effective;
        case CAP_SET_PERMITTED:
                return c->permitted;
        case CAP_SET_INHERITABLE:
                return c->inheritable;
        case CAP_SET_AMBIENT:
                return c->ambient;
        default:
                return NULL;
        }
}

static int strv_extend_unique(char ***l, const char *s) {
        return strv_contains(*l, s) ? 0 : strv_extend(l, s);
}

static int cap_name_of(unsigned cap, char **ret) {
        char *n = cap_to_name((cap_value_t) cap), *u;

        if (!n)
                return -ENOMEM;
        u = strdup(n);
        cap_free(n);
        if (!u)
                return -ENOMEM;
        for (char *p = u; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        *p = (char) (*p - 'a' + 'A');
        *ret = u;
        return 0;
}

int caps_resolve(
                const OciCapabilities *c,
                unsigned last_cap,
                uint64_t available,
                CapMasks *ret,
                char ***ret_unknown,
                char ***ret_unavailable,
                char ***ret_ambient_dropped,
                SysrunError *e) {
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **ambient_dropped = NULL;
        CapMasks m = { .set = true, .last_cap = last_cap };
        uint64_t extra;
        int r;

        if (last_cap > 63)
                return sysrun_error_set(
                                e, -ERANGE, "kernel reports %u capabilities, at most 64 are supported",
                                last_cap + 1);
        for (CapSetType t = 0; t < _CAP_SET_MAX; t++)
                STRV_FOREACH(name, cap_set_list(c, t)) {
                        int n = cap_number_from_name(*name);

                        if (n < 0 || (unsigned) n > last_cap)
                                r = strv_extend_unique(&unknown, *name);
                        else if (!(available & (UINT64_C(1) << n)) && t != CAP_SET_BOUNDING)
                                /* capset(2) cannot grant it: the container would run with less
                                 * than asked. runc and crun refuse to create it too; the words
                                 * are runc's. */
                                return sysrun_error_set(e, -EPERM,
                                                        "process.capabilities.%s: unable to apply caps: %s is "
                                                        "not in sysrun's own bounding set: %m",
                                                        cap_set_type_to_string(t), *name);
                        else if (!(available & (UINT64_C(1) << n)))
                                /* Only in the bounding set: dropping it is what was asked. */
                                r = strv_extend_unique(&unavailable, *name);
                        else {
                                m.mask[t] |= UINT64_C(1) << n;
                                r = 0;
                        }
                        if (r < 0)
                                return sysrun_error_set(e, r, "out of memory");
                }

        /* capset(2) refuses these; say which name is wrong rather than "Operation not permitted". */
        extra = m.mask[CAP_SET_EFFECTIVE] & ~m.mask[CAP_SET_PERMITTED];
        if (extra) {
                _cleanup_free_ char *n = NULL;
                r = cap_name_of((unsigned) __builtin_ctzll(extra), &n);
                return sysrun_error_set(
                                e, r < 0 ? r : -EINVAL,
                                "process.capabilities.effective: %s is not in the permitted set", strempty(n));
        }
        extra = m.mask[CAP_SET_INHERITABLE] & ~m.mask[CAP_SET_BOUNDING];
        if (extra) {
                _cleanup_free_ char *n = NULL;
                r = cap_name_of((unsigned) __builtin_ctzll(extra), &n);
                return sysrun_error_set(
                                e, r < 0 ? r : -EINVAL,
                                "process.capabilities.inheritable: %s is not in the bounding set",
                                strempty(n));
        }
        /* The kernel raises an ambient capability only when it is permitted and inheritable; runc
         * goes on with a warning in that case, and so do we. */
        extra = m.mask[CAP_SET_AMBIENT] & ~(m.mask[CAP_SET_PERMITTED] & m.mask[CAP_SET_INHERITABLE]);
        for (unsigned i = 0; i <= last_cap; i++) {
                char *n = NULL;
                if (!(extra & (UINT64_C(1) << i)))
                        continue;
                r = cap_name_of(i, &n);
                if (r >= 0)
                        r = strv_consume(&ambient_dropped, n);
                if (r < 0)
                        return sysrun_error_set(e, r, "out of memory");
        }
        m.mask[CAP_SET_AMBIENT] &= ~extra;

        *ret = m;
        *ret_unknown = TAKE_PTR(unknown);
        *ret_unavailable = TAKE_PTR(unavailable);
        *ret_ambient_dropped = TAKE_PTR(ambient_dropped);
        return 0;
}

static int read_last_cap(unsigned *ret) {
        _cleanup_free_ char *s = NULL;
        unsigned v;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", 64, &s, NULL);
        if (r >= 0 && sscanf(s, "%u", &v) == 1) {
                *ret = v;
                return 0;
        }
        /* Without /proc (unusual for a runtime): what libcap finds by probing. */
        r = cap_max_bits();
        if (r <= 0)
                return -EOPNOTSUPP;
        *ret = (unsigned) r - 1;
        return 0;
}

static char *strv_join_comma(char *const *l) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        STRV_FOREACH(s, l)
                fprintf(f, "%s%s", s == l ? "" : ", ", *s);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static void warn_names(int level, const char *what, char *const *names) {
        _cleanup_free_ char *joined = NULL;

        if (!names)
                return;
        joined = strv_join_comma(names);
        sysrun_log(level, "process.capabilities: %s: %s", what, strempty(joined));
}

int caps_prepare(const OciCapabilities *c, CapMasks *ret, SysrunError *e) {
        _cleanup_strv_free_ char **unknown = NULL, **unavailable = NULL, **ambient_dropped = NULL;
        uint64_t available = 0;
        unsigned last_cap;
        int r;

        if (!c) {
                *ret = (CapMasks){};
                return 0;
        }
        r = read_last_cap(&last_cap);
        if (r < 0)
                return sysrun_error_set(e, r, "cannot find out the kernel's capabilities: %m");
        /* Nothing outside our own bounding set can reach the container. */
        for (unsigned i = 0; i <= last_cap && i < 64; i++)
                if (prctl(PR_CAPBSET_READ, (unsigned long) i, 0, 0, 0) > 0)
                        available |= UINT64_C(1) << i;

        r = caps_resolve(c, last_cap, available, ret, &unknown, &unavailable, &ambient_dropped, e);
        if (r < 0)
                return r;
        ret->bounding_now = available;
        warn_names(LOG_WARNING, "ignoring unknown capabilities", unknown);
        warn_names(LOG_DEBUG, "capabilities outside sysrun's own bounding set, not in the container's",
                   unavailable);
        /* runc drops these silently; say so with --debug only (it is no weaker than asked: the
         * kernel never raises them). */
        warn_names(LOG_DEBUG, "ignoring ambient capabilities that are not both permitted and inheritable",
                   ambient_dropped);
        return 0;
}

int caps_apply_bounding(const CapMasks *m, bool in_userns, SysrunError *e) {
        uint64_t drop;

        if (!m->set)
                return 0;
        /* The bounding set is what caps_prepare() read in the parent (inherited across fork), or all
         * of them in a user namespace (entering one fills it); not read again here, one syscall per
         * capability. */
        drop = in_userns ? ~UINT64_C(0) : m->bounding_now;
        drop &= ~m->mask[CAP_SET_BOUNDING];
        for (unsigned i = 0; i <= m->last_cap && i < 64; i++)
                if ((drop & (UINT64_C(1) << i)) && prctl(PR_CAPBSET_DROP, (unsigned long) i, 0, 0, 0) < 0)
                        return sysrun_error_set(
                                        e, -errno,
                                        "process.capabilities.bounding: cannot drop capability %u: %m", i);
        return 0;
}

int caps_apply(const CapMasks *m, SysrunError *e) {
        static const struct {
                CapSetType set;
                cap_flag_t flag;
        } flags[] = {
                { CAP_SET_EFFECTIVE, CAP_EFFECTIVE },
                { CAP_SET_PERMITTED, CAP_PERMITTED },
                { CAP_SET_INHERITABLE, CAP_INHERITABLE },
        };
        cap_t caps;
        int r = 0;

        if (!m->set)
                return 0;
        caps = cap_init();
        if (!caps)
                return sysrun_error_set(e, -ENOMEM, "out of memory");
        for (size_t f = 0; f < ELEMENTSOF(flags) && r >= 0; f++)
                for (unsigned i = 0; i <= m->last_cap && r >= 0; i++) {
                        cap_value_t v = (cap_value_t) i;
                        if ((m->mask[flags[f].set] & (UINT64_C(1) << i)) &&
                            cap_set_flag(caps, flags[f].flag, 1, &v, CAP_SET) < 0)
                                r = -errno;
                }
        if (r >= 0 && cap_set_proc(caps) < 0)
                r = -errno;
        cap_free(caps);
        if (r < 0)
                return sysrun_error_set(e, r, "process.capabilities: capset: %m");

        /* EINVAL: a kernel without ambient capabilities; only an error when some are wanted. One
         * prctl: libcap's cap_reset_ambient() first asks about every capability. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
            (errno != EINVAL || m->mask[CAP_SET_AMBIENT]))
                return sysrun_error_set(e, -errno, "process.capabilities.ambient: cannot clear: %m");
        for (unsigned i = 0; i <= m->last_cap; i++)
                if ((m->mask[CAP_SET_AMBIENT] & (UINT64_C(1) << i)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long) i, 0, 0) < 0)
                        return sysrun_error_set(
                                        e, -errno,
                                        "process.capabilities.ambient: cannot raise capability %u: %m", i);
        return 0;
}
