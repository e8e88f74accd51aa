#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Rootless podman with --runtime sysrun, as a new user would run it: an unprivileged user (with its
# own subuid and subgid ranges), podman's default storage under its $HOME, its run root under
# $XDG_RUNTIME_DIR. Rootless podman runs the runtime as root of its own user namespace, with no
# --root: sysrun's state goes to $XDG_RUNTIME_DIR/sysrun. No registry: a busybox image is imported.
# No network (slirp4netns is not installed here): --network none.

load helpers
load rootless

IMG=localhost/sysrun-rootless-busybox

setup_file() {
        command -v podman >/dev/null && command -v conmon >/dev/null || skip "podman is not installed"
        rootless_user_setup
}

teardown_file() {
        rootless_user_teardown
}

setup() {
        setup_bundle
        rootless_setup
        mkdir -m 0700 "$TEST_DIR/home"
        chown "$RL_UID:$RL_GID" "$TEST_DIR/home"
        tar -C "$ROOTFS" -c . | pm import - "$IMG" >/dev/null || fail "cannot import the busybox image"
}

teardown() {
        pm rm -a -f -t 0 >/dev/null 2>&1
        # The process that holds podman's user namespace between commands.
        local p
        p=$(cat "$XDG/libpod/tmp/pause.pid" 2>/dev/null) && [ -n "$p" ] && kill -KILL "$p" 2>/dev/null
        rootless_teardown
}

# pm ARGS...: podman as the user, driving sysrun (events in a file: there is no journal here).
pm() {
        as_user env HOME="$TEST_DIR/home" podman --runtime "$RL_SYSRUN" --events-backend=file "$@"
}

# The container's init keeps what it inherits: files, not bats' pipe.
pm_detached() {
        status=0
        pm "$@" </dev/null >"$TEST_DIR/pm.out" 2>"$TEST_DIR/pm.err" || status=$?
        output=$(cat "$TEST_DIR/pm.out" "$TEST_DIR/pm.err")
}

@test "rootless podman: run --rm, with the user's subuid range mapped" {
        run pm run --rm --network none "$IMG" sh -c 'id -u; cat /proc/self/uid_map'
        assert_status 0
        [ "${lines[0]}" = 0 ]
        [[ "${lines[1]}" =~ ^\ +0\ +$RL_UID\ +1$ ]] || fail "uid_map: ${lines[1]}"
        [[ "${lines[2]}" =~ ^\ +1\ +$RL_BASE\ +65536$ ]] || fail "uid_map: ${lines[2]}"
        [ -z "$(ls -A "$XDG/sysrun" 2>/dev/null)" ]
}

@test "rootless podman: exit codes pass through" {
        status=0
        pm run --rm --network none "$IMG" sh -c 'exit 3' || status=$?
        assert_status 3
        status=0
        pm run --rm --network none "$IMG" /nonexistent 2>/dev/null || status=$?
        assert_status 127
}

@test "rootless podman: run -d, exec, stop, rm; sysrun's state under \$XDG_RUNTIME_DIR/sysrun and gone after" {
        pm_detached run -d --network none --name d1 "$IMG" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
        assert_status 0
        id=$(pm inspect -f '{{.Id}}' d1)
        [ -f "$XDG/sysrun/$id/state.json" ]
        run pm ps --format '{{.Names}} {{.Status}}'
        assert_output_contains "d1 Up"
        run pm exec d1 sh -c 'echo exec-$(id -u)'
        assert_status 0
        assert_output_equals exec-0
        run pm exec d1 sh -c 'exit 5'
        assert_status 5
        run pm stop -t 5 d1
        assert_status 0
        run pm inspect -f '{{.State.Status}} {{.State.ExitCode}}' d1
        assert_output_equals "exited 0"
        run pm rm d1
        assert_status 0
        [ ! -e "$XDG/sysrun/$id" ]
}

@test "rootless podman: kill, then rm -f of a running container" {
        pm_detached run -d --network none --name d2 "$IMG" sleep 1000
        assert_status 0
        run pm kill -s KILL d2
        assert_status 0
        run pm wait d2
        assert_output_equals 137
        pm_detached run -d --network none --name d3 "$IMG" sleep 1000
        assert_status 0
        run pm rm -f -t 0 d2 d3
        assert_status 0
        [ -z "$(ls -A "$XDG/sysrun")" ]
}
