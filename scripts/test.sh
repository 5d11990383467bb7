#!/bin/bash
# test.sh: the full check, as CI runs it (README: "./scripts/test.sh", as root
# on Debian 12). Installs the dependencies, builds in ./build with -Werror and
# ASan+UBSan, runs `make check` (unit tests, then the integration suite
# against the built berth), runs the integration suite again against the
# release build (./build-release, berth a static PIE), then the cgroup v2
# VM suite, fuzzing and a benchmark smoke run; shellchecks every shell
# script and runs cppcheck.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD

./scripts/install-deps.sh

autoreconf -fi
mkdir -p build
cd build
../configure --enable-werror --enable-sanitizers
make -j"$(nproc)"

# Any sanitizer report fails the run: errors halt the process with a
# distinctive status, leaks are checked at exit, and the integration suite
# fails a test whose runtime output holds a report even when the command was
# expected to fail.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=99:print_stacktrace=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
export LSAN_OPTIONS=exitcode=99

if ! make -j"$(nproc)" check; then
        echo
        echo "==== make check failed ===="
        for trs in $(find . -name '*.trs' | sort); do
                if grep -qE '^:test-result: (FAIL|XPASS|ERROR)' "$trs"; then
                        log=${trs%.trs}.log
                        echo
                        echo "==== ${log#./} ===="
                        cat "$log"
                fi
        done
        echo
        echo "==== test-suite.log ===="
        cat test-suite.log 2>/dev/null || true
        exit 1
fi

# The release build, as `make install` installs it: berth a static PIE,
# which the sanitizer build above cannot be (configure, --enable-static-pie).
# The integration suite again, against it.
echo
echo "==== release build (berth a static PIE): the integration suite ===="
mkdir -p "$top/build-release"
(
        cd "$top/build-release"
        ../configure --enable-werror --enable-static-pie --disable-tests >configure.log
        make -j"$(nproc)" berth berth-shim berth-netdev
)
if ! BERTH=$top/build-release/berth "$top/tests/integration/run.sh" >"$top/build-release/run.log" 2>&1; then
        cat "$top/build-release/run.log"
        echo
        echo "==== the integration suite failed against the release build ===="
        exit 1
fi
tail -n 1 "$top/build-release/run.log"

# The cgroup v2 suite in a QEMU VM (tests/vm): limits this hybrid host
# cannot apply, proven in a pure cgroup v2 kernel.
echo
echo "==== cgroup v2 VM suite ===="
make check-vm

# One closing line for the whole run: unit checks (check's "Checks: N,
# Failures: F, Errors: E") plus the integration suite's "N passed, N failed".
summarize() {
        local passed=0 failed=0 n f x log
        for log in tests/unit/check_*.log; do
                read -r n f x < <(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -n 1)
                passed=$((passed + n - f - x))
                failed=$((failed + f + x))
        done
        for log in tests/integration/run.log "$top/build-release/run.log"; do
                read -r n f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$log" | tail -n 1)
                passed=$((passed + n))
                failed=$((failed + f))
        done
        echo "$passed passed, $failed failed"
}
summary=$(summarize)

# A short fuzzing pass (make fuzz runs a minute per target by default).
echo
echo "==== fuzzing, 10 s per target ===="
make fuzz FUZZ_TIME=10

# The benchmark is not a test; CI checks that it still runs.
echo
echo "==== benchmark smoke run ===="
make bench BENCH_ARGS=--smoke

cd "$top"
echo
echo "==== shellcheck ===="
mapfile -t scripts < <(
        {
                find . \( -path ./.git -o -path './build*' -o -path ./build-aux -o -path ./m4 -o -path ./autom4te.cache -o -path ./tests/integration/.work \) -prune \
                        -o -type f -name '*.sh' -print
                find .ci -type f -print
        } | sort -u
)
shellcheck -x "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"

echo
echo "==== cppcheck ===="
# memleak is off: cppcheck does not follow __attribute__((cleanup)), which
# is how berth frees; LeakSanitizer checks for leaks at run time instead.
cppcheck -q --std=c11 --enable=warning,portability,performance --suppress=memleak --inline-suppr \
        --error-exitcode=1 -I src -I build -D__linux__ -j"$(nproc)" src tests/unit tests/fuzz bench
echo "cppcheck: clean"

echo
echo "$summary"
