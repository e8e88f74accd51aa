#!/bin/bash
# The libFuzzer targets under ASan/UBSan (clang). Builds them in build-fuzz (FUZZ_BUILD=DIR to change).
#   tests/fuzz/run.sh [--runs N] [TARGET…]     each target over its seed corpus, then N inputs (default
#                                              2000, fixed seed); prints TAP, one test per target
#   tests/fuzz/run.sh --long TARGET [SECONDS]  fuzzes one target for SECONDS (default 600); new inputs
#                                              go to $FUZZ_BUILD/corpus/TARGET, crashes, leaks and slow
#                                              inputs (>1 s) to $FUZZ_BUILD/artifacts/TARGET
# TARGET is a name from tests/fuzz/meson.build without "fuzz-" (config, state, resources, seccomp,
# mount-options, ids). Every seed file (tests/fuzz/corpus/TARGET; config, resources and seccomp share
# theirs) is replayed first: a crash found once stays there as a regression input.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
build=${FUZZ_BUILD:-$top/build-fuzz}
all=(config state resources seccomp mount-options ids)
runs=2000 long= seconds=600

case "${1:-}" in
--runs) runs=$2; shift 2 ;;
--long) long=${2:?--long TARGET}; seconds=${3:-600}; set -- "$long" ;;
esac
[ $# -gt 0 ] || set -- "${all[@]}"

if ! command -v clang >/dev/null; then
        echo "1..0 # SKIP clang is not installed"
        exit 0
fi
setup_log=$(mktemp /tmp/sysrun-fuzz-setup.XXXXXX)
trap 'rm -f "$setup_log"' EXIT
if [ ! -d "$build" ] &&
        ! CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >"$setup_log" 2>&1; then
        cat "$setup_log" >&2
        rm -rf "$build"
        echo "1..1"; echo "not ok 1 fuzz build: meson setup failed"
        exit 1
fi
if ! ninja -C "$build" -j2 $(printf 'tests/fuzz/fuzz-%s ' "$@") >"$build/fuzz-build.log" 2>&1; then
        tail -30 "$build/fuzz-build.log" >&2
        echo "1..1"; echo "not ok 1 fuzz build: ninja failed"
        exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
dict=(-dict="$top/tests/fuzz/oci.dict")
# The seed directories of a target: its own; the three config.json targets share theirs.
seeds() {
        case $1 in
        config | resources | seccomp) printf '%s\n' "$top"/tests/fuzz/corpus/{config,resources,seccomp} ;;
        *) echo "$top/tests/fuzz/corpus/$1" ;;
        esac
}

if [ -n "$long" ]; then
        mkdir -p "$build/corpus/$long" "$build/artifacts/$long"
        rm -f "$setup_log"
        mapfile -t dirs < <(seeds "$long")
        exec "$build/tests/fuzz/fuzz-$long" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
                -report_slow_units=1 -print_final_stats=1 -artifact_prefix="$build/artifacts/$long/" \
                "$build/corpus/$long" "${dirs[@]}"
fi

echo "1..$#"
n=0 rc=0
for t in "$@"; do
        n=$((n + 1))
        work=$(mktemp -d /tmp/sysrun-fuzz.XXXXXX)
        mapfile -t dirs < <(seeds "$t")
        start=$SECONDS
        # New inputs go to the scratch directory, never into the tree's corpus.
        if "$build/tests/fuzz/fuzz-$t" "${dict[@]}" -runs="$runs" -seed=1 -timeout=10 \
                -artifact_prefix="$work/" "$work" "${dirs[@]}" >"$work/log" 2>&1; then
                echo "ok $n fuzz-$t ($runs runs, $((SECONDS - start)) s)"
        else
                echo "not ok $n fuzz-$t ($runs runs): see below"
                grep -E 'ERROR|SUMMARY|runtime error|Assertion|#[0-9]+ 0x' "$work/log" | head -30 | sed 's/^/# /'
                for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
                        [ -e "$a" ] && echo "# reproducer: $(base64 -w0 "$a" | head -c 2000)"
                done
                rc=1
        fi
        rm -rf "$work"
done
exit $rc
