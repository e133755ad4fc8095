"""Every exercise of the course has stepped hints whose first step gives no line of the solution
away, and ``hint()`` walks through the steps, then says there are no more."""

import re

import pytest

import nnlib.exercises as exercises
from nnlib.exercises import all_exercises, hint

EXERCISES = all_exercises()
IDS = [ex.id for ex in EXERCISES]


def _norm(text):
    return re.sub(r"\s+", "", text)


def _solution_lines(ex):
    """The non-trivial lines of the model solution, whitespace removed."""
    lines = []
    for line in ex.solution_source().splitlines():
        line = line.split("#", 1)[0].strip()
        if re.match(r"^def .*:$", line) or re.match(r"^return\s*\S{0,3}$", line):
            continue
        if line.startswith("return "):
            line = line[len("return ") :]
        if len(_norm(line)) > 10:
            lines.append(_norm(line))
    return lines


def test_the_course_has_exercises_in_every_lesson():
    lessons = {i.split(".")[0] for i in IDS}
    assert lessons == {f"{n:02d}" for n in range(13)}, lessons
    assert len(IDS) >= 30


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_hints_come_in_steps(ex):
    assert isinstance(ex.hint, list) and len(ex.hint) >= 2, ex.id
    assert all(isinstance(s, str) and len(s) > 20 for s in ex.hint), ex.id


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_first_step_holds_no_line_of_the_solution(ex):
    first = _norm(ex.hint[0])
    lines = _solution_lines(ex)
    assert lines, f"{ex.id}: no solution lines found to compare with"
    for line in lines:
        assert line not in first, f"{ex.id}: the first hint step contains {line!r}"


def test_the_check_itself_catches_a_leaking_first_step():
    ex = exercises.get_exercise("04.gd_step")
    leaking = ex.solution_source().splitlines()[1]
    assert any(line in _norm(leaking) for line in _solution_lines(ex))


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_hint_walks_through_the_steps_then_says_no_more(ex, capsys, monkeypatch):
    monkeypatch.setattr(exercises, "_hints_shown", {})
    n = len(ex.hint_steps)
    for i, step in enumerate(ex.hint_steps):
        hint(ex.id)
        out = capsys.readouterr().out
        assert f"Hint {i + 1} of {n}" in out
        assert _norm(step) in _norm(out)
        for later in ex.hint_steps[i + 1 :]:
            assert _norm(later) not in _norm(out)
        assert ("again for step" in out) == (i + 1 < n)
    assert "that was the last step" in out
    hint(ex.id)
    out = capsys.readouterr().out
    assert "No more hints" in out and "solution(" in out
