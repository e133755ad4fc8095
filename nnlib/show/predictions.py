"""A model's predictions on images (lessons 7 and 8): friendly image checks and a prediction plot.

* :func:`check_images` - is this batch shaped and scaled the way the model expects?  If not, a
  ``ValueError`` says what was expected, what was given, and how to fix it ("scale by 255",
  "flatten with ...").
* :func:`plot_prediction` - one image next to a bar chart of the predicted class probabilities.

Lesson 7's "Try it", the same picture for any test digit, is
:func:`nnlib.widgets.prediction_browser`.  NumPy and matplotlib only: importing this module does
not import Keras.  The live training curves are in :mod:`nnlib.show.liveplot`.
"""

from __future__ import annotations

import numpy as np

from .plotting import CORRECT_COLOR, MISTAKE_COLOR, OKABE_ITO

__all__ = ["check_images", "plot_prediction", "as_image", "prediction_axes"]


# --------------------------------------------------------------------------- checking images


def _shape_text(shape):
    return (
        "("
        + ", ".join("n" if d is None else str(d) for d in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )


def check_images(x, expected_shape=(None, 28, 28), scaled=True, name="x"):
    """Check a batch of images before it goes into a model; return it as ``float32``.

    Parameters
    ----------
    x : array-like
        The batch, e.g. MNIST images of shape ``(n, 28, 28)``.
    expected_shape : tuple
        The shape the model expects; ``None`` means "any size" (the batch axis).  Use
        ``(None, 784)`` for a model that starts with ``Dense`` on flat vectors.
    scaled : bool
        ``True`` (default): pixel values must be floats in 0..1.  Raw MNIST is ``uint8``
        0..255, which trains badly - the message then says "scale by 255".
    name : str
        The variable name used in messages.

    Raises
    ------
    TypeError
        ``x`` is not numeric (for example a list of strings or ``None``).
    ValueError
        Wrong shape (with a hint to flatten, un-flatten or add the batch axis) or wrong scale.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a NumPy array of images, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} could not be turned into an array: {exc}") from None
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    expected_shape = tuple(expected_shape)
    if not _shape_matches(arr.shape, expected_shape):
        raise ValueError(
            f"{name} has shape {arr.shape}, expected {_shape_text(expected_shape)}"
            + _shape_hint(arr.shape, expected_shape, name)
        )
    if scaled and arr.size:
        lo, hi = float(arr.min()), float(arr.max())
        if np.issubdtype(arr.dtype, np.integer) or hi > 1.0 + 1e-6:
            raise ValueError(
                f"{name} should hold pixel values scaled to 0..1 (float), got dtype {arr.dtype} "
                f"with values {lo:g}..{hi:g}: scale by 255, e.g. "
                f"{name} = {name}.astype('float32') / 255"
            )
        if lo < -1e-6:
            raise ValueError(
                f"{name} should hold pixel values in 0..1, got values {lo:g}..{hi:g} "
                f"(negative values: was the data standardized twice?)"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or inf values")
    return arr.astype(np.float32, copy=False)


def _shape_matches(shape, expected):
    return len(shape) == len(expected) and all(e is None or s == e for s, e in zip(shape, expected))


def _shape_hint(shape, expected, name):
    size = lambda dims: int(np.prod(dims)) if len(dims) else 1
    if len(expected) == 2 and len(shape) >= 3 and expected[1] in (None, size(shape[1:])):
        return (
            f": the model wants flat vectors - flatten the images first, e.g. "
            f"{name}.reshape(len({name}), -1), or start the model with a Flatten layer"
        )
    if len(shape) == 2 and len(expected) >= 3 and shape[1] == size(expected[1:]):
        dims = ", ".join(str(d) for d in expected[1:])
        return f": these are flat vectors - reshape them back to images, e.g. {name}.reshape(-1, {dims})"
    if len(shape) == len(expected) - 1 and _shape_matches(shape, expected[1:]):
        return f": a single image - add the batch axis, e.g. {name}[None] (shape (1, ...))"
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        return f": drop the channel axis, e.g. {name}[..., 0]"
    if len(shape) == len(expected) - 1 and expected[-1] == 1:
        return f": add a channel axis, e.g. {name}[..., None]"
    return ""


# --------------------------------------------------------------------------- a prediction plot


def as_image(image):
    """One image as a 2-D array: (28, 28), (1, 28, 28), (28, 28, 1) or flat (784,)."""
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[0] == 1:
        img = img[0]
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 1:
        side = int(round(np.sqrt(img.size)))
        if side * side == img.size:
            img = img.reshape(side, side)
    if img.ndim != 2:
        raise ValueError(f"image must be one 2-D image such as (28, 28), got shape {img.shape}")
    return img


def plot_prediction(image, probabilities, label=None, class_names=None, axes=None):
    """Show one image and a bar chart of the predicted probabilities.

    The predicted class is the highest bar (vermillion if it is wrong, green if right; blue
    when ``label`` is not given).  Returns the two axes.
    """
    import matplotlib.pyplot as plt

    img = as_image(image)
    p = (
        np.asarray(probabilities, dtype=np.float64).reshape(-1)
        if probabilities is not None
        else None
    )
    if p is None or p.size < 2:
        raise ValueError(
            f"probabilities must be a vector with one entry per class, got "
            f"{None if p is None else p.shape}"
        )
    if np.any(p < -1e-6) or abs(p.sum() - 1) > 1e-3:
        raise ValueError(
            f"probabilities must be >= 0 and sum to 1 (softmax output), got sum {p.sum():.4g}"
        )
    k = p.size
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(f"got {k} probabilities but {len(names)} class names")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8, 3.2), gridspec_kw={"width_ratios": [1, 2]})
    ax_img, ax_bar = axes
    pred = int(p.argmax())
    colors = [OKABE_ITO[0]] * k
    if label is not None:
        colors[pred] = CORRECT_COLOR if pred == int(label) else MISTAKE_COLOR
    else:
        colors[pred] = OKABE_ITO[1]
    ax_img.imshow(img, cmap="gray_r")
    prediction_axes(ax_img, ax_bar, names)
    truth = f", true: {names[int(label)]}" if label is not None else ""
    ax_img.set_title(f"predicted: {names[pred]}{truth}")
    ax_bar.bar(range(k), p, color=colors)
    ax_bar.set_title(f"Softmax output (max {p[pred]:.2f})")
    return axes


def prediction_axes(ax_img, ax_bar, names):
    """What plot_prediction and prediction_browser draw the same: a bare image panel and the
    bar panel's class ticks, limits and labels."""
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    ax_img.grid(False)
    ax_bar.set(xticks=range(len(names)), xticklabels=names, ylim=(0, 1), xlabel="class")
    ax_bar.set_ylabel("predicted probability")
