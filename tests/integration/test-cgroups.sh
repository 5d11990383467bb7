# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-cgroups.sh: what cgroup v2 gives on any host, hybrid ones included:
# pause/resume (cgroup.freeze), ps, kill --all, events --stats, the eBPF
# device program, hugetlb limits and update, and a clear error for a limit
# whose controller is not in the v2 tree. The limits that need the other
# controllers are proven in the cgroup v2 VM (tests/vm, make check-vm).

cg_mount() {
        awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

# cg_of ID: the container's group (from berth's own default path).
cg_of() {
        echo "$(cg_mount)/berth/$1"
}

# A workload with a child, that counts into /mnt/a/n while it runs.
counter_bundle() {
        new_bundle
        share_dir
        # Written aside and renamed: a freeze between a truncating write and
        # its data would leave the file empty for the readers below.
        set_sh 'sleep 1000 & i=0; while :; do i=$((i+1)); echo $i > /mnt/a/n.new; mv /mnt/a/n.new /mnt/a/n; sleep 0.05; done'
}

test_pause_resume() {
        counter_bundle
        run_detached c1
        wait_file "$SHARE/n"
        assert_ok rt pause c1
        assert_eq paused "$(status_of c1)" "status after pause"
        assert_eq 1 "$(<"$(cg_of c1)/cgroup.freeze")" "cgroup.freeze"
        grep -q '^frozen 1' "$(cg_of c1)/cgroup.events" || fail "cgroup.events does not say frozen"
        assert_ok rt list --format json
        assert_json 'map(select(.id == "c1"))[0].status == "paused"' "$OUT" "list --format json"
        local a b
        a=$(<"$SHARE/n")
        sleep 0.4
        b=$(<"$SHARE/n")
        assert_eq "$a" "$b" "the counter of a paused container"
        assert_fails rt pause c1
        assert_contains "$ERR" "cannot pause a container that is paused"
        assert_ok rt resume c1
        assert_eq running "$(status_of c1)" "status after resume"
        wait_for 5 number_above "$SHARE/n" "$b" || fail "the counter did not move after resume"
        assert_fails rt resume c1
        assert_contains "$ERR" "cannot resume a container that is running"
}

test_delete_force_paused() {
        counter_bundle
        run_detached c1
        assert_ok rt pause c1
        assert_fails rt delete c1
        assert_ok rt delete -f c1
        [[ ! -e $(cg_of c1) ]] || fail "delete -f of a paused container left $(cg_of c1)"
}

test_ps_json_and_table() {
        new_bundle
        set_sh 'sleep 1001 & exec sleep 1002'
        run_detached c1
        local pid
        pid=$(pid_of c1)
        wait_for 5 grep -q . "$(cg_of c1)/cgroup.procs"
        wait_for 5 test "$(wc -l <"$(cg_of c1)/cgroup.procs")" = 2 || fail "expected 2 processes"
        assert_ok rt ps --format json c1
        assert_json --argjson p "$pid" 'type == "array" and length == 2 and (index($p) != null)' "$OUT" "ps --format json"
        assert_ok rt ps c1
        assert_line_match '^UID +PID ' "$OUT" "ps header"
        assert_contains "$OUT" "sleep 1001"
        assert_contains "$OUT" "sleep 1002"
        assert_eq 3 "$(printf '%s\n' "$OUT" | grep -c '')" "ps lines (header + 2)"
        assert_ok rt ps c1 -o pid,comm
        assert_line_match "^ *$pid sleep$" "$OUT" "ps -o pid,comm"
        assert_fails rt ps --format yaml c1
}

# Without --all, TERM to a pid-namespace init without a handler is ignored;
# with --all it reaches the children, and the init's wait returns.
test_kill_all_term_reaches_every_process() {
        new_bundle
        set_sh 'sleep 1001 & sleep 1002 & wait; echo done'
        run_detached c1
        wait_for 5 test "$(wc -l <"$(cg_of c1)/cgroup.procs")" = 3 || fail "expected 3 processes"
        assert_ok rt kill c1 TERM
        sleep 0.3
        assert_eq running "$(status_of c1)" "after TERM to the init alone"
        assert_ok rt kill --all c1 TERM
        wait_status c1 stopped
        assert_eq 0 "$(<"$(cg_of c1)/cgroup.freeze")" "kill --all thaws the group again"
}

test_events_stats() {
        new_bundle
        set_args sleep 1000
        run_detached c1
        assert_ok rt events --stats c1
        assert_one_line "$OUT" "events --stats"
        assert_json '.type == "stats" and .id == "c1"' "$OUT" "event"
        assert_json '.data.cpu.usage.total | type == "number"' "$OUT" "cpu usage"
        assert_json '.data | has("memory") and has("pids") and has("blkio") and has("hugetlb")' "$OUT" "data"
        assert_fails rt events --interval bogus c1
}

# /dev/kmsg (1:11) is not among the default devices: the eBPF program
# denies it unless a rule allows it; /dev/null is always allowed.
test_device_program() {
        berth_only
        new_bundle
        cfg '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}]'
        set_sh 'echo x > /dev/null && echo null-ok; echo berth-test > /dev/kmsg && echo kmsg-ok; true'
        run_ok c1
        assert_contains "$OUT" "null-ok"
        assert_not_contains "$OUT" "kmsg-ok"
        assert_contains "$ERR" "Operation not permitted"
        new_bundle b2
        cfg '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}]'
        cfg '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]'
        set_sh 'echo berth-test > /dev/kmsg && echo kmsg-ok'
        run_ok c2
        assert_contains "$OUT" "kmsg-ok"
        # a later deny of one access bit carves it out of the allow
        new_bundle b3
        cfg '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11}]'
        cfg '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "rw"},
                {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "w"}]'
        set_sh 'echo berth-test > /dev/kmsg && echo kmsg-ok; true'
        run_ok c3
        assert_not_contains "$OUT" "kmsg-ok"
        assert_contains "$ERR" "Operation not permitted"
}

# hugetlb is the one controller this machine's cgroup2 tree has.
test_hugetlb_limit_and_update() {
        berth_only
        grep -qw hugetlb "$(cg_mount)/cgroup.controllers" || fail "no hugetlb controller in the cgroup2 tree"
        new_bundle
        cfg '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
        set_args sleep 1000
        run_detached c1
        assert_eq 4194304 "$(<"$(cg_of c1)/hugetlb.2MB.max")" "hugetlb.2MB.max"
        # capture reads /dev/null: feed stdin directly, as containerd does.
        "$RUNTIME" --root "$STATE_ROOT" update --resources - c1 <<<'{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}' ||
                fail "update --resources - failed"
        assert_eq 2097152 "$(<"$(cg_of c1)/hugetlb.2MB.max")" "hugetlb.2MB.max after update"
        echo '{"hugepageLimits": [{"pageSize": "2MB", "limit": "x"}]}' >"$TEST_TMP/bad.json"
        assert_fails rt update --resources "$TEST_TMP/bad.json" c1
        assert_contains "$ERR" "bad.json: .hugepageLimits[0].limit"
}

# A container created without limits, in a parent group of its own, takes
# its first limit from update (as containerd's Tasks.Update sends it): update
# enables the controller above the group as create would have.
test_update_first_limit_enables_controller() {
        berth_only
        grep -qw hugetlb "$(cg_mount)/cgroup.controllers" || fail "no hugetlb controller in the cgroup2 tree"
        new_bundle
        cfg --arg p "/berth-it-upd-$$/c1" '.linux.cgroupsPath = $p | del(.linux.resources.hugepageLimits)'
        set_args sleep 1000
        # Deferred steps run before the suite deletes the test's containers.
        defer "rt delete -f c1; rmdir '$(cg_mount)/berth-it-upd-$$'"
        run_detached c1
        assert_not_contains "$(<"$(cg_mount)/berth-it-upd-$$/cgroup.subtree_control")" hugetlb \
                "the parent's subtree_control after a create without limits"
        "$RUNTIME" --root "$STATE_ROOT" update --resources - c1 <<<'{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}' ||
                fail "update --resources - failed"
        assert_eq 2097152 "$(<"$(cg_mount)/berth-it-upd-$$/c1/hugetlb.2MB.max")" "hugetlb.2MB.max after update"
}

# A limit whose controller is not in the v2 tree (v1 only on a hybrid host)
# fails create, naming controller and file, and leaves nothing behind.
test_v1_only_limit_fails_clearly() {
        berth_only
        new_bundle
        cfg '.linux.resources.memory.limit = 33554432'
        set_args true
        if grep -qw memory "$(cg_mount)/cgroup.controllers"; then
                run_ok c1               # a pure v2 host: the limit applies
                return
        fi
        assert_fails rt run -b "$BUNDLE" c1
        assert_contains "$ERR" ".linux.resources.memory: the memory controller is not available in the cgroup v2 hierarchy"
        assert_contains "$ERR" "memory.max=33554432"
        [[ ! -e $STATE_ROOT/c1 ]] || fail "a failed create left its state directory"
        [[ ! -e $(cg_of c1) ]] || fail "a failed create left its cgroup"
}

test_realtime_rejected_without_leftovers() {
        berth_only
        new_bundle
        cfg '.linux.resources.cpu.realtimeRuntime = 950000'
        assert_fails rt create -b "$BUNDLE" c1
        assert_contains "$ERR" "realtimeRuntime and realtimePeriod are cgroup v1 only"
        [[ ! -e $STATE_ROOT/c1 ]] || fail "a failed create left its state directory"
        [[ ! -e $(cg_of c1) ]] || fail "a failed create left its cgroup"
}

test_unified_unknown_controller() {
        berth_only
        new_bundle
        cfg '.linux.resources.unified = {"nosuch.max": "1"}'
        assert_fails rt create -b "$BUNDLE" c1
        assert_contains "$ERR" ".linux.resources.unified.nosuch.max: the nosuch controller is not available"
        [[ ! -e $(cg_of c1) ]] || fail "a failed create left its cgroup"
}

test_update_stopped_and_bad_flags() {
        new_bundle
        set_args true
        create_ctr c1
        start_ctr c1
        wait_status c1 stopped
        assert_fails rt update --pids-limit 10 c1
        assert_fails rt update --memory lots c1
        assert_contains "$ERR" "invalid value"
}

test_pause_without_container_fails() {
        assert_fails rt pause nosuch
        assert_fails rt ps nosuch
        assert_fails rt events --stats nosuch
}
