#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The command line: spec, --version, help, unimplemented commands, --log.

load helpers

@test "spec: a runc-style default config.json" {
        mkdir "$TEST_DIR/s"
        cd "$TEST_DIR/s"
        run "$SYSRUN" spec
        assert_status 0
        assert_output_equals ""
        c=config.json
        jq -e . "$c" >/dev/null
        [ "$(jq -r .ociVersion "$c")" = "$("$SYSRUN" --version | sed -n 's/^spec: //p')" ]
        [ "$(jq -r .process.terminal "$c")" = true ]
        [ "$(jq -c .process.args "$c")" = '["sh"]' ]
        [ "$(jq -c .process.user "$c")" = '{"uid":0,"gid":0}' ]
        [ "$(jq -r .process.cwd "$c")" = / ]
        [ "$(jq -r .process.noNewPrivileges "$c")" = true ]
        [ "$(jq -c .process.rlimits "$c")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
        [ "$(jq -c .process.capabilities.bounding "$c")" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
        [ "$(jq -c .root "$c")" = '{"path":"rootfs","readonly":true}' ]
        [ "$(jq -r .hostname "$c")" = runc ]
        [ "$(jq -c '[.mounts[].destination]' "$c")" = \
                '["/proc","/dev","/dev/pts","/dev/shm","/dev/mqueue","/sys","/sys/fs/cgroup"]' ]
        [ "$(jq -c '[.linux.namespaces[].type]' "$c")" = '["pid","network","ipc","uts","mount"]' ]
        [ "$(jq -c '.linux.resources' "$c")" = '{"devices":[{"allow":false,"access":"rwm"}]}' ]
        [ "$(jq -r '.linux.maskedPaths | index("/proc/kcore") != null' "$c")" = true ]
        [ "$(jq -r '.linux.readonlyPaths | index("/proc/sys") != null' "$c")" = true ]
        [ "$(jq -r 'has("linux") and (.linux | has("uidMappings") | not)' "$c")" = true ]
}

@test "spec --rootless: a user namespace mapping the caller" {
        mkdir "$TEST_DIR/s"
        run "$SYSRUN" spec --rootless -b "$TEST_DIR/s"
        assert_status 0
        c=$TEST_DIR/s/config.json
        [ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["ipc","mount","pid","user","uts"]' ]
        [ "$(jq -c .linux.uidMappings "$c")" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
        [ "$(jq -c .linux.gidMappings "$c")" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
        [ "$(jq -r 'has("resources")' <<<"$(jq .linux "$c")")" = false ]
        # /sys is a bind mount (no sysfs without a network namespace), devpts has no gid=5.
        [ "$(jq -r '.mounts[] | select(.destination == "/sys") | .type' "$c")" = none ]
        [ "$(jq -r '.mounts[] | select(.destination == "/dev/pts") | .options | index("gid=5")' "$c")" = null ]
}

@test "spec -b and --bundle write into the given directory" {
        mkdir "$TEST_DIR/a" "$TEST_DIR/b"
        run "$SYSRUN" spec -b "$TEST_DIR/a"
        assert_status 0
        run "$SYSRUN" spec --bundle "$TEST_DIR/b"
        assert_status 0
        cmp "$TEST_DIR/a/config.json" "$TEST_DIR/b/config.json"
        [ ! -e config.json ] || [ "$PWD" = "$TEST_DIR/a" ]
}

@test "spec refuses to overwrite an existing config.json" {
        mkdir "$TEST_DIR/s"
        echo '{"mine": true}' >"$TEST_DIR/s/config.json"
        run "$SYSRUN" spec -b "$TEST_DIR/s"
        assert_status 1
        assert_output_equals "sysrun: File config.json exists. Remove it first"
        [ "$(cat "$TEST_DIR/s/config.json")" = '{"mine": true}' ]
}

@test "spec: a missing bundle directory is an error" {
        run "$SYSRUN" spec -b "$TEST_DIR/nosuch"
        assert_status 1
        assert_output_contains "$TEST_DIR/nosuch"
        [ ! -e "$TEST_DIR/nosuch" ]
}

@test "spec: the generated config runs (terminal off)" {
        # setup_bundle made $BUNDLE/config.json with `sysrun spec`; it parses and runs as is.
        set_args echo hello
        run sysrun run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals hello
}

@test "--version: three lines" {
        for opt in --version -v; do
                run "$SYSRUN" $opt
                assert_status 0
                [ "${#lines[@]}" -eq 3 ]
                [[ ${lines[0]} =~ ^sysrun\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "line 1: ${lines[0]}"
                [[ ${lines[1]} =~ ^commit:\ [^[:space:]]+$ ]] || fail "line 2: ${lines[1]}"
                [[ ${lines[2]} =~ ^spec:\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "line 3: ${lines[2]}"
        done
}

@test "help: --help, -h and no command" {
        for args in --help -h ""; do
                run "$SYSRUN" $args
                assert_status 0
                assert_output_contains "USAGE:"
                for cmd in create start run state kill delete list spec; do
                        [[ $output == *"   $cmd "* ]] || fail "help lacks $cmd"
                done
        done
}

@test "an unknown command is an error" {
        run "$SYSRUN" frobnicate
        assert_status 1
        assert_output_equals "sysrun: No help topic for 'frobnicate'"
}

@test "an unknown global option is an error" {
        run "$SYSRUN" --nosuch state x
        assert_status 1
        assert_output_contains "flag provided but not defined: --nosuch"
}

@test "checkpoint and restore are commands (tests in checkpoint.bats)" {
        run sysrun checkpoint c1
        assert_status 1
        assert_output_equals "sysrun: container does not exist"
        SYSRUN_CRIU=/nonexistent run sysrun restore c1
        assert_status 1
        assert_output_contains "sysrun: restore: criu is not installed (package criu)"
}

@test "--log FILE --log-format json: one JSON line per error" {
        run sysrun --log "$TEST_DIR/log.json" --log-format json state nosuch
        assert_status 1
        # runc prints the error on stderr too when it logs to a file, as the bare message.
        assert_output_equals "container does not exist"
        run jq -c '{level, msg}' "$TEST_DIR/log.json"
        assert_status 0
        assert_output_equals '{"level":"error","msg":"container does not exist"}'
        [ "$(jq -r 'keys_unsorted | join(",")' "$TEST_DIR/log.json")" = level,msg,time ]
        t=$(jq -r .time "$TEST_DIR/log.json")
        [[ $t =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] || fail "time: $t"

        # Appended, and quotes are escaped.
        run sysrun --log "$TEST_DIR/log.json" --log-format json state 'a"b'
        assert_status 1
        [ "$(wc -l <"$TEST_DIR/log.json")" -eq 2 ]
        [ "$(tail -n1 "$TEST_DIR/log.json" | jq -r .msg)" = "$output" ]
}

@test "--log-format json without --log: JSON on stderr" {
        run sysrun --log-format json state nosuch
        assert_status 1
        [ "$(jq -c '{level, msg}' <<<"$output")" = '{"level":"error","msg":"container does not exist"}' ]
}

@test "--log FILE in text format" {
        run sysrun --log "$TEST_DIR/log.txt" state nosuch
        assert_status 1
        grep -qE '^time="[^"]+" level=error msg="container does not exist"$' "$TEST_DIR/log.txt"
}

@test "--log-format: an invalid value is an error" {
        run sysrun --log-format yaml state nosuch
        assert_status 1
        assert_output_contains "yaml"
}

@test "features: JSON" {
        run "$SYSRUN" features
        assert_status 0
        jq -e '.ociVersionMin and .ociVersionMax and (.linux.namespaces | index("pid"))' <<<"$output" >/dev/null
        # The mount options sysrun applies itself, and idmapped mounts.
        jq -e '(.mountOptions | index("rro") and index("nosymfollow") and index("ridmap") and index("tmpcopyup"))
               and .linux.mountExtensions.idmap.enabled == true' <<<"$output" >/dev/null
        # every annotation sysrun understands, with its meaning
        jq -e '.annotations["run.sysrun.machine"] and .annotations["org.systemd.property.<Name>"]' <<<"$output" >/dev/null
}
