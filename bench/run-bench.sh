#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# sysrun against crun and runc, measured side by side in one run, with the same bundle (runc's own
# `spec`, /bin/true from busybox, no linux.resources) and a fresh id each time:
#
#   inside a real systemd (tests/sandbox/systemd-sandbox.sh), each runtime with its systemd manager:
#     run      `run` of /bin/true (create, start, wait, delete): median wall and CPU, peak RSS
#     exec     `exec true` into a running container
#     scale    N and 20 parallel `run -d` (all must succeed, no D-Bus error), the cost per container
#              at N against that at 20, `list` of N containers, then N parallel `delete -f` (nothing
#              may be left: no scope, no state)
#   on this host without systemd (a private mount namespace without the v1 memory hierarchy and
#   without the unified one, which crun cannot use on a hybrid host), each with its cgroupfs manager:
#     run      as above
#
# Medians of RUNS interleaved runs (measure.py). Every figure ends in one summary line of ratios to
# crun and runc ("summary: …"). Absolute times on shared machines are noisy: the ratios are the
# result, and nothing here is a pass/fail test of time. The exit status says only whether every
# part ran and nothing was left behind.
#
#   bench/run-bench.sh [RUNS [N]]      (default 30 runs, N = 200)
#   bench/run-bench.sh --smoke         (3 runs, N = 8: proves that every part works; CI runs it)
#
# Environment: SYSRUN (default build/src/sysrun/sysrun), RUNC, CRUN (default: from PATH).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SMOKE=0
if [ "${1:-}" = --smoke ]; then
        SMOKE=1
        shift
        set -- 3 8
fi
RUNS=${1:-30}
N=${2:-200}
SYSRUN=${SYSRUN:-$TOP/build/src/sysrun/sysrun}
RUNC=${RUNC:-$(command -v runc)}
CRUN=${CRUN:-$(command -v crun)}
SANDBOX=$TOP/tests/sandbox/systemd-sandbox.sh
NAMES="sysrun crun runc"

die() { echo "run-bench.sh: $*" >&2; exit 1; }

# summary FIGURE FILE: FILE has "name wall cpu rss" lines; one line of ratios to crun and runc.
summary() {
        awk -v fig="$1" '
                { w[$1] = $2; c[$1] = $3; r[$1] = $4 }
                function ratio(a, b) { return (a in w) && (b in w) && w[b] > 0 ? sprintf("%.2f", w[a] / w[b]) : "-" }
                function cratio(a, b) { return (a in c) && (b in c) && c[b] > 0 ? sprintf("%.2f", c[a] / c[b]) : "-" }
                END {
                        printf "summary: %-22s wall sysrun/crun %s sysrun/runc %s   cpu sysrun/crun %s sysrun/runc %s", fig,
                                ratio("sysrun", "crun"), ratio("sysrun", "runc"), cratio("sysrun", "crun"), cratio("sysrun", "runc")
                        if ("sysrun" in r && "crun" in r)
                                printf "   peak RSS sysrun %d KiB crun %d KiB runc %d KiB", r["sysrun"], r["crun"], r["runc"]
                        printf "\n"
                }' "$2"
}

# table FIGURE FILE: the medians themselves.
table() {
        printf '  %-8s %10s %10s %10s   (%s)\n' runtime "wall [s]" "cpu [s]" "rss [KiB]" "$1"
        awk '{ printf "  %-8s %10.4f %10.4f %10d\n", $1, $2, $3, $4 }' "$2"
}

# runtime_cmd NAME MANAGER: the command line of a runtime, with its state under /run/bench-NAME.
runtime_cmd() {
        local bin=$W/bin/$1
        case $1:$2 in
        sysrun:systemd) echo "$bin --root /run/bench-sysrun --systemd-cgroup" ;;
        crun:systemd) echo "$bin --root /run/bench-crun --cgroup-manager=systemd" ;;
        runc:systemd) echo "$bin --root /run/bench-runc --systemd-cgroup" ;;
        sysrun:cgroupfs) echo "$bin --root /run/bench-sysrun-fs --cgroup-manager cgroupfs" ;;
        crun:cgroupfs) echo "$bin --root /run/bench-crun-fs --cgroup-manager=cgroupfs" ;;
        runc:cgroupfs) echo "$bin --root /run/bench-runc-fs" ;;
        esac
}

measure() { # measure FIGURE MANAGER TEMPLATE: measure.py for all three, the table and the summary
        local fig=$1 mgr=$2 template=$3 specs=() n out=$W/out-$RANDOM
        for n in $NAMES; do specs+=("$n=$(runtime_cmd "$n" "$mgr")"); done
        /usr/bin/python3 "$W/measure.py" "$RUNS" "$template" "${specs[@]}" >"$out" || ok=0
        table "$fig" "$out"
        summary "$fig" "$out"
        for n in $NAMES; do grep -q "^$n " "$out" || { echo "  $n: failed"; ok=0; }; done
}

if [ "${1:-}" = __inside ]; then
        # ---- inside the sandbox: $2 = work dir, $3 = runs, $4 = N ----
        W=$2 RUNS=$3 N=$4 ok=1
        cd "$W"
        echo "== under systemd $(systemctl --version | head -1 | cut -d' ' -f2), $RUNS interleaved runs each"
        measure "run (systemd)" systemd "run --bundle $W/bundle {name}-{i}"

        # exec into one running container per runtime
        for n in $NAMES; do
                $(runtime_cmd "$n" systemd) run -d --bundle "$W/sleep" "ex-$n" </dev/null >/dev/null 2>&1 || ok=0
        done
        measure "exec (systemd)" systemd "exec ex-{name} true"
        for n in $NAMES; do $(runtime_cmd "$n" systemd) delete -f "ex-$n" >/dev/null 2>&1; done

        # scale: parallel run -d at 20 and at N, list of N, parallel delete -f
        scale=$W/scale.txt
        : >"$scale"
        for n in $NAMES; do
                cmd=$(runtime_cmd "$n" systemd)
                for count in 20 "$N"; do
                        rm -rf "$W/err" && mkdir -p "$W/err"
                        start=$(date +%s%N)
                        for i in $(seq "$count"); do
                                $cmd run -d --bundle "$W/sleep" "p$count-$i" </dev/null >/dev/null 2>"$W/err/$i" &
                        done
                        fails=0
                        for job in $(jobs -p); do wait "$job" || fails=$((fails + 1)); done
                        end=$(date +%s%N)
                        dbus=$(cat "$W"/err/* | grep -ciE 'd-?bus|StartTransientUnit|job|timed out' || true)
                        list=-
                        if [ "$count" = "$N" ]; then
                                list=$(/usr/bin/python3 -c '
import statistics, subprocess, sys, time
t = []
for _ in range(5):
    t0 = time.perf_counter(); subprocess.run(sys.argv[1:] + ["list"], stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - t0)
print("%.4f" % statistics.median(t))' $cmd || echo failed)
                        fi
                        for i in $(seq "$count"); do $cmd delete -f "p$count-$i" >/dev/null 2>&1 & done
                        wait
                        units=$(systemctl list-units --all --no-legend --plain "$n-p$count-*.scope" | wc -l)
                        states=$(find "/run/bench-$n" -mindepth 1 -maxdepth 1 -name "p$count-*" | wc -l)
                        [ "$fails" -eq 0 ] && [ "$dbus" -eq 0 ] && [ "$units" -eq 0 ] && [ "$states" -eq 0 ] || ok=0
                        awk -v n="$n" -v c="$count" -v s="$start" -v e="$end" -v f="$fails" -v d="$dbus" -v l="$list" -v u="$units" -v st="$states" \
                                'BEGIN { printf "%s %d %.4f %d %d %s %d %d\n", n, c, (e - s) / 1e9, f, d, l, u, st }' >>"$scale"
                        [ "$fails" -eq 0 ] || sort "$W"/err/* | uniq -c | sort -rn | head -3 | sed "s/^/  $n: /"
                done
        done
        printf '  %-8s %6s %9s %11s %7s %7s %9s %6s %6s   (parallel run -d under systemd)\n' \
                runtime count "total [s]" "per ctr [ms]" failed "D-Bus" "list [s]" units states
        awk '{ printf "  %-8s %6d %9.3f %11.2f %7d %7d %9s %6d %6d\n", $1, $2, $3, $3 / $2 * 1000, $4, $5, $6, $7, $8 }' "$scale"
        awk -v N="$N" '
                $2 == 20 { small[$1] = $3 / 20 }
                $2 == N { big[$1] = $3 / N; total[$1] = $3; list[$1] = $6 }
                function r(a, b) { return (a in total) && (b in total) && total[b] > 0 ? sprintf("%.2f", total[a] / total[b]) : "-" }
                function lr(a, b) { return (a in list) && (b in list) && list[b] > 0 ? sprintf("%.2f", list[a] / list[b]) : "-" }
                END {
                        growth = ("sysrun" in small) && small["sysrun"] > 0 ? big["sysrun"] / small["sysrun"] : 0
                        printf "summary: %-22s total sysrun/crun %s sysrun/runc %s   sysrun per-container cost at %d vs 20: %.2fx\n",
                                "scale " N " run -d", r("sysrun", "crun"), r("sysrun", "runc"), N, growth
                        printf "summary: %-22s sysrun %s s   sysrun/crun %s sysrun/runc %s\n", "list of " N, list["sysrun"], lr("sysrun", "crun"), lr("sysrun", "runc")
                }' "$scale"
        [ "$ok" = 1 ]
        exit
fi

if [ "${1:-}" = __host ]; then
        # ---- on the host, in a private mount namespace (tests/integration/run.sh) ----
        W=$2 RUNS=$3 ok=1
        cd "$W"
        # crun cannot use a hybrid host's unified hierarchy: without it, all three use v1 alone.
        [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && umount -l /sys/fs/cgroup/unified
        # crun insists on a memory hierarchy, which is not ours to use here: it gets a private tmpfs
        # there (sysrun and runc see no cgroup mount and leave it alone), so its figure lacks the
        # memory cgroup's mkdir and rmdir.
        if [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" != cgroupfs ]; then
                mount -t tmpfs -o size=1m,mode=0755 bench-crun-memory /sys/fs/cgroup/memory
                echo "  (crun's memory hierarchy is a private tmpfs: the v1 memory hierarchy is off limits here)"
        fi
        echo "== on this host without systemd (cgroupfs managers), $RUNS interleaved runs each"
        measure "run (cgroupfs)" cgroupfs "run --bundle $W/bundle {name}-{i}"
        for n in $NAMES; do
                left=$(find "/run/bench-$n-fs" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
                [ "$left" -eq 0 ] || { echo "  $n: $left state directories left"; ok=0; }
        done
        [ "$ok" = 1 ]
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

mkdir -p "$WORK/bin" "$WORK/bundle/rootfs/bin" "$WORK/sleep"
cp "$SYSRUN" "$WORK/bin/sysrun"
cp "$RUNC" "$WORK/bin/runc"
cp "$CRUN" "$WORK/bin/crun"
cp "$0" "$WORK/bench.sh"
cp "$HERE/measure.py" "$WORK/measure.py"
R=$WORK/bundle/rootfs
cp "$(command -v busybox)" "$R/bin/"
ln -s busybox "$R/bin/true"
ln -s busybox "$R/bin/sleep"
mkdir -p "$R/proc" "$R/sys" "$R/dev" "$R/etc" "$R/tmp"
# One config for all three: runc's own template, not a terminal, /bin/true, and no linux.resources:
# crun ≤ 1.8 loads its device eBPF program for linux.resources.devices only after raising
# RLIMIT_MEMLOCK, which needs CAP_SYS_RESOURCE (missing in some VMs and CI containers). sysrun and runc
# still apply their default device allow-lists. ociVersion 1.0.2: crun 1.8 refuses newer ones.
(cd "$WORK/bundle" && "$RUNC" spec)
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/true"] | del(.linux.resources)' \
        "$WORK/bundle/config.json" >"$WORK/bundle/c.json"
mv "$WORK/bundle/c.json" "$WORK/bundle/config.json"
jq --arg root "$R" '.process.args = ["sleep", "1000"] | .root.path = $root' "$WORK/bundle/config.json" \
        >"$WORK/sleep/config.json"

rc=0
"$SANDBOX" start >/dev/null || die "the sandbox did not start"
"$SANDBOX" exec bash "$WORK/bench.sh" __inside "$WORK" "$RUNS" "$N" || rc=1
"$TOP/tests/integration/run.sh" --exec bash "$WORK/bench.sh" __host "$WORK" "$RUNS" || rc=1
[ "$SMOKE" = 0 ] || echo "(smoke run: $RUNS runs and $N containers show that every part works; the figures mean nothing)"
exit $rc
