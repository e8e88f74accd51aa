#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Process security: capabilities, seccomp (incl. notify), LSM labels, user namespaces, stdio
# ownership, and regression tests for runtime CVEs (each attacks sysrun and must fail).

load helpers

SECCOMP_AGENT=${SECCOMP_AGENT:-$(dirname "$SYSRUN")/../../tests/helpers/seccomp-agent}

# run_container ID: `sysrun run` in the foreground, stdin from /dev/null; output in $output.
run_container() {
        run sysrun run -b "$BUNDLE" "$1" </dev/null
}

# cap_field NAME: the hex value of NAME (CapBnd, …) in $output (a /proc/self/status dump).
cap_field() {
        awk -v f="$1:" '$1 == f { print $2 }' <<<"$output"
}

# assert_caps BND EFF PRM INH AMB (hex, as in /proc/self/status)
assert_caps() {
        local want=("$@") names=(CapBnd CapEff CapPrm CapInh CapAmb) i got
        for i in 0 1 2 3 4; do
                got=$(cap_field "${names[i]}")
                [ "$got" = "${want[i]}" ] || fail "${names[i]}: $got, expected ${want[i]}" "$output"
        done
}

# refute_in_file REGEX FILE (`! grep` would not fail a bats test)
refute_in_file() {
        if grep -qE "$1" "$2"; then
                fail "/$1/ found in $2:" "$(cat "$2")"
        fi
}

# A writable rootfs owned by the user namespace's root (host uid/gid 100000).
use_userns() {
        chown -R 100000:100000 "$ROOTFS"
        update_config '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# ---- capabilities -------------------------------------------------------------------------------

@test "caps: the default config, as root" {
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        # CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE; root gets its bounding set at execve.
        assert_caps 0000000020000420 0000000020000420 0000000020000420 0000000000000000 0000000000000000
        refute_output_contains "warning"
}

@test "caps: inheritable and ambient sets, as root" {
        update_config '.process.capabilities.inheritable = ["CAP_NET_BIND_SERVICE"]
                | .process.capabilities.ambient = ["CAP_NET_BIND_SERVICE"]'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps 0000000020000420 0000000020000420 0000000020000420 0000000000000400 0000000000000400
}

@test "caps: a non-root user with CAP_NET_BIND_SERVICE in its ambient set holds it" {
        update_config '.process.user = {"uid": 1000, "gid": 1000}
                | .process.capabilities = {"bounding": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
                        "effective": ["CAP_NET_BIND_SERVICE"], "permitted": ["CAP_NET_BIND_SERVICE"],
                        "inheritable": ["CAP_NET_BIND_SERVICE"], "ambient": ["CAP_NET_BIND_SERVICE"]}'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps 0000000000000420 0000000000000400 0000000000000400 0000000000000400 0000000000000400
        refute_output_contains "warning"

        # And it can use it: a port below 1024.
        set_args sh -c 'nc -l -p 80 & sleep 0.3; netstat -ltn | grep -c ":80 "; kill %1'
        run_container c2
        assert_status 0
        [ "${lines[0]}" = 1 ] || fail "nothing listens on port 80" "$output"
}

@test "caps: a non-root user without ambient capabilities has none after exec" {
        update_config '.process.user = {"uid": 1000, "gid": 1000}
                | .process.capabilities = {"bounding": ["CAP_NET_BIND_SERVICE"],
                        "effective": ["CAP_NET_BIND_SERVICE"], "permitted": ["CAP_NET_BIND_SERVICE"]}'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps 0000000000000400 0000000000000000 0000000000000000 0000000000000000 0000000000000000

        set_args nc -l -p 80
        run_container c2
        [ "$status" -ne 0 ] || fail "a user without CAP_NET_BIND_SERVICE could listen on port 80"
        assert_output_contains "Permission denied"
}

@test "caps: ambient capabilities outside permitted+inheritable are dropped, silently as runc does (--debug tells)" {
        update_config '.process.user = {"uid": 1000, "gid": 1000}
                | .process.capabilities = {"bounding": ["CAP_NET_BIND_SERVICE"],
                        "permitted": ["CAP_NET_BIND_SERVICE"], "ambient": ["CAP_NET_BIND_SERVICE"]}'
        set_args true
        run_container c1
        assert_status 0
        assert_output_equals ""
        set_args cat /proc/self/status
        run sysrun --debug run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_contains "ignoring ambient capabilities that are not both permitted and inheritable: CAP_NET_BIND_SERVICE"
        assert_caps 0000000000000400 0000000000000000 0000000000000000 0000000000000000 0000000000000000
}

@test "caps: absent capabilities leave the process's capabilities alone (as runc)" {
        local host_bnd
        host_bnd=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
        update_config 'del(.process.capabilities)'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps "$host_bnd" "$host_bnd" "$host_bnd" 0000000000000000 0000000000000000
}

@test "caps: empty sets drop every capability" {
        update_config '.process.capabilities = {"bounding": [], "effective": [], "permitted": [],
                "inheritable": [], "ambient": []}'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
}

@test "caps: an unknown capability is dropped with a warning that names it; the container runs" {
        update_config '.process.capabilities.bounding += ["CAP_TEST", "CAP_FUTURE_THING"]
                | .process.capabilities.permitted += ["CAP_TEST"]'
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_output_contains "warning: process.capabilities: ignoring unknown capabilities: CAP_TEST, CAP_FUTURE_THING"
        assert_caps 0000000020000420 0000000020000420 0000000020000420 0000000000000000 0000000000000000
}

@test "caps: a capability outside sysrun's own bounding set is refused, as runc and crun do" {
        local bnd wrap=()
        # Run sysrun without CAP_SYS_RESOURCE in its bounding set (this VM's lacks it already).
        bnd=$(printf '%d' 0x$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status))
        if ((bnd & (1 << 24))); then
                command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
                wrap=(setpriv --bounding-set -sys_resource --)
        fi
        update_config '.process.capabilities.bounding += ["CAP_SYS_RESOURCE"]
                | .process.capabilities.permitted += ["CAP_SYS_RESOURCE"]
                | .process.capabilities.effective += ["CAP_SYS_RESOURCE"]'
        set_args cat /proc/self/status
        run "${wrap[@]}" env SYSRUN_TEST_TOKEN="$TOKEN" "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" c1 </dev/null
        assert_status 1
        assert_output_equals "sysrun: config.json: process.capabilities.effective: unable to apply caps: CAP_SYS_RESOURCE is not in sysrun's own bounding set: operation not permitted"
        assert_nothing_left c1

        # Only in the bounding set: dropped (it cannot be had), as runc does; the rest is kept.
        update_config '.process.capabilities.permitted -= ["CAP_SYS_RESOURCE"]
                | .process.capabilities.effective -= ["CAP_SYS_RESOURCE"]'
        run "${wrap[@]}" env SYSRUN_TEST_TOKEN="$TOKEN" "$SYSRUN" --root "$ROOT" run -b "$BUNDLE" c1 </dev/null
        assert_status 0
        refute_output_contains "warning"
        assert_caps 0000000020000420 0000000020000420 0000000020000420 0000000000000000 0000000000000000
}

@test "caps: an effective capability that is not permitted is a clear error" {
        update_config '.process.capabilities.effective += ["CAP_SYS_ADMIN"]'
        run_container c1
        assert_status 1
        assert_output_contains "process.capabilities.effective: CAP_SYS_ADMIN is not in the permitted set"
        assert_nothing_left c1
}

@test "caps: the same sets in a user namespace" {
        use_userns
        set_args cat /proc/self/status
        run_container c1
        assert_status 0
        assert_caps 0000000020000420 0000000020000420 0000000020000420 0000000000000000 0000000000000000
}

# ---- no_new_privs, LSMs ------------------------------------------------------------------------

@test "noNewPrivileges is applied" {
        update_config '.process.noNewPrivileges = true'
        set_args grep NoNewPrivs /proc/self/status
        run_container c1
        assert_status 0
        assert_output_contains "1"
        update_config '.process.noNewPrivileges = false'
        run_container c2
        assert_status 0
        [[ $output =~ NoNewPrivs:[[:space:]]+0 ]] || fail "$output"
}

@test "apparmorProfile without AppArmor is a clear error" {
        [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] || skip "AppArmor is enabled"
        update_config '.process.apparmorProfile = "sysrun-test"'
        run_container c1
        assert_status 1
        assert_output_contains "process.apparmorProfile: AppArmor is not enabled on this host"
        assert_nothing_left c1
}

@test "selinuxLabel without SELinux is a clear error; mountLabel is ignored then (as runc)" {
        [ ! -d /sys/fs/selinux/booleans ] || skip "SELinux is enabled"
        update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
        run_container c1
        assert_status 1
        assert_output_contains "process.selinuxLabel: SELinux is not enabled on this host"
        assert_nothing_left c1

        update_config 'del(.process.selinuxLabel) | .linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
        set_args true
        run_container c2
        assert_status 0
}

# ---- seccomp ------------------------------------------------------------------------------------

@test "seccomp: SCMP_ACT_ERRNO makes mkdir fail with EPERM, errnoRet picks the errno" {
        update_config '.root.readonly = false | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                "syscalls": [{"names": ["mkdir", "mkdirat", "no_such_syscall"], "action": "SCMP_ACT_ERRNO"}]}'
        set_args sh -c 'mkdir /tmp/d; echo "rc=$?"; [ -d /tmp/d ] || echo absent'
        run_container c1
        assert_status 0
        assert_output_contains "Operation not permitted"
        assert_output_contains "rc=1"
        assert_output_contains "absent"

        update_config '.linux.seccomp.syscalls[0].errnoRet = 38'
        run_container c2
        assert_status 0
        assert_output_contains "Function not implemented"
}

@test "seccomp: the filter is loaded with and without noNewPrivileges, also for a non-root user" {
        local nnp
        update_config '.process.user = {"uid": 1000, "gid": 1000} | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
                "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
        set_args sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; mkdir /tmp/d'
        for nnp in true false; do
                update_config ".process.noNewPrivileges = $nnp"
                run_container "c-$nnp"
                assert_status 1
                [[ $output =~ Seccomp:[[:space:]]+2 ]] || fail "no filter" "$output"
                assert_output_contains "Permission denied"
        done
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the process (exit 159)" {
        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
        set_args mkdir /tmp/d
        run_container c1
        assert_status 159
}

@test "seccomp: argument conditions (several on one argument are OR'ed, different arguments AND'ed)" {
        # personality(2): PER_LINUX32 (8) or 200 refused. chmod(2): refused when the mode gives
        # others rwx (masked 0007 == 0007) and the path pointer is not NULL.
        update_config '.root.readonly = false | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
                          {"index": 0, "value": 200, "op": "SCMP_CMP_EQ"}]},
                {"names": ["chmod", "fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                 "args": [{"index": 1, "value": 7, "valueTwo": 7, "op": "SCMP_CMP_MASKED_EQ"},
                          {"index": 0, "value": 0, "op": "SCMP_CMP_NE"}]}]}'
        set_args sh -c 'touch /tmp/f; chmod 707 /tmp/f; echo "a=$?"; chmod 770 /tmp/f; echo "b=$?"
                linux32 true; echo "p=$?"; linux64 true; echo "q=$?"'
        run_container c1
        assert_status 0
        assert_output_contains "a=1"
        assert_output_contains "b=0"
        assert_output_contains "p=1"
        assert_output_contains "q=0"
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener to the agent with the container's state" {
        [ -x "$SECCOMP_AGENT" ] || skip "seccomp-agent not built ($SECCOMP_AGENT)"
        local sock=$TEST_DIR/agent.sock nnp errno apid
        for nnp in true false; do
                for errno in 0 13; do
                        rm -f "$TEST_DIR/state.json"
                        "$SECCOMP_AGENT" "$sock" "$TEST_DIR/state.json" "$errno" >"$TEST_DIR/agent.out" 2>&1 &
                        apid=$!
                        while ! grep -q ready "$TEST_DIR/agent.out"; do sleep 0.02; done
                        update_config '.root.readonly = false | .process.noNewPrivileges = '$nnp'
                                | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$sock"'",
                                  "listenerMetadata": "test-meta", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
                                  "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
                        set_args sh -c 'mkdir /tmp/d; echo "rc=$?"; [ -d /tmp/d ] || echo absent'
                        run_container "n-$nnp-$errno"
                        wait "$apid"
                        assert_status 0
                        if [ "$errno" = 0 ]; then
                                # The agent says "done" without making it.
                                assert_output_contains "rc=0"
                        else
                                assert_output_contains "Permission denied"
                                assert_output_contains "rc=1"
                        fi
                        assert_output_contains "absent"
                        run jq -r '[.ociVersion, (.fds | join(",")), .metadata, .state.id, .state.status,
                                (.pid == .state.pid and .pid > 0)] | join(" ")' "$TEST_DIR/state.json"
                        assert_output_equals "1.2.0 seccompFd test-meta n-$nnp-$errno creating true"
                done
        done
}

@test "seccomp: configuration errors are reported before anything runs" {
        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
        run_container c1
        assert_status 1
        assert_output_contains "listenerPath is not set"
        assert_nothing_left c1

        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NOPE"]}'
        run_container c2
        assert_status 1
        assert_output_contains "linux.seccomp.flags: unknown flag 'SECCOMP_FILTER_FLAG_NOPE'"

        update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$TEST_DIR"'/nobody.sock",
                "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
        run_container c3
        assert_status 1
        assert_output_contains "failed to connect with seccomp agent specified in the seccomp profile: dial unix $TEST_DIR/nobody.sock: connect: no such file or directory"
        assert_nothing_left c3
}

# ---- user namespaces ----------------------------------------------------------------------------

@test "userns: id maps, setgroups, ownership of what the container makes" {
        use_userns
        update_config '.root.readonly = false
                | .linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438,
                                     "uid": 0, "gid": 0}]'
        set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id;
                touch /tmp/made-inside; stat -c "%t:%T %F" /dev/fuse /dev/null;
                stat -c "%n %u:%g" /dev /dev/pts /dev/shm /dev/stdout /dev/ptmx'
        local fuse_before
        fuse_before=$(stat -c '%u:%g %a' /dev/fuse)
        run_container c1
        assert_status 0
        [ "${lines[0]}" = "         0     100000      65536" ] || fail "uid_map: ${lines[0]}"
        [ "${lines[1]}" = "         0     100000      65536" ] || fail "gid_map: ${lines[1]}"
        [ "${lines[2]}" = allow ] || fail "setgroups: ${lines[2]}"
        assert_output_contains "uid=0(root) gid=0(root)"
        assert_output_contains "a:e5 character special file"
        assert_output_contains "1:3 character special file"
        # What sysrun makes in /dev belongs to the container's root.
        for f in /dev /dev/pts /dev/shm /dev/stdout /dev/ptmx; do
                assert_output_contains "$f 0:0"
        done
        # Made by the container's root: the mapped host uid.
        [ "$(stat -c %u:%g "$ROOTFS/tmp/made-inside")" = 100000:100000 ]
        # The host's device node is bound, never chowned.
        [ "$(stat -c '%u:%g %a' /dev/fuse)" = "$fuse_before" ]
}

@test "userns: a non-root user with additional groups" {
        use_userns
        update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 1000]}'
        set_args id
        run_container c1
        assert_status 0
        assert_output_contains "uid=1000(nobody) gid=1000(nobody) groups=5,1000(nobody)"
}

@test "userns: an unmapped uid is a clear error" {
        use_userns
        update_config '.process.user = {"uid": 70000, "gid": 0}'
        run_container c1
        assert_status 1
        assert_output_contains "process.user.uid: cannot switch to uid 70000 (not mapped in the user namespace)"
        assert_nothing_left c1
}

# ---- stdio ownership ----------------------------------------------------------------------------

@test "stdio: an inherited /dev/null is never chowned (non-root user, with and without userns)" {
        local before
        before=$(stat -c '%u:%g %a' /dev/null)
        update_config '.process.user = {"uid": 1000, "gid": 1000}'
        set_args sh -c 'echo out; echo err >&2'
        sysrun run -b "$BUNDLE" c1 </dev/null >/dev/null 2>/dev/null
        [ "$(stat -c '%u:%g %a' /dev/null)" = "$before" ] || fail "/dev/null changed: $(stat -c '%u:%g %a' /dev/null)"

        use_userns
        sysrun run -b "$BUNDLE" c2 </dev/null >/dev/null 2>/dev/null
        [ "$(stat -c '%u:%g %a' /dev/null)" = "$before" ] || fail "/dev/null changed: $(stat -c '%u:%g %a' /dev/null)"

        # create/start, whose stdio is the caller's too.
        set_args true
        sysrun create -b "$BUNDLE" c3 </dev/null >/dev/null 2>/dev/null
        sysrun start c3
        wait_status c3 stopped
        sysrun delete c3
        [ "$(stat -c '%u:%g %a' /dev/null)" = "$before" ] || fail "/dev/null changed: $(stat -c '%u:%g %a' /dev/null)"
}

# ---- CVE regressions ----------------------------------------------------------------------------

@test "CVE-2019-5736: a container cannot open /proc/<pid>/exe of a sysrun process in its pid namespace" {
        local sum_before apid binit
        sum_before=$(sha256sum <"$SYSRUN")
        update_config '.root.readonly = false'
        # Container a looks at every process it can see once b's init (a forked sysrun waiting for
        # `start`) sits in its pid namespace, and tries to read and write their executables.
        set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.05; done
                for p in /proc/[0-9]*; do
                        echo "$p $(tr "\0" " " <$p/cmdline)" >>/tmp/procs
                        exe=$(readlink $p/exe 2>/dev/null) && echo "readlink $p $exe"
                        cat $p/exe >/dev/null 2>&1 && echo "read $p"
                        (echo x >>$p/exe) 2>/dev/null && echo "wrote $p"
                done >/tmp/result 2>&1
                touch /tmp/done; sleep 1000'
        sysrun_create a
        sysrun start a
        wait_status a running
        apid=$(container_pid a)

        update_config '.linux.namespaces = [.linux.namespaces[] | if .type == "pid" then .path = "/proc/'"$apid"'/ns/pid" else . end]
                | .process.args = ["true"]'
        sysrun_create b
        [ "$(container_status b)" = created ]

        touch "$ROOTFS/tmp/go"
        while [ ! -e "$ROOTFS/tmp/done" ]; do sleep 0.05; done
        cat "$ROOTFS/tmp/procs" "$ROOTFS/tmp/result" >&2
        # b's init (a forked sysrun, still waiting for start) was there to be attacked ...
        binit=$(awk '/ create / { print $1 }' "$ROOTFS/tmp/procs")
        [ -n "$binit" ] || fail "b's init is not visible in a's pid namespace"
        # ... but its executable could neither be named, read nor written.
        refute_in_file "^(readlink|read|wrote) $binit( |\$)" "$ROOTFS/tmp/result"
        refute_in_file sysrun "$ROOTFS/tmp/result"
        refute_in_file "^wrote" "$ROOTFS/tmp/result"
        # a's own processes were readable: the probe itself works.
        grep -q "readlink /proc/1 /bin/busybox" "$ROOTFS/tmp/result"

        sysrun delete --force b
        sysrun delete --force a
        [ "$(sha256sum <"$SYSRUN")" = "$sum_before" ]
}

@test "CVE-2024-21626: no host fd reaches the container; cwd /proc/self/fd/N cannot leave it" {
        local n
        # pid 1 is the shell itself: the pipes of its own pipelines may be open while it lists them,
        # so pipes are left out of its listing; anything else past 2 would come from the runtime.
        set_args sh -c 'ls /proc/self/fd/ | tr "\n" " "; echo; for f in /proc/1/fd/*; do n=${f##*/}; l=$(readlink $f 2>/dev/null); case "$n:$l" in [012]:*) printf "%s " $n;; *:pipe:*|*:) ;; *) printf "%s " $n;; esac; done; echo'
        # run (exec at once) and create/start (the exec.fifo path).
        run_container c1
        assert_status 0
        [ "${lines[0]}" = "0 1 2 3 " ] || fail "fds of a child: ${lines[0]}"
        [ "${lines[1]}" = "0 1 2 " ] || fail "fds of pid 1: ${lines[1]}"

        sysrun_create c2
        sysrun start c2
        wait_status c2 stopped
        sysrun delete c2
        run container_out c2
        [ "${lines[0]}" = "0 1 2 3 " ] || fail "fds of a child: ${lines[0]}"
        [ "${lines[1]}" = "0 1 2 " ] || fail "fds of pid 1: ${lines[1]}"

        set_args sh -c 'pwd; ls ..'
        for n in 3 4 5 6 7 8 9 10; do
                update_config ".process.cwd = \"/proc/self/fd/$n\""
                run_container "cwd$n"
                [ "$status" -ne 0 ] || [[ ${lines[0]} == /* && ${lines[0]} != /proc/self/fd/* ]] ||
                        fail "cwd /proc/self/fd/$n: $output"
                refute_output_contains "sysrun-bats"
                assert_nothing_left "cwd$n"
        done
}

@test "CVE-2021-30465: mount destinations that are symlinks out of the rootfs land inside it" {
        mkdir -p "$TEST_DIR/host-a" "$TEST_DIR/host-b" "$TEST_DIR/src" "$ROOTFS/$TEST_DIR/host-a" "$ROOTFS/$TEST_DIR/host-b"
        echo data >"$TEST_DIR/src/file"
        ln -s "$TEST_DIR/host-a" "$ROOTFS/link-a"
        ln -s "../../../../../../../../$TEST_DIR/host-b" "$ROOTFS/link-b"
        update_config '.root.readonly = false | .mounts += [
                {"destination": "/link-a", "type": "tmpfs", "source": "tmpfs"},
                {"destination": "/link-b/", "type": "bind", "source": "'"$TEST_DIR"'/src", "options": ["bind"]}]'
        set_args sh -c 'echo x >/link-a/new; cat /link-b/file; grep -c "'"$TEST_DIR"'/host-[ab]" /proc/self/mountinfo'
        run_container c1
        assert_status 0
        [ "${lines[0]}" = data ] || fail "$output"
        [ "${lines[1]}" = 2 ] || fail "$output"
        # The host's directories stayed empty; the mounts sat on the rootfs's directories.
        [ -z "$(ls -A "$TEST_DIR/host-a")" ] && [ -z "$(ls -A "$TEST_DIR/host-b")" ]
        [ -z "$(ls -A "$ROOTFS/$TEST_DIR/host-a")" ] && [ -z "$(ls -A "$ROOTFS/$TEST_DIR/host-b")" ]

        # A symlink that dangles inside the rootfs is refused (as runc's securejoin does), and
        # nothing appears at its target on the host or in the rootfs.
        rm -rf "$TEST_DIR/host-c"
        ln -s "$TEST_DIR/host-c" "$ROOTFS/link-c"
        update_config '.mounts += [{"destination": "/link-c/sub", "type": "tmpfs", "source": "tmpfs"}]'
        run_container c2
        assert_status 1
        assert_output_contains "cannot create destination '/link-c/sub'"
        assert_nothing_left c2
        [ ! -e "$TEST_DIR/host-c" ] && [ ! -e "$ROOTFS/$TEST_DIR/host-c" ]
}

@test "CVE-2025-31133/52565: /dev/null and /dev/console symlinks to host files are not followed" {
        local core_before
        core_before=$(cat /proc/sys/kernel/core_pattern)
        echo original >"$TEST_DIR/victim"
        echo original >"$TEST_DIR/victim2"
        # No /dev tmpfs: the rootfs's own /dev is used, with its planted symlinks.
        rm -rf "$ROOTFS/dev"
        mkdir "$ROOTFS/dev"
        ln -s /proc/sys/kernel/core_pattern "$ROOTFS/dev/null"
        ln -s "$TEST_DIR/victim" "$ROOTFS/dev/zero"
        ln -s "$TEST_DIR/victim2" "$ROOTFS/dev/console"
        update_config '.root.readonly = false | .mounts = [.mounts[] | select(.destination != "/dev")]
                | .linux.maskedPaths += ["/etc/masked"]'
        echo secret >"$ROOTFS/etc/masked"
        set_args sh -c 'stat -c "%n %t:%T %F" /dev/null /dev/zero /proc/timer_list /etc/masked;
                echo pwned >/dev/null; echo pwned >/dev/zero; echo pwned >/proc/timer_list; cat /etc/masked; echo end'
        run_container c1
        assert_status 0
        assert_output_contains "/dev/null 1:3 character special file"
        assert_output_contains "/dev/zero 1:5 character special file"
        assert_output_contains "/proc/timer_list 1:3 character special file"
        assert_output_contains "/etc/masked 1:3 character special file"
        assert_output_contains "end"
        refute_output_contains "secret"
        [ "$(cat /proc/sys/kernel/core_pattern)" = "$core_before" ]
        [ "$(cat "$TEST_DIR/victim")" = original ]
        [ "$(cat "$TEST_DIR/victim2")" = original ]

        # With a terminal the pty is bound on /dev/console: on the rootfs's node, never through
        # the planted symlink.
        update_config '.process.terminal = true'
        set_args sh -c 'stat -c "%n %t %F" /dev/console; echo pwned >/dev/console; echo end'
        run_container c2
        assert_status 0
        assert_output_contains "/dev/console 88 character special file"
        assert_output_contains "end"
        [ "$(cat "$TEST_DIR/victim2")" = original ]
        [ ! -L "$ROOTFS/dev/console" ]
}

@test "CVE-2025-52881: sysctl writes reach the real procfs, not a file mounted over it" {
        echo original >"$TEST_DIR/fake-ip-forward"
        update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}
                | .process.oomScoreAdj = 123
                | .mounts += [{"destination": "/proc/sys/net/ipv4/ip_forward", "type": "bind",
                               "source": "'"$TEST_DIR"'/fake-ip-forward", "options": ["bind"]}]'
        set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/self/oom_score_adj'
        run_container c1
        assert_status 0
        [ "${lines[0]}" = original ] || fail "$output"
        [ "${lines[1]}" = 123 ] || fail "$output"
        [ "$(cat "$TEST_DIR/fake-ip-forward")" = original ]
}
