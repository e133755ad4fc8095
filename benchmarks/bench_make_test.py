#!/usr/bin/env python3
"""`make test` against its 2.5-minute budget: wall time, CPU time, and where the time goes.

    python benchmarks/bench_make_test.py              # runs `make test` once (make bench-test)
    python benchmarks/bench_make_test.py --log FILE   # reads a finished run's output instead

It runs ``make test`` with pytest's ``--durations=0`` and prints

* the wall time of the whole target and the CPU time of everything it started (user + sys);
* the summed test time per notebook and per test folder (with two pytest workers the wall time
  is about half the sum plus collection and start-up);
* the slowest single items;
* a **machine speed reference**: the seconds of a fixed single-threaded NumPy and pure-Python
  workload, measured just before. The same commit takes up to 2x longer on a slow day here, so a
  number from another day is comparable only next to its reference.

Run it on an idle machine: anything else running makes every number larger.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 150  # DEVELOPERS.md: `make test` <= 2.5 min on 2 cores
DURATION = re.compile(r"^\s*([\d.]+)s (call|setup|teardown)\s+(.+?)\s*$")
SUMMARY = re.compile(r"=+ (.*\bpassed\b.*) in ([\d.]+)s")


def speed_reference():
    """Seconds for a fixed single-threaded workload (lower is a faster machine)."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((300, 300))
    t0 = time.perf_counter()
    for _ in range(60):  # NumPy: small matrix products and element-wise work
        a = np.tanh(a @ a.T / 300.0)
    total = 0
    for i in range(3_000_000):  # pure Python: the interpreter, as tracing and test code use it
        total += i % 7
    return time.perf_counter() - t0


def where_the_time_goes(text):
    """Summed seconds per notebook / test folder, and the slowest items, from --durations=0."""
    groups = collections.Counter()
    items = []
    for line in text.splitlines():
        m = DURATION.match(line)
        if not m:
            continue
        seconds, node = float(m.group(1)), m.group(3)
        path = node.split("::")[0]
        parts = Path(path).parts
        key = path if parts[0] == "notebooks" else "/".join(parts[:2]) + "/"
        groups[key] += seconds
        items.append((seconds, f"{m.group(2)} {node}"))
    return groups, sorted(items, reverse=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, help="read this output of a finished run instead")
    parser.add_argument("--top", type=int, default=12, help="how many slowest items to print")
    args = parser.parse_args(argv)

    reference = speed_reference()
    if args.log:
        text = args.log.read_text(encoding="utf-8", errors="replace")
        wall = cpu = None
        rc = 0
    else:
        env = dict(os.environ, PYTEST_ADDOPTS="--durations=0")
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["make", "test"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wall = time.perf_counter() - t0
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        text, rc = proc.stdout, proc.returncode

    groups, items = where_the_time_goes(text)
    if not groups:
        sys.exit("no --durations lines found: was this a `make test` run with --durations=0?")
    summary = SUMMARY.search(text)
    print(f"machine speed reference: {reference:.2f} s (fixed single-threaded workload)")
    if summary:
        print(f"pytest: {summary.group(1)} in {float(summary.group(2)):.0f} s")
    if wall is not None:
        verdict = "within" if wall <= BUDGET_S else "OVER"
        print(f"make test: {wall:.0f} s wall ({verdict} the {BUDGET_S} s budget), {cpu:.0f} s CPU")
    total = sum(groups.values())
    notebooks = sum(v for k, v in groups.items() if k.startswith("notebooks"))
    print(
        f"summed test time {total:.0f} s: notebooks {notebooks:.0f} s, the rest "
        f"{total - notebooks:.0f} s"
    )
    for key, seconds in groups.most_common():
        print(f"  {seconds:7.1f} s  {key}")
    print(f"slowest {args.top} items:")
    for seconds, node in items[: args.top]:
        print(f"  {seconds:7.1f} s  {node}")
    if rc:
        failed = [line for line in text.splitlines() if line.startswith(("FAILED", "ERROR"))]
        print(f"make test FAILED (exit {rc})" + "".join(f"\n  {line}" for line in failed))
    return rc


if __name__ == "__main__":
    sys.exit(main())
