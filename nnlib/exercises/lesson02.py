"""Lesson 02 (activation functions): sigmoid's derivative, leaky ReLU, a stable softmax, and a
naive sigmoid that overflows, to debug."""

import numpy as np

from .. import nn
from .core import Exercise, _fmt, check_function, compare_arrays, not_yet, ok, raised
from .solutions import lesson_solution

_ANSWER_KEY = "that is the answer key: the exercise is to write it yourself"

sigmoid_grad = lesson_solution("02.sigmoid_grad")
leaky_relu = lesson_solution("02.leaky_relu")
softmax = lesson_solution("02.stable_softmax")
safe_sigmoid = lesson_solution("02.safe_sigmoid")

_SIGMOID_GRAD_CASES = [
    np.array(0.0),
    np.array([-2.0, -0.5, 0.0, 1.0, 3.0]),
    np.array([[-4.0, 4.0], [0.25, -0.25]]),
    np.array([-30.0, 30.0]),
]
_LEAKY_CASES = [
    (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 0.01),
    (np.array([-10.0, 3.0]), 0.2),
    (np.array([[-1.0, 1.0], [4.0, -4.0]]), 0.1),
]


def _has_alpha(fn):
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
    return None


_SOFTMAX_INPUTS = (
    "z is a vector of scores, or a 2-D batch with one row of scores per example; return an "
    "array of z's shape whose rows each sum to 1."
)


def _check_softmax(fn):
    cases = [
        np.array([1.0, 2.0, 3.0]),
        np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),  # a batch: one distribution per row
        np.array([1000.0, 1001.0, 1002.0]),  # large logits: naive exp overflows
        np.array([[0.0, 0.0], [1000.0, 999.0]]),  # rows on very different scales
        np.array([-1000.0, 0.0]),
    ]
    result = check_function(fn, softmax, cases, inputs=_SOFTMAX_INPUTS)
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


_SIGMOID_CASES = [
    np.array([-1000.0, -10.0, 0.0, 10.0, 1000.0]),  # the naive formula overflows at -1000
    np.array([[-745.5, -40.0], [3.0, 800.0]]),  # a 2-D batch, far on both sides
    np.array(-800.0),  # one number (a 0-d array)
    np.linspace(-30, 30, 13),
]


def _check_safe_sigmoid(fn):
    if not callable(fn):
        return not_yet(f"expected a function safe_sigmoid(z), got {type(fn).__name__}")
    for z in _SIGMOID_CASES:
        shown = _fmt(z)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                got = fn(z.copy())
        except FloatingPointError as exc:
            return not_yet(
                f"for z = {shown} NumPy reported '{exc}': an exponent became too large "
                "(e^710 is already beyond float64). For very negative z, e^(-z) is huge. Only "
                "ever exponentiate a number <= 0, e.g. e^(-|z|), and write the sigmoid with it "
                "for each sign of z. If you used np.where with two formulas: it computes both "
                "for every entry, so the overflowing one still runs."
            )
        except OverflowError as exc:
            return not_yet(
                f"for z = {shown}: OverflowError ({exc}) - math.exp works on one number and "
                "overflows; use np.exp on arrays, with an exponent that is never positive."
            )
        except ValueError as exc:
            if "truth value" in str(exc):
                return not_yet(
                    f"for z = {shown}: {exc}. An `if z >= 0:` decides once for the whole "
                    "array; decide per entry with a boolean mask or np.where."
                )
            return raised(f"safe_sigmoid({shown})", exc, (z,))
        except Exception as exc:
            return raised(f"safe_sigmoid({shown})", exc, (z,))
        problem = compare_arrays(got, safe_sigmoid(z), f"safe_sigmoid({shown})", 1e-7, 1e-15)
        if problem:
            return not_yet(problem)
    return ok(
        "safe_sigmoid gives the sigmoid's values from z = -1000 to 1000, for numbers and "
        "arrays, and never overflows."
    )


EXERCISES = [
    Exercise(
        id="02.sigmoid_grad",
        cases=_SIGMOID_GRAD_CASES,
        rtol=1e-6,
        atol=1e-12,
        passed="sigmoid_grad is right for scalars, vectors and a 2-D batch.",
        forbid=(nn.sigmoid_grad,),
        forbid_reason=_ANSWER_KEY + " from the sigmoid (nn.sigmoid is allowed)",
        inputs="z is one number or a NumPy array of any shape (a vector, a 2-D batch); return "
        "an array of z's shape, computed entry by entry.",
        hint=[
            "The lesson states the sigmoid's derivative in terms of the sigmoid itself - you "
            "do not need to differentiate anything new.",
            "Compute s = sigmoid(z) once, with the lesson's overflow-free sigmoid "
            "(nn.sigmoid), not the naive formula that warns at z = -1000.",
            "The derivative is s times (1 - s), elementwise, so scalars and arrays both work.",
        ],
    ),
    Exercise(
        id="02.leaky_relu",
        guard=_has_alpha,
        cases=_LEAKY_CASES,
        forbid=(nn.leaky_relu,),
        forbid_reason=_ANSWER_KEY,
        inputs="z is a NumPy array of any shape (a vector, or a 2-D batch), alpha one number; "
        "return an array of z's shape, decided entry by entry (no `if` on the whole array).",
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
        check=_check_softmax,
        forbid=(nn.softmax,),
        forbid_reason=_ANSWER_KEY,
        hint=[
            "Section 'softmax overflows': adding the same constant to every score of a row "
            "does not change the softmax. Which constant keeps np.exp from overflowing?",
            "Subtract each row's largest score (the maximum over the last axis) before np.exp;"
            " keepdims=True keeps the shapes broadcastable.",
            "After the exp, divide by the sum over the last axis (again with keepdims=True) so"
            " each row sums to 1.",
        ],
    ),
    Exercise(
        id="02.safe_sigmoid",
        check=_check_safe_sigmoid,
        forbid=(nn.sigmoid,),
        forbid_reason=_ANSWER_KEY + " (nn.sigmoid's idea: only ever exponentiate a number <= 0)",
        inputs="z is one number or a NumPy array of any shape, with entries as far out as "
        "-1000 and 1000; return the sigmoid of every entry, in z's shape.",
        hint=[
            "Find where the overflow happens first: for z = -1000, what number does the naive "
            "formula ask np.exp for? Which sign of z is dangerous, and which is harmless?",
            "For z >= 0 the naive formula is fine. For z < 0, multiply the top and bottom of "
            "1 / (1 + e^(-z)) by e^z: the result only exponentiates a negative number.",
            "Compute e = np.exp(-np.abs(z)) once (never overflows), then choose per entry: "
            "1 / (1 + e) where z >= 0, e / (1 + e) elsewhere.",
        ],
    ),
]
