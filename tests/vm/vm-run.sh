#!/bin/bash
# shellcheck disable=SC1007,SC2012,SC2015,SC2054,SC2317 # kept as the shared harness wrote it
# vm-run.sh - run a command in a throwaway QEMU VM with a pure cgroup v2 hierarchy.
#
#   vm-run.sh [options] DIR -- COMMAND [ARGS...]
#
# Boots the Debian kernel (/boot/vmlinuz-*) with cgroup_no_v1=all, mounts cgroup2
# at /sys/fs/cgroup with every controller enabled in the root's subtree_control,
# shares DIR read-write (virtio-9p) at the same absolute path and at /mnt/host,
# runs COMMAND as root with cwd DIR, streams its stdout/stderr to ours and exits
# with its exit status.
#
# Options:
#   --mem SIZE       guest memory (default 1G)
#   --cpus N         guest vCPUs (default 2)
#   --timeout SECS   kill the VM after SECS seconds, exit 124 (default 900)
#   --host-root      guest / = host / (read-only 9p) + tmpfs overlay, so the
#                    command can use the host's binaries and libraries.
#                    Default: a busybox-only root (tmpfs copy of the initramfs).
#   --kernel PATH    kernel image (default: newest /boot/vmlinuz-*)
#   --accel A        kvm or tcg (default: kvm if a hardware KVM module
#                    (kvm_intel/kvm_amd) is loaded and /dev/kvm is usable, else tcg)
#   --machine M      q35 (default), pc or microvm
#   --append ARGS    extra kernel command line arguments
#   -v, --verbose    show the guest kernel console on stderr
#
# Exit status: COMMAND's; 124 on timeout; 125 if the VM failed before reporting
# a status (the kernel console log is then printed to stderr).
# Environment: VMRUN_CACHE_DIR (initramfs cache, default ${TMPDIR:-/tmp}/vm-run-cache-$UID).
#
# Needs: qemu-system-x86, linux-image-amd64, busybox-static, kmod, cpio.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MEM=1G CPUS=2 TIMEOUT=900 HOSTROOT=0 KERNEL= ACCEL= MACHINE=q35 APPEND= VERBOSE=0

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --mem) MEM=$2; shift 2 ;;
    --cpus) CPUS=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --host-root) HOSTROOT=1; shift ;;
    --kernel) KERNEL=$2; shift 2 ;;
    --accel) ACCEL=$2; shift 2 ;;
    --machine) MACHINE=$2; shift 2 ;;
    --append) APPEND=$2; shift 2 ;;
    -v|--verbose) VERBOSE=1; shift ;;
    -h|--help) usage ;;
    --) break ;;
    -*) echo "vm-run: unknown option $1" >&2; usage ;;
    *) [ -z "${DIR:-}" ] || usage; DIR=$1; shift ;;
  esac
done
[ -n "${DIR:-}" ] && [ "${1:-}" = -- ] && [ $# -ge 2 ] || usage
shift
DIR=$(realpath -e "$DIR")
[ -d "$DIR" ] || { echo "vm-run: $DIR is not a directory" >&2; exit 2; }

# --- kernel and accelerator ---------------------------------------------------
if [ -z "$KERNEL" ]; then
  KERNEL=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1)
  [ -n "$KERNEL" ] || { echo "vm-run: no /boot/vmlinuz-* (install linux-image-amd64)" >&2; exit 2; }
fi
KVER=${KERNEL##*/vmlinuz-}
[ -d "/lib/modules/$KVER" ] || { echo "vm-run: no /lib/modules/$KVER for $KERNEL" >&2; exit 2; }

if [ -z "$ACCEL" ]; then
  # A plain /dev/kvm is not enough: nested "PVM" hosts (kvm_pvm) expose /dev/kvm
  # but can only run PVM-enabled guest kernels, and a stock kernel hangs there.
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
    ACCEL=kvm
  else
    ACCEL=tcg
  fi
fi
case "$ACCEL" in
  kvm) ACCEL_ARGS=(-accel kvm -cpu host) ;;
  tcg) ACCEL_ARGS=(-accel tcg,thread=multi -cpu max) ;;
  *) echo "vm-run: bad --accel $ACCEL" >&2; exit 2 ;;
esac

CACHE=${VMRUN_CACHE_DIR:-${TMPDIR:-/tmp}/vm-run-cache-$(id -u)}
mkdir -p "$CACHE"

# --- kernel: boot the uncompressed vmlinux through its PVH entry point -----------
# Under TCG, SeaBIOS + the bzImage self-decompression cost ~3 s per boot; QEMU can
# load the ELF vmlinux directly (Debian kernels have CONFIG_PVH=y), so extract it
# once from the bzImage (find the compressed payload by its magic) and cache it.
extract_vmlinux() {  # bzImage output
  local magic off dec
  for magic in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dcq' '\x1f\x8b\x08:gzip -dc'; do
    dec=${magic#*:}
    for off in $(LC_ALL=C grep -aboP "${magic%%:*}" "$1" 2>/dev/null | cut -d: -f1 | head -n 3); do
      tail -c +$((off + 1)) "$1" | $dec > "$2.tmp" 2>/dev/null
      if [ "$(head -c 4 "$2.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then mv "$2.tmp" "$2"; return 0; fi
    done
  done
  rm -f "$2.tmp"; return 1
}
VMLINUX=$CACHE/vmlinux-$KVER-$(stat -Lc '%s-%Y' "$KERNEL")
if [ -s "$VMLINUX" ] || extract_vmlinux "$KERNEL" "$VMLINUX"; then
  BOOT_KERNEL=$VMLINUX
else
  echo "vm-run: could not extract vmlinux from $KERNEL, booting the bzImage (slower)" >&2
  BOOT_KERNEL=$KERNEL
fi

# --- initramfs: cached base image + a small per-run archive appended -----------
KEY=$( { cat "$HERE/mkinitramfs.sh" "$HERE/guest-init.sh"; stat -Lc '%n %s %Y' /bin/busybox "/lib/modules/$KVER/modules.dep"; } \
       | sha256sum | cut -c1-16)
BASE=$CACHE/initramfs-$KVER-$KEY.cpio
[ -s "$BASE" ] || "$HERE/mkinitramfs.sh" "$BASE" "$KVER"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
QEMU_PID=
cleanup() { [ -z "$QEMU_PID" ] || kill "$QEMU_PID" 2>/dev/null || true; rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }   # POSIX sh single-quoting
mkdir -p "$RUN/cpio/vmrun"
{
  echo "VMRUN_DIR=$(q "$DIR")"
  echo "VMRUN_HOSTROOT=$HOSTROOT"
  echo "VMRUN_VERBOSE=$VERBOSE"
} > "$RUN/cpio/vmrun/env"
{
  printf 'set --'; for a in "$@"; do printf ' %s' "$(q "$a")"; done; echo
  echo 'exec "$@"'
} > "$RUN/cpio/vmrun/cmd"
(cd "$RUN/cpio" && find vmrun | cpio -o -H newc -R 0:0 --quiet) > "$RUN/run.cpio"
cat "$BASE" "$RUN/run.cpio" > "$RUN/initrd"

# --- QEMU ------------------------------------------------------------------------
# Serial ports: ttyS0 = kernel console (log file), ttyS1 = command stdout,
# ttyS2 = command stderr, ttyS3 = exit status. Plain 8250 UARTs are built into
# the kernel, so they work before any module is loaded.
CMDLINE="console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init cgroup_no_v1=all 8250.nr_uarts=4 $APPEND"
# QEMU writes the command's output into FIFOs that we copy to our own stdout/stderr.
# (Letting QEMU open /dev/stdout itself would create a new open file description:
# when our stdout is a regular file, QEMU's writes and ours would overwrite each other.)
# We keep each FIFO open read-write ourselves so no open() blocks, and close it
# once QEMU is gone so the copying `cat` sees EOF.
mkfifo "$RUN/out" "$RUN/err" "$RUN/con"
exec 3<>"$RUN/out" 4<>"$RUN/err" 5<>"$RUN/con"
cat <"$RUN/out" 3>&- 4>&- 5>&- & CAT_OUT=$!
cat <"$RUN/err" >&2 3>&- 4>&- 5>&- & CAT_ERR=$!
if [ "$VERBOSE" = 1 ]; then cat <"$RUN/con" >&2 3>&- 4>&- 5>&- & CAT_CON=$!
else cat <"$RUN/con" >"$RUN/console.log" 3>&- 4>&- 5>&- & CAT_CON=$!; fi
case "$MACHINE" in
  microvm) MACH=(-M microvm,rtc=on,pit=on,pic=on); VIRTIO=device ;;
  q35|pc)  MACH=(-M "$MACHINE"); VIRTIO=pci ;;
  *) echo "vm-run: bad --machine $MACHINE" >&2; exit 2 ;;
esac
QEMU=(qemu-system-x86_64 -nodefaults -no-user-config -nographic -no-reboot
  "${MACH[@]}" "${ACCEL_ARGS[@]}" -smp "$CPUS" -m "$MEM"
  -kernel "$BOOT_KERNEL" -initrd "$RUN/initrd" -append "$CMDLINE"
  -chardev "file,id=con,path=$RUN/con,append=on"
  -chardev "file,id=out,path=$RUN/out,append=on"
  -chardev "file,id=err,path=$RUN/err,append=on"
  -chardev "file,id=status,path=$RUN/status"
  -fsdev "local,id=dir,path=$DIR,security_model=none,multidevs=remap"
  -device "virtio-9p-$VIRTIO,fsdev=dir,mount_tag=vmrun_dir")
if [ "$MACHINE" = microvm ]; then
  QEMU+=(-device isa-serial,chardev=con,index=0 -device isa-serial,chardev=out,index=1
         -device isa-serial,chardev=err,index=2 -device isa-serial,chardev=status,index=3)
else
  QEMU+=(-serial chardev:con -serial chardev:out -serial chardev:err -serial chardev:status)
fi
if [ "$HOSTROOT" = 1 ]; then
  QEMU+=(-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
         -device "virtio-9p-$VIRTIO,fsdev=root,mount_tag=hostroot")
fi

timeout -k 5 "$TIMEOUT" "${QEMU[@]}" </dev/null 3>&- 4>&- 5>&- &
QEMU_PID=$!
set +e
wait "$QEMU_PID"; QRC=$?
set -e
QEMU_PID=
exec 3>&- 4>&- 5>&-
wait "$CAT_OUT" "$CAT_ERR" "$CAT_CON" || true

RC=$(sed -n 's/^VMRUN_EXIT=\([0-9]*\).*/\1/p' "$RUN/status" 2>/dev/null | tail -n1)
if [ -z "$RC" ]; then
  if [ "$QRC" = 124 ]; then echo "vm-run: timed out after ${TIMEOUT}s" >&2; RC=124
  else echo "vm-run: VM exited (qemu status $QRC) without reporting a status" >&2; RC=125; fi
  [ "$VERBOSE" = 1 ] || { echo "---- guest console ----" >&2; tail -n 50 "$RUN/console.log" >&2 || true; }
fi
exit "$RC"
