"""Every exercise of the course has stepped hints whose first step gives no line of the solution
away, and ``hint()`` walks through the steps, then says there are no more."""

import re

import numpy as np
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
    assert lessons == {f"{n:02d}" for n in range(14)}, lessons
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


# ------------------------------------------------------------------ numeric answers stay hidden
def _numbers(value):
    """Every number inside an answer (nested tuples, lists, dicts, arrays)."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, (tuple, list, np.ndarray)):
        return [n for v in np.asarray(value, dtype=object).ravel() for n in _numbers(v)]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return [float(value)]
    return []


def _off(value):
    """The same answer with every number wrong (times 1.37, ints rounded up)."""
    if isinstance(value, dict):
        return {k: _off(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_off(v) for v in value)
    if isinstance(value, np.ndarray):
        return np.asarray([_off(v) for v in value.ravel()]).reshape(value.shape)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value * 1.37) + 1
    if isinstance(value, (float, np.floating)):
        return float(value) * 1.37 + 0.01
    return value


def _shown(number, message):
    """True when ``message`` writes ``number`` (as 0.431, 0.4312, -2, 2944, 4.25 ...)."""
    forms = {f"{number:g}", f"{number:.2f}", f"{number:.3f}", f"{number:.4f}", repr(number)}
    if float(number).is_integer():
        forms.add(str(int(number)))
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?!\.?\d)", message) for f in forms)


# The numeric exercises whose answer is one number or a set of numbers to work out (not a choice
# with many right answers such as 04.choose_lr, nor code).
NUMERIC = ["00.predict_z", "05.chain_rule", "09.predict_stack", "10.baseline"]


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_a_wrong_number_never_shows_the_expected_one(exercise_id):
    ex = exercises.get_exercise(exercise_id)
    expected = ex.reference
    wrong = _off(expected)
    message = ex.check(wrong).message
    assert not ex.check(wrong), (exercise_id, wrong)
    for number in _numbers(expected):
        if abs(number) >= 2 or not float(number).is_integer():  # 0 and 1 are everywhere
            assert not _shown(number, message), f"{exercise_id}: {message!r} shows {number}"
