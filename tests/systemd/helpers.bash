# SPDX-License-Identifier: Apache-2.0
# Shared by the tests in this directory. They run inside the systemd sandbox (tests/systemd/run.sh),
# as root, with SYSRUN pointing at the binary under test.

SYSRUN=${SYSRUN:?SYSRUN must name the sysrun binary}
STATE_ROOT=/run/sysrun-systemd-tests

sysrun() {
        "$SYSRUN" --root "$STATE_ROOT" "$@"
}

# A busybox root filesystem, made once per file.
make_rootfs() {
        local r=$BATS_FILE_TMPDIR/rootfs a
        [ -d "$r" ] && return 0
        mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/etc" "$r/tmp"
        cp /bin/busybox "$r/bin/"
        for a in $(/bin/busybox --list); do
                [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
        done
}

# make_bundle [JQ-FILTER]: $BUNDLE/config.json from `sysrun spec`, not a terminal, running
# `sleep 1000`, with the filter applied last.
make_bundle() {
        make_rootfs
        BUNDLE=$BATS_TEST_TMPDIR/bundle
        mkdir -p "$BUNDLE"
        rm -f "$BUNDLE/config.json"
        (cd "$BUNDLE" && "$SYSRUN" spec)
        jq --arg root "$BATS_FILE_TMPDIR/rootfs" \
                ".root.path = \$root | .root.readonly = true | .process.terminal = false | .process.args = [\"sleep\", \"1000\"] | ${1:-.}" \
                "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
        mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# with_resources JSON: a bundle whose linux.resources is JSON.
with_resources() {
        make_bundle ".linux.resources = $1"
}

# The value of a unit property, as systemctl shows it.
prop() {
        systemctl show --value -p "$2" "$1"
}

unit_gone() {
        ! systemctl list-units --all --no-legend --plain | grep -q "$1"
}

state_gone() {
        [ ! -e "$STATE_ROOT/$1" ]
}

# Like bats' run, for commands that leave the container's init behind (create, run --detach): the init
# inherits their stdout and stderr, so those go to a file (a pipe would never see its end).
run_detached() {
        local f=$BATS_TEST_TMPDIR/output.$RANDOM
        status=0
        "$@" </dev/null >"$f" 2>&1 || status=$?
        output=$(cat "$f")
        mapfile -t lines <"$f"
}

# A container that is created and whose init blocks on exec.fifo.
create_container() {
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        if [ "$status" -ne 0 ]; then
                echo "create failed: $output" >&2
                return 1
        fi
}

common_setup() {
        ID=t$BATS_TEST_NUMBER-$$
        UNIT=sysrun-$ID.scope
}

common_teardown() {
        sysrun delete --force "$ID" >/dev/null 2>&1 || true
        systemctl stop "$UNIT" >/dev/null 2>&1 || true
        systemctl reset-failed "$UNIT" >/dev/null 2>&1 || true
}
