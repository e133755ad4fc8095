"""Execute the course and render it as a static web site: ``make site``.

    python tools/build_site.py [--quick] [--src notebooks] [--out build/site] [NB ...]

1. Every lesson is executed top to bottom (nbclient, working folder ``notebooks/``) into
   ``build/executed/full/`` (or ``.../quick/`` with ``--quick``, which sets ``NNLIB_QUICK=1``).
   A copy newer than its lesson and than nnlib/ is reused, so a second run only re-renders.
   A cell that raises stops the build: the site never shows a traceback.
2. Each executed lesson becomes ``<out>/<lesson>.html`` (JupyterLab look, maths, figures;
   widgets become a note, as they need a kernel), with an ``index.html`` linking them all.
   Scripts come from ``<out>/_static/`` (pinned copies), so the site also works offline.

Full size is the default because a reader of the site sees the numbers the text talks about;
``--quick`` is for checking the build (minutes instead of the course's full run time).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
import offline_html
import vendor_web
from runner import run_notebook  # the course's one notebook runner (also used by the tests)

ROOT = Path(__file__).resolve().parent.parent


def _newest(paths) -> float:
    return max((p.stat().st_mtime for p in paths), default=0.0)


def execute(nb_path: Path, out_path: Path, quick: bool, timeout: int = 1800) -> float | None:
    """Execute one lesson into ``out_path``; returns seconds, or None if the copy was fresh."""
    deps = [nb_path, *ROOT.joinpath("nnlib").rglob("*.py")]
    if out_path.exists() and out_path.stat().st_mtime > _newest(deps):
        return None
    nb = nbformat.read(str(nb_path), as_version=4)
    # Figures must be inline PNGs (MPLBACKEND=Agg, as `make test` sets, would show none).
    env = {
        "NNLIB_QUICK": "1" if quick else None,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    t0 = time.perf_counter()
    run_notebook(nb, nb_path.parent.resolve(), timeout, env=env)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out_path))
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="execute in quick mode (NNLIB_QUICK=1)")
    ap.add_argument("--src", default="notebooks")
    ap.add_argument("--out", default="build/site")
    ap.add_argument("--executed", default=None, help="folder for executed copies")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    src, out = Path(args.src), Path(args.out)
    mode = "quick" if args.quick else "full"
    executed = Path(args.executed or ROOT / "build" / "executed" / mode)
    nbs = [Path(p) for p in args.notebooks] or sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not nbs:
        sys.exit(f"no lessons found in {src}")
    t0 = time.perf_counter()
    vendor_web.install(out / "_static", only=["requirejs", "mathjax"])
    offline_html.copy_assets(nbs, out)
    entries = []
    for nb in nbs:
        done = executed / nb.name
        secs = execute(nb, done, quick=args.quick)
        took = "reused" if secs is None else f"executed in {secs:.1f} s"
        page = out / f"{nb.stem}.html"
        offline_html.render(done, page, kind="page")
        entries.append((page.name, offline_html.lesson_title(nb)))
        print(f"{page}  ({mode} mode, {took})", flush=True)
    note = (
        " These pages were made in quick mode: smaller data and fewer epochs." if args.quick else ""
    )
    offline_html.write_index(
        out,
        entries,
        "Neural Networks, hands-on",
        "The lessons of the course, run top to bottom, with their figures and results."
        " To change the code and use the widgets, open them in JupyterLab or on Binder." + note,
    )
    print(f"{len(nbs)} pages in {out}/ in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
