# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the hook's shell
# test-hooks.sh: the six OCI hooks, where and when they run, what they get
# on stdin, their args, env and timeout, and what their failure does.

# hook_script NAME BODY: an executable bash script $TEST_TMP/NAME running
# BODY; prints its path.
hook_script() {
        local f=$TEST_TMP/$1
        printf '#!/bin/bash\n%s\n' "$2" >"$f"
        chmod 755 "$f"
        echo "$f"
}

# add_hook KIND PATH [ARG...]: append a hook to .hooks.KIND.
add_hook() {
        local kind=$1 path=$2
        shift 2
        cfg --arg k "$kind" --arg p "$path" --argjson a "$(json_array "$path" "$@")" \
                '.hooks[$k] += [{path: $p, args: $a}]'
}

# A hook per kind that appends its kind to $TEST_TMP/order; startContainer
# runs inside the container, after pivot_root, so it writes to the shared dir.
setup_order_hooks() {
        new_bundle
        share_dir
        local rec
        rec=$(hook_script record 'echo "$1" >>'"$TEST_TMP/order")
        add_hook prestart "$rec" prestart
        add_hook createRuntime "$rec" createRuntime
        add_hook createContainer "$rec" createContainer
        cfg '.hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "echo startContainer >>/mnt/a/started"]}]'
        add_hook poststart "$rec" poststart
        add_hook poststop "$rec" poststop
}

test_hooks_run_in_lifecycle_order() {
        setup_order_hooks
        set_args sh -c 'cat /mnt/a/started'
        create_ctr h1
        assert_eq $'prestart\ncreateRuntime\ncreateContainer' "$(cat "$TEST_TMP/order")" "hooks run by create"
        [[ ! -e $SHARE/started ]] || fail "startContainer ran before start"
        start_ctr h1
        wait_status h1 stopped
        assert_eq startContainer "$(ctr_output h1)" "the workload sees what startContainer wrote before its exec"
        assert_eq poststart "$(sed -n 4p "$TEST_TMP/order")" "poststart runs in start"
        assert_ok rt delete h1
        assert_eq $'prestart\ncreateRuntime\ncreateContainer\npoststart\npoststop' "$(cat "$TEST_TMP/order")" \
                "every hook ran once, poststop at delete"
}

test_hooks_run_in_foreground_run() {
        setup_order_hooks
        set_args true
        run_ok h1
        assert_eq $'prestart\ncreateRuntime\ncreateContainer\npoststart\npoststop' "$(cat "$TEST_TMP/order")" \
                "hooks of a foreground run"
        assert_eq startContainer "$(cat "$SHARE/started")" "startContainer"
}

# Without hooks that run during create or at start, a foreground run starts
# the container at create's commit: startContainer and poststop still run.
test_hooks_start_container_in_foreground_run_without_create_hooks() {
        new_bundle
        share_dir
        local rec
        rec=$(hook_script record 'echo "$1" >>'"$TEST_TMP/order")
        cfg '.hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "echo startContainer >>/mnt/a/started"]}]'
        add_hook poststop "$rec" poststop
        set_args true
        run_ok h1
        assert_eq startContainer "$(cat "$SHARE/started")" "startContainer"
        assert_eq poststop "$(cat "$TEST_TMP/order")" "hooks run on the host"
}

test_hook_state_on_stdin() {
        new_bundle
        local h
        h=$(hook_script save 'cat >"$1"')
        add_hook createRuntime "$h" "$TEST_TMP/createRuntime.json"
        add_hook createContainer "$h" "$TEST_TMP/createContainer.json"
        add_hook poststart "$h" "$TEST_TMP/poststart.json"
        add_hook poststop "$h" "$TEST_TMP/poststop.json"
        cfg '.annotations = {"org.example.k": "v"}'
        set_args sleep 100
        create_ctr s1
        local pid f
        pid=$(pid_of s1)
        for f in createRuntime createContainer; do
                assert_json --arg id s1 --arg b "$BUNDLE" --argjson pid "$pid" \
                        '.id == $id and .status == "creating" and .pid == $pid and .bundle == $b and .ociVersion != null and .annotations["org.example.k"] == "v"' \
                        "$(cat "$TEST_TMP/$f.json")" "$f hook's stdin"
        done
        start_ctr s1
        assert_json --argjson pid "$pid" '.status == "running" and .pid == $pid' "$(cat "$TEST_TMP/poststart.json")" \
                "poststart hook's stdin"
        assert_ok rt delete -f s1
        assert_json '.id == "s1" and .status == "stopped"' "$(cat "$TEST_TMP/poststop.json")" "poststop hook's stdin"
}

test_hook_args_and_env() {
        new_bundle
        local h
        h=$(hook_script args 'printf "[%s]" "$@" >"'"$TEST_TMP"'/args"; env | sort >"'"$TEST_TMP"'/env"')
        cfg --arg p "$h" '.hooks.createRuntime = [{path: $p, args: ["custom-argv0", "a b", ""], env: ["FOO=bar", "X=1"]}]'
        set_args true
        run_ok a1
        assert_eq "[a b][]" "$(cat "$TEST_TMP/args")" "the hook's arguments after argv[0]"
        # bash itself adds PWD, SHLVL and _.
        assert_eq $'FOO=bar\nX=1' "$(grep -vE '^(PWD|SHLVL|_)=' "$TEST_TMP/env")" "exactly the hook's env"
}

test_hook_without_env_inherits_runtime_env() {
        new_bundle
        local h
        h=$(hook_script env 'env >"'"$TEST_TMP"'/env"')
        add_hook prestart "$h"
        set_args true
        BERTH_IT_HOOK_VAR=inherited run_ok a1
        assert_contains "$(cat "$TEST_TMP/env")" BERTH_IT_HOOK_VAR=inherited "the env of a hook without env"
}

test_hook_argv0() {
        new_bundle
        cfg --arg out "$TEST_TMP/argv0" \
                '.hooks.prestart = [{path: "/bin/sh", args: ["custom-name", "-c", "cat /proc/$$/cmdline >\($out)"]}]'
        set_args true
        run_ok a1
        assert_eq "custom-name -c " "$(tr '\0' ' ' <"$TEST_TMP/argv0" | head -c 15)" "argv[0] is args[0], not the path"
}

test_hook_namespaces() {
        new_bundle
        local h
        h=$(hook_script ns 'readlink /proc/self/ns/mnt >"$1"; readlink /proc/self/ns/pid >>"$1"')
        add_hook createRuntime "$h" "$TEST_TMP/runtime-ns"
        add_hook createContainer "$h" "$TEST_TMP/container-ns"
        set_args sleep 100
        create_ctr n1
        local pid
        pid=$(pid_of n1)
        assert_eq "$(readlink /proc/self/ns/mnt)" "$(sed -n 1p "$TEST_TMP/runtime-ns")" "createRuntime's mount namespace"
        assert_eq "$(readlink "/proc/$pid/ns/mnt")" "$(sed -n 1p "$TEST_TMP/container-ns")" \
                "createContainer's mount namespace (the container's)"
        assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(sed -n 2p "$TEST_TMP/container-ns")" \
                "createContainer's pid namespace (the container's)"
}

test_hook_timeout_fails_create() {
        new_bundle
        cfg '.hooks.prestart = [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]'
        set_args true
        capture rt create -b "$BUNDLE" t1
        [[ $RC == 1 ]] || fail "create with a hanging prestart hook: expected exit 1, got $(lib_result)"
        berth_only
        assert_contains "$ERR" "prestart hook #0 (/bin/sleep): timed out after 1s" "the error"
        [[ ! -e $STATE_ROOT/t1 ]] || fail "the failed create left its state"
        [[ -z $(pgrep -f '^sleep 30$') ]] || fail "the timed-out hook is still running"
}

test_poststart_failure_stops_container() {
        new_bundle
        cfg '.hooks.poststart = [{path: "/bin/false"}]'
        set_args sleep 100
        create_ctr p1
        local pid
        pid=$(pid_of p1)
        capture rt start p1
        [[ $RC != 0 ]] || fail "start with a failing poststart hook succeeded"
        wait_gone "$pid"
        assert_eq stopped "$(status_of p1)" "status after a failed poststart"
}

test_poststop_failure_is_a_warning() {
        new_bundle
        local h
        h=$(hook_script second 'touch "'"$TEST_TMP"'/second-ran"')
        cfg '.hooks.poststop = [{path: "/bin/false"}]'
        add_hook poststop "$h"
        set_args true
        create_ctr p1
        assert_ok rt delete p1
        [[ ! -e $STATE_ROOT/p1 ]] || fail "delete left the state behind"
        [[ -e $TEST_TMP/second-ran ]] || fail "the poststop hook after a failing one did not run"
        berth_only
        assert_contains "$ERR" "poststop hook #0 (/bin/false): exited with status 1" "the warning"
}

test_start_container_failure() {
        new_bundle
        cfg '.hooks.startContainer = [{path: "/bin/false"}]'
        set_args echo should-not-run
        run_ctr f1
        [[ $RC != 0 ]] || fail "run with a failing startContainer hook: expected a failure, got $(lib_result)"
        assert_not_contains "$OUT" should-not-run "the workload's output"
}
