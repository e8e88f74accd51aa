#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Boots a real systemd as PID 1 of fresh pid/mount/uts/ipc/net/cgroup namespaces, so that sysrun's
# systemd cgroup manager can be tested on hosts where PID 1 is not systemd (CI containers, VMs).
#
#   systemd-sandbox.sh start          boot; prints the host pid of the sandbox's PID 1
#   systemd-sandbox.sh exec CMD...    run CMD inside (every namespace and the root of PID 1)
#   systemd-sandbox.sh stop           power off, kill what is left, remove the host cgroup
#
# Environment:
#   SANDBOX_DIR      state directory (required; one per sandbox)
#   SANDBOX_BIND     host directories bind-mounted read-write at the same path inside
#                    (default: SANDBOX_DIR's parent). /tmp inside is a fresh tmpfs.
#   SANDBOX_TIMEOUT  seconds to wait for the boot (default 60)
#   SANDBOX_CGMODE   unified (default): cgroup2 alone on /sys/fs/cgroup. On a v1/v2 hybrid host its
#                    cgroup2 has no controllers, so nothing is enforced in there.
#                    hybrid: a read-only tmpfs on /sys/fs/cgroup with cgroup2 at unified/, a
#                    name=systemd hierarchy and the host's own v1 hierarchies SANDBOX_V1_CONTROLLERS
#                    (default "cpu cpuacct cpuset pids blkio devices freezer"), so that systemd enforces
#                    TasksMax, CPU and IO limits and DevicePolicy= there, pause can use the v1 freezer
#                    and sysrun's own cpuset cgroups take cpu.cpus and cpu.mems. The v1 memory
#                    hierarchy is refused: it belongs to the machine.
#
# The root inside is an overlay of the host's / (writes go to a tmpfs), with its own /proc (/proc/sys
# read-only), a read-only /sys, the cgroup mounts above, tmpfs /run and /tmp and a minimal /dev. Units
# that would touch global kernel state are masked. On the host, the only change is one cgroup
# directory below the cgroup2 mount (and in hybrid mode one in each shared v1 hierarchy and in
# name=systemd), which `stop` removes. Nothing is unmounted in the host's mount namespace: the
# sandbox's mounts go away with its mount namespace.
set -u

die() { echo "systemd-sandbox: $*" >&2; exit 1; }

[ -n "${SANDBOX_DIR:-}" ] || die "SANDBOX_DIR is not set"
SB=$SANDBOX_DIR
TIMEOUT=${SANDBOX_TIMEOUT:-60}
SELF=$(readlink -f "$0")
NAME=sysrun-sandbox-$(printf %s "$SB" | md5sum | cut -c1-12)
CGMODE=${SANDBOX_CGMODE:-unified}
V1_CONTROLLERS=${SANDBOX_V1_CONTROLLERS:-cpu cpuacct cpuset pids blkio devices freezer}
case $CGMODE in
unified | hybrid) ;;
*) die "SANDBOX_CGMODE must be unified or hybrid, not '$CGMODE'" ;;
esac
if [ "$CGMODE" = hybrid ]; then
        for c in $V1_CONTROLLERS; do
                case ,$c, in *,memory,*) die "the v1 memory hierarchy is off limits" ;; esac
        done
fi

host_cgroup2() {
        local d
        for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
                [ "$(stat -fc %T "$d" 2>/dev/null)" = cgroup2fs ] && { echo "$d"; return 0; }
        done
        return 1
}

# The recorded PID 1, if it is still the same process (same start time).
sandbox_pid() {
        local p
        p=$(cat "$SB/pid" 2>/dev/null) || return 1
        [ -n "$p" ] && [ -r "/proc/$p/stat" ] || return 1
        [ "$(cut -d' ' -f22 "/proc/$p/stat")" = "$(cat "$SB/pid.start" 2>/dev/null)" ] || return 1
        echo "$p"
}

running() { # not gone and not a zombie
        local s
        s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "$s" != Z ]
}

enter() { # enter PID CMD...
        local p=$1
        shift
        nsenter --target "$p" --mount --uts --ipc --net --pid --cgroup --root --wd -- "$@"
}

# PID 1 of the new pid namespace, in the new (private) mount namespace.
sandbox_init() {
        set -e
        local R=$SB/root E
        mount -t tmpfs -o mode=0755,size=1g sandbox-upper "$SB/upper"
        mkdir -p "$SB/upper/data" "$SB/upper/work"
        mount -t overlay sandbox-root -o "lowerdir=/,upperdir=$SB/upper/data,workdir=$SB/upper/work" "$R"

        mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
        mount --bind "$R/proc/sys" "$R/proc/sys"
        mount -o remount,bind,ro "$R/proc/sys"
        if [ -e "$R/proc/sysrq-trigger" ]; then mount --bind /dev/null "$R/proc/sysrq-trigger"; fi
        mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
        if [ "$CGMODE" = unified ]; then
                mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$R/sys/fs/cgroup"
        else
                mount -t tmpfs -o mode=0755,nosuid,nodev,noexec,size=4m cgroup "$R/sys/fs/cgroup"
                mkdir "$R/sys/fs/cgroup/unified" "$R/sys/fs/cgroup/systemd"
                mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$R/sys/fs/cgroup/unified"
                mount -t cgroup -o nosuid,nodev,noexec,none,name=systemd cgroup "$R/sys/fs/cgroup/systemd"
                for c in $V1_CONTROLLERS; do
                        mkdir "$R/sys/fs/cgroup/$c"
                        mount -t cgroup -o "nosuid,nodev,noexec,$c" cgroup "$R/sys/fs/cgroup/$c"
                done
                # read-only: systemd must not mount more hierarchies (the v1 memory one above all)
                mount -o remount,ro,nosuid,nodev,noexec,mode=0755 cgroup "$R/sys/fs/cgroup"
        fi
        mount -t tmpfs -o mode=0755,nosuid,nodev,size=256m run "$R/run"
        mount -t tmpfs -o mode=1777,nosuid,nodev,size=512m tmp "$R/tmp"

        local b
        for b in ${SANDBOX_BIND:-}; do
                [ -d "$b" ] || continue
                mkdir -p "$R$b"
                mount --bind "$b" "$R$b"
        done

        # /dev: the basic nodes only, a private devpts, no console tty
        mount -t tmpfs -o mode=0755,nosuid,size=4m dev "$R/dev"
        mknod -m 666 "$R/dev/null" c 1 3
        mknod -m 666 "$R/dev/zero" c 1 5
        mknod -m 666 "$R/dev/full" c 1 7
        mknod -m 666 "$R/dev/random" c 1 8
        mknod -m 666 "$R/dev/urandom" c 1 9
        mknod -m 666 "$R/dev/tty" c 5 0
        mkdir -m 0755 "$R/dev/pts" "$R/dev/mqueue" "$R/dev/hugepages"
        mkdir -m 1777 "$R/dev/shm"
        mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$R/dev/pts"
        mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m shm "$R/dev/shm"
        ln -s pts/ptmx "$R/dev/ptmx"
        ln -s /proc/self/fd "$R/dev/fd"
        ln -s /proc/self/fd/0 "$R/dev/stdin"
        ln -s /proc/self/fd/1 "$R/dev/stdout"
        ln -s /proc/self/fd/2 "$R/dev/stderr"
        touch "$R/dev/console" # a plain file: systemd logs only to a console that is a tty

        # configuration, in the overlay's tmpfs upper layer
        tr -d - </proc/sys/kernel/random/uuid >"$R/etc/machine-id"
        echo sysrun-sandbox >"$R/etc/hostname"
        E=$R/etc/systemd/system
        mkdir -p "$E"
        for u in getty.target console-getty.service container-getty@.service getty@.service \
                serial-getty@.service systemd-ask-password-console.path systemd-ask-password-wall.path \
                systemd-sysctl.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
                proc-sys-fs-binfmt_misc.mount systemd-timesyncd.service systemd-pstore.service \
                systemd-journald-audit.socket systemd-udevd.service systemd-udevd-control.socket \
                systemd-udevd-kernel.socket systemd-udev-trigger.service systemd-udev-settle.service \
                systemd-modules-load.service kmod-static-nodes.service systemd-hwdb-update.service \
                sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount \
                sys-fs-fuse-connections.mount dev-hugepages.mount systemd-remount-fs.service \
                systemd-firstboot.service systemd-machine-id-commit.service systemd-random-seed.service \
                systemd-update-utmp.service systemd-journal-flush.service timers.target podman.socket \
                remote-fs.target swap.target cryptsetup.target systemd-networkd.service \
                systemd-resolved.service; do
                ln -sf /dev/null "$E/$u"
        done
        mkdir -p "$R/etc/systemd/journald.conf.d"
        printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\n' >"$R/etc/systemd/journald.conf.d/sandbox.conf"
        printf '[Unit]\nDescription=sysrun sandbox\nRequires=basic.target\nWants=dbus.socket dbus.service\nAfter=basic.target dbus.service\nAllowIsolate=yes\n' \
                >"$E/sysrun-sandbox.target"

        cd "$R"
        mkdir -p .oldroot
        pivot_root . .oldroot
        umount -l /.oldroot
        rmdir /.oldroot || true
        cd /
        exec env -i container=sysrun-sandbox PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                /lib/systemd/systemd --unit=sysrun-sandbox.target --log-target=journal --show-status=no \
                </dev/null >/dev/console 2>&1
}

do_start() {
        local cg2 cg launcher p="" c i st="" hostns deadline
        if p=$(sandbox_pid); then die "already running (pid $p)"; fi
        [ -x /lib/systemd/systemd ] || die "systemd is not installed"
        cg2=$(host_cgroup2) || die "no cgroup2 mount on the host"
        cg=$cg2/$NAME
        mkdir -p "$SB/root" "$SB/upper"
        rm -f "$SB/pid" "$SB/pid.start" "$SB/launcher.log"
        [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null # a stale, empty one
        mkdir "$cg" || die "cannot create $cg"
        echo "$cg" >"$SB/cgroup"
        if [ "$CGMODE" = hybrid ]; then
                for c in systemd $V1_CONTROLLERS; do
                        [ "$(stat -fc %T "/sys/fs/cgroup/$c" 2>/dev/null)" = cgroupfs ] ||
                                { do_stop >/dev/null 2>&1; die "no v1 hierarchy at /sys/fs/cgroup/$c on the host"; }
                        mkdir -p "/sys/fs/cgroup/$c/$NAME" && echo "/sys/fs/cgroup/$c/$NAME" >>"$SB/cgroup"
                        # a new cpuset cgroup takes no task until it has cpus and mems: the root's
                        if [ "$c" = cpuset ]; then
                                for f in cpuset.cpus cpuset.mems; do
                                        cat "/sys/fs/cgroup/cpuset/$f" >"/sys/fs/cgroup/cpuset/$NAME/$f"
                                done
                        fi
                done
        fi

        # The launcher joins the new cgroups first: the cgroup namespace makes them systemd's root.
        (
                for c in $(cat "$SB/cgroup"); do echo "$BASHPID" >"$c/cgroup.procs"; done
                exec setsid unshare --mount --propagation private --pid --fork --kill-child=SIGKILL \
                        --uts --ipc --net --cgroup \
                        env SANDBOX_DIR="$SB" SANDBOX_CGMODE="$CGMODE" SANDBOX_V1_CONTROLLERS="$V1_CONTROLLERS" \
                        SANDBOX_BIND="${SANDBOX_BIND-$(dirname "$SB")}" "$SELF" __init
        ) </dev/null >"$SB/launcher.log" 2>&1 &
        launcher=$!
        echo "$launcher" >"$SB/launcher.pid"

        # PID 1 is the launcher's child that lives in another pid namespace.
        hostns=$(readlink /proc/self/ns/pid)
        for i in $(seq 200); do
                for c in $(cat "/proc/$launcher/task/$launcher/children" 2>/dev/null); do
                        local ns
                        ns=$(readlink "/proc/$c/ns/pid" 2>/dev/null) || continue
                        [ "$ns" != "$hostns" ] && { p=$c; break; }
                done
                [ -n "$p" ] && break
                running "$launcher" || break
                sleep 0.05
        done
        if [ -z "$p" ]; then
                cat "$SB/launcher.log" >&2
                do_stop >/dev/null 2>&1
                die "the launcher died"
        fi
        echo "$p" >"$SB/pid"
        cut -d' ' -f22 "/proc/$p/stat" >"$SB/pid.start"

        deadline=$(($(date +%s) + TIMEOUT))
        while [ "$(date +%s)" -lt "$deadline" ]; do
                running "$p" || break
                if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ]; then
                        st=$(enter "$p" systemctl is-system-running 2>/dev/null)
                        case $st in running | degraded) break ;; esac
                fi
                sleep 0.1
        done
        case $st in
        running | degraded) ;;
        *)
                cat "$SB/launcher.log" >&2
                running "$p" && enter "$p" journalctl -b --no-pager 2>/dev/null | tail -30 >&2
                do_stop >/dev/null 2>&1
                die "systemd did not boot in ${TIMEOUT}s (state '$st')"
                ;;
        esac
        echo "$p"
}

do_exec() {
        local p cg wd=/
        p=$(sandbox_pid) || die "not running"
        [ $# -gt 0 ] || set -- /bin/bash
        for cg in $(cat "$SB/cgroup"); do mkdir -p "$cg/exec"; done
        [ -d "/proc/$p/root$PWD" ] && wd=$PWD
        (
                # in the sandbox's cgroup tree, so that /proc/self/cgroup means something inside
                for cg in $(cat "$SB/cgroup"); do echo "$BASHPID" >"$cg/exec/cgroup.procs"; done
                exec nsenter --target "$p" --mount --uts --ipc --net --pid --cgroup --root --wd -- \
                        env -i -C "$wd" container=sysrun-sandbox HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
                        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${SANDBOX_EXEC_ENV:-} "$@"
        )
}

do_stop() {
        local p l cg i left rc=0
        if p=$(sandbox_pid); then
                kill -s SIGRTMIN+4 "$p" 2>/dev/null # poweroff; in a container PID 1 then exits
                for i in $(seq 100); do running "$p" || break; sleep 0.1; done
                if running "$p"; then
                        echo "systemd-sandbox: PID 1 ($p) is still there after 10 s, SIGKILL" >&2
                        kill -9 "$p" 2>/dev/null # takes the whole pid namespace with it
                        for i in $(seq 50); do running "$p" || break; sleep 0.1; done
                fi
        fi
        l=$(cat "$SB/launcher.pid" 2>/dev/null)
        if [ -n "$l" ] && [ "$(readlink "/proc/$l/exe" 2>/dev/null)" = "$(command -v unshare)" ]; then
                for i in $(seq 30); do running "$l" || break; sleep 0.1; done
                running "$l" && kill -9 "$l"
        fi
        for cg in $(cat "$SB/cgroup" 2>/dev/null); do
                [ -d "$cg" ] || continue
                for i in $(seq 50); do
                        left=$(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
                        [ -z "$left" ] && break
                        sleep 0.1
                done
                [ -n "$left" ] && { echo "systemd-sandbox: processes left in $cg: $left" >&2; rc=1; }
                find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
                [ -d "$cg" ] && { echo "systemd-sandbox: cannot remove $cg" >&2; rc=1; }
        done
        if grep -q " $SB/" /proc/self/mountinfo; then
                echo "systemd-sandbox: the host's mount table still mentions $SB" >&2
                rc=1
        fi
        rm -f "$SB/pid" "$SB/pid.start" "$SB/launcher.pid" "$SB/cgroup"
        return $rc
}

[ "$(id -u)" = 0 ] || die "must run as root"
cmd=${1:-}
shift || true
case $cmd in
start) do_start ;;
exec) do_exec "$@" ;;
stop) do_stop ;;
__init) sandbox_init ;;
*)
        echo "usage: $0 start | exec CMD... | stop" >&2
        exit 2
        ;;
esac
