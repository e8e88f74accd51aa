#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Mount attributes: recursive options (mount_setattr), nosymfollow, idmapped bind mounts and
# tmpcopyup, checked from inside the container. Submounts of the host directories are made in a
# private mount namespace, so that the host's own mount table never changes.

load helpers

setup() {
        setup_bundle
        HOST=$TEST_DIR/host
        mkdir -p "$HOST/sub"
        echo top >"$HOST/file"
}

# add_mount JSON: appends one entry to mounts[]; $MOUNT_INDEX is its index.
add_mount() {
        MOUNT_INDEX=$(jq '.mounts | length' "$BUNDLE/config.json")
        update_config ".mounts += [$1]"
}

# A user namespace whose root is host uid/gid 100000, with a rootfs it owns.
use_userns() {
        chown -R 100000:100000 "$ROOTFS"
        update_config '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# run_with_submount SCRIPT: runs the container (args: sh -c SCRIPT) in a private mount namespace
# where a tmpfs is mounted on $HOST/sub; PREPARE_SUB (shell) runs there first.
run_with_submount() {
        set_args sh -c "$1"
        run unshare -m --propagation private sh -c '
                mount -t tmpfs -o mode=755 sub "$1/sub" || exit 99
                eval "$2" || exit 98
                exec env SYSRUN_TEST_TOKEN="$3" "$4" --root "$5" run -b "$6" m1' \
                sh "$HOST" "${PREPARE_SUB:-true}" "$TOKEN" "$SYSRUN" "$ROOT" "$BUNDLE" </dev/null 3>&-
}

run_container() {
        set_args sh -c "$1"
        run sysrun run -b "$BUNDLE" m1 </dev/null
}

# mount_opts DEST: the per-mount options field of DEST in the container's mountinfo (in $output).
mount_opts() {
        awk -v d="$1" '$1 == "MI" && $6 == d { print $7 }' <<<"$output"
}

MOUNTINFO='sed "s/^/MI /" /proc/self/mountinfo'

# ---- recursive attributes -----------------------------------------------------------------------

@test "rro: the bind and its submount are read-only" {
        add_mount '{"destination": "/data", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "rro"]}'
        run_with_submount 'touch /data/new; touch /data/sub/new; echo > /data/file; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "touch: /data/new: Read-only file system"
        assert_output_contains "touch: /data/sub/new: Read-only file system"
        [[ $(mount_opts /data) == ro,* ]] || fail "/data: $(mount_opts /data)" "$output"
        [[ $(mount_opts /data/sub) == ro,* ]] || fail "/data/sub: $(mount_opts /data/sub)" "$output"
        [ ! -e "$HOST/new" ]
        [ "$(cat "$HOST/file")" = top ]
}

@test "ro without the r: only the top of an rbind is read-only (as runc)" {
        add_mount '{"destination": "/data", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "ro"]}'
        run_with_submount 'touch /data/new; touch /data/sub/new && echo sub-writable; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "touch: /data/new: Read-only file system"
        assert_output_contains "sub-writable"
        [[ $(mount_opts /data/sub) == rw,* ]] || fail "/data/sub: $(mount_opts /data/sub)" "$output"
}

@test "rnoexec: no exec on the bind or its submount; rnosuid, rnodev, rnoatime in mountinfo" {
        cp "$BUSYBOX" "$HOST/bb"
        add_mount '{"destination": "/data", "type": "bind", "source": "'"$HOST"'",
                    "options": ["rbind", "rnoexec", "rnosuid", "rnodev", "rnoatime"]}'
        PREPARE_SUB='cp "$1/bb" "$1/sub/bb"' run_with_submount \
                '/data/bb true || echo top-refused; /data/sub/bb true || echo sub-refused; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "top-refused"
        assert_output_contains "sub-refused"
        assert_output_contains "/data/sub/bb: Permission denied"
        [ "$(mount_opts /data)" = "rw,nosuid,nodev,noexec,noatime" ] || fail "/data: $(mount_opts /data)" "$output"
        [ "$(mount_opts /data/sub)" = "rw,nosuid,nodev,noexec,noatime" ] ||
                fail "/data/sub: $(mount_opts /data/sub)" "$output"
}

@test "rstrictatime and ratime set the atime mode of the whole tree" {
        add_mount '{"destination": "/a", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "rstrictatime"]}'
        add_mount '{"destination": "/b", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "rnoatime", "ratime"]}'
        run_with_submount "$MOUNTINFO"
        assert_status 0
        [ "$(mount_opts /a/sub)" = "rw" ] || fail "/a/sub: $(mount_opts /a/sub)" "$output"
        [ "$(mount_opts /b/sub)" = "rw,relatime" ] || fail "/b/sub: $(mount_opts /b/sub)" "$output"
}

@test "rro on a tmpfs (not only on binds)" {
        add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["rro", "size=1m"]}'
        run_container 'touch /scratch/x; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "touch: /scratch/x: Read-only file system"
        [[ $(mount_opts /scratch) == ro,* ]] || fail "/scratch: $(mount_opts /scratch)" "$output"
}

@test "rro in a user namespace: the submount is read-only too" {
        use_userns
        add_mount '{"destination": "/data", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "rro"]}'
        run_with_submount 'touch /data/sub/new; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "touch: /data/sub/new: Read-only file system"
        [[ $(mount_opts /data/sub) == ro,* ]] || fail "/data/sub: $(mount_opts /data/sub)" "$output"
}

# ---- nosymfollow --------------------------------------------------------------------------------

@test "nosymfollow: symlinks on the mount are not followed; rnosymfollow reaches the submount" {
        ln -s file "$HOST/link"
        add_mount '{"destination": "/ns", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "nosymfollow"]}'
        add_mount '{"destination": "/rns", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "rnosymfollow"]}'
        PREPARE_SUB='echo sub > "$1/sub/file"; ln -s file "$1/sub/link"' run_with_submount '
                cat /ns/file; cat /ns/link || echo ns-refused
                cat /rns/sub/file; cat /rns/sub/link || echo rns-refused
                readlink /ns/link; '"$MOUNTINFO"
        assert_status 0
        assert_output_contains "ns-refused"
        assert_output_contains "rns-refused"
        assert_output_contains "Too many levels of symbolic links"
        [ "${lines[0]}" = top ]
        refute_output_contains "cat: can't open '/ns/file'"
        [[ $(mount_opts /ns) == *nosymfollow* ]] || fail "/ns: $(mount_opts /ns)" "$output"
        [[ $(mount_opts /rns/sub) == *nosymfollow* ]] || fail "/rns/sub: $(mount_opts /rns/sub)" "$output"
        # readlink itself still works: only following is refused.
        assert_output_contains $'\nfile\n'
}

# ---- idmapped bind mounts -----------------------------------------------------------------------

@test "idmap: a host-root file shows as root inside, not as nobody" {
        use_userns
        add_mount '{"destination": "/idm", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "idmap"]}'
        add_mount '{"destination": "/plain", "type": "bind", "source": "'"$HOST"'", "options": ["bind"]}'
        run_container 'stat -c "%u %g" /idm/file /plain/file; touch /idm/made-inside && echo written; '"$MOUNTINFO"
        assert_status 0
        [ "${lines[0]}" = "0 0" ]
        [ "${lines[1]}" = "65534 65534" ]
        [ "${lines[2]}" = written ]
        [[ $(mount_opts /idm) == *idmapped* ]] || fail "/idm: $(mount_opts /idm)" "$output"
        [[ $(mount_opts /plain) != *idmapped* ]]
        # Root inside writes as the host's root through the idmapped mount.
        [ "$(stat -c '%u %g' "$HOST/made-inside")" = "0 0" ]
}

@test "ridmap maps the submount too; idmap maps the top only" {
        use_userns
        add_mount '{"destination": "/r", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "ridmap"]}'
        add_mount '{"destination": "/n", "type": "bind", "source": "'"$HOST"'", "options": ["rbind", "idmap"]}'
        PREPARE_SUB='echo sub > "$1/sub/file"' run_with_submount \
                'stat -c "%u %n" /r/file /r/sub/file /n/file /n/sub/file; '"$MOUNTINFO"
        assert_status 0
        [ "${lines[0]}" = "0 /r/file" ]
        [ "${lines[1]}" = "0 /r/sub/file" ]
        [ "${lines[2]}" = "0 /n/file" ]
        [ "${lines[3]}" = "65534 /n/sub/file" ]
        [[ $(mount_opts /r/sub) == *idmapped* ]] || fail "/r/sub: $(mount_opts /r/sub)" "$output"
        [[ $(mount_opts /n/sub) != *idmapped* ]] || fail "/n/sub: $(mount_opts /n/sub)" "$output"
}

@test "idmap with the mount's own uidMappings/gidMappings, with and without a user namespace" {
        chown 5:6 "$HOST/sub"
        add_mount '{"destination": "/own", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "idmap"],
                    "uidMappings": [{"containerID": 0, "hostID": 101000, "size": 1}],
                    "gidMappings": [{"containerID": 0, "hostID": 102000, "size": 1}]}'
        run_container 'stat -c "%u %g" /own/file /own/sub'
        assert_status 0
        [ "${lines[0]}" = "101000 102000" ]
        [ "${lines[1]}" = "65534 65534" ] # outside the mount's mappings

        use_userns
        run_container 'stat -c "%u %g" /own/file'
        assert_status 0
        # Host 101000/102000 are container ids 1000/2000.
        [ "${lines[0]}" = "1000 2000" ]
}

@test "idmap with a user namespace joined by path: its mappings" {
        use_userns
        start_sleeper holder
        update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "user")]
                        + [{"type": "user", "path": "/proc/'"$(container_pid holder)"'/ns/user"}]
                | del(.linux.uidMappings, .linux.gidMappings)'
        add_mount '{"destination": "/idm", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "idmap"]}'
        run_container 'stat -c "%u %g" /idm/file; cat /proc/self/uid_map'
        assert_status 0
        [ "${lines[0]}" = "0 0" ]
        [ "${lines[1]}" = "         0     100000      65536" ]
        sysrun delete --force holder
}

@test "mount mappings without idmap/ridmap still idmap the mount" {
        add_mount '{"destination": "/own", "type": "bind", "source": "'"$HOST"'", "options": ["bind"],
                    "uidMappings": [{"containerID": 0, "hostID": 101000, "size": 1}],
                    "gidMappings": [{"containerID": 0, "hostID": 101000, "size": 1}]}'
        run_container 'stat -c "%u %g" /own/file'
        assert_status 0
        assert_output_equals "101000 101000"
}

@test "idmap on a filesystem without idmapped mounts: an error naming the mount and the option" {
        use_userns
        add_mount '{"destination": "/k", "type": "bind", "source": "/sys/kernel", "options": ["rbind", "ridmap"]}'
        run sysrun_create m1
        assert_status 1
        assert_output_contains "mounts[$MOUNT_INDEX] (/k): option \"ridmap\": idmapped mounts are not supported by the filesystem: invalid argument"
        assert_nothing_left m1
}

@test "idmap without mappings or a user namespace is refused" {
        add_mount '{"destination": "/idm", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "idmap"]}'
        run sysrun_create m1
        assert_status 1
        assert_output_contains "mounts[$MOUNT_INDEX] (/idm): option \"idmap\": needs the mount's uidMappings and gidMappings, or a user namespace"
        assert_nothing_left m1
}

@test "idmap on a tmpfs is refused, not ignored" {
        use_userns
        add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["idmap"]}'
        run sysrun_create m1
        assert_status 1
        assert_output_contains "mounts[$MOUNT_INDEX] (/t): option \"idmap\": only bind mounts can be idmapped"
        assert_nothing_left m1
}

# ---- tmpcopyup ----------------------------------------------------------------------------------

@test "tmpcopyup over /etc starts with the rootfs's /etc: contents, modes, owners, symlinks, subdirs" {
        mkdir -p "$ROOTFS/etc/sub/deeper"
        echo deep >"$ROOTFS/etc/sub/deeper/f"
        chown 7:8 "$ROOTFS/etc/sub/deeper/f"
        chmod 0604 "$ROOTFS/etc/sub/deeper/f"
        chmod 0711 "$ROOTFS/etc/sub"
        ln -s passwd "$ROOTFS/etc/pw-link"
        chmod 0700 "$ROOTFS/etc"
        add_mount '{"destination": "/etc", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "mode=755"]}'
        run_container 'cat /etc/passwd; cat /etc/sub/deeper/f; stat -c "%a %u %g %F %n" /etc/sub /etc/sub/deeper/f /etc
                       readlink /etc/pw-link; echo x > /etc/written && echo written; '"$MOUNTINFO"
        assert_status 0
        [ "${lines[0]}" = "root:x:0:0:root:/root:/bin/sh" ]
        [ "${lines[1]}" = "nobody:x:1000:1000:nobody:/tmp:/bin/sh" ]
        [ "${lines[2]}" = deep ]
        [ "${lines[3]}" = "711 0 0 directory /etc/sub" ]
        [ "${lines[4]}" = "604 7 8 regular file /etc/sub/deeper/f" ]
        [ "${lines[5]}" = "755 0 0 directory /etc" ] # mode=755 wins
        [ "${lines[6]}" = passwd ]
        [ "${lines[7]}" = written ]
        awk '$1 == "MI" && $6 == "/etc" { found = 1; if ($0 !~ / - tmpfs /) exit 1 } END { exit !found }' \
                <<<"$output" || fail "no tmpfs on /etc" "$output"
        # The rootfs itself is untouched.
        [ ! -e "$ROOTFS/etc/written" ]
}

@test "tmpcopyup in a user namespace keeps the owners and the directory's mode" {
        use_userns
        chown 100007:100008 "$ROOTFS/etc/group"
        chmod 0751 "$ROOTFS/etc"
        add_mount '{"destination": "/etc", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]}'
        run_container 'stat -c "%u %g" /etc/passwd /etc/group; stat -c "%a %u %g" /etc'
        assert_status 0
        [ "${lines[0]}" = "0 0" ]
        [ "${lines[1]}" = "7 8" ]
        # Without mode=, the tmpfs root takes the mode of the directory it covers (not 1777).
        [ "${lines[2]}" = "751 0 0" ]
}

@test "tmpcopyup on a non-tmpfs mount is refused" {
        add_mount '{"destination": "/data", "type": "bind", "source": "'"$HOST"'", "options": ["bind", "tmpcopyup"]}'
        run sysrun_create m1
        assert_status 1
        assert_output_contains "option \"tmpcopyup\""
        assert_nothing_left m1
}

# ---- data options still reach the filesystem ----------------------------------------------------

@test "size= and mode= still go to the filesystem, next to recursive options" {
        add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700", "rnodev"]}'
        run_container 'stat -c %a /scratch; '"$MOUNTINFO"
        assert_status 0
        [ "${lines[0]}" = 700 ]
        awk '$1 == "MI" && $6 == "/scratch"' <<<"$output" | grep -q "size=1024k" || fail "no size=1024k" "$output"
        [[ $(mount_opts /scratch) == *nodev* ]] || fail "/scratch: $(mount_opts /scratch)" "$output"
}

@test "proc or sysfs over a symlink (or a file) is refused in runc's words (runc's mask.bats)" {
        rmdir "$ROOTFS/proc"
        ln -s /symlink "$ROOTFS/proc"
        run sysrun run -b "$BUNDLE" sym-$$ </dev/null
        assert_status 1
        assert_output_contains 'filesystem "proc" must be mounted on ordinary directory'
        [ ! -e "$ROOTFS/symlink" ]
        assert_nothing_left sym-$$
        rm "$ROOTFS/proc"
        mkdir "$ROOTFS/proc"
        rm -rf "$ROOTFS/sys"
        touch "$ROOTFS/sys"
        run sysrun run -b "$BUNDLE" sym-$$ </dev/null
        assert_status 1
        assert_output_contains 'filesystem "sysfs" must be mounted on ordinary directory'
        assert_nothing_left sym-$$
}
