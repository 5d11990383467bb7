#!/bin/bash
# shellcheck disable=SC2012
# mkinitramfs.sh - build the base initramfs used by vm-run.sh.
#
#   mkinitramfs.sh OUTPUT.cpio [KERNEL_VERSION]
#
# The image is an uncompressed newc cpio archive holding:
#   /bin/busybox (+ applet symlinks)     from Debian's busybox-static
#   /init                                the guest init (stage 1 + stage 2, see guest-init.sh)
#   /lib/modules/$KVER/...               the kernel modules listed in MODULES below and
#                                        their dependencies, plus a modules.dep made by depmod
# Needs only: busybox-static, linux-image-amd64 (its /lib/modules tree), kmod, cpio.
# It is uncompressed on purpose: under TCG (no KVM) decompressing it in the guest
# costs more time than qemu reading a few MiB.
set -euo pipefail

OUT=${1:?usage: mkinitramfs.sh OUTPUT.cpio [KERNEL_VERSION]}
KVER=${2:-$(ls /lib/modules | sort -V | tail -n1)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}   # must be the static one (busybox-static)

# Modules a container runtime's test suite typically needs. Everything else it
# needs (cgroup v2 + all controllers, namespaces, seccomp filter, tmpfs, devtmpfs,
# 8250 serial, unix/inet sockets, bpf) is built into the Debian kernel.
# EAGER modules are loaded at boot; ON_DEMAND ones are only put in the image and
# the kernel loads them itself when first used (request_module -> /sbin/modprobe,
# e.g. "mount -t ext4", "ip link add type veth"), which keeps boot fast under TCG.
EAGER_MODULES=(
  virtio_pci virtio_mmio        # virtio transports (q35/pc use PCI, microvm uses MMIO)
  9pnet_virtio 9p               # host directory sharing (virtio-9p); pulls netfs, fscache, 9pnet
  overlay                       # overlayfs (so it shows in /proc/filesystems)
  loop tun fuse                 # they create /dev/loop-control, /dev/net/tun, /dev/fuse
)
ON_DEMAND_MODULES=(
  veth bridge dummy macvlan ipvlan   # network namespace plumbing
  ext4 crc32c_generic                # ext4 on a loop device (idmapped-mount tests on a real fs)
)

file "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || {
  echo "mkinitramfs: $BUSYBOX is not statically linked (install busybox-static)" >&2; exit 1; }
[ -d "/lib/modules/$KVER/kernel" ] || { echo "mkinitramfs: no /lib/modules/$KVER" >&2; exit 1; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vmrun-initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,mnt,newroot,etc,root,vmrun}
cp "$BUSYBOX" "$STAGE/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do          # e.g. "usr/bin/awk", "sbin/modprobe"
  [ -e "$STAGE/$applet" ] || ln -s /bin/busybox "$STAGE/$applet"
done

# Kernel modules: copy each wanted module and its dependencies (as resolved by
# kmod for the *guest* kernel version), then let depmod build modules.dep so the
# guest can simply `modprobe -a ...` (and the kernel's own request_module works).
MODDIR=/lib/modules/$KVER
for m in "${EAGER_MODULES[@]}" "${ON_DEMAND_MODULES[@]}"; do
  modprobe -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
  mkdir -p "$STAGE$(dirname "$ko")"
  cp "$ko" "$STAGE$ko"
done
cp "$MODDIR"/modules.{order,builtin,builtin.modinfo} "$STAGE$MODDIR/" 2>/dev/null || true
depmod -b "$STAGE" "$KVER"
printf '%s\n' "${EAGER_MODULES[@]}" > "$STAGE/etc/vmrun-modules"

# Minimal identity files (some tools and runtimes look users/groups up).
cat > "$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$STAGE/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo vmrun > "$STAGE/etc/hostname"
: > "$STAGE/etc/fstab"

install -m 0755 "$HERE/guest-init.sh" "$STAGE/init"

(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: wrote $OUT ($(du -h "$OUT" | cut -f1), kernel $KVER, $(find "$STAGE/lib/modules" -name '*.ko' | wc -l) modules)" >&2
