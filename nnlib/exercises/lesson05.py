"""Lesson 05 (backpropagation): the chain rule on numbers, the backward pass of softmax +
cross-entropy, and the backward pass of a Dense layer."""

import numpy as np

from .core import Exercise, _fmt, check_function, check_value, compare_arrays, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 05.chain_rule
# z = w * x + b, a = sigmoid(z), L = (a - y)^2 with x = 1.5, w = 0.8, b = -0.2, y = 0.0


CHAIN_RULE_DW = float(lesson_solution("05.chain_rule"))  # dL/dw


def _check_chain_rule(value):
    x, w, b, y = 1.5, 0.8, -0.2, 0.0
    a = 1 / (1 + np.exp(-(w * x + b)))
    if not isinstance(value, (int, float, np.floating, np.integer)):
        return not_yet(f"the answer should be one number, got {type(value).__name__}")
    suspects = {
        "you computed dL/db (the factor dz/dw = x is missing).": 2 * (a - y) * a * (1 - a),
        "you computed dL/da only: multiply by da/dz = a(1 - a) and dz/dw = x.": 2 * (a - y),
        "the sigmoid's derivative a(1 - a) is missing.": 2 * (a - y) * x,
        "the sign is flipped: dL/da = 2(a - y), and a > y here.": -CHAIN_RULE_DW,
        "the factor 2 is missing: d/da (a - y)^2 = 2(a - y).": CHAIN_RULE_DW / 2,
    }
    for message, wrong in suspects.items():
        if np.isclose(value, wrong, rtol=1e-2):
            return not_yet(message)
    return check_value(value, CHAIN_RULE_DW, what="dL/dw", digits=3)


# --------------------------------------------------------------------------- 05.softmax_ce


softmax_ce_backward = lesson_solution("05.softmax_ce")


_rng = np.random.default_rng(5)
_SOFTMAX_CASES = [
    (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
    (_rng.normal(size=(4, 3)), np.array([2, 0, 1, 1])),
    (np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([1, 1])),  # needs the max trick
]


def _column_slip(p, labels):
    wrong = p.copy()
    wrong[:, labels] -= 1
    return wrong / len(labels)


def _check_softmax_ce(fn):
    z, labels = _SOFTMAX_CASES[1]
    expected = softmax_ce_backward(z, labels)
    p = expected * len(labels)
    p[np.arange(len(labels)), labels] += 1  # the probabilities themselves
    try:
        got = np.asarray(fn(z.copy(), labels.copy()), dtype=np.float64)
    except Exception as exc:
        return not_yet(f"your function raised {type(exc).__name__}: {exc}")
    suspects = [
        ("the sign is flipped: dL/dz = p - one_hot, not one_hot - p.", -expected),
        ("you forgot to divide by the batch size n (the loss is a mean).", expected * len(z)),
        ("you returned the probabilities p; subtract 1 at each sample's true class.", p),
        ("you returned p / n; subtract 1 at each sample's true class before dividing.", p / len(z)),
        (
            "p[:, labels] -= 1 subtracts 1 in whole columns (in every row, for every label). "
            "Subtract 1 once per row, at (row i, labels[i]): index rows and labels together.",
            _column_slip(p, labels),
        ),
    ]
    for message, wrong in suspects:
        if got.shape == wrong.shape and np.allclose(got, wrong):
            return not_yet(message)
    big, big_labels = _SOFTMAX_CASES[2]
    with np.errstate(all="ignore"):
        try:
            got_big = np.asarray(fn(big.copy(), big_labels.copy()), dtype=np.float64)
        except Exception:
            got_big = None
        if got_big is not None and got_big.shape == big.shape and not np.isfinite(got_big).all():
            return not_yet(
                "for logits like [1000, 0] your result has NaN or inf: np.exp(1000) overflows. "
                "Subtract each row's maximum from the logits before np.exp (the softmax does "
                "not change)."
            )
        return check_function(fn, softmax_ce_backward, _SOFTMAX_CASES, name="softmax_ce_backward")


# --------------------------------------------------------------------------- 05.dense_backward


dense_backward = lesson_solution("05.dense_backward")


def _check_dense_backward(fn):
    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2)))]
    cases.append((rng.normal(size=(1, 4)), rng.normal(size=(4, 4)), rng.normal(size=(1, 4))))
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for x, W, g in cases:
        try:
            got = fn(x.copy(), W.copy(), g.copy())
        except ValueError as exc:
            if "matmul" in str(exc) or "aligned" in str(exc):
                return not_yet(
                    f"a matrix product in dense_backward does not fit (x {x.shape}, W {W.shape}, "
                    f"grad_z {g.shape}). Write down the shape each gradient must have - "
                    f"dx like x, dW like W - and transpose the factor that makes the inner sizes "
                    f"match (e.g. grad_z @ W cannot give x's shape)."
                )
            return not_yet(f"dense_backward raised ValueError: {exc}")
        except Exception as exc:
            return not_yet(f"dense_backward raised {type(exc).__name__}: {exc}")
        if got is None:
            return not_yet("dense_backward returned None - did you forget a `return`?")
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return not_yet("return three arrays: dW, db, dx (in that order).")
        expected = dense_backward(x, W, g)
        for name, shape_of, a, e in zip(("dW", "db", "dx"), ("W", "b", "x"), got, expected):
            a = np.asarray(a)
            if a.shape != e.shape:
                tip = ""
                if name == "db" and a.shape == g.shape:
                    tip = " - sum grad_z over the batch (axis=0)"
                elif name == "dW" and a.shape == e.shape[::-1]:
                    tip = " - use x.T @ grad_z, not grad_z.T @ x"
                elif name == "dW" and a.shape == x.shape:
                    tip = (
                        " - that is the shape of x: you computed dL/dx in dW's place (the order "
                        "is dW, db, dx)"
                    )
                return not_yet(
                    f"{name} has shape {a.shape} but must have the shape of {shape_of}, "
                    f"{e.shape}{tip}."
                )
            problem = compare_arrays(a, e, f"{name} for x of shape {x.shape}")
            if problem:
                return not_yet(problem + f" (x = {_fmt(x)})")
    return ok("dW, db and dx are right (shapes and values).")


EXERCISES = [
    Exercise(
        id="05.chain_rule",
        title="The chain rule on numbers",
        check=_check_chain_rule,
        hint=[
            "Run the forward pass first (z, then a, then L) and write the numbers down; the "
            "backward pass reuses them.",
            "Write the three local derivatives along the path from L to w: dL/da, da/dz and "
            "dz/dw. The sigmoid's derivative is in lesson 02.",
            "Multiply them: dL/dw = 2(a - y) * a(1 - a) * x. Give at least 3 significant digits.",
        ],
    ),
    Exercise(
        id="05.softmax_ce",
        title="Backward pass of softmax + cross-entropy",
        check=_check_softmax_ce,
        hint=[
            "The lesson derives the gradient of softmax + cross-entropy with respect to the "
            "logits: it is a surprisingly simple difference between two matrices.",
            "Compute the probabilities p row by row with a stable softmax (subtract each row's"
            " max first). The gradient is (p - one_hot(labels)) / n.",
            "Subtract 1 only at each row's true class: index with (np.arange(n), labels) "
            "together - indexing with labels alone hits whole columns. Divide by n at the end.",
        ],
    ),
    Exercise(
        id="05.dense_backward",
        title="Backward pass of a Dense layer",
        check=_check_dense_backward,
        hint=[
            "Each gradient has the shape of the thing it belongs to: dW like W, db like b, dx "
            "like x. Use the shapes to decide the order of the products.",
            "dW combines the inputs x and grad_z (shape (in, out)); db adds grad_z up over the"
            " batch; dx sends grad_z back through W (shape (batch, in)).",
            "dW = x.T @ grad_z, db = the sum of grad_z over axis 0, dx = grad_z times the "
            "transpose of W. Return the three in that order.",
        ],
    ),
]
