"""Every lesson's text source (lessons/*.py) builds the committed notebook exactly; every committed
notebook is valid, clean (no outputs), has a python3 kernelspec and follows the lesson structure:
title, learning goals, a widget, exercises with checks, a summary. The structure is read from the
text sources, the lessons' source of truth."""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

import lessons as lesson_sources  # tools/lessons.py (pytest's pythonpath has tools/)

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOURCES = lesson_sources.sources()
LESSONS = [p for p in SOURCES if not p.name.startswith("00_")]


def _read(path):
    if path.suffix == ".py":
        return jupytext.read(path, fmt="py:percent")
    return nbformat.read(path, as_version=4)


def test_every_notebook_is_built_from_its_text_source():
    assert len(SOURCES) == len(NOTEBOOKS) >= 12
    assert lesson_sources.stale() == [], "run `make notebooks` after editing lessons/*.py"


def test_a_changed_source_is_detected(tmp_path, monkeypatch):
    """The sync check is not vacuous: one changed character in a source is reported."""
    src, nbs = tmp_path / "lessons", tmp_path / "notebooks"
    src.mkdir(), nbs.mkdir()
    text = SOURCES[1].read_text(encoding="utf-8")
    (src / SOURCES[1].name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(lesson_sources, "SOURCES", src)
    monkeypatch.setattr(lesson_sources, "NOTEBOOKS", nbs)
    monkeypatch.setattr(lesson_sources, "SOLUTIONS", tmp_path / "solutions.json")  # not nnlib's
    assert lesson_sources.main(["build"]) == 0 and lesson_sources.stale() == []
    (src / SOURCES[1].name).write_text(text.replace("neuron", "neur0n", 1), encoding="utf-8")
    assert lesson_sources.stale() == [SOURCES[1].stem + ".ipynb"]


def test_text_source_round_trips():
    """import(build(source)) == source, so editing a notebook and importing it loses nothing."""
    for src in SOURCES:
        text = src.read_text(encoding="utf-8")
        assert lesson_sources.to_text(lesson_sources.to_notebook(text)) == text, src.name


def test_the_welcome_lesson_exists():
    assert any(p.name == "00_welcome.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_nbformat(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.nbformat == 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_outputs(path):
    nb = _read(path)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_python3_kernelspec(path):
    ks = _read(path).metadata.get("kernelspec", {})
    assert ks.get("name") == "python3" and ks.get("language") == "python", ks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_file_name_is_numbered(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_lesson_structure(path):
    nb = _read(path)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    first_md = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert first_md.lstrip().startswith("# "), "the first cell is the lesson's title"
    assert re.search(r"learning goals", md, re.I), "state the learning goals"
    assert re.search(r"^#+ .*summary", md, re.I | re.M), "end with a summary section"
    assert "start_lesson(" in code, "the first code cell calls nnlib.start_lesson()"
    assert re.search(r"\bcheck\(\s*[\"']\d\d\.", code), "exercises are checked with check()"
    assert re.search(r"widgets|interact|Playground|_widget\(|explorer\(|browser\(", code), (
        "a Try-it widget"
    )
    assert "assert " in code, "claims are checked by assertions"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lessons_have_two_to_four_exercises_with_solutions_marked(path):
    nb = _read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    ids = set(re.findall(r"\bcheck\(\s*[\"'](\d\d\.\w+)", code))
    assert 2 <= len(ids) <= 4, f"{path.name}: {len(ids)} exercises"
    lesson = path.name[:2]
    assert all(i.startswith(lesson + ".") for i in ids), ids
    assert code.count("# BEGIN SOLUTION") == code.count("# END SOLUTION") >= len(ids)


def _estimated_minutes(path):
    m = re.search(r"\*\*Estimated time:\*\* (\d+)–(\d+) minutes", path.read_text(encoding="utf-8"))
    assert m, f"{path.name}: state '**Estimated time:** A–B minutes.' in the first cell"
    return int(m.group(1)), int(m.group(2))


def _hours(minutes):
    """Minutes as the welcome lesson writes hours: to the nearest half hour, '7' or '8½'."""
    halves = round(minutes / 30)
    return f"{halves // 2}" + ("½" if halves % 2 else "")


def test_course_map_times_are_the_lessons_own_estimates():
    """The welcome lesson's course map shows each lesson's own estimate, and its 'about X–Y hours'
    for lessons 01–06 is the sum of those estimates (with the welcome lesson's 15 minutes)."""
    welcome = next(p for p in SOURCES if p.name.startswith("00_")).read_text(encoding="utf-8")
    rows = dict(re.findall(r"^# \| (\d\d) \|.*\| ([^|]+) \|$", welcome, re.M))
    for path in LESSONS:
        low, high = _estimated_minutes(path)
        assert rows.get(path.name[:2]) == f"{low}–{high} min", (path.name, rows.get(path.name[:2]))
    first_half = [_estimated_minutes(p) for p in LESSONS if p.name[:2] <= "06"]
    low = 15 + sum(a for a, _ in first_half)
    high = 15 + sum(b for _, b in first_half)
    said = f"about {_hours(low)}–{_hours(high)} hours"
    assert said in " ".join(welcome.replace("# ", "").split()), (
        f"the welcome lesson should say {said!r}"
    )
