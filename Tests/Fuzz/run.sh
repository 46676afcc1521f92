#!/usr/bin/env bash
# Fuzzes Palimpsest's parsers with libFuzzer (see README.md).
# usage: Tests/Fuzz/run.sh [SECONDS per target, default 60] [TARGET ...]   (targets: extract rules schedule feed)
#        FUZZ_RUNS=N Tests/Fuzz/run.sh 0 [TARGET ...]   N inputs per target with a fixed seed, reproducible (CI)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract rules schedule feed)
scratch="$root/.build-fuzz"
mkdir -p "$scratch"

# Only Swift code is instrumented (libxml2 and toml++ run uninstrumented but are exercised all the same).
# lld: gold fails on this binary's debug information (an internal error in its DWARF reader).
if ! (cd "$here" && swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -g \
        -Xswiftc -use-ld=lld > "$scratch/build.log" 2>&1); then
    grep -v "Cannot export local symbol" "$scratch/build.log" | tail -n 30
    exit 1
fi
bin="$scratch/debug/palimpsest-fuzz"

# Seeds: the fixtures of the test suite, the corpus kept here, and every past crash (the same folders as
# Tests/PalimpsestFuzzingTests/FuzzRegressionTests.swift).
seeds() {
    case "$1" in
        extract) echo "$root/Tests/PalimpsestExtractTests/Fixtures/articles $root/Tests/PalimpsestExtractTests/Fixtures/comments $root/Tests/PalimpsestCLITests/Fixtures/library-thread" ;;
        schedule) echo "$root/schedules" ;;
        *) echo "" ;;
    esac
    echo "$here/corpus/$1 $here/regressions/$1"
}

status=0
for t in "${targets[@]}"; do
    work="$scratch/corpus/$t"
    crashes="$scratch/crashes/$t"
    # A reproducible run (FUZZ_RUNS) starts from the seeds alone, not from what earlier runs added.
    [ -z "${FUZZ_RUNS:-}" ] || rm -rf "$work"
    mkdir -p "$work" "$crashes"
    for d in $(seeds "$t"); do
        [ -d "$d" ] && find "$d" -maxdepth 1 -type f ! -name '*.md' -exec cp {} "$work/" \;
    done
    if [ -n "${FUZZ_RUNS:-}" ]; then
        budget=(-runs="$FUZZ_RUNS" -seed=1)
        echo "== $t: $FUZZ_RUNS inputs (seed 1), corpus $(ls "$work" | wc -l) inputs"
    else
        budget=(-max_total_time="$seconds")
        echo "== $t: ${seconds}s, corpus $(ls "$work" | wc -l) inputs"
    fi
    if ! SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin" "$t" "$work" \
        -dict="$here/dictionaries/$t.dict" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" 2> "$scratch/$t.log"; then
        status=1
        tail -n 40 "$scratch/$t.log"
        echo "!! $t: a crash, kept in $crashes/. Fix it, then copy the input to Tests/Fuzz/regressions/$t/."
    else
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$scratch/$t.log" || true
    fi
done
exit $status
