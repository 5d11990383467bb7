# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq
# test-crash.sh: `create` killed with SIGKILL at any point never leaves
# anything that `delete --force` cannot clean: after the kill and the
# delete there is no state directory, no process of the container, no
# cgroup and no new mount on the host.

cgroup2_root() {
        awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

# crash_leftovers ID: what is left of container ID.
crash_leftovers() {
        local id=$1 cg p cmd
        [[ ! -e $STATE_ROOT/$id ]] || echo "state dir $STATE_ROOT/$id"
        cg=$(cgroup2_root)
        if [[ -n $cg ]]; then
                find "$cg" -maxdepth 4 -type d -name "$id" 2>/dev/null | sed 's/^/cgroup: /'
        fi
        for p in /proc/[0-9]*; do
                cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
                [[ $cmd != *"crash-marker-$id "* ]] || echo "process ${p#/proc/}: $cmd"
        done
}

# host_mounts: the host's mount points (the container's live in its own
# mount namespace and must never appear here).
host_mounts() {
        awk '{ print $5 }' /proc/self/mountinfo | sort
}

# crash_at ID DELAY: start `create`, SIGKILL it after DELAY seconds (it may
# have finished), then `delete --force`; print anything left behind.
crash_at() {
        local id=$1 delay=$2 pid rc
        # Not through rt: $! must be berth itself, not a timeout wrapper.
        "$RUNTIME" --root "$STATE_ROOT" create -b "$BUNDLE" "$id" >/dev/null 2>&1 </dev/null &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        rt delete --force "$id" >"$TEST_TMP/$id.del" 2>&1
        rc=$?
        [[ $rc == 0 ]] || echo "delete --force $id after a kill at ${delay}s: exit $rc: $(<"$TEST_TMP/$id.del")"
        crash_leftovers "$id" | sed "s/^/after a kill at ${delay}s: /"
}

test_create_killed_at_any_point_is_cleanable() {
        new_bundle
        # The marker names the container in its process list.
        set_args sh -c 'sleep 60' crash-marker
        local before after i delay id out=""
        before=$(host_mounts)
        for ((i = 0; i < 40; i++)); do
                # 0 to 390 ms in 10 ms steps: through every stage of a
                # create (it takes about 50 ms here, longer under ASan).
                printf -v delay '0.%03d' $((i * 10))
                id=crash-$i
                cfg --arg m "crash-marker-$id" '.process.args[3] = $m'
                out+=$(crash_at "$id" "$delay" | sed 's/$/;/')
        done
        after=$(host_mounts)
        assert_eq "" "$out" "what 40 killed creates left after delete --force"
        assert_eq "$before" "$after" "host mounts after 40 killed creates"
        assert_eq "[]" "$(rt list --format json)" "list after the killed creates were deleted"
}

# A create killed while its init is being set up must not leave the init
# running where nothing can find it: it dies with its parent
# (PR_SET_PDEATHSIG) until create has recorded it.
test_create_killed_leaves_no_orphan_init() {
        new_bundle
        set_args sh -c 'sleep 60' crash-marker
        local i pid found=""
        for ((i = 0; i < 10; i++)); do
                cfg --arg m "crash-marker-orphan-$i" '.process.args[3] = $m'
                "$RUNTIME" --root "$STATE_ROOT" create -b "$BUNDLE" "orphan-$i" >/dev/null 2>&1 </dev/null &
                pid=$!
                sleep "0.0$i"
                kill -KILL "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
                # Without a state directory, no later command can reach the
                # init: it must be gone by itself.
                if [[ ! -e $STATE_ROOT/orphan-$i ]]; then
                        sleep 0.2
                        found+=$(crash_leftovers "orphan-$i" | sed 's/$/;/')
                fi
                rt delete --force "orphan-$i" >/dev/null 2>&1
        done
        assert_eq "" "$found" "an init left without a state directory"
}
