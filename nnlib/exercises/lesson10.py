"""Lesson 10 (recurrent networks): one RNN step, windowing a series, the naive forecast."""

import numpy as np

from .core import Exercise, check_function, compare_arrays, not_yet, ok
from .solutions import lesson_solution

rnn_step = lesson_solution("10.rnn_step")
make_windows = lesson_solution("10.windows")
naive_mae = lesson_solution("10.naive_mae")


_rng = np.random.default_rng(10)


def _rnn_cases():
    cases = []
    for batch, d, units in [(1, 1, 2), (3, 2, 4), (2, 5, 3)]:
        cases.append(
            (
                _rng.normal(size=(batch, d)),
                _rng.normal(size=(batch, units)),
                _rng.normal(size=(d, units)),
                _rng.normal(size=(units, units)),
                _rng.normal(size=units),
            )
        )
    return cases


_RNN_CASES = _rnn_cases()


def _check_rnn_step(fn):
    return check_function(fn, rnn_step, _RNN_CASES)


def _check_windows(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for series, window in [(np.arange(10.0), 3), (_rng.normal(size=12), 5), (np.arange(4.0), 3)]:
        try:
            got = fn(series.copy(), window)
        except Exception as exc:
            return not_yet(
                f"make_windows(series of length {len(series)}, {window}) raised "
                f"{type(exc).__name__}: {exc}"
            )
        if not isinstance(got, tuple) or len(got) != 2:
            return not_yet("make_windows must return a pair (X, y).")
        X, y = make_windows(series, window)
        for name, g, e in (("X", got[0], X), ("y", got[1], y)):
            problem = compare_arrays(g, e, f"{name} for window={window}, series {series[:4]}...")
            if problem:
                return not_yet(problem)
    return ok("windows and targets line up: y[i] is the value right after window X[i].")


def _check_naive(fn):
    return check_function(
        fn, naive_mae, [(np.array([1.0, 2.0, 4.0, 3.0]),), (_rng.normal(size=20),)]
    )


EXERCISES = [
    Exercise(
        id="10.rnn_step",
        title="One step of a simple RNN",
        check=_check_rnn_step,
        hint=[
            "An RNN cell mixes two things at every step: the new input and the previous hidden"
            " state, then squashes the sum.",
            "x_t goes through W_x, h_prev through W_h; shapes (batch, d) @ (d, units) and "
            "(batch, units) @ (units, units) both give (batch, units).",
            "Add the two products and b, then apply np.tanh.",
        ],
    ),
    Exercise(
        id="10.windows",
        title="Cut a series into windows",
        check=_check_windows,
        hint=[
            "Each training example is a window of `window` consecutive values, and its target "
            "is the value right after the window.",
            "The last window must still have a next value, so there are len(series) - window "
            "windows.",
            "Window i is series[i : i + window] and its target series[i + window]; stack them "
            "into arrays X and y.",
        ],
    ),
    Exercise(
        id="10.naive_mae",
        title="Error of the naive forecast",
        check=_check_naive,
        hint=[
            "The naive forecast says: tomorrow equals today. What is the forecast for series[t]?",
            "The forecast for series[t] is series[t - 1]; the first value has no forecast. "
            "Line up two slices of the series, shifted by one.",
            "Compare series[1:] with series[:-1] and take the mean of the absolute differences.",
        ],
    ),
]
