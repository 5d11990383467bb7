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

# rl_rt ARGS...: berth as the user, with its state root; sets RC, OUT, ERR.
rl_rt() {
        capture runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" "$@"
}

rl_status() {
        rl_rt state "$1"
        jq -r .status <<<"$OUT"
}

test_rootless_lifecycle() {
        rl_setup
        set_sh 'sleep 30'
        rl_rt create -b "$BUNDLE" r5
        [[ $RC == 0 ]] || fail "rootless create: $(lib_result)"
        assert_eq created "$(rl_status r5)" "status after create"
        rl_rt start r5
        [[ $RC == 0 ]] || fail "rootless start: $(lib_result)"
        assert_eq running "$(rl_status r5)" "status after start"
        rl_rt state r5
        local pid
        pid=$(jq -r .pid <<<"$OUT")
        assert_eq "$RL_UID" "$(stat -c %u "/proc/$pid")" "host owner of the container's init"
        rl_rt kill r5 KILL
        [[ $RC == 0 ]] || fail "rootless kill: $(lib_result)"
        wait_for 10 eval '[[ $(rl_status r5) == stopped ]]' || fail "still $(rl_status r5) after kill"
        rl_rt delete r5
        [[ $RC == 0 ]] || fail "rootless delete: $(lib_result)"
        rl_rt list -q
        assert_eq "" "$OUT" "containers left"
}

test_rootless_isolation() {
        rl_setup
        set_sh 'echo $$; hostname; ls -d /proc/[0-9]* | wc -l; cat /proc/self/uid_map | wc -l'
        rl_run r6
        [[ $RC == 0 ]] || fail "rootless run: $(lib_result)"
        # pid 1, berth's hostname, only the container's processes (sh and
        # the pipeline's), and the one-id map.
        local lines
        mapfile -t lines <<<"$OUT"
        assert_eq 1 "${lines[0]}" "the workload's pid"
        assert_eq berth "${lines[1]}" "hostname"
        ((lines[2] <= 4)) || fail "the container sees ${lines[2]} processes: [$OUT]"
        assert_eq 1 "${lines[3]}" "lines in uid_map"
}

# Without --root: $XDG_RUNTIME_DIR/berth, or /tmp/berth-UID without it;
# either is made 0700 and must be the user's alone.
test_rootless_default_state_root() {
        rl_setup
        set_sh 'sleep 30'
        local xdg=$TEST_TMP/xdg fallback=/tmp/berth-$RL_UID
        install -d -m 0700 -o "$RL_USER" "$xdg"
        rm -rf "$fallback"
        defer "rm -rf '$fallback'"
        capture runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR="$xdg" "$RUNTIME" create -b "$BUNDLE" r7
        [[ $RC == 0 ]] || fail "create without --root: $(lib_result)"
        assert_eq "700 $RL_USER" "$(stat -c '%a %U' "$xdg/berth")" "mode and owner of \$XDG_RUNTIME_DIR/berth"
        [[ -d $xdg/berth/r7 ]] || fail "no state directory in $xdg/berth"
        capture runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR="$xdg" "$RUNTIME" delete -f r7
        [[ $RC == 0 ]] || fail "delete without --root: $(lib_result)"

        capture runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR "$RUNTIME" create -b "$BUNDLE" r8
        [[ $RC == 0 ]] || fail "create without XDG_RUNTIME_DIR: $(lib_result)"
        assert_eq "700 $RL_USER" "$(stat -c '%a %U' "$fallback")" "mode and owner of the /tmp fallback"
        [[ -d $fallback/r8 ]] || fail "no state directory in $fallback"
        capture runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR "$RUNTIME" delete -f r8
        [[ $RC == 0 ]] || fail "delete without XDG_RUNTIME_DIR: $(lib_result)"

        # A fallback someone else made first is refused, not used.
        rm -rf "$fallback"
        install -d -m 0755 -o root "$fallback"
        capture runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR "$RUNTIME" list -q
        [[ $RC == 1 ]] || fail "list with a planted state root: expected exit 1, got $(lib_result)"
        assert_contains "$ERR" "state root $fallback belongs to uid 0, not to uid $RL_UID"
}

# Root inside a user namespace of its own (`unshare -r`, as crun's CI runs
# its suite): only its own id is mapped, and the rootless spec runs.
test_unshare_r_rootless_spec() {
        berth_only
        local d=$TEST_TMP/unshare
        mkdir -p "$d"
        (cd "$d" && "$RUNTIME" spec --rootless) || die "spec --rootless"
        BUNDLE=$d
        cfg --arg r "$ROOTFS" '.process.terminal = false | .root.path = $r'
        set_sh 'id -u; echo $$; cat /proc/self/uid_map'
        capture unshare -r "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" u1
        [[ $RC == 0 ]] || fail "run under unshare -r: $(lib_result)"
        assert_eq "0
1
$(printf '%10s %10s %10s' 0 0 1)" "$OUT" "uid, pid and uid_map inside"
        capture unshare -r "$RUNTIME" --root "$STATE_ROOT" create -b "$BUNDLE" u2
        [[ $RC == 0 ]] || fail "create under unshare -r: $(lib_result)"
        capture unshare -r "$RUNTIME" --root "$STATE_ROOT" delete -f u2
        [[ $RC == 0 ]] || fail "delete under unshare -r: $(lib_result)"
}

# Detached, under the shim that a user's shell gets: its exit, its log.
test_rootless_shim_wait_and_logs() {
        rl_setup
        set_sh 'echo rootless-out; exit 3'
        rl_rt run -d -b "$BUNDLE" r9
        [[ $RC == 0 ]] || fail "rootless run -d: $(lib_result)"
        rl_rt wait r9
        assert_eq 3 "$RC" "rootless wait: $(lib_result)"
        rl_rt logs r9
        assert_eq rootless-out "$OUT" "rootless logs"
        rl_rt state r9
        assert_json '.status == "stopped" and .exitCode == 3' "$OUT" "rootless state"
        assert_eq "$RL_UID" "$(stat -c %u "$RL_STATE/r9/container.log")" "owner of the log"
        rl_rt delete r9
        [[ $RC == 0 ]] || fail "rootless delete: $(lib_result)"
}

# A terminal in the user namespace: the shim holds the pty, attach types.
test_rootless_terminal_attach() {
        rl_setup
        cfg '.process.terminal = true'
        set_args sh
        rl_rt run -d -b "$BUNDLE" r10
        [[ $RC == 0 ]] || fail "rootless run -d -t: $(lib_result)"
        local rc
        { sleep 0.5; echo 'echo tty-$((20+3)); tty'; sleep 0.5; echo 'exit 4'; } |
                runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" attach r10 >"$TEST_TMP/attach.out" 2>&1
        rc=${PIPESTATUS[1]}
        assert_eq 4 "$rc" "rootless attach's exit"
        assert_contains "$(<"$TEST_TMP/attach.out")" "tty-23" "what attach printed"
        assert_line_match '^/dev/pts/[0-9]+' "$(tr -d '\r' <"$TEST_TMP/attach.out")" "the container's terminal"
}

# A filter loads in the user namespace (no_new_privs) and holds.
test_rootless_seccomp() {
        rl_setup
        cfg '.process.noNewPrivileges = true
             | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                 syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
        set_sh 'mkdir /tmp/blocked 2>&1; echo "rc=$?"; grep Seccomp: /proc/self/status'
        rl_run r11
        [[ $RC == 0 ]] || fail "rootless run with seccomp: $(lib_result)"
        assert_contains "$OUT" "Operation not permitted" "mkdir under the filter"
        assert_contains "$OUT" "rc=1"
        assert_line_match '^Seccomp:[[:space:]]+2$' "$OUT" "seccomp mode"
}

# The core as a user with subordinate ids: create, exec as another mapped
# user, a poststart hook, the shim's record of the exit, delete.
test_rootless_subids_lifecycle_exec_hooks() {
        rl_setup
        command -v newuidmap >/dev/null || die "newuidmap not installed (package uidmap)"
        rl_subids
        local hooklog=$TEST_TMP/hooks.log
        touch "$hooklog"
        chown "$RL_USER" "$hooklog"
        cfg --arg f "$hooklog" '
                .hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo createRuntime $(id -u) >> " + $f]}]
                | .hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c", "echo poststart >> " + $f]}]
                | .hooks.poststop = [{path: "/bin/sh", args: ["sh", "-c", "echo poststop >> " + $f]}]'
        set_args sleep 30
        rl_rt create -b "$BUNDLE" r12
        [[ $RC == 0 ]] || fail "rootless create with subids: $(lib_result)"
        rl_rt start r12
        [[ $RC == 0 ]] || fail "rootless start: $(lib_result)"
        rl_rt exec -u 1000:1000 r12 sh -c 'id -u; id -g; grep -c . /proc/self/uid_map'
        assert_eq 0 "$RC" "rootless exec as uid 1000: $(lib_result)"
        assert_eq $'1000\n1000\n2' "$OUT" "uid, gid and map lines of the exec'd process"
        rl_rt kill r12 KILL
        rl_rt wait r12
        assert_eq 137 "$RC" "wait after KILL: $(lib_result)"
        wait_for 10 grep -q poststop "$hooklog" || fail "poststop did not run: $(<"$hooklog")"
        assert_eq "createRuntime $RL_UID
poststart
poststop" "$(<"$hooklog")" "the hooks, in order, run as the user"
        rl_rt delete r12
        [[ $RC == 0 ]] || fail "rootless delete: $(lib_result)"
}
