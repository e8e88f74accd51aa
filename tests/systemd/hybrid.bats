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
