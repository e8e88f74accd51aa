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

# runc_message: runc's own message for a failing run of $BUNDLE (its state in $TEST_DIR/runc).
runc_message() {
        [ -x "$RUNC" ] || return 0
        SYSRUN_TEST_TOKEN=$TOKEN "$RUNC" --root "$TEST_DIR/runc" --log "$TEST_DIR/runc.log" --log-format json \
                run -b "$BUNDLE" "r$RANDOM" </dev/null >/dev/null 2>&1 || true
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
                [ -x "$RUNC" ] || continue
                theirs=$(runc_message)
                [ "$theirs" = "$want" ] || fail "runc says: $theirs" "expected: $want"
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

@test "--log FILE --log-format json: warnings in the log, no 'sysrun:' in msg; errors also on stderr, bare (as runc)" {
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
        assert_output_equals 'exec: "/nonexistent": stat /nonexistent: no such file or directory'
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
        assert_output_equals 'exec failed: exec: "/etc/passwd": permission denied'
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

# --- seccomp -----------------------------------------------------------------------------------

SYSCALL_ERRNO=${SYSCALL_ERRNO:-$(dirname "$SYSRUN")/../../tests/helpers/syscall-errno}
UNISTD_64=/usr/include/x86_64-linux-gnu/asm/unistd_64.h

@test "seccomp: a syscall newer than the profile returns ENOSYS, an older unnamed one the default" {
        local names
        [ "$(uname -m)" = x86_64 ] && [ -r "$UNISTD_64" ] || skip "x86_64 only (needs $UNISTD_64)"
        [ -x "$SYSCALL_ERRNO" ] || fail "helper '$SYSCALL_ERRNO' not built"
        cp "$SYSCALL_ERRNO" "$ROOTFS/bin/syscall-errno"
        # A profile written before rseq (334): it allows every syscall up to there but acct (163).
        names=$(awk '$1 == "#define" && $2 ~ /^__NR_/ && $3 <= 334 && $2 != "__NR_acct" {
                        sub("__NR_", "", $2); print $2 }' "$UNISTD_64" | jq -R . | jq -sc .)
        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 99,
                "architectures": ["SCMP_ARCH_X86_64"],
                "syscalls": [{"names": '"$names"', "action": "SCMP_ACT_ALLOW"}]}'
        # acct (older, not named): 99; clone3 (435), openat2 (437), 1000: ENOSYS (38).
        set_args /bin/syscall-errno 163 435 437 1000
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals "163 99
435 38
437 38
1000 38"
        if [ -x "$RUNC" ]; then
                run "$RUNC" --root "$TEST_DIR/runc" run -b "$BUNDLE" r1 </dev/null
                [ "$status" -eq 0 ] || fail "runc: $output"
                assert_output_equals "163 99
435 38
437 38
1000 38"
        fi

        # An allowing default needs no stub: the kernel answers (openat2 with size 0: EINVAL).
        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "syscalls": [{"names": ["acct"], "action": "SCMP_ACT_ERRNO", "errnoRet": 99}]}'
        set_args /bin/syscall-errno 163 437
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals "163 99
437 22"
}

@test "seccomp: SCMP_ACT_NOTIFY on write is refused in runc's words" {
        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/none.sock",
                "syscalls": [{"names": ["write"], "action": "SCMP_ACT_NOTIFY"}]}'
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals "sysrun: config.json: linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the write syscall"
        assert_nothing_left c1
}

# --- hooks -------------------------------------------------------------------------------------

@test "hooks: failures in runc's words (error running hook #N: …), compared with runc" {
        local c hook want theirs
        local cases=(
                '{"path": "/bin/sh", "args": ["sh", "-c", "exit 3"]}|error running hook #0: error running hook: exit status 3, stdout: , stderr: '
                '{"path": "/nonexistent"}|error running hook #0: fork/exec /nonexistent: no such file or directory'
                '{"path": "/bin/sh", "args": ["sh", "-c", "kill -9 $$"]}|error running hook #0: error running hook: signal: killed, stdout: , stderr: '
                '{"path": "/bin/sleep", "args": ["sleep", "5"], "timeout": 1}|error running hook #0: hook ran past specified timeout of 1.0s'
        )
        for c in "${cases[@]}"; do
                hook=${c%%|*} want=${c#*|}
                update_config ".hooks = {\"createRuntime\": [$hook]}"
                run sysrun run -b "$BUNDLE" c1 </dev/null
                assert_status 1
                assert_output_equals "sysrun: $want"
                assert_nothing_left c1
                [ -x "$RUNC" ] || continue
                SYSRUN_TEST_TOKEN=$TOKEN "$RUNC" --root "$TEST_DIR/runc" --log "$TEST_DIR/runc.log" --log-format json \
                        run -b "$BUNDLE" r1 </dev/null >/dev/null 2>&1 || true
                # runc's error line alone: it also warns about what it cannot read here (its OOM count
                # in a namespace without the memory hierarchy).
                theirs=$(jq -r 'select(.level == "error") | .msg' "$TEST_DIR/runc.log" |
                        sed 's/^runc run failed: unable to start container process: error during container init: //')
                rm -f "$TEST_DIR/runc.log"
                [ "$theirs" = "$want" ] || fail "runc says: $theirs" "expected: $want"
        done
}

# --- --debug (runc's debug.bats, v1.1.5) -----------------------------------------------------

# runc's check_debug: the init's milestones are in the debug lines.
check_debug() {
        [[ "$1" == *"nsexec container setup"* ]] || fail "no 'nsexec container setup' in:" "$1"
        [[ "$1" == *"child process in init()"* ]] || fail "no 'child process in init()' in:" "$1"
        [[ "$1" == *"init: closing the pipe to signal completion"* ]] || fail "no 'init: closing the pipe' in:" "$1"
}

@test "debug: --debug puts logrus debug lines on stderr" {
        set_args /bin/echo "Hello World"
        run sysrun --debug run -b "$BUNDLE" dbg-$$ </dev/null
        assert_status 0
        assert_output_contains "Hello World"
        assert_output_contains "level=debug"
        [[ "$output" =~ time=\"[0-9-]+T[0-9:.]+Z\"\ level=debug\ msg=\" ]]
        check_debug "$output"
}

@test "debug: --debug with --log (text, and --log-format text): the lines go to the log only" {
        set_args /bin/echo "Hello World"
        for fmt in "" "--log-format text"; do
                rm -f "$TEST_DIR/log.out"
                run sysrun --log "$TEST_DIR/log.out" $fmt --debug run -b "$BUNDLE" dbg-$$ </dev/null
                assert_status 0
                assert_output_equals "Hello World"
                output=$(cat "$TEST_DIR/log.out")
                assert_output_contains "level=debug"
                check_debug "$output"
        done
}

@test "debug: --debug with --log --log-format json: JSON lines in the log only" {
        set_args /bin/echo "Hello World"
        run sysrun --log "$TEST_DIR/log.out" --log-format json --debug run -b "$BUNDLE" dbg-$$ </dev/null
        assert_status 0
        assert_output_equals "Hello World"
        output=$(cat "$TEST_DIR/log.out")
        assert_output_contains '"level":"debug"'
        check_debug "$output"
        jq -e . "$TEST_DIR/log.out" >/dev/null
}

@test "debug: create --debug --log: the init's lines (after pivot_root) reach the log; nothing on stderr" {
        set_args /bin/echo "Hello World"
        sysrun --log "$TEST_DIR/log.out" --debug create -b "$BUNDLE" dbg-$$ </dev/null >"$TEST_DIR/dbg.out" \
                2>"$TEST_DIR/dbg.err" 3>&-
        [ ! -s "$TEST_DIR/dbg.err" ] || fail "stderr: $(cat "$TEST_DIR/dbg.err")"
        check_debug "$(cat "$TEST_DIR/log.out")"
        sysrun delete --force dbg-$$
}

@test "debug: an unopenable --log fails at once" {
        run sysrun --log /nonexistent/dir/log.out state dbg-$$
        assert_status 1
        assert_output_contains "failed to open log file /nonexistent/dir/log.out: no such file or directory"
}
