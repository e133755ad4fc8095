"""The course's one notebook runner: the benchmark (benchmarks/run_notebooks.py), the site build
(tools/build_site.py) and the tests execute notebooks with :func:`run_notebook`.

Each run gets a fresh kernel that talks over IPC sockets in a private folder (not TCP ports, so
kernels started at the same moment by other processes cannot race for a port) and is shut down
afterwards, whatever happens.  Environment variables for the kernel are set for the run only and
restored in a ``finally``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import KernelManager
from nbclient import NotebookClient


def _set_environment(values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@contextmanager
def environment(env: Mapping[str, str | None] | None):
    """Set ``env`` (a value of ``None`` removes the variable) and restore the old values on
    exit, also when the body raises."""
    env = dict(env or {})
    saved = {key: os.environ.get(key) for key in env}
    try:
        _set_environment(env)
        yield
    finally:
        _set_environment(saved)


def run_notebook(nb, cwd, timeout: int = 1800, env=None, kernel_name: str = "python3"):
    """Execute notebook node ``nb`` in place in a fresh kernel, working folder ``cwd``, with the
    extra environment ``env``; returns ``nb``.  Raises (``nbclient``'s ``CellExecutionError``)
    on the first cell that raises."""
    with environment(env), tempfile.TemporaryDirectory(prefix="nnlib-kernel-") as sockets:
        km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=f"{sockets}/k")
        try:
            client = NotebookClient(
                nb, km=km, timeout=timeout, resources={"metadata": {"path": str(Path(cwd))}}
            )
            client.execute()
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    return nb


def stdout_lines(nb) -> list[str]:
    """Every line an executed notebook printed to stdout, in order."""
    return [
        line
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
        for line in out.get("text", "").splitlines()
    ]


def run_lesson_with(path, code: str, cwd, timeout: int = 900, marker: str = "BENCH_JSON"):
    """Run the notebook at ``path`` with ``code`` appended as a last cell that prints
    ``marker`` followed by a JSON object; return that object with ``wall_seconds`` added (the
    benchmarks' way of reading measured values out of a lesson)."""
    import json
    import time

    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(code))
    t0 = time.perf_counter()
    run_notebook(nb, cwd, timeout=timeout)
    wall = time.perf_counter() - t0
    text = "".join(
        o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o.get("name") == "stdout"
    )
    values = json.loads(text.split(marker, 1)[1])
    values["wall_seconds"] = wall
    return values
