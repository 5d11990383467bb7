# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-cve.sh: the container runtime CVEs, each attacking berth the way the
# original exploit attacked runc or crun. README ("Security") lists them
# with the test that covers each; CVE-2019-5736 lives in test-selfexe.sh and
# CVE-2023-25809 in test-spec.sh (test_spec_rootless_output_runs_as_root).

host_mounts() {
        awk '{ print $5 }' /proc/self/mountinfo | sort
}

# CVE-2019-16884: a volume over /proc makes the runtime write LSM labels
# and masks into a directory of the attacker's choosing.
test_cve_2019_16884_bind_over_proc_refused() {
        berth_only
        new_bundle
        mkdir -p "$TEST_TMP/fakeproc/self/attr"
        add_mount /proc bind "$TEST_TMP/fakeproc" rbind
        capture rt run -b "$BUNDLE" fakeproc
        assert_eq 1 "$RC" "exit status of a run with a directory bound over /proc"
        assert_contains "$ERR" "mount /proc: only a proc filesystem may be mounted at /proc"
        [[ -z $(ls -A "$TEST_TMP/fakeproc/self/attr") ]] || fail "berth wrote into the fake /proc"
}

# CVE-2019-19921: the image's symlink leads a mount into /proc, where it
# would cover what maskedPaths and readonlyPaths protect.
test_cve_2019_19921_symlink_into_proc_refused() {
        berth_only
        new_bundle
        private_rootfs
        ln -s /proc "$BUNDLE/rootfs/myproc"
        add_mount /myproc/sys tmpfs tmpfs
        capture rt run -b "$BUNDLE" symproc
        assert_eq 1 "$RC" "exit status of a run whose mount leads into /proc"
        assert_contains "$ERR" "mount /myproc/sys: inside /proc only bind mounts of the files lxcfs emulates are allowed"
}

# lxcfs's files stay mountable inside /proc, as with runc.
test_cve_lxcfs_files_still_allowed() {
        new_bundle
        echo "MemTotal: 1 kB" >"$TEST_TMP/meminfo"
        add_mount /proc/meminfo bind "$TEST_TMP/meminfo" bind ro
        set_sh 'cat /proc/meminfo'
        run_ok lxcfs
        assert_eq "MemTotal: 1 kB" "$OUT" "/proc/meminfo from a bind mount"
}

# The simple form of the same attack: the image's symlink to the host's
# /etc must not lead a mount out of the rootfs.
test_symlink_to_host_etc_does_not_redirect_a_mount() {
        new_bundle
        private_rootfs
        ln -s /etc "$BUNDLE/rootfs/evil"
        add_mount /evil/berth-probe tmpfs tmpfs
        set_sh 'cut -d" " -f5 /proc/self/mountinfo | grep berth-probe'
        run_ok evil
        assert_eq /etc/berth-probe "$OUT" "where the tmpfs is, inside the container"
        [[ -d $BUNDLE/rootfs/etc/berth-probe ]] || fail "the mount point was not made in the rootfs's /etc"
        [[ ! -e /etc/berth-probe ]] || fail "a mount point was made in the host's /etc"
}

# CVE-2021-30465: a mount destination swapped with a symlink to / while
# the runtime mounts, in a race (renameat2 RENAME_EXCHANGE in a loop). The
# mount must land inside the rootfs every time, never on the host.
test_cve_2021_30465_destination_swap_race() {
        new_bundle
        private_rootfs
        mkdir -p "$BUNDLE/rootfs/vol/target"
        ln -s / "$BUNDLE/rootfs/vol/link"
        add_mount /vol/target/race tmpfs tmpfs
        set_sh 'cut -d" " -f5 /proc/self/mountinfo | grep race'
        python3 - "$BUNDLE/rootfs/vol/target" "$BUNDLE/rootfs/vol/link" "$TEST_TMP/stop-swapping" <<'EOF' &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE, SYS_renameat2 = -100, 2, 316
a, b, stop = (p.encode() for p in sys.argv[1:])
while not os.path.exists(stop):
    libc.syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
EOF
        local swapper=$! before after i bad=""
        defer "touch '$TEST_TMP/stop-swapping'; wait $swapper"
        before=$(host_mounts)
        for ((i = 0; i < 20; i++)); do
                capture rt run -b "$BUNDLE" "race-$i"
                # A destination swapped for the symlink mid-resolution may
                # fail the run; it must never mount outside the rootfs.
                if [[ $RC == 0 ]] && ! grep -qE '^/(vol/(target|link)/)?race$' <<<"$OUT"; then
                        bad+="run $i: the tmpfs is not at /vol/target/race or /race: [$OUT]; "
                fi
        done
        : >"$TEST_TMP/stop-swapping"
        wait "$swapper"
        after=$(host_mounts)
        assert_eq "" "$bad" "where the raced tmpfs landed"
        assert_eq "$before" "$after" "host mounts after 20 raced runs"
        [[ ! -e /race ]] || fail "a mount point /race was made on the host"
}

# CVE-2022-29162: runc gave the workload inheritable capabilities that the
# config did not ask for, which a file with inheritable file capabilities
# could turn into privileges.
test_cve_2022_29162_no_unrequested_inheritable_caps() {
        new_bundle
        cfg 'del(.process.capabilities.inheritable)'
        set_sh 'grep -E "^Cap(Inh|Amb):" /proc/self/status'
        run_ok inh
        assert_eq $'CapInh:\t0000000000000000\nCapAmb:\t0000000000000000' "$OUT" \
                "inheritable and ambient sets of a process whose config names none"
        local spec
        spec=$(cd "$TEST_TMP" && "$RUNTIME" spec && cat config.json && rm config.json)
        assert_json '.process.capabilities.inheritable // [] | length == 0' "$spec" "berth spec's inheritable set"
}

# CVE-2024-21626: a runtime fd that is still open when the init changes to
# process.cwd lets cwd "/proc/self/fd/N" reach the host's filesystem.
test_cve_2024_21626_leaked_fd_as_cwd() {
        new_bundle
        local n escaped=""
        for n in 3 4 5 6 7 8 9 10 11 12 13 14 15; do
                cfg --arg c "/proc/self/fd/$n" '.process.cwd = $c'
                set_sh 'ls ../../..'
                capture rt run -b "$BUNDLE" "cwd-$n"
                # Either the fd is not there (the run fails before exec), or
                # the directory is inside the container.
                if [[ $RC == 0 ]]; then
                        escaped+="cwd /proc/self/fd/$n ran: [$OUT]; "
                elif [[ $ERR != *"chdir to cwd"* && $ERR != *"is outside the container"* ]]; then
                        escaped+="cwd /proc/self/fd/$n failed unexpectedly: [$ERR]; "
                fi
        done
        assert_eq "" "$escaped" "runs with a cwd through /proc/self/fd"
        new_bundle fds
        set_sh 'ls /proc/self/fd'
        run_ok fds
        # 0-2, and the fd ls itself opens to read the directory.
        assert_eq $'0\n1\n2\n3' "$OUT" "fds open in the workload"
}

# CVE-2025-31133: the image's /dev/null is a symlink to a file the runtime
# must not expose; maskedPaths bind /dev/null over secrets.
test_cve_2025_31133_dev_null_symlink_not_used_for_masking() {
        berth_only
        new_bundle
        private_rootfs
        # /dev from the image (no tmpfs), where null points elsewhere.
        cfg '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))'
        cfg '.linux.maskedPaths = ["/proc/keys"] | .linux.devices = []'
        mkdir -p "$BUNDLE/rootfs/dev"
        ln -s /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/dev/null"
        local pattern
        pattern=$(</proc/sys/kernel/core_pattern)
        capture rt run -b "$BUNDLE" nullsym
        assert_eq 1 "$RC" "exit status with /dev/null a symlink"
        assert_contains "$ERR" "/dev/null is not the null device"
        assert_eq "$pattern" "$(</proc/sys/kernel/core_pattern)" "the host's core_pattern"
}

# CVE-2025-52565: the runtime mounts the pty on /dev/console; an image
# whose /dev/console is a symlink (the race's end state) redirects that
# mount to a file of its choosing.
test_cve_2025_52565_dev_console_symlink_not_followed() {
        berth_only
        new_bundle
        private_rootfs
        cfg '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))'
        cfg '.mounts += [{destination: "/dev/pts", type: "devpts", source: "devpts", options: ["newinstance", "ptmxmode=0666"]}]'
        cfg '.process.terminal = true | .linux.devices = [] | .linux.maskedPaths = []'
        mkdir -p "$BUNDLE/rootfs/dev"
        echo "untouched" >"$TEST_TMP/target"
        ln -s "$TEST_TMP/target" "$BUNDLE/rootfs/dev/console"
        python3 "$(dirname "${BASH_SOURCE[0]}")/helpers/console-recv.py" "$TEST_TMP/console.sock" "$TEST_TMP/console.out" &
        local recv=$!
        defer "kill $recv 2>/dev/null"
        wait_file "$TEST_TMP/console.sock.ready"
        capture rt create -b "$BUNDLE" --console-socket "$TEST_TMP/console.sock" consym
        assert_eq 1 "$RC" "exit status of create with /dev/console a symlink"
        assert_contains "$ERR" "/dev/console is not a file or a device (a symlink?): refusing to mount over it"
        assert_eq "untouched" "$(<"$TEST_TMP/target")" "the file the symlink points at"
        awk '{ print $5 }' /proc/self/mountinfo | grep -qx "$TEST_TMP/target" && fail "the pty was mounted on the host file"
        return 0
}

# CVE-2025-52881: a mount over a /proc/sys file redirects the runtime's
# sysctl write to a file of the attacker's choosing.
test_cve_2025_52881_sysctl_write_not_redirected() {
        berth_only
        new_bundle
        echo "untouched" >"$TEST_TMP/target"
        cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
        add_mount /proc/sys/net/ipv4/ip_forward bind "$TEST_TMP/target" bind
        capture rt run -b "$BUNDLE" sysredir
        assert_eq 1 "$RC" "exit status with a file bound over a sysctl"
        assert_contains "$ERR" "inside /proc only bind mounts of the files lxcfs emulates are allowed"
        assert_eq "untouched" "$(<"$TEST_TMP/target")" "the file bound over the sysctl"
}
