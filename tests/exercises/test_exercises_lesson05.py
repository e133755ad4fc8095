"""Lesson 05 exercises: references pass, typical mistakes get a message naming the problem."""

import linecache

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson05 as L


@pytest.mark.parametrize("ex", L.EXERCISES, ids=lambda e: e.id)
def test_reference_passes(ex):
    assert run(ex.id, ex.reference)


def test_chain_rule_reference_matches_finite_differences():
    def loss(w):
        a = 1 / (1 + np.exp(-(w * 1.5 - 0.2)))
        return (a - 0.0) ** 2

    assert np.isclose(L.CHAIN_RULE_DW, (loss(0.8 + 1e-6) - loss(0.8 - 1e-6)) / 2e-6)


def _a():
    return 1 / (1 + np.exp(-1.0))


@pytest.mark.parametrize(
    "wrong, words",
    [
        # the known mistakes (lesson05's table): tests/exercises/test_exercise_mistakes.py
        (0.5, "dL/dw = 0.5 is too large"),
        ("0.3", "one number"),
    ],
)
def test_chain_rule_mistakes(wrong, words):
    result = run("05.chain_rule", wrong)
    assert not result and words in result.message


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "wrong, words",
    [
        # the known mistakes (lesson05's table): tests/exercises/test_exercise_mistakes.py
        (lambda z, t: None, "None"),
        (lambda z, t: _softmax(z)[:, :1], "shape"),
    ],
)
def test_softmax_ce_mistakes(wrong, words):
    result = run("05.softmax_ce", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize("wrong", [0.5, 0.9, 0.2, 0.001, 100.0, -0.2, 0.43, 0.432, 0.4, 0.45])
def test_chain_rule_wrong_numbers_never_show_the_answer(wrong):
    res = run("05.chain_rule", wrong)
    assert not res
    for shown in ("0.431", "0.4312", f"{L.CHAIN_RULE_DW:.6g}", "431"):
        assert shown not in res.message, (wrong, res.message)
    assert "3 significant digits" in res.message


@pytest.mark.parametrize("good", [0.431, 0.4312, 0.43121, np.float32(0.431205), 0.4315 - 1e-12])
def test_chain_rule_accepts_a_calculator_answer_to_3_significant_digits(good):
    assert L.CHAIN_RULE_DW == pytest.approx(0.431205, abs=1e-6)  # the tolerance below is for it
    assert run("05.chain_rule", good)


def test_chain_rule_a_2_digit_answer_is_told_the_precision():
    res = run("05.chain_rule", 0.43)
    assert not res and "right to 2 significant digits, but not to 3" in res.message
    res = run("05.chain_rule", 0.432)  # wrongly rounded
    assert not res and "check how you rounded" in res.message


def test_softmax_ce_column_indexing_slip_is_named():
    def columns(z, labels):
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        p[:, labels] -= 1
        return p / len(labels)

    res = run("05.softmax_ce", columns)
    assert not res and "p[:, labels]" in res.message and "once per row" in res.message


def test_softmax_ce_without_the_max_shift_is_named():
    def no_shift(z, labels):
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p / len(labels)

    with np.errstate(all="ignore"):
        res = run("05.softmax_ce", no_shift)
    assert not res and "overflows" in res.message and "maximum" in res.message


def test_chain_rule_missing_factor_2_is_named():
    a = _a()
    res = run("05.chain_rule", (a - 0.0) * a * (1 - a) * 1.5)
    assert not res and "factor 2" in res.message


# --------------------------------------------------------------------------- 05.layers
# A learner's cell is the model solution with one line changed: exec it like a notebook cell and
# hand its backward_pass to the check (which finds Dense and ReLU next to it).

LAYERS_SOURCE = L.EXERCISES[2].solution_source()


def _layers(*replacements, in_linecache=False):
    """The learner's cell run; ``in_linecache``: its source is known to tracebacks, as IPython
    does for a notebook cell."""
    source = LAYERS_SOURCE
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    filename = f"<learner cell {abs(hash(source))}>"
    if in_linecache:
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["backward_pass"]


def test_layers_solution_has_no_markers_and_passes_as_a_learner_cell():
    assert "SOLUTION" not in LAYERS_SOURCE
    res = run("05.layers", _layers())
    assert res and "nnlib.nn" in res.message and "1e-8" in res.message


@pytest.mark.parametrize(
    "change, words",
    [
        # Dense.backward: g @ W instead of g @ W.T (a raw ValueError before): which transpose
        (("grad_out @ self.W.T", "grad_out @ self.W"), ["does not fit", "W needs the transpose"]),
        (("self.x.T @ grad_out", "self.x @ grad_out"), ["does not fit", "x needs the transpose"]),
        # dL/dx stored where dL/dW belongs
        (
            ("self.dW = self.x.T @ grad_out", "self.dW = grad_out @ self.W.T"),
            ["self.dW holds dL/dx"],
        ),
        # dL/dW returned instead of dL/dx
        (("return grad_out @ self.W.T", "return self.dW"), ["returned dL/dW", "self.dW"]),
        (("self.x.T @ grad_out", "(grad_out.T @ self.x)"), ["transposed", "x.T @ grad_out"]),
        (("grad_out.sum(axis=0)", "grad_out"), ["one row per sample", "axis=0"]),
        (("grad_out.sum(axis=0)", "grad_out.mean(axis=0)"), ["mean", "sum"]),
        (("self.x.T @ grad_out", "self.x.T @ grad_out / len(self.x)"), ["batch size", "grad_out"]),
        (("        self.x = x  # the backward pass needs the input\n", ""), ["self.x = x"]),
        (("return x @ self.W + self.b", "x @ self.W + self.b"), ["Dense.forward returned None"]),
        (("return grad_out @ self.W.T", "grad_out @ self.W.T"), ["returns None", "grad_out @ W.T"]),
        (("self.dW = self.x.T @ grad_out", "dW = self.x.T @ grad_out"), ["self.dW"]),
        # ReLU
        (("return grad_out * self.mask", "return grad_out"), ["unchanged", "z <= 0"]),
        (("return grad_out * self.mask", "return self.mask * 1.0"), ["derivative alone"]),
        (("return grad_out * self.mask", "return grad_out * ~self.mask"), ["other way round"]),
        (
            (
                "self.mask = z > 0  # where the gradient may pass\n"
                "        return np.where(self.mask, z, 0.0)",
                "return np.maximum(0, z)",
            ),
            ["Store in forward"],
        ),
        # the reverse loop
        (("for layer in reversed(layers):", "for layer in layers:"), ["reversed(layers)"]),
        (("grad = layer.backward(grad)", "layer.backward(grad)"), ["grad = layer.backward(grad)"]),
        (("    return grad\n", ""), ["backward_pass returned None"]),
    ],
)
def test_layers_mistakes_are_named(change, words):
    res = run("05.layers", _layers(change))
    assert not res, change
    for w in words:
        assert w in res.message, (change, res.message)
    assert "Traceback" not in res.message


@pytest.mark.parametrize("in_linecache", [False, True], ids=["no source", "notebook cell"])
@pytest.mark.parametrize(
    "change, which",
    [
        (("grad_out @ self.W.T", "grad_out @ self.W"), "W needs the transpose"),
        (("self.x.T @ grad_out", "self.x @ grad_out"), "x needs the transpose"),
    ],
)
def test_layers_shape_error_names_the_transpose(change, which, in_linecache):
    res = run("05.layers", _layers(change, in_linecache=in_linecache))
    assert not res and which in res.message and "matmul" not in res.message
    assert ("fails" in res.message) == in_linecache  # the failing line is shown when known


def test_layers_square_W_hides_a_missing_transpose_from_the_shapes():
    """grad_out @ W without .T but reshaped to fit: only the values can tell (square W)."""
    fn = _layers(
        (
            "return grad_out @ self.W.T",
            "return (grad_out @ self.W.T) if self.W.shape[0] "
            "!= self.W.shape[1] else grad_out @ self.W",
        )
    )
    res = run("05.layers", fn)
    assert not res and "square" in res.message and "W.T" in res.message


def test_layers_wrong_argument_and_missing_classes():
    res = run("05.layers", L.EXERCISES[2].reference.__globals__["Dense"])
    assert not res and "backward_pass" in res.message
    namespace = {}
    exec("def backward_pass(layers, grad):\n    return grad", namespace)
    res = run("05.layers", namespace["backward_pass"])
    assert not res and "Dense and ReLU not found" in res.message


def test_layers_student_copy_stub_says_not_yet():
    """The student copy: every method body is `...` (returns None)."""
    namespace = {}
    exec(
        "class Dense:\n    def __init__(self, W, b):\n        self.W, self.b = W, b\n"
        "    def forward(self, x):\n        ...\n    def backward(self, g):\n        ...\n"
        "class ReLU:\n    def forward(self, z):\n        ...\n    def backward(self, g):\n"
        "        ...\ndef backward_pass(layers, grad):\n    ...\n",
        namespace,
    )
    res = run("05.layers", namespace["backward_pass"])
    assert not res and "Dense.forward returned None" in res.message


def test_layers_check_compares_with_nnlib_to_1e_8():
    """A gradient off by 1e-6 (far below what compare_arrays' default rtol would see) fails."""
    fn = _layers(("self.db = grad_out.sum(axis=0)", "self.db = grad_out.sum(axis=0) + 1e-6"))
    res = run("05.layers", fn)
    # the layer test (rtol 1e-5) lets it through; the network comparison with nnlib does not
    assert not res and "nnlib.nn" in res.message


# --------------------------------------------------------------------------- 05.debug_backward

DEBUG_SOURCE = L.EXERCISES[3].solution_source()


def _debug(*replacements):
    source = DEBUG_SOURCE
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np}
    exec(source, namespace)
    return namespace["fixed_grads"]


def test_debug_the_lessons_buggy_function_is_not_accepted():
    """The buggy function as the lesson gives it: both bugs named, factor 2 first."""
    res = run("05.debug_backward", _debug(("2 * (out - T)", "(out - T)"), ("dZ1.sum", "dA1.sum")))
    assert not res and "factor 2" in res.message and "0.33" in res.message


@pytest.mark.parametrize(
    "changes, words",
    [
        ([("dZ1.sum", "dA1.sum")], ["db1 still sums dA1", "before the ReLU"]),
        ([("2 * (out - T)", "(out - T)")], ["factor 2 is missing"]),
        (
            [("2 * (out - T)", "(out - T)"), ("dW2 = A1.T @ d_out", "dW2 = 2 * A1.T @ d_out")],
            ["factor 2 is missing"],
        ),
        ([("dW2 = A1.T @ d_out", "dW2 = 2 * A1.T @ d_out")], ["dW2 are off by a factor 2"]),
        ([("dZ1 = dA1 * (Z1 > 0)", "dZ1 = dA1")], ["dW1 ignores the ReLU", "dZ1 = dA1 * (Z1 > 0)"]),
        (
            [("dW1 = X.T @ dZ1", "dW1 = X.T @ dZ1 + 0.01")],
            ["still wrong", "dW1", "gradient_report"],
        ),
        ([("return loss, [dW1, db1, dW2, db2]", "return [dW1, db1, dW2, db2]")], ["loss, [dW1"]),
        ([("loss = np.mean((out - T) ** 2)", "loss = np.sum((out - T) ** 2)")], ["loss changed"]),
        ([("db1 = dZ1.sum(axis=0)", "db1 = dZ1")], ["db1 has shape"]),
    ],
)
def test_debug_mistakes_are_named(changes, words):
    res = run("05.debug_backward", _debug(*changes))
    assert not res, changes
    for w in words:
        assert w in res.message, (changes, res.message)


def test_debug_stub_and_none():
    assert "returned None" in run("05.debug_backward", lambda *a: None).message
    assert "expected the function" in run("05.debug_backward", 3).message


def test_debug_accepts_another_correct_version():
    """Written differently from the model solution: the mean's 2/N applied at the end."""

    def other(X, T, W1, b1, W2, b2):
        Z1 = X @ W1 + b1
        A1 = Z1 * (Z1 > 0)
        out = A1 @ W2 + b2
        r = out - T
        dA1 = r @ W2.T
        dZ1 = np.where(Z1 > 0, dA1, 0.0)
        k = 2 / r.size
        return float((r**2).mean()), [k * X.T @ dZ1, k * dZ1.sum(0), k * A1.T @ r, k * r.sum(0)]

    assert run("05.debug_backward", other)
