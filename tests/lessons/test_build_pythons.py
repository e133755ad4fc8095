"""The build gives the same files on every Python the README supports (3.11-3.13).

The section map (``lesson_names.json``, tools/lessons.py ``section_names``) is computed from the
lessons' syntax; with ``symtable`` it changed with Python 3.12 (PEP 709: a comprehension's loop
variable became a symbol of the enclosing scope). Here it is computed under each of python3.11,
3.12 and 3.13 found on this machine (PATH, else pyenv), by the bare interpreter (``-I -S``: the
standard library only), from the real lessons, and must be the same everywhere. An interpreter
that is missing is skipped.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import lessons  # noqa: E402

VERSIONS = ["3.11", "3.12", "3.13"]

# What the map must not depend on: comprehension variables (the PEP 709 change), and the names a
# cell does bind wherever they stand (walrus in a comprehension, except/with/for targets, def).
EDGE_CELLS = [
    ("code", "import numpy as np\n"),
    ("markdown", "## 1. Comprehensions"),
    ("code", "d = {k: v for k, v in zip('ab', 'cd')}\nrows = [[x for x in r] for r in 'ab']\n"),
    ("code", "total = sum(n * n for n in range(3))\nhit = [(w := i) for i in range(3)]\n"),
    ("markdown", "## 2. Statements"),
    ("code", "for i, (j, k) in []:\n    pass\ntry:\n    1\nexcept Exception as err:\n    pass\n"),
    ("code", "def f(a, b=(c := 1)):\n    local = [q for q in a]\n\nclass K:\n    t = 1\n"),
    ("code", "%matplotlib inline\nf = lambda p: [s for s in p]\n"),
]

SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lessons
data = json.load(sys.stdin)
json.dump({stem: lessons.section_names(cells) for stem, cells in data.items()}, sys.stdout)
"""


def _interpreter(version: str) -> str | None:
    """python<version> on PATH, else pyenv's; None when neither runs."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    pyenv = sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"))
    for candidate in [shutil.which(f"python{version}"), *reversed(pyenv)]:
        if not candidate:
            continue
        try:
            out = subprocess.run(
                [candidate, "-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30,
            )  # fmt: skip
        except OSError:
            continue
        if out.returncode == 0 and out.stdout.strip() == version:  # a pyenv shim may refuse
            return candidate
    return None


@pytest.fixture(scope="module")
def cells():
    data = {s.stem: lessons.lesson_cells(s) for s in lessons.sources()}
    data["99_edge"] = EDGE_CELLS
    return data


@pytest.fixture(scope="module")
def expected(cells):
    return {stem: lessons.section_names(c) for stem, c in cells.items()}


def test_the_map_here_is_the_built_file(expected):
    built = json.loads(lessons.names_file().read_text(encoding="utf-8"))
    assert {k: v for k, v in expected.items() if k != "99_edge"} == built


def test_comprehension_variables_are_not_names_of_the_lesson(expected):
    assert expected["99_edge"] == {
        "np": "",
        "d": "1. Comprehensions", "rows": "1. Comprehensions", "total": "1. Comprehensions",
        "hit": "1. Comprehensions", "w": "1. Comprehensions",
        "i": "2. Statements", "j": "2. Statements", "k": "2. Statements", "err": "2. Statements",
        "f": "2. Statements", "c": "2. Statements", "K": "2. Statements",
    }  # fmt: skip


@pytest.mark.parametrize("version", VERSIONS)
def test_same_map_on_every_supported_python(version, cells, expected):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no python{version} here (PATH or pyenv)")
    run = subprocess.run(
        [python, "-I", "-S", "-c", SCRIPT, str(ROOT / "tools")],
        input=json.dumps(cells), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    differ = {
        stem: sorted(n for n in set(got[stem]) | set(want) if got[stem].get(n) != want.get(n))
        for stem, want in expected.items()
        if got[stem] != want
    }
    assert not differ, f"python{version} ({python}) maps these names differently: {differ}"
