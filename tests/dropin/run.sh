#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The drop-in tier: sysrun as the runtime of podman (with conmon) and of containerd's runc v2 shim. Boots
# one systemd as PID 1 of fresh namespaces (tests/sandbox/systemd-sandbox.sh), runs tests/dropin/podman.sh
# and tests/dropin/containerd.sh inside it, stops it and checks that nothing is left on the host; on a
# v1/v2 hybrid host, tests/dropin/podman-hybrid.sh in a hybrid sandbox the same way.
# Prints TAP on stdout (one numbering for the whole tier); a part whose tools are not installed is one
# "ok N - NAME # SKIP" line.
#
#   tests/dropin/run.sh
#
# Environment: SYSRUN (the binary; default build/src/sysrun/sysrun), TESTS_TIMEOUT (seconds for both
# parts, default 180). Needs root and the packages systemd, dbus, systemd-container and busybox; podman
# and containerd for the parts. Exits non-zero when a test fails or the sandbox cannot be set up; cleans
# up in all cases.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SYSRUN=${SYSRUN:-$TOP/build/src/sysrun/sysrun}
TIMEOUT=${TESTS_TIMEOUT:-180}
SANDBOX=$TOP/tests/sandbox/systemd-sandbox.sh

die() { echo "run.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
[ -x "$SYSRUN" ] || die "no sysrun binary at '$SYSRUN' (build first or set SYSRUN)"
for t in busybox unshare nsenter script /lib/systemd/systemd dbus-daemon; do
        command -v "$t" >/dev/null 2>&1 ||
                die "'$t' is missing (packages: systemd dbus systemd-container busybox util-linux)"
done

WORK=$(mktemp -d /tmp/sysrun-dropin-tests.XXXXXX) || die "mktemp failed"
export SANDBOX_DIR=$WORK/sandbox SANDBOX_BIND=$WORK

cleanup() {
        local rc=$?
        trap - EXIT INT TERM
        "$SANDBOX" stop 2>/dev/null || rc=1
        rm -rf "$WORK"
        exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Everything the tests need, at one path that is bind-mounted inside.
mkdir -p "$WORK/bin" "$WORK/tests"
cp "$SYSRUN" "$WORK/bin/sysrun"
cp "$HERE/podman.sh" "$HERE/podman-hybrid.sh" "$HERE/containerd.sh" "$HERE/helpers.bash" "$WORK/tests/"

"$SANDBOX" start >/dev/null || die "the sandbox did not start"

n=0 failed=0
deadline=$((SECONDS + TIMEOUT))

# relay: the TAP of one part, renumbered; anything else becomes a comment. It stops reading 20 s after
# the deadline even if something the part left behind still holds the pipe.
relay() {
        local line left
        while left=$((deadline + 20 - SECONDS)) && [ $left -gt 0 ] && IFS= read -r -t $left line; do
                if [[ $line =~ ^(not )?ok\ [0-9]+(.*)$ ]]; then
                        n=$((n + 1))
                        [ -n "${BASH_REMATCH[1]}" ] && failed=$((failed + 1))
                        echo "${BASH_REMATCH[1]}ok $n${BASH_REMATCH[2]}"
                elif [[ $line =~ ^1\.\.[0-9]+ ]]; then
                        :
                elif [[ $line == "#"* ]]; then
                        echo "$line"
                else
                        echo "# $line"
                fi
        done
}

not_ok() { # not_ok NAME [DETAIL-FILE]
        n=$((n + 1)) failed=$((failed + 1))
        echo "not ok $n - $1"
        [ -n "${2:-}" ] && tail -n 20 "$2" | sed 's/^/#   /'
}

part() { # part NAME SCRIPT
        local name=$1 script=$2 left before=$failed rc
        left=$((deadline - SECONDS))
        if [ $left -le 0 ]; then
                not_ok "$name: not run, the tier's ${TIMEOUT}s are used up"
                return
        fi
        relay < <(timeout --kill-after=10 $left "$SANDBOX" exec env SYSRUN="$WORK/bin/sysrun" \
                "$WORK/tests/$script" 2>"$WORK/$name.err")
        wait $!
        rc=$?
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
                not_ok "$name: timed out (the tier's limit is ${TIMEOUT}s)" "$WORK/$name.err"
        elif [ $rc -ne 0 ] && [ $failed -eq $before ]; then
                not_ok "$name: exited with status $rc" "$WORK/$name.err"
        fi
}

part podman podman.sh
part containerd containerd.sh

# The sandbox's stop checks that its cgroup is empty and removed and that the host's mount table does not
# mention it; the work directory must not be mounted anywhere either.
stopped() { # stopped NAME
        if "$SANDBOX" stop 2>"$WORK/stop.err" && ! grep -qF " $WORK" /proc/self/mountinfo; then
                n=$((n + 1))
                echo "ok $n - host: $1 stopped, no process, cgroup or mount left"
        else
                grep -F " $WORK" /proc/self/mountinfo >>"$WORK/stop.err"
                not_ok "host: $1 stopped, no process, cgroup or mount left" "$WORK/stop.err"
        fi
}
stopped sandbox

# podman pause/unpause with the systemd manager on a hybrid host: a hybrid sandbox with the host's v1
# freezer hierarchy (never the v1 memory one).
if [ "$(stat -fc %T /sys/fs/cgroup/freezer 2>/dev/null)" = cgroupfs ] &&
        [ "$(stat -fc %T /sys/fs/cgroup/systemd 2>/dev/null)" = cgroupfs ]; then
        export SANDBOX_CGMODE=hybrid SANDBOX_DIR=$WORK/sandbox-hybrid
        if "$SANDBOX" start >/dev/null 2>"$WORK/hybrid.err"; then
                part podman-hybrid podman-hybrid.sh
                stopped "hybrid sandbox"
        else
                not_ok "the hybrid sandbox did not start" "$WORK/hybrid.err"
        fi
fi
echo "1..$n"
[ $failed -eq 0 ]
