#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Containers as services: the sysrun@.service template (Type=notify, READY=1 relayed from the
# container), NOTIFY_SOCKET for run and for create + start, and a service that runs `sysrun run` in
# the foreground: stopping the service stops the container and leaves nothing.

load helpers

BIN=$(dirname "$SYSRUN")
SD_NOTIFY=$BIN/sd-notify

setup() {
        [ -x "$SD_NOTIFY" ] || skip "the sd-notify helper was not built"
        common_setup
        NAME=svc$BATS_TEST_NUMBER-$$
}

teardown() {
        systemctl stop "sysrun@$NAME.service" >/dev/null 2>&1 || true
        systemctl stop "u$NAME.service" >/dev/null 2>&1 || true
        systemctl reset-failed "sysrun@$NAME.service" "u$NAME.service" >/dev/null 2>&1 || true
        rm -rf "/var/lib/sysrun/bundles/$NAME"
        sysrun delete --force "$NAME" >/dev/null 2>&1 || true
        common_teardown
}

# A bundle whose rootfs has the sd-notify client; the process is the filter's .process.args.
notify_bundle() {
        make_bundle "$1"
        cp "$SD_NOTIFY" "$BATS_FILE_TMPDIR/rootfs/bin/sd-notify"
}

# The template as meson built it, with ExecStart= naming the binary under test and the tests' state root.
install_template() {
        [ -f "$BIN/sysrun@.service" ] || skip "the service template was not built"
        sed -e "s|^ExecStart=.*sysrun run|ExecStart=$SYSRUN --root $STATE_ROOT run|" \
                -e "s|^ExecStopPost=-.*sysrun delete|ExecStopPost=-$SYSRUN --root $STATE_ROOT delete|" \
                "$BIN/sysrun@.service" >/run/systemd/system/sysrun@.service
        systemctl daemon-reload
}

nothing_left() {
        state_gone "$1"
        unit_gone "sysrun-$1.scope"
        ! machinectl list --no-legend 2>/dev/null | grep -q "^$1 "
        ! pgrep -f "sleep 100[0-9]" >/dev/null
}

@test "sysrun@NAME: start waits for READY=1; output in the journal; the container is a machine; stop leaves nothing" {
        install_template
        # it stops on SIGTERM, as a service's process should
        notify_bundle '.process.args = ["sh", "-c", "trap \"exit 0\" TERM; echo out-'"$$"'; echo err-'"$$"' >&2; sleep 1; sd-notify READY=1 STATUS=serving; sleep 1001 & wait"]'
        mkdir -p /var/lib/sysrun/bundles
        cp -a "$BUNDLE" "/var/lib/sysrun/bundles/$NAME"
        start=$(date +%s%N)
        systemctl start "sysrun@$NAME.service"
        elapsed=$((($(date +%s%N) - start) / 1000000))
        echo "start took $elapsed ms"
        # the container slept 1 s before READY=1: start waited for it
        [ "$elapsed" -ge 900 ]
        [ "$(prop "sysrun@$NAME.service" ActiveState)" = active ]
        [ "$(prop "sysrun@$NAME.service" StatusText)" = serving ]
        pid=$(sysrun state "$NAME" | jq -r .pid)
        [ "$(prop "sysrun@$NAME.service" MainPID)" = "$pid" ]
        [ "$(prop "sysrun-$NAME.scope" ActiveState)" = active ]
        [[ " $(prop "sysrun-$NAME.scope" BindsTo) " == *" sysrun@$NAME.service "* ]]
        machinectl list --no-legend | grep -q "^$NAME "
        for i in $(seq 30); do
                journalctl -u "sysrun@$NAME.service" --no-pager | grep -q "err-$$" && break
                sleep 0.1
        done
        run journalctl -u "sysrun@$NAME.service" --no-pager -o cat
        echo "$output"
        [[ "$output" == *"out-$$"* ]]
        [[ "$output" == *"err-$$"* ]]
        systemctl stop "sysrun@$NAME.service"
        [ "$(prop "sysrun@$NAME.service" ActiveState)" = inactive ]
        nothing_left "$NAME"
}

@test "sysrun@NAME: a container that never sends READY=1 fails at TimeoutStartSec and leaves nothing" {
        install_template
        mkdir -p /run/systemd/system/sysrun@$NAME.service.d
        printf '[Service]\nTimeoutStartSec=2\n' >/run/systemd/system/sysrun@$NAME.service.d/t.conf
        systemctl daemon-reload
        notify_bundle '.process.args = ["sleep", "1002"]'
        mkdir -p /var/lib/sysrun/bundles
        cp -a "$BUNDLE" "/var/lib/sysrun/bundles/$NAME"
        ! systemctl start "sysrun@$NAME.service"
        [ "$(prop "sysrun@$NAME.service" Result)" = timeout ]
        rm -rf /run/systemd/system/sysrun@$NAME.service.d
        systemctl daemon-reload
        for i in $(seq 50); do state_gone "$NAME" && unit_gone "sysrun-$NAME.scope" && break; sleep 0.1; done
        nothing_left "$NAME"
}

@test "a service running 'sysrun run' in the foreground (systemd-run): systemctl stop leaves nothing" {
        make_bundle '.process.args = ["sleep", "1003"]'
        systemd-run --unit="u$NAME" --property=TimeoutStopSec=15 "$SYSRUN" --root "$STATE_ROOT" run --bundle "$BUNDLE" "$NAME"
        for i in $(seq 50); do
                [ "$(sysrun state "$NAME" 2>/dev/null | jq -r .status)" = running ] && break
                sleep 0.1
        done
        [ "$(sysrun state "$NAME" | jq -r .status)" = running ]
        [[ " $(prop "sysrun-$NAME.scope" BindsTo) " == *" u$NAME.service "* ]]
        systemctl stop "u$NAME.service"
        for i in $(seq 100); do state_gone "$NAME" && unit_gone "sysrun-$NAME.scope" && break; sleep 0.1; done
        nothing_left "$NAME"
}

@test "run -d with NOTIFY_SOCKET returns after READY=1, which reaches sysrun's socket with the init's pid" {
        notify_bundle '.process.args = ["sh", "-c", "sleep 0.5; sd-notify READY=1 STATUS=hi; exec sleep 1004"]'
        sock=$BATS_TEST_TMPDIR/notify.sock
        # the service manager's side: a datagram socket whose messages are kept in a file
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").close()
m = s.recv(4096); open(sys.argv[2], "wb").write(m)' "$sock" "$BATS_TEST_TMPDIR/got" &
        for i in $(seq 50); do [ -e "$BATS_TEST_TMPDIR/got.ready" ] && break; sleep 0.1; done
        NOTIFY_SOCKET=$sock run_detached sysrun run -d --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        wait
        pid=$(sysrun state "$ID" | jq -r .pid)
        cat "$BATS_TEST_TMPDIR/got"
        [ "$(cat "$BATS_TEST_TMPDIR/got")" = "$(printf 'READY=1\nMAINPID=%s\nSTATUS=hi' "$pid")" ]
        # inside: NOTIFY_SOCKET at runc's path, on a read-only bind
        run sysrun exec "$ID" sh -c 'tr "\\0" "\\n" </proc/1/environ | grep ^NOTIFY_SOCKET=; grep " /run/notify " /proc/self/mountinfo'
        echo "$output"
        [ "${lines[0]}" = NOTIFY_SOCKET=/run/notify/notify.sock ]
        [[ "${lines[1]}" == *" ro,"* ]]
}

@test "create + start with NOTIFY_SOCKET: start returns after READY=1" {
        notify_bundle '.process.args = ["sh", "-c", "sleep 1; sd-notify READY=1; exec sleep 1005"]'
        sock=$BATS_TEST_TMPDIR/notify.sock
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").close()
m = s.recv(4096); open(sys.argv[2], "wb").write(m)' "$sock" "$BATS_TEST_TMPDIR/got" &
        for i in $(seq 50); do [ -e "$BATS_TEST_TMPDIR/got.ready" ] && break; sleep 0.1; done
        NOTIFY_SOCKET=$sock run_detached sysrun create --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ]
        start=$(date +%s%N)
        NOTIFY_SOCKET=$sock sysrun start "$ID"
        elapsed=$((($(date +%s%N) - start) / 1000000))
        echo "start took $elapsed ms"
        [ "$elapsed" -ge 900 ]
        wait
        pid=$(sysrun state "$ID" | jq -r .pid)
        [ "$(cat "$BATS_TEST_TMPDIR/got")" = "$(printf 'READY=1\nMAINPID=%s' "$pid")" ]
}
