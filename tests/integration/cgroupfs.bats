#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The cgroupfs manager on this v1/hybrid host without systemd (the default here): the device policy,
# limits, pause, ps, stats and cleanup. Runs through tests/integration/run.sh, so the v1 memory
# hierarchy is not mounted.

load helpers

# cgdir CONTROLLER ID: the container's default cgroup.
cgdir() { echo "/sys/fs/cgroup/$1/sysrun/$2"; }

with_mknod() {
        update_config '.process.capabilities.bounding += ["CAP_MKNOD"]
                       | .process.capabilities.effective += ["CAP_MKNOD"]
                       | .process.capabilities.permitted += ["CAP_MKNOD"]'
}

setup() {
        setup_bundle
        [ -d /sys/fs/cgroup/devices ] || skip "no cgroup v1 devices hierarchy on this host"
}

@test "cgroupfs: the default cgroup is /sysrun/<id> in the hierarchies it needs, and delete removes it" {
        start_sleeper c1
        pid=$(container_pid c1)
        for c in devices freezer pids; do
                grep -qx "$pid" "$(cgdir $c c1)/cgroup.procs" || fail "init $pid not in $(cgdir $c c1)"
        done
        [ "$(sysrun state c1 | jq -r .status)" = running ]
        # Every device denied but the allowed ones.
        ! grep -qx 'a \*:\* rwm' "$(cgdir devices c1)/devices.list"
        grep -qx 'c 1:3 rwm' "$(cgdir devices c1)/devices.list"
        [ ! -e /sys/fs/cgroup/cpuset/sysrun ] # not needed without a cpuset limit
        # A hybrid host's cgroup2 hierarchy is joined too, as runc joins it (its "0::" line).
        if [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
                [ "$(tail -1 "/proc/$pid/cgroup")" = "0::/sysrun/c1" ] || fail "0:: line: $(tail -1 "/proc/$pid/cgroup")"
                [ "$(sysrun exec c1 tail -1 /proc/self/cgroup)" = "0::/sysrun/c1" ]
        fi
        sysrun delete --force c1
        for d in /sys/fs/cgroup/*/sysrun; do
                [ ! -e "$d" ] || fail "left: $d"
        done
}

@test "cgroupfs: a container with CAP_MKNOD cannot open a host block device (EPERM)" {
        # A host block device that this machine lets root open (its disk it does not).
        [ -b /dev/loop0 ] || skip "no /dev/loop0"
        with_mknod
        set_args sh -c "mknod /dev/hostdisk b 7 0 && exec 3</dev/hostdisk && echo opened"
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_contains "can't open /dev/hostdisk: Operation not permitted"
        refute_output_contains opened
        # The same container without a cgroup reads the disk: the test is the one it claims to be.
        run sysrun --cgroup-manager=disabled run -b "$BUNDLE" c2 </dev/null
        assert_status 0
        assert_output_equals opened
}

@test "cgroupfs: a device given read-only (linux.devices + an \"r\" rule) refuses writes" {
        # A loop device: opening one needs no capability, only the devices cgroup's word.
        [ -b /dev/loop0 ] || skip "no /dev/loop0"
        update_config '.linux.devices = [{"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0}]
                       | .linux.resources.devices += [{"allow": true, "type": "b", "major": 7, "minor": 0, "access": "r"}]'
        set_args sh -c 'exec 3</dev/loop0 && echo read-ok; exec 4>/dev/loop0 && echo write-ok'
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_output_contains read-ok
        assert_output_contains "can't create /dev/loop0: Operation not permitted"
        refute_output_contains write-ok
        # With the rule widened to "rw", the write opens: the "r" was what refused it.
        update_config '(.linux.resources.devices[] | select(.major == 7) | .access) = "rw"'
        run sysrun run -b "$BUNDLE" c2 </dev/null
        assert_output_contains write-ok
}

@test "cgroupfs: the pids limit is enforced and update changes it" {
        update_config '.linux.resources.pids = {"limit": 4}'
        start_sleeper c1
        [ "$(cat "$(cgdir pids c1)/pids.max")" = 4 ]
        # The init, the shell and two children: the third fork fails.
        run sysrun exec c1 sh -c 'p=; for i in 1 2 3 4 5 6; do sleep 100 & p="$p $!"; done; kill $p'
        assert_output_contains "can't fork"
        sysrun update --pids-limit 50 c1
        [ "$(cat "$(cgdir pids c1)/pids.max")" = 50 ]
        run sysrun exec c1 sh -c 'for i in 1 2 3 4 5 6; do sleep 0.1 & done; wait; echo forked'
        assert_status 0
        assert_output_equals forked
        sysrun delete --force c1
}

@test "cgroupfs: pids.limit 0 is docker's \"unset\": no limit" {
        update_config '.linux.resources.pids = {"limit": 0} | .linux.resources.cpu = {"shares": 0}
                       | .linux.resources.blockIO = {"weight": 0}'
        start_sleeper c1
        [ "$(cat "$(cgdir pids c1)/pids.max")" = max ]
        sysrun delete --force c1
}

@test "cgroupfs: pause and resume freeze the container; ps and events --stats read its cgroup" {
        start_sleeper c1
        pid=$(container_pid c1)
        sysrun pause c1
        [ "$(container_status c1)" = paused ]
        [ "$(cat "$(cgdir freezer c1)/freezer.state")" = FROZEN ]
        grep -qE '^State:[[:space:]]+[DS]' "/proc/$pid/status"
        sysrun resume c1
        [ "$(container_status c1)" = running ]
        [ "$(cat "$(cgdir freezer c1)/freezer.state")" = THAWED ]
        run sysrun ps --format json c1
        assert_status 0
        assert_output_equals "[$pid]"
        run sysrun events --stats c1
        assert_status 0
        [ "$(jq -r .type <<<"$output")" = stats ]
        [ "$(jq -r .data.pids.current <<<"$output")" = 1 ]
        [ "$(jq -r '.data.cpu.usage.total > 0' <<<"$output")" = true ]
        sysrun delete --force c1
}

@test "cgroupfs: cpu, cpuset and blkio limits are written to their v1 files" {
        update_config '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"}'
        start_sleeper c1
        [ "$(cat "$(cgdir cpu c1)/cpu.shares")" = 512 ]
        [ "$(cat "$(cgdir cpu c1)/cpu.cfs_quota_us")" = 50000 ]
        [ "$(cat "$(cgdir cpuset c1)/cpuset.cpus")" = 0 ]
        grep -qx "$(container_pid c1)" "$(cgdir cpuset c1)/cgroup.procs"
        sysrun update --cpu-quota 20000 c1
        [ "$(cat "$(cgdir cpu c1)/cpu.cfs_quota_us")" = 20000 ]
        sysrun delete --force c1
        [ ! -e /sys/fs/cgroup/cpuset/sysrun ]
}

@test "cgroupfs: kill --all reaches every process of the cgroup" {
        update_config '.linux.namespaces |= map(select(.type != "pid"))'
        start_sleeper c1
        sysrun exec -d c1 sleep 1000
        [ "$(wc -l <"$(cgdir pids c1)/cgroup.procs")" -eq 2 ]
        sysrun kill --all c1 KILL
        for i in $(seq 100); do
                [ -z "$(cat "$(cgdir pids c1)/cgroup.procs")" ] && break
                sleep 0.02
        done
        [ -z "$(cat "$(cgdir pids c1)/cgroup.procs")" ]
        sysrun delete --force c1
}

@test "cgroupfs: an absolute cgroupsPath, and the parents sysrun made go with the container" {
        update_config '.linux.cgroupsPath = "/sysrun-bats-abs/nested/c1"'
        start_sleeper c1
        grep -qx "$(container_pid c1)" /sys/fs/cgroup/pids/sysrun-bats-abs/nested/c1/cgroup.procs
        sysrun delete --force c1
        [ ! -e /sys/fs/cgroup/pids/sysrun-bats-abs ]
        [ ! -e /sys/fs/cgroup/devices/sysrun-bats-abs ]
}

@test "cgroupfs: run -d into an existing frozen cgroup is refused at once, not hung (runc's cgroups.bats)" {
        [ -d /sys/fs/cgroup/freezer ] || skip "no v1 freezer hierarchy"
        local cg=/sys/fs/cgroup/freezer/sysrun-bats-frozen-$$
        mkdir "$cg"
        echo FROZEN >"$cg/freezer.state"
        update_config '.linux.cgroupsPath = "/sysrun-bats-frozen-'$$'"'
        run timeout 20 "$SYSRUN" --root "$ROOT" run -d -b "$BUNDLE" c1 </dev/null
        echo THAWED >"$cg/freezer.state"
        assert_status 1
        assert_output_contains "container's cgroup unexpectedly frozen: '$cg'"
        # the frozen cgroup was the caller's: still there, and no process of ours in it
        [ -d "$cg" ]
        [ -z "$(cat "$cg/cgroup.procs")" ]
        rmdir "$cg"
        assert_nothing_left c1
}

@test "cgroupfs: a relative cgroupsPath is below sysrun's own cgroup" {
        mkdir /sys/fs/cgroup/pids/sysrun-bats-rel /sys/fs/cgroup/devices/sysrun-bats-rel
        update_config '.linux.cgroupsPath = "inner/c1"'
        # sysrun itself runs in sysrun-bats-rel (in the pids and devices hierarchies).
        (
                echo $BASHPID >/sys/fs/cgroup/pids/sysrun-bats-rel/cgroup.procs
                echo $BASHPID >/sys/fs/cgroup/devices/sysrun-bats-rel/cgroup.procs
                exec "$SYSRUN" --root "$ROOT" create -b "$BUNDLE" c1 </dev/null >/dev/null 2>&1 3>&-
        )
        [ -d /sys/fs/cgroup/pids/sysrun-bats-rel/inner/c1 ]
        [ -d /sys/fs/cgroup/devices/sysrun-bats-rel/inner/c1 ]
        sysrun delete --force c1
        [ ! -e /sys/fs/cgroup/pids/sysrun-bats-rel/inner ]
        rmdir /sys/fs/cgroup/pids/sysrun-bats-rel /sys/fs/cgroup/devices/sysrun-bats-rel
}

@test "cgroupfs: a write the kernel refuses fails naming the field and the file, and leaves no cgroup" {
        update_config '.linux.resources.cpu = {"quota": 500, "period": 100000}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "linux.resources.cpu.quota: cpu.cfs_quota_us: write 500: invalid argument (in /sys/fs/cgroup/cpu/sysrun/c1)"
        assert_nothing_left c1
        for d in /sys/fs/cgroup/*/sysrun; do
                [ ! -e "$d" ] || fail "left: $d"
        done
}

@test "cgroupfs: a systemd-style cgroupsPath is refused with a clear message" {
        update_config '.linux.cgroupsPath = "system.slice:docker:c1"'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "linux.cgroupsPath: 'system.slice:docker:c1' is in the systemd form"
        assert_nothing_left c1
}

# --- cgroup v2 mode: the cgroup2 mount alone ---

@test "cgroupfs: unified keys on a v1 host are refused in runc's words ('invalid configuration'), leaving nothing" {
        local id=unified-$$
        update_config '.linux.resources.unified = {"memory.min": "131072"}'
        set_args sleep 1000
        run sysrun run -d -b "$BUNDLE" "$id" </dev/null 3>&-
        assert_status 1
        assert_output_contains "invalid configuration"
        assert_output_contains 'linux.resources.unified["memory.min"]: invalid configuration: cannot use unified on cgroup v1'
        assert_nothing_left "$id"
        for d in /sys/fs/cgroup/*/sysrun/"$id"; do
                [ ! -e "$d" ] || fail "left: $d"
        done
}

# sysrun_v2 ARGS...: sysrun in a mount namespace without any v1 hierarchy, so that the manager works
# on the cgroup2 mount (/sys/fs/cgroup/unified) as on a pure v2 host. That mount has no controllers
# here, so no limits: the device filter, cgroup.freeze and cgroup.kill.
sysrun_v2() {
        SYSRUN_TEST_TOKEN=$TOKEN unshare -m --propagation private sh -c '
                for d in /sys/fs/cgroup/*; do
                        [ "$(stat -fc %T "$d")" = cgroupfs ] && umount -l "$d"
                done
                exec "$@"' sh "$SYSRUN" --root "$ROOT" "$@"
}

v2_cg=/sys/fs/cgroup/unified

need_v2() {
        [ "$(stat -fc %T $v2_cg 2>/dev/null)" = cgroup2fs ] || skip "no cgroup2 mount at $v2_cg"
}

@test "cgroupfs v2: the eBPF device filter denies what no rule allows, and an \"r\" rule refuses writes" {
        need_v2
        [ -b /dev/loop0 ] || skip "no /dev/loop0"
        with_mknod
        # c 240:0 has no driver: an open the filter lets through fails with ENXIO, one it stops with EPERM.
        update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]'
        set_args sh -c 'mknod /dev/hd b 7 0; mknod /dev/x c 240 0; mknod /dev/nl c 1 3
                (exec 3</dev/hd) 2>&1; (cat </dev/x) 2>&1; (echo a >/dev/x) 2>&1; echo a >/dev/nl && echo null-ok
                grep "^0::" /proc/self/cgroup'
        run sysrun_v2 run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_contains "can't open /dev/hd: Operation not permitted"
        assert_output_contains "can't open /dev/x: No such device or address"
        assert_output_contains "can't create /dev/x: Operation not permitted"
        assert_output_contains null-ok
        assert_output_contains "0::/sysrun/c1"
        [ ! -e $v2_cg/sysrun ]
}

@test "cgroupfs v2: pause/resume with cgroup.freeze, kill --all with cgroup.kill, delete removes the cgroup" {
        need_v2
        # cgroup.kill came with Linux 5.14 (the root cgroup has none, and no other may exist yet)
        local v
        v=$(uname -r | awk -F. '{ printf "%d%03d", $1, $2 }')
        [ "$v" -ge 5014 ] || skip "no cgroup.kill (Linux < 5.14)"
        update_config '.linux.namespaces |= map(select(.type != "pid"))'
        set_args sleep 1000
        sysrun_v2 create -b "$BUNDLE" c1 </dev/null >/dev/null 2>&1 3>&-
        sysrun_v2 start c1
        sysrun_v2 exec -d c1 sleep 999
        [ "$(wc -l <$v2_cg/sysrun/c1/cgroup.procs)" -eq 2 ]
        sysrun_v2 pause c1
        [ "$(sysrun_v2 state c1 | jq -r .status)" = paused ]
        [ "$(cat $v2_cg/sysrun/c1/cgroup.freeze)" = 1 ]
        grep -qx 'frozen 1' $v2_cg/sysrun/c1/cgroup.events
        sysrun_v2 resume c1
        [ "$(sysrun_v2 state c1 | jq -r .status)" = running ]
        grep -qx 'frozen 0' $v2_cg/sysrun/c1/cgroup.events
        run sysrun_v2 ps --format json c1
        [ "$(jq length <<<"$output")" = 2 ]
        sysrun_v2 kill --all c1 KILL
        for i in $(seq 100); do
                [ -z "$(cat $v2_cg/sysrun/c1/cgroup.procs)" ] && break
                sleep 0.02
        done
        [ -z "$(cat $v2_cg/sysrun/c1/cgroup.procs)" ]
        sysrun_v2 delete c1
        [ ! -e $v2_cg/sysrun ]
}

@test "cgroupfs: the same id under another --root does not share (or remove) the first one's cgroup" {
        start_sleeper c1
        mkdir "$TEST_DIR/root2"
        run env SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$TEST_DIR/root2" create -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_contains "/sysrun/c1' already exists and holds processes (another container with this id?)"
        [ "$(container_status c1)" = running ]
        grep -qx "$(container_pid c1)" "$(cgdir pids c1)/cgroup.procs"
        [ -z "$(ls -A "$TEST_DIR/root2")" ]
        sysrun delete --force c1
}

@test "cgroupfs: an explicit cgroupsPath that holds another container is shared with runc's warning; the second's delete spares the first" {
        update_config '.linux.cgroupsPath = "/sysrun-bats-shared/grp"'
        start_sleeper s1
        sysrun_create s2
        grep -q "container's cgroup is not empty: 1 process(es) found" "$(ctr_file s2).err"
        sysrun start s2
        wait_status s2 running
        [ "$(wc -l </sys/fs/cgroup/pids/sysrun-bats-shared/grp/cgroup.procs)" -eq 2 ]
        sysrun delete --force s2
        [ "$(container_status s1)" = running ]
        grep -qx "$(container_pid s1)" /sys/fs/cgroup/pids/sysrun-bats-shared/grp/cgroup.procs
        sysrun delete --force s1
        for d in /sys/fs/cgroup/*/sysrun-bats-shared; do
                [ ! -e "$d" ] || fail "left: $d"
        done
}

@test "cgroupfs: the first of two containers sharing a cgroupsPath is deleted without killing the second, which then removes the cgroup" {
        update_config '.linux.cgroupsPath = "/sysrun-bats-shared/grp"'
        start_sleeper s1
        sysrun_create s2
        sysrun start s2
        wait_status s2 running
        local pid2
        pid2=$(container_pid s2)
        # s1 made the cgroup and does not know that s2 joined it.
        sysrun delete --force s1
        [ "$(container_status s2)" = running ]
        kill -0 "$pid2"
        grep -qx "$pid2" /sys/fs/cgroup/pids/sysrun-bats-shared/grp/cgroup.procs
        [ "$(wc -l </sys/fs/cgroup/pids/sysrun-bats-shared/grp/cgroup.procs)" -eq 1 ]
        sysrun delete --force s2
        ! kill -0 "$pid2" 2>/dev/null
        for d in /sys/fs/cgroup/*/sysrun-bats-shared/grp; do
                [ ! -e "$d" ] || fail "left: $d"
        done
        # The parent that s1 made stays (empty): s1 could not remove it while s2 was there, and s2 did
        # not make it (runc never removes a parent). Not this test's business: cleaned up here.
        for d in /sys/fs/cgroup/*/sysrun-bats-shared; do
                [ ! -e "$d" ] || rmdir "$d"
        done
}
