#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Operations: exec, terminals and console sockets, hooks, signals, fd passing.

load helpers

RECVTTY=${RECVTTY:-$(cd "$(dirname "$SYSRUN")/../.." && pwd)/tests/helpers/recvtty}

# The container's process and every hook writes to $OUT, bound at /out in the container.
setup() {
        setup_bundle
        [ -x "$RECVTTY" ] || fail "recvtty '$RECVTTY' not found (build it, or set RECVTTY)"
        OUT=$TEST_DIR/out
        mkdir -p "$OUT"
        update_config '.root.readonly = false
                | .mounts += [{"destination": "/out", "type": "bind", "source": "'"$OUT"'", "options": ["rbind", "rw"]}]'
}

# hook_json KIND [OUTDIR]: a hook that records, in OUTDIR (default $OUT), the state it got on
# stdin (KIND.json), its mount namespace (KIND.mnt) and its turn (a line in "order").
hook_json() {
        local kind=$1 dir=${2:-$OUT}
        jq -cn --arg k "$kind" --arg d "$dir" \
                '{path: "/bin/sh", args: ["sh", "-c",
                  "cat > \($d)/\($k).json; readlink /proc/self/ns/mnt > \($d)/\($k).mnt; echo \($k) >> \($d)/order"]}'
}

add_hook() { # add_hook KIND JSON
        update_config ".hooks.$1 += [$2]"
}

add_all_hooks() {
        local k
        for k in prestart createRuntime createContainer poststart poststop; do
                add_hook "$k" "$(hook_json "$k")"
        done
        # Resolved and run in the container, after pivot_root.
        add_hook startContainer "$(hook_json startContainer /out)"
}

fail_hook='{"path": "/bin/false", "args": ["false"]}'

# sysrun without its stderr (warnings), for exact output checks.
sysrun_quiet() {
        sysrun "$@" 2>/dev/null
}

# --- exec ------------------------------------------------------------------------------------

@test "exec: the process's exit status, and 255 with runc's message when exec itself fails" {
        start_sleeper e1
        run sysrun exec e1 sh -c 'exit 5'
        assert_status 5
        run sysrun exec e1 true
        assert_status 0
        run sysrun exec e1 no-such-command
        assert_status 255
        assert_output_contains 'exec failed: exec: "no-such-command": executable file not found in $PATH'
        sysrun kill e1 KILL
        sysrun delete --force e1
}

@test "exec: joins every namespace of the init and its pid namespace" {
        start_sleeper e2
        local pid ns
        pid=$(container_pid e2)
        for ns in mnt pid net ipc uts; do
                run sysrun exec e2 readlink /proc/self/ns/$ns
                assert_status 0
                assert_output_equals "$(readlink /proc/$pid/ns/$ns)"
        done
        # setns(pid) then fork: the process is in the container's pid namespace, pid 1 is the init.
        run sysrun exec e2 sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
        assert_status 0
        [ "${lines[0]}" -gt 1 ] || fail "pid ${lines[0]}"
        [ "${lines[1]}" = "sleep 1000 " ] || fail "pid 1 is '${lines[1]}'"
        sysrun delete --force e2
}

@test "exec: user, groups and cwd" {
        start_sleeper e3
        run sysrun_quiet exec -u 1000:1000 -g 10 -g 20 --cwd /tmp e3 sh -c 'id -u; id -g; id -G; pwd'
        assert_status 0
        assert_output_equals $'1000\n1000\n1000 10 20\n/tmp'
        run sysrun_quiet exec -u 1000 e3 id -u
        assert_output_equals 1000
        run sysrun exec -u x e3 true
        assert_status 1
        assert_output_contains "bad uid"
        sysrun delete --force e3
}

@test "exec: env is the config's plus -e" {
        start_sleeper e4
        run sysrun_quiet exec -e FOO=bar -e TERM=dumb e4 sh -c 'echo "$FOO $TERM $SYSRUN_TEST_TOKEN"'
        assert_status 0
        assert_output_equals "bar dumb $TOKEN"
        sysrun delete --force e4
}

@test "exec: capabilities from -p (none at all) and from -c" {
        start_sleeper e5
        jq -n --arg t "SYSRUN_TEST_TOKEN=$TOKEN" '{
                args: ["sh", "-c", "grep -E \"^Cap(Eff|Prm|Bnd|Amb)\" /proc/self/status; id -u; pwd; echo $X"],
                cwd: "/tmp", env: ["X=from-json", $t], user: {uid: 1000, gid: 1000},
                capabilities: {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []},
                noNewPrivileges: true}' >"$TEST_DIR/process.json"
        run sysrun exec -p "$TEST_DIR/process.json" e5
        assert_status 0
        assert_output_contains $'CapPrm:\t0000000000000000'
        assert_output_contains $'CapEff:\t0000000000000000'
        assert_output_contains $'CapBnd:\t0000000000000000'
        assert_output_contains $'1000\n/tmp\nfrom-json'

        # CAP_SYS_ADMIN is bit 21 (0x200000); the config's set stays.
        run sysrun exec -c CAP_SYS_ADMIN e5 grep ^CapEff /proc/self/status
        assert_status 0
        [ $((0x${output##*:[[:space:]]} & 0x200000)) -ne 0 ] || fail "no CAP_SYS_ADMIN: $output"
        run sysrun exec e5 grep ^CapEff /proc/self/status
        [ $((0x${output##*:[[:space:]]} & 0x200000)) -eq 0 ] || fail "CAP_SYS_ADMIN without -c: $output"
        sysrun delete --force e5
}

@test "exec: no sysrun fd reaches the process; --preserve-fds passes 3…" {
        start_sleeper e6
        # fds 5 and 7 are open in sysrun: they must not arrive. ls itself holds 3.
        run sysrun_quiet exec e6 ls /proc/self/fd 5</dev/null 7</dev/null
        assert_status 0
        assert_output_equals $'0\n1\n2\n3'
        echo preserved-data >"$TEST_DIR/pfd"
        run sysrun_quiet exec --preserve-fds 1 e6 sh -c 'cat <&3' 3<"$TEST_DIR/pfd"
        assert_status 0
        assert_output_equals preserved-data
        sysrun delete --force e6
}

@test "exec: -d with --pid-file and --pidfd-socket" {
        start_sleeper e7
        "$RECVTTY" -P "$TEST_DIR/pidfd.sock" >"$TEST_DIR/pidfd.out" 2>&1 3>&- &
        local rpid=$! i
        for i in $(seq 100); do [ -S "$TEST_DIR/pidfd.sock" ] && break; sleep 0.02; done
        # Detached, the process keeps sysrun's stdio: not bats' pipe.
        sysrun exec -d --pid-file "$TEST_DIR/exec.pid" --pidfd-socket "$TEST_DIR/pidfd.sock" e7 sleep 1000 \
                </dev/null >/dev/null
        wait "$rpid"
        local pid
        pid=$(cat "$TEST_DIR/exec.pid")
        [ "$(cat "$TEST_DIR/pidfd.out")" = "setns $pid" ] || fail "pidfd: $(cat "$TEST_DIR/pidfd.out"), pid $pid"
        grep -q '^sleep' "/proc/$pid/cmdline" || fail "pid $pid is not the sleep"
        [ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$(container_pid e7)/ns/pid)" ] || fail "not in the pid ns"
        sysrun delete --force e7
}

@test "exec: a terminal through --console-socket (runc's protocol)" {
        start_sleeper e8
        "$RECVTTY" -i $'tty; echo "size $(stty size)"; exit\n' "$TEST_DIR/tty.sock" \
                >"$TEST_DIR/tty.out" 2>"$TEST_DIR/tty.err" 3>&- &
        local rpid=$! i
        for i in $(seq 100); do [ -S "$TEST_DIR/tty.sock" ] && break; sleep 0.02; done
        jq -n --arg t "SYSRUN_TEST_TOKEN=$TOKEN" \
                '{args: ["sh"], cwd: "/", env: [$t], terminal: true, consoleSize: {height: 24, width: 80}}' \
                >"$TEST_DIR/process.json"
        run sysrun exec -d --console-socket "$TEST_DIR/tty.sock" -p "$TEST_DIR/process.json" e8
        assert_status 0
        wait "$rpid" || fail "recvtty: $(cat "$TEST_DIR/tty.err")"
        grep -q '^name: /dev/pts/[0-9]' "$TEST_DIR/tty.err" || fail "$(cat "$TEST_DIR/tty.err")"
        run cat "$TEST_DIR/tty.out"
        assert_output_contains $'/dev/pts/0\r'
        assert_output_contains "size 24 80" # process.consoleSize
        sysrun delete --force e8
}

@test "exec: -t in the foreground proxies sysrun's terminal (under script)" {
        start_sleeper e9
        run env SYSRUN_TEST_TOKEN="$TOKEN" script -qec \
                "stty rows 33 cols 77; '$SYSRUN' --root '$ROOT' exec -t e9 sh -c 'tty; stty size; exit 4'" /dev/null
        assert_status 4
        assert_output_contains "/dev/pts/0"
        assert_output_contains "33 77"
        sysrun delete --force e9
}

@test "exec: console-socket rules and stopped/paused containers" {
        start_sleeper e10
        run sysrun exec -t -d e10 true
        assert_status 255
        assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
        run sysrun exec --console-socket "$TEST_DIR/x.sock" e10 true
        assert_output_contains "cannot use console socket if runc will not detach or allocate tty"

        if sysrun pause e10 2>/dev/null; then
                run sysrun exec e10 true
                assert_status 255
                assert_output_contains "cannot exec in a paused container"
                sysrun resume e10
        fi

        sysrun kill e10 KILL
        wait_status e10 stopped
        run sysrun exec e10 true
        assert_status 255
        assert_output_contains "cannot exec in a stopped container"
        run sysrun exec no-such-container true
        assert_status 255
        assert_output_contains "does not exist"
        sysrun delete e10
}

@test "exec: SIGTERM to a foreground exec reaches the process (143)" {
        start_sleeper e11
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" exec e11 sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
        local spid=$! i
        for i in $(seq 100); do
                [ "$(pgrep -c -P "$spid")" -ge 1 ] 2>/dev/null && break
                sleep 0.02
        done
        # The sleep is sysrun's child once the joiner is gone: wait until it runs the sleep.
        for i in $(seq 100); do
                grep -q '^sleep' /proc/$(pgrep -P "$spid" | head -1)/cmdline 2>/dev/null && break
                sleep 0.02
        done
        kill -TERM "$spid"
        local rc=0
        wait "$spid" || rc=$?
        [ "$rc" -eq 143 ] || fail "exit status $rc"
        sysrun delete --force e11
}

# --- run: terminals, signals, socket activation ---------------------------------------------

@test "run: a terminal in the foreground (under script); /dev/console is the pty" {
        update_config '.process.terminal = true'
        set_args sh -c 'tty; [ -c /dev/console ] && echo console-ok; exit 3'
        run env SYSRUN_TEST_TOKEN="$TOKEN" script -qec "'$SYSRUN' --root '$ROOT' run -b '$BUNDLE' t1" /dev/null
        assert_status 3
        assert_output_contains "/dev/pts/0"
        assert_output_contains "console-ok"
        [ ! -e "$ROOT/t1" ] || fail "state left"
}

@test "run/create: runc's terminal rules" {
        update_config '.process.terminal = true'
        run sysrun create -b "$BUNDLE" t2
        assert_status 1
        assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
        run sysrun run -d -b "$BUNDLE" t2
        assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
        run sysrun run --console-socket "$TEST_DIR/x.sock" -b "$BUNDLE" t2
        assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
        update_config '.process.terminal = false'
        run sysrun create --console-socket "$TEST_DIR/x.sock" -b "$BUNDLE" t2
        assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
        assert_nothing_left t2
}

@test "create: the pty master goes to --console-socket; /dev/console symlink is replaced, not followed" {
        # /dev from the rootfs (no tmpfs), with a planted symlink where /dev/console goes.
        update_config 'del(.mounts[] | select(.destination == "/dev"))
                | .process.terminal = true'
        echo original >"$ROOTFS/etc/victim"
        ln -s ../etc/victim "$ROOTFS/dev/console"
        set_args sh -c '[ -c /dev/console ] && [ ! -L /dev/console ] && echo console-ok; cat /etc/victim; tty'
        "$RECVTTY" "$TEST_DIR/c.sock" >"$TEST_DIR/c.out" 2>"$TEST_DIR/c.err" 3>&- &
        local rpid=$! i
        for i in $(seq 100); do [ -S "$TEST_DIR/c.sock" ] && break; sleep 0.02; done
        sysrun_create t3 --console-socket "$TEST_DIR/c.sock"
        sysrun start t3
        wait "$rpid" || fail "recvtty: $(cat "$TEST_DIR/c.err")"
        run cat "$TEST_DIR/c.out"
        assert_output_contains "console-ok"
        assert_output_contains "original"
        assert_output_contains "/dev/pts/0"
        [ "$(cat "$ROOTFS/etc/victim")" = original ] || fail "the symlink's target changed"
        wait_status t3 stopped
        sysrun delete t3
}

@test "create: --pidfd-socket gets a pidfd of the init" {
        "$RECVTTY" -P "$TEST_DIR/pidfd.sock" >"$TEST_DIR/pidfd.out" 2>&1 3>&- &
        local rpid=$! i
        for i in $(seq 100); do [ -S "$TEST_DIR/pidfd.sock" ] && break; sleep 0.02; done
        sysrun_create p1 --pidfd-socket "$TEST_DIR/pidfd.sock"
        wait "$rpid"
        [ "$(cat "$TEST_DIR/pidfd.out")" = "standard $(container_pid p1)" ] || fail "$(cat "$TEST_DIR/pidfd.out")"
        sysrun delete p1
}

@test "run: SIGTERM to a foreground run ends the container with status 143" {
        # Without a pid namespace the process is no namespace init, so SIGTERM's default applies.
        update_config 'del(.linux.namespaces[] | select(.type == "pid"))'
        set_args sleep 1000
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" s1 </dev/null >/dev/null 2>&1 3>&- &
        local spid=$!
        wait_status s1 running
        kill -TERM "$spid"
        local rc=0
        wait "$spid" || rc=$?
        [ "$rc" -eq 143 ] || fail "exit status $rc"
        [ ! -e "$ROOT/s1" ] || fail "state left"
}

@test "run: signals reach a pid-namespace init that handles them" {
        set_args sh -c 'trap "echo got-term > /out/sig; exit 42" TERM; while :; do sleep 0.05; done'
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" s2 </dev/null >/dev/null 2>&1 3>&- &
        local spid=$!
        wait_status s2 running
        sleep 0.2 # the trap is set
        kill -TERM "$spid"
        local rc=0
        wait "$spid" || rc=$?
        [ "$rc" -eq 42 ] || fail "exit status $rc"
        [ "$(cat "$OUT/sig")" = got-term ]
}

@test "run: socket activation (LISTEN_FDS) reaches the process with LISTEN_PID fixed" {
        set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3; cat <&4'
        echo activated >"$TEST_DIR/lfd"
        echo preserved >"$TEST_DIR/pfd"
        # LISTEN_PID is sysrun's own pid: sh execs env, env execs sysrun.
        run sh -c 'exec env LISTEN_FDS=1 LISTEN_PID=$$ SYSRUN_TEST_TOKEN="$4" "$0" --root "$1" run --preserve-fds 1 \
                -b "$2" l1 3<"$3/lfd" 4<"$3/pfd"' "$SYSRUN" "$ROOT" "$BUNDLE" "$TEST_DIR" "$TOKEN"
        assert_status 0
        assert_output_equals $'1 1\nactivated\npreserved'
}

@test "kill and delete --force of a stopped container, as runc" {
        sysrun_create k1
        sysrun start k1
        wait_status k1 stopped
        run sysrun kill k1 KILL
        assert_status 1
        assert_output_contains "container not running"
        run sysrun kill --all k1 KILL
        assert_status 0
        run sysrun delete --force k1
        assert_status 0
        assert_nothing_left k1
}

# --- hooks -------------------------------------------------------------------------------------

@test "hooks: all six run in order, each with the right status, state and namespace" {
        add_all_hooks
        update_config '.annotations = {"org.example.key": "value"}'
        sysrun_create h1
        local pid
        pid=$(container_pid h1)
        sysrun start h1
        wait_status h1 stopped
        sysrun delete h1

        run cat "$OUT/order"
        assert_output_equals $'prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop'
        local k want
        for k in prestart:created createRuntime:creating createContainer:creating \
                startContainer:created poststart:running poststop:stopped; do
                want=${k#*:}
                k=${k%%:*}
                [ "$(jq -r .status "$OUT/$k.json")" = "$want" ] || fail "$k: $(cat "$OUT/$k.json")"
                [ "$(jq -r .id "$OUT/$k.json")" = h1 ] || fail "$k: $(cat "$OUT/$k.json")"
                [ "$(jq -r .bundle "$OUT/$k.json")" = "$BUNDLE" ] || fail "$k: $(cat "$OUT/$k.json")"
                [ "$(jq -r '.annotations["org.example.key"]' "$OUT/$k.json")" = value ] || fail "$k: $(cat "$OUT/$k.json")"
                [ "$k" = poststop ] || [ "$(jq -r .pid "$OUT/$k.json")" = "$pid" ] || fail "$k: pid, $pid wanted"
        done
        # The runtime's namespace for prestart, createRuntime, poststart and poststop; the
        # container's for createContainer and startContainer.
        local host
        host=$(readlink /proc/self/ns/mnt)
        for k in prestart createRuntime poststart poststop; do
                [ "$(cat "$OUT/$k.mnt")" = "$host" ] || fail "$k ran in $(cat "$OUT/$k.mnt")"
        done
        [ "$(cat "$OUT/createContainer.mnt")" != "$host" ] || fail "createContainer ran in the host's mount ns"
        [ "$(cat "$OUT/createContainer.mnt")" = "$(cat "$OUT/startContainer.mnt")" ] ||
                fail "createContainer and startContainer in different mount namespaces"
}

@test "hooks: with run, poststart runs after the process was exec'd" {
        add_all_hooks
        set_args sh -c 'echo process >> /out/order'
        run sysrun run -b "$BUNDLE" h2
        assert_status 0
        run cat "$OUT/order"
        # The process and poststart race; both come after startContainer and before poststop.
        [ "${lines[3]}" = startContainer ] && [ "${lines[6]}" = poststop ] || fail "$output"
        [[ "${lines[4]} ${lines[5]}" = "process poststart" || "${lines[4]} ${lines[5]}" = "poststart process" ]] ||
                fail "$output"
        [ "$(jq -r .status "$OUT/poststart.json")" = running ]
}

@test "hooks: args, env and stdin ignored (a big state, no SIGPIPE)" {
        add_hook prestart '{"path": "/bin/sh", "args": ["sh", "-c", "echo \"$0 $1\" > '"$OUT"'/args; env > '"$OUT"'/env", "a0", "a1"], "env": ["FOO=bar"]}'
        add_hook prestart '{"path": "/bin/true"}'
        # 512 KiB of annotations: far more than a pipe holds, and /bin/true reads none of it.
        head -c 524288 /dev/zero | tr '\0' x >"$TEST_DIR/big"
        update_config '.annotations = {"big": $big}' --rawfile big "$TEST_DIR/big"
        sysrun_create h3
        run cat "$OUT/args"
        assert_output_equals "a0 a1"
        run cat "$OUT/env"
        assert_output_contains "FOO=bar"
        refute_output_contains "SYSRUN_TEST_TOKEN"
        sysrun delete --force h3
}

@test "hooks: a hook past its timeout is killed and create fails" {
        add_hook createRuntime '{"path": "/bin/sleep", "args": ["sleep", "30"], "timeout": 1}'
        local start=$SECONDS
        run sysrun create -b "$BUNDLE" h4
        assert_status 1
        assert_output_contains "error running hook #0: hook ran past specified timeout of 1.0s"
        [ $((SECONDS - start)) -lt 5 ] || fail "took $((SECONDS - start)) s"
        assert_nothing_left h4
        ! pgrep -f '^sleep 30$' >/dev/null || fail "the hook is still running"
}

@test "hooks: a failing prestart, createRuntime or createContainer hook fails create, destroys, runs poststop" {
        local k
        for k in prestart createRuntime createContainer; do
                setup_bundle_again
                add_hook "$k" "$fail_hook"
                add_hook poststop "$(hook_json poststop)"
                run sysrun create -b "$BUNDLE" hf
                assert_status 1
                assert_output_contains "error running hook #0: error running hook: exit status 1, stdout: , stderr: "
                assert_nothing_left hf
                [ "$(jq -r .status "$OUT/poststop.json")" = stopped ] || fail "$k: no poststop"
        done
}

@test "hooks: a failing startContainer hook stops the container (run fails, nothing left)" {
        add_hook startContainer "$fail_hook"
        add_hook poststop "$(hook_json poststop)"
        run sysrun run -b "$BUNDLE" hs
        assert_status 1
        assert_output_contains "error running hook #0: error running hook: exit status 1, stdout: , stderr: "
        assert_nothing_left hs
        [ -e "$OUT/poststop.json" ] || fail "no poststop"

        # create + start: start has returned when the init runs the hook; the container stops.
        rm -f "$OUT/poststop.json"
        sysrun_create hs2
        sysrun start hs2
        wait_status hs2 stopped
        grep -qF "error running hook #0: error running hook: exit status 1" "$TEST_DIR/hs2.err" || fail "$(cat "$TEST_DIR/hs2.err")"
        sysrun delete hs2
        [ -e "$OUT/poststop.json" ] || fail "no poststop"
}

@test "hooks: a failing poststart hook makes start fail and destroys the container" {
        add_hook poststart "$fail_hook"
        add_hook poststop "$(hook_json poststop)"
        set_args sleep 1000
        sysrun_create hp
        local pid
        pid=$(container_pid hp)
        run sysrun start hp
        assert_status 1
        assert_output_contains "error running hook #0: error running hook: exit status 1, stdout: , stderr: "
        assert_nothing_left hp
        [ ! -e "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" || fail "the init lives on"
        [ -e "$OUT/poststop.json" ] || fail "no poststop"

        run sysrun run -b "$BUNDLE" hp2
        assert_status 1
        assert_nothing_left hp2
}

@test "hooks: a failing poststop hook is a warning; the others still run" {
        add_hook poststop "$fail_hook"
        add_hook poststop "$(hook_json poststop)"
        sysrun_create hq
        run sysrun delete hq
        assert_status 0
        assert_output_contains "warning: error running hook #0: error running hook: exit status 1, stdout: , stderr: "
        [ -e "$OUT/poststop.json" ] || fail "the second poststop hook did not run"
        assert_nothing_left hq
}

# A fresh bundle within one test (for loops over hook kinds).
setup_bundle_again() {
        rm -rf "$BUNDLE" "$OUT"
        mkdir -p "$BUNDLE" "$OUT"
        cp -a "$BATS_RUN_TMPDIR/rootfs-template" "$ROOTFS"
        rm -f "$ROOTFS/.done"
        (cd "$BUNDLE" && "$SYSRUN" spec)
        update_config '.process.terminal = false
                | .process.env += ["SYSRUN_TEST_TOKEN='"$TOKEN"'"]
                | .process.args = ["true"]
                | .root.readonly = false
                | .mounts += [{"destination": "/out", "type": "bind", "source": "'"$OUT"'", "options": ["rbind", "rw"]}]'
}
