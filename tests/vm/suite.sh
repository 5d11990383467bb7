#!/bin/bash
# suite.sh: the cgroup v2 suite, run inside the VM by check-vm.sh (pure
# cgroup v2, every controller enabled at the root). Each check writes a
# limit through berth and reads it back from the cgroup files, or proves
# that the kernel enforces it. Output goes to WORKDIR/suite.log (the serial
# line is slow); the summary line goes to stdout.
#
#   suite.sh BERTH WORKDIR
# shellcheck disable=SC2015,SC2016 # "check && ok || fail" is meant; $ in single quotes is the container's
set -uo pipefail

BERTH=$1
WORK=$2
LOG=$WORK/suite.log
CG=/sys/fs/cgroup
STATE=/tmp/berth-vm-state
exec 3>&1 >"$LOG" 2>&1

pass=0 failed=0 current=
ok() { echo "ok: $current: $*"; }
fail() {
        echo "FAIL: $current: $*"
        failed=$((failed + 1))
        current_failed=1
}
begin() {
        current=$1 current_failed=0
        echo "==== $current ($SECONDS s)"
}
end() {
        [[ $current_failed == 1 ]] || pass=$((pass + 1))
        for id in "$@"; do
                rt delete -f "$id" >/dev/null 2>&1
                [[ ! -e $CG/berth/$id ]] || fail "delete left $CG/berth/$id"
        done
}
rt() { timeout 120 "$BERTH" --root "$STATE" "$@"; }
expect_file() {         # FILE WANT
        local got
        got=$(cat "$1" 2>&1)
        if [[ $got == "$2" ]]; then ok "$1 = $2"; else fail "$1: expected [$2], got [$got]"; fi
}
wait_status() {         # ID STATUS
        local t0=$SECONDS
        while ((SECONDS - t0 < 60)); do
                [[ $(rt state "$1" 2>/dev/null | jq -r .status) == "$2" ]] && return 0
                sleep 0.2
        done
        fail "$1 never became $2"
        return 1
}

# ---- fixtures: a busybox rootfs on tmpfs and a base config -------------------
setup() {
        ROOTFS=/tmp/vm-rootfs
        mkdir -p $ROOTFS/{bin,etc,proc,sys,dev,tmp,mnt}
        cp /bin/busybox $ROOTFS/bin/
        for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -sf busybox "$ROOTFS/bin/$a"; done
        echo 'root:x:0:0:root:/root:/bin/sh' >$ROOTFS/etc/passwd
        echo 'root:x:0:' >$ROOTFS/etc/group
        mkdir -p /tmp/spec && (cd /tmp/spec && "$BERTH" spec) || { echo "berth spec failed"; exit 1; }
        jq --arg r "$ROOTFS" '.process.terminal = false | .root = {path: $r, readonly: false}' \
                /tmp/spec/config.json >/tmp/base.json
        # A loop device gives io.max a real block device to name.
        truncate -s 16M /tmp/disk.img
        LOOP=$(losetup -f --show /tmp/disk.img) || echo "losetup failed"
        LOOP_DEV=$(stat -Lc '%t:%T' "$LOOP" 2>/dev/null | { IFS=: read -r a b; echo "$((16#$a)):$((16#$b))"; })
}
# bundle NAME JQ-FILTER: /tmp/b/NAME with the base config edited.
bundle() {
        B=/tmp/b/$1
        mkdir -p "$B"
        jq "$2" /tmp/base.json >"$B/config.json" || fail "jq $2"
}

t_limits_written() {
        begin limits_written
        B=/tmp/b/limits
        mkdir -p "$B"
        jq --argjson ld "[${LOOP_DEV/:/,}]" '.linux.resources = {
                memory: {limit: 33554432, swap: 67108864, reservation: 16777216},
                pids: {limit: 10},
                cpu: {shares: 1024, quota: 50000, period: 100000, cpus: "0", mems: "0"},
                blockIO: {weight: 500, throttleReadBpsDevice: [{major: $ld[0], minor: $ld[1], rate: 1048576}]},
                hugepageLimits: [{pageSize: "2MB", limit: 4194304}],
                unified: {"memory.high": "29999104"}} | .process.args = ["sleep", "1000"]' \
                /tmp/base.json >"$B/config.json"
        rt run -d -b "$B" lim || fail "run -d"
        local g=$CG/berth/lim
        expect_file $g/memory.max 33554432
        expect_file $g/memory.swap.max 33554432
        expect_file $g/memory.low 16777216
        expect_file $g/memory.high 29999104      # a multiple of the page size
        expect_file $g/pids.max 10
        expect_file $g/cpu.max "50000 100000"
        expect_file $g/cpu.weight 39
        expect_file $g/cpuset.cpus 0
        expect_file $g/cpuset.mems 0
        expect_file $g/hugetlb.2MB.max 4194304
        grep -q "^$LOOP_DEV rbps=1048576 " $g/io.max && ok "io.max $LOOP_DEV rbps" ||
                fail "io.max: $(cat $g/io.max)"
        if [[ -e $g/io.bfq.weight ]]; then
                expect_file $g/io.bfq.weight "default 500"
        else
                expect_file $g/io.weight "default 4950"
        fi
        grep -qx "$(pgrep -f 'sleep 1000' | head -n1)" $g/cgroup.procs && ok "the workload is in the group" ||
                fail "workload not in $g/cgroup.procs"
        end lim
}

t_oom_kill() {
        begin oom_kill
        bundle oom '.process.args = ["sh", "-c", "sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=100M count=1"]
                   | .linux.resources.memory = {limit: 33554432, swap: 33554432}'
        rt run -b "$B" oom1 >/tmp/oom1.out 2>&1
        local rc=$?
        [[ $rc == 137 ]] && ok "run returned 137" || fail "run returned $rc, expected 137: $(cat /tmp/oom1.out)"
        rt create -b "$B" oom2 >/dev/null 2>&1 </dev/null || fail "create oom2"
        rt events oom2 >/tmp/oom2.events 2>&1 &
        local ev=$!
        sleep 0.3
        rt start oom2
        wait_status oom2 stopped
        sleep 0.5
        kill "$ev" 2>/dev/null
        wait "$ev" 2>/dev/null
        grep -q '^oom_kill 1$' $CG/berth/oom2/memory.events && ok "memory.events oom_kill 1" ||
                fail "memory.events: $(cat $CG/berth/oom2/memory.events)"
        grep -q '{"type":"oom","id":"oom2"}' /tmp/oom2.events && ok "events reported the OOM" ||
                fail "events output: $(cat /tmp/oom2.events)"
        end oom1 oom2
}

t_pids_limit() {
        begin pids_limit
        # ash gives up (exit 2) when it cannot fork: try in a subshell.
        bundle pids '.process.args = ["sh", "-c", "(i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done) 2>&1; echo after-fork-bomb"]
                    | .linux.resources.pids.limit = 10'
        rt run -b "$B" pids >/tmp/pids.out 2>&1
        local rc=$?
        grep -q "can't fork" /tmp/pids.out && grep -q after-fork-bomb /tmp/pids.out &&
                ok "fork failed under pids.max 10" || fail "no fork failed (run exit $rc): $(cat /tmp/pids.out)"
        end pids
}

t_devices() {
        begin devices
        bundle dev '.process.args = ["sh", "-c", "echo x > /dev/null && echo null-ok; echo t > /dev/kmsg && echo kmsg-ok; true"]
                   | .linux.devices = [{path: "/dev/kmsg", type: "c", major: 1, minor: 11}]'
        rt run -b "$B" dev1 >/tmp/dev.out 2>&1
        grep -q null-ok /tmp/dev.out && ok "/dev/null allowed" || fail "/dev/null: $(cat /tmp/dev.out)"
        grep -q kmsg-ok /tmp/dev.out && fail "/dev/kmsg was not denied"
        grep -q "Operation not permitted" /tmp/dev.out && ok "/dev/kmsg denied with EPERM" ||
                fail "no EPERM: $(cat /tmp/dev.out)"
        bundle dev2 '.process.args = ["sh", "-c", "echo t > /dev/kmsg && echo kmsg-ok"]
                   | .linux.devices = [{path: "/dev/kmsg", type: "c", major: 1, minor: 11}]
                   | .linux.resources.devices += [{allow: true, type: "c", major: 1, minor: 11, access: "w"}]'
        rt run -b "$B" dev2 >/tmp/dev2.out 2>&1
        grep -q kmsg-ok /tmp/dev2.out && ok "an allow rule opens /dev/kmsg" || fail "allow rule: $(cat /tmp/dev2.out)"
        end dev1 dev2
}

t_pause_update_ps_events() {
        begin pause_update_ps_events
        bundle ctl '.process.args = ["sh", "-c", "sleep 1000 & exec sleep 1001"]
                   | .linux.resources = {memory: {limit: 33554432}, pids: {limit: 10}, cpu: {quota: 50000}}'
        rt run -d -b "$B" ctl || fail "run -d"
        local g=$CG/berth/ctl
        rt pause ctl || fail "pause"
        [[ $(rt state ctl | jq -r .status) == paused ]] && ok "state: paused" || fail "state after pause"
        grep -q '^frozen 1' $g/cgroup.events && ok "cgroup.events frozen 1" || fail "not frozen"
        rt resume ctl || fail "resume"
        [[ $(rt state ctl | jq -r .status) == running ]] && ok "state: running" || fail "state after resume"
        rt update --memory 64m --pids-limit 20 --cpu-quota 20000 --cpu-period 50000 --cpu-shares 2048 ctl || fail "update"
        expect_file $g/memory.max 67108864
        expect_file $g/pids.max 20
        expect_file $g/cpu.max "20000 50000"
        expect_file $g/cpu.weight 79
        echo '{"memory": {"limit": 50331648, "swap": 100663296}, "pids": {"limit": 30}}' |
                timeout 60 "$BERTH" --root "$STATE" update --resources - ctl || fail "update --resources -"
        expect_file $g/memory.max 50331648
        expect_file $g/memory.swap.max 50331648
        expect_file $g/pids.max 30
        local n
        n=$(rt ps --format json ctl | jq length)
        [[ $n == 2 ]] && ok "ps --format json lists 2 pids" || fail "ps json: $(rt ps --format json ctl)"
        rt ps ctl | grep -q 'sleep 1001' && ok "ps table" || fail "ps table: $(rt ps ctl)"
        local s
        s=$(rt events --stats ctl)
        jq -e '.type == "stats" and .data.memory.usage.usage > 0 and .data.memory.usage.limit == 50331648
               and .data.pids.current == 2 and .data.pids.limit == 30 and .data.cpu.usage.total > 0' <<<"$s" >/dev/null &&
                ok "events --stats" || fail "events --stats: $s"
        rt kill --all ctl KILL || fail "kill --all"
        wait_status ctl stopped
        rt delete ctl || fail "delete"
        [[ ! -e $g ]] && ok "delete removed the group" || fail "delete left $g"
        end ctl
}

# A user's container in a delegated subtree, as systemd's user@UID.service
# gives one (a group the user owns, controllers in its subtree_control):
# berth, run by the user from a group inside it, makes the container's
# group beside its own and applies the limits there (issue: rootless).
t_rootless_delegated() {
        begin rootless_delegated
        local u=berthvm uid d=$CG/deleg st=/tmp/deleg-state g pid
        id $u >/dev/null 2>&1 || useradd -M -d /nonexistent -s /bin/sh $u || { fail "useradd"; end; return; }
        uid=$(id -u $u)
        mkdir -p $d/shell
        echo "+pids +memory" >$d/cgroup.subtree_control || fail "enable pids and memory in $d"
        chown $u $d $d/cgroup.procs $d/cgroup.subtree_control $d/cgroup.threads \
                $d/shell $d/shell/cgroup.procs $d/shell/cgroup.threads
        install -d -m 0700 -o $u $st
        bundle rl "$(printf '%s' '.process.args = ["sleep", "1000"] | .process.noNewPrivileges = true
                | .linux.namespaces = [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}, {type: "user"}]
                | .linux.uidMappings = [{containerID: 0, hostID: UID, size: 1}]
                | .linux.gidMappings = [{containerID: 0, hostID: UID, size: 1}]
                | .mounts |= map(select(.type != "sysfs" and .type != "cgroup" and .destination != "/dev/mqueue"))
                | .mounts |= map(if .destination == "/dev/pts" then .options -= ["gid=5"] else . end)
                | .linux.resources = {pids: {limit: 10}, memory: {limit: 67108864}}' | sed "s/UID/$uid/g")"
        chmod -R a+rX /tmp/b
        # Root puts the user's shell in the subtree; from there on it is the user's.
        (
                echo $BASHPID >$d/shell/cgroup.procs
                exec runuser -u $u -- timeout 60 "$BERTH" --root $st run -d -b "$B" rl1
        ) >/tmp/rl.out 2>&1 || fail "rootless run -d in the delegated subtree: $(cat /tmp/rl.out)"
        g=$d/berth-rl1
        expect_file $g/pids.max 10
        expect_file $g/memory.max 67108864
        pid=$(runuser -u $u -- "$BERTH" --root $st state rl1 | jq -r .pid)
        grep -qx "$pid" $g/cgroup.procs && ok "the init is in $g" || fail "init $pid not in $g: $(cat $g/cgroup.procs)"
        [[ $(stat -c %u $g) == "$uid" ]] && ok "the group is the user's" || fail "owner of $g: $(stat -c %u $g)"
        runuser -u $u -- timeout 60 "$BERTH" --root $st delete -f rl1 || fail "rootless delete"
        [[ ! -e $g ]] && ok "delete removed $g" || fail "delete left $g"
        end
}

# Podman through conmon with berth as its runtime, where cgroup v2 is real:
# --memory and --pids-limit reach the container's group (issue: engines).
t_podman_limits() {
        begin podman_limits
        if ! command -v podman >/dev/null || ! command -v conmon >/dev/null; then
                fail "podman or conmon not installed (scripts/install-deps.sh)"
                end
                return
        fi
        local pd=/tmp/pd out
        mkdir -p $pd/tmp
        printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >$pd/containers.conf
        local -a pm=(env "CONTAINERS_CONF=$pd/containers.conf" podman --root "$pd/storage" --runroot "$pd/run"
                     --tmpdir "$pd/tmp" --storage-driver vfs --runtime "$BERTH" --cgroup-manager cgroupfs
                     --events-backend file)
        tar -C "$ROOTFS" -c . | timeout 120 "${pm[@]}" import - localhost/bb >/tmp/pd-import.log 2>&1 ||
                fail "podman import: $(cat /tmp/pd-import.log)"
        out=$(timeout 120 "${pm[@]}" run --rm --network none --memory 32m --pids-limit 10 localhost/bb \
                sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max' 2>&1)
        [[ $out == $'33554432\n10' ]] && ok "podman run --memory 32m --pids-limit 10: memory.max and pids.max" ||
                fail "podman run with limits: $out"
        out=$(timeout 120 "${pm[@]}" run --rm --network none --pids-limit 10 localhost/bb \
                sh -c '(i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done) 2>&1; echo after' 2>&1)
        grep -q "can't fork" <<<"$out" && ok "podman --pids-limit 10 holds" || fail "no fork failed: $out"
        end
}

setup
t_podman_limits
t_rootless_delegated
t_limits_written
t_oom_kill
t_pids_limit
t_devices
t_pause_update_ps_events
losetup -d "$LOOP" 2>/dev/null
echo "cgroup v2 VM suite: $pass tests passed, $failed checks failed" | tee /dev/fd/3
[[ $failed == 0 ]]
