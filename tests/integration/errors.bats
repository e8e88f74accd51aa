#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Errors: runc's messages, exit status 1, and nothing changed or left behind.

load helpers

# snapshot ID: status and pid, to compare before and after a failing command.
snapshot() {
        sysrun state "$1" | jq -c '{status, pid, created}'
}

@test "error: start of a running container" {
        start_sleeper c1
        before=$(snapshot c1)
        run sysrun start c1
        assert_status 1
        assert_output_equals "sysrun: cannot start an already running container"
        [ "$(snapshot c1)" = "$before" ]
        sysrun delete --force c1
}

@test "error: start of a stopped container" {
        set_args true
        sysrun_create c1
        sysrun start c1
        wait_status c1 stopped
        run sysrun start c1
        assert_status 1
        assert_output_equals "sysrun: cannot start a container that has stopped"
        [ "$(container_status c1)" = stopped ]
        sysrun delete c1
}

@test "error: start of a created container whose init was killed" {
        set_args true
        sysrun_create c1
        sysrun kill c1 KILL
        wait_status c1 stopped
        run sysrun start c1
        assert_status 1
        assert_output_equals "sysrun: cannot start a container that has stopped"
        sysrun delete c1
}

@test "error: delete of a running container without --force" {
        start_sleeper c1
        before=$(snapshot c1)
        run sysrun delete c1
        assert_status 1
        assert_output_equals "sysrun: cannot delete container c1 that is not stopped: running"
        [ "$(snapshot c1)" = "$before" ]
        [ -d "$ROOT/c1" ]
        sysrun delete --force c1
}

@test "error: kill of a stopped container" {
        set_args true
        sysrun_create c1
        sysrun start c1
        wait_status c1 stopped
        run sysrun kill c1 KILL
        assert_status 1
        assert_output_equals "sysrun: container not running"
        run sysrun kill c1
        assert_status 1
        assert_output_equals "sysrun: container not running"
        # runc: --all on a stopped container is not an error.
        run sysrun kill --all c1 KILL
        assert_status 0
        [ "$(container_status c1)" = stopped ]
        sysrun delete c1
}

@test "error: unknown container id" {
        for cmd in "state" "start" "kill" "delete" "kill --all"; do
                run sysrun $cmd nosuch
                assert_status 1
                assert_output_equals "sysrun: container does not exist"
        done
        [ ! -e "$ROOT/nosuch" ]
        # runc: delete --force of a missing container succeeds.
        run sysrun delete --force nosuch
        assert_status 0
        assert_output_equals ""
}

@test "error: unknown container id with an existing root" {
        start_sleeper other
        run sysrun state nosuch
        assert_status 1
        assert_output_equals "sysrun: container does not exist"
        sysrun delete --force other
}

@test "error: duplicate container id" {
        start_sleeper c1
        before=$(snapshot c1)
        run sysrun_create c1
        assert_status 1
        assert_output_equals "sysrun: container with given ID already exists"
        # The existing container is untouched.
        [ "$(snapshot c1)" = "$before" ]
        [ "$(token_pids | wc -l)" -eq 1 ]
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals "sysrun: container with given ID already exists"
        [ "$(snapshot c1)" = "$before" ]
        sysrun delete --force c1
}

@test "error: invalid container ids" {
        for id in a/b .. . "" "x y" ../escape "$(printf 'a%.0s' {1..300})"; do
                run sysrun_create "$id"
                assert_status 1
                assert_output_contains "sysrun: invalid container ID format"
                run sysrun state "$id"
                assert_status 1
                assert_output_contains "sysrun: invalid container ID format"
                run sysrun delete --force "$id"
                assert_status 1
                assert_output_contains "sysrun: invalid container ID format"
        done
        [ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ]
        [ ! -e "$TEST_DIR/escape" ]
        assert_nothing_left a
}

@test "error: valid container ids with unusual characters" {
        set_args true
        for id in A-b_c+d.e 0 "$(printf 'a%.0s' {1..255})"; do
                run sysrun_create "$id"
                assert_status 0
                sysrun delete "$id"
        done
}

@test "error: bad config: wrong type" {
        update_config '.process.user.uid = "x"'
        run sysrun_create c1
        assert_status 1
        [[ ${lines[0]} == "sysrun: config.json: process.user.uid: "* ]] || fail "got: $output"
        assert_nothing_left c1
}

@test "error: bad config: invalid JSON, missing config, missing process" {
        echo '{' >"$BUNDLE/config.json"
        run sysrun_create c1
        assert_status 1
        [[ ${lines[0]} == "sysrun: config.json: "* ]] || fail "got: $output"
        assert_nothing_left c1

        rm "$BUNDLE/config.json"
        run sysrun_create c1
        assert_status 1
        assert_output_contains "config.json"
        assert_output_contains "no such file or directory"
        assert_nothing_left c1

        (cd "$BUNDLE" && "$SYSRUN" spec)
        update_config 'del(.process)'
        run sysrun_create c1
        assert_status 1
        assert_output_equals "sysrun: config.json: process: missing required field"
        assert_nothing_left c1
}

@test "error: missing rootfs" {
        update_config '.root.path = "nosuch"'
        run sysrun_create c1
        assert_status 1
        assert_output_equals "sysrun: config.json: root.path: '$BUNDLE/nosuch': no such file or directory"
        assert_nothing_left c1
}

@test "error: a failing mount (nonexistent bind source)" {
        update_config '.mounts += [{"destination": "/mnt", "type": "bind", "source": "/nonexistent/src",
                                    "options": ["bind"]}]'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "/nonexistent/src"
        assert_output_contains "no such file or directory"
        assert_nothing_left c1
        [ ! -e "$ROOTFS/mnt" ] || [ -d "$ROOTFS/mnt" ]
        # The same with run.
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_contains "/nonexistent/src"
        assert_nothing_left c1
}

@test "error: a failing mount after others succeeded leaves no mount" {
        update_config '.mounts += [{"destination": "/a", "type": "tmpfs", "source": "tmpfs"},
                                   {"destination": "/b", "type": "bind", "source": "'"$TEST_DIR"'/src",
                                    "options": ["bind"]},
                                   {"destination": "/c", "type": "nosuchfs", "source": "x"}]'
        mkdir "$TEST_DIR/src"
        run sysrun_create c1
        assert_status 1
        assert_output_contains "nosuchfs"
        assert_nothing_left c1
}

@test "error: executable not found, and a directory as executable" {
        set_args nosuchcommand
        run sysrun_create c1
        assert_status 1
        assert_output_equals 'sysrun: exec: "nosuchcommand": executable file not found in $PATH'
        assert_nothing_left c1
        set_args /bin
        run sysrun_create c1
        assert_status 1
        assert_output_contains '/bin'
        assert_nothing_left c1
}

@test "error: wrong number of arguments" {
        run sysrun start
        assert_status 1
        assert_output_contains '"start" requires exactly 1 argument(s)'
        run sysrun state a b
        assert_status 1
        assert_output_contains '"state" requires exactly 1 argument(s)'
        run sysrun kill
        assert_status 1
        assert_output_contains '"kill" requires a minimum of 1 argument(s)'
        run sysrun kill a b c
        assert_status 1
        assert_output_contains '"kill" requires a maximum of 2 argument(s)'
}

@test "error: unknown flag and unknown signal" {
        run sysrun state --nosuchflag c1
        assert_status 1
        assert_output_contains "flag provided but not defined: --nosuchflag"
        start_sleeper c1
        run sysrun kill c1 NOSUCHSIG
        assert_status 1
        assert_output_equals 'sysrun: unknown signal "NOSUCHSIG"'
        [ "$(container_status c1)" = running ]
        sysrun delete --force c1
}

@test "create killed with SIGKILL at any point: list shows it stopped, delete --force leaves nothing" {
        set_args sleep 1000
        local d id
        for d in 0.001 0.002 0.004 0.008; do
                id=k${d#0.}
                timeout -s KILL "$d" "$SYSRUN" --root "$ROOT" create -b "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || true
        done
        # Whatever a killed create left is listed (stopped once its init is gone) and deletable.
        run "$SYSRUN" --root "$ROOT" list --format json
        assert_status 0
        jq -e 'all(.[]; .status == "stopped" or .status == "created")' <<<"$output"
        for d in 0.001 0.002 0.004 0.008; do
                run "$SYSRUN" --root "$ROOT" delete --force "k${d#0.}"
                assert_status 0
                assert_nothing_left "k${d#0.}"
        done
        # A directory left before any state was written does not block the id.
        mkdir -p "$ROOT/orphan"
        sysrun_create orphan
        sysrun delete --force orphan
        [ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || fail "left in the state root: $(ls -A "$ROOT")"
}

@test "error: without libsystemd the systemd manager fails clearly; commands that do not need it work" {
        local lib
        lib=$(ldconfig -p | awk '/libsystemd\.so\.0 / {print $NF; exit}')
        [ -n "$lib" ] || skip "libsystemd.so.0 is not installed"
        start_sleeper c1
        # a mount namespace of its own in which libsystemd.so.0 cannot be loaded
        run unshare --mount --propagation private sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
                sh "$lib" "$SYSRUN" --root "$ROOT" --systemd-cgroup create -b "$BUNDLE" c2
        assert_status 1
        [[ "$output" == "sysrun: cannot load libsystemd.so.0: "* ]] || fail "unexpected: $output"
        [ ! -e "$ROOT/c2" ]
        run unshare --mount --propagation private sh -c \
                'mount --bind /dev/null "$1" && shift && "$@" state c1 && "$@" list -q && "$@" kill c1 KILL' \
                sh "$lib" "$SYSRUN" --root "$ROOT"
        assert_status 0
        wait_status c1 stopped
        sysrun delete c1
}
