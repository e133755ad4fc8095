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
        hint=[
            "Attention = how well each query matches each key (a score), turned into weights "
            "that sum to 1 per query, used to average the values.",
            "The scores are Q @ K.T, scaled by the square root of the key dimension d = "
            "K.shape[1].",
            "Take a stable softmax over each ROW of the scores (axis=1, subtract the row max "
            "first), then multiply the weights by V.",
        ],
    ),
    Exercise(
        id="11.predict_rating",
        title="A recommendation score",
        check=lambda fn: check_function(fn, predict_rating, _REC_CASES),
        hint=[
            "The lesson's model adds up a baseline, how generous the user is, how popular the "
            "item is, and how well their tastes match.",
            "The taste match is the dot product of the user's and the item's embedding vectors.",
            "Add the global mean, the user bias, the item bias and np.dot of the two vectors.",
        ],
    ),
]
