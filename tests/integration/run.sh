#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a command (by default: bats on every host test file) in a private mount namespace where the
# v1 memory hierarchy is unmounted. On our test machines /sys/fs/cgroup/memory belongs to the
# machine's supervisor, and the cgroupfs manager (the default without systemd) makes cgroups: this
# way no test can touch it. Usage: tests/integration/run.sh [bats options] [file.bats...]
#                                  tests/integration/run.sh --exec COMMAND...
set -eu
if [ "${SYSRUN_TEST_NS:-}" != 1 ]; then
        SYSRUN_TEST_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
if [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" = cgroupfs ]; then
        umount -l /sys/fs/cgroup/memory
        # Under it is a directory of the shared /sys/fs/cgroup tmpfs: a read-only mount over it keeps
        # a tool that makes directories there (podman's conmon does) from writing into the host's tmpfs.
        mount -t tmpfs -o ro,size=4k,mode=0555 sysrun-test-no-memory /sys/fs/cgroup/memory
fi
if [ "${1:-}" = --exec ]; then
        shift
        exec "$@"
fi
[ $# -gt 0 ] || set -- "$(dirname "$0")"/*.bats
exec bats "$@"
