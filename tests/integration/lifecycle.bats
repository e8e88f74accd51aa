#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# create → start → kill → delete, the state JSON and list.

load helpers

@test "lifecycle: create, start, kill, delete" {
        set_args sleep 1000
        run sysrun_create c1
        assert_status 0
        [ -z "$output" ]

        run sysrun state c1
        assert_status 0
        [ "$(jq -r .status <<<"$output")" = created ]
        pid=$(jq -r .pid <<<"$output")
        [ "$pid" -gt 0 ]
        # The init is alive and waits for start: the process has not been exec'd yet.
        [ -d "/proc/$pid" ]
        [ -e "$ROOT/c1/exec.fifo" ]

        run sysrun start c1
        assert_status 0
        [ -z "$output" ]
        wait_status c1 running
        [ "$(container_pid c1)" = "$pid" ]
        [ ! -e "$ROOT/c1/exec.fifo" ]
        [ "$(readlink /proc/$pid/exe)" = "$ROOTFS/bin/busybox" ] ||
                [ "$(tr '\0' ' ' </proc/$pid/cmdline)" = "sleep 1000 " ]

        run sysrun kill c1 KILL
        assert_status 0
        wait_status c1 stopped
        run sysrun state c1
        assert_status 0
        [ "$(jq -r .pid <<<"$output")" = 0 ]

        run sysrun delete c1
        assert_status 0
        [ -z "$output" ]
        [ ! -e "$ROOT/c1" ]
        run sysrun state c1
        assert_status 1
        assert_output_equals "sysrun: container does not exist"
}

@test "lifecycle: a container whose process exits is stopped" {
        set_args true
        sysrun_create c1
        sysrun start c1
        wait_status c1 stopped
        sysrun delete c1
}

@test "lifecycle: state JSON fields" {
        update_config '.annotations = {"org.example.key": "value", "other": "x y"}'
        set_args sleep 1000
        sysrun_create c1

        run sysrun state c1
        assert_status 0
        # Exactly runc's fields, in runc's order.
        [ "$(jq -c 'keys_unsorted' <<<"$output")" = \
                '["ociVersion","id","pid","status","bundle","rootfs","created","owner","annotations"]' ]
        [ "$(jq -r .ociVersion <<<"$output")" = "$(jq -r .ociVersion "$BUNDLE/config.json")" ]
        [ "$(jq -r .id <<<"$output")" = c1 ]
        [ "$(jq -r .status <<<"$output")" = created ]
        [ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
        [ "$(jq -r .rootfs <<<"$output")" = "$ROOTFS" ]
        [ "$(jq -r .owner <<<"$output")" = root ]
        [ "$(jq -c .annotations <<<"$output")" = '{"org.example.key":"value","other":"x y"}' ]
        created=$(jq -r .created <<<"$output")
        # RFC 3339 in UTC with nanoseconds (Go's RFC3339Nano trims trailing zeros).
        [[ $created =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$ ]]
        # ... and it is now.
        t=$(date -u -d "${created%.*}" +%s)
        now=$(date -u +%s)
        [ $((now - t)) -ge 0 ] && [ $((now - t)) -lt 30 ]

        sysrun delete c1
}

@test "lifecycle: state without annotations has no annotations key" {
        set_args sleep 1000
        update_config 'del(.annotations)'
        sysrun_create c1
        run sysrun state c1
        assert_status 0
        [ "$(jq 'has("annotations")' <<<"$output")" = false ]
        sysrun delete c1
}

@test "lifecycle: the bundle may be relative (-b and the cwd)" {
        set_args sleep 1000
        cd "$TEST_DIR"
        sysrun create -b bundle c1 </dev/null >/dev/null 2>&1
        [ "$(sysrun state c1 | jq -r .bundle)" = "$BUNDLE" ]
        cd "$BUNDLE"
        sysrun create c2 </dev/null >/dev/null 2>&1
        [ "$(sysrun state c2 | jq -r .bundle)" = "$BUNDLE" ]
        sysrun delete c1
        sysrun delete c2
}

@test "list: table, json and quiet" {
        set_args sleep 1000
        sysrun_create c1
        start_sleeper c2

        run sysrun list -q
        assert_status 0
        assert_output_equals "$(printf 'c1\nc2')"

        run sysrun list
        assert_status 0
        [ "${#lines[@]}" -eq 3 ]
        # runc's columns in runc's order, then the unit and the machine (none without systemd)
        [[ ${lines[0]} =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER\ +UNIT\ +MACHINE$ ]]
        read -r id pid st bundle created owner unit machine <<<"${lines[1]}"
        [ "$id" = c1 ] && [ "$pid" = "$(container_pid c1)" ] && [ "$st" = created ]
        [ "$bundle" = "$BUNDLE" ] && [ "$created" = "$(sysrun state c1 | jq -r .created)" ] && [ "$owner" = root ]
        [ "$unit" = - ] && [ "$machine" = - ]
        read -r id pid st bundle created owner <<<"${lines[2]}"
        [ "$id" = c2 ] && [ "$pid" = "$(container_pid c2)" ] && [ "$st" = running ]
        # Columns line up (tabwriter layout): STATUS starts at the same offset on every line.
        off0=${lines[0]%%STATUS*}
        off1=${lines[1]%%created*}
        [ ${#off0} -eq ${#off1} ]

        run sysrun list --no-legend
        assert_status 0
        [ "${#lines[@]}" -eq 2 ]
        [[ ${lines[0]} == c1\ * ]]

        run sysrun list --format json
        assert_status 0
        [ "$(jq -r 'map(.id) | join(",")' <<<"$output")" = c1,c2 ]
        [ "$(jq -r 'map(.status) | join(",")' <<<"$output")" = created,running ]
        [ "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$output")" = \
                ociVersion,id,pid,status,bundle,rootfs,created,owner ]

        sysrun kill c2 KILL
        wait_status c2 stopped
        run sysrun list
        read -r id pid st _ <<<"${lines[2]}"
        [ "$id" = c2 ] && [ "$pid" = 0 ] && [ "$st" = stopped ]

        sysrun delete --force c1
        sysrun delete c2
}

@test "list: an empty or missing root lists nothing" {
        run sysrun list -q
        assert_status 0
        assert_output_equals ""
        run sysrun list --format json
        assert_status 0
        [ "$(jq length <<<"$output")" = 0 ]
        run sysrun list
        assert_status 0
        [[ $output =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER\ +UNIT\ +MACHINE$ ]]
}
