# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-exec.sh: `exec` into a running container: namespaces, cgroup, the
# process's attributes from config.json and the flags that change them,
# exit codes, --detach/--pid-file, --process (as conmon and containerd
# call it, with and without a console socket), and the refusals.

EXEC_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers

# ex_start ID [JQ-FILTER]: a fresh bundle whose init sleeps, run detached.
ex_start() {
        new_bundle
        set_args sleep 1000
        [[ -n ${2:-} ]] && cfg "$2"
        run_detached "$1"
        wait_status "$1" running
}

# ex [FLAGS...] ID ARGS...: exec in the foreground; sets RC, OUT, ERR.
ex() {
        capture rt exec "$@"
}

ex_ok() {
        ex "$@"
        [[ $RC == 0 ]] || fail "exec $*: expected exit 0, got $(lib_result)"
}

# ex_process_json ARGS...: a process.json (as conmon writes it) from the
# bundle's process with these args; prints its path.
ex_process_json() {
        local f=$TEST_TMP/process.$RANDOM.json
        jq --argjson a "$(json_array "$@")" '.process | .args = $a' "$BUNDLE/config.json" >"$f" || die "process.json"
        echo "$f"
}

test_exec_sees_pid1_and_hostname() {
        ex_start x1 '.hostname = "exec-host"'
        ex_ok x1 sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; hostname; echo $$'
        assert_eq $'sleep 1000 \nexec-host' "$(head -2 <<<"$OUT")" "pid 1 and hostname seen by exec"
        assert_ne 1 "$(tail -1 <<<"$OUT")" "the exec'd process's pid"
}

test_exec_joins_every_namespace_of_the_init() {
        ex_start x2 '.linux.namespaces += [{type: "time"}, {type: "cgroup"}]'
        ex_ok x2 sh -c 'for n in pid mnt net uts ipc cgroup time user; do
                [ "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/1/ns/$n)" ] || echo "differs: $n"; done; echo done'
        assert_eq "done" "$OUT" "namespaces of the exec'd process against the init's"
        local pid
        pid=$(pid_of x2)
        [[ $(readlink "/proc/$pid/ns/net") != $(readlink /proc/self/ns/net) ]] || die "the container shares the host's net ns"
}

test_exec_time_namespace_gets_the_offsets() {
        ex_start x3 '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}}'
        ex_ok x3 cat /proc/uptime
        local up=${OUT%%.*} host
        host=$(cut -d. -f1 /proc/uptime)
        ((up >= host + 864000 - 5)) || fail "uptime in exec: $up, host: $host (offset 864000 not applied)"
}

test_exec_cgroup_membership() {
        berth_only
        ex_start x4
        local pid
        pid=$(pid_of x4)
        ex_ok x4 sh -c 'grep "^0::" /proc/self/cgroup; grep "^0::" /proc/1/cgroup'
        assert_eq "$(sed -n 1p <<<"$OUT")" "$(sed -n 2p <<<"$OUT")" "cgroup of exec and init"
        capture rt exec -d --pid-file "$TEST_TMP/p" x4 sleep 100
        [[ $RC == 0 ]] || fail "exec -d: $(lib_result)"
        local epid cg
        epid=$(<"$TEST_TMP/p")
        cg=$(grep '^0::' "/proc/$pid/cgroup")
        assert_eq "$cg" "$(grep '^0::' "/proc/$epid/cgroup")" "host view of the exec'd process's cgroup"
}

test_exec_env_from_config_and_flags() {
        ex_start x5 '.process.env = ["PATH=/bin", "FROMCFG=1"]'
        ex_ok -e FOO=bar -e "SP=a b" x5 env
        local env
        env=$(grep -E '^(PATH|FROMCFG|FOO|SP)=' <<<"$OUT" | sort)
        assert_eq $'FOO=bar\nFROMCFG=1\nPATH=/bin\nSP=a b' "$env" "environment of the exec'd process"
}

test_exec_cwd() {
        ex_start x6 '.process.cwd = "/tmp"'
        ex_ok x6 pwd
        assert_eq /tmp "$OUT" "cwd from config.json"
        ex_ok --cwd /root x6 pwd
        assert_eq /root "$OUT" "--cwd"
}

test_exec_user_and_additional_gids() {
        ex_start x7 '.process.user = {uid: 0, gid: 0}'
        ex_ok -u 1000:1000 -g 2000 -g 3000 x7 id
        assert_eq "uid=1000(user) gid=1000(user) groups=2000(extra),3000(more)" "$OUT" "-u and -g"
        ex_ok -u 1000 x7 id -u
        assert_eq 1000 "$OUT" "-u without a group"
}

test_exec_caps_from_config_and_cap_flag() {
        ex_start x8 '.process.capabilities = {bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"],
                permitted: ["CAP_KILL"], inheritable: [], ambient: []}'
        ex_ok x8 cat /proc/self/status
        assert_eq "$(cap_mask CAP_KILL)" "$(status_field "$OUT" CapEff)" "CapEff from config.json"
        assert_eq "$(cap_mask CAP_KILL CAP_CHOWN)" "$(status_field "$OUT" CapBnd)" "CapBnd from config.json"
        ex_ok --cap CAP_NET_ADMIN x8 cat /proc/self/status
        assert_eq "$(cap_mask CAP_KILL CAP_NET_ADMIN)" "$(status_field "$OUT" CapEff)" "CapEff with --cap"
        assert_eq "$(cap_mask CAP_KILL CAP_CHOWN CAP_NET_ADMIN)" "$(status_field "$OUT" CapBnd)" "CapBnd with --cap"
}

test_exec_rlimits_and_no_new_privs() {
        ex_start x9 '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 123, hard: 456}] | .process.noNewPrivileges = false'
        ex_ok x9 sh -c 'ulimit -n; ulimit -Hn; grep NoNewPrivs /proc/self/status'
        assert_eq $'123\n456\nNoNewPrivs:\t0' "$OUT" "rlimits and no_new_privs from config.json"
        ex_ok --no-new-privs x9 grep NoNewPrivs /proc/self/status
        assert_eq $'NoNewPrivs:\t1' "$OUT" "--no-new-privs"
}

test_exec_resets_signals_the_caller_ignores() {
        ex_start x31
        capture "$EXEC_HELPERS/ignore-exec.py" 1 10 13 32 33 -- \
                "$RUNTIME" --root "$STATE_ROOT" exec x31 grep -E '^Sig(Ign|Blk):' /proc/self/status
        [[ $RC == 0 ]] || fail "exec: expected exit 0, got $(lib_result)"
        assert_eq $'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000' "$OUT" \
                "blocked and ignored signals of a process exec'd with HUP, USR1, PIPE, 32 and 33 ignored"
}

test_exec_exit_codes() {
        ex_start x10
        ex x10 sh -c 'exit 7'
        assert_eq 7 "$RC" "exit status"
        ex x10 sh -c 'kill -KILL $$'
        assert_eq 137 "$RC" "killed by SIGKILL"
        ex x10 sh -c 'kill -TERM $$'
        assert_eq 143 "$RC" "killed by SIGTERM"
}

test_exec_missing_command_fails_clearly() {
        ex_start x11
        assert_fails rt exec x11 no-such-command
        assert_contains "$ERR" 'exec: "no-such-command": executable file not found in $PATH'
}

test_exec_stdin_and_pipes_pass_through() {
        ex_start x12
        local out
        out=$(echo "through a pipe" | rt exec x12 cat) || fail "exec cat with a pipe failed"
        assert_eq "through a pipe" "$out" "stdin/stdout of the exec'd process"
}

test_exec_detach_and_pid_file() {
        ex_start x13
        local t0=$SECONDS
        capture rt exec -d --pid-file "$TEST_TMP/x13.pid" x13 sh -c 'sleep 30'
        [[ $RC == 0 ]] || fail "exec -d: $(lib_result)"
        ((SECONDS - t0 < 10)) || fail "exec -d did not return at once"
        local epid
        epid=$(<"$TEST_TMP/x13.pid")
        pid_alive "$epid" || fail "the detached process $epid is not running"
        assert_eq "$(readlink "/proc/$(pid_of x13)/ns/pid")" "$(readlink "/proc/$epid/ns/pid")" "pid ns of the detached process"
        assert_contains "$(cmdline_of "$epid")" "sleep 30" "cmdline of the pid file's process"
}

# berth steps into the container's pid and mount namespaces to start the
# process and back out: a relative --pid-file still lands in the caller's
# directory on the host, and a later exec still finds the container.
test_exec_pid_file_relative_to_the_callers_directory() {
        ex_start x32
        mkdir -p "$TEST_TMP/rel"
        (cd "$TEST_TMP/rel" && capture rt exec -d --pid-file sub.pid x32 sleep 31 && [[ $RC == 0 ]]) ||
                fail "exec -d with a relative pid file failed"
        [[ -s $TEST_TMP/rel/sub.pid ]] || fail "no pid file at $TEST_TMP/rel/sub.pid"
        assert_contains "$(cmdline_of "$(<"$TEST_TMP/rel/sub.pid")")" "sleep 31" "cmdline of the pid file's process"
        [[ ! -e $ROOTFS/sub.pid ]] || fail "the pid file was written inside the container's rootfs"
        ex_ok x32 cat /proc/self/cgroup
}

test_exec_process_file_as_conmon_calls_it() {
        ex_start x14
        local pf
        pf=$(ex_process_json sh -c 'echo "from process.json $FOO"; pwd; id -u')
        jq '.env += ["FOO=bar"] | .cwd = "/tmp" | .user = {uid: 1000, gid: 1000}' "$pf" >"$pf.new" && mv "$pf.new" "$pf"
        rt exec --process "$pf" --detach --pid-file "$TEST_TMP/x14.pid" x14 >"$TEST_TMP/x14.exec.out" 2>&1 </dev/null ||
                fail "exec --process --detach --pid-file failed: $(cat "$TEST_TMP/x14.exec.out")"
        wait_gone "$(<"$TEST_TMP/x14.pid")"
        assert_eq $'from process.json bar\n/tmp\n1000' "$(cat "$TEST_TMP/x14.exec.out")" "output of the process.json process"
        # A process.json with an error names the file and the field.
        echo '{"args": "sh", "cwd": "/"}' >"$TEST_TMP/bad.json"
        assert_fails rt exec --process "$TEST_TMP/bad.json" x14
        assert_contains "$ERR" "bad.json: .args"
}

test_exec_tty_through_console_socket_as_containerd_calls_it() {
        ex_start x15
        local pf sock=$TEST_TMP/console.sock
        pf=$(ex_process_json sh -c 'tty; stty size; echo tty-ok')
        jq '.terminal = true | .consoleSize = {height: 30, width: 90}' "$pf" >"$pf.new" && mv "$pf.new" "$pf"
        python3 "$EXEC_HELPERS/console-recv.py" "$sock" "$TEST_TMP/console.out" &
        defer "kill $! 2>/dev/null"
        wait_file "$sock.ready"
        capture rt exec --process "$pf" --detach --pid-file "$TEST_TMP/x15.pid" --console-socket "$sock" x15
        [[ $RC == 0 ]] || fail "exec with a console socket: $(lib_result)"
        wait
        local out
        out=$(tr -d '\r' <"$TEST_TMP/console.out")
        assert_eq $'/dev/pts/0\n30 90\ntty-ok' "$out" "what the process wrote to its pty"
}

test_exec_tty_flag_without_socket_relays_in_foreground() {
        ex_start x16
        command -v script >/dev/null || die "script not installed (package bsdutils)"
        capture script -qec "$RUNTIME --root $STATE_ROOT exec -t x16 sh -c 'tty; exit 4'" /dev/null
        assert_eq 4 "$RC" "exit status through the relay"
        assert_contains "$OUT" /dev/pts/0 "tty of the exec'd process"
}

test_exec_in_stopped_container_fails() {
        new_bundle
        set_args true
        run_detached x17
        wait_status x17 stopped
        assert_fails rt exec x17 true
        assert_contains "$ERR" "cannot exec in a stopped container"
}

test_exec_unknown_container_and_usage_errors() {
        assert_fails rt exec nosuch true
        assert_contains "$ERR" "nosuch"
        ex_start x18
        assert_fails rt exec x18
        assert_contains "$ERR" "expected a command to run"
        assert_fails rt exec -d -t x18 true
        assert_contains "$ERR" "needs --console-socket"
}

# This host has neither AppArmor nor SELinux: a label asked for on the
# command line or in a process file is a clear error, not ignored.
test_exec_labels_need_their_lsm() {
        berth_only
        ex_start x19
        assert_fails rt exec --apparmor unconfined x19 true
        assert_contains "$ERR" "--apparmor \"unconfined\": AppArmor is not enabled on this host"
        assert_fails rt exec --process-label system_u:system_r:container_t:s0 x19 true
        assert_contains "$ERR" "--process-label \"system_u:system_r:container_t:s0\": SELinux is not enabled on this host"
        echo '{"args": ["true"], "cwd": "/", "apparmorProfile": "p"}' >"$TEST_TMP/proc.json"
        assert_fails rt exec --process "$TEST_TMP/proc.json" x19
        assert_contains "$ERR" "$TEST_TMP/proc.json: .apparmorProfile: \"p\" asked for, but AppArmor is not enabled on this host"
}

test_exec_preserve_fds() {
        ex_start x20
        capture rt exec --preserve-fds 1 x20 sh -c 'cat <&3' 3<<<"fd three"
        [[ $RC == 0 ]] || fail "exec --preserve-fds: $(lib_result)"
        assert_eq "fd three" "$OUT" "fd 3 passed through"
}

test_exec_rootless_container() {
        berth_only
        # shellcheck source=tests/integration/test-rootless.sh
        source "$(dirname "${BASH_SOURCE[0]}")/test-rootless.sh"
        rl_setup
        set_args sleep 1000
        runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" run -d -b "$BUNDLE" r1 >"$TEST_TMP/r1.out" 2>&1 </dev/null ||
                fail "rootless run -d: $(cat "$TEST_TMP/r1.out")"
        capture runuser -u "$RL_USER" -- "$RUNTIME" --root "$RL_STATE" exec r1 sh -c \
                'id -u; [ "$(readlink /proc/self/ns/user)" = "$(readlink /proc/1/ns/user)" ] && echo same-userns; exit 3'
        assert_eq 3 "$RC" "exit status of a rootless exec: $(lib_result)"
        assert_eq $'0\nsame-userns' "$OUT" "uid and user namespace of a rootless exec"
}
