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
        assert_contains "${OUT%%---*}" "$(find /sys/class/net -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | head -n1)" "the host's interfaces in /sys/class/net"
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

# veth_pair HOST PEER ADDR: a veth pair on the host whose PEER end carries
# ADDR, deleted when the test ends (deleting one end deletes both, wherever
# the other end is).
veth_pair() {
        ip link add "$1" type veth peer name "$2" || die "ip link add $1"
        defer ip link del "$1"
        ip addr add "$3" dev "$2" || die "ip addr add $3"
        ip link set "$2" up || die "ip link set $2 up"
}

test_net_device_moved_and_renamed() {
        berth_only # runc 1.1 has no netDevices
        veth_pair bit-h0 bit-c0 10.99.7.5/24
        new_bundle
        cfg '.linux.netDevices = {"bit-c0": {name: "eth7"}}'
        set_sh 'ip -o -4 addr show dev eth7 | awk "{ print \$2, \$4 }"; ip -o link show dev eth7 | grep -q "[<,]UP[,>]" && echo up'
        add_mount /sys sysfs sysfs nosuid noexec nodev ro
        run_ok n1
        assert_eq "eth7 10.99.7.5/24
up" "$OUT" "the device inside, renamed, with its address, up"
        ! ip link show bit-c0 >/dev/null 2>&1 || fail "bit-c0 still in the host's network namespace"
}

test_net_device_keeps_name_without_new_name() {
        berth_only
        veth_pair bit-h1 bit-c1 10.99.8.5/24
        new_bundle
        cfg '.linux.netDevices = {"bit-c1": {}}'
        set_sh 'ip -o -4 addr show dev bit-c1 | awk "{ print \$4 }"'
        run_ok n2
        assert_eq "10.99.8.5/24" "$OUT" "address of the moved device"
}

test_net_device_missing_fails_cleanly() {
        berth_only
        new_bundle
        cfg '.linux.netDevices = {"bit-none9": {name: "eth0"}}'
        set_args true
        assert_fails rt create -b "$BUNDLE" n3
        assert_eq 1 "$RC" "exit status"
        assert_contains "$ERR" "bit-none9"
        [[ ! -e $STATE_ROOT/n3 ]] || fail "state left behind"
}

test_net_device_needs_new_network_namespace() {
        berth_only
        veth_pair bit-h2 bit-c2 10.99.9.5/24
        new_bundle
        cfg '.linux.namespaces |= map(select(.type != "network")) | .linux.netDevices = {"bit-c2": {}}'
        assert_fails rt create -b "$BUNDLE" n4
        assert_contains "$ERR" "config.json: .linux.netDevices"
        ip link show bit-c2 >/dev/null 2>&1 || fail "bit-c2 left the host after a refused config"
}

# An idmapped bind mount, with runc's reading of the mount's mappings: an id
# on disk is a containerID and is seen as the hostID it maps to. Files owned
# by 0 in the source, through a 0 -> 1000 (gid 0 -> 2000) mapping, belong to
# 1000:2000 in a container without a user namespace.
test_idmapped_bind_mount() {
        berth_only # runc 1.1 has no idmapped mounts
        local src=$TEST_TMP/idsrc
        mkdir -p "$src"
        echo hi >"$src/f"
        chown 0:0 "$src/f"
        new_bundle
        cfg --arg s "$src" '.mounts += [{destination: "/mnt/a", type: "bind", source: $s,
                options: ["bind", "idmap"],
                uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
                gidMappings: [{containerID: 0, hostID: 2000, size: 1}]}]'
        set_sh 'stat -c "%u:%g" /mnt/a/f; cat /mnt/a/f'
        run_ok i1
        assert_eq "1000:2000
hi" "$OUT" "owner of the file through the idmapped mount"
        assert_eq "0:0" "$(stat -c %u:%g "$src/f")" "owner on the host is unchanged"
}

test_idmapped_mount_in_user_namespace() {
        berth_only
        local src=$TEST_TMP/idsrc2
        mkdir -p "$src"
        touch "$src/f"
        chown 0:0 "$src/f"
        userns_bundle
        # The usual use: the mount takes the container's own mapping, so a
        # file owned by 0 on disk belongs to the container's root (host
        # 100000), while the rootfs, owned by host root, shows as nobody.
        cfg --arg s "$src" '.mounts += [{destination: "/mnt/a", type: "bind", source: $s,
                options: ["rbind", "ridmap"],
                uidMappings: [{containerID: 0, hostID: 100000, size: 65536}],
                gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]}]'
        set_sh 'stat -c "%u:%g" /mnt/a/f /bin/busybox'
        run_ok i2
        assert_eq "0:0
65534:65534" "$OUT" "idmapped file owned by root, unmapped rootfs by nobody"
}

test_idmap_on_non_bind_mount_refused() {
        berth_only
        new_bundle
        cfg '.mounts += [{destination: "/mnt/a", type: "tmpfs", source: "tmpfs", options: ["idmap"],
                uidMappings: [{containerID: 0, hostID: 0, size: 1}], gidMappings: [{containerID: 0, hostID: 0, size: 1}]}]'
        assert_fails rt create -b "$BUNDLE" i3
        assert_contains "$ERR" ".mounts["
        [[ ! -e $STATE_ROOT/i3 ]] || fail "state left behind"
}

# The "cgroup" mount: with a cgroup namespace, the container's own group as
# the root of /sys/fs/cgroup (its init is in it, nothing of the host's
# tree is); without one, the whole hierarchy. Read-only as asked. (runc
# shows the v1 hierarchies on a hybrid host like this one: berth only.)
test_cgroup_mount_shows_the_namespace_root() {
        berth_only
        new_bundle
        add_ns cgroup
        set_sh 'grep " /sys/fs/cgroup " /proc/self/mountinfo; echo ---; cat /sys/fs/cgroup/cgroup.procs; echo ---; ls /sys/fs/cgroup'
        run_ok g1
        local mnt procs
        mnt=${OUT%%---*}
        procs=${OUT#*---}
        procs=${procs%%---*}
        assert_match '^[0-9]+ [0-9]+ [0-9]+:[0-9]+ / /sys/fs/cgroup ro,' "$mnt" "the cgroup mount's root and options"
        assert_contains "$mnt" " - cgroup2 " "its type"
        assert_line_match '^1$' "$procs" "the init among the group's processes"
        assert_not_contains "${OUT##*---}" "berth" "the host's groups in the container's /sys/fs/cgroup"
        drop_ns cgroup
        set_sh 'ls /sys/fs/cgroup'
        run_ok g2
        assert_line_match '^berth$' "$OUT" "the whole hierarchy without a cgroup namespace"
}
