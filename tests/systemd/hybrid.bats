#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The systemd manager on a hybrid host (tests/systemd/run.sh runs this file in the hybrid sandbox,
# which has the host's v1 freezer hierarchy): FreezeUnit is not supported there, so pause/resume go
# through the v1 freezer cgroup that sysrun makes at the scope's path (as runc's systemd v1 driver),
# and exec joins the init's v1 cgroups. Skipped in the unified sandbox.

load helpers

FREEZER=/sys/fs/cgroup/freezer

setup() {
        [ -d /sys/fs/cgroup/unified ] && [ "$(stat -fc %T $FREEZER 2>/dev/null)" = cgroupfs ] ||
                skip "not a hybrid sandbox with a v1 freezer hierarchy"
        common_setup
        make_bundle
}

teardown() {
        common_teardown
}

freezer_dir() {
        echo "$FREEZER/machine.slice/$UNIT"
}

@test "hybrid: the init is in the scope's v1 freezer cgroup" {
        create_container
        pid=$(sysrun state "$ID" | jq .pid)
        grep -x "[0-9]*:freezer:/machine.slice/$UNIT" /proc/$pid/cgroup
        [ "$(cat "$(freezer_dir)/freezer.state")" = THAWED ]
}

@test "hybrid: pause and resume through the v1 freezer; state and list say paused" {
        create_container
        sysrun start "$ID"
        pid=$(sysrun state "$ID" | jq .pid)
        sysrun pause "$ID"
        [ "$(cat "$(freezer_dir)/freezer.state")" = FROZEN ]
        [ "$(sysrun state "$ID" | jq -r .status)" = paused ]
        sysrun list | grep -E "^$ID +$pid +paused "
        # a task the v1 freezer holds shows as D (in the refrigerator)
        [ "$(awk '/^State:/ {print $2}' /proc/$pid/status)" = D ]
        sysrun resume "$ID"
        [ "$(cat "$(freezer_dir)/freezer.state")" = THAWED ]
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        sysrun list | grep -E "^$ID +$pid +running "
}

@test "hybrid: exec joins the init's v1 cgroups (devices, pids, freezer), and pause freezes it too" {
        create_container
        sysrun start "$ID"
        pid=$(sysrun state "$ID" | jq .pid)
        run sysrun exec "$ID" cat /proc/self/cgroup
        [ "$status" -eq 0 ]
        for c in devices pids freezer cpu; do
                want=$(grep -E "^[0-9]+:$c:" /proc/$pid/cgroup)
                grep -x "$want" <<<"$output"
        done
        sysrun exec -d "$ID" sleep 999
        sysrun pause "$ID"
        [ "$(wc -l <"$(freezer_dir)/cgroup.procs")" -eq 2 ]
        for p in $(cat "$(freezer_dir)/cgroup.procs"); do
                [ "$(awk '/^State:/ {print $2}' /proc/$p/status)" = D ]
        done
        sysrun resume "$ID"
}

@test "hybrid: kill KILL of a paused container, then delete: no freezer cgroup left" {
        create_container
        sysrun start "$ID"
        sysrun pause "$ID"
        sysrun kill "$ID" KILL
        for i in $(seq 50); do [ "$(sysrun state "$ID" | jq -r .status)" = stopped ] && break; sleep 0.1; done
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        sysrun delete "$ID"
        [ ! -e "$(freezer_dir)" ]
        [ ! -e "$FREEZER/machine.slice" ]
        unit_gone "$UNIT"
}

@test "hybrid: delete --force of a paused container leaves nothing" {
        create_container
        sysrun start "$ID"
        sysrun pause "$ID"
        sysrun delete --force "$ID"
        [ ! -e "$(freezer_dir)" ]
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "hybrid: create into a frozen v1 freezer cgroup is refused and leaves it as it was" {
        mkdir -p "$(freezer_dir)"
        echo FROZEN >"$(freezer_dir)/freezer.state"
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        [ "$(cat "$(freezer_dir)/freezer.state")" = FROZEN ]
        echo THAWED >"$(freezer_dir)/freezer.state"
        rmdir "$(freezer_dir)" "$FREEZER/machine.slice"
        [ "$status" -ne 0 ]
        [[ "$output" == *"container's cgroup unexpectedly frozen: '$(freezer_dir)'"* ]]
        unit_gone "$UNIT"
        state_gone "$ID"
}

cpu_file() {
        local pid
        pid=$(sysrun state "$ID" | jq .pid)
        cat "/sys/fs/cgroup/cpu$(sed -nE 's/^[0-9]+:([^:]*,)?cpu(,[^:]*)?:(.*)/\3/p' /proc/$pid/cgroup)/$1"
}

@test "hybrid: the cpu quota and period are exact in the v1 files (systemd's 10 ms rounding undone), before and after update" {
        [ "$(stat -fc %T /sys/fs/cgroup/cpu 2>/dev/null)" = cgroupfs ] || skip "no v1 cpu hierarchy"
        with_resources '{"cpu": {"quota": 500000, "period": 1000000}}'
        run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        [ "$(cpu_file cpu.cfs_quota_us)" = 500000 ]
        [ "$(cpu_file cpu.cfs_period_us)" = 1000000 ]
        # 500000 of 900000 is 55.6 %: systemd keeps 560 ms/s and would derive 504000
        sysrun update --cpu-period 900000 "$ID"
        [ "$(prop "$UNIT" CPUQuotaPerSecUSec)" = 560ms ]
        [ "$(cpu_file cpu.cfs_quota_us)" = 500000 ]
        [ "$(cpu_file cpu.cfs_period_us)" = 900000 ]
        # and the next period change keeps that exact quota, not systemd's figure
        sysrun update --cpu-period 700000 "$ID"
        [ "$(cpu_file cpu.cfs_quota_us)" = 500000 ]
        [ "$(cpu_file cpu.cfs_period_us)" = 700000 ]
        # a shorter period with a smaller quota (the period goes again after the quota)
        sysrun update --cpu-period 10000 --cpu-quota 3000 "$ID"
        [ "$(cpu_file cpu.cfs_quota_us)" = 3000 ]
        [ "$(cpu_file cpu.cfs_period_us)" = 10000 ]
}

@test "hybrid: a quota above the parent slice's is refused by the kernel, and update says so, naming the field" {
        [ "$(stat -fc %T /sys/fs/cgroup/cpu 2>/dev/null)" = cgroupfs ] || skip "no v1 cpu hierarchy"
        local slice=machine-sysrunquota$$.slice
        systemctl set-property --runtime "$slice" CPUQuota=50%
        make_bundle ".linux.cgroupsPath = \"$slice:sysrun:$ID\""
        run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        run sysrun update --cpu-quota 60000 "$ID"
        [ "$status" -eq 1 ]
        [[ "$output" == *"linux.resources.cpu.quota: cannot be applied: failed to write \"60000\""*"cpu.cfs_quota_us: invalid argument"* ]]
        sysrun update --cpu-quota 30000 "$ID"
        [ "$(cpu_file cpu.cfs_quota_us)" = 30000 ]
        sysrun delete --force "$ID"
        systemctl stop "$slice" || true
}

@test "hybrid: update never opens a gap in the device rules (systemd rewrites them; the container is frozen meanwhile)" {
        # runc's update.bats "minimal transition rules": /dev/kmsg denied, /dev/null written all along
        make_bundle '.linux.resources.devices = [{"allow": false, "access": "rwm"}, {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "rwm"}]
                | .linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}]
                | .process.capabilities.bounding += ["CAP_SYSLOG"] | .process.capabilities.effective += ["CAP_SYSLOG"]
                | .process.capabilities.permitted += ["CAP_SYSLOG"]
                | .process.args = ["sh", "-c", "while :; do head -c 100 /dev/kmsg 2>/dev/null; done"]'
        local out=$BATS_TEST_TMPDIR/out
        sysrun run -d --bundle "$BUNDLE" "$ID" </dev/null >"$out" 2>&1
        for _ in $(seq 30); do
                sysrun update --pids-limit 30 "$ID"
        done
        [ "$(cat "$(freezer_dir)/freezer.state")" = THAWED ]
        [ "$(prop "$UNIT" TasksMax)" = 30 ]
        ! grep -q . "$out" || { cat "$out"; false; }
}

@test "hybrid: a container sharing a running unit joins its v1 cgroups (devices, pids, freezer) and sets its limits" {
        local id2=${ID}b unit=sysrun-hshared$$.scope
        make_bundle ".linux.cgroupsPath = \"machine.slice:sysrun:hshared$$\" | .linux.resources.pids = {\"limit\": 40}"
        run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        make_bundle ".linux.cgroupsPath = \"machine.slice:sysrun:hshared$$\" | .linux.resources.pids = {\"limit\": 50}"
        run_detached sysrun run -d --bundle "$BUNDLE" "$id2"
        [ "$status" -eq 0 ]
        [[ "$output" == *"container's cgroup is not empty: 1 process(es) found"* ]]
        pid1=$(sysrun state "$ID" | jq .pid)
        pid2=$(sysrun state "$id2" | jq .pid)
        for c in devices pids freezer; do
                want=$(grep -E "^[0-9]+:$c:" /proc/$pid1/cgroup)
                grep -x "$want" /proc/$pid2/cgroup
        done
        # as runc: the last container's limits are the unit's
        [ "$(prop "$unit" TasksMax)" = 50 ]
        sysrun delete --force "$id2"
        kill -0 "$pid1"
        sysrun delete --force "$ID"
        unit_gone "$unit"
        [ ! -e "$FREEZER/machine.slice/$unit" ]
}

@test "hybrid: cpu.cpus and cpu.mems go to sysrun's v1 cpuset cgroup at the scope's path (systemd's AllowedCPUs acts on v2 only); update changes them; delete removes it" {
        [ "$(stat -fc %T /sys/fs/cgroup/cpuset 2>/dev/null)" = cgroupfs ] || skip "no v1 cpuset hierarchy"
        [ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
        with_resources '{"cpu": {"cpus": "1", "mems": "0"}}'
        run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        pid=$(sysrun state "$ID" | jq .pid)
        grep -x "[0-9]*:cpuset:/machine.slice/$UNIT" /proc/$pid/cgroup
        [ "$(cat /sys/fs/cgroup/cpuset/machine.slice/$UNIT/cpuset.cpus)" = 1 ]
        [ "$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/$pid/status)" = 1 ]
        [ "$(prop "$UNIT" AllowedCPUs)" = 1 ]
        # exec joins it too
        run sysrun exec "$ID" awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status
        [ "$output" = 1 ]
        sysrun update --cpuset-cpus 0 "$ID"
        [ "$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/$pid/status)" = 0 ]
        run sysrun update --cpuset-cpus 7 "$ID"
        [ "$status" -eq 1 ]
        [[ "$output" == *"linux.resources.cpu.cpus: cannot be applied"*"cpuset.cpus"* ]]
        sysrun delete --force "$ID"
        [ ! -e /sys/fs/cgroup/cpuset/machine.slice/$UNIT ]
}
