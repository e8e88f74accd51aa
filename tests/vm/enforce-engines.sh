# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Sourced by tests/vm/enforce.sh in the VM (it uses its helpers, TAP counter, $W/rootfs and $SYSRUN):
# sysrun under real callers that use its cgroupfs manager, as on a host without systemd. dockerd
# (Debian's docker.io 20.10) with its cgroupfs driver and sysrun as a runtime with "--cgroup-manager
# cgroupfs" (daemon.json runtimeArgs); podman 4.3 with --cgroup-manager cgroupfs and the same flag
# (--runtime-flag). No registry: both import the busybox rootfs. One dockerd, two docker containers and
# one podman container, to keep the tier short under TCG.
#
#   engines_start     dockerd and the image imports, in the background (enforce.sh's own tests run
#                     meanwhile: dockerd takes ~9 s to start under TCG)
#   engines_tests     the tests
#   engines_cleanup   what a failed test left (enforce.sh's cleanup)

# containerd's runc v2 shim runs every docker runtime with --root <exec-root>/runtime-runc/<namespace>.
DOCKER_STATE=/run/docker/runtime-runc/moby
PODMAN_STATE=/run/sysrun # podman passes no --root: sysrun's default
ENGINE_IMG=sysrun-enforce-busybox
# podman's cgroupfs manager passes the runtime no cgroup flag; where systemd runs, sysrun's default
# manager is systemd, which takes no cgroupfs path: --runtime-flag picks the cgroupfs manager, as the
# docker runtime's runtimeArgs do.
PODMAN=(podman --cgroup-manager cgroupfs --runtime "$SYSRUN" --runtime-flag cgroup-manager=cgroupfs)
DPID='' DIPID='' PIPID='' DCIDS=() PCIDS=()

engines_cleanup() {
        local id
        [ -n "$DIPID" ] && wait "$DIPID" 2>/dev/null
        [ -n "$PIPID" ] && wait "$PIPID" 2>/dev/null
        for id in "${DCIDS[@]}"; do docker rm -f "$id" >/dev/null 2>&1; done
        if [ -n "$DPID" ]; then
                kill "$DPID" 2>/dev/null
                wait "$DPID" 2>/dev/null
        fi
        for id in "${PCIDS[@]}"; do "${PODMAN[@]}" rm -f -t 0 "$id" >/dev/null 2>&1; done
}

# in_cgroup PID DIR: PID's cgroup (the 0:: line) is DIR.
in_cgroup() { [ "$CG$(sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null)" = "$2" ]; }
# gone STATE-ROOT ID CGROUP-DIR: neither sysrun's state nor the cgroup is left.
gone() { [ ! -e "$1/$2" ] && [ ! -e "$3" ]; }
# sysrun_state FILE: sysrun's cgroup manager, cgroup directory and init pid from its state.json.
sysrun_state() { jq -r '"\(.cgroupManager) \(.cgroupfsDirs[0]) \(.pid)"' "$1" 2>/dev/null; }

engines_start() {
        cat >"$W/daemon.json" <<EOF
{
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "runtimes": { "sysrun": { "path": "$SYSRUN", "runtimeArgs": ["--cgroup-manager", "cgroupfs"] } },
  "bridge": "none", "iptables": false, "ip6tables": false, "ip-masq": false
}
EOF
        if command -v dockerd >/dev/null; then
                # The guest has no network: no bridge, no iptables rules (they cost dockerd seconds under TCG).
                dockerd --config-file "$W/daemon.json" >"$W/dockerd.log" 2>&1 &
                DPID=$!
                # Requests on the socket wait for dockerd to be ready.
                docker_ready() { kill -0 "$DPID" 2>/dev/null && [ -S /run/docker.sock ]; }
                { wait_for 60 docker_ready && tar -C "$W/rootfs" -c . | docker import - $ENGINE_IMG; } \
                        >"$W/dimport.log" 2>&1 &
                DIPID=$!
        fi
        tar -C "$W/rootfs" -c . | podman import - $ENGINE_IMG >"$W/pimport.log" 2>&1 &
        PIPID=$!
}

engines_tests() {
        docker_tests
        podman_tests
}

docker_tests() {
        local ready=0
        [ -n "$DIPID" ] && wait "$DIPID" && ready=1
        DIPID=
        if [ $ready = 0 ]; then
                not_ok "docker: dockerd starts and imports the busybox image ($(tr '\n' ' ' <"$W/dimport.log" 2>/dev/null))"
                tail -20 "$W/dockerd.log" 2>/dev/null | diag
                stop_dockerd
                return
        fi
        echo "# $(docker info -f 'docker {{.ServerVersion}}, cgroup driver {{.CgroupDriver}}, cgroup v{{.CgroupVersion}}')"
        DRUN=(docker run -d --runtime sysrun --network none)
        sysrun_docker() { "$SYSRUN" --root "$DOCKER_STATE" "$@"; }

        # ---- a default container: in sysrun's cgroup /docker/<id>, no limits; top, pause ----
        if C1=$("${DRUN[@]}" $ENGINE_IMG sleep 1000 2>"$W/d1.err"); then
                DCIDS+=("$C1")
                D1=$CG/docker/$C1
                pid=$(docker inspect -f '{{.State.Pid}}' "$C1")
                read -r mgr dir spid < <(sysrun_state "$DOCKER_STATE/$C1/state.json")
                max=$(cat "$D1/memory.max" 2>/dev/null) pmax=$(cat "$D1/pids.max" 2>/dev/null)
                [ "$mgr" = cgroupfs ] && [ "$dir" = "$D1" ] && [ "$spid" = "$pid" ] && in_cgroup "$pid" "$D1" &&
                        [ "$(cat "$D1/cgroup.procs")" = "$pid" ] && [ "$max" = max ] && [ "$pmax" = max ]
                res=$?
                result "docker run --runtime sysrun: the container's init is in sysrun's cgroupfs cgroup, nothing limited" \
                        "init $pid in $(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null); sysrun's state: \
manager $mgr, cgroup $dir, pid $spid; memory.max=$max pids.max=$pmax" $res

                top=$(docker top "$C1" -eo pid,args 2>&1)
                echo "$top" | awk -v p="$pid" '$1 == p && $2 == "sleep" && $3 == 1000 { f = 1 } END { exit !f }'
                res=$?
                result "docker top lists the init (sysrun ps)" "$(echo "$top" | tr -s ' \n' ' ')" $res

                docker pause "$C1" >"$W/d1-pause.log" 2>&1
                rc1=$?
                frz=$(cat "$D1/cgroup.freeze") ev=$(key "$D1/cgroup.events" frozen)
                ss=$(sysrun_docker state "$C1" 2>/dev/null | jq -r .status)
                docker unpause "$C1" >>"$W/d1-pause.log" 2>&1
                rc2=$?
                ev2=$(key "$D1/cgroup.events" frozen) ss2=$(sysrun_docker state "$C1" 2>/dev/null | jq -r .status)
                [ $rc1 = 0 ] && [ "$frz" = 1 ] && [ "$ev" = 1 ] && [ "$ss" = paused ] && [ $rc2 = 0 ] &&
                        [ "$ev2" = 0 ] && [ "$ss2" = running ]
                res=$?
                result "docker pause/unpause: cgroup.freeze" "pause exit $rc1: cgroup.freeze=$frz frozen=$ev sysrun \
state $ss; unpause exit $rc2: frozen=$ev2 sysrun state $ss2" $res
                [ $res = 0 ] || diag "$W/d1-pause.log"
        else
                not_ok "docker run --runtime sysrun: a default container runs ($(tr '\n' ' ' <"$W/d1.err"))"
        fi

        # ---- limits: 32 MiB, 10 pids, /dev/full read-only ----
        # docker's own rules grant c 1:3 rwm before --device's, so /dev/null:r stays writable (as with
        # runc); /dev/full has no rule but --device's (runc's default rule for it goes with the node).
        t0=$(date +%s)
        if C2=$("${DRUN[@]}" --memory 32m --pids-limit 10 --device /dev/null:r --device /dev/full:r \
                $ENGINE_IMG sleep 1000 2>"$W/d2.err"); then
                DCIDS+=("$C2")
                D2=$CG/docker/$C2
                docker exec "$C2" dd if=/dev/zero of=/dev/null bs=64M count=1 >"$W/d2-dd.log" 2>&1
                rc=$?
                oom=$(key "$D2/memory.events" oom_kill) max=$(cat "$D2/memory.max") swap=$(cat "$D2/memory.swap.max")
                # The shim watches the cgroup's memory.events and tells dockerd, which logs an oom event.
                oom_event() {
                        [ -n "$(docker events --since "$t0" --until "$(date +%s)" --filter "container=$C2" \
                                --filter event=oom --format '{{.Action}}' 2>/dev/null)" ]
                }
                wait_for 10 oom_event
                ev=$?
                read -r mgr dir spid < <(sysrun_state "$DOCKER_STATE/$C2/state.json")
                [ "$dir" = "$D2" ] && in_cgroup "$spid" "$D2" && [ $rc = 137 ] && [ "${oom:-0}" -ge 1 ] && [ "$max" = 33554432 ] &&
                        [ "$swap" = 33554432 ] && [ $ev = 0 ]
                res=$?
                result "docker --memory 32m: dd past it is OOM-killed in sysrun's cgroup" "docker exec exit $rc, \
oom_kill=$oom memory.max=$max memory.swap.max=$swap, docker oom event $([ $ev = 0 ] && echo seen || echo missing)" $res

                docker exec "$C2" sh -c 'head -c 4 /dev/full | od -An -tx1; (echo a >/dev/full) 2>&1;
                        (echo a >/dev/null) && echo null-write-ok; (cat /dev/null) && echo null-read-ok' >"$W/d2-dev.log" 2>&1
                out=$(tr '\n' '|' <"$W/d2-dev.log")
                grep -qx ' 00 00 00 00' "$W/d2-dev.log" &&
                        grep -q "can't create /dev/full: Operation not permitted" "$W/d2-dev.log" &&
                        grep -q null-write-ok "$W/d2-dev.log" && grep -q null-read-ok "$W/d2-dev.log"
                res=$?
                result "docker --device /dev/full:r: reads work, writes are refused (eBPF device filter)" "output: $out" $res

                # shellcheck disable=SC2016 # the container's shell expands these
                docker exec "$C2" sh -c '( i=0; while [ $i -lt 20 ]; do usleep 600000000 </dev/null >/dev/null 2>&1 &
                        i=$((i + 1)); done ) 2>/dev/null' >"$W/d2-pids.log" 2>&1
                rc=$?
                pmax=$(cat "$D2/pids.max") failed=$(key "$D2/pids.events" max) cur=$(cat "$D2/pids.current")
                sleeps=$(while read -r p; do cat "/proc/$p/comm"; done <"$D2/cgroup.procs" 2>/dev/null | grep -c usleep)
                # The shell ends on the fork that fails (exit 2); the init and the sleeps are left.
                [ "$pmax" = 10 ] && [ "${failed:-0}" -ge 1 ] && [ "$cur" = $((sleeps + 1)) ] && [ "$cur" -le 10 ]
                res=$?
                result "docker --pids-limit 10: forks fail past it" "exec exit $rc, pids.max=$pmax pids.events \
max=$failed pids.current=$cur, $sleeps of 20 sleeps started" $res
        else
                not_ok "docker run --runtime sysrun with --memory, --pids-limit and --device ($(tr '\n' ' ' <"$W/d2.err"))"
        fi

        # ---- stats: the shim reads the cgroups sysrun made ----
        if [ -n "${C1:-}" ] && [ -n "${C2:-}" ]; then
                docker stats --no-stream --format '{{.ID}} {{.MemUsage}} {{.PIDs}}' "$C1" "$C2" >"$W/stats.log" 2>&1
                rc=$?
                s1=$(grep "^${C1:0:12} " "$W/stats.log") s2=$(grep "^${C2:0:12} " "$W/stats.log")
                num='[0-9.]+[kKMG]?i?B'
                [ $rc = 0 ] && [[ $s1 =~ ^[0-9a-f]{12}\ $num\ /\ $num\ 1$ ]] &&
                        [[ $s2 =~ ^[0-9a-f]{12}\ $num\ /\ 32MiB\ $cur$ ]] && ! [[ $s1 =~ \ 0B\ / ]]
                res=$?
                result "docker stats --no-stream: memory usage and limit, pids" "exit $rc: $(tr '\n' '|' <"$W/stats.log")" $res
        fi

        # ---- rm -f: no cgroup and no sysrun state left ----
        if [ ${#DCIDS[@]} -gt 0 ]; then
                docker rm -f "${DCIDS[@]}" >"$W/drm.log" 2>&1
                rc=$?
                left=
                for id in "${DCIDS[@]}"; do
                        gone "$DOCKER_STATE" "$id" "$CG/docker/$id" || left+=" $id"
                done
                [ $rc = 0 ] && [ -z "$left" ]
                res=$?
                result "docker rm -f: no cgroup, no sysrun state left" "exit $rc, left:${left:- nothing}" $res
                [ $rc = 0 ] || diag "$W/drm.log"
                DCIDS=()
        fi
        stop_dockerd
}

stop_dockerd() {
        [ -n "$DPID" ] || return
        kill "$DPID" 2>/dev/null
        wait "$DPID" 2>/dev/null
        DPID=
}

# ---- podman: --memory 32m; dd past it is OOM-killed in sysrun's cgroup /libpod_parent/libpod-<id> ----
podman_tests() {
        if ! wait "$PIPID"; then
                not_ok "podman: import the busybox image ($(tr '\n' ' ' <"$W/pimport.log"))"
        elif ! P1=$("${PODMAN[@]}" run -d --memory 32m $ENGINE_IMG \
                sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd exited $?; exec sleep 1000' 2>"$W/p1.err"); then
                not_ok "podman --cgroup-manager cgroupfs --runtime sysrun: --memory 32m ($(tr '\n' ' ' <"$W/p1.err"))"
        else
                PCIDS+=("$P1")
                P1DIR=$CG/libpod_parent/libpod-$P1
                oom_seen() { [ "$(key "$P1DIR/memory.events" oom_kill)" -ge 1 ] 2>/dev/null; }
                wait_for 30 oom_seen
                read -r mgr dir pid < <(sysrun_state "$PODMAN_STATE/$P1/state.json")
                oom=$(key "$P1DIR/memory.events" oom_kill) max=$(cat "$P1DIR/memory.max") swap=$(cat "$P1DIR/memory.swap.max")
                dd=$("${PODMAN[@]}" logs "$P1" 2>&1 | grep -o 'dd exited [0-9]*')
                [ "$mgr" = cgroupfs ] && [ "$dir" = "$P1DIR" ] && in_cgroup "$pid" "$P1DIR" && [ "${oom:-0}" -ge 1 ] &&
                        [ "$max" = 33554432 ] && [ "$swap" = 33554432 ] && [ "$dd" = "dd exited 137" ]
                res=$?
                result "podman --memory 32m: dd past it is OOM-killed in sysrun's cgroupfs cgroup" "init $pid in \
$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null); sysrun's state: manager $mgr, cgroup $dir; oom_kill=$oom \
memory.max=$max memory.swap.max=$swap; ${dd:-dd still running}" $res

                "${PODMAN[@]}" rm -f -t 0 "$P1" >"$W/prm.log" 2>&1
                rc=$?
                [ $rc = 0 ] && gone "$PODMAN_STATE" "$P1" "$P1DIR"
                res=$?
                result "podman rm -f: no cgroup, no sysrun state left" "exit $rc, left: $(ls -d "$PODMAN_STATE/$P1" "$P1DIR" \
2>/dev/null | tr '\n' ' ')" $res
                [ $rc = 0 ] || diag "$W/prm.log"
                PCIDS=()
        fi
}
