#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# kill (signal names and numbers, --all) and delete (created, running with --force).

load helpers

# A container that reports each signal it gets on its stdout.
start_trapper() {
        set_args sh -c 'for s in TERM USR1 USR2 HUP INT; do trap "echo got-$s" $s; done
                        echo ready; while :; do sleep 0.02; done'
        sysrun_create "$1"
        sysrun start "$1"
        wait_output "$1" ready
}

# wait_output ID TEXT: waits (1 s) until the container's stdout has a line TEXT.
wait_output() {
        local i
        for i in $(seq 50); do
                container_out "$1" | grep -qx "$2" && return 0
                sleep 0.02
        done
        fail "container $1 never printed '$2'; output:" "$(container_out "$1")"
}

@test "kill: the default signal is TERM" {
        start_trapper c1
        run sysrun kill c1
        assert_status 0
        assert_output_equals ""
        wait_output c1 got-TERM
        [ "$(container_status c1)" = running ]
        sysrun delete --force c1
}

@test "kill: signal names with and without SIG, and numbers" {
        start_trapper c1
        sysrun kill c1 USR1
        wait_output c1 got-USR1
        sysrun kill c1 SIGUSR2
        wait_output c1 got-USR2
        sysrun kill c1 1
        wait_output c1 got-HUP
        sysrun kill c1 sigint
        wait_output c1 got-INT
        sysrun kill c1 15
        wait_output c1 got-TERM
        [ "$(container_status c1)" = running ]
        sysrun delete --force c1
}

@test "kill: KILL, SIGKILL and 9 stop the container" {
        for sig in KILL SIGKILL 9; do
                start_sleeper c1
                pid=$(container_pid c1)
                run sysrun kill c1 "$sig"
                assert_status 0
                wait_status c1 stopped
                [ ! -d "/proc/$pid" ] || grep -qE '^State:[[:space:]]+Z' "/proc/$pid/status"
                sysrun delete c1
        done
}

@test "kill: signal 0 probes the container: 0 while it runs, 'container not running' once it stopped" {
        start_sleeper c1
        run sysrun kill c1 0
        assert_status 0
        assert_output_equals ""
        [ "$(container_status c1)" = running ]
        run sysrun kill --all c1 0
        assert_status 0
        sysrun kill c1 KILL
        wait_status c1 stopped
        run sysrun kill c1 0
        assert_status 1
        assert_output_contains "container not running"
        # runc's kill.bats: --all makes it no error for a stopped container, signal 0 too
        run sysrun kill --all c1 0
        assert_status 0
        sysrun delete c1
}

@test "kill: a created container can be signalled" {
        set_args sleep 1000
        sysrun_create c1
        run sysrun kill c1 KILL
        assert_status 0
        wait_status c1 stopped
        sysrun delete c1
}

@test "kill --all: every process of the container gets the signal" {
        set_args sh -c 'sleep 1000 & sleep 1000 & echo ready; wait'
        sysrun_create c1
        sysrun start c1
        wait_output c1 ready
        [ "$(token_pids | wc -l)" -eq 3 ]
        run sysrun kill --all c1 KILL
        assert_status 0
        wait_status c1 stopped
        for _ in $(seq 50); do
                [ -z "$(token_pids)" ] && break
                sleep 0.02
        done
        [ -z "$(token_pids)" ]
        sysrun delete c1
}

@test "kill -a: short option" {
        start_sleeper c1
        run sysrun kill -a c1 TERM
        assert_status 0
        # sleep as pid 1 has no TERM handler: the kernel drops it, the container keeps running.
        sleep 0.1
        [ "$(container_status c1)" = running ]
        sysrun delete --force c1
}

@test "delete: a created container is deleted, its init killed" {
        set_args sleep 1000
        sysrun_create c1
        pid=$(container_pid c1)
        run sysrun delete c1
        assert_status 0
        assert_output_equals ""
        [ ! -e "$ROOT/c1" ]
        [ ! -d "/proc/$pid" ] || grep -qE '^State:[[:space:]]+Z' "/proc/$pid/status"
        [ -z "$(token_pids)" ]
}

@test "delete --force: a running container is killed and deleted" {
        set_args sh -c 'sleep 1000 & echo ready; wait'
        sysrun_create c1
        sysrun start c1
        wait_output c1 ready
        pid=$(container_pid c1)
        run sysrun delete --force c1
        assert_status 0
        assert_output_equals ""
        [ ! -e "$ROOT/c1" ]
        [ ! -d "/proc/$pid" ] || grep -qE '^State:[[:space:]]+Z' "/proc/$pid/status"
        [ -z "$(token_pids)" ]
        run sysrun state c1
        assert_status 1
        assert_output_equals "sysrun: container does not exist"
}

@test "delete -f: a stopped container" {
        set_args true
        sysrun_create c1
        sysrun start c1
        wait_status c1 stopped
        run sysrun delete -f c1
        assert_status 0
        [ ! -e "$ROOT/c1" ]
}

@test "delete: a stopped container whose process exited" {
        set_args sh -c 'exit 2'
        sysrun_create c1
        sysrun start c1
        wait_status c1 stopped
        run sysrun delete c1
        assert_status 0
        assert_output_equals ""
        [ ! -e "$ROOT/c1" ]
}

@test "delete --force and kill --all without a pid namespace reach every process" {
        update_config '.linux.namespaces -= [{"type": "pid"}]'
        set_args sh -c 'sleep 1000 & sleep 1000 & echo ready; wait'
        sysrun_create c1
        sysrun start c1
        wait_output c1 ready
        [ "$(token_pids | wc -l)" -eq 3 ]
        run sysrun kill --all c1 KILL
        assert_status 0
        for _ in $(seq 50); do
                [ -z "$(token_pids)" ] && break
                sleep 0.02
        done
        [ -z "$(token_pids)" ] || fail "left after kill --all: $(token_pids)"
        sysrun delete c1

        sysrun_create c2
        sysrun start c2
        wait_output c2 ready
        run sysrun delete --force c2
        assert_status 0
        sleep 0.1
        [ -z "$(token_pids)" ] || fail "left after delete --force: $(token_pids)"
}
