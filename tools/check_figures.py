"""Run lessons in classroom style and report every figure whose text overlaps or is cut off, and
every figure shown without a text alternative.

    python tools/check_figures.py [--save DIR] [notebooks/NN_name.ipynb ...]   # default: all

``--save build/figures`` also writes every figure as a PNG, to look at.

Each lesson runs in a fresh kernel (quick and offline mode, inline figures, ``NNLIB_STYLE=
classroom``, ``NNLIB_FIGURE_CHECK=1``: nnlib.show.figures checks each figure as it is displayed and
prints ``FigureTextError`` lines: overlapping or cut-off text, no title, an axis without a
label; nnlib.show.figures.missing_labels and text_problems).  Any stderr line, any error output (a
display formatter that raised does not stop the cell), and any figure without an alt text, is a
problem.  Prints one line per lesson; exits 1 on any problem.  It runs
the whole course (about as long as `make test`'s notebooks): run it under
`flock /tmp/heavy.lock` on a shared machine.  tests/browser/test_browser_a11y.py does the same check in
a real browser for lessons 01, 06 and 09.
"""

from __future__ import annotations

import base64
import re
import sys
import time
from pathlib import Path

import nbformat
from runner import run_notebook

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "NNLIB_QUICK": "1",
    "NNLIB_OFFLINE": "1",
    "NNLIB_STYLE": "classroom",
    "NNLIB_FIGURE_CHECK": "1",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}
ALT = re.compile(r'<img src="data:image/png;base64,[^"]*" alt="Figure: [^"]{4,}"')


def _outputs(nb):
    """(where, output) for every output of the notebook: the cells', and those that widgets
    (``ipywidgets.Output``, e.g. a live plot) hold in the saved widget state."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            yield f"cell {i}", out
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model_id, model in state.get("state", {}).items():
        for out in model.get("state", {}).get("outputs", []) or []:
            yield f"widget {model_id[:8]}", out


def figures_and_problems(nb, save_to=None, stem="lesson"):
    """(number of figures, [problem lines]) of an executed notebook; with ``save_to`` (a folder)
    every figure is written there as ``<stem>_<n>.png`` to look at."""
    n, problems = 0, []
    for where, out in _outputs(nb):
        if out.get("output_type") == "error":  # e.g. a display formatter that raised
            problems.append(f"{where}: {out.get('ename')}: {str(out.get('evalue'))[:300]}")
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            problems += [f"{where}: {ln}" for ln in out["text"].splitlines() if ln.strip()]
        data = out.get("data", {})
        if "image/png" in data:
            n += 1
            if not ALT.search(data.get("text/html", "")):
                problems.append(f"{where}: a figure without alt text")
            if save_to is not None:
                Path(save_to).mkdir(parents=True, exist_ok=True)
                png = base64.b64decode(data["image/png"])
                (Path(save_to) / f"{stem}_{n:02d}.png").write_bytes(png)
    return n, problems


def check_lesson(path, save_to=None, timeout=600):
    """Run one lesson in classroom style; returns (figures, [problems], seconds)."""
    path = Path(path)
    t0 = time.perf_counter()
    nb = nbformat.read(str(path), as_version=4)
    run_notebook(nb, cwd=path.parent, env=ENV, timeout=timeout)
    n, problems = figures_and_problems(nb, save_to, path.stem)
    return n, problems, time.perf_counter() - t0


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    save_to = None
    if "--save" in args:
        i = args.index("--save")
        save_to, args = args[i + 1], args[:i] + args[i + 2 :]
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    bad = 0
    for path in paths:
        try:
            n, problems, seconds = check_lesson(path, save_to)
        except Exception as exc:  # a failing cell (nbclient's CellExecutionError): say which
            n, problems, seconds = 0, [f"the lesson failed: {str(exc).strip()[-300:]}"], 0.0
        bad += len(problems)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{path.name}: {n} figures, {status} ({seconds:.0f} s)", flush=True)
        for p in problems:
            print("   ", p[:400])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
