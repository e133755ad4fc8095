"""Lesson 05 (backpropagation): the chain rule on numbers, the backward pass of softmax +
cross-entropy, layers with forward/backward and the reverse loop (checked against nnlib.nn), and
a broken backward pass to debug with a gradient check."""

import re
import traceback

import numpy as np

from .. import nn
from .core import (
    CheckResult,
    Exercise,
    Mistake,
    _fmt,
    compare_arrays,
    not_yet,
    ok,
)
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 05.chain_rule
# z = w * x + b, a = sigmoid(z), L = (a - y)^2 with x = 1.5, w = 0.8, b = -0.2, y = 0.0


CHAIN_RULE_DW = float(lesson_solution("05.chain_rule"))  # dL/dw


_X, _W, _B, _Y = 1.5, 0.8, -0.2, 0.0
_A = 1 / (1 + np.exp(-(_W * _X + _B)))
_CHAIN_RULE_MISTAKES = [
    Mistake(
        "dL/db",
        2 * (_A - _Y) * _A * (1 - _A),
        "you computed dL/db (the factor dz/dw = x is missing).",
    ),
    Mistake(
        "dL/da",
        2 * (_A - _Y),
        "you computed dL/da only: multiply by da/dz = a(1 - a) and dz/dw = x.",
    ),
    Mistake("no sigmoid'", 2 * (_A - _Y) * _X, "the sigmoid's derivative a(1 - a) is missing."),
    Mistake("sign", -CHAIN_RULE_DW, "the sign is flipped: dL/da = 2(a - y), and a > y here."),
    Mistake("no 2", CHAIN_RULE_DW / 2, "the factor 2 is missing: d/da (a - y)^2 = 2(a - y)."),
]


# --------------------------------------------------------------------------- 05.softmax_ce


softmax_ce_backward = lesson_solution("05.softmax_ce")

_rng = np.random.default_rng(5)
_SOFTMAX_CASES = [
    (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
    (_rng.normal(size=(4, 3)), np.array([2, 0, 1, 1])),
    (np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([1, 1])),  # needs the max trick
]


def _probs(z, shift=True):
    e = np.exp(z - z.max(axis=1, keepdims=True) if shift else z)
    return e / e.sum(axis=1, keepdims=True)


def _grad(p, labels):
    p = p.copy()
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


def _column_slip(z, labels):
    wrong = _probs(z)
    wrong[:, labels] -= 1
    return wrong / len(labels)


_SOFTMAX_MISTAKES = [  # the overflow first: without the max trick, every wrong formula gives NaN
    Mistake(
        "overflow",
        lambda z, labels: _grad(_probs(z, shift=False), labels),
        "for logits like [1000, 0] your result has NaN or inf: np.exp(1000) overflows. "
        "Subtract each row's maximum from the logits before np.exp (the softmax does not change).",
    ),
    Mistake(
        "sign",
        lambda z, labels: -_grad(_probs(z), labels),
        "the sign is flipped: dL/dz = p - one_hot, not one_hot - p.",
    ),
    Mistake(
        "no mean",
        lambda z, labels: _grad(_probs(z), labels) * len(z),
        "you forgot to divide by the batch size n (the loss is a mean).",
    ),
    Mistake(
        "p",
        lambda z, labels: _probs(z),
        "you returned the probabilities p; subtract 1 at each sample's true class.",
    ),
    Mistake(
        "p / n",
        lambda z, labels: _probs(z) / len(z),
        "you returned p / n; subtract 1 at each sample's true class before dividing.",
    ),
    Mistake(
        "labels as one-hot",
        lambda z, labels: (_probs(z) - labels) / len(labels),
        "you subtracted the labels vector itself from p: labels holds one INTEGER class per "
        "row (e.g. [2, 0, 1, 1]), not a one-hot matrix, so NumPy spread it along every row. "
        "Subtract 1 only at (row i, class labels[i]), or build the one-hot matrix first.",
    ),
    Mistake(
        "columns",
        _column_slip,
        "p[:, labels] -= 1 subtracts 1 in whole columns (in every row, for every label). "
        "Subtract 1 once per row, at (row i, labels[i]): index rows and labels together.",
    ),
]


# --------------------------------------------------------------------------- 05.layers

_HINT_PASS = (
    "check takes your backward_pass: check('05.layers', backward_pass). It finds your classes "
    "Dense and ReLU next to it (define all three in the exercise cell and run it)."
)


def _failing_line(exc):
    """The source line of the learner's code where ``exc`` was raised (or '')."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.line and "nnlib/exercises" not in frame.filename.replace("\\", "/"):
            return frame.line.strip()
    return ""


def _matmul_message(exc, where, x_shape, W_shape, g_shape):
    """A shape error in a matrix product of Dense.backward, in words: which factor to transpose.

    The failing line (a notebook cell's source is in linecache) says which product it is; without
    it, the sizes in NumPy's message do: the batch size among them means x was not transposed."""
    line = _failing_line(exc)
    shown = f" The line `{line}` fails." if line else ""
    facts = f"x is {x_shape}, W is {W_shape}, grad_out is {g_shape}."
    rhs = re.sub(r"^\s*(return\s+|[\w.\[\], ]+=(?!=))", "", line)  # the expression
    found = re.search(r"size (\d+) is different from (\d+)", str(exc))
    sizes = {int(v) for v in found.groups()} if found else set()
    if line:
        about_W = re.search(r"\bW\b(?!\s*\.\s*T)", rhs) is not None
        about_x = not about_W and re.search(r"\bx\b(?!\s*\.\s*T)", rhs) is not None
    else:
        about_x = x_shape[0] in sizes
        about_W = bool(sizes) and not about_x
    if about_W:
        fix = (
            f"dx must have x's shape {x_shape}: (batch, out) @ (out, in) - that is grad_out @ "
            f"W.T. W itself is (in, out), so grad_out @ W does not fit: W needs the transpose."
        )
    elif about_x:
        fix = (
            f"dW must have W's shape {W_shape}: (in, batch) @ (batch, out) - that is x.T @ "
            f"grad_out. x itself is (batch, in): x needs the transpose."
        )
    else:
        fix = (
            f"dW must have W's shape {W_shape} (x.T @ grad_out) and dx x's shape {x_shape} "
            f"(grad_out @ W.T): transpose the factor that makes the inner sizes match."
        )
    return not_yet(f"a matrix product in {where} does not fit.{shown} {facts} {fix}")


def _raised(where, err):
    """The message for an exception ``err`` from the learner's method ``where``."""
    if isinstance(err, CheckResult):
        return err
    return not_yet(f"{where} raised {type(err).__name__}: {err}")


def _call(where, fn, *args):
    """``(result, None)`` or ``(None, CheckResult)`` naming what went wrong in the learner's
    method ``where``."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, not_yet(f"{where} is not written yet (it raises NotImplementedError).")
    except Exception as exc:  # every learner error becomes a message
        return None, exc


def _check_dense(Dense):
    rng = np.random.default_rng(11)
    x, W, b, g = (rng.normal(size=s) for s in [(5, 3), (3, 2), (2,), (5, 2)])
    try:
        layer = Dense(W.copy(), b.copy())
    except Exception as exc:
        return not_yet(f"Dense(W, b) raised {type(exc).__name__}: {exc} - keep the given __init__.")
    out, err = _call("Dense.forward", layer.forward, x.copy())
    if err is not None:
        return _raised("Dense.forward", err)
    if out is None:
        return not_yet(
            "Dense.forward returned None - return x @ self.W + self.b (after storing x for "
            "the backward pass)."
        )
    problem = compare_arrays(out, x @ W + b, f"Dense.forward(x) for x of shape {x.shape}")
    if problem:
        return not_yet(problem)
    dx, err = _call("Dense.backward", layer.backward, g.copy())
    if isinstance(err, CheckResult):
        return err
    if isinstance(err, AttributeError) and "'x'" in str(err):
        return not_yet(
            "Dense.backward needs the input of the forward pass, but forward did not store it: "
            "add self.x = x in forward."
        )
    if isinstance(err, ValueError) and ("matmul" in str(err) or "aligned" in str(err)):
        return _matmul_message(err, "Dense.backward", x.shape, W.shape, g.shape)
    if err is not None:
        return not_yet(f"Dense.backward raised {type(err).__name__}: {err}")
    want_dW, want_db, want_dx = x.T @ g, g.sum(axis=0), g @ W.T
    missing = [n for n in ("dW", "db") if not hasattr(layer, n)]
    if dx is None:
        if not missing and _same(layer.dW, want_dW):
            return not_yet(
                "Dense.backward stores dW and db but returns None: return dL/dx = grad_out @ "
                "W.T - the previous layer needs it."
            )
        return not_yet(
            "Dense.backward returned None: it must return dL/dx (shape of x), the grad_out "
            "of the layer before."
        )
    if missing:
        return not_yet(
            f"Dense.backward must store the parameter gradients as self.dW and self.db; "
            f"{' and '.join('self.' + n for n in missing)} not found."
        )
    dW, db = np.asarray(layer.dW, dtype=float), np.asarray(layer.db, dtype=float)
    dx = np.asarray(dx, dtype=float)
    if _same(dW, want_dx):
        return not_yet(
            f"self.dW holds dL/dx (shape {x.shape}, like x): you computed the input's gradient "
            f"where the weights' belongs. dW has W's shape {W.shape}: x.T @ grad_out."
        )
    if _same(dx, want_dW):
        return not_yet(
            f"backward returned dL/dW (shape {W.shape}, like W). It must return dL/dx (shape "
            f"{x.shape}, grad_out @ W.T) and store dL/dW in self.dW."
        )
    if dW.shape == W.shape[::-1] and _same(dW.T, want_dW):
        return not_yet(
            f"self.dW is transposed ({dW.shape}): use x.T @ grad_out, not grad_out.T @ x."
        )
    if db.shape == g.shape:
        return not_yet("self.db has one row per sample: sum grad_out over the batch (axis=0).")
    if _same(db, g.mean(axis=0)):
        return not_yet(
            "self.db is the mean of grad_out over the batch: the gradient is the sum (every "
            "sample adds its own path; the 1/n of the loss is already inside grad_out)."
        )
    n = len(x)
    if _same(dW * n, want_dW):
        return not_yet(
            f"self.dW is divided by the batch size ({n} times too small): do not divide in "
            f"backward - the 1/n of the mean is already inside grad_out, the gradient of the loss."
        )
    for name, got, want, like in (("self.dW", dW, want_dW, "W"), ("self.db", db, want_db, "b")):
        if got.shape != want.shape:
            return not_yet(
                f"{name} has shape {got.shape} but must have the shape of {like}, {want.shape}."
            )
        problem = compare_arrays(got, want, f"{name} for x of shape {x.shape}")
        if problem:
            return not_yet(problem)
    if dx.shape != x.shape:
        return not_yet(f"backward returned shape {dx.shape}; dL/dx must have x's shape {x.shape}.")
    problem = compare_arrays(
        dx, want_dx, f"the dL/dx that Dense.backward returns for x of shape {x.shape}"
    )
    if problem:
        return not_yet(problem)
    # a square W: grad_out @ W fits the shapes but is the wrong product
    xs, Ws, gs = rng.normal(size=(2, 4)), rng.normal(size=(4, 4)), rng.normal(size=(2, 4))
    layer = Dense(Ws.copy(), np.zeros(4))
    layer.forward(xs.copy())
    dx_s, err = _call("Dense.backward", layer.backward, gs.copy())
    if err is None and dx_s is not None and _same(dx_s, gs @ Ws) and not _same(dx_s, gs @ Ws.T):
        return not_yet(
            "for a square W (4, 4) Dense.backward returns grad_out @ W: it only fits because "
            "W is square. dL/dx_i = sum_j grad_j W_ij - that is grad_out @ W.T."
        )
    return None


def _check_relu(ReLU):
    z = np.array([[1.5, -2.0, 0.3], [-0.1, 2.5, -3.0]])
    g = np.array([[0.2, -0.4, 1.0], [0.7, -0.5, 0.9]])
    try:
        layer = ReLU()
    except Exception as exc:
        return not_yet(f"ReLU() raised {type(exc).__name__}: {exc} - ReLU takes no arguments.")
    out, err = _call("ReLU.forward", layer.forward, z.copy())
    if err is not None:
        return _raised("ReLU.forward", err)
    if out is None:
        return not_yet("ReLU.forward returned None - return max(0, z) entry by entry.")
    problem = compare_arrays(out, np.maximum(0, z), f"ReLU.forward(z) for z = {_fmt(z)}")
    if problem:
        return not_yet(problem)
    got, err = _call("ReLU.backward", layer.backward, g.copy())
    if isinstance(err, AttributeError):
        return not_yet(
            f"ReLU.backward raised AttributeError: {err}. Store in forward what backward needs "
            f"(where z > 0, e.g. self.mask = z > 0)."
        )
    if err is not None:
        return _raised("ReLU.backward", err)
    if got is None:
        return not_yet("ReLU.backward returned None - return the gradient for the layer before.")
    got = np.asarray(got, dtype=float)
    if got.shape == z.shape:
        if _same(got, g):
            return not_yet(
                "ReLU.backward passes grad_out through unchanged: where z <= 0 the ReLU is flat, "
                "so the gradient there is 0 (multiply by 1 where z > 0, 0 elsewhere)."
            )
        if _same(got, (z > 0).astype(float)):
            return not_yet(
                "ReLU.backward returns the ReLU's derivative alone: multiply the incoming "
                "grad_out by it (the chain rule)."
            )
        if _same(got, g * (z < 0)):
            return not_yet(
                "ReLU.backward lets the gradient through where z < 0: it is the other way round."
            )
    problem = compare_arrays(
        got, g * (z > 0), f"ReLU.backward(grad_out) after forward(z = {_fmt(z)})"
    )
    return not_yet(problem) if problem else None


def _same(a, b):
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-10)


def _network(Dense, ReLU, rng):
    W1, b1, W2, b2 = (rng.normal(size=s) for s in [(3, 4), (4,), (4, 2), (2,)])
    layers = [Dense(W1.copy(), b1.copy()), ReLU(), Dense(W2.copy(), b2.copy())]
    return layers, [W1, b1, W2, b2]


def _check_layers(fn):
    if isinstance(fn, type) or not callable(fn):
        return not_yet(f"got {getattr(fn, '__name__', type(fn).__name__)}. {_HINT_PASS}")
    names = getattr(fn, "__globals__", {})
    Dense, ReLU = names.get("Dense"), names.get("ReLU")
    if Dense is None or ReLU is None:
        missing = " and ".join(n for n, c in (("Dense", Dense), ("ReLU", ReLU)) if c is None)
        return not_yet(f"{missing} not found. {_HINT_PASS}")
    for problem in (_check_dense(Dense), _check_relu(ReLU)):
        if problem is not None:
            return problem
    # the whole network: the learner's layers and loop against nnlib.nn
    from nnlib import nn

    rng = np.random.default_rng(12)
    layers, weights = _network(Dense, ReLU, rng)
    x, target = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    out = x
    for layer in layers:
        out = layer.forward(out)
    grad = nn.losses.mse_grad(target, out)
    order, received, returned = [], [], []
    for k, layer in enumerate(layers):

        def recording(g, k=k, method=layer.backward):
            order.append(k)
            received.append(g)
            returned.append(method(g))
            return returned[-1]

        layer.backward = recording
    start = grad.copy()
    not_chained = (
        "each layer must receive what the layer after it returned: grad = layer.backward(grad) "
        "inside the loop (not the network's grad every time)."
    )
    try:
        dx = fn(layers, start)
    except Exception as exc:
        if order and order[0] == 0:
            return not_yet(
                f"backward_pass called layer 0 first, which raised {type(exc).__name__}. Go "
                f"through the layers last to first: for layer in reversed(layers)."
            )
        if len(received) >= 2 and _same(received[1], start):
            return not_yet(not_chained)
        return not_yet(f"backward_pass(layers, grad) raised {type(exc).__name__}: {exc}")
    if order != [2, 1, 0]:
        if sorted(order) == [0, 1, 2]:
            return not_yet(
                f"backward_pass called the layers in the order {order}; the backward pass goes "
                f"last to first: [2, 1, 0] (reversed(layers))."
            )
        return not_yet(
            f"backward_pass called backward on layers {order} of a 3-layer network [Dense, "
            f"ReLU, Dense]: call every layer's backward once, last layer first."
        )
    for i in (1, 2):
        if received[i] is not returned[i - 1] and not _same(received[i], returned[i - 1]):
            return not_yet(not_chained)
    if dx is None:
        return not_yet(
            "backward_pass returned None: return the last gradient, dL/d(network input)."
        )
    model = nn.Sequential([nn.Dense(4, "relu", input_dim=3), nn.Dense(2)], dtype="float64")
    model.compile(nn.SGD(0.1), loss="mse")
    model.set_weights(weights)
    want_dx = model.backward(nn.losses.mse_grad(target, model.forward(x)))
    want = dict(zip(["dW1", "db1", "dW2", "db2"], model.grads()))
    got = {"dW1": layers[0].dW, "db1": layers[0].db, "dW2": layers[2].dW, "db2": layers[2].db}
    worst = 0.0
    for name in want:
        problem = compare_arrays(
            got[name], want[name], f"{name} (nnlib.nn's, same weights)", rtol=0, atol=1e-8
        )
        if problem:
            return not_yet(problem)
        worst = max(worst, float(np.max(np.abs(np.asarray(got[name]) - want[name]))))
    problem = compare_arrays(dx, want_dx, "the dL/dx that backward_pass returns", rtol=0, atol=1e-8)
    if problem:
        return not_yet(problem)
    worst = max(worst, float(np.max(np.abs(np.asarray(dx) - want_dx))))
    return ok(
        f"Dense, ReLU and backward_pass give the same gradients as nnlib.nn on a network "
        f"Dense(3→4), ReLU, Dense(4→2) with mean squared error: largest difference {worst:.1e} "
        f"(tolerance 1e-8)."
    )


# --------------------------------------------------------------------------- 05.debug_backward

DEBUG_TOL = 1e-6


def _debug_case(seed):
    rng = np.random.default_rng(seed)
    X, T = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    return X, T, [rng.normal(size=shape) for shape in [(3, 5), 5, (5, 2), 2]]  # W1 b1 W2 b2


def _debug_truth(X, T, W1, b1, W2, b2):
    """The loss, the finite-difference gradients and the two slips' db1 (for messages)."""
    from nnlib import nn

    def loss():
        out = np.maximum(0, X @ W1 + b1) @ W2 + b2
        return float(np.mean((out - T) ** 2))

    params = [W1, b1, W2, b2]
    return loss(), [nn.numerical_gradient(loss, p) for p in params]


def _check_debug(fn):
    from nnlib import nn

    if not callable(fn):
        return not_yet(f"expected the function fixed_grads, got {type(fn).__name__}")
    X, T, params = _debug_case(21)
    try:
        result = fn(X.copy(), T.copy(), *[p.copy() for p in params])
    except NotImplementedError:
        return not_yet("fixed_grads is not written yet (it raises NotImplementedError).")
    except Exception as exc:
        return not_yet(f"fixed_grads raised {type(exc).__name__}: {exc}")
    if result is None:
        return not_yet(
            "fixed_grads returned None: copy the body of buggy_grads into it, fix it, and keep "
            "its last line, return loss, [dW1, db1, dW2, db2]."
        )
    if not (isinstance(result, (tuple, list)) and len(result) == 2 and len(result[1]) == 4):
        return not_yet("return the same as buggy_grads: loss, [dW1, db1, dW2, db2].")
    loss, grads = result
    want_loss, numeric = _debug_truth(X, T, *params)
    if not np.isclose(float(loss), want_loss, rtol=1e-8):
        return not_yet(
            "the loss changed: keep loss = np.mean((out - T) ** 2); the bugs are in the gradients."
        )
    names = ["dW1", "db1", "dW2", "db2"]
    errors, shapes = {}, {}
    for name, p, g, num in zip(names, params, grads, numeric):
        g = np.asarray(g, dtype=float)
        if g.shape != p.shape:
            shapes[name] = (g.shape, p.shape)
            continue
        errors[name] = nn.relative_error(g, num)
    if shapes:
        name, (got, want) = next(iter(shapes.items()))
        return not_yet(f"{name} has shape {got}, but must have the shape of its parameter, {want}.")
    wrong = [n for n in names if errors[n] > DEBUG_TOL]
    if not wrong:
        worst = max(errors.values())
        return ok(
            f"all four gradients agree with finite differences (largest relative error "
            f"{worst:.0e}, tolerance {DEBUG_TOL:g})."
        )
    halves = [n for n in names if abs(errors[n] - 1 / 3) < 1e-4]
    if len(halves) >= 3:
        return not_yet(
            f"{', '.join(halves)} are still half their true size (relative error 0.33 each): "
            f"the factor 2 is missing. The derivative of the mean of (out - T)^2 is "
            f"2 (out - T) / out.size."
        )
    if halves:  # the factor 2 put on some gradients only
        return not_yet(
            f"{', '.join(halves)} are off by a factor 2 (relative error 0.33) while the other "
            f"gradients are right: put the factor 2 in one place, d_out, not on single gradients."
        )
    W1, b1, W2, b2 = params
    Z1 = X @ W1 + b1
    d_out = 2 * (np.maximum(0, Z1) @ W2 + b2 - T) / T.size
    dA1 = d_out @ W2.T
    if "dW1" in wrong and _same(grads[0], X.T @ dA1):
        return not_yet(
            "dW1 ignores the ReLU: it uses dA1, the gradient after the ReLU. Multiply by the "
            "ReLU's derivative first, dZ1 = dA1 * (Z1 > 0), and build dW1 and db1 from dZ1."
        )
    if wrong == ["db1"]:
        if _same(grads[1], dA1.sum(axis=0)):
            return not_yet(
                "db1 still sums dA1, the gradient after the ReLU. b1 sits before the ReLU "
                "(Z1 = X W1 + b1), so its gradient is dZ1 - dA1 with the ReLU's mask - summed "
                "over the batch."
            )
    right = [n for n in names if n not in wrong]
    shown = ", ".join(f"{n} {errors[n]:.1e}" for n in wrong)
    return not_yet(
        f"still wrong (relative error against finite differences, want < {DEBUG_TOL:g}): "
        f"{shown}. Right already: {', '.join(right) or 'none'}. Run gradient_report(fixed_grads) "
        f"after each change."
    )


EXERCISES = [
    Exercise(
        id="05.chain_rule",
        mistakes=_CHAIN_RULE_MISTAKES,
        digits=3,
        what="dL/dw",
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
        cases=_SOFTMAX_CASES,
        mistakes=_SOFTMAX_MISTAKES,
        name="softmax_ce_backward",
        forbid=(
            nn.softmax,
            nn.sparse_categorical_crossentropy_grad,
            nn.categorical_crossentropy_grad,
        ),
        forbid_reason="the task asks you to compute the softmax (and the gradient) yourself",
        inputs="logits is a (n, classes) array of floats; labels is a vector of n INTEGER class "
        "indices (not one-hot): one-hot them yourself, or subtract 1 at (np.arange(n), labels). "
        "Use only these two arguments (not the lesson's Y). Return an (n, classes) array.",
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
        id="05.layers",
        check=_check_layers,
        hint=[
            "Each method has one job. forward: compute the output and keep (on self) whatever "
            "backward will need. backward: turn the gradient of the output into the gradient "
            "of the input, and keep the parameters' gradients on self.",
            "Dense.forward keeps the input x; Dense.backward uses the table of section 3 with "
            "G = grad_out (dW like W, db like b, the return value like x). ReLU.forward keeps "
            "where z > 0; its backward lets grad_out through only there. backward_pass is "
            "forward_pass run the other way.",
            "Dense: self.x = x; return x @ self.W + self.b. backward: self.dW = self.x.T @ "
            "grad_out, self.db = grad_out.sum(axis=0), return grad_out @ self.W.T. ReLU: "
            "self.mask = z > 0 and return grad_out * self.mask. Loop: for layer in "
            "reversed(layers): grad = layer.backward(grad); then return grad.",
        ],
    ),
    Exercise(
        id="05.debug_backward",
        check=_check_debug,
        hint=[
            "Read the report, not the code: a relative error of exactly 0.333 means a gradient "
            "is off by a factor 2 everywhere; a different number means a bug of its own in that "
            "gradient's line.",
            "Three gradients are off by the same factor: the bug must be in what they share, "
            "d_out (differentiate mean((out - T)^2) again). The fourth belongs to the first "
            "layer's bias: which array should be summed, the one before or after the ReLU?",
            "d_out = 2 * (out - T) / out.size, and db1 = dZ1.sum(axis=0) (not dA1).",
        ],
    ),
]
