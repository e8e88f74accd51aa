#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The checkpoint/restore tier: tests/vm/run.sh with the guest script checkpoint.sh (criu works on the
# guest's kernel 6.1, not on every host's). Prints TAP, like run.sh. Its podman part makes it about
# 150-220 s of boot and tests under TCG, so the VM gets more than run.sh's default 180 s.
VM_SCRIPT=checkpoint.sh VM_TIMEOUT=${VM_TIMEOUT:-420} exec "$(dirname "$0")/run.sh" "$@"
