"""Tests generated from the exercises' own tables: for every declarative exercise (``cases`` +
``mistakes``), the lesson's solution passes and each known mistake gets exactly its own message;
and every exercise's title is its lesson's heading."""

import re

import pytest
from helpers import run

from nnlib.exercises import all_exercises
from nnlib.exercises import lesson10 as L10
from nnlib.exercises.core import Mistake
from nnlib.exercises.titles import LESSONS_DIR, lesson_titles

DECLARATIVE = [ex for ex in all_exercises() if ex.cases is not None or ex.digits is not None]
# A mistake's ``wrong`` is a wrong answer: a function, or a number (00.predict_z, 05.chain_rule).
MISTAKES = [(ex, m) for ex in all_exercises() for m in ex.mistakes]


def test_declarative_exercises_exist():
    assert len(DECLARATIVE) >= 3 and MISTAKES


@pytest.mark.parametrize("ex", DECLARATIVE, ids=lambda e: e.id)
def test_reference_passes_its_cases(ex):
    assert run(ex.id, ex.reference)


@pytest.mark.parametrize("ex, mistake", MISTAKES, ids=[f"{e.id}-{m.name}" for e, m in MISTAKES])
def test_each_mistake_gets_its_own_message(ex, mistake):
    result = run(ex.id, mistake.wrong)
    assert not result, f"{ex.id}: the mistake {mistake.name!r} passes the check"
    assert result.key == mistake.key, result.message  # named as this mistake, not another
    for part in re.split(r"\{got\}|\{problem\}", mistake.message):  # the fixed text, in order
        assert part in result.message, result.message
    assert result.message.startswith("❌ Not yet: ")
    if not callable(mistake.wrong):  # a number exercise: the answer is for solution() only
        assert f"{float(ex.reference):g}" not in result.message


@pytest.mark.parametrize("ex, mistake", MISTAKES, ids=[f"{e.id}-{m.name}" for e, m in MISTAKES])
def test_each_mistake_has_a_distinct_key_at_its_declaration(ex, mistake):
    keys = [m.key for e, m in MISTAKES]
    assert mistake.key and mistake.key.startswith("lesson") and keys.count(mistake.key) == 1
    module, line = mistake.key.split(":")
    assert ex.id.startswith(module[-2:] + ".")
    source = (LESSONS_DIR.parent / "nnlib" / "exercises" / f"{module}.py").read_text()
    assert "Mistake(" in source.splitlines()[int(line) - 1]


def test_a_mistake_records_where_it_is_written():
    mistake = Mistake("x", abs, "m")  # written in tests/, not in nnlib: no key
    assert mistake.key is None


@pytest.mark.skipif(not LESSONS_DIR.is_dir(), reason="the lessons are not next to nnlib")
def test_every_title_is_its_lesson_heading():
    headings = {}
    for path in sorted(LESSONS_DIR.glob("[0-9][0-9]_*.py")):
        headings.update(lesson_titles(path.read_text(encoding="utf-8")))
    titles = {ex.id: ex.title for ex in all_exercises()}
    assert titles == headings


@pytest.mark.parametrize("mistake", L10._MISTAKES, ids=lambda m: f"{m.name}-{m.key}")
def test_each_wrong_baseline_measurement_gets_its_own_message(mistake):
    """10.baseline (a dict of two measured errors) keeps its table of wrong measurements: each
    measured that way gets its own message, and never shows the right errors."""
    wrong = mistake.wrong(L10._temps())[mistake.name]
    result = run("10.baseline", {**L10.BASELINE, mistake.name: wrong})
    assert not result and result.key == mistake.key and result.message.endswith(mistake.message)
    assert "°F" not in result.message
