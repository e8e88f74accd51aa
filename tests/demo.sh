#!/bin/bash
# The main job: build sysrun, make a busybox bundle, run a real container in the foreground.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sudo $0)" >&2; exit 1; }
tests/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
sysrun=$PWD/build/src/sysrun/sysrun
bundle=$(mktemp -d /tmp/sysrun-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
tests/make-rootfs.sh "$bundle/rootfs"
(cd "$bundle" && "$sysrun" spec)
# Not on a terminal here, and a command that shows where it runs.
jq '.process.terminal = false | .hostname = "sysrun-demo"
    | .process.args = ["sh", "-c", "echo \"hello from $(hostname), pid $$, uid $(id -u)\"; uname -sr; ls /"]' \
        "$bundle/config.json" >"$bundle/config.json.new" && mv "$bundle/config.json.new" "$bundle/config.json"
echo "+ sysrun run -b $bundle demo-$$"
set +e
"$sysrun" --root /run/sysrun-demo run -b "$bundle" "demo-$$"
rc=$?
echo "container exited with status $rc"
exit $rc
