# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-seccomp.sh: linux.seccomp applied to the workload: each action, an
# argument match, Docker's default profile, ENOSYS for syscalls newer than
# the profile, noNewPrivileges both ways, a notify agent, precise errors
# and the compiled-program cache.

SECCOMP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SECCOMP_DOCKER=$SECCOMP_HERE/../fixtures/seccomp-docker-default.json

# x86_64 syscall numbers the tests use.
NR_MKDIR=83 NR_GETPPID=110 NR_UMASK=95 NR_UNSHARE=272 NR_ADD_KEY=248 NR_MSEAL=462

# probe_bundle: a bundle whose container has sysprobe (a static helper built
# once per run from helpers/sysprobe.c) at /mnt/b/sysprobe.
probe_bundle() {
        local dir=$WORK/probe
        if [[ ! -x $dir/sysprobe ]]; then
                mkdir -p "$dir"
                cc -static -O2 -o "$dir/sysprobe.new" "$SECCOMP_HERE/helpers/sysprobe.c" ||
                        die "cannot build sysprobe (is libc6-dev installed?)"
                mv "$dir/sysprobe.new" "$dir/sysprobe"
        fi
        new_bundle
        add_mount /mnt/b bind "$dir" rbind ro
}

# seccomp JSON: set linux.seccomp.
seccomp() {
        cfg --argjson s "$1" '.linux.seccomp = $s'
}

# deny NAME ACTION [EXTRA-JSON]: default allow, one rule.
deny() {
        seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"$1\"], \"action\": \"$2\" ${3:+, $3}}]}"
}

test_seccomp_errno_on_mkdir() {
        probe_bundle
        deny mkdir SCMP_ACT_ERRNO '"errnoRet": 1'
        set_args /mnt/b/sysprobe $NR_MKDIR /tmp/x 0755
        run_ok s1
        assert_eq "errno=1" "$OUT" "mkdir under the filter (EPERM)"
        # Any errno, and busybox sees it too.
        deny mkdir SCMP_ACT_ERRNO '"errnoRet": 30'
        set_sh 'mkdir /tmp/x; echo rc=$?'
        run_ok s2
        assert_eq "rc=1" "$OUT" "busybox mkdir fails"
        assert_contains "$ERR" "Read-only file system" "the errno the profile chose (EROFS)"
}

test_seccomp_errno_default_eperm() {
        probe_bundle
        # ERRNO without errnoRet is EPERM, as in runc.
        deny getppid SCMP_ACT_ERRNO
        set_args /mnt/b/sysprobe $NR_GETPPID
        run_ok s1
        assert_eq "errno=1" "$OUT" "getppid"
}

test_seccomp_kill_process_on_unshare() {
        probe_bundle
        deny unshare SCMP_ACT_KILL_PROCESS
        set_args /mnt/b/sysprobe $NR_UNSHARE 0
        run_ctr s1
        assert_eq 159 "$RC" "exit status: killed by SIGSYS (128 + 31)"
        assert_eq "" "$OUT" "nothing printed after the syscall"
}

test_seccomp_kill_thread_and_trap() {
        probe_bundle
        deny getppid SCMP_ACT_KILL
        set_args /mnt/b/sysprobe $NR_GETPPID
        run_ctr s1
        assert_eq 159 "$RC" "SCMP_ACT_KILL: the only thread dies of SIGSYS"
        deny getppid SCMP_ACT_TRAP
        run_ctr s2
        assert_eq 159 "$RC" "SCMP_ACT_TRAP: SIGSYS, not handled"
}

test_seccomp_log_allows() {
        probe_bundle
        deny getppid SCMP_ACT_LOG
        set_args /mnt/b/sysprobe $NR_GETPPID
        run_ok s1
        assert_match '^ret=[0-9]+$' "$OUT" "SCMP_ACT_LOG lets the syscall run"
}

test_seccomp_masked_eq_argument() {
        probe_bundle
        # umask(mode) fails when the mode has all of 077 set, whatever else.
        deny umask SCMP_ACT_ERRNO '"errnoRet": 13, "args": [{"index": 0, "value": 63, "valueTwo": 63, "op": "SCMP_CMP_MASKED_EQ"}]'
        set_args /mnt/b/sysprobe $NR_UMASK 0777
        run_ok s1
        assert_eq "errno=13" "$OUT" "umask(0777) matches (0777 & 077 == 077)"
        set_args /mnt/b/sysprobe $NR_UMASK 0070
        run_ok s2
        assert_match '^ret=[0-9]+$' "$OUT" "umask(0070) does not match"
}

test_seccomp_args_on_two_arguments() {
        probe_bundle
        # Conditions on different arguments must all hold.
        deny umask SCMP_ACT_ERRNO '"args": [{"index": 0, "value": 18, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 5, "op": "SCMP_CMP_GT"}]'
        set_args /mnt/b/sysprobe $NR_UMASK 18 6
        run_ok s1
        assert_eq "errno=1" "$OUT" "both conditions hold"
        set_args /mnt/b/sysprobe $NR_UMASK 18 5
        run_ok s2
        assert_match '^ret=' "$OUT" "the second does not"
}

test_seccomp_unknown_syscall_ignored() {
        probe_bundle
        seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_syscall", "mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
        set_args /mnt/b/sysprobe $NR_MKDIR /tmp/x 0755
        run_ok s1
        assert_eq "errno=1" "$OUT" "the known name still applies"
}

test_seccomp_status_and_nnp() {
        probe_bundle
        deny getppid SCMP_ACT_ERRNO
        cfg '.process.noNewPrivileges = true'
        set_args /mnt/b/sysprobe status
        run_ok s1
        assert_contains "$OUT" "Seccomp:	2" "filter mode"
        assert_contains "$OUT" "NoNewPrivs:	1" "no_new_privs"
}

# Without noNewPrivileges the kernel wants CAP_SYS_ADMIN to load a filter:
# it is loaded before the switch to a user that lacks it.
test_seccomp_without_nnp_as_user() {
        probe_bundle
        deny mkdir SCMP_ACT_ERRNO '"errnoRet": 1'
        cfg '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}
             | .process.capabilities = {bounding: ["CAP_KILL"], effective: [], permitted: [], inheritable: [], ambient: []}'
        set_args /mnt/b/sysprobe status
        run_ok s1
        assert_contains "$OUT" "Seccomp:	2" "filter mode"
        assert_contains "$OUT" "NoNewPrivs:	0" "no_new_privs stays off"
        set_args /mnt/b/sysprobe $NR_MKDIR /tmp/x 0755
        run_ok s2
        assert_eq "errno=1" "$OUT" "the filter works for the unprivileged user"
}

test_seccomp_docker_profile_busybox() {
        probe_bundle
        seccomp "$(cat "$SECCOMP_DOCKER")"
        add_mount /tmp tmpfs tmpfs nosuid nodev
        set_sh 'mkdir -p /tmp/d/e && echo hello >/tmp/d/e/f && cat /tmp/d/e/f && ls /tmp/d/e && sleep 0 &&
                ps -o pid,comm | wc -l && date +%Y >/dev/null && sort </etc/passwd | head -n1 && /mnt/b/sysprobe status'
        run_ok s1
        assert_eq "hello" "$(sed -n 1p <<<"$OUT")" "write and read a file"
        assert_eq "f" "$(sed -n 2p <<<"$OUT")" "ls"
        assert_match '^[0-9]+$' "$(sed -n 3p <<<"$OUT" | tr -d ' ')" "ps"
        assert_contains "$OUT" "Seccomp:	2" "under the filter"
        assert_eq "" "$ERR" "nothing on stderr"
}

# Docker's profile with EPERM as its default: a syscall older than the
# profile gets EPERM, one newer (mseal, Linux 6.10) gets ENOSYS.
test_seccomp_enosys_for_newer_syscalls() {
        probe_bundle
        seccomp "$(jq '.defaultErrnoRet = 1' "$SECCOMP_DOCKER")"
        set_args /mnt/b/sysprobe $NR_ADD_KEY 0 0 0 0 0
        run_ok s1
        assert_eq "errno=1" "$OUT" "add_key, not in the profile: the default errno"
        set_args /mnt/b/sysprobe $NR_MSEAL 0 0 0
        run_ok s2
        assert_eq "errno=38" "$OUT" "mseal, newer than the profile: ENOSYS"
}

test_seccomp_notify_agent() {
        berth_only # runc 1.1's agent protocol predates the "state" member checks below
        probe_bundle
        local sock=$TEST_TMP/agent.sock state=$TEST_TMP/agent.json agent
        python3 "$SECCOMP_HERE/helpers/seccomp_agent.py" "$sock" "$state" 123 &
        agent=$!
        defer "kill $agent 2>/dev/null; wait $agent 2>/dev/null"
        wait_for 10 test -S "$sock" || fail "the agent did not listen within 10s"
        seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$sock\", \"listenerMetadata\": \"meta=1\",
                  \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
        set_args /mnt/b/sysprobe $NR_MKDIR /tmp/x 0755
        run_ok s1
        assert_eq "errno=123" "$OUT" "the agent's answer (ENOMEDIUM)"
        wait_file "$state"
        assert_json '.fds == ["seccompFd"]' "$(cat "$state")" "fds"
        assert_json '.metadata == "meta=1"' "$(cat "$state")" "metadata"
        assert_json '.pid > 0 and .state.id == "s1" and .state.status == "creating"' "$(cat "$state")" "pid and state"
        assert_eq "$NR_MKDIR" "$(cat "$state.calls")" "the agent saw one mkdir"
}

test_seccomp_notify_agent_absent_fails() {
        berth_only
        probe_bundle
        seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/none.sock\",
                  \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
        set_args true
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" "seccomp listenerPath $TEST_TMP/none.sock: connect to the agent" "the error"
        [[ ! -e $STATE_ROOT/s1 ]] || fail "the failed run left its state"
}

test_seccomp_notify_on_sendmsg_refused() {
        berth_only
        new_bundle
        seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x.sock",
                  "syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}'
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" "config.json: .linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for sendmsg" "the error"
}

test_seccomp_unknown_action_error() {
        berth_only # the message is berth's
        new_bundle
        seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FOO"}]}'
        set_args true
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" 'config.json: .linux.seccomp.syscalls[0].action: unknown seccomp action "SCMP_ACT_FOO"' "the error"
        [[ ! -e $STATE_ROOT/s1 ]] || fail "the failed run left its state"
        seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
                  "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ALMOST"}]}]}'
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" 'config.json: .linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "SCMP_CMP_ALMOST"' "the error"
}

test_seccomp_cache_hit() {
        berth_only
        new_bundle
        seccomp "$(cat "$SECCOMP_DOCKER")"
        set_args true
        assert_ok rt --debug run -b "$BUNDLE" s1
        assert_not_contains "$ERR" "(from the cache)" "first run compiles"
        assert_eq 1 "$(find "$STATE_ROOT/.seccomp-cache" -name '*.bpf' | wc -l)" "one cached program"
        assert_ok rt --debug run -b "$BUNDLE" s2
        assert_contains "$ERR" "(from the cache)" "second run loads the cached program"
        assert_ok rt list -q
        assert_eq "" "$OUT" "the cache is not a container"
}

# This host has neither AppArmor nor SELinux: a label is a clear error, and
# nothing is left behind.
test_lsm_label_without_lsm_fails() {
        berth_only # runc 1.1 ignores a label it cannot apply
        [[ -e /sys/fs/selinux/enforce ]] && skip "SELinux is enabled here"
        grep -qs apparmor /sys/kernel/security/lsm && skip "AppArmor is enabled here"
        new_bundle
        set_args true
        cfg '.process.apparmorProfile = "berth-test"'
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" 'config.json: .process.apparmorProfile: "berth-test" asked for, but AppArmor is not enabled on this host' "apparmor"
        cfg 'del(.process.apparmorProfile) | .process.selinuxLabel = "system_u:system_r:container_t:s0"'
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" 'config.json: .process.selinuxLabel: "system_u:system_r:container_t:s0" asked for, but SELinux is not enabled' "selinux"
        cfg 'del(.process.selinuxLabel) | .linux.mountLabel = "system_u:object_r:container_file_t:s0"'
        assert_fails rt run -b "$BUNDLE" s1
        assert_contains "$ERR" 'config.json: .linux.mountLabel: "system_u:object_r:container_file_t:s0" asked for, but SELinux' "mountLabel"
        [[ ! -e $STATE_ROOT/s1 ]] || fail "the failed run left its state"
}

# An exec'd process gets the container's filter too, with and without
# noNewPrivileges (loaded last, or before the user switch).
test_seccomp_applies_to_exec() {
        probe_bundle
        deny mkdir SCMP_ACT_ERRNO '"errnoRet": 1'
        set_sh 'sleep 30'
        local nnp
        for nnp in true false; do
                cfg --argjson n "$nnp" '.process.noNewPrivileges = $n'
                run_detached "sx-$nnp"
                capture rt exec "sx-$nnp" /mnt/b/sysprobe $NR_MKDIR /tmp/x 0755
                assert_eq "errno=1" "$OUT" "mkdir in an exec'd process (noNewPrivileges $nnp)"
                capture rt exec "sx-$nnp" /mnt/b/sysprobe status
                assert_contains "$OUT" "Seccomp:	2" "filter mode of an exec'd process (noNewPrivileges $nnp)"
                assert_ok rt delete -f "sx-$nnp"
        done
}

test_seccomp_exec_with_notify_refused() {
        berth_only
        new_bundle
        # Made without the notify rule (create would need an agent), then
        # the saved config is given one: exec must refuse, not half-apply it.
        deny mkdir SCMP_ACT_ERRNO
        set_sh 'sleep 30'
        run_detached sxn
        jq '.linux.seccomp.listenerPath = "/nonexistent.sock" | .linux.seccomp.syscalls[0].action = "SCMP_ACT_NOTIFY"' \
                "$STATE_ROOT/sxn/config.json" >"$TEST_TMP/c.json" || die "edit the saved config"
        cp "$TEST_TMP/c.json" "$STATE_ROOT/sxn/config.json" || die "replace the saved config"
        capture rt exec sxn true
        assert_eq 1 "$RC" "exit status of exec with a notifying profile"
        assert_contains "$ERR" "exec into a container whose seccomp profile notifies (SCMP_ACT_NOTIFY) is not supported yet"
}
