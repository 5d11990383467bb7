# shellcheck shell=bash disable=SC2016 # $ in single quotes is for jq
# test-badinput.sh: a table of malformed bundles. Each one makes `create`
# exit 1 with a message naming the problem (the file, the JSON path and what
# was expected), without a crash or a sanitizer report (lib.sh fails the test
# on any report in the captured output), and leaves nothing behind: no state
# directory, no mount, no cgroup and no process.

# One edit of the base config per line: a jq filter, a tab, and a fragment
# the error message must contain. Config errors name the JSON path, so a
# message that names the wrong field fails; the last few fail inside the
# container, after clone, where a leak would be likeliest.
BAD_EDITS=$(
        cat <<'EOF'
.ociVersion = 1	config.json: .ociVersion: expected string, got number
.process = "x"	config.json: .process: expected object, got string
del(.process)	config.json: .process: required
.process.args = "sh"	config.json: .process.args: expected array, got string
.process.args = []	config.json: .process.args: expected a non-empty array, got []
.process.args = [1]	config.json: .process.args[0]: expected string, got number
.process.cwd = "relative"	config.json: .process.cwd: expected an absolute path, got "relative"
.process.cwd = 7	config.json: .process.cwd: expected string, got number
.process.env = ["NOEQUALS"]	config.json: .process.env[0]: expected "NAME=value", got "NOEQUALS"
.process.env = "PATH=/bin"	config.json: .process.env: expected array, got string
.process.user.uid = -1	config.json: .process.user.uid: expected integer in range 0..4294967295, got -1
.process.user.uid = 4294967296	config.json: .process.user.uid: expected integer in range 0..4294967295, got 4294967296
.process.user.uid = "0"	config.json: .process.user.uid: expected integer, got string
.process.user.gid = 1.5	config.json: .process.user.gid: expected integer, got 1.5
.process.user.umask = 99999999999	config.json: .process.user.umask: expected integer in range 0..4294967295
.process.user.additionalGids = [1, "x"]	config.json: .process.user.additionalGids[1]: expected integer, got string
.process.terminal = "yes"	config.json: .process.terminal: expected boolean, got string
.process.capabilities.bounding = ["CAP_NOPE"]	config.json: .process.capabilities.bounding[0]: unknown capability "CAP_NOPE"
.process.capabilities.effective = "CAP_KILL"	config.json: .process.capabilities.effective: expected array, got string
.process.rlimits = [{"type":"RLIMIT_NOPE","soft":1,"hard":1}]	config.json: .process.rlimits[0].type: unknown rlimit "RLIMIT_NOPE"
.process.rlimits = [{"type":"RLIMIT_NOFILE","soft":10,"hard":5}]	config.json: .process.rlimits[0].soft: expected at most the hard limit 5, got 10
.process.rlimits = [{"type":"RLIMIT_CORE","soft":1,"hard":1},{"type":"RLIMIT_CORE","soft":1,"hard":1}]	config.json: .process.rlimits[1]: duplicate rlimit "RLIMIT_CORE"
.process.rlimits = [{"type":"RLIMIT_CORE","soft":1e400,"hard":1}]	config.json: .process.rlimits[0].soft: expected integer, got 1.79
.process.oomScoreAdj = 5000	config.json: .process.oomScoreAdj: expected integer in range -1000..1000, got 5000
.process.noNewPrivileges = 1	config.json: .process.noNewPrivileges: expected boolean, got number
.process.scheduler = {"policy":"SCHED_NOPE"}	config.json: .process.scheduler.policy: unknown scheduler policy "SCHED_NOPE"
.process.ioPriority = {"class":"IOPRIO_CLASS_NOPE","priority":1}	config.json: .process.ioPriority.class: unknown I/O priority class "IOPRIO_CLASS_NOPE"
.process.ioPriority = {"class":"IOPRIO_CLASS_BE","priority":99}	config.json: .process.ioPriority.priority: expected integer in range 0..7, got 99
.process.consoleSize = {"height":-1,"width":1}	config.json: .process.consoleSize.height: expected integer in range 0..4294967295, got -1
.root = null	config.json: .root: required
.root.path = 5	config.json: .root.path: expected string, got number
.root.path = ""	config.json: .root.path: expected a non-empty string, got ""
.root.readonly = "true"	config.json: .root.readonly: expected boolean, got string
.hostname = 12	config.json: .hostname: expected string, got number
.hostname = ("h" * 65)	config.json: .hostname: expected at most 64 bytes, got 65
.linux.namespaces -= [{"type":"uts"}]	config.json: .hostname: requires a uts namespace
.mounts = {}	config.json: .mounts: expected array, got object
.mounts += [{"type":"tmpfs","source":"t"}]	config.json: .mounts[7].destination: required
.mounts += [{"destination":"relative","type":"tmpfs","source":"t"}]	config.json: .mounts[7].destination: expected an absolute path, got "relative"
.mounts += [{"destination":"/x","type":"tmpfs","source":"t","options":"ro"}]	config.json: .mounts[7].options: expected array, got string
.mounts += [{"destination":"/x","type":"bind","source":"/tmp","options":["rbind","idmap"]}]	config.json: .mounts[7]: idmap needs the mount's uidMappings and gidMappings
.linux = []	config.json: .linux: expected object, got array
.linux.namespaces = [{"type":"pid"},{"type":"pid"}]	config.json: .linux.namespaces[1]: duplicate namespace type "pid"
.linux.namespaces = [{"type":"nope"}]	config.json: .linux.namespaces[0].type: unknown namespace type "nope"
.linux.namespaces = [{"path":"/proc/1/ns/net"}]	config.json: .linux.namespaces[0].type: required
.linux.namespaces += [{"type":"user"}]	config.json: .linux.uidMappings: required with a new user namespace
.linux.uidMappings = [{"containerID":0,"hostID":0,"size":1}]	config.json: .linux.uidMappings: requires a new user namespace
.linux.namespaces += [{"type":"user"}] | .linux.uidMappings = [{"containerID":0,"hostID":0,"size":0}] | .linux.gidMappings = [{"containerID":0,"hostID":0,"size":1}]	config.json: .linux.uidMappings[0].size:
.linux.devices = [{"path":"/dev/x","type":"q","major":1,"minor":1}]	config.json: .linux.devices[0].type: unknown device type "q"
.linux.devices = [{"path":"relative","type":"c","major":1,"minor":1}]	config.json: .linux.devices[0].path: expected an absolute path, got "relative"
.linux.devices = [{"path":"/dev/x","type":"c"}]	config.json: .linux.devices[0].major: required
.linux.resources.memory.limit = "1G"	config.json: .linux.resources.memory.limit: expected integer, got string
.linux.resources.pids.limit = "many"	config.json: .linux.resources.pids.limit: expected integer, got string
.linux.resources.cpu.shares = -5	config.json: .linux.resources.cpu.shares: expected integer in range 0..18446744073709551615, got -5
.linux.resources.devices = [{"allow":"yes"}]	config.json: .linux.resources.devices[0].allow: expected boolean, got string
.linux.resources.devices = [{"allow":false,"access":"rwz"}]	config.json: .linux.resources.devices[0].access: expected a combination of "r", "w" and "m", got "rwz"
.linux.cgroupsPath = "../../escape"	config.json: .linux.cgroupsPath: "../../escape" escapes the hierarchy
.linux.cgroupsPath = 5	config.json: .linux.cgroupsPath: expected string, got number
.linux.sysctl = {"kernel.nope":"1"}	config.json: .linux.sysctl["kernel.nope"]: not in a namespace of the container's own
.linux.sysctl = {"net.ipv4.ip_forward": 1}	config.json: .linux.sysctl["net.ipv4.ip_forward"]: expected string, got number
.linux.seccomp = {"defaultAction":"SCMP_ACT_NOPE"}	config.json: .linux.seccomp.defaultAction: unknown seccomp action "SCMP_ACT_NOPE"
.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_NOPE"]}	config.json: .linux.seccomp.architectures[0]: unknown seccomp architecture "SCMP_ARCH_NOPE"
.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}	config.json: .linux.seccomp.syscalls[0].args[0].index:
.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_NOPE"}]}]}	config.json: .linux.seccomp.syscalls[0].args[0].op: unknown
.linux.seccomp = {"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NOPE"]}	config.json: .linux.seccomp.flags[0]: unknown seccomp flag "SECCOMP_FILTER_FLAG_NOPE"
.linux.maskedPaths = ["relative"]	config.json: .linux.maskedPaths[0]: expected an absolute path, got "relative"
.linux.readonlyPaths = [1]	config.json: .linux.readonlyPaths[0]: expected string, got number
.linux.rootfsPropagation = "sideways"	config.json: .linux.rootfsPropagation: unknown rootfs propagation "sideways"
.linux.timeOffsets = {"monotonic":{"secs":"1"}}	config.json: .linux.timeOffsets["monotonic"].secs: expected integer, got string
.linux.personality = {"domain":"NOPE"}	config.json: .linux.personality.domain: unknown personality domain "NOPE"
.hooks.prestart = [{"args":["x"]}]	config.json: .hooks.prestart[0].path: required
.hooks.poststart = [{"path":"relative"}]	config.json: .hooks.poststart[0].path: expected an absolute path, got "relative"
.hooks.prestart = [{"path":"/bin/true","timeout":0}]	config.json: .hooks.prestart[0].timeout: expected integer in range 1..2147483647, got 0
.annotations = {"a": 1}	config.json: .annotations["a"]: expected string, got number
.linux.mountLabel = 7	config.json: .linux.mountLabel: expected string, got number
.mounts += [{"destination":"/x","type":"bind","source":"/nonexistent-berth-src","options":["bind"]}]	mount /x: bind source /nonexistent-berth-src: No such file or directory
.mounts += [{"destination":"/x","type":"nosuchfs","source":"t"}]	mount /x: filesystem type "nosuchfs": No such device
.mounts += [{"destination":"/x","type":"tmpfs","source":"t","options":["bogusflag"]}]	mount /x (tmpfs): bogusflag:
.process.args = ["/no/such/program"]	exec: "/no/such/program": stat /no/such/program: no such file or directory
EOF
)

# Raw config.json contents that jq cannot produce, as NAME and a generator
# writing the file to stdout (from the valid base config on stdin).
bad_raw_truncated() { head -c 200; }
bad_raw_not_json() { echo '{"process": }'; }
bad_raw_empty() { :; }
bad_raw_trailing() { cat; echo '{}'; }
bad_raw_not_utf8() { jq -c '.process.args = ["echo", "@@"]' | sed 's/@@/\xff\xfe/'; }
bad_raw_bom() { printf '\xef\xbb\xbf'; cat; }
bad_raw_nul_byte() { printf '{"a":\0}'; }
bad_raw_nul_escape() { jq '.process.args = ["a\u0000b"]'; }
bad_raw_duplicate_key() { jq -c . | sed 's/"process":/"process":{"args":["x"],"cwd":"\/"},"process":/'; }
bad_raw_deep_nesting() {
        # 1 MiB of brackets: yajl's tree (and its recursive free) must never see it.
        printf '{"x":'
        head -c 524288 /dev/zero | tr '\0' '['
        head -c 524288 /dev/zero | tr '\0' ']'
        printf '}'
}
bad_raw_huge_number() { jq -c '.process.user.uid = 1' | sed 's/"uid":1/"uid":99999999999999999999999999/'; }
# Over the 16 MiB cap (leading whitespace is valid JSON), refused before parsing.
bad_raw_too_large() {
        head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' '
        cat
}

BAD_RAW=(
        "truncated	config.json: invalid JSON: parse error: premature EOF"
        "not_json	config.json: invalid JSON: parse error"
        "empty	config.json: invalid JSON: parse error: premature EOF"
        "trailing	config.json: invalid JSON: parse error: trailing garbage"
        "not_utf8	config.json: invalid JSON: lexical error: invalid bytes in UTF8 string"
        "bom	config.json: invalid JSON: lexical error"
        "nul_byte	config.json: invalid JSON: contains a NUL byte"
        "nul_escape	config.json: invalid JSON: \\u0000 in a string is not supported"
        "duplicate_key	config.json: invalid JSON: duplicate key \"process\""
        "deep_nesting	config.json: invalid JSON: nested deeper than 64 levels"
        "huge_number	config.json: .process.user.uid: expected integer in range 0..4294967295, got 99999999999999999999999999"
        "too_large	config.json: larger than 16 MiB"
)

# The cgroup v2 mount, where a leaked group would show.
cgroup2_root() {
        awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

# leftovers PREFIX: what a failed create with an id starting with PREFIX
# left on the host: state directories, mounts under the work dir, cgroups
# and processes.
leftovers() {
        local prefix=$1 cg p cmd
        find "$STATE_ROOT" -mindepth 1 -maxdepth 1 -name '[!.]*' -printf 'state dir: %f\n' 2>/dev/null
        awk -v w="$WORK" 'index($5, w "/") == 1 { print "mount: " $5 }' /proc/self/mountinfo
        cg=$(cgroup2_root)
        if [[ -n $cg ]]; then
                find "$cg" -maxdepth 4 -type d -name "$prefix*" 2>/dev/null | sed 's/^/cgroup: /'
        fi
        for p in /proc/[0-9]*; do
                cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
                [[ $cmd != *" $prefix"* ]] || echo "process ${p#/proc/}: $cmd"
        done
}

# expect_bad ID MSG: create from $BUNDLE fails with exit 1 and a one-line
# message naming MSG. Appends a line to BAD_FAILURES otherwise.
expect_bad() {
        local id=$1 msg=$2
        capture rt create -b "$BUNDLE" "$id"
        if [[ $RC != 1 ]]; then
                BAD_FAILURES+=("$id [$msg]: expected exit 1, got $(lib_result)")
        elif [[ $ERR != *"$msg"* ]]; then
                BAD_FAILURES+=("$id: expected [$msg], got [$ERR]")
        elif [[ $(grep -c '' <<<"$ERR") != 1 ]]; then
                BAD_FAILURES+=("$id: expected a one-line message, got [$ERR]")
        fi
}

# check_bad_run PREFIX COUNT: report every failed case and every leftover.
check_bad_run() {
        local prefix=$1 count=$2 left
        left=$(leftovers "$prefix")
        [[ -z $left ]] || BAD_FAILURES+=("left behind after the failed creates: $left")
        if ((${#BAD_FAILURES[@]} > 0)); then
                printf '  %s\n' "${BAD_FAILURES[@]}" >&2
                fail "${#BAD_FAILURES[@]} of $count malformed bundles were not refused cleanly"
        fi
}

test_badinput_config_edits() {
        berth_only
        local filter msg n=0
        BAD_FAILURES=()
        while IFS=$'\t' read -r filter msg; do
                n=$((n + 1))
                new_bundle "b$n"
                cfg "$filter"
                expect_bad "bad-$n" "$msg"
        done <<<"$BAD_EDITS"
        ((n >= 70)) || die "the table has only $n cases"
        check_bad_run bad- "$n"
}

test_badinput_raw_files() {
        berth_only
        local entry name msg n=0
        BAD_FAILURES=()
        for entry in "${BAD_RAW[@]}"; do
                name=${entry%%$'\t'*}
                msg=${entry#*$'\t'}
                n=$((n + 1))
                new_bundle "raw-$name"
                "bad_raw_$name" <"$BUNDLE/config.json" >"$BUNDLE/config.json.new" || die "generate $name"
                mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
                expect_bad "raw-$name" "$msg"
        done
        check_bad_run raw- "$n"
}

test_badinput_bundle_shapes() {
        berth_only
        BAD_FAILURES=()
        new_bundle no-config
        rm "$BUNDLE/config.json"
        expect_bad shape-1 "config.json: No such file or directory"

        new_bundle config-dir
        rm "$BUNDLE/config.json"
        mkdir "$BUNDLE/config.json"
        expect_bad shape-2 "config.json: Is a directory"

        new_bundle rootfs-missing
        cfg --arg p "$TEST_TMP/no-such-rootfs" '.root.path = $p'
        expect_bad shape-3 "config.json: .root.path: $TEST_TMP/no-such-rootfs: No such file or directory"

        new_bundle rootfs-symlink
        ln -s "$ROOTFS" "$BUNDLE/rootfs"
        cfg '.root.path = "rootfs"'
        expect_bad shape-4 "config.json: .root.path: rootfs is a symlink"

        new_bundle rootfs-file
        : >"$BUNDLE/rootfs"
        cfg '.root.path = "rootfs"'
        expect_bad shape-5 "config.json: .root.path: rootfs: expected a directory"

        new_bundle rootfs-symlink-to-host
        ln -s / "$BUNDLE/rootfs"
        cfg '.root.path = "rootfs"'
        expect_bad shape-6 "config.json: .root.path: rootfs is a symlink"
        check_bad_run shape- 6
}
