#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs the systemd cgroup manager's tests against a real systemd: boots one as PID 1 of fresh
# namespaces (tests/sandbox/systemd-sandbox.sh), runs tests/systemd/*.bats inside it with `bats --tap`
# (sysrun must run in systemd's pid namespace: the pids it sends are namespace-local), stops it. Then,
# on a v1/v2 hybrid host, resources.bats once more and hybrid.bats in a hybrid sandbox, where limits
# can bite and pause goes through the v1 freezer.
#
#   tests/systemd/run.sh [BATS-OPTIONS...]      e.g. -f 'pause'  to run the matching tests only
#
# Environment: SYSRUN (the binary; default build/src/sysrun/sysrun), TESTS_TIMEOUT (seconds for the
# suite, default 150). Needs root and the packages systemd, dbus, systemd-container, bats, jq and
# busybox. Exits non-zero when a test fails or the sandbox cannot be set up; cleans up in all cases.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SYSRUN=${SYSRUN:-$TOP/build/src/sysrun/sysrun}
TIMEOUT=${TESTS_TIMEOUT:-150}
SANDBOX=$TOP/tests/sandbox/systemd-sandbox.sh

die() { echo "run.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
[ -x "$SYSRUN" ] || die "no sysrun binary at '$SYSRUN' (build first or set SYSRUN)"
for t in bats jq busybox unshare nsenter /lib/systemd/systemd dbus-daemon; do
        command -v "$t" >/dev/null 2>&1 || die "'$t' is missing (packages: systemd dbus systemd-container bats jq busybox)"
done

WORK=$(mktemp -d /tmp/sysrun-systemd-tests.XXXXXX) || die "mktemp failed"
export SANDBOX_DIR=$WORK/sandbox SANDBOX_BIND=$WORK

cleanup() {
        local rc=$?
        trap - EXIT INT TERM
        "$SANDBOX" stop || rc=1 # the hybrid one when it ran (SANDBOX_DIR is its own then)
        rm -rf "$WORK"
        exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Everything the tests need, at one path that is bind-mounted inside.
mkdir -p "$WORK/bin" "$WORK/tests"
cp "$SYSRUN" "$WORK/bin/sysrun"
# The static sd_notify client that containers run, and the service template, as built with sysrun.
cp "$(dirname "$SYSRUN")/../../tests/helpers/sd-notify" "$WORK/bin/sd-notify" 2>/dev/null || true
cp "$(dirname "$SYSRUN")/../../units/sysrun@.service" "$WORK/bin/sysrun@.service" 2>/dev/null || true
cp "$HERE"/*.bats "$HERE"/helpers.bash "$WORK/tests/"

"$SANDBOX" start >/dev/null || die "the sandbox did not start"

timeout --kill-after=10 "$TIMEOUT" "$SANDBOX" exec env SYSRUN="$WORK/bin/sysrun" TMPDIR=/tmp \
        bats --tap "$@" "$WORK/tests"
rc=$?
[ $rc -eq 124 ] && echo "run.sh: the suite took longer than ${TIMEOUT}s" >&2
"$SANDBOX" stop || rc=1

# The resources again where systemd has controllers: a hybrid sandbox with the host's v1 cpu,
# cpuacct, pids, blkio, devices and freezer hierarchies (on a host that has them; never the v1 memory
# one); hybrid.bats: pause through the v1 freezer.
if [ "$(stat -fc %T /sys/fs/cgroup/pids 2>/dev/null)" = cgroupfs ] &&
        [ "$(stat -fc %T /sys/fs/cgroup/systemd 2>/dev/null)" = cgroupfs ]; then
        export SANDBOX_CGMODE=hybrid SANDBOX_DIR=$WORK/sandbox-hybrid
        # a host without a v1 freezer hierarchy: the others only (hybrid.bats then skips)
        [ "$(stat -fc %T /sys/fs/cgroup/freezer 2>/dev/null)" = cgroupfs ] ||
                export SANDBOX_V1_CONTROLLERS=${SANDBOX_V1_CONTROLLERS:-cpu cpuacct pids blkio devices}
        "$SANDBOX" start >/dev/null || die "the hybrid sandbox did not start"
        echo "# hybrid sandbox (v1 $(echo ${SANDBOX_V1_CONTROLLERS:-cpu cpuacct cpuset pids blkio devices freezer})): resources.bats hybrid.bats"
        # "[hybrid]" in front of each test name, so that a failure says which sandbox it was in
        set -o pipefail
        timeout --kill-after=10 "$TIMEOUT" "$SANDBOX" exec env SYSRUN="$WORK/bin/sysrun" TMPDIR=/tmp \
                bats --tap "$@" "$WORK/tests/resources.bats" "$WORK/tests/hybrid.bats" | sed -E 's/^((not )?ok [0-9]+) /\1 [hybrid] /' || rc=1
else
        echo "# no v1 pids and name=systemd hierarchies on this host: no hybrid run"
fi
exit $rc
