"""Lesson 11 (applications): dot-product attention and a recommendation score."""

import numpy as np

from .core import Exercise, check_function
from .solutions import lesson_solution

attention = lesson_solution("11.attention")
predict_rating = lesson_solution("11.predict_rating")


_rng = np.random.default_rng(11)
_ATT_CASES = [
    (np.eye(2), np.eye(2), np.array([[1.0, 2.0], [3.0, 4.0]])),
    (_rng.normal(size=(3, 4)), _rng.normal(size=(5, 4)), _rng.normal(size=(5, 2))),
    (30 * _rng.normal(size=(2, 8)), 30 * _rng.normal(size=(4, 8)), _rng.normal(size=(4, 3))),
]
_REC_CASES = [
    (np.array([1.0, 0.0]), np.array([0.5, 2.0]), 0.1, -0.2, 3.5),
    (_rng.normal(size=4), _rng.normal(size=4), 0.3, 0.4, 3.0),
]

EXERCISES = [
    Exercise(
        id="11.attention",
        title="Scaled dot-product attention",
        check=lambda fn: check_function(fn, attention, _ATT_CASES),
        hint="scores = Q @ K.T / sqrt(d) with d = K.shape[1]; softmax over each ROW (axis=1; "
        "subtract the row max first so large scores do not overflow); return weights @ V.",
    ),
    Exercise(
        id="11.predict_rating",
        title="A recommendation score",
        check=lambda fn: check_function(fn, predict_rating, _REC_CASES),
        hint="rating = global mean + user bias + item bias + dot product of the two embedding "
        "vectors (np.dot).",
    ),
]
