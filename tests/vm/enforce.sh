#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs INSIDE the test VM (tests/vm/run.sh boots it), as root, with systemd as PID 1 on a cgroup v2
# hierarchy that has the memory, pids, cpu and cpuset controllers: proves that the limits sysrun's
# systemd cgroup manager asks for are enforced by the kernel, not just recorded by systemd, and that
# the cgroupfs manager's limits, eBPF device filter, cgroup.freeze and cgroup.kill work, also under
# dockerd and podman (enforce-engines.sh). Prints TAP.
#
#   tests/vm/enforce.sh [SYSRUN]      (default: build/src/sysrun/sysrun of this checkout)
#
# Needs busybox-static (/usr/bin/busybox), jq, docker.io and podman in the guest. Every container is
# deleted on exit.
set -u

# vm-run.sh runs a copy of this script and says where the project is.
TOP=${PROJECT_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SYSRUN_SRC=${1:-$TOP/build/src/sysrun/sysrun}
W=$(mktemp -d /var/tmp/sysrun-enforce.XXXXXX)
STATE_ROOT=/run/sysrun-enforce
CG=/sys/fs/cgroup
IDS=()

# Every test removes its container; this catches what a failed one left (each command costs ~0.2 s).
cleanup() {
        local id units
        for id in "${IDS[@]}"; do
                [ -e "$STATE_ROOT/$id" ] && "$SYSRUN" --root "$STATE_ROOT" delete --force "$id" >/dev/null 2>&1
        done
        mapfile -t units < <(systemctl list-units --all --no-legend --plain 'sysrun-enforce-*' | awk '{ print $1 }')
        if [ ${#units[@]} -gt 0 ]; then
                systemctl stop "${units[@]}" >/dev/null 2>&1
                systemctl reset-failed "${units[@]}" >/dev/null 2>&1
        fi
        declare -F engines_cleanup >/dev/null && engines_cleanup
        rm -rf "$W" "$STATE_ROOT"
}
trap cleanup EXIT

# A copy on local disk: others may rebuild the host's binary while the VM runs.
SYSRUN=$W/sysrun
cp "$SYSRUN_SRC" "$SYSRUN" || { echo "Bail out! no sysrun binary at $SYSRUN_SRC"; exit 1; }
sysrun() { "$SYSRUN" --root "$STATE_ROOT" "$@"; }

n=0 failures=0 last=0
# Each result is followed by the seconds it took (TCG makes every fork+exec slow).
took() { echo "#   $((SECONDS - last)) s"; last=$SECONDS; }
ok() { n=$((n + 1)); echo "ok $n - $*"; took; }
not_ok() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $*"; took; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; took; }
# result NAME DETAIL STATUS: one TAP line, ok when STATUS is 0; DETAIL (the values seen) is shown either way.
result() {
        if [ "$3" = 0 ]; then ok "$1 ($2)"; else not_ok "$1 ($2)"; fi
}
diag() { sed 's/^/# /' "$@"; }

# The containers' rootfs: busybox-static. Not tests/make-rootfs.sh: its one `ln` per applet costs ~15 s
# under TCG (a fork+exec is ~55 ms there); `busybox --install -s` makes all the links in one process.
# They point at the path busybox runs from, so the copy goes to that same path inside the rootfs.
make_rootfs() {
        local r=$W/rootfs bb
        bb=$(readlink -f /bin/busybox)
        mkdir -p "$r"/{bin,proc,sys,dev,etc,tmp,root} "$r${bb%/*}" &&
                cp "$bb" "$r$bb" &&
                { [ -e "$r/bin/busybox" ] || ln "$r$bb" "$r/bin/busybox"; } &&
                "$bb" --install -s "$r/bin" &&
                [ "$(readlink "$r/bin/sh")" = "$bb" ]
}
make_rootfs || { echo "Bail out! cannot make the busybox rootfs"; exit 1; }

# bundle NAME RESOURCES-JSON ARGS-JSON: a busybox bundle at $W/NAME running ARGS with those resources.
bundle() {
        mkdir -p "$W/$1"
        (cd "$W/$1" && "$SYSRUN" spec) || return 1
        jq --arg root "$W/rootfs" --argjson res "$2" --argjson args "$3" \
                '.root.path = $root | .process.terminal = false | .process.args = $args |
                 .linux.resources = ($res + { devices: .linux.resources.devices })' \
                "$W/$1/config.json" >"$W/$1/config.json.new" && mv "$W/$1/config.json.new" "$W/$1/config.json"
}

# start NAME RESOURCES-JSON ARGS-JSON: run --detach; sets ID and CGDIR (the scope's cgroup directory).
# The container's init keeps the output file open, so it goes to a file rather than a pipe.
start() {
        ID=enforce-$1-$$
        IDS+=("$ID")
        CGDIR=
        bundle "$1" "$2" "$3" || return 1
        if ! sysrun run --detach --bundle "$W/$1" "$ID" </dev/null >"$W/$1.log" 2>&1; then
                diag "$W/$1.log"
                return 1
        fi
        CGDIR=$CG/$(jq -r '.cgroupPath // empty' "$STATE_ROOT/$ID/state.json")
        CGDIR=${CGDIR%/}
        if [ "$CGDIR" = "$CG" ] || [ ! -d "$CGDIR" ]; then
                echo "# $ID has no cgroup directory ('$CGDIR')"
                remove
                return 1
        fi
}

remove() {
        sysrun delete --force "$ID" >/dev/null 2>&1
}

prop() { systemctl show --value -p "$1" "sysrun-$ID.scope"; }
# key FILE KEY: the value of KEY in a flat-keyed cgroup file (memory.events, cpu.stat, pids.events).
key() { awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null; }
# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
        local end=$((SECONDS + $1))
        shift
        until "$@"; do
                [ $SECONDS -ge $end ] && return 1
                sleep 0.2
        done
}

# dockerd starts and the engines import the rootfs while the tests below run.
. "$TOP/tests/vm/enforce-engines.sh"
engines_start

last=$SECONDS
echo "# guest: $(uname -r), $(nproc) vCPUs, cgroup controllers: $(cat $CG/cgroup.controllers)"

# ---- memory: 32 MiB, no swap; dd's 64 MiB buffer (reading /dev/zero faults every page in) ----
mem_res='{"memory":{"limit":33554432,"swap":33554432}}'
mem_args='["sh","-c","dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd exited $?; exec sleep 1000"]'
if start mem "$mem_res" "$mem_args"; then
        oom_seen() { [ "$(key "$CGDIR/memory.events" oom_kill)" -ge 1 ] 2>/dev/null; }
        wait_for 30 oom_seen
        oom=$(key "$CGDIR/memory.events" oom_kill) max=$(cat "$CGDIR/memory.max") swap=$(cat "$CGDIR/memory.swap.max")
        pmax=$(prop MemoryMax) pswap=$(prop MemorySwapMax) dd=$(grep -o 'dd exited [0-9]*' "$W/mem.log")
        [ "${oom:-0}" -ge 1 ] && [ "$max" = 33554432 ] && [ "$swap" = 0 ] && [ "$pmax" = 33554432 ] && [ "$pswap" = 0 ]
        result "memory: dd past 32 MiB is OOM-killed in the scope" "oom_kill=$oom memory.max=$max \
memory.swap.max=$swap MemoryMax=$pmax MemorySwapMax=$pswap; ${dd:-dd still running}" $?
        remove
else
        not_ok "memory: dd past 32 MiB is OOM-killed in the scope (no running container with a cgroup)"
fi

# The same, with the allocation as the container's init, in the foreground: run reports 128+SIGKILL.
ID=enforce-memfg-$$
IDS+=("$ID")
if bundle memfg "$mem_res" '["dd","if=/dev/zero","of=/dev/null","bs=64M","count=1"]'; then
        sysrun run --bundle "$W/memfg" "$ID" </dev/null >"$W/memfg.log" 2>&1
        rc=$?
        [ $rc = 137 ]
        result "memory: sysrun run exits 137 when the init is OOM-killed" "exit status $rc" $?
        [ $rc = 137 ] || diag "$W/memfg.log"
else
        not_ok "memory: sysrun run exits 137 when the init is OOM-killed (no bundle)"
fi

# ---- pids: 8; the init's subshell tries to start 20 sleeps ----
# shellcheck disable=SC2016 # the container's shell expands these
pids_args='["sh","-c","( i=0; while [ $i -lt 20 ]; do sleep 1000 & i=$((i + 1)); done ) 2>/dev/null; exec sleep 1000"]'
if start pids '{"pids":{"limit":8}}' "$pids_args"; then
        # Done when the fork failures are counted and only sleeps are left (the subshell exited).
        settled() {
                [ "$(key "$CGDIR/pids.events" max)" -ge 1 ] 2>/dev/null || return 1
                local p
                while read -r p; do
                        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] || return 1
                done <"$CGDIR/cgroup.procs"
        }
        wait_for 30 settled
        failed_forks=$(key "$CGDIR/pids.events" max) pmax=$(cat "$CGDIR/pids.max") tmax=$(prop TasksMax)
        procs=$(wc -l <"$CGDIR/cgroup.procs")
        [ "$pmax" = 8 ] && [ "$tmax" = 8 ] && [ "${failed_forks:-0}" -ge 1 ] && [ "$procs" -le 8 ]
        result "pids: forks fail past 8" \
                "pids.max=$pmax TasksMax=$tmax pids.events max=$failed_forks processes=$procs" $?
        remove
else
        not_ok "pids: forks fail past 8 (no running container with a cgroup)"
fi

# ---- cpu: 20 ms every 100 ms; a busy loop for 3 s ----
if start cpu '{"cpu":{"quota":20000,"period":100000}}' '["sh","-c","while :; do :; done"]'; then
        u0=$(key "$CGDIR/cpu.stat" usage_usec) t0=$(key "$CGDIR/cpu.stat" nr_throttled) w0=$(date +%s%6N)
        sleep 3
        u1=$(key "$CGDIR/cpu.stat" usage_usec) t1=$(key "$CGDIR/cpu.stat" nr_throttled) w1=$(date +%s%6N)
        cmax=$(cat "$CGDIR/cpu.max") quota=$(prop CPUQuotaPerSecUSec) period=$(prop CPUQuotaPeriodUSec)
        pct=$(((u1 - u0) * 100 / (w1 - w0)))
        [ "$cmax" = "20000 100000" ] && [ $((t1 - t0)) -gt 0 ] && [ $pct -lt 50 ]
        result "cpu: a busy loop is throttled to 20 %" "cpu.max='$cmax' CPUQuotaPerSecUSec=$quota \
CPUQuotaPeriodUSec=$period nr_throttled +$((t1 - t0)) usage ${pct}% of wall time" $?
        remove
else
        not_ok "cpu: a busy loop is throttled to 20 % (no running container with a cgroup)"
fi

# ---- cpuset: pinned to CPU 0 ----
if [ "$(nproc)" -lt 2 ]; then
        skip "cpuset: cpus 0 -> cpuset.cpus.effective 0" "the guest has one vCPU"
elif start cpuset '{"cpu":{"cpus":"0"}}' '["sleep","1000"]'; then
        eff=$(cat "$CGDIR/cpuset.cpus.effective") allowed=$(prop AllowedCPUs)
        pid=$(head -1 "$CGDIR/cgroup.procs")
        aff=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' "/proc/$pid/status")
        [ "$eff" = 0 ] && [ "$allowed" = 0 ] && [ "$aff" = 0 ]
        result "cpuset: cpus 0 -> cpuset.cpus.effective 0" \
                "cpuset.cpus.effective=$eff AllowedCPUs=$allowed init's Cpus_allowed_list=$aff" $?
        remove
else
        not_ok "cpuset: cpus 0 -> cpuset.cpus.effective 0 (no running container with a cgroup)"
fi

# ---- events --stats on a running container ----
if start stats '{"memory":{"limit":67108864},"pids":{"limit":16}}' '["sleep","1000"]'; then
        sysrun events --stats "$ID" >"$W/stats.json" 2>&1
        rc=$?
        mem=$(jq -r '.data.memory.usage.usage // 0' "$W/stats.json" 2>/dev/null)
        limit=$(jq -r '.data.memory.usage.limit // 0' "$W/stats.json" 2>/dev/null)
        pids=$(jq -r '.data.pids.current // 0' "$W/stats.json" 2>/dev/null)
        [ $rc = 0 ] && [ "${mem:-0}" -gt 0 ] && [ "${limit:-0}" = 67108864 ] && [ "${pids:-0}" -gt 0 ]
        result "events --stats reports memory usage and pids.current" \
                "exit $rc memory.usage=${mem:-?} memory.limit=${limit:-?} pids.current=${pids:-?}" $?
        [ $rc = 0 ] || diag "$W/stats.json"
        remove
else
        not_ok "events --stats reports memory usage and pids.current (no running container with a cgroup)"
fi

# ---- the cgroupfs manager (--cgroup-manager cgroupfs): its own cgroup /sysrun/<id> ----
# start_fs NAME RESOURCES-JSON ARGS-JSON: like start, with the cgroupfs manager; CGDIR is the container's
# cgroup (state.json's cgroupfsDirs).
start_fs() {
        ID=enforce-fs-$1-$$
        IDS+=("$ID")
        CGDIR=
        bundle "$1" "$2" "$3" || return 1
        [ -z "${4:-}" ] || { jq "$4" "$W/$1/config.json" >"$W/$1/c.new" && mv "$W/$1/c.new" "$W/$1/config.json"; } || return 1
        if ! sysrun --cgroup-manager cgroupfs run --detach --bundle "$W/$1" "$ID" </dev/null >"$W/$1.log" 2>&1; then
                diag "$W/$1.log"
                return 1
        fi
        CGDIR=$(jq -r '.cgroupfsDirs[0] // empty' "$STATE_ROOT/$ID/state.json")
        [ -n "$CGDIR" ] && [ -d "$CGDIR" ] || { echo "# $ID has no cgroup directory ('$CGDIR')"; remove; return 1; }
}

fs_res='{"memory":{"limit":33554432,"swap":33554432},"cpu":{"quota":20000,"period":100000,"shares":1024},"pids":{"limit":8}}'
if start_fs limits "$fs_res" "$mem_args"; then
        oom_seen() { [ "$(key "$CGDIR/memory.events" oom_kill)" -ge 1 ] 2>/dev/null; }
        wait_for 30 oom_seen
        oom=$(key "$CGDIR/memory.events" oom_kill) max=$(cat "$CGDIR/memory.max") swap=$(cat "$CGDIR/memory.swap.max")
        cmax=$(cat "$CGDIR/cpu.max") weight=$(cat "$CGDIR/cpu.weight") pmax=$(cat "$CGDIR/pids.max")
        [ "$CGDIR" = "$CG/sysrun/$ID" ] && [ "${oom:-0}" -ge 1 ] && [ "$max" = 33554432 ] && [ "$swap" = 0 ] &&
                [ "$cmax" = "20000 100000" ] && [ "$weight" = 100 ] && [ "$pmax" = 8 ]
        result "cgroupfs: limits read back and dd past 32 MiB is OOM-killed" "cgroup=$CGDIR oom_kill=$oom \
memory.max=$max memory.swap.max=$swap cpu.max='$cmax' cpu.weight=$weight pids.max=$pmax" $?
        sysrun update --pids-limit 12 "$ID" >/dev/null 2>&1
        pmax=$(cat "$CGDIR/pids.max")
        [ "$pmax" = 12 ]
        result "cgroupfs: update writes pids.max" "pids.max=$pmax" $?
        sysrun events --stats "$ID" >"$W/fs-stats.json" 2>&1
        rc=$?
        limit=$(jq -r '.data.memory.usage.limit // 0' "$W/fs-stats.json" 2>/dev/null)
        pids=$(jq -r '.data.pids.current // 0' "$W/fs-stats.json" 2>/dev/null)
        [ $rc = 0 ] && [ "${limit:-0}" = 33554432 ] && [ "${pids:-0}" -gt 0 ]
        result "cgroupfs: events --stats reads the cgroup" "exit $rc memory.limit=${limit:-?} pids.current=${pids:-?}" $?
        [ $rc = 0 ] || diag "$W/fs-stats.json"
        remove
else
        not_ok "cgroupfs: limits read back and dd past 32 MiB is OOM-killed (no running container)"
fi

# The eBPF device filter. c 240:0 has no driver: an open that the filter lets through fails with
# ENXIO ("No such device or address"), one that it stops with EPERM ("Operation not permitted").
# shellcheck disable=SC2016 # the container's shell expands these
dev_args='["sh","-c","mknod /dev/nl c 1 3; mknod /dev/km c 1 11; mknod /dev/x c 240 0; (echo a >/dev/nl) && echo null-rw-ok; (cat /dev/nl) && echo null-read-ok; (echo a >/dev/km) 2>&1; (cat </dev/x) 2>&1; (echo a >/dev/x) 2>&1; exec sleep 1000"]'
dev_caps='.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"] | .linux.resources.devices += [{"allow":true,"type":"c","major":1,"minor":3,"access":"rw"},{"allow":true,"type":"c","major":240,"minor":0,"access":"r"}]'
if start_fs devices '{}' "$dev_args" "$dev_caps"; then
        wait_for 10 grep -q 'dev/x' "$W/devices.log"
        sleep 1
        out=$(tr '\n' '|' <"$W/devices.log")
        grep -q null-rw-ok "$W/devices.log" && grep -q null-read-ok "$W/devices.log" &&
                grep -q "can't create /dev/km: Operation not permitted" "$W/devices.log" &&
                grep -q "can't open /dev/x: No such device or address" "$W/devices.log" &&
                grep -q "can't create /dev/x: Operation not permitted" "$W/devices.log"
        result "cgroupfs: the eBPF device filter (c 1:3 rw allowed, c 1:11 denied, an r-only rule refuses writes)" \
                "output: $out" $?
        remove
else
        not_ok "cgroupfs: the eBPF device filter (no running container)"
fi

# cgroup.freeze and cgroup.kill, with a second process that only the cgroup knows (no pid namespace).
if start_fs freeze '{}' '["sleep","1000"]' '.linux.namespaces |= map(select(.type != "pid"))'; then
        sysrun exec -d "$ID" sleep 999 >/dev/null 2>&1
        sysrun pause "$ID" >"$W/pause.log" 2>&1
        frz=$(cat "$CGDIR/cgroup.freeze") ev=$(key "$CGDIR/cgroup.events" frozen) st=$(sysrun state "$ID" | jq -r .status)
        sysrun resume "$ID" >>"$W/pause.log" 2>&1
        ev2=$(key "$CGDIR/cgroup.events" frozen) st2=$(sysrun state "$ID" | jq -r .status)
        [ "$frz" = 1 ] && [ "$ev" = 1 ] && [ "$st" = paused ] && [ "$ev2" = 0 ] && [ "$st2" = running ]
        result "cgroupfs: pause/resume through cgroup.freeze" "cgroup.freeze=$frz frozen=$ev status=$st; \
after resume frozen=$ev2 status=$st2" $?
        [ "$st" = paused ] || diag "$W/pause.log"
        n0=$(wc -l <"$CGDIR/cgroup.procs")
        sysrun kill --all "$ID" KILL >"$W/kill.log" 2>&1
        empty() { [ -z "$(cat "$CGDIR/cgroup.procs")" ]; }
        wait_for 10 empty
        n1=$(wc -l <"$CGDIR/cgroup.procs")
        [ "$n0" = 2 ] && [ "$n1" = 0 ]
        result "cgroupfs: kill --all empties the cgroup (cgroup.kill)" "processes before $n0, after $n1" $?
        remove
        left=$(find "$CG/sysrun" -type d 2>/dev/null | tr '\n' ' ')
        [ ! -e "$CG/sysrun" ]
        result "cgroupfs: delete removes the cgroup and /sysrun" "left: ${left:-nothing}" $?
else
        not_ok "cgroupfs: pause/resume through cgroup.freeze (no running container)"
fi

# ---- dockerd and podman driving sysrun's cgroupfs manager (started above) ----
engines_tests

# ---- nothing left behind ----
left=$(systemctl list-units --all --no-legend --plain 'sysrun-enforce-*' | wc -l)
[ "$left" = 0 ] && [ -z "$(ls -A "$STATE_ROOT" 2>/dev/null)" ]
result "every container is gone (units and state)" "units left: $left" $?

echo "1..$n"
[ $failures -eq 0 ]
