# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-selfexe.sh: CVE-2019-5736. A process in the container gets hold of
# the runtime's binary through /proc/<pid>/exe (of the waiting init, or of
# berth itself executed in the container through "#!/proc/self/exe"), waits
# for berth to exit, and writes through it. berth runs from a sealed memfd
# copy, so the writes fail and the host binary stays byte-identical.

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

se_sum() {
        sha256sum "$RUNTIME" | cut -d' ' -f1
}

test_selfexe_created_init_is_a_sealed_memfd() {
        berth_only
        se_bundle
        set_args sleep 1000
        local before
        before=$(se_sum)
        create_ctr s1
        # The init waits for `start` running berth's code, as pid 1 in the
        # container; a process there holds its exe open...
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

test_selfexe_shebang_exec_of_berth_cannot_overwrite_it() {
        berth_only
        se_bundle
        se_with_runtime_libs
        local before
        before=$(se_sum)
        # The original exploit: the workload makes the runtime execute itself
        # in the container ("#!/proc/self/exe"); here that berth blocks on a
        # fifo it opens as its log, so the watcher finds it for certain.
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
