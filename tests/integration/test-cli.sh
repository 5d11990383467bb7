# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-cli.sh: global flags, help, version, usage errors and container ids.

test_help_lists_commands() {
        assert_ok rt --help
        local cmd
        for cmd in spec create start run state kill delete list features; do
                assert_match "(^|[[:space:]])$cmd([[:space:]]|,|$)" "$OUT" "--help lists '$cmd'"
        done
        assert_contains "$OUT" "--root" "--help documents --root"
        assert_contains "$OUT" "--log-format" "--help documents --log-format"
}

test_short_help_flag() {
        assert_ok rt -h
        assert_contains "$OUT" "create"
}

test_version() {
        assert_ok rt --version
        assert_match '^[a-z]+ version [0-9]+\.[0-9]+' "$(head -n1 <<<"$OUT")" "first line of --version"
        assert_contains "$OUT" "libseccomp" "--version"
        local long=$OUT
        assert_ok rt -v
        assert_eq "$long" "$OUT" "-v prints the same as --version"
}

test_version_names_berth_and_libraries() {
        berth_only
        assert_ok rt --version
        assert_match '^berth version [0-9]+\.[0-9]+\.[0-9]+' "$(head -n1 <<<"$OUT")" "first line of --version"
        local lib
        for lib in libseccomp libcap yajl libmnl; do
                assert_line_match "^$lib: [0-9]+\.[0-9]+" "$OUT" "--version names $lib and its version"
        done
}

test_unknown_command_fails() {
        assert_fails rt frobnicate
        assert_contains "$ERR" "frobnicate" "stderr names the unknown command"
}

test_unknown_command_one_error_line() {
        berth_only
        assert_exit 1 rt frobnicate
        assert_one_line "$ERR" "stderr"
        assert_contains "$ERR" "frobnicate"
}

test_unknown_global_flag_fails() {
        assert_fails rt --frobnicate list
        assert_contains "$ERR" "frobnicate" "stderr names the unknown flag"
}

test_unknown_command_flag_fails() {
        assert_fails rt list --frobnicate
        assert_contains "$ERR" "frobnicate" "stderr names the unknown flag"
        assert_fails rt delete --frobnicate x
}

test_unknown_flag_one_error_line() {
        berth_only
        assert_exit 1 rt list --frobnicate
        assert_one_line "$ERR" "stderr"
        assert_exit 1 rt --frobnicate list
        assert_one_line "$ERR" "stderr"
}

# cmd_help CMD FLAG...: CMD --help succeeds and documents each FLAG.
cmd_help() {
        local cmd=$1 flag
        shift
        assert_ok rt "$cmd" --help
        [[ -n $OUT ]] || fail "$cmd --help printed nothing on stdout"
        for flag in "$@"; do
                assert_contains "$OUT" "$flag" "$cmd --help"
        done
}

test_help_spec() { cmd_help spec --rootless --bundle; }
test_help_create() { cmd_help create --bundle --pid-file --console-socket; }
test_help_start() { cmd_help start; }
test_help_run() { cmd_help run --bundle --detach --pid-file; }
test_help_state() { cmd_help state; }
test_help_kill() { cmd_help kill --all; }
test_help_delete() { cmd_help delete --force; }
test_help_list() { cmd_help list --format --quiet; }
test_help_features() { cmd_help features; }

test_missing_container_id_fails() {
        local cmd
        for cmd in create start state kill delete run; do
                assert_exit 1 rt "$cmd"
                [[ -n $ERR ]] || fail "'$cmd' without an id: no message on stderr"
        done
}

test_extra_arguments_fail() {
        assert_exit 1 rt state a b
        assert_exit 1 rt list extra
}

test_state_unknown_container_fails() {
        assert_exit 1 rt state no-such-ctr
        [[ -n $ERR ]] || fail "state of an unknown container printed nothing on stderr"
        assert_eq "" "$OUT" "stdout"
}

test_error_names_the_container() {
        berth_only
        local cmd
        for cmd in state start kill delete; do
                assert_exit 1 rt "$cmd" no-such-ctr
                assert_one_line "$ERR" "$cmd stderr"
                assert_contains "$ERR" "no-such-ctr" "$cmd stderr names the container"
        done
}

test_bad_ids_rejected() {
        new_bundle
        local id
        for id in "a/b" ".." "." "" "../escape" "x/../../escape"; do
                assert_exit 1 rt create -b "$BUNDLE" "$id"
                [[ -n $ERR ]] || fail "create '$id': no message on stderr"
        done
        local left
        left=$(ls -A "$STATE_ROOT")
        assert_eq "" "$left" "state root after bad ids"
        [[ ! -e $TEST_TMP/escape && ! -e $STATE_ROOT/a ]] || fail "a bad id created something outside the state root"
}

test_log_format_invalid_fails() {
        assert_fails rt --log-format bogus list
}

test_debug_flag_accepted() {
        assert_ok rt --debug list
}

test_log_level_flag() {
        berth_only
        local lvl
        for lvl in error warning info debug; do
                assert_ok rt --log-level "$lvl" list
        done
        assert_exit 1 rt --log-level bogus list
        assert_one_line "$ERR" "stderr"
}

test_rootless_global_flag_accepted() {
        # runc's --rootless takes true/false/auto; engines pass it.
        assert_ok rt --rootless auto list
        assert_ok rt --rootless false list
}

test_log_file_receives_json() {
        local log=$TEST_TMP/log.json
        assert_exit 1 rt --log "$log" --log-format json state no-such-ctr
        [[ -s $log ]] || fail "--log file is empty after a failure"
        local line
        while IFS= read -r line; do
                assert_json 'type == "object" and (.level | type == "string") and (.msg | type == "string") and (.time | type == "string")' \
                        "$line" "log line"
        done <"$log"
}

test_default_state_root() {
        berth_only
        # Without --root, root's state lives in /run/berth.
        new_bundle
        set_args sleep 1000
        local id=berth-it-$$-$RANDOM
        defer "timeout 30 '$RUNTIME' delete -f '$id'"
        rt_noroot create -b "$BUNDLE" "$id" >"$TEST_TMP/$id.out" 2>&1 </dev/null || fail "create without --root: $(cat "$TEST_TMP/$id.out")"
        [[ -d /run/berth/$id ]] || fail "/run/berth/$id does not exist after create without --root"
        [[ ! -e $STATE_ROOT/$id ]] || fail "container went to the test's --root"
        assert_ok rt_noroot delete -f "$id"
        [[ ! -e /run/berth/$id ]] || fail "/run/berth/$id still exists after delete"
}

test_bash_completion() {
        berth_only
        # The completion reads commands and flags from berth's own --help,
        # and container ids from list -q under the same --root.
        local comp
        comp=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../completions" && pwd)/berth
        [[ -r $comp ]] || fail "no completion script at $comp"
        new_bundle
        set_args sleep 1000
        create_ctr comp-ctr
        complete_words() {
                bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _berth; echo "${COMPREPLY[*]}"' \
                        complete "$comp" "$@"
        }
        assert_eq "create" "$(complete_words "$RUNTIME" cre)" "command completion"
        assert_eq "--bundle" "$(complete_words "$RUNTIME" run --bun)" "run flag completion"
        assert_eq "--log-format --log-level" "$(complete_words "$RUNTIME" --log-)" "global flag completion"
        assert_eq "comp-ctr" "$(complete_words "$RUNTIME" --root "$STATE_ROOT" kill comp)" "container id completion"
        # After a flag that takes a value, paths are offered, not ids.
        assert_eq "$BUNDLE" "$(complete_words "$RUNTIME" --root "$STATE_ROOT" create --bundle "${BUNDLE%?}")" "path after --bundle"
}
