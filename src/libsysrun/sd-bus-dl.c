/* SPDX-License-Identifier: Apache-2.0 */
#include "sd-bus-dl.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "macro.h"

#define DLSYM_DEFINE(symbol) typeof(symbol) *sym_##symbol = NULL

DLSYM_DEFINE(sd_bus_call);
DLSYM_DEFINE(sd_bus_error_free);
DLSYM_DEFINE(sd_bus_error_has_name);
DLSYM_DEFINE(sd_bus_error_is_set);
DLSYM_DEFINE(sd_bus_flush);
DLSYM_DEFINE(sd_bus_get_property_string);
DLSYM_DEFINE(sd_bus_get_property_trivial);
DLSYM_DEFINE(sd_bus_is_bus_client);
DLSYM_DEFINE(sd_bus_match_signal_async);
DLSYM_DEFINE(sd_bus_message_append);
DLSYM_DEFINE(sd_bus_message_append_array);
DLSYM_DEFINE(sd_bus_message_append_basic);
DLSYM_DEFINE(sd_bus_message_append_strv);
DLSYM_DEFINE(sd_bus_message_appendv);
DLSYM_DEFINE(sd_bus_message_close_container);
DLSYM_DEFINE(sd_bus_message_new_method_call);
DLSYM_DEFINE(sd_bus_message_open_container);
DLSYM_DEFINE(sd_bus_message_read);
DLSYM_DEFINE(sd_bus_message_set_expect_reply);
DLSYM_DEFINE(sd_bus_message_unref);
DLSYM_DEFINE(sd_bus_new);
DLSYM_DEFINE(sd_bus_open_system);
DLSYM_DEFINE(sd_bus_path_encode);
DLSYM_DEFINE(sd_bus_process);
DLSYM_DEFINE(sd_bus_ref);
DLSYM_DEFINE(sd_bus_send);
DLSYM_DEFINE(sd_bus_set_address);
DLSYM_DEFINE(sd_bus_start);
DLSYM_DEFINE(sd_bus_unref);
DLSYM_DEFINE(sd_bus_wait);

#define DLSYM_ENTRY(symbol) { (void **) &sym_##symbol, #symbol }

static const struct {
        void **ptr;
        const char *name;
} libsystemd_symbols[] = {
        DLSYM_ENTRY(sd_bus_call),
        DLSYM_ENTRY(sd_bus_error_free),
        DLSYM_ENTRY(sd_bus_error_has_name),
        DLSYM_ENTRY(sd_bus_error_is_set),
        DLSYM_ENTRY(sd_bus_flush),
        DLSYM_ENTRY(sd_bus_get_property_string),
        DLSYM_ENTRY(sd_bus_get_property_trivial),
        DLSYM_ENTRY(sd_bus_is_bus_client),
        DLSYM_ENTRY(sd_bus_match_signal_async),
        DLSYM_ENTRY(sd_bus_message_append),
        DLSYM_ENTRY(sd_bus_message_append_array),
        DLSYM_ENTRY(sd_bus_message_append_basic),
        DLSYM_ENTRY(sd_bus_message_append_strv),
        DLSYM_ENTRY(sd_bus_message_appendv),
        DLSYM_ENTRY(sd_bus_message_close_container),
        DLSYM_ENTRY(sd_bus_message_new_method_call),
        DLSYM_ENTRY(sd_bus_message_open_container),
        DLSYM_ENTRY(sd_bus_message_read),
        DLSYM_ENTRY(sd_bus_message_set_expect_reply),
        DLSYM_ENTRY(sd_bus_message_unref),
        DLSYM_ENTRY(sd_bus_new),
        DLSYM_ENTRY(sd_bus_open_system),
        DLSYM_ENTRY(sd_bus_path_encode),
        DLSYM_ENTRY(sd_bus_process),
        DLSYM_ENTRY(sd_bus_ref),
        DLSYM_ENTRY(sd_bus_send),
        DLSYM_ENTRY(sd_bus_set_address),
        DLSYM_ENTRY(sd_bus_start),
        DLSYM_ENTRY(sd_bus_unref),
        DLSYM_ENTRY(sd_bus_wait),
};

int libsystemd_load(SysrunError *e) {
        static void *handle = NULL;
        void *dl;

        if (handle)
                return 0;
        /* RTLD_NODELETE: the sym_ pointers stay valid for the life of the process. */
        dl = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_NODELETE);
        if (!dl)
                return sysrun_error_set(e, -EOPNOTSUPP, "cannot load libsystemd.so.0: %s", dlerror());
        for (size_t i = 0; i < ELEMENTSOF(libsystemd_symbols); i++) {
                void *p = dlsym(dl, libsystemd_symbols[i].name);
                if (!p) {
                        const char *why = dlerror();
                        for (size_t j = 0; j < i; j++)
                                *libsystemd_symbols[j].ptr = NULL;
                        dlclose(dl);
                        return sysrun_error_set(e, -EOPNOTSUPP, "libsystemd.so.0 has no %s: %s",
                                                libsystemd_symbols[i].name, why ?: "missing");
                }
                *libsystemd_symbols[i].ptr = p;
        }
        handle = dl;
        return 0;
}
