# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-process.sh: the workload's environment, arguments, identity,
# capabilities, no_new_privs, rlimits, masked and read-only paths.

test_env_exact() {
        new_bundle
        cfg '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "EQ=a=b"]'
        set_args env
        BERTH_IT_LEAK=leaked run_ok e1
        local env
        env=$(grep -vE '^(HOME|SHLVL|PWD)=' <<<"$OUT" | sort)
        assert_eq $'EMPTY=\nEQ=a=b\nFOO=bar baz\nPATH=/bin' "$env" "environment (besides HOME) of the workload"
}

test_env_does_not_leak_from_runtime() {
        new_bundle
        cfg '.process.env = ["PATH=/bin"]'
        set_args env
        export BERTH_IT_LEAK=leaked
        run_ok e1
        assert_not_contains "$OUT" BERTH_IT_LEAK "the workload's environment"
        assert_not_contains "$OUT" ASAN_OPTIONS "the workload's environment"
}

test_cwd() {
        new_bundle
        cfg '.process.cwd = "/tmp"'
        set_sh 'pwd'
        run_ok w1
        assert_eq /tmp "$OUT" "working directory"
}

test_args_path_lookup() {
        new_bundle
        cfg '.process.env = ["PATH=/usr/bin:/bin"]'
        set_args echo looked up
        run_ok a1
        assert_eq "looked up" "$OUT" "echo found through PATH"
        set_args /bin/echo absolute
        run_ok a2
        assert_eq absolute "$OUT" "absolute path"
}

test_args_preserved_exactly() {
        new_bundle
        # shellcheck disable=SC2016 # for the container's shell
        set_args sh -c 'printf "[%s]" "$0" "$@"' zero "a b" "" 'c*' '$HOME' "tab	x"
        run_ok a1
        assert_eq '[zero][a b][][c*][$HOME][tab	x]' "$OUT" "argv as the workload sees it"
}

test_user_uid_gid() {
        new_bundle
        cfg '.process.user = {uid: 1000, gid: 1000}'
        set_sh 'id -u; id -g; grep -E "^(Uid|Gid):" /proc/self/status'
        run_ok u1
        local want
        want=$'1000\n1000\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000'
        assert_eq "$want" "$OUT" "ids of the workload"
}

test_user_id_command() {
        new_bundle
        cfg '.process.user = {uid: 1000, gid: 1000}'
        set_args id
        run_ok u1
        assert_match '^uid=1000\(user\) gid=1000\(user\)' "$OUT" "id"
}

test_additional_gids() {
        new_bundle
        cfg '.process.user = {uid: 1000, gid: 1000, additionalGids: [2000, 3000]}'
        set_sh 'id -G; grep "^Groups:" /proc/self/status'
        run_ok g1
        local ids groups
        ids=$(sed -n 1p <<<"$OUT")
        groups=$(sed -n 2p <<<"$OUT" | cut -f2)
        assert_contains " $ids " " 2000 " "id -G"
        assert_contains " $ids " " 3000 " "id -G"
        assert_contains " $groups" " 2000 3000" "Groups: in /proc/self/status"
}

test_root_has_no_host_groups() {
        new_bundle
        cfg '.process.user = {uid: 0, gid: 0}'
        set_sh 'grep "^Groups:" /proc/self/status'
        run_ok g1
        local groups
        groups=$(cut -f2 <<<"$OUT" | sed 's/ *$//')
        [[ -z $groups || $groups == 0 ]] || fail "supplementary groups of root in the container: [$groups]"
}

# caps_bundle NAME...: bounding, effective, permitted = NAMEs; no ambient, no inheritable.
caps_bundle() {
        new_bundle
        local caps
        caps=$(json_array "$@")
        cfg --argjson c "$caps" '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}'
        set_args cat /proc/self/status
}

test_capabilities_explicit() {
        caps_bundle CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE
        run_ok c1
        local want
        want=$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE)
        assert_eq 0000000000000421 "$want" "cap_mask self-check"
        assert_eq "$want" "$(status_field "$OUT" CapEff)" "CapEff"
        assert_eq "$want" "$(status_field "$OUT" CapPrm)" "CapPrm"
        assert_eq "$want" "$(status_field "$OUT" CapBnd)" "CapBnd"
        assert_eq 0000000000000000 "$(status_field "$OUT" CapAmb)" "CapAmb"
}

test_capabilities_sys_admin() {
        caps_bundle CAP_SYS_ADMIN CAP_NET_ADMIN
        run_ok c1
        assert_eq "$(cap_mask CAP_SYS_ADMIN CAP_NET_ADMIN)" "$(status_field "$OUT" CapEff)" "CapEff"
        assert_eq "$(cap_mask CAP_SYS_ADMIN CAP_NET_ADMIN)" "$(status_field "$OUT" CapBnd)" "CapBnd"
}

test_capabilities_none() {
        caps_bundle
        run_ok c1
        local f
        for f in CapEff CapPrm CapBnd CapAmb CapInh; do
                assert_eq 0000000000000000 "$(status_field "$OUT" "$f")" "$f"
        done
}

test_capabilities_from_base_config() {
        new_bundle
        set_args cat /proc/self/status
        run_ok c1
        local eff bnd
        # shellcheck disable=SC2046 # one capability name per word
        eff=$(cap_mask $(cfg_get '.process.capabilities.effective // [] | .[]'))
        # shellcheck disable=SC2046
        bnd=$(cap_mask $(cfg_get '.process.capabilities.bounding // [] | .[]'))
        assert_eq "$eff" "$(status_field "$OUT" CapEff)" "CapEff"
        assert_eq "$bnd" "$(status_field "$OUT" CapBnd)" "CapBnd"
}

test_capabilities_ambient_for_non_root() {
        new_bundle
        local c
        c=$(json_array CAP_NET_BIND_SERVICE CAP_KILL)
        cfg --argjson c "$c" '.process.capabilities = {bounding: $c, effective: $c, permitted: $c, inheritable: $c, ambient: $c}
                | .process.user = {uid: 1000, gid: 1000}'
        set_args cat /proc/self/status
        run_ok c1
        local want
        want=$(cap_mask CAP_NET_BIND_SERVICE CAP_KILL)
        assert_eq "$want" "$(status_field "$OUT" CapAmb)" "CapAmb"
        assert_eq "$want" "$(status_field "$OUT" CapEff)" "CapEff of uid 1000 with ambient capabilities"
}

test_no_new_privileges_on() {
        new_bundle
        cfg '.process.noNewPrivileges = true'
        set_args cat /proc/self/status
        run_ok n1
        assert_eq 1 "$(status_field "$OUT" NoNewPrivs)" "NoNewPrivs"
}

test_no_new_privileges_off() {
        new_bundle
        cfg '.process.noNewPrivileges = false'
        set_args cat /proc/self/status
        run_ok n1
        assert_eq 0 "$(status_field "$OUT" NoNewPrivs)" "NoNewPrivs"
}

# A signal berth's caller ignores (nohup, a shell's trap '' SIG) would stay
# ignored across execve; the workload starts with every signal at default,
# 32 and 33 too (which glibc's sigaction will not touch).
test_signals_ignored_by_the_caller_are_reset() {
        new_bundle
        set_args grep -E '^Sig(Ign|Blk):' /proc/self/status
        capture "$(dirname "${BASH_SOURCE[0]}")/helpers/ignore-exec.py" 1 10 13 32 33 -- \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" s1
        [[ $RC == 0 ]] || fail "run s1: expected exit 0, got $(lib_result)"
        assert_eq $'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000' "$OUT" \
                "blocked and ignored signals of a workload started with HUP, USR1, PIPE, 32 and 33 ignored"
}

test_rlimits_lowered() {
        new_bundle
        cfg '.process.rlimits = [
          {type: "RLIMIT_NOFILE", soft: 256, hard: 512},
          {type: "RLIMIT_NPROC", soft: 1000, hard: 2000},
          {type: "RLIMIT_CORE", soft: 0, hard: 0}
        ]'
        set_sh 'grep -E "^Max (open files|processes|core file size)" /proc/self/limits; ulimit -n'
        run_ok l1
        assert_line_match '^Max open files +256 +512 +files' "$OUT" "RLIMIT_NOFILE"
        assert_line_match '^Max processes +1000 +2000 +processes' "$OUT" "RLIMIT_NPROC"
        assert_line_match '^Max core file size +0 +0 +bytes' "$OUT" "RLIMIT_CORE"
        assert_eq 256 "$(tail -n1 <<<"$OUT")" "ulimit -n"
}

test_masked_paths() {
        new_bundle
        mkdir "$ROOTFS/secretdir2"
        echo "hidden too" >"$ROOTFS/secretdir2/file"
        # Two directories and two files: the second of each is masked with a
        # clone of what masked the first.
        cfg '.linux.maskedPaths = ["/etc/secret", "/secretdir", "/proc/timer_list", "/proc/kcore", "/no/such/path", "/secretdir2"]'
        set_sh 'echo "file=[$(cat /etc/secret 2>/dev/null)]"; echo "dir=[$(ls -A /secretdir 2>/dev/null)]"
echo "timer_list=[$(head -c 20 /proc/timer_list 2>/dev/null)]"; echo "kcore=[$(head -c 20 /proc/kcore 2>/dev/null | wc -c)]"
echo "dir2=[$(ls -A /secretdir2 2>/dev/null)]"
for d in /secretdir /secretdir2; do if echo x > $d/new 2>/dev/null; then echo WROTE $d; fi; done'
        run_ok k1
        assert_eq $'file=[]\ndir=[]\ntimer_list=[]\nkcore=[0]\ndir2=[]' "$OUT" "masked paths read from the container"
        assert_eq "top secret" "$(<"$ROOTFS/etc/secret")" "the masked file on the host"
        [[ -n $(head -c 20 /proc/timer_list) ]] || die "the host's /proc/timer_list is empty"
}

test_readonly_paths() {
        new_bundle
        local host=$TEST_TMP/hostdir
        mkdir -p "$host"
        add_mount /mnt/a bind "$host" rbind rw
        cfg '.linux.readonlyPaths = ["/proc/sys", "/proc/bus", "/mnt/a", "/no/such/path"]'
        set_sh 'if echo x > /mnt/a/new 2>/dev/null; then echo WROTE; fi; cat /proc/self/mountinfo'
        run_ok r1
        assert_not_contains "$OUT" WROTE "a write below a read-only path"
        [[ ! -e $host/new ]] || fail "the container wrote below a read-only path"
        local p
        for p in /proc/sys /proc/bus /mnt/a; do
                mnt_get "$OUT" "$p"
                assert_opt "$MNT_OPTS" ro "$p"
        done
}

test_readonly_paths_control() {
        # The same bind without readonlyPaths is writable: the test above
        # checks readonlyPaths, not something else.
        new_bundle
        local host=$TEST_TMP/hostdir
        mkdir -p "$host"
        add_mount /mnt/a bind "$host" rbind rw
        cfg '.linux.readonlyPaths = []'
        set_sh 'echo x > /mnt/a/new && echo WROTE'
        run_ok r1
        assert_eq WROTE "$OUT" "a write to a read-write bind"
}

test_sysctl_in_own_namespaces() {
        # net.* and IPC keys are written in the container's own namespaces,
        # before readonlyPaths makes /proc/sys read-only; the host keeps its value.
        local host_fwd
        host_fwd=$(</proc/sys/net/ipv4/ip_forward)
        new_bundle
        cfg --arg v "$((1 - host_fwd))" '.linux.sysctl = {"net.ipv4.ip_forward": $v, "kernel.shmmni": "1234"}'
        set_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
        run_ok s1
        assert_eq "$((1 - host_fwd))"$'\n'"1234" "$OUT" "sysctl values inside"
        assert_eq "$host_fwd" "$(</proc/sys/net/ipv4/ip_forward)" "host net.ipv4.ip_forward"
}
