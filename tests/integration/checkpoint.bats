#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# checkpoint and restore on the host: runc's flags, and the errors when criu is missing or cannot work
# here. Dumping and restoring needs a kernel where `criu check` passes (Debian 12's 6.1, not this
# host's): that is tests/vm/checkpoint.sh in the VM tier.

load helpers

# A fake criu whose `check` fails the way criu 3.17 does on kernels it does not know.
fake_failing_criu() {
        local f=$TEST_DIR/criu
        cat >"$f" <<'SH'
#!/bin/sh
echo "Warn  (criu/kerndat.c:1200): something harmless"
echo "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds" >&2
echo "Error (criu/crtools.c:260): Could not initialize kernel features detection." >&2
exit 1
SH
        chmod 755 "$f"
        echo "$f"
}

@test "checkpoint: runc's flags, with runc's messages for bad values" {
        for cmd in checkpoint restore; do
                run sysrun $cmd
                assert_status 1
                assert_output_contains "\"$cmd\" requires exactly 1 argument(s)"
                run sysrun $cmd --manage-cgroups-mode loose c1
                assert_status 1
                assert_output_equals "sysrun: Invalid manage-cgroups-mode value"
                run sysrun $cmd --empty-ns pid c1
                assert_status 1
                assert_output_equals 'sysrun: namespace "pid" is not supported'
                run sysrun $cmd --no-such-flag c1
                assert_status 1
                assert_output_equals "sysrun: flag provided but not defined: --no-such-flag"
        done
        run sysrun checkpoint --page-server 10.0.0.1 c1
        assert_status 1
        assert_output_equals "sysrun: Use --page-server ADDRESS:PORT to specify page server"
        run sysrun checkpoint --page-server 10.0.0.1:http c1
        assert_status 1
        assert_output_equals "sysrun: Invalid port number"
        run sysrun checkpoint --status-fd x c1
        assert_status 1
        assert_output_equals 'sysrun: invalid value "x" for flag -status-fd: parse error'
        run sysrun checkpoint --parent-path /abs c1
        assert_status 1
        assert_output_equals "sysrun: --parent-path must be relative"
        # Restore-only flags are not checkpoint's, and the reverse.
        run sysrun checkpoint --detach c1
        assert_status 1
        assert_output_contains "flag provided but not defined"
        run sysrun restore --leave-running c1
        assert_status 1
        assert_output_contains "flag provided but not defined"
}

@test "checkpoint: every valid flag is accepted (the container must exist)" {
        run sysrun checkpoint --image-path "$TEST_DIR/img" --work-path "$TEST_DIR/w" --parent-path ../p \
                --leave-running --tcp-established --ext-unix-sk --shell-job --lazy-pages --status-fd 3 \
                --page-server 127.0.0.1:2000 --file-locks --pre-dump --manage-cgroups-mode ignore \
                --empty-ns network --auto-dedup nosuch
        assert_status 1
        assert_output_equals "sysrun: container does not exist"
}

@test "checkpoint: without criu, a clear error and the container keeps running" {
        start_sleeper c1
        pid=$(container_pid c1)
        SYSRUN_CRIU=/nonexistent/criu run sysrun checkpoint --image-path "$TEST_DIR/img" c1
        assert_status 1
        assert_output_equals "sysrun: checkpoint: criu is not installed (package criu): '/nonexistent/criu': no such file or directory"
        PATH=/nonexistent run "$SYSRUN" --root "$ROOT" checkpoint c1
        assert_status 1
        assert_output_equals "sysrun: checkpoint: criu is not installed (package criu): no 'criu' in \$PATH"
        [ "$(container_status c1)" = running ]
        [ "$(container_pid c1)" = "$pid" ]
        [ ! -e "$TEST_DIR/img" ]
        SYSRUN_CRIU=/nonexistent/criu run sysrun restore --image-path "$TEST_DIR/img" c2
        assert_status 1
        assert_output_contains "sysrun: restore: criu is not installed (package criu)"
        # The global --criu (runc's) wins over the environment.
        run sysrun --criu /nonexistent/other checkpoint c1
        assert_status 1
        assert_output_contains "'/nonexistent/other'"
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
}

@test "checkpoint: when 'criu check' fails, criu's error is quoted and the container keeps running" {
        start_sleeper c1
        pid=$(container_pid c1)
        run sysrun --criu "$(fake_failing_criu)" checkpoint --image-path "$TEST_DIR/img" c1
        assert_status 1
        assert_output_equals "sysrun: checkpoint: criu check failed (exit 1), checkpoint/restore cannot work on this kernel: Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds"
        [ "$(container_status c1)" = running ]
        [ "$(container_pid c1)" = "$pid" ]
        [ ! -e "$TEST_DIR/img" ]
        run sysrun --criu "$(fake_failing_criu)" features
        assert_status 0
        [ "$(jq -r '.annotations["run.sysrun.checkpoint.enabled"]' <<<"$output")" = false ]
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
}

@test "checkpoint: the host's criu, if installed, either works or fails with its own error" {
        command -v criu >/dev/null || skip "criu is not installed on this host"
        if criu check >/dev/null 2>&1; then
                skip "criu check passes here: the dump/restore tests are tests/vm/checkpoint.sh"
        fi
        start_sleeper c1
        run sysrun checkpoint --image-path "$TEST_DIR/img" c1
        assert_status 1
        assert_output_contains "sysrun: checkpoint: criu check failed"
        # criu's own first error line when it says one (it does not always, e.g. without a terminal)
        criu check >"$TEST_DIR/check.out" 2>&1 || true
        if grep -q "Error (" "$TEST_DIR/check.out"; then
                assert_output_contains "Error ("
        fi
        [ "$(container_status c1)" = running ]
        run sysrun features
        [ "$(jq -r '.annotations["run.sysrun.checkpoint.enabled"]' <<<"$output")" = false ]
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
}

@test "checkpoint: a created or stopped container cannot be checkpointed (runc's message)" {
        set_args sleep 1000
        sysrun_create c1
        run sysrun --criu "$(fake_failing_criu)" checkpoint c1
        assert_status 1
        assert_output_equals "sysrun: Container cannot be checkpointed in created state"
        sysrun delete --force c1
}

# A fake criu that passes `check`, records its argv (one per line) in $TEST_DIR/criu.args, and:
# dump/pre-dump: writes dump.log and succeeds, or fails with an error line when $TEST_DIR/fail exists;
# restore: starts a sleeper (as if restored), writes its pid to --pidfile, or fails likewise.
fake_criu() {
        local f=$TEST_DIR/criu
        cat >"$f" <<SH
#!/bin/bash
[ "\$1" = check ] && exit 0
printf '%s\n' "\$@" >"$TEST_DIR/criu.args"
while [ \$# -gt 0 ]; do
        case \$1 in
        --images-dir) dir=\$2 ;;
        --pidfile) pidfile=\$2 ;;
        --log-file) log=\$2 ;;
        esac
        shift
done
if [ -e "$TEST_DIR/fail" ]; then
        echo "(00.000100) Error (criu/fake.c:1): fake: it did not work" >"\$dir/\$log"
        exit 1
fi
echo "(00.000100) done" >"\$dir/\$log"
if [ -n "\$pidfile" ]; then
        setsid "$ROOTFS/bin/busybox" sleep 1000 </dev/null >/dev/null 2>&1 &
        echo \$! >"\$pidfile"
fi
exit 0
SH
        chmod 755 "$f"
        echo "$f"
}

@test "checkpoint: criu dump's argv, descriptors.json, and the container is gone afterwards" {
        update_config '.mounts += [{"destination": "/data", "type": "bind", "source": "'"$TEST_DIR"'", "options": ["rbind"]}]'
        start_sleeper c1
        pid=$(container_pid c1)
        run sysrun --criu "$(fake_criu)" checkpoint --image-path "$TEST_DIR/img/a" --tcp-established c1
        assert_status 0
        [ "$(sed -n 1,4p "$TEST_DIR/criu.args" | tr '\n' ' ')" = "dump --tree $pid --root " ]
        grep -qx -- "--tcp-established" "$TEST_DIR/criu.args"
        grep -qx -- "--images-dir" "$TEST_DIR/criu.args"
        grep -qx -- "$TEST_DIR/img/a" "$TEST_DIR/criu.args"
        grep -qx -- "mnt\[/data\]:/data" "$TEST_DIR/criu.args"
        ! grep -qx -- "--leave-running" "$TEST_DIR/criu.args"
        # The fake did not kill the init; sysrun deletes the container as runc does.
        [ "$(jq -r length "$TEST_DIR/img/a/descriptors.json")" = 3 ]
        run sysrun state c1
        assert_output_equals "sysrun: container does not exist"
        [ ! -d "/proc/$pid" ] || [ "$(cut -d' ' -f3 "/proc/$pid/stat")" = Z ]
}

@test "checkpoint: a failing dump quotes criu's log and the container keeps running" {
        start_sleeper c1
        pid=$(container_pid c1)
        touch "$TEST_DIR/fail"
        run sysrun --criu "$(fake_criu)" checkpoint --leave-running --image-path "$TEST_DIR/img" c1
        assert_status 1
        assert_output_equals "sysrun: criu dump failed (exit 1): (00.000100) Error (criu/fake.c:1): fake: it did not work (log: $TEST_DIR/img/dump.log)"
        grep -qx -- "--leave-running" "$TEST_DIR/criu.args"
        [ "$(container_status c1)" = running ]
        [ "$(container_pid c1)" = "$pid" ]
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
}

@test "restore: the restored init is the container's, running; kill and delete work" {
        mkdir -p "$TEST_DIR/img"
        run sysrun --criu "$(fake_criu)" restore -d --image-path "$TEST_DIR/img" --bundle "$BUNDLE" --pid-file "$TEST_DIR/pid" c1
        assert_status 0
        [ "$(sed -n 1,4p "$TEST_DIR/criu.args" | tr '\n' ' ')" = "restore --restore-detached --pidfile $TEST_DIR/img/restore.pid " ]
        [ "$(container_status c1)" = running ]
        pid=$(container_pid c1)
        [ "$(cat "$TEST_DIR/pid")" = "$pid" ]
        [ ! -e "$TEST_DIR/img/restore.pid" ]
        run sysrun --criu "$(fake_criu)" restore -d --image-path "$TEST_DIR/img" --bundle "$BUNDLE" c1
        assert_status 1
        assert_output_equals "sysrun: container with given ID already exists"
        sysrun kill c1 KILL
        wait_status c1 stopped
        sysrun delete c1
        [ ! -e "$ROOT/c1" ]
}

@test "restore: in the foreground it waits for the restored init, exits with its status and deletes" {
        mkdir -p "$TEST_DIR/img"
        "$SYSRUN" --root "$ROOT" --criu "$(fake_criu)" restore --image-path "$TEST_DIR/img" --bundle "$BUNDLE" c1 \
                </dev/null >"$TEST_DIR/fg.out" 2>&1 &
        fg=$!
        wait_status c1 running 250
        sysrun kill c1 KILL
        rc=0
        wait $fg || rc=$?
        [ $rc = 137 ] || fail "restore exited $rc, expected 137: $(cat "$TEST_DIR/fg.out")"
        [ ! -e "$ROOT/c1" ]
}

@test "restore: a failing criu restore quotes its log and leaves nothing" {
        mkdir -p "$TEST_DIR/img"
        touch "$TEST_DIR/fail"
        run sysrun --criu "$(fake_criu)" restore -d --image-path "$TEST_DIR/img" --bundle "$BUNDLE" c1
        assert_status 1
        assert_output_equals "sysrun: criu restore failed (exit 1): (00.000100) Error (criu/fake.c:1): fake: it did not work (log: $TEST_DIR/img/restore.log)"
        assert_nothing_left c1
        run sysrun --criu "$(fake_criu)" restore -d --image-path "$TEST_DIR/nosuch" --bundle "$BUNDLE" c1
        assert_status 1
        assert_output_equals "sysrun: stat $TEST_DIR/nosuch: no such file or directory"
        assert_nothing_left c1
}

@test "checkpoint: dump and restore need a kernel criu supports" {
        skip "criu 3.17's 'criu check' fails on this host's kernel $(uname -r); see tests/vm/checkpoint.sh (VM tier)"
}

@test "checkpoint: a --parent-path that is not in the image path is refused before criu is asked (runc's checkpoint.bats)" {
        start_sleeper c1
        mkdir -p "$TEST_DIR/img"
        SYSRUN_CRIU=/nonexistent/criu run sysrun checkpoint --image-path "$TEST_DIR/img" --parent-path ./parent-dir c1
        assert_status 1
        assert_output_equals "sysrun: invalid --parent-path: stat $TEST_DIR/img/parent-dir: no such file or directory"
        touch "$TEST_DIR/img/file"
        SYSRUN_CRIU=/nonexistent/criu run sysrun checkpoint --image-path "$TEST_DIR/img" --parent-path file c1
        assert_status 1
        assert_output_equals "sysrun: invalid --parent-path: stat $TEST_DIR/img/file: not a directory"
        [ "$(container_status c1)" = running ]
        sysrun delete --force c1
}
