#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds fake resctrl trees for sysrun's Intel RDT tests (SYSRUN_RESCTRL_ROOT points sysrun at one).
# The layout follows the kernel's (Documentation/filesystems/resctrl.rst); the values are typical
# of the hosts named. A plain directory does not populate itself: sysrun creates the files the kernel
# would have made in groups it makes, and "group" below makes pre-existing groups the kernel's way.
#
#   fake-resctrl.sh two-socket DIR     L3 CAT (cbm_mask fffff, min_cbm_bits 1, 16 CLOSIDs), MBA
#                                      (min_bandwidth 10, bandwidth_gran 10), L3_MON with mon_data
#   fake-resctrl.sh no-mba DIR         one socket, L3 CAT only (cbm_mask 7ff, min_cbm_bits 2,
#                                      4 CLOSIDs), no MBA, no monitoring
#   fake-resctrl.sh group DIR NAME [SCHEMATA]   a group made by someone else (default: the root's)
#   fake-resctrl.sh counters DIR GROUP_DIR      fills mon_data of a (MON) group with known counters
#   fake-resctrl.sh snapshot DIR       every path with its type and contents, for before/after diffs
set -eu

put() { # put FILE CONTENT
        mkdir -p "$(dirname "$1")"
        printf '%s' "$2" >"$1"
}

root_files() { # root_files DIR SCHEMATA CPUS
        local d=$1
        mkdir -p "$d"
        put "$d/schemata" "$2"
        put "$d/tasks" ""
        put "$d/cpus" "$3"
        put "$d/mode" $'shareable\n'
        put "$d/info/last_cmd_status" $'ok\n'
        mkdir -p "$d/mon_groups"
}

two_socket() {
        local d=$1 dom
        root_files "$d" $'L3:0=fffff;1=fffff\nMB:0=100;1=100\n' $'ffff\n'
        put "$d/info/L3/cbm_mask" $'fffff\n'
        put "$d/info/L3/min_cbm_bits" $'1\n'
        put "$d/info/L3/num_closids" $'16\n'
        put "$d/info/L3/shareable_bits" $'0\n'
        put "$d/info/MB/bandwidth_gran" $'10\n'
        put "$d/info/MB/delay_linear" $'1\n'
        put "$d/info/MB/min_bandwidth" $'10\n'
        put "$d/info/MB/num_closids" $'16\n'
        put "$d/info/MB/thread_throttle_mode" $'max\n'
        put "$d/info/L3_MON/mon_features" $'llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n'
        put "$d/info/L3_MON/num_rmids" $'176\n'
        put "$d/info/L3_MON/max_threshold_occupancy" $'270336\n'
        for dom in 00 01; do
                put "$d/mon_data/mon_L3_$dom/llc_occupancy" $'1048576\n'
                put "$d/mon_data/mon_L3_$dom/mbm_total_bytes" $'4096\n'
                put "$d/mon_data/mon_L3_$dom/mbm_local_bytes" $'2048\n'
        done
}

no_mba() {
        local d=$1
        root_files "$d" $'L3:0=7ff\n' $'f\n'
        put "$d/info/L3/cbm_mask" $'7ff\n'
        put "$d/info/L3/min_cbm_bits" $'2\n'
        put "$d/info/L3/num_closids" $'4\n'
        put "$d/info/L3/shareable_bits" $'0\n'
}

group() { # group DIR NAME [SCHEMATA]
        local d=$1/$2
        mkdir "$d"
        if [ $# -ge 3 ]; then put "$d/schemata" "$3"; else cp "$1/schemata" "$d/schemata"; fi
        put "$d/tasks" ""
        put "$d/cpus" $'0\n'
        put "$d/mode" $'shareable\n'
        mkdir -p "$d/mon_groups"
        [ -d "$1/mon_data" ] && cp -r "$1/mon_data" "$d/mon_data"
        return 0
}

counters() { # counters DIR GROUP_DIR: domain N gets occupancy N*1000+1, total N*1000+2, local N*1000+3
        local d=$1/$2 n=0 dom
        for dom in $(ls "$1/mon_data"); do
                put "$d/mon_data/$dom/llc_occupancy" "$((n * 1000 + 1))"$'\n'
                put "$d/mon_data/$dom/mbm_total_bytes" "$((n * 1000 + 2))"$'\n'
                put "$d/mon_data/$dom/mbm_local_bytes" "$((n * 1000 + 3))"$'\n'
                n=$((n + 1))
        done
}

snapshot() {
        local f
        cd "$1"
        find . -printf '%y %p\n' | LC_ALL=C sort
        find . -type f | LC_ALL=C sort | while read -r f; do
                printf '== %s\n' "$f"
                cat "$f"
        done
}

case "${1:-}" in
two-socket) two_socket "$2" ;;
no-mba) no_mba "$2" ;;
group) shift; group "$@" ;;
counters) counters "$2" "$3" ;;
snapshot) snapshot "$2" ;;
*)
        echo "usage: $0 two-socket|no-mba DIR | group DIR NAME [SCHEMATA] | counters DIR GROUP | snapshot DIR" >&2
        exit 2
        ;;
esac
