# shellcheck shell=bash disable=SC2016 # $ in single quotes is for the container's shell
# test-docker.sh: the runtime under Docker, as `dockerd --add-runtime
# berth=PATH` and `docker run --runtime berth` run it: dockerd drives
# containerd, whose containerd-shim-runc-v2 calls the runtime. run (output,
# exit code, a terminal), run -d with exec, logs, top, pause, stop and rm,
# the exit codes Docker derives from the runtime's error text (127, 126),
# and no berth-shim under containerd's shim, which reaps the container.
#
# Each test starts its own dockerd (data root, exec root, pid file, socket,
# daemon.json and key file in the test's directory) in a mount and pid
# namespace of its own; dockerd starts its own containerd there (its socket
# under the exec root), and tmpfs mounts over /run/containerd and
# /run/docker in that namespace keep a host containerd out of the way and
# the shims' sockets and plugin directory off the host. No network (bridge,
# iptables off; containers run with --network none), the vfs storage driver,
# and an image imported from the suite's busybox rootfs: nothing is pulled.
#
# Docker asks for no cgroup limit by default (no pids limit, no cpu shares),
# so nothing has to be turned off on a hybrid host, where berth refuses a
# limit on a controller only cgroup v1 has (berth(8), CGROUPS):
# test_docker_pids_limit checks both sides.

DOCKER_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helpers
# --cgroup-parent: the containers' groups are /berth-docker-test/ID, which
# the cleanup removes, not /docker/ID, which a host's Docker may use.
DOCKER_CG=berth-docker-test

# docker_setup: start dockerd and import the image bb:latest. Sets DD (its
# directory), DOCKER (the client with the test's socket and config),
# DOCKERD_PID (dockerd, host pid) and DOCKER_RT_ROOT (the --root the shim
# gives the runtime).
docker_setup() {
        local tool
        for tool in dockerd docker; do
                command -v "$tool" >/dev/null || skip "docker.io is not installed (scripts/install-deps.sh installs it)"
        done
        DD=$TEST_TMP/docker
        local sock=$DD/docker.sock
        mkdir -p "$DD/cli" || die "mkdir $DD"
        # deprecated-key-path: dockerd 20.10 writes /etc/docker/key.json
        # otherwise (a daemon.json key only, no flag).
        jq -n --arg k "$DD/key.json" '{"deprecated-key-path": $k}' >"$DD/daemon.json"
        # The runtime as dockerd knows it: records each call, then runs the
        # runtime under test with the shim's flags (--root, --log).
        cat >"$DD/runtime" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >>"$DD/calls.log"
exec "$RUNTIME" "\$@"
EOF
        chmod 755 "$DD/runtime"
        # The mount points for the tmpfs mounts, made on the host only when
        # missing (and removed again at the end).
        local d
        DOCKER_MADE_DIRS=()
        for d in /run/containerd /run/docker; do
                if [[ ! -d $d ]]; then
                        mkdir -p "$d" || die "mkdir $d"
                        DOCKER_MADE_DIRS+=("$d")
                fi
        done
        # Its own pid namespace, with bash as init to reap the shims that
        # exit after their container (dockerd does not); --kill-child: the
        # namespace dies with unshare. --config-file: the test's daemon.json,
        # not the host's.
        unshare -m -p -f --mount-proc --kill-child bash -c '
                mount -t tmpfs -o mode=0711 tmpfs /run/containerd || exit 1
                mount -t tmpfs -o mode=0700 tmpfs /run/docker || exit 1
                dockerd "$@" &
                wait' docker-ns \
                --config-file "$DD/daemon.json" --data-root "$DD/data" --exec-root "$DD/exec" \
                --pidfile "$DD/docker.pid" -H "unix://$sock" \
                --bridge none --iptables=false --ip6tables=false --storage-driver vfs \
                --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$DOCKER_CG" \
                --add-runtime "berth=$DD/runtime" \
                >"$DD/dockerd.log" 2>&1 </dev/null &
        DOCKER_UNSHARE=$!
        defer docker_stop
        DOCKER=(docker -H "unix://$sock" --config "$DD/cli")
        if ! wait_for 30 docker_up || lib_pid_dead "$DOCKER_UNSHARE"; then
                die "dockerd did not start: $(tail -n 20 "$DD/dockerd.log")"
        fi
        local init
        init=$(pgrep -P "$DOCKER_UNSHARE" -x bash) || die "no init under unshare $DOCKER_UNSHARE"
        DOCKERD_PID=$(pgrep -P "$init" -x dockerd) || die "no dockerd under $init"
        DOCKER_RT_ROOT=$DD/exec/runtime-runc/moby
        # shellcheck disable=SC2153 # ROOTFS comes from run.sh
        tar -C "$ROOTFS" -c . | lib_timed "${DOCKER[@]}" import - bb:latest >"$DD/import.log" 2>&1 ||
                die "docker import failed: $(cat "$DD/import.log")"
}

# docker_up: dockerd answers; stops the wait (fails) when it exited.
docker_up() {
        lib_pid_dead "$DOCKER_UNSHARE" && return 0
        "${DOCKER[@]}" version >/dev/null 2>&1
}

# dk ARGS...: docker on the test's dockerd.
dk() {
        lib_timed "${DOCKER[@]}" "$@"
}

# dk_ok ARGS...: docker must succeed; OUT and ERR as for capture.
dk_ok() {
        capture dk "$@"
        [[ $RC == 0 ]] || fail "docker $*: $(lib_result)"
}

dk_inspect() {
        dk inspect -f "$2" "$1" 2>/dev/null
}

# dk_rt ARGS...: the runtime with the shim's --root, in dockerd's mount and
# pid namespaces (where the pids in its state are valid).
dk_rt() {
        lib_timed nsenter -t "$DOCKERD_PID" -m -p -- "$RUNTIME" --root "$DOCKER_RT_ROOT" "$@"
}

# docker_stop: remove every container, check the runtime kept no state,
# then stop dockerd (it stops its containerd; the pid namespace takes
# whatever is left) and remove the containers' cgroup parent.
docker_stop() {
        local id ids
        if [[ -n ${DOCKERD_PID:-} ]]; then
                ids=$(dk ps -a -q 2>/dev/null)
                # shellcheck disable=SC2086 # one id a word
                [[ -n $ids ]] && dk rm -f $ids
                for id in $(dk_rt list -q 2>/dev/null); do
                        echo "LEAK: the runtime still has container $id after docker rm" >&2
                        dk_rt delete -f "$id"
                done
                kill -TERM "$DOCKERD_PID"
        fi
        engine_ns_end "$DOCKER_UNSHARE" dockerd 20
        engine_cgroups_remove "$DOCKER_CG"
        local g
        for g in "${DOCKER_MADE_DIRS[@]}"; do
                rmdir "$g"
        done
        true
}

# docker_host_pid PID: the host pid of the container init that is PID in
# dockerd's pid namespace (the pid docker inspect shows), found among the
# children of the shims (the init is in a pid namespace of its own).
docker_host_pid() {
        local shim p
        for shim in $(pgrep --ns "$DOCKERD_PID" --nslist pid -x containerd-shim); do
                for p in $(pgrep -P "$shim"); do
                        if awk -v want="$1" '$1 == "NSpid:" && $3 == want { f = 1 } END { exit !f }' \
                                "/proc/$p/status" 2>/dev/null; then
                                echo "$p"
                                return 0
                        fi
                done
        done
        return 1
}

# docker_runtime_procs: processes of the runtime in dockerd's pid namespace
# (berth, berth-shim, or berth's sealed copy), one "PID COMM" per line.
docker_runtime_procs() {
        local p comm
        for p in $(pgrep --ns "$DOCKERD_PID" --nslist pid); do
                comm=$(cat "/proc/$p/comm" 2>/dev/null)
                [[ $comm == berth* || $comm == memfd:berth* ]] && echo "$p $comm"
        done
}

docker_calls() {
        cat "$DD/calls.log" 2>/dev/null
}

docker_logs_have() {
        dk logs "$1" 2>/dev/null | grep -qx "$2"
}

test_docker_run_rm_output_and_exit_code() {
        docker_setup
        dk_ok info --format '{{json .Runtimes}}'
        assert_json --arg p "$DD/runtime" '.berth.path == $p' "$OUT" "docker info's runtimes"
        capture dk run --rm --runtime berth --network none bb sh -c 'echo hi from $(hostname); exit 7'
        assert_eq 7 "$RC" "docker run's exit code ($(lib_result))"
        assert_match '^hi from [0-9a-f]{12}$' "$OUT" "output"
        # It was the runtime under test, called by containerd's shim with
        # its --root and JSON log, and --rm left nothing.
        assert_line_match "^--root $DOCKER_RT_ROOT --log .*/log.json --log-format json create --bundle .* --pid-file .* [0-9a-f]{64}\$" \
                "$(docker_calls)" "runtime calls"
        assert_line_match ' start [0-9a-f]{64}$' "$(docker_calls)" "runtime calls"
        capture dk ps -a -q
        assert_eq "" "$OUT" "containers after run --rm"
        assert_eq "" "$(dk_rt list -q)" "the runtime's containers after run --rm"
}

test_docker_detached_exec_logs_top_stop_rm() {
        docker_setup
        dk_ok run -d --name c1 --runtime berth --network none bb \
                sh -c 'trap "echo bye; exit 0" TERM; echo started; while :; do sleep 0.1; done'
        local id
        id=$(dk_inspect c1 '{{.Id}}')
        assert_match '^[0-9a-f]{64}$' "$id" "container id"
        assert_eq berth "$(dk_inspect c1 '{{.HostConfig.Runtime}}')" "the container's runtime"
        assert_eq running "$(jq -r .status <(dk_rt state "$id"))" "the runtime's status"
        # containerd's shim reaps the container: the init is its child, and
        # the runtime left no process of its own (no berth-shim) behind.
        local init shim
        init=$(docker_host_pid "$(dk_inspect c1 '{{.State.Pid}}')") || fail "no host pid for c1's init"
        shim=$(ps -o ppid= -p "$init" | tr -d ' ')
        assert_eq containerd-shim "$(cat "/proc/$shim/comm")" "the parent of the container's init"
        assert_match "^/usr/bin/containerd-shim-runc-v2 -namespace moby -id $id " "$(cmdline_of "$shim")" "the shim"
        assert_eq "$init" "$(pgrep -P "$shim" | tr '\n' ' ' | sed 's/ $//')" "the shim's children"
        assert_eq "" "$(docker_runtime_procs)" "runtime processes under dockerd"
        [[ ! -e $DOCKER_RT_ROOT/$id/shim.sock ]] || fail "the container has a shim socket"
        local cg
        cg=$(awk -F: '$1 == 0 { print $3 }' "/proc/$init/cgroup")
        [[ -n ${BERTH_TEST_RUNTIME:-} ]] || assert_eq "/$DOCKER_CG/$id" "$cg" "the container's cgroup v2 group"

        wait_for 10 docker_logs_have c1 started || fail "logs: no 'started': $(dk logs c1 2>&1)"
        capture dk exec c1 sh -c 'echo in-exec; exit 3'
        assert_eq 3 "$RC" "exec's exit code ($(lib_result))"
        assert_eq in-exec "$OUT" "exec's output"
        capture dk exec -e K=v -w /tmp -u 1000 c1 sh -c 'echo $K $(pwd) $(id -u)'
        assert_eq "v /tmp 1000" "$OUT" "exec -e -w -u ($(lib_result))"
        assert_line_match " exec --process .* --detach --pid-file .* $id\$" "$(docker_calls)" "runtime calls"

        # docker top asks the runtime (ps --format json) for the pids.
        dk_ok top c1
        assert_line_match 'sh -c trap "echo bye; exit 0" TERM' "$OUT" "top"
        assert_line_match " ps --format json $id\$" "$(docker_calls)" "runtime calls"

        dk_ok stop -t 10 c1
        assert_eq exited "$(dk_inspect c1 '{{.State.Status}}')" "status after stop"
        assert_eq 0 "$(dk_inspect c1 '{{.State.ExitCode}}')" "exit code after stop (the TERM trap)"
        capture dk logs c1
        assert_eq "started"$'\n'"bye" "$OUT" "logs after stop"
        dk_ok rm c1
        assert_eq "" "$(dk_rt list -q)" "the runtime's containers after rm"
        wait_gone "$init"
}

test_docker_run_tty() {
        docker_setup
        capture "$DOCKER_HELPERS/pty-run.py" --size 30x100 -- "${DOCKER[@]}" run --rm -t --runtime berth --network none \
                bb sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; i=0
                        while [ "$(stty size 2>/dev/null)" != "30 100" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
                        stty size; exit 5'
        assert_eq 5 "$RC" "run -t's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/0' "$OUT" "tty"
        # Docker 20.10 sets the size after the start (its client's resize
        # call, which the shim applies to the console the runtime sent it),
        # so the container waits for it.
        assert_line_match '^30 100' "$OUT" "the terminal's size"
        assert_line_match '^stdin-is-a-tty' "$OUT" "stdin"
        assert_line_match ' create --bundle .* --console-socket ' "$(docker_calls)" "runtime calls"

        dk_ok run -d --name t1 --runtime berth --network none bb sleep 60
        capture "$DOCKER_HELPERS/pty-run.py" -- "${DOCKER[@]}" exec -t t1 sh -c 'tty; exit 4'
        assert_eq 4 "$RC" "exec -t's exit code ($(lib_result))"
        assert_line_match '^/dev/pts/[0-9]+' "$OUT" "exec -t's tty"
        assert_line_match ' exec .*--console-socket ' "$(docker_calls)" "runtime calls"
}

test_docker_pause_unpause() {
        docker_setup
        # Written aside and renamed: a freeze between a truncating write and
        # its data would leave the file empty for the readers below.
        dk_ok run -d --name p1 --runtime berth --network none bb \
                sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/tick.new; mv /tmp/tick.new /tmp/tick; sleep 0.05; done'
        local id tick t1 t2
        id=$(dk_inspect p1 '{{.Id}}')
        tick=/proc/$(docker_host_pid "$(dk_inspect p1 '{{.State.Pid}}')")/root/tmp/tick
        wait_file "$tick"
        dk_ok pause p1
        assert_eq paused "$(dk_inspect p1 '{{.State.Status}}')" "docker's status"
        assert_eq paused "$(jq -r .status <(dk_rt state "$id"))" "the runtime's status"
        t1=$(cat "$tick")
        sleep 0.3
        t2=$(cat "$tick")
        assert_eq "$t1" "$t2" "the counter while paused"
        dk_ok unpause p1
        assert_eq running "$(jq -r .status <(dk_rt state "$id"))" "the runtime's status after unpause"
        wait_for 5 number_above "$tick" "$t2" || fail "the counter did not move after unpause ($t1, then $(cat "$tick"))"
        assert_line_match " pause $id\$" "$(docker_calls)" "runtime calls"
        assert_line_match " resume $id\$" "$(docker_calls)" "runtime calls"
}

# Docker's client turns the runtime's error text into the shell's exit
# codes, case-sensitively (cli/command/container/run.go,
# runStartContainerErr): 127 for "executable file not found" and "no such
# file or directory", 126 for "permission denied", 125 for anything else.
test_docker_exit_codes_for_exec_errors() {
        docker_setup
        capture dk run --rm --runtime berth --network none bb /nonexistent
        assert_eq 127 "$RC" "a missing absolute path ($(lib_result))"
        assert_contains "$ERR" "OCI runtime create failed: " "docker's message"
        if [[ -z ${BERTH_TEST_RUNTIME:-} ]]; then
                assert_contains "$ERR" ': exec: "/nonexistent": stat /nonexistent: no such file or directory' \
                        "docker's message"
        fi
        capture dk run --rm --runtime berth --network none bb nosuchcmd
        assert_eq 127 "$RC" "a command not in PATH ($(lib_result))"
        assert_contains "$ERR" 'exec: "nosuchcmd": executable file not found in $PATH' "docker's message"
        capture dk run --rm --runtime berth --network none bb /etc/passwd
        assert_eq 126 "$RC" "a file that is not executable ($(lib_result))"
        capture dk run --rm --runtime berth --network none bb /etc
        assert_eq 126 "$RC" "a directory ($(lib_result))"
        capture dk ps -a -q
        assert_eq "" "$OUT" "containers left"
        assert_eq "" "$(dk_rt list -q)" "the runtime's containers"
}

# docker run --pids-limit: pids.max in the container's group where cgroup
# v2 has the pids controller; where only cgroup v1 has it (a hybrid host),
# berth refuses the limit, and the refusal is docker's message.
test_docker_pids_limit() {
        docker_setup
        local v2=/sys/fs/cgroup/unified
        [[ -e $v2/cgroup.controllers ]] || v2=/sys/fs/cgroup
        if grep -qw pids "$v2/cgroup.controllers"; then
                capture dk run --rm --runtime berth --network none --pids-limit 10 bb cat /sys/fs/cgroup/pids.max
                assert_eq 0 "$RC" "run --pids-limit 10 ($(lib_result))"
                assert_eq 10 "$OUT" "pids.max in the container"
        else
                berth_only
                capture dk run --rm --runtime berth --network none --pids-limit 10 bb true
                assert_eq 125 "$RC" "run --pids-limit 10 on a host without pids in cgroup v2 ($(lib_result))"
                assert_contains "$ERR" "OCI runtime create failed: " "docker's message"
                assert_contains "$ERR" ".linux.resources.pids.limit: the pids controller is not available in the cgroup v2 hierarchy" \
                        "docker's message"
                echo "docker's message: $ERR"
                capture dk run --rm --runtime berth --network none bb true
                assert_eq 0 "$RC" "run without a limit ($(lib_result))"
        fi
        capture dk ps -a -q
        assert_eq "" "$OUT" "containers left"
}
