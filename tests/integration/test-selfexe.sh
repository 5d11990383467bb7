# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-selfexe.sh: CVE-2019-5736. A process in the container gets hold of
# the runtime's binary through /proc/<pid>/exe (of the waiting init, or of
# berth itself executed in the container through "#!/proc/self/exe"), waits
# for berth to exit, and writes through it. Usually the init is not dumpable
# (its exe is out of the container's reach) and the workload is executed
# through berth-stub from a sealed memfd, which is all "#!/proc/self/exe"
# finds; a container that could reach a non-dumpable process
# (CAP_SYS_PTRACE) gets berth run from a sealed memfd copy of itself. Either
# way the host binary stays byte-identical (security/selfexe.h).

# se_bundle: a bundle whose /mnt/a is the host dir $SHARE.
se_bundle() {
        new_bundle
        share_dir
}

# se_with_runtime_libs: a private rootfs with the dynamic loader and the
# libraries the runtime needs, so that the runtime can run inside it.
se_with_runtime_libs() {
        local lib
        private_rootfs
        for lib in $(ldd "$RUNTIME" | grep -oE '/[^ ]+'); do
                cp --parents -L "$lib" "$BUNDLE/rootfs" || die "copy $lib"
        done
}

# se_ptrace_capable: CAP_SYS_PTRACE in every set of the process, which
# opens /proc/<pid>/exe of non-dumpable processes: berth runs from its copy.
se_ptrace_capable() {
        cfg '.process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])'
}

se_sum() {
        sha256sum "$RUNTIME" | cut -d' ' -f1
}

test_selfexe_created_init_exe_is_out_of_reach() {
        berth_only
        se_bundle
        set_args sleep 1000
        local before
        before=$(se_sum)
        create_ctr s1
        # The init waits for `start` running berth's code, as pid 1 in the
        # container: not dumpable, so its exe cannot be opened there.
        capture rt exec s1 sh -c 'readlink /proc/1/exe; exec 3</proc/1/exe && echo opened'
        assert_ne 0 "$RC" "opening the created init's /proc/1/exe ($(lib_result))"
        assert_not_contains "$OUT" "opened" "opening the created init's /proc/1/exe"
        assert_contains "$ERR" "Permission denied" "opening the created init's /proc/1/exe"
        assert_eq "$(realpath "$RUNTIME")" "$(readlink "/proc/$(pid_of s1)/exe")" \
                "the created init's exe, seen from the host (no copy of berth)"
        start_ctr s1
        assert_eq "$before" "$(se_sum)" "sha256 of the berth binary"
}

test_selfexe_ptrace_capable_created_init_is_a_sealed_memfd() {
        berth_only
        se_bundle
        se_ptrace_capable
        set_args sleep 1000
        local before
        before=$(se_sum)
        create_ctr s1
        # CAP_SYS_PTRACE reaches the non-dumpable init: its exe must be a
        # sealed copy. A process there holds it open...
        capture rt exec -d s1 sh -c 'readlink /proc/1/exe >/mnt/a/link; exec 3</proc/1/exe || exit 1
                echo held >/mnt/a/held
                while [ ! -e /mnt/a/go ]; do sleep 0.05; done
                echo pwned >>/proc/self/fd/3 2>/mnt/a/err; echo $? >/mnt/a/rc
                echo pwned >>/proc/1/exe 2>>/mnt/a/err; echo $? >>/mnt/a/rc'
        [[ $RC == 0 ]] || fail "exec -d: $(lib_result)"
        wait_file "$SHARE/held"
        assert_match '^/memfd:berth' "$(cat "$SHARE/link")" "the created init's /proc/1/exe"
        # ...until berth is gone from the container (the init execs the
        # workload) and then writes through it.
        start_ctr s1
        wait_for 10 sh -c "! grep -q memfd /proc/$(pid_of s1)/maps 2>/dev/null" || die "the init did not exec"
        touch "$SHARE/go"
        wait_for 10 test -s "$SHARE/rc" || fail "the attacker did not finish"
        sleep 0.3
        assert_eq "" "$(grep -x 0 "$SHARE/rc")" "a write through /proc/<pid>/exe succeeded: $(cat "$SHARE/err")"
        assert_eq "$before" "$(se_sum)" "sha256 of the berth binary"
}

test_selfexe_shebang_exec_runs_only_the_stub() {
        berth_only
        se_bundle
        local before
        before=$(se_sum)
        # The original exploit: the workload makes the kernel execute
        # /proc/self/exe in the container. What it names then is the stub's
        # sealed memfd, which refuses to run as anything but berth's last step.
        printf '#!/proc/self/exe\n' >"$SHARE/evil"
        chmod 755 "$SHARE/evil"
        set_args /mnt/a/evil
        run_ctr s1
        assert_eq 1 "$RC" "exit status of the workload ($(lib_result))"
        assert_contains "$ERR" "berth-stub: runs only as berth's last step" "what /proc/self/exe ran"
        assert_eq "$before" "$(se_sum)" "sha256 of the berth binary"
}

test_selfexe_stub_reports_a_failed_exec() {
        berth_only
        se_bundle
        # Found in PATH, but the kernel cannot execute it: the stub says so
        # on the workload's stderr, in berth's words, with the shell's codes.
        printf '#!/nonexistent\n' >"$SHARE/bad"
        chmod 755 "$SHARE/bad"
        set_args /mnt/a/bad
        run_ctr s1
        assert_eq 127 "$RC" "exit status ($(lib_result))"
        assert_contains "$ERR" 'berth: container s1: exec "/mnt/a/bad": No such file or directory' "the message"
        printf '\177ELF garbage\n' >"$SHARE/bad"
        run_ctr s2
        assert_eq 126 "$RC" "exit status of an exec format error ($(lib_result))"
        assert_contains "$ERR" 'berth: container s2: exec "/mnt/a/bad": Exec format error' "the message"
}

test_selfexe_shebang_exec_of_berth_cannot_overwrite_it() {
        berth_only
        se_bundle
        se_with_runtime_libs
        se_ptrace_capable
        local before
        before=$(se_sum)
        # With CAP_SYS_PTRACE berth runs from its sealed copy and execs the
        # workload itself: "#!/proc/self/exe" runs that copy of berth in the
        # container. Here it blocks on a fifo it opens as its log, so the
        # watcher finds it for certain.
        mkfifo "$SHARE/fifo"
        printf '#!/proc/self/exe --log=/mnt/a/fifo\n' >"$SHARE/evil"
        chmod 755 "$SHARE/evil"
        set_sh 'while :; do
                for p in /proc/[0-9]*; do
                        case $(readlink $p/exe 2>/dev/null) in *memfd*|*berth*)
                                readlink $p/exe >/mnt/a/link; exec 3<$p/exe; echo held >/mnt/a/held; break 2;;
                        esac
                done
                sleep 0.01
        done
        while [ ! -e /mnt/a/go ]; do sleep 0.05; done
        echo pwned >>/proc/self/fd/3 2>/mnt/a/err; echo $? >/mnt/a/rc
        sleep 1000'
        run_detached s2
        wait_status s2 running
        rt exec s2 /mnt/a/evil >"$TEST_TMP/evil.out" 2>&1 </dev/null &
        local evil=$!
        wait_file "$SHARE/held"
        # Let berth-in-the-container go on and exit; then strike.
        cat "$SHARE/fifo" >/dev/null &
        wait "$evil"
        touch "$SHARE/go"
        wait_file "$SHARE/rc"
        assert_match '^/memfd:berth' "$(cat "$SHARE/link")" "exe of berth run in the container"
        assert_ne 0 "$(cat "$SHARE/rc")" "exit status of the write through the held exe ($(cat "$SHARE/err"))"
        assert_eq "$before" "$(se_sum)" "sha256 of the berth binary"
}

test_selfexe_create_container_hook_shebang_runs_only_the_stub() {
        berth_only
        se_bundle
        local before
        before=$(se_sum)
        # createContainer hooks run in the container's namespaces, so they
        # go through the stub: "#!/proc/self/exe" names it, not berth.
        printf '#!/proc/self/exe\n' >"$SHARE/hook"
        chmod 755 "$SHARE/hook"
        cfg --arg h "$SHARE/hook" '.hooks.createContainer = [{path: $h}]'
        set_args true
        run_ctr h1
        assert_ne 0 "$RC" "run with the hook ($(lib_result))"
        assert_contains "$ERR" "berth-stub: runs only as berth's last step" "the hook's output in the error"
        assert_eq "" "$(rt list -q)" "containers left"
        assert_eq "$before" "$(se_sum)" "sha256 of the berth binary"
}

test_selfexe_stub_under_a_profile_without_execveat() {
        berth_only
        new_bundle
        # The stub is executed under the container's seccomp filter: a
        # profile that denies execveat gets a clear error, not a workload
        # run around the stub.
        cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [{names: ["execveat"], action: "SCMP_ACT_ERRNO"}]}'
        set_args echo should-not-run
        run_ctr x1
        assert_ne 0 "$RC" "run ($(lib_result))"
        assert_not_contains "$OUT" should-not-run "the workload's output"
        assert_contains "$ERR" "the seccomp profile must allow execveat" "the error"
}
