"""Lesson 00 (welcome): a warm-up function (checks, hints, solutions) and a first result to
predict (z of one neuron, worked out without code)."""

import numpy as np

from .core import Exercise, Mistake, not_yet, ok
from .solutions import lesson_solution

weighted_sum = lesson_solution("00.weighted_sum")

# 00.predict_z: w = (2, -0.5), b = -3, x = (1, 2)
_W, _B, _X = (2.0, -0.5), -3.0, (1.0, 2.0)
# What the usual slips give, and what to say about them (never the answer itself).
_SLIPS = [
    Mistake(
        "no bias",
        _W[0] * _X[0] + _W[1] * _X[1],
        "you wrote {got}: that is w1·x1 + w2·x2 without the bias: add b as well.",
    ),
    Mistake(
        "swapped",
        _W[0] * _X[1] + _W[1] * _X[0] + _B,
        "you wrote {got}: that pairs w1 with x2 and w2 with x1: each weight multiplies its own "
        "input (w1 with x1 = 1, w2 with x2 = 2).",
    ),
    Mistake(
        "bias sign",
        _W[0] * _X[0] + _W[1] * _X[1] - _B,
        "you wrote {got}: the bias went in with the wrong sign: b = -3 is added as it is "
        "(adding -3 subtracts 3).",
    ),
    Mistake(
        "w2 sign",
        _W[0] * _X[0] - _W[1] * _X[1] + _B,
        "you wrote {got}: w2 = -0.5 is negative: w2·x2 = -0.5 · 2 is below 0, so it lowers z.",
    ),
]


def _check_predict_z(answer):
    expected = float(lesson_solution("00.predict_z"))
    if isinstance(answer, (str, bytes)):
        return not_yet(
            f"your answer is the text {answer!r}; write the number itself, without quotes "
            "(e.g. z_prediction = 1.5)."
        )
    if isinstance(answer, bool) or np.ndim(answer) != 0:
        return not_yet(
            f"z is one number, but you gave {type(answer).__name__} "
            f"{'of shape ' + str(np.shape(answer)) if np.ndim(answer) else repr(answer)}."
        )
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return not_yet(f"z is one number, but you gave a {type(answer).__name__}.")
    if not np.isfinite(value):
        return not_yet(f"z = {value} is not a finite number.")
    exact = "z is a whole number here; give it exactly (e.g. 4 or 4.0, within 1e-9)."
    if abs(value - expected) <= 1e-9:
        return ok(f"z = {value:g}: w1·x1 + w2·x2 + b, predicted without running any code.")
    for slip in _SLIPS:
        if abs(value - slip.wrong) <= 1e-9:
            return slip.result(value)
    # Only the direction: with a small whole answer, a factor or "the wrong sign" gives it away.
    off = "is too large" if value > expected else "is too small"
    return not_yet(f"you wrote {value:g}, which {off}. {exact}")


EXERCISES = [
    Exercise(
        id="00.weighted_sum",
        cases=[
            (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.0),
            (np.array([0.0, 0.0, 1.0]), np.array([2.0, 3.0, 4.0]), 1.0),
            (np.array([-1.0, 3.0]), np.array([1.0, 1.0]), -0.5),
        ],
        hint=[
            "Go back to the formula at the top of the lesson: each input is scaled by its own "
            "weight, the results are summed, and the bias shifts the total.",
            "NumPy multiplies and sums two vectors in one call: the dot product of x and w. "
            "The bias is added once, after that.",
        ],
    ),
    Exercise(
        id="00.predict_z",
        check=_check_predict_z,
        mistakes=_SLIPS,
        hint=[
            "Write the three parts of z separately before adding them - the widget above "
            "draws exactly these three bars: w1 times x1, w2 times x2, and b.",
            "The two products are 2 · 1 and -0.5 · 2. Keep the signs.",
            "Add the two products and the bias b = -3 (a negative number, added as it is).",
        ],
    ),
]
