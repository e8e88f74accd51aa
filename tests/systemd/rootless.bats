#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Rootless containers under the user's own systemd: a user made for this file (inside the sandbox,
# whose root is an overlay), its user@UID.service started, and sysrun run as that user. The scope
# is made over the user bus and lands under user@UID.service. The sandbox's /proc has read-only
# submounts, so the kernel refuses a fresh procfs in a user namespace here: these containers bind
# the sandbox's /proc and share its pid namespace (tests/integration/rootless.bats runs the full
# `spec --rootless` bundle on the host).

load helpers

setup_file() {
        command -v setpriv >/dev/null || skip "no setpriv"
        [ -e /usr/lib/systemd/user/dbus.socket ] || [ -e /lib/systemd/user/dbus.socket ] ||
                skip "no user bus (apt-get install dbus-user-session)"
        export RL_USER=sysrun-rl RL_DIR
        id "$RL_USER" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh --user-group "$RL_USER"
        export RL_UID RL_GID
        RL_UID=$(id -u "$RL_USER")
        RL_GID=$(id -g "$RL_USER")
        systemctl start "user@$RL_UID.service"
        # Where the user can reach the binary and the rootfs (the suite's own directory is root's).
        RL_DIR=$(mktemp -d /tmp/sysrun-rootless.XXXXXX)
        chmod 755 "$RL_DIR"
        cp "$SYSRUN" "$RL_DIR/sysrun"
        mkdir -p "$RL_DIR/rootfs/bin" "$RL_DIR/rootfs/proc" "$RL_DIR/rootfs/sys" "$RL_DIR/rootfs/dev" \
                "$RL_DIR/rootfs/tmp" "$RL_DIR/rootfs/etc"
        cp /bin/busybox "$RL_DIR/rootfs/bin/"
        for a in $(/bin/busybox --list); do
                [ "$a" = busybox ] || ln -s busybox "$RL_DIR/rootfs/bin/$a"
        done
}

teardown_file() {
        [ -n "${RL_UID:-}" ] || return 0
        systemctl stop "user@$RL_UID.service" >/dev/null 2>&1
        rm -rf "$RL_DIR"
        userdel "$RL_USER" >/dev/null 2>&1 || true
}

setup() {
        ID=rl$BATS_TEST_NUMBER-$$
        UNIT=sysrun-$ID.scope
        BUNDLE=$RL_DIR/bundle-$BATS_TEST_NUMBER
        mkdir -p "$BUNDLE"
        chown "$RL_UID:$RL_GID" "$BUNDLE"
        (cd "$BUNDLE" && as_user "$RL_DIR/sysrun" spec --rootless)
        # The sandbox's /proc, bound, and its pid namespace (see above).
        jq --arg root "$RL_DIR/rootfs" '.root.path = $root | .process.terminal = false
                | .process.args = ["sleep", "1000"]
                | .linux.namespaces -= [{"type": "pid"}]
                | .mounts |= map(if .destination == "/proc" then
                        {"destination": "/proc", "type": "bind", "source": "/proc", "options": ["rbind", "nosuid", "noexec", "nodev"]}
                        else . end)' "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
        mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
        chown "$RL_UID:$RL_GID" "$BUNDLE/config.json"
}

teardown() {
        rl delete --force "$ID" >/dev/null 2>&1 || true
        as_user systemctl --user stop "$UNIT" >/dev/null 2>&1 || true
        as_user systemctl --user reset-failed >/dev/null 2>&1 || true
        rm -rf "$BUNDLE"
}

# as_user CMD...: CMD as the user, with the environment of its login session.
as_user() {
        setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups env XDG_RUNTIME_DIR="/run/user/$RL_UID" \
                DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$RL_UID/bus" USER="$RL_USER" HOME="$RL_DIR" "$@"
}

rl() {
        as_user "$RL_DIR/sysrun" "$@"
}

update() {
        jq "$1" "$BUNDLE/config.json" >"$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
        chown "$RL_UID:$RL_GID" "$BUNDLE/config.json"
}

user_prop() {
        as_user systemctl --user show --value -p "$2" "$1"
}

# The init inherits its stdio: files, not bats' pipe.
rl_detached() {
        status=0
        rl "$@" </dev/null >"$BUNDLE/out" 2>&1 || status=$?
        output=$(cat "$BUNDLE/out")
}

@test "rootless: the scope is made by the user's systemd, under user@UID.service, with Delegate=yes" {
        rl_detached run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [ -z "$output" ]
        pid=$(rl state "$ID" | jq -r .pid)
        run cat "/proc/$pid/cgroup"
        [[ "$output" == *"0::/user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/$UNIT" ]] || {
                echo "$output"
                false
        }
        [ "$(user_prop "$UNIT" Delegate)" = yes ]
        [ "$(user_prop "$UNIT" ActiveState)" = active ]
        [ "$(user_prop "$UNIT" Slice)" = user.slice ]
        # Not the system's: it knows no such unit.
        [ "$(prop "$UNIT" LoadState)" = not-found ]
        run as_user systemctl --user list-units --no-legend --plain "$UNIT"
        [[ "$output" == "$UNIT "*" active running sysrun container $ID" ]] || { echo "$output"; false; }
        run rl list
        [[ "$output" == *"$UNIT"*"-(rootless)"* ]] || { echo "$output"; false; }
}

@test "rootless: systemctl --user stop stops it; delete removes the rest" {
        rl_detached run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        as_user systemctl --user stop "$UNIT"
        [ "$(rl state "$ID" | jq -r .status)" = stopped ]
        rl delete "$ID"
        [ ! -e "/run/user/$RL_UID/sysrun/$ID" ]
        [ "$(user_prop "$UNIT" LoadState)" = not-found ]
}

@test "rootless: exec joins the scope; pause, resume, ps and kill --all work through the user's systemd" {
        rl_detached run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        run rl exec "$ID" cat /proc/self/cgroup
        [ "$status" -eq 0 ]
        [[ "$output" == *"0::/user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/$UNIT" ]] || {
                echo "$output"
                false
        }
        rl pause "$ID"
        [ "$(rl state "$ID" | jq -r .status)" = paused ]
        rl resume "$ID"
        [ "$(rl state "$ID" | jq -r .status)" = running ]
        run rl ps "$ID"
        [[ "$output" == *"sleep 1000"* ]]
        rl kill --all "$ID" KILL
        rl delete --force "$ID"
        [ "$(user_prop "$UNIT" LoadState)" = not-found ]
        [ -z "$(ls -A "/run/user/$RL_UID/sysrun")" ]
}

@test "rootless: limits the user's controllers cannot take are named in one warning, the rest applies" {
        update '.linux.resources = {"pids": {"limit": 100}, "memory": {"limit": 100000000}}'
        rl_detached run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        have=$(cat "/sys/fs/cgroup/user.slice/user-$RL_UID.slice/user@$RL_UID.service/cgroup.controllers")
        missing=()
        grep -qw pids <<<"$have" || missing+=("linux.resources.pids.limit (TasksMax)")
        grep -qw memory <<<"$have" || missing+=("linux.resources.memory.limit (MemoryMax)")
        if [ ${#missing[@]} -eq 0 ]; then
                [ -z "$output" ]
        else
                [ "$(grep -c warning <<<"$output")" = 1 ]
                for m in "${missing[@]}"; do
                        [[ "$output" == *"$m"* ]] || { echo "$output"; false; }
                done
        fi
        grep -qw pids <<<"$have" && [ "$(user_prop "$UNIT" TasksMax)" = 100 ]
        true
}

@test "rootless: cgroupsPath 'slice:prefix:name' names the unit; an empty slice part is user.slice" {
        update '.linux.cgroupsPath = ":rlprefix:'"$ID"'"'
        rl_detached --systemd-cgroup run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [ "$(user_prop "rlprefix-$ID.scope" Slice)" = user.slice ]
        rl delete --force "$ID"
        [ "$(user_prop "rlprefix-$ID.scope" LoadState)" = not-found ]
}

@test "rootless: not registered with systemd-machined, which takes system containers only" {
        command -v machinectl >/dev/null || skip "no machinectl"
        rl_detached run -d -b "$BUNDLE" "$ID"
        [ "$status" -eq 0 ] || { echo "$output"; false; }
        [[ "$output" != *machine* ]]
        ! machinectl list --no-legend 2>/dev/null | grep -q "^$ID "
}

@test "rootless: cgroupfs on a cgroup2 tree delegated to the user (a cgroup namespace with its own mount)" {
        # A subtree of the user's, the user's shell in a leaf of it; in a user and cgroup namespace the
        # user mounts that tree at /sys/fs/cgroup, as in a container with a delegated cgroup.
        local deleg=/sys/fs/cgroup/sysrun-deleg-$$
        mkdir "$deleg" "$deleg/shell"
        chown -R "$RL_UID:$RL_GID" "$deleg"
        # Root of that user namespace: the map names the namespace's ids.
        update '.linux.uidMappings[0].hostID = 0 | .linux.gidMappings[0].hostID = 0
                | .process.args = ["cat", "/proc/self/cgroup"]'
        cat >"$BUNDLE/inner.sh" <<EOS
mkdir -p /tmp/cg && mount -t cgroup2 cgroup2 /tmp/cg && mount --rbind /tmp/cg /sys/fs/cgroup || exit 99
"$RL_DIR/sysrun" run -b "$BUNDLE" "$ID"; echo "rc=\$?"
ls -d /sys/fs/cgroup/sysrun/"$ID" 2>/dev/null
jq '.linux.resources = {"pids": {"limit": 10}}' "$BUNDLE/config.json" >"$BUNDLE/limit.json" && mkdir "$BUNDLE/b2" &&
        mv "$BUNDLE/limit.json" "$BUNDLE/b2/config.json" && ln -s "$RL_DIR/rootfs" "$BUNDLE/b2/rootfs" &&
        "$RL_DIR/sysrun" run -b "$BUNDLE/b2" "$ID"; echo "rc=\$?"
EOS
        run bash -c "echo \$\$ >'$deleg/shell/cgroup.procs' && exec setpriv --reuid $RL_UID --regid $RL_GID --clear-groups \
                env XDG_RUNTIME_DIR='$BUNDLE' USER='$RL_USER' unshare --user --map-root-user --cgroup --mount sh '$BUNDLE/inner.sh'"
        rmdir "$deleg/shell" "$deleg" 2>/dev/null || true
        # The container's cgroup: /sysrun/ID of the user's tree (the v1 lines: the sandbox's roots).
        [[ "$output" == *$'\n'"0::/sysrun/$ID"$'\n'"rc=0"$'\n'* ]] || { echo "$output"; false; }
        # Where a controller is not delegated (this sandbox's cgroup2 has none), a limit is an error.
        [[ "$output" == *"linux.resources.pids.limit: cannot be applied"*$'\n'"rc=1" ]] || { echo "$output"; false; }
}

@test "rootless: as rootless podman runs it (root of a user namespace, setgroups denied, --systemd-cgroup, user.slice:libpod:ID)" {
        # No user namespace of its own in the config: the runtime already runs in one.
        update '.linux.namespaces -= [{"type": "user"}] | del(.linux.uidMappings, .linux.gidMappings)
                | .linux.cgroupsPath = "user.slice:libpod:'"$ID"'"
                | .mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
        UNIT=libpod-$ID.scope
        run as_user unshare --user --map-root-user sh -c "
                '$RL_DIR/sysrun' --systemd-cgroup run -d -b '$BUNDLE' '$ID' </dev/null >'$BUNDLE/out' 2>&1 || cat '$BUNDLE/out'
                pid=\$('$RL_DIR/sysrun' state '$ID' | jq -r .pid)
                tail -n 1 /proc/\$pid/cgroup
                '$RL_DIR/sysrun' exec '$ID' tail -n 1 /proc/self/cgroup
                '$RL_DIR/sysrun' list | grep -c -- '-(rootless)'
                '$RL_DIR/sysrun' delete --force '$ID' && echo deleted"
        want="0::/user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/$UNIT"
        [ "$output" = "$(printf '%s\n%s\n1\ndeleted' "$want" "$want")" ] || { echo "$output"; false; }
        [ "$(user_prop "$UNIT" LoadState)" = not-found ]
}
