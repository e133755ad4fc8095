"""Lesson 07 (Keras): count a Dense layer's parameters, scale images, build the MNIST model.

Keras is imported only inside the check that needs it, so ``import nnlib`` stays light.
"""

import numpy as np

from .core import Exercise, check_function, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 07.dense_params
dense_params = lesson_solution("07.dense_params")


def _check_dense_params(fn):
    result = check_function(fn, dense_params, [(2, 4), (4, 1), (784, 128), (128, 10), (1, 1)])
    if not result.passed and callable(fn):
        try:
            got = fn(784, 128)
        except Exception:
            return result
        if got == 784 * 128:
            result.message += (
                " (that is the number of weights - did you forget the biases, one per unit?)"
            )
        elif got == (784 + 1) * (128 + 1) or got == 784 * 128 + 784:
            result.message += " (there is one bias per unit (output), not per input)"
    return result


# --------------------------------------------------------------------------- 07.scale_images
scale_images = lesson_solution("07.scale_images")


def _check_scale_images(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    rng = np.random.default_rng(7)
    x = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    x[0, 0, 0], x[1, 0, 0] = 0, 255
    try:
        got = fn(x.copy())
    except Exception as exc:
        return not_yet(f"scale_images(uint8 images) raised {type(exc).__name__}: {exc}")
    if got is None:
        return not_yet("scale_images returned None - did you forget a `return`?")
    got = np.asarray(got)
    if got.shape != x.shape:
        return not_yet(
            f"the result has shape {got.shape}, expected the input's shape {x.shape} "
            f"(scaling must not flatten or drop images - the Flatten layer does that)"
        )
    if not np.issubdtype(got.dtype, np.floating):
        return not_yet(
            f"the result has dtype {got.dtype}; expected floats (float32). Integer division "
            f"`x // 255` gives only 0 and 1 - convert with .astype('float32') first"
        )
    if got.max() > 1.0 + 1e-6:
        return not_yet(f"values go up to {got.max():g}; expected 0..1 - divide by 255")
    if not np.allclose(got, x / 255.0, atol=1e-6):
        return not_yet(
            f"values are in 0..1 but not equal to x / 255 (e.g. pixel 255 -> {got[1, 0, 0]:g}, "
            f"expected 1; a pixel {int(x[2, 5, 5])} -> {got[2, 5, 5]:.4g}, expected "
            f"{x[2, 5, 5] / 255:.4g})"
        )
    if got.dtype != np.float32:
        return ok(f"values are right; tip: float32 ({got.dtype} here) halves the memory.")
    return ok("uint8 0..255 became float32 0..1, shape unchanged.")


# --------------------------------------------------------------------------- 07.build_mnist_model
build_mnist_model = lesson_solution("07.build_mnist_model")


MNIST_PARAMS = dense_params(784, 128) + dense_params(128, 10)  # 101 770


def _activation_name(layer):
    act = getattr(layer, "activation", None)
    return getattr(act, "__name__", str(act))


def _check_build_mnist_model(fn):
    import keras

    if not callable(fn):
        return not_yet(f"expected a function that returns a model, got {type(fn).__name__}")
    try:
        model = fn()
    except Exception as exc:
        return not_yet(f"build_mnist_model() raised {type(exc).__name__}: {exc}")
    if model is None:
        return not_yet("build_mnist_model() returned None - did you forget `return model`?")
    if not isinstance(model, keras.Model):
        return not_yet(
            f"build_mnist_model() should return a keras model, got {type(model).__name__}"
        )
    x = np.linspace(0, 1, 2 * 28 * 28, dtype=np.float32).reshape(2, 28, 28)
    try:
        out = np.asarray(model(x))
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return not_yet(
            f"the model cannot take a batch of 28x28 images (shape (2, 28, 28)): "
            f"{type(exc).__name__}: {first}. Start with keras.Input(shape=(28, 28)) and Flatten()"
        )
    if out.shape != (2, 10):
        hint = " - did you forget the Flatten layer?" if out.ndim == 3 else ""
        return not_yet(f"for 2 images the output has shape {out.shape}, expected (2, 10){hint}")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not any(isinstance(layer, keras.layers.Flatten) for layer in model.layers):
        return not_yet("the model has no Flatten layer: add keras.layers.Flatten() first")
    if [d.units for d in dense] != [128, 10]:
        return not_yet(
            f"the Dense layers have {[d.units for d in dense]} units, expected [128, 10]"
        )
    acts = [_activation_name(d) for d in dense]
    if acts[0] != "relu":
        return not_yet(f"the hidden layer uses activation {acts[0]!r}, expected 'relu'")
    if acts[1] != "softmax" or not np.allclose(out.sum(axis=1), 1, atol=1e-5):
        return not_yet(
            f"the output layer uses activation {acts[1]!r}; use 'softmax' so the 10 outputs "
            f"are probabilities that sum to 1"
        )
    n = model.count_params()
    if n != MNIST_PARAMS:
        return not_yet(f"the model has {n:,} parameters, expected {MNIST_PARAMS:,}")
    return ok(f"Flatten -> Dense(128, relu) -> Dense(10, softmax): {n:,} parameters.")


EXERCISES = [
    Exercise(
        id="07.dense_params",
        title="Count the parameters of a Dense layer",
        check=_check_dense_params,
        hint=[
            "Count what each of the `units` neurons owns: how many weights (one per what?) and"
            " how many biases?",
            "Each neuron has one weight per input and one bias.",
            "Multiply the weights per neuron by the number of neurons, then add the biases.",
        ],
    ),
    Exercise(
        id="07.scale_images",
        title="Scale the pixels to 0..1",
        check=_check_scale_images,
        hint=[
            "Pixels are stored as integers 0..255; the network wants floats between 0 and 1.",
            "Convert the array to a float type first (float32 is what Keras uses), so the "
            "division is not an integer one.",
            "Divide by 255 and keep the shape - Flatten inside the model does the reshaping.",
        ],
    ),
    Exercise(
        id="07.build_mnist_model",
        title="Build the MNIST classifier",
        check=_check_build_mnist_model,
        time_limit=60,  # the first check imports Keras and builds a model
        hint=[
            "Look at the model summary the lesson prints: the layers, in order, from the 28x28"
            " image to the 10 class probabilities.",
            "keras.Sequential takes a list: an Input of shape (28, 28), a Flatten, a hidden "
            "Dense layer, and an output Dense layer.",
            "Hidden layer: 128 units with ReLU; output: 10 units with softmax (the loss "
            "expects probabilities).",
        ],
    ),
]
