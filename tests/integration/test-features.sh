# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-features.sh: `features` prints the OCI features document.

test_features_is_json_with_versions() {
        assert_ok rt features
        assert_json 'type == "object"' "$OUT" "features output"
        assert_json '.ociVersionMin | test("^1\\.[0-9]+\\.[0-9]+")' "$OUT" "ociVersionMin"
        assert_json '.ociVersionMax | test("^1\\.[0-9]+\\.[0-9]+")' "$OUT" "ociVersionMax"
        local min max
        min=$(jq -r .ociVersionMin <<<"$OUT")
        max=$(jq -r .ociVersionMax <<<"$OUT")
        assert_eq "$min" "$(printf '%s\n%s\n' "$min" "$max" | sort -V | head -n1)" "ociVersionMin <= ociVersionMax ($min, $max)"
}

test_features_hooks_and_mount_options() {
        assert_ok rt features
        assert_json '.hooks | type == "array"' "$OUT" "hooks"
        local o
        berth_only # runc 1.1 lists no idmap, time namespace or netDevices
        assert_json '.hooks | sort == ["createContainer", "createRuntime", "poststart", "poststop", "prestart", "startContainer"]' \
                "$OUT" "hooks: all six"
        for o in bind rbind ro rw nosuid nodev noexec idmap ridmap; do
                assert_json --arg o "$o" '.mountOptions | index($o) != null' "$OUT" "mountOptions has $o"
        done
}

test_features_namespaces_and_capabilities() {
        assert_ok rt features
        local ns cap
        for ns in cgroup ipc mount network pid user uts; do
                assert_json --arg n "$ns" '.linux.namespaces | index($n) != null' "$OUT" "linux.namespaces has $ns"
        done
        for cap in CAP_CHOWN CAP_KILL CAP_SYS_ADMIN CAP_NET_BIND_SERVICE; do
                assert_json --arg c "$cap" '.linux.capabilities | index($c) != null' "$OUT" "linux.capabilities has $cap"
        done
}

test_features_mount_extensions_and_net_devices() {
        berth_only
        assert_ok rt features
        assert_json '.linux.mountExtensions.idmap.enabled == true' "$OUT" "idmapped mounts"
        assert_json '.linux.netDevices.enabled == true' "$OUT" "netDevices"
        assert_json '.linux.namespaces | index("time") != null' "$OUT" "linux.namespaces has time"
}

test_features_cgroup_v2() {
        berth_only
        assert_ok rt features
        assert_json '.linux.cgroup.v2 == true and .linux.cgroup.v1 == false and .linux.cgroup.systemd == false' \
                "$OUT" "linux.cgroup: v2 only, cgroupfs"
        assert_json '.linux.cgroup.rdma == true' "$OUT" "linux.cgroup.rdma"
}

test_features_rejects_arguments() {
        assert_fails rt features extra
}

test_features_seccomp_and_lsm() {
        assert_ok rt features
        local a
        assert_json '.linux.seccomp.enabled == true' "$OUT" "seccomp enabled"
        for a in SCMP_ACT_ALLOW SCMP_ACT_ERRNO SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD SCMP_ACT_LOG \
                SCMP_ACT_NOTIFY SCMP_ACT_TRACE SCMP_ACT_TRAP; do
                assert_json --arg a "$a" '.linux.seccomp.actions | index($a) != null' "$OUT" "seccomp action $a"
        done
        assert_json '.linux.seccomp.operators | index("SCMP_CMP_MASKED_EQ") != null' "$OUT" "MASKED_EQ"
        assert_json '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null' "$OUT" "x86_64"
        berth_only # runc 1.1 reports no apparmor/selinux without them on the host, and fewer flags
        assert_json '.linux.seccomp.knownFlags | sort == ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]' "$OUT" "knownFlags"
        assert_json '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_LOG") != null' "$OUT" "supportedFlags"
        assert_json '.linux.apparmor.enabled == true and .linux.selinux.enabled == true' "$OUT" "LSM labels supported"
}
