#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# containerd's io.containerd.runc.v2 shim driving sysrun (as its BinaryName, the runc option the CRI
# plugin sets too), through ctr. Runs INSIDE the systemd sandbox as root and starts its own containerd
# there (a private socket, root and state under a temporary directory); prints TAP.
#
#   tests/dropin/containerd.sh [RUNTIME]     RUNTIME: default $SYSRUN (runc by hand gives the baseline)
#
# e.g. SANDBOX_DIR=/tmp/sb/x tests/sandbox/systemd-sandbox.sh exec tests/dropin/containerd.sh /path/to/sysrun
# (the paths must be visible inside: SANDBOX_BIND). tests/dropin/run.sh runs it in CI.
# No registry: a one-layer busybox OCI image is made here and imported. containerd is stopped by its pid
# at the end; the temporary directory is unmounted and removed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/helpers.bash"
require_sandbox containerd.sh

RUNTIME=$(readlink -f "${1:-${SYSRUN:-$HERE/../../build/src/sysrun/sysrun}}")
[ -x "$RUNTIME" ] || { echo "containerd.sh: no runtime at '$RUNTIME'" >&2; exit 2; }
RT=$(basename "$RUNTIME")
for b in containerd ctr containerd-shim-runc-v2 script; do
        if ! command -v $b >/dev/null; then
                tap_skip containerd "containerd not installed ($b is missing)"
                tap_end
                exit
        fi
done

W=$(mktemp -d /tmp/sysrun-dropin-containerd.XXXXXX) || exit 2
C=(ctr --address "$W/containerd.sock")
IMG=docker.io/sysrun-dropin/busybox:latest
ROOT=/run/containerd/runc/default # the shim's --root for the runtime, namespace "default"
S=$$                              # in every container id
CPID=

# The runtime, through a wrapper that records each invocation with its status (and the runtime's log
# on failure), shown when a check fails.
cat >"$W/runtime" <<EOF
#!/bin/bash
log=\$(for a in "\$@"; do case \$p in --log) echo "\$a" ;; esac; p=\$a; done)
"$RUNTIME" "\$@"
rc=\$?
{ printf 'rc=%d' \$rc; printf ' %q' "\$@"; echo
  [ \$rc -ne 0 ] && [ -n "\$log" ] && tail -2 "\$log" 2>/dev/null | sed 's/^/    /'; } >>"$W/calls.log"
exit \$rc
EOF
chmod +x "$W/runtime"
# ctr's --runc-binary and --runc-systemd-cgroup set the runc options BinaryName and SystemdCgroup.
# --cpu-shares 0: no cpu weight, which runc would write to cgroupfs (no controllers in the sandbox).
B=(--runc-binary "$W/runtime" --runc-systemd-cgroup --cpu-shares 0)
cg() { echo "system.slice:ctr:$1"; } # ctr-ID.scope in system.slice
unit() { echo "ctr-$1.scope"; }

pass() { tap_ok "containerd: $1"; }
fail() { # fail NAME DETAIL...
        local n=$1
        shift
        tap_not_ok "containerd: $n" "$@" "last runtime calls:" "$(tail -n 6 "$W/calls.log" 2>/dev/null | cut -c1-300)"
}
check() { # check NAME WANT GOT
        if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}
status() { "${C[@]}" task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}'; }
tpid() { "${C[@]}" task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $2}'; }
is_status() { [ "$(status "$1")" = "$2" ]; }
gone() { # no such process, or a zombie
        [ -z "$1" ] || [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
unit_inactive() { [ "$(systemctl is-active "$1")" = inactive ]; }
remove() { # remove ID: the task and the container, whatever their state
        "${C[@]}" task kill -s SIGKILL "$1" >/dev/null 2>&1
        wait_for 10 eval '! is_status '"$1"' RUNNING'
        "${C[@]}" task delete -f "$1" >/dev/null 2>&1
        "${C[@]}" container rm "$1" >/dev/null 2>&1
}

start_containerd() { # not a child of this shell: systemd reaps it
        CPID=$(setsid containerd --config "$W/config.toml" >>"$W/containerd.log" 2>&1 </dev/null & echo $!)
        wait_for 20 "${C[@]}" version >/dev/null 2>&1
}
stop_containerd() { # by its pid; SIGKILL after 10 s, and then fails
        local r=0
        [ -n "$CPID" ] || return 0
        kill "$CPID" 2>/dev/null
        if ! wait_for 10 gone "$CPID"; then
                kill -9 "$CPID" 2>/dev/null
                wait_for 5 gone "$CPID"
                r=1
        fi
        CPID=
        return $r
}

cleanup() {
        local id
        trap - EXIT
        if [ -n "$CPID" ]; then
                for id in $("${C[@]}" container ls -q 2>/dev/null); do remove "$id"; done
                stop_containerd
        fi
        unmount_under "$W"
        rm -rf "$W"
}
trap cleanup EXIT

# --- a busybox OCI image (one uncompressed layer)
make_image() {
        local I=$W/image ld ls cd cs md ms
        blob() { # FILE: moved into blobs; prints "digest size"
                local d s
                d=$(sha256sum "$1" | cut -d' ' -f1)
                s=$(stat -c %s "$1")
                mv "$1" "$I/blobs/sha256/$d"
                echo "$d $s"
        }
        make_rootfs "$W/rootfs" || return 1
        mkdir -p "$I/blobs/sha256"
        tar -C "$W/rootfs" --numeric-owner --owner=0 --group=0 -cf "$I/layer" . || return 1
        read -r ld ls < <(blob "$I/layer")
        printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
                "$ld" >"$I/config"
        read -r cd cs < <(blob "$I/config")
        printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
                "$cd" "$cs" "$ld" "$ls" >"$I/manifest"
        read -r md ms < <(blob "$I/manifest")
        printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"latest"}}]}' \
                "$md" "$ms" "$IMG" >"$I/index.json"
        echo '{"imageLayoutVersion":"1.0.0"}' >"$I/oci-layout"
        tar -C "$I" -cf "$W/image.tar" oci-layout index.json blobs
}

cat >"$W/config.toml" <<EOT
version = 2
root = "$W/root"
state = "$W/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$W/containerd.sock"
[ttrpc]
  address = "$W/containerd.sock.ttrpc"
EOT
if ! start_containerd; then
        tap_not_ok "containerd: start containerd" "$(tail -5 "$W/containerd.log")"
        tap_end
        exit
fi
if ! make_image || ! out=$("${C[@]}" images import "$W/image.tar" 2>&1); then
        tap_not_ok "containerd: import the busybox image" "${out:-}"
        tap_end
        exit
fi

# --- run --rm, run -d and the task commands
out=$(timeout 30 "${C[@]}" run --rm "${B[@]}" --cgroup "$(cg r1-$S)" $IMG r1-$S sh -c 'echo hi; exit 7' 2>&1)
check "run --rm: exit status" 7 "$?"
check "run --rm: output" hi "$out"

id=d-$S
timeout 30 "${C[@]}" run -d "${B[@]}" --cgroup "$(cg $id)" $IMG $id \
        sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done' >/dev/null 2>&1
check "run -d" RUNNING "$(status $id)"
pid=$(tpid $id)
check "run -d: scope active" active "$(systemctl is-active "$(unit $id)")"
check "run -d: cgroup is the scope" "0::/system.slice/$(unit $id)" "$(grep '^0::' "/proc/${pid:-0}/cgroup" 2>&1)"
n=$("${C[@]}" task ps $id 2>/dev/null | awk 'NR > 1' | wc -l)
[ "$n" -ge 1 ] && pass "task ps" || fail "task ps" "no process listed"
out=$(timeout 20 "${C[@]}" task exec --exec-id e1 $id sh -c 'echo out; echo err >&2; exit 5' 2>&1)
check "exec: exit status" 5 "$?"
check "exec: stdout and stderr" "err out" "$(sort <<<"$out" | paste -sd ' ')"
out=$(timeout 20 script -qec "${C[*]} task exec -t --exec-id e2 $id sh -c 'tty; exit 6'" /dev/null </dev/null 2>&1)
check "exec -t: exit status" 6 "$?"
grep -q /dev/pts/ <<<"$out" && pass "exec -t: a terminal" || fail "exec -t: a terminal" "$out"
out=$(timeout 20 "${C[@]}" task exec --user 1000:1000 --cwd /tmp --exec-id e3 $id sh -c 'id -u; pwd' 2>&1)
check "exec --user --cwd" "1000 /tmp" "$(echo $out)"
out=$(timeout 20 "${C[@]}" task exec --exec-id e4 $id /nonexistent 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -qi 'no such file' <<<"$out" && pass "exec of a missing binary fails" ||
        fail "exec of a missing binary fails" "rc=$rc: $out"
out=$("${C[@]}" task pause $id 2>&1)
check "pause" "0 PAUSED" "$? $(status $id)"
check "pause: cgroup frozen" "frozen 1" "$(grep frozen "/sys/fs/cgroup/system.slice/$(unit $id)/cgroup.events" 2>&1)"
out=$("${C[@]}" task resume $id 2>&1)
check "resume" "0 RUNNING" "$? $(status $id)"
out=$("${C[@]}" task metrics $id 2>&1) && pass "task metrics" || fail "task metrics" "$out"
"${C[@]}" task kill $id
wait_for 10 is_status $id STOPPED
check "kill (SIGTERM)" STOPPED "$(status $id)"
out=$("${C[@]}" task delete $id 2>&1)
grep -qw 'exit code 42' <<<"$out" && pass "delete reports the exit code" || fail "delete reports the exit code" "$out"
"${C[@]}" container rm $id
wait_for 10 unit_inactive "$(unit $id)"
check "delete: scope gone" inactive "$(systemctl is-active "$(unit $id)")"
[ -e "$ROOT/$id" ] && fail "delete: no runtime state left" "$ROOT/$id exists" || pass "delete: no runtime state left"
wait_for 10 gone "$pid" && pass "delete: init gone" || fail "delete: init gone" "pid $pid is still there"

# --- kill --all
id=ka-$S
"${C[@]}" run -d "${B[@]}" --cgroup "$(cg $id)" $IMG $id sleep 1000 >/dev/null 2>&1
"${C[@]}" task exec -d --exec-id bg $id sleep 1001
"${C[@]}" task kill -a -s SIGKILL $id
wait_for 10 is_status $id STOPPED
check "kill --all" STOPPED "$(status $id)"
remove $id

# Shared pid namespace (here the sandbox's): after the init's exit the shim sends `kill --all`, which must
# kill what the init left behind, as runc does through the cgroup.
id=or-$S mark=$((100000 + S))
"${C[@]}" run -d "${B[@]}" --with-ns pid:/proc/1/ns/pid --cgroup "$(cg $id)" $IMG $id \
        sh -c "sleep $mark >/dev/null 2>&1 </dev/null & exit 3" >/dev/null 2>&1
wait_for 10 is_status $id STOPPED
check "shared pid namespace: init exited" STOPPED "$(status $id)"
orphan_gone() { ! pgrep -fx "sleep $mark" >/dev/null; }
wait_for 10 orphan_gone && pass "shared pid namespace: kill --all after the init's exit kills what is left" ||
        fail "shared pid namespace: kill --all after the init's exit kills what is left" "$(pgrep -afx "sleep $mark")"
remove $id
for p in $(pgrep -fx "sleep $mark"); do kill -9 "$p"; done

# --- resources: properties of the scope, where the controllers are (sysrun refuses a limit systemd
# would store and not enforce)
if [ "$RT" = sysrun ] && ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
        id=res-$S
        out=$(timeout 30 "${C[@]}" run --rm "${B[@]}" --cgroup "$(cg $id)" --memory-limit 134217728 $IMG $id true 2>&1)
        grep -q "linux.resources.memory.limit: cannot be applied: the memory controller is not available" <<<"$out" &&
                pass "run --memory-limit without a memory controller: refused, naming the field" ||
                fail "run --memory-limit without a memory controller: refused, naming the field" "$out"
        "${C[@]}" container rm $id >/dev/null 2>&1
elif ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
        tap_skip "containerd: resources" "$RT needs cgroup controllers, which this sandbox has none of"
else
        id=res-$S
        "${C[@]}" run -d "${B[@]}" --cgroup "$(cg $id)" --memory-limit 134217728 --cpus 0.5 $IMG $id \
                sleep 1000 >/dev/null 2>&1
        check "run --memory-limit" 134217728 "$(systemctl show -P MemoryMax "$(unit $id)" 2>&1)"
        check "run --cpus 0.5" 500ms "$(systemctl show -P CPUQuotaPerSecUSec "$(unit $id)" 2>&1)"
        remove $id
fi

# --- terminal, errors
out=$(timeout 30 script -qec "${C[*]} run -t --rm ${B[*]} --cgroup $(cg t-$S) $IMG t-$S sh -c 'tty; exit 9'" \
        /dev/null </dev/null 2>&1)
check "run -t: exit status" 9 "$?"
grep -q /dev/pts/ <<<"$out" && pass "run -t: a terminal" || fail "run -t: a terminal" "$out"
out=$(timeout 30 "${C[@]}" run --rm "${B[@]}" --cgroup "$(cg y-$S)" $IMG y-$S /nonexistent 2>&1)
grep -qi 'no such file' <<<"$out" && pass "a create error reaches ctr" || fail "a create error reaches ctr" "$out"
"${C[@]}" container rm y-$S >/dev/null 2>&1

# --- SystemdCgroup = false (containerd's default): the cgroupsPath is "/default/<id>", a cgroupfs path,
# and sysrun puts the container in its default scope
id=f-$S
"${C[@]}" run -d --runc-binary "$W/runtime" --cpu-shares 0 $IMG $id \
        sh -c 'trap "exit 4" TERM; while :; do sleep 0.1; done' >/dev/null 2>&1
check "SystemdCgroup=false: run -d" RUNNING "$(status $id)"
pid=$(tpid $id)
if [ "$RT" = sysrun ]; then
        check "SystemdCgroup=false: the default scope" "0::/machine.slice/sysrun-$id.scope" \
                "$(grep '^0::' "/proc/${pid:-0}/cgroup" 2>&1)"
fi
"${C[@]}" task kill $id
wait_for 10 is_status $id STOPPED
out=$("${C[@]}" task delete $id 2>&1)
grep -qw 'exit code 4' <<<"$out" && pass "SystemdCgroup=false: kill and delete" ||
        fail "SystemdCgroup=false: kill and delete" "$out"
"${C[@]}" container rm $id >/dev/null 2>&1
if [ "$RT" = sysrun ]; then
        wait_for 10 unit_inactive "sysrun-$id.scope"
        check "SystemdCgroup=false: scope gone" inactive "$(systemctl is-active "sysrun-$id.scope")"
fi

# --- the shim SIGKILLed, then containerd SIGKILLed and restarted: the other task survives, and the
# shim's delete (containerd's cleanup of a dead shim) removes the orphaned container
id=sk-$S id2=ck-$S
"${C[@]}" run -d "${B[@]}" --cgroup "$(cg $id)" $IMG $id sleep 1000 >/dev/null 2>&1
"${C[@]}" run -d "${B[@]}" --cgroup "$(cg $id2)" $IMG $id2 sleep 1000 >/dev/null 2>&1
pid=$(tpid $id) pid2=$(tpid $id2)
spid=$(ps -o pid=,args= -C containerd-shim-runc-v2 | awk -v id=$id '$0 ~ " -id " id " " {print $1}')
if [ -z "$spid" ] || [ -z "$pid" ] || [ -z "$pid2" ]; then
        fail "shim and containerd SIGKILLed" "shim pid [$spid], init pids [$pid] [$pid2]"
else
        kill -9 "$spid" "$CPID"
        wait_for 10 gone "$spid"
        wait_for 10 gone "$CPID"
        CPID=
        start_containerd && pass "containerd restarted" || fail "containerd restarted" "$(tail -5 "$W/containerd.log")"
        wait_for 10 is_status $id2 RUNNING
        check "after the restart: the other task still runs" RUNNING "$(status $id2)"
        check "after the restart: exec works" ok "$(timeout 10 "${C[@]}" task exec --exec-id x $id2 echo ok 2>&1)"
fi
"${C[@]}" task delete -f $id >/dev/null 2>&1
"${C[@]}" container rm $id >/dev/null 2>&1
remove $id2
wait_for 10 gone "$pid" && pass "shim SIGKILL: init gone" || fail "shim SIGKILL: init gone" "pid $pid is still there"
wait_for 10 gone "$pid2" && pass "containerd restart: init gone" ||
        fail "containerd restart: init gone" "pid $pid2 is still there"
wait_for 10 unit_inactive "$(unit $id)"
check "shim SIGKILL: scope gone" inactive "$(systemctl is-active "$(unit $id)")"

# --- leftovers
scopes_left() { systemctl list-units --all --type=scope --no-legend --plain | awk '$1 != "init.scope" {print $1}'; }
no_scopes() { [ -z "$(scopes_left)" ]; }
wait_for 10 no_scopes
check "no scope left" "" "$(scopes_left)"
check "no runtime state left" "" "$(ls -A $ROOT 2>&1)"
check "no task left" "" "$("${C[@]}" task ls -q 2>&1)"
check "no container left" "" "$("${C[@]}" container ls -q 2>&1)"
stop_containerd && pass "containerd stops on SIGTERM" || fail "containerd stops on SIGTERM" "it needed SIGKILL"
no_procs() { ! pgrep -f -- "$W/" >/dev/null; } # shims, containerd
wait_for 10 no_procs && pass "no shim or containerd process left" ||
        fail "no shim or containerd process left" "$(pgrep -af -- "$W/")"
check "no mount left" "" "$(awk -v d="$W/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo)"
unmount_under "$W"
rm -rf "$W"
trap - EXIT
tap_end
