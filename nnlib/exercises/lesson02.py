"""Lesson 02 (activation functions): the sigmoid's derivative, derived; leaky ReLU; and two
functions to debug: a softmax that fails on a batch, and a naive sigmoid that overflows."""

import numpy as np

from .. import nn
from .core import Exercise, Mistake, _fmt, compare_arrays, not_yet, ok, raised
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
    np.array([-1000.0, -30.0, 30.0, 1000.0]),  # far out: e^(-z) overflows at z = -1000
]


def _sig(z):
    return 1 / (1 + np.exp(-z))


_SIGMOID_GRAD_MISTAKES = [
    Mistake(
        "the chain rule's result, not rewritten",
        lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "your derivative is right wherever it is finite, but {problem}. That is the form the "
        "chain rule gives, e^(-z) / (1 + e^(-z))^2: at z = -1000, e^(-z) = e^1000 overflows to "
        "inf, and inf / inf = nan. Take the derivation's last step: write it with sigma(z) only "
        "(split the fraction into two factors and compare each with sigma), and compute sigma "
        "with nn.sigmoid, which never overflows.",
    ),
    Mistake(
        "a minus sign left over",
        lambda z: -_sig(z) * (1 - _sig(z)),
        "the size is right, but the sign is not: the sigmoid only rises, so its slope is "
        "positive everywhere. The chain rule gives two minus signs - d(u^-1)/du = -u^-2 and "
        "d(e^-z)/dz = -e^-z - and they cancel.",
    ),
    Mistake(
        "1 + sigma",
        lambda z: _sig(z) * (1 + _sig(z)),
        "{problem}. The slope of the sigmoid is at most 1/4 (section 3), but yours is 0.75 at "
        "z = 0: recheck the second factor. Write 1 - sigma(z) over the common denominator "
        "1 + e^(-z) and compare it with e^(-z) / (1 + e^(-z)).",
    ),
    Mistake(
        "sigma squared",
        lambda z: _sig(z) ** 2,
        "that is sigma(z)^2, the 1 / (1 + e^(-z))^2 part only: the factor e^(-z) that the inner "
        "derivative (of u = 1 + e^(-z)) brings is missing.",
    ),
    Mistake(
        "the sigmoid itself",
        _sig,
        "that is the sigmoid itself, not its slope (at z = 0 the sigmoid is 0.5, its slope is "
        "smaller).",
    ),
    Mistake(
        "the rewrite applied to z",
        lambda z: z * (1 - z),
        "you applied the rewritten formula to z itself: it is written in terms of the "
        "sigmoid's OUTPUT, so compute s = sigma(z) first and put s into it.",
    ),
    Mistake(
        "tanh's derivative",
        lambda z: 1 - np.tanh(z) ** 2,
        "that is the derivative of tanh (section 2's table), not of the sigmoid.",
    ),
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
    "array of z's shape whose rows each sum to 1. For a batch, a maximum or a sum over the last "
    "axis has one number per row: keepdims=True keeps it a column, so that it lines up with z."
)

_SOFTMAX_CASES = [
    np.array([1.0, 2.0, 3.0]),
    np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),  # a batch: one distribution per row
    np.array([1000.0, 1001.0, 1002.0]),  # large logits: naive exp overflows
    np.array([[0.0, 0.0], [1000.0, 999.0]]),  # rows on very different scales
    np.array([-1000.0, 0.0]),
]


def _softmax_shifted(z, shift):
    e = np.exp(z - shift)
    return e / e.sum(axis=-1, keepdims=True)


_SOFTMAX_MISTAKES = [
    Mistake(
        "the classmate's global maximum",
        lambda z: _softmax_shifted(z, z.max()),
        "{problem}. Like the classmate's, your softmax subtracts ONE number from every row, the "
        "maximum of the whole array (z.max()). The row [0, 0] lies 1000 below it: e^(-1000) "
        "underflows to 0 in every entry, and 0 / 0 = nan. A row's softmax does not change when "
        "you shift that row, so each row may - and must - get its own shift: the maximum of "
        "EACH ROW, z.max(axis=-1, keepdims=True).",
    ),
    Mistake(
        "the maximum of each column",
        lambda z: _softmax_shifted(z, z.max(axis=0, keepdims=True)),
        "{problem}. You subtracted the maximum of each COLUMN (axis=0): the entries of one row "
        "then get different shifts, and a shift cancels only when the whole row gets the same "
        "one. Take the maximum over the last axis (axis=-1), one per row.",
    ),
    Mistake(
        "no shift",
        lambda z: _softmax_shifted(z, 0.0),
        "{problem}: exp(1000) overflows to inf, and inf / inf = nan. Shift the logits before "
        "np.exp so that the largest exponent of each row is 0.",
    ),
    Mistake(
        "normalised over the whole batch",
        lambda z: (
            np.exp(z - z.max(axis=-1, keepdims=True))
            / np.exp(z - z.max(axis=-1, keepdims=True)).sum()
        ),
        "{problem}. For a batch every ROW must sum to 1: sum over the last axis (axis=-1, "
        "keepdims=True), not over the whole array.",
    ),
]


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
        mistakes=_SIGMOID_GRAD_MISTAKES,
        rtol=1e-6,
        atol=1e-12,
        passed="sigmoid_grad is right for scalars, vectors and a 2-D batch, from z = -1000 to "
        "1000: your derivation agrees with the measured slope (section 2's finite differences).",
        forbid=(nn.sigmoid_grad,),
        forbid_reason=_ANSWER_KEY,
        # not the general "write it with np.exp": the e^(-z) route overflows at z = -1000
        forbid_advice="Instead of calling {used}, write the slope your derivation ends with, in "
        "sigma(z) only, and compute sigma with nn.sigmoid (allowed: it never overflows). The "
        "chain rule's form with e^(-z) gives nan at z = -1000.",
        inputs="z is one number or a NumPy array of any shape (a vector, a 2-D batch); return "
        "an array of z's shape, computed entry by entry.",
        hint=[
            "Write sigma(z) = u^(-1) with u = 1 + e^(-z). The chain rule: d sigma/dz = "
            "(d sigma/du) * (du/dz), and each factor is a derivative you know (a power, an "
            "exponential). Mind both minus signs.",
            "You should reach e^(-z) / (1 + e^(-z))^2. Split it into 1 / (1 + e^(-z)) times "
            "e^(-z) / (1 + e^(-z)): the first factor is sigma(z). For the second, write "
            "1 - sigma(z) over the common denominator.",
            "The derivative is sigma(z) * (1 - sigma(z)): compute s = nn.sigmoid(z) once (it "
            "never overflows), then return s times (1 - s), elementwise.",
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
        cases=_SOFTMAX_CASES,
        mistakes=_SOFTMAX_MISTAKES,
        passed="softmax is right, sums to 1 in every row, and survives logits of 1000 - also "
        "in a batch whose rows are 1000 apart, where the classmate's gave nan.",
        forbid=(nn.softmax,),
        forbid_reason=_ANSWER_KEY,
        inputs=_SOFTMAX_INPUTS,
        hint=[
            "Follow the classmate's softmax on the batch by hand: what is z.max() there, and "
            "what is z - z.max() in the row [-5, 0, 5]? What does np.exp make of that?",
            "A row's softmax does not change when you subtract the same number from all its "
            "entries - but nothing says every row must get the SAME number. Give each row its "
            "own shift, so that its largest exponent is 0.",
            "Subtract each row's maximum, z.max(axis=-1, keepdims=True), before np.exp; then "
            "divide by the sum over the last axis (again with keepdims=True).",
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
