#!/bin/busybox sh
# shellcheck shell=dash disable=SC1091,SC2046 # busybox ash; env files exist only in the guest
# guest-init.sh - /init of the vm-run.sh guest (runs as PID 1, busybox ash).
#
# Stage 1 (from the initramfs): mount proc/sys/dev, load modules, build the new
#   root and switch_root into it. pivot_root(2) does not work on the initramfs
#   "rootfs" mount, so container runtimes (runc/crun pivot_root into the container
#   rootfs) need / to be a real mount: either a tmpfs copy of the initramfs
#   (default) or the host's / shared read-only over 9p with a tmpfs overlay on
#   top (--host-root).
# Stage 2 (in the new root): mount cgroup2 (pure v2: the kernel is booted with
#   cgroup_no_v1=all) and enable every controller, mount the shared directory,
#   run the command with stdout on ttyS1, stderr on ttyS2, report its exit status
#   on ttyS3, power off.
#
# Per-run settings come from /vmrun/env and /vmrun/cmd, appended to the base
# initramfs as a second cpio archive by vm-run.sh.

BB=/bin/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { [ "${VMRUN_VERBOSE:-0}" = 1 ] && echo "vmrun-init: [$($BB cut -d" " -f1 /proc/uptime)] $*" > /dev/ttyS0; return 0; }
die() {
  echo "vmrun-init: FATAL: $*" > /dev/ttyS0
  echo "VMRUN_EXIT=125" > /dev/ttyS3
  $BB poweroff -f; $BB sleep 5; echo o > /proc/sysrq-trigger
}

P9OPTS="trans=virtio,version=9p2000.L,msize=262144"

stage1() {
  $BB mount -t proc proc /proc
  $BB mount -t sysfs sysfs /sys
  $BB mount -t devtmpfs devtmpfs /dev
  . /vmrun/env
  log "stage1: kernel $($BB uname -r), loading modules"
  $BB modprobe -a $($BB cat /etc/vmrun-modules) || die "modprobe failed"
  log "stage1: modules loaded"

  if [ "$VMRUN_HOSTROOT" = 1 ]; then
    # Host / (read-only 9p) as lower layer, tmpfs as upper layer: the guest sees
    # the host's userland (libc, runc, crun, compilers...) and can write anywhere
    # without touching the host.
    $BB mkdir -p /hostroot /rw
    $BB mount -t 9p -o "$P9OPTS,ro,cache=loose" hostroot /hostroot || die "9p hostroot mount failed"
    $BB mount -t tmpfs -o mode=0755 rw /rw
    $BB mkdir -p /rw/upper /rw/work
    $BB mount -t overlay -o lowerdir=/hostroot,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
      || die "overlay root mount failed"
  else
    $BB mount -t tmpfs -o mode=0755 root /newroot
    $BB cp -a /bin /sbin /usr /etc /lib /root /newroot/
    $BB mkdir -p /newroot/dev /newroot/proc /newroot/sys /newroot/tmp /newroot/run /newroot/mnt /newroot/var/tmp
  fi
  # Our own tools and per-run files live in /run/vmrun in the new root.
  $BB mount -t tmpfs -o mode=0755,nosuid,nodev run /newroot/run
  $BB mkdir -p /newroot/run/vmrun
  $BB cp /bin/busybox /init /vmrun/env /vmrun/cmd /newroot/run/vmrun/
  for m in /proc /sys /dev; do $BB mount --move $m /newroot$m; done
  log "stage1: switch_root"
  exec $BB switch_root /newroot /run/vmrun/busybox sh /run/vmrun/init stage2
}

stage2() {
  BB=/run/vmrun/busybox
  . /run/vmrun/env
  log "stage2: start"
  # cgroup v2 with all controllers delegated from the root.
  $BB mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || die "cgroup2 mount failed"
  for c in $($BB cat /sys/fs/cgroup/cgroup.controllers); do
    echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control || log "could not enable $c"
  done
  $BB mkdir -p /dev/pts /dev/shm /dev/mqueue
  $BB mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
  [ -e /dev/ptmx ] || $BB ln -s pts/ptmx /dev/ptmx
  $BB mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm
  $BB mount -t mqueue mqueue /dev/mqueue
  $BB mount -t tmpfs -o mode=1777 tmp /tmp
  $BB mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
  $BB mount -t bpf bpf /sys/fs/bpf 2>/dev/null
  $BB ln -sf /proc/self/fd /dev/fd; $BB ln -sf /proc/self/fd/0 /dev/stdin
  $BB ln -sf /proc/self/fd/1 /dev/stdout; $BB ln -sf /proc/self/fd/2 /dev/stderr
  $BB hostname vmrun
  $BB ip link set lo up

  # The shared directory, read-write, at the same absolute path as on the host
  # (so absolute paths baked into build trees keep working) and at /mnt/host.
  $BB mkdir -p "$VMRUN_DIR" /mnt/host
  $BB mount -t 9p -o "$P9OPTS,cache=mmap" vmrun_dir "$VMRUN_DIR" || die "9p mount of $VMRUN_DIR failed"
  [ "$VMRUN_DIR" = /mnt/host ] || $BB mount --bind "$VMRUN_DIR" /mnt/host

  for t in /dev/ttyS1 /dev/ttyS2 /dev/ttyS3; do $BB stty -F $t raw -echo 115200; done
  log "stage2: running command in $VMRUN_DIR"
  (
    cd "$VMRUN_DIR" || exit 125
    export HOME=/root TERM=dumb
    exec /bin/sh /run/vmrun/cmd
  ) </dev/null >/dev/ttyS1 2>/dev/ttyS2
  rc=$?
  log "stage2: command exited with $rc"
  $BB kill -9 -1 2>/dev/null          # stray daemons would keep the ttys open
  $BB sleep 0.1
  echo "VMRUN_EXIT=$rc" > /dev/ttyS3   # closing a tty waits until its output is sent
  $BB sync
  $BB umount "$VMRUN_DIR" 2>/dev/null
  $BB poweroff -f
  $BB sleep 5; echo o > /proc/sysrq-trigger
}

case "$1" in
  stage2) stage2 ;;
  *) stage1 ;;
esac
