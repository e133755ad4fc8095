"""Build reveal.js slide decks of the lessons that open with no network: ``make slides``.

    python tools/build_slides.py [--src notebooks] [--out build/slides] [NB.ipynb ...]

Each lesson becomes ``<out>/<lesson>.slides.html``; reveal.js, MathJax & co. are copied into
``<out>/_static/`` (pinned, see ``vendor_web.py``), so the folder can be copied to a USB stick
and opened from disk.  The slide structure comes from each cell's ``slideshow`` metadata (the
same that RISE uses in JupyterLab).  By default the decks are made from the lessons as
committed (code without outputs: run it live); ``--src build/executed`` (``make
slides-executed``) makes them from executed copies, with figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import offline_html
import vendor_web


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default="notebooks", help="folder of notebooks")
    ap.add_argument("--out", default="build/slides", help="output folder")
    ap.add_argument("notebooks", nargs="*", help="only these notebooks (default: all in --src)")
    args = ap.parse_args(argv)
    src, out = Path(args.src), Path(args.out)
    nbs = [Path(p) for p in args.notebooks] or sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not nbs:
        sys.exit(f"no lessons found in {src}")
    t0 = time.perf_counter()
    vendor_web.install(out / "_static")
    offline_html.copy_assets(nbs, out)
    entries = []
    for nb in nbs:
        target = out / f"{nb.stem}.slides.html"
        html = offline_html.render(nb, target, kind="slides")
        n = html.count("<section")
        entries.append((target.name, f"{offline_html.lesson_title(nb)}"))
        print(f"{target}  ({n} sections)")
    offline_html.write_index(
        out,
        entries,
        "Neural Networks, hands-on - slides",
        "Slide decks of the lessons. Arrow keys move, <kbd>S</kbd> opens the speaker view, "
        "<kbd>Esc</kbd> the overview. Everything is local: no network needed.",
    )
    print(f"{len(nbs)} decks in {out}/ in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
