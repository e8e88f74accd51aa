/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Registration with systemd-machined, so that `machinectl list|status|terminate` work on
 * containers. A container that machined does not take still runs, with one warning that says why. */

#include <stdbool.h>
#include <sys/types.h>

#include "sd-bus-dl.h"

#include "state.h"

/* "false", "no", "0" or "off" opts the container out of registration, as --no-machine does. */
#define MACHINE_ANNOTATION "run.sysrun.machine"
#define MACHINE_NAME_MAX 64

/* machined's rule for machine names, systemd's hostname_is_valid(): 1–64 characters, dot-separated
 * labels of [A-Za-z0-9-], none empty, none starting or ending with '-'. Pure. */
bool machine_name_is_valid(const char *s);
/* The id when it is a valid machine name; else a stable, distinct one: each run of other characters
 * becomes '-', cut to fit, then '-' and 8 hex digits of a hash of the id ("a_b" → "a-b-<hash>").
 * Pure. */
int machine_name_from_id(const char *id, char **ret);
/* Whether the container is to be registered: not with --no-machine (opt_out) or the annotation. */
bool machine_wanted(char *const *annotations, bool opt_out);
/* RegisterMachine over the system bus (bus-util.h's bus_system()) for the container whose init
 * (already in its scope) is pid: sent now, while the
 * init finishes its setup; machine_register_finish() waits for machined's reply (it may be
 * bus-activated by the call) and sets s->machine_name and s->machine_registered. finish returns 1
 * when registered; 0, with a warning naming the reason, when machined did not take it. Negative
 * errno only on OOM (start) or a second start before finish. */
int machine_register_start(ContainerState *s, pid_t pid);
int machine_register_finish(ContainerState *s);
/* Both in one. */
int machine_register(ContainerState *s, pid_t pid);
/* Best effort, not waited for; machined also forgets a machine once its scope is gone. */
void machine_unregister(const ContainerState *s);
