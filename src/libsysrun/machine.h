/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Registration with systemd-machined, so that `machinectl list` shows containers. Best effort: a
 * host without machined (or without a bus broker) only gets a debug note. */

#include <stdbool.h>
#include <sys/types.h>

#include "sd-bus-dl.h"

#include "state.h"

/* machined's rule for machine names: 1–64 of [A-Za-z0-9-_.], no leading '.', no "..". Pure. */
bool machine_name_is_valid(const char *s);
/* Sends RegisterMachine for the container whose init (already in its own scope) is pid. The reply
 * is not waited for: it would add a round trip to every start. Returns 1 when sent, 0 when skipped. */
int machine_register_async(sd_bus *bus, const ContainerState *s, pid_t pid);
/* Best effort, not waited for; machined also forgets a machine once its scope is gone. */
void machine_unregister(sd_bus *bus, const ContainerState *s);
