# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-attrs.sh: process attributes beyond identity: scheduler, I/O
# priority, CPU affinity, personality, HOME, the session keyring, and the
# fds that reach the workload (LISTEN_FDS, --preserve-fds, nothing else).

# runc_1_1_lacks FEATURE: runc 1.1.5 (Debian 12's) predates FEATURE and
# ignores it, so the test checks berth only.
runc_1_1_lacks() {
        [[ ${BERTH_TEST_RUNTIME:-} == runc ]] && skip "runc 1.1 predates $1"
        return 0
}

test_scheduler_batch_with_nice() {
        runc_1_1_lacks process.scheduler
        new_bundle
        cfg '.process.scheduler = {policy: "SCHED_BATCH", nice: 7}'
        set_sh 'set -- $(cat /proc/$$/stat); echo "nice=${19} policy=${41}"'
        run_ok s1
        assert_eq "nice=7 policy=3" "$OUT" "nice and policy (SCHED_BATCH = 3) of the workload"
}

test_scheduler_fifo_priority() {
        runc_1_1_lacks process.scheduler
        new_bundle
        cfg '.process.scheduler = {policy: "SCHED_FIFO", priority: 10}'
        set_sh 'set -- $(cat /proc/$$/stat); echo "rt_priority=${40} policy=${41}"'
        run_ok s1
        assert_eq "rt_priority=10 policy=1" "$OUT" "real-time priority and policy (SCHED_FIFO = 1)"
}

test_scheduler_invalid_fails() {
        runc_1_1_lacks process.scheduler
        berth_only
        new_bundle
        # A priority is meaningless for SCHED_OTHER: the kernel refuses it.
        cfg '.process.scheduler = {policy: "SCHED_OTHER", priority: 5}'
        set_args true
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" "config.json: .process.scheduler: set policy SCHED_OTHER" "the error"
        [[ ! -e $STATE_ROOT/s1 ]] || fail "the failed run left its state"
}

test_io_priority() {
        runc_1_1_lacks process.ioPriority
        new_bundle
        cfg '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'
        set_sh 'ionice -p $$'
        run_ok i1
        assert_eq "best-effort: prio 6" "$OUT" "ionice of the workload"
        cfg '.process.ioPriority = {class: "IOPRIO_CLASS_IDLE"}'
        run_ok i2
        assert_eq "idle" "$OUT" "ionice of the workload"
}

test_exec_cpu_affinity_final() {
        runc_1_1_lacks process.execCPUAffinity
        (($(nproc) >= 2)) || skip "needs 2 CPUs"
        new_bundle
        cfg '.process.execCPUAffinity = {initial: "0", final: "1"}'
        set_sh 'grep Cpus_allowed_list /proc/$$/status | cut -f2'
        run_ok a1
        assert_eq 1 "$OUT" "CPUs of the workload"
}

test_exec_cpu_affinity_initial_only_is_reset() {
        runc_1_1_lacks process.execCPUAffinity
        (($(nproc) >= 2)) || skip "needs 2 CPUs"
        new_bundle
        cfg '.process.execCPUAffinity = {initial: "1"}'
        set_sh 'grep Cpus_allowed_list /proc/$$/status | cut -f2'
        run_ok a1
        assert_eq "$(grep Cpus_allowed_list /proc/self/status | cut -f2)" "$OUT" \
                "CPUs of the workload: initial is for the runtime only"
}

test_exec_cpu_affinity_invalid_list() {
        berth_only
        new_bundle
        cfg '.process.execCPUAffinity = {final: "1-0"}'
        set_args true
        assert_fails rt run -b "$BUNDLE" a1
        assert_contains "$ERR" 'config.json: .process.execCPUAffinity.final: expected a CPU list' "the error"
}

test_personality_linux32() {
        runc_1_1_lacks linux.personality
        new_bundle
        cfg '.linux.personality = {domain: "LINUX32"}'
        set_sh 'uname -m'
        run_ok p1
        assert_match '^i[3-6]86$' "$OUT" "machine of a LINUX32 workload"
}

test_home_from_container_passwd() {
        new_bundle
        cfg '.process.env = ["PATH=/bin"]'
        set_sh 'echo "$HOME"'
        run_ok h1
        assert_eq /root "$OUT" "HOME of root (/etc/passwd of the container)"
        cfg '.process.user = {uid: 1000, gid: 1000}'
        run_ok h2
        assert_eq /home/user "$OUT" "HOME of uid 1000"
        cfg '.process.user = {uid: 4242, gid: 4242}'
        run_ok h3
        assert_eq / "$OUT" "HOME of a uid without an entry"
        cfg '.process.env = ["PATH=/bin", "HOME=/custom"]'
        run_ok h4
        assert_eq /custom "$OUT" "HOME from the config wins"
}

test_session_keyring_is_the_containers() {
        new_bundle
        cfg '.linux.maskedPaths = []'
        set_sh 'cat /proc/keys'
        run_ok k1
        assert_line_match ' keyring +_ses\.k1: ' "$OUT" "the container's session keyring in /proc/keys"
}

test_no_new_keyring() {
        new_bundle
        cfg '.linux.maskedPaths = []'
        set_sh 'cat /proc/keys'
        run_ok k1 --no-new-keyring
        assert_not_contains "$OUT" "_ses.k1" "/proc/keys with --no-new-keyring"
}

test_preserve_fds() {
        new_bundle
        echo from-fd4 >"$TEST_TMP/in"
        set_sh 'echo to-fd3 >&3; cat <&4; ls /proc/self/fd | sort -n | tr "\n" " "'
        capture bash -c 'exec 3>"$1" 4<"$2"; shift 2; exec "$@"' fds "$TEST_TMP/out" "$TEST_TMP/in" \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" --preserve-fds 2 f1
        [[ $RC == 0 ]] || fail "run --preserve-fds 2: $(lib_result)"
        assert_eq to-fd3 "$(cat "$TEST_TMP/out")" "what the workload wrote to fd 3"
        # ls itself opens one more fd for the directory.
        assert_eq $'from-fd4\n0 1 2 3 4 5 ' "$OUT" "fd 4 read, and the fds the workload has"
}

test_preserve_fds_not_open_fails() {
        berth_only
        new_bundle
        set_args true
        capture bash -c 'exec 3>/dev/null; exec "$@"' fds "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" --preserve-fds 3 f1
        [[ $RC == 1 ]] || fail "run --preserve-fds 3 with fds 4 and 5 closed: $(lib_result)"
        assert_contains "$ERR" "fd 4 is not open" "the error"
}

test_listen_fds() {
        new_bundle
        set_sh 'echo "LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID"; echo via-listen-fd >&3'
        capture bash -c 'exec 3>"$1"; shift; LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' lfds "$TEST_TMP/out" \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" l1
        [[ $RC == 0 ]] || fail "run with LISTEN_FDS=1: $(lib_result)"
        assert_eq "LISTEN_FDS=1 LISTEN_PID=1" "$OUT" "socket-activation variables of the workload"
        assert_eq via-listen-fd "$(cat "$TEST_TMP/out")" "what the workload wrote to fd 3"
}

test_listen_fds_for_another_pid_ignored() {
        new_bundle
        set_sh 'echo "[$LISTEN_FDS]"; ls /proc/self/fd | sort -n | tr "\n" " "'
        capture bash -c 'exec 3>/dev/null; LISTEN_PID=1 LISTEN_FDS=1 exec "$@"' lfds \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" l1
        [[ $RC == 0 ]] || fail "run: $(lib_result)"
        assert_eq $'[]\n0 1 2 3 ' "$OUT" "LISTEN_FDS meant for pid 1 passes nothing"
}

test_no_runtime_fd_reaches_workload() {
        new_bundle
        set_sh 'ls /proc/self/fd | sort -n | tr "\n" " "'
        capture bash -c 'exec 5</etc/hostname 7>/dev/null; exec "$@"' leak "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" n1
        [[ $RC == 0 ]] || fail "run: $(lib_result)"
        # 0, 1, 2 and the directory ls reads; not the caller's 5 and 7.
        assert_eq "0 1 2 3 " "$OUT" "open fds of the workload"
}
