#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# One container per row of the resources table (src/libsysrun/resources.c): the value systemd ends up
# with. tests/systemd/run.sh runs this file twice: in the unified sandbox, whose cgroup2 has no
# controllers, and in the hybrid one, which shares the host's v1 cpu, cpuacct, pids, blkio and devices
# hierarchies. A limit is checked where its controller exists; where it does not, create must refuse
# it naming the field and the controller (systemd would store it and enforce nothing). Memory is
# never available here: its v1 hierarchy belongs to the machine.

load helpers

setup() {
        common_setup
}

teardown() {
        common_teardown
}

# check_props RESOURCES-JSON NAME=VALUE...: create with those resources, then compare each property.
check_props() {
        local json=$1 pv name want got
        shift
        with_resources "$json"
        create_container
        for pv in "$@"; do
                name=${pv%%=*}
                want=${pv#*=}
                got=$(prop "$UNIT" "$name")
                if [ "$got" != "$want" ]; then
                        echo "$name: got '$got', want '$want'" >&2
                        return 1
                fi
        done
        sysrun delete --force "$ID"
        unit_gone "$UNIT"
}

# check_refused RESOURCES-JSON MESSAGE: create fails naming the field, and leaves nothing.
check_refused() {
        with_resources "$1"
        run_detached sysrun create --bundle "$BUNDLE" "$ID"
        [ "$status" -ne 0 ]
        echo "$output"
        [[ "$output" == *"$2"* ]]
        unit_gone "$UNIT"
        state_gone "$ID"
}

# unified_on_v1 JSON: on a host with v1 controllers (hybrid) unified keys are refused before anything
# is made, as runc refuses them ("invalid configuration"); returns 1 elsewhere, where the test goes on.
unified_on_v1() {
        [ "$(stat -fc %T /sys/fs/cgroup/cpu 2>/dev/null)" = cgroupfs ] || return 1
        check_refused "$1" 'invalid configuration: cannot use unified on cgroup v1'
}

# has_controller NAME: does systemd have the v2 controller NAME (or its v1 hierarchy) to give a scope?
has_controller() {
        local v1=$1
        [ "$1" = io ] && v1=blkio
        [ "$(stat -fc %T "/sys/fs/cgroup/$v1" 2>/dev/null)" = cgroupfs ] && return 0
        [ -d /sys/fs/cgroup/unified ] && return 1 # hybrid: v2 has no controllers
        grep -qw "$1" /sys/fs/cgroup/cgroup.controllers
}

# check_limit CONTROLLER FIELD RESOURCES-JSON NAME=VALUE...: with CONTROLLER, systemd gets the values;
# without it, create refuses FIELD, naming the controller, and leaves nothing.
check_limit() {
        local ctrl=$1 field=$2 json=$3
        shift 3
        if has_controller "$ctrl"; then
                check_props "$json" "$@"
        else
                check_refused "$json" "$field: cannot be applied: the $ctrl controller is not available in the container's cgroup"
        fi
}

@test "every container: Delegate, accounting, CollectMode, no default dependencies" {
        check_props '{}' Delegate=yes MemoryAccounting=yes CPUAccounting=yes IOAccounting=yes TasksAccounting=yes \
                CollectMode=inactive-or-failed DefaultDependencies=no Slice=machine.slice TimeoutStopUSec=10s \
                "Description=sysrun container $ID"
}

@test "memory.limit -> MemoryMax" {
        check_limit memory "linux.resources.memory.limit" '{"memory":{"limit":104857600}}' MemoryMax=104857600
}

@test "memory.limit -1 -> MemoryMax and MemorySwapMax infinity" {
        check_props '{"memory":{"limit":-1}}' MemoryMax=infinity MemorySwapMax=infinity
}

@test "memory.reservation -> MemoryLow" {
        check_limit memory "linux.resources.memory.reservation" '{"memory":{"reservation":52428800}}' MemoryLow=52428800
}

@test "memory.swap (memory+swap) -> MemorySwapMax = swap - limit" {
        check_limit memory "linux.resources.memory.limit" '{"memory":{"limit":104857600,"swap":314572800}}' MemoryMax=104857600 MemorySwapMax=209715200
}

@test "memory.swap equal to the limit -> MemorySwapMax 0" {
        check_limit memory "linux.resources.memory.limit" '{"memory":{"limit":104857600,"swap":104857600}}' MemorySwapMax=0
}

# shares_prop SHARES WEIGHT: what the scope gets. On a hybrid host systemd's cpu controller is v1:
# CPUShares as given (runc's v1 driver sets them so; a CPUWeight would come back from systemd's
# own conversion as another cpu.shares).
shares_prop() {
        if [ "$(stat -fc %T /sys/fs/cgroup/cpu 2>/dev/null)" = cgroupfs ]; then
                echo "CPUShares=$1"
        else
                echo "CPUWeight=$2"
        fi
}

@test "cpu.shares -> CPUWeight (1024 -> 100); CPUShares as given on a v1 cpu controller" {
        check_limit cpu "linux.resources.cpu.shares" '{"cpu":{"shares":1024}}' "$(shares_prop 1024 100)"
}

@test "cpu.shares 2 and 262144 -> CPUWeight 1 and 10000" {
        check_limit cpu "linux.resources.cpu.shares" '{"cpu":{"shares":2}}' "$(shares_prop 2 1)"
        check_limit cpu "linux.resources.cpu.shares" '{"cpu":{"shares":262144}}' "$(shares_prop 262144 10000)"
        if [ "$(stat -fc %T /sys/fs/cgroup/cpu 2>/dev/null)" = cgroupfs ]; then
                # the number itself, as runc's cgroups.bats reads it
                make_bundle '.linux.resources = {"cpu":{"shares":100}}'
                create_container
                local cg
                cg=$(systemctl show -P ControlGroup "$UNIT")
                echo "cpu.shares of $cg: $(cat "/sys/fs/cgroup/cpu$cg/cpu.shares")"
                [ "$(cat "/sys/fs/cgroup/cpu$cg/cpu.shares")" = 100 ]
        fi
}

@test "cpu.idle 1 -> CPUWeight idle" {
        check_limit cpu "linux.resources.cpu.shares" '{"cpu":{"idle":1,"shares":512}}' CPUWeight=idle
}

@test "cpu.quota and cpu.period -> CPUQuotaPerSecUSec (rounded up to 10ms) and CPUQuotaPeriodUSec" {
        check_limit cpu "linux.resources.cpu.quota" '{"cpu":{"quota":12345,"period":100000}}' CPUQuotaPerSecUSec=130ms CPUQuotaPeriodUSec=100ms
}

@test "cpu.quota alone uses the default period" {
        check_limit cpu "linux.resources.cpu.quota" '{"cpu":{"quota":50000}}' CPUQuotaPerSecUSec=500ms
}

@test "cpu.cpus and cpu.mems -> AllowedCPUs and AllowedMemoryNodes" {
        # where a cpuset controller enforces them, only CPUs that exist can be given (the kernel says
        # ERANGE); the list-to-mask conversion is the unit tests' (0-3,7)
        local cpus="0-3,7" shown="0-3 7"
        if has_controller cpuset; then
                [ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
                cpus=0-1 shown=0-1
        fi
        check_limit cpuset "linux.resources.cpu.cpus" "{\"cpu\":{\"cpus\":\"$cpus\",\"mems\":\"0\"}}" "AllowedCPUs=$shown" AllowedMemoryNodes=0
}

@test "pids.limit -> TasksMax (0 and -1 -> infinity, no limit: they need no controller)" {
        check_limit pids linux.resources.pids.limit '{"pids":{"limit":42}}' TasksMax=42
        check_props '{"pids":{"limit":0}}' TasksMax=infinity
        check_props '{"pids":{"limit":-1}}' TasksMax=infinity
}

@test "docker's default block (cpu.shares 0, blockIO.weight 0, memory {}) sets no limit" {
        check_props '{"memory":{"disableOOMKiller":false},"cpu":{"shares":0},"blockIO":{"weight":0}}' \
                CPUWeight='[not set]' IOWeight='[not set]' MemoryMax=infinity
}

@test "podman's --pids-limit 0 block: TasksMax infinity, in any sandbox" {
        check_props '{"devices":[{"allow":false,"access":"rwm"}],"pids":{"limit":0}}' TasksMax=infinity DevicePolicy=strict
}

@test "a limit whose controller is missing names the field and the controller; nothing is left" {
        # memory is in neither sandbox
        check_refused '{"memory":{"limit":104857600}}' \
                "linux.resources.memory.limit: cannot be applied: the memory controller is not available in the container's cgroup '/"
}

@test "blockIO.weight -> IOWeight" {
        check_limit io "linux.resources.blockIO.weight" '{"blockIO":{"weight":500}}' IOWeight=100
}

@test "blockIO.weightDevice -> IODeviceWeight" {
        check_limit io "linux.resources.blockIO.weightDevice" '{"blockIO":{"weightDevice":[{"major":8,"minor":0,"weight":1000}]}}' "IODeviceWeight=/dev/block/8:0 200"
}

@test "blockIO throttles -> IO{Read,Write}{Bandwidth,IOPS}Max" {
        check_limit io "linux.resources.blockIO.throttleReadBpsDevice" '{"blockIO":{"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1048576}],
                "throttleWriteBpsDevice":[{"major":8,"minor":0,"rate":2097152}],
                "throttleReadIOPSDevice":[{"major":8,"minor":16,"rate":100}],
                "throttleWriteIOPSDevice":[{"major":8,"minor":16,"rate":200}]}}' \
                "IOReadBandwidthMax=/dev/block/8:0 1048576" "IOWriteBandwidthMax=/dev/block/8:0 2097152" \
                "IOReadIOPSMax=/dev/block/8:16 100" "IOWriteIOPSMax=/dev/block/8:16 200"
}

@test "devices -> DevicePolicy=strict and DeviceAllow (runc's defaults included)" {
        make_bundle '.linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"rw"}]'
        create_container
        [ "$(prop "$UNIT" DevicePolicy)" = strict ]
        allow=$(systemctl show -p DeviceAllow "$UNIT")
        echo "$allow"
        [[ "$allow" == *"DeviceAllow=/dev/char/10:229 rw"* ]]
        [[ "$allow" == *"DeviceAllow=/dev/char/1:3 rwm"* ]]
        [[ "$allow" == *"DeviceAllow=char-136 rwm"* ]]
        [[ "$allow" == *"DeviceAllow=char-* m"* ]]
        [[ "$allow" == *"DeviceAllow=block-* m"* ]]
}

@test "devices: allow-all -> DevicePolicy=auto" {
        make_bundle '.linux.resources.devices = [{"allow":true,"access":"rwm"}]'
        create_container
        [ "$(prop "$UNIT" DevicePolicy)" = auto ]
}

@test "devices: the container can use its default devices under DevicePolicy=strict" {
        make_bundle '.process.args = ["sh", "-c", "echo hi > /dev/null && head -c 4 /dev/zero | wc -c"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *4* ]]
}

@test "devices: a deny rule inside an allow is refused before anything is made" {
        check_refused '{"devices":[{"allow":true,"type":"c","major":1,"access":"rwm"},{"allow":false,"type":"c","major":1,"minor":3,"access":"rwm"}]}' \
                "linux.resources.devices[1]: cannot be expressed"
}

@test "unified memory.min/low/high/max/swap.max -> Memory{Min,Low,High,Max,SwapMax}" {
        unified_on_v1 '{"unified":{"memory.min":"4096"}}' && return 0
        check_limit memory 'linux.resources.unified["memory.min"]' '{"unified":{"memory.min":"4096","memory.low":"8192","memory.high":"max","memory.max":"1048576","memory.swap.max":"0"}}' \
                MemoryMin=4096 MemoryLow=8192 MemoryHigh=infinity MemoryMax=1048576 MemorySwapMax=0
}

@test "unified cpu.max -> CPUQuotaPerSecUSec and CPUQuotaPeriodUSec" {
        unified_on_v1 '{"unified":{"cpu.max":"25000 50000"}}' && return 0
        check_limit cpu 'linux.resources.unified["cpu.max"]' '{"unified":{"cpu.max":"25000 50000"}}' CPUQuotaPerSecUSec=500ms CPUQuotaPeriodUSec=50ms
}

@test "unified cpu.weight, pids.max, io.weight, cpuset.cpus" {
        unified_on_v1 '{"unified":{"cpu.weight":"300"}}' && return 0
        check_limit cpu 'linux.resources.unified["cpu.weight"]' '{"unified":{"cpu.weight":"300"}}' CPUWeight=300
        check_limit pids 'linux.resources.unified["pids.max"]' '{"unified":{"pids.max":"64"}}' TasksMax=64
        check_limit io 'linux.resources.unified["io.weight"]' '{"unified":{"io.weight":"default 250"}}' IOWeight=250
        check_limit cpuset 'linux.resources.unified["cpuset.cpus"]' '{"unified":{"cpuset.cpus":"1"}}' AllowedCPUs=1
}

@test "unified memory.oom.group -> OOMPolicy at creation" {
        unified_on_v1 '{"unified":{"memory.oom.group":"1"}}' && return 0
        check_limit memory 'linux.resources.unified["memory.oom.group"]' '{"unified":{"memory.oom.group":"1"}}' OOMPolicy=kill
        check_limit memory 'linux.resources.unified["memory.oom.group"]' '{"unified":{"memory.oom.group":"0"}}' OOMPolicy=continue
}

@test "annotations org.systemd.property.*: typed, FooSec -> FooUSec" {
        make_bundle '.annotations = {"org.systemd.property.TimeoutStopSec":"5","org.systemd.property.CPUQuotaPeriodUSec":"uint64 20000","org.systemd.property.MemoryHigh":"1G"}'
        create_container
        [ "$(prop "$UNIT" TimeoutStopUSec)" = 5s ]
        [ "$(prop "$UNIT" CPUQuotaPeriodUSec)" = 20ms ]
        [ "$(prop "$UNIT" MemoryHigh)" = 1073741824 ]
}

@test "annotations org.systemd.property.* in systemd's own syntax (KillSignal=SIGKILL, TimeoutStopSec=30s, MemoryMax=50M)" {
        make_bundle '.annotations = {"org.systemd.property.KillSignal":"SIGKILL","org.systemd.property.TimeoutStopSec":"1min 30s","org.systemd.property.MemoryMax":"50M"}'
        create_container
        [ "$(prop "$UNIT" KillSignal)" = 9 ]
        [ "$(prop "$UNIT" TimeoutStopUSec)" = 1min\ 30s ]
        [ "$(prop "$UNIT" MemoryMax)" = 52428800 ]
        # a bad value names the property, and nothing is made
        make_bundle '.annotations = {"org.systemd.property.KillSignal":"SIGNOPE"}'
        run_detached sysrun create --bundle "$BUNDLE" "${ID}b"
        [ "$status" -eq 1 ]
        [[ "$output" == *'org.systemd.property.KillSignal'*"SIGNOPE"* ]]
        state_gone "${ID}b"
        unit_gone "sysrun-${ID}b.scope"
}

@test "hugepageLimits: no systemd property, no hugetlb controller here: a clear error, nothing left" {
        check_refused '{"hugepageLimits":[{"pageSize":"2MB","limit":1048576}]}' \
                "linux.resources.hugepageLimits[0]: cannot be applied"
}

@test "rdma: a clear error naming the field, nothing left" {
        check_refused '{"rdma":{"mlx5_1":{"hcaHandles":3}}}' 'linux.resources.rdma["mlx5_1"]: cannot be applied'
}

@test "cpu.burst: a clear error naming the field, nothing left" {
        check_refused '{"cpu":{"burst":1000}}' "linux.resources.cpu.burst: cannot be applied"
}

@test "cpu.realtimeRuntime: a clear error naming the field, nothing left" {
        check_refused '{"cpu":{"realtimeRuntime":950000}}' "linux.resources.cpu.realtimeRuntime: cannot be applied"
}

@test "other unified keys: a clear error naming the key, nothing left" {
        unified_on_v1 '{"unified":{"hugetlb.2MB.max":"0"}}' && return 0
        check_refused '{"unified":{"memory.oom.group":"1","hugetlb.2MB.max":"0"}}' \
                'linux.resources.unified["hugetlb.2MB.max"]: cannot be applied'
}

@test "cgroup v1 fields are refused before anything is made" {
        check_refused '{"memory":{"swappiness":60}}' "linux.resources.memory.swappiness: not supported with cgroup v2"
        check_refused '{"network":{"classID":1}}' "linux.resources.network.classID: not supported with cgroup v2"
}

@test "memory.swap without a limit is refused before anything is made" {
        check_refused '{"memory":{"swap":1048576}}' "linux.resources.memory.swap: a swap limit needs a memory limit"
}

@test "devices: docker's --device X:r keeps its mode in DeviceAllow; linux.devices adds no rule" {
        make_bundle '.linux.devices = [{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":438},
                        {"path":"/dev/xblk","type":"b","major":7,"minor":200,"fileMode":384}]
                | .linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"r"}]'
        create_container
        allow=$(systemctl show -p DeviceAllow "$UNIT")
        echo "$allow"
        [ "$(prop "$UNIT" DevicePolicy)" = strict ]
        [[ "$allow" == *"DeviceAllow=/dev/char/10:229 r"$'\n'* || "$allow" == *"DeviceAllow=/dev/char/10:229 r" ]]
        [[ "$allow" != *"/dev/char/10:229 rw"* ]]
        [[ "$allow" != *"7:200"* ]]
        [[ "$allow" == *"DeviceAllow=block-* m"* ]] # runc's defaults still follow the rules
}

@test "a scope cgroup that already exists frozen is refused with runc's words, nothing left" {
        local cg2=/sys/fs/cgroup
        [ -d /sys/fs/cgroup/unified ] && cg2=/sys/fs/cgroup/unified
        # a slice named here: the path of the scope's cgroup is known before it exists
        make_bundle ".linux.cgroupsPath = \"system.slice:sysrun:$ID\""
        mkdir -p "$cg2/system.slice/$UNIT"
        echo 1 >"$cg2/system.slice/$UNIT/cgroup.freeze"
        run_detached timeout 20 "$SYSRUN" --root "$STATE_ROOT" run -d --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 1 ] # not 124: no hang
        [[ "$output" == *"container's cgroup unexpectedly frozen: '/system.slice/$UNIT'"* ]]
        unit_gone "$UNIT"
        state_gone "$ID"
        [ -z "$(cat "$cg2/system.slice/$UNIT/cgroup.procs" 2>/dev/null)" ]
        # the same for create
        mkdir -p "$cg2/system.slice/$UNIT"
        echo 1 >"$cg2/system.slice/$UNIT/cgroup.freeze"
        run_detached timeout 20 "$SYSRUN" --root "$STATE_ROOT" create --bundle "$BUNDLE" "$ID"
        [ "$status" -eq 1 ]
        [[ "$output" == *"container's cgroup unexpectedly frozen"* ]]
        unit_gone "$UNIT"
        rmdir "$cg2/system.slice/$UNIT" 2>/dev/null || true
}

# update_limit CONTROLLER FIELD NAME=VALUE -- UPDATE-ARGS...: like check_limit, for `sysrun update` of
# the container made by the test; a refusal changes nothing (NAME keeps its value).
update_limit() {
        local ctrl=$1 field=$2 name=${3%%=*} want=${3#*=} before
        shift 4
        before=$(prop "$UNIT" "$name")
        if has_controller "$ctrl"; then
                sysrun update "$@" "$ID"
                [ "$(prop "$UNIT" "$name")" = "$want" ] || { echo "$name: $(prop "$UNIT" "$name"), want $want" >&2; return 1; }
        else
                run sysrun update "$@" "$ID"
                echo "$output"
                [ "$status" -eq 1 ]
                [[ "$output" == *"$field: cannot be applied: the $ctrl controller is not available"* ]]
                [ "$(prop "$UNIT" "$name")" = "$before" ]
        fi
}

@test "update with runc's flags: SetUnitProperties through the table, where the controllers are" {
        make_bundle
        create_container
        update_limit cpu linux.resources.cpu.quota CPUQuotaPerSecUSec=500ms -- --cpu-quota 50000 --cpu-period 100000
        update_limit pids linux.resources.pids.limit TasksMax=100 -- --pids-limit 100
        update_limit cpu linux.resources.cpu.shares "$(shares_prop 2048 174)" -- --cpu-share 2048
        update_limit io linux.resources.blockIO.weight IOWeight=200 -- --blkio-weight 1000
        update_limit cpuset linux.resources.cpu.cpus AllowedCPUs=1 -- --cpuset-cpus 1
        update_limit memory linux.resources.memory.limit MemoryMax=209715200 -- --memory 200m
        # a new period keeps the quota (µs per period), as runc does: 50000 per 50000 is 100%
        update_limit cpu linux.resources.cpu.period CPUQuotaPerSecUSec=1s -- --cpu-period 50000
        # a new quota uses the period in force
        update_limit cpu linux.resources.cpu.quota CPUQuotaPerSecUSec=200ms -- --cpu-quota 10000
        update_limit cpu linux.resources.cpu.idle CPUWeight=idle -- --cpu-idle 1
        # -1 lifts the limit anywhere
        sysrun update --pids-limit -1 "$ID"
        [ "$(prop "$UNIT" TasksMax)" = infinity ]
}

@test "update -r FILE and -r - (OCI LinuxResources JSON), where the controllers are" {
        make_bundle
        create_container
        echo '{"pids":{"limit":64}}' >"$BATS_TEST_TMPDIR/res.json"
        update_limit pids linux.resources.pids.limit TasksMax=64 -- -r "$BATS_TEST_TMPDIR/res.json"
        echo '{"blockIO":{"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1000}]}}' >"$BATS_TEST_TMPDIR/io.json"
        update_limit io linux.resources.blockIO.throttleReadBpsDevice "IOReadBandwidthMax=/dev/block/8:0 1000" -- \
                -r "$BATS_TEST_TMPDIR/io.json"
        echo '{"unified":{"memory.high":"16777216"}}' >"$BATS_TEST_TMPDIR/mem.json"
        update_limit memory 'linux.resources.unified["memory.high"]' MemoryHigh=16777216 -- -r "$BATS_TEST_TMPDIR/mem.json"
}

@test "devices: a linux.devices node the rules grant nothing: the device cgroup says 'Operation not permitted', as runc's" {
        make_bundle '.linux.devices = [{"path":"/dev/xfuse","type":"c","major":10,"minor":229,"fileMode":438}]
                | .linux.resources.devices = [{"allow":false,"access":"rwm"}]
                | .process.args = ["sh", "-c", "stat -c %t:%T /dev/xfuse; head -c1 /dev/xfuse; echo x >/dev/xfuse; true"]'
        run sysrun run --bundle "$BUNDLE" "$ID"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"a:e5"* ]]
        [ "$(grep -c 'Operation not permitted' <<<"$output")" -eq 2 ]
}
