# SPDX-License-Identifier: Apache-2.0
# Shared setup for sysrun's integration tests (bats, run as root on the host).
#
# Each test gets its own directory $TEST_DIR with a busybox bundle ($BUNDLE, rootfs from
# $BUSYBOX, a static busybox) and its own state root ($ROOT). `sysrun` runs $SYSRUN with that
# --root. Every process a test starts (sysrun, the container's init and its process) carries a
# token in its environment, so teardown can find anything that outlived the test; teardown also
# checks for state dirs, for cgroups under /sys/fs/cgroup/*/sysrun and for mounts that mention
# $TEST_DIR, and fails the test on any leak. Run the files through tests/integration/run.sh (a
# private mount namespace without the v1 memory hierarchy).

SYSRUN=${SYSRUN:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/build/src/sysrun/sysrun}
BUSYBOX=${BUSYBOX:-/bin/busybox}

# One rootfs template per bats run, copied (cheaply: one binary plus symlinks) for each test.
make_rootfs_template() {
        local t=$BATS_RUN_TMPDIR/rootfs-template a

        [ -e "$t/.done" ] && return 0
        rm -rf "$t"
        mkdir -p "$t/bin" "$t/proc" "$t/sys" "$t/dev" "$t/etc" "$t/tmp" "$t/root"
        cp "$BUSYBOX" "$t/bin/busybox"
        # One perl process instead of ~270 ln processes (perl-base is essential in Debian).
        if ! (cd "$t/bin" && "$BUSYBOX" --list | grep -vx busybox |
                xargs perl -e 'symlink("busybox", $_) or die "$_: $!\n" for @ARGV') 2>/dev/null; then
                for a in $("$BUSYBOX" --list); do
                        [ "$a" = busybox ] || [ -L "$t/bin/$a" ] || ln -s busybox "$t/bin/$a"
                done
        fi
        ln -s bin "$t/sbin"
        chmod 1777 "$t/tmp"
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:1000:1000:nobody:/tmp:/bin/sh\n' >"$t/etc/passwd"
        printf 'root:x:0:\nnobody:x:1000:\n' >"$t/etc/group"
        touch "$t/.done"
}

setup_bundle() {
        [ -x "$SYSRUN" ] || {
                echo "sysrun binary '$SYSRUN' not found (build it, or set SYSRUN)" >&2
                return 1
        }
        [ -x "$BUSYBOX" ] || {
                echo "busybox '$BUSYBOX' not found (apt-get install busybox-static)" >&2
                return 1
        }
        # The cgroupfs manager (the default here) makes cgroups: never next to the machine's memory
        # hierarchy. tests/integration/run.sh runs bats in a namespace without it.
        if [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" = cgroupfs ]; then
                echo "/sys/fs/cgroup/memory is mounted: run the host tests through tests/integration/run.sh" >&2
                return 1
        fi
        make_rootfs_template
        # Our own directory, not BATS_TEST_TMPDIR: it must be traversable (0755) for a container
        # root mapped to another uid, and it is removed only after the leak checks.
        TEST_DIR=$(mktemp -d /tmp/sysrun-bats.XXXXXX)
        chmod 755 "$TEST_DIR"
        BUNDLE=$TEST_DIR/bundle
        ROOT=$TEST_DIR/state
        ROOTFS=$BUNDLE/rootfs
        TOKEN=sysrun-bats-$$-${BATS_TEST_NUMBER}-$RANDOM$RANDOM
        mkdir -p "$BUNDLE"
        cp -a "$BATS_RUN_TMPDIR/rootfs-template" "$ROOTFS"
        rm -f "$ROOTFS/.done"
        (cd "$BUNDLE" && "$SYSRUN" spec) || return 1
        # Not a terminal; our token in the environment; a short default process.
        update_config '.process.terminal = false
                | .process.env += ["SYSRUN_TEST_TOKEN='"$TOKEN"'"]
                | .process.args = ["true"]'
}

# update_config JQ-FILTER [jq options...]: edits $BUNDLE/config.json in place.
update_config() {
        local filter=$1
        shift
        jq "$@" "$filter" "$BUNDLE/config.json" >"$BUNDLE/config.json.new" &&
                mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# set_args ARG...: the container's process.args.
set_args() {
        local json
        json=$(jq -cn '$ARGS.positional' --args -- "$@") || return 1
        update_config ".process.args = $json"
}

sysrun() {
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" "$@"
}

# sysrun_bg ARGS...: sysrun in the background, without bats' fd 3; $SYSRUN_BG_PID is its pid
# (the binary's own, so that signals reach it). Redirect its stdio yourself.
sysrun_bg() {
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" "$@" 3>&- &
        SYSRUN_BG_PID=$!
}

# ctr_file ID: the prefix of the files that hold a container's stdio (ID itself when it is a
# plain file name, a hash otherwise: tests use invalid ids too).
ctr_file() {
        if [[ $1 =~ ^[A-Za-z0-9_+.-]{1,100}$ ]] && [ "$1" != . ] && [ "$1" != .. ]; then
                echo "$TEST_DIR/$1"
        else
                echo "$TEST_DIR/id-$(printf '%s' "$1" | md5sum | cut -c1-16)"
        fi
}

# sysrun_create ID [create options...]: create with the container's stdio on files
# ($TEST_DIR/ID.out, $TEST_DIR/ID.err), so that nothing (bats' `run` pipe included) is held open
# by the container. Prints sysrun's own stderr and returns its exit status.
sysrun_create() {
        local id=$1 rc=0 f
        shift
        f=$(ctr_file "$id")
        if [[ " $* " == *" --preserve-fds "* ]]; then
                # The caller passes fd 3 on purpose (not bats' own fd 3).
                sysrun create -b "$BUNDLE" "$@" "$id" <"${CREATE_STDIN:-/dev/null}" >"$f.out" 2>"$f.err" || rc=$?
        else
                sysrun create -b "$BUNDLE" "$@" "$id" <"${CREATE_STDIN:-/dev/null}" >"$f.out" 2>"$f.err" 3>&- ||
                        rc=$?
        fi
        cat "$f.err" >&2
        return $rc
}

# The container's output so far (create only).
container_out() { cat "$(ctr_file "$1").out"; }
container_err() { cat "$(ctr_file "$1").err"; }

# Starts a long-running container and waits until it is running.
start_sleeper() {
        local id=$1
        shift
        set_args sleep 1000
        sysrun_create "$id" "$@" || return 1
        sysrun start "$id" || return 1
        wait_status "$id" running
}

container_status() {
        sysrun state "$1" 2>/dev/null | jq -r .status
}

container_pid() {
        sysrun state "$1" | jq -r .pid
}

# wait_status ID STATUS [TRIES]: polls every 20 ms (default 1 s).
wait_status() {
        local id=$1 want=$2 tries=${3:-50} s=
        while [ "$tries" -gt 0 ]; do
                s=$(container_status "$id")
                [ "$s" = "$want" ] && return 0
                sleep 0.02
                tries=$((tries - 1))
        done
        echo "container $id: status '$s', wanted '$want'" >&2
        return 1
}

# Pids (not zombies: the host's pid 1 does not reap them) whose environment holds our token.
token_pids() {
        local f pid
        for f in $(grep -lsaF "SYSRUN_TEST_TOKEN=$TOKEN" /proc/[0-9]*/environ 2>/dev/null); do
                pid=${f#/proc/}
                pid=${pid%/environ}
                [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
                grep -qE '^State:[[:space:]]+Z' "/proc/$pid/status" 2>/dev/null && continue
                echo "$pid"
        done
}

# Asserts that nothing of this test is left: state dirs, processes, mounts. Cleans up what it
# finds (by pid and by `delete --force`) and then fails.
check_leaks() {
        local leaks=() id pid
        [ -n "${TEST_DIR:-}" ] || return 0

        if [ -d "$ROOT" ]; then
                for id in $(ls -A "$ROOT"); do
                        leaks+=("state dir left: $ROOT/$id")
                        "$SYSRUN" --root "$ROOT" delete --force "$id" >/dev/null 2>&1
                done
        fi
        for pid in $(token_pids); do
                leaks+=("process left: $pid $(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null)")
                kill -KILL "$pid" 2>/dev/null
        done
        # cgroups of the cgroupfs manager (the default path /sysrun/<id>); never the memory hierarchy.
        for d in /sys/fs/cgroup/*/sysrun; do
                [ -d "$d" ] || continue
                case $d in /sys/fs/cgroup/memory/*) continue ;; esac
                leaks+=("cgroup left: $d ($(cd "$d" && find . -mindepth 1 -type d | tr '\n' ' '))")
                find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        if grep -qF "$TEST_DIR" /proc/self/mountinfo; then
                leaks+=("mount left in the host's namespace: $(grep -F "$TEST_DIR" /proc/self/mountinfo)")
        else
                # --one-file-system: never reach through anything mounted into the bundle.
                rm -rf --one-file-system "$TEST_DIR"
        fi
        if [ ${#leaks[@]} -gt 0 ]; then
                printf 'LEAK: %s\n' "${leaks[@]}" >&2
                return 1
        fi
        return 0
}

setup() {
        setup_bundle
}

teardown() {
        check_leaks
}

# --- assertions (bats-assert is not installed) -------------------------------------------------

fail() {
        printf '%s\n' "$@" >&2
        return 1
}

# assert_status N: the last `run`'s exit status.
assert_status() {
        [ "$status" -eq "$1" ] || fail "exit status $status, expected $1" "output: $output"
}

assert_output_equals() {
        [ "$output" = "$1" ] || fail "output:" "$output" "expected:" "$1"
}

assert_output_contains() {
        [[ $output == *"$1"* ]] || fail "output:" "$output" "expected to contain:" "$1"
}

refute_output_contains() {
        [[ $output != *"$1"* ]] || fail "output:" "$output" "expected NOT to contain:" "$1"
}

# After a failed create of ID: no state dir, no process, no mount.
assert_nothing_left() {
        local id=$1
        [ ! -e "$ROOT/$id" ] || fail "state dir $ROOT/$id left after a failed create"
        [ -z "$(token_pids)" ] || fail "processes left: $(token_pids)"
        ! grep -qF "$TEST_DIR" /proc/self/mountinfo || fail "mounts left in the host's namespace"
}
