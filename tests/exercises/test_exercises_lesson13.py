"""Lesson 13 exercises: the references pass, every named mistake gets its own message (the
declarative mistakes are also covered by tests/exercises/test_exercise_mistakes.py), hints come
in steps that do not give the answer away."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise
from nnlib.exercises.solutions import solution_code

pytestmark = pytest.mark.usefixtures("lenient")

IDS = ["13.between", "13.fix_noising", "13.choose_beta"]


@pytest.mark.parametrize("ex_id", IDS)
def test_reference_passes_and_hints_come_in_steps(ex_id):
    ex = get_exercise(ex_id)
    assert run(ex_id, ex.reference)
    assert len(ex.hint_steps) >= 2
    body = [line.strip() for line in solution_code(ex_id).splitlines() if line.strip()]
    assert not any(line in step for line in body for step in ex.hint_steps)


# ----------------------------------------------------------------------------- 13.between


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda a, b, n: np.linspace(a, b, n, endpoint=False), "one step short of z_b"),
        (lambda a, b, n: np.linspace(a, b, n + 2)[1:-1], "strictly between"),
        (lambda a, b, n: np.linspace(b, a, n), "from z_b back to z_a"),
        (lambda a, b, n: np.linspace(a, b, n).T, "One row per point"),
        (lambda a, b, n: b + np.linspace(0, 1, n)[:, None] * (b - a), "beyond z_b"),
        (lambda a, b: np.linspace(a, b, 5), "takes 3 arguments"),
        (lambda a, b, n: (a + b) / 2, "codes_between"),  # the midpoint alone: shape named
        (lambda a, b, n: None, "None"),
    ],
)
def test_between_mistakes_are_named(wrong, words):
    result = run("13.between", wrong)
    assert not result and words in result.message, result.message


# --------------------------------------------------------------------------- 13.fix_noising


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x0, t, eps, ab: ab[t] * x0 + np.sqrt(1 - ab[t]) * eps, "colleague's version"),
        (lambda x0, t, eps, ab: ab[t] * x0 + (1 - ab[t]) * eps, "Both square roots"),
        (lambda x0, t, eps, ab: np.sqrt(ab[t]) * x0 + (1 - ab[t]) * eps, "noise lost its"),
        (lambda x0, t, eps, ab: np.sqrt(1 - ab[t]) * x0 + np.sqrt(ab[t]) * eps, "swapped"),
        (
            lambda x0, t, eps, ab: (
                np.sqrt(ab[max(t - 1, 0)]) * x0 + np.sqrt(1 - ab[max(t - 1, 0)]) * eps
            ),
            "one step early",
        ),
        (
            lambda x0, t, eps, ab: np.sqrt(ab[t - 1]) * x0 + np.sqrt(1 - ab[t - 1]) * eps,
            "one step early",  # the literal off-by-one (at t = 0 Python reads the last entry)
        ),
        (lambda x0, t, eps, ab: np.sqrt(ab[t]) * x0, "fixed_noising"),  # the noise forgotten
        (lambda x0, t, eps, ab: np.sqrt(ab[t]) * x0 + np.sqrt(1 - ab[t]) * eps.mean(), "differs"),
    ],
)
def test_fix_noising_mistakes_are_named(wrong, words):
    result = run("13.fix_noising", wrong)
    assert not result and words in result.message, result.message


def test_fix_noising_error_in_learner_code_is_explained():
    result = run("13.fix_noising", lambda x0, t, eps, ab: np.sqrt(ab[t]) * x0 + eps[:, :2])
    assert not result and "broadcast" in result.message and "In this exercise" in result.message


# --------------------------------------------------------------------------- 13.choose_beta


def _at_least(table, m):
    return [b for b in table if table[b][1] >= m]


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda table, m: min(table, key=lambda b: table[b][0]), "ignoring min_coverage"),
        (lambda table, m: max(table, key=lambda b: table[b][1]), "largest coverage"),
        (lambda table, m: max(_at_least(table, m), key=lambda b: table[b][0]), "blurriest"),
        (
            lambda table, m: min((b for b in table if table[b][1] > m), key=lambda b: table[b][0]),
            ">=",
        ),
        (lambda table, m: min(_at_least(table, m)), "SMALLEST beta"),  # not always the sharpest
        (lambda table, m: "beta = 1", "should be a number"),
        (lambda table, m: table[1.0], "choose_beta"),  # the row instead of the key
        (lambda table: min(table), "takes 2 arguments"),  # the signature changed
    ],
)
def test_choose_beta_mistakes_are_named(wrong, words):
    result = run("13.choose_beta", wrong)
    assert not result and words in result.message, result.message


def test_fix_noising_messages_show_shapes_not_printed_arrays():
    """The review: every message opened with both 2 x 3 input arrays printed, burying the
    sentence; the first case is now large enough to be shown by its shape."""
    result = run("13.fix_noising", lambda x0, t, eps, ab: ab[t] * x0 + np.sqrt(1 - ab[t]) * eps)
    assert not result and "array of shape (4, 6)" in result.message
    assert "[[" not in result.message


@pytest.mark.parametrize(
    "wrong",
    [
        lambda table, m: min(_at_least(table, m)),  # a named mistake: 1 instead of 4
        lambda table, m: max(table, key=lambda b: table[b][1]),  # a named mistake
        lambda table, m: max(table),  # no named mistake: the plain comparison
        lambda table, m: min(table),
    ],
)
def test_choose_beta_a_wrong_beta_is_a_choice_not_a_scale(wrong):
    """The review: a wrong beta was 'too small by a factor of about 4', a scale problem; a beta
    is a choice from the table, so the message names it and the expected one, no factor."""
    result = run("13.choose_beta", wrong)
    assert not result and "expected" in result.message, result.message
    assert "factor of" not in result.message and "too small" not in result.message
    assert "too large" not in result.message, result.message
