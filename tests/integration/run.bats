#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `sysrun run` in the foreground: exit status, stdio, cleanup.

load helpers

@test "run: exit status 0" {
        set_args true
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals ""
        [ ! -e "$ROOT/c1" ]
}

@test "run: exit status 3 is passed through" {
        set_args sh -c 'exit 3'
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 3
        assert_output_equals ""
        [ ! -e "$ROOT/c1" ]
}

@test "run: a process killed by SIGKILL gives 137" {
        # Without a pid namespace: its init ignores even SIGKILL sent from inside.
        update_config '.linux.namespaces -= [{"type": "pid"}]'
        set_args sh -c 'kill -KILL $$'
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 137
        [ ! -e "$ROOT/c1" ]
}

@test "run: a process killed by SIGTERM gives 143" {
        update_config '.linux.namespaces -= [{"type": "pid"}]'
        set_args sh -c 'kill -TERM $$'
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 143
}

@test "run: stdout and stderr pass through" {
        set_args sh -c 'echo to-stdout; echo to-stderr >&2'
        sysrun run -b "$BUNDLE" c1 </dev/null >"$TEST_DIR/out" 2>"$TEST_DIR/err"
        [ "$(cat "$TEST_DIR/out")" = to-stdout ]
        [ "$(cat "$TEST_DIR/err")" = to-stderr ]
}

@test "run: stdin passes through" {
        set_args sh -c 'read a; read b; echo "got $b $a"'
        run sysrun run -b "$BUNDLE" c1 <<<"$(printf 'one\ntwo\n')"
        assert_status 0
        assert_output_equals "got two one"
        printf 'line1\nline2\n' >"$TEST_DIR/in"
        set_args cat
        run sysrun run -b "$BUNDLE" c1 <"$TEST_DIR/in"
        assert_status 0
        assert_output_equals "$(printf 'line1\nline2')"
}

@test "run: a signal to sysrun is forwarded to the container" {
        set_args sh -c 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.05; done'
        sysrun_bg run -b "$BUNDLE" c1 </dev/null >"$TEST_DIR/out" 2>&1
        pid=$SYSRUN_BG_PID
        for _ in $(seq 100); do
                grep -q ready "$TEST_DIR/out" && break
                sleep 0.02
        done
        kill -TERM "$pid"
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" -eq 7 ]
        grep -q got-term "$TEST_DIR/out"
}

@test "run: the state is running while it runs, and gone after" {
        set_args sh -c 'echo ready; sleep 1000'
        sysrun_bg run -b "$BUNDLE" c1 </dev/null >"$TEST_DIR/out" 2>&1
        pid=$SYSRUN_BG_PID
        wait_status c1 running
        [ "$(container_pid c1)" -gt 0 ]
        sysrun kill c1 KILL
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" -eq 137 ]
        [ ! -e "$ROOT/c1" ]
}

@test "run --detach: the container keeps running, sysrun returns 0" {
        set_args sleep 1000
        # Not bats' `run`: the detached container would hold its pipe; its stdio goes to files.
        rc=0
        sysrun run -d -b "$BUNDLE" c1 </dev/null >"$TEST_DIR/c1.out" 2>&1 || rc=$?
        [ "$rc" -eq 0 ]
        wait_status c1 running
        sysrun delete --force c1
}

@test "run --keep: the stopped container is kept" {
        set_args sh -c 'exit 5'
        run sysrun run --keep -b "$BUNDLE" c1 </dev/null
        assert_status 5
        [ "$(container_status c1)" = stopped ]
        sysrun delete c1
}

@test "run: executable not found" {
        set_args nosuchcommand
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_contains 'exec: "nosuchcommand": executable file not found in $PATH'
        assert_nothing_left c1
}

@test "run: delete from outside while sysrun run waits in the foreground" {
        set_args sh -c 'echo ready; sleep 1000'
        sysrun_bg run -b "$BUNDLE" c1 </dev/null >"$TEST_DIR/out" 2>&1
        pid=$SYSRUN_BG_PID
        wait_status c1 running
        # Without --force: refused at once, as for any running container.
        run timeout 5 "$SYSRUN" --root "$ROOT" delete c1
        assert_status 1
        assert_output_equals "sysrun: cannot delete container c1 that is not stopped: running"
        run timeout 5 "$SYSRUN" --root "$ROOT" delete --force c1
        assert_status 0
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" -eq 137 ]
        [ ! -e "$ROOT/c1" ]
}

@test "run --preserve-fds with create/start: fd 3 reaches the process" {
        echo "from-fd-3" >"$TEST_DIR/fd3"
        set_args sh -c 'cat <&3'
        sysrun_create c1 --preserve-fds 1 3<"$TEST_DIR/fd3"
        sysrun start c1
        wait_status c1 stopped
        [ "$(container_out c1)" = from-fd-3 ] || fail "output: $(container_out c1)"
        sysrun delete c1
}
