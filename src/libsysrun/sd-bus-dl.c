/* SPDX-License-Identifier: Apache-2.0 */
#include "sd-bus-dl.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "macro.h"

#define DLSYM_DEFINE(symbol) typeof(symbol) *sym_##symbol = NULL;
LIBSYSTEMD_SYMBOLS(DLSYM_DEFINE)

#define DLSYM_ENTRY(symbol) { (void **) &sym_##symbol, #symbol },
static const struct {
        void **ptr;
        const char *name;
} libsystemd_symbols[] = { LIBSYSTEMD_SYMBOLS(DLSYM_ENTRY) };

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
