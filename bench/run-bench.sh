#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# `run` of /bin/true (create + start + wait + delete in one command, a fresh id each time), timed for
# sysrun, crun and runc, each with its systemd cgroup manager, inside a systemd sandbox
# (tests/sandbox/systemd-sandbox.sh). Prints the median wall and CPU (user+system of the runtime and
# the children it waits for, from wait4's rusage; bench/measure.py) per runtime and the ratios to crun.
# The runtimes take turns, one run each per round, and keep their state on /run (a tmpfs), as they
# do by default.
#
#   bench/run-bench.sh [RUNS]          (default 30)
#
# Then starts PARALLEL (default 100) containers at once with `sysrun run -d` and reports the total
# time, failures and D-Bus errors (there must be none), and that delete leaves no unit.
#
# Environment: SYSRUN (default build/src/sysrun/sysrun), RUNC, CRUN (default: from PATH).
# The systemd side of the work (making and removing the scope) is not in the CPU figures; it is in the
# wall time.
# A runtime that cannot run here is reported as failed, with its error.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
RUNS=${1:-30}
SYSRUN=${SYSRUN:-$TOP/build/src/sysrun/sysrun}
RUNC=${RUNC:-$(command -v runc)}
CRUN=${CRUN:-$(command -v crun)}
SANDBOX=$TOP/tests/sandbox/systemd-sandbox.sh

die() { echo "run-bench.sh: $*" >&2; exit 1; }

if [ "${1:-}" = __inside ]; then
        # ---- inside the sandbox: $2 = work dir, $3 = runs ----
        W=$2
        RUNS=$3
        cd "$W"
        # Interleaved, one run of each per round (measure.py). State under /run, a tmpfs, where each
        # runtime keeps it by default (/run/sysrun, /run/crun, /run/runc).
        declare -A WALL CPU
        while read -r name wall cpu; do
                WALL[$name]=$wall
                CPU[$name]=$cpu
        done < <(/usr/bin/python3 "$W/measure.py" "$RUNS" "$W/bundle" \
                "sysrun=$W/bin/sysrun --root /run/bench-sysrun --systemd-cgroup" \
                "crun=$W/bin/crun --root /run/bench-crun --cgroup-manager=systemd" \
                "runc=$W/bin/runc --root /run/bench-runc --systemd-cgroup")
        base=crun
        [ -n "${WALL[crun]:-}" ] || base=runc
        left=$(systemctl list-units --all --no-legend --plain | grep -E '^(sysrun|crun|runc)-.*\.scope' | awk '{print $1}' | tr '\n' ' ')
        printf '%-8s %10s %10s %11s %11s   (median of %s interleaved runs of `run` /bin/true, systemd cgroups)\n' \
                runtime "wall [s]" "cpu [s]" "wall/$base" "cpu/$base" "$RUNS"
        for n in sysrun crun runc; do
                if [ -z "${WALL[$n]:-}" ]; then
                        printf '%-8s %10s\n' "$n" failed
                        continue
                fi
                awk -v n="$n" -v w="${WALL[$n]}" -v c="${CPU[$n]}" -v wb="${WALL[$base]:-0}" -v cb="${CPU[$base]:-0}" \
                        'BEGIN { rw = wb > 0 ? sprintf("%.2f", w / wb) : "-"; rc = cb > 0 ? sprintf("%.2f", c / cb) : "-"; printf "%-8s %10.4f %10.4f %11s %11s\n", n, w, c, rw, rc }'
        done
        echo "units left behind: $left"

        # 100 containers started at once with `run -d` (each a StartTransientUnit on its own bus
        # connection): total wall time, failures and D-Bus errors.
        N=${PARALLEL:-100}
        jq '.process.args = ["sleep", "1000"]' "$W/bundle/config.json" >"$W/bundle-sleep.json"
        mkdir -p "$W/par/rootfs" && cp "$W/bundle-sleep.json" "$W/par/config.json"
        rmdir "$W/par/rootfs" && ln -s "$W/bundle/rootfs" "$W/par/rootfs"
        mkdir -p "$W/par-err"
        start=$(date +%s%N)
        for i in $(seq "$N"); do
                "$W/bin/sysrun" --root /run/bench-par --systemd-cgroup run -d --bundle "$W/par" "p$i" \
                        </dev/null >/dev/null 2>"$W/par-err/$i" &
        done
        fails=0
        for job in $(jobs -p); do wait "$job" || fails=$((fails + 1)); done
        end=$(date +%s%N)
        dbus_errors=$(cat "$W"/par-err/* | grep -ciE 'bus|dbus|StartTransientUnit|job' || true)
        running=$(systemctl list-units --no-legend --plain 'sysrun-p*.scope' | grep -c running || true)
        for i in $(seq "$N"); do "$W/bin/sysrun" --root /run/bench-par delete --force "p$i" 2>/dev/null; done
        left=$(systemctl list-units --all --no-legend --plain 'sysrun-p*.scope' | wc -l)
        printf '%d parallel `run -d` (systemd): %.2f s total, %d failed, %d D-Bus errors, %d scopes running, %d left after delete\n' \
                "$N" "$(awk -v a="$start" -v b="$end" 'BEGIN { print (b - a) / 1e9 }')" "$fails" "$dbus_errors" "$running" "$left"
        cat "$W"/par-err/* | sort | uniq -c | head -5
        [ -n "${WALL[sysrun]:-}" ] && [ "$fails" -eq 0 ] && [ "$dbus_errors" -eq 0 ]
        exit
fi

[ "$(id -u)" = 0 ] || die "must run as root"
[ -x "$SYSRUN" ] || die "no sysrun binary at '$SYSRUN'"
[ -x "$RUNC" ] && [ -x "$CRUN" ] || die "runc and crun are needed (apt-get install runc crun)"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed (it does the timing, with wait4)"
command -v jq >/dev/null && command -v busybox >/dev/null || die "jq and busybox are needed"

WORK=$(mktemp -d /tmp/sysrun-bench.XXXXXX) || die "mktemp failed"
export SANDBOX_DIR=$WORK/sandbox SANDBOX_BIND=$WORK
cleanup() {
        local rc=$?
        trap - EXIT INT TERM
        "$SANDBOX" stop || rc=1
        rm -rf "$WORK"
        exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/bin" "$WORK/bundle/rootfs/bin"
cp "$SYSRUN" "$WORK/bin/sysrun"
cp "$RUNC" "$WORK/bin/runc"
cp "$CRUN" "$WORK/bin/crun"
cp "$0" "$WORK/bench.sh"
cp "$HERE/measure.py" "$WORK/measure.py"
R=$WORK/bundle/rootfs
cp /bin/busybox "$R/bin/"
ln -s busybox "$R/bin/true"
ln -s busybox "$R/bin/sleep"
mkdir -p "$R/proc" "$R/sys" "$R/dev" "$R/etc" "$R/tmp"
# One config for all three: runc's own template, not a terminal, /bin/true, and no linux.resources:
# crun ≤ 1.8 loads its device eBPF program for linux.resources.devices only after raising
# RLIMIT_MEMLOCK, which needs CAP_SYS_RESOURCE (missing in some VMs and CI containers). sysrun and runc
# still apply their default device allow-lists.
(cd "$WORK/bundle" && "$RUNC" spec)
jq '.process.terminal = false | .process.args = ["/bin/true"] | del(.linux.resources)' \
        "$WORK/bundle/config.json" >"$WORK/bundle/c.json"
mv "$WORK/bundle/c.json" "$WORK/bundle/config.json"

"$SANDBOX" start >/dev/null || die "the sandbox did not start"
"$SANDBOX" exec bash "$WORK/bench.sh" __inside "$WORK" "$RUNS"
