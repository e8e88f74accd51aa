#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The cgroup mount under the systemd manager: the container sees its own scope's cgroup.

load helpers

setup() {
        common_setup
}

teardown() {
        common_teardown
}

@test "cgroup mount without a cgroup namespace: a bind of the scope's cgroup, not the whole tree" {
        make_bundle '.process.args = ["sh", "-c", "awk \"\\$5 == \\\"/sys/fs/cgroup\\\" { print \\$4, substr(\\$6, 1, 2) }\" /proc/self/mountinfo; ls /sys/fs/cgroup | grep -c slice; cat /sys/fs/cgroup/cgroup.procs | wc -l"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [ "${lines[0]}" = "/machine.slice/$UNIT ro" ] || { echo "$output"; false; }
        # No system.slice, user.slice, … of the host's tree: the scope's cgroup is the root here.
        [ "${lines[1]}" = 0 ]
        [ "${lines[2]}" -le 3 ]
        unit_gone "$UNIT"
}

@test "cgroup mount with a cgroup namespace: a fresh cgroup2 mount rooted at the scope" {
        make_bundle '.linux.namespaces += [{"type": "cgroup"}]
                | .process.args = ["sh", "-c", "awk \"\\$5 == \\\"/sys/fs/cgroup\\\" { for (i = 7; \\$i != \\\"-\\\"; i++); print \\$4, \\$(i+1) }\" /proc/self/mountinfo; grep ^0:: /proc/self/cgroup"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [ "${lines[0]}" = "/ cgroup2" ] || { echo "$output"; false; }
        [ "${lines[1]}" = "0::/" ] || { echo "$output"; false; }
}
