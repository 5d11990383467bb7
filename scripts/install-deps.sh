#!/bin/bash
# install-deps.sh: install everything berth's build and tests need on a fresh
# Debian 12, as root. Safe to run again: apt-get skips what is installed.
set -euo pipefail

if [[ $EUID -ne 0 ]]; then
        echo "install-deps.sh: run as root (apt-get needs it)" >&2
        exit 1
fi

export DEBIAN_FRONTEND=noninteractive

packages=(
        # build
        build-essential autoconf automake libtool pkg-config
        libseccomp-dev libcap-dev libyajl-dev libmnl-dev
        # berth-shim is linked statically against musl: ~70 KiB resident
        musl-tools
        # unit tests
        check
        # integration tests: a static userland for the rootfs, JSON, the
        # host tools the suite calls, and runc as the reference runtime
        busybox-static jq iproute2 procps util-linux coreutils runc
        # rootless tests: a user with subordinate ids (useradd, newuidmap)
        passwd uidmap
        # fuzzing (make fuzz): clang with its libFuzzer runtime
        clang libclang-rt-14-dev
        # static analysis, and checks on scripts and man pages
        cppcheck shellcheck groff-base man-db
        # the benchmark (bench/bench.sh): crun beside runc, GNU time for RSS
        crun time
        # the engines berth runs under (tests/integration/test-podman.sh and
        # test-containerd.sh): Podman through conmon, containerd through
        # containerd-shim-runc-v2, and grpcio for the containerd API call
        # ctr 1.6 lacks (Tasks.Update)
        podman conmon containerd python3-grpcio
        # Docker 20.10 (tests/integration/test-docker.sh): dockerd runs the
        # runtime through its containerd child and containerd-shim-runc-v2;
        # it needs containerd and runc, both above
        docker.io
)

# The cgroup v2 VM harness (tests/vm), when the tree has one.
if [[ -d "$(dirname "$0")/../tests/vm" ]]; then
        packages+=(qemu-system-x86 linux-image-amd64 cpio kmod)
fi

apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
