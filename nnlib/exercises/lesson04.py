"""Lesson 04 (loss and gradient descent): the MSE gradient, binary cross-entropy, and one step
of gradient descent for a straight line."""

import numpy as np

from .core import Exercise, check_function, not_yet
from .solutions import lesson_solution

# --------------------------------------------------------------------------- helpers


def _diagnose(fn, args, expected, suspects):
    """If ``fn(*args)`` equals one of the known mistakes, say which; else ``None``.

    ``suspects`` is a list of ``(message, wrong_value)``."""
    try:
        got = np.asarray(fn(*args), dtype=np.float64)
    except Exception:
        return None
    for message, wrong in suspects:
        wrong = np.asarray(wrong, dtype=np.float64)
        if (
            got.shape == wrong.shape
            and np.allclose(got, wrong)
            and not np.allclose(wrong, expected)
        ):
            return not_yet(message)
    return None


# --------------------------------------------------------------------------- 04.mse_grad


mse_grad = lesson_solution("04.mse_grad")


_MSE_CASES = [
    (np.array([[1.0], [0.0], [2.0], [-1.0]]), np.array([[0.5], [0.5], [2.0], [1.0]])),
    (
        np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]),
        np.array([[0.9, 0.2], [0.3, 0.3], [0.5, 1.0]]),
    ),
    (np.array([3.0]), np.array([-1.0])),
]


def _check_mse_grad(fn):
    y, p = _MSE_CASES[1]
    expected = mse_grad(y, p)
    hint = _diagnose(
        fn,
        (y, p),
        expected,
        [
            (
                "the sign is flipped: the derivative of (p - y)^2 w.r.t. p is 2(p - y), "
                "not 2(y - p).",
                -expected,
            ),
            ("the factor 2 from the square's derivative is missing.", expected / 2),
            (
                "for a (3, 2) batch you divided by 3 (the rows); the mean runs over all "
                "6 entries, so divide by y_pred.size.",
                2 * (p - y) / len(p),
            ),
            (
                "you returned the loss's per-entry errors without averaging (divide by "
                "y_pred.size).",
                2 * (p - y),
            ),
        ],
    )
    if hint is not None:  # a CheckResult that did not pass is falsy, so no `or` here
        return hint
    return check_function(fn, mse_grad, _MSE_CASES, name="mse_grad")


# --------------------------------------------------------------------------- 04.bce


binary_crossentropy = lesson_solution("04.bce")


_BCE_CASES = [
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.1, 0.6, 0.3])),
    (np.array([1.0, 1.0]), np.array([0.5, 0.99])),
    (np.array([1.0, 0.0]), np.array([0.0, 1.0])),  # confidently wrong: needs the clip
]


def _check_bce(fn):
    y, p = _BCE_CASES[0]
    expected = binary_crossentropy(y, p)
    hint = _diagnose(
        fn,
        (y, p),
        expected,
        [
            ("your loss is negative: it needs a minus sign in front (log p < 0).", -expected),
            ("you summed instead of averaging over the samples.", expected * len(y)),
            (
                "only the y * log(p) term is there; add (1 - y) * log(1 - p) for the "
                "samples with label 0.",
                -np.mean(y * np.log(p)),
            ),
        ],
    )
    if hint is not None:
        return hint
    y, p = _BCE_CASES[2]
    try:
        with np.errstate(all="ignore"):
            got = fn(y, p)
        if got is not None and not np.isfinite(got):
            return not_yet(
                f"for p = {p} (confidently wrong) you return {got}: clip p to "
                "[1e-7, 1 - 1e-7] before taking the log, as Keras does."
            )
    except Exception:
        pass
    return check_function(fn, binary_crossentropy, _BCE_CASES, name="binary_crossentropy")


# --------------------------------------------------------------------------- 04.gd_step


gd_step = lesson_solution("04.gd_step")


_GD_CASES = [
    (0.0, 0.0, np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]), 0.1),
    (1.0, -1.0, np.array([2.0, 2.5, 3.0, 4.0]), np.array([1.0, 1.4, 2.5, 2.6]), 0.05),
    (-0.5, 1.5, np.array([0.0, 1.0]), np.array([1.0, -1.0]), 0.5),
]


def _check_gd_step(fn):
    w, b, x, y, lr = _GD_CASES[1]
    error = w * x + b - y
    dw, db = 2 * np.mean(error * x), 2 * np.mean(error)
    expected = np.array(gd_step(w, b, x, y, lr))
    hint = _diagnose(
        fn,
        (w, b, x, y, lr),
        expected,
        [
            (
                "you stepped uphill: subtract lr * gradient (w - lr * dw), don't add it.",
                [w + lr * dw, b + lr * db],
            ),
            ("you returned the gradient (dw, db), not the new parameters.", [dw, db]),
            (
                "dL/dw needs the factor x: dw = 2 * mean(error * x).",
                [w - lr * 2 * np.mean(error), b - lr * db],
            ),
            (
                "w is right, but b was computed with the NEW w: you updated w before computing "
                "db. Compute both gradients from the old w and b first, then update both.",
                [w - lr * dw, b - lr * 2 * np.mean((w - lr * dw) * x + b - y)],
            ),
        ],
    )
    if hint is not None:
        return hint
    return check_function(fn, gd_step, _GD_CASES, name="gd_step")


EXERCISES = [
    Exercise(
        id="04.mse_grad",
        title="The gradient of the mean squared error",
        check=_check_mse_grad,
        hint=[
            "Differentiate the loss with respect to one prediction p_i: only one term of the "
            "mean depends on it.",
            "d/dp (p - y)^2 is 2 (p - y); the mean contributes a factor 1/n. What is n for a "
            "2-D array of predictions?",
            "n counts every entry, not just the rows (y_pred.size). The result has the shape "
            "of y_pred.",
        ],
    ),
    Exercise(
        id="04.bce",
        title="Binary cross-entropy",
        check=_check_bce,
        hint=[
            "The loss averages the negative log-probability the model gives to the true label;"
            " log(0) is the danger - the lesson shows a clip for it.",
            "Clip p into [eps, 1 - eps] first. For y = 1 the term is log(p), for y = 0 it is "
            "log(1 - p); the formula y log p + (1 - y) log(1 - p) covers both.",
            "Take minus the mean of those terms and return it as a Python float.",
        ],
    ),
    Exercise(
        id="04.gd_step",
        title="One gradient-descent step for a line",
        check=_check_gd_step,
        hint=[
            "Gradient descent moves each parameter against its own gradient, and both "
            "gradients are computed from the SAME (old) w and b.",
            "With the error e = prediction - y (prediction w * x + b), the lesson's MSE "
            "gradients are dw = 2 mean(e * x) and db = 2 mean(e).",
            "Compute both gradients first, then return the two updated values, each minus lr "
            "times its gradient. Updating w before computing db uses a wrong w.",
        ],
    ),
]
