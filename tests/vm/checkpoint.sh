#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs INSIDE the test VM (VM_SCRIPT=checkpoint.sh tests/vm/run.sh), as root, with criu 3.17 from the
# guest image: checkpoint (and restore) of a counting container, the sequence of runc's checkpoint
# tests, then the same through podman (podman --runtime sysrun: checkpoint, restore, --export and
# --import, --leave-running). Prints TAP.
#
#   tests/vm/checkpoint.sh [SYSRUN]      (default: build/src/sysrun/sysrun of this checkout)
set -u

TOP=${PROJECT_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SYSRUN_SRC=${1:-$TOP/build/src/sysrun/sysrun}
W=$(mktemp -d /var/tmp/sysrun-cr.XXXXXX)
STATE_ROOT=/run/sysrun-cr
IDS=()
PNAMES=() PIMG=localhost/sysrun-cr-busybox # podman's containers and image

cleanup() {
        local id units
        for id in "${IDS[@]}"; do
                [ -e "$STATE_ROOT/$id" ] && "$SYSRUN" --root "$STATE_ROOT" delete --force "$id" >/dev/null 2>&1
        done
        mapfile -t units < <(systemctl list-units --all --no-legend --plain 'sysrun-cr-*' | awk '{ print $1 }')
        if [ ${#units[@]} -gt 0 ]; then
                systemctl stop "${units[@]}" >/dev/null 2>&1
                systemctl reset-failed "${units[@]}" >/dev/null 2>&1
        fi
        for id in "${PNAMES[@]}"; do
                podman rm -f -t 0 "$id" >/dev/null 2>&1
        done
        [ ${#PNAMES[@]} -gt 0 ] && podman rmi -f "$PIMG" >/dev/null 2>&1
        rm -rf "$W" "$STATE_ROOT"
}
trap cleanup EXIT

SYSRUN=$W/sysrun
cp "$SYSRUN_SRC" "$SYSRUN" || { echo "Bail out! no sysrun binary at $SYSRUN_SRC"; exit 1; }
sysrun() { "$SYSRUN" --root "$STATE_ROOT" "$@"; }

n=0 failures=0 last=$SECONDS
took() { echo "#   $((SECONDS - last)) s"; last=$SECONDS; }
ok() { n=$((n + 1)); echo "ok $n - $*"; took; }
not_ok() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $*"; took; }
result() { if [ "$3" = 0 ]; then ok "$1 ($2)"; else not_ok "$1 ($2)"; fi; }
diag() { sed 's/^/# /' "$@"; }

command -v criu >/dev/null || { echo "Bail out! criu is not in the guest image"; exit 1; }
# What criu check looks for; /dev/net/tun appears only once tun is loaded (no static nodes here).
modprobe -a tun veth unix_diag inet_diag tcp_diag udp_diag netlink_diag nf_tables 2>&1 | sed 's/^/# /'
if ! criu check >"$W/check.log" 2>&1; then
        diag "$W/check.log"
        echo "Bail out! criu check fails in the guest ($(uname -r))"
        exit 1
fi
echo "# guest: $(uname -r), $(criu --version | head -1)"

make_rootfs() {
        local r=$W/rootfs bb
        bb=$(readlink -f /bin/busybox)
        mkdir -p "$r"/{bin,proc,sys,dev,etc,tmp,root,out} "$r${bb%/*}" &&
                cp "$bb" "$r$bb" &&
                { [ -e "$r/bin/busybox" ] || ln "$r$bb" "$r/bin/busybox"; } &&
                "$bb" --install -s "$r/bin"
}
make_rootfs || { echo "Bail out! cannot make the busybox rootfs"; exit 1; }

# with_pipes NAME COMMAND...: COMMAND with stdin, stdout and stderr on pipes (they end in
# $W/NAME.stdout and $W/NAME.err, closed when the last holder exits).
with_pipes() {
        local name=$1
        shift
        "$@" < <(exec sleep 600) > >(exec cat >"$W/$name.stdout") 2> >(exec cat >"$W/$name.err")
        local rc=$?
        sleep 0.3 # cat flushes
        return $rc
}

# counter NAME: a detached container counting in $W/NAME.out/count (a bind mount: an external mount
# for criu) every 0.2 s; sets ID and OUT.
counter() {
        ID=cr-$1-$$
        OUT=$W/$1.out
        IDS+=("$ID")
        mkdir -p "$W/$1" "$OUT"
        (cd "$W/$1" && "$SYSRUN" spec) || return 1
        jq --arg root "$W/rootfs" --arg out "$OUT" \
                '.root.path = $root | .root.readonly = false | .process.terminal = false |
                 .process.args = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >/out/count; usleep 200000; done"] |
                 .mounts += [{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}]' \
                "$W/$1/config.json" >"$W/$1/c.new" && mv "$W/$1/c.new" "$W/$1/config.json"
        # stdio on pipes, as runc's tests: criu cannot dump an fd on a file of a mount the container
        # does not see (the host's /dev/null), and restore reconnects pipes (descriptors.json).
        with_pipes "$1" sysrun run --detach --bundle "$W/$1" "$ID" || { diag "$W/$1.err"; return 1; }
        wait_for 30 counting
}
count() { cat "$OUT/count" 2>/dev/null || echo 0; }
# counting: the count moves within 5 s.
counting() {
        local a b end=$((SECONDS + 5))
        a=$(count)
        while [ $SECONDS -lt $end ]; do
                sleep 0.3
                b=$(count)
                [ "$b" != "$a" ] && [ "$b" -gt 0 ] 2>/dev/null && return 0
        done
        return 1
}
wait_for() {
        local end=$((SECONDS + $1))
        shift
        until "$@"; do
                [ $SECONDS -ge $end ] && return 1
        done
}
status() { sysrun state "$ID" 2>/dev/null | jq -r .status; }
unit_active() { systemctl is-active "sysrun-$ID.scope" 2>/dev/null; }

# ---- features ----
v=$(sysrun features | jq -r '.annotations["run.sysrun.checkpoint.enabled"]')
[ "$v" = true ]
res=$?
result "features says checkpoint is enabled" "run.sysrun.checkpoint.enabled=$v" $res

# ---- checkpoint: the counting stops, the container is gone ----
if counter dump; then
        unit=sysrun-$ID.scope
        sysrun checkpoint --image-path "$W/img-dump" "$ID" >"$W/dump.log" 2>&1
        rc=$?
        c1=$(count)
        sleep 1
        c2=$(count)
        st=$(sysrun state "$ID" 2>&1)
        active=$(systemctl is-active "$unit" 2>/dev/null)
        [ $rc = 0 ] && [ "$c1" = "$c2" ] && [ "$active" != active ] && [ -s "$W/img-dump/descriptors.json" ] &&
                [[ $st == *"does not exist"* ]]
        res=$?
        result "checkpoint: the process stops counting, its scope and state are gone" \
                "exit $rc, count $c1 -> $c2, scope '$active', state '$st', descriptors $(cat "$W/img-dump/descriptors.json" 2>/dev/null)" $res
        [ $rc = 0 ] || { diag "$W/dump.log"; tail -20 "$W/img-dump/dump.log" | diag; }

        # ---- restore under the same id ----
        with_pipes restore sysrun restore --detach --image-path "$W/img-dump" --bundle "$W/dump" "$ID"
        rc=$?
        cp "$W/restore.err" "$W/restore.log"
        # It goes on from where it was dumped ($c2), not from 1.
        if [ $rc = 0 ] && counting && [ "$(count)" -gt "$c2" ] && [ "$(status)" = running ] &&
                [ "$(unit_active)" = active ] && pid=$(sysrun state "$ID" | jq -r .pid) &&
                [ "$(cut -d: -f3 /proc/$pid/cgroup)" = "$(systemctl show -P ControlGroup "sysrun-$ID.scope")" ]; then
                ok "restore: it continues counting, in a fresh scope (dumped at $c2, now $(count), init $pid in $(cut -d: -f3 /proc/$pid/cgroup))"
                sysrun exec "$ID" true
                r1=$?
                sysrun pause "$ID" && [ "$(status)" = paused ] && sysrun resume "$ID"
                r2=$?
                # Registered with machined again, the restored init as its leader.
                leader=$(machinectl show -p Leader --value "$ID" 2>&1)
                [ "$leader" = "$pid" ]
                r3=$?
                [ $r3 = 0 ] || echo "# machinectl: leader '$leader', init $pid"
                sysrun kill "$ID" KILL && wait_for 10 sh -c "[ \"\$($SYSRUN --root $STATE_ROOT state $ID | jq -r .status)\" = stopped ]"
                r4=$?
                sysrun delete "$ID"
                r5=$?
                [ $r1$r2$r3$r4$r5 = 00000 ] && [ "$(unit_active)" != active ]
                result "restored: exec, pause/resume, machinectl, kill and delete work" "exec $r1 pause $r2 machine $r3 kill $r4 delete $r5" $?
        else
                not_ok "restore: it continues counting, in a scope (exit $rc, status $(status), scope $(unit_active): $(head -c 400 "$W/restore.log"))"
                tail -30 "$W/img-dump/restore.log" 2>/dev/null | diag
        fi
        sysrun delete --force "$ID" >/dev/null 2>&1
else
        not_ok "checkpoint: a counting container starts"
fi

# ---- --leave-running ----
if counter leave; then
        sysrun checkpoint --leave-running --image-path "$W/img-leave" "$ID" >"$W/leave.log" 2>&1
        rc=$?
        counting
        moving=$?
        st=$(status)
        [ $rc = 0 ] && [ $moving = 0 ] && [ "$st" = running ] && [ "$(unit_active)" = active ] && [ -e "$W/img-leave/inventory.img" ]
        result "checkpoint --leave-running: it keeps counting" "exit $rc, counting $moving, status $st" $?
        [ $rc = 0 ] || { diag "$W/leave.log"; tail -20 "$W/img-leave/dump.log" | diag; }
        sysrun delete --force "$ID" >/dev/null 2>&1
else
        not_ok "checkpoint --leave-running: a counting container starts"
fi

# ---- --pre-dump, then a dump with --parent-path ----
if counter pre; then
        sysrun checkpoint --pre-dump --image-path "$W/img-pre/parent" "$ID" >"$W/pre.log" 2>&1
        rc1=$?
        counting
        moving=$?
        sysrun checkpoint --parent-path ../parent --image-path "$W/img-pre/final" "$ID" >"$W/final.log" 2>&1
        rc2=$?
        c1=$(count)
        sleep 1
        [ $rc1 = 0 ] && [ $moving = 0 ] && [ $rc2 = 0 ] && [ "$c1" = "$(count)" ] && [ -L "$W/img-pre/final/parent" ]
        res=$?
        result "checkpoint --pre-dump keeps it running, then a dump with --parent-path stops it" \
                "pre-dump exit $rc1, counting after it $moving, dump exit $rc2, parent link $(readlink "$W/img-pre/final/parent")" $res
        [ $rc1 = 0 ] || { diag "$W/pre.log"; tail -20 "$W/img-pre/parent/pre-dump.log" | diag; }
        [ $rc2 = 0 ] || { diag "$W/final.log"; tail -20 "$W/img-pre/final/dump.log" | diag; }
        sysrun delete --force "$ID" >/dev/null 2>&1
else
        not_ok "checkpoint --pre-dump: a counting container starts"
fi

# ---- a paused container ----
if counter paused; then
        sysrun pause "$ID"
        sysrun checkpoint --image-path "$W/img-paused" "$ID" >"$W/paused.log" 2>&1
        rc=$?
        st=$(sysrun state "$ID" 2>&1)
        [ $rc = 0 ] && [[ $st == *"does not exist"* ]] && [ -e "$W/img-paused/inventory.img" ]
        result "checkpoint of a paused container" "exit $rc, then: $st" $?
        [ $rc = 0 ] || { diag "$W/paused.log"; tail -20 "$W/img-paused/dump.log" | diag; }
        sysrun delete --force "$ID" >/dev/null 2>&1
else
        not_ok "checkpoint of a paused container: a counting container starts"
fi

# ---- a terminal container: restored on a new pty, whose master goes to --console-socket ----
RECVTTY=$(cd "$(dirname "$SYSRUN_SRC")/../.." && pwd)/tests/helpers/recvtty
ID=cr-tty-$$
IDS+=("$ID")
OUT=$W/tty.out
mkdir -p "$W/tty" "$OUT"
(cd "$W/tty" && "$SYSRUN" spec)
jq --arg root "$W/rootfs" --arg out "$OUT" \
        '.root.path = $root | .root.readonly = false | .process.terminal = true |
         .process.args = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >/out/count; echo tick-$i; usleep 200000; done"] |
         .mounts += [{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}]' \
        "$W/tty/config.json" >"$W/tty/c.new" && mv "$W/tty/c.new" "$W/tty/config.json"
"$RECVTTY" -t 120 "$W/tty1.sock" >"$W/tty1.out" 2>"$W/tty1.err" &
r1pid=$!
for _ in $(seq 50); do [ -S "$W/tty1.sock" ] && break; sleep 0.1; done
if sysrun run -d --console-socket "$W/tty1.sock" --bundle "$W/tty" "$ID" </dev/null >"$W/tty-run.log" 2>&1 && wait_for 30 counting; then
        sysrun checkpoint --image-path "$W/img-tty" "$ID" >"$W/tty-dump.log" 2>&1
        rc=$?
        c1=$(count)
        kill "$r1pid" 2>/dev/null # it sees EIO once the dumped tree is gone, or is stopped here
        wait "$r1pid" 2>/dev/null
        "$RECVTTY" -t 20 "$W/tty2.sock" >"$W/tty2.out" 2>"$W/tty2.err" &
        r2pid=$!
        for _ in $(seq 50); do [ -S "$W/tty2.sock" ] && break; sleep 0.1; done
        sysrun restore --detach --console-socket "$W/tty2.sock" --image-path "$W/img-tty" --bundle "$W/tty" "$ID" \
                </dev/null >"$W/tty-restore.log" 2>&1
        rc2=$?
        counting
        moving=$?
        sleep 1
        sysrun delete --force "$ID" >/dev/null 2>&1
        wait "$r2pid"
        lasttick=$(grep -o "tick-[0-9]*" "$W/tty2.out" | tail -1)
        [ $rc = 0 ] && [ -s "$W/img-tty/tty.info" ] && [ $rc2 = 0 ] && [ $moving = 0 ] && [ "${lasttick#tick-}" -gt "$c1" ] 2>/dev/null
        res=$?
        result "a terminal container is restored through --console-socket: its output goes on on the new pty" \
                "dump exit $rc ($(cat "$W/img-tty/tty.info" 2>/dev/null)), restore exit $rc2, counting $moving, dumped at $c1, last on the new pty '$lasttick'" $res
        [ $rc = 0 ] || { diag "$W/tty-dump.log"; tail -20 "$W/img-tty/dump.log" | diag; }
        [ $rc2 = 0 ] || { diag "$W/tty-restore.log"; tail -20 "$W/img-tty/restore.log" | diag; }
        # Without --console-socket, a terminal checkpoint is refused.
        out=$(sysrun restore --detach --image-path "$W/img-tty" --bundle "$W/tty" "$ID-b" 2>&1)
        [[ $out == *"--console-socket is required"* ]]
        res=$?
        result "restore of a terminal checkpoint without --console-socket is refused" "$out" $res
else
        not_ok "a terminal container starts with --console-socket ($(cat "$W/tty-run.log" "$W/tty1.err"))"
        kill "$r1pid" 2>/dev/null
fi
sysrun delete --force "$ID" >/dev/null 2>&1

# ---- podman driving sysrun: `podman --runtime sysrun`, the systemd cgroup manager (podman's default
# here); conmon runs `sysrun restore`. No registry: the image is imported from the busybox rootfs. ----
PODMAN=(podman --runtime "$SYSRUN")
PODMAN_STATE=/run/sysrun # podman passes no --root: sysrun's default
# podman_counter NAME: a detached container counting in $W/p-NAME.out/count (a volume) and on its
# stdout every 0.2 s; sets CID (its full id), PNAME and OUT.
podman_counter() {
        PNAME=sysrun-cr-$1-$$
        OUT=$W/p-$1.out
        PNAMES+=("$PNAME")
        mkdir -p "$OUT"
        CID=$("${PODMAN[@]}" run -d --name "$PNAME" -v "$OUT:/out" $PIMG \
                sh -c 'i=0; while :; do i=$((i+1)); echo $i >/out/count; echo $i; usleep 200000; done' 2>"$W/p-$1.err") ||
                { diag "$W/p-$1.err"; return 1; }
        wait_for 30 counting
}
pinspect() { "${PODMAN[@]}" inspect -f "$1" "$CID" 2>/dev/null; }
pscope() { echo "libpod-$CID.scope"; }
# in_scope PID: PID and every other process of its pid namespace are in the container's active scope
# (their cgroup, the 0:: line, is its ControlGroup).
in_scope() {
        local cg ns p n=0
        [ "$(systemctl is-active "$(pscope)" 2>/dev/null)" = active ] || return 1
        cg=$(systemctl show -P ControlGroup "$(pscope)")
        ns=$(readlink "/proc/$1/ns/pid") && [ -n "$cg" ] || return 1
        for p in /proc/[0-9]*; do
                [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
                [ "$(sed -n 's/^0:://p' "$p/cgroup" 2>/dev/null)" = "$cg" ] || [ ! -e "$p" ] || return 1
                n=$((n + 1))
        done
        [ $n -gt 0 ]
}
# in_podman_netns PID: in the network namespace podman made for the container (not a fresh one).
in_podman_netns() {
        local key
        key=$(pinspect '{{.NetworkSettings.SandboxKey}}')
        [ -n "$key" ] && [ "$(readlink "/proc/$1/ns/net")" = "net:[$(stat -L -c %i "$key")]" ]
}
# logged_above N: podman logs shows a count above N (the restored stdout reaches conmon's log).
logged_above() { [ "$("${PODMAN[@]}" logs "$CID" 2>/dev/null | tail -1)" -gt "$1" ] 2>/dev/null; }
# podman_gone: no sysrun state, no scope, no machine, no container left of $CID.
podman_gone() {
        [ ! -e "$PODMAN_STATE/$CID" ] &&
                [ -z "$(systemctl list-units --all --no-legend --plain "*$CID*" 2>/dev/null)" ] &&
                ! machinectl list --no-legend 2>/dev/null | grep -q "$CID" &&
                ! "${PODMAN[@]}" ps -a -q --no-trunc | grep -q "$CID"
}
podman_left() {
        echo "state $(ls -d "$PODMAN_STATE/$CID" 2>/dev/null), units '$(systemctl list-units --all --no-legend --plain "*$CID*" 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')', machines '$(machinectl list --no-legend 2>/dev/null | grep -c "$CID")', podman '$("${PODMAN[@]}" ps -a -q --no-trunc | grep -c "$CID")'"
}
podman_logs() { # podman_logs FILE: the tails of podman's output and of criu's logs
        diag "$1"
        for f in "$(pinspect '{{.State.CheckpointLog}}')" "$(pinspect '{{.State.RestoreLog}}')"; do
                [ -f "$f" ] && grep -E 'Error|Warn' "$f" | tail -10 | diag
        done
}

# util-linux's flock for the image (Debian's busybox has none), with what it links
add_to_rootfs() {
        local f
        for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
                mkdir -p "$W/rootfs${f%/*}" && cp -L "$f" "$W/rootfs$f" || return 1
        done
}
if ! command -v podman >/dev/null; then
        not_ok "podman: podman is in the guest image"
elif ! add_to_rootfs /usr/bin/flock || ! o=$(tar -C "$W/rootfs" -c . | podman import - $PIMG 2>&1); then
        not_ok "podman: import the busybox image ($o)"
else
        echo "# podman $(podman version --format '{{.Client.Version}}'), cgroup manager $(podman info --format '{{.Host.CgroupManager}}'), conmon $(conmon --version | head -1)"
        # ---- checkpoint: it stops, podman sees it exited; restore: it goes on in its scope ----
        if podman_counter pcr; then
                "${PODMAN[@]}" container checkpoint "$CID" >"$W/p-dump.log" 2>&1
                rc=$?
                c1=$(count)
                sleep 1
                c2=$(count)
                st=$("${PODMAN[@]}" ps -a --filter "id=$CID" --format '{{.Status}}')
                [ $rc = 0 ] && [ "$c1" = "$c2" ] && [[ $st == Exited* ]] && [ "$(pinspect '{{.State.Checkpointed}}')" = true ] &&
                        [ ! -e "$PODMAN_STATE/$CID" ] && [ "$(systemctl is-active "$(pscope)" 2>/dev/null)" != active ]
                res=$?
                result "podman container checkpoint: it stops counting, podman ps shows it exited, sysrun's state and scope are gone" \
                        "exit $rc, count $c1 -> $c2, ps '$st', checkpointed $(pinspect '{{.State.Checkpointed}}'), scope $(systemctl is-active "$(pscope)"), state $(ls -d "$PODMAN_STATE/$CID" 2>/dev/null)" $res
                [ $rc = 0 ] || podman_logs "$W/p-dump.log"

                "${PODMAN[@]}" container restore "$CID" >"$W/p-restore.log" 2>&1
                rc=$?
                pid=$(pinspect '{{.State.Pid}}')
                if [ $rc = 0 ] && counting && [ "$(count)" -gt "$c2" ] && [ "$(pinspect '{{.State.Status}}')" = running ] &&
                        [ "$(pinspect '{{.State.Restored}}')" = true ] && in_scope "$pid" && in_podman_netns "$pid" &&
                        wait_for 10 logged_above "$c2"; then
                        ok "podman container restore: it continues counting (dumped at $c2, now $(count)), in $(pscope) and podman's network namespace, its stdout in podman logs"
                else
                        not_ok "podman container restore: it continues counting, in its scope (exit $rc, status $(pinspect '{{.State.Status}}'), count $c2 -> $(count), pid $pid: $(cat /proc/$pid/cgroup 2>/dev/null), net $(readlink /proc/$pid/ns/net 2>/dev/null) for $(pinspect '{{.NetworkSettings.SandboxKey}}'), last logged $("${PODMAN[@]}" logs "$CID" 2>/dev/null | tail -1))"
                        podman_logs "$W/p-restore.log"
                fi

                # exec, machined, and the exit status reaching podman through conmon
                out=$("${PODMAN[@]}" exec "$CID" cat /out/count 2>&1)
                [ "$out" -ge "$c2" ] 2>/dev/null
                r1=$?
                leader=$(machinectl show -p Leader --value "$CID" 2>&1)
                [ "$leader" = "$pid" ]
                r2=$?
                "${PODMAN[@]}" kill "$CID" >/dev/null 2>&1
                st=$(timeout 30 "${PODMAN[@]}" wait "$CID" 2>&1)
                [ $r1$r2 = 00 ] && [ "$st" = 137 ]
                res=$?
                result "restored: podman exec works, machined has it (the restored init its leader), podman wait gets its SIGKILL status" \
                        "exec '$out', leader '$leader' (init $pid), wait '$st'" $res

                "${PODMAN[@]}" rm -f -t 0 "$CID" >"$W/p-rm.log" 2>&1
                rc=$?
                [ $rc = 0 ] && podman_gone
                res=$?
                result "podman rm -f: no sysrun state under $PODMAN_STATE, no scope, no machine left" "exit $rc, $(podman_left)" $res
        else
                not_ok "podman: a counting container starts (podman run -d --runtime sysrun)"
        fi

        # ---- checkpoint --export, rm, restore --import ----
        if podman_counter pexp; then
                "${PODMAN[@]}" container checkpoint --export "$W/p-exp.tar.gz" "$CID" >"$W/p-exp.log" 2>&1
                rc=$?
                c1=$(count)
                sleep 1
                c2=$(count)
                # podman compresses with zstd by default, whatever the name (the guest has no zstd to list
                # it: the restore below is what shows criu's images are in it).
                magic=$(od -An -tx1 -N4 "$W/p-exp.tar.gz" 2>/dev/null | tr -d ' \n')
                size=$(stat -c %s "$W/p-exp.tar.gz" 2>/dev/null || echo 0)
                "${PODMAN[@]}" rm "$CID" >>"$W/p-exp.log" 2>&1
                rm_rc=$?
                [ $rc = 0 ] && [ "$c1" = "$c2" ] && [ "$magic" = 28b52ffd ] && [ "$size" -gt 10000 ] && [ $rm_rc = 0 ] &&
                        podman_gone
                res=$?
                result "podman container checkpoint --export, then podman rm: it stops counting, the archive is written, nothing is left" \
                        "exit $rc, count $c1 -> $c2, archive magic $magic, $size bytes, rm $rm_rc, $(podman_left)" $res
                [ $rc = 0 ] || podman_logs "$W/p-exp.log"

                "${PODMAN[@]}" container restore --import "$W/p-exp.tar.gz" >"$W/p-imp.log" 2>&1
                rc=$?
                pid=$(pinspect '{{.State.Pid}}')
                if [ $rc = 0 ] && counting && [ "$(count)" -gt "$c2" ] && [ "$(pinspect '{{.State.Status}}')" = running ] &&
                        in_scope "$pid" && in_podman_netns "$pid" && [ -d "$PODMAN_STATE/$CID" ] &&
                        wait_for 10 logged_above "$c2"; then
                        ok "podman container restore --import: the same container continues counting (dumped at $c2, now $(count)) in $(pscope), its stdout in podman logs"
                else
                        not_ok "podman container restore --import: it continues counting (exit $rc, status $(pinspect '{{.State.Status}}'), count $c2 -> $(count), pid $pid: $(cat /proc/$pid/cgroup 2>/dev/null))"
                        podman_logs "$W/p-imp.log"
                fi
                "${PODMAN[@]}" rm -f -t 0 "$CID" >/dev/null 2>&1
                podman_gone
                res=$?
                result "podman rm -f of the imported container: nothing left" "$(podman_left)" $res
        else
                not_ok "podman checkpoint --export: a counting container starts"
        fi

        # ---- checkpoint --leave-running ----
        if podman_counter plr; then
                pid0=$(pinspect '{{.State.Pid}}')
                "${PODMAN[@]}" container checkpoint --leave-running "$CID" >"$W/p-lr.log" 2>&1
                rc=$?
                counting
                moving=$?
                st=$("${PODMAN[@]}" ps --filter "id=$CID" --format '{{.Status}}')
                pid=$(pinspect '{{.State.Pid}}')
                [ $rc = 0 ] && [ $moving = 0 ] && [[ $st == Up* ]] && [ "$(pinspect '{{.State.Status}}')" = running ] &&
                        [ "$pid" = "$pid0" ] && [ -d "/proc/$pid" ] && in_scope "$pid" && [ -d "$PODMAN_STATE/$CID" ] &&
                        [ -e "$(pinspect '{{.State.CheckpointPath}}')/inventory.img" ]
                res=$?
                result "podman container checkpoint --leave-running: the same init keeps counting, in its scope; criu's images are written" \
                        "exit $rc, counting $moving, ps '$st', init $pid0 -> $pid, images in '$(pinspect '{{.State.CheckpointPath}}')'" $res
                [ $rc = 0 ] || podman_logs "$W/p-lr.log"
                "${PODMAN[@]}" rm -f -t 0 "$CID" >/dev/null 2>&1
        else
                not_ok "podman checkpoint --leave-running: a counting container starts"
        fi

        # ---- --pre-checkpoint, then --with-previous; a held file lock (--file-locks) and
        # --tcp-established pass through podman (and conmon's --runtime-opt on restore) to criu ----
        PNAME=sysrun-cr-ppre-$$
        OUT=$W/p-ppre.out
        PNAMES+=("$PNAME")
        mkdir -p "$OUT"
        # flock keeps the lock on its fd while its child counts (flock -n on the host tells)
        if CID=$("${PODMAN[@]}" run -d --name "$PNAME" -v "$OUT:/out" $PIMG /usr/bin/flock /out/lock \
                sh -c 'i=0; while :; do i=$((i+1)); echo $i >/out/count; echo $i; usleep 200000; done' 2>"$W/p-ppre.err") &&
                wait_for 30 counting; then
                flock -n "$OUT/lock" true
                held=$?
                "${PODMAN[@]}" container checkpoint --pre-checkpoint "$CID" >"$W/p-pre.log" 2>&1
                rc1=$?
                counting
                moving=$?
                # --print-stats: podman reads criu's stats-dump from the work path it gave sysrun
                "${PODMAN[@]}" container checkpoint --with-previous --file-locks --tcp-established --print-stats "$CID" \
                        >"$W/p-prefinal.json" 2>"$W/p-prefinal.log"
                rc2=$?
                c1=$(count)
                sleep 1
                c2=$(count)
                frozen=$(jq -r '.container_statistics[0].criu_statistics.frozen_time // empty' "$W/p-prefinal.json" 2>/dev/null)
                flock -n "$OUT/lock" true
                freed=$?
                [ $rc1 = 0 ] && [ $moving = 0 ] && [ $rc2 = 0 ] && [ "$c1" = "$c2" ] && [ -n "$frozen" ] &&
                        [ $held = 1 ] && [ $freed = 0 ] &&
                        [ "$(pinspect '{{.State.Status}}')" = exited ]
                res=$?
                result "podman container checkpoint --pre-checkpoint keeps it counting, then --with-previous --file-locks stops it (criu's statistics read back)" \
                        "pre-checkpoint exit $rc1, counting after it $moving, final exit $rc2, count $c1 -> $c2, frozen for '$frozen' us, flock -n before $held, after $freed" $res
                [ $rc1 = 0 ] || podman_logs "$W/p-pre.log"
                [ $rc2 = 0 ] || podman_logs "$W/p-prefinal.log"

                "${PODMAN[@]}" container restore --file-locks --tcp-established --print-stats "$CID" \
                        >"$W/p-prerestore.json" 2>"$W/p-prerestore.log"
                rc=$?
                took=$(jq -r '.container_statistics[0].criu_statistics.restore_time // empty' "$W/p-prerestore.json" 2>/dev/null)
                pid=$(pinspect '{{.State.Pid}}')
                flock -n "$OUT/lock" true
                unlocked=$?
                [ $rc = 0 ] && counting && [ "$(count)" -gt "$c2" ] && [ $unlocked != 0 ] && in_scope "$pid" && [ -n "$took" ]
                res=$?
                result "podman container restore --file-locks: it continues counting and still holds its lock" \
                        "exit $rc, count $c2 -> $(count), flock -n on the host: $unlocked (1: held), restore took '$took' us" $res
                [ $rc = 0 ] || podman_logs "$W/p-prerestore.log"
                "${PODMAN[@]}" rm -f -t 0 "$CID" >/dev/null 2>&1
                podman_gone
                res=$?
                result "podman rm -f after the pre-checkpoint restore: nothing left" "$(podman_left)" $res
        else
                not_ok "podman checkpoint --pre-checkpoint: a counting container with a lock starts ($(cat "$W/p-ppre.err"))"
        fi
fi

# ---- nothing left ----
left=$(systemctl list-units --all --no-legend --plain 'sysrun-cr-*' | wc -l)
[ "$left" = 0 ] && [ -z "$(ls -A "$STATE_ROOT" 2>/dev/null)" ] && ! grep -q "$W" /proc/self/mountinfo
res=$?
result "nothing is left after delete (units, state, mounts)" "units left: $left" $res

echo "1..$n"
[ $failures -eq 0 ]
