# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-spec.sh: `spec` writes a runnable default config.json.

test_spec_writes_config_in_cwd() {
        mkdir -p "$TEST_TMP/s"
        cd "$TEST_TMP/s" || die "cd"
        assert_ok rt spec
        [[ -f config.json ]] || fail "spec did not write config.json in the current directory"
        local c
        c=$(<config.json)
        assert_json '.' "$c" "config.json is JSON"
        assert_json '.ociVersion | test("^1\\.[0-9]+\\.[0-9]+")' "$c" "ociVersion"
        assert_json '.process.args == ["sh"]' "$c" "process.args"
        assert_json '.process.terminal == true' "$c" "process.terminal"
        assert_json '.process.cwd == "/"' "$c" "process.cwd"
        assert_json '.process.user.uid == 0 and .process.user.gid == 0' "$c" "process.user"
        assert_json '.process.env | any(startswith("PATH="))' "$c" "process.env has PATH"
        assert_json '.root.path == "rootfs"' "$c" "root.path"
        assert_json '.hostname | type == "string" and length > 0' "$c" "hostname"
        local ns
        for ns in pid network ipc uts mount; do
                assert_json --arg ns "$ns" '[.linux.namespaces[].type] | index($ns) != null' "$c" "namespace $ns"
        done
        local m
        for m in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do
                assert_json --arg m "$m" '[.mounts[].destination] | index($m) != null' "$c" "mount $m"
        done
        assert_json '.linux.maskedPaths | length > 0' "$c" "maskedPaths"
        assert_json '.linux.readonlyPaths | index("/proc/sys") != null' "$c" "readonlyPaths"
}

test_spec_bundle_flag() {
        local d=$TEST_TMP/by-flag
        mkdir -p "$d" "$TEST_TMP/cwd"
        cd "$TEST_TMP/cwd" || die "cd"
        assert_ok rt spec -b "$d"
        [[ -f $d/config.json ]] || fail "spec -b DIR did not write DIR/config.json"
        [[ ! -e config.json ]] || fail "spec -b DIR also wrote config.json in the current directory"
        assert_json '.process.args == ["sh"]' "$(<"$d/config.json")"
        mkdir -p "$TEST_TMP/long"
        assert_ok rt spec --bundle "$TEST_TMP/long"
        [[ -f $TEST_TMP/long/config.json ]] || fail "spec --bundle DIR did not write DIR/config.json"
}

test_spec_refuses_to_overwrite() {
        local d=$TEST_TMP/existing
        mkdir -p "$d"
        echo '{"keep": true}' >"$d/config.json"
        assert_exit 1 rt spec -b "$d"
        [[ -n $ERR ]] || fail "no message on stderr"
        assert_eq '{"keep": true}' "$(<"$d/config.json")" "existing config.json"
}

test_spec_missing_dir_fails() {
        assert_exit 1 rt spec -b "$TEST_TMP/does/not/exist"
        [[ -n $ERR ]] || fail "no message on stderr"
        [[ ! -e $TEST_TMP/does ]] || fail "spec created the missing directory"
}

test_spec_rootless() {
        local d=$TEST_TMP/rootless c
        mkdir -p "$d"
        assert_ok rt spec --rootless -b "$d"
        c=$(<"$d/config.json")
        assert_json '[.linux.namespaces[].type] | index("user") != null' "$c" "rootless spec has a user namespace"
        assert_json --argjson u "$(id -u)" '.linux.uidMappings | any(.containerID == 0 and .hostID == $u and .size == 1)' \
                "$c" "uidMappings map 0 to the caller's uid"
        assert_json --argjson g "$(id -g)" '.linux.gidMappings | any(.containerID == 0 and .hostID == $g and .size == 1)' \
                "$c" "gidMappings map 0 to the caller's gid"
}

test_spec_hostname_is_berth() {
        berth_only
        local d=$TEST_TMP/h
        mkdir -p "$d"
        assert_ok rt spec -b "$d"
        assert_eq berth "$(jq -r .hostname "$d/config.json")" "hostname of berth's default spec"
}

test_spec_output_runs() {
        # The generated config runs as is, apart from the terminal, the
        # command and the rootfs location.
        local d=$TEST_TMP/gen
        mkdir -p "$d"
        assert_ok rt spec -b "$d"
        # shellcheck disable=SC2034 # cfg and run_ok use BUNDLE
        BUNDLE=$d
        cfg --arg r "$ROOTFS" '.process.terminal = false | .root.path = $r'
        set_sh 'echo hello from $(hostname)'
        run_ok gen
        assert_eq "hello from $(cfg_get .hostname)" "$OUT" "workload output"
}

test_spec_rootless_output_runs_as_root() {
        # berth-only: runc 1.1.5 leaves /sys/fs/cgroup writable in this setup.
        berth_only
        # The rootless config (user namespace, no cgroup namespace) runs too:
        # /sys/fs/cgroup then shows the host's hierarchy, read-only throughout.
        local d=$TEST_TMP/gen
        mkdir -p "$d"
        assert_ok rt spec --rootless -b "$d"
        # shellcheck disable=SC2034 # cfg and run_ok use BUNDLE
        BUNDLE=$d
        cfg --arg r "$ROOTFS" '.process.terminal = false | .root.path = $r'
        set_sh 'cat /proc/self/uid_map; touch /sys/fs/cgroup/berth-probe 2>&1 || true'
        run_ok genrl
        assert_contains "$OUT" "Read-only file system"
        [[ $(awk 'NR==1 {print $1, $3}' <<<"$OUT") == "0 1" ]] || fail "expected a one-id user namespace map, got: $OUT"
}
