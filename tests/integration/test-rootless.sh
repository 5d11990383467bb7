# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-rootless.sh: berth run by an unprivileged user, created for the test:
# the caller mapped to root with a single mapping, several mappings written
# through newuidmap/newgidmap from /etc/subuid and /etc/subgid ranges, and
# the errors that say what to do when those are missing.

RL_USER=berth-it-dev

# rl_setup: a fresh user without subordinate ids, a state root it owns and a
# bundle it can read (the shared rootfs is world-readable; the work
# directories above it are made traversable).
rl_setup() {
        berth_only
        command -v useradd >/dev/null || skip "useradd not installed (package passwd)"
        userdel "$RL_USER" >/dev/null 2>&1
        sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
        useradd -M -d /nonexistent -s /bin/sh "$RL_USER" || die "useradd $RL_USER"
        sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
        RL_UID=$(id -u "$RL_USER")
        RL_GID=$(id -g "$RL_USER")
        defer rl_teardown
        chmod a+x "$WORK" "$TEST_TMP"
        RL_STATE=$TEST_TMP/user-state
        install -d -m 0700 -o "$RL_USER" "$RL_STATE"
        new_bundle
        chmod a+rx "$BUNDLE"
        cfg --argjson u "$RL_UID" --argjson g "$RL_GID" '
                .linux.namespaces = [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}, {type: "user"}]
                | .linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}]
                | .linux.gidMappings = [{containerID: 0, hostID: $g, size: 1}]
                | .mounts |= map(select(.type != "sysfs" and .type != "cgroup" and .destination != "/dev/mqueue"))
                | .mounts |= map(if .destination == "/dev/pts" then .options -= ["gid=5"] else . end)
                | .linux.resources = {}'
        chmod a+r "$BUNDLE/config.json"
}

rl_teardown() {
        local id
        for id in $(runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" list -q 2>/dev/null); do
                runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" delete --force "$id" >/dev/null 2>&1
        done
        userdel "$RL_USER" >/dev/null 2>&1
        sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
}

# rl_run ID [ENV...]: `berth run` as the user; sets RC, OUT and ERR.
rl_run() {
        local id=$1
        shift
        capture runuser -u "$RL_USER" -- env "$@" "$RUNTIME" --root "$RL_STATE" run -b "$BUNDLE" "$id"
}

# rl_subids: give the user 65536 subordinate uids and gids at 300000 and map
# container ids 1-65536 onto them.
rl_subids() {
        echo "$RL_USER:300000:65536" >>/etc/subuid
        echo "$RL_USER:300000:65536" >>/etc/subgid
        cfg '.linux.uidMappings += [{containerID: 1, hostID: 300000, size: 65536}]
             | .linux.gidMappings += [{containerID: 1, hostID: 300000, size: 65536}]'
}

test_rootless_single_mapping() {
        rl_setup
        set_sh 'id -u; cat /proc/self/uid_map'
        rl_run r1
        [[ $RC == 0 ]] || fail "rootless run: $(lib_result)"
        assert_eq "0
$(printf '%10s %10s %10s' 0 "$RL_UID" 1)" "$OUT" "uid and uid_map inside"
        assert_eq "" "$(runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" list -q)" "containers left"
}

test_rootless_subid_mappings_through_newuidmap() {
        rl_setup
        command -v newuidmap >/dev/null || die "newuidmap not installed (package uidmap)"
        rl_subids
        # A file chowned to container uid 1000 belongs to host uid 300999.
        set_sh 'cat /proc/self/uid_map /proc/self/gid_map; touch /tmp/f; chown 1000:1000 /tmp/f 2>&1; stat -c "%u:%g" /tmp/f'
        cfg '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["mode=1777"]}]
             | .process.capabilities |= with_entries(.value += ["CAP_CHOWN"])'
        rl_run r2
        [[ $RC == 0 ]] || fail "rootless run with subordinate ids: $(lib_result)"
        local want
        want=$(printf '%10s %10s %10s\n%10s %10s %10s\n' 0 "$RL_UID" 1 1 300000 65536 0 "$RL_GID" 1 1 300000 65536)
        assert_eq "$want
1000:1000" "$OUT" "maps and the owner of a file chowned inside"
}

test_rootless_without_subid_range_says_so() {
        rl_setup
        cfg '.linux.uidMappings += [{containerID: 1, hostID: 300000, size: 65536}]'
        rl_run r3
        [[ $RC == 1 ]] || fail "expected exit 1: $(lib_result)"
        assert_contains "$ERR" "/etc/subuid has no range for user $RL_USER"
        assert_eq "" "$(ls -A "$RL_STATE")" "state left behind"
}

test_rootless_without_newuidmap_says_so() {
        rl_setup
        rl_subids
        rl_run r4 PATH=/nonexistent
        [[ $RC == 1 ]] || fail "expected exit 1: $(lib_result)"
        assert_contains "$ERR" "newuidmap not found: install the uidmap package, or use a single mapping"
        assert_eq "" "$(ls -A "$RL_STATE")" "state left behind"
}
