"""The lessons' text sources and the notebooks built from them.

The source of truth of every lesson is a jupytext *percent* script in ``lessons/`` (one
``# %%`` marker per cell, markdown cells as comments, cell metadata such as the slide type on the
marker line). It is reviewed and diffed as text, linted by ruff, read by ``duplicates`` and by
the hygiene tests. ``notebooks/*.ipynb`` are built from it, without outputs, for learners,
Binder and nbval:

    python tools/lessons.py build     # lessons/*.py -> notebooks/*.ipynb   (make notebooks)
    python tools/lessons.py check     # exit 1, naming the files, when they disagree
    python tools/lessons.py import NOTEBOOK...   # a notebook edited in JupyterLab -> its source

No jupytext pairing is configured on purpose (no jupytext.toml): jupytext is installed for this
tool, and with a pairing its JupyterLab contents manager would rewrite lessons/*.py (and add
jupytext metadata to the notebook) whenever anyone saved a notebook in notebooks/ - presenting or
trying a lesson would dirty the course. Edit the text sources; rebuild with ``make notebooks``.

The build is deterministic: cell ids are ``cell-000``, ``cell-001``, ...; the notebook metadata
(kernelspec, language_info, slideshow settings) is the same for every lesson and written here.

One source per solution: ``build`` also extracts every exercise's solution block (the code cell
with ``# BEGIN SOLUTION`` / ``# END SOLUTION`` before the cell that runs ``check("NN.name",
answer)``) into ``nnlib/exercises/solutions.json``, package data that ``solution()`` prints and
that the checks run as the reference (``nnlib.exercises.solutions``), also where nnlib is
installed without the lessons. ``check`` fails when that file is stale too.

Skipped cells: ``build`` also writes ``lesson_names.json`` next to ``solutions.json`` (lesson ->
name -> the ``## `` section whose cell first binds that name at top level), so that
``nnlib.session.skipped`` can tell a learner who meets a ``NameError`` which section to run.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import json
import re
import symtable
import sys
from pathlib import Path

try:
    import jupytext
    import nbformat
except ImportError:  # a bare interpreter: only the section map (section_names) works then
    jupytext = nbformat = None

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "nnlib" / "exercises" / "solutions.json"
FMT = "py:percent"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
_MARKER = re.compile(r"^(\s*)(# BEGIN SOLUTION|# END SOLUTION)\s*$")
# The cell that checks an answer: check("NN.name", name_of_the_answer)
_CHECK = re.compile(r"""^check\(\s*["'](\d\d\.\w+)["']\s*,\s*([A-Za-z_]\w*)\s*\)""", re.M)

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


# --------------------------------------------------------------------------- solutions


def _solution_code(source: str) -> str:
    """A solution cell without its markers. In a function the whole cell is the answer (``def``
    line included); at top level only the lines between the markers are (the line before them,
    such as ``nand = None``, is the blank the learner starts from)."""
    lines = source.splitlines()
    marks = [i for i, line in enumerate(lines) if _MARKER.match(line)]
    begin, end = marks[0], marks[-1]
    if _MARKER.match(lines[begin]).group(1):  # indented: inside a function
        keep = [line for line in lines if not _MARKER.match(line)]
    else:
        keep = [line for line in lines[begin + 1 : end] if not _MARKER.match(line)]
    return "\n".join(keep).strip("\n") + "\n"


def _bindings(cells) -> dict[str, tuple[int, str, set[str]]]:
    """What a lesson binds at top level that a solution may use: name -> (position, statement,
    names the statement needs). Imports (``import numpy as np``), and calls on what is already
    bound (``keras = nnlib.config.import_keras()``)."""
    out, position = {}, 0
    for cell in cells:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics
            continue
        for node in tree.body:
            position += 1
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    out[name] = (position, ast.unparse(ast.Import(names=[alias])), set())
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    one = ast.ImportFrom(module=node.module, names=[alias], level=node.level)
                    out[alias.asname or alias.name] = (position, ast.unparse(one), set())
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
            ):
                needs = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
                if needs and needs <= set(out):
                    out[node.targets[0].id] = (position, ast.unparse(node), needs)
    return out


def _free_names(code: str) -> set[str]:
    """The names ``code`` reads but does not bind itself (parameters and locals excluded)."""
    top = symtable.symtable(code, "<solution>", "exec")
    own = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    free, tables = set(), [top]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        for sym in table.get_symbols():
            is_free = sym.is_global() or table is top
            if sym.is_referenced() and is_free and sym.get_name() not in own:
                free.add(sym.get_name())
    return free


def _setup(code: str, bindings) -> list[str]:
    """The statements (in lesson order) that bind the lesson's names ``code`` uses."""
    todo = sorted(_free_names(code))
    needed = set()
    while todo:
        name = todo.pop()
        if name in bindings and name not in needed:
            needed.add(name)
            todo.extend(bindings[name][2])
    return [stmt for _, stmt, _ in sorted({bindings[n][:2] + (None,) for n in needed})]


def solution_blocks(source: Path) -> dict[str, dict]:
    """The exercises of one lesson: id -> {lesson, name, kind, code, setup, title}; the title is
    the lesson's heading ``### Exercise k — title`` (nnlib.exercises.titles: the one place)."""
    from nnlib.exercises.titles import lesson_titles

    text = source.read_text(encoding="utf-8")
    titles = lesson_titles(text)
    nb = jupytext.reads(text, fmt=FMT)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    bindings = _bindings(cells)
    out, pending = {}, None
    for cell in cells:
        if any(_MARKER.match(line) for line in cell.source.splitlines()):
            pending = cell.source
            continue
        match = _CHECK.search(cell.source)
        if pending is None or match is None:
            continue
        exercise_id, name = match.groups()
        code = _solution_code(pending)
        unknown = _free_names(code) - set(bindings) - set(dir(builtins))
        if unknown:
            raise ValueError(
                f"{source.name}: the solution of {exercise_id} uses {sorted(unknown)}, which the "
                f"lesson does not import; nnlib runs the block on its own (as the reference of "
                f"the check), so pass them as arguments or import them in the lesson"
            )
        if exercise_id not in titles:
            raise ValueError(
                f"{source.name}: the exercise {exercise_id} has no heading: put a markdown cell "
                f"'### Exercise k — title' above its answer cell (lessons/AUTHORING.md)"
            )
        out[exercise_id] = {
            "lesson": source.name,
            "name": name,
            "kind": "function" if code.startswith("def ") else "value",
            "code": code,
            "setup": _setup(code, bindings),
            "title": titles[exercise_id],
        }
        pending = None
    return out


def solutions_text() -> str:
    data = {}
    for s in sources():
        data.update(solution_blocks(s))
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


# --------------------------------------------------------------------------- names per section

_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _walrus_targets(node: ast.AST) -> list[str]:
    """The ``name := ...`` targets in a comprehension: they bind in the enclosing scope (PEP 572);
    a lambda inside is a scope of its own."""
    if isinstance(node, ast.Lambda):
        return []
    out = [node.target.id] if isinstance(node, ast.NamedExpr) else []
    for child in ast.iter_child_nodes(node):
        out += _walrus_targets(child)
    return out


def _top_level_bindings(node: ast.AST) -> list[str]:
    """The names ``node`` binds in the scope it runs in, without looking into the scopes it opens
    (function and class bodies, lambdas, comprehensions: their loop variables are their own)."""
    if isinstance(node, _COMPREHENSIONS):
        return _walrus_targets(node)
    if isinstance(node, ast.Name):
        return [node.id] if isinstance(node.ctx, (ast.Store, ast.Del)) else []
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"]
    out = []
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        out.append(node.name)
        # only what runs where the def stands: decorators, defaults, bases (not the body)
        inner = [*node.decorator_list]
        if isinstance(node, ast.ClassDef):
            inner += [*node.bases, *node.keywords]
        else:
            inner += [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        children = inner
    elif isinstance(node, ast.Lambda):
        children = [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
    else:
        children = list(ast.iter_child_nodes(node))
        name = getattr(node, "name", None)  # except ... as name; match patterns (as / *rest)
        if isinstance(name, str):
            out.append(name)
        rest = getattr(node, "rest", None)  # match {**rest}
        if isinstance(node, ast.MatchMapping) and rest:
            out.append(rest)
    for child in children:
        out += _top_level_bindings(child)
    return out


def _bound_names(code: str) -> list[str]:
    """The names a cell binds at top level (assignments, imports, def, class, for, with ...).

    From the syntax tree, not from ``symtable``: since Python 3.12 (PEP 709, inlined
    comprehensions) symtable lists a comprehension's loop variable (the ``k`` of ``[k for k in
    d]``) as a symbol of the enclosing scope, so the map would depend on the interpreter. This
    gives the same on every Python (tests/lessons/test_build_pythons.py) and needs only the standard
    library."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return list(dict.fromkeys(_top_level_bindings(tree)))


def section_names(cells) -> dict[str, str]:
    """name -> the heading of the section (``## ...``) whose code cell binds it first (``""``
    for the lesson's first code cell, the setup, wherever its heading is). ``cells``: the
    lesson's (cell_type, source) pairs in order. Standard library only: the tests run it under
    every supported Python (tests/lessons/test_build_pythons.py)."""
    section, out, first = "", {}, True
    for cell_type, source in cells:
        if cell_type == "markdown":
            headings = _HEADING.findall(source)
            if headings:
                section = headings[-1]
        elif cell_type == "code":
            for name in _bound_names(source):
                if not name.startswith("_"):
                    out.setdefault(name, "" if first else section)
            first = False
    return out


def lesson_cells(source: Path) -> list[tuple[str, str]]:
    """A lesson source's cells as (cell_type, source) pairs."""
    nb = jupytext.reads(source.read_text(encoding="utf-8"), fmt=FMT)
    return [(cell.cell_type, cell.source) for cell in nb.cells]


def defined_names(source: Path) -> dict[str, str]:
    """name -> the section that first binds it, in one lesson source (``section_names``)."""
    return section_names(lesson_cells(source))


def names_file() -> Path:
    """Where ``build`` writes the names: next to the solutions file (read by nnlib.session.skipped)."""
    return SOLUTIONS.with_name("lesson_names.json")


def names_text() -> str:
    data = {s.stem: defined_names(s) for s in sources()}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def stale() -> list[str]:
    """Names of the notebooks that differ from (or lack) their source, or lack a source, and
    of the solutions file when it differs from the lessons' solution blocks."""
    bad = [s.name for s in sources() if not notebook_of(s).exists()]
    bad += [
        notebook_of(s).name
        for s in sources()
        if notebook_of(s).exists() and notebook_of(s).read_text(encoding="utf-8") != built(s)
    ]
    bad += [nb.name for nb in sorted(NOTEBOOKS.glob("*.ipynb")) if not source_of(nb).exists()]
    if not SOLUTIONS.exists() or SOLUTIONS.read_text(encoding="utf-8") != solutions_text():
        bad.append(SOLUTIONS.name)
    if not names_file().exists() or names_file().read_text(encoding="utf-8") != names_text():
        bad.append(names_file().name)
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
        text = solutions_text()
        if not SOLUTIONS.exists() or SOLUTIONS.read_text(encoding="utf-8") != text:
            SOLUTIONS.write_text(text, encoding="utf-8")
            print(f"built {SOLUTIONS}")
        text, names = names_text(), names_file()
        if not names.exists() or names.read_text(encoding="utf-8") != text:
            names.write_text(text, encoding="utf-8")
            print(f"built {names}")
        return 0
    if args.command == "check":
        bad = stale()
        if bad:
            print(
                "built files out of step with lessons/: "
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
