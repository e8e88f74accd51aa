#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# One container per row of the resources table (src/libsysrun/resources.c): the value systemd ends up
# with. The sandbox enforces none of them (no controllers in it); systemd's record is what is checked.

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

@test "every container: Delegate, accounting, CollectMode, no default dependencies" {
        check_props '{}' Delegate=yes MemoryAccounting=yes CPUAccounting=yes IOAccounting=yes TasksAccounting=yes \
                CollectMode=inactive-or-failed DefaultDependencies=no Slice=machine.slice TimeoutStopUSec=10s \
                "Description=sysrun container $ID"
}

@test "memory.limit -> MemoryMax" {
        check_props '{"memory":{"limit":104857600}}' MemoryMax=104857600
}

@test "memory.limit -1 -> MemoryMax and MemorySwapMax infinity" {
        check_props '{"memory":{"limit":-1}}' MemoryMax=infinity MemorySwapMax=infinity
}

@test "memory.reservation -> MemoryLow" {
        check_props '{"memory":{"reservation":52428800}}' MemoryLow=52428800
}

@test "memory.swap (memory+swap) -> MemorySwapMax = swap - limit" {
        check_props '{"memory":{"limit":104857600,"swap":314572800}}' MemoryMax=104857600 MemorySwapMax=209715200
}

@test "memory.swap equal to the limit -> MemorySwapMax 0" {
        check_props '{"memory":{"limit":104857600,"swap":104857600}}' MemorySwapMax=0
}

@test "cpu.shares -> CPUWeight (1024 -> 100)" {
        check_props '{"cpu":{"shares":1024}}' CPUWeight=100
}

@test "cpu.shares 2 and 262144 -> CPUWeight 1 and 10000" {
        check_props '{"cpu":{"shares":2}}' CPUWeight=1
        check_props '{"cpu":{"shares":262144}}' CPUWeight=10000
}

@test "cpu.idle 1 -> CPUWeight idle" {
        check_props '{"cpu":{"idle":1,"shares":512}}' CPUWeight=idle
}

@test "cpu.quota and cpu.period -> CPUQuotaPerSecUSec (rounded up to 10ms) and CPUQuotaPeriodUSec" {
        check_props '{"cpu":{"quota":12345,"period":100000}}' CPUQuotaPerSecUSec=130ms CPUQuotaPeriodUSec=100ms
}

@test "cpu.quota alone uses the default period" {
        check_props '{"cpu":{"quota":50000}}' CPUQuotaPerSecUSec=500ms
}

@test "cpu.cpus and cpu.mems -> AllowedCPUs and AllowedMemoryNodes" {
        check_props '{"cpu":{"cpus":"0-3,7","mems":"0"}}' "AllowedCPUs=0-3 7" AllowedMemoryNodes=0
}

@test "pids.limit -> TasksMax (0 -> 1, -1 -> infinity)" {
        check_props '{"pids":{"limit":42}}' TasksMax=42
        check_props '{"pids":{"limit":0}}' TasksMax=1
        check_props '{"pids":{"limit":-1}}' TasksMax=infinity
}

@test "blockIO.weight -> IOWeight" {
        check_props '{"blockIO":{"weight":500}}' IOWeight=100
}

@test "blockIO.weightDevice -> IODeviceWeight" {
        check_props '{"blockIO":{"weightDevice":[{"major":8,"minor":0,"weight":1000}]}}' "IODeviceWeight=/dev/block/8:0 200"
}

@test "blockIO throttles -> IO{Read,Write}{Bandwidth,IOPS}Max" {
        check_props '{"blockIO":{"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1048576}],
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
        check_props '{"unified":{"memory.min":"4096","memory.low":"8192","memory.high":"max","memory.max":"1048576","memory.swap.max":"0"}}' \
                MemoryMin=4096 MemoryLow=8192 MemoryHigh=infinity MemoryMax=1048576 MemorySwapMax=0
}

@test "unified cpu.max -> CPUQuotaPerSecUSec and CPUQuotaPeriodUSec" {
        check_props '{"unified":{"cpu.max":"25000 50000"}}' CPUQuotaPerSecUSec=500ms CPUQuotaPeriodUSec=50ms
}

@test "unified cpu.weight, pids.max, io.weight, cpuset.cpus" {
        check_props '{"unified":{"cpu.weight":"300","pids.max":"64","io.weight":"default 250","cpuset.cpus":"1"}}' \
                CPUWeight=300 TasksMax=64 IOWeight=250 AllowedCPUs=1
}

@test "unified memory.oom.group -> OOMPolicy at creation" {
        check_props '{"unified":{"memory.oom.group":"1"}}' OOMPolicy=kill
        check_props '{"unified":{"memory.oom.group":"0"}}' OOMPolicy=continue
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
