"""Lesson 12 exercises: the lesson's model solutions pass; typical wrong answers fail with a
message naming the problem; the first hint step holds no line of the solution."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise, lesson12  # noqa: F401  (the module must import)
from nnlib.exercises.solutions import lesson_solution, solution_code
from nnlib.nn import softmax

IDS = ["12.causal_mask", "12.fix_attention", "12.bits_per_char"]


@pytest.mark.parametrize("exercise_id", IDS)
def test_model_solution_passes(exercise_id):
    result = run(exercise_id, lesson_solution(exercise_id))
    assert result, result.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_hints_come_in_steps_and_the_first_gives_nothing_away(exercise_id):
    ex = get_exercise(exercise_id)
    assert len(ex.hint_steps) >= 2
    body = [line.strip() for line in solution_code(exercise_id).splitlines()[1:] if line.strip()]
    assert not any(line in ex.hint_steps[0] for line in body)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda n: np.triu(np.ones((n, n), bool)), "upside down"),  # sees the future
        (lambda n: np.tril(np.ones((n, n), bool), k=-1), "must see itself"),
        (lambda n: np.ones((n, n), bool), "differs in"),  # no mask at all
        (lambda n: np.tril(np.ones((n, n + 1), bool)), "shape"),
        (lambda n: None, "None"),
        (lambda: 0, "raised TypeError"),
        ("not a function", "expected a function"),
    ],
)
def test_causal_mask_wrong_answers(wrong, words):
    result = run("12.causal_mask", wrong)
    assert not result and words in result.message, result.message


def _mask_after(Q, K, V, mask):
    return softmax(Q @ K.T / np.sqrt(K.shape[1]), axis=1) * mask @ V


def _columns(Q, K, V, mask):
    return softmax(np.where(mask, Q @ K.T / np.sqrt(K.shape[1]), -np.inf), axis=0) @ V


def _no_scale(Q, K, V, mask):
    return softmax(np.where(mask, Q @ K.T, -np.inf), axis=1) @ V


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_mask_after, "no longer sum to 1"),
        (_columns, "normalises each column"),
        (
            lambda Q, K, V, mask: softmax(Q @ K.T / np.sqrt(K.shape[1]), axis=0) * mask @ V,
            "both bugs",
        ),
        (_no_scale, "divided by sqrt(d)"),
        (lambda Q, K, V, mask: None, "None"),
    ],
)
def test_fix_attention_wrong_answers(wrong, words):
    with np.errstate(all="ignore"):
        result = run("12.fix_attention", wrong)
    assert not result and words in result.message, result.message


def _probs(logits, targets):
    return softmax(logits.astype(float), axis=1)[np.arange(len(targets)), targets]


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda lg, t: -np.mean(np.log(_probs(lg, t))), "nats"),
        (lambda lg, t: np.mean(np.log2(_probs(lg, t))), "sign"),
        (lambda lg, t: -np.sum(np.log2(_probs(lg, t))), "take the mean"),
        (lambda lg, t: -np.log2(_probs(lg, t)), "one number"),
        (
            lambda lg, t: (
                -np.mean(
                    np.log2((np.exp(lg) / np.exp(lg).sum(1, keepdims=True))[np.arange(len(t)), t])
                )
            ),
            "overflows",
        ),
        (
            lambda lg, t: -np.mean(np.log2(softmax(lg.astype(float), axis=1).max(axis=1))),
            "exactly 3",
        ),
        (lambda lg, t: None, "None"),
    ],
)
def test_bits_per_char_wrong_answers(wrong, words):
    with np.errstate(all="ignore"):
        result = run("12.bits_per_char", wrong)
    assert not result and words in result.message, result.message


def test_reference_values():
    assert run("12.bits_per_char", lambda lg, t: 3.0 if not lg.any() else 0.0).passed is False
    bpc = lesson_solution("12.bits_per_char")
    assert np.isclose(bpc(np.zeros((4, 8)), np.array([0, 1, 2, 3])), 3.0)
    mask = lesson_solution("12.causal_mask")(6)
    assert list(np.flatnonzero(mask[3])) == [0, 1, 2, 3]
