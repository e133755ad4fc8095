"""Lesson 13 (generative): the mean squared error (a function) and an error predicted without code
(a number). Scaffolded by `make new-lesson`: replace the examples with the lesson's exercises and
give every mistake learners make its own message (as lesson12.py does)."""

import numpy as np

from .core import Exercise, check_function, check_value, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 13.mean_squared_error

_MSE_CASES = [
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])),
    (np.array([0.0, 0.0]), np.array([1.0, -3.0])),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, 2.0], [3.0, 5.0]])),
]


def _check_mean_squared_error(fn):
    y, p = _MSE_CASES[1]
    if callable(fn):
        try:
            got = fn(y, p)
        except Exception:  # check_function below names the exception
            got = None
        if got is not None and np.ndim(got) == 0 and np.isclose(float(got), 2.0):
            return not_yet(
                f"mean_squared_error({y.tolist()}, {p.tolist()}) is {float(got):g}: that is the "
                "mean of the absolute differences. Square each difference before the mean."
            )
    return check_function(fn, lesson_solution("13.mean_squared_error"), _MSE_CASES)


# --------------------------------------------------------------------------- 13.predict_mse


def _check_predict_mse(answer):
    expected = float(lesson_solution("13.predict_mse"))
    if isinstance(answer, (str, bytes)):
        return not_yet(f"your answer is the text {answer!r}; write the number without quotes.")
    result = check_value(answer, expected, what="the mean squared error")
    if result:
        return ok("two errors of 1, squared and averaged: 1.")
    return result


EXERCISES = [
    Exercise(
        id="13.mean_squared_error",
        check=_check_mean_squared_error,
        hint=[
            "Go back to the formula of section 1: one difference per point, squared, then the "
            "mean over the points.",
            "NumPy subtracts two arrays element by element; ** 2 squares each difference and "
            "np.mean averages them all.",
        ],
    ),
    Exercise(
        id="13.predict_mse",
        check=_check_predict_mse,
        hint=[
            "Work out the line's prediction at each of the two points first: y-hat = x gives 0 "
            "and 2.",
            "Each point is off by the same amount: square the two differences, then average.",
        ],
    ),
]
