#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Intel RDT (linux.intelRdt) against fake resctrl trees: SYSRUN_RESCTRL_ROOT points sysrun at a plain
# directory built by fake-resctrl.sh, so no hardware and no real resctrl mount is touched. A plain
# directory keeps the pids written to tasks (the kernel would drop exited tasks), so tests that
# compare a pre-existing group with its earlier self empty its tasks file first.

load helpers

FAKE=$BATS_TEST_DIRNAME/fake-resctrl.sh

setup() {
        setup_bundle
        R=$TEST_DIR/resctrl
        "$FAKE" two-socket "$R"
        export SYSRUN_RESCTRL_ROOT=$R
}

# Rebuilds $R as another host.
use_host() {
        rm -rf "$R"
        "$FAKE" "$1" "$R"
}

snap() { "$FAKE" snapshot "$R"; }

# assert_tree BEFORE: $R is as it was.
assert_tree() {
        local now
        now=$(snap)
        [ "$now" = "$1" ] || fail "resctrl tree changed:" "$(diff <(echo "$1") <(echo "$now"))"
}

set_rdt() { update_config ".linux.intelRdt = $1"; }

state_field() { jq -r ".$2" "$ROOT/$1/state.json"; }

# assert_file FILE CONTENT: exact contents, trailing newline included.
assert_file() {
        local got
        got=$(cat "$1"; echo x)
        [ "$got" = "$2"x ] || fail "$1:" "$(cat "$1")" "expected:" "$2"
}

# in_tasks PID FILE
in_tasks() { grep -qx "$1" "$2" || fail "pid $1 not in $2: $(tr '\n' ' ' <"$2")"; }

command_implemented() { # the CLI's stub says "'NAME' is not implemented yet"
        ! sysrun "$1" --help 2>&1 | grep -q 'not implemented'
}

@test "rdt: a group named by the container id gets the schemata and the init, and goes at delete" {
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ffff0;1=3ff", "memBwSchema": "MB:0=50;1=100"}'
        before=$(snap)
        sysrun_create c1

        [ -d "$R/c1" ]
        assert_file "$R/c1/schemata" $'L3:0=ffff0;1=3ff\nMB:0=50;1=100\n'
        pid=$(container_pid c1)
        assert_file "$R/c1/tasks" "$pid"$'\n'
        [ "$(state_field c1 rdtGroup)" = c1 ]
        [ "$(state_field c1 rdtGroupCreated)" = true ]
        [ "$(state_field c1 rdtMonGroup)" = null ]
        # The root and its info are only read.
        assert_file "$R/schemata" $'L3:0=fffff;1=fffff\nMB:0=100;1=100\n'

        sysrun start c1
        wait_status c1 running
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
        [ ! -e "$R/c1" ]
        assert_tree "$before"
}

@test "rdt: schemata[] lines are written after l3CacheSchema and memBwSchema, in one write" {
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ff", "memBwSchema": "MB:0=50",
                  "schemata": ["MB:1=20", "L3:1=fff00"]}'
        before=$(snap)
        sysrun_create c1
        assert_file "$R/c1/schemata" $'L3:0=ff\nMB:0=50\nMB:1=20\nL3:1=fff00\n'
        sysrun delete --force c1
        assert_tree "$before"
}

@test "rdt: an empty intelRdt gets a group of its own and writes no schemata" {
        set_args sleep 1000
        set_rdt '{}'
        before=$(snap)
        sysrun_create c1
        [ -d "$R/c1" ]
        [ ! -e "$R/c1/schemata" ]
        in_tasks "$(container_pid c1)" "$R/c1/tasks"
        sysrun delete --force c1
        assert_tree "$before"
}

@test "rdt: invalid requests fail before anything is made, naming the line" {
        local cases=(
                '{"l3CacheSchema": "L3:0=0xf0f"}'
                "linux.intelRdt.l3CacheSchema: 'L3:0=0xf0f': cache id 0: mask 0xf0f is not a contiguous run of set bits"
                '{"l3CacheSchema": "L3:0=1fffff"}'
                "linux.intelRdt.l3CacheSchema: 'L3:0=1fffff': cache id 0: mask 1fffff has bits outside cbm_mask fffff"
                '{"l3CacheSchema": "L3:0=ff;2=f"}'
                "linux.intelRdt.l3CacheSchema: 'L3:0=ff;2=f': cache id 2 does not exist (L3 has 0, 1)"
                '{"memBwSchema": "MB:0=5"}'
                "linux.intelRdt.memBwSchema: 'MB:0=5': domain 0: 5 is below min_bandwidth 10"
                '{"memBwSchema": "MB:0=50;1=55"}'
                "linux.intelRdt.memBwSchema: 'MB:0=50;1=55': domain 1: 55 is not a multiple of bandwidth_gran 10"
                '{"memBwSchema": "L3:0=ff"}'
                "linux.intelRdt.memBwSchema: 'L3:0=ff': must be an 'MB:' line"
                '{"schemata": ["L3:0=ff", "L2:0=f"]}'
                "linux.intelRdt.schemata[1]: 'L2:0=f': resource 'L2' is not available on this host (resctrl has: L3, MB)"
                '{"l3CacheSchema": "L3:0=f", "schemata": ["L3:1=f;0=f0"]}'
                "linux.intelRdt.schemata[0]: 'L3:1=f;0=f0': L3 cache id 0 is set twice (also by linux.intelRdt.l3CacheSchema)"
                '{"schemata": ["L3 0=f"]}'
                "linux.intelRdt.schemata[0]: 'L3 0=f': expected 'RESOURCE:ID=VALUE;ID=VALUE…'"
        )
        before=$(snap)
        for ((i = 0; i < ${#cases[@]}; i += 2)); do
                set_rdt "${cases[i]}"
                run sysrun_create c1
                assert_status 1
                assert_output_contains "sysrun: ${cases[i + 1]}"
                assert_nothing_left c1
                assert_tree "$before"
        done
}

@test "rdt: a host without MBA" {
        use_host no-mba
        before=$(snap)
        set_rdt '{"memBwSchema": "MB:0=50"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "'MB:0=50': resource 'MB' is not available on this host (resctrl has: L3)"
        set_rdt '{"l3CacheSchema": "L3:0=4"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "cache id 0: mask 4 has 1 bits set, L3 needs at least 2 (min_cbm_bits)"
        set_rdt '{"enableMonitoring": true}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "linux.intelRdt.enableMonitoring: this host's resctrl has no monitoring"
        assert_nothing_left c1
        assert_tree "$before"

        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=7f0"}'
        sysrun_create c1
        assert_file "$R/c1/schemata" $'L3:0=7f0\n'
        sysrun delete --force c1
        assert_tree "$before"
}

@test "rdt: resctrl that is not there is an error" {
        set_rdt '{}'
        SYSRUN_RESCTRL_ROOT=$TEST_DIR/nowhere run sysrun_create c1
        assert_status 1
        assert_output_contains "linux.intelRdt: SYSRUN_RESCTRL_ROOT='$TEST_DIR/nowhere': no such file or directory"
        assert_nothing_left c1

        # The real lookup (mountinfo), only where that cannot touch a real resctrl.
        if grep -q ' - resctrl ' /proc/self/mountinfo; then
                skip "resctrl is mounted on this host: the not-mounted error cannot be checked safely"
        fi
        unset SYSRUN_RESCTRL_ROOT
        run sysrun_create c1
        assert_status 1
        assert_output_contains "sysrun: linux.intelRdt: resctrl is not mounted"
        assert_nothing_left c1
}

@test "rdt: a shared closID with the same schemata is joined and left as it was" {
        set_args sleep 1000
        # As the kernel prints it: leading zeros, padded MB values.
        "$FAKE" group "$R" shared $'L3:0=0ffff0;1=003ff\nMB:0=100;1= 50\n'
        before=$(snap)
        set_rdt '{"closID": "shared", "l3CacheSchema": "L3:1=3ff;0=ffff0", "memBwSchema": "MB:1=50"}'
        sysrun_create c1
        sysrun_create c2
        in_tasks "$(container_pid c1)" "$R/shared/tasks"
        in_tasks "$(container_pid c2)" "$R/shared/tasks"
        [ "$(state_field c1 rdtGroup)" = shared ]
        [ "$(state_field c1 rdtGroupCreated)" = false ]
        # Compared, not rewritten.
        assert_file "$R/shared/schemata" $'L3:0=0ffff0;1=003ff\nMB:0=100;1= 50\n'

        sysrun delete --force c1
        [ -d "$R/shared" ]
        sysrun delete --force c2
        : >"$R/shared/tasks"
        assert_tree "$before"
}

@test "rdt: a shared closID with a different schemata is refused" {
        "$FAKE" group "$R" shared $'L3:0=0ffff0;1=003ff\nMB:0=100;1= 50\n'
        before=$(snap)
        set_rdt '{"closID": "shared", "l3CacheSchema": "L3:0=ffff0;1=ff"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "sysrun: linux.intelRdt.l3CacheSchema: 'L3:0=ffff0;1=ff': resctrl group 'shared' already exists with a different schemata (L3 cache id 1 is 003ff there)"
        set_rdt '{"closID": "shared", "schemata": ["MB:1=60"]}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "(MB domain 1 is 50 there)"
        assert_nothing_left c1
        assert_tree "$before"
}

@test "rdt: a closID without schemata must exist beforehand, and is never removed" {
        set_args sleep 1000
        before=$(snap)
        set_rdt '{"closID": "missing"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "sysrun: linux.intelRdt.closID: resctrl group 'missing' does not exist; without l3CacheSchema, memBwSchema or schemata it must be created beforehand"
        assert_nothing_left c1
        assert_tree "$before"

        "$FAKE" group "$R" pre
        before=$(snap)
        set_rdt '{"closID": "pre"}'
        sysrun_create c1
        in_tasks "$(container_pid c1)" "$R/pre/tasks"
        sysrun delete --force c1
        : >"$R/pre/tasks"
        assert_tree "$before"
}

@test "rdt: a closID group that sysrun made is kept at delete (runtime-spec)" {
        set_args sleep 1000
        before=$(snap)
        set_rdt '{"closID": "mine", "l3CacheSchema": "L3:0=ff"}'
        sysrun_create c1
        assert_file "$R/mine/schemata" $'L3:0=ff\n'
        # Made by this create, but named explicitly: "the runtime MUST NOT remove the sub-directory".
        [ "$(state_field c1 rdtGroupCreated)" = false ]
        sysrun delete --force c1
        [ -d "$R/mine" ]
        rm -rf "$R/mine"
        assert_tree "$before"
}

@test "rdt: closID \"/\" is the root group" {
        set_args sleep 1000
        before=$(snap)
        set_rdt '{"closID": "/", "enableMonitoring": true}'
        run sysrun_create c1
        if [ "$status" -ne 0 ] && [[ $output == *"closID: must be a plain directory name"* ]]; then
                skip "the config parser (config-linux.c parse_intel_rdt) still rejects closID \"/\""
        fi
        assert_status 0
        in_tasks "$(container_pid c1)" "$R/tasks"
        in_tasks "$(container_pid c1)" "$R/mon_groups/c1/tasks"
        [ "$(state_field c1 rdtGroup)" = / ]
        sysrun delete --force c1
        [ ! -e "$R/mon_groups/c1" ]
        : >"$R/tasks"
        assert_tree "$before"
}

@test "rdt: running out of CLOSIDs is reported as such" {
        set_args sleep 1000
        for i in $(seq 1 15); do "$FAKE" group "$R" "g$i"; done
        before=$(snap)
        set_rdt '{"l3CacheSchema": "L3:0=f"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "sysrun: linux.intelRdt: no CLOSID left for resctrl group 'c1': 16 groups (the root included) use all 16 (num_closids)"
        assert_nothing_left c1
        assert_tree "$before"

        # One free: the last CLOSID is used.
        rm -rf "$R/g15"
        before=$(snap)
        sysrun_create c1
        [ -d "$R/c1" ]
        run sysrun_create c2
        assert_status 1
        assert_output_contains "no CLOSID left for resctrl group 'c2'"
        sysrun delete --force c1
        assert_tree "$before"
}

@test "rdt: enableMonitoring puts the container's tasks into a MON group" {
        set_args sleep 1000
        before=$(snap)
        set_rdt '{"l3CacheSchema": "L3:0=ff", "enableMonitoring": true}'
        sysrun_create c1
        pid=$(container_pid c1)
        in_tasks "$pid" "$R/c1/tasks"
        assert_file "$R/c1/mon_groups/c1/tasks" "$pid"$'\n'
        [ "$(state_field c1 rdtMonGroup)" = c1 ]
        sysrun delete --force c1
        assert_tree "$before"

        # In a shared group only the MON group goes.
        "$FAKE" group "$R" shared
        before=$(snap)
        set_rdt '{"closID": "shared", "enableCMT": true}'
        sysrun_create c2
        assert_file "$R/shared/mon_groups/c2/tasks" "$(container_pid c2)"$'\n'
        sysrun delete --force c2
        : >"$R/shared/tasks"
        assert_tree "$before"
}

@test "rdt: a MON group that exists already is refused" {
        "$FAKE" group "$R" shared
        mkdir "$R/shared/mon_groups/c1"
        before=$(snap)
        set_rdt '{"closID": "shared", "enableMonitoring": true}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "monitoring group 'c1' already exists in resctrl group 'shared'"
        assert_nothing_left c1
        assert_tree "$before"
}

@test "rdt: a refused write reports info/last_cmd_status" {
        "$FAKE" group "$R" shared
        # A group whose tasks cannot be written to, and the kernel's explanation.
        rm "$R/shared/tasks"
        mkdir "$R/shared/tasks"
        printf 'Task 1 not found\n' >"$R/info/last_cmd_status"
        before=$(snap)
        set_rdt '{"closID": "shared"}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "into resctrl group 'shared': is a directory (last_cmd_status: Task 1 not found)"
        assert_nothing_left c1
        assert_tree "$before"
}

@test "rdt: a failed create removes the groups it made" {
        before=$(snap)
        set_args /nonexistent
        set_rdt '{"l3CacheSchema": "L3:0=ff", "enableMonitoring": true}'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "/nonexistent"
        assert_nothing_left c1
        assert_tree "$before"
}

@test "rdt: delete --force after kill -9 of create removes the groups" {
        before=$(snap)
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ff", "enableMonitoring": true}'
        # A createRuntime hook runs after the groups were made and holds create there.
        update_config '.hooks.createRuntime = [{"path": "/bin/sh",
                "args": ["sh", "-c", "touch '"$TEST_DIR"'/hook-ran; exec sleep 1000"],
                "env": ["SYSRUN_TEST_TOKEN='"$TOKEN"'", "PATH=/usr/bin:/bin"]}]'
        # The binary itself, not the sysrun() function: $! must be sysrun's pid.
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" create -b "$BUNDLE" c1 </dev/null \
                >"$TEST_DIR/c1.out" 2>"$TEST_DIR/c1.err" &
        creator=$!
        for _ in $(seq 1 250); do
                [ -e "$TEST_DIR/hook-ran" ] && break
                kill -0 "$creator" 2>/dev/null || break
                sleep 0.02
        done
        if [ ! -e "$TEST_DIR/hook-ran" ]; then
                wait "$creator" || true
                timeout 20 "$SYSRUN" --root "$ROOT" delete --force c1 || true
                skip "createRuntime hooks are not run by create yet: no point to kill it at"
        fi
        [ -d "$R/c1/mon_groups/c1" ]
        kill -KILL "$creator"
        wait "$creator" || true

        # delete waits for the per-container lock: bounded, in case create were still alive.
        timeout 20 "$SYSRUN" --root "$ROOT" delete --force c1
        for pid in $(token_pids); do kill -KILL "$pid"; done # the orphaned hook
        [ ! -e "$ROOT/c1" ]
        assert_tree "$before"
}

@test "rdt: processes from exec join the group" {
        command_implemented exec || skip "sysrun exec is not implemented yet"
        grep -q 'rdt_join' "$BATS_TEST_DIRNAME/../../src/libsysrun/exec.c" ||
                skip "exec does not call rdt_join() yet (src/libsysrun/exec.c, where the joiner is attached)"
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ff", "enableMonitoring": true}'
        start_sleeper c1
        [ "$(wc -l <"$R/c1/tasks")" = 1 ]
        sysrun exec c1 true
        # A plain directory keeps the pid the exec wrote (the kernel would drop it once it exited).
        [ "$(wc -l <"$R/c1/tasks")" = 2 ] || fail "exec'd process not moved into the resctrl group (rdt_join)"
        [ "$(wc -l <"$R/c1/mon_groups/c1/tasks")" = 2 ]
        sysrun delete --force c1
}

@test "rdt: events --stats reports intel_rdt in runc's shape" {
        command_implemented events || skip "sysrun events is not implemented yet"
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ffff0;1=3ff", "memBwSchema": "MB:0=50;1=100", "enableMonitoring": true}'
        start_sleeper c1
        "$FAKE" counters "$R" c1/mon_groups/c1
        run sysrun events --stats c1
        if [ "$status" -ne 0 ] && [[ $output == *"needs a cgroup manager"* ]]; then
                sysrun delete --force c1
                skip "events --stats needs a cgroup manager, which this host lacks (rdt_stats_json is unit-tested)"
        fi
        assert_status 0
        rdt=$(jq -c '.data.intel_rdt' <<<"$output")
        [ "$(jq -r .l3_cache_info.cbm_mask <<<"$rdt")" = fffff ]
        [ "$(jq -r .l3_cache_info.min_cbm_bits <<<"$rdt")" = 1 ]
        [ "$(jq -r .l3_cache_info.num_closids <<<"$rdt")" = 16 ]
        [ "$(jq -r .l3_cache_schema_root <<<"$rdt")" = "L3:0=fffff;1=fffff" ]
        [ "$(jq -r .l3_cache_schema <<<"$rdt")" = "L3:0=ffff0;1=3ff" ]
        [ "$(jq -c .mem_bw_info <<<"$rdt")" = '{"bandwidth_gran":10,"delay_linear":1,"min_bandwidth":10,"num_closids":16}' ]
        [ "$(jq -r .mem_bw_schema_root <<<"$rdt")" = "MB:0=100;1=100" ]
        [ "$(jq -r .mem_bw_schema <<<"$rdt")" = "MB:0=50;1=100" ]
        [ "$(jq -c .schemata <<<"$rdt")" = '["L3:0=ffff0;1=3ff","MB:0=50;1=100"]' ]
        [ "$(jq -c .mbm_stats <<<"$rdt")" = '[{"mbm_total_bytes":2,"mbm_local_bytes":3},{"mbm_total_bytes":1002,"mbm_local_bytes":1003}]' ]
        [ "$(jq -c .cmt_stats <<<"$rdt")" = '[{"llc_occupancy":1},{"llc_occupancy":1001}]' ]
        sysrun delete --force c1
}

@test "rdt: update rewrites the group's schemata, validated like create" {
        command_implemented update || skip "sysrun update is not implemented yet"
        set_args sleep 1000
        set_rdt '{"l3CacheSchema": "L3:0=ffff0;1=3ff", "memBwSchema": "MB:0=50;1=100"}'
        start_sleeper c1
        run sysrun update --l3-cache-schema "L3:0=0xf0f" c1
        assert_status 1
        assert_output_contains "'L3:0=0xf0f': cache id 0: mask 0xf0f is not a contiguous run of set bits"
        assert_file "$R/c1/schemata" $'L3:0=ffff0;1=3ff\nMB:0=50;1=100\n'
        sysrun update --l3-cache-schema "L3:0=ff" --mem-bw-schema "MB:1=20" c1
        assert_file "$R/c1/schemata" $'L3:0=ff\nMB:1=20\n'
        sysrun delete --force c1

        # Not for a container created without intelRdt.
        update_config 'del(.linux.intelRdt)'
        start_sleeper c2
        run sysrun update --l3-cache-schema "L3:0=ff" c2
        assert_status 1
        assert_output_contains "created without linux.intelRdt"
        sysrun delete --force c2
}
