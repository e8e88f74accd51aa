/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <json-c/json.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <unistd.h>

#include "cli-criu.h"
#include "cli.h"
#include "config.h"
#include "criu.h"
#include "executable.h"
#include "lsm.h"
#include "machine.h"
#include "rdt.h"
#include "rootless.h"
#include "seccomp-filter.h"
#include "sysrun-config.h"

/* The runtime-spec features document (features.md, features-linux.md): what this build
 * implements, not what the host happens to have. */

static struct json_object *strings(const char *const *l, size_t n) {
        struct json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < n; i++)
                json_object_array_add(a, json_object_new_string(l[i]));
        return a;
}

static struct json_object *capabilities(void) {
        struct json_object *a = json_object_new_array();

        for (cap_value_t c = 0; a && c <= CAP_LAST_CAP; c++) {
                char *name = cap_to_name(c), *up;
                if (!name)
                        continue;
                up = strdup(name);
                for (char *p = up; p && *p; p++)
                        *p = (char) toupper((unsigned char) *p);
                if (up && strncmp(up, "CAP_", 4) == 0)
                        json_object_array_add(a, json_object_new_string(up));
                free(up);
                cap_free(name);
        }
        return a;
}

static struct json_object *seccomp(void) {
        static const char *const archs[] = {
                "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",  "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
                "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",    "SCMP_ARCH_MIPS64",  "SCMP_ARCH_MIPS64N32",
                "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
                "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",    "SCMP_ARCH_S390X",
                "SCMP_ARCH_RISCV64",
        };
        static const char *const flags[] = {
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
        };
        struct json_object *o = json_object_new_object(), *a;

        json_object_object_add(o, "enabled", json_object_new_boolean(true));
        a = json_object_new_array();
        for (SeccompActionType t = 0; t < _SECCOMP_ACTION_MAX; t++)
                json_object_array_add(a, json_object_new_string(seccomp_action_to_string(t)));
        json_object_object_add(o, "actions", a);
        a = json_object_new_array();
        for (SeccompOperator op = 0; op < _SECCOMP_OP_MAX; op++)
                json_object_array_add(a, json_object_new_string(seccomp_operator_to_string(op)));
        json_object_object_add(o, "operators", a);
        a = json_object_new_array();
        for (size_t i = 0; i < ELEMENTSOF(archs); i++) {
                uint32_t arch;
                if (seccomp_arch_from_oci(archs[i], &arch) >= 0)
                        json_object_array_add(a, json_object_new_string(archs[i]));
        }
        json_object_object_add(o, "archs", a);
        json_object_object_add(o, "knownFlags", strings(flags, ELEMENTSOF(flags)));
        a = json_object_new_array();
        for (size_t i = 0; i < ELEMENTSOF(flags); i++) {
                unsigned f;
                if (seccomp_flag_from_oci(flags[i], &f) >= 0)
                        json_object_array_add(a, json_object_new_string(flags[i]));
        }
        json_object_object_add(o, "supportedFlags", a);
        return o;
}

static struct json_object *enabled(bool b) {
        struct json_object *o = json_object_new_object();

        json_object_object_add(o, "enabled", json_object_new_boolean(b));
        return o;
}

static int cmd_features(int argc, char **argv) {
        static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
                                              "startContainer", "poststart", "poststop" };
        /* The options mount-options.c knows (anything else is filesystem data). */
        static const char *const mount_options[] = {
                "async",       "atime",        "bind",        "defaults",     "dev",         "diratime",
                "dirsync",     "exec",         "idmap",       "lazytime",     "loud",        "mand",
                "noatime",     "nodev",        "nodiratime",  "noexec",       "nolazytime",  "nomand",
                "norelatime",  "nostrictatime", "nosuid",     "nosymfollow",  "private",     "ratime",
                "rbind",       "rdev",         "rdiratime",   "relatime",     "remount",     "rexec",
                "ridmap",      "rnoatime",     "rnodev",      "rnodiratime",  "rnoexec",     "rnorelatime",
                "rnostrictatime", "rnosuid",   "rnosymfollow", "ro",          "rprivate",    "rrelatime",
                "rro",         "rrw",          "rshared",     "rslave",       "rstrictatime", "rsuid",
                "rsymfollow",  "runbindable",  "rw",          "shared",       "silent",      "slave",
                "strictatime", "suid",         "symfollow",   "sync",         "tmpcopyup",   "unbindable",
        };
        static const char *const unsafe_annotations[] = { "org.systemd.property." };
        struct json_object *o, *linux_o, *cg, *rdt, *mount_ext, *ann;
        bool rdt_enabled = false, rdt_schemata = false, rdt_monitoring = false;
        const char *ns[_NAMESPACE_TYPE_MAX];
        _cleanup_free_ char *rootless_summary = NULL, *helper = NULL;
        bool rootless;

        if (cli_check_args(argv[0], argc - 1, 0, 0) != 0)
                return EXIT_FAILURE;

        rootless = rootless_detect();
        if (rootless &&
            asprintf(&rootless_summary,
                     "true: sysrun runs without root; a user namespace is required; id maps beyond your own id "
                     "go through newuidmap/newgidmap (%s); device nodes are bind mounts of the host's; only "
                     "namespaced sysctls; hard rlimits only go down; cgroups from the user's systemd "
                     "(--systemd-cgroup), else none; no idmapped mounts, no intelRdt, no machined registration",
                     find_executable("newuidmap", environ, &helper, NULL) >= 0 ? "installed" : "not installed") < 0)
                return EXIT_FAILURE;

        o = json_object_new_object();
        json_object_object_add(o, "ociVersionMin", json_object_new_string("1.0.0"));
        json_object_object_add(o, "ociVersionMax", json_object_new_string(SYSRUN_OCI_VERSION));
        json_object_object_add(o, "hooks", strings(hooks, ELEMENTSOF(hooks)));
        json_object_object_add(o, "mountOptions", strings(mount_options, ELEMENTSOF(mount_options)));

        linux_o = json_object_new_object();
        for (NamespaceType t = 0; t < _NAMESPACE_TYPE_MAX; t++)
                ns[t] = namespace_type_to_string(t);
        json_object_object_add(linux_o, "namespaces", strings(ns, _NAMESPACE_TYPE_MAX));
        json_object_object_add(linux_o, "capabilities", capabilities());
        cg = json_object_new_object();
        /* Rootless: v1 hierarchies are never delegated to a user; v2 through the user's systemd. */
        json_object_object_add(cg, "v1", json_object_new_boolean(!rootless)); /* the cgroupfs manager */
        json_object_object_add(cg, "v2", json_object_new_boolean(true));
        json_object_object_add(cg, "systemd", json_object_new_boolean(true));
        json_object_object_add(cg, "systemdUser", json_object_new_boolean(true));
        json_object_object_add(cg, "rdma", json_object_new_boolean(true));
        json_object_object_add(linux_o, "cgroup", cg);
        json_object_object_add(linux_o, "seccomp", seccomp());
        json_object_object_add(linux_o, "apparmor", enabled(lsm_apparmor_enabled()));
        json_object_object_add(linux_o, "selinux", enabled(lsm_selinux_enabled()));
        (void) rdt_features(&rdt_enabled, &rdt_schemata, &rdt_monitoring);
        rdt = enabled(rdt_enabled && !rootless); /* resctrl is root's */
        json_object_object_add(rdt, "schemata", json_object_new_boolean(rdt_schemata));
        json_object_object_add(rdt, "monitoring", json_object_new_boolean(rdt_monitoring));
        json_object_object_add(linux_o, "intelRdt", rdt);
        mount_ext = json_object_new_object();
        /* mount_setattr(MOUNT_ATTR_IDMAP) needs root over the source's filesystem. */
        json_object_object_add(mount_ext, "idmap", enabled(!rootless));
        json_object_object_add(linux_o, "mountExtensions", mount_ext);
        json_object_object_add(o, "linux", linux_o);
        ann = json_object_new_object();
        json_object_object_add(ann, MACHINE_ANNOTATION,
                               json_object_new_string("\"false\" (or no, 0, off): do not register the container "
                                                      "with systemd-machined; default: registered"));
        json_object_object_add(ann, "org.systemd.property.<Name>",
                               json_object_new_string("a property of the container's scope unit under the systemd "
                                                      "cgroup manager; TimeoutStopUSec defaults to 10s"));
        json_object_object_add(ann, "run.sysrun.rootless",
                               json_object_new_string(rootless ? rootless_summary : "false: sysrun runs as root"));
        /* runtime-spec features has no field for it; runc says it in
         * "org.opencontainers.runc.checkpoint.enabled". */
        json_object_object_add(ann, "run.sysrun.checkpoint.enabled",
                               json_object_new_string(criu_available(arg_criu) ? "true" : "false"));
        json_object_object_add(o, "annotations", ann);
        json_object_object_add(o, "potentiallyUnsafeConfigAnnotations",
                               strings(unsafe_annotations, ELEMENTSOF(unsafe_annotations)));

        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return EXIT_SUCCESS;
}

const Command command_features = {
        "features", cmd_features, "", "show the enabled features",
        "Prints the runtime-spec features JSON: what this build implements (hooks, mount options,\n"
        "namespaces, capabilities, seccomp, cgroup managers) and the annotations sysrun understands.",
        NULL,
};
