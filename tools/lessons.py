"""The lessons' text sources and the notebooks built from them.

The source of truth of every lesson is a jupytext *percent* script in ``lessons/`` (one
``# %%`` marker per cell, markdown cells as comments, cell metadata such as the slide type on the
marker line). It is reviewed and diffed as text, linted by ruff, read by ``duplicates`` and by
the hygiene tests. ``notebooks/*.ipynb`` are built from it, without outputs, for learners,
Binder and nbval:

    python tools/lessons.py build     # lessons/*.py -> notebooks/*.ipynb   (make notebooks)
    python tools/lessons.py check     # exit 1, naming the files, when they disagree
    python tools/lessons.py import NOTEBOOK...   # a notebook edited in JupyterLab -> its source

The build is deterministic: cell ids are ``cell-000``, ``cell-001``, ...; the notebook metadata
(kernelspec, language_info, slideshow settings) is the same for every lesson and written here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
FMT = "py:percent"

# What a python3 ipykernel reports, so that opening a lesson in JupyterLab changes nothing.
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
    },
    "rise": {"enable_chalkboard": False, "scroll": True},
}


def sources() -> list[Path]:
    return sorted(SOURCES.glob("[0-9][0-9]_*.py"))


def notebook_of(source: Path) -> Path:
    return NOTEBOOKS / (source.stem + ".ipynb")


def source_of(notebook: Path) -> Path:
    return SOURCES / (Path(notebook).stem + ".py")


def to_notebook(text: str) -> nbformat.NotebookNode:
    """A lesson's text source as a clean notebook (no outputs, fixed ids and metadata)."""
    nb = jupytext.reads(text, fmt=FMT)
    out = nbformat.v4.new_notebook()
    out.metadata = nbformat.from_dict(METADATA)
    for i, cell in enumerate(nb.cells):
        kw = {"metadata": nbformat.from_dict(dict(cell.metadata)), "id": f"cell-{i:03d}"}
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, **kw)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, **kw)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, **kw)
        out.cells.append(new)
    return out


def to_text(nb) -> str:
    """A notebook as its percent-script text source (outputs and notebook metadata dropped)."""
    nb = nbformat.from_dict(nb)
    nb.metadata = nbformat.from_dict({"jupytext": {"notebook_metadata_filter": "-all"}})
    for cell in nb.cells:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        cell.pop("id", None)
    text = jupytext.writes(nb, fmt=FMT)
    return text if text.endswith("\n") else text + "\n"


def built(source: Path) -> str:
    return nbformat.writes(to_notebook(source.read_text(encoding="utf-8"))) + "\n"


def stale() -> list[str]:
    """Names of the notebooks that differ from (or lack) their source, or lack a source."""
    bad = [s.name for s in sources() if not notebook_of(s).exists()]
    bad += [
        notebook_of(s).name
        for s in sources()
        if notebook_of(s).exists() and notebook_of(s).read_text(encoding="utf-8") != built(s)
    ]
    bad += [nb.name for nb in sorted(NOTEBOOKS.glob("*.ipynb")) if not source_of(nb).exists()]
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("command", choices=["build", "check", "import"])
    ap.add_argument("notebooks", nargs="*", type=Path)
    args = ap.parse_args(argv)
    if args.command == "build":
        for s in sources():
            text = built(s)
            target = notebook_of(s)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                print(f"built {target}")
        return 0
    if args.command == "check":
        bad = stale()
        if bad:
            print(
                "notebooks out of step with lessons/: "
                + ", ".join(bad)
                + "\nEdit lessons/*.py and run `make notebooks` (or, after editing a notebook in "
                "JupyterLab, `python tools/lessons.py import notebooks/NN_name.ipynb`)."
            )
            return 1
        print(f"{len(sources())} notebooks match their sources")
        return 0
    for path in args.notebooks:  # import
        nb = nbformat.read(path, as_version=4)
        source_of(path).write_text(to_text(nb), encoding="utf-8")
        print(f"wrote {source_of(path).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
