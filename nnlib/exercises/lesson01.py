"""Lesson 01 (the neuron): a neuron's output, two perceptron updates followed by hand (a result),
weights for NAND, and a broken perceptron to debug."""

import numpy as np

from .core import Exercise, Mistake, call_for_pair, not_yet, ok
from .solutions import lesson_solution

neuron_output = lesson_solution("01.neuron_output")
perceptron_update = lesson_solution("01.perceptron_update")  # (w1, w2, b) after two points
NAND_WEIGHTS = lesson_solution("01.nand_weights")
perceptron_fixed = lesson_solution("01.debug_perceptron")

_NEURON_CASES = [
    (np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.0),  # z = -1.5 -> 0
    (np.array([1.0, 1.0]), np.array([1.0, 1.0]), -2.5),  # z = -0.5 -> 0 (1 without b)
    (np.array([2.0, 1.0]), np.array([1.0, -2.0]), 0.0),  # z = 0 exactly -> 1
    (np.array([0.0, 0.0, 1.0]), np.array([2.0, 3.0, -4.0]), 5.0),  # z = 1 -> 1 (0 without b)
    (np.array([3.0, -1.0, 0.5]), np.array([0.2, 0.1, 0.4]), -0.2),  # z = 0.5 -> 1
]


_NEURON_MISTAKES = [
    Mistake(
        "z > 0",
        lambda x, w, b: int(np.dot(x, w) + b > 0),
        "for x=[2, 1], w=[1, -2], b=0 the sum z is exactly 0 and the answer should be 1: the "
        "step function gives 1 for z >= 0 (use >=, not >).",
    ),
]


#: 01.perceptron_update, a result: the start, the learning rate and the two points (x, y).
UPDATE_START = (np.array([0.0, 0.0]), 0.0)
UPDATE_LR = 0.5
UPDATE_POINTS = [(np.array([-1.0, -1.0]), 0), (np.array([1.0, 2.0]), 0)]


def trace_updates(strict=False, flipped=False, move_b=True, lr=UPDATE_LR, points=2):
    """(w1, w2, b) after the exercise's points, with the rule as given or with one slip."""
    w, b = UPDATE_START[0].copy(), UPDATE_START[1]
    for x, y in UPDATE_POINTS[:points]:
        z = float(np.dot(w, x) + b)
        y_hat = int(z > 0) if strict else int(z >= 0)
        error = (y_hat - y) if flipped else (y - y_hat)
        w = w + lr * error * x
        b = b + lr * error if move_b else b
    return (float(w[0]), float(w[1]), float(b))


_UPDATE_MISTAKES = [
    (
        trace_updates(strict=True),
        "that is the perceptron with no update at all: at the first point z = 0, and the step "
        "function gives 1 for z >= 0 (section 2: a point on the line counts as class 1). So the "
        "prediction is 1, the label 0: an update.",
    ),
    (
        trace_updates(flipped=True),
        "the updates go the wrong way: the error is y - y_hat (label minus prediction). A point "
        "predicted 1 with label 0 has error -1, and the line moves AWAY from it.",
    ),
    (
        trace_updates(move_b=False),
        "w is right, but b never moved: b changes by lr * error at every update, like a weight "
        "whose input is always 1.",
    ),
    (
        trace_updates(lr=1.0),
        "every change is twice as large as it should be: multiply by the learning rate 0.5.",
    ),
    (
        trace_updates(points=1),
        "that is the state after the FIRST point. The second point, (1, 2), comes next: compute "
        "its z with the NEW w and b - is it predicted right?",
    ),
]


def _check_two_updates(answer):
    if answer is None:
        return not_yet("set after_two = (w1, w2, b): three numbers, after the second point.")
    try:
        values = [float(v) for v in np.ravel(np.asarray(answer, dtype=object))]
    except (TypeError, ValueError):
        return not_yet(f"after_two should be three numbers (w1, w2, b), got {answer!r}")
    if len(values) != 3:
        return not_yet(f"after_two should be three numbers (w1, w2, b), got {len(values)}")
    expected = np.asarray(perceptron_update, dtype=float)
    got = np.asarray(values)
    if np.allclose(got, expected):
        return ok(
            "two updates: at z = 0 the prediction is 1 (an update), and the second point, "
            "predicted with the new line, is wrong too."
        )
    for wrong, message in _UPDATE_MISTAKES:
        if np.allclose(got, wrong):
            return not_yet(message)
    if np.allclose(got[:2], expected[:2]):
        return not_yet("w is right; recheck b: it changes by lr * error at each update.")
    if np.isclose(got[2], expected[2]):
        return not_yet("b is right; recheck w: each update adds lr * error * x.")
    return not_yet(
        "follow the two points again, one at a time: z = w . x + b, y_hat = 1 if "
        "z >= 0 else 0, error = y - y_hat, then w += lr * error * x and b += lr * error, and "
        "use the NEW w and b for the second point."
    )


def _check_nand(answer):
    try:
        values = [float(v) for v in answer]
    except (TypeError, ValueError):
        return not_yet(f"answer should be three numbers (w1, w2, b), got {answer!r}")
    if len(values) != 3:
        return not_yet(f"answer should be three numbers (w1, w2, b), got {len(values)}")
    w1, w2, b = values
    for x1, x2 in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        expected = 0 if (x1 and x2) else 1
        z = w1 * x1 + w2 * x2 + b
        got = int(z >= 0)
        if got != expected and np.isclose(z, 0):
            return not_yet(
                f"with w1={w1:g}, w2={w2:g}, b={b:g} the input ({x1}, {x2}) gives {got}, NAND "
                f"needs {expected}: there z = 0 - the corner lies ON your line, and step(0) = 1 "
                "whichever signs you choose (section 2, answer 3). Move the line (change b) so "
                "that no corner lies on it."
            )
        if got != expected:
            return not_yet(
                f"with w1={w1:g}, w2={w2:g}, b={b:g} the input ({x1}, {x2}) gives {got} (z = "
                f"{z:g}), NAND needs {expected}"
            )
    return ok(f"w1={w1:g}, w2={w2:g}, b={b:g} computes NAND on all four inputs.")


def _perceptron_variant(w_sign, b_sign):
    """The classmate's training function with the error's sign chosen separately for w and b:
    (-1, -1) is the bug as shown, (+1, +1) the fix, the others half fixed."""

    def train(X, y, epochs=20, lr=1.0):
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(epochs):
            for xi, yi in zip(X, y):
                error = yi - (1 if np.dot(w, xi) + b >= 0 else 0)
                w = w + w_sign * lr * error * xi
                b = b + b_sign * lr * error
        return w, b

    return train


def _debug_cases():
    from .. import data

    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X, y = data.make_blobs(n_samples=200, seed=0)
    return [
        ("AND", corners, np.array([0, 0, 0, 1]), 1.0),
        ("OR", corners, np.array([0, 1, 1, 1]), 1.0),
        ("NAND", corners, np.array([1, 1, 1, 0]), 1.0),
        ("the blobs (lr=0.1)", X, y, 0.1),
    ]


_HALF_FIXED = {
    (-1, -1): "this is still the classmate's bug: after a mistake, w and b move so that the "
    "same point is even more wrong. Work through the first update on AND by hand: (0, 0) is "
    "predicted 1 but should be 0 - does your update make z at (0, 0) smaller?",
    (1, -1): "w now moves the right way, but b still moves the wrong way: the bias update uses "
    "the same error as w (target minus prediction).",
    (-1, 1): "b now moves the right way, but w still moves the wrong way: the weight update "
    "uses the same error as b (target minus prediction).",
}


def _check_debug_perceptron(fn):
    if not callable(fn):
        return not_yet(f"expected a function perceptron_fixed(X, y, epochs, lr), got {fn!r}")
    for name, X, y, lr in _debug_cases():
        got, problem = call_for_pair(
            fn, (X.copy(), y.copy(), 20, lr), f"on {name}, perceptron_fixed"
        )
        if problem is not None:
            return problem
        try:
            w = np.asarray(got[0], dtype=np.float64).reshape(-1)
            b = float(np.asarray(got[1], dtype=np.float64).reshape(()))
        except (TypeError, ValueError):
            return not_yet("perceptron_fixed should return an array w and one number b")
        if w.shape != (X.shape[1],):
            return not_yet(f"on {name}, w has {w.size} numbers; it needs one per input column")
        right = int(np.sum((X @ w + b >= 0).astype(int) == y))
        if right == len(y):
            continue
        for signs, message in _HALF_FIXED.items():
            w_v, b_v = _perceptron_variant(*signs)(X, y, 20, lr)
            if np.allclose(w, w_v) and np.isclose(b, b_v):
                return not_yet(f"on {name} it gets {right} of {len(y)} points right: {message}")
        return not_yet(
            f"on {name} (20 epochs) the learned w, b get {right} of {len(y)} points right; the "
            "perceptron rule gets all of them. Compare each line with the rule of section 4."
        )
    return ok(
        "perceptron_fixed learns AND, OR, NAND and the blobs: the error is target minus "
        "prediction, so each update moves the line towards getting that point right."
    )


EXERCISES = [
    Exercise(
        id="01.neuron_output",
        cases=_NEURON_CASES,
        mistakes=_NEURON_MISTAKES,
        passed="neuron_output gives the right 0/1 output on 5 inputs, including z = 0.",
        hint=[
            "A neuron does two things (section 1): it computes a weighted sum plus bias, then "
            "a step function turns that number into 0 or 1.",
            "Compute z with np.dot(x, w) + b. Then decide: which output does z = 0 give in "
            "this lesson's convention?",
            "The step is 1 for z >= 0 (so z = 0 gives 1) and 0 otherwise; return a plain int.",
        ],
    ),
    Exercise(
        id="01.perceptron_update",
        check=_check_two_updates,
        hint=[
            "One point at a time: z = w . x + b, then y_hat = 1 if z >= 0 else 0, then the "
            "error y - y_hat (-1, 0 or +1). The weights move only when the error is not 0.",
            "First point: z = 0 exactly - which class does the step function give at 0? Then "
            "w moves by lr * error * x and b by lr * error. Use the NEW w and b for the second "
            "point.",
            "After the first point w = (0.5, 0.5) and b = -0.5. The second point: z = 0.5 * 1 "
            "+ 0.5 * 2 - 0.5 - compare its prediction with its label 0.",
        ],
    ),
    Exercise(
        id="01.nand_weights",
        check=_check_nand,
        hint=[
            "NAND is 'not AND': 1 at (0, 0), (0, 1) and (1, 0), 0 at (1, 1). Draw the four "
            "corners and a line that cuts (1, 1) off from the other three, with NO corner on "
            "the line: a corner on the line has z = 0, and step(0) = 1 whatever the signs.",
            "A line half way between them keeps every corner off it: x1 + x2 = 1.5 (the sum is "
            "2 at (1, 1) and at most 1 at the others). Careful with the AND neuron the "
            "perceptron learned (2, 1, -3): its line passes through (1, 1), so flipping its "
            "signs cannot give NAND.",
            "Write that line as z = w1 x1 + w2 x2 + b and choose the signs so that z > 0 at "
            "(0, 0) and z < 0 at (1, 1). Check the four corners on paper before you run the "
            "check.",
        ],
    ),
    Exercise(
        id="01.debug_perceptron",
        check=_check_debug_perceptron,
        hint=[
            "Follow the very first update on AND by hand: w and b start at 0, so the point "
            "(0, 0) has z = 0 and is predicted 1, but its target is 0. After the classmate's "
            "update, is z at (0, 0) smaller (closer to right) or larger?",
            "The direction of every update comes from the error term. Compare the classmate's "
            "error with the rule of section 4: which of target and prediction comes first?",
            "The error must be the target minus the prediction (yi - y_hat); use it for both w "
            "and b. Then run the check again.",
        ],
    ),
]
