# shellcheck shell=bash disable=SC2016 # $ in single quotes is for the container's shell
# test-shim.sh: the shim that supervises a detached container (berth(8),
# "THE SHIM"): the exit in state and list, wait, logs, attach, --rm,
# poststop at the exit, a killed shim, and no shim under a caller that
# reaps containers itself (as conmon and containerd's shim do).

SHIM_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers

# shim_pid ID: the pid of container ID's shim, empty when it has none.
shim_pid() {
        pgrep -f "^berth-shim $1 [0-9]+ " | head -n1
}

# shim_run ID [FLAGS...]: run -d from $BUNDLE under a shim.
shim_run() {
        local id=$1
        shift
        capture rt --shim run -d -b "$BUNDLE" "$@" "$id"
        [[ $RC == 0 ]] || die "run -d $id under a shim failed: $(lib_result)"
}

# exit_recorded ID: the shim has written the container's exit.
exit_recorded() {
        [[ -e $STATE_ROOT/$1/exit ]]
}

test_shim_exit_code_in_state_and_list() {
        berth_only
        new_bundle
        set_sh 'exit 3'
        shim_run s1
        wait_for 10 exit_recorded s1 || fail "no exit recorded"
        local state
        state=$(state_json s1)
        assert_json '.status == "stopped" and .pid == 0 and .exitCode == 3 and (has("exitSignal") | not)' \
                "$state" "state"
        assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z$' "$(jq -r .exitedAt <<<"$state")" "exitedAt"
        capture rt list
        assert_line_match '^ID +PID +STATUS +BUNDLE +CREATED +OWNER +EXIT$' "$OUT" "list's header"
        assert_line_match '^s1 +0 +stopped .* 3$' "$OUT" "list"
        capture rt list --format json
        assert_json '.[0].id == "s1" and .[0].exitCode == 3' "$OUT" "list --format json"
}

test_shim_signal_in_state_and_wait() {
        berth_only
        new_bundle
        set_args sleep 60
        shim_run s2
        assert_eq running "$(status_of s2)" "status before the kill"
        assert_json 'has("exitCode") | not' "$(state_json s2)" "state of a running container"
        assert_ok rt kill s2 KILL
        assert_exit 137 rt wait s2
        assert_eq 137 "$OUT" "wait's output"
        assert_json '.status == "stopped" and .exitCode == 137 and .exitSignal == "SIGKILL"' "$(state_json s2)" \
                "state"
        capture rt list
        assert_line_match '^s2 +0 +stopped .* SIGKILL$' "$OUT" "list"
}

# wait blocks on the shim while the container runs, and answers from the
# record once it has exited.
test_shim_wait_returns_the_code() {
        berth_only
        new_bundle
        set_sh 'sleep 0.5; exit 5'
        capture rt --shim create -b "$BUNDLE" w1
        [[ $RC == 0 ]] || fail "create: $(lib_result)"
        start_ctr w1
        assert_eq running "$(status_of w1)" "status when wait begins"
        assert_exit 5 rt wait w1
        assert_eq 5 "$OUT" "wait's output"
        assert_eq stopped "$(status_of w1)" "status once wait returned"
        assert_exit 5 rt wait w1
        assert_eq 5 "$OUT" "wait's output after the exit"
        assert_fails rt wait nosuch
        assert_contains "$ERR" "does not exist"
}

# The container's output goes to the log, not to run's stdio.
test_shim_logs_hold_both_streams_in_order() {
        berth_only
        new_bundle
        set_sh 'echo one; sleep 0.2; echo two >&2; sleep 0.2; printf three; sleep 0.2; echo " four"'
        shim_run l1
        assert_eq "" "$OUT$ERR" "run -d's own output"
        assert_exit 0 rt wait l1
        local log streams
        log=$(<"$STATE_ROOT/l1/container.log")
        streams=$(awk '{ print $2, $3 }' <<<"$log" | tr '\n' ',')
        assert_eq "stdout F,stderr F,stdout P,stdout F," "$streams" "streams and tags in the log"
        while read -r line; do
                assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}Z (stdout|stderr) [FP] ' "$line" \
                        "a CRI log record"
        done <<<"$log"
        capture rt logs l1
        assert_eq $'one\nthree four' "$OUT" "logs' stdout"
        assert_eq "two" "$ERR" "logs' stderr"
        capture rt logs --timestamps l1
        assert_match '^[0-9]{4}-[0-9-]{5}T[0-9:.]{18}Z one'$'\n''[0-9T:.Z-]{30} three four$' "$OUT" "logs -t"
}

test_shim_logs_follow_until_exit() {
        berth_only
        new_bundle
        set_sh 'echo a; sleep 0.4; echo b; sleep 0.4; echo c'
        shim_run f1
        capture rt logs -f f1
        assert_eq 0 "$RC" "logs -f's exit"
        assert_eq $'a\nb\nc' "$OUT" "logs -f"
        assert_eq stopped "$(status_of f1)" "status when logs -f returned"
}

test_shim_log_path() {
        berth_only
        new_bundle
        set_sh 'echo to-the-file'
        shim_run lp1 --log-path "$TEST_TMP/lp1.log"
        assert_exit 0 rt wait lp1
        assert_line_match ' stdout F to-the-file$' "$(<"$TEST_TMP/lp1.log")" "the --log-path file"
        capture rt logs lp1
        assert_eq "to-the-file" "$OUT" "logs through --log-path"
        assert_fails rt --shim run -d -b "$BUNDLE" --log-path "$TEST_TMP/no/such/dir/x.log" lp2
        assert_contains "$ERR" "--log-path"
        assert_eq "" "$(rt list -q | grep lp2)" "a container after a bad --log-path"
}

# run -d -t needs no console socket under a shim: it holds the pty, and
# attach types into it.
test_shim_attach_to_a_terminal() {
        berth_only
        new_bundle
        cfg '.process.terminal = true'
        set_args sh
        shim_run a1
        local rc
        { sleep 0.5; echo 'echo attached-$((6*7))'; sleep 0.5; echo 'exit 4'; } |
                rt attach a1 >"$TEST_TMP/attach.out" 2>&1
        rc=${PIPESTATUS[1]}
        assert_eq 4 "$rc" "attach's exit (the container's code)"
        assert_contains "$(<"$TEST_TMP/attach.out")" "attached-42" "what attach printed"
        assert_json '.exitCode == 4' "$(state_json a1)" "state"
        capture rt logs a1
        assert_contains "$OUT" "attached-42" "the terminal's output in the log"
}

test_shim_attach_detach_keys_leave_it_running() {
        berth_only
        new_bundle
        cfg '.process.terminal = true'
        set_args sh
        shim_run a2
        local rc
        { sleep 0.3; printf 'echo before-detach\n'; sleep 0.3; printf '\x10\x11'; sleep 0.5; } |
                rt attach a2 >"$TEST_TMP/attach.out" 2>&1
        rc=${PIPESTATUS[1]}
        assert_eq 0 "$rc" "attach's exit after ctrl-p ctrl-q"
        assert_contains "$(<"$TEST_TMP/attach.out")" "before-detach" "what attach printed"
        assert_eq running "$(status_of a2)" "status after detaching"
        { sleep 0.3; printf 'exit 6\n'; } | rt attach --detach-keys ctrl-x a2 >/dev/null 2>&1
        rc=${PIPESTATUS[1]}
        assert_eq 6 "$rc" "a second attach's exit"
        assert_fails rt attach --detach-keys ctrl-foo a2
        assert_contains "$ERR" "--detach-keys"
}

test_shim_gone_after_delete() {
        berth_only
        new_bundle
        set_args sleep 60
        shim_run d1
        local pid
        pid=$(shim_pid d1)
        [[ -n $pid ]] || fail "no shim for d1"
        assert_match '^berth-shim d1 ' "$(cmdline_of "$pid")" "the shim's command line"
        assert_ok rt delete -f d1
        lib_pid_dead "$pid" || fail "shim $pid still running once delete returned"
        set_sh 'exit 0'
        shim_run d2
        pid=$(shim_pid d2)
        assert_exit 0 rt wait d2
        pid_alive "$pid" || fail "the shim left before its stopped container was deleted"
        assert_ok rt delete d2
        lib_pid_dead "$pid" || fail "shim $pid still running once delete returned"
}

# Killed, the shim takes only the exit code with it.
test_shim_killed_leaves_a_manageable_container() {
        berth_only
        new_bundle
        set_args sleep 60
        shim_run k1
        local pid
        pid=$(shim_pid k1)
        kill -KILL "$pid"
        wait_gone "$pid"
        assert_eq running "$(status_of k1)" "status with the shim gone"
        assert_ok rt kill k1 KILL
        wait_status k1 stopped
        assert_json '.status == "stopped" and (has("exitCode") | not)' "$(state_json k1)" "state"
        assert_fails rt wait k1
        assert_contains "$ERR" "exit code is unknown"
        assert_ok rt delete k1
        assert_eq "" "$(rt list -q)" "containers after delete"
}

test_shim_run_rm_deletes_the_container() {
        berth_only
        new_bundle
        set_sh 'exit 0'
        shim_run r1 --rm
        wait_for 10 test ! -e "$STATE_ROOT/r1" || fail "r1 still exists after its exit"
        assert_eq "" "$(rt list -q)" "containers"
        assert_eq "" "$(shim_pid r1)" "r1's shim"
}

# Under a shim the poststop hooks run when the container exits, once.
test_shim_poststop_runs_at_exit_once() {
        berth_only
        new_bundle
        cfg --arg f "$TEST_TMP/poststop" \
                '.hooks.poststop = [{"path": "/bin/sh", "args": ["sh", "-c", "cat >> " + $f + "; echo >> " + $f]}]'
        set_sh 'exit 0'
        shim_run p1
        wait_file "$TEST_TMP/poststop"
        assert_json '.id == "p1" and .status == "stopped" and .exitCode == 0' "$(head -n1 "$TEST_TMP/poststop")" \
                "the state the hook read"
        assert_eq stopped "$(status_of p1)" "status after the hook (not deleted)"
        assert_ok rt delete p1
        assert_eq 1 "$(grep -c . "$TEST_TMP/poststop")" "poststop runs"
}

# A caller that is a subreaper reaps the container itself: berth starts no
# shim, the init is the caller's, and no process of berth's stays.
test_shim_none_under_a_reaping_caller() {
        berth_only
        new_bundle
        set_sh 'echo from-e1; exit 7'
        capture python3 "$SHIM_HELPERS/reaper.py" "$RUNTIME" "$STATE_ROOT" "$BUNDLE" e1
        [[ $RC == 0 ]] || fail "reaper.py: $(lib_result)"
        assert_json '.init_parent_is_us and .berth_left == [] and .exit == 7' "$OUT" "what the reaper saw"
        assert_json '.status == "stopped" and (has("exitCode") | not)' "$(state_json e1)" "state"
        assert_fails rt logs e1
        assert_contains "$ERR" "no shim"
        assert_ok rt delete e1
}

test_shim_options_that_need_one() {
        berth_only
        new_bundle
        assert_fails rt --no-shim run -d -b "$BUNDLE" --log-path "$TEST_TMP/x.log" n1
        assert_contains "$ERR" "--log-path needs a shim"
        assert_fails rt --no-shim run -d --rm -b "$BUNDLE" n1
        assert_contains "$ERR" "--rm needs a shim"
        assert_fails rt run --rm -b "$BUNDLE" n1
        assert_contains "$ERR" "--rm needs --detach"
        assert_eq "" "$(ls -A "$STATE_ROOT")" "state left behind"
        assert_fails rt attach n1
        assert_contains "$ERR" "does not exist"
}

# A delete that raced with the create may remove the directory before the
# shim could be told: once its container is gone too, the shim leaves.
test_shim_leaves_when_its_directory_is_gone() {
        berth_only
        new_bundle
        set_args sleep 60
        shim_run g1
        local shim init
        shim=$(shim_pid g1)
        init=$(pid_of g1)
        [[ -n $shim && -n $init ]] || fail "no shim or init for g1"
        rm -rf "${STATE_ROOT:?}/g1"
        kill -KILL "$init"
        wait_gone "$shim" 5
        # What delete would have removed.
        rmdir "$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)/berth/g1" 2>/dev/null
}

# A parent named as an engine's supervisor is taken for one without the
# orphan probe: no shim, the container's stdio is the caller's (here a
# shell named conmon, which is no subreaper: the init goes to init).
test_shim_none_under_a_parent_named_conmon() {
        berth_only
        new_bundle
        set_sh 'echo from-n1'
        ln -s "$(command -v bash)" "$TEST_TMP/conmon"
        capture "$TEST_TMP/conmon" -c '"$1" --root "$2" create -b "$3" n1 && "$1" --root "$2" start n1 && sleep 0.3' \
                conmon "$RUNTIME" "$STATE_ROOT" "$BUNDLE"
        assert_eq 0 "$RC" "create and start under conmon: $(lib_result)"
        assert_eq from-n1 "$OUT" "the container's output, on the caller's stdout"
        assert_eq "" "$(shim_pid n1)" "a shim under conmon"
        assert_ok rt delete -f n1
}
