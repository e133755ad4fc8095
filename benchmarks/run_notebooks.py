#!/usr/bin/env python3
"""Course benchmark: execute every lesson in quick and full mode; print wall time and the
kernel's peak memory per notebook, and the totals, against the course budgets.

    python benchmarks/run_notebooks.py                      # quick and full, all notebooks
    python benchmarks/run_notebooks.py --modes quick        # only quick mode (make bench-quick)
    python benchmarks/run_notebooks.py --only 07 --only 09  # some lessons
    python benchmarks/run_notebooks.py --write docs/benchmarks.md
    python benchmarks/run_notebooks.py --modes full --mnist-npz mnist.npz --show accuracy

``--mnist-npz`` measures lessons at real size on a machine without network: the full MNIST
(60 000 + 10 000 digits, arrays ``x_train, y_train, x_test, y_test`` as Keras returns them) is
read from a local file named ``mnist.npz`` through the course's data folder: the kernel gets
``NNLIB_DATA_DIR`` set to that file's folder (``tools/build_data_dir.py`` builds one; an
``NNLIB_DATA_DIR`` already set in the environment works too).  ``--show REGEX`` prints the output lines that match, e.g. the
accuracies a lesson prints.

Each notebook runs in a fresh kernel (like a learner's "Restart Kernel and Run All").  Peak memory
is the kernel's own high-water mark (``ru_maxrss`` of the kernel process and its children), read
by one extra cell appended to an in-memory copy of the notebook; wall time covers kernel start-up
and every cell.  Data: offline unless ``--online`` (offline, MNIST is the 5 000-digit fallback).

Budgets (issue #2): quick mode <= 60 s per notebook and <= 6 min in total on 2 cores;
full mode <= 1.5 GB peak memory per notebook (Binder's free tier allows about 2 GB).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # a script, not a test: tools/ is not on its path

from runner import run_notebook as execute_notebook  # noqa: E402
from runner import stdout_lines  # noqa: E402

QUICK_BUDGET_S = 60
QUICK_TOTAL_BUDGET_S = 6 * 60
FULL_PEAK_BUDGET_MB = 1536

PEAK_CELL = """
import resource as _r
_self = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss
_kids = _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss
print("NNLIB_PEAK_KB", max(_self, _kids))
"""


def run_notebook(
    path: Path, mode: str, online: bool, timeout: int, mnist_npz: str | None = None
) -> dict:
    """Execute one notebook in a fresh kernel; return seconds, peak MB, the printed output
    lines and an error, if any."""
    env = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "NNLIB_STRICT_CHECKS": "1"}
    env["NNLIB_QUICK"] = "1" if mode == "quick" else ""
    env["NNLIB_OFFLINE"] = "" if online else "1"
    if mnist_npz:  # the loaders read NNLIB_DATA_DIR/mnist.npz first, also offline
        if Path(mnist_npz).name != "mnist.npz":
            raise ValueError(f"--mnist-npz must name a file called mnist.npz, got {mnist_npz}")
        env["NNLIB_DATA_DIR"] = str(Path(mnist_npz).parent)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    error = None
    t0 = time.perf_counter()
    try:
        execute_notebook(nb, path.parent, timeout=timeout, env=env)
    except Exception as exc:  # report and go on with the next notebook
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:120]}"
    seconds = time.perf_counter() - t0
    peak_mb = None
    for out in nb.cells[-1].get("outputs", []):
        text = out.get("text", "")
        if "NNLIB_PEAK_KB" in text:
            peak_mb = int(text.split()[-1]) / 1024
    printed = stdout_lines(nb)
    return {"seconds": seconds, "peak_mb": peak_mb, "error": error, "printed": printed}


def fmt(r):
    if r is None:
        return "", ""
    s = f"{r['seconds']:.1f}" + (" ERROR" if r["error"] else "")
    m = f"{r['peak_mb']:.0f}" if r["peak_mb"] is not None else "?"
    return s, m


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--modes", default="quick,full", help="comma-separated: quick, full")
    ap.add_argument(
        "--only", action="append", default=[], help="run notebooks whose name contains this"
    )
    ap.add_argument("--online", action="store_true", help="let loaders try the network")
    ap.add_argument("--timeout", type=int, default=1800, help="per-cell timeout in seconds")
    ap.add_argument("--write", metavar="FILE", help="also write the table (markdown) to FILE")
    ap.add_argument("--mnist-npz", metavar="PATH", help="full MNIST from a local .npz (see above)")
    ap.add_argument("--show", metavar="REGEX", help="print output lines matching REGEX")
    args = ap.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(modes) <= {"quick", "full"}:
        ap.error(f"--modes must be quick and/or full, got {args.modes!r}")
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        paths = [p for p in paths if any(o in p.name for o in args.only)]
    if not paths:
        ap.error("no notebooks matched")

    results = {}
    for path in paths:
        for mode in modes:
            mnist = str(Path(args.mnist_npz).resolve()) if args.mnist_npz else None
            r = run_notebook(path, mode, args.online, args.timeout, mnist)
            results[path.name, mode] = r
            s, m = fmt(r)
            print(
                f"  ran {path.name:<32} {mode:<5} {s:>8} s {m:>6} MB", file=sys.stderr, flush=True
            )
            if r["error"]:
                print(f"    {r['error']}", file=sys.stderr)
            if args.show:
                for line in r["printed"]:
                    if re.search(args.show, line, re.I):
                        print(f"    | {line}", file=sys.stderr)

    lines = [
        f"Course benchmark, {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, data "
        + (
            "online"
            if args.online
            else "full MNIST from a local copy (--mnist-npz)"
            if args.mnist_npz
            else "offline (MNIST fallback subset)"
        )
        + ".",
        "",
        "| notebook | quick: s | quick: peak MB | full: s | full: peak MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for path in paths:
        q = fmt(results.get((path.name, "quick")))
        f = fmt(results.get((path.name, "full")))
        lines.append(f"| {path.name} | {q[0]} | {q[1]} | {f[0]} | {f[1]} |")
    problems = []
    for mode in modes:
        rs = [results[p.name, mode] for p in paths]
        total = sum(r["seconds"] for r in rs)
        peak = max((r["peak_mb"] or 0) for r in rs)
        lines.append(
            f"| **total {mode}** | {total:.1f} s ({total / 60:.1f} min) | max {peak:.0f} MB | | |"
            if mode == "quick"
            else f"| **total {mode}** | | | {total:.1f} s ({total / 60:.1f} min) | max {peak:.0f} MB |"
        )
        problems += [
            f"{p.name} {mode}: {results[p.name, mode]['error']}"
            for p in paths
            if results[p.name, mode]["error"]
        ]
        if mode == "quick":
            problems += [
                f"{p.name} quick: {results[p.name, mode]['seconds']:.0f} s > {QUICK_BUDGET_S} s"
                for p in paths
                if results[p.name, mode]["seconds"] > QUICK_BUDGET_S
            ]
            if len(paths) > 1 and total > QUICK_TOTAL_BUDGET_S:
                problems.append(f"quick total {total:.0f} s > {QUICK_TOTAL_BUDGET_S} s")
        else:
            problems += [
                f"{p.name} full: peak {results[p.name, mode]['peak_mb']:.0f} MB > {FULL_PEAK_BUDGET_MB} MB"
                for p in paths
                if (results[p.name, mode]["peak_mb"] or 0) > FULL_PEAK_BUDGET_MB
            ]
    lines.append("")
    lines.append(
        f"Budgets: quick <= {QUICK_BUDGET_S} s per notebook and <= {QUICK_TOTAL_BUDGET_S // 60} min in total; "
        f"full <= {FULL_PEAK_BUDGET_MB} MB peak per notebook. "
        + (
            "All within budget."
            if not problems
            else "Over budget or failed: " + "; ".join(problems) + "."
        )
    )
    table = "\n".join(lines)
    print(table)
    if args.write:
        Path(args.write).write_text(table + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
