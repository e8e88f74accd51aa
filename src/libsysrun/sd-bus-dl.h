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

/* Every libsystemd function sysrun calls: one list for the pointers, their definitions and dlsym(). */
#define LIBSYSTEMD_SYMBOLS(X) \
        X(sd_bus_call) \
        X(sd_bus_call_async) \
        X(sd_bus_error_free) \
        X(sd_bus_error_has_name) \
        X(sd_bus_error_is_set) \
        X(sd_bus_flush) \
        X(sd_bus_get_property_string) \
        X(sd_bus_get_property_trivial) \
        X(sd_bus_is_bus_client) \
        X(sd_bus_match_signal_async) \
        X(sd_bus_message_append) \
        X(sd_bus_message_append_array) \
        X(sd_bus_message_append_basic) \
        X(sd_bus_message_append_strv) \
        X(sd_bus_message_appendv) \
        X(sd_bus_message_close_container) \
        X(sd_bus_message_enter_container) \
        X(sd_bus_message_get_error) \
        X(sd_bus_message_new_method_call) \
        X(sd_bus_message_open_container) \
        X(sd_bus_message_read) \
        X(sd_bus_message_set_expect_reply) \
        X(sd_bus_message_unref) \
        X(sd_bus_new) \
        X(sd_bus_open_system) \
        X(sd_bus_open_user) \
        X(sd_bus_path_encode) \
        X(sd_bus_process) \
        X(sd_bus_send) \
        X(sd_bus_set_address) \
        X(sd_bus_start) \
        X(sd_bus_unref) \
        X(sd_bus_wait)

#define DLSYM_PROTOTYPE(symbol) extern typeof(symbol) *sym_##symbol;
LIBSYSTEMD_SYMBOLS(DLSYM_PROTOTYPE)
#undef DLSYM_PROTOTYPE

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
