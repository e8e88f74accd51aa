#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# What config.json asks for, checked from inside the container.

load helpers

# run_container ARG...: `sysrun run` of ARG... with stdin from /dev/null, into $status/$output.
run_container() {
        set_args "$@"
        run sysrun run -b "$BUNDLE" r1 </dev/null
}

@test "hostname" {
        update_config '.hostname = "box-1"'
        run_container hostname
        assert_status 0
        assert_output_equals "box-1"
}

@test "domainname" {
        update_config '.hostname = "box-1" | .domainname = "example.org"'
        run_container cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname
        assert_status 0
        assert_output_equals "$(printf 'box-1\nexample.org')"
}

@test "hostname without a UTS namespace is refused" {
        update_config '.hostname = "box-1" | .linux.namespaces -= [{"type": "uts"}]'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "hostname"
        assert_nothing_left c1
}

@test "tmpfs mount with size and mode" {
        update_config '.mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs",
                                    "options": ["nosuid", "nodev", "size=1m", "mode=1770"]}]'
        run_container sh -c 'grep " /data " /proc/mounts; stat -c %a /data'
        assert_status 0
        assert_output_equals "$(printf 'tmpfs /data tmpfs rw,nosuid,nodev,relatime,size=1024k,mode=1770 0 0\n1770')"
}

@test "read-only bind mount" {
        mkdir "$TEST_DIR/src"
        echo content >"$TEST_DIR/src/file"
        update_config '.mounts += [{"destination": "/src", "type": "bind", "source": "'"$TEST_DIR"'/src",
                                    "options": ["rbind", "ro"]}]'
        run_container sh -c 'cat /src/file; grep " /src " /proc/mounts | cut -d" " -f4 | cut -d, -f1;
                             if echo x >/src/file; then echo WRITTEN; fi; touch /src/new'
        assert_status 1
        assert_output_equals "$(printf 'content\nro\nsh: can'"'"'t create /src/file: Read-only file system\ntouch: /src/new: Read-only file system')"
        [ "$(cat "$TEST_DIR/src/file")" = content ]
        [ ! -e "$TEST_DIR/src/new" ]
}

@test "read-write bind mount of a directory and of a file (relative source)" {
        mkdir "$BUNDLE/shared"
        echo hello >"$BUNDLE/one"
        update_config '.mounts += [{"destination": "/shared", "type": "bind", "source": "shared", "options": ["bind"]},
                                   {"destination": "/etc/one", "type": "bind", "source": "one", "options": ["bind"]}]'
        run_container sh -c 'echo written >/shared/out; cat /etc/one'
        assert_status 0
        assert_output_equals hello
        [ "$(cat "$BUNDLE/shared/out")" = written ]
}

@test "masked paths: a file reads empty, a directory is empty" {
        mkdir -p "$ROOTFS/secret/sub"
        echo sensitive >"$ROOTFS/secret/file"
        echo sensitive >"$ROOTFS/secret-file"
        update_config '.linux.maskedPaths += ["/secret", "/secret-file", "/nonexistent"]'
        run_container sh -c 'ls -A /secret | wc -l; wc -c </secret-file; wc -c </proc/keys;
                             wc -c </proc/timer_list; echo x >/secret-file && cat /secret-file;
                             touch /secret/new'
        assert_status 1
        assert_output_equals "$(printf '0\n0\n0\n0\ntouch: /secret/new: Read-only file system')"
        # The rootfs itself is untouched.
        [ "$(cat "$ROOTFS/secret/file")" = sensitive ]
        [ "$(cat "$ROOTFS/secret-file")" = sensitive ]
}

@test "masked paths: /proc/kcore reads empty" {
        [ -e /proc/kcore ] || skip "this kernel has no /proc/kcore"
        run_container sh -c 'wc -c </proc/kcore'
        assert_status 0
        assert_output_equals 0
}

@test "readonly paths: writes fail with EROFS" {
        mkdir -p "$ROOTFS/rodir"
        update_config '.root.readonly = false | .linux.readonlyPaths += ["/rodir"]'
        run_container sh -c 'touch /rodir/x; echo 1 >/proc/sys/kernel/ns_last_pid; touch /rwfile && echo rw-ok'
        assert_status 0
        assert_output_equals "$(printf 'touch: /rodir/x: Read-only file system\nsh: can'"'"'t create /proc/sys/kernel/ns_last_pid: Read-only file system\nrw-ok')"
        [ ! -e "$ROOTFS/rodir/x" ]
        rm -f "$ROOTFS/rwfile"
}

@test "root.readonly" {
        update_config '.root.readonly = true'
        run_container sh -c 'touch /newfile; grep -E "^[^ ]+ / " /proc/mounts | cut -d" " -f4 | cut -d, -f1;
                             touch /tmp/x'
        assert_status 1
        assert_output_equals "$(printf 'touch: /newfile: Read-only file system\nro\ntouch: /tmp/x: Read-only file system')"
        [ ! -e "$ROOTFS/newfile" ]

        update_config '.root.readonly = false'
        run_container sh -c 'touch /newfile && echo ok'
        assert_status 0
        assert_output_equals ok
        [ -e "$ROOTFS/newfile" ]
}

@test "sysctl: net.ipv4.ip_forward in a new network namespace" {
        host=$(cat /proc/sys/net/ipv4/ip_forward)
        want=$((1 - host))
        update_config '.linux.sysctl = {"net.ipv4.ip_forward": "'"$want"'"}'
        run_container cat /proc/sys/net/ipv4/ip_forward
        assert_status 0
        assert_output_equals "$want"
        [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "sysctl: a non-namespaced sysctl is refused" {
        host=$(cat /proc/sys/kernel/panic)
        update_config '.linux.sysctl = {"kernel.panic": "17"}'
        run sysrun_create c1
        assert_status 1
        assert_output_equals "sysrun: config.json: linux.sysctl: 'kernel.panic' is not in a separate kernel namespace"
        assert_nothing_left c1
        [ "$(cat /proc/sys/kernel/panic)" = "$host" ]
}

@test "sysctl: net.* without a network namespace is refused" {
        update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces -= [{"type": "network"}]'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "net.ipv4.ip_forward"
        assert_nothing_left c1
}

@test "user namespace: uid/gid mappings and file ownership" {
        update_config '.root.readonly = false
                | .linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
        touch "$ROOTFS/mapped"
        chown 100000:100005 "$ROOTFS/mapped"
        run_container sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g;
                             stat -c "%u %g" /mapped /bin/busybox; touch /tmp/made-inside'
        assert_status 0
        # The host's root is not mapped: it shows as the overflow id.
        [ "${lines[0]}" = "         0     100000      65536" ]
        [ "${lines[1]}" = "         0     100000      65536" ]
        [ "${lines[2]}" = 0 ]
        [ "${lines[3]}" = 0 ]
        [ "${lines[4]}" = "0 5" ]
        [ "${lines[5]}" = "65534 65534" ]
        [ "${#lines[@]}" -eq 6 ]
        [ "$(stat -c '%u %g' "$ROOTFS/tmp/made-inside")" = "100000 100000" ]
}

@test "devices: linux.devices with fileMode, uid and gid" {
        update_config '.linux.devices = [
                {"path": "/dev/tdev", "type": "c", "major": 1, "minor": 7, "fileMode": 416, "uid": 1000, "gid": 1001},
                {"path": "/dev/sub/tblk", "type": "b", "major": 7, "minor": 200, "fileMode": 384},
                {"path": "/dev/tfifo", "type": "p", "fileMode": 420}]'
        run_container stat -c '%F %t:%T %a %u:%g' /dev/tdev /dev/sub/tblk /dev/tfifo
        assert_status 0
        assert_output_equals "$(printf 'character special file 1:7 640 1000:1001\nblock special file 7:c8 600 0:0\nfifo 0:0 644 0:0')"
}

@test "devices: the default devices and links" {
        run_container sh -c 'stat -c "%n %F %t:%T %a" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty;
                             for l in fd stdin stdout stderr ptmx; do echo "$l $(readlink /dev/$l)"; done;
                             echo hello >/dev/null && head -c 3 /dev/zero | wc -c'
        assert_status 0
        assert_output_equals "$(printf '%s\n' \
                '/dev/null character special file 1:3 666' \
                '/dev/zero character special file 1:5 666' \
                '/dev/full character special file 1:7 666' \
                '/dev/random character special file 1:8 666' \
                '/dev/urandom character special file 1:9 666' \
                '/dev/tty character special file 5:0 666' \
                'fd /proc/self/fd' 'stdin /proc/self/fd/0' 'stdout /proc/self/fd/1' 'stderr /proc/self/fd/2' \
                'ptmx pts/ptmx' 3)"
}

@test "devices: a device the rootfs planted as a symlink is replaced, not followed" {
        ln -s "$TEST_DIR/host-target" "$ROOTFS/dev/null"
        run_container stat -c '%F %t:%T' /dev/null
        assert_status 0
        assert_output_equals "character special file 1:3"
        [ ! -e "$TEST_DIR/host-target" ]
}

# The fds are listed from the host: inside, busybox runs ls within the shell's own process (its
# directory fd shows up), and a pipeline briefly holds the pipe's fds in the shell.
@test "fds: only 0-2 reach the container" {
        set_args sleep 1000
        sysrun_create c1 5</dev/null 6>"$TEST_DIR/extra"
        sysrun start c1
        wait_status c1 running
        pid=$(container_pid c1)
        [ "$(ls /proc/$pid/fd | sort -n | tr '\n' ' ')" = "0 1 2 " ] || fail "fds: $(ls -l /proc/$pid/fd)"
        sysrun delete --force c1
}

@test "fds: --preserve-fds 1 passes fd 3" {
        echo "from-fd-3" >"$TEST_DIR/fd3"
        set_args sleep 1000
        sysrun_create c1 --preserve-fds 1 3<"$TEST_DIR/fd3" 4</dev/null
        sysrun start c1
        wait_status c1 running
        pid=$(container_pid c1)
        [ "$(ls /proc/$pid/fd | sort -n | tr '\n' ' ')" = "0 1 2 3 " ] || fail "fds: $(ls -l /proc/$pid/fd)"
        [ "$(readlink /proc/$pid/fd/3)" = "$TEST_DIR/fd3" ]
        sysrun delete --force c1

        # ... and with run, readable inside
        set_args sh -c 'cat <&3'
        run sysrun run --preserve-fds 1 -b "$BUNDLE" c2 </dev/null 3<"$TEST_DIR/fd3" 4</dev/null
        assert_status 0
        assert_output_equals from-fd-3
}

@test "process.user: uid, gid, additionalGids" {
        # No ambient capabilities: for a non-root user they only bring a warning of their own.
        update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20]}
                       | .process.capabilities.ambient = []'
        run_container id
        assert_status 0
        assert_output_equals "uid=1000(nobody) gid=1000(nobody) groups=10,20"
        update_config '.process.user = {"uid": 1000, "gid": 1000}'
        run_container sh -c 'id; grep -E "^(Uid|Gid|Groups):" /proc/self/status | tr -s "\t " " "'
        assert_status 0
        assert_output_equals "$(printf '%s\n' 'uid=1000(nobody) gid=1000(nobody)' \
                'Uid: 1000 1000 1000 1000' 'Gid: 1000 1000 1000 1000' 'Groups: ')"
}

@test "process.cwd: made when missing" {
        update_config '.process.cwd = "/work/deep/dir"'
        run_container pwd
        assert_status 0
        assert_output_equals /work/deep/dir
        [ -d "$ROOTFS/work/deep/dir" ]
}

@test "process.env: exactly the configured environment" {
        update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "SYSRUN_TEST_TOKEN='"$TOKEN"'"]'
        run_container env
        assert_status 0
        assert_output_equals "$(printf 'PATH=/bin\nFOO=bar baz\nEMPTY=\nSYSRUN_TEST_TOKEN=%s' "$TOKEN")"
}

@test "process.user.umask, and the default 0022" {
        update_config '.process.user.umask = 23'
        run_container sh -c umask
        assert_status 0
        assert_output_equals 0027
        update_config 'del(.process.user.umask)'
        run_container sh -c umask
        assert_status 0
        assert_output_equals 0022
}

@test "process.rlimits" {
        update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456},
                                           {"type": "RLIMIT_NPROC", "soft": 1000, "hard": 2000}]'
        run_container sh -c 'ulimit -n; ulimit -Hn; ulimit -u; ulimit -Hu'
        assert_status 0
        assert_output_equals "$(printf '123\n456\n1000\n2000')"
}

@test "process.oomScoreAdj" {
        update_config '.process.oomScoreAdj = 500'
        run_container cat /proc/self/oom_score_adj
        assert_status 0
        assert_output_equals 500
}

@test "--pid-file is written with the init's pid" {
        set_args sleep 1000
        run sysrun_create c1 --pid-file "$TEST_DIR/pidfile"
        assert_status 0
        [ "$(cat "$TEST_DIR/pidfile")" = "$(container_pid c1)" ]
        # relative to the cwd
        cd "$TEST_DIR"
        run sysrun_create c2 --pid-file rel.pid
        assert_status 0
        [ "$(cat "$TEST_DIR/rel.pid")" = "$(container_pid c2)" ]
        sysrun delete c1
        sysrun delete c2
}

@test "--no-pivot works" {
        touch "$ROOTFS/marker"
        set_args sh -c 'ls / | grep -c marker; cat /proc/self/uid_map | wc -l; hostname'
        run sysrun run --no-pivot -b "$BUNDLE" c1 </dev/null
        assert_status 0
        assert_output_equals "$(printf '1\n1\nrunc')"
}

@test "resources: a limit whose controller is not mounted fails naming the field and the controller" {
        # The host tier runs without the v1 memory hierarchy (tests/integration/run.sh).
        update_config '.linux.resources.memory = {"limit": 100000000}'
        run sysrun_create c1
        assert_status 1
        assert_output_equals "sysrun: config.json: linux.resources.memory.limit: cannot be applied: the cgroup v1 'memory' controller is not mounted on this host (needed for memory.limit_in_bytes)"
        assert_nothing_left c1
}

@test "resources: with --cgroup-manager=disabled it runs with one warning" {
        # (no ambient capabilities: their own warning is not what this test is about)
        update_config '.linux.resources.memory = {"limit": 100000000} | .linux.resources.pids = {"limit": 10}
                       | .process.capabilities.ambient = []'
        set_args echo ran
        SYSRUN_TEST_TOKEN=$TOKEN "$SYSRUN" --root "$ROOT" --cgroup-manager=disabled run -b "$BUNDLE" c1 \
                </dev/null >"$TEST_DIR/out" 2>"$TEST_DIR/err"
        [ "$(cat "$TEST_DIR/out")" = ran ]
        [ "$(cat "$TEST_DIR/err")" = "sysrun: warning: --cgroup-manager=disabled: ignoring resource limits: linux.resources.memory.limit, linux.resources.pids.limit" ]
}

@test "resources: device rules alone need no cgroup manager" {
        # The spec's default "deny all" device rule.
        [ "$(jq -c '.linux.resources.devices' "$BUNDLE/config.json")" = '[{"allow":false,"access":"rwm"}]' ]
        run_container true
        assert_status 0
}

@test "namespaces: joining a network namespace by path" {
        set_args sleep 1000
        sysrun_create c1
        pid1=$(container_pid c1)
        ns1=$(readlink "/proc/$pid1/ns/net")
        [ "$ns1" != "$(readlink /proc/self/ns/net)" ]
        update_config '(.linux.namespaces[] | select(.type == "network")) |= (.path = "/proc/'"$pid1"'/ns/net")'
        run_container readlink /proc/self/ns/net
        assert_status 0
        assert_output_equals "$ns1"
        # ... and a new one without the path
        update_config '(.linux.namespaces[] | select(.type == "network")) |= del(.path)'
        run_container readlink /proc/self/ns/net
        assert_status 0
        [ "$output" != "$ns1" ]
        sysrun delete c1
}

@test "namespaces: joining a nonexistent namespace path fails cleanly" {
        update_config '(.linux.namespaces[] | select(.type == "network")) |= (.path = "/proc/0/ns/net")'
        run sysrun_create c1
        assert_status 1
        assert_output_contains "/proc/0/ns/net"
        assert_nothing_left c1
}

@test "namespaces: the container has its own pid, ipc, uts, mount and net namespaces" {
        run_container sh -c 'echo $$; for n in pid ipc uts mnt net; do readlink /proc/self/ns/$n; done'
        assert_status 0
        [ "${lines[0]}" = 1 ]
        i=1
        for n in pid ipc uts mnt net; do
                [ "${lines[$i]}" != "$(readlink /proc/self/ns/$n)" ] || fail "$n namespace is the host's"
                i=$((i + 1))
        done
}

@test "namespaces: a failing create after joining a namespace by path leaves nothing" {
        set_args sleep 1000
        sysrun_create c1
        pid1=$(container_pid c1)
        update_config '(.linux.namespaces[] | select(.type == "network")) |= (.path = "/proc/'"$pid1"'/ns/net")
                | .mounts += [{"destination": "/mnt", "type": "bind", "source": "/nonexistent/src", "options": ["bind"]}]'
        run sysrun_create c2
        assert_status 1
        assert_output_contains "/nonexistent/src"
        run sysrun run -b "$BUNDLE" c3 </dev/null
        assert_status 1
        assert_output_contains "/nonexistent/src"
        [ ! -e "$ROOT/c2" ] && [ ! -e "$ROOT/c3" ]
        # Only c1's init is left.
        [ "$(token_pids)" = "$pid1" ]
        sysrun delete c1
}

@test "namespaces: time namespace with offsets" {
        update_config '.linux.namespaces += [{"type": "time"}]
                | .linux.timeOffsets = {"boottime": {"secs": 864000}, "monotonic": {"secs": 864000}}'
        host=$(cut -d. -f1 /proc/uptime)
        run_container sh -c 'cut -d. -f1 /proc/uptime; readlink /proc/self/ns/time'
        assert_status 0
        [ "${lines[0]}" -ge $((host + 864000)) ] && [ "${lines[0]}" -lt $((host + 864000 + 60)) ]
        [ "${lines[1]}" != "$(readlink /proc/self/ns/time)" ]
}

@test "namespaces: a cgroup namespace" {
        update_config '.linux.namespaces += [{"type": "cgroup"}]'
        run_container readlink /proc/self/ns/cgroup
        assert_status 0
        [ "$output" != "$(readlink /proc/self/ns/cgroup)" ]
}
