/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp → libseccomp rules and BPF, without loading anything: the pure translations
 * (actions, architectures, flags, syscall names, argument conditions → rules), then
 * seccomp_program_compile (a scmp_filter_ctx built, exported to BPF and released), and the state JSON
 * an agent gets. The input is a config.json, or a bare seccomp profile (docker's, podman's
 * seccomp.json), which is wrapped in a minimal config. */

#include <assert.h>
#include <json-c/json.h>

#include "config.h"
#include "fuzz.h"
#include "seccomp-filter.h"

#define WRAP_HEAD "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{\"seccomp\":"
#define WRAP_TAIL "}}"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

static void translate(const OciSeccomp *s) {
        uint32_t action, arch;
        unsigned flag;

        (void) seccomp_action_to_scmp(s->default_action, &s->default_errno_ret, &action);
        STRV_FOREACH(a, s->architectures)
                (void) seccomp_arch_from_oci(*a, &arch);
        STRV_FOREACH(f, s->flags)
                (void) seccomp_flag_from_oci(*f, &flag);
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const OciSeccompSyscall *sc = &s->syscalls[i];
                SeccompRule *rules = NULL;
                size_t n = 0;

                (void) seccomp_action_to_scmp(sc->action, &sc->errno_ret, &action);
                STRV_FOREACH(name, sc->names)
                        (void) seccomp_syscall_number(*name);
                if (seccomp_syscall_rules(sc, &rules, &n) >= 0) {
                        size_t total = 0;

                        for (size_t j = 0; j < n; j++) {
                                assert(rules[j].n_cmp <= ELEMENTSOF(rules[j].cmp));
                                total += rules[j].n_cmp;
                        }
                        /* Every condition lands in exactly one rule. */
                        assert(total == sc->n_args && n >= 1);
                }
                free(rules);
        }
}

static void compile(const OciSeccomp *s) {
        SysrunError e = SYSRUN_ERROR_NULL;
        SeccompProgram *p = NULL;
        int r;

        r = seccomp_program_compile(s, &p, &e);
        assert(r < 0 ? !p && e.msg : p && p->n_insns > 0 && !e.msg);
        seccomp_program_free(p);
        sysrun_error_done(&e);
}

static void agent_state(const OciSeccomp *s) {
        char *text = seccomp_process_state_json(s->listener_metadata, 42, "{\"id\":\"x\"}");
        struct json_object *o;

        assert(text);
        o = json_tokener_parse(text);
        assert(o); /* the metadata is quoted, whatever it holds */
        json_object_put(o);
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_string(data, size), *wrapped = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;

        if (!text)
                return 0;
        if (oci_config_parse_string(text, &c, &e) < 0) {
                sysrun_error_done(&e);
                if (asprintf(&wrapped, WRAP_HEAD "%s" WRAP_TAIL, text) < 0)
                        return 0;
                (void) oci_config_parse_string(wrapped, &c, &e);
                sysrun_error_done(&e);
        }
        if (c && c->linux_section && c->linux_section->seccomp) {
                translate(c->linux_section->seccomp);
                compile(c->linux_section->seccomp);
                agent_state(c->linux_section->seccomp);
        }
        oci_config_free(c);
        return 0;
}
