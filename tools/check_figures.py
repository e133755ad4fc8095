"""Run lessons in classroom style and report every figure whose text overlaps or is cut off, and
every figure shown without a text alternative.

    python tools/check_figures.py [notebooks/NN_name.ipynb ...]     # default: every lesson

Each lesson runs in a fresh kernel (quick and offline mode, inline figures, ``NNLIB_STYLE=
classroom``, ``NNLIB_FIGURE_CHECK=1``: nnlib.figures checks each figure as it is displayed and
prints ``FigureTextError`` lines).  Prints one line per lesson; exits 1 on any problem.  It runs
the whole course (about as long as `make test`'s notebooks): run it under
`flock /tmp/heavy.lock` on a shared machine.  tests/test_browser_a11y.py does the same check in
a real browser for lessons 01, 06 and 09.
"""

from __future__ import annotations

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


def figures_and_problems(nb):
    """(number of figures, [problem lines]) of an executed notebook."""
    n, problems = 0, []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems += [
                    f"cell {i}: {ln}" for ln in out["text"].splitlines() if "FigureTextError" in ln
                ]
            data = out.get("data", {})
            if "image/png" in data:
                n += 1
                if not ALT.search(data.get("text/html", "")):
                    problems.append(f"cell {i}: a figure without alt text")
    return n, problems


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    bad = 0
    for path in paths:
        t0 = time.perf_counter()
        nb = nbformat.read(str(path), as_version=4)
        run_notebook(nb, cwd=path.parent, env=ENV, timeout=600)
        n, problems = figures_and_problems(nb)
        bad += len(problems)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{path.name}: {n} figures, {status} ({time.perf_counter() - t0:.0f} s)")
        for p in problems:
            print("   ", p[:400])
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
