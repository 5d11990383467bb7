#!/bin/bash
# run.sh: berth's integration suite. Runs every test_* function of every
# tests/integration/test-*.sh (or the ones named on the command line), each
# in its own bash process with its own state root, as root, and ends with the
# line "N passed, N failed" (", N skipped" when tests were skipped). Exits 1
# if any test failed, 77 (automake's "skipped") when not run as root.
#
# Usage: run.sh [AREA | test_NAME | AREA:test_NAME]...
#   AREA is a file's stem without "test-": cli, spec, lifecycle, run, errors,
#   isolation, process, features, shim, ..., and podman, containerd and
#   docker (the runtime under those engines; they skip when the engine is not
#   installed).
#
# Environment:
#   BERTH                    the runtime binary under test (make check sets it to
#                            the built berth; default: ../../berth, then
#                            ../../build/berth, relative to this directory)
#   BERTH_TEST_RUNTIME=runc  validation mode: test runc instead (BERTH defaults to
#                            `command -v runc`); berth-only tests are skipped
#   BERTH_TEST_TIMEOUT       seconds allowed per test (default 120)
#   BERTH_TEST_KEEP=1        keep the work directory for inspection
#   BERTH_TEST_VERBOSE=1     print the log of passing tests too
#   TMPDIR                   where the work directory is made (default /tmp)
# shellcheck source-path=SCRIPTDIR disable=SC2016 # $ in single quotes is for the test's bash
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$HERE/lib.sh
# shellcheck source=lib.sh
source "$LIB"

usage_error() {
        echo "run.sh: $*" >&2
        exit 99
}

if [[ $EUID -ne 0 ]]; then
        echo "run.sh: the integration tests need root (they create namespaces and mounts); skipping"
        exit 77
fi

for tool in jq busybox unshare timeout awk; do
        command -v "$tool" >/dev/null || usage_error "$tool is missing: run scripts/install-deps.sh"
done

# ---- which runtime ----
case ${BERTH_TEST_RUNTIME:-} in
"" | berth) BERTH_TEST_RUNTIME= ;;
runc) ;;
*) usage_error "BERTH_TEST_RUNTIME must be empty, berth or runc (got '$BERTH_TEST_RUNTIME')" ;;
esac
if [[ -z ${BERTH:-} ]]; then
        if [[ $BERTH_TEST_RUNTIME == runc ]]; then
                BERTH=$(command -v runc) || usage_error "runc not found: apt-get install runc"
        else
                for candidate in "$HERE/../../berth" "$HERE/../../build/berth"; do
                        if [[ -x $candidate ]]; then
                                BERTH=$candidate
                                break
                        fi
                done
        fi
fi
[[ -n ${BERTH:-} ]] || usage_error "no berth binary found: build it, or set BERTH=/path/to/berth"
[[ $BERTH == /* ]] || BERTH=$PWD/$BERTH
[[ -x $BERTH ]] || usage_error "BERTH=$BERTH is not an executable file"
RUNTIME=$BERTH
export RUNTIME BERTH_TEST_RUNTIME

# ---- which tests ----
declare -a FILES=() SELECTED=()
for f in "$HERE"/test-*.sh; do
        FILES+=("$f")
done
((${#FILES[@]} > 0)) || usage_error "no test files in $HERE"

area_of() {
        local b=${1##*/}
        b=${b#test-}
        echo "${b%.sh}"
}

functions_of() {
        grep -oE '^test_[A-Za-z0-9_]+\(\)' "$1" | sed 's/()$//'
}

# Every (file, function) pair, in file order then definition order.
declare -a ALL=()
for f in "${FILES[@]}"; do
        for fn in $(functions_of "$f"); do
                ALL+=("$f:$fn")
        done
done

if (($# == 0)); then
        SELECTED=("${ALL[@]}")
else
        for arg in "$@"; do
                arg=${arg#test-}
                arg=${arg%.sh}
                matched=0
                for t in "${ALL[@]}"; do
                        f=${t%:*}
                        fn=${t##*:}
                        area=$(area_of "$f")
                        if [[ $arg == "$area" || $arg == "$fn" || $arg == "$area:$fn" ]]; then
                                SELECTED+=("$t")
                                matched=1
                        fi
                done
                ((matched)) || usage_error "no test or area matches '$arg'"
        done
fi

# ---- shared fixtures ----
LOCK=${TMPDIR:-/tmp}/berth-it.lock

# held_by_ancestor FILE: a process above this one holds a flock on FILE
# (`flock FILE run.sh`): the whole run is serialized already, and taking the
# lock again per test would wait for ourselves forever.
held_by_ancestor() {
        local ino holder p
        ino=$(stat -c %i "$1" 2>/dev/null) || return 1
        while read -r holder; do
                p=$$
                while ((p > 1)); do
                        ((p == holder)) && return 0
                        p=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null) || break
                done
        done < <(awk -v ino="$ino" '$2 == "FLOCK" { n = split($6, f, ":"); if (f[n] == ino) print $5 }' /proc/locks)
        return 1
}
LOCK_CMD=(flock "$LOCK")
if held_by_ancestor "$LOCK"; then
        LOCK_CMD=()
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-it.XXXXXX") || usage_error "cannot make a work directory"
chmod 755 "$WORK"
ROOTFS=$WORK/rootfs
export WORK ROOTFS

cleanup_work() {
        if [[ ${BERTH_TEST_KEEP:-} == 1 ]]; then
                echo "work directory kept: $WORK"
        else
                rm -rf --one-file-system "$WORK"
        fi
}
trap cleanup_work EXIT

if findmnt -no OPTIONS -T "$WORK" 2>/dev/null | grep -qw noexec; then
        usage_error "$WORK is on a noexec file system: set TMPDIR to another directory"
fi
lib_build_rootfs "$ROOTFS" || usage_error "cannot build the rootfs in $ROOTFS"
lib_base_config "$WORK"

echo "runtime: $RUNTIME ($("$RUNTIME" --version 2>&1 | head -n1))"
if [[ $BERTH_TEST_RUNTIME == runc ]]; then
        echo "mode: runc validation (berth-only tests are skipped)"
fi
echo "work directory: $WORK"
echo

# ---- leak checks after each test ----

# Processes the test left behind. Every process the test starts inherits
# BERTH_IT_TEST=<its dir> until it execs a workload; a container's workload is
# recognised by its mount namespace, whose mountinfo names the work dir (the
# rootfs bind), or by a root or cwd inside the work dir. A process killed by
# delete -f may take a moment to go; zombies do not count.
leaked_processes() {
        local tdir=$1 own_mnt p
        own_mnt=$(readlink /proc/self/ns/mnt)
        # One grep or find over all of /proc per question, not a few
        # commands per process: this runs after every test.
        {
                grep -lzx "BERTH_IT_TEST=$tdir" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
                find /proc/[0-9]*/root /proc/[0-9]*/cwd -maxdepth 0 -printf '%p %l\n' 2>/dev/null |
                        awk -v w="$WORK" '$2 == w || index($2, w "/") == 1 { split($1, a, "/"); print a[3] }'
                grep -lF "$WORK/" /proc/[0-9]*/mountinfo 2>/dev/null | cut -d/ -f3 | while read -r p; do
                        [[ $(readlink "/proc/$p/ns/mnt" 2>/dev/null) == "$own_mnt" ]] || echo "$p"
                done
        } | sort -un | grep -vx -e "$$" -e "$BASHPID"
}

leaked_mounts() {
        awk -v w="$WORK" 'index($5, w "/") == 1 || $5 == w { print $5 }' /proc/self/mountinfo
}

# check_leaks TEST_DIR: report and clean what the test left behind.
check_leaks() {
        local tdir=$1 bad=0 d p m i pids
        for d in "$tdir/root"/*; do
                [[ -d $d ]] || continue
                echo "LEAK: container ${d##*/} is still in the state root after the test's cleanup"
                timeout 30 "$RUNTIME" --root "$tdir/root" delete -f "${d##*/}" >/dev/null 2>&1
                bad=1
        done
        for ((i = 0; i < 40; i++)); do
                pids=$(leaked_processes "$tdir")
                [[ -z $pids ]] && break
                sleep 0.05
        done
        for p in $pids; do
                echo "LEAK: process $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)) is still running"
                kill -9 "$p" 2>/dev/null
                bad=1
        done
        for m in $(leaked_mounts | sort -r); do
                echo "LEAK: mount $m is still mounted on the host"
                umount -l "$m" 2>/dev/null
                bad=1
        done
        return "$bad"
}

# ---- run ----
TIMEOUT=${BERTH_TEST_TIMEOUT:-120}
declare -a FAILED=()
passed=0 failed=0 skipped=0

now() {
        echo "${EPOCHREALTIME/./}"
}

for t in "${SELECTED[@]}"; do
        file=${t%:*}
        fn=${t##*:}
        name="$(area_of "$file"):$fn"
        tdir=$(mktemp -d "$WORK/t.XXXXXX")
        chmod 755 "$tdir"
        log=$WORK/$(basename "$tdir").log
        t0=$(now)
        # Tests use host-wide names (cgroups at /berth/<id>, interfaces), so
        # two suites on one host take turns test by test.
        TEST_TMP=$tdir BERTH_IT_TEST=$tdir "${LOCK_CMD[@]}" timeout -k 10 "$TIMEOUT" \
                bash -c 'source "$1" || exit 2; source "$2" || exit 2; lib_begin; "$3"' \
                run-test "$LIB" "$file" "$fn" >"$log" 2>&1 </dev/null
        rc=$?
        if ((rc == 124 || rc == 137)); then
                echo "TIMEOUT: the test did not finish within ${TIMEOUT}s" >>"$log"
                rc=1
        fi
        if ! check_leaks "$tdir" >>"$log" 2>&1; then
                ((rc == 0 || rc == 77)) && rc=1
        fi
        ms=$((($(now) - t0) / 1000))
        time=$(printf '%d.%02ds' $((ms / 1000)) $((ms % 1000 / 10)))
        case $rc in
        0)
                passed=$((passed + 1))
                echo "PASS  $name ($time)"
                [[ ${BERTH_TEST_VERBOSE:-} == 1 ]] && sed 's/^/      /' "$log"
                ;;
        77)
                skipped=$((skipped + 1))
                reason=$(sed -n 's/^SKIP: //p' "$log" | tail -n1)
                echo "SKIP  $name (${reason:-skipped})"
                ;;
        *)
                failed=$((failed + 1))
                FAILED+=("$name")
                echo "FAIL  $name ($time, exit $rc)"
                sed 's/^/      /' "$log"
                ;;
        esac
        rm -rf --one-file-system "$tdir"
done

echo
if ((failed > 0)); then
        echo "failed tests:"
        printf '  %s\n' "${FAILED[@]}"
fi
summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
((failed == 0))
