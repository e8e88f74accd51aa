#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The checkpoint/restore tier: tests/vm/run.sh with the guest script checkpoint.sh (criu works on the
# guest's kernel 6.1, not on every host's). Prints TAP, like run.sh.
VM_SCRIPT=checkpoint.sh exec "$(dirname "$0")/run.sh" "$@"
