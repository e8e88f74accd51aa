#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs `RUNTIME... run --bundle B <fresh id>` RUNS times for each runtime, interleaved (one run of
each per round, in a rotating order, so that a slow spell of the machine hits all of them alike),
and prints one line per runtime: NAME, the median wall time and the median CPU time (user+system of
the runtime and the children it waited for, from wait4's rusage), in seconds.

    measure.py RUNS BUNDLE NAME=COMMAND...   (COMMAND is the runtime's command line before "run",
                                              split on blanks)

One untimed run of each comes first (page cache, D-Bus activation). A runtime whose warm-up run fails
is reported on stderr (its last error line) and left out; a later failure of a run is fatal (exit 1)."""
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    null = os.open(os.devnull, os.O_RDWR)
    try:
        pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    finally:
        os.close(null)
    t0 = time.perf_counter()
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    return os.waitstatus_to_exitcode(status), wall, ru.ru_utime + ru.ru_stime


def main():
    runs, bundle = int(sys.argv[1]), sys.argv[2]
    runtimes = []
    for spec in sys.argv[3:]:
        name, _, command = spec.partition("=")
        runtime = command.split()
        warm = subprocess.run(runtime + ["run", "--bundle", bundle, f"warm-{name}"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if warm.returncode != 0:
            lines = warm.stderr.strip().splitlines()
            print(f"{name}: {lines[-1] if lines else 'failed'}", file=sys.stderr)
            continue
        runtimes.append((name, runtime, [], []))
    for i in range(runs):
        # The order rotates, so that each runtime follows each other one equally often: a runtime's
        # teardown (a stopping scope, say) can slow the next one down.
        for name, runtime, walls, cpus in runtimes[i % len(runtimes):] + runtimes[:i % len(runtimes)]:
            rc, wall, cpu = run_once(runtime + ["run", "--bundle", bundle, f"{name}-{i}"])
            if rc != 0:
                print(f"{name}: run {i} exited with {rc}", file=sys.stderr)
                return 1
            walls.append(wall)
            cpus.append(cpu)
    for name, _, walls, cpus in runtimes:
        print(f"{name} {statistics.median(walls):.4f} {statistics.median(cpus):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
