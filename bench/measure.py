#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs `RUNTIME... run --bundle B <fresh id>` RUNS times and prints the median wall time and the median
CPU time (user+system of the runtime and the children it waited for, from wait4's rusage), in seconds.

    measure.py NAME RUNS BUNDLE RUNTIME-COMMAND...   (the command is everything before "run")

One untimed run comes first (page cache, D-Bus activation); if it fails, its error is printed and the
exit status is 1."""
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
    name, runs, bundle, runtime = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    warm = subprocess.run(runtime + ["run", "--bundle", bundle, f"warm-{name}"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if warm.returncode != 0:
        print(f"{name}: {warm.stderr.strip().splitlines()[-1] if warm.stderr.strip() else 'failed'}",
              file=sys.stderr)
        return 1
    walls, cpus = [], []
    for i in range(runs):
        rc, wall, cpu = run_once(runtime + ["run", "--bundle", bundle, f"{name}-{i}"])
        if rc != 0:
            print(f"{name}: run {i} exited with {rc}", file=sys.stderr)
            return 1
        walls.append(wall)
        cpus.append(cpu)
    print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
