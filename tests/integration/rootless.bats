#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Rootless containers: sysrun run by an unprivileged user made for this file (with a subuid and a
# subgid range of its own), with `sysrun spec --rootless` bundles and the default state root under
# $XDG_RUNTIME_DIR. runc, when installed, runs the same bundles as the baseline.

load helpers
load rootless

setup_file() {
        rootless_user_setup
}

teardown_file() {
        rootless_user_teardown
}

setup() {
        setup_bundle
        rootless_setup
        chown -R "$RL_UID:$RL_GID" "$BUNDLE"
        rm "$BUNDLE/config.json"
        (cd "$BUNDLE" && as_user "$RL_SYSRUN" spec --rootless)
        update_config '.process.terminal = false | .process.env += ["SYSRUN_TEST_TOKEN='"$TOKEN"'"]'
        chown "$RL_UID:$RL_GID" "$BUNDLE/config.json"
}

teardown() {
        rootless_teardown
}

subid_maps() {
        update_config '.linux.uidMappings = [{"containerID": 0, "hostID": '"$RL_UID"', "size": 1},
                                             {"containerID": 1, "hostID": '"$RL_BASE"', "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": '"$RL_GID"', "size": 1},
                                        {"containerID": 1, "hostID": '"$RL_BASE"', "size": 65536}]'
}

with_chown() {
        update_config '.root.readonly = false | .process.capabilities.bounding += ["CAP_CHOWN"]
                | .process.capabilities.effective += ["CAP_CHOWN"] | .process.capabilities.permitted += ["CAP_CHOWN"]'
}

@test "rootless: spec --rootless maps the caller to root" {
        run jq -c '[.linux.uidMappings, .linux.gidMappings, (.linux.namespaces | map(.type) | index("user") != null)]' \
                "$BUNDLE/config.json"
        assert_output_equals "[[{\"containerID\":0,\"hostID\":$RL_UID,\"size\":1}],[{\"containerID\":0,\"hostID\":$RL_GID,\"size\":1}],true]"
}

@test "rootless: spec --rootless + run prints id -u = 0, as runc" {
        set_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        want=$(printf '0\n0\n%10s %10s %10s\n%10s %10s %10s' 0 "$RL_UID" 1 0 "$RL_GID" 1)
        assert_output_equals "$want"
        [ ! -e "$ROOT/r1" ]
        if command -v runc >/dev/null; then
                run as_user runc --root "$XDG/runc" run -b "$BUNDLE" r1 </dev/null
                assert_status 0
                assert_output_equals "$want"
        fi
}

@test "rootless: the default state root is \$XDG_RUNTIME_DIR/sysrun, and nothing is left after delete" {
        set_args sleep 1000
        # The init keeps what it inherits: files, not bats' pipe.
        rl run -d -b "$BUNDLE" r1 </dev/null >"$TEST_DIR/r1.out" 2>"$TEST_DIR/r1.err" || fail "$(cat "$TEST_DIR/r1.err")"
        [ -f "$XDG/sysrun/r1/state.json" ]
        [ "$(stat -c %u "$XDG/sysrun")" = "$RL_UID" ]
        # 0700 and sticky, as runc: the XDG spec says clean-ups leave sticky files alone
        [ "$(stat -c %a "$XDG/sysrun")" = 1700 ]
        run rl state r1
        assert_status 0
        [ "$(jq -r .status <<<"$output")" = running ]
        pid=$(jq -r .pid <<<"$output")
        [ "$(stat -c %u "/proc/$pid")" = "$RL_UID" ]
        run rl list
        assert_output_contains "-(rootless)"
        run rl exec r1 sh -c 'echo exec-$(id -u)'
        assert_status 0
        assert_output_equals exec-0
        run rl kill r1 KILL
        assert_status 0
        run rl delete --force r1
        assert_status 0
        [ -z "$(ls -A "$XDG/sysrun")" ]
        [ -z "$(token_pids)" ]
        ! grep -qF "$TEST_DIR" /proc/self/mountinfo
}

@test "rootless: a subuid range mapping (newuidmap/newgidmap) lets chown 1:1 work, as runc" {
        subid_maps
        with_chown
        set_args sh -c 'touch /tmp/f && chown 1:1 /tmp/f && stat -c "%u:%g" /tmp/f && cat /proc/self/uid_map | wc -l'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals "$(printf '1:1\n2')"
        # On the host the file belongs to the first id of the range.
        [ "$(stat -c %u:%g "$ROOTFS/tmp/f")" = "$RL_BASE:$RL_BASE" ]
        if command -v runc >/dev/null; then
                rm -f "$ROOTFS/tmp/f"
                run as_user runc --root "$XDG/runc" run -b "$BUNDLE" r1 </dev/null
                assert_status 0
                assert_output_equals "$(printf '1:1\n2')"
        fi
}

@test "rootless: with only one's own id mapped, chown 1:1 fails inside (EINVAL), as runc" {
        with_chown
        set_args sh -c 'touch /tmp/f && chown 1:1 /tmp/f'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "Invalid argument"
}

@test "rootless: newuidmap's refusal is the error, word for word; nothing is left" {
        update_config '.linux.uidMappings = [{"containerID": 0, "hostID": '"$RL_UID"', "size": 1},
                                             {"containerID": 1, "hostID": '"$((RL_BASE + 70000))"', "size": 10}]'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "config.json: linux.uidMappings: newuidmap failed (exit status 1): newuidmap: uid range [1-11) -> [$((RL_BASE + 70000))-$((RL_BASE + 70010))) not allowed"
        assert_nothing_left r1
}

@test "rootless: without newuidmap in PATH, the error says what to install; nothing is left" {
        subid_maps
        run as_user env PATH=/nonexistent "$RL_SYSRUN" run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "config.json: linux.uidMappings: mapping more than your own id (uid $RL_UID) needs newuidmap (Debian/Ubuntu package uidmap"
        assert_nothing_left r1
}

@test "rootless: the gid ranges go through newgidmap; setgroups stays allowed for additionalGids" {
        subid_maps
        update_config '.process.user.additionalGids = [5, 7]'
        set_args sh -c 'cat /proc/self/setgroups; id -G'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals "$(printf 'allow\n0 5 7')"
}

@test "rootless: additionalGids with only one's own gid mapped is an error naming the field" {
        update_config '.process.user.additionalGids = [5]'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "process.user.additionalGids: cannot be set when linux.gidMappings maps only your own gid ($RL_GID)"
        assert_nothing_left r1
}

@test "rootless: without a user namespace, an error naming linux.namespaces" {
        update_config '.linux.namespaces -= [{"type": "user"}] | del(.linux.uidMappings, .linux.gidMappings)'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "config.json: linux.namespaces: a rootless container needs a user namespace: sysrun runs as uid $RL_UID"
        assert_nothing_left r1
}

@test "rootless: device nodes are bind mounts of the host's nodes" {
        set_args sh -c 'grep -c " /dev/null " /proc/self/mountinfo; echo x >/dev/null && echo written; ls -l /dev/zero | cut -c1'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals "$(printf '1\nwritten\nc')"
}

@test "rootless: a namespaced sysctl is set; a host one is refused, naming the key" {
        update_config '.linux.namespaces += [{"type": "network"}] | .linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "0"}'
        set_args cat /proc/sys/net/ipv4/ip_unprivileged_port_start
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals 0
        update_config '.linux.sysctl = {"vm.swappiness": "10"}'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "linux.sysctl: 'vm.swappiness' is not in a separate kernel namespace"
}

@test "rootless: rlimits may go down; raising a hard limit is an error naming the field" {
        hard=$(as_user sh -c 'ulimit -Hn')
        update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200}]'
        set_args sh -c 'ulimit -Sn; ulimit -Hn'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals "$(printf '100\n200')"
        update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": '"$((hard + 1))"'}]'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "config.json: process.rlimits[0]: cannot raise the hard limit of RLIMIT_NOFILE to $((hard + 1)) in a rootless container: it is $hard here"
        assert_nothing_left r1
}

@test "rootless: a limit without a cgroup manager is an error naming the field" {
        update_config '.linux.resources = {"pids": {"limit": 10}}'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "linux.resources.pids.limit: cannot be applied: no cgroup manager (rootless, and neither a systemd user manager"
        assert_nothing_left r1
}

@test "rootless: idmapped mounts and intelRdt are refused up front, naming the field" {
        update_config '.mounts += [{"destination": "/mnt", "type": "bind", "source": "/tmp", "options": ["rbind"],
                "uidMappings": [{"containerID": 0, "hostID": '"$RL_UID"', "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": '"$RL_GID"', "size": 1}]}]'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "mounts[7] (/mnt): idmapped mounts cannot be made rootless"
        update_config 'del(.mounts[7]) | .linux.intelRdt = {"closID": "x"}'
        run rl run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "linux.intelRdt: cannot be applied in a rootless container"
        assert_nothing_left r1
}

@test "rootless: features and --help tell the truth" {
        run rl features
        assert_status 0
        [ "$(jq -c '[.linux.cgroup.v1, .linux.cgroup.systemdUser, .linux.mountExtensions.idmap.enabled]' <<<"$output")" = '[false,true,false]' ]
        jq -r '.annotations["run.sysrun.rootless"]' <<<"$output" | grep -q '^true: sysrun runs without root'
        run "$SYSRUN" features
        [ "$(jq -r '.annotations["run.sysrun.rootless"]' <<<"$output")" = "false: sysrun runs as root" ]
        run rl --rootless maybe list
        assert_status 1
        assert_output_contains "invalid --rootless value 'maybe'"
}

@test "rootless: without XDG_RUNTIME_DIR the state root is /run/sysrun, as runc's /run/runc, with a hint" {
        run setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups env -u XDG_RUNTIME_DIR \
                SYSRUN_TEST_TOKEN="$TOKEN" "$RL_SYSRUN" run -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "state root '/run/sysrun': permission denied (rootless: set XDG_RUNTIME_DIR, or pass --root)"
}
