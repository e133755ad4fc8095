"""Every lesson is in every place a lesson lives (the checklist of lessons/AUTHORING.md): a lesson
missing from one fails ``test_every_lesson_is_in_every_place[NN-place]``, naming both.

The check is proved able to fail: in a copy, one place at a time loses a lesson and exactly that
place is reported. And ``make new-lesson`` (tools/new_lesson.py) is proved to scaffold a lesson
that is in every place it can fill, and that ``tools/lessons.py check`` accepts, in a copy too.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _text(root: Path, path: str) -> str:
    file = root / path
    return file.read_text(encoding="utf-8") if file.exists() else ""


def _bound(root: Path, path: str, pattern: str) -> int:
    """The number N in ``pattern`` (a regex with one group) in ``path``: lessons below N count."""
    m = re.search(pattern, _text(root, path))
    return int(m.group(1)) if m else 0


def _peaks(root: Path) -> dict:
    text = _text(root, "nnlib/session/memory.py")
    m = re.search(r"^LESSON_PEAK_MB = (\{.*?\})", text, re.M | re.S)
    return ast.literal_eval(m.group(1)) if m else {}


def _benchmarks_rows(root: Path) -> str:
    text = _text(root, "docs/benchmarks.md")
    start = text.find("## Second edition")
    end = text.find("\n## ", start + 1)
    return text[start:end] if start >= 0 and end > 0 else text[start:] if start >= 0 else ""


def _numbers_pages(root: Path, nn: str) -> list[str]:
    """docs/numbers pages for lesson ``nn``: lesson-NN.md or lessons-AA-BB.md with AA <= NN <= BB."""
    out = []
    for page in sorted((root / "docs" / "numbers").glob("lesson*.md")):
        m = re.fullmatch(r"lessons?-(\d\d)(?:-(\d\d))?", page.stem)
        if m and m.group(1) <= nn <= (m.group(2) or m.group(1)):
            out.append(page.name)
    return out


def _json_file(root: Path, path: str) -> dict:
    text = _text(root, path)
    return json.loads(text) if text else {}


#: place -> (where, is lesson ``stem`` there? (root, stem, nn) -> bool). The order is the
#: checklist's order in lessons/AUTHORING.md.
PLACES = {
    "source": ("lessons/NN_name.py", lambda r, s, n: (r / "lessons" / f"{s}.py").exists()),
    "notebook": ("notebooks/NN_name.ipynb", lambda r, s, n: (r / f"notebooks/{s}.ipynb").exists()),
    "exercises module": (
        "nnlib/exercises/lessonNN.py",
        lambda r, s, n: f'id="{n}.' in _text(r, f"nnlib/exercises/lesson{n}.py"),
    ),
    "solutions.json": (
        "nnlib/exercises/solutions.json (built)",
        lambda r, s, n: any(
            v.get("lesson") == f"{s}.py"
            for v in _json_file(r, "nnlib/exercises/solutions.json").values()
        ),
    ),
    "lesson_names.json": (
        "nnlib/exercises/lesson_names.json (built)",
        lambda r, s, n: s in _json_file(r, "nnlib/exercises/lesson_names.json"),
    ),
    "exercise tests": (
        "tests/exercises/test_exercises_lessonNN.py",
        lambda r, s, n: f'"{n}.' in _text(r, f"tests/exercises/test_exercises_lesson{n}.py"),
    ),
    "instructor page": (
        "docs/instructor/NN_name.md",
        lambda r, s, n: (r / "docs" / "instructor" / f"{s}.md").exists(),
    ),
    "instructor index": (
        "docs/instructor/README.md lesson table (tools/instructor_index.py)",
        lambda r, s, n: re.search(
            rf"^\| {n} \| \[.*\]\({s}\.md\) \|$", _text(r, "docs/instructor/README.md"), re.M
        ),
    ),
    "course map": (
        "lessons/00_welcome.py, the course map table",
        lambda r, s, n: re.search(rf"^# \| {n} \|", _text(r, "lessons/00_welcome.py"), re.M),
    ),
    "README lesson table": (
        "README.md, the lesson table",
        lambda r, s, n: re.search(
            rf"^\| {n} \| \[.*\]\(notebooks/{s}\.ipynb\) \|", _text(r, "README.md"), re.M
        ),
    ),
    "memory peak": (
        "nnlib/session/memory.py LESSON_PEAK_MB",
        lambda r, s, n: int(n) in _peaks(r),
    ),
    "benchmarks row": (
        "docs/benchmarks.md, the 'Second edition' table",
        lambda r, s, n: re.search(rf"^\| {s} \|", _benchmarks_rows(r), re.M),
    ),
    "measured numbers": (
        "docs/numbers/lesson-NN.md (or lessons-AA-BB.md)",
        lambda r, s, n: _numbers_pages(r, n),
    ),
    "class view": (
        "deploy/classview/class_view.py LESSONS",
        lambda r, s, n: int(n) < _bound(r, "deploy/classview/class_view.py", r"range\((\d+)\)\]"),
    ),
    "hints test": (
        "tests/exercises/test_hints.py, the lessons with exercises",
        lambda r, s, n: (
            int(n) < _bound(r, "tests/exercises/test_hints.py", r"for n in range\((\d+)\)\}")
        ),
    ),
    "memory test": (
        "tests/session/test_memory.py, the lessons with a peak",
        lambda r, s, n: (
            int(n) < _bound(r, "tests/session/test_memory.py", r"set\(range\((\d+)\)\)")
        ),
    ),
    "journey walk": (
        "tests/lab_walk.py LESSONS (make test-journey: the journey and the memory walk)",
        lambda r, s, n: int(n) < _bound(r, "tests/lab_walk.py", r'p\.name < "(\d\d)"'),
    ),
}

#: (lesson, place) -> why it is missing on purpose. Strict: once the lesson is there, remove it.
KNOWN_GAPS = {
    ("00", "measured numbers"): "the welcome lesson trains and claims nothing to measure",
}


def lessons(root: Path = ROOT) -> list[str]:
    return [p.stem for p in sorted((root / "lessons").glob("[0-9][0-9]_*.py"))]


def missing_places(root: Path, stem: str) -> list[str]:
    """The places (names of PLACES) that do not have lesson ``stem``."""
    return [name for name, (_, has) in PLACES.items() if not has(root, stem, stem[:2])]


def _case(stem, place):
    gap = KNOWN_GAPS.get((stem[:2], place))
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(stem, place, marks=marks, id=f"{stem[:2]}-{place}")


@pytest.mark.parametrize(
    "stem, place", [_case(stem, place) for stem in lessons() for place in PLACES]
)
def test_every_lesson_is_in_every_place(stem, place):
    where, has = PLACES[place]
    assert has(ROOT, stem, stem[:2]), (
        f"lesson {stem} is missing from the {place}: {where} (lessons/AUTHORING.md, 'Checklist')"
    )


def test_the_checklist_names_every_place():
    guide = (ROOT / "lessons" / "AUTHORING.md").read_text(encoding="utf-8")
    checklist = guide[guide.index("## Checklist") :]
    for place in PLACES:
        assert f"**{place}**" in checklist, f"lessons/AUTHORING.md's checklist lacks {place!r}"


def test_the_known_gaps_are_real_places():
    assert {place for _, place in KNOWN_GAPS} <= set(PLACES)


# --------------------------------------------------------------------------- copies of the tree

#: what the places read (and what tools/new_lesson.py writes and builds from)
COPIED = [
    "README.md",
    "lessons/00_welcome.py",
    "lessons/_template.py",
    "notebooks/00_welcome.ipynb",
    "nnlib/exercises/solutions.json",
    "nnlib/exercises/lesson_names.json",
    "nnlib/session/memory.py",
    "docs",
    "deploy/classview/class_view.py",
    "tests/exercises/test_hints.py",
    "tests/session/test_memory.py",
    "tests/lab_walk.py",
    "tools/lessons.py",
    "tools/instructor_index.py",
    "tools/offline_html.py",
    "tools/vendor_web.py",
    "tools/web_vendor.json",
    "tools/new_lesson.py",
]


def copy_of_the_tree(dest: Path, stems) -> Path:
    """The files the places read, for lessons 00 and ``stems`` (each with its source, notebook,
    exercises module and their tests)."""
    files = list(COPIED)
    for stem in stems:
        nn = stem[:2]
        files += [f"lessons/{stem}.py", f"notebooks/{stem}.ipynb"]
        files += [f"nnlib/exercises/lesson{nn}.py", f"tests/exercises/test_exercises_lesson{nn}.py"]
    for path in files:
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / path).is_dir():
            shutil.copytree(ROOT / path, dest / path)
        else:
            shutil.copy2(ROOT / path, dest / path)
    return dest


#: place -> how to take lesson NN (stem) out of it, in a copy
def _drop_line(path, pattern):
    def remove(root, stem, nn):
        file = root / path
        text = file.read_text(encoding="utf-8")
        new = re.sub(pattern.format(nn=nn, stem=stem), "", text, flags=re.M)
        assert new != text, (path, pattern)
        file.write_text(new, encoding="utf-8")

    return remove


def _delete(path):
    def remove(root, stem, nn):
        (root / path.format(nn=nn, stem=stem)).unlink()

    return remove


def _lower_bound(path, pattern):
    """Make the list stop before lesson NN (``range(N)`` -> ``range(NN)``)."""

    def remove(root, stem, nn):
        file = root / path
        text = file.read_text(encoding="utf-8")
        new, count = re.subn(pattern, lambda m: m.group(0).replace(m.group(1), nn), text)
        assert count == 1, (path, pattern)
        file.write_text(new, encoding="utf-8")

    return remove


def _drop_json(path, keep):
    def remove(root, stem, nn):
        data = json.loads((root / path).read_text(encoding="utf-8"))
        data = {k: v for k, v in data.items() if keep(k, v, stem)}
        (root / path).write_text(json.dumps(data), encoding="utf-8")

    return remove


def _drop_peak(root, stem, nn):
    file = root / "nnlib/session/memory.py"
    text = file.read_text(encoding="utf-8")
    new = re.sub(rf"\b{int(nn)}: \(\d+, \d+\),", "", text)
    assert new != text
    file.write_text(new, encoding="utf-8")


REMOVE = {
    "source": _delete("lessons/{stem}.py"),
    "notebook": _delete("notebooks/{stem}.ipynb"),
    "exercises module": _delete("nnlib/exercises/lesson{nn}.py"),
    "solutions.json": _drop_json(
        "nnlib/exercises/solutions.json", lambda k, v, s: v["lesson"] != f"{s}.py"
    ),
    "lesson_names.json": _drop_json("nnlib/exercises/lesson_names.json", lambda k, v, s: k != s),
    "exercise tests": _delete("tests/exercises/test_exercises_lesson{nn}.py"),
    "instructor page": _delete("docs/instructor/{stem}.md"),
    "instructor index": _drop_line("docs/instructor/README.md", r"^\| {nn} \|.*\n"),
    "course map": _drop_line("lessons/00_welcome.py", r"^# \| {nn} \|.*\n"),
    "README lesson table": _drop_line("README.md", r"^\| {nn} \| \[.*\n"),
    "memory peak": _drop_peak,
    "benchmarks row": _drop_line("docs/benchmarks.md", r"^\| {stem} \|.*\n"),
    "measured numbers": lambda root, stem, nn: [
        (root / "docs" / "numbers" / page).unlink() for page in _numbers_pages(root, nn)
    ],
    "class view": _lower_bound("deploy/classview/class_view.py", r"range\((\d+)\)\]"),
    "hints test": _lower_bound("tests/exercises/test_hints.py", r"for n in range\((\d+)\)\}"),
    "memory test": _lower_bound("tests/session/test_memory.py", r"set\(range\((\d+)\)\)"),
    "journey walk": _lower_bound("tests/lab_walk.py", r'p\.name < "(\d\d)"'),
}


def test_every_place_can_be_taken_out():
    assert set(REMOVE) == set(PLACES)


@pytest.mark.parametrize("place", list(PLACES))
def test_a_lesson_missing_from_one_place_is_reported_there(place, tmp_path):
    stem = next(s for s in lessons() if s.startswith("11_"))  # in every place, none a known gap
    root = copy_of_the_tree(tmp_path, [stem])
    assert missing_places(root, stem) == []
    REMOVE[place](root, stem, stem[:2])
    assert missing_places(root, stem) == [place]


def test_new_lesson_fills_every_place_it_can_and_the_build_agrees(tmp_path, capsys):
    """``make new-lesson`` in a copy (lessons 00 and the last one): the new lesson is in every
    place but the ones it leaves to the author, which it names; the build is in step."""
    import new_lesson

    last = lessons()[-1]
    nn = f"{int(last[:2]) + 1:02d}"
    root = copy_of_the_tree(tmp_path, [last])
    argv = [nn, "scaffold_check", "--title", "A scaffold check", "--root", str(root)]
    assert new_lesson.main(argv) == 0
    out = capsys.readouterr().out
    stem = f"{nn}_scaffold_check"
    assert missing_places(root, stem) == ["journey walk"]  # the author decides; the tool says so
    assert "tests/lab_walk.py" in out and "NOT MEASURED" in out
    built = new_lesson._load(root, "lessons")
    assert built.stale() == []  # what `tools/lessons.py check` checks, in the copy
    assert [s.stem for s in built.sources()] == ["00_welcome", last, stem]
    index = new_lesson._load(root, "instructor_index")
    assert index.refreshed(index.README.read_text("utf-8")) == index.README.read_text("utf-8")
    assert f"{nn}.mean_squared_error" in json.loads(
        (root / "nnlib/exercises/solutions.json").read_text(encoding="utf-8")
    )
    assert new_lesson.main(argv) == 2  # the number is taken now


@pytest.mark.parametrize(
    "num, name, title, words",
    [
        ("LAST", "again", "A title", "exists"),
        ("GAP", "later", "A title", "without gaps"),
        ("x", "later", "A title", "lesson number"),
        ("NEXT", "Generative", "A title", "lower-case"),
        ("NEXT", "13_gen", "A title", "lower-case"),
        ("NEXT", "gen-models", "A title", "lower-case"),
        ("NEXT", "TAKEN", "A title", "is taken"),
        ("NEXT", "scaffold_check", "", "TITLE"),
        ("NEXT", "scaffold_check", "a | b", "TITLE"),
    ],
)
def test_new_lesson_refuses_with_a_reason_and_writes_nothing(
    num, name, title, words, capsys, tmp_path
):
    import new_lesson

    last = lessons()[-1]
    root = copy_of_the_tree(tmp_path, [last])
    n = int(last[:2])
    num = {"LAST": last[:2], "NEXT": f"{n + 1:02d}", "GAP": f"{n + 3:02d}"}.get(num, num)
    name = last[3:] if name == "TAKEN" else name
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert new_lesson.main([num, name, "--title", title, "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and words in err, err
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
