#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Containers as systemd-machined machines: registered (waiting for machined's reply, so that a
# bus-activated machined takes the first one), named validly, managed with machinectl, and gone
# after delete.

load helpers

setup() {
        command -v machinectl >/dev/null || skip "machinectl (systemd-container) is not installed"
        common_setup
}

teardown() {
        systemctl unmask --runtime systemd-machined.service >/dev/null 2>&1 || true
        common_teardown
}

machine_listed() {
        machinectl list --no-legend 2>/dev/null | grep -q "^$1 "
}

@test "the first container after machined started is registered at once: class, service, unit, leader, root" {
        # Stopped, machined is bus-activated again by the RegisterMachine that create waits for.
        systemctl stop systemd-machined.service
        [ "$(prop systemd-machined.service ActiveState)" = inactive ]
        make_bundle
        create_container
        [ -z "$output" ]
        machine_listed "$ID"
        run machinectl list --no-legend
        [[ "$output" == *"$ID"*"container"*"sysrun"* ]]
        pid=$(sysrun state "$ID" | jq -r .pid)
        run machinectl show "$ID" -p Unit -p Leader -p RootDirectory -p Class -p Service
        echo "$output"
        [[ "$output" == *"Unit=$UNIT"* ]]
        [[ "$output" == *"Leader=$pid"* ]]
        [[ "$output" == *"RootDirectory=$BATS_FILE_TMPDIR/rootfs"* ]]
        [[ "$output" == *"Class=container"* ]]
        [[ "$output" == *"Service=sysrun"* ]]
        jq -e --arg id "$ID" '.machineRegistered == true and .machineName == $id' "$STATE_ROOT/$ID/state.json"
        # list shows the unit and the machine
        run sysrun list --no-legend
        echo "$output"
        [[ "$output" == "$ID "*" $UNIT"*" $ID" ]]
        sysrun delete --force "$ID"
        # UnregisterMachine is not waited for, and machined drops the machine with its scope anyway.
        for i in $(seq 50); do machine_listed "$ID" || break; sleep 0.1; done
        ! machine_listed "$ID"
        unit_gone "$UNIT"
}

@test "ids that are not machine names register under a stable, distinct name; '+' is escaped in the unit" {
        local long
        long=l$(printf 'x%.0s' $(seq 69))
        make_bundle
        for id in "a_b-$$" "a+b-$$" "$long"; do
                run_detached sysrun create --bundle "$BUNDLE" "$id"
                echo "$id: $output"
                [ "$status" -eq 0 ]
                name=$(jq -r .machineName "$STATE_ROOT/$id/state.json")
                jq -e '.machineRegistered == true' "$STATE_ROOT/$id/state.json"
                [ ${#name} -le 64 ]
                machine_listed "$name"
                unit=$(jq -r .unit "$STATE_ROOT/$id/state.json")
                [ "$(prop "$unit" ActiveState)" = active ]
                [ "$(machinectl show "$name" -p Unit --value)" = "$unit" ]
                echo "$id $name $unit" >>"$BATS_TEST_TMPDIR/names"
        done
        cat "$BATS_TEST_TMPDIR/names"
        [ "$(jq -r .unit "$STATE_ROOT/a+b-$$/state.json")" = "sysrun-a\\x2bb-$$.scope" ]
        [[ "$(jq -r .machineName "$STATE_ROOT/a_b-$$/state.json")" == a-b-$$-* ]]
        [[ "$(jq -r .machineName "$STATE_ROOT/a+b-$$/state.json")" == a-b-$$-* ]]
        # distinct names for ids that sanitize alike
        [ "$(cut -d' ' -f2 "$BATS_TEST_TMPDIR/names" | sort -u | wc -l)" -eq 3 ]
        for id in "a_b-$$" "a+b-$$" "$long"; do
                name=$(jq -r .machineName "$STATE_ROOT/$id/state.json")
                unit=$(jq -r .unit "$STATE_ROOT/$id/state.json")
                sysrun delete --force "$id"
                unit_gone "$unit"
                for i in $(seq 50); do machine_listed "$name" || break; sleep 0.1; done
                ! machine_listed "$name"
        done
}

@test "a masked machined: one warning naming the reason, the container still runs, machineRegistered false" {
        systemctl stop systemd-machined.service
        systemctl mask --runtime systemd-machined.service
        make_bundle
        create_container
        echo "$output"
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == *"not registered with systemd-machined"*"masked"* ]]
        jq -e '.machineRegistered == false' "$STATE_ROOT/$ID/state.json"
        sysrun start "$ID"
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
}

@test "--no-machine and the run.sysrun.machine annotation opt out" {
        make_bundle
        run_detached sysrun create --no-machine --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        [ -z "$output" ]
        ! machine_listed "$ID"
        jq -e '.machineRegistered == false' "$STATE_ROOT/$ID/state.json"
        [ "$(prop "$UNIT" ActiveState)" = active ]
        sysrun delete --force "$ID"

        make_bundle '.annotations["run.sysrun.machine"] = "false"'
        create_container
        [ -z "$output" ]
        ! machine_listed "$ID"
        jq -e '.machineRegistered == false' "$STATE_ROOT/$ID/state.json"
}

@test "machinectl terminate stops the container: state follows (stopped), delete leaves nothing" {
        make_bundle '.annotations["org.systemd.property.TimeoutStopSec"] = "0.2"'
        create_container
        sysrun start "$ID"
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        run machinectl status "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"Unit: $UNIT"* ]]
        machinectl terminate "$ID"
        for i in $(seq 50); do
                [ "$(sysrun state "$ID" | jq -r .status)" = stopped ] && break
                sleep 0.1
        done
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        sysrun delete "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
        ! machine_listed "$ID"
}

@test "machinectl kill reaches the container's init" {
        make_bundle '.process.args = ["sh", "-c", "trap \"exit 7\" USR1; while :; do sleep 0.1; done"]'
        create_container
        sysrun start "$ID"
        machinectl kill --kill-who=leader -s USR1 "$ID"
        for i in $(seq 50); do
                [ "$(sysrun state "$ID" | jq -r .status)" = stopped ] && break
                sleep 0.1
        done
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
}

@test "the scope is stopped in order at shutdown (Conflicts= and Before= shutdown.target)" {
        make_bundle
        create_container
        [[ " $(prop "$UNIT" Conflicts) " == *" shutdown.target "* ]]
        [[ " $(prop "$UNIT" Before) " == *" shutdown.target "* ]]
        [ "$(prop "$UNIT" Slice)" = machine.slice ]
}
