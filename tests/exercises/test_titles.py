"""Each exercise's title is written once, as the lesson's heading ``### Exercise k — title``
(nnlib.exercises.titles): the build copies it into solutions.json, every ``Exercise`` shows it,
and no exercise module types a title of its own."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import lessons as build  # tools/lessons.py (pytest's pythonpath has tools/)
from nnlib.exercises import all_exercises
from nnlib.exercises.titles import lesson_titles

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "nnlib" / "exercises"
SOLUTIONS = json.loads((EXERCISES / "solutions.json").read_text(encoding="utf-8"))


def _exercises():
    found = all_exercises()
    return list(found.values()) if isinstance(found, dict) else list(found)


def test_every_exercise_shows_its_lessons_heading():
    headings = {}
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py")):
        headings.update(lesson_titles(path.read_text(encoding="utf-8")))
    exercises = _exercises()
    assert len(exercises) >= 48
    for ex in exercises:
        assert ex.id in headings, f"{ex.id}: no '### Exercise k — title' heading in its lesson"
        assert SOLUTIONS[ex.id]["title"] == headings[ex.id] == ex.title, ex.id


def test_no_exercise_module_types_a_title():
    """A ``title=`` in ``Exercise(...)`` would be a second copy that can drift (23 of 47 did)."""
    typed = []
    for path in sorted(EXERCISES.glob("lesson[0-9][0-9].py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Exercise":
                typed += [f"{path.name}:{node.lineno}" for k in node.keywords if k.arg == "title"]
    assert typed == [], f"Exercise(title=...) in {typed}: the lesson's heading is the title"


LESSON = """# %% [markdown]
# # Lesson 98 — Titles
#
# ## 1. Exercises
#
# %% [markdown]
# {heading}

# %%
# BEGIN SOLUTION
answer = 3
# END SOLUTION

# %%
check("98.answer", answer)
"""


def test_the_build_copies_the_heading_and_refuses_an_exercise_without_one(tmp_path):
    path = tmp_path / "98_titles.py"
    path.write_text(LESSON.format(heading="### Exercise 1 — Three, exactly"), encoding="utf-8")
    assert build.solution_blocks(path)["98.answer"]["title"] == "Three, exactly"
    path.write_text(LESSON.format(heading="Now the exercise."), encoding="utf-8")
    with pytest.raises(ValueError, match=r"98\.answer has no heading.*### Exercise k — title"):
        build.solution_blocks(path)
