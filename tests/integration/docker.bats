#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# dockerd (Debian's docker.io 20.10, its own containerd) driving sysrun on a host without systemd:
# --add-runtime sysrun, the cgroupfs driver, so the containers land in sysrun's cgroupfs manager
# (cgroupsPath /docker/<id>). Run through tests/integration/run.sh: its mount namespace hides the v1
# memory hierarchy (--memory is shown in the VM tier). dockerd runs in a network namespace of its
# own, with no bridge and no iptables rules; its data and exec roots are in a temporary directory;
# the containers have --network none. Skipped without dockerd.

load helpers
bats_require_minimum_version 1.5.0

IMG=sysrun-docker-busybox:local

setup_file() {
        command -v dockerd >/dev/null && command -v docker >/dev/null || return 0
        export DW=$(mktemp -d /tmp/sysrun-docker.XXXXXX)
        export DOCKER_HOST=unix://$DW/docker.sock
        unshare -n sh -c 'ip link set lo up 2>/dev/null; exec "$@"' sh \
                dockerd --data-root "$DW/data" --exec-root "$DW/exec" --pidfile "$DW/dockerd.pid" -H "$DOCKER_HOST" \
                --bridge=none --iptables=false --ip-masq=false --ip6tables=false --userland-proxy=false \
                --exec-opt native.cgroupdriver=cgroupfs --add-runtime "sysrun=$SYSRUN" --default-runtime sysrun \
                >"$DW/dockerd.log" 2>&1 &
        echo $! >"$DW/launcher.pid"
        for _ in $(seq 150); do
                docker version >/dev/null 2>&1 && break
                sleep 0.2
        done
        make_rootfs_template
        tar -C "$BATS_RUN_TMPDIR/rootfs-template" -c . | docker import - $IMG >/dev/null
}

teardown_file() {
        [ -n "${DW:-}" ] || return 0
        docker rm -f $(docker ps -aq) >/dev/null 2>&1
        [ -s "$DW/dockerd.pid" ] && kill "$(cat "$DW/dockerd.pid")" 2>/dev/null
        [ -s "$DW/launcher.pid" ] && wait "$(cat "$DW/launcher.pid")" 2>/dev/null
        for m in $(awk -v d="$DW/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
                umount "$m" 2>/dev/null || umount -l "$m"
        done
        rm -rf --one-file-system "$DW"
        # the parent cgroups of docker's containers, once empty (never the memory hierarchy)
        for d in /sys/fs/cgroup/*/docker; do
                case $d in /sys/fs/cgroup/memory/*) continue ;; esac
                [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        return 0
}

setup() {
        command -v dockerd >/dev/null || skip "dockerd not installed (package docker.io)"
        [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" != cgroupfs ] ||
                skip "/sys/fs/cgroup/memory is mounted: run through tests/integration/run.sh"
        [ "$(stat -fc %T /sys/fs/cgroup/devices 2>/dev/null)" = cgroupfs ] || skip "no v1 devices hierarchy"
        docker version >/dev/null 2>&1 || fail "dockerd did not start: $(tail -5 "$DW/dockerd.log")"
}

teardown() {
        docker rm -f $(docker ps -aq) >/dev/null 2>&1 || true
}

drun() {
        docker run --rm --network none "$@"
}

# cgroups of container $1 (its full id) left in any v1 hierarchy but memory
cgroups_of() {
        ls -d /sys/fs/cgroup/*/docker/"$1" 2>/dev/null | grep -v '^/sys/fs/cgroup/memory/' || true
}

@test "docker: a default container runs with sysrun, in sysrun's cgroupfs cgroup" {
        run drun $IMG sh -c 'echo hi; grep -E ":devices:" /proc/self/cgroup'
        assert_status 0
        assert_output_contains hi
        [[ $output =~ [0-9]+:devices:/docker/[0-9a-f]{64} ]]
        run docker info --format '{{.DefaultRuntime}} {{.CgroupDriver}}'
        [ "$output" = "sysrun cgroupfs" ]
}

@test "docker: exit codes (3, 127 for a missing executable, 126 for one that cannot run)" {
        run drun $IMG sh -c 'exit 3'
        assert_status 3
        run -127 drun $IMG /nonexistent
        assert_status 127
        assert_output_contains 'exec: "/nonexistent": stat /nonexistent: no such file or directory'
        run -126 drun $IMG /etc/passwd
        assert_status 126
}

@test "docker: --pids-limit is enforced" {
        run drun --pids-limit 10 $IMG sh -c 'cat /sys/fs/cgroup/pids/pids.max; i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i + 1)); done; echo done'
        assert_output_contains 10
        # past the limit no process can be made: sh reports the failed fork
        assert_output_contains "can't fork"
}

@test "docker: --device X:r is read-only (a node docker's defaults do not cover)" {
        run drun --device /dev/kmsg:/dev/xkmsg:r $IMG sh -c 'echo x >/dev/xkmsg'
        assert_status 1
        assert_output_contains "Operation not permitted"
}

@test "docker: pause/unpause, top, stats; rm leaves no cgroup" {
        id=$(docker run -d --network none $IMG sleep 1000)
        docker pause "$id"
        [ "$(docker inspect -f '{{.State.Status}}' "$id")" = paused ]
        [ "$(cat /sys/fs/cgroup/freezer/docker/"$id"/freezer.state)" = FROZEN ]
        docker unpause "$id"
        [ "$(docker inspect -f '{{.State.Status}}' "$id")" = running ]
        run docker top "$id"
        assert_status 0
        assert_output_contains "sleep 1000"
        # (containerd reads the figures from the cgroups itself; without a memory hierarchy they are 0)
        run docker stats --no-stream "$id"
        assert_status 0
        [ -n "$(cgroups_of "$id")" ]
        docker rm -f "$id"
        [ -z "$(cgroups_of "$id")" ]
        [ -z "$(find /sys/fs/cgroup/devices/docker -mindepth 1 -type d 2>/dev/null)" ]
}
