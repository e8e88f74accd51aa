/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources → unit properties and sub-cgroup writes (resources_plan): a config.json planned as
 * create does it (with linux.devices and the default devices), for a current and two older systemd
 * versions (so the cgroupfs fallbacks run), then its resources planned as an update after the merge
 * with what a unit has now. An input that is no config is tried as `update -r resources.json`. */

#include <assert.h>

#include "config.h"
#include "fuzz.h"
#include "resources.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        fuzz_log_silence();
        return 0;
}

static void plan(const ResourceInput *in) {
        ResourcePlan p = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        int r;

        r = resources_plan(in, &p, &e);
        assert(r < 0 ? !!e.msg : !e.msg);
        for (size_t i = 0; i < p.properties.n; i++) {
                char *v = unit_property_to_string(&p.properties.items[i]);

                assert(v && p.properties.items[i].name);
                free(v);
        }
        for (size_t i = 0; i < p.n_writes; i++)
                assert(p.writes[i].field && p.writes[i].file && p.writes[i].value);
        resource_plan_done(&p);
        sysrun_error_done(&e);
}

static void plan_update(const OciResources *res, const CurrentResources *cur, unsigned version) {
        OciResources merged = *res; /* shallow, as scope.c does: only scalar fields change */

        if (resources_need_current(&merged))
                resources_merge_current(&merged, cur);
        plan(&(ResourceInput){ .resources = &merged, .systemd_version = version, .mode = RESOURCE_MODE_UPDATE });
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const unsigned versions[] = { 0, 243, 229 };
        static const CurrentResources unset = { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX },
                                      set = { 1 << 30, 2u << 30, 500000, 50000 };
        _cleanup_free_ char *text = fuzz_string(data, size);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciConfig *c = NULL;
        OciResources *res = NULL;

        if (!text)
                return 0;
        if (oci_config_parse_string(text, &c, &e) >= 0) {
                const OciLinux *l = c->linux_section;

                for (size_t i = 0; i < ELEMENTSOF(versions); i++)
                        plan(&(ResourceInput){
                                        .resources = l ? l->resources : NULL,
                                        .default_devices = true,
                                        .systemd_version = versions[i],
                                        .mode = RESOURCE_MODE_CREATE,
                        });
                if (l && l->resources) {
                        plan_update(l->resources, &unset, 0);
                        plan_update(l->resources, &set, 229);
                }
                oci_config_free(c);
        }
        sysrun_error_done(&e);

        if (oci_resources_parse_string(text, &res, &e) >= 0) {
                plan_update(res, &unset, 0);
                plan_update(res, &set, 0);
                plan_update(res, &set, 243);
                oci_resources_free(res);
        }
        sysrun_error_done(&e);
        return 0;
}
