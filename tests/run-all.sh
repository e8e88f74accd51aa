#!/bin/bash
# Runs every test: unit tests (plain and ASan/UBSan), integration tests as root on this host, the fuzz
# targets (a short fixed run each), the systemd suite and the drop-in tier (podman, containerd) inside a
# systemd booted in fresh namespaces, and the VM tier. Ends with "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
top=$PWD
[ "$(id -u)" = 0 ] || { echo "run-all: run as root (sudo $0)" >&2; exit 1; }
tests/deps.sh --test || { echo "run-all: installing dependencies failed" >&2; exit 1; }

passed=0 failed=0 skipped=0
failures=()
count_tap() { # count_tap SUITE FILE
        local suite=$1 file=$2 line
        while IFS= read -r line; do
                case "$line" in
                "not ok "*) failed=$((failed + 1)); failures+=("$suite: ${line#not ok }") ;;
                "ok "*"# skip"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
                "ok "*) passed=$((passed + 1)) ;;
                esac
        done <"$file"
}
count_meson() { # count_meson SUITE LOG (meson test's console output)
        local suite=$1 log=$2 line
        while IFS= read -r line; do
                case "$line" in
                *" OK "*) passed=$((passed + 1)) ;;
                *" SKIP "*) skipped=$((skipped + 1)) ;;
                *" FAIL "* | *" TIMEOUT "* | *" ERROR "*) failed=$((failed + 1)); failures+=("$suite: $line") ;;
                esac
        done < <(grep -E '^ *[0-9]+/[0-9]+ ' "$log" 2>/dev/null || true)
}
logdir=$(mktemp -d /tmp/sysrun-tests.XXXXXX)

echo "== build"
if ! { [ -d build ] || meson setup build >"$logdir/setup.log"; } || ! ninja -C build >"$logdir/build.log" 2>&1; then
        cat "$logdir/build.log" "$logdir/setup.log" 2>/dev/null | tail -40
        echo "0 passed, 1 failed"
        exit 1
fi

echo "== unit tests"
meson test -C build --suite unit --print-errorlogs >"$logdir/unit.log" 2>&1
grep -E '^ *[0-9]+/[0-9]+ ' "$logdir/unit.log" || true
count_meson unit "$logdir/unit.log"

echo "== unit tests under ASan/UBSan"
if { [ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >"$logdir/asan-setup.log" 2>&1; } &&
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                meson test -C build-asan --suite unit --print-errorlogs >"$logdir/asan.log" 2>&1; then
        :
fi
grep -E '^ *[0-9]+/[0-9]+ ' "$logdir/asan.log" || tail -20 "$logdir/asan-setup.log" "$logdir/asan.log"
count_meson asan "$logdir/asan.log"
if ! grep -qE '^ *[0-9]+/[0-9]+ ' "$logdir/asan.log" 2>/dev/null; then
        failed=$((failed + 1)); failures+=("asan: the sanitizer build did not run")
fi

export SYSRUN=$top/build/src/sysrun/sysrun
echo "== integration tests (host, no systemd; a private mount namespace without the v1 memory hierarchy)"
for f in tests/integration/*.bats; do
        [ -e "$f" ] || continue
        tests/integration/run.sh --tap "$f" >"$logdir/$(basename "$f").tap" 2>&1
        count_tap "$(basename "$f")" "$logdir/$(basename "$f").tap"
        grep -E '^(not )?ok ' "$logdir/$(basename "$f").tap" | sed "s|^|  $(basename "$f" .bats): |"
done

# run_tier NAME SCRIPT TITLE: a harness that prints TAP (a whole tier skipped is "1..0 # SKIP …").
run_tier() {
        local name=$1 script=$2 rc
        [ -x "$script" ] || return 0
        echo "== $3"
        "$script" >"$logdir/$name.tap" 2>"$logdir/$name.err"
        rc=$?
        count_tap "$name" "$logdir/$name.tap"
        grep -E '^(not )?ok |^1\.\.0 # SKIP' "$logdir/$name.tap" | sed "s|^|  $name: |"
        if grep -q '^1\.\.0 # SKIP' "$logdir/$name.tap"; then
                skipped=$((skipped + 1))
        fi
        if [ $rc -ne 0 ] && ! grep -q '^not ok' "$logdir/$name.tap"; then
                failed=$((failed + 1)); failures+=("$name: harness exited $rc")
                tail -20 "$logdir/$name.err"
        fi
}

run_tier fuzz tests/fuzz/run.sh "fuzz targets (libFuzzer under ASan/UBSan, 2000 runs each)"
run_tier systemd tests/systemd/run.sh "systemd tests (systemd as PID 1 of fresh namespaces)"
run_tier dropin tests/dropin/run.sh "drop-in tests (podman, containerd)"
run_tier bench bench/smoke.sh "bench smoke (every part of bench/run-bench.sh runs; no time is checked)"
run_tier vm tests/vm/run.sh "vm tests (limits enforced: systemd + cgroup v2 in a qemu VM)"
run_tier vm-checkpoint tests/vm/checkpoint-tier.sh "vm tests (checkpoint and restore with criu, in the same VM image)"

if [ ${#failures[@]} -gt 0 ]; then
        echo "== failures (logs in $logdir)"
        printf '  %s\n' "${failures[@]}"
fi
# Logs are kept for a failed run only.
[ "$failed" -eq 0 ] && rm -rf "$logdir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
