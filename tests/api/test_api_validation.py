"""Every argument of every public nnlib function, given a typical bad value (issue 27).

Where ``test_learner_mistakes`` lists mistakes one by one, this file is systematic: for each
public callable and each of its arguments it tries the bad values a learner gives (a string, a
list of strings, None, the wrong shape, an empty array, NaN or inf, zero or a negative count, a
probability or rate out of range, X and y of different lengths).  Each one must raise a
``ValueError`` or ``TypeError`` whose message

* names the argument,
* says what was expected ("must", "expected", "valid names" ...),
* says what was given ("got ..." or the value itself), and
* gives the likely fix ("Fix: ...").

One test id per function x argument x bad value, e.g. ``make_moons-noise-nan``.

Run alone: ``pytest tests/api/test_api_validation.py`` (a few seconds).
"""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import nn  # noqa: E402
from nnlib.data import toy  # noqa: E402
from nnlib.nn import metrics  # noqa: E402
from nnlib.show import plotting  # noqa: E402

NAN, INF = float("nan"), float("inf")
X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y4 = np.array([0, 1, 1, 0])


def _model(compiled=True, loss="binary_crossentropy"):
    last = nn.Dense(3, "softmax") if "categorical" in loss else nn.Dense(1, "sigmoid")
    if loss == "mse":
        last = nn.Dense(1)
    model = nn.Sequential([nn.Dense(4, "tanh", input_dim=2), last], seed=0)
    return model.compile(nn.Adam(0.01), loss, ["accuracy"]) if compiled else model


def _nan_at(a, value=NAN):
    a = np.array(a, dtype=np.float64)
    a.flat[1] = value
    return a


# Typical bad values, by what the argument is.  (label, value)
TEXT = [("str", "abc"), ("list_of_str", ["a", "b"]), ("None", None)]
COUNT = [("zero", 0), ("negative", -3), ("float", 2.5), ("str", "8"), ("bool", True), ("nan", NAN)]
POSITIVE = [("zero", 0), ("negative", -0.1), ("nan", NAN), ("inf", INF), ("str", "0.1")]
NONNEG = [("negative", -0.1), ("nan", NAN), ("inf", INF), ("str", "0.1"), ("None", None)]
FRACTION = [("negative", -0.1), ("one", 1.0), ("percent", 20), ("nan", NAN), ("str", "0.5")]
SEED = [("str", "abc"), ("negative", -1), ("float", 1.5)]
REAL = [("nan", NAN), ("inf", INF), ("str", "1"), ("None", None)]
FLAG = [("str", "yes"), ("None", None), ("float", 0.5)]


def _array_bads(good, *, empty=True, nan=True, ndim=True, text=True):
    """Bad variants of an array argument ``good``."""
    good = np.asarray(good)
    out = []
    if text:
        out += [("str", "abc"), ("None", None), ("text_array", np.full(good.shape, "a"))]
    if empty:
        out.append(("empty", np.empty((0,) + good.shape[1:])))
    if nan and good.size > 1:
        out += [("nan", _nan_at(good)), ("inf", _nan_at(good, INF))]
    if ndim:
        out.append(("3d", np.zeros((len(good), 2, 2))))
    return out


CASES = []  # (id, function, argument name, bad value)


def add(fname, call, valid, arg, bads, word=None):
    """One case per bad value: ``call(**{**valid, arg: bad})``; the message must name ``word``
    (the argument, unless told otherwise)."""
    for label, bad in bads:
        kwargs = {**valid, arg: bad}
        case = (f"{fname}-{arg}-{label}", lambda c=call, k=kwargs: c(**k), word or arg, bad)
        CASES.append(case)


def add_all(fname, call, valid, table):
    for arg, bads in table.items():
        add(fname, call, valid, arg, bads)


# ------------------------------------------------------------------------------- nnlib.nn: layers
add_all(
    "Dense",
    nn.Dense,
    {"units": 3},
    {
        "units": COUNT + [("None", None), ("list", [3])],
        "activation": [("unknown", "relux"), ("number", 1), ("list", ["relu"])],
        "input_dim": COUNT + [("shape", (2, 2))],
        "kernel_initializer": [("unknown", "xavier"), ("None", None), ("number", 1)],
    },
)
add("Activation", nn.Activation, {}, "name", [("unknown", "relux"), ("number", 3)])
add(
    "Dense.forward",
    lambda x: _model().layers[0].forward(x),
    {},
    "x",
    [("list", [[0.0, 1.0]]), ("str", "abc"), ("wrong_width", np.ones((2, 3))), ("1d", np.ones(2))],
)
add(
    "Dense.forward_unbuilt",
    lambda x: nn.Dense(2).forward(x),
    {},
    "x",
    [("built?", np.ones((2, 2)))],
)
add(
    "Dense.backward",
    lambda grad_a: (lambda d: (d.forward(np.ones((4, 2))), d.backward(grad_a)))(_model().layers[0]),
    {},
    "grad_a",
    [("wrong_shape", np.ones((4, 3))), ("str", "abc"), ("None", None)],
)
add(
    "Dense.backward_before_forward",
    lambda grad_a: _model().layers[0].backward(grad_a),
    {},
    "grad_a",
    [("no_forward", np.ones((4, 4)))],
    word="forward",
)

# ------------------------------------------------------------------------------- the model
add_all(
    "Sequential",
    nn.Sequential,
    {"layers": ()},
    {
        "layers": [("str", "dense"), ("None", None), ("number", 3), ("list_of_str", ["Dense"])],
        "dtype": [("int", "int32"), ("unknown", "float33"), ("number", 3)],
        "seed": SEED,
    },
)
add("Sequential.add", lambda layer: nn.Sequential().add(layer), {}, "layer", TEXT)
add(
    "Sequential.build",
    lambda input_dim: nn.Sequential([nn.Dense(2)]).build(input_dim),
    {},
    "input_dim",
    COUNT + [("None", None), ("shape", (2,))],
)
add(
    "Sequential.build_empty",
    lambda input_dim: nn.Sequential().build(input_dim),
    {},
    "input_dim",
    [("empty_model", 2)],
    word="layers",
)
add_all(
    "Sequential.compile",
    lambda **k: _model(compiled=False).compile(**k),
    {"optimizer": "adam", "loss": "binary_crossentropy", "metrics": None},
    {
        "optimizer": [("unknown", "adamw"), ("number", 0.01), ("None", None), ("class", nn.Adam)],
        "loss": [("unknown", "bce"), ("None", None), ("function", nn.mse), ("list", ["mse"])],
        "metrics": [
            ("str", "accuracy"),
            ("unknown", ["mae"]),
            ("number", 5),
            ("list_None", [None]),
        ],
    },
)
FIT = {"X": X4, "y": Y4, "epochs": 1, "batch_size": 2}
add_all(
    "Sequential.fit",
    lambda **k: _model().fit(**k),
    FIT,
    {
        "X": _array_bads(X4) + [("wrong_width", np.ones((4, 3))), ("1d", np.ones(4))],
        "y": _array_bads(Y4, ndim=False)
        + [
            ("short", Y4[:3]),
            ("labels_0_2", np.array([0, 2, 2, 0])),
            ("2d_wrong", np.ones((4, 2))),
        ],
        "epochs": COUNT + [("None", None)],
        "batch_size": COUNT + [("None", None)],
        "validation_data": [
            ("X_only", X4),
            ("one", (X4,)),
            ("str", "val"),
            ("three", (X4, Y4, Y4)),
        ],
        "shuffle": FLAG,
        "verbose": [("str", "yes"), ("negative", -1), ("float", 0.5), ("None", None)],
        "callbacks": [("str", "LiveCurves"), ("number", 3), ("list_str", ["a"])],
    },
)
PREDICT = {"X": X4}
add_all(
    "Sequential.predict",
    lambda **k: _model().predict(**k),
    PREDICT,
    {
        "X": _array_bads(X4) + [("wrong_width", np.ones((4, 3))), ("1d", np.ones(4))],
        "batch_size": COUNT,
    },
)
add_all(
    "Sequential.evaluate",
    lambda **k: _model().evaluate(**k),
    {"X": X4, "y": Y4},
    {
        "X": _array_bads(X4) + [("wrong_width", np.ones((4, 3)))],
        "y": _array_bads(Y4, ndim=False)
        + [("short", Y4[:3]), ("labels_0_2", np.array([0, 2, 2, 0]))],
        "batch_size": COUNT,
    },
)
add_all(
    "Sequential.train_on_batch",
    lambda **k: _model().train_on_batch(**k),
    {"X": X4, "y": Y4},
    {"X": _array_bads(X4), "y": _array_bads(Y4, ndim=False) + [("short", Y4[:3])]},
)
add(
    "Sequential.set_weights",
    lambda weights: _model().set_weights(weights),
    {},
    "weights",
    [("str", "abc"), ("None", None), ("empty", []), ("one_array", np.zeros((2, 4)))],
)
add(
    "Sequential.set_weights_nan",
    lambda weights: _model().set_weights(weights),
    {},
    "weights",
    [("nan", [_nan_at(np.zeros((2, 4))), np.zeros(4), np.zeros((4, 1)), np.zeros(1)])],
)

# ------------------------------------------------------------------------------- losses
P2 = np.array([[0.2], [0.7]])
PK = nn.softmax(np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]))
LOSS_PAIRS = {
    "mse": (np.array([[0.0], [1.0]]), P2),
    "binary_crossentropy": (np.array([[0.0], [1.0]]), P2),
    "categorical_crossentropy": (np.eye(3)[[1, 2]], PK),
    "sparse_categorical_crossentropy": (np.array([1, 2]), PK),
}
for _name, (_yt, _yp) in LOSS_PAIRS.items():
    for _fn in (getattr(nn, _name), getattr(nn, _name + "_grad")):
        _valid = {"y_true": _yt, "y_pred": _yp}
        _call = lambda y_true, y_pred, f=_fn: f(y_true, y_pred)  # noqa: E731
        _bads_true = _array_bads(_yt, ndim=False) + [("short", _yt[:1])]
        _bads_pred = _array_bads(_yp, ndim=False) + [("short", _yp[:1])]
        if _name == "sparse_categorical_crossentropy":
            _bads_true = [b for b in _bads_true if b[0] not in ("inf",)]
        add_all(_fn.__name__, _call, _valid, {"y_true": _bads_true, "y_pred": _bads_pred})
add("get_loss", nn.get_loss, {}, "name", [("unknown", "bce"), ("None", None), ("number", 1)])

# ------------------------------------------------------------------------------- activations
for _name in ("linear", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"):
    for _fn in (getattr(nn, _name), getattr(nn, _name + "_grad", None)):
        if _fn is not None:
            add(
                _fn.__name__, _fn, {}, "z", [("str", "abc"), ("None", None), ("list_of_str", ["a"])]
            )
add("leaky_relu", nn.leaky_relu, {"z": np.ones(3)}, "alpha", NONNEG)
add("leaky_relu_grad", nn.leaky_relu_grad, {"z": np.ones(3)}, "alpha", NONNEG)
add(
    "softmax",
    nn.softmax,
    {"z": np.ones(3)},
    "axis",
    [("out_of_range", 2), ("str", "rows"), ("float", 0.5)],
)
add("softmax_empty", nn.softmax, {}, "z", [("empty", np.empty(0))])
add("get_activation", nn.get_activation, {}, "name", [("unknown", "relux"), ("number", 1)])

# ------------------------------------------------------------------------------- optimizers
add_all(
    "SGD",
    nn.SGD,
    {"learning_rate": 0.1},
    {"learning_rate": POSITIVE + [("None", None)], "momentum": FRACTION + [("None", None)]},
)
add_all(
    "Adam",
    nn.Adam,
    {"learning_rate": 0.1},
    {
        "learning_rate": POSITIVE,
        "beta_1": FRACTION,
        "beta_2": FRACTION,
        "epsilon": POSITIVE,
    },
)
_P = [np.zeros((2, 2)), np.zeros(2)]
for _opt in (nn.SGD, nn.Adam):
    add_all(
        f"{_opt.__name__}.update",
        lambda params, grads, o=_opt: o(0.1).update(params, grads),
        {"params": _P, "grads": [np.ones((2, 2)), np.ones(2)]},
        {
            "grads": [
                ("short", [np.ones((2, 2))]),
                ("wrong_shape", [np.ones((2, 3)), np.ones(2)]),
                ("str", "abc"),
                ("None", None),
            ],
            "params": [("str", "abc"), ("None", None), ("short", [np.zeros((2, 2))])],
        },
    )
add(
    "get_optimizer",
    nn.get_optimizer,
    {},
    "opt",
    [("unknown", "adamw"), ("None", None)],
    "optimizer",
)

# ------------------------------------------------------------------------------- metrics
for _fn in (metrics.accuracy, metrics.confusion_matrix, metrics.precision_recall_f1):
    add_all(
        _fn.__name__,
        _fn,
        {"y_true": [0, 1, 1, 0], "y_pred": [0, 1, 0, 0]},
        {
            "y_true": _array_bads([0, 1, 1, 0]) + [("short", [0, 1])],
            "y_pred": _array_bads([0, 1, 1, 0]) + [("short", [0, 1])],
        },
    )
for _fn in (metrics.confusion_matrix, metrics.precision_recall_f1):
    add(
        _fn.__name__,
        _fn,
        {"y_true": [0, 1, 1, 0], "y_pred": [0, 1, 0, 0]},
        "n_classes",
        [("zero", 0), ("negative", -1), ("float", 2.5), ("str", "3"), ("too_few", 1)],
    )

# ------------------------------------------------------------------------------- gradient checks
add_all(
    "relative_error",
    nn.relative_error,
    {"a": np.ones(3), "b": np.ones(3)},
    {
        "a": [("str", "abc"), ("None", None), ("empty", np.empty(0)), ("nan", _nan_at(np.ones(3)))],
        "b": [("short", np.ones(2)), ("nan", _nan_at(np.ones(3))), ("empty", np.empty(0))],
    },
)
add_all(
    "numerical_gradient",
    nn.numerical_gradient,
    {"f": lambda: 0.0, "x": np.ones(3)},
    {
        "f": [("number", 3), ("None", None)],
        "x": [("list", [1.0, 2.0]), ("int_array", np.arange(3)), ("None", None), ("str", "abc")],
        "eps": POSITIVE,
    },
)
_gc = lambda model=None, X=X4, y=Y4, eps=1e-6: nn.gradient_check(  # noqa: E731
    model if model is not None else _model(), X, y, eps
)
add_all(
    "gradient_check",
    _gc,
    {},
    {
        "model": [("str", "model"), ("list", [nn.Dense(2)])],
        "X": [("str", "abc"), ("nan", _nan_at(X4))],
        "y": [("short", Y4[:3])],
        "eps": POSITIVE,
    },
)

# ------------------------------------------------------------------------------- toy data
add_all(
    "make_xor",
    toy.make_xor,
    {},
    {"n_samples": COUNT + [("None", None)], "noise": NONNEG, "seed": SEED},
)
add_all(
    "make_blobs",
    toy.make_blobs,
    {},
    {
        "n_samples": COUNT,
        "centers": [
            ("empty", np.empty((0, 2))),
            ("3d_points", [(0, 0, 0)]),
            ("str", "ab"),
            ("nan", [(0.0, NAN), (1.0, 1.0)]),
            ("None", None),
        ],
        "std": NONNEG,
        "seed": SEED,
    },
)
add_all("make_moons", toy.make_moons, {}, {"n_samples": COUNT, "noise": NONNEG, "seed": SEED})
add_all(
    "make_circles",
    toy.make_circles,
    {},
    {
        "n_samples": COUNT,
        "noise": NONNEG,
        "factor": [("zero", 0), ("one", 1), ("nan", NAN), ("str", "0.5"), ("None", None)],
        "seed": SEED,
    },
)
add_all(
    "make_spirals",
    toy.make_spirals,
    {},
    {
        "n_samples": COUNT,
        "n_classes": COUNT + [("one", 1)],
        "noise": NONNEG,
        "seed": SEED,
    },
)
add_all(
    "make_regression_1d",
    toy.make_regression_1d,
    {},
    {
        "n_samples": COUNT,
        "noise": NONNEG,
        "seed": SEED,
        "kind": [("unknown", "cubic"), ("None", None), ("number", 1)],
    },
)
add_all(
    "make_sine_sequence",
    toy.make_sine_sequence,
    {},
    {
        "n_steps": COUNT + [("one", 1)],
        "period": POSITIVE + [("None", None)],
        "trend": REAL,
        "noise": NONNEG,
        "seed": SEED,
    },
)
add_all(
    "make_windows",
    toy.make_windows,
    {"series": np.arange(10.0), "window": 3},
    {
        "series": [
            ("str", "abc"),
            ("None", None),
            ("2d", np.ones((5, 2))),
            ("text", np.array(["a"] * 10)),
            ("nan", _nan_at(np.arange(10.0))),
            ("empty", np.empty(0)),
        ],
        "window": COUNT + [("too_long", 20)],
        "horizon": COUNT,
    },
)
add_all(
    "make_toy",
    toy.make_toy,
    {"name": "moons"},
    {
        "name": [("unknown", "moon"), ("None", None), ("number", 1)],
        "n_samples": COUNT,
        "seed": SEED,
    },
)
add("make_toy", toy.make_toy, {"name": "moons"}, "nosie", [("unknown_kwarg", 0.1)])
add("make_toy", toy.make_toy, {"name": "moons"}, "n_classes", [("not_for_moons", 3)])
add_all(
    "train_val_split",
    toy.train_val_split,
    {"X": X4, "y": Y4},
    {
        "X": [("None", None), ("str", "abc"), ("empty", np.empty((0, 2))), ("one_sample", X4[:1])],
        "y": [("short", Y4[:3]), ("None", None), ("number", 3)],
        "val_fraction": FRACTION + [("None", None)],
        "seed": SEED,
    },
)

# ------------------------------------------------------------------------------- plotting
add(
    "use_style",
    plotting.use_style,
    {},
    "name",
    [("unknown", "dark"), ("None", None), ("number", 1)],
    "style",
)
add(
    "class_style",
    plotting.class_style,
    {},
    "c",
    [("str", "a"), ("None", None), ("float", 1.5), ("nan", NAN)],
)
_predict = _model().predict
add_all(
    "plot_decision_boundary",
    plotting.plot_decision_boundary,
    {"predict": _predict, "X": X4, "y": Y4, "resolution": 10},
    {
        "predict": [("model", _model()), ("str", "predict"), ("None", None)],
        "X": _array_bads(X4) + [("3_features", np.ones((4, 3)))],
        "y": [
            ("short", Y4[:2]),
            ("str", "abc"),
            ("None", None),
            ("text", np.array(["a", "b", "b", "a"])),
            ("nan", _nan_at(Y4)),
            ("fractions", np.array([0.5, 1, 1, 0])),
            ("negative", np.array([-1, 1, 1, -1])),
        ],
        "ax": [("str", "ax"), ("array", np.zeros(2))],
        "resolution": COUNT + [("one", 1)],
        "padding": NONNEG,
    },
)
add(
    "plot_decision_boundary",
    lambda predict: plotting.plot_decision_boundary(predict, X4, Y4, resolution=10),
    {},
    "predict",
    [
        ("wrong_length_output", lambda g: np.zeros(3)),
        ("text_output", lambda g: np.full(len(g), "a")),
        ("None_output", lambda g: None),
    ],
)
_H = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8]}
add_all(
    "plot_history",
    plotting.plot_history,
    {"history": _H},
    {
        "history": [
            ("list", [0.5, 0.4]),
            ("None", None),
            ("no_loss", {"acc": [0.5]}),
            ("empty_loss", {"loss": []}),
            ("text_loss", {"loss": ["a", "b"]}),
            ("short_accuracy", {"loss": [1.0, 0.5], "accuracy": [0.5]}),
        ],
        "axes": [("str", "ax"), ("number", 3)],
    },
)
CASES.append(  # one Axes for two panels (loss and accuracy)
    (
        "plot_history-axes-too_few",
        lambda: plotting.plot_history(_H, axes=plt.subplots()[1]),
        "axes",
        1,
    )
)
IMG = np.zeros((4, 8, 8))
add_all(
    "plot_image_grid",
    plotting.plot_image_grid,
    {"images": IMG, "labels": Y4},
    {
        "images": [
            ("str", "abc"),
            ("None", None),
            ("empty", np.empty((0, 8, 8))),
            ("flat_not_square", np.zeros((4, 10))),
            ("1d", np.zeros(64)),
            ("text", np.full((4, 8, 8), "a")),
        ],
        "labels": [("short", [0, 1]), ("None", None), ("nan", _nan_at(Y4)), ("str", "abcd")],
        "predictions": [("short", [0, 1]), ("str", "abcd"), ("nan", _nan_at(Y4))],
        "class_names": [("too_few", ["zero"]), ("str", "ab")],
        "n": COUNT,
        "ncols": COUNT,
    },
)
add_all(
    "plot_confusion_matrix",
    plotting.plot_confusion_matrix,
    {"y_true": [0, 1, 1, 0], "y_pred": [0, 1, 0, 0]},
    {
        "y_true": [("short", [0, 1]), ("None", None), ("negative", [0, -1, 1, 0])],
        "y_pred": [("short", [0, 1]), ("nan", _nan_at([0, 1, 1, 0]))],
        "class_names": [("too_few", ["zero"]), ("too_many", ["a", "b", "c"]), ("str", "ab")],
        "normalize": FLAG,
        "ax": [("str", "ax"), ("array", np.zeros(2))],
    },
)


# -------------------------------------------------------------------------------------- the test
def _given(bad):
    """Ways a message can say what was given."""
    out = [type(bad).__name__, "got"]
    if isinstance(bad, (str, int, float)) and not isinstance(bad, bool):
        out.append(repr(bad))
    return out


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("fn, arg, bad", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_argument_gets_a_clear_message(fn, arg, bad):
    with np.errstate(all="raise"):  # a NumPy warning on the way is no message either
        with pytest.raises((ValueError, TypeError)) as info:
            fn()
    message = str(info.value)
    low = message.lower()
    assert arg.lower() in low, f"the message does not name {arg!r}: {message!r}"
    assert re.search(r"must|expect|valid|needs|should|one of", low), f"no expectation: {message!r}"
    assert any(g.lower() in low for g in _given(bad)), f"does not say what was given: {message!r}"
    assert "fix" in low, f"no fix in {message!r}"
    # not a raw error from deep inside NumPy or matplotlib
    assert type(info.value).__module__ == "builtins" or "nnlib" in type(info.value).__module__


def test_ids_are_unique_and_many():
    ids = [c[0] for c in CASES]
    assert len(set(ids)) == len(ids)
    assert len(ids) >= 300


# ------------------------------------------------------------------------------------ good inputs
def test_valid_inputs_still_work():
    model = _model()
    h = model.fit(X4, Y4, epochs=2, batch_size=2, shuffle=False, verbose=0, callbacks=None)
    assert len(h.history["loss"]) == 2
    assert model.predict(X4, batch_size=3).shape == (4, 1)
    assert np.allclose(model.predict(X4, batch_size=3), model.predict(X4))
    loss, acc = model.evaluate(X4, Y4, batch_size=2)
    assert np.isfinite(loss) and 0 <= acc <= 1
    assert nn.Sequential(seed=None).layers == [] and nn.Sequential(seed=np.int64(3)).layers == []
    assert nn.mse([1.0, 2.0], [[1.5], [2.0]]) == pytest.approx(0.125)
    assert nn.mse_grad(np.array([1.0, 2.0]), np.array([[1.5], [2.0]])).shape == (2, 1)
    assert nn.leaky_relu(np.array([-1.0]), alpha=0)[0] == 0
    assert metrics.confusion_matrix([0, 1], [0, 1], n_classes=3).shape == (3, 3)
    X, y = toy.make_blobs(10, centers=[(0, 0), (1, 1), (2, 2)], std=0, seed=np.int64(1))
    assert X.shape == (10, 2) and set(y) == {0, 1, 2}
    (Xt, yt), (Xv, yv) = toy.train_val_split(X4, Y4, val_fraction=0.5)
    assert len(Xt) == len(Xv) == 2
    ax = plotting.plot_decision_boundary(lambda g: g[:, 0] > 0.5, X4, Y4, resolution=5, padding=0)
    assert ax.get_title() == "Decision boundary"
    plotting.plot_image_grid(IMG, Y4, predictions=Y4, class_names=["a", "b"], n=4, ncols=2)
    plotting.plot_confusion_matrix([0, 1, 1], [0, 1, 0], class_names=["a", "b"], normalize=True)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_losses_of_a_diverged_model_stop_fit_with_its_message(capsys):
    X = np.array([[1e3, -1e3], [2e3, 5e2], [-1e3, 1e3], [3e3, 3e3]])
    model = nn.Sequential([nn.Dense(8, input_dim=2), nn.Dense(1)], seed=0)
    model.compile(nn.SGD(10.0), "mse")
    h = model.fit(X, np.array([1.0, 2.0, 3.0, 4.0]), epochs=50, batch_size=4)
    assert h.stopped_reason and "lower learning rate" in h.stopped_reason
