# shellcheck shell=bash disable=SC2016 # $ in single quotes is for the container's shell
# test-concurrency.sh: many berth processes at once. Commands on one
# container are serialized by the lock on its state directory, creating an
# id twice at once succeeds once, and readers (`state`, `list`) never see a
# torn state while writers run.

# lifecycle_one ID: create, start, wait for the workload to end, delete.
# Prints nothing on success, the failing step otherwise.
lifecycle_one() {
        local id=$1 i
        rt create -b "$BUNDLE" "$id" >/dev/null 2>"$TEST_TMP/$id.err" </dev/null || {
                echo "$id: create: $(<"$TEST_TMP/$id.err")"
                return
        }
        rt start "$id" 2>"$TEST_TMP/$id.err" || {
                echo "$id: start: $(<"$TEST_TMP/$id.err")"
                return
        }
        for ((i = 0; i < 200; i++)); do
                [[ $(rt state "$id" 2>/dev/null | jq -r .status) == stopped ]] && break
                sleep 0.05
        done
        rt delete "$id" 2>"$TEST_TMP/$id.err" || echo "$id: delete: $(<"$TEST_TMP/$id.err")"
}

# check_list_until FILE: until FILE exists, `list --format json` must always
# print a JSON array whose entries all have an id and a known status.
check_list_until() {
        local stop=$1 out n=0
        while [[ ! -e $stop ]]; do
                out=$(rt list --format json 2>&1) || {
                        echo "list failed: $out"
                        return
                }
                jq -e 'type == "array" and all(.[]; (.id | type == "string") and
                        (.status | IN("created", "running", "paused", "stopped")))' <<<"$out" >/dev/null ||
                        echo "torn list: $out"
                n=$((n + 1))
        done
        echo "lists=$n"
}

test_fifty_containers_in_parallel() {
        new_bundle
        set_sh 'echo $$ >/dev/null'
        local i pids=() out
        check_list_until "$TEST_TMP/stop-listing" >"$TEST_TMP/lists" &
        local lister=$!
        for ((i = 0; i < 50; i++)); do
                lifecycle_one "par-$i" >"$TEST_TMP/par-$i.result" &
                pids+=($!)
        done
        wait "${pids[@]}"
        : >"$TEST_TMP/stop-listing"
        wait "$lister"
        assert_match '^lists=[1-9][0-9]*$' "$(<"$TEST_TMP/lists")" "list --format json while 50 containers come and go"
        out=$(cat "$TEST_TMP"/par-*.result)
        assert_eq "" "$out" "failures among 50 parallel lifecycles"
        assert_eq "[]" "$(rt list --format json)" "list after every container was deleted"
}

test_same_id_created_at_once_succeeds_once() {
        new_bundle
        set_sh 'sleep 30'
        local i ok=0 exists=0 other=""
        for ((i = 0; i < 8; i++)); do
                (rt create -b "$BUNDLE" twin >/dev/null 2>"$TEST_TMP/twin.$i.err" </dev/null
                        echo $? >"$TEST_TMP/twin.$i.rc") &
        done
        wait
        for ((i = 0; i < 8; i++)); do
                if [[ $(<"$TEST_TMP/twin.$i.rc") == 0 ]]; then
                        ok=$((ok + 1))
                elif grep -q 'container twin: already exists' "$TEST_TMP/twin.$i.err"; then
                        exists=$((exists + 1))
                else
                        other+="[$(<"$TEST_TMP/twin.$i.rc"): $(<"$TEST_TMP/twin.$i.err")]"
                fi
        done
        assert_eq "" "$other" "creates that failed for another reason than 'already exists'"
        assert_eq 1 "$ok" "creates of one id that succeeded"
        assert_eq 7 "$exists" "creates refused with 'already exists'"
        assert_eq created "$(status_of twin)" "the one container"
        assert_ok rt delete -f twin
}

test_start_raced_starts_once() {
        new_bundle
        set_sh 'sleep 30'
        create_ctr racer
        local i ok=0
        for ((i = 0; i < 6; i++)); do
                (rt start racer >/dev/null 2>&1 </dev/null
                        echo $? >"$TEST_TMP/start.$i.rc") &
        done
        wait
        for ((i = 0; i < 6; i++)); do
                [[ $(<"$TEST_TMP/start.$i.rc") == 0 ]] && ok=$((ok + 1))
        done
        assert_eq 1 "$ok" "concurrent starts of one container that succeeded"
        assert_eq running "$(status_of racer)" "status after the raced starts"
        assert_ok rt delete -f racer
}

test_delete_raced_with_state_and_kill() {
        new_bundle
        set_sh 'sleep 30'
        local round i out
        for ((round = 0; round < 5; round++)); do
                run_detached "dk-$round"
        done
        for ((round = 0; round < 5; round++)); do
                for ((i = 0; i < 4; i++)); do
                        rt state "dk-$round" >"$TEST_TMP/dk-$round.state.$i" 2>/dev/null &
                        rt kill "dk-$round" KILL >/dev/null 2>&1 &
                done
                rt delete -f "dk-$round" 2>"$TEST_TMP/dk-$round.del" &
        done
        wait
        for ((round = 0; round < 5; round++)); do
                [[ ! -s $TEST_TMP/dk-$round.del ]] || fail "delete -f dk-$round: $(<"$TEST_TMP/dk-$round.del")"
                for ((i = 0; i < 4; i++)); do
                        out=$(<"$TEST_TMP/dk-$round.state.$i")
                        # A state that was read at all is whole.
                        [[ -z $out ]] || assert_json '.id == "dk-'"$round"'" and (.status | type == "string")' "$out" \
                                "state read while delete ran"
                done
        done
        assert_eq "[]" "$(rt list --format json)" "list after the raced deletes"
}

# Twenty shims at once: each records its own container's exit, `wait`s in
# parallel get the right codes, and delete leaves no shim behind.
test_shims_in_parallel_keep_their_exits_apart() {
        berth_only
        new_bundle
        set_sh 'sleep 0.3; exit $(hostname | tr -dc 0-9)'
        local i pids=() out=""
        for ((i = 0; i < 20; i++)); do
                cfg --arg h "h$i" '.hostname = $h'
                cp "$BUNDLE/config.json" "$TEST_TMP/config-$i.json"
        done
        for ((i = 0; i < 20; i++)); do
                (
                        mkdir -p "$TEST_TMP/b$i" && cp "$TEST_TMP/config-$i.json" "$TEST_TMP/b$i/config.json"
                        rt --shim run -d -b "$TEST_TMP/b$i" "sh-$i" </dev/null >/dev/null 2>"$TEST_TMP/sh-$i.err" ||
                                { echo "sh-$i: run -d: $(<"$TEST_TMP/sh-$i.err")"; exit; }
                        code=$(rt wait "sh-$i")
                        [[ $code == "$i" ]] || echo "sh-$i: wait printed [$code], expected $i"
                ) >"$TEST_TMP/sh-$i.result" &
                pids+=($!)
        done
        wait "${pids[@]}"
        out=$(cat "$TEST_TMP"/sh-*.result)
        assert_eq "" "$out" "failures among 20 shims"
        assert_eq 20 "$(rt list --format json | jq '[.[] | select(.status == "stopped" and .exitCode == (.id | ltrimstr("sh-") | tonumber))] | length')" \
                "stopped containers with their own exit code"
        for ((i = 0; i < 20; i++)); do
                rt delete "sh-$i" || fail "delete sh-$i"
        done
        assert_eq "" "$(pgrep -f '^berth-shim sh-')" "shims left after delete"
}
