#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A config without a mount namespace, as runc runs it (runtime-tools' linux_ns_itype): the container
# stays in the runtime's mount namespace, chrooted into its rootfs. Its mounts go into sysrun's private
# bind of the rootfs there, which delete unmounts; "/" of the runtime is never touched. maskedPaths and
# readonlyPaths are refused in runc's words.

load helpers

# An id of our own: the default cgroup /sysrun/<id> is shared by every run on the host.
CID=nomnt-$$

# The spec's defaults without the mount namespace (and without masked and read-only paths, which
# runc refuses there).
no_mntns() {
        update_config '.linux.namespaces |= map(select(.type != "mount"))
                | .linux.maskedPaths = [] | .linux.readonlyPaths = []'
}

# The runtime's mounts, without the mount ids (a bind made and gone again changes nothing else).
mounts_now() {
        awk '{ $1 = ""; $2 = ""; print }' /proc/self/mountinfo
}

@test "no mount namespace: the runtime's, chrooted into the rootfs, the spec's mounts in a private bind; delete unmounts it" {
        no_mntns
        before=$(mounts_now)
        root_before=$(awk '$5 == "/"' /proc/self/mountinfo)
        start_sleeper $CID
        pid=$(sysrun state $CID | jq .pid)
        [ "$(readlink /proc/$pid/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]
        [ "$(readlink /proc/$pid/root)" = "$ROOTFS" ]
        # our bind of the rootfs, private (no shared: or master: tag), with the container's mounts in it
        grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ $ROOTFS " /proc/self/mountinfo | grep -vE ' (shared|master):'
        grep -q " $ROOTFS/proc " /proc/self/mountinfo
        grep -q " $ROOTFS/dev " /proc/self/mountinfo
        # "/" is as it was (runc would have made it a slave)
        [ "$(awk '$5 == "/"' /proc/self/mountinfo)" = "$root_before" ]
        run sysrun exec $CID sh -c 'cat /proc/self/cgroup >/dev/null && ls /bin/busybox; cat /etc/passwd; echo x >/dev/null && echo dev-ok'
        assert_status 0
        assert_output_contains /bin/busybox
        assert_output_contains "nobody:x:1000"
        assert_output_contains dev-ok
        sysrun delete --force $CID
        [ "$(mounts_now)" = "$before" ]
}

@test "no mount namespace: run, and a root.readonly run, exit and leave no mount" {
        no_mntns
        before=$(mounts_now)
        set_args sh -c 'echo in-chroot; test -d /proc/self'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 0
        assert_output_contains in-chroot
        [ "$(mounts_now)" = "$before" ]
        update_config '.root.readonly = true'
        set_args sh -c 'touch /x 2>&1; echo done'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 0
        assert_output_contains "Read-only file system"
        [ "$(mounts_now)" = "$before" ]
}

@test "no mount namespace: a create that fails in a mount leaves no mount" {
        no_mntns
        before=$(mounts_now)
        update_config '.mounts += [{"destination": "/x", "type": "nosuchfs", "source": "none"}]'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "mount nosuchfs on '/x'"
        assert_nothing_left $CID
        [ "$(mounts_now)" = "$before" ]
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
        update_config '.linux.readonlyPaths = [] | .linux.rootfsPropagation = "shared"'
        run sysrun run -b "$BUNDLE" $CID
        assert_status 1
        assert_output_contains "linux.rootfsPropagation: cannot be applied without a private MNT namespace"
        assert_nothing_left $CID
}
