#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Times one command line per runtime RUNS times, interleaved (one run of each per round, in a
rotating order, so that a slow spell of the machine hits all of them alike), and prints one line per
runtime: NAME, the median wall time and the median CPU time (user+system of the runtime and the
children it waited for, from wait4's rusage) in seconds, and the peak RSS (KiB) of three more runs
under GNU time (0 without /usr/bin/time). Not our own wait4's: a child spawned by this python
starts out with python's RSS as its peak.

    measure.py RUNS TEMPLATE NAME=COMMAND...

COMMAND is the runtime's command line (split on blanks), TEMPLATE the arguments that follow it, with
{name} and {i} (the run's number) replaced, e.g. "run --bundle B {name}-{i}" or "exec c-{name} true".

One untimed run of each comes first ({i} is "warm"): page cache, D-Bus activation. A runtime whose
warm-up run fails is reported on stderr (its last error line) and left out; a later failure of a run
is fatal (exit 1)."""
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


def peak_rss(cmd):
    if not os.access("/usr/bin/time", os.X_OK):
        return 0
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    last = out.stderr.strip().splitlines()[-1:] or ["0"]
    return int(last[0]) if out.returncode == 0 and last[0].isdigit() else 0


def main():
    runs, template = int(sys.argv[1]), sys.argv[2]
    runtimes = []
    for spec in sys.argv[3:]:
        name, _, command = spec.partition("=")
        runtime = command.split()
        args = template.format(name=name, i="warm").split()
        warm = subprocess.run(runtime + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if warm.returncode != 0:
            lines = warm.stderr.strip().splitlines()
            print(f"{name}: {lines[-1] if lines else 'failed'}", file=sys.stderr)
            continue
        runtimes.append((name, runtime, [], [], []))
    for i in range(runs):
        # The order rotates, so that each runtime follows each other one equally often: a runtime's
        # teardown (a stopping scope, say) can slow the next one down.
        for name, runtime, walls, cpus, rss in runtimes[i % len(runtimes):] + runtimes[:i % len(runtimes)]:
            rc, wall, cpu = run_once(runtime + template.format(name=name, i=i).split())
            if rc != 0:
                print(f"{name}: run {i} exited with {rc}", file=sys.stderr)
                return 1
            walls.append(wall)
            cpus.append(cpu)
    for name, runtime, _, _, rss in runtimes:
        for i in range(3):
            rss.append(peak_rss(runtime + template.format(name=name, i=f"rss{i}").split()))
    for name, _, walls, cpus, rss in runtimes:
        print(f"{name} {statistics.median(walls):.4f} {statistics.median(cpus):.4f} {max(rss)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
