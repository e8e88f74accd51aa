#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# CI's bench smoke test, as TAP: bench/run-bench.sh --smoke runs every part (run, exec, parallel
# scale, list, delete; under systemd and without) for sysrun, crun and runc, and nothing is left.
# No figure is checked: timings are not tests.
cd "$(dirname "$0")/.."
echo "1..1"
log=$(mktemp /tmp/sysrun-bench-smoke.XXXXXX)
if bench/run-bench.sh --smoke >"$log" 2>&1; then
        echo "ok 1 bench/run-bench.sh --smoke: every part ran, nothing left behind"
        grep '^summary:' "$log" | sed 's/^/# /'
else
        echo "not ok 1 bench/run-bench.sh --smoke"
        tail -40 "$log" | sed 's/^/# /'
fi
rm -f "$log"
