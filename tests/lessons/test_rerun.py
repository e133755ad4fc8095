"""Every lesson survives what learners do all the time (issue 14, item 4):

* **run a code cell twice in a row** - every code cell of the lesson, each executed twice before
  the next one, in one kernel: the second run must not fail;
* **Restart & Run All, twice** - two runs of the whole lesson, each in a fresh kernel: both pass
  and print the same deterministic output (timings and memory figures are left out).

Slow (each lesson about 4 times), so ``make test`` skips it; ``make test-rerun`` runs it (quick
mode, offline, as ``make test``).  Run it alone, e.g.
``NNLIB_QUICK=1 NNLIB_OFFLINE=1 pytest -m rerun tests/lessons/test_rerun.py -k 07``.
"""

import re
import tempfile
from pathlib import Path

import nbformat
import pytest
import runner
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ENV = {
    "NNLIB_QUICK": "1",
    "NNLIB_OFFLINE": "1",
    "NNLIB_STRICT_CHECKS": "1",
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
}
TIMEOUT = 900

pytestmark = pytest.mark.rerun

# Output lines that measure the machine, not the lesson: they may differ between two runs.
VOLATILE = re.compile(
    r"\d\s*(s|ms|sec|seconds|MB|MiB|GB|GiB|KiB)\b|\d\.?\d*x\b|\btook\b|\btime\b|elapsed|"
    r"per second|/s\b|/step\b",
    re.IGNORECASE,
)


def _lesson(path):
    return nbformat.read(path, as_version=4)


def _text_outputs(cell):
    """The cell's printed text and plain-text results, one line each."""
    texts = []  # stdout arrives in chunks that split lines differently from run to run
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            texts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain", "")
            if "<Figure" not in text and "object at 0x" not in text and "Widget" not in text:
                texts.append("\n" + text + "\n")
    return [line for line in "".join(texts).splitlines() if line.strip()]


def deterministic_lines(nb):
    """``(cell index, line)`` for every output line that should be the same on every run."""
    return [
        (i, line)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for line in _text_outputs(cell)
        if not VOLATILE.search(line)
    ]


def run_each_cell_twice(nb, cwd):
    """Execute every code cell twice in a row in one fresh kernel; returns the failures as
    ``(cell index, first line of the cell, error)`` for cells whose *second* run failed."""
    failures = []
    with runner.environment(ENV), tempfile.TemporaryDirectory(prefix="nnlib-kernel-") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/k")
        client = NotebookClient(
            nb, km=km, timeout=TIMEOUT, resources={"metadata": {"path": str(cwd)}}
        )
        try:
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    client.execute_cell(cell, index)  # the first run must pass as in make test
                    try:
                        client.execute_cell(cell, index)
                    except CellExecutionError as exc:
                        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                        error = str(exc).strip().splitlines()[-1]
                        failures.append((index, first, error))
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    return failures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_cell_can_run_twice_in_a_row(path):
    failures = run_each_cell_twice(_lesson(path), path.parent)
    assert not failures, f"{path.name}: cells that fail when run a second time:\n" + "\n".join(
        f"  cell {i} ({first!r}): {error}" for i, first, error in failures
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_restart_and_run_all_twice_gives_the_same_output(path):
    runs = [runner.run_notebook(_lesson(path), path.parent, TIMEOUT, ENV) for _ in range(2)]
    first, second = (deterministic_lines(nb) for nb in runs)
    assert first, f"{path.name} printed nothing to compare"
    diff = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and not diff, (
        f"{path.name}: the second Restart & Run All printed something else:\n"
        + "\n".join(f"  cell {a[0]}: {a[1]!r}\n       vs {b[1]!r}" for a, b in diff[:10])
        + (f"\n  ({len(first)} vs {len(second)} lines)" if len(first) != len(second) else "")
    )
