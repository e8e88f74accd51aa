#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# podman + conmon driving sysrun: the commands a podman user runs, checked against what runc gives.
# Runs INSIDE the systemd sandbox as root (--cgroup-manager=systemd needs systemd as PID 1); prints TAP.
#
#   tests/dropin/podman.sh [RUNTIME]     RUNTIME: default $SYSRUN (runc by hand gives the baseline)
#
# e.g. SANDBOX_DIR=/tmp/sb/x tests/sandbox/systemd-sandbox.sh exec tests/dropin/podman.sh /path/to/sysrun
# (the paths must be visible inside: SANDBOX_BIND). tests/dropin/run.sh runs it in CI.
# No registry: a busybox image is imported from a rootfs made of the host's busybox. podman's stock
# configuration is used as it is (Debian's containers.conf gives every container with its own network
# namespace the sysctl net.ipv4.ping_group_range). Storage, run root and logs are in a temporary
# directory under /tmp (the sandbox's tmpfs), unmounted and removed at the end.
# Left out, because the sandbox cannot give them: user namespaces (--uidmap, rootless), bridge networks
# and slirp4netns (no /dev/net/tun); every container has --network none. --ulimit is skipped without
# CAP_SYS_RESOURCE, and limits with a runtime that needs cgroup controllers (runc).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/helpers.bash"
require_sandbox podman.sh

RUNTIME=$(readlink -f "${1:-${SYSRUN:-$HERE/../../build/src/sysrun/sysrun}}")
[ -x "$RUNTIME" ] || { echo "podman.sh: no runtime at '$RUNTIME'" >&2; exit 2; }
RT=$(basename "$RUNTIME")
if ! command -v podman >/dev/null || ! command -v conmon >/dev/null; then
        tap_skip podman "podman not installed"
        tap_end
        exit
fi

W=$(mktemp -d /tmp/sysrun-dropin-podman.XXXXXX) || exit 2
# A wrapper that records each invocation podman and conmon make.
cat >"$W/runtime" <<EOW
#!/bin/sh
printf '%s' "\$(cat /proc/\$PPID/comm 2>/dev/null):" >>"$W/calls.log"
for a in "\$@"; do printf " '%s'" "\$a" >>"$W/calls.log"; done
echo >>"$W/calls.log"
exec "$RUNTIME" "\$@"
EOW
chmod +x "$W/runtime"
STATE=/run/$RT # podman passes no --root: the runtime's default

PB=(podman --root "$W/storage" --runroot "$W/run" --tmpdir "$W/libpod" --cgroup-manager=systemd
        --events-backend=file)
P=("${PB[@]}" --runtime "$W/runtime")
PC=("${P[@]/--cgroup-manager=systemd/--cgroup-manager=cgroupfs}")
ST=("${P[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}}')
IMG=localhost/sysrun-dropin-busybox
NET=(--network none)
# A cgroupfs path without --systemd-cgroup: sysrun puts the container in its default scope.
if [ "$RT" = sysrun ]; then DEFAULT_CG='^0::/machine.slice/sysrun-[0-9a-f]{64}\.scope$'; else DEFAULT_CG=''; fi

cleanup() {
        trap - EXIT
        "${P[@]}" rm -a -f -t 0 >/dev/null 2>&1
        "${P[@]}" pod rm -a -f -t 0 >/dev/null 2>&1
        "${P[@]}" rmi -a -f >/dev/null 2>&1
        unmount_under "$W"
        rm -rf "$W"
}
trap cleanup EXIT

# c CMD...: runs CMD (30 s at most, unless it is a function here); its output in $o, its status in $rc
c() {
        if declare -F "$1" >/dev/null; then o=$("$@" 2>&1); else o=$(timeout 30 "$@" 2>&1); fi
        rc=$?
}
matches() { # matches WANT_RC REGEX: does the last c?
        [ "$rc" = "$1" ] && { [ -z "$2" ] || grep -Eq -- "$2" <<<"$o"; }
}
report() { # report NAME WANT_RC REGEX CMD...
        local n=$1 want=$2 re=$3
        shift 3
        if matches "$want" "$re"; then
                tap_ok "podman: $n"
        else
                tap_not_ok "podman: $n" "\$ $*" "rc=$rc, want $want and /$re/; output:" "$(tail -c 1500 <<<"$o")"
        fi
}
expect() { # expect NAME WANT_RC REGEX CMD...
        c "${@:4}"
        report "$@"
}
try_once() { # try_once WANT_RC REGEX CMD...
        c "${@:3}"
        matches "$1" "$2"
}
expect_eventually() { # expect_eventually NAME SECONDS WANT_RC REGEX CMD...: polls CMD until it matches
        local n=$1 secs=$2
        shift 2
        wait_for "$secs" try_once "$@"
        report "$n" "$@"
}

# A private containers.conf: the stock one plus an [engine.runtimes] entry, used by one case below. A
# baseline runtime other than sysrun also gets pids_limit = 0 there, and uses it throughout: podman's
# default limit of 2048 makes runc write pids.max, and the sandbox's cgroup2 has no controllers.
conf=/usr/share/containers/containers.conf
{
        [ -r $conf ] && grep -v '^\[engine\.runtimes\]' $conf
        printf '[engine.runtimes]\nsysrun_dropin = ["%s"]\n' "$W/runtime"
} >"$W/containers.conf"
if [ "$RT" != sysrun ] && ! grep -qw pids /sys/fs/cgroup/cgroup.controllers; then
        sed -i 's/^\[containers\]$/&\npids_limit = 0/' "$W/containers.conf"
        export CONTAINERS_CONF=$W/containers.conf
fi

make_rootfs "$W/rootfs" || exit 2
if ! o=$(tar -C "$W/rootfs" -c . | "${P[@]}" import - $IMG 2>&1); then
        tap_not_ok "podman: import the busybox image" "$o"
        tap_end
        exit
fi

# --- run, exit codes, stdio
expect "run" 0 '^hi$' "${P[@]}" run --rm "${NET[@]}" $IMG echo hi
expect "exit code" 3 '' "${P[@]}" run --rm "${NET[@]}" $IMG sh -c 'exit 3'
expect "command not found" 127 '' "${P[@]}" run --rm "${NET[@]}" $IMG /nonexistent
# podman maps runc's words to 127/126 and names the runtime itself: the text is once, and lowercase.
expect "command not found: runc's words" 127 'stat /nonexistent: no such file or directory' \
        "${P[@]}" run --rm "${NET[@]}" $IMG /nonexistent
expect "command not found: the runtime's name once" 0 '' sh -c "! ${P[*]} run --rm ${NET[*]} $IMG /nonexistent 2>&1 |
        grep -E 'sysrun: sysrun:|No such file'"
expect "not executable: 126" 126 'permission denied' "${P[@]}" run --rm "${NET[@]}" $IMG /etc/passwd
expect "stdin from a pipe" 0 '^piped$' sh -c "echo piped | ${P[*]} run -i --rm ${NET[*]} $IMG cat"
expect "run -t" 0 '/dev/pts/0' script -qec "${P[*]} run -it --rm ${NET[*]} $IMG tty" /dev/null
expect "run -t exit code" 4 '' script -qec "${P[*]} run -it --rm ${NET[*]} $IMG sh -c 'exit 4'" /dev/null
expect "runtime named in containers.conf" 0 '^conf$' \
        env CONTAINERS_CONF="$W/containers.conf" "${PB[@]}" --runtime sysrun_dropin run --rm "${NET[@]}" $IMG echo conf

# --- detached lifecycle, exec, pause, kill, restart, stop
expect "run -d" 0 '' "${P[@]}" run -d "${NET[@]}" --name d1 $IMG \
        sh -c 'echo started; trap "echo got-usr1" USR1; trap "echo got-term; exit 0" TERM; while :; do sleep 0.2; done'
expect_eventually "logs" 10 0 'started' "${P[@]}" logs d1
expect "ps" 0 '^d1 Up' "${P[@]}" ps --filter name=d1 --format '{{.Names}} {{.Status}}'
expect "inspect" 0 '^[1-9][0-9]* running' "${P[@]}" inspect -f '{{.State.Pid}} {{.State.Status}}' d1
id=$("${P[@]}" inspect -f '{{.Id}}' d1 2>/dev/null)
pid=$("${P[@]}" inspect -f '{{.State.Pid}}' d1 2>/dev/null)
expect "cgroup is the scope" 0 "^0::/machine.slice/libpod-$id.scope" cat "/proc/${pid:-0}/cgroup"
expect "scope active" 0 'ActiveState=active' systemctl show "libpod-$id.scope" -p ActiveState
expect "runtime state" 0 '"status": "running"' "$RUNTIME" state "$id"
expect "exec" 0 '^hi$' "${P[@]}" exec d1 echo hi
expect "exec exit code" 5 '' "${P[@]}" exec d1 sh -c 'exit 5'
expect "exec -u" 0 'uid=1000 gid=1001' "${P[@]}" exec -u 1000:1001 d1 id
expect "exec -w" 0 '^/tmp$' "${P[@]}" exec -w /tmp d1 pwd
expect "exec: command not found" 127 'no such file or directory' "${P[@]}" exec d1 /nonexistent
expect "exec: not executable" 126 'permission denied' "${P[@]}" exec d1 /etc/passwd
expect "exec -e" 0 '^bar$' "${P[@]}" exec -e FOO=bar d1 sh -c 'echo $FOO'
expect "exec -i" 0 '^in$' sh -c "echo in | ${P[*]} exec -i d1 cat"
expect "exec -t" 0 '/dev/pts/0' script -qec "${P[*]} exec -it d1 tty" /dev/null
expect "exec --privileged" 0 'CapEff:.*1ff' "${P[@]}" exec --privileged d1 grep CapEff /proc/self/status
expect "exec -d" 0 '' "${P[@]}" exec -d d1 sleep 1
expect "top" 0 'sh' "${P[@]}" top d1
expect "stats" 0 '^d1 ' "${P[@]}" stats --no-stream --format '{{.Name}} {{.PIDs}}' d1
expect "pause" 0 '' "${P[@]}" pause d1
expect "paused" 0 '^paused' "${ST[@]}" d1
expect "cgroup frozen" 0 '^1$' cat "/sys/fs/cgroup/machine.slice/libpod-$id.scope/cgroup.freeze"
expect "exec in a paused container fails" 255 'state improper' "${P[@]}" exec d1 true
expect "unpause" 0 '' "${P[@]}" unpause d1
expect "unpaused" 0 '^running' "${ST[@]}" d1
expect "kill -s USR1" 0 '' "${P[@]}" kill -s USR1 d1
expect_eventually "USR1 delivered" 10 0 'got-usr1' "${P[@]}" logs d1
expect "restart" 0 '' "${P[@]}" restart -t 5 d1
expect "restarted" 0 '^running' "${ST[@]}" d1
expect "stop" 0 '' "${P[@]}" stop -t 5 d1
expect "stopped" 0 '^exited 0' "${ST[@]}" d1
expect "stop sent SIGTERM" 0 'got-term' "${P[@]}" logs d1
expect "start again" 0 '' "${P[@]}" start d1
expect "kill -s KILL" 0 '' "${P[@]}" kill -s KILL d1
expect_eventually "killed" 10 0 '^exited 137' "${ST[@]}" d1
expect "rm" 0 '' "${P[@]}" rm d1
expect "scope gone" 0 'LoadState=not-found' systemctl show "libpod-$id.scope" -p LoadState

expect "stop escalates to SIGKILL" 0 '' sh -c "${P[*]} run -d ${NET[*]} --name d2 $IMG sleep 1000 >/dev/null &&
        ${P[*]} stop -t 1 d2"
expect "escalated stop's exit code" 0 '^exited 137' "${ST[@]}" d2
expect "rm a stopped container" 0 '' "${P[@]}" rm d2
expect "rm -f a paused container" 0 '' sh -c "${P[*]} run -d ${NET[*]} --name d3 $IMG sleep 1000 >/dev/null &&
        ${P[*]} pause d3 && ${P[*]} rm -f -t 1 d3"
# with the host's pid namespace podman stops with kill --all
expect "stop --pid host" 0 '' sh -c "${P[*]} run -d ${NET[*]} --pid host --name d4 $IMG sleep 1000 >/dev/null &&
        ${P[*]} stop -t 1 d4"
expect "stop --pid host used kill --all" 0 "'kill' '--all'" cat "$W/calls.log"
expect "rm --pid host" 0 '' "${P[@]}" rm -f d4
expect "wait" 9 '' sh -c "${P[*]} run -d ${NET[*]} --name d5 $IMG sh -c 'sleep 0.5; exit 9' >/dev/null &&
        exit \$(${P[*]} wait d5)"
"${P[@]}" rm -f d5 >/dev/null 2>&1
expect "run -d --restart on-failure:2" 0 '' \
        "${P[@]}" run -d "${NET[@]}" --restart on-failure:2 --name d6 $IMG sh -c 'exit 1'
expect_eventually "restarted twice" 20 0 '^exited 2$' "${P[@]}" inspect -f '{{.State.Status}} {{.RestartCount}}' d6
"${P[@]}" rm -f d6 >/dev/null 2>&1
expect "create, init, start -a" 7 'split' \
        sh -c "${P[*]} create ${NET[*]} --name s1 $IMG sh -c 'echo split; exit 7' >/dev/null &&
        ${P[*]} init s1 >/dev/null && ${P[*]} start -a s1"
"${P[@]}" rm -f s1 >/dev/null 2>&1

# --- resources: properties of the scope (sysrun needs no controller enabled in the sandbox; runc does)
if [ "$RT" != sysrun ] && ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
        tap_skip "podman: resources" "$RT needs cgroup controllers, which this sandbox has none of"
else
        expect "run with limits" 0 '' "${P[@]}" run -d "${NET[@]}" --name r1 --memory 64m --pids-limit 50 --cpus 0.5 \
                --cgroup-conf memory.high=50000000 $IMG sleep 1000
        id=$("${P[@]}" inspect -f '{{.Id}}' r1 2>/dev/null)
        expect "--memory" 0 '^MemoryMax=67108864$' systemctl show "libpod-$id.scope" -p MemoryMax
        expect "--pids-limit" 0 '^TasksMax=50$' systemctl show "libpod-$id.scope" -p TasksMax
        expect "--cpus" 0 '^CPUQuotaPerSecUSec=500ms$' systemctl show "libpod-$id.scope" -p CPUQuotaPerSecUSec
        expect "--cgroup-conf" 0 '^MemoryHigh=50000000$' systemctl show "libpod-$id.scope" -p MemoryHigh
        expect "scope is delegated" 0 '^Delegate=yes$' systemctl show "libpod-$id.scope" -p Delegate
        expect "runtime update" 0 '^MemoryMax=134217728$' \
                sh -c "$RUNTIME update --memory 128m $id && systemctl show libpod-$id.scope -p MemoryMax"
        "${P[@]}" rm -f -t 0 r1 >/dev/null 2>&1
fi
expect "--cgroup-parent" 0 '^0::/dropintest\.slice/libpod-' \
        "${P[@]}" run --rm "${NET[@]}" --cgroupns host --cgroup-parent dropintest.slice $IMG cat /proc/self/cgroup
expect "--cgroupns private" 0 '^0::/$' "${P[@]}" run --rm "${NET[@]}" --cgroupns private $IMG cat /proc/self/cgroup

# --- cgroupfs paths: podman leaves out --systemd-cgroup and passes a cgroupfs path
expect "--cgroups split" 0 '^hi$' "${P[@]}" run --rm "${NET[@]}" --cgroups split $IMG echo hi
expect "--cgroups split: default scope" 0 "$DEFAULT_CG" \
        "${P[@]}" run --rm "${NET[@]}" --cgroupns host --cgroups split $IMG cat /proc/self/cgroup
expect "--cgroup-manager=cgroupfs" 0 '^hi$' "${PC[@]}" run --rm "${NET[@]}" $IMG echo hi
expect "--cgroup-manager=cgroupfs -d" 0 '' "${PC[@]}" run -d "${NET[@]}" --name f1 $IMG sleep 1000
id=$("${P[@]}" inspect -f '{{.Id}}' f1 2>/dev/null)
pid=$("${P[@]}" inspect -f '{{.State.Pid}}' f1 2>/dev/null)
expect "--cgroup-manager=cgroupfs: default scope" 0 "$DEFAULT_CG" cat "/proc/${pid:-0}/cgroup"
expect "--cgroup-manager=cgroupfs: rm" 0 '' "${PC[@]}" rm -f -t 0 f1
if [ "$RT" = sysrun ]; then
        expect "--cgroup-manager=cgroupfs: scope gone" 0 'LoadState=not-found' \
                systemctl show "sysrun-$id.scope" -p LoadState
fi

# --- security and process settings
expect "--read-only" 1 'Read-only' "${P[@]}" run --rm "${NET[@]}" --read-only $IMG touch /x
expect "--read-only, /tmp writable" 0 '' "${P[@]}" run --rm "${NET[@]}" --read-only $IMG touch /tmp/x
expect "--user" 0 '^uid=1000' "${P[@]}" run --rm "${NET[@]}" --user 1000 $IMG id
expect "--user uid:gid" 0 '^1000:100$' \
        "${P[@]}" run --rm "${NET[@]}" --user 1000:100 $IMG sh -c 'echo $(id -u):$(id -g)'
expect "-w" 0 '^/etc$' "${P[@]}" run --rm "${NET[@]}" -w /etc $IMG pwd
expect "-e" 0 '^bar$' "${P[@]}" run --rm "${NET[@]}" -e FOO=bar $IMG sh -c 'echo $FOO'
expect "--hostname" 0 '^hn1$' "${P[@]}" run --rm "${NET[@]}" --hostname hn1 $IMG hostname
# the default set (containers.conf's default_capabilities): effective = permitted = bounding, no CAP_SYS_ADMIN
c "${P[@]}" run --rm "${NET[@]}" $IMG grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
caps=$(awk '{print $2}' <<<"$o" | sort -u)
if [ $rc = 0 ] && [ "$(wc -l <<<"$caps")" = 1 ] && [ "$caps" != 0000000000000000 ] && (( !((0x$caps >> 21) & 1) )); then
        tap_ok "podman: default capabilities"
else
        tap_not_ok "podman: default capabilities" "rc=$rc" "$o"
fi
expect "--cap-drop all" 0 'CapEff:[[:space:]]+0{16}' \
        "${P[@]}" run --rm "${NET[@]}" --cap-drop all $IMG grep CapEff /proc/self/status
expect "--cap-add" 0 'CapEff:[[:space:]]+0000000000200000' \
        "${P[@]}" run --rm "${NET[@]}" --cap-drop all --cap-add sys_admin $IMG grep CapEff /proc/self/status
expect "--privileged" 0 'CapEff:.*1ff' "${P[@]}" run --rm "${NET[@]}" --privileged $IMG grep CapEff /proc/self/status
expect "default seccomp profile" 0 'Seccomp:[[:space:]]+2' \
        "${P[@]}" run --rm "${NET[@]}" $IMG grep Seccomp: /proc/self/status
expect "seccomp=unconfined" 0 'Seccomp:[[:space:]]+0' \
        "${P[@]}" run --rm "${NET[@]}" --security-opt seccomp=unconfined $IMG grep Seccomp: /proc/self/status
expect "no-new-privileges" 0 'NoNewPrivs:[[:space:]]+1' \
        "${P[@]}" run --rm "${NET[@]}" --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status
expect "--init" 0 '^ *1 .*(catatonit|podman-init)' "${P[@]}" run --rm "${NET[@]}" --init $IMG ps -o pid,args
expect "--oom-score-adj" 0 '^100$' "${P[@]}" run --rm "${NET[@]}" --oom-score-adj 100 $IMG cat /proc/self/oom_score_adj
expect "--shm-size" 0 '8192' "${P[@]}" run --rm "${NET[@]}" --shm-size 8m $IMG df -k /dev/shm
expect "-v" 0 '^vol$' \
        sh -c "mkdir -p $W/vol && echo vol >$W/vol/f && ${P[*]} run --rm ${NET[*]} -v $W/vol:/v:ro $IMG cat /v/f"
expect "--tmpfs" 0 ' /scratch tmpfs' "${P[@]}" run --rm "${NET[@]}" --tmpfs /scratch $IMG grep /scratch /proc/mounts
expect "--device" 0 '^crw' "${P[@]}" run --rm "${NET[@]}" --device /dev/null:/dev/mynull $IMG ls -l /dev/mynull
expect "--systemd always" 0 '^podman$' "${P[@]}" run --rm "${NET[@]}" --systemd always $IMG sh -c 'echo $container'
if (( (0x$(awk '/CapBnd/{print $2}' /proc/self/status) >> 24) & 1 )); then # CAP_SYS_RESOURCE
        expect "--ulimit" 0 '^1234$' "${P[@]}" run --rm "${NET[@]}" --ulimit nofile=1234:1234 $IMG sh -c 'ulimit -n'
else
        tap_skip "podman: --ulimit" \
                "no CAP_SYS_RESOURCE here, and podman adds RLIMIT_NPROC=1048576 (above the hard limit) to any --ulimit"
fi
# sysctls: the stock default (ping_group_range, above, in every container) and --sysctl
expect "default sysctl from containers.conf" 0 '^0[[:space:]]+0$' \
        "${P[@]}" run --rm "${NET[@]}" $IMG cat /proc/sys/net/ipv4/ping_group_range
expect "--sysctl" 0 '^1$' \
        "${P[@]}" run --rm "${NET[@]}" --sysctl net.ipv4.ip_forward=1 $IMG cat /proc/sys/net/ipv4/ip_forward

# --- namespaces shared with other containers and pods
expect "run -d for sharing" 0 '' "${P[@]}" run -d "${NET[@]}" --name n1 $IMG sleep 1000
expect "join another container's namespaces" 0 'sleep 1000' \
        "${P[@]}" run --rm --network container:n1 --pid container:n1 --ipc container:n1 --uts container:n1 $IMG ps
"${P[@]}" rm -f -t 0 n1 >/dev/null 2>&1
expect "pod create" 0 '' "${P[@]}" pod create --name pod1 --share net,ipc,uts,pid "${NET[@]}"
expect "run in a pod" 0 '' "${P[@]}" run -d --pod pod1 --name pc1 $IMG sleep 1000
expect "pod shares the pid namespace" 0 'catatonit.*sleep 1000' \
        sh -c "${P[*]} run --rm --pod pod1 $IMG ps -o args | tr '\n' ' '"
expect "pod rm" 0 '' "${P[@]}" pod rm -f -t 1 pod1

# --- leftovers: every case above removed what it made
scopes_left() { systemctl list-units --all --type=scope --no-legend --plain | awk '$1 != "init.scope" {print $1}'; }
state_left() { ls -A "$STATE" 2>/dev/null; true; }
procs_mentioning_storage() { pgrep -af -- "$W/"; true; } # conmon, podman's cleanup processes
container_procs() { grep -lE 'machine\.slice|/sysrun-|/libpod' /proc/[0-9]*/cgroup 2>/dev/null; true; }
container_mounts() { # only the overlay driver's own bind mount of its directory may stay: no rootfs, no shm
        awk -v d="$W/" -v o="$W/storage/overlay" 'index($5, d) == 1 && $5 != o {print $5}' /proc/self/mountinfo
}
expect "no container left" 0 '^$' "${P[@]}" ps -a -q
expect_eventually "no scope left" 10 0 '^$' scopes_left
expect "no runtime state left" 0 '^$' state_left
expect_eventually "no conmon or podman process left" 10 0 '^$' procs_mentioning_storage
expect_eventually "no container process left" 10 0 '^$' container_procs
expect "no container mount left" 0 '^$' container_mounts
"${P[@]}" rmi -a -f >/dev/null 2>&1
unmount_under "$W"
rm -rf "$W"
if grep -qF "$W" /proc/self/mountinfo || [ -e "$W" ]; then
        tap_not_ok "podman: storage unmounted and removed" "$(grep -F "$W" /proc/self/mountinfo)"
else
        tap_ok "podman: storage unmounted and removed"
fi
trap - EXIT
tap_end
