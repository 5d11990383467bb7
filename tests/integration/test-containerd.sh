# shellcheck shell=bash disable=SC2016 # $ in single quotes is for the container's shell
# test-containerd.sh: the runtime under containerd, as `ctr run --runc-binary
# PATH` runs it through containerd-shim-runc-v2 (the default runtime,
# io.containerd.runc.v2): run, exec with and without a terminal, kill, ps,
# pause/resume, update, delete, a create failure as ctr reports it, and no
# berth-shim under containerd's shim, which reaps the container itself.
#
# Each test starts its own containerd (private config, root, state and
# socket) in a mount and pid namespace of its own, imports an OCI image
# built by hand from the suite's busybox rootfs, and stops it at the end.

CTD_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers
CTD_NS=berth-test

# ctd_image ROOTFS OUT NAME: an OCI image archive (oci-layout, index.json,
# blobs) of ROOTFS as one uncompressed layer, named NAME for ctr import.
ctd_image() {
        local rootfs=$1 out=$2 name=$3 d blob digest size cfg man
        d=$(mktemp -d "$TEST_TMP/image.XXXXXX") || return 1
        blob=$d/blobs/sha256
        mkdir -p "$blob"
        # ctd_blob FILE: move FILE into the blobs; sets digest and size.
        ctd_blob() {
                digest=$(sha256sum "$1" | cut -d' ' -f1)
                size=$(stat -c %s "$1")
                mv "$1" "$blob/$digest"
        }
        tar -C "$rootfs" -cf "$d/layer" . || return 1
        ctd_blob "$d/layer"
        local layer="{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$digest\",\"size\":$size}"
        jq -nc --arg diff "sha256:$digest" '{architecture: "amd64", os: "linux",
                config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"]},
                rootfs: {type: "layers", diff_ids: [$diff]}}' >"$d/config" || return 1
        ctd_blob "$d/config"
        cfg="{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$digest\",\"size\":$size}"
        jq -nc --argjson c "$cfg" --argjson l "$layer" '{schemaVersion: 2,
                mediaType: "application/vnd.oci.image.manifest.v1+json", config: $c, layers: [$l]}' >"$d/manifest" ||
                return 1
        ctd_blob "$d/manifest"
        man="{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$digest\",\"size\":$size}"
        jq -nc --argjson m "$man" --arg n "$name" '{schemaVersion: 2, manifests: [$m + {
                platform: {architecture: "amd64", os: "linux"},
                annotations: {"io.containerd.image.name": $n, "org.opencontainers.image.ref.name": "latest"}}]}' \
                >"$d/index.json" || return 1
        echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
        tar -C "$d" -cf "$out" oci-layout index.json blobs || return 1
        rm -rf "$d"
}

# ctd_setup: start containerd and import the image localhost/bb:latest.
# Sets CD (its directory), CTD_SOCK, CTD_PID (containerd, pid 1 of its pid
# namespace), RUNC_ROOT (the runtime's --root for our namespace) and RUN
# (ctr run's runtime flags).
ctd_setup() {
        local tool
        for tool in containerd ctr containerd-shim-runc-v2; do
                command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
        done
        CD=$TEST_TMP/containerd
        CTD_SOCK=$CD/containerd.sock
        mkdir -p "$CD" || die "mkdir $CD"
        cat >"$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
EOF
        # Its own pid namespace: whatever containerd starts dies with it;
        # --kill-child: and containerd dies with unshare.
        unshare -m -p -f --mount-proc --kill-child containerd --config "$CD/config.toml" \
                >"$CD/containerd.log" 2>&1 </dev/null &
        CTD_UNSHARE=$!
        defer ctd_stop
        wait_for 20 test -S "$CTD_SOCK" || die "containerd did not start: $(cat "$CD/containerd.log")"
        CTD_PID=$(pgrep -P "$CTD_UNSHARE" -x containerd) || die "no containerd under unshare $CTD_UNSHARE"
        # shellcheck disable=SC2153 # ROOTFS comes from run.sh
        ctd_image "$ROOTFS" "$CD/image.tar" localhost/bb:latest || die "cannot build the image archive"
        capture ctd image import "$CD/image.tar"
        [[ $RC == 0 ]] || die "ctr image import: $(lib_result)"
        RUNC_ROOT=$CD/runc/$CTD_NS
        # --cpu-shares 0: ctr asks for 1024 shares by default, which berth
        # writes as cpu.weight; this host's cpu controller is cgroup v1
        # only, and berth refuses a limit it cannot apply (berth(8)).
        # --fifo-dir: ctr's stdio fifos in the test's directory, not in
        # /run/containerd/fifo. (The shims' sockets are in /run/containerd/s
        # whatever the config says; each goes when its shim exits.)
        mkdir -p "$CD/fifo"
        RUN=(--runc-binary "$RUNTIME" --runc-root "$CD/runc" --cpu-shares 0 --fifo-dir "$CD/fifo")
}

# ctd ARGS...: ctr on the test's containerd, in the test's namespace.
ctd() {
        lib_timed ctr -a "$CTD_SOCK" -n "$CTD_NS" "$@"
}

# ctd_rt ARGS...: the runtime with containerd's --root for our namespace,
# in containerd's mount and pid namespaces (where the pids in its state
# are valid).
ctd_rt() {
        lib_timed nsenter -t "$CTD_PID" -m -p -- "$RUNTIME" --root "$RUNC_ROOT" "$@"
}

# ctd_stop: remove every task and container, check the runtime kept no
# state, then stop containerd (its pid namespace goes with it).
ctd_stop() {
        local id
        for id in $(ctd task ls -q 2>/dev/null); do
                ctd task kill -s KILL "$id"
                ctd task delete -f "$id"
        done
        for id in $(ctd container ls -q 2>/dev/null); do
                ctd container delete "$id"
        done
        for id in $(ctd_rt list -q 2>/dev/null); do
                echo "LEAK: the runtime still has container $id after containerd deleted it" >&2
                ctd_rt delete -f "$id"
        done
        # unshare blocks SIGTERM; containerd, pid 1 of its namespace, takes
        # it and shuts down, and the namespace's last processes die with it.
        [[ -n ${CTD_PID:-} ]] && kill -TERM "$CTD_PID"
        engine_ns_end "$CTD_UNSHARE" containerd 10
        # The group made for the namespace's containers (cgroupsPath
        # /berth-test/ID).
        engine_cgroups_remove "$CTD_NS"
}

# ctd_init_pid ID: the host pid of task ID's init, found among the children
# of containerd's shims (the runtime's state holds its pid as containerd's
# pid namespace sees it); fails when no shim is its parent.
ctd_init_pid() {
        local pid shim child
        pid=$(jq -r .pid <(ctd_rt state "$1")) || return 1
        for shim in $(pgrep -P "$CTD_PID" -x containerd-shim); do
                for child in $(pgrep -P "$shim"); do
                        if awk -v p="$pid" '$1 == "NSpid:" && $3 == p { f = 1 } END { exit !f }' \
                                "/proc/$child/status" 2>/dev/null; then
                                echo "$child"
                                return 0
                        fi
                done
        done
        return 1
}

# ctd_task_is ID STATUS: ctr task ls shows task ID in STATUS.
ctd_task_is() {
        ctd task ls | grep -qE "^$1 +[0-9]+ +$2"
}

# ctd_runtime_procs: processes of the runtime in containerd's pid namespace
# (berth, berth-shim, or berth's sealed copy), one "PID COMM" per line.
ctd_runtime_procs() {
        local ns p comm
        ns=$(readlink "/proc/$CTD_PID/ns/pid")
        for p in /proc/[0-9]*; do
                [[ $(readlink "$p/ns/pid" 2>/dev/null) == "$ns" ]] || continue
                comm=$(cat "$p/comm" 2>/dev/null)
                [[ $comm == berth* || $comm == memfd:berth* ]] && echo "${p#/proc/} $comm"
        done
}

test_containerd_run_rm_output_and_exit_code() {
        ctd_setup
        capture ctd run "${RUN[@]}" --rm localhost/bb:latest r1 sh -c 'echo hello; exit 4'
        assert_eq 4 "$RC" "ctr run's exit code ($(lib_result))"
        assert_eq "hello" "$OUT" "output"
        capture ctd container ls -q
        assert_eq "" "$OUT" "containers after run --rm"
        assert_eq "" "$(ctd_rt list -q)" "the runtime's containers"
}

test_containerd_task_exec_ps_pause_kill_delete() {
        ctd_setup
        capture ctd run "${RUN[@]}" -d localhost/bb:latest d1 \
                sh -c 'trap "exit 42" TERM; echo started; while :; do sleep 0.1; done'
        [[ $RC == 0 ]] || fail "ctr run -d: $(lib_result)"
        assert_eq running "$(jq -r .status <(ctd_rt state d1))" \
                "the runtime's status"
        # containerd's shim reaps the container: it is the init's parent,
        # and no process of the runtime's stayed behind.
        local init
        init=$(ctd_init_pid d1) || fail "the init of d1 is no child of containerd's shim"
        assert_eq "" "$(ctd_runtime_procs)" "runtime processes under containerd"

        # What containerd 1.7 and go-runc probe, with the shim's global
        # flags; and every mount option ctr's config.json uses is listed.
        capture ctd_rt --log "$CD/features.log" --log-format json features
        assert_json '.ociVersionMax and (.mountOptions | length > 0) and .linux.namespaces' "$OUT" "features"
        assert_eq "" "$(unlisted_mount_options "$CD/state/io.containerd.runtime.v2.task/$CTD_NS/d1/config.json")" \
                "mount options of ctr's config.json missing from features"

        capture ctd task ps d1
        assert_line_match '^[0-9]+ ' "$OUT" "task ps ($(lib_result))"
        capture ctd task exec --fifo-dir "$CD/fifo" --exec-id e1 d1 sh -c 'echo in-exec; exit 6'
        assert_eq 6 "$RC" "task exec's exit code ($(lib_result))"
        assert_eq in-exec "$OUT" "task exec's output"
        capture "$CTD_HELPERS/pty-run.py" -- ctr -a "$CTD_SOCK" -n "$CTD_NS" task exec --fifo-dir "$CD/fifo" --tty --exec-id e2 d1 \
                sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 2'
        assert_eq 2 "$RC" "task exec --tty's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/[0-9]+' "$OUT" "task exec --tty"
        assert_line_match '^stdin-is-a-tty' "$OUT" "task exec --tty"

        capture ctd task pause d1
        [[ $RC == 0 ]] || fail "task pause: $(lib_result)"
        ctd_task_is d1 PAUSED || fail "task ls after pause: $(ctd task ls)"
        assert_eq paused "$(jq -r .status <(ctd_rt state d1))" \
                "the runtime's status"
        capture ctd task resume d1
        [[ $RC == 0 ]] || fail "task resume: $(lib_result)"
        ctd_task_is d1 RUNNING || fail "task ls after resume: $(ctd task ls)"

        capture ctd task kill d1
        [[ $RC == 0 ]] || fail "task kill: $(lib_result)"
        wait_for 10 ctd_task_is d1 STOPPED || fail "d1 did not stop: $(ctd task ls)"
        capture ctd task delete d1
        assert_eq 0 "$RC" "task delete ($(lib_result))"
        assert_contains "$OUT$ERR" "42" "task delete reports the exit status"
        capture ctd container delete d1
        assert_eq 0 "$RC" "container delete ($(lib_result))"
        assert_eq "" "$(ctd_rt list -q)" "the runtime's containers"
        wait_gone "$init"
}

test_containerd_run_tty() {
        ctd_setup
        capture "$CTD_HELPERS/pty-run.py" -- ctr -a "$CTD_SOCK" -n "$CTD_NS" run "${RUN[@]}" --tty --rm \
                localhost/bb:latest t1 sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; exit 3'
        assert_eq 3 "$RC" "run --tty's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/0' "$OUT" "run --tty"
        assert_line_match '^stdin-is-a-tty' "$OUT" "run --tty"
}

# containerd's runc shim calls `update --resources -` (Tasks.Update, which
# ctr 1.6 has no command for): hugetlb is a v2 controller even on this host.
test_containerd_update_resources() {
        ctd_setup
        local v2=/sys/fs/cgroup/unified
        [[ -e $v2/cgroup.controllers ]] || v2=/sys/fs/cgroup
        if ! grep -qw hugetlb "$v2/cgroup.controllers" || [[ ! -d /sys/kernel/mm/hugepages/hugepages-2048kB ]]; then
                skip "no hugetlb controller with 2MB pages in cgroup v2"
        fi
        /usr/bin/python3 -c 'import grpc' 2>/dev/null || skip "python3-grpcio is not installed"
        capture ctd run "${RUN[@]}" -d localhost/bb:latest u1 sleep 60
        [[ $RC == 0 ]] || fail "ctr run -d: $(lib_result)"
        capture "$CTD_HELPERS/ctd-update.py" "$CTD_SOCK" "$CTD_NS" u1 \
                '{"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}'
        assert_eq 0 "$RC" "Tasks.Update ($(lib_result))"
        # runc, on a hybrid host, puts hugetlb limits in the v1 hierarchy
        # (none here): only berth's v2 group can be checked.
        [[ -n ${BERTH_TEST_RUNTIME:-} ]] && return 0
        local cg
        cg=$(awk -F: '$1 == 0 { print $3 }' "/proc/$(ctd_init_pid u1)/cgroup")
        assert_eq 4194304 "$(cat "$v2$cg/hugetlb.2MB.max")" "hugetlb.2MB.max of $cg"
}

# A create failure reaches ctr as "OCI runtime create failed: MESSAGE",
# MESSAGE being the runtime's error line in its --log (JSON) file.
test_containerd_create_failure_message() {
        ctd_setup
        capture ctd run "${RUN[@]}" --rm localhost/bb:latest f1 /nonexistent
        assert_ne 0 "$RC" "ctr run of a missing executable"
        assert_contains "$ERR" "OCI runtime create failed: " "ctr's message"
        if [[ -z ${BERTH_TEST_RUNTIME:-} ]]; then
                assert_contains "$ERR" 'OCI runtime create failed: container f1: exec: "/nonexistent": stat /nonexistent: no such file or directory' \
                        "ctr's message"
        fi
        capture ctd container ls -q
        assert_eq "" "$OUT" "containers after the failure"
        assert_eq "" "$(ctd_rt list -q)" "the runtime's containers"
}
