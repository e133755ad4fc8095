"""Lesson 00 (welcome): one warm-up exercise that shows how checks, hints and solutions work."""

import numpy as np

from .core import Exercise, check_function
from .solutions import lesson_solution

weighted_sum = lesson_solution("00.weighted_sum")


EXERCISES = [
    Exercise(
        id="00.weighted_sum",
        title="A weighted sum",
        check=lambda fn: check_function(
            fn,
            weighted_sum,
            [
                (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.0),
                (np.array([0.0, 0.0, 1.0]), np.array([2.0, 3.0, 4.0]), 1.0),
                (np.array([-1.0, 3.0]), np.array([1.0, 1.0]), -0.5),
            ],
        ),
        hint=[
            "Go back to the formula at the top of the lesson: each input is scaled by its own "
            "weight, the results are summed, and the bias shifts the total.",
            "NumPy multiplies and sums two vectors in one call: the dot product of x and w. "
            "The bias is added once, after that.",
        ],
    ),
]
