"""Lesson 10 exercises: references pass; typical wrong answers fail with a message naming the
problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.data import make_windows as lib_windows
from nnlib.exercises import lesson10 as L


def test_references_pass_and_agree_with_nnlib():
    assert run("10.rnn_step", L.rnn_step)
    assert run("10.windows", L.make_windows)
    assert run("10.naive_mae", L.naive_mae)
    s = np.arange(12.0) ** 2
    for a, b in zip(L.make_windows(s, 4), lib_windows(s, 4)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b), "differs in"),  # forgets the state
        (lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b, "differs"),  # no tanh
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh + b)[0], "shape"),
        (lambda x, h, Wx, Wh, b: np.tanh(Wx @ x), "raised ValueError"),
    ],
)
def test_rnn_step_wrong_answers(wrong, words):
    result = run("10.rnn_step", wrong)
    assert not result and words in result.message


def _off_by_one(series, window):  # target = last value of the window
    n = len(series) - window
    return np.array([series[i : i + window] for i in range(n)]), series[window - 1 : window - 1 + n]


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_off_by_one, "y for window=3"),
        (lambda s, w: lib_windows(s, w)[0], "pair (X, y)"),
        (lambda s, w: (s[:w], s[w]), "X for window=3"),
        (lambda s, w: None, "pair (X, y)"),
    ],
)
def test_windows_wrong_answers(wrong, words):
    result = run("10.windows", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda s: np.mean(s[1:] - s[:-1]), "is 0.666667, expected 1.33333"),  # no abs
        (lambda s: np.sqrt(np.mean((s[1:] - s[:-1]) ** 2)), "is 1.41421, expected 1.33333"),  # RMSE
        (lambda s: np.abs(s[1:] - s[:-1]), "shape"),
    ],
)
def test_naive_mae_wrong_answers(wrong, words):
    result = run("10.naive_mae", wrong)
    assert not result and words in result.message


def test_baseline_reference_passes_and_the_linear_rung_is_stronger():
    assert run("10.baseline", L.BASELINE)
    assert L.BASELINE["must_beat"] == "linear"
    assert L.BASELINE["linear"] < 0.6 * L.BASELINE["naive"]  # the seasonal cycle is learnable


def _with(**changes):
    return {**L.BASELINE, **changes}


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda: _with(must_beat="naive"), "STRONGER rung"),
        (lambda: _with(must_beat="LSTM"), '"naive" or "linear"'),
        # the usual wrong measurements (lesson10._MISTAKES): tests/exercises/test_exercise_mistakes.py
        (lambda: _with(naive=round(L.BASELINE["naive"], 1)), "right to 2 significant digits"),
        (lambda: _with(linear=3.0), "significant digits"),
        (lambda: {"naive": 4.25, "linear": 1.97}, "lacks the key(s) ['must_beat']"),
        (lambda: (4.25, 1.97, "linear"), "expected a dict"),
        (lambda: _with(naive="4.25"), "one number"),
    ],
)
def test_baseline_wrong_answers(answer, words):
    result = run("10.baseline", answer())
    assert not result and words in result.message
    assert "°F" not in result.message  # a wrong try never shows the measured errors
