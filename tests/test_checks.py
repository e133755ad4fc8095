"""nnlib.checks: friendly checks, hints, solutions; every reference solution passes its check."""

import numpy as np
import pytest

from nnlib import checks
from nnlib.checks import all_exercises, check, check_function, check_value, get_exercise, hint


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)
    monkeypatch.delenv("NNLIB_HIDE_SOLUTIONS", raising=False)


EXERCISES = all_exercises()


def test_every_lesson_with_exercises_is_found():
    ids = [e.id for e in EXERCISES]
    assert "00.weighted_sum" in ids
    assert len(ids) == len(set(ids)), "exercise ids must be unique"
    for ex in EXERCISES:
        assert ex.title and ex.hint, f"{ex.id} needs a title and a hint"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_reference_solution_passes_its_check(ex):
    assert ex.reference is not None or ex.solution_text, f"{ex.id} has no reference solution"
    if ex.reference is not None:
        result = check(ex.id, ex.reference)
        assert result.passed, result.message
        assert result.message.startswith("✅")


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_empty_answers_get_a_friendly_not_yet(ex):
    for empty in (None, ...):
        result = check(ex.id, empty)
        assert not result.passed
        assert "no answer yet" in result.message and f"hint({ex.id!r})" in result.message


def test_wrong_answers_say_what_is_off():
    def wrong_sign(x, w, b):
        return np.dot(x, w) - b

    r = check("00.weighted_sum", wrong_sign)
    assert not r and "differs" not in r.message  # scalar: says got vs expected
    assert "expected" in r.message and "weighted_sum" in r.message

    def no_return(x, w, b):
        np.dot(x, w) + b

    assert "forget a `return`" in check("00.weighted_sum", no_return).message

    def crashes(x, w, b):
        return x @ w @ w

    r = check("00.weighted_sum", crashes)
    assert not r and "raised" in r.message

    def todo(x, w, b):
        raise NotImplementedError

    assert "not written yet" in check("00.weighted_sum", todo).message
    assert "expected a function" in check("00.weighted_sum", 3.0).message


def test_strict_mode_raises_on_a_failed_check(monkeypatch):
    monkeypatch.setenv("NNLIB_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="00.weighted_sum"):
        check("00.weighted_sum", lambda x, w, b: 0.0)
    assert check("00.weighted_sum", get_exercise("00.weighted_sum").reference)


def test_check_never_raises_for_a_checker_crash():
    ex = checks.Exercise("00.tmp", "tmp", check=lambda a: 1 / 0, hint="h", reference=1)
    module = checks._module_for("00.weighted_sum")
    module.EXERCISES.append(ex)
    try:
        r = check("00.tmp", 5)
        assert not r and "ZeroDivisionError" in r.message
    finally:
        module.EXERCISES.remove(ex)


def test_unknown_ids_are_clear_errors():
    with pytest.raises(ValueError, match="two-digit"):
        check("x.y", 1)
    with pytest.raises(ValueError, match="'00.weighted_sum'"):
        check("00.nope", 1)
    with pytest.raises(ValueError, match="no exercises for lesson 99"):
        check("99.nope", 1)


def test_hint_and_solution_print(capsys, monkeypatch):
    hint("00.weighted_sum")
    assert "np.dot" in capsys.readouterr().out
    checks.solution("00.weighted_sum")
    assert "def weighted_sum" in capsys.readouterr().out
    monkeypatch.setenv("NNLIB_HIDE_SOLUTIONS", "1")
    checks.solution("00.weighted_sum")
    out = capsys.readouterr().out
    assert "hidden" in out and "def weighted_sum" not in out


def test_compare_arrays_messages():
    assert checks.compare_arrays([1, 2], [1, 2]) is None
    assert "shape (3,), expected shape (2,)" in checks.compare_arrays([1, 2, 3], [1, 2])
    assert "index (1,)" in checks.compare_arrays([1, 5], [1, 2])
    assert "NaN" in checks.compare_arrays([np.nan, 1], [0, 1])
    assert "should be a number" in checks.compare_arrays("abc", [1])
    assert check_value(0.5, 0.5) and not check_value(0.4, 0.5)


def test_check_function_reports_the_failing_input():
    r = check_function(lambda x: x * 2, lambda x: x * 2 if x < 3 else x, [(1,), (5,)], name="f")
    assert not r and "f(5)" in r.message
    assert r._repr_markdown_() == r.message
