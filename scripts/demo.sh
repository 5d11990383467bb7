#!/bin/bash
# demo.sh: build berth and run one container (README: "./scripts/demo.sh", as
# root on Debian 12). The container prints its hostname, its processes (only
# its own, with the workload as pid 1) and its identity, then everything is
# cleaned up. Set BERTH=/path/to/binary to skip the install and the build.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD

if [[ $EUID -ne 0 ]]; then
        echo "demo.sh: run as root" >&2
        exit 1
fi

if [[ -z ${BERTH:-} ]]; then
        ./scripts/install-deps.sh
        autoreconf -fi
        mkdir -p build-demo
        (cd build-demo && ../configure && make -j"$(nproc)")
        BERTH=$top/build-demo/berth
fi

demo=$(mktemp -d /tmp/berth-demo.XXXXXX)
state=$demo/state
id=demo-$$
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
        "$BERTH" --root "$state" delete -f "$id" >/dev/null 2>&1 || true
        rm -rf --one-file-system "$demo"
}
trap cleanup EXIT

step() {
        if [[ -t 1 ]]; then
                printf '\n\033[1m$ %s\033[0m\n' "$*"
        else
                printf '\n$ %s\n' "$*"
        fi
}

# A busybox root filesystem: one static binary and a link per applet.
rootfs=$demo/bundle/rootfs
mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,tmp,root}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
        [[ $applet == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"

step berth spec -b "$demo/bundle"
"$BERTH" spec -b "$demo/bundle"

# No terminal (the demo may run without one), and a workload that shows
# what the container sees.
jq '.process.terminal = false
    | .process.args = ["sh", "-c", "echo \"hostname: $(hostname)\"; echo; ps -o pid,user,args; echo; id"]' \
        "$demo/bundle/config.json" >"$demo/config.json"
mv "$demo/config.json" "$demo/bundle/config.json"

step berth --root "$state" run -b "$demo/bundle" "$id"
rc=0
"$BERTH" --root "$state" run -b "$demo/bundle" "$id" || rc=$?
echo
echo "exit status: $rc (berth run returns the workload's status and deletes the container)"
exit "$rc"
