"""Lesson 02 (activation functions): sigmoid's derivative, leaky ReLU, a stable softmax."""

import numpy as np

from .core import Exercise, check_function, not_yet, ok
from .solutions import lesson_solution

sigmoid_grad = lesson_solution("02.sigmoid_grad")
leaky_relu = lesson_solution("02.leaky_relu")
softmax = lesson_solution("02.stable_softmax")


def _check_sigmoid_grad(fn):
    cases = [
        np.array(0.0),
        np.array([-2.0, -0.5, 0.0, 1.0, 3.0]),
        np.array([[-4.0, 4.0], [0.25, -0.25]]),
        np.array([-30.0, 30.0]),
    ]
    with np.errstate(over="ignore"):
        result = check_function(fn, sigmoid_grad, cases, rtol=1e-6, atol=1e-12)
    if result:
        return ok("sigmoid_grad is right for scalars, vectors and a 2-D batch.")
    return result


def _check_leaky_relu(fn):
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    if "alpha" not in params:
        return not_yet(
            "leaky_relu should take a second argument `alpha` (the slope for z < 0), e.g. "
            "`def leaky_relu(z, alpha=0.01):`"
        )
    cases = [
        (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 0.01),
        (np.array([-10.0, 3.0]), 0.2),
        (np.array([[-1.0, 1.0], [4.0, -4.0]]), 0.1),
    ]
    return check_function(fn, leaky_relu, cases)


def _check_softmax(fn):
    cases = [
        np.array([1.0, 2.0, 3.0]),
        np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),  # a batch: one distribution per row
        np.array([1000.0, 1001.0, 1002.0]),  # large logits: naive exp overflows
        np.array([[0.0, 0.0], [1000.0, 999.0]]),  # rows on very different scales
        np.array([-1000.0, 0.0]),
    ]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = check_function(fn, softmax, cases)
    if result:
        return ok("softmax is right, sums to 1 in every row, and survives logits of 1000.")
    msg = result.message
    if "NaN or inf" in msg:
        if "1000" in msg and "999" in msg:
            msg += (
                " (Subtract the maximum of EACH ROW, z.max(axis=-1, keepdims=True), not the "
                "maximum of the whole array.)"
            )
        else:
            msg += " (exp(1000) overflows to inf: subtract the maximum logit before exp.)"
    elif "[[" in msg or "(2, " in msg:
        msg += " (For a batch, normalise each row: sum with axis=-1, keepdims=True.)"
    return not_yet(msg.replace("❌ Not yet: ", "", 1))


EXERCISES = [
    Exercise(
        id="02.sigmoid_grad",
        title="The derivative of the sigmoid",
        check=_check_sigmoid_grad,
        hint=[
            "The lesson derives the sigmoid's derivative in terms of the sigmoid itself - you "
            "do not need to differentiate anything new.",
            "Compute s = sigmoid(z) once, with the lesson's overflow-free sigmoid "
            "(nn.sigmoid), not the naive formula that warns at z = -1000.",
            "The derivative is s times (1 - s), elementwise, so scalars and arrays both work.",
        ],
    ),
    Exercise(
        id="02.leaky_relu",
        title="Leaky ReLU",
        check=_check_leaky_relu,
        hint=[
            "Leaky ReLU is the ReLU, except that the negative side keeps a small slope alpha "
            "instead of being flat at 0.",
            "You need a choice per entry, without a Python loop: np.where(condition, "
            "value_if_true, value_if_false).",
            "Where z > 0 keep z; elsewhere use alpha * z.",
        ],
    ),
    Exercise(
        id="02.stable_softmax",
        title="A softmax that does not overflow",
        check=_check_softmax,
        hint=[
            "Section 'softmax overflows': adding the same constant to every score of a row "
            "does not change the softmax. Which constant keeps np.exp from overflowing?",
            "Subtract each row's largest score (the maximum over the last axis) before np.exp;"
            " keepdims=True keeps the shapes broadcastable.",
            "After the exp, divide by the sum over the last axis (again with keepdims=True) so"
            " each row sums to 1.",
        ],
    ),
]
