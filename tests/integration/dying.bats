#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A dying client leaves nothing running: create and run killed (SIGKILL) or stopped (SIGTERM,
# SIGINT) during setup; absurd config sizes refused before anything is made.

load helpers

# wait_file PATH: until it exists (5 s at most).
wait_file() {
        local tries=250
        while [ ! -e "$1" ] && [ "$tries" -gt 0 ]; do
                sleep 0.02
                tries=$((tries - 1))
        done
        [ -e "$1" ] || fail "$1 never appeared"
}

# wait_no_processes: until no process of the test is left (2 s at most); the kernel delivers the
# parent-death signal as the killed sysrun exits, but the victims take a moment to go.
wait_no_processes() {
        local tries=100
        while [ -n "$(token_pids)" ] && [ "$tries" -gt 0 ]; do
                sleep 0.02
                tries=$((tries - 1))
        done
        [ -z "$(token_pids)" ] || fail "processes left: $(for p in $(token_pids); do tr '\0' ' ' </proc/$p/cmdline; echo; done)"
}

# hook KIND: a hook of KIND that says it runs (TEST_DIR/KIND.ran), then sleeps.
hook() {
        update_config '.hooks.'"$1"' = [{"path": "/bin/sh",
                "args": ["sh", "-c", "touch '"$TEST_DIR/$1"'.ran; exec sleep 1000"]}]'
}

# tmpfs_mounts N: N tmpfs mounts under /tmp, a setup that takes a while.
tmpfs_mounts() {
        update_config '.mounts += [range($n) | {destination: "/tmp/m\(.)", type: "tmpfs", source: "tmpfs"}]' \
                --argjson n "$1"
}

# killed_create_leaves_nothing ID: after a sysrun killed with SIGKILL, no process is left, list
# shows the container stopped and delete --force removes the rest.
killed_create_leaves_nothing() {
        local id=$1
        wait_no_processes
        if [ -e "$ROOT/$id/state.json" ]; then
                [ "$(container_status "$id")" = stopped ] || fail "status $(container_status "$id")"
        fi
        run sysrun delete --force "$id"
        assert_status 0
        assert_nothing_left "$id"
}

# kill_during_hook SIGNAL KIND COMMAND...: starts sysrun COMMAND, waits for the KIND hook, signals.
kill_during_hook() {
        local sig=$1 kind=$2
        shift 2
        hook "$kind"
        SYSRUN_TEST_TOKEN=$TOKEN ${SYSRUN_WRAPPER:-} "$SYSRUN" --root "$ROOT" "$@" </dev/null >"$TEST_DIR/out" \
                2>"$TEST_DIR/err" 3>&- &
        SYSRUN_BG_PID=$!
        wait_file "$TEST_DIR/$kind.ran"
        kill -s "$sig" "$SYSRUN_BG_PID"
        wait "$SYSRUN_BG_PID" && SYSRUN_RC=0 || SYSRUN_RC=$?
}

@test "create killed with SIGKILL in a createRuntime hook: hook and init die, delete --force cleans up" {
        kill_during_hook KILL createRuntime create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        # The state names the init from the moment it exists.
        [ "$(jq -r .pid "$ROOT/c1/state.json")" -gt 0 ]
        killed_create_leaves_nothing c1
}

@test "create killed with SIGKILL in a prestart hook" {
        kill_during_hook KILL prestart create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        killed_create_leaves_nothing c1
}

@test "create killed with SIGKILL in a createContainer hook (the init waits in it)" {
        kill_during_hook KILL createContainer create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        killed_create_leaves_nothing c1
}

@test "run killed with SIGKILL in a createRuntime hook" {
        set_args sleep 1000
        kill_during_hook KILL createRuntime run -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        killed_create_leaves_nothing c1
}

@test "create killed with SIGKILL while joining namespaces by path: the init is sysrun's child and dies with it" {
        update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/'"$$"'/ns/net" else . end)'
        kill_during_hook KILL createContainer create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        killed_create_leaves_nothing c1
}

@test "create killed with SIGKILL in a user namespace (the init changed its uid)" {
        update_config '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
        # createRuntime: a createContainer hook runs as the mapped root, which cannot write $TEST_DIR.
        kill_during_hook KILL createRuntime create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 137 ]
        killed_create_leaves_nothing c1
}

@test "create killed with SIGKILL at several points of 3000 mounts: nothing is left" {
        local d id
        tmpfs_mounts 3000
        for d in 0.01 0.03 0.06 0.1; do
                id=m${d#0.}
                sysrun_bg create -b "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
                sleep "$d"
                kill -KILL "$SYSRUN_BG_PID" 2>/dev/null || true
                if wait "$SYSRUN_BG_PID"; then
                        # Done before the kill: a created container, which outlives sysrun.
                        [ "$(container_status "$id")" = created ]
                        sysrun delete --force "$id"
                fi
                killed_create_leaves_nothing "$id"
        done
}

@test "create stopped by SIGTERM in a createRuntime hook: undone, exit 143, runc-style message" {
        kill_during_hook TERM createRuntime create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 143 ] || fail "exit status $SYSRUN_RC" "$(cat "$TEST_DIR/err")"
        [ "$(cat "$TEST_DIR/err")" = "sysrun: container creation interrupted by SIGTERM" ] ||
                fail "stderr: $(cat "$TEST_DIR/err")"
        # Undone by sysrun itself: no state, no hook, no init.
        assert_nothing_left c1
}

@test "create stopped by SIGTERM in a createContainer hook" {
        kill_during_hook TERM createContainer create -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 143 ] || fail "exit status $SYSRUN_RC" "$(cat "$TEST_DIR/err")"
        assert_nothing_left c1
}

@test "run stopped by SIGTERM during setup" {
        set_args sleep 1000
        kill_during_hook TERM prestart run -b "$BUNDLE" c1
        [ "$SYSRUN_RC" -eq 143 ] || fail "exit status $SYSRUN_RC" "$(cat "$TEST_DIR/err")"
        assert_nothing_left c1
}

@test "create stopped by SIGTERM while mounting: undone" {
        local d
        tmpfs_mounts 3000
        for d in 0.02 0.06; do
                sysrun_bg create -b "$BUNDLE" c1 </dev/null >/dev/null 2>"$TEST_DIR/err"
                sleep "$d"
                kill -TERM "$SYSRUN_BG_PID" 2>/dev/null || true
                wait "$SYSRUN_BG_PID" && SYSRUN_RC=0 || SYSRUN_RC=$?
                if [ "$SYSRUN_RC" -eq 0 ]; then
                        # Too late to interrupt: the container was created; it outlives sysrun.
                        [ "$(container_status c1)" = created ]
                        sysrun delete --force c1
                else
                        [ "$SYSRUN_RC" -eq 143 ] || fail "exit status $SYSRUN_RC" "$(cat "$TEST_DIR/err")"
                fi
                assert_nothing_left c1
        done
}

@test "after the handoff the init outlives sysrun: create with joined namespaces, then start" {
        update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/'"$$"'/ns/net" else . end)'
        set_args sh -c 'echo started'
        sysrun_create c1
        [ "$(container_status c1)" = created ]
        sysrun start c1
        wait_status c1 stopped
        [ "$(container_out c1)" = started ]
        sysrun delete c1
}

# config_too_big FILTER MESSAGE: create refuses with MESSAGE and makes nothing.
config_too_big() {
        update_config "$1"
        run sysrun create -b "$BUNDLE" big
        assert_status 1
        assert_output_equals "sysrun: config.json: $2"
        assert_nothing_left big
}

@test "absurd sizes are refused, naming the field" {
        cp "$BUNDLE/config.json" "$TEST_DIR/config.orig"
        local n=4097
        config_too_big '.mounts = [range('$n') | {destination: "/tmp/m\(.)", type: "tmpfs", source: "tmpfs"}]' \
                "mounts: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.devices = [range('$n') | {path: "/dev/x\(.)", type: "c", major: 1, minor: 3}]' \
                "linux.devices: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.resources.devices = [range('$n') | {allow: false, access: "rwm"}]' \
                "linux.resources.devices: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.maskedPaths = [range('$n') | "/proc/m\(.)"]' \
                "linux.maskedPaths: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.readonlyPaths = [range('$n') | "/proc/r\(.)"]' \
                "linux.readonlyPaths: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.sysctl = ([range('$n') | {key: "net.x\(.)", value: "1"}] | from_entries)' \
                "linux.sysctl: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.resources.unified = ([range('$n') | {key: "x.\(.)", value: "1"}] | from_entries)' \
                "linux.resources.unified: 4097 entries, more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                        syscalls: [range('$n') | {names: ["getpid"], action: "SCMP_ACT_ERRNO"}]}' \
                "linux.seccomp.syscalls: 4097 rules (names times argument conditions), more than the 4096 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.hooks.prestart = [range(257) | {path: "/bin/true"}]' \
                "hooks.prestart: 257 entries, more than the 256 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.linux.namespaces += [{type: "user"}]
                        | .linux.uidMappings = [range(341) | {containerID: ., hostID: (100000 + .), size: 1}]
                        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]' \
                "linux.uidMappings: 341 entries, more than the 340 sysrun accepts"
        cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
        config_too_big '.process.user.additionalGids = [range(65537)]' \
                "process.user.additionalGids: 65537 entries, more than the 65536 sysrun accepts"
}

@test "sizes at the limits are accepted, and a create with 4096 mounts stays quick" {
        update_config '.mounts += [range(4096 - (.mounts | length)) | {destination: "/tmp/m\(.)", type: "tmpfs", source: "tmpfs"}]
                | .linux.maskedPaths = [range(4096) | "/proc/m\(.)"]
                | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                        syscalls: [range(4096) | {names: ["getppid"], action: "SCMP_ACT_ERRNO"}]}
                | .hooks.prestart = [range(16) | {path: "/bin/true"}]'
        set_args sh -c 'grep -c " /tmp/m" /proc/self/mountinfo'
        local start=$SECONDS
        run sysrun run -b "$BUNDLE" c1
        assert_status 0
        assert_output_equals "$(jq '[.mounts[] | select(.destination | startswith("/tmp/m"))] | length' "$BUNDLE/config.json")"
        [ $((SECONDS - start)) -lt 10 ] || fail "took $((SECONDS - start)) s"
}
