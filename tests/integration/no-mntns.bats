#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A config without a mount namespace, as runc runs it: the container stays in the runtime's mount
# namespace, chrooted into its rootfs; nothing is mounted (no propagation change of /, no rootfs bind),
# and what would need a mount is refused, maskedPaths/readonlyPaths with runc's words.

load helpers

# An id of our own: the default cgroup /sysrun/<id> is shared by every run on the host.
CID=nomnt-$$

# The spec's defaults without the mount namespace and without anything that needs one.
no_mntns() {
        update_config '.linux.namespaces |= map(select(.type != "mount"))
                | .mounts = [] | .linux.maskedPaths = [] | .linux.readonlyPaths = [] | .root.readonly = false'
}

@test "no mount namespace: the container shares the runtime's, chrooted into the rootfs; nothing is mounted" {
        no_mntns
        before=$(cat /proc/self/mountinfo)
        start_sleeper $CID
        pid=$(sysrun state $CID | jq .pid)
        [ "$(readlink /proc/$pid/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]
        [ "$(readlink /proc/$pid/root)" = "$ROOTFS" ]
        # same mounts, same propagation of / (runc would have made it a slave)
        [ "$(cat /proc/self/mountinfo)" = "$before" ]
        run sysrun exec $CID sh -c 'readlink /proc/self/ns/mnt 2>/dev/null; ls /bin/busybox; cat /etc/passwd'
        assert_status 0
        assert_output_contains /bin/busybox
        assert_output_contains "nobody:x:1000"
        run sysrun exec $CID sh -c 'echo x >/dev/null && echo dev-ok'
        assert_output_contains dev-ok
        sysrun delete --force $CID
        [ "$(cat /proc/self/mountinfo)" = "$before" ]
}

@test "no mount namespace: run prints, exits, and leaves nothing" {
        no_mntns
        set_args sh -c 'echo in-chroot; test -x /bin/busybox'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 0
        assert_output_contains in-chroot
}

@test "no mount namespace: maskedPaths and readonlyPaths are refused in runc's words" {
        no_mntns
        update_config '.linux.maskedPaths = ["/proc/kcore"]'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "linux.maskedPaths: unable to restrict sys entries without a private MNT namespace"
        update_config '.linux.maskedPaths = [] | .linux.readonlyPaths = ["/proc/sys"]'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "linux.readonlyPaths: unable to restrict sys entries without a private MNT namespace"
}

@test "no mount namespace: mounts, root.readonly and a terminal are refused (they would land in the host's namespace)" {
        no_mntns
        before=$(cat /proc/self/mountinfo)
        update_config '.mounts = [{"destination": "/proc", "type": "proc", "source": "proc"}]'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "mounts[0]: '/proc' cannot be mounted without a private MNT namespace"
        update_config '.mounts = [] | .root.readonly = true'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "root.readonly: cannot remount the rootfs without a private MNT namespace"
        update_config '.root.readonly = false | .process.terminal = true'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "process.terminal: /dev/console cannot be bound without a private MNT namespace"
        [ "$(cat /proc/self/mountinfo)" = "$before" ]
}
