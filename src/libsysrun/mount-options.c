/* SPDX-License-Identifier: Apache-2.0 */
#include <sys/mount.h>

#include "mount-options.h"
#include "strv.h"

typedef struct MountFlagName {
        const char *name;
        bool clear;
        unsigned long flag;
} MountFlagName;

typedef struct MountAttrName {
        const char *name;
        bool clear;
        uint64_t attr;
} MountAttrName;

/* clang-format off */
static const MountFlagName mount_flag_names[] = {
        { "defaults",      false, 0              },
        { "ro",            false, MS_RDONLY      },
        { "rw",            true,  MS_RDONLY      },
        { "suid",          true,  MS_NOSUID      },
        { "nosuid",        false, MS_NOSUID      },
        { "dev",           true,  MS_NODEV       },
        { "nodev",         false, MS_NODEV       },
        { "exec",          true,  MS_NOEXEC      },
        { "noexec",        false, MS_NOEXEC      },
        { "sync",          false, MS_SYNCHRONOUS },
        { "async",         true,  MS_SYNCHRONOUS },
        { "dirsync",       false, MS_DIRSYNC     },
        { "remount",       false, MS_REMOUNT     },
        { "mand",          false, MS_MANDLOCK    },
        { "nomand",        true,  MS_MANDLOCK    },
        { "atime",         true,  MS_NOATIME     },
        { "noatime",       false, MS_NOATIME     },
        { "diratime",      true,  MS_NODIRATIME  },
        { "nodiratime",    false, MS_NODIRATIME  },
        { "relatime",      false, MS_RELATIME    },
        { "norelatime",    true,  MS_RELATIME    },
        { "strictatime",   false, MS_STRICTATIME },
        { "nostrictatime", true,  MS_STRICTATIME },
        { "lazytime",      false, MS_LAZYTIME    },
        { "nolazytime",    true,  MS_LAZYTIME    },
        { "silent",        false, MS_SILENT      },
        { "loud",          true,  MS_SILENT      },
        { "nosymfollow",   false, MS_NOSYMFOLLOW },
        { "symfollow",     true,  MS_NOSYMFOLLOW },
};

static const MountFlagName propagation_names[] = {
        { "private",     false, MS_PRIVATE               },
        { "rprivate",    false, MS_PRIVATE | MS_REC      },
        { "shared",      false, MS_SHARED                },
        { "rshared",     false, MS_SHARED | MS_REC       },
        { "slave",       false, MS_SLAVE                 },
        { "rslave",      false, MS_SLAVE | MS_REC        },
        { "unbindable",  false, MS_UNBINDABLE            },
        { "runbindable", false, MS_UNBINDABLE | MS_REC   },
};

/* The recursive options of the runtime-spec (runc's set), applied with mount_setattr(AT_RECURSIVE). */
static const MountAttrName mount_attr_names[] = {
        { "rro",          false, MOUNT_ATTR_RDONLY      },
        { "rrw",          true,  MOUNT_ATTR_RDONLY      },
        { "rnosuid",      false, MOUNT_ATTR_NOSUID      },
        { "rsuid",        true,  MOUNT_ATTR_NOSUID      },
        { "rnodev",       false, MOUNT_ATTR_NODEV       },
        { "rdev",         true,  MOUNT_ATTR_NODEV       },
        { "rnoexec",      false, MOUNT_ATTR_NOEXEC      },
        { "rexec",        true,  MOUNT_ATTR_NOEXEC      },
        { "rnodiratime",  false, MOUNT_ATTR_NODIRATIME  },
        { "rdiratime",    true,  MOUNT_ATTR_NODIRATIME  },
        { "rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW },
        { "rsymfollow",   true,  MOUNT_ATTR_NOSYMFOLLOW },
};

/* The atime setting is one value of three, not bits: the kernel takes it in attr_set only with all
 * of MOUNT_ATTR__ATIME in attr_clr. Each option picks the setting that mount(8) gives its
 * non-recursive twin; "ratime" and "rnostrictatime" mean the kernel's default, relatime. */
static const MountAttrName mount_atime_names[] = {
        { "rrelatime",      false, MOUNT_ATTR_RELATIME    },
        { "rnoatime",       false, MOUNT_ATTR_NOATIME     },
        { "rstrictatime",   false, MOUNT_ATTR_STRICTATIME },
        { "ratime",         false, MOUNT_ATTR_RELATIME    },
        { "rnorelatime",    false, MOUNT_ATTR_STRICTATIME },
        { "rnostrictatime", false, MOUNT_ATTR_RELATIME    },
};
/* clang-format on */

void mount_options_done(MountOptions *o) {
        free(o->data);
        o->data = NULL;
}

int propagation_from_string(const char *s, unsigned long *ret) {
        for (size_t i = 0; i < ELEMENTSOF(propagation_names); i++)
                if (streq(propagation_names[i].name, s)) {
                        *ret = propagation_names[i].flag;
                        return 0;
                }
        return -EINVAL;
}

static int data_append(char **data, const char *opt) {
        char *n;

        if (asprintf(&n, "%s%s%s", strempty(*data), *data ? "," : "", opt) < 0)
                return -ENOMEM;
        free(*data);
        *data = n;
        return 0;
}

static const MountFlagName *flag_lookup(const MountFlagName *table, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(table[i].name, name))
                        return &table[i];
        return NULL;
}

static const MountAttrName *attr_lookup(const MountAttrName *table, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(table[i].name, name))
                        return &table[i];
        return NULL;
}

/* Applies one option to o; false when it is none of ours (then it is filesystem data). */
static bool option_apply(MountOptions *o, const char *opt) {
        const MountFlagName *f;
        const MountAttrName *a;

        if (streq(opt, "bind") || streq(opt, "rbind")) {
                o->bind = true;
                o->recursive_bind = o->recursive_bind || streq(opt, "rbind");
        } else if ((f = flag_lookup(mount_flag_names, ELEMENTSOF(mount_flag_names), opt))) {
                if (f->clear) {
                        o->flags &= ~f->flag;
                        o->clear_flags |= f->flag;
                } else {
                        o->flags |= f->flag;
                        o->clear_flags &= ~f->flag;
                }
        } else if ((f = flag_lookup(propagation_names, ELEMENTSOF(propagation_names), opt)))
                o->propagation = f->flag;
        else if ((a = attr_lookup(mount_attr_names, ELEMENTSOF(mount_attr_names), opt))) {
                if (a->clear) {
                        o->attr_set &= ~a->attr;
                        o->attr_clr |= a->attr;
                } else {
                        o->attr_set |= a->attr;
                        o->attr_clr &= ~a->attr;
                }
        } else if ((a = attr_lookup(mount_atime_names, ELEMENTSOF(mount_atime_names), opt))) {
                o->attr_set = (o->attr_set & ~(uint64_t) MOUNT_ATTR__ATIME) | a->attr;
                o->attr_clr |= MOUNT_ATTR__ATIME;
        } else if (streq(opt, "idmap") || streq(opt, "ridmap")) {
                o->idmap = true;
                o->recursive_idmap = o->recursive_idmap || streq(opt, "ridmap");
        } else if (streq(opt, "tmpcopyup"))
                o->tmpcopyup = true;
        else
                return false;
        return true;
}

int mount_options_parse(char *const *options, MountOptions *ret, SysrunError *reterr_error) {
        MountOptions o = {};

        STRV_FOREACH(opt, options) {
                if (option_apply(&o, *opt))
                        continue;
                /* crun's "idmap=uids=…;gids=…": as data it would vanish on a bind mount. */
                if (startswith(*opt, "idmap=") || startswith(*opt, "ridmap=")) {
                        mount_options_done(&o);
                        return sysrun_error_set(reterr_error, -EINVAL,
                                                "option \"%s\": mappings in the option are not supported, "
                                                "use uidMappings and gidMappings",
                                                *opt);
                }
                if (data_append(&o.data, *opt) < 0) {
                        mount_options_done(&o);
                        return sysrun_error_set(reterr_error, -ENOMEM, "out of memory");
                }
        }
        *ret = o;
        return 0;
}

bool mount_options_data_has(const char *data, const char *key) {
        size_t n = strlen(key);

        for (const char *p = data; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, key, n) == 0)
                        return true;
        return false;
}

char *mount_options_recursive_names(char *const *options) {
        char *names = NULL;

        STRV_FOREACH(opt, options)
                if ((attr_lookup(mount_attr_names, ELEMENTSOF(mount_attr_names), *opt) ||
                     attr_lookup(mount_atime_names, ELEMENTSOF(mount_atime_names), *opt)) &&
                    data_append(&names, *opt) < 0) {
                        free(names);
                        return NULL;
                }
        return names;
}
