#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# podman (with conmon) driving sysrun on a host without systemd: --cgroup-manager cgroupfs, so the
# containers land in sysrun's cgroupfs manager (cgroupsPath /libpod_parent/libpod-<id>). Run through
# tests/integration/run.sh: its mount namespace hides the v1 memory hierarchy under a read-only tmpfs
# (conmon's "cannot create cgroup for memory" warning comes from there). Storage, run root and tmpdir
# are in a temporary directory. Skipped without podman and conmon.
#
# Rlimits: rootful podman asks for RLIMIT_NOFILE 1048576 and RLIMIT_NPROC up to pid_max. Raising a
# hard limit needs CAP_SYS_RESOURCE; where the runtime's bounding set lacks it (these test machines),
# runc and crun refuse such a container as sysrun does (EPERM from prlimit, checked below), so the
# other tests pass --ulimit at the current hard limits.

load helpers

IMG=localhost/sysrun-podman-busybox

setup_file() {
        command -v podman >/dev/null && command -v conmon >/dev/null || return 0
        export PW=$(mktemp -d /tmp/sysrun-podman.XXXXXX)
        make_rootfs_template
        tar -C "$BATS_RUN_TMPDIR/rootfs-template" -c . | pod import - $IMG >/dev/null
}

teardown_file() {
        [ -n "${PW:-}" ] || return 0
        pod rm -a -f -t 0 >/dev/null 2>&1
        pod rmi -a -f >/dev/null 2>&1
        for m in $(awk -v d="$PW/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
                umount "$m" 2>/dev/null || umount -l "$m"
        done
        rm -rf --one-file-system "$PW"
        # podman's and conmon's own parent cgroups, once empty (never the memory hierarchy)
        for d in /sys/fs/cgroup/*/libpod_parent; do
                case $d in /sys/fs/cgroup/memory/*) continue ;; esac
                [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        return 0
}

pod() {
        podman --root "$PW/storage" --runroot "$PW/run" --tmpdir "$PW/libpod" --cgroup-manager cgroupfs \
                --events-backend=file --runtime "$SYSRUN" "$@"
}

ulimits() {
        local nproc pid_max
        nproc=$(ulimit -Hu)
        pid_max=$(cat /proc/sys/kernel/pid_max)
        [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ] && nproc=$pid_max
        echo "--ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=$nproc:$nproc"
}

setup() {
        command -v podman >/dev/null && command -v conmon >/dev/null || skip "podman or conmon not installed"
        [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" != cgroupfs ] ||
                skip "/sys/fs/cgroup/memory is mounted: run through tests/integration/run.sh"
        [ "$(stat -fc %T /sys/fs/cgroup/devices 2>/dev/null)" = cgroupfs ] || skip "no v1 devices hierarchy"
        U=$(ulimits)
}

teardown() {
        pod rm -a -f -t 0 >/dev/null 2>&1 || true
}

# cgroups of container $1 (its full id) left in any v1 hierarchy but memory
cgroups_of() {
        ls -d /sys/fs/cgroup/*/libpod_parent/libpod-"$1" 2>/dev/null | grep -v '^/sys/fs/cgroup/memory/' || true
}

@test "podman cgroupfs: a default container runs, in sysrun's cgroupfs cgroup" {
        run pod run --rm --network none $U $IMG sh -c 'echo hi; grep -E ":(devices|pids):" /proc/self/cgroup'
        assert_status 0
        assert_output_contains hi
        [[ $output =~ [0-9]+:devices:/libpod_parent/libpod-[0-9a-f]{64} ]]
}

@test "podman cgroupfs: without CAP_SYS_RESOURCE, podman's default rlimits are refused as runc refuses them" {
        grep -q '^CapBnd:' /proc/self/status
        bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
        (( (0x$bnd >> 24) & 1 )) && skip "CAP_SYS_RESOURCE is in the bounding set here"
        [ "$(ulimit -Hn)" -lt 1048576 ] || skip "the hard RLIMIT_NOFILE is already 1048576"
        run pod run --rm --network none $IMG true
        assert_status 126
        assert_output_contains "process.rlimits[0]: cannot set RLIMIT_NOFILE: operation not permitted"
}

@test "podman cgroupfs: --pids-limit is enforced" {
        run pod run --rm --network none $U --pids-limit 10 $IMG sh -c \
                'cat /sys/fs/cgroup/pids/pids.max; for i in $(seq 20); do sleep 2 & done; wait'
        assert_output_contains "10"
        assert_output_contains "can't fork"
}

@test "podman cgroupfs: --device /dev/null:r refuses writes (runc's default rule for the node is dropped)" {
        run pod run --rm --network none $U --device /dev/null:r $IMG sh -c \
                'head -c1 /dev/null && echo read-ok; echo x >/dev/null && echo write-ok; grep "1:3" /sys/fs/cgroup/devices/devices.list'
        assert_output_contains read-ok
        refute_output_contains write-ok
        assert_output_contains "Operation not permitted"
        assert_output_contains "c 1:3 r"
        refute_output_contains "c 1:3 rw"
}

@test "podman cgroupfs: pause/unpause, top, stats; rm leaves no cgroup" {
        run pod run -d --network none $U --name p1 $IMG sleep 1000
        assert_status 0
        id=$(pod inspect -f '{{.Id}}' p1)
        [ -n "$(cgroups_of "$id")" ]
        run pod pause p1
        assert_status 0
        run pod inspect -f '{{.State.Status}}' p1
        assert_output_equals paused
        [ "$(cat /sys/fs/cgroup/freezer/libpod_parent/libpod-$id/freezer.state)" = FROZEN ]
        run pod unpause p1
        assert_status 0
        run pod inspect -f '{{.State.Status}}' p1
        assert_output_equals running
        run pod top p1
        assert_status 0
        assert_output_contains "sleep 1000"
        run pod stats --no-stream --format '{{.Name}} {{.PIDs}}' p1
        assert_status 0
        assert_output_contains "p1 1"
        run pod rm -f -t 0 p1
        assert_status 0
        [ -z "$(cgroups_of "$id")" ]
}
