#!/bin/bash
# bench.sh: start-up speed and memory of berth, runc and crun, side by side.
#
#   bench/bench.sh [-n ROUNDS] [-o FILE] [-c PREVIOUS] [--smoke | --memfloor]
#
# Each round runs every scenario once per runtime and floor, interleaved
# (scenario by scenario, the runtimes in turn, the order turned each round),
# so a slow phase of the machine hits all of them alike. A sample is the
# wall time of one runtime invocation (or of the scenario's sequence of
# invocations) taken with bash's $EPOCHREALTIME around it: the fork and
# exec of the runtime binary are part of what is measured, as they are when
# an engine calls it. The floor is `unshare` creating the
# same namespaces and running the same /bin/true. A second floor, oci-floor
# (bench/oci-floor.c, compiled here), does the kernel work of the same `run`
# and nothing else: the same namespaces, cgroup, mounts, devices, pivot_root,
# masked and read-only paths, capabilities and exec, with no config to parse,
# no state and no safety checks. Between it and a runtime lies the runtime's
# own cost.
#
# Scenarios:
#   run        `run` of a busybox bundle whose process is /bin/true
#   run-nonet  the same without a network namespace
#   run-seccomp  run-nonet with Docker's default seccomp profile (the one
#              Podman and containerd pass; tests/fixtures)
#   exec       `exec` of /bin/true into a running container
#   lifecycle  create, start, wait for the workload to exit, delete
#   par-N      N containers `run` at once (N = 1, 10, 100): wall time
#   rss        peak RSS of the runtime process during `run` (KiB)
#   lifecycle-shim  berth only: lifecycle as at a shell, under berth's shim
#              (create also starts the shim; `wait` reads the exit it recorded)
#   shim-rss   berth only: RSS of the shim of a running container (KiB)
# berth otherwise runs as engines run it, with no shim (--no-shim): as runc
# and crun, the caller reaps the container.
# With --memfloor it measures only the memory floor: for each runtime, the
# smallest memory limit (linux.resources.memory, no swap) under which `run` of
# /bin/true still succeeds, found by bisection to 64 KiB. It needs the memory
# controller in the cgroup v2 tree (`make bench-memfloor` runs it in the
# cgroup v2 VM) and says so otherwise; there timings mean nothing (the VM is
# emulated), but memory does.
# The report gives medians, berth/runc and berth/crun ratios and berth over
# the floor; -o writes it as `scenario runtime median` lines that a later
# run reads back with -c to print the change.
#
# crun refuses hybrid cgroup hosts, so on one the whole benchmark runs in a
# private mount namespace whose /sys/fs/cgroup is the cgroup2 hierarchy: the
# three runtimes always see the same cgroups. Needs root, busybox-static,
# runc, crun, jq and GNU time (scripts/install-deps.sh installs them). Set
# BERTH to the binary under test (default: build/berth).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROUNDS=30 OUT="" PREV="" SMOKE=0 MEMFLOOR=0 PAR_SIZES=(1 10 100)
usage() {
        sed -n '3,4p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
}
while (($#)); do
        case $1 in
        -n) ROUNDS=$2; shift 2 ;;
        -o) OUT=$2; shift 2 ;;
        -c) PREV=$2; shift 2 ;;
        --smoke) SMOKE=1; ROUNDS=2; PAR_SIZES=(1 3); shift ;;
        --memfloor) MEMFLOOR=1; shift ;;
        -h | --help) usage ;;
        *) usage ;;
        esac
done
[[ $EUID -eq 0 ]] || { echo "bench.sh: run as root" >&2; exit 1; }
BERTH=${BERTH:-$HERE/../build/berth}
[[ -x $BERTH ]] || { echo "bench.sh: no berth at $BERTH: build it or set BERTH" >&2; exit 1; }
BERTH=$(realpath "$BERTH")
for tool in runc crun busybox jq unshare cc /usr/bin/time; do
        command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing: run scripts/install-deps.sh" >&2; exit 1; }
done
[[ -z $OUT ]] || OUT=$(realpath -m "$OUT")
[[ -z $PREV ]] || PREV=$(realpath -e "$PREV")

# On a hybrid host, re-run inside a mount namespace with a cgroup2 /sys/fs/cgroup.
if [[ $(stat -f -c %T /sys/fs/cgroup) != cgroup2fs && -z ${BENCH_IN_NS:-} ]]; then
        args=(-n "$ROUNDS")
        [[ -z $OUT ]] || args+=(-o "$OUT")
        [[ -z $PREV ]] || args+=(-c "$PREV")
        ((SMOKE)) && args+=(--smoke)
        ((MEMFLOOR)) && args+=(--memfloor)
        # shellcheck disable=SC2016 # expanded by the inner bash
        exec unshare -m --propagation private env BENCH_IN_NS=1 BERTH="$BERTH" bash -c \
                'umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && exec "$0" "$@"' "$0" "${args[@]}"
fi

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
# State roots on a tmpfs, as under /run, where the runtimes keep them by
# default (this machine's /run may be on disk: then a tmpfs of our own).
STATE=$(mktemp -d /tmp/berth-bench-state.XXXXXX)
mount -t tmpfs -o mode=0700 berth-bench "$STATE"
cleanup() {
        local rt id
        for rt in berth runc crun; do
                for id in $("${BIN[$rt]}" --root "$STATE/$rt" list -q 2>/dev/null); do
                        "${BIN[$rt]}" --root "$STATE/$rt" delete -f "$id" >/dev/null 2>&1 || true
                done
        done
        umount "$STATE"
        rm -rf --one-file-system "$WORK"
        rmdir "$STATE"
}
trap cleanup EXIT

# The binaries, looked up once: nothing in a timed sample may fork but the
# command measured (a $(...) costs a fork, an exit and a wait of bash).
declare -A BIN=([berth]=$BERTH [runc]=$(command -v runc) [crun]=$(command -v crun))

# crun always raises RLIMIT_MEMLOCK to infinity before loading its device
# eBPF program; without CAP_SYS_RESOURCE (as on our development VMs) that
# fails, and crun can then only run with its cgroup manager disabled. That
# skips work the others do, so crun's figures are then a lower bound.
CRUN_FLAGS=()
if ! prlimit --pid $$ --memlock=unlimited:unlimited 2>/dev/null; then
        CRUN_FLAGS=(--cgroup-manager=disabled)
        echo "note: RLIMIT_MEMLOCK cannot be raised here: crun runs with --cgroup-manager=disabled (no cgroup work)"
fi

# ---- the bundles: one busybox rootfs, /bin/true, no terminal ----
# ociVersion 1.0.2: crun 1.8 refuses versions it does not know.
rootfs=$WORK/rootfs
mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,tmp}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for applet in true sh sleep; do ln -s busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
make_bundle() { # NAME JQ_FILTER
        mkdir -p "$WORK/$1"
        ln -s "$rootfs" "$WORK/$1/rootfs"
        (cd "$WORK/$1" && "$BERTH" spec)
        jq --arg root "$rootfs" ".ociVersion = \"1.0.2\" | .root.path = \$root | .process.terminal = false | .process.args = [\"/bin/true\"] | $2" \
                "$WORK/$1/config.json" >"$WORK/$1/c.json"
        mv "$WORK/$1/c.json" "$WORK/$1/config.json"
}
make_bundle net '.'
make_bundle nonet '.linux.namespaces |= map(select(.type != "network"))'
make_bundle sleep '.linux.namespaces |= map(select(.type != "network")) | .process.args = ["sleep", "3600"]'
make_bundle seccomp '.linux.namespaces |= map(select(.type != "network"))'
jq --slurpfile p "$HERE/../tests/fixtures/seccomp-docker-default.json" '.linux.seccomp = $p[0]' \
        "$WORK/seccomp/config.json" >"$WORK/seccomp/c.json"
mv "$WORK/seccomp/c.json" "$WORK/seccomp/config.json"
# oci-floor hard-codes what `berth spec` asks for: check that it still does.
jq -e '[.mounts[].destination] == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"]
        and ([.linux.namespaces[].type] | sort) == ["ipc", "mount", "network", "pid", "uts"]
        and .process.capabilities.bounding == ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        and .process.rlimits == [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}] and .hostname == "berth"' \
        "$WORK/net/config.json" >/dev/null || {
        echo "bench.sh: berth spec's default config no longer matches bench/oci-floor.c: update it" >&2
        exit 1
}
cc -O2 -o "$WORK/oci-floor" "$HERE/oci-floor.c"
mapfile -t floor_paths < <(jq -r '(.linux.maskedPaths[] | "-m", .), (.linux.readonlyPaths[] | "-r", .)' "$WORK/net/config.json")
ns_flags=$(jq -r '[.linux.namespaces[].type] | map({pid:"-pf",mount:"-m",ipc:"-i",uts:"-u",network:"-n",cgroup:"-C",user:"-U"}[.]) | join(" ")' \
        "$WORK/net/config.json")

# ---- sampling ----
declare -A SAMPLES=()
seq_id=0
record() { SAMPLES[$1 $2]+="$3 "; }

# time_cmd SCENARIO RUNTIME CMD...: one timed sample; a failure aborts the run.
time_cmd() {
        local s=$1 rt=$2 t0 t1
        shift 2
        t0=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>"$WORK/err" || {
                echo "bench.sh: $s/$rt failed: $* : $(cat "$WORK/err")" >&2
                exit 1
        }
        t1=${EPOCHREALTIME/./}
        record "$s" "$rt" $((t1 - t0))
}

# next_id: set ID to a fresh container id (not $(...): that would count in a subshell).
next_id() {
        seq_id=$((seq_id + 1))
        ID=b$seq_id
}

# rt_argv RUNTIME: set ARGV to the runtime's command line up to its command.
rt_argv() {
        ARGV=("${BIN[$1]}")
        [[ $1 == crun ]] && ARGV+=("${CRUN_FLAGS[@]}")
        [[ $1 == berth ]] && ARGV+=(--no-shim)
        ARGV+=(--root "$STATE/$1")
}

rt_cmd() { # RUNTIME ARGS...
        local ARGV
        rt_argv "$1"
        shift
        "${ARGV[@]}" "$@"
}

scenario_run() { # RUNTIME BUNDLE SCENARIO
        next_id
        time_cmd "$3" "$1" rt_cmd "$1" run -b "$WORK/$2" "$ID"
}

# lifecycle_wait_exit PID: until the process is gone or a zombie, with bash's
# own read (the state is the field after the command name's parenthesis).
lifecycle_wait_exit() {
        local stat
        while read -r stat 2>/dev/null <"/proc/$1/stat"; do
                stat=${stat##*) }
                [[ ${stat%% *} != Z ]] || break
        done
}

lifecycle() { # RUNTIME
        local id pid
        next_id
        id=$ID
        rt_cmd "$1" create -b "$WORK/net" --pid-file "$WORK/pid" "$id" </dev/null
        read -r pid <"$WORK/pid"
        rt_cmd "$1" start "$id"
        lifecycle_wait_exit "$pid"
        rt_cmd "$1" delete "$id"
}

parallel_run() { # RUNTIME N
        local i pids=()
        for ((i = 0; i < $2; i++)); do
                next_id
                rt_cmd "$1" run -b "$WORK/nonet" "$ID" </dev/null >/dev/null 2>"$WORK/par-$i.err" &
                pids+=($!)
        done
        for i in "${!pids[@]}"; do
                wait "${pids[i]}" || { cat "$WORK/par-$i.err" >&2; return 1; }
        done
}

peak_rss() { # RUNTIME: peak RSS in KiB of the runtime process of one `run`
        local ARGV
        rt_argv "$1"
        next_id
        /usr/bin/time -f %M -o "$WORK/rss" "${ARGV[@]}" run -b "$WORK/nonet" "$ID" >/dev/null
        record rss "$1" "$(<"$WORK/rss")"
}

# berth's shim: a container's life as at a shell, and what the shim weighs.
lifecycle_shim() {
        next_id
        "$BERTH" --root "$STATE/berth" --shim create -b "$WORK/net" "$ID" </dev/null
        "$BERTH" --root "$STATE/berth" start "$ID"
        "$BERTH" --root "$STATE/berth" wait "$ID"
        "$BERTH" --root "$STATE/berth" delete "$ID"
}

shim_rss() {
        local pid
        next_id
        "$BERTH" --root "$STATE/berth" --shim run -d -b "$WORK/sleep" "$ID" </dev/null >/dev/null
        pid=$(pgrep -f "^berth-shim $ID [0-9]" | head -n1)
        record shim-rss berth "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
        "$BERTH" --root "$STATE/berth" delete -f "$ID" >/dev/null
}

RUNTIMES=(berth runc crun)

# memory_starts RUNTIME KIB: `run` of /bin/true succeeds under a KIB limit.
memory_starts() {
        local b=$WORK/mem-$2
        if [[ ! -d $b ]]; then
                mkdir -p "$b"
                jq --argjson l $(($2 * 1024)) '.linux.resources.memory = {limit: $l, swap: $l}' \
                        "$WORK/nonet/config.json" >"$b/config.json"
        fi
        next_id
        rt_cmd "$1" run -b "$b" "$ID" </dev/null >/dev/null 2>&1
}

# memory_floor RUNTIME: bisect between 64 KiB and 64 MiB, in 64 KiB steps.
memory_floor() {
        local lo=1 hi=1024 mid
        memory_starts "$1" $((hi * 64)) || { echo "-"; return; }
        while ((lo < hi)); do
                mid=$(((lo + hi) / 2))
                if memory_starts "$1" $((mid * 64)); then hi=$mid; else lo=$((mid + 1)); fi
        done
        echo $((lo * 64))
}

if ((MEMFLOOR)); then
        if ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
                echo "memory floor: not measured: no memory controller in the cgroup v2 tree here" \
                        "(make bench-memfloor measures it in the cgroup v2 VM)"
                exit 0
        fi
        echo "smallest memory limit under which run of /bin/true succeeds (KiB):"
        for rt in "${RUNTIMES[@]}"; do
                if [[ $rt == crun && ${#CRUN_FLAGS[@]} -gt 0 ]]; then
                        echo "  crun: not measured: it runs without its cgroup manager here"
                        continue
                fi
                echo "  $rt: $(memory_floor "$rt")"
        done
        exit 0
fi

# One container per runtime to exec into, for the whole run.
for rt in "${RUNTIMES[@]}"; do
        rt_cmd "$rt" run -d -b "$WORK/sleep" "exec-target" </dev/null >/dev/null 2>"$WORK/err" || {
                echo "bench.sh: $rt run -d: $(cat "$WORK/err")" >&2
                exit 1
        }
done
echo "berth: $("$BERTH" --version | head -n1)"
echo "runc:  $(runc --version | head -n1)"
echo "crun:  $(crun --version | head -n1)"
echo "machine: $(nproc) cpus, $(uname -r), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
echo "rounds: $ROUNDS"
# sample SCENARIO WHO: one sample of a runtime or a floor.
# shellcheck disable=SC2086 # ns_flags is a list of flags
sample() {
        case $1/$2 in
        run/floor) time_cmd run floor unshare $ns_flags --mount-proc /bin/true ;;
        run-nonet/floor) time_cmd run-nonet floor unshare ${ns_flags/-n/} --mount-proc /bin/true ;;
        run/oci-floor) time_cmd run oci-floor "$WORK/oci-floor" -n "${floor_paths[@]}" "$rootfs" /bin/true ;;
        run-nonet/oci-floor) time_cmd run-nonet oci-floor "$WORK/oci-floor" "${floor_paths[@]}" "$rootfs" /bin/true ;;
        run/*) scenario_run "$2" net run ;;
        run-nonet/*) scenario_run "$2" nonet run-nonet ;;
        run-seccomp/*) scenario_run "$2" seccomp run-seccomp ;;
        exec/*) time_cmd exec "$2" rt_cmd "$2" exec exec-target /bin/true ;;
        lifecycle/*) time_cmd lifecycle "$2" lifecycle "$2" ;;
        rss/*) peak_rss "$2" ;;
        esac
}

# Scenario by scenario, each runtime (and floor) in turn, the order turned
# by one each round: neighbours in time see the machine alike, and none is
# always the one that follows another's teardown.
for ((round = 0; round < ROUNDS; round++)); do
        for scenario in run run-nonet run-seccomp exec lifecycle rss; do
                who=("${RUNTIMES[@]}")
                [[ $scenario == run || $scenario == run-nonet ]] && who+=(floor oci-floor)
                k=$((round % ${#who[@]}))
                for w in "${who[@]:k}" "${who[@]:0:k}"; do
                        sample "$scenario" "$w"
                done
        done
        time_cmd lifecycle-shim berth lifecycle_shim
        shim_rss
done
# Concurrency is costly: fewer rounds.
for n in "${PAR_SIZES[@]}"; do
        for ((round = 0; round < (SMOKE ? 1 : 5); round++)); do
                for rt in "${RUNTIMES[@]}"; do
                        time_cmd "par-$n" "$rt" parallel_run "$rt" "$n"
                done
        done
done

# ---- report ----
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf (b > 0 ? "%.2f" : "-"), a / b}'; }
declare -A MED=()
scenarios=(run run-nonet run-seccomp exec lifecycle lifecycle-shim)
for n in "${PAR_SIZES[@]}"; do scenarios+=("par-$n"); done
scenarios+=(rss shim-rss)
for key in "${!SAMPLES[@]}"; do MED[$key]=$(median "${SAMPLES[$key]}"); done

printf '\n%-11s %10s %10s %10s %10s %10s %11s %11s %11s %15s\n' scenario berth runc crun floor oci-floor \
        berth/runc berth/crun berth/floor berth/oci-floor
for s in "${scenarios[@]}"; do
        unit=us
        [[ $s == *rss ]] && unit=KiB
        printf '%-11s %10s %10s %10s %10s %10s %11s %11s %11s %15s  (%s)\n' "$s" \
                "${MED[$s berth]:--}" "${MED[$s runc]:--}" "${MED[$s crun]:--}" "${MED[$s floor]:--}" \
                "${MED[$s oci-floor]:--}" \
                "$(ratio "${MED[$s berth]:-0}" "${MED[$s runc]:-0}")" \
                "$(ratio "${MED[$s berth]:-0}" "${MED[$s crun]:-0}")" \
                "$(ratio "${MED[$s berth]:-0}" "${MED[$s floor]:-0}")" \
                "$(ratio "${MED[$s berth]:-0}" "${MED[$s oci-floor]:-0}")" "$unit"
done
for n in "${PAR_SIZES[@]}"; do
        printf 'per container at %3d: berth %s us, runc %s us, crun %s us\n' "$n" \
                "$((${MED[par-$n berth]} / n))" "$((${MED[par-$n runc]} / n))" "$((${MED[par-$n crun]} / n))"
done

if [[ -n $OUT ]]; then
        for key in "${!MED[@]}"; do echo "$key ${MED[$key]}"; done | sort >"$OUT"
        echo "medians written to $OUT"
fi
if [[ -n $PREV ]]; then
        echo
        echo "change against $PREV (berth):"
        while read -r s rt med; do
                [[ $rt == berth && -n ${MED[$s berth]:-} ]] || continue
                printf '  %-11s %10s -> %10s  (x%s)\n' "$s" "$med" "${MED[$s berth]}" "$(ratio "${MED[$s berth]}" "$med")"
        done <"$PREV"
fi
