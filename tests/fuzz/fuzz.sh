#!/bin/bash
# fuzz.sh BUILD_DIR TARGET...: build berth's fuzz targets with clang and
# libFuzzer (ASan+UBSan) in BUILD_DIR and fuzz each for $FUZZ_TIME seconds
# (default 60), starting from tests/fuzz/corpus/<target>/.
#
# A crash stops the run with a non-zero status; the input is saved in
# BUILD_DIR/crashes/<target>/. Fix the bug, then copy the input into
# tests/fuzz/corpus/<target>/ so that `make check` replays it from then on.
# New interesting inputs go to BUILD_DIR/corpus/<target>/ (not committed).
#
# Needs: clang and libclang-rt-14-dev (scripts/install-deps.sh).
set -euo pipefail

if [[ $# -lt 2 ]]; then
        echo "usage: fuzz.sh BUILD_DIR TARGET..." >&2
        exit 2
fi
build=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
time=${FUZZ_TIME:-60}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz.sh: $cc not found: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }

flags=(-g -O1 -fno-omit-frame-pointer "-fsanitize=address,undefined" -fno-sanitize-recover=all)
mkdir -p "$build"
cd "$build"
if [[ ! -f Makefile ]]; then
        "$src/configure" --disable-tests CC="$cc" CFLAGS="${flags[*]} -fsanitize=fuzzer-no-link" >configure.log 2>&1 ||
                { cat configure.log >&2; exit 1; }
fi
make -s -j"$(nproc)" libberth.a >make.log 2>&1 || { cat make.log >&2; exit 1; }
# shellcheck disable=SC2207 # pkg-config output is a list of words
libs=($(pkg-config --libs libseccomp libcap yajl))

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp     # libseccomp's own leak, see there
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for t in "$@"; do
        "$cc" "${flags[@]}" -fsanitize=fuzzer -I"$src/src" -I. -include config.h \
                "$src/tests/fuzz/fuzz_$t.c" libberth.a "${libs[@]}" -o "fuzz_$t"
        mkdir -p "corpus/$t" "crashes/$t"
        dict=()
        [[ -f $src/tests/fuzz/$t.dict ]] && dict=(-dict="$src/tests/fuzz/$t.dict")
        echo "== fuzz_$t: ${time}s"
        if ! "./fuzz_$t" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
                -artifact_prefix="crashes/$t/" "corpus/$t" "$src/tests/fuzz/corpus/$t" >"fuzz_$t.log" 2>&1; then
                echo "fuzz_$t FAILED: see $build/fuzz_$t.log; the input is in $build/crashes/$t/" >&2
                tail -n 40 "fuzz_$t.log" >&2
                status=1
        else
                grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov:' "fuzz_$t.log" | tail -n 3
        fi
done
exit "$status"
