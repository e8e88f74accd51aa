#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# podman + conmon driving sysrun with the systemd cgroup manager on a v1/v2 hybrid host: systemd cannot
# freeze a unit there (FreezeUnit needs the unified hierarchy), so pause/unpause go through the v1
# freezer cgroup that sysrun keeps at the scope's path. Runs INSIDE the hybrid systemd sandbox
# (tests/dropin/run.sh starts one with SANDBOX_CGMODE=hybrid); prints TAP.
#
#   tests/dropin/podman-hybrid.sh [RUNTIME]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/helpers.bash"
require_sandbox podman-hybrid.sh

RUNTIME=$(readlink -f "${1:-${SYSRUN:-$HERE/../../build/src/sysrun/sysrun}}")
[ -x "$RUNTIME" ] || { echo "podman-hybrid.sh: no runtime at '$RUNTIME'" >&2; exit 2; }
if ! command -v podman >/dev/null || ! command -v conmon >/dev/null; then
        tap_skip "podman (hybrid)" "podman not installed"
        tap_end
        exit
fi
FREEZER=/sys/fs/cgroup/freezer
if [ ! -d /sys/fs/cgroup/unified ] || [ "$(stat -fc %T $FREEZER 2>/dev/null)" != cgroupfs ]; then
        tap_skip "podman (hybrid)" "not a hybrid sandbox with a v1 freezer hierarchy"
        tap_end
        exit
fi

W=$(mktemp -d /tmp/sysrun-dropin-hybrid.XXXXXX) || exit 2
P=(podman --root "$W/storage" --runroot "$W/run" --tmpdir "$W/libpod" --cgroup-manager=systemd
        --events-backend=file --runtime "$RUNTIME")
ST=("${P[@]}" inspect -f '{{.State.Status}}')
IMG=localhost/sysrun-dropin-busybox
NET=(--network none)

cleanup() {
        trap - EXIT
        "${P[@]}" rm -a -f -t 0 >/dev/null 2>&1
        "${P[@]}" rmi -a -f >/dev/null 2>&1
        unmount_under "$W"
        rm -rf "$W"
}
trap cleanup EXIT

expect() { # expect NAME WANT_RC REGEX CMD...
        local n=$1 want=$2 re=$3
        shift 3
        o=$(timeout 30 "$@" 2>&1)
        rc=$?
        if [ "$rc" = "$want" ] && { [ -z "$re" ] || grep -Eq -- "$re" <<<"$o"; }; then
                tap_ok "podman (hybrid): $n"
        else
                tap_not_ok "podman (hybrid): $n" "\$ $*" "rc=$rc, want $want and /$re/; output:" "$(tail -c 1500 <<<"$o")"
        fi
}

make_rootfs "$W/rootfs" || exit 2
if ! o=$(tar -C "$W/rootfs" -c . | "${P[@]}" import - $IMG 2>&1); then
        tap_not_ok "podman (hybrid): import the busybox image" "$o"
        tap_end
        exit
fi

expect "run -d" 0 '' "${P[@]}" run -d "${NET[@]}" --name h1 $IMG sleep 1000
id=$("${P[@]}" inspect -f '{{.Id}}' h1 2>/dev/null)
pid=$("${P[@]}" inspect -f '{{.State.Pid}}' h1 2>/dev/null)
fdir=$FREEZER/machine.slice/libpod-$id.scope
expect "the init is in the scope's v1 freezer cgroup" 0 "^[0-9]+:freezer:/machine.slice/libpod-$id.scope$" \
        cat "/proc/${pid:-0}/cgroup"
expect "pause" 0 '' "${P[@]}" pause h1
expect "paused" 0 '^paused$' "${ST[@]}" h1
expect "v1 freezer FROZEN" 0 '^FROZEN$' cat "$fdir/freezer.state"
expect "the init does not run" 0 '^State:.D' grep '^State:' "/proc/${pid:-0}/status"
expect "unpause" 0 '' "${P[@]}" unpause h1
expect "unpaused" 0 '^running$' "${ST[@]}" h1
expect "v1 freezer THAWED" 0 '^THAWED$' cat "$fdir/freezer.state"
expect "exec joins the init's v1 cgroups" 0 "^[0-9]+:devices:/machine.slice/libpod-$id.scope$" \
        "${P[@]}" exec h1 cat /proc/self/cgroup
expect "top" 0 'sleep' "${P[@]}" top h1
expect "pause again, rm -f the paused container" 0 '' sh -c "${P[*]} pause h1 >/dev/null && ${P[*]} rm -f -t 1 h1"
expect "no v1 freezer cgroup left" 0 '' test ! -e "$fdir"
expect "scope gone" 0 'LoadState=not-found' systemctl show "libpod-$id.scope" -p LoadState
tap_end
