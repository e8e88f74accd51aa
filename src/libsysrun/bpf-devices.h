/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* The device policy on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program made from the OCI device rules
 * (bpf_devices_program(), pure), loaded with the bpf() syscall and attached to the container's cgroup
 * (bpf_devices_attach()). No library: the instructions are built here. */

#include <linux/bpf.h>
#include <stddef.h>

#include "config.h"
#include "error.h"

/* Rules in the order they apply (a later rule wins, as on v1); anything no rule matches is denied.
 * A rule matches when the type matches ('a': any), major and minor match (-1: any) and the access
 * asked for is within the rule's. */
int bpf_devices_program(const OciDeviceRule *rules, size_t n_rules, struct bpf_insn **ret, size_t *ret_n);

/* Loads the program and attaches it to the cgroup directory cgroup_fd (BPF_F_ALLOW_MULTI); it stays
 * attached for as long as the cgroup lives. A program attached earlier by the same call is replaced. */
int bpf_devices_attach(int cgroup_fd, const struct bpf_insn *insns, size_t n, SysrunError *reterr_error);
