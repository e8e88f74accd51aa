#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The enforcement tier: boots a small Debian 12 VM (systemd as PID 1, cgroup v2 with every controller)
# under qemu and runs tests/vm/enforce.sh in it, which checks that the limits sysrun's systemd cgroup
# manager sets really bite (OOM kill, fork failures, CPU throttling, cpuset), and those of its cgroupfs
# manager, also under dockerd and podman (enforce-engines.sh). Prints TAP on stdout.
#
#   tests/vm/run.sh
#
# 1. installs what is missing of qemu-system-x86 (and, when the image must be built, debootstrap
#    e2fsprogs cpio busybox-static wget xz-utils) with apt-get --no-install-recommends;
# 2. reuses the guest image in $SYSRUN_VM_CACHE/<hash of build-image.sh> (default /var/cache/sysrun-vm,
#    outside the repository), else builds it with tests/vm/build-image.sh (about 60 s) and drops
#    images made by other versions of that script;
# 3. boots it with this checkout shared at the same path (tests/vm/vm-run.sh) and streams the TAP.
#
# Environment: VM_SCRIPT (the guest script in tests/vm: enforce.sh, the default, or checkpoint.sh),
# SYSRUN (the binary; default build/src/sysrun/sysrun; must be inside this checkout, which
# is what the guest sees), SYSRUN_VM_CACHE, VM_TIMEOUT (boot + tests, default 180 s).
# Exit status: 0 when every test passed; non-zero on a failure. "1..0 # SKIP" with status 0 only when
# this machine cannot run the tier at all: qemu cannot be installed, or the Debian archive is unreachable
# for the image build.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd -P)
SYSRUN=${SYSRUN:-$TOP/build/src/sysrun/sysrun}
CACHE=${SYSRUN_VM_CACHE:-/var/cache/sysrun-vm}
export VM_TIMEOUT=${VM_TIMEOUT:-180}
VM_SCRIPT=${VM_SCRIPT:-enforce.sh}
T0=$(date +%s)

die() { echo "vm/run.sh: $*" >&2; exit 1; }
skip_all() {
        {
                echo "##################################################################"
                echo "# vm/run.sh: SKIPPING THE VM ENFORCEMENT TIER: $*"
                echo "# (resource limits are NOT proven to be enforced on this machine)"
                echo "##################################################################"
        } >&2
        echo "1..0 # SKIP $*"
        exit 0
}
elapsed() { echo $(($(date +%s) - T0)); }

[ "$(id -u)" = 0 ] || die "must run as root"
[ -f "$HERE/$VM_SCRIPT" ] || die "no guest script '$VM_SCRIPT' in $HERE"
SYSRUN=$(readlink -f "$SYSRUN")
[ -x "$SYSRUN" ] || die "no sysrun binary at '$SYSRUN' (build first or set SYSRUN)"
case "$SYSRUN" in "$TOP"/*) ;; *) die "SYSRUN must be inside $TOP: only that directory is shared with the VM" ;; esac

# install PACKAGE...: apt-get what is not installed yet (refreshing the lists once if that fails).
install() {
        local missing=() p
        for p in "$@"; do
                dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        echo "vm/run.sh: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends) log rc=0
        log=$(mktemp /tmp/sysrun-vm-apt.XXXXXX)
        timeout 300 "${apt[@]}" install "${missing[@]}" >"$log" 2>&1 ||
                { timeout 120 "${apt[@]}" update >>"$log" 2>&1 &&
                        timeout 300 "${apt[@]}" install "${missing[@]}" >>"$log" 2>&1; } ||
                { rc=1; tail -20 "$log" >&2; }
        rm -f "$log"
        return $rc
}

install qemu-system-x86 || skip_all "qemu-system-x86 cannot be installed"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 is not available"

# ---- the guest image, cached outside the repository under a hash of its build script ----
KEY=$(sha256sum "$HERE/build-image.sh" | cut -c1-16)
IMG=$CACHE/$KEY
mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock -w 600 9 || die "another run holds $CACHE/.lock"
if [ -f "$IMG/complete" ]; then
        echo "vm/run.sh: using the cached image $IMG" >&2
else
        tools=(debootstrap e2fsprogs cpio busybox-static wget xz-utils)
        install "${tools[@]}" || skip_all "the image build tools (${tools[*]}) cannot be installed"
        echo "vm/run.sh: building the guest image into $IMG (cache was cold)" >&2
        tmp=$CACHE/.build-$KEY.$$
        rm -rf "$tmp"
        timeout 400 "$HERE/build-image.sh" "$tmp" >&2
        rc=$?
        if [ $rc -ne 0 ]; then
                rm -rf "$tmp"
                [ $rc -eq 3 ] && skip_all "the Debian archive is unreachable, so the guest image cannot be built"
                echo "not ok 1 - vm: building the guest image failed (build-image.sh exit $rc)"
                echo "1..1"
                exit 1
        fi
        touch "$tmp/complete"
        # Images of other versions of build-image.sh are never used again.
        find "$CACHE" -mindepth 1 -maxdepth 1 -not -name .lock -not -path "$tmp" -exec rm -rf {} +
        mv "$tmp" "$IMG"
        echo "vm/run.sh: image built in $(elapsed)s" >&2
fi
flock -u 9
exec 9>&-

# ---- boot and test; the TAP goes to a log (to notice a VM that gave no plan), tail streams it ----
LOG=$(mktemp /tmp/sysrun-vm-tap.XXXXXX)
VPID='' TPID=''
cleanup() {
        # vm-run.sh kills qemu when it gets TERM; qemu also dies with vm-run.sh (its parent-death signal).
        [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
        [ -n "$TPID" ] && kill "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
        rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

T1=$(date +%s)
"$HERE/vm-run.sh" "$IMG" "$HERE/$VM_SCRIPT" "$SYSRUN" >"$LOG" &
VPID=$!
tail -n +1 -f --pid="$VPID" "$LOG" &
TPID=$!
wait "$VPID"
rc=$?
VPID=
wait "$TPID" # tail prints what is left, then exits
TPID=
if [ $rc -ne 0 ] && ! grep -q '^1\.\.' "$LOG"; then
        n=$(grep -cE '^(not )?ok ' "$LOG")
        echo "not ok $((n + 1)) - vm: the guest gave no result (vm-run.sh exit $rc)"
        echo "1..$((n + 1))"
fi
echo "vm/run.sh: boot + tests $(($(date +%s) - T1))s, total $(elapsed)s" >&2
exit $rc
