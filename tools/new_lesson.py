"""Scaffold a new lesson in every place a lesson lives (lessons/AUTHORING.md, "Checklist").

    make new-lesson NUM=13 NAME=generative TITLE="Generative models"
    python tools/new_lesson.py 13 generative --title "Generative models" [--root COPY]

Writes a minimal but valid lesson (``lessons/_template.py`` with the number, name and title
filled in: it builds, passes the hygiene tests and runs under nbval in quick mode), its
exercises module ``nnlib/exercises/lessonNN.py`` (two example exercises wired to
``check``/``hint``/``solution``), their tests, the instructor page, a numbers page, and a row in
the README's lesson table, the welcome lesson's course map and docs/benchmarks.md; bumps the
lesson lists that count lessons (``range(N)``: the class view, tests/exercises/test_hints.py,
tests/session/test_memory.py); puts a *placeholder* memory peak (the largest measured one) into
``nnlib/session/memory.py``; then runs ``tools/lessons.py build`` and
``tools/instructor_index.py``. It ends by printing what is left for the author (measuring the
lesson, the prose, the journey walk ...). ``tests/lessons/test_lesson_places.py`` checks every place.

Refuses (exit 2, saying why) when the number is taken, is not the next one, or the name or
title is unusable; nothing is written then. ``--root`` works on a copy of the repository (the
tests use it); ``--no-build`` skips the two build steps.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import io
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# The lists that count the lessons with range(N): file -> the text around N ({n}).
COUNTED = {
    "deploy/classview/class_view.py": "range({n})]",
    "tests/exercises/test_hints.py": "for n in range({n})}}",
    "tests/session/test_memory.py": "set(range({n}))",
}


class Refused(Exception):
    """A request that would make a broken or ambiguous lesson: nothing was written."""


def lessons_at(root: Path) -> dict[str, str]:
    """number -> stem of the lessons in ``root/lessons`` (the template is not a lesson)."""
    return {p.stem[:2]: p.stem for p in sorted((root / "lessons").glob("[0-9][0-9]_*.py"))}


def validate(root: Path, num: str, name: str, title: str) -> tuple[str, str]:
    """``(NN, NN_name)``, or :class:`Refused` with a message that says what to change."""
    if not re.fullmatch(r"\d{1,2}", num):
        raise Refused(f"NUM must be a lesson number such as 13, got {num!r}")
    nn = f"{int(num):02d}"
    existing = lessons_at(root)
    if nn in existing:
        raise Refused(f"lesson {nn} exists: lessons/{existing[nn]}.py (pick the next number)")
    following = f"{int(max(existing, default='-1')) + 1:02d}"
    if nn != following:
        raise Refused(
            f"lessons are numbered without gaps: the next lesson is {following}, not {nn} "
            "(a lesson in between means renumbering the ones after it by hand)"
        )
    if not NAME_RE.fullmatch(name or "") or len(name) > 30:
        raise Refused(
            f"NAME must be a short lower-case identifier (letters, digits, single underscores, "
            f"at most 30 characters; e.g. generative or small_gan), got {name!r}"
        )
    taken = {stem[3:]: stem for stem in existing.values()}
    if name in taken:
        raise Refused(f"the name {name!r} is taken by lessons/{taken[name]}.py")
    if not title.strip() or "|" in title or "\n" in title or len(title) > 60:
        raise Refused(
            "TITLE must be one line of at most 60 characters without '|' (it goes into tables), "
            f'e.g. TITLE="Generative models"; got {title!r}'
        )
    stem = f"{nn}_{name}"
    for path in (
        f"notebooks/{stem}.ipynb",
        f"nnlib/exercises/lesson{nn}.py",
        f"tests/exercises/test_exercises_lesson{nn}.py",
        f"docs/instructor/{stem}.md",
        f"docs/numbers/lesson-{nn}.md",
    ):
        if (root / path).exists():
            raise Refused(f"{path} exists already, without a lesson source: remove it or rename")
    return nn, stem


# --------------------------------------------------------------------------- file templates

EXERCISES_MODULE = '''"""Lesson {nn} ({name}): the mean squared error (a function) and an error predicted without code
(a number). Scaffolded by `make new-lesson`: replace the examples with the lesson's exercises and
give every mistake learners make its own message (as lesson12.py does)."""

import numpy as np

from .core import Exercise, check_function, check_value, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- {nn}.mean_squared_error

_MSE_CASES = [
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])),
    (np.array([0.0, 0.0]), np.array([1.0, -3.0])),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, 2.0], [3.0, 5.0]])),
]


def _check_mean_squared_error(fn):
    y, p = _MSE_CASES[1]
    if callable(fn):
        try:
            got = fn(y, p)
        except Exception:  # check_function below names the exception
            got = None
        if got is not None and np.ndim(got) == 0 and np.isclose(float(got), 2.0):
            return not_yet(
                f"mean_squared_error({{y.tolist()}}, {{p.tolist()}}) is {{float(got):g}}: that is the "
                "mean of the absolute differences. Square each difference before the mean."
            )
    return check_function(fn, lesson_solution("{nn}.mean_squared_error"), _MSE_CASES)


# --------------------------------------------------------------------------- {nn}.predict_mse


def _check_predict_mse(answer):
    expected = float(lesson_solution("{nn}.predict_mse"))
    if isinstance(answer, (str, bytes)):
        return not_yet(f"your answer is the text {{answer!r}}; write the number without quotes.")
    result = check_value(answer, expected, what="the mean squared error")
    if result:
        return ok("two errors of 1, squared and averaged: 1.")
    return result


EXERCISES = [
    Exercise(
        id="{nn}.mean_squared_error",
        check=_check_mean_squared_error,
        hint=[
            "Go back to the formula of section 1: one difference per point, squared, then the "
            "mean over the points.",
            "NumPy subtracts two arrays element by element; ** 2 squares each difference and "
            "np.mean averages them all.",
        ],
    ),
    Exercise(
        id="{nn}.predict_mse",
        check=_check_predict_mse,
        hint=[
            "Work out the line's prediction at each of the two points first: y-hat = x gives 0 "
            "and 2.",
            "Each point is off by the same amount: square the two differences, then average.",
        ],
    ),
]
'''

EXERCISE_TESTS = '''"""Lesson {nn} exercises: the references pass, typical wrong answers fail with a message that
names the slip (scaffolded by `make new-lesson`: one test per mistake the checks name)."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise

pytestmark = pytest.mark.usefixtures("lenient")


def test_mean_squared_error_reference_passes():
    assert run("{nn}.mean_squared_error", get_exercise("{nn}.mean_squared_error").reference)


def test_mean_squared_error_without_the_square_is_named():
    res = run("{nn}.mean_squared_error", lambda y, p: np.mean(np.abs(p - y)))
    assert not res and "absolute" in res.message


def test_mean_squared_error_a_sum_instead_of_a_mean_fails():
    res = run("{nn}.mean_squared_error", lambda y, p: np.sum((p - y) ** 2))
    assert not res and res.message


def test_predict_mse_reference_and_spellings_pass_and_a_wrong_number_fails():
    assert run("{nn}.predict_mse", get_exercise("{nn}.predict_mse").reference)
    assert run("{nn}.predict_mse", 1)
    res = run("{nn}.predict_mse", 2.0)
    assert not res and res.message
    assert "without quotes" in run("{nn}.predict_mse", "1").message
'''

INSTRUCTOR_PAGE = """# Instructor notes — Lesson {nn}: {title}

Notebook: `notebooks/{stem}.ipynb` · helpers: `nnlib/exercises/lesson{nn}.py`

(Scaffolded by `make new-lesson`: write each section for the finished lesson.)

## Goals

1. (The lesson's learning goals, and what a learner should be able to do after it.)

## Duration

{estimate} minutes (the lesson's own estimate; measured times: docs/numbers/lesson-{nn}.md).

## What to demonstrate live

- (The cells and the "Try it" widget to show, and what to ask before running them.)

## Common mistakes

- (What learners get wrong in the exercises, and the messages `check` gives them.)

## Discussion questions (with answers)

1. (A question.) — (Its answer.)

## Quick / full settings

| | quick | full |
|---|---|---|
| (what `pick(full=…, quick=…)` changes) | | |
"""

NUMBERS_PAGE = """# Measured numbers — lesson {nn} ({title_lower})

**Not measured yet.** Run the lesson at both sizes in a fresh kernel and write what it printed here
(time, peak memory, every value the text claims), then copy the peak into
`nnlib/session/memory.py` (`LESSON_PEAK_MB`) and the row of docs/benchmarks.md:

```
.venv/bin/python benchmarks/run_notebooks.py --only {stem}     (make bench: every lesson)
```
"""


# --------------------------------------------------------------------------- edits


def _insert_after_last(text: str, row: re.Pattern, new: str, what: str) -> str:
    rows = list(row.finditer(text))
    if not rows:
        raise Refused(f"found no lesson row in {what}: is its table still there?")
    end = rows[-1].end()
    return text[:end] + "\n" + new + text[end:]


def _peak_placeholder(text: str, n: int) -> str:
    """One more entry in LESSON_PEAK_MB: the largest measured peaks, until measured."""
    start = text.index("LESSON_PEAK_MB = {")
    close = text.index("}", start)
    peaks = ast.literal_eval(text[start + len("LESSON_PEAK_MB = ") : close + 1])
    quick, full = max(q for q, _ in peaks.values()), max(f for _, f in peaks.values())
    line = f"    {n}: ({quick}, {full}),  # NOT MEASURED: the largest peaks until `make bench`\n"
    return text[:close] + line + text[close:]


def _benchmarks_row(text: str, stem: str) -> str:
    start = text.index("## Second edition")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    rows = list(re.finditer(r"^\| \d\d_\w+ \|.*$", section, re.M))
    if not rows:
        raise Refused("docs/benchmarks.md: found no lesson row under '## Second edition'")
    at = start + rows[-1].end()
    row = f"| {stem} | not measured yet | | | | new lesson (scaffolded) |"
    return text[:at] + "\n" + row + text[at:]


def estimate_of(lesson: str) -> str:
    """The "A–B" of the lesson's ``**Estimated time:** A–B minutes.`` (the course map repeats it)."""
    m = re.search(r"\*\*Estimated time:\*\* (\d+–\d+) minutes", lesson)
    if not m:
        raise Refused("lessons/_template.py lacks its '**Estimated time:** A–B minutes.' line")
    return m.group(1)


def plan(root: Path, nn: str, stem: str, title: str) -> tuple[dict[str, str], list[str]]:
    """(path -> new text) for every place, and the places that could not be done (words)."""
    name, n = stem[3:], int(nn)
    fill = {"__NN__": nn, "__TITLE__": title, "__NAME__": name}
    lesson = (root / "lessons" / "_template.py").read_text(encoding="utf-8")
    for key, value in fill.items():
        lesson = lesson.replace(key, value)
    estimate = estimate_of(lesson)
    fmt = {"nn": nn, "name": name, "stem": stem, "title": title, "estimate": estimate}
    out = {
        f"lessons/{stem}.py": lesson,
        f"nnlib/exercises/lesson{nn}.py": EXERCISES_MODULE.format(**fmt),
        f"tests/exercises/test_exercises_lesson{nn}.py": EXERCISE_TESTS.format(**fmt),
        f"docs/instructor/{stem}.md": INSTRUCTOR_PAGE.format(**fmt),
        f"docs/numbers/lesson-{nn}.md": NUMBERS_PAGE.format(title_lower=title.lower(), **fmt),
    }

    def read(path):
        return (root / path).read_text(encoding="utf-8")

    out["README.md"] = _insert_after_last(
        read("README.md"),
        re.compile(r"^\| \d\d \| \[.*\]\(notebooks/\d\d_\w+\.ipynb\) \|.*$", re.M),
        f"| {nn} | [{title}](notebooks/{stem}.ipynb) | (the main ideas: to write) |",
        "README.md",
    )
    out["lessons/00_welcome.py"] = _insert_after_last(
        read("lessons/00_welcome.py"),
        re.compile(r"^# \| \d\d \|.*\|$", re.M),
        f"# | {nn} | {title} | (what a learner can do after it: to write) | {estimate} min |",
        "the welcome lesson's course map",
    )
    out["nnlib/session/memory.py"] = _peak_placeholder(read("nnlib/session/memory.py"), n)
    out["docs/benchmarks.md"] = _benchmarks_row(read("docs/benchmarks.md"), stem)
    left = []
    for path, around in COUNTED.items():
        text = read(path)
        old, new = around.format(n=n), around.format(n=n + 1)
        if text.count(old) == 1:
            text = text.replace(old, new)
            out[path] = text.replace(f"00-{n - 1:02d}", f"00-{nn}")
        else:
            left.append(f"{path}: add lesson {nn} to its lesson list (found no single {old!r})")
    return out, left


def _load(root: Path, tool: str):
    """``root/tools/<tool>.py`` as a module of its own (its ROOT is then ``root``)."""
    spec = importlib.util.spec_from_file_location(
        f"_new_lesson_{tool}_{abs(hash(str(root)))}", root / "tools" / f"{tool}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(root / "tools"))  # instructor_index imports its sibling offline_html
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(root / "tools"))
    return module


def build(root: Path) -> str:
    """``tools/lessons.py build`` and ``tools/instructor_index.py`` of ``root``; their output."""
    lessons, index = _load(root, "lessons"), _load(root, "instructor_index")
    buf = io.StringIO()
    with redirect_stdout(buf):
        lessons.main(["build"])
    index.README.write_text(index.refreshed(index.README.read_text(encoding="utf-8")), "utf-8")
    return buf.getvalue() + f"refreshed {index.README.relative_to(root)}\n"


def todo(nn: str, stem: str, left: list[str]) -> list[str]:
    prev = f"{int(nn) - 1:02d}"
    return left + [
        f"lessons/{stem}.py: write the lesson in place of the example (lessons/AUTHORING.md), "
        "then `make notebooks`",
        f"nnlib/exercises/lesson{nn}.py and tests/exercises/test_exercises_lesson{nn}.py: the lesson's own "
        "exercises, a message and a test for every mistake learners make",
        f"measure it (quick and full, fresh kernel): replace the NOT MEASURED peak of lesson {nn} "
        "in nnlib/session/memory.py, the 'not measured yet' row in docs/benchmarks.md and "
        f"docs/numbers/lesson-{nn}.md; keep `make test` <= 2.5 min, the course <= 12 min, "
        "<= 1.2 GB per lesson",
        "README.md lesson table and the course map in lessons/00_welcome.py: the row's main ideas "
        "and goals; the time there when the lesson's estimate changes (a test compares them)",
        f"docs/instructor/{stem}.md: the instructor notes",
        f"the previous lesson's summary (lesson {prev}): point to lesson {nn}",
        "tests/lab_walk.py (the journey and the memory walk): raise the bound of `p.name < ...` to "
        "take the lesson in, or "
        "record why not in KNOWN_GAPS of tests/lessons/test_lesson_places.py",
        "run `make test` (and `make test-figures`, `make test-full`) before committing",
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("num", help="the lesson's number, the next free one (e.g. 13)")
    ap.add_argument("name", help="lower-case identifier for the file names (e.g. generative)")
    ap.add_argument("--title", required=True, help='the title, e.g. "Generative models"')
    ap.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    ap.add_argument("--no-build", action="store_true", help="skip lessons.py build and the index")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    try:
        nn, stem = validate(root, args.num.strip(), args.name.strip(), args.title.strip())
        files, left = plan(root, nn, stem, args.title.strip())
    except Refused as exc:
        print(f"new-lesson: refused: {exc}", file=sys.stderr)
        return 2
    for path, text in files.items():
        (root / path).write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    if not args.no_build:
        print(build(root), end="")
    print(f"\nLesson {nn} is scaffolded in every place. Left for you:")
    for i, item in enumerate(todo(nn, stem, left), 1):
        print(f"  {i}. {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
