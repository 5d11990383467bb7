# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# lib.sh: helpers for berth's integration tests.
#
# run.sh sources this file to build the shared fixtures once per run (a
# busybox rootfs and a base config.json); every test then runs in its own
# bash process that sources it again for bundles, runtime calls, assertions
# and a cleanup trap that deletes every container the test made.
#
# Variables exported by run.sh:
#   RUNTIME             absolute path of the runtime under test
#   BERTH_TEST_RUNTIME  "runc" in validation mode (berth-only tests skip), else empty
#   WORK                per-run work dir, holds rootfs/ and base-config.json
#   ROOTFS              the shared busybox rootfs (tests must not write to it)
#   TEST_TMP            the current test's private dir (state root, bundles, logs)

# ---------------------------------------------------------------------------
# Shared fixtures (run.sh, once per run)

# lib_build_rootfs DIR: a busybox-static userland with the files tests rely on.
lib_build_rootfs() {
        local dir=$1 busybox applet
        busybox=$(command -v busybox) || lib_die "busybox not found: apt-get install busybox-static"
        # A dynamically linked busybox cannot run inside the rootfs.
        if command -v ldd >/dev/null && ldd "$busybox" >/dev/null 2>&1; then
                lib_die "$busybox is dynamically linked: apt-get install busybox-static"
        fi
        mkdir -p "$dir"/{bin,etc,proc,sys,dev,tmp,root,home/user,mnt/a,mnt/b,mnt/c,secretdir} || return 1
        cp "$busybox" "$dir/bin/busybox" || return 1
        for applet in $("$busybox" --list); do
                [[ $applet == busybox ]] || ln -sf busybox "$dir/bin/$applet"
        done
        ln -s bin "$dir/sbin"
        chmod 1777 "$dir/tmp"
        cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
        cat >"$dir/etc/group" <<'EOF'
root:x:0:
tty:x:5:
user:x:1000:
extra:x:2000:
more:x:3000:
nogroup:x:65534:
EOF
        # Targets for maskedPaths tests.
        echo "top secret" >"$dir/etc/secret"
        echo "hidden" >"$dir/secretdir/file"
}

# lib_base_config WORK: $WORK/base-config.json, the runtime's own `spec` with
# terminal off and root.path pointing at the shared rootfs. If `spec` fails,
# fall back to a saved runc-compatible default (the spec tests still fail).
lib_base_config() {
        local work=$1 tmpl=$1/spec-template
        mkdir -p "$tmpl"
        if ! (cd "$tmpl" && "$RUNTIME" spec) >"$work/spec.log" 2>&1 || ! jq -e . "$tmpl/config.json" >/dev/null 2>&1; then
                echo "warning: '$RUNTIME spec' failed, using the saved default config:" >&2
                sed 's/^/  /' "$work/spec.log" >&2
                lib_saved_default_config >"$tmpl/config.json"
        fi
        jq --arg root "$ROOTFS" '.process.terminal = false | .root.path = $root | .process.args = ["true"]' \
                "$tmpl/config.json" >"$work/base-config.json"
}

# runc 1.1.5's `runc spec`, with berth's hostname.
lib_saved_default_config() {
        cat <<'EOF'
{"ociVersion":"1.0.2-dev","process":{"terminal":true,"user":{"uid":0,"gid":0},"args":["sh"],
"env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"],"cwd":"/",
"capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
"effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
"permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
"ambient":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
"root":{"path":"rootfs","readonly":true},"hostname":"berth",
"mounts":[{"destination":"/proc","type":"proc","source":"proc"},
{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
{"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
{"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]},
{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},
{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}],
"linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},
"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
"maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list",
"/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi"],
"readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}
EOF
}

lib_die() {
        echo "error: $*" >&2
        exit 2
}

# ---------------------------------------------------------------------------
# Test process set-up and cleanup

declare -a LIB_DEFERRED=()
LIB_CAPTURES=0

# lib_begin: called by run.sh in the test's process before the test function.
lib_begin() {
        set -u -o pipefail
        STATE_ROOT=$TEST_TMP/root
        mkdir -p "$STATE_ROOT"
        cd "$TEST_TMP" || exit 2
        trap lib_cleanup EXIT
        trap 'exit 143' TERM
        trap 'exit 130' INT
}

# defer CMD...: run CMD (through eval) when the test ends, last first.
defer() {
        LIB_DEFERRED+=("$*")
}

lib_cleanup() {
        local rc=$? i id
        trap - EXIT
        for ((i = ${#LIB_DEFERRED[@]} - 1; i >= 0; i--)); do
                eval "${LIB_DEFERRED[i]}" >>"$TEST_TMP/cleanup.log" 2>&1
        done
        # Every container this test made lives under its private state root.
        for id in $(rt list -q 2>>"$TEST_TMP/cleanup.log"); do
                rt delete -f "$id" >>"$TEST_TMP/cleanup.log" 2>&1
        done
        for i in "$STATE_ROOT"/*; do
                [[ -d $i ]] || continue
                rt delete -f "${i##*/}" >>"$TEST_TMP/cleanup.log" 2>&1
        done
        if ! lib_check_sanitizers; then
                rc=1
        fi
        exit "$rc"
}

# Any sanitizer report in anything the runtime printed fails the test, even
# when the test expected the command to fail.
lib_check_sanitizers() {
        local hits
        hits=$(grep -rlE -D skip --exclude-dir=rootfs --exclude-dir=root \
                'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error: |SUMMARY: UndefinedBehaviorSanitizer' \
                "$TEST_TMP" 2>/dev/null)
        [[ -z $hits ]] && return 0
        local f
        for f in $hits; do
                echo "FAIL: sanitizer report in ${f#"$TEST_TMP"/}:" >&2
                sed 's/^/    /' "$f" >&2
        done
        return 1
}

# ---------------------------------------------------------------------------
# Failing, skipping, assertions

lib_where() {
        local i
        for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
                if [[ ${BASH_SOURCE[i]} != "${BASH_SOURCE[0]}" ]]; then
                        printf '%s:%s' "${BASH_SOURCE[i]##*/}" "${BASH_LINENO[i - 1]}"
                        return
                fi
        done
        printf '?'
}

# fail MSG...: the test failed; say where and why.
fail() {
        printf 'FAIL (%s): %s\n' "$(lib_where)" "$*" >&2
        exit 1
}

# die MSG...: the test's own set-up broke (also a failure).
die() {
        printf 'ERROR (%s): %s\n' "$(lib_where)" "$*" >&2
        exit 1
}

# skip REASON: exit with automake's skip status.
skip() {
        echo "SKIP: $*"
        exit 77
}

# berth_only: the test checks berth's own text or behaviour where runc differs.
# Skipped only in runc-validation mode, never when testing berth.
berth_only() {
        if [[ ${BERTH_TEST_RUNTIME:-} == runc ]]; then
                skip "berth-only (runc-validation mode)"
        fi
}

lib_show() {
        # Indent a multi-line value for messages.
        if [[ -z $1 ]]; then
                printf '<empty>'
        else
                printf '%s' "$1" | sed '2,$s/^/      /'
        fi
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
        [[ $1 == "$2" ]] && return 0
        fail "${3:-value}: expected [$(lib_show "$1")] got [$(lib_show "$2")]"
}

# assert_ne UNEXPECTED ACTUAL [WHAT]
assert_ne() {
        [[ $1 != "$2" ]] && return 0
        fail "${3:-value}: expected anything but [$(lib_show "$1")]"
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
        [[ $1 == *"$2"* ]] && return 0
        fail "${3:-output}: expected to contain [$2], got [$(lib_show "$1")]"
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
        [[ $1 != *"$2"* ]] && return 0
        fail "${3:-output}: expected not to contain [$2], got [$(lib_show "$1")]"
}

# assert_match ERE STRING [WHAT]
assert_match() {
        [[ $2 =~ $1 ]] && return 0
        fail "${3:-value}: expected to match /$1/, got [$(lib_show "$2")]"
}

# assert_line_match ERE TEXT [WHAT]: some line of TEXT matches ERE.
assert_line_match() {
        grep -qE -- "$1" <<<"$2" && return 0
        fail "${3:-output}: expected a line matching /$1/, got [$(lib_show "$2")]"
}

# assert_json [--arg NAME VALUE | --argjson NAME JSON]... FILTER JSON [WHAT]:
# jq -e FILTER must hold on JSON.
assert_json() {
        local -a opts=()
        while [[ $1 == --arg || $1 == --argjson ]]; do
                opts+=("$1" "$2" "$3")
                shift 3
        done
        jq -e "${opts[@]}" "$1" >/dev/null 2>&1 <<<"$2" && return 0
        fail "${3:-json}: expected $1 to hold on [$(lib_show "$2")]"
}

# capture CMD...: run CMD with stdin from /dev/null and stdout/stderr in
# fresh files (never pipes, so a container that inherits them cannot block
# us). Sets RC, OUT and ERR.
capture() {
        LIB_CAPTURES=$((LIB_CAPTURES + 1))
        local base=$TEST_TMP/capture.$LIB_CAPTURES
        "$@" >"$base.out" 2>"$base.err" </dev/null
        RC=$?
        OUT=$(<"$base.out")
        ERR=$(<"$base.err")
}

lib_result() {
        printf 'exit %s\n    stdout: %s\n    stderr: %s' "$RC" "$(lib_show "$OUT")" "$(lib_show "$ERR")"
}

# assert_exit EXPECTED CMD...: run CMD (see capture) and check its exit status.
assert_exit() {
        local want=$1
        shift
        capture "$@"
        [[ $RC == "$want" ]] && return 0
        fail "'$*': expected exit $want, got $(lib_result)"
}

# assert_ok CMD...: CMD must succeed.
assert_ok() {
        assert_exit 0 "$@"
}

# assert_fails CMD...: CMD must fail cleanly: non-zero, below 126 (not a
# crash, not a timeout), with a message on stderr.
assert_fails() {
        capture "$@"
        if [[ $RC == 0 || $RC -ge 124 ]]; then
                fail "'$*': expected a clean failure, got $(lib_result)"
        fi
        [[ -n $ERR ]] || fail "'$*': failed with exit $RC but printed nothing on stderr"
}

# assert_one_line TEXT [WHAT]
assert_one_line() {
        local n
        n=$(printf '%s\n' "$1" | grep -c '')
        [[ -n $1 && $n == 1 ]] && return 0
        fail "${2:-output}: expected exactly one line, got $n: [$(lib_show "$1")]"
}

# ---------------------------------------------------------------------------
# The runtime

# lib_timed CMD...: CMD under a time limit (BERTH_TEST_CMD_TIMEOUT seconds,
# default 20) that says so on stderr when it expires. timeout kills the whole
# process group, containers included.
lib_timed() {
        local limit=${BERTH_TEST_CMD_TIMEOUT:-20} t0=$SECONDS rc
        timeout -k 5 "$limit" "$@"
        rc=$?
        if ((SECONDS - t0 >= limit && (rc == 124 || rc == 137))); then
                echo "TIMEOUT: '$*' did not finish within ${limit}s" >&2
        fi
        return "$rc"
}

# rt ARGS...: the runtime under test with this test's private state root.
rt() {
        lib_timed "$RUNTIME" --root "$STATE_ROOT" "$@"
}

# rt_noroot ARGS...: the runtime with its default state root.
rt_noroot() {
        lib_timed "$RUNTIME" "$@"
}

# ---------------------------------------------------------------------------
# Bundles and config.json

# new_bundle [NAME]: a fresh bundle with the base config; sets BUNDLE.
new_bundle() {
        BUNDLE=$TEST_TMP/${1:-bundle}
        mkdir -p "$BUNDLE" || die "mkdir $BUNDLE"
        # shellcheck disable=SC2153 # WORK comes from run.sh
        cp "$WORK/base-config.json" "$BUNDLE/config.json" || die "cp base config"
}

# cfg [JQ-OPTIONS...] FILTER: edit $BUNDLE/config.json in place.
cfg() {
        local f=$BUNDLE/config.json
        jq "$@" "$f" >"$f.new" || die "jq failed: $*"
        mv "$f.new" "$f"
}

# cfg_get FILTER: read from $BUNDLE/config.json (raw output).
cfg_get() {
        jq -r "$1" "$BUNDLE/config.json"
}

# json_array ARGS...: the arguments as a JSON array of strings.
json_array() {
        if (($# == 0)); then
                echo '[]'
                return
        fi
        # After "--" jq takes every argument as a string, even "-c".
        jq -nc '$ARGS.positional' --args -- "$@"
}

# set_args ARGS...: process.args.
set_args() {
        cfg --argjson a "$(json_array "$@")" '.process.args = $a'
}

# set_sh SCRIPT: process.args = ["sh", "-c", SCRIPT].
set_sh() {
        set_args sh -c "$1"
}

# add_mount DEST TYPE SOURCE [OPTION...]
add_mount() {
        local dest=$1 type=$2 src=$3
        shift 3
        cfg --arg d "$dest" --arg t "$type" --arg s "$src" --argjson o "$(json_array "$@")" \
                '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]'
}

# share_dir: a host dir bind-mounted read-write at /mnt/a; sets SHARE.
share_dir() {
        SHARE=$TEST_TMP/share
        mkdir -p "$SHARE"
        chmod 777 "$SHARE"
        add_mount /mnt/a bind "$SHARE" rbind rw
}

# private_rootfs: give the bundle its own writable copy of the rootfs.
private_rootfs() {
        cp -a "$ROOTFS" "$BUNDLE/rootfs" || die "copy rootfs"
        cfg '.root.path = "rootfs" | .root.readonly = false'
}

# drop_ns TYPE: remove a namespace from linux.namespaces.
drop_ns() {
        cfg --arg t "$1" '.linux.namespaces |= map(select(.type != $t))'
}

# add_ns TYPE
add_ns() {
        cfg --arg t "$1" '.linux.namespaces |= (map(select(.type != $t)) + [{type: $t}])'
}

# ---------------------------------------------------------------------------
# Containers

# lib_no_shim: the global flag that makes berth create a detached container
# as runc does, its stdio inherited from the caller (test-shim.sh tests the
# shim); empty for runc.
lib_no_shim() {
        [[ -n ${BERTH_TEST_RUNTIME:-} ]] || echo --no-shim
}

# create_ctr ID [FLAGS...]: create from $BUNDLE, as runc does (no shim); the
# container's stdio (which it inherits from the runtime) goes to
# $TEST_TMP/ID.out and ID.err.
create_ctr() {
        local id=$1
        shift
        # shellcheck disable=SC2046 # lib_no_shim is one word or none
        rt $(lib_no_shim) create -b "$BUNDLE" "$@" "$id" >"$TEST_TMP/$id.out" 2>"$TEST_TMP/$id.err" </dev/null ||
                die "create $id failed (exit $?): $(cat "$TEST_TMP/$id.err")"
}

# start_ctr ID
start_ctr() {
        capture rt start "$1"
        [[ $RC == 0 ]] || die "start $1 failed: $(lib_result)"
}

# run_detached ID [FLAGS...]: run -d from $BUNDLE, stdio as for create_ctr.
run_detached() {
        local id=$1
        shift
        # shellcheck disable=SC2046 # lib_no_shim is one word or none
        rt $(lib_no_shim) run -d -b "$BUNDLE" "$@" "$id" >"$TEST_TMP/$id.out" 2>"$TEST_TMP/$id.err" </dev/null ||
                die "run -d $id failed (exit $?): $(cat "$TEST_TMP/$id.err")"
}

# run_ctr ID [FLAGS...]: run in the foreground; sets RC, OUT (the workload's
# stdout) and ERR.
run_ctr() {
        local id=$1
        shift
        capture rt run -b "$BUNDLE" "$@" "$id"
}

# run_ok ID: run_ctr and require exit 0; OUT holds the workload's stdout.
run_ok() {
        run_ctr "$@"
        [[ $RC == 0 ]] || fail "run $1: expected exit 0, got $(lib_result)"
}

# ctr_output ID: what a created/detached container wrote to stdout so far.
ctr_output() {
        cat "$TEST_TMP/$1.out"
}

# state_json ID: the runtime's state output (empty if state fails).
state_json() {
        rt state "$1" 2>/dev/null
}

# status_of ID: created|running|stopped|..., or "" when state fails.
status_of() {
        state_json "$1" | jq -r '.status // empty' 2>/dev/null
}

# pid_of ID
pid_of() {
        state_json "$1" | jq -r '.pid // empty' 2>/dev/null
}

# wait_for SECONDS CMD...: poll CMD until it succeeds; non-zero on timeout.
wait_for() {
        local deadline=$((SECONDS + $1))
        shift
        while ! "$@"; do
                ((SECONDS < deadline)) || return 1
                sleep 0.05
        done
}

# number_above FILE N: FILE holds a number greater than N (read afresh on
# each call, for wait_for).
number_above() {
        (($(<"$1") > $2))
}

lib_status_is() {
        [[ $(status_of "$1") == "$2" ]]
}

# wait_status ID STATUS [SECONDS]
wait_status() {
        wait_for "${3:-10}" lib_status_is "$1" "$2" ||
                fail "container $1: expected status $2, still '$(status_of "$1")' after ${3:-10}s"
}

# wait_file FILE [SECONDS]: FILE exists and is not empty.
wait_file() {
        wait_for "${2:-10}" test -s "$1" || fail "file ${1#"$TEST_TMP"/} did not appear within ${2:-10}s"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        [[ ${stat%% *} != Z ]]
}

lib_pid_dead() {
        ! pid_alive "$1"
}

# wait_gone PID [SECONDS]
wait_gone() {
        wait_for "${2:-10}" lib_pid_dead "$1" || fail "process $1 still alive after ${2:-10}s"
}

# engine_ns_end UNSHARE_PID WHAT SECONDS: wait for an engine's namespace
# (the unshare that runs it) to end after its daemon got SIGTERM; SIGKILL
# it, saying so, when it does not within SECONDS.
engine_ns_end() {
        if ! wait_for "$3" lib_pid_dead "$1"; then
                echo "$2 did not stop on SIGTERM" >&2
                kill -KILL "$1"
        fi
        wait "$1"
}

# engine_cgroups_remove NAME: the (empty) group an engine made for its
# containers, in the cgroup2 tree and in the v1 hierarchies where runc
# puts it on a hybrid host.
engine_cgroups_remove() {
        local g
        for g in /sys/fs/cgroup/"$1" /sys/fs/cgroup/*/"$1"; do
                [[ -d $g ]] && rmdir "$g"
        done
        true
}

# cmdline_of PID: /proc/PID/cmdline with NULs as spaces.
cmdline_of() {
        tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | sed 's/ $//'
}

# ---------------------------------------------------------------------------
# Mounts, capabilities

# mnt_get MOUNTINFO MOUNTPOINT: the topmost entry for MOUNTPOINT; sets
# MNT_OPTS (per-mount options), MNT_TYPE, MNT_SRC and MNT_SUPER (superblock
# options). Fails the test if there is none.
mnt_get() {
        local line
        line=$(awk -v mp="$2" '$5 == mp { l = $0 } END { print l }' <<<"$1")
        [[ -n $line ]] || fail "no mount at $2 in mountinfo: [$(lib_show "$1")]"
        # shellcheck disable=SC2034 # MNT_* are read by the tests
        MNT_OPTS=$(awk '{ print $6 }' <<<"$line")
        local tail=${line#* - }
        # shellcheck disable=SC2034
        read -r MNT_TYPE MNT_SRC MNT_SUPER <<<"$tail"
}

# has_opt LIST OPT: OPT is one of the comma-separated LIST.
has_opt() {
        [[ ,$1, == *",$2,"* ]]
}

# assert_opt LIST OPT WHAT
assert_opt() {
        has_opt "$1" "$2" || fail "${3:-options}: expected option $2 in [$1]"
}

# cap_number NAME: the capability's bit number.
cap_number() {
        local caps=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL
                CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE
                CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE
                CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT
                CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE
                CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG
                CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE)
        local i
        for i in "${!caps[@]}"; do
                if [[ ${caps[i]} == "$1" ]]; then
                        echo "$i"
                        return 0
                fi
        done
        die "unknown capability $1"
}

# cap_mask NAME...: the 16-hex-digit mask /proc/PID/status prints.
cap_mask() {
        local m=0 c n
        for c in "$@"; do
                n=$(cap_number "$c") || exit 1
                m=$((m | (1 << n)))
        done
        printf '%016x\n' "$m"
}

# status_field TEXT FIELD: a field of /proc/PID/status text ("CapEff" ...).
status_field() {
        awk -v f="$2:" '$1 == f { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' <<<"$1"
}

# ---------------------------------------------------------------------------
# Engines (test-podman.sh, test-containerd.sh)

# unlisted_mount_options CONFIG: the mount options (flags, not key=value
# data) of the config.json CONFIG that `features` does not list, one per
# line; newinstance is devpts data, which runc does not list either. An
# engine probing `features` must find every option it uses.
unlisted_mount_options() {
        local listed
        listed=$(rt features | jq -c '.mountOptions') || return 1
        jq -r --argjson listed "$listed" \
                '[.mounts[].options // [] | .[] | select(contains("=") | not)] | unique | .[]
                 | select(. as $o | $listed | index($o) | not) | select(. != "newinstance")' "$1"
}
