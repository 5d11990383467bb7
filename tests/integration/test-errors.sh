# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-errors.sh: a failed create or run exits 1 with a message, writes
# exactly one error record to a JSON log, and leaves nothing behind: no state
# directory, no mount, no process.

# mounts_under_work: host mount points inside the work dir.
mounts_under_work() {
        awk -v w="$WORK" 'index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo
}

# check_json_log FILE MSG: exactly one line, an error record whose msg
# contains MSG (case-insensitive).
check_json_log() {
        local log=$1 msg=$2 line
        [[ -s $log ]] || fail "the --log file is empty after a failure"
        assert_eq 1 "$(grep -c '' "$log")" "number of lines in the JSON log [$(<"$log")]"
        line=$(<"$log")
        assert_json '.level == "error"' "$line" "log record level"
        assert_json '.msg | type == "string" and length > 0' "$line" "log record msg"
        assert_json '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")' "$line" "log record time"
        if [[ -n $msg ]]; then
                local m
                m=$(jq -r .msg <<<"$line")
                [[ ${m,,} == *"${msg,,}"* ]] || fail "log record msg: expected to contain [$msg], got [$m]"
        fi
}

# in_private_ns ID CMD: run `CMD -b $BUNDLE ID` in a fresh pid and mount
# namespace and report what it left there: its exit status, any change to
# mountinfo, and every process other than the namespace's init.
in_private_ns() {
        local id=$1 cmd=$2
        # shellcheck disable=SC2016 # expanded by the inner bash
        capture unshare --pid --fork --mount-proc --propagation private bash -c '
                before=$(cat /proc/self/mountinfo)
                timeout 60 "$RUNTIME" --root "$1" "$2" -b "$3" "$4" >/dev/null 2>&1 </dev/null
                echo "rc=$?"
                after=$(cat /proc/self/mountinfo)
                if [ "$before" != "$after" ]; then
                        echo "mountinfo changed:"
                        diff <(echo "$before") <(echo "$after")
                fi
                for p in /proc/[0-9]*; do
                        pid=${p#/proc/}
                        [ "$pid" = 1 ] && continue
                        read -r comm <"$p/comm" 2>/dev/null || continue
                        echo "left process $pid $comm: $(tr "\0" " " <"$p/cmdline")"
                done' private-ns "$STATE_ROOT" "$cmd" "$BUNDLE" "$id"
        [[ $RC == 0 ]] || die "unshare failed: $(lib_result)"
}

# expect_clean_failure ID MSG [CMD]: `CMD -b $BUNDLE ID` (default create)
# fails with exit 1 and MSG (case-insensitive) on stderr and in the JSON log,
# and leaves nothing behind, on the host and in a private pid+mount namespace.
expect_clean_failure() {
        local id=$1 msg=$2 cmd=${3:-create} log=$TEST_TMP/$1.log.json before after
        before=$(mounts_under_work)
        capture rt --log "$log" --log-format json "$cmd" -b "$BUNDLE" "$id"
        [[ $RC == 1 ]] || fail "$cmd $id: expected exit 1, got $(lib_result)"
        [[ -n $ERR ]] || fail "$cmd $id failed without a message on stderr"
        [[ ${ERR,,} == *"${msg,,}"* ]] || fail "$cmd $id: stderr expected to contain [$msg], got [$ERR]"
        [[ ! -e $STATE_ROOT/$id ]] || fail "the failed $cmd left $STATE_ROOT/$id"
        after=$(mounts_under_work)
        assert_eq "$before" "$after" "host mounts under the work dir after the failed $cmd"
        check_json_log "$log" "$msg"

        in_private_ns "$id" "$cmd"
        assert_eq "rc=1" "$OUT" "exit status and leftovers of a failed $cmd in a private pid+mount namespace"
        [[ ! -e $STATE_ROOT/$id ]] || fail "the failed $cmd left $STATE_ROOT/$id"
}

test_fail_missing_executable() {
        new_bundle
        set_args no-such-program
        expect_clean_failure e1 'executable file not found in $PATH'
}

test_fail_missing_absolute_executable() {
        new_bundle
        set_args /no/such/program
        expect_clean_failure e1 /no/such/program
}

# Docker's CLI picks its exit code from the error text, case and all
# (cli/command/container/run.go, runStartContainerErr): 127 for "no such
# file or directory", 126 for "permission denied", else 125. Go, and so
# runc, spells errno that way; strerror capitalises it.
test_fail_exec_errors_as_go_spells_them() {
        new_bundle
        set_args /no/such/program
        capture rt create -b "$BUNDLE" e1
        assert_eq 1 "$RC" "create of a missing executable ($(lib_result))"
        assert_contains "$ERR" 'stat /no/such/program: no such file or directory' "stderr"
        set_args /etc/passwd
        capture rt create -b "$BUNDLE" e2
        assert_eq 1 "$RC" "create of a file that is not executable ($(lib_result))"
        assert_contains "$ERR" '/etc/passwd' "stderr"
        assert_contains "$ERR" ': permission denied' "stderr"
}

test_fail_executable_not_in_container_path() {
        # The lookup uses the container's PATH, not the runtime's.
        new_bundle
        cfg '.process.env = ["PATH=/nowhere"]'
        set_args echo hi
        expect_clean_failure e1 'executable file not found in $PATH'
}

test_fail_bind_source_missing() {
        new_bundle
        set_args true
        add_mount /mnt/a bind /no/such/source rbind
        expect_clean_failure e1 /no/such/source
}

test_fail_unknown_fs_type() {
        new_bundle
        set_args true
        add_mount /mnt/b nosuchfs none
        expect_clean_failure e1 /mnt/b
}

test_fail_cwd_not_a_directory() {
        new_bundle
        set_args true
        cfg '.process.cwd = "/etc/passwd"'
        expect_clean_failure e1 /etc/passwd
}

test_fail_rlimit_above_hard_limit() {
        # Above fs.nr_open nothing can raise RLIMIT_NOFILE, not even with
        # CAP_SYS_RESOURCE (which this host's bounding set lacks anyway).
        local max
        max=$(($(</proc/sys/fs/nr_open) + 1024))
        new_bundle
        set_args true
        cfg --argjson m "$max" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: $m, hard: $m}]'
        expect_clean_failure e1 rlimit
}

test_fail_missing_rootfs() {
        new_bundle
        set_args true
        cfg '.root.path = "/no/such/rootfs"'
        expect_clean_failure e1 /no/such/rootfs
}

test_fail_invalid_json() {
        new_bundle
        echo '{ "ociVersion": "1.0.2", "process": ' >"$BUNDLE/config.json"
        expect_clean_failure e1 ""
}

test_fail_missing_config() {
        new_bundle
        rm "$BUNDLE/config.json"
        expect_clean_failure e1 config.json
}

test_fail_missing_bundle() {
        BUNDLE=$TEST_TMP/no-such-bundle
        expect_clean_failure e1 no-such-bundle
}

test_fail_run_missing_executable() {
        new_bundle
        set_args no-such-program
        expect_clean_failure e1 'executable file not found in $PATH' run
}

test_fail_run_detached_missing_executable() {
        new_bundle
        set_args no-such-program
        local log=$TEST_TMP/log.json
        capture rt --log "$log" --log-format json run -d -b "$BUNDLE" e1
        assert_eq 1 "$RC" "exit status of run -d (stderr: $ERR)"
        assert_contains "$ERR" 'executable file not found in $PATH' "stderr"
        check_json_log "$log" 'executable file not found in $PATH'
        [[ ! -e $STATE_ROOT/e1 ]] || fail "the failed run -d left $STATE_ROOT/e1"
}

test_fail_bad_id_json_log() {
        new_bundle
        set_args true
        local log=$TEST_TMP/log.json
        assert_exit 1 rt --log "$log" --log-format json create -b "$BUNDLE" "a/b"
        check_json_log "$log" ""
}

test_fail_other_commands_json_log() {
        local cmd log
        for cmd in start state kill delete; do
                log=$TEST_TMP/$cmd.log.json
                assert_exit 1 rt --log "$log" --log-format json "$cmd" no-such-ctr
                check_json_log "$log" ""
        done
}

test_success_writes_no_error_record() {
        new_bundle
        set_sh 'echo fine'
        local log=$TEST_TMP/log.json
        capture rt --log "$log" --log-format json run -b "$BUNDLE" ok1
        assert_eq 0 "$RC" "run with a JSON log (stderr: $ERR)"
        assert_eq fine "$OUT" "stdout"
        if [[ -s $log ]]; then
                local line
                while IFS= read -r line; do
                        assert_json 'type == "object" and .level != "error"' "$line" "log record after a success"
                done <"$log"
        fi
}

test_failure_message_one_line_names_container() {
        berth_only
        new_bundle
        set_args no-such-program
        assert_exit 1 rt create -b "$BUNDLE" myctr
        assert_one_line "$ERR" "stderr of a failed create"
        assert_contains "$ERR" myctr "stderr names the container"
        assert_contains "$ERR" 'executable file not found in $PATH' "stderr names the cause"

        set_args true
        add_mount /mnt/a bind /no/such/source rbind
        assert_exit 1 rt run -b "$BUNDLE" otherctr
        assert_one_line "$ERR" "stderr of a failed run"
        assert_contains "$ERR" otherctr "stderr names the container"
        assert_contains "$ERR" /no/such/source "stderr names the cause"
}

test_failed_create_keeps_other_containers() {
        # A failure must clean up only its own container.
        new_bundle
        set_args sleep 1000
        create_ctr keep
        local pid
        pid=$(pid_of keep)
        set_args no-such-program
        assert_exit 1 rt create -b "$BUNDLE" broken
        assert_eq created "$(status_of keep)" "status of the other container"
        pid_alive "$pid" || fail "the other container's process died"
        assert_exit 1 rt create -b "$BUNDLE" keep
        assert_eq created "$(status_of keep)" "status after a duplicate create"
}

test_fail_console_socket_without_terminal() {
        berth_only
        new_bundle
        set_args true
        local log=$TEST_TMP/cs.log.json
        capture rt --log "$log" --log-format json create --console-socket "$TEST_TMP/no.sock" -b "$BUNDLE" e1
        [[ $RC == 1 ]] || fail "expected exit 1, got $(lib_result)"
        assert_contains "$ERR" ".process.terminal is false"
        [[ ! -e $STATE_ROOT/e1 ]] || fail "the failed create left $STATE_ROOT/e1"
        check_json_log "$log" "console-socket"
}

test_fail_cgroups_path_escapes() {
        berth_only
        new_bundle
        set_args true
        cfg '.linux.cgroupsPath = "/berth/../../escape"'
        expect_clean_failure e1 'escapes the hierarchy'
        [[ ! -e /sys/fs/cgroup/unified/escape && ! -e /sys/fs/cgroup/escape ]] || fail "a cgroup was made outside the hierarchy"
}

test_fail_sysctl_not_namespaced() {
        # kernel.pid_max is global: writing it would change the host.
        berth_only
        new_bundle
        set_args true
        cfg '.linux.sysctl = {"kernel.pid_max": "1000"}'
        expect_clean_failure e1 'kernel.pid_max'
}

test_fail_sysctl_without_its_namespace() {
        berth_only
        new_bundle
        set_args true
        cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))'
        expect_clean_failure e1 'needs the container'"'"'s own network namespace'
}

# A hook that fails before the container starts fails create and leaves
# nothing: the message names the hook, its index and how it ended.
test_fail_prestart_hook() {
        berth_only
        new_bundle
        set_args true
        cfg '.hooks.prestart = [{path: "/bin/true"}, {path: "/bin/sh", args: ["sh", "-c", "echo broken >&2; exit 3"]}]'
        expect_clean_failure e1 'prestart hook #1 (/bin/sh): exited with status 3: broken'
}

test_fail_create_runtime_hook_missing() {
        berth_only
        new_bundle
        set_args true
        cfg '.hooks.createRuntime = [{path: "/no/such/hook"}]'
        expect_clean_failure e1 'createRuntime hook #0 (/no/such/hook)'
}

test_fail_create_container_hook() {
        berth_only
        new_bundle
        set_args true
        cfg '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "kill -9 $$"]}]'
        expect_clean_failure e1 'createContainer hook #0 (/bin/sh): killed by SIGKILL'
}

test_fail_net_device_missing() {
        berth_only
        new_bundle
        set_args true
        cfg '.linux.netDevices = {"bit-none7": {}}'
        expect_clean_failure e1 '.linux.netDevices.bit-none7: host interface bit-none7'
}

test_fail_idmap_without_mappings() {
        berth_only
        new_bundle
        set_args true
        add_mount /mnt/a bind /tmp bind idmap
        expect_clean_failure e1 '.mounts['
}
