#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Boots the guest made by tests/vm/build-image.sh, runs SCRIPT in it as root and powers it off:
#
#   tests/vm/vm-run.sh IMAGE-DIR SCRIPT [ARGS...]
#
# The project directory (VM_PROJECT, default: this repository) is shared read-write over virtio-9p at
# the same absolute path; SCRIPT runs (with bash) in the current directory if that is inside the project,
# else in the project. Its stdout and stderr are streamed here as they come. The image is booted with
# snapshot=on: every run starts from the same pristine disk.
#
# Exit status: SCRIPT's; 124 on timeout; 125 when the VM gave no result (the logs' tails go to stderr).
# Environment: VM_CPUS (2), VM_MEM (MiB, 1024), VM_TIMEOUT (seconds for boot + script, 180).
# Needs qemu-system-x86. Uses KVM only when /dev/kvm works and the CPU has vmx/svm, else TCG.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { echo "usage: vm-run.sh IMAGE-DIR SCRIPT [ARGS...]" >&2; exit 2; }
IMG=$1 SCRIPT=$2
shift 2
[ -f "$SCRIPT" ] || { echo "vm-run: no such script: $SCRIPT" >&2; exit 2; }
for f in vmlinuz initrd.img rootfs.ext4; do
        [ -f "$IMG/$f" ] || { echo "vm-run: $IMG/$f is missing (tests/vm/build-image.sh makes it)" >&2; exit 125; }
done
command -v qemu-system-x86_64 >/dev/null || { echo "vm-run: qemu-system-x86_64 is missing" >&2; exit 125; }

PROJECT=$(cd "${VM_PROJECT:-$HERE/../..}" && pwd -P)
WORKDIR=$(pwd -P)
case "$WORKDIR/" in "$PROJECT"/*) ;; *) WORKDIR=$PROJECT ;; esac
CPUS=${VM_CPUS:-2} MEM=${VM_MEM:-1024} TIMEOUT=${VM_TIMEOUT:-180}

# Some hosts expose a /dev/kvm that is no hardware virtualization (a paravirtual kvm_pvm under
# Firecracker boots Debian's kernel slower than TCG): require vmx/svm as well.
# shellcheck disable=SC2054 # the commas are qemu's
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
        ACCEL=kvm ACCEL_ARGS=(-accel kvm -cpu host,-arch-capabilities)
else
        ACCEL=tcg ACCEL_ARGS=(-accel tcg,thread=multi,tb-size=512 -cpu max)
fi

IO=$(mktemp -d "${TMPDIR:-/tmp}/sysrun-vm-run.XXXXXX")
QPID=
cleanup() {
        if [ -n "$QPID" ]; then
                kill -KILL "$QPID" 2>/dev/null
                wait "$QPID" 2>/dev/null
        fi
        rm -rf "$IO"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cp "$SCRIPT" "$IO/script"
: >"$IO/output"
printf 'PROJECT_DIR=%q\nWORKDIR=%q\n' "$PROJECT" "$WORKDIR" >"$IO/env"
printf 'set -- %s\n' "$(printf '%q ' "$@")" >"$IO/args"

# apparmor=0: the guest has no AppArmor userspace (apparmor_parser), as a host without AppArmor; with
# the kernel's AppArmor on, dockerd refuses every container for want of its docker-default profile.
CMDLINE="console=ttyS0 root=/dev/vda rw quiet loglevel=4 panic=-1 vm_run=1 systemd.unified_cgroup_hierarchy=1
cgroup_no_v1=all systemd.show_status=0 mitigations=off random.trust_cpu=on apparmor=0"

# The uncompressed kernel boots through PVH, without the slow (under TCG) decompressor.
KERNEL=$IMG/vmlinuz
[ -f "$IMG/vmlinux" ] && KERNEL=$IMG/vmlinux

T0=$(date +%s)
# -nic none: the guest needs no network. setpriv execs qemu (so $! is qemu's pid) with a parent-death
# signal: qemu cannot outlive this script, even if it is SIGKILLed.
setpriv --pdeathsig KILL qemu-system-x86_64 -name sysrun-vm -nodefaults -no-user-config -no-reboot \
        "${ACCEL_ARGS[@]}" -smp "$CPUS" -m "$MEM" -machine pc \
        -display none -vga none -monitor none -serial "file:$IO/console.log" -nic none \
        -kernel "$KERNEL" -initrd "$IMG/initrd.img" -append "${CMDLINE//$'\n'/ }" \
        -drive "file=$IMG/rootfs.ext4,format=raw,if=virtio,snapshot=on,cache=unsafe" \
        -fsdev "local,id=vmio,path=$IO,security_model=none" -device virtio-9p-pci,fsdev=vmio,mount_tag=vmio \
        -fsdev "local,id=project,path=$PROJECT,security_model=passthrough,multidevs=remap" \
        -device virtio-9p-pci,fsdev=project,mount_tag=project \
        -device virtio-rng-pci </dev/null >"$IO/qemu.log" 2>&1 &
QPID=$!

# Stream the guest's output while the VM runs; kill qemu when the time is up.
pos=0
stream() {
        local size
        size=$(stat -c %s "$IO/output" 2>/dev/null || echo 0)
        if [ "$size" -gt "$pos" ]; then
                tail -c +$((pos + 1)) "$IO/output" | head -c $((size - pos))
                pos=$size
        fi
}
timed_out=
while kill -0 "$QPID" 2>/dev/null; do
        stream
        if [ $(($(date +%s) - T0)) -ge "$TIMEOUT" ]; then
                timed_out=1
                kill -KILL "$QPID" 2>/dev/null
                break
        fi
        sleep 0.3
done
wait "$QPID" 2>/dev/null # no "Killed" job message on a timeout
QPID=
stream

echo "vm-run: accel=$ACCEL cpus=$CPUS mem=${MEM}M boot=$(cat "$IO/boot-time" 2>/dev/null || echo ?)s" \
        "state=$(cat "$IO/system-state" 2>/dev/null || echo ?) total=$(($(date +%s) - T0))s" >&2
if [ -f "$IO/rc" ]; then
        exit "$(cat "$IO/rc")"
fi
if [ -n "$timed_out" ]; then
        echo "vm-run: timed out after ${TIMEOUT}s" >&2
        rc=124
else
        echo "vm-run: the VM stopped without a result" >&2
        rc=125
fi
echo "---- qemu log (tail) ----" >&2
tail -20 "$IO/qemu.log" >&2
echo "---- guest console (tail) ----" >&2
tail -40 "$IO/console.log" >&2
exit $rc
