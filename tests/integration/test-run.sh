# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-run.sh: `run` in the foreground and detached, and its exit codes.

test_run_exit_zero() {
        new_bundle
        set_sh 'echo hello'
        run_ctr r1
        assert_eq 0 "$RC" "exit status"
        assert_eq hello "$OUT" "stdout"
}

test_run_exit_codes_propagate() {
        new_bundle
        local code
        for code in 1 3 42 127 255; do
                set_sh "exit $code"
                run_ctr "r$code"
                assert_eq "$code" "$RC" "exit status of 'exit $code' (stderr: $ERR)"
        done
}

test_run_false() {
        new_bundle
        set_args false
        run_ctr r1
        assert_eq 1 "$RC" "exit status of false"
}

test_run_stdout_and_stderr() {
        new_bundle
        set_sh 'echo to-out; echo to-err >&2'
        run_ok r1
        assert_eq to-out "$OUT" "stdout"
        assert_contains "$ERR" to-err "stderr"
        assert_not_contains "$OUT" to-err "stdout"
}

test_run_stdin() {
        new_bundle
        set_args cat
        local out
        out=$(printf 'line one\nline two\n' | rt run -b "$BUNDLE" r1 2>"$TEST_TMP/r1.err")
        assert_eq $'line one\nline two' "$out" "the workload's copy of stdin"
}

test_run_killed_by_sigkill_is_137() {
        new_bundle
        set_args sleep 1000
        rt run -b "$BUNDLE" r1 >"$TEST_TMP/r1.out" 2>&1 </dev/null &
        local bg=$!
        wait_status r1 running
        assert_ok rt kill r1 KILL
        wait "$bg"
        local rc=$?
        assert_eq 137 "$rc" "exit status of run when the workload dies of SIGKILL"
}

# berth in the foreground passes the signals it gets on to the workload
# (here the init of its pid namespace, which has a handler).
test_run_forwards_signals() {
        new_bundle
        set_sh 'trap "echo got-term; exit 3" TERM; echo ready; while :; do sleep 0.1; done'
        "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" f1 >"$TEST_TMP/f1.out" 2>&1 </dev/null &
        local bg=$! rc
        wait_file "$TEST_TMP/f1.out"
        kill -TERM "$bg"
        wait_for 10 lib_pid_dead "$bg" || { kill -KILL "$bg"; fail "run did not end after SIGTERM"; }
        wait "$bg"
        rc=$?
        assert_eq 3 "$rc" "exit status of run after the workload's TERM handler"
        assert_eq $'ready\ngot-term' "$(cat "$TEST_TMP/f1.out")" "the workload's output"
}

# A signal that reaches berth while it creates the container is held and
# passed on once the workload runs (berth(8), berth-run(8)). Without a pid
# namespace the workload is no init: TERM ends it whether or not its trap
# is set yet (3 with the trap, 143 without).
test_run_passes_on_a_signal_that_came_during_create() {
        new_bundle
        drop_ns pid
        set_sh 'trap "exit 3" TERM; sleep 30 & wait; exit 0'
        capture "$(dirname "${BASH_SOURCE[0]}")/helpers/pending-exec.py" TERM -- \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" p1
        [[ $RC == 3 || $RC == 143 ]] || fail "run with TERM pending: expected the workload's TERM (3 or 143), got $(lib_result)"
}

test_run_killed_by_signal_is_128_plus_n() {
        # Without a pid namespace the workload is not an init, so it can die
        # of a signal it sends itself.
        new_bundle
        drop_ns pid
        local sig n
        for sig in TERM HUP USR1; do
                n=$(kill -l "$sig")
                set_sh "kill -$sig \$\$; sleep 10"
                run_ctr "r$sig"
                assert_eq $((128 + n)) "$RC" "exit status of run when the workload dies of SIG$sig"
        done
}

test_run_removes_container() {
        new_bundle
        set_args true
        run_ok r1
        assert_exit 1 rt state r1
        [[ ! -e $STATE_ROOT/r1 ]] || fail "$STATE_ROOT/r1 still exists after run"
        assert_ok rt list -q
        assert_eq "" "$OUT" "list -q after run"
}

test_run_detach() {
        new_bundle
        set_sh 'echo detached-hello; exec sleep 1000'
        local t0=$SECONDS
        run_detached r1 --pid-file "$TEST_TMP/r1.pid"
        ((SECONDS - t0 < 10)) || fail "run -d did not return promptly"
        assert_eq running "$(status_of r1)" "status after run -d"
        assert_eq "$(pid_of r1)" "$(<"$TEST_TMP/r1.pid")" "pid file"
        wait_file "$TEST_TMP/r1.out"
        assert_eq detached-hello "$(ctr_output r1)" "the workload's stdout"
        assert_ok rt delete -f r1
        [[ ! -e $STATE_ROOT/r1 ]] || fail "state left after delete -f"
}

test_run_detach_long_flag() {
        new_bundle
        set_args sleep 1000
        rt run --detach -b "$BUNDLE" r1 >"$TEST_TMP/r1.out" 2>&1 </dev/null || fail "run --detach: $(cat "$TEST_TMP/r1.out")"
        assert_eq running "$(status_of r1)" "status after run --detach"
}

test_run_detach_then_exit() {
        new_bundle
        set_args true
        run_detached r1
        wait_status r1 stopped
        assert_ok rt delete r1
        [[ ! -e $STATE_ROOT/r1 ]] || fail "state left after delete"
}

test_run_missing_executable() {
        new_bundle
        set_args no-such-program
        run_ctr r1
        assert_eq 1 "$RC" "exit status (a runtime error, not the workload's)"
        assert_contains "$ERR" 'executable file not found in $PATH' "stderr"
        [[ ! -e $STATE_ROOT/r1 ]] || fail "a failed run left $STATE_ROOT/r1"
}

test_run_bundle_from_cwd() {
        new_bundle
        set_sh 'echo cwd-bundle'
        cd "$BUNDLE" || die "cd"
        capture rt run r1
        assert_eq 0 "$RC" "run without -b (stderr: $ERR)"
        assert_eq cwd-bundle "$OUT" "stdout"
}

test_run_no_subreaper_accepted() {
        new_bundle
        set_sh 'echo ok'
        run_ok r1 --no-subreaper
        assert_eq ok "$OUT" "stdout"
}

test_run_same_id_twice_sequentially() {
        new_bundle
        set_sh 'echo once'
        run_ok r1
        set_sh 'echo twice'
        run_ok r1
        assert_eq twice "$OUT" "second run with the same id"
}
