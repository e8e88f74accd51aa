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

# sysrun_nomem ARGS...: sysrun in a private mount namespace where the host's memory hierarchy is
# unmounted (tests never touch /sys/fs/cgroup/memory), from the cgroups named by $CG_NAME (made by
# make_test_cgroups) when set. No cgroup manager moves the init: its cgroups are the ones it starts in.
sysrun_nomem() {
        SYSRUN_TEST_TOKEN=$TOKEN unshare -m --propagation private sh -c '
                umount -l /sys/fs/cgroup/memory || exit 1
                if [ -n "$CG_NAME" ]; then
                        echo $$ >/sys/fs/cgroup/pids/$CG_NAME/cgroup.procs &&
                        echo $$ >/sys/fs/cgroup/unified/$CG_NAME/cgroup.procs || exit 1
                fi
                exec "$@"' sh "$SYSRUN" --root "$ROOT" --cgroup-manager disabled "$@"
}

# A cgroup of this test in the pids and the unified hierarchies: the container's own cgroup there.
make_test_cgroups() {
        [ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] && [ -d /sys/fs/cgroup/pids ] &&
                [ -d /sys/fs/cgroup/unified ] || skip "needs a hybrid cgroup host with pids and unified"
        CG_NAME=sysrun-bats-$$-$BATS_TEST_NUMBER
        mkdir /sys/fs/cgroup/pids/$CG_NAME /sys/fs/cgroup/unified/$CG_NAME
        export CG_NAME
}

remove_test_cgroups() {
        [ -n "${CG_NAME:-}" ] || return 0
        rmdir /sys/fs/cgroup/pids/$CG_NAME /sys/fs/cgroup/unified/$CG_NAME
}

teardown() {
        local rc=0
        check_leaks || rc=1
        remove_test_cgroups || rc=1
        return $rc
}

# What the container sees of /sys/fs/cgroup: its entries, and the root/fstype/options of each mount.
CGROUP_VIEW='ls /sys/fs/cgroup | tr "\n" " "; echo
        awk "\$5 ~ /^\/sys\/fs\/cgroup/ { for (i = 7; \$i != \"-\"; i++); print \$5, \$4, \$(i+1), substr(\$6, 1, 2) }" /proc/self/mountinfo
        cat /sys/fs/cgroup/pids/cgroup.procs | wc -l
        mkdir /sys/fs/cgroup/x 2>/dev/null || echo tmpfs-ro
        mkdir /sys/fs/cgroup/pids/x 2>/dev/null || echo pids-ro'

@test "cgroup mount on a hybrid host without a cgroup namespace: a tmpfs with the container's own cgroup of each hierarchy" {
        make_test_cgroups
        set_args sh -c "$CGROUP_VIEW"
        run sysrun_nomem run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        local hier="" h
        # The mounted hierarchies (some directories of the host's tmpfs are empty).
        for h in $(grep -E " - cgroup2? " /proc/self/mountinfo | awk '{ print $5 }' |
                sed -n 's|^/sys/fs/cgroup/||p' | grep -vx memory | sort -u); do hier+="$h "; done
        [ "${lines[0]}" = "$hier" ] || fail "entries: '${lines[0]}', expected '$hier'"
        assert_output_contains "/sys/fs/cgroup / tmpfs ro"
        assert_output_contains "/sys/fs/cgroup/pids /$CG_NAME cgroup ro"
        assert_output_contains "/sys/fs/cgroup/unified /$CG_NAME cgroup2 ro"
        assert_output_contains "/sys/fs/cgroup/systemd $(awk -F: '$2 == "name=systemd" { print $3 }' /proc/self/cgroup) cgroup ro"
        refute_output_contains "/sys/fs/cgroup/memory"
        # Only the container's processes are in its pids cgroup: sh and cat (and wc's pipe peer).
        [ "${lines[-3]}" -le 3 ]
        [ "${lines[-2]}" = tmpfs-ro ]
        [ "${lines[-1]}" = pids-ro ]
}

@test "cgroup mount on a hybrid host with a cgroup namespace: fresh v1 mounts rooted at the container's cgroup" {
        make_test_cgroups
        update_config '.linux.namespaces += [{"type": "cgroup"}]'
        set_args sh -c "$CGROUP_VIEW; cat /proc/self/cgroup | grep -E ':(pids|):'"
        run sysrun_nomem run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "/sys/fs/cgroup / tmpfs ro"
        assert_output_contains "/sys/fs/cgroup/pids / cgroup ro"
        assert_output_contains "/sys/fs/cgroup/unified / cgroup2 ro"
        refute_output_contains "/sys/fs/cgroup/memory"
        assert_output_contains "pids-ro"
        assert_output_contains ":pids:/"
        assert_output_contains "0::/"
}

@test "cgroup2 mount on a hybrid host without a cgroup namespace: the container's own unified cgroup" {
        make_test_cgroups
        update_config '(.mounts[] | select(.destination == "/sys/fs/cgroup")) |= (.type = "cgroup2" | .source = "cgroup2")'
        set_args sh -c 'awk "\$5 == \"/sys/fs/cgroup\" { print \$4, \$6 }" /proc/self/mountinfo; ls /sys/fs/cgroup/cgroup.procs'
        run sysrun_nomem run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "/$CG_NAME ro,"
        assert_output_contains "/sys/fs/cgroup/cgroup.procs"
}

@test "a read-only /dev tmpfs: devices, /dev/pts and the links are made first, then it is read-only" {
        update_config '(.mounts[] | select(.destination == "/dev")).options += ["ro"]'
        run_container sh -c 'ls /dev/null /dev/zero /dev/pts/ptmx /dev/ptmx /dev/fd /dev/shm >/dev/null && echo made
                             grep " /dev " /proc/mounts | cut -d" " -f4 | cut -d, -f1
                             touch /dev/x 2>/dev/null || echo dev-ro; echo ok >/dev/null && echo null-writable'
        assert_status 0
        assert_output_equals "$(printf 'made\nro\ndev-ro\nnull-writable')"
}

@test "a read-only /dev with process.terminal: /dev/console is made before /dev is read-only (runc's test)" {
        update_config '(.mounts[] | select(.destination == "/dev")).options += ["ro"] | .process.terminal = true'
        set_args sh -c '[ -c /dev/console ] && echo console-ok; echo dev:$(grep "^tmpfs /dev " /proc/mounts | cut -d" " -f4 | cut -d, -f1)'
        run env SYSRUN_TEST_TOKEN="$TOKEN" script -qec "'$SYSRUN' --root '$ROOT' run -b '$BUNDLE' t1" /dev/null
        assert_status 0
        assert_output_contains "console-ok"
        assert_output_contains "dev:ro"
}

@test "root.readonly without a /dev mount: the devices are made in the rootfs before it is read-only" {
        update_config '.root.readonly = true | .mounts |= map(select(.destination | startswith("/dev") | not))'
        run_container sh -c 'echo x >/dev/null && echo null-ok; [ -L /dev/ptmx ] && [ -c /dev/zero ] && echo made
                             touch /dev/x 2>/dev/null || echo dev-ro'
        assert_status 0
        assert_output_equals "$(printf 'null-ok\nmade\ndev-ro')"
}

@test "createContainer hooks run with the rootfs as their cwd (as runc)" {
        update_config '.hooks = {
                "createContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "pwd >'"$TEST_DIR"'/cc.cwd; ls bin/busybox"]}]}'
        run_container true
        assert_status 0
        [ "$(cat "$TEST_DIR/cc.cwd")" = "$(realpath "$ROOTFS")" ] || fail "createContainer cwd: $(cat "$TEST_DIR/cc.cwd")"
}

@test "--no-pivot: a nested user namespace cannot mount a fresh proc (runc's no_pivot test)" {
        busybox --list | grep -qx unshare || skip "busybox without unshare"
        update_config '.process.capabilities.bounding += ["CAP_SETFCAP"]
                | .process.capabilities.permitted += ["CAP_SETFCAP"]'
        set_args unshare -mrpf sh -euc 'mount -t proc none /proc && echo MOUNTED'
        run sysrun run --no-pivot -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "mount: permission denied"
        refute_output_contains MOUNTED
}

@test "--no-pivot: the container still has its own /proc and /sys, and nothing else of the host" {
        set_args sh -c 'grep -c . /proc/self/mountinfo >/dev/null; awk "{ print \$5 }" /proc/self/mountinfo | sort | tr "\n" " "'
        run sysrun run --no-pivot -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "/proc "
        assert_output_contains "/sys "
        refute_output_contains "$TEST_DIR"
}

@test "userns: a bind mount before the cgroup mount, without and with a cgroup namespace (runc's userns test)" {
        make_test_cgroups
        userns_config
        mkdir -p "$TEST_DIR/src/dir"
        update_config '.mounts |= map(if .destination == "/sys/fs/cgroup" then
                ({"source": "'"$TEST_DIR"'/src/dir", "destination": "/tmp/mount-1", "options": ["bind"]}, .) else . end)'
        set_args sh -c "$CGROUP_VIEW"
        run sysrun_nomem run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "/sys/fs/cgroup/pids /$CG_NAME cgroup ro"
        assert_output_contains "/sys/fs/cgroup/unified /$CG_NAME cgroup2 ro"

        update_config '.linux.namespaces += [{"type": "cgroup"}]'
        run sysrun_nomem run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_contains "/sys/fs/cgroup/pids / cgroup ro"
        assert_output_contains "/sys/fs/cgroup/unified / cgroup2 ro"
        assert_output_contains "pids-ro"
}

@test "--no-pivot in a user namespace: the host's proc and sysfs are covered, a nested proc mount fails" {
        busybox --list | grep -qx unshare || skip "busybox without unshare"
        userns_config
        update_config '.process.capabilities.bounding += ["CAP_SETFCAP"]
                | .process.capabilities.permitted += ["CAP_SETFCAP"]'
        set_args unshare -mrpf sh -euc 'mount -t proc none /proc && echo MOUNTED'
        run sysrun run --no-pivot -b "$BUNDLE" r1 </dev/null
        assert_status 1
        assert_output_contains "mount: permission denied"
        refute_output_contains MOUNTED
}

@test "rootless: bind mounts in the user namespace still work (sources opened by the init, as runc)" {
        getent passwd 1000 >/dev/null || skip "no user 1000"
        command -v setpriv >/dev/null || skip "no setpriv"
        update_config '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]
                | (.mounts[] | select(.destination == "/dev/pts")).options -= ["gid=5"]
                | .mounts += [{"source": "'"$TEST_DIR"'/src", "destination": "/tmp/m", "options": ["rbind"]}]'
        mkdir "$TEST_DIR/src" "$TEST_DIR/rl-state"
        echo hi >"$TEST_DIR/src/f"
        chown 1000:1000 "$TEST_DIR/rl-state" "$BUNDLE/config.json"
        set_args cat /tmp/m/f
        run setpriv --reuid 1000 --regid 1000 --clear-groups env SYSRUN_TEST_TOKEN="$TOKEN" XDG_RUNTIME_DIR="$TEST_DIR" \
                "$SYSRUN" --root "$TEST_DIR/rl-state" run -b "$BUNDLE" r1 </dev/null
        assert_status 0
        assert_output_equals hi
        [ -z "$(ls -A "$TEST_DIR/rl-state")" ]
}
