#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# linux.resources on a host without systemd (no cgroup manager): the blocks docker and podman send
# by default run (their zeros are "not set", not limits), a real limit is refused naming the field,
# and device rules keep their modes (tests/fixtures/resources has the callers' blocks).

load helpers

FIXTURES=$BATS_TEST_DIRNAME/../fixtures/resources

setup() {
        setup_bundle
        [ ! -d /run/systemd/system ] || skip "systemd runs here: the systemd tier covers this host"
}

# with_fixture NAME: the caller's linux.resources block, as it sends it (spliced in as text: jq
# would round 18446744073709551615 to a float).
with_fixture() {
        local block
        update_config '.linux.resources = "@RESOURCES@"' &&
                block=$(tr -d '\n' <"$FIXTURES/$1") &&
                sed -i "s|\"@RESOURCES@\"|$block|" "$BUNDLE/config.json"
}

# This file is about a host with no cgroup manager at all: sysrun runs in a mount namespace of its
# own (inside the tier's private one) with no cgroup hierarchy mounted, so the default is none
# rather than cgroupfs.
sysrun() {
        unshare -m --propagation private sh -c 'umount -R -l /sys/fs/cgroup && exec "$@"' \
                sh "$SYSRUN" --root "$ROOT" "$@"
}

run_container() {
        set_args "$@"
        run sysrun run -b "$BUNDLE" r1 </dev/null
}

@test "resources: docker 20.10's default block runs without a cgroup manager" {
        with_fixture docker-20.10-default.json
        [ "$(jq -c .linux.resources.cpu "$BUNDLE/config.json")" = '{"shares":0}' ]
        run_container sh -c 'echo ok >/dev/null && echo ran'
        assert_status 0
        assert_output_equals ran
}

@test "resources: every zero docker sends (and pids.limit -1) runs without a cgroup manager" {
        set_args echo ran # before the splice: jq rewrites the block's uint64 swappiness
        with_fixture docker-zeros.json
        grep -q '"swappiness": 18446744073709551615' "$BUNDLE/config.json"
        run sysrun run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals ran
}

@test "resources: podman 4.3's block with --pids-limit 0 runs without a cgroup manager" {
        with_fixture podman-4.3-pids-limit-0.json
        run_container echo ran
        assert_status 0
        assert_output_equals ran
}

@test "resources: with the cgroupfs manager (the default here), podman 4.3's default block runs with pids.max 2048" {
        [ -d /sys/fs/cgroup/pids ] || skip "no v1 pids hierarchy"
        with_fixture podman-4.3-default.json
        set_args cat /sys/fs/cgroup/pids/pids.max
        run "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals 2048
        assert_nothing_left r1
}

@test "resources: with the cgroupfs manager, every zero docker sends is no limit either" {
        set_args echo ran
        with_fixture docker-zeros.json
        run "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals ran
        assert_nothing_left r1
}

@test "resources: podman 4.3's default pids.limit 2048 is a real limit: refused, naming the field" {
        with_fixture podman-4.3-default.json
        run_container echo ran
        assert_status 1
        assert_output_contains "linux.resources.pids.limit: cannot be applied: no cgroup manager"
        refute_output_contains ran
        assert_nothing_left r1
}

@test "resources: --cgroup-manager=disabled warns once about podman's pids.limit and runs" {
        with_fixture podman-4.3-default.json
        set_args echo ran
        run sysrun --cgroup-manager=disabled run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "ignoring resource limits: linux.resources.pids.limit"
        [ "$(grep -c 'ignoring resource limits' <<<"$output")" -eq 1 ]
        assert_output_contains ran
}

# A second /dev/null (1:3) at another path, with the rule docker writes for --device X:MODE.
with_device() {
        update_config '.linux.devices = [{"path": "/dev/xnull", "type": "c", "major": 1, "minor": 3, "fileMode": 438}]
                | .linux.resources.devices = [{"allow": false, "access": "rwm"}] + $rules' --argjson rules "$1"
}

@test "devices: a node whose rule is only 'r' is refused without a cgroup manager (it would be rw)" {
        # runc's defaults allow 1:3 rwm after the rules: a device outside them (1:4, /dev/port)
        with_device '[{"allow": true, "type": "c", "major": 1, "minor": 4, "access": "r"}]'
        update_config '.linux.devices[0].minor = 4'
        run_container echo ran
        assert_status 1
        assert_output_contains "linux.devices[0] ('/dev/xnull'): linux.resources.devices grant it only 'r'"
        assert_output_contains "without a device cgroup the node would be readable and writable"
        assert_nothing_left r1
}

@test "devices: --cgroup-manager=disabled lists an 'r'-only device with the ignored limits" {
        with_device '[{"allow": true, "type": "c", "major": 1, "minor": 4, "access": "r"}]'
        update_config '.linux.devices[0].minor = 4'
        set_args true
        run sysrun --cgroup-manager=disabled run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "ignoring resource limits: linux.devices[0] ('/dev/xnull'): linux.resources.devices grant it only 'r'"
}

@test "devices: a node the rules grant nothing exists but cannot be opened" {
        with_device '[]'
        update_config '.linux.devices[0].minor = 4'
        run_container sh -c 'stat -c "%F %t:%T" /dev/xnull; head -c1 /dev/xnull && echo opened; echo >/dev/xnull && echo opened; true'
        assert_status 0
        assert_output_contains "character special file 1:4"
        assert_output_contains "Permission denied"
        refute_output_contains opened
}

@test "devices: a node whose rules grant rw is usable" {
        with_device '[{"allow": true, "type": "c", "major": 1, "minor": 4, "access": "rw"}]'
        update_config '.linux.devices[0] = {"path": "/dev/xzero", "type": "c", "major": 1, "minor": 5, "fileMode": 438}
                | .linux.resources.devices[1].minor = 5'
        run_container sh -c 'head -c 3 /dev/xzero | wc -c; echo x >/dev/xzero && echo wrote'
        assert_status 0
        assert_output_equals "$(printf '3\nwrote')"
}
