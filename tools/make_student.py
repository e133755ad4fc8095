"""Make student copies of the lessons: ``make student``.

    python tools/make_student.py [--src notebooks] [--out build/student/notebooks] [NB ...]

In every code cell, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (markers
included) become one line ``...  # YOUR CODE HERE`` at the markers' indentation.  A function
whose body is ``...`` returns None, and ``answer = None`` stays None, so every student copy
still runs top to bottom and ``check(...)`` answers "Not yet: ...".

Solutions are also hidden from ``solution("NN.name")``: the tool puts
``os.environ["NNLIB_HIDE_SOLUTIONS"] = "1"`` at the top of the first code cell (visible, so an
instructor can see and change it) and marks the notebook ``metadata.nnlib.student = true``.
Outputs and execution counts are cleared.  Unbalanced or nested markers are an error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
PLACEHOLDER = "...  # YOUR CODE HERE"
HIDE_LINE = 'import os\n\nos.environ["NNLIB_HIDE_SOLUTIONS"] = "1"  # student copy: solution() is hidden\n\n'
_MARKER = re.compile(r"^(\s*)(# BEGIN SOLUTION|# END SOLUTION)\s*$")


class MarkerError(ValueError):
    pass


def strip_source(source: str, where: str = "cell") -> tuple[str, int]:
    """Return (source with every solution block replaced, number of blocks)."""
    out, n, open_indent, open_line = [], 0, None, None
    for i, line in enumerate(source.splitlines(), 1):
        m = _MARKER.match(line)
        if m is None:
            if BEGIN in line or END in line:
                raise MarkerError(
                    f"{where}, line {i}: a marker must be alone on its line: {line!r}"
                )
            if open_indent is None:
                out.append(line)
            continue
        indent, marker = m.groups()
        if marker == BEGIN:
            if open_indent is not None:
                raise MarkerError(f"{where}, line {i}: BEGIN SOLUTION inside another solution")
            open_indent, open_line = indent, i
        else:
            if open_indent is None:
                raise MarkerError(f"{where}, line {i}: END SOLUTION without BEGIN SOLUTION")
            if indent != open_indent:
                raise MarkerError(
                    f"{where}, line {i}: END SOLUTION indented unlike its BEGIN (line {open_line})"
                )
            out.append(open_indent + PLACEHOLDER)
            open_indent, n = None, n + 1
    if open_indent is not None:
        raise MarkerError(f"{where}, line {open_line}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out), n


def count_blocks(nb) -> int:
    """Solution blocks in a notebook; raises MarkerError when markers are unbalanced."""
    return sum(
        strip_source(c.source, f"cell {i}")[1]
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
    )


def student_notebook(nb):
    """A stripped copy of notebook ``nb`` (nbformat node); the original is not changed."""
    nb = nbformat.from_dict(nb)  # deep copy
    first_code = True
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.source, _ = strip_source(cell.source, f"cell {i}")
        if first_code:
            cell.source = HIDE_LINE + cell.source
            first_code = False
        cell.outputs = []
        cell.execution_count = None
    nb.metadata.setdefault("nnlib", {})["student"] = True
    return nb


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default="notebooks")
    ap.add_argument("--out", default="build/student/notebooks")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    nbs = [Path(p) for p in args.notebooks] or sorted(Path(args.src).glob("[0-9][0-9]_*.ipynb"))
    if not nbs:
        sys.exit(f"no lessons found in {args.src}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in nbs:
        nb = nbformat.read(str(path), as_version=4)
        try:
            n = count_blocks(nb)
            stripped = student_notebook(nb)
        except MarkerError as err:
            sys.exit(f"{path}: {err}")
        nbformat.write(stripped, str(out / path.name))
        print(f"{out / path.name}: {n} solution blocks replaced")


if __name__ == "__main__":
    main()
