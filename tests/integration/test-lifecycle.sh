# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-lifecycle.sh: create, start, state, kill, delete and list, and the
# state transitions between them.

# A workload that shows when it has really started: it touches
# /mnt/a/started (a host dir) and then sleeps.
marker_bundle() {
        new_bundle
        share_dir
        set_sh 'echo 1 > /mnt/a/started; exec sleep 1000'
}

test_create_gives_created_state() {
        marker_bundle
        create_ctr c1
        assert_ok rt state c1
        local s=$OUT pid
        assert_json '.id == "c1"' "$s" "state.id"
        assert_json '.status == "created"' "$s" "state.status"
        assert_json '.pid | type == "number" and . > 0' "$s" "state.pid"
        assert_json '.ociVersion | type == "string" and length > 0' "$s" "state.ociVersion"
        assert_json --arg b "$BUNDLE" '.bundle == $b' "$s" "state.bundle"
        assert_json --arg r "$ROOTFS" '.rootfs == $r' "$s" "state.rootfs"
        assert_json '.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")' \
                "$s" "state.created is RFC 3339"
        assert_json 'has("owner")' "$s" "state.owner"
        if [[ ${BERTH_TEST_RUNTIME:-} != runc ]]; then
                assert_json --arg u "$(id -un)" '.owner == $u' "$s" "state.owner is the creator's name"
        fi
        pid=$(jq -r .pid <<<"$s")
        pid_alive "$pid" || fail "the created container's process $pid does not exist"
        [[ -d $STATE_ROOT/c1 ]] || fail "$STATE_ROOT/c1 does not exist after create"
        # Created, not started: the workload has not run yet.
        sleep 0.3
        [[ ! -e $SHARE/started ]] || fail "the workload ran before start"
        assert_ne "sleep 1000" "$(cmdline_of "$pid")" "cmdline of the created process"
}

test_start_runs_workload() {
        marker_bundle
        create_ctr c1
        local pid
        pid=$(pid_of c1)
        start_ctr c1
        wait_file "$SHARE/started"
        wait_status c1 running
        assert_eq "$pid" "$(pid_of c1)" "pid after start"
        wait_for 5 test "$(cmdline_of "$pid")" = "sleep 1000" ||
                fail "the container's pid $pid runs '$(cmdline_of "$pid")', expected the workload 'sleep 1000'"
}

test_full_lifecycle() {
        new_bundle
        share_dir
        set_sh 'while [ ! -e /mnt/a/go ]; do sleep 0.05; done; echo bye'
        create_ctr c1
        assert_eq created "$(status_of c1)" "status after create"
        start_ctr c1
        assert_eq running "$(status_of c1)" "status after start"
        touch "$SHARE/go"
        wait_status c1 stopped
        assert_eq bye "$(ctr_output c1)" "workload output"
        assert_ok rt delete c1
        assert_exit 1 rt state c1
        [[ ! -e $STATE_ROOT/c1 ]] || fail "$STATE_ROOT/c1 still exists after delete"
}

test_create_pid_file() {
        new_bundle
        set_args sleep 1000
        create_ctr c1 --pid-file "$TEST_TMP/c1.pid"
        [[ -s $TEST_TMP/c1.pid ]] || fail "--pid-file was not written"
        assert_eq "$(pid_of c1)" "$(<"$TEST_TMP/c1.pid")" "pid file content"
}

test_create_bundle_defaults_to_cwd() {
        new_bundle
        set_args sleep 1000
        cd "$BUNDLE" || die "cd"
        rt create c1 >"$TEST_TMP/c1.out" 2>&1 </dev/null || fail "create without -b: $(cat "$TEST_TMP/c1.out")"
        assert_json --arg b "$BUNDLE" '.bundle == $b' "$(state_json c1)" "state.bundle"
}

test_create_relative_bundle_is_absolute_in_state() {
        new_bundle rel
        set_args sleep 1000
        cd "$TEST_TMP" || die "cd"
        rt create --bundle ./rel c1 >"$TEST_TMP/c1.out" 2>&1 </dev/null || fail "create --bundle ./rel: $(cat "$TEST_TMP/c1.out")"
        assert_json --arg b "$TEST_TMP/rel" '.bundle == $b' "$(state_json c1)" "state.bundle"
}

test_state_annotations() {
        new_bundle
        set_args sleep 1000
        cfg '.annotations = {"org.example.key": "value", "org.example.other": "2"}'
        create_ctr c1
        local s
        s=$(state_json c1)
        assert_json '.annotations["org.example.key"] == "value" and .annotations["org.example.other"] == "2"' "$s" "state.annotations"
}

test_create_duplicate_id_fails() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_exit 1 rt create -b "$BUNDLE" c1
        [[ -n $ERR ]] || fail "no message on stderr"
        assert_eq created "$(status_of c1)" "status of the existing container"
        assert_eq "$pid" "$(pid_of c1)" "pid of the existing container"
        pid_alive "$pid" || fail "the existing container's process died"
}

test_start_twice_fails() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        start_ctr c1
        assert_exit 1 rt start c1
        [[ -n $ERR ]] || fail "no message on stderr"
        assert_eq running "$(status_of c1)" "status"
}

test_start_stopped_fails() {
        new_bundle
        set_args true
        create_ctr c1
        start_ctr c1
        wait_status c1 stopped
        assert_exit 1 rt start c1
        assert_eq stopped "$(status_of c1)" "status"
}

test_start_unknown_fails() {
        assert_exit 1 rt start no-such-ctr
        [[ -n $ERR ]] || fail "no message on stderr"
}

test_workload_exit_gives_stopped() {
        new_bundle
        set_sh 'exit 7'
        create_ctr c1
        start_ctr c1
        wait_status c1 stopped
        assert_ok rt delete c1
        [[ ! -e $STATE_ROOT/c1 ]] || fail "state directory left after delete"
}

# A workload that records every signal it receives in /mnt/a/sig.
signal_bundle() {
        new_bundle
        share_dir
        set_sh 'for s in TERM USR1 USR2 HUP INT; do trap "echo $s >> /mnt/a/sig" $s; done
echo 1 > /mnt/a/ready
while :; do sleep 0.05; done'
}

# lines_in FILE: the number of lines in FILE (0 if missing).
lines_in() {
        if [[ -f $1 ]]; then grep -c '' "$1"; else echo 0; fi
}

lib_lines_at_least() {
        (($(lines_in "$1") >= $2))
}

test_kill_default_is_sigterm() {
        signal_bundle
        create_ctr c1
        start_ctr c1
        wait_file "$SHARE/ready"
        assert_ok rt kill c1
        wait_for 10 lib_lines_at_least "$SHARE/sig" 1 || fail "the workload got no signal"
        assert_eq TERM "$(<"$SHARE/sig")" "signal received"
}

test_kill_signal_names_and_numbers() {
        signal_bundle
        create_ctr c1
        start_ctr c1
        wait_file "$SHARE/ready"
        local usr1 spec n=0 got
        usr1=$(kill -l USR1)
        for spec in USR1 SIGUSR2 "$usr1" HUP SIGINT; do
                n=$((n + 1))
                assert_ok rt kill c1 "$spec"
                wait_for 10 lib_lines_at_least "$SHARE/sig" "$n" || fail "kill c1 $spec: the workload got no signal"
        done
        got=$(tr '\n' ' ' <"$SHARE/sig")
        assert_eq "USR1 USR2 USR1 HUP INT " "$got" "signals received, in order"
        assert_eq running "$(status_of c1)" "status after trapped signals"
}

test_kill_sigkill_spellings() {
        new_bundle
        set_args sleep 1000
        local sig id pid
        for sig in KILL SIGKILL 9; do
                id=k$sig
                create_ctr "$id"
                start_ctr "$id"
                pid=$(pid_of "$id")
                assert_ok rt kill "$id" "$sig"
                wait_status "$id" stopped
                wait_gone "$pid"
        done
}

test_kill_created_container() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_ok rt kill c1 KILL
        wait_status c1 stopped
        wait_gone "$pid"
        assert_ok rt delete c1
}

test_kill_unknown_signal_fails() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        start_ctr c1
        assert_exit 1 rt kill c1 SIGFROB
        [[ -n $ERR ]] || fail "no message on stderr"
        assert_exit 1 rt kill c1 FROB
        assert_eq running "$(status_of c1)" "status after a bad signal"
}

test_kill_stopped_fails() {
        new_bundle
        set_args true
        create_ctr c1
        start_ctr c1
        wait_status c1 stopped
        assert_exit 1 rt kill c1 KILL
        [[ -n $ERR ]] || fail "no message on stderr"
}

test_kill_unknown_container_fails() {
        assert_exit 1 rt kill no-such-ctr KILL
        [[ -n $ERR ]] || fail "no message on stderr"
}

test_kill_all() {
        # Without a pid namespace, killing init leaves its children alone:
        # only --all reaches them.
        new_bundle
        share_dir
        drop_ns pid
        set_sh 'sleep 1000 & echo $! >> /mnt/a/pids; sleep 1000 & echo $! >> /mnt/a/pids; echo $$ >> /mnt/a/pids; wait'
        create_ctr c1
        start_ctr c1
        wait_for 10 lib_lines_at_least "$SHARE/pids" 3 || fail "the workload did not record its pids"
        local p
        for p in $(<"$SHARE/pids"); do
                pid_alive "$p" || fail "process $p of the container is not running"
        done
        assert_ok rt kill --all c1 KILL
        for p in $(<"$SHARE/pids"); do
                wait_gone "$p"
        done
        wait_status c1 stopped
}

test_kill_all_short_flag() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        start_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_ok rt kill -a c1 KILL
        wait_gone "$pid"
        wait_status c1 stopped
}

test_delete_running_needs_force() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        start_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_exit 1 rt delete c1
        [[ -n $ERR ]] || fail "no message on stderr"
        assert_eq running "$(status_of c1)" "status after a refused delete"
        pid_alive "$pid" || fail "a refused delete killed the container"
        assert_ok rt delete -f c1
        wait_gone "$pid"
        assert_exit 1 rt state c1
        [[ ! -e $STATE_ROOT/c1 ]] || fail "$STATE_ROOT/c1 still exists after delete -f"
}

test_delete_force_long_flag() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        start_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_ok rt delete --force c1
        wait_gone "$pid"
        [[ ! -e $STATE_ROOT/c1 ]] || fail "$STATE_ROOT/c1 still exists after delete --force"
}

test_delete_created_container() {
        new_bundle
        set_args sleep 1000
        create_ctr c1
        local pid
        pid=$(pid_of c1)
        assert_ok rt delete c1
        wait_gone "$pid"
        assert_exit 1 rt state c1
        [[ ! -e $STATE_ROOT/c1 ]] || fail "$STATE_ROOT/c1 still exists after delete"
}

test_delete_force_unknown_succeeds() {
        assert_ok rt delete -f no-such-ctr
}

test_delete_unknown_fails() {
        assert_exit 1 rt delete no-such-ctr
        [[ -n $ERR ]] || fail "no message on stderr"
}

two_containers() {
        new_bundle
        set_args sleep 1000
        create_ctr alpha
        create_ctr beta
        start_ctr beta
}

test_list_table() {
        two_containers
        assert_ok rt list
        local header
        header=$(head -n1 <<<"$OUT")
        assert_match '^ID +PID +STATUS +BUNDLE +CREATED +OWNER' "$header" "list header"
        assert_line_match "^alpha +$(pid_of alpha) +created +$BUNDLE " "$OUT" "list row for alpha"
        assert_line_match "^beta +$(pid_of beta) +running +$BUNDLE " "$OUT" "list row for beta"
        assert_eq 3 "$(grep -c '' <<<"$OUT")" "number of lines"
}

test_list_json() {
        two_containers
        local fmt
        for fmt in "-f json" "--format json"; do
                # shellcheck disable=SC2086 # two words on purpose
                assert_ok rt list $fmt
                assert_json 'type == "array" and length == 2' "$OUT" "list $fmt"
                assert_json '(map(.id) | sort) == ["alpha", "beta"]' "$OUT" "ids"
                assert_json '(map(select(.id == "alpha"))[0].status) == "created"' "$OUT" "alpha status"
                assert_json '(map(select(.id == "beta"))[0].status) == "running"' "$OUT" "beta status"
                assert_json --arg b "$BUNDLE" 'all(.bundle == $b and (.pid | type == "number") and (.created | type == "string"))' \
                        "$OUT" "fields"
        done
}

test_list_quiet() {
        two_containers
        assert_ok rt list -q
        assert_eq "alpha beta" "$(sort <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" "list -q"
        assert_ok rt list --quiet
        assert_eq 2 "$(grep -c '' <<<"$OUT")" "list --quiet lines"
}

test_list_table_format_flag() {
        two_containers
        assert_ok rt list --format table
        assert_line_match '^alpha ' "$OUT" "list --format table"
}

test_list_empty() {
        assert_ok rt list -q
        assert_eq "" "$OUT" "list -q with no containers"
        assert_ok rt list
        assert_not_contains "$OUT" "created" "list with no containers"
}

test_list_json_empty_is_array() {
        berth_only
        assert_ok rt list -f json
        assert_eq "[]" "$(jq -c . <<<"$OUT")" "list -f json with no containers"
}

test_list_after_delete() {
        two_containers
        assert_ok rt delete alpha
        assert_ok rt list -q
        assert_eq beta "$OUT" "list -q after deleting alpha"
}

# The container lives in its own cgroup v2 group from its first instruction,
# and delete removes the group.
cgroup2_mount() {
        awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

test_cgroup_placement_and_removal() {
        berth_only
        local mnt cg
        mnt=$(cgroup2_mount)
        [[ -n $mnt ]] || fail "no cgroup2 mount on this host"
        new_bundle
        cfg '.linux.cgroupsPath = "/berth-test/c1"'
        set_args sleep 1000
        create_ctr c1
        cg=$mnt/berth-test/c1
        [[ -d $cg ]] || fail "no cgroup at $cg"
        assert_eq "$(pid_of c1)" "$(<"$cg/cgroup.procs")" "cgroup.procs of the created container"
        start_ctr c1
        assert_ok rt delete -f c1
        [[ ! -e $cg ]] || fail "delete left the cgroup $cg"
        rmdir "$mnt/berth-test"
}

# Without a pid namespace of its own, what was exec'd into the container
# outlives its init: delete finds the group still populated, kills what is
# left and then removes it.
test_delete_kills_what_outlived_the_init() {
        berth_only
        local mnt cg epid
        mnt=$(cgroup2_mount)
        [[ -n $mnt ]] || fail "no cgroup2 mount on this host"
        new_bundle
        cfg '.linux.cgroupsPath = "/berth-test/c2" | .linux.namespaces |= map(select(.type != "pid"))'
        set_args sleep 1000
        run_detached c2
        wait_status c2 running
        capture rt exec -d --pid-file "$TEST_TMP/c2.epid" c2 sleep 1001
        [[ $RC == 0 ]] || fail "exec -d: $(lib_result)"
        epid=$(<"$TEST_TMP/c2.epid")
        kill -KILL "$(pid_of c2)"
        wait_status c2 stopped
        cg=$mnt/berth-test/c2
        grep -qsx "$epid" "$cg/cgroup.procs" || fail "the exec'd process is not left in $cg"
        assert_ok rt delete c2
        [[ ! -e $cg ]] || fail "delete left the cgroup $cg"
        # Dead, or a zombie its parent (this shell's subreaper) has yet to reap.
        [[ ! -e /proc/$epid ]] || [[ $(awk '{ print $3 }' "/proc/$epid/stat") == Z ]] ||
                fail "delete left the exec'd process $epid running"
        rmdir "$mnt/berth-test"
}
