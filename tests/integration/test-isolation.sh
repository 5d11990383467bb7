# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-isolation.sh: namespaces, hostname, processes, network and mounts as
# the workload sees them.

test_hostname_from_config() {
        new_bundle
        set_args hostname
        local want host_before
        want=$(cfg_get .hostname)
        [[ -n $want && $want != null ]] || die "the base config has no hostname"
        host_before=$(hostname)
        run_ok h1
        assert_eq "$want" "$OUT" "hostname inside the container"
        assert_eq "$host_before" "$(hostname)" "the host's hostname afterwards"
}

test_hostname_custom() {
        new_bundle
        cfg '.hostname = "it-custom-host"'
        set_sh 'hostname; cat /proc/sys/kernel/hostname'
        run_ok h1
        assert_eq $'it-custom-host\nit-custom-host' "$OUT" "hostname inside the container"
}

test_workload_is_pid1() {
        new_bundle
        set_sh 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
        run_ok p1
        local script
        script=$(cfg_get '.process.args[2]')
        assert_eq "1"$'\n'"sh -c $script " "$OUT" "pid and cmdline of pid 1"
}

test_ps_shows_only_container_processes() {
        new_bundle
        # "; true" keeps busybox sh from running ps in its own process.
        set_sh 'ps -o pid,comm; true'
        run_ok p1
        local lines
        lines=$(tail -n +2 <<<"$OUT")
        assert_eq 2 "$(grep -c '' <<<"$lines")" "processes listed by ps (the workload and ps) [$OUT]"
        assert_match '^ *1 +sh$' "$(head -n1 <<<"$lines")" "pid 1 is the workload"
        assert_match '^ *[0-9]+ +ps$' "$(tail -n1 <<<"$lines")" "the other process is ps"
}

test_proc_shows_pid_namespace() {
        new_bundle
        set_sh 'cd /proc && echo [0-9]*'
        run_ok p1
        # Only the shell (pid 1) exists: the glob runs inside it.
        assert_eq 1 "$OUT" "numeric entries of /proc"
}

test_loopback_up() {
        new_bundle
        set_sh 'cat /sys/class/net/lo/flags; cat /sys/class/net/lo/operstate; ip link show lo | head -n1; ls /sys/class/net'
        run_ok n1
        local flags
        flags=$(sed -n 1p <<<"$OUT")
        assert_match '^0x[0-9a-f]+$' "$flags" "lo flags"
        ((flags & 1)) || fail "lo is not up: flags $flags"
        assert_eq unknown "$(sed -n 2p <<<"$OUT")" "lo operstate (unknown is how lo reports up)"
        assert_match '<[A-Z_,]*(,|<)?UP[,>]' "$(sed -n 3p <<<"$OUT")" "ip link show lo"
        assert_eq lo "$(tail -n +4 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" "network interfaces in the container"
}

test_namespaces_differ_from_host() {
        new_bundle
        set_args sleep 1000
        add_ns cgroup
        create_ctr n1
        local pid ns host ctr
        pid=$(pid_of n1)
        for ns in pid mnt uts ipc net cgroup; do
                host=$(readlink "/proc/self/ns/$ns")
                ctr=$(readlink "/proc/$pid/ns/$ns") || fail "cannot read /proc/$pid/ns/$ns"
                assert_ne "$host" "$ctr" "$ns namespace of the container"
        done
}

test_namespace_not_requested_is_shared() {
        new_bundle
        set_args sleep 1000
        drop_ns network
        drop_ns ipc
        create_ctr n1
        local pid ns
        pid=$(pid_of n1)
        for ns in net ipc; do
                assert_eq "$(readlink "/proc/self/ns/$ns")" "$(readlink "/proc/$pid/ns/$ns")" "$ns namespace when not requested"
        done
        assert_ne "$(readlink /proc/self/ns/uts)" "$(readlink "/proc/$pid/ns/uts")" "uts namespace"
}

test_cgroup_namespace() {
        new_bundle
        add_ns cgroup
        set_args cat /proc/self/cgroup
        run_ok g1
        [[ -n $OUT ]] || fail "/proc/self/cgroup is empty"
        local line
        while IFS= read -r line; do
                [[ $line == *:/ ]] || fail "with a cgroup namespace every cgroup path is /, got [$line] in [$OUT]"
        done <<<"$OUT"
}

test_ipc_isolated() {
        local shmid
        shmid=$(ipcmk -M 4096 | grep -oE '[0-9]+$') || die "ipcmk failed"
        defer "ipcrm -m $shmid"
        new_bundle
        set_args cat /proc/sysvipc/shm
        run_ok i1
        assert_eq 1 "$(grep -c '' <<<"$OUT")" "lines of /proc/sysvipc/shm in the container (header only) [$OUT]"
        grep -qE "^ *-?[0-9]+ +$shmid " /proc/sysvipc/shm || die "the host segment $shmid is missing on the host"
}

# explicit_mounts: replace the config's mounts by a known list, so these
# checks do not depend on what `spec` generates.
explicit_mounts() {
        cfg '.mounts = [
          {destination: "/proc", type: "proc", source: "proc"},
          {destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
          {destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
          {destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
          {destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]},
          {destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]}
        ]'
}

test_default_mounts() {
        new_bundle
        explicit_mounts
        set_args cat /proc/self/mountinfo
        run_ok m1
        local mi=$OUT
        mnt_get "$mi" /
        assert_opt "$MNT_OPTS" ro "/ (root.readonly is true)"
        mnt_get "$mi" /proc
        assert_eq proc "$MNT_TYPE" "/proc type"
        mnt_get "$mi" /dev
        assert_eq tmpfs "$MNT_TYPE" "/dev type"
        assert_opt "$MNT_OPTS" nosuid "/dev"
        assert_opt "$MNT_SUPER" mode=755 "/dev superblock"
        assert_opt "$MNT_SUPER" size=65536k "/dev superblock"
        mnt_get "$mi" /dev/pts
        assert_eq devpts "$MNT_TYPE" "/dev/pts type"
        assert_opt "$MNT_OPTS" nosuid "/dev/pts"
        assert_opt "$MNT_OPTS" noexec "/dev/pts"
        assert_opt "$MNT_SUPER" mode=620 "/dev/pts superblock"
        assert_opt "$MNT_SUPER" ptmxmode=666 "/dev/pts superblock"
        assert_opt "$MNT_SUPER" gid=5 "/dev/pts superblock"
        mnt_get "$mi" /dev/shm
        assert_eq tmpfs "$MNT_TYPE" "/dev/shm type"
        local o
        for o in nosuid nodev noexec; do
                assert_opt "$MNT_OPTS" "$o" "/dev/shm"
        done
        assert_opt "$MNT_SUPER" size=65536k "/dev/shm superblock"
        mnt_get "$mi" /dev/mqueue
        assert_eq mqueue "$MNT_TYPE" "/dev/mqueue type"
        for o in nosuid nodev noexec; do
                assert_opt "$MNT_OPTS" "$o" "/dev/mqueue"
        done
        mnt_get "$mi" /sys
        assert_eq sysfs "$MNT_TYPE" "/sys type"
        for o in ro nosuid nodev noexec; do
                assert_opt "$MNT_OPTS" "$o" "/sys"
        done
}

test_spec_default_mounts_visible() {
        # The mounts of the base config (from `spec`) are all there.
        new_bundle
        set_args cat /proc/self/mountinfo
        run_ok m1
        local d
        for d in $(cfg_get '.mounts[].destination'); do
                mnt_get "$OUT" "$d"
        done
}

test_bind_mount_host_dir() {
        new_bundle
        local host=$TEST_TMP/hostdir
        mkdir -p "$host"
        chmod 777 "$host"
        echo from-host >"$host/in"
        add_mount /mnt/a bind "$host" rbind rw
        set_sh 'cat /mnt/a/in; echo from-container > /mnt/a/out; grep " /mnt/a " /proc/self/mountinfo'
        run_ok b1
        assert_eq from-host "$(sed -n 1p <<<"$OUT")" "host file read in the container"
        assert_eq from-container "$(cat "$host/out" 2>/dev/null)" "file written by the container, seen on the host"
        mnt_get "$(tail -n +2 <<<"$OUT")" /mnt/a
        assert_opt "$MNT_OPTS" rw "/mnt/a"
}

test_bind_mount_readonly() {
        new_bundle
        local host=$TEST_TMP/hostdir
        mkdir -p "$host"
        echo data >"$host/in"
        add_mount /mnt/a bind "$host" rbind ro
        set_sh 'cat /mnt/a/in; if echo x > /mnt/a/new 2>/dev/null; then echo WROTE; fi; cat /proc/self/mountinfo'
        run_ok b1
        assert_eq data "$(sed -n 1p <<<"$OUT")" "file read through a read-only bind"
        assert_not_contains "$OUT" WROTE "a write to a read-only bind mount"
        [[ ! -e $host/new ]] || fail "the container wrote through a read-only bind mount"
        mnt_get "$OUT" /mnt/a
        assert_opt "$MNT_OPTS" ro "/mnt/a"
}

test_tmpfs_with_options() {
        new_bundle
        add_mount /mnt/b tmpfs tmpfs nosuid nodev noexec size=1m mode=700
        set_sh 'echo x > /mnt/b/f && cat /mnt/b/f; cat /proc/self/mountinfo'
        run_ok t1
        assert_eq x "$(sed -n 1p <<<"$OUT")" "a file written to the tmpfs"
        mnt_get "$OUT" /mnt/b
        assert_eq tmpfs "$MNT_TYPE" "/mnt/b type"
        local o
        for o in nosuid nodev noexec; do
                assert_opt "$MNT_OPTS" "$o" "/mnt/b"
        done
        assert_opt "$MNT_SUPER" size=1024k "/mnt/b superblock"
        assert_opt "$MNT_SUPER" mode=700 "/mnt/b superblock"
}

# tmpcopyup (runc's extension; Podman's --read-only and --tmpfs ask for it):
# the tmpfs starts with a copy of the directory it covers, owners, modes and
# symlinks included, a symlink copied as a link, never followed out of the
# rootfs; "ro" makes it read-only once filled; the image is not written.
test_tmpfs_tmpcopyup() {
        new_bundle
        private_rootfs
        local d=$BUNDLE/rootfs/data
        mkdir -p "$d/sub"
        echo hello >"$d/file"
        echo deep >"$d/sub/deep"
        chown 1000:2000 "$d/sub/deep"
        chmod 4755 "$d/sub/deep"
        chmod 710 "$d"
        ln -s /etc/hostname-of-host "$d/link"
        touch -d 2001-02-03 "$d/file"
        add_mount /data tmpfs tmpfs tmpcopyup ro
        set_sh 'cat /data/file /data/sub/deep; stat -c "%n %a %u:%g" /data /data/sub/deep; readlink /data/link
date -r /data/file +%Y; grep " /data " /proc/self/mountinfo; touch /data/new 2>/dev/null && echo WROTE; true'
        run_ok cu
        assert_eq hello "$(sed -n 1p <<<"$OUT")" "a copied file"
        assert_eq deep "$(sed -n 2p <<<"$OUT")" "a file in a copied directory"
        assert_eq "/data 710 0:0" "$(sed -n 3p <<<"$OUT")" "the tmpfs root's mode"
        assert_eq "/data/sub/deep 4755 1000:2000" "$(sed -n 4p <<<"$OUT")" "owner and mode of a copied file"
        assert_eq /etc/hostname-of-host "$(sed -n 5p <<<"$OUT")" "a copied symlink"
        # runc leaves the copies' times at the copy's; berth keeps them.
        [[ -n ${BERTH_TEST_RUNTIME:-} ]] || assert_eq 2001 "$(sed -n 6p <<<"$OUT")" "a copied file's mtime"
        mnt_get "$OUT" /data
        assert_eq tmpfs "$MNT_TYPE" "/data type"
        assert_opt "$MNT_OPTS" ro "/data"
        assert_not_contains "$OUT" WROTE "a write to the read-only tmpfs"
        [[ ! -e $d/new ]] || fail "the image's directory was written"
        # runc ignores tmpcopyup on anything but a tmpfs; berth refuses it.
        berth_only
        new_bundle b2
        add_mount /mnt/a bind "$TEST_TMP" bind tmpcopyup
        add_mount /mnt/b mqueue mqueue tmpcopyup
        capture rt run -b "$BUNDLE" cu2
        assert_ne 0 "$RC" "tmpcopyup on an mqueue"
        assert_contains "$ERR" "mount /mnt/b: tmpcopyup applies to tmpfs only, not mqueue"
}

test_root_readonly() {
        new_bundle
        cfg '.root.readonly = true'
        set_sh 'if touch /newfile 2>/dev/null; then echo WROTE; fi; echo x > /tmp/f 2>/dev/null && echo TMPWROTE; grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo'
        run_ok r1
        assert_not_contains "$OUT" WROTE "writing to a read-only root"
        [[ ! -e $ROOTFS/newfile && ! -e $ROOTFS/tmp/f ]] || fail "the container wrote into its read-only rootfs"
        mnt_get "$OUT" /
        assert_opt "$MNT_OPTS" ro "/"
}

test_root_writable() {
        new_bundle
        private_rootfs
        set_sh 'echo made > /newfile && cat /newfile'
        run_ok r1
        assert_eq made "$OUT" "a file written to a writable root"
        assert_eq made "$(cat "$BUNDLE/rootfs/newfile" 2>/dev/null)" "the file on the host"
}

test_default_devices() {
        new_bundle
        set_sh 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T %u:%g %a" /dev/$d)"; done
echo x > /dev/null && echo null-ok
head -c 5 /dev/zero | wc -c
for l in fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done
ls /dev/vda /dev/sda /dev/mem 2>/dev/null; true'
        run_ok d1
        local want
        want='null character special file 1:3 0:0 666
zero character special file 1:5 0:0 666
full character special file 1:7 0:0 666
random character special file 1:8 0:0 666
urandom character special file 1:9 0:0 666
tty character special file 5:0 0:0 666
null-ok
5
fd -> /proc/self/fd
stdin -> /proc/self/fd/0
stdout -> /proc/self/fd/1
stderr -> /proc/self/fd/2'
        assert_eq "$want" "$OUT" "devices and /dev symlinks"
}

test_dev_pts_and_shm_usable() {
        new_bundle
        set_sh 'echo shm > /dev/shm/f && cat /dev/shm/f; test -c /dev/ptmx && echo ptmx; test -c /dev/pts/ptmx && echo pts-ptmx'
        run_ok d1
        assert_eq $'shm\nptmx\npts-ptmx' "$OUT" "/dev/shm, /dev/ptmx and /dev/pts"
}
