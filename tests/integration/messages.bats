#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Messages callers parse: runc's words for exec failures (docker, containerd and podman map "no
# such file or directory"/"executable file not found" to 127 and "permission denied" to 126), and
# --log/--log-format as runc writes them.

load helpers

RUNC=${RUNC:-/usr/sbin/runc}

# The cases and runc 1.1.5's message for each (the part after "runc run failed: unable to start
# container process: "), as measured on this machine.
EXEC_CASES=(
        'nonexistent|exec: "nonexistent": executable file not found in $PATH'
        '/nonexistent|exec: "/nonexistent": stat /nonexistent: no such file or directory'
        '/etc/passwd|exec: "/etc/passwd": permission denied'
        '/etc|exec: "/etc": permission denied'
        'a"b|exec: "a\"b": executable file not found in $PATH'
)

# runc_message ARGS...: runc's own message for the container's process.args, or nothing without
# runc (its state in $TEST_DIR/runc).
runc_message() {
        [ -x "$RUNC" ] || return 0
        SYSRUN_TEST_TOKEN=$TOKEN "$RUNC" --root "$TEST_DIR/runc" --log "$TEST_DIR/runc.log" --log-format json \
                run -b "$BUNDLE" "r$RANDOM" </dev/null >/dev/null 2>&1
        tail -n1 "$TEST_DIR/runc.log" | jq -r .msg |
                sed -e 's/^runc run failed: unable to start container process: //' \
                        -e 's/^exec failed: unable to start container process: //'
        rm -f "$TEST_DIR/runc.log"
}

@test "run: a missing or non-executable program is runc's message, byte for byte" {
        local c arg want theirs
        for c in "${EXEC_CASES[@]}"; do
                arg=${c%%|*} want=${c#*|}
                set_args "$arg"
                run sysrun run -b "$BUNDLE" c1 </dev/null
                assert_status 1
                assert_output_equals "sysrun: $want"
                assert_nothing_left c1
                theirs=$(runc_message)
                [ -z "$theirs" ] || [ "$theirs" = "$want" ] || fail "runc says: $theirs" "expected: $want"
        done
}

@test "run: execve failing after the lookup is runc's 'exec /path: <errno>'" {
        printf '#!/nointerpreter\n' >"$ROOTFS/bin/script"
        printf 'garbage' >"$ROOTFS/bin/garbage"
        chmod +x "$ROOTFS/bin/script" "$ROOTFS/bin/garbage"
        set_args /bin/script
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals "sysrun: exec /bin/script: no such file or directory"
        set_args /bin/garbage
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals "sysrun: exec /bin/garbage: exec format error"
        # create: nobody listens after the handoff, so the init says it on the container's stderr,
        # in runc's words (no "sysrun:").
        sysrun_create c2
        sysrun start c2
        wait_status c2 stopped
        [ "$(container_err c2)" = "exec /bin/garbage: exec format error" ] || fail "stderr: $(container_err c2)"
        sysrun delete c2
}

@test "exec: a missing or non-executable program is runc's message, exit 255" {
        local c arg want
        start_sleeper e1
        for c in "${EXEC_CASES[@]}"; do
                arg=${c%%|*} want=${c#*|}
                run sysrun exec e1 "$arg"
                assert_status 255
                assert_output_equals "sysrun: exec failed: $want"
        done
        run sysrun exec --cwd /nonexistent e1 true
        assert_status 255
        assert_output_contains "no such file or directory"
        sysrun kill e1 KILL
        sysrun delete --force e1
}

@test "exec: runc says the same for the same container (when runc is installed)" {
        local c arg want theirs rid=r1
        [ -x "$RUNC" ] || skip "no runc at $RUNC"
        set_args sleep 1000
        SYSRUN_TEST_TOKEN=$TOKEN "$RUNC" --root "$TEST_DIR/runc" run -d -b "$BUNDLE" $rid </dev/null >/dev/null 2>&1 3>&-
        for c in "${EXEC_CASES[@]}"; do
                arg=${c%%|*} want=${c#*|}
                run "$RUNC" --root "$TEST_DIR/runc" --log "$TEST_DIR/runc.log" --log-format json exec $rid "$arg"
                [ "$status" -eq 255 ] || fail "runc exec: $status"
                theirs=$(jq -r .msg "$TEST_DIR/runc.log" | sed 's/^exec failed: unable to start container process: //')
                rm -f "$TEST_DIR/runc.log"
                [ "$theirs" = "$want" ] || fail "runc says: $theirs" "expected: $want"
        done
        "$RUNC" --root "$TEST_DIR/runc" delete --force $rid
}

# --- --log and --log-format --------------------------------------------------------------------

@test "--log FILE: a warning goes to the log only, stderr stays empty" {
        update_config '.linux.resources.memory = {"limit": 67108864}'
        set_args true
        run sysrun --cgroup-manager disabled --log "$TEST_DIR/log.txt" run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals ""
        grep -qE '^time="[^"]+" level=warning msg="--cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit"$' \
                "$TEST_DIR/log.txt" || fail "log:" "$(cat "$TEST_DIR/log.txt")"
        # Without --log, the warning is on stderr.
        run sysrun --cgroup-manager disabled run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals "sysrun: warning: --cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit"
}

@test "--log FILE --log-format json: warnings in the log, no 'sysrun:' in msg; errors also on stderr (as runc)" {
        update_config '.linux.resources.memory = {"limit": 67108864}'
        set_args true
        run sysrun --cgroup-manager disabled --log "$TEST_DIR/log.json" --log-format json run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals ""
        run jq -r '"\(.level) \(.msg)"' "$TEST_DIR/log.json"
        assert_output_equals "warning --cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit"

        set_args /nonexistent
        run sysrun --cgroup-manager disabled --log "$TEST_DIR/log.json" --log-format json run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals 'sysrun: exec: "/nonexistent": stat /nonexistent: no such file or directory'
        run jq -r '"\(.level) \(.msg)"' "$TEST_DIR/log.json"
        assert_output_equals 'warning --cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit
warning --cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit
error exec: "/nonexistent": stat /nonexistent: no such file or directory'
        run jq -r 'select(.msg | startswith("sysrun")) | .msg' "$TEST_DIR/log.json"
        assert_output_equals ""
        assert_nothing_left c1
}

@test "--log FILE: exec failures go to the log in runc's words" {
        start_sleeper e1
        run sysrun --log "$TEST_DIR/log.json" --log-format json exec e1 /etc/passwd
        assert_status 255
        assert_output_equals 'sysrun: exec failed: exec: "/etc/passwd": permission denied'
        run jq -r .msg "$TEST_DIR/log.json"
        assert_output_equals 'exec failed: exec: "/etc/passwd": permission denied'
        sysrun kill e1 KILL
        sysrun delete --force e1
}

@test "--log FILE text format escapes quotes as logrus does" {
        run sysrun --log "$TEST_DIR/log.txt" state 'a"b'
        assert_status 1
        run cat "$TEST_DIR/log.txt"
        [[ $output =~ ^time=\"[^\"]+\"\ level=error\ msg=\"(.*)\"$ ]] || fail "log: $output"
        [[ ${BASH_REMATCH[1]} == *'\"'* ]] || fail "quote not escaped: $output"
}

# --- config values in messages -----------------------------------------------------------------

@test "ociVersion: must be a 1.x semver; the error names the field" {
        local v
        for v in '' CAP_SYS_ADMIN 2.0.0 1.0; do
                update_config ".ociVersion = \"$v\""
                run sysrun run -b "$BUNDLE" c1 </dev/null
                assert_status 1
                assert_output_equals "sysrun: config.json: ociVersion: must be a 1.x semantic version such as \"1.2.0\", got \"$v\""
                assert_nothing_left c1
        done
        for v in 1.0.0 1.0.2-dev 1.2.0; do
                update_config ".ociVersion = \"$v\""
                run sysrun run -b "$BUNDLE" c1 </dev/null
                assert_status 0
        done
}

@test "a huge value is echoed cut at 256 bytes with an ellipsis" {
        head -c 200000 /dev/zero | tr '\0' a >"$TEST_DIR/big"
        update_config '.ociVersion = $big' --rawfile big "$TEST_DIR/big"
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        [ "${#output}" -lt 400 ] || fail "message of ${#output} characters"
        [[ $output == *'got "aaaa'*'…' ]] || fail "$output"
        assert_nothing_left c1
}
