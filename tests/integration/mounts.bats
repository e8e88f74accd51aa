#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Mounts as runc 1.1.5's own bats suite checks them: bind sources only the host's root can reach,
# cgroup mounts, a read-only /dev, the createContainer hooks' cwd, --no-pivot.

load helpers

# run_container ARG...: `sysrun run` of ARG... with stdin from /dev/null, into $status/$output.
run_container() {
        set_args "$@"
        run sysrun run -b "$BUNDLE" r1 </dev/null
}

userns_config() {
        update_config '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

@test "userns: bind sources only the host's root can reach are opened before the user namespace" {
        userns_config
        # 0700 root-owned directories: the container's root (host uid 100000) cannot search them.
        mkdir -p "$TEST_DIR"/hidden-{1,2}/dir "$TEST_DIR/hidden-3"
        chmod 700 "$TEST_DIR"/hidden-{1,2,3}
        echo one >"$TEST_DIR/hidden-1/dir/foo.txt"
        echo two >"$TEST_DIR/hidden-2/dir/foo.txt"
        echo three >"$TEST_DIR/hidden-3/file"
        update_config '.mounts += [
                {"source": "'"$TEST_DIR"'/hidden-1/dir", "destination": "/tmp/mount-1", "options": ["bind"]},
                {"source": "'"$TEST_DIR"'/hidden-2/dir", "destination": "/tmp/mount-2", "type": "bind", "options": ["rbind", "ro"]},
                {"source": "'"$TEST_DIR"'/hidden-3/file", "destination": "/tmp/three", "options": ["bind"]}]'
        run_container sh -c 'cat /tmp/mount-1/foo.txt /tmp/mount-2/foo.txt /tmp/three;
                             grep " /tmp/mount-2 " /proc/mounts | cut -d" " -f4 | cut -d, -f1; ls -l /proc/1/fd | grep -c hidden; true'
        assert_status 0
        # No fd of a source reaches the process: the init closed them.
        assert_output_equals "$(printf 'one\ntwo\nthree\nro\n0')"
}

@test "userns: a missing bind source is an error naming the mount, and leaves nothing" {
        userns_config
        update_config '.mounts += [{"source": "'"$TEST_DIR"'/nope", "destination": "/nope", "options": ["bind"]}]'
        run_container true
        assert_status 1
        assert_output_contains "mounts[7]: bind source '$TEST_DIR/nope': "
        assert_nothing_left r1
}
