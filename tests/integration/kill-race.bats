#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# kill ID KILL, then at once state/delete (runtime-tools' killsig): the container is stopped.

load helpers

@test "kill KILL: a state right after it says stopped, and a plain delete works (no race)" {
        local i pid
        # Many processes in the container's pid namespace: its init dies only once the kernel
        # has killed and reaped them all, which leaves a window after kill(2) returns.
        set_args sh -c 'i=0; while [ $i -lt 200 ]; do sleep 1000 & i=$((i + 1)); done; echo ready; wait'
        for i in $(seq 5); do
                sysrun_create c1
                sysrun start c1
                wait_status c1 running
                while ! container_out c1 | grep -q ready; do sleep 0.02; done
                pid=$(container_pid c1)
                run sysrun kill c1 KILL
                assert_status 0
                # No waiting here: kill returns once the init is dead (a zombie or gone).
                [ "$(container_status c1)" = stopped ] || fail "round $i: $(sysrun state c1)"
                [ ! -d "/proc/$pid" ] || grep -qE '^State:[[:space:]]+Z' "/proc/$pid/status" ||
                        fail "round $i: the init is $(grep State: /proc/$pid/status)"
                run sysrun delete c1
                assert_status 0
                [ ! -e "$ROOT/c1" ] || fail "round $i: state dir left"
        done
}

@test "kill KILL --all, and a container that ignores TERM: stopped right after KILL" {
        set_args sh -c 'trap "" TERM; sleep 1000 & wait'
        sysrun_create c1
        sysrun start c1
        wait_status c1 running
        run sysrun kill c1 TERM
        assert_status 0
        [ "$(container_status c1)" = running ]
        run sysrun kill --all c1 KILL
        assert_status 0
        [ "$(container_status c1)" = stopped ]
        run sysrun delete c1
        assert_status 0
}
