#!/bin/bash
# check-vm.sh: boot one pure cgroup v2 VM (vm-run.sh, QEMU) and run the
# cgroup suite (suite.sh) inside it against the berth just built.
#
#   check-vm.sh BERTH WORKDIR
#
# The guest sees the host's / read-only (so the build, busybox, jq and the
# suite itself are there) and WORKDIR read-write, where the suite writes its
# log (WORKDIR/suite.log). The kernel and initramfs preparation is cached in
# $VMRUN_CACHE_DIR (default WORKDIR/../vm-cache). Root only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
berth=$(realpath -e "${1:?usage: check-vm.sh BERTH WORKDIR}")
work=${2:?usage: check-vm.sh BERTH WORKDIR}

if [[ $EUID -ne 0 ]]; then
        echo "check-vm: needs root (QEMU and the container runtime inside)" >&2
        exit 1
fi
for tool in qemu-system-x86_64 cpio depmod jq; do
        command -v "$tool" >/dev/null || { echo "check-vm: $tool missing: run scripts/install-deps.sh" >&2; exit 1; }
done
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
export VMRUN_CACHE_DIR=${VMRUN_CACHE_DIR:-$(dirname "$work")/vm-cache}

start=$SECONDS
set +e
"$here/vm-run.sh" --host-root --mem 1G --cpus 2 --timeout 600 "$work" -- \
        /bin/bash "$here/suite.sh" "$berth" "$work"
rc=$?
set -e
echo "check-vm: VM run took $((SECONDS - start)) s (exit $rc); log: $work/suite.log"
if [[ $rc != 0 && -f $work/suite.log ]]; then
        grep -E '^(FAIL|not ok)' -A12 "$work/suite.log" | head -n 80 || true
fi
exit "$rc"
