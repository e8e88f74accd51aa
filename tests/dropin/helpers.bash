# SPDX-License-Identifier: Apache-2.0
# Shared by podman.sh and containerd.sh: TAP output, bounded polling, a busybox root filesystem.
# Both run inside the systemd sandbox (tests/dropin/run.sh boots it), as root.

tap_n=0 tap_failed=0

tap_ok() { # tap_ok NAME
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $1"
}

tap_not_ok() { # tap_not_ok NAME DETAIL...: the details become TAP comments
        local l
        tap_n=$((tap_n + 1)) tap_failed=$((tap_failed + 1))
        echo "not ok $tap_n - $1"
        shift
        while IFS= read -r l; do echo "#   $l"; done <<<"$*"
}

tap_skip() { # tap_skip NAME REASON
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $1 # SKIP $2"
}

tap_end() { # the plan, last; the status says whether everything passed
        echo "1..$tap_n"
        [ "$tap_failed" -eq 0 ]
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; fails after SECONDS.
wait_for() {
        local end=$((SECONDS + $1))
        shift
        while ! "$@"; do
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
}

# make_rootfs DIR: busybox, with a passwd and a group file.
make_rootfs() {
        local r=$1 a
        mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/etc" "$r/tmp" "$r/root"
        cp /bin/busybox "$r/bin/" || return 1
        for a in $(/bin/busybox --list); do
                [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
        done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
        echo 'root:x:0:' >"$r/etc/group"
}

# Refuses to run outside the sandbox: the tests unmount things and start daemons.
require_sandbox() {
        [ "$(id -u)" = 0 ] || { echo "$1: must run as root" >&2; exit 2; }
        if [ "${container:-}" != sysrun-sandbox ] || [ ! -d /run/systemd/system ]; then
                echo "$1: run this inside the systemd sandbox (tests/dropin/run.sh does)" >&2
                exit 2
        fi
}

# unmount_under DIR: every mount below DIR, deepest first, in this (the sandbox's) mount namespace.
unmount_under() {
        local m
        for m in $(awk -v d="$1/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
                umount "$m" 2>/dev/null || umount -l "$m"
        done
}
