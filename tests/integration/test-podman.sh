# shellcheck shell=bash disable=SC2016 # $ in single quotes is for the container's shell
# test-podman.sh: the runtime under Podman, through conmon, as `podman
# --runtime PATH` runs it: run (output, exit code, a terminal), run -d with
# exec, logs, top, pause, stop and rm, the exit codes Podman derives from the
# runtime's error text (127, 126), and no berth-shim under conmon, which
# reaps the container itself.
#
# Podman's state is private to the test (storage, run root, tmp dir, vfs
# driver, containers.conf) and the image is imported from the suite's
# busybox rootfs, so nothing is pulled and nothing host-wide is touched.

PODMAN_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers

# podman_setup: private Podman state, the runtime wrapper and the image
# localhost/bb. Sets PD and PODMAN; the test's cleanup removes every
# container and waits for their conmon.
podman_setup() {
        local tool
        for tool in podman conmon; do
                command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
        done
        PD=$TEST_TMP/podman
        mkdir -p "$PD/tmp" || die "mkdir $PD"
        # pids_limit: Podman asks for pids.max=2048 by default, and this
        # host's pids controller is cgroup v1 only, which berth refuses
        # rather than ignores (berth(8), CGROUPS); 0 asks for no limit.
        # default_ulimits: the host's hard limits are below Podman's
        # defaults and there is no CAP_SYS_RESOURCE to raise them.
        cat >"$PD/containers.conf" <<'EOF'
[containers]
pids_limit = 0
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
        export CONTAINERS_CONF=$PD/containers.conf
        # Podman 4.3 passes no --root to the runtime, and drops
        # --runtime-flag from the cleanup command conmon runs at the exit:
        # this wrapper keeps the runtime's state in the test's root (where
        # the suite's leak checks look) and records each call.
        cat >"$PD/runtime" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >>"$PD/calls.log"
exec "$RUNTIME" --root "$STATE_ROOT" "\$@"
EOF
        chmod 755 "$PD/runtime"
        PODMAN=(podman --root "$PD/storage" --runroot "$PD/run" --tmpdir "$PD/tmp" --storage-driver vfs
                --runtime "$PD/runtime" --cgroup-manager cgroupfs --events-backend file)
        defer podman_cleanup
        tar -C "$ROOTFS" -c . | lib_timed "${PODMAN[@]}" import - localhost/bb >"$PD/import.log" 2>&1 ||
                die "podman import failed: $(cat "$PD/import.log")"
}

# pm ARGS...: podman with the test's private state.
pm() {
        lib_timed "${PODMAN[@]}" "$@"
}

podman_conmons() {
        pgrep -f "^/usr/bin/conmon .* -b $PD/storage/"
}

podman_no_conmon() {
        [[ -z $(podman_conmons) ]]
}

podman_cleanup() {
        pm rm -a -f -t 0
        # conmon outlives `rm` by the exit command it runs.
        wait_for 20 podman_no_conmon
}

# pm_ok ARGS...: podman must succeed; OUT and ERR as for capture.
pm_ok() {
        capture pm "$@"
        [[ $RC == 0 ]] || fail "podman $*: $(lib_result)"
}

pm_inspect() {
        pm inspect -f "$2" "$1" 2>/dev/null
}

# podman_logs_have NAME TEXT: podman logs NAME has a line TEXT.
podman_logs_have() {
        pm logs "$1" 2>/dev/null | grep -qx "$2"
}

# podman_ctr_state NAME: the runtime's status for the container NAME.
podman_ctr_state() {
        status_of "$(pm_inspect "$1" '{{.Id}}')"
}

test_podman_run_rm_output_and_exit_code() {
        podman_setup
        capture pm run --rm --network none localhost/bb sh -c 'echo hi from $(hostname); exit 7'
        assert_eq 7 "$RC" "podman run's exit code ($(lib_result))"
        assert_match '^hi from [0-9a-f]{12}$' "$OUT" "output"
        # It was the runtime under test, through conmon, and --rm left nothing.
        assert_line_match '^create --bundle .* --pid-file ' "$(cat "$PD/calls.log")" "runtime calls"
        assert_line_match '^start [0-9a-f]{64}$' "$(cat "$PD/calls.log")" "runtime calls"
        capture pm ps -a -q
        assert_eq "" "$OUT" "containers after run --rm"
        wait_for 10 podman_no_conmon || fail "conmon still runs after run --rm"
        assert_eq "" "$(rt list -q)" "the runtime's containers after run --rm"
}

test_podman_detached_exec_logs_top_stop_rm() {
        podman_setup
        pm_ok run -d --name c1 --network none localhost/bb \
                sh -c 'trap "echo bye; exit 0" TERM; echo started; while :; do sleep 0.1; done'
        local id
        id=$(pm_inspect c1 '{{.Id}}')
        assert_match '^[0-9a-f]{64}$' "$id" "container id"
        assert_eq running "$(status_of "$id")" "the runtime's status"
        # conmon reaps the container: the init is its child, and the runtime
        # left no process of its own (no berth-shim) behind.
        local conmon init
        conmon=$(pm_inspect c1 '{{.State.ConmonPid}}')
        init=$(pm_inspect c1 '{{.State.Pid}}')
        assert_eq "$conmon" "$(ps -o ppid= -p "$init" | tr -d ' ')" "parent of the container's init"
        assert_eq conmon "$(cat "/proc/$conmon/comm")" "the parent's name"
        assert_eq "$init" "$(pgrep -P "$conmon" | tr '\n' ' ' | sed 's/ $//')" "conmon's children"
        assert_eq "" "$(pgrep -f "^berth-shim $id")" "berth-shim processes"
        [[ ! -e $STATE_ROOT/$id/shim.sock ]] || fail "the container has a shim socket"

        wait_for 10 podman_logs_have c1 started || fail "logs: no 'started': $(pm logs c1 2>&1)"
        capture pm exec c1 sh -c 'echo in-exec; exit 3'
        assert_eq 3 "$RC" "exec's exit code ($(lib_result))"
        assert_eq in-exec "$OUT" "exec's output"
        capture pm exec -e K=v -w /tmp -u 1000 c1 sh -c 'echo $K $(pwd) $(id -u)'
        assert_eq "v /tmp 1000" "$OUT" "exec -e -w -u ($(lib_result))"
        assert_line_match '^exec --pid-file .* --process .* --detach [0-9a-f]{64}$' "$(cat "$PD/calls.log")" \
                "runtime calls"

        pm_ok top c1 pid args
        assert_line_match '^1 +sh -c trap' "$OUT" "top"

        pm_ok stop -t 10 c1
        assert_eq exited "$(pm_inspect c1 '{{.State.Status}}')" "status after stop"
        assert_eq 0 "$(pm_inspect c1 '{{.State.ExitCode}}')" "exit code after stop (the TERM trap)"
        capture pm logs c1
        assert_eq "started"$'\n'"bye" "$OUT" "logs after stop"
        pm_ok rm c1
        wait_for 10 podman_no_conmon || fail "conmon still runs after rm"
        assert_eq "" "$(rt list -q)" "the runtime's containers after rm"
}

test_podman_run_tty() {
        podman_setup
        capture "$PODMAN_HELPERS/pty-run.py" --size 30x100 -- "${PODMAN[@]}" run --rm -t --network none \
                localhost/bb sh -c 'tty; stty size; [ -t 0 ] && echo stdin-is-a-tty; exit 5'
        assert_eq 5 "$RC" "run -t's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/0' "$OUT" "tty"
        assert_line_match '^30 100' "$OUT" "the terminal's size"
        assert_line_match '^stdin-is-a-tty' "$OUT" "stdin"

        pm_ok run -d --name t1 --network none localhost/bb sleep 60
        capture "$PODMAN_HELPERS/pty-run.py" -- "${PODMAN[@]}" exec -t t1 sh -c 'tty; exit 4'
        assert_eq 4 "$RC" "exec -t's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/[0-9]+' "$OUT" "exec -t's tty"
        assert_line_match '^exec .*--console-socket ' "$(cat "$PD/calls.log")" "runtime calls"
}

test_podman_pause_unpause() {
        podman_setup
        # Written aside and renamed: a freeze between a truncating write and
        # its data would leave the file empty for the readers below.
        pm_ok run -d --name p1 --network none localhost/bb \
                sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/tick.new; mv /tmp/tick.new /tmp/tick; sleep 0.05; done'
        local tick init t1 t2
        init=$(pm_inspect p1 '{{.State.Pid}}')
        tick=/proc/$init/root/tmp/tick
        wait_file "$tick"
        pm_ok pause p1
        assert_eq paused "$(pm_inspect p1 '{{.State.Status}}')" "podman's status"
        assert_eq paused "$(podman_ctr_state p1)" "the runtime's status"
        t1=$(cat "$tick")
        sleep 0.3
        t2=$(cat "$tick")
        assert_eq "$t1" "$t2" "the counter while paused"
        pm_ok unpause p1
        assert_eq running "$(podman_ctr_state p1)" "the runtime's status after unpause"
        wait_for 5 number_above "$tick" "$t2" || fail "the counter did not move after unpause ($t1, then $(cat "$tick"))"
        assert_line_match '^pause [0-9a-f]{64}$' "$(cat "$PD/calls.log")" "runtime calls"
        assert_line_match '^resume [0-9a-f]{64}$' "$(cat "$PD/calls.log")" "runtime calls"
}

# Podman turns the runtime's error text into the shell's exit codes: 127
# when the executable is not found, 126 when it cannot be executed
# (libpod/oci_util.go, getOCIRuntimeError, matches "executable file not
# found", "no such file or directory" and "permission denied").
test_podman_exit_codes_for_exec_errors() {
        podman_setup
        capture pm run --rm --network none localhost/bb /nonexistent
        assert_eq 127 "$RC" "a missing absolute path ($(lib_result))"
        assert_contains "$ERR" "/nonexistent" "podman's message"
        capture pm run --rm --network none localhost/bb nosuchcmd
        assert_eq 127 "$RC" "a command not in PATH ($(lib_result))"
        assert_contains "$ERR" "executable file not found" "podman's message"
        capture pm run --rm --network none localhost/bb /etc/passwd
        assert_eq 126 "$RC" "a file that is not executable ($(lib_result))"
        capture pm run --rm --network none localhost/bb /etc
        assert_eq 126 "$RC" "a directory ($(lib_result))"
        capture pm ps -a -q
        assert_eq "" "$OUT" "containers left"
        wait_for 10 podman_no_conmon || fail "conmon still runs"
}

# --read-only and --tmpfs make tmpfs mounts with runc's "tmpcopyup": the
# tmpfs starts with what the image has there.
test_podman_read_only_and_tmpfs() {
        podman_setup
        capture pm run --rm --network none --read-only --tmpfs /etc localhost/bb \
                sh -c 'grep -c "^user:" /etc/passwd; touch /tmp/x && echo tmp-ok; touch /x 2>/dev/null || echo root-ro'
        assert_eq 0 "$RC" "run --read-only --tmpfs ($(lib_result))"
        assert_eq $'1\ntmp-ok\nroot-ro' "$OUT" "output"

        # Every mount option Podman writes is one `features` lists.
        pm_ok create --name f1 --network none --read-only --tmpfs /etc -v "$TEST_TMP:/host:ro" localhost/bb true
        pm_ok init f1
        local config
        config=$PD/storage/vfs-containers/$(pm_inspect f1 '{{.Id}}')/userdata/config.json
        [[ -s $config ]] || fail "no config.json at $config"
        assert_eq "" "$(unlisted_mount_options "$config")" "mount options of Podman's config.json missing from features"
}
