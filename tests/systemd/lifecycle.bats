#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The container as a systemd unit: systemd is the source of truth for its cgroup and its life.

load helpers

setup() {
        common_setup
}

teardown() {
        common_teardown
}

@test "create makes sysrun-<id>.scope holding the init; state records unit and cgroup" {
        make_bundle
        create_container
        [ "$(prop "$UNIT" ActiveState)" = active ]
        [ "$(prop "$UNIT" ControlGroup)" = "/machine.slice/$UNIT" ]
        pid=$(sysrun state "$ID" | jq -r .pid)
        grep -qx "0::/machine.slice/$UNIT" "/proc/$pid/cgroup"
        jq -e --arg u "$UNIT" '.unit == $u and .cgroupPath == "/machine.slice/\($u)"' "$STATE_ROOT/$ID/state.json"
}

@test "systemctl status lists the container's processes" {
        make_bundle '.process.args = ["sh", "-c", "sleep 1001 & exec sleep 1002"]'
        run_detached sysrun run --detach --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        for i in $(seq 50); do
                systemctl status --no-pager "$UNIT" | grep -q "sleep 1001" && break
                sleep 0.1
        done
        run systemctl status --no-pager "$UNIT"
        echo "$output"
        [[ "$output" == *"CGroup: /machine.slice/$UNIT"* ]]
        [[ "$output" == *"sleep 1001"* ]]
        [[ "$output" == *"sleep 1002"* ]]
}

@test "systemctl stop of the scope: state says stopped, delete succeeds and leaves nothing" {
        # the init (PID 1 of its namespace) ignores SIGTERM: SIGKILL follows after TimeoutStopSec
        make_bundle '.annotations["org.systemd.property.TimeoutStopSec"] = "0.2"'
        create_container
        sysrun start "$ID"
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        systemctl stop "$UNIT"
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        sysrun delete "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "the init exiting stops the unit; state stopped" {
        make_bundle '.process.args = ["true"]'
        create_container
        sysrun start "$ID"
        for i in $(seq 50); do
                [ "$(sysrun state "$ID" | jq -r .status)" = stopped ] && break
                sleep 0.1
        done
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        for i in $(seq 50); do unit_gone "$UNIT" && break; sleep 0.1; done
        unit_gone "$UNIT"
        sysrun delete "$ID"
        state_gone "$ID"
}

@test "delete of a running container (--force) stops the unit: no trace in list-units --all" {
        make_bundle
        create_container
        sysrun start "$ID"
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
        ! systemctl list-units --all | grep -q "$ID"
}

@test "delete of a created container stops the unit" {
        make_bundle
        create_container
        sysrun delete "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "run in the foreground: exit status, then nothing left" {
        make_bundle '.process.args = ["sh", "-c", "exit 7"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 7 ]
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "pause and resume: FreezeUnit/ThawUnit, FreezerState, state paused" {
        make_bundle
        create_container
        sysrun start "$ID"
        sysrun pause "$ID"
        [ "$(prop "$UNIT" FreezerState)" = frozen ]
        [ "$(sysrun state "$ID" | jq -r .status)" = paused ]
        [ "$(sysrun list --format json | jq -r --arg id "$ID" '.[] | select(.id == $id) | .status')" = paused ]
        run sysrun pause "$ID"
        [ "$status" -ne 0 ]
        sysrun resume "$ID"
        [ "$(prop "$UNIT" FreezerState)" = running ]
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        run sysrun resume "$ID"
        [ "$status" -ne 0 ]
        [[ "$output" == *"container not paused"* ]]
}

@test "update: a limit whose controller this sandbox lacks is refused and changes nothing" {
        # This sandbox's cgroup2 has no controllers (resources.bats updates limits where they bite).
        make_bundle
        create_container
        run sysrun update --memory 200m "$ID"
        echo "$output"
        [ "$status" -eq 1 ]
        [[ "$output" == *"linux.resources.memory.limit: cannot be applied: the memory controller is not available in the container's cgroup '/"*"/$UNIT'"* ]]
        [ "$(prop "$UNIT" MemoryMax)" = infinity ]
        echo '{"memory":{"limit":33554432},"pids":{"limit":-1}}' >"$BATS_TEST_TMPDIR/res.json"
        run sysrun update -r "$BATS_TEST_TMPDIR/res.json" "$ID"
        [ "$status" -eq 1 ]
        [ "$(prop "$UNIT" MemoryMax)" = infinity ]
        # lifting a limit needs no controller
        echo '{"pids":{"limit":-1}}' | sysrun update --resources - "$ID"
        [ "$(prop "$UNIT" TasksMax)" = infinity ]
        [ "$(sysrun state "$ID" | jq -r .status)" = created ]
}

@test "update: errors name the field and change nothing" {
        make_bundle
        create_container
        run sysrun update --memory-swap 100m "$ID"
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"linux.resources.memory.swap"* ]]
        run sysrun update --cpuset-cpus 3-1 "$ID"
        [ "$status" -ne 0 ]
        [[ "$output" == *"linux.resources.cpu.cpus: invalid list"* ]]
        run sysrun update --cpu-burst 1000 "$ID"
        [ "$status" -ne 0 ]
        [[ "$output" == *"linux.resources.cpu.burst: cannot be applied"* ]]
}

@test "update of a stopped container fails" {
        make_bundle '.annotations["org.systemd.property.TimeoutStopSec"] = "0.2"'
        create_container
        systemctl stop "$UNIT"
        run sysrun update --memory 1g "$ID"
        [ "$status" -ne 0 ]
        [[ "$output" == *"stopped"* ]]
}

@test "kill --all signals the whole scope (KillUnit)" {
        make_bundle '.process.args = ["sh", "-c", "trap \"\" TERM; sleep 1001 & sleep 1002 & wait"]'
        run_detached sysrun run --detach --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        for i in $(seq 50); do [ "$(sysrun ps --format json "$ID" | jq length)" -ge 3 ] && break; sleep 0.1; done
        sysrun kill --all "$ID" KILL
        for i in $(seq 50); do unit_gone "$UNIT" && break; sleep 0.1; done
        unit_gone "$UNIT"
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        # runc: --all on a stopped container is not an error; without it, it is
        sysrun kill --all "$ID" KILL
        run sysrun kill "$ID" KILL
        [ "$status" -ne 0 ]
        [[ "$output" == *"container not running"* ]]
}

@test "ps: json is the pid list, table filters ps(1) by the scope's pids" {
        make_bundle '.process.args = ["sh", "-c", "sleep 1003 & exec sleep 1004"]'
        run_detached sysrun run --detach --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        for i in $(seq 50); do [ "$(sysrun ps --format json "$ID" | jq length)" -eq 2 ] && break; sleep 0.1; done
        run sysrun ps --format json "$ID"
        echo "$output"
        [ "$(echo "$output" | jq length)" -eq 2 ]
        init=$(sysrun state "$ID" | jq .pid)
        echo "$output" | jq -e --argjson p "$init" 'index($p) != null'
        run sysrun ps "$ID"
        echo "$output"
        [ "${#lines[@]}" -eq 3 ]
        [[ "${lines[0]}" == *PID* ]]
        [[ "$output" == *"sleep 1003"* ]]
        [[ "$output" == *"sleep 1004"* ]]
        run sysrun ps "$ID" -o pid,comm
        [ "${#lines[@]}" -eq 3 ]
        [[ "${lines[1]}" == *sleep* ]]
}

@test "events --stats: one stats event in runc's shape" {
        make_bundle
        create_container
        sysrun start "$ID"
        run sysrun events --stats "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        echo "$output" | jq -e --arg id "$ID" '.type == "stats" and .id == $id and (.data.cpu.usage | has("kernel")) and (.data | has("memory") and has("pids") and has("blkio"))'
        # without a pids controller (as here), the processes in the cgroup are counted, as runc does
        echo "$output" | jq -e '.data.pids.current == 1'
}

@test "events --interval streams until the container stops" {
        make_bundle '.process.args = ["sleep", "1"]'
        run_detached sysrun run --detach --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        run timeout 10 "$SYSRUN" --root "$STATE_ROOT" events --interval 200ms "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [ "${#lines[@]}" -ge 2 ]
        echo "${lines[0]}" | jq -e '.type == "stats"'
}

@test "a bad cgroupsPath fails create and leaves nothing" {
        make_bundle '.linux.cgroupsPath = "/not/a/systemd/path"'
        # With the systemd manager asked for, a cgroupfs path is an error (as in runc).
        run_detached sysrun --systemd-cgroup create --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *'linux.cgroupsPath: expected "slice:prefix:name"'* ]]
        unit_gone "$ID"
        state_gone "$ID"
        local p
        for p in "system.slice:x" "invalid"; do
                make_bundle ".linux.cgroupsPath = \"$p\""
                run_detached sysrun create --bundle "$BUNDLE" "$ID"
                [ "$status" -ne 0 ]
                [[ "$output" == *'linux.cgroupsPath: expected "slice:prefix:name"'* ]]
                state_gone "$ID"
        done
}

@test "a cgroupfs cgroupsPath without --systemd-cgroup (containerd's SystemdCgroup=false): the default scope, a warning" {
        make_bundle ".linux.cgroupsPath = \"/default/$ID\""
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"linux.cgroupsPath: '/default/$ID' is a cgroupfs path"* ]]
        [ "$(prop "$UNIT" ActiveState)" = active ]
        [ "$(prop "$UNIT" ControlGroup)" = "/machine.slice/$UNIT" ]
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
}

@test "kill --all of a stopped container that shared a pid namespace reaches what its init left" {
        # the init (sh) leaves a sleep behind and exits; containerd's shim then sends kill --all
        make_bundle '.linux.namespaces |= map(select(.type != "pid")) | .process.args = ["sh", "-c", "sleep 1003 & exit 0"]'
        create_container
        sysrun start "$ID"
        for i in $(seq 50); do [ "$(sysrun state "$ID" | jq -r .status)" = stopped ] && break; sleep 0.1; done
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        pgrep -f "sleep 1003"
        sysrun kill --all "$ID" KILL
        for i in $(seq 50); do pgrep -f "sleep 1003" >/dev/null || break; sleep 0.1; done
        ! pgrep -f "sleep 1003"
        sysrun delete "$ID"
        unit_gone "$UNIT"
}

@test "cgroupsPath slice:prefix:name puts the scope in that slice" {
        make_bundle ".linux.cgroupsPath = \"machine.slice:test:$ID\""
        create_container
        UNIT=test-$ID.scope
        [ "$(prop "$UNIT" ControlGroup)" = "/machine.slice/$UNIT" ]
        jq -e --arg u "$UNIT" '.unit == $u' "$STATE_ROOT/$ID/state.json"
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
}

@test "cgroupsPath naming a .slice makes that slice; delete removes it" {
        make_bundle ".linux.cgroupsPath = \"machine.slice:x:machine-s$BATS_TEST_NUMBER.slice\""
        create_container
        [ "$(prop "machine-s$BATS_TEST_NUMBER.slice" ActiveState)" = active ]
        [ "$(prop "$UNIT" ControlGroup)" = "/machine.slice/machine-s$BATS_TEST_NUMBER.slice/$UNIT" ]
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
        unit_gone "machine-s$BATS_TEST_NUMBER.slice"
}

@test "a failed leftover unit of the same name is reset and replaced" {
        # RuntimeMaxSec makes systemd fail the scope; the default CollectMode keeps it
        run systemd-run --scope --unit="$UNIT" -p RuntimeMaxSec=0.3 sleep 10
        [ "$(prop "$UNIT" ActiveState)" = failed ]
        make_bundle
        create_container
        [ "$(prop "$UNIT" ActiveState)" = active ]
        [ "$(prop "$UNIT" Description)" = "sysrun container $ID" ]
}

@test "an active unit of the same name is an error and nothing is left" {
        systemd-run --scope --unit="$UNIT" sleep 100 >/dev/null 2>&1 &
        for i in $(seq 50); do [ "$(prop "$UNIT" ActiveState)" = active ] && break; sleep 0.1; done
        make_bundle
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"already exists"* ]]
        state_gone "$ID"
        [ "$(prop "$UNIT" Description)" != "sysrun container $ID" ]
        systemctl stop "$UNIT"
}

@test "a failure after the unit exists (unsupported field) removes unit, process and state" {
        with_resources '{"memory":{"limit":1048576},"hugepageLimits":[{"pageSize":"2MB","limit":0}]}'
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        [ "$status" -ne 0 ]
        unit_gone "$UNIT"
        state_gone "$ID"
        ! pgrep -f "sleep 1000"
}

@test "exec'd processes join the scope" {
        make_bundle
        create_container
        sysrun start "$ID"
        run sysrun exec "$ID" sh -c 'echo $$; cat /proc/self/cgroup'
        echo "$output"
        [ "$status" -eq 0 ]
        run_detached sysrun exec --detach "$ID" sleep 1005
        for i in $(seq 50); do systemctl status --no-pager "$UNIT" | grep -q "sleep 1005" && break; sleep 0.1; done
        systemctl status --no-pager "$UNIT" | grep -q "sleep 1005"
}

@test "without the system bus socket, root uses /run/systemd/private" {
        make_bundle
        # a mount namespace of its own where /run/dbus is empty
        run_detached unshare --mount --propagation private sh -c \
                'mount -t tmpfs none /run/dbus && exec "$0" --root "$1" create --bundle "$2" "$3"' \
                "$SYSRUN" "$STATE_ROOT" "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [ "$(prop "$UNIT" ActiveState)" = active ]
        unshare --mount --propagation private sh -c \
                'mount -t tmpfs none /run/dbus && exec "$0" --root "$1" delete --force "$2"' "$SYSRUN" "$STATE_ROOT" "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "delete resets a failed unit that CollectMode kept" {
        # RuntimeMaxSec makes systemd fail the scope; CollectMode=inactive keeps it as failed
        make_bundle '.annotations = {"org.systemd.property.CollectMode":"inactive","org.systemd.property.RuntimeMaxSec":"0.3","org.systemd.property.TimeoutStopSec":"0.2"}'
        create_container
        sysrun start "$ID"
        for i in $(seq 50); do [ "$(prop "$UNIT" ActiveState)" = failed ] && break; sleep 0.1; done
        [ "$(prop "$UNIT" ActiveState)" = failed ]
        [ "$(sysrun state "$ID" | jq -r .status)" = stopped ]
        sysrun delete "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
}

# Whether any scope, machine or process of the ids k* of this test is left (the unit of a create
# killed before it recorded one goes when its init does: systemd collects the empty scope).
leftovers() {
        systemctl list-units --all --no-legend --plain "sysrun-k*-$$.scope" | grep .
        machinectl list --no-legend 2>/dev/null | grep -- "-$$ "
        pgrep -f "sleep 1000"
}

@test "create SIGKILLed at any point under systemd: delete --force leaves no scope, machine, process or state" {
        make_bundle
        local d ids=()
        # from before the scope exists to after the init was released
        for d in 0.002 0.005 0.010 0.015 0.020 0.030 0.050; do
                ids+=("k${d#0.}-$$")
                timeout -s KILL "$d" "$SYSRUN" --root "$STATE_ROOT" create --bundle "$BUNDLE" "${ids[-1]}" \
                        </dev/null >/dev/null 2>&1 || true
        done
        run sysrun list --format json
        echo "$output"
        [ "$status" -eq 0 ]
        for id in "${ids[@]}"; do
                sysrun delete --force "$id"
                state_gone "$id"
        done
        for i in $(seq 50); do leftovers >/dev/null || break; sleep 0.1; done
        run leftovers
        echo "$output"
        [ -z "$output" ]
}

@test "run SIGKILLed while the container runs: the container lives on, delete --force removes it all" {
        make_bundle
        "$SYSRUN" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 &
        local pid=$!
        for i in $(seq 50); do [ "$(sysrun state "$ID" 2>/dev/null | jq -r .status)" = running ] && break; sleep 0.1; done
        kill -KILL "$pid"
        wait "$pid" || true
        # runc's behaviour: the container is not tied to the run process.
        [ "$(sysrun state "$ID" | jq -r .status)" = running ]
        [ "$(prop "$UNIT" ActiveState)" = active ]
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
        state_gone "$ID"
        ! pgrep -f "sleep 1000"
}

@test "sysctls are written where the runtime's /proc/sys is a read-only mount of its own (podman's default ping_group_range)" {
        awk '$5 == "/proc/sys" && $6 ~ /^ro/ { found = 1 } END { exit !found }' /proc/self/mountinfo ||
                skip "/proc/sys is not a read-only mount here"
        make_bundle '.linux.sysctl = {"net.ipv4.ping_group_range": "0 0"} | .process.args = ["cat", "/proc/sys/net/ipv4/ping_group_range"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" =~ ^0[[:space:]]+0$ ]]
        state_gone "$ID"
}

# The init makes its mounts while systemd starts the scope (SYNC_CGROUP): every order of failure
# must undo everything.
@test "a setup error while the scope job is pending removes unit, process and state" {
        make_bundle '.mounts += [{"destination": "/mnt/x", "type": "bind", "source": "/nonexistent-sysrun-src", "options": ["bind"]}]'
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -ne 0 ]
        [[ "$output" == *"/nonexistent-sysrun-src"* ]]
        unit_gone "$UNIT"
        state_gone "$ID"
        ! pgrep -f "sleep 1000"
}

@test "a unit systemd refuses while the init sets up its mounts: nothing is left" {
        make_bundle '.annotations["org.systemd.property.TimeoutStopUSec"] = "not-a-number"'
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -ne 0 ]
        unit_gone "$UNIT"
        state_gone "$ID"
        ! pgrep -f "sleep 1000"
}

@test "the container starts in its scope: cgroup namespace root, cgroup mount and /proc/self/cgroup are the scope's" {
        make_bundle '.linux.namespaces += [{"type": "cgroup"}] | .process.args = ["sh", "-c", "cat /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        # in its own cgroup namespace, rooted at the scope: the process is at its root
        [[ "$output" == *"0::/"$'\n'* ]] || [[ "$output" == *"0::/" ]]
        [[ "$output" == *"/sys/fs/cgroup/cgroup.procs"* ]]
        unit_gone "$UNIT"
        state_gone "$ID"
}

@test "an explicit cgroupsPath whose unit runs is shared with runc's warning: the second's delete spares the first, the first's stops the unit" {
        local id2=${ID}b id3=${ID}c unit=sysrun-shared$$-$BATS_TEST_NUMBER.scope
        make_bundle ".linux.cgroupsPath = \"machine.slice:sysrun:shared$$-$BATS_TEST_NUMBER\""
        run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        run_detached sysrun run -d --bundle "$BUNDLE" "$id2"
        [ "$status" -eq 0 ]
        [[ "$output" == *"container's cgroup is not empty: 1 process(es) found"* ]]
        run_detached sysrun create --bundle "$BUNDLE" "$id3"
        [ "$status" -eq 0 ]
        [[ "$output" == *"container's cgroup is not empty: 2 process(es) found"* ]]
        pid1=$(sysrun state "$ID" | jq .pid)
        pid2=$(sysrun state "$id2" | jq .pid)
        grep -qx "0::/machine.slice/$unit" /proc/$pid2/cgroup
        # the joiners have no machine of their own
        ! machinectl show "$id2" >/dev/null 2>&1
        sysrun delete --force "$id2"
        ! kill -0 "$pid2" 2>/dev/null
        kill -0 "$pid1"
        [ "$(prop "$unit" ActiveState)" = active ]
        sysrun delete --force "$ID"
        ! kill -0 "$pid1" 2>/dev/null
        unit_gone "$unit"
        # the third one's init went with the unit: its delete finds nothing more to do
        sysrun delete --force "$id3"
        state_gone "$id3"
}
