"""Input checks for ``nnlib.nn``, kept below the core so the core reads without them.

Below means below: this module imports nothing of ``nnlib.nn``.  What a check needs from the
core (the ``Layer`` class, the ``LOSSES`` and ``OPTIMIZERS`` tables) its caller passes in.

Every mistake gets a ``ValueError`` or ``TypeError`` that says what was expected, what was
given, and the likely fix.  The core calls one function per public entry point.
"""

import contextlib
import difflib
import inspect
import numbers

import numpy as np


class NotReadyError(ValueError, RuntimeError):
    """The model is not compiled or not built yet (a ValueError, and a RuntimeError as before)."""


# While > 0, the model is computing on arrays it has already checked (fit, evaluate,
# train_on_batch): the per-batch checks of losses, optimizers and layers are skipped, so the
# checks cost once per call, not once per batch, and a diverging loss (NaN outputs) reaches
# fit's own "the loss became nan" stop instead of an error.
_trusted = 0


@contextlib.contextmanager
def already_checked():
    """A context in which the model's own, already checked, arrays skip the per-batch checks."""
    global _trusted
    _trusted += 1
    try:
        yield
    finally:
        _trusted -= 1


# --------------------------------------------------------------------------- helpers


def describe(x):
    """A short description of ``x`` for a message: 'the class Adam', "the string 'relu'" ..."""
    if inspect.isclass(x):
        return f"the class {x.__name__}"
    if inspect.isfunction(x) or inspect.isbuiltin(x):
        return f"the function {x.__name__}"
    if isinstance(x, str):
        return f"the string {x!r}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if x is None:
        return "None"
    if isinstance(x, (bool, numbers.Number)):
        return f"{x!r} ({type(x).__name__})"
    return f"a {type(x).__name__}"


def _is_keras(x):
    mod = type(x).__module__ if not inspect.isclass(x) else x.__module__
    return mod.split(".")[0] in ("keras", "tensorflow", "tf_keras")


def _close(name, valid):
    """' Did you mean 'relu'?' for a near miss (case or typo), else ''."""
    lower = {v.lower(): v for v in valid}
    if name.lower() in lower:
        return f" Did you mean {lower[name.lower()]!r}?"
    match = difflib.get_close_matches(name, list(valid), n=1)
    return f" Did you mean {match[0]!r}?" if match else ""


def name_in(kind, name, valid):
    """``name`` must be one of the keys of ``valid`` (an activation, loss ... name)."""
    if not isinstance(name, str):
        fix = f"{kind}='{getattr(name, '__name__', sorted(valid)[0])}'"
        if callable(name) and getattr(name, "__name__", None) in valid:
            fix = f"{kind}={name.__name__!r} (the name, a string)"
        raise TypeError(
            f"{kind} must be a name (str) such as {sorted(valid)[0]!r}, got {type(name).__name__}"
            f" ({describe(name)}). Fix: pass the name, e.g. {fix}."
        )
    if name not in valid:
        raise ValueError(
            f"unknown {kind} {name!r}; valid names are {sorted(valid)}.{_close(name, valid)}"
            f" Fix: {kind}={_suggest(name, valid)!r}."
        )


def _suggest(name, valid):
    """The valid name closest to ``name`` (or the first one)."""
    lower = {v.lower(): v for v in valid}
    if isinstance(name, str) and name.lower() in lower:
        return lower[name.lower()]
    match = difflib.get_close_matches(str(name), list(valid), n=1)
    return match[0] if match else sorted(valid)[0]


def one_of(what, value, valid, fix=None):
    """``value`` must be one of ``valid`` (names such as 'sine', 'classroom')."""
    if not isinstance(value, str):
        raise TypeError(
            f"{what} must be one of {sorted(valid)} (a str), got {describe(value)}. "
            f"Fix: {fix or f'{what}={sorted(valid)[0]!r}'}."
        )
    if value not in valid:
        raise ValueError(
            f"unknown {what} {value!r}; {what} must be one of {sorted(valid)}."
            f"{_close(value, valid)} Fix: {fix or f'{what}={_suggest(value, valid)!r}'}."
        )


def positive_int(what, value, fix):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{what} must be a positive int (1, 2, ...), got {value!r} ({type(value).__name__})."
            f" Fix: {fix}"
        )
    return int(value)


def count(what, value, minimum=1, fix=""):
    """An int >= ``minimum`` (a TypeError for a float, str, bool ..., a ValueError if too small)."""
    fix = fix or f"a whole number such as {what}={max(minimum, 1) * 100}."
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an int (>= {minimum}), got {describe(value)}. Fix: {fix}")
    if value < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value!r}. Fix: {fix}")
    return int(value)


def nonnegative(what, value, fix=""):
    """A real, finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number >= 0, got {describe(value)}. Fix: {fix}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a number >= 0 (finite), got {value!r}. Fix: {fix}")
    return float(value)


def fraction(what, value, fix=""):
    """A real number strictly between 0 and 1."""
    finite_number(what, value, fix=fix)
    if not 0 < value < 1:
        raise ValueError(f"{what} must be between 0 and 1 (excluded), got {value!r}. Fix: {fix}")
    return float(value)


def seed(value, what="seed"):
    """A seed for ``np.random.default_rng``: None, an int >= 0, or a Generator."""
    if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{what} must be an int >= 0 (or None), got {describe(value)}. "
            f"Fix: {what}=0 - the same seed gives the same numbers."
        )
    if value < 0:
        raise ValueError(
            f"{what} must be an int >= 0 (or None), got {value!r}. Fix: {what}=0, or any int >= 0."
        )
    return value


def flag(what, value, fix=""):
    """True or False (0 and 1 too)."""
    if not isinstance(value, (bool, np.bool_)) and not (
        isinstance(value, (int, np.integer)) and value in (0, 1)
    ):
        raise TypeError(
            f"{what} must be True or False, got {describe(value)}. "
            f"Fix: {fix or f'{what}=True or {what}=False'}."
        )
    return bool(value)


def numbers_array(what, value, fix="", ndim=None, finite=True, empty_ok=False, dtype=None):
    """``value`` as an array of numbers: not None, text or objects; of ``ndim`` (an int or a
    tuple of ints) dimensions; not empty and finite unless told otherwise."""
    fix = fix or f"pass a NumPy array of numbers as {what}."
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"{what} must be an array of numbers, got {describe(value)}. Fix: {fix}")
    try:
        a = np.asarray(value, dtype=dtype)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{what} must be an array of numbers (rows of equal length), got a "
            f"{type(value).__name__} that NumPy cannot read as one ({e}). Fix: {fix}"
        ) from None
    if a.dtype.kind not in "biuf":
        raise TypeError(
            f"{what} must hold numbers, got {type(value).__name__} of dtype {a.dtype}. Fix: {fix}"
        )
    if ndim is not None:
        dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if a.ndim not in dims:
            shape = " or ".join(f"{d}-D" for d in dims)
            raise ValueError(f"{what} must be {shape}, got shape {a.shape}. Fix: {fix}")
    if not empty_ok and a.size == 0:
        raise ValueError(
            f"{what} must not be empty, got an empty array of shape {a.shape}. Fix: {fix}"
        )
    if finite and a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise ValueError(
            f"{what} must hold finite numbers, got {int((~np.isfinite(a)).sum())} NaN/inf values. "
            f"Fix: drop or fill them in ({fix})"
        )
    return a


def class_labels(what, y, fix=""):
    """Class labels 0, 1, 2 ... as an int array of shape (n,), from any (n,) or (n, 1) numbers."""
    fix = fix or f"encode the classes as integers 0..k-1, e.g. {what}.astype(int)."
    y = numbers_array(what, y, fix, finite=True)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1:
        raise ValueError(
            f"{what} must be 1-D (one label per sample), got shape {y.shape}. Fix: {fix}"
        )
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            f"{what} must hold whole class labels 0, 1, 2 ..., got values like "
            f"{y[y != np.round(y)][:3]}. Fix: {fix}"
        )
    if y.min() < 0:
        raise ValueError(
            f"{what} must hold class labels 0..k-1, got the label {y.min():g}. Fix: map the "
            "classes to 0, 1, 2, ... (e.g. -1/1 labels: (y > 0).astype(int))."
        )
    return y.astype(np.int64)


def same_length(what_a, a, what_b, b, fix):
    if len(a) != len(b):
        raise ValueError(
            f"{what_a} and {what_b} must have the same length, got {len(a)} and {len(b)}. Fix: {fix}"
        )


def finite_number(what, value, low=None, high=None, fix=""):
    """A real, finite number in [low, high) (``high`` excluded, ``low`` excluded if > 0 is meant)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number, got {describe(value)}. Fix: {fix}")
    if not np.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}. Fix: {fix}")
    if low is not None and value <= low:
        raise ValueError(f"{what} must be > {low}, got {value!r}. Fix: {fix}")
    if high is not None and value >= high:
        raise ValueError(f"{what} must be < {high}, got {value!r}. Fix: {fix}")


# --------------------------------------------------------------------------- layers


def dense_args(units, activation, input_dim, kernel_initializer, initializers):
    if isinstance(units, str):
        raise ValueError(
            f"units must be a positive int (the number of neurons), got {describe(units)}. "
            f"Fix: Dense(units, activation), e.g. Dense(8, activation={units!r}) - units first."
        )
    positive_int("units", units, "Dense(8) has 8 neurons; give their number as an int.")
    if input_dim is not None:
        fix = "input_dim is the number of input features, e.g. input_dim=2 (an int, not a shape)."
        if isinstance(input_dim, (tuple, list)) and len(input_dim) == 1:
            fix = f"input_dim={input_dim[0]} (an int, not the shape {input_dim!r})."
        positive_int("input_dim", input_dim, fix)
    if kernel_initializer not in initializers:
        raise ValueError(
            f"unknown kernel_initializer {kernel_initializer!r} (got {describe(kernel_initializer)});"
            f" valid names are {list(initializers)}. Fix: leave it out for Keras's default 'glorot_uniform'."
        )


def dense_input(layer, x):
    if layer.W is None:
        raise NotReadyError(
            f"{layer!r} is not built yet: forward expected a layer with weights (from input_dim "
            "or a model that built it), got a layer without weights. Fix: Dense(..., input_dim=n_features), or call the model, not the "
            "layer: model.predict(X)."
        )
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"Dense.forward expects x as a NumPy array of shape (batch, {layer.W.shape[0]}), got "
            f"{describe(x)}. Fix: np.asarray(x, dtype=float), or use model.predict(X)."
        )
    if x.ndim != 2 or x.shape[1] != layer.W.shape[0]:
        raise ValueError(
            f"Dense({layer.units}) expects input of shape (batch, {layer.W.shape[0]}), "
            f"got {x.shape}. Fix: give the layer before it {x.shape[-1]} outputs, or reshape."
        )


def dense_backward(layer, grad, what="grad_a"):
    """``backward`` needs a forward pass first, and a gradient shaped like that pass's output."""
    if _trusted:
        return
    if getattr(layer, "z", None) is None:
        raise ValueError(
            f"{layer!r}.backward({what}) needs a forward pass first (it uses that pass's input), "
            "got no forward pass. Fix: call layer.forward(x) (or model.forward(X)) before backward."
        )
    if type(grad) is not np.ndarray or grad.shape != layer.z.shape:
        raise (TypeError if type(grad) is not np.ndarray else ValueError)(
            f"{what} must be an array of the layer's output shape {layer.z.shape} (dL/d output "
            f"of the last forward pass), got {describe(grad)}. Fix: pass the gradient of the "
            "loss with respect to this layer's output, e.g. loss_grad(y, out)."
        )


# --------------------------------------------------------------------------- activations


def activation_input(name, z):
    """``z`` must be numbers (an array, a list or a number)."""
    if type(z) is np.ndarray and z.dtype.kind in "fiub":
        return  # the fast path: every forward pass
    if z is None or isinstance(z, (str, bytes, dict)):
        raise TypeError(
            f"{name}(z) expects z as numbers (an array, a list or a number), got {describe(z)}. "
            f"Fix: {name}(np.array([...]))."
        )
    a = np.asarray(z)
    if a.dtype.kind not in "fiub":
        raise TypeError(
            f"{name}(z) expects z to hold numbers, got an array of dtype {a.dtype}. "
            f"Fix: convert it first, e.g. {name}(np.asarray(z, dtype=float))."
        )


def softmax_args(z, axis):
    activation_input("softmax", z)
    z = np.asarray(z)
    if z.size == 0:
        raise ValueError(
            f"softmax(z) expects at least one value along the axis, got an empty array of shape "
            f"{z.shape}. Fix: check the slice that made z."
        )
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(
            f"axis must be an int such as -1 (the last axis), got {describe(axis)}. "
            "Fix: softmax(z, axis=-1) for one row of probabilities per sample."
        )
    if not -max(z.ndim, 1) <= axis < max(z.ndim, 1):
        raise ValueError(
            f"axis must be between {-max(z.ndim, 1)} and {max(z.ndim, 1) - 1} for z of shape "
            f"{z.shape}, got axis={axis}. Fix: axis=-1 (the last axis)."
        )
    return z


def leaky_alpha(alpha):
    nonnegative("alpha", alpha, "the slope for z < 0 is a small number >= 0, e.g. alpha=0.01.")


# --------------------------------------------------------------------------- losses


def _plain(y, what):
    if y is None or isinstance(y, (str, dict)):
        raise TypeError(
            f"{what} must be an array of numbers, got {describe(y)}. "
            f"Fix: pass a NumPy array, e.g. np.asarray({what})."
        )
    try:
        y = np.asarray(y)
    except ValueError as e:
        raise ValueError(
            f"{what} must be an array of numbers (rows of equal length), got a ragged "
            f"{type(y).__name__} ({e}). Fix: give every row the same length."
        ) from None
    if y.dtype.kind not in "biuf":
        raise TypeError(
            f"{what} must hold numbers, got an array of dtype {y.dtype}. "
            "Fix: encode labels as integers 0..k-1 (or floats) first."
        )
    if y.size == 0:
        raise ValueError(
            f"{what} must hold at least one value, got an empty array of shape {y.shape}. "
            "Fix: check the slice or the loading that made it."
        )
    if not _trusted and y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        fix = "drop those samples (from X and y alike)"
        if what == "y_pred":
            fix = "lower the learning rate if a model diverged, or check how y_pred was computed"
        raise ValueError(
            f"{what} must hold finite numbers, got {int((~np.isfinite(y)).sum())} NaN/inf "
            f"values. Fix: {fix}."
        )
    return y


def loss_inputs(name, y_true, y_pred):
    """``(y_true, y_pred)`` as arrays a loss can compare elementwise, or a clear error.

    A column of predictions (n, 1) with labels (n,) is the usual case: the labels are reshaped
    to (n, 1) instead of broadcasting to an (n, n) table (a silently wrong loss)."""
    if (
        _trusted
        and type(y_true) is np.ndarray
        and type(y_pred) is np.ndarray
        and y_true.shape == y_pred.shape
        and name != "sparse_categorical_crossentropy"
    ):
        pass  # the fast path that fit takes every batch (its arrays are checked once per call)
    else:
        y_true, y_pred = _same_shape(name, y_true, y_pred)
    if name in ("binary_crossentropy", "categorical_crossentropy") and not _trusted:
        probabilities(name, "y_true", y_true, "labels must be 0 or 1 (or probabilities)")
        probabilities(name, "y_pred", y_pred, "use a sigmoid or softmax output")
    return y_true, y_pred


def _same_shape(name, y_true, y_pred):
    y_true, y_pred = _plain(y_true, "y_true"), _plain(y_pred, "y_pred")
    if name == "sparse_categorical_crossentropy":
        if y_pred.ndim != 2:
            raise ValueError(
                f"sparse_categorical_crossentropy expects y_pred of shape (n, classes), got "
                f"{y_pred.shape}. Fix: pass the probabilities of every class, e.g. softmax output."
            )
        if y_true.ndim == 2 and y_true.shape[1] == 1:
            y_true = y_true.reshape(-1)
        if y_true.ndim == 1 and len(y_true) != len(y_pred):
            raise ValueError(
                f"sparse_categorical_crossentropy expects y_true and y_pred with the same number "
                f"of samples, got {len(y_true)} labels and {len(y_pred)} rows of probabilities. "
                "Fix: compare the labels and the predictions of the same samples."
            )
        if y_true.shape != (len(y_pred),):
            raise ValueError(
                f"sparse_categorical_crossentropy expects integer labels of shape "
                f"({len(y_pred)},), got {y_true.shape}. Fix: one-hot targets go with "
                "categorical_crossentropy; or use y.argmax(axis=1)."
            )
        labels(y_true, y_pred.shape[1])
        return y_true, y_pred
    if y_true.shape != y_pred.shape:
        if y_true.size == y_pred.size and y_true.squeeze().shape == y_pred.squeeze().shape:
            return y_true.reshape(y_pred.shape), y_pred  # (n,) vs (n, 1): same numbers
        hint = "Fix: make them the same shape"
        if name == "categorical_crossentropy" and y_true.ndim == 1:
            hint = "Fix: one-hot encode the labels, or use sparse_categorical_crossentropy"
        raise ValueError(
            f"{name} expects y_true and y_pred of the same shape, got {y_true.shape} and "
            f"{y_pred.shape}. {hint}."
        )
    return y_true, y_pred


def probabilities(name, what, y, fix):
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            f"{name} expects {what} in [0, 1], got values from {y.min():g} to {y.max():g}. "
            f"Fix: {fix}."
        )


def labels(y, k):
    """``y`` must be integer class labels in 0..k-1."""
    if y.size and y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            f"labels must be whole numbers 0..{k - 1} (class indices), got values like "
            f"{y[y != np.round(y)][:3]}. Fix: round or encode them, e.g. y.astype(int)."
        )
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(
            f"labels must be in 0..{k - 1} for {k} outputs, got {y.min():g}..{y.max():g}. "
            f"Fix: give the last layer {int(y.max()) + 1} units, or map the labels to 0..{k - 1}."
        )


# --------------------------------------------------------------------------- optimizers


def optimizer_args(name, learning_rate, **kwargs):
    finite_number(
        "learning_rate", learning_rate, low=0, fix=f"a small positive number, e.g. {name}(0.01)."
    )
    for key in ("momentum", "beta_1", "beta_2"):
        if key in kwargs:
            value = kwargs[key]
            finite_number(key, value, fix=f"{key} is a fraction in [0, 1), e.g. 0.9.")
            if not 0 <= value < 1:
                raise ValueError(
                    f"{key} must be in [0, 1), got {value!r}. Fix: a fraction such as 0.9."
                )
    if "epsilon" in kwargs:
        finite_number("epsilon", kwargs["epsilon"], low=0, fix="leave it at 1e-7.")


def optimizer(opt, valid):
    if isinstance(opt, str):
        if opt not in valid:
            raise ValueError(
                f"unknown optimizer {opt!r}; valid names are {sorted(valid)}.{_close(opt, valid)}"
                f" Fix: optimizer={_suggest(opt, valid)!r}."
            )
        return
    if inspect.isclass(opt):
        raise TypeError(
            f"optimizer must be an optimizer object or a name, got {describe(opt)}. "
            f"Fix: call it - optimizer={opt.__name__}() or {opt.__name__}(learning_rate=0.01)."
        )
    if _is_keras(opt):
        raise TypeError(
            f"optimizer must be an nnlib optimizer (nn.SGD, nn.Adam) or a name, got a Keras "
            f"{type(opt).__name__}. Fix: nn.{type(opt).__name__}(...) or 'adam' for nnlib models."
        )
    if not hasattr(opt, "update"):
        raise TypeError(
            f"optimizer must be a name or an object with .update(), got {opt!r}. "
            "Fix: optimizer='adam' or optimizer=nn.SGD(0.1)."
        )


def update_args(params, grads):
    """``optimizer.update(params, grads)``: two lists of arrays, pairwise of the same shape."""
    if _trusted:
        return
    for what, arrays in (("params", params), ("grads", grads)):
        if not isinstance(arrays, (list, tuple)) or not all(
            isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays
        ):
            raise TypeError(
                f"{what} must be a list of float arrays, got {describe(arrays)}. Fix: "
                "optimizer.update(model.params(), model.grads())."
            )
    if len(params) != len(grads):
        raise ValueError(
            f"params and grads must hold the same number of arrays, got {len(params)} and "
            f"{len(grads)}. Fix: optimizer.update(model.params(), model.grads())."
        )
    for i, (p, g) in enumerate(zip(params, grads)):
        if p.shape != g.shape:
            raise ValueError(
                f"grads[{i}] must have the shape of params[{i}], {p.shape}, got {g.shape}. "
                "Fix: pass the gradients in the order of the parameters (model.grads())."
            )


# --------------------------------------------------------------------------- gradient checks


def relative_error_args(a, b):
    a = numbers_array("a", a, "pass two arrays of numbers of the same shape.", dtype=np.float64)
    b = numbers_array("b", b, "pass two arrays of numbers of the same shape.", dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must have the same shape, got {a.shape} and {b.shape}. "
            "Fix: compare a gradient with the numerical gradient of the same array."
        )
    return a, b


def numerical_gradient_args(f, x, eps):
    if not callable(f):
        raise TypeError(
            f"f must be a function without arguments that returns the loss, got {describe(f)}. "
            "Fix: numerical_gradient(lambda: loss(y, model.forward(X)), W)."
        )
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(
            f"x must be a float array (it is changed in place and restored), got {describe(x)}. "
            "Fix: pass the parameter array itself, e.g. layer.W, or x.astype(float)."
        )
    finite_number("eps", eps, low=0, fix="a small step such as eps=1e-6.")


def gradient_check_args(model, eps):
    if not all(hasattr(model, m) for m in ("_require_compiled", "loss_and_grads", "params")):
        raise TypeError(
            f"model must be a compiled nnlib Sequential, got {describe(model)}. "
            "Fix: gradient_check(model, X, y) with model = nn.Sequential([...]).compile(...)."
        )
    finite_number("eps", eps, low=0, fix="a small step such as eps=1e-6.")


# --------------------------------------------------------------------------- the model


def sequential_args(layers, dtype, layer_class, seed_=0):
    seed(seed_)
    if isinstance(layers, layer_class) or (
        inspect.isclass(layers) and issubclass(layers, layer_class)
    ):
        raise TypeError(
            f"Sequential expects a list of layers, got a single layer ({describe(layers)}). "
            "Fix: put it in a list - Sequential([Dense(...), ...])."
        )
    if isinstance(layers, (str, np.ndarray, numbers.Number)) or not hasattr(layers, "__iter__"):
        raise TypeError(
            f"Sequential expects a list of layers, got {describe(layers)}. "
            "Fix: Sequential([Dense(8, 'relu', input_dim=2), Dense(1, 'sigmoid')])."
        )
    try:
        ok = np.dtype(dtype) in (np.float32, np.float64)
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(
            f"dtype must be 'float32' or 'float64', got {dtype!r}. "
            "Fix: leave it out (float32), or dtype='float64' for gradient checks."
        )


def layer(obj, model, layer_class):
    if inspect.isclass(obj) and issubclass(obj, layer_class):
        raise TypeError(
            f"expected a layer such as Dense(...), got {describe(obj)} itself. "
            f"Fix: create one - {obj.__name__}(units, activation=...)."
        )
    if not isinstance(obj, layer_class):
        fix = "use nnlib.nn.Dense(units, activation=...)"
        if _is_keras(obj):
            fix = "this is a Keras layer; use it in keras.Sequential, or nn.Dense in nn.Sequential"
        raise TypeError(
            f"expected a layer such as Dense(...) (each of Sequential's layers, or "
            f"model.add(layer)), got {type(obj).__name__} ({describe(obj)}). Fix: {fix}."
        )
    if any(obj is other for other in model.layers):
        raise ValueError(
            f"expected a new layer, got {obj!r} a second time (the same object would share its "
            "weights). Fix: create a new layer for each position."
        )
    if model.layers and model.layers[-1].built and getattr(obj, "input_dim", None) is not None:
        if obj.input_dim != model.layers[-1].output_dim:
            raise ValueError(
                f"{obj!r} was given input_dim={obj.input_dim}, but the layer before it has "
                f"{model.layers[-1].output_dim} outputs. Fix: give input_dim only to the first "
                "layer."
            )


def built(model, what):
    if not model.layers:
        raise NotReadyError(
            f"{what} needs a model with layers, got an empty Sequential. "
            "Fix: Sequential([Dense(...), ...]) or model.add(Dense(...))."
        )
    if not model.built:
        raise NotReadyError(
            f"{what}: the model is not built yet, so it has no weights (expected input_dim on "
            "the first layer, or a call to fit/predict/build first). Fix: "
            "Dense(..., input_dim=n_features) as the first layer, or model.build(n_features)."
        )


def weights(model, params, given):
    built(model, "set_weights()")
    if isinstance(given, np.ndarray) or not isinstance(given, (list, tuple)):
        raise TypeError(
            f"set_weights expects a list of {len(params)} arrays [W1, b1, W2, b2, ...], got "
            f"{describe(given)}. Fix: model.set_weights([W1, b1, ...])."
        )
    if len(given) != len(params):
        raise ValueError(
            f"expected {len(params)} arrays, got {len(given)}. Fix: one W and one b per Dense "
            f"layer, in order (model.get_weights() shows them)."
        )
    for i, (p, w) in enumerate(zip(params, given)):
        w = np.asarray(w)
        if w.shape != p.shape:
            hint = "transpose it (W.T): W has shape (inputs, units)" if w.T.shape == p.shape else ""
            raise ValueError(
                f"weight of shape {p.shape} cannot be set from shape {w.shape} (array {i}). "
                f"Fix: {hint or 'pass an array of shape ' + str(p.shape)}."
            )
        if w.dtype.kind not in "biuf" or not np.all(np.isfinite(w)):
            raise ValueError(
                f"weights must be finite numbers, got array {i} with NaN, inf or non-numbers. "
                "Fix: check how the weights were computed."
            )


def compile_args(model, optimizer_, loss, metrics, losses, optimizers):
    """The metrics as a list; every argument checked against the model's last layer."""
    if not model.layers:
        built(model, "compile()")
    optimizer(optimizer_, optimizers)
    if callable(loss) and getattr(loss, "__name__", None) in losses:
        raise TypeError(
            f"loss must be a name (str), got {describe(loss)}. Fix: loss={loss.__name__!r}."
        )
    if not isinstance(loss, str):
        raise TypeError(
            f"loss must be a name (str) such as 'mse', got {describe(loss)}. "
            f"Fix: one of {sorted(losses)}."
        )
    name_in("loss", loss, losses)
    if isinstance(metrics, str):
        raise TypeError(
            f"metrics must be a list of names, got the string {metrics!r}. "
            f"Fix: metrics=[{metrics!r}]."
        )
    if metrics is not None and not isinstance(metrics, (list, tuple)):
        raise TypeError(
            f"metrics must be a list of names, got {describe(metrics)}. "
            "Fix: metrics=['accuracy'], or leave it out."
        )
    metrics = list(metrics or [])
    for m in metrics:
        if m not in ("accuracy", "acc"):
            raise ValueError(
                f"unknown metric {m!r} (got {describe(m)}); valid names are ['accuracy']. "
                "Fix: metrics=['accuracy']"
                " (loss is always reported)."
            )
    output_and_loss(model.layers[-1], loss)
    return metrics


def output_and_loss(last, loss):
    """The last layer must produce what the loss expects (probabilities for cross-entropy)."""
    act = getattr(getattr(last, "activation", None), "name", None)
    units = getattr(last, "units", None)
    if act == "softmax" and units == 1:
        raise ValueError(
            "a softmax over 1 output is always 1.0, whatever the input: the model cannot learn. "
            "Expected Dense(1, 'sigmoid') for two classes or Dense(k, 'softmax') for k classes, "
            "got Dense(1, 'softmax'). Fix: Dense(1, activation='sigmoid')."
        )
    if act is None:
        return
    if loss == "binary_crossentropy" and act != "sigmoid":
        raise ValueError(
            f"binary_crossentropy needs probabilities from the last layer (a sigmoid), got "
            f"activation {act!r}. Fix: Dense({units}, activation='sigmoid') as the last layer."
        )
    if "categorical_crossentropy" in loss:
        if units == 1:
            raise ValueError(
                f"{loss} needs one output per class (2 or more), got Dense(1). Fix: "
                "Dense(k, 'softmax') for k classes, or binary_crossentropy with Dense(1, 'sigmoid')."
            )
        if act != "softmax":
            raise ValueError(
                f"{loss} needs probabilities that sum to 1 (a softmax), got activation {act!r}. "
                f"Fix: Dense({units}, activation='softmax') as the last layer."
            )


def compiled(model):
    if model.optimizer is None:
        raise NotReadyError(
            "the model is not compiled: expected model.compile(...) before training. Fix: "
            "call model.compile(optimizer=..., loss=...) before training."
        )


def inputs(X):
    """``X`` as an array of shape (n, features) holding numbers."""
    if not isinstance(X, np.ndarray):
        if isinstance(X, (list, tuple)) or hasattr(X, "__array__"):
            try:
                X = np.asarray(X)
            except ValueError as e:
                raise ValueError(
                    f"X must be a table of numbers (rows of equal length), got a ragged "
                    f"{type(X).__name__} ({e}). Fix: give every sample the same features."
                ) from None
        else:
            raise TypeError(
                f"X must be a NumPy array of shape (n_samples, n_features), got "
                f"{type(X).__name__} ({describe(X)}). Fix: np.asarray(X)."
            )
    if X.dtype.kind not in "biuf":
        raise TypeError(
            f"X must hold numbers, got an array of dtype {X.dtype}. "
            "Fix: convert it, e.g. X.astype(float), after encoding any text."
        )
    if X.ndim != 2:
        hint = "flatten images first, e.g. X.reshape(len(X), -1)"
        if X.ndim == 1:
            hint = "X.reshape(-1, 1) for one feature, or X.reshape(1, -1) for one sample"
        if X.ndim == 0:
            hint = "np.array([[x]]) for one sample with one feature"
        raise ValueError(f"X must have shape (n_samples, n_features), got {X.shape}. Fix ({hint}).")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"X must have at least one sample and one feature, got an empty array of shape "
            f"{X.shape}. Fix: check the loading or the slice that made X."
        )
    bad = ~np.isfinite(X) if X.dtype.kind == "f" else None
    if bad is not None and bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise ValueError(
            f"X must hold finite numbers, got {int(bad.sum())} NaN/inf values (the first in row "
            f"{row}). Fix: drop those rows (X[np.isfinite(X).all(axis=1)]) or fill them in."
        )
    return X


def input_width(model, X):
    if X.shape[1] != model.layers[0].input_dim:
        raise ValueError(
            f"model expects X of shape (n, {model.layers[0].input_dim}), got {X.shape}. "
            f"Fix: give X {model.layers[0].input_dim} features, or build a model with "
            f"input_dim={X.shape[1]}."
        )


def targets(model, y, n):
    """``y`` as targets that match the model's output and loss."""
    y = _plain(y, "y")
    if y.ndim == 0:
        raise ValueError(f"y must have one target per sample ({n}), got a single number {y}.")
    if len(y) != n:
        raise ValueError(
            f"X and y must have the same number of samples, got {n} and {len(y)}. "
            "Fix: slice X and y with the same indices."
        )
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(
            f"y must hold finite numbers, got {int((~np.isfinite(y)).sum())} NaN/inf values. "
            "Fix: drop those samples from X and y."
        )
    k = model.layers[-1].output_dim
    if model.loss_name == "sparse_categorical_crossentropy":
        if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
            raise ValueError(
                f"sparse_categorical_crossentropy expects integer labels of shape ({n},), got "
                f"{y.shape}. Fix: for one-hot targets use categorical_crossentropy, or pass "
                "y.argmax(axis=1)."
            )
        y = y.reshape(-1)
        labels(y, k)
        return y.astype(np.int64)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2 or y.shape[1] != k:
        hint = f"Fix: give the last layer {y.shape[-1]} units, or reshape y"
        if model.loss_name == "categorical_crossentropy" and y.shape[1] == 1:
            hint = "(one-hot encode the labels, or use sparse_categorical_crossentropy)"
        raise ValueError(
            f"y must have shape ({n}, {k}) to match the model's output, got {y.shape} {hint}."
        )
    if model.loss_name in ("binary_crossentropy", "categorical_crossentropy"):
        if y.min() < 0 or y.max() > 1:
            fix = "labels 0/1, e.g. (y > 0).astype(int)"
            if y.dtype.kind in "iu" or np.all(y == np.round(y)):
                fix += f"; for {int(y.max()) + 1} classes use Dense(k, 'softmax') with "
                fix += "sparse_categorical_crossentropy"
            raise ValueError(
                f"{model.loss_name} expects targets 0 or 1, got values from {y.min():g} to "
                f"{y.max():g}. Fix: {fix}."
            )
    return y.astype(model.dtype)


def validation_pair(validation_data):
    """``fit``'s ``validation_data`` as ``(X_val, y_val)`` (each checked by the model itself)."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError(
            f"validation_data must be a pair (X_val, y_val), got {describe(validation_data)}."
            " Fix: validation_data=(X_val, y_val)."
        )
    return validation_data


def fit_args(epochs, batch_size, callbacks, shuffle=True, verbose=0):
    """Check the rest of ``fit``'s arguments (after ``X``, ``y`` and ``validation_data``); returns
    the callbacks as a list."""
    positive_int("epochs", epochs, "the number of passes over the data, e.g. epochs=20.")
    positive_int("batch_size", batch_size, "samples per step, e.g. batch_size=32.")
    flag("shuffle", shuffle, "shuffle=True (the default) or shuffle=False")
    verbosity(verbose)
    return callback_list(callbacks)


def verbosity(verbose):
    """``verbose`` as in Keras: 0 (silent), 1 or 2 (a line per epoch), or a bool."""
    if isinstance(verbose, (bool, np.bool_)):
        return
    if not isinstance(verbose, (int, np.integer)) or verbose not in (0, 1, 2):
        raise (ValueError if isinstance(verbose, (int, np.integer)) else TypeError)(
            f"verbose must be 0 (silent), 1 or 2 (a line per epoch), got {describe(verbose)}. "
            "Fix: verbose=0 or verbose=1."
        )


def batch_size_arg(batch_size, what="predict", optional=False):
    """``predict``/``evaluate``'s ``batch_size``: a positive int (or None where allowed)."""
    if batch_size is None and optional:
        return None
    return positive_int(
        "batch_size", batch_size, f"samples per step, e.g. model.{what}(X, batch_size=256)."
    )


def build_args(model, input_dim):
    if not model.layers:
        raise NotReadyError(
            "build() needs a model with layers, got an empty Sequential. "
            "Fix: Sequential([Dense(...), ...]) or model.add(Dense(...)) first."
        )
    fix = "input_dim is the number of input features, e.g. model.build(2) (an int, not a shape)."
    if isinstance(input_dim, (tuple, list)) and len(input_dim) == 1:
        fix = f"model.build({input_dim[0]}) (an int, not the shape {input_dim!r})."
    return positive_int("input_dim", input_dim, fix)


def built_width(layer, dim):
    raise ValueError(
        f"{layer!r} expects {layer.input_dim} inputs, got input_dim={dim}. "
        f"Fix: model.build({layer.input_dim}), or a new model for {dim} features."
    )


_CALLBACK_METHODS = ("on_train_begin", "on_epoch_end", "on_train_end", "set_model")


def callback_list(callbacks):
    if callbacks is None:
        return []
    if any(hasattr(callbacks, m) for m in _CALLBACK_METHODS) or inspect.isclass(callbacks):
        name = getattr(callbacks, "__name__", type(callbacks).__name__)
        raise TypeError(
            f"callbacks must be a list of callbacks, got a single {name}. "
            f"Fix: callbacks=[{name}()] (in a list)."
        )
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            f"callbacks must be a list of callbacks, got {describe(callbacks)}. "
            "Fix: callbacks=[LiveCurves()]."
        )
    for cb in callbacks:
        if inspect.isclass(cb):
            raise TypeError(
                f"callbacks must hold callback objects, got {describe(cb)}. "
                f"Fix: callbacks=[{cb.__name__}()] (with parentheses)."
            )
        if not any(hasattr(cb, m) for m in _CALLBACK_METHODS):
            raise TypeError(
                f"a callback needs on_epoch_end(epoch, logs) (or on_train_begin/on_train_end), "
                f"got {describe(cb)} in callbacks. Fix: pass an object such as LiveCurves()."
            )
    return list(callbacks)
