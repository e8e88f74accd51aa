# SPDX-License-Identifier: Apache-2.0
# Shared by the rootless tests (rootless.bats, rootless-podman.bats): an unprivileged user made for
# the file, with a 65536-id range of its own in /etc/subuid and /etc/subgid, and helpers that run
# commands as that user with $XDG_RUNTIME_DIR in the test's directory.

rootless_user_setup() {
        command -v useradd >/dev/null && command -v setpriv >/dev/null || skip "no useradd or setpriv"
        # One user per run (runs of other checkouts may be going on), with a 65536-id range of its
        # own in /etc/subuid and /etc/subgid; userdel takes both away again.
        export RL_USER=sysrun-rl-$$
        export RL_BASE=$((1000000 + ($$ % 10000) * 65536))
        for f in /etc/subuid /etc/subgid; do
                [ -e "$f" ] || { touch "$f" && touch "$BATS_FILE_TMPDIR/created-${f##*/}"; }
        done
        # -K: none of the ranges useradd would pick itself, only ours.
        useradd --no-create-home --shell /bin/sh --user-group -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RL_USER"
        usermod --add-subuids "$RL_BASE-$((RL_BASE + 65535))" --add-subgids "$RL_BASE-$((RL_BASE + 65535))" "$RL_USER"
        export RL_UID RL_GID
        RL_UID=$(id -u "$RL_USER")
        RL_GID=$(id -g "$RL_USER")
}

rootless_user_teardown() {
        [ -n "${RL_USER:-}" ] || return 0
        userdel "$RL_USER" 2>/dev/null || true
        for f in subuid subgid; do
                sed -i "/^$RL_USER:/d" "/etc/$f" 2>/dev/null
                [ -e "$BATS_FILE_TMPDIR/created-$f" ] && [ ! -s "/etc/$f" ] && rm -f "/etc/$f"
        done
        return 0
}

# Per test: $XDG (the user's $XDG_RUNTIME_DIR) in $TEST_DIR, and ROOT, the default state root in it.
rootless_setup() {
        command -v newuidmap >/dev/null || skip "newuidmap missing (apt-get install uidmap)"
        export XDG=$TEST_DIR/xdg
        mkdir -m 0700 "$XDG"
        chown "$RL_UID:$RL_GID" "$XDG"
        # The default state root, for the leak checks.
        ROOT=$XDG/sysrun
        # The binary as the user can run it (a checkout under /root is not theirs to reach).
        RL_SYSRUN=$SYSRUN
        if ! as_user test -x "$SYSRUN"; then
                RL_SYSRUN=$TEST_DIR/sysrun
                cp "$SYSRUN" "$RL_SYSRUN"
        fi
}

# What check_leaks() (helpers.bash) looks for, but the cgroupfs manager's cgroups: a rootless container never has
# one, and those of other root tests running at the same time are not ours to remove.
rootless_teardown() {
        local leaks=() id pid
        [ -n "${TEST_DIR:-}" ] || return 0
        for id in $(ls -A "$ROOT" 2>/dev/null); do
                leaks+=("state dir left: $ROOT/$id")
                rl delete --force "$id" >/dev/null 2>&1
        done
        for pid in $(token_pids); do
                leaks+=("process left: $pid $(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null)")
                kill -KILL "$pid" 2>/dev/null
        done
        if grep -qF "$TEST_DIR" /proc/self/mountinfo; then
                leaks+=("mount left in the host's namespace: $(grep -F "$TEST_DIR" /proc/self/mountinfo)")
        else
                rm -rf --one-file-system "$TEST_DIR"
        fi
        [ ${#leaks[@]} -eq 0 ] || fail "${leaks[@]/#/LEAK: }"
}

# as_user CMD...: CMD as the test's user, in a login-like environment (no root's bus, no root).
as_user() {
        setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups env -u DBUS_SESSION_BUS_ADDRESS \
                XDG_RUNTIME_DIR="$XDG" USER="$RL_USER" HOME="$TEST_DIR" SYSRUN_TEST_TOKEN="$TOKEN" "$@"
}

# rl ARGS...: sysrun as the user, with the default --root.
rl() {
        as_user "$RL_SYSRUN" "$@"
}

