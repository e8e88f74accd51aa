/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* libsystemd, opened with dlopen() the first time a command needs systemd, as systemd does for its
 * own optional libraries: linked in, libsystemd and the five libraries it pulls in (gcrypt, lzma,
 * zstd, lz4, gpg-error) cost every sysrun process 0.5 to 0.9 ms of loading and relocation here, and
 * state, start, kill, list and exec never talk to systemd.
 *
 * Only the sysrun process itself may load it, in the mount namespace it was started in: never a
 * child that has joined a container's namespaces (it would load the container's libraries). The
 * create path loads it in check(), before the init is forked. */

#include <systemd/sd-bus.h>

#include "error.h"

#define DLSYM_PROTOTYPE(symbol) extern typeof(symbol) *sym_##symbol

DLSYM_PROTOTYPE(sd_bus_call);
DLSYM_PROTOTYPE(sd_bus_error_free);
DLSYM_PROTOTYPE(sd_bus_error_has_name);
DLSYM_PROTOTYPE(sd_bus_error_is_set);
DLSYM_PROTOTYPE(sd_bus_flush);
DLSYM_PROTOTYPE(sd_bus_get_property_string);
DLSYM_PROTOTYPE(sd_bus_get_property_trivial);
DLSYM_PROTOTYPE(sd_bus_is_bus_client);
DLSYM_PROTOTYPE(sd_bus_match_signal_async);
DLSYM_PROTOTYPE(sd_bus_message_append);
DLSYM_PROTOTYPE(sd_bus_message_append_array);
DLSYM_PROTOTYPE(sd_bus_message_append_basic);
DLSYM_PROTOTYPE(sd_bus_message_append_strv);
DLSYM_PROTOTYPE(sd_bus_message_appendv);
DLSYM_PROTOTYPE(sd_bus_message_close_container);
DLSYM_PROTOTYPE(sd_bus_message_new_method_call);
DLSYM_PROTOTYPE(sd_bus_message_open_container);
DLSYM_PROTOTYPE(sd_bus_message_read);
DLSYM_PROTOTYPE(sd_bus_message_set_expect_reply);
DLSYM_PROTOTYPE(sd_bus_message_unref);
DLSYM_PROTOTYPE(sd_bus_new);
DLSYM_PROTOTYPE(sd_bus_open_system);
DLSYM_PROTOTYPE(sd_bus_path_encode);
DLSYM_PROTOTYPE(sd_bus_process);
DLSYM_PROTOTYPE(sd_bus_ref);
DLSYM_PROTOTYPE(sd_bus_send);
DLSYM_PROTOTYPE(sd_bus_set_address);
DLSYM_PROTOTYPE(sd_bus_start);
DLSYM_PROTOTYPE(sd_bus_unref);
DLSYM_PROTOTYPE(sd_bus_wait);

/* Opens libsystemd.so.0 and resolves every sym_ pointer above; once per process. */
int libsystemd_load(SysrunError *reterr_error);

/* Cleanups for sd-bus objects that work through the pointers (the ones sd-bus.h defines would link
 * libsystemd in). Nothing to do while the library is not loaded: only it makes such objects. */
static inline void sym_sd_bus_message_unrefp(sd_bus_message **m) {
        if (*m)
                sym_sd_bus_message_unref(*m);
}
static inline void sym_sd_bus_unrefp(sd_bus **b) {
        if (*b)
                sym_sd_bus_unref(*b);
}
static inline void sym_sd_bus_error_freep(sd_bus_error *e) {
        if (sym_sd_bus_error_free)
                sym_sd_bus_error_free(e);
}
