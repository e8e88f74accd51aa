#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the small Debian 12 guest that tests/vm/vm-run.sh boots: systemd as PID 1 on a pure cgroup v2
# hierarchy, with the libraries sysrun links against, busybox-static (for container rootfses), jq, criu,
# podman and docker.io.
#
#   tests/vm/build-image.sh OUT
#
# Writes into OUT (created if needed):
#   vmlinuz        Debian's linux-image-amd64 kernel (extracted with dpkg-deb, not installed on the host)
#   vmlinux        the same, uncompressed (faster to boot; vm-run.sh prefers it)
#   initrd.img     busybox initramfs: insmods virtio_pci/virtio_blk/ext4, switch_roots to /dev/vda
#   rootfs.ext4    debootstrap minbase + systemd + dbus + the vm-run guest agent (vm-run.service)
#
# tests/vm/run.sh caches OUT keyed by a hash of this file, so any change here rebuilds the image.
#
# Needs root and the host packages debootstrap, e2fsprogs, cpio, busybox-static, wget, xz-utils (run.sh
# installs them) and the Debian archive this host's apt uses (MIRROR= overrides it).
# Exit status: 0 built; 3 the Debian archive is unreachable; anything else is a real failure.
set -euo pipefail

OUT=${1:?usage: build-image.sh OUT}
SUITE=bookworm
IMAGE_SIZE=1G
# systemd + dbus: the cgroup manager under test (no udev: nothing waits for devices, see fstab below).
# kmod: the 9p modules load on demand. libseccomp2 libcap2 libjson-c5 (libsystemd0 comes with systemd):
# what the host-built sysrun links against. criu, with iproute2 and iptables that it runs (network
# namespaces, the network lock of a dump): checkpoint/restore (tests/vm/checkpoint.sh).
# systemd-container: machined, which restored containers are registered with again.
# podman (checkpoint.sh drives sysrun through it) with what it depends on, named here because
# debootstrap takes the first of alternatives and drops virtual packages: netavark (the
# container-network-stack), gpg for libgpgme11 (instead of the whole gnupg suite) and runc for
# "crun | runc" (the peer checkpoint.sh compares with).
# docker.io (dockerd 20.10 with containerd and tini; enforce-engines.sh runs sysrun under it).
GUEST_PACKAGES=systemd,systemd-sysv,dbus,kmod,procps,libseccomp2,libcap2,libjson-c5,busybox-static,jq,criu,iproute2,iptables,systemd-container
GUEST_PACKAGES+=,podman,conmon,golang-github-containers-common,golang-github-containers-image,netavark,gpg,runc
GUEST_PACKAGES+=,docker.io
GUEST_EXCLUDE=gnupg,crun
# Kernel modules copied into the guest (the rest of the 300 MB tree is never needed here). criu check
# needs the sock_diag modules, tun, veth and nf_tables (kernel/net, kernel/drivers/net).
MODULE_DIRS="kernel/fs kernel/net kernel/lib kernel/crypto kernel/drivers/virtio kernel/drivers/block
             kernel/drivers/char/hw_random kernel/drivers/net"

T0=$(date +%s)
log() { echo "[build-image +$(($(date +%s) - T0))s] $*" >&2; }
die() { echo "build-image: $*" >&2; exit 1; }
unreachable() { echo "build-image: the Debian archive is unreachable: $*" >&2; exit 3; }

[ "$(id -u)" = 0 ] || die "must run as root"
for t in debootstrap mkfs.ext4 cpio apt-get dpkg-deb wget xz; do
        command -v "$t" >/dev/null || die "'$t' is missing (apt-get install debootstrap e2fsprogs cpio wget xz-utils)"
done
BUSYBOX=/bin/busybox
file_is_static() { ! LC_ALL=C ldd "$1" >/dev/null 2>&1; }
if ! [ -x "$BUSYBOX" ] || ! file_is_static "$BUSYBOX"; then
        die "a static $BUSYBOX is needed (apt-get install busybox-static)"
fi

# The first archive URI of this host's apt sources (deb822 or one-line format).
host_mirror() {
        {
                cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { print $2; exit }'
                cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '/^deb / { print $2; exit }'
        } | head -1
        return 0
}
MIRROR=${MIRROR:-$(host_mirror)}
[ -n "$MIRROR" ] || die "no Debian archive in this host's apt sources; set MIRROR"
wget -q -T 15 -t 2 -O /dev/null "$MIRROR/dists/$SUITE/Release" || unreachable "$MIRROR"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sysrun-vmimg.XXXXXX")
KPID=
cleanup() {
        [ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
        rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$OUT"
ROOT=$WORK/root

# ---- 1. kernel, fetched in the background while debootstrap runs ----
# linux-image-amd64 is a metapackage: its dependency is the real kernel package.
fetch_kernel() {
        cd "$WORK/kernel"
        # Refresh the package lists once if the download fails (they may be missing or stale).
        apt-get download linux-image-amd64 >download.log 2>&1 ||
                { apt-get update -qq && apt-get download linux-image-amd64; } >>download.log 2>&1 ||
                return 3
        local dep
        dep=$(dpkg-deb -f linux-image-amd64_*.deb Depends | tr ',' '\n' | grep -o 'linux-image-[^ ]*' | head -1)
        apt-get download "$dep" >>download.log 2>&1 || return 3
        dpkg-deb -x "$dep"_*.deb root
        rm -f ./*.deb
}
mkdir -p "$WORK/kernel"
chmod 777 "$WORK/kernel" # apt-get download drops privileges to _apt
log "fetching the kernel; debootstrap $SUITE from $MIRROR"
fetch_kernel &
KPID=$!

# ---- 2. root filesystem ----
if ! debootstrap --variant=minbase --include="$GUEST_PACKAGES" --exclude="$GUEST_EXCLUDE" "$SUITE" "$ROOT" "$MIRROR" \
        >"$WORK/debootstrap.log" 2>&1; then
        tail -20 "$WORK/debootstrap.log" >&2
        grep -qiE 'Failed getting release|Couldn.t download|Temporary failure|Connection refused|unable to resolve' \
                "$WORK/debootstrap.log" && unreachable "debootstrap could not download"
        die "debootstrap failed"
fi
log "debootstrap done"
rc=0
wait "$KPID" || rc=$?
KPID=
if [ $rc -ne 0 ]; then
        tail -5 "$WORK/kernel/download.log" >&2
        [ $rc -eq 3 ] && unreachable "apt-get download linux-image-amd64 failed"
        die "unpacking the kernel failed"
fi
KVER=$(ls "$WORK/kernel/root/lib/modules")
log "kernel $KVER"

KM=$WORK/kernel/root/lib/modules/$KVER
RM=$ROOT/lib/modules/$KVER
mkdir -p "$RM"
cp "$KM"/modules.order "$KM"/modules.builtin* "$RM"/
(cd "$KM" && for d in $MODULE_DIRS; do [ -d "$d" ] && find "$d" -name '*.ko*'; done | cpio -pdm --quiet "$RM")
chroot "$ROOT" depmod -a "$KVER"

# ---- 3. configuration: quiet, fast, stateless boot ----
echo sysrun-vm >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost sysrun-vm\n::1 localhost\n' >"$ROOT/etc/hosts"
# No fsck (pass 0): the root is mounted rw by the initramfs, and no unit waits for dev-vda.device.
echo '/dev/vda / ext4 rw,relatime 0 0' >"$ROOT/etc/fstab"
chroot "$ROOT" passwd -d root >/dev/null
ln -sf /usr/share/zoneinfo/Etc/UTC "$ROOT/etc/localtime"
# Nothing in the guest needs timers, gettys, logins, networking, persistent state or the usual API
# mounts other than /proc, /sys, /dev and cgroup2: every unit costs a second or more under TCG.
for u in systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
        dpkg-db-backup.timer systemd-tmpfiles-clean.timer getty@tty1.service serial-getty@ttyS0.service \
        e2scrub_reap.service systemd-networkd-wait-online.service systemd-journal-flush.service \
        systemd-random-seed.service systemd-update-utmp.service systemd-update-utmp-runlevel.service \
        systemd-firstboot.service systemd-machine-id-commit.service ldconfig.service \
        systemd-hwdb-update.service systemd-journal-catalog-update.service systemd-update-done.service \
        systemd-logind.service systemd-sysusers.service modprobe@.service kmod-static-nodes.service \
        dev-hugepages.mount dev-mqueue.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
        sys-kernel-config.mount sys-fs-fuse-connections.mount systemd-pstore.service \
        systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
        docker.service docker.socket containerd.service; do
        ln -sf /dev/null "$ROOT/etc/systemd/system/$u"
done
# dockerd and containerd are started by the tests that use them, with their own configuration (the
# cgroupfs driver): at boot they would cost both tiers seconds. Nothing runs the shims of containerd's
# v1 runtime, ctr, or libnetwork's tools (68 MB).
rm -f "$ROOT"/usr/bin/{ctr,containerd-shim,containerd-shim-runc-v1,dnet} "$ROOT/usr/sbin/ovrouter"
mkdir -p "$ROOT/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' >"$ROOT/etc/systemd/journald.conf.d/vm.conf"

# ---- 4. guest agent: run the host's script once, then power off ----
# The host shares a directory tagged "vmio" holding env (PROJECT_DIR, WORKDIR), args and script; the
# agent writes output (stdout+stderr, streamed by the host), rc, boot-time and system-state into it.
# The script runs from that share, so it finds the project through $PROJECT_DIR.
cat >"$ROOT/usr/local/sbin/vm-run-guest" <<'EOF'
#!/bin/bash
set -u
IO=/run/vmio
mkdir -p $IO
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 vmio $IO || { echo "vm-run-guest: no vmio share"; exit 1; }
. $IO/env
set --
. $IO/args
# Type=simple does not hold up the boot, so wait for it to finish before testing.
state=$(timeout 120 systemctl is-system-running --wait 2>&1)
awk '{ print $1 }' /proc/uptime >$IO/boot-time
echo "$state" >$IO/system-state
if [ -n "${PROJECT_DIR:-}" ]; then
        mkdir -p "$PROJECT_DIR"
        mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,access=any project "$PROJECT_DIR" ||
                echo "vm-run-guest: cannot mount the project share at $PROJECT_DIR" >>$IO/output
fi
cd "${WORKDIR:-/}" 2>/dev/null || cd /
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin VM_GUEST=1 PROJECT_DIR
setsid bash $IO/script "$@" </dev/null >>$IO/output 2>&1
echo $? >$IO/rc.tmp && mv $IO/rc.tmp $IO/rc
sync
EOF
chmod 755 "$ROOT/usr/local/sbin/vm-run-guest"
cat >"$ROOT/etc/systemd/system/vm-run.service" <<'EOF'
[Unit]
Description=Run the host's script and power off
After=multi-user.target
ConditionKernelCommandLine=vm_run=1
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
# Not oneshot: the boot must reach "running" while the script runs.
Type=simple
ExecStart=/usr/local/sbin/vm-run-guest
StandardOutput=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/vm-run.service "$ROOT/etc/systemd/system/multi-user.target.wants/vm-run.service"

chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* \
        "$ROOT"/usr/share/locale/*
: >"$ROOT/etc/machine-id" # empty: systemd makes a transient one at each boot

# ---- 5. initramfs: just enough to mount /dev/vda ----
log "initramfs"
IR=$WORK/initrd
mkdir -p "$IR"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$BUSYBOX" "$IR/bin/busybox"
for a in sh mount umount switch_root insmod sleep cat seq; do ln -s busybox "$IR/bin/$a"; done
for m in virtio_pci virtio_blk ext4; do
        chroot "$ROOT" modprobe -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r p; do
        cp "$ROOT$p" "$IR/lib/modules/"
        echo "/lib/modules/${p##*/}" >>"$IR/modules.list"
done
cat >"$IR/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.list); do insmod $m 2>/dev/null; done
for i in $(seq 1 200); do [ -b /dev/vda ] && break; sleep 0.05; done
mount -t ext4 -o rw /dev/vda /newroot || { echo "initrd: cannot mount /dev/vda"; exec sh; }
umount /proc /sys; mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init "$@"
EOF
chmod 755 "$IR/init"
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initrd.img"
# qemu boots an uncompressed ELF kernel through its PVH entry point, which skips the decompressor: that
# saves ~5 s of every boot under TCG. Where the compressed kernel lies in the bzImage is in its setup
# header (Documentation/x86/boot.rst: setup_sects at 0x1f1, payload_offset/payload_length at 0x248/0x24c);
# the payload's last 4 bytes are the uncompressed size, which checks the result. Debian compresses with xz.
# vm-run.sh boots vmlinuz when there is no vmlinux.
vmlinuz=$WORK/kernel/root/boot/vmlinuz-$KVER
cp "$vmlinuz" "$OUT/vmlinuz"
le() { od -An -tu"$2" -j "$1" -N "$2" "$vmlinuz" | tr -d ' '; } # le OFFSET BYTES
start=$((($(le $((0x1f1)) 1) + 1) * 512 + $(le $((0x248)) 4))) len=$(le $((0x24c)) 4)
{ tail -c +$((start + 1)) "$vmlinuz" | head -c "$len" | xz -dc >"$OUT/vmlinux" 2>/dev/null; } || true
if [ "$(stat -c %s "$OUT/vmlinux")" = "$(le $((start + len - 4)) 4)" ]; then
        log "uncompressed kernel for PVH boot: $(du -h "$OUT/vmlinux" | cut -f1)"
else
        log "could not uncompress the kernel; it will boot through its decompressor"
        rm -f "$OUT/vmlinux"
fi

# ---- 6. ext4 image (sparse; vm-run.sh boots it with snapshot=on, so it is never modified) ----
log "ext4 image"
rm -f "$OUT/rootfs.ext4"
mkfs.ext4 -q -F -L vmroot -E root_owner=0:0 -d "$ROOT" "$OUT/rootfs.ext4" "$IMAGE_SIZE" >&2
echo "$KVER" >"$OUT/kernel-version"
log "done: rootfs $(du -sh "$ROOT" | cut -f1), image $(du -sh "$OUT/rootfs.ext4" | cut -f1) on disk"
