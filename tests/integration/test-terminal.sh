# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq or the container's shell
# test-terminal.sh: process.terminal. The pty is made in the container and
# its master sent over --console-socket (received here by a small Python
# receiver); a foreground run relays berth's own terminal (driven by
# script(1) or a Python pty); without a terminal stdio is passed as is.

TERM_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers

# tt_receiver [ARGS...]: start the console receiver on $TEST_TMP/console.sock,
# output in $TEST_TMP/console.out; sets SOCK.
tt_receiver() {
        SOCK=$TEST_TMP/console.sock
        python3 "$TERM_HELPERS/console-recv.py" "$SOCK" "$TEST_TMP/console.out" "$@" &
        TT_RECV=$!
        defer "kill $TT_RECV 2>/dev/null"
        wait_file "$SOCK.ready"
}

# Called as $(tt_output): in that subshell the receiver is no child to
# `wait` for (bash returns at once), hence the file it writes when done.
tt_output() {
        wait_for 20 test -e "$TEST_TMP/console.out.done"
        tr -d '\r' <"$TEST_TMP/console.out"
}

test_terminal_console_socket_tty_and_io() {
        new_bundle
        cfg '.process.terminal = true'
        # Not an interactive shell: busybox's line editor asks the terminal
        # where its cursor is, and a pty with nobody at it never answers.
        set_args sh -c 'tty; read -r cmd; eval "$cmd"; exit 5'
        tt_receiver --input $'echo sum $((6*7))\n'
        create_ctr t1 --console-socket "$SOCK"
        start_ctr t1
        local out
        out=$(tt_output)
        assert_line_match '^/dev/pts/0$' "$out" "tty inside the container"
        assert_line_match '^sum 42$' "$out" "output of a command typed into the pty"
        wait_status t1 stopped
}

test_terminal_pty_belongs_to_the_container_devpts() {
        new_bundle
        cfg '.process.terminal = true'
        set_sh 'ls /dev/pts | tr "\n" " "; echo; stat -c %U /proc/self/fd/0'
        cfg '.process.user = {uid: 1000, gid: 1000}'
        tt_receiver --fdinfo "$TEST_TMP/fdinfo"
        create_ctr t2 --console-socket "$SOCK"
        start_ctr t2
        local out mnt
        out=$(tt_output)
        assert_eq $'0 ptmx \nuser' "$out" "the container's /dev/pts and the owner of its tty"
        mnt=$(awk '$1 == "mnt_id:" { print $2 }' "$TEST_TMP/fdinfo")
        [[ -n $mnt ]] || die "no mnt_id in the master's fdinfo"
        # The host's own mount table does not hold the container's devpts.
        if awk -v m="$mnt" '$1 == m' /proc/self/mountinfo | grep -q .; then
                fail "the pty master is on host mount $mnt: $(awk -v m="$mnt" '$1 == m' /proc/self/mountinfo)"
        fi
}

test_terminal_console_size() {
        new_bundle
        cfg '.process.terminal = true | .process.consoleSize = {height: 33, width: 101}'
        set_sh 'stty size'
        tt_receiver
        create_ctr t3 --console-socket "$SOCK"
        start_ctr t3
        assert_eq "33 101" "$(tt_output)" "consoleSize"
}

# Without a shim (as under an engine) nobody would hold the pty; a shim
# holds it (test-shim.sh).
test_terminal_create_without_socket_fails_cleanly() {
        new_bundle
        cfg '.process.terminal = true'
        # shellcheck disable=SC2046 # lib_no_shim is one word or none
        assert_fails rt $(lib_no_shim) create -b "$BUNDLE" t4
        assert_contains "$ERR" "--console-socket is required"
        assert_eq "" "$(ls -A "$STATE_ROOT")" "state left behind"
        # shellcheck disable=SC2046
        assert_fails rt $(lib_no_shim) run -d -b "$BUNDLE" t4
        assert_contains "$ERR" "--console-socket is required"
}

test_terminal_bad_console_socket_fails_cleanly() {
        new_bundle
        cfg '.process.terminal = true'
        assert_fails rt create -b "$BUNDLE" --console-socket "$TEST_TMP/nosuch.sock" t5
        assert_contains "$ERR" "nosuch.sock: connect"
        assert_eq "" "$(ls -A "$STATE_ROOT")" "state left behind"
}

test_terminal_foreground_run_under_script() {
        command -v script >/dev/null || die "script not installed (package bsdutils)"
        new_bundle
        cfg '.process.terminal = true'
        set_sh 'tty; [ -t 0 ] && echo stdin-is-tty; exit 6'
        capture script -qec "$RUNTIME --root $STATE_ROOT run -b $BUNDLE t6" /dev/null
        assert_eq 6 "$RC" "exit status through the relay: $(lib_result)"
        assert_contains "$OUT" /dev/pts/0 "tty"
        assert_contains "$OUT" stdin-is-tty "stdin of the workload"
}

test_terminal_foreground_window_size_and_sigwinch() {
        new_bundle
        cfg '.process.terminal = true | .process.consoleSize = {height: 10, width: 10}'
        set_sh 'stty size; sleep 1.5; stty size'
        capture python3 "$TERM_HELPERS/pty-run.py" --size 40x120 --resize 50x132 --after 0.7 -- \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" t7
        [[ $RC == 0 ]] || fail "run under a pty: $(lib_result)"
        assert_eq $'40 120\n50 132' "$OUT" "window size from the caller, then after SIGWINCH"
}

test_terminal_foreground_keys_and_exit_code() {
        new_bundle
        cfg '.process.terminal = true'
        set_args sh
        capture python3 "$TERM_HELPERS/pty-run.py" --input $'echo typed $((2+3))\nexit 9\n' --after 0.5 -- \
                "$RUNTIME" --root "$STATE_ROOT" run -b "$BUNDLE" t8
        assert_eq 9 "$RC" "exit status: $(lib_result)"
        assert_line_match '^typed 5$' "$OUT" "output of what was typed"
        assert_eq "" "$(rt list -q)" "containers left"
}

test_terminal_none_passes_stdio_through() {
        new_bundle
        set_sh 'cat; echo err >&2; [ -t 0 ] || echo not-a-tty'
        local out
        out=$(echo piped | rt run -b "$BUNDLE" t9 2>"$TEST_TMP/t9.err") || fail "run with a pipe failed"
        assert_eq $'piped\nnot-a-tty' "$out" "stdout through a pipe"
        assert_eq err "$(cat "$TEST_TMP/t9.err")" "stderr redirected"
}

# /dev/console is the container's pty, as runc makes it.
test_terminal_dev_console_is_the_pty() {
        new_bundle
        cfg '.process.terminal = true'
        set_sh 'echo through-console >/dev/console; stat -L -c "%t:%T" /dev/console /proc/self/fd/0'
        tt_receiver
        create_ctr t10 --console-socket "$SOCK"
        start_ctr t10
        local out
        out=$(tt_output)
        assert_line_match '^through-console$' "$out" "a write to /dev/console, read from the master"
        # The same device twice (a pty: major 136 and up, shown in hex).
        local devs
        devs=$(grep -E '^[0-9a-f]+:[0-9a-f]+$' <<<"$out")
        assert_eq 2 "$(wc -l <<<"$devs")" "device numbers of /dev/console and the tty [$out]"
        assert_eq 1 "$(sort -u <<<"$devs" | wc -l)" "/dev/console and the tty are one device [$out]"
}
