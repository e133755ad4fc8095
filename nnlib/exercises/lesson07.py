"""Lesson 07 (Keras): count a Dense layer's parameters, scale images, build the MNIST model, and
find what is wrong with a training run that learns nothing (a result: the check trains it).

Keras is imported only inside the check that needs it, so ``import nnlib`` stays light.
"""

import functools
import re

import numpy as np

from .core import Exercise, Mistake, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 07.dense_params
dense_params = lesson_solution("07.dense_params")


_DENSE_PARAMS_MISTAKES = [
    Mistake(
        "no biases",
        lambda inputs, units: inputs * units,
        "{problem} (that is the number of weights - did you forget the biases, one per unit?)",
    ),
    Mistake(
        "a bias per input",
        lambda inputs, units: inputs * units + inputs,
        "{problem} (there is one bias per unit (output), not per input)",
    ),
    Mistake(
        "biases both ways",
        lambda inputs, units: (inputs + 1) * (units + 1),
        "{problem} (there is one bias per unit (output), not per input)",
    ),
]


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


# --------------------------------------------------------------------------- 07.fix_training
fixed_training = lesson_solution("07.fix_training")

FIX_N_TRAIN, FIX_N_TEST = 2000, 1000
FIX_TARGET_ACC = 0.80  # on the check's 1 000 new digits (the fix: 87-92 %; the loss separates)
FIX_MAX_LOSS = 0.6  # cross-entropy on them: an over-confident model fails
FIX_TIME_LIMIT_S = 60.0
_SCALING_LAYERS = ("Rescaling", "Normalization")


@functools.cache
def fix_training_data():
    """The check's data, raw ``uint8`` as ``load_mnist`` gives it: the first 2 000 training
    digits to train on, the first 1 000 test digits to measure on (the real MNIST where the
    course has it, else the offline subset).  Copies, so the full set is not kept alive."""
    from nnlib import data

    (x, y), (x_test, y_test) = data.load_mnist(verbose=False)
    return (
        (x[:FIX_N_TRAIN].copy(), y[:FIX_N_TRAIN].copy()),
        (x_test[:FIX_N_TEST].copy(), y_test[:FIX_N_TEST].copy()),
    )


def _useful_line(text):
    """The line of a (TensorFlow) error message that says what is wrong, not where."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in lines:
        if re.search(
            r"Received|[Ee]xpected|incompatible|out(side the valid)? of range|is not in \[", line
        ):
            return line[:300]
    return lines[0][:300] if lines else ""


def _too_few_classes(exc, keras):
    """Whether the error comes from an output layer with fewer units than the 10 digit classes.

    TensorFlow words an out-of-range label by whichever op meets it first, and op determinism
    (``start_lesson`` turns it on) changes the op: "Received a label value of 9 which is outside
    the valid range of [0, 5)", "indices[4] = 7 is not in [0, 5)", "segment_ids[31] = 161 is out
    of range". So look at the model itself, in the learner's function's frame (``model = ...``)."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, keras.Model):
                try:
                    units = value.outputs[0].shape[-1]
                except Exception:
                    continue
                if units is not None and units < 10:
                    return True
        tb = tb.tb_next
    return "label value" in str(exc)


def _learning_rate(model):
    try:
        return float(np.asarray(model.optimizer.learning_rate))
    except Exception:
        return None


def _scales_inside(model):
    return any(type(layer).__name__ in _SCALING_LAYERS for layer in model.layers)


def _check_fix_training(fn):
    import keras

    if not callable(fn):
        return not_yet(
            f"expected the function fixed_training(x, y) that returns a trained model, got "
            f"{type(fn).__name__} - pass the function itself, without calling it."
        )
    (x, y), (x_new, y_new) = fix_training_data()
    keras.utils.set_random_seed(0)
    try:
        model = fn(x.copy(), y.copy())
    except Exception as exc:
        text = str(exc)
        extra = ""
        if _too_few_classes(exc, keras):
            extra = " - the output layer needs 10 units, one per digit class 0..9"
        return not_yet(
            f"fixed_training(x, y) on {len(x)} raw digits (uint8, shape {x.shape}) raised "
            f"{type(exc).__name__}: {_useful_line(text)}{extra}"
        )
    if model is None:
        return not_yet("fixed_training returned None: end it with `return model`.")
    if isinstance(model, keras.callbacks.History):
        return not_yet(
            "fixed_training returned the History that fit returns, not the model: call "
            "model.fit(x, y, ...) on its own line, then `return model`."
        )
    if not isinstance(model, keras.Model):
        return not_yet(
            f"fixed_training should return the trained keras model, got {type(model).__name__}"
        )
    try:
        probs = np.asarray(model.predict(x_new, verbose=0), dtype=np.float64)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return not_yet(
            f"the model cannot take the check's raw test digits (uint8, shape {x_new.shape}): "
            f"{type(exc).__name__}: {first}. Keep keras.Input(shape=(28, 28)) and Flatten()."
        )
    if probs.shape != (len(x_new), 10):
        return not_yet(
            f"for {len(x_new)} digits the model outputs shape {probs.shape}, expected "
            f"({len(x_new)}, 10): one probability per digit class."
        )
    if not np.allclose(probs.sum(axis=1), 1, atol=1e-3) or probs.min() < 0:
        return not_yet(
            "the outputs are not probabilities (they do not sum to 1): keep the softmax on the "
            "10-unit output layer - the loss sparse_categorical_crossentropy expects them."
        )
    acc = float(np.mean(probs.argmax(axis=1) == y_new))
    p_true = np.clip(probs[np.arange(len(y_new)), y_new.astype(int)], 1e-7, 1.0)
    loss = float(-np.mean(np.log(p_true)))
    measured = (
        f"on {len(x_new)} new raw digits the model is right {acc:.1%} of the time with a "
        f"cross-entropy loss of {loss:.3f} (needed: at least {FIX_TARGET_ACC:.0%} and at most "
        f"{FIX_MAX_LOSS})"
    )
    if acc >= FIX_TARGET_ACC and loss <= FIX_MAX_LOSS:
        return ok(f"{measured[0].upper()}{measured[1:]}. The run learns.")
    found = []
    lr = _learning_rate(model)
    if lr is not None and lr >= 0.05:
        found.append(
            f"the learning rate is {lr:g}: every Adam step moves each weight by about that much, "
            f"far past any minimum - the weights jump around and the network ends up guessing. "
            f"Adam's default, 1e-3, is the usual start"
        )
    if not _scales_inside(model):
        if acc >= FIX_TARGET_ACC:
            found.append(
                "the accuracy is fine but the loss is large: the model is over-confident, "
                "because nothing in the model scales the pixels. (If you scaled x inside "
                "fixed_training: the check tests the model on raw pixels too.) Put the scaling "
                "into the model, a layer that divides them by 255 (section 4)"
            )
        else:
            found.append(
                "nothing in the model scales the pixels: it gets raw values 0..255 (section 8: "
                "no error, just bad training). Add a layer that divides them by 255 (section 4)"
            )
    if not found and acc < 0.3:
        found.append(
            "the model classifies about as well as guessing (10 %): is it trained - does "
            "fixed_training call model.fit(x, y, ...) before the return?"
        )
    if not found:
        found.append(
            "the scaling and the learning rate look right, so it may just need more training: "
            "more epochs (the broken run's 5 take about a second here)"
        )
    what = "; and ".join(found)
    return not_yet(f"{measured}. What the check sees: {what}.")


EXERCISES = [
    Exercise(
        id="07.dense_params",
        cases=[(2, 4), (4, 1), (784, 128), (128, 10), (1, 1)],
        mistakes=_DENSE_PARAMS_MISTAKES,
        hint=[
            "Count what each of the `units` neurons owns: how many weights (one per what?) and"
            " how many biases?",
            "Each neuron has one weight per input and one bias.",
            "Multiply the weights per neuron by the number of neurons, then add the biases.",
        ],
    ),
    Exercise(
        id="07.scale_images",
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
    Exercise(
        id="07.fix_training",
        check=_check_fix_training,
        time_limit=FIX_TIME_LIMIT_S,
        hint=[
            "Read the symptom first: a loss of about ln(10) = 2.3 or more and an accuracy "
            "near 10 % mean the network guesses. Then look at two things: the numbers that go "
            "into the network, and the size of each training step.",
            "The images are raw bytes 0..255, and nothing in broken_training divides them "
            "(section 8 showed that this raises no error). And look at the optimizer's "
            "learning rate: compare it with the one the MNIST model of section 4 used.",
            "Add keras.layers.Rescaling(1 / 255) right after the Input (the check gives the "
            "model raw pixels, also to test it), and use Adam(learning_rate=1e-3).",
        ],
    ),
]
