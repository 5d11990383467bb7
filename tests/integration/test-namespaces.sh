# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-namespaces.sh: namespaces joined by path, user namespaces with id
# maps, time namespaces with offsets, what a user namespace without its own
# network namespace mounts for /sys, and --no-pivot.

# userns_bundle: a bundle with a user namespace mapping container ids
# 0-65535 to host ids 100000-165535 (the rootfs stays owned by host root,
# which the container sees as nobody; busybox is world-readable).
userns_bundle() {
        new_bundle
        add_ns user
        cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
             | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

test_user_namespace_maps() {
        userns_bundle
        set_sh 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
        run_ok u1
        local want
        want=$(printf '%10s %10s %10s\n%10s %10s %10s\n0' 0 100000 65536 0 100000 65536)
        assert_eq "$want" "$OUT" "id maps and uid inside"
}

test_user_namespace_owner_on_host() {
        userns_bundle
        cfg '.process.user = {uid: 1000, gid: 1000}'
        set_args sleep 100
        create_ctr u1
        local pid
        pid=$(pid_of u1)
        assert_eq "101000 101000" "$(awk '/^Uid:/ { print $2 } /^Gid:/ { print $2 }' "/proc/$pid/status" | tr '\n' ' ' | sed 's/ $//')" \
                "host uid and gid of container uid 1000"
}

test_join_network_namespace_by_path() {
        new_bundle
        set_args sleep 100
        create_ctr first
        local pid
        pid=$(pid_of first)
        new_bundle second
        cfg --arg p "/proc/$pid/ns/net" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
        set_args sleep 100
        create_ctr second
        assert_eq "$(readlink "/proc/$pid/ns/net")" "$(readlink "/proc/$(pid_of second)/ns/net")" \
                "network namespace of the joining container"
        assert_ne "$(readlink "/proc/$pid/ns/uts")" "$(readlink "/proc/$(pid_of second)/ns/uts")" \
                "its uts namespace (created, not joined)"
}

test_join_missing_namespace_path_fails() {
        new_bundle
        cfg '.linux.namespaces |= map(if .type == "network" then .path = "/proc/999999999/ns/net" else . end)'
        set_args true
        assert_fails rt create -b "$BUNDLE" j1
        berth_only
        assert_contains "$ERR" "/proc/999999999/ns/net" "the error names the path"
        [[ ! -e $STATE_ROOT/j1 ]] || fail "the failed create left its state"
}

test_time_namespace_offsets() {
        [[ ${BERTH_TEST_RUNTIME:-} == runc ]] && skip "runc 1.1 predates time namespaces"
        new_bundle
        add_ns time
        cfg '.linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}, monotonic: {secs: 3600, nanosecs: 0}}'
        set_sh 'cut -d. -f1 /proc/uptime'
        run_ok t1
        local host
        host=$(cut -d. -f1 /proc/uptime)
        ((OUT >= host + 864000 - 5 && OUT <= host + 864000 + 60)) ||
                fail "uptime inside: expected about $((host + 864000)) (host $host + 10 days), got $OUT"
}

test_time_namespace_joined_by_path() {
        [[ ${BERTH_TEST_RUNTIME:-} == runc ]] && skip "runc 1.1 predates time namespaces"
        new_bundle
        add_ns time
        cfg '.linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}}'
        set_args sleep 100
        create_ctr first
        local pid
        pid=$(pid_of first)
        new_bundle second
        cfg --arg p "/proc/$pid/ns/time" '.linux.namespaces += [{type: "time", path: $p}]'
        set_sh 'cut -d. -f1 /proc/uptime'
        run_ok second
        ((OUT >= $(cut -d. -f1 /proc/uptime) + 864000 - 5)) || fail "uptime in the joined time namespace: $OUT"
}

test_sysfs_in_user_namespace_without_network_namespace() {
        # A user namespace may not mount sysfs for the host's network
        # namespace: the host's /sys is bound instead, read-only as asked.
        userns_bundle
        drop_ns network
        set_sh 'ls /sys/class/net; echo ---; cat /proc/self/mountinfo'
        run_ok s1
        assert_contains "${OUT%%---*}" "$(ls /sys/class/net | head -n1)" "the host's interfaces in /sys/class/net"
        mnt_get "${OUT#*---}" /sys
        assert_opt "$MNT_OPTS" ro "/sys"
}

test_no_pivot() {
        new_bundle
        private_rootfs
        touch "$BUNDLE/rootfs/marker"
        set_sh 'ls /marker; test -e '"$WORK"' && echo HOST-VISIBLE; readlink /proc/self/root; echo done'
        run_ok p1 --no-pivot
        assert_eq $'/marker\n/\ndone' "$OUT" "the rootfs is /, the host is out of sight"
}
