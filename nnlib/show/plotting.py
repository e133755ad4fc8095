"""Plots used across the course, in one colour-blind-safe style (Okabe-Ito palette).

* :func:`use_style` - ``"default"`` or ``"classroom"`` (large fonts and thick lines for projectors);
  both use constrained layout (titles, labels and legends never overlap) and let the style set
  every font size (lessons pass no ``fontsize=``); classes differ by colour *and* marker
  (:data:`CLASS_MARKERS`)
* :func:`plot_decision_boundary` - regions of any predict function over 2-D data
* :func:`plot_history` - loss and accuracy, training vs validation
* :func:`plot_image_grid` - images with labels and predictions, mistakes marked
* :func:`plot_confusion_matrix`
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.scale as mscale
import matplotlib.ticker as mticker
import numpy as np
from matplotlib.colors import ListedColormap

from ..nn import _checks as checks
from ..nn.metrics import confusion_matrix

# Okabe & Ito (2008), safe for the common forms of colour blindness.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
# Marker shape per class, so that classes differ without colour too (grey print, projectors).
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
CORRECT_COLOR = OKABE_ITO[2]
MISTAKE_COLOR = OKABE_ITO[5]
SEQUENTIAL_CMAP = "viridis"  # perceptually uniform and colour-blind safe

_STYLES = {
    "default": {
        "figure.figsize": (6.4, 4.4),
        "figure.dpi": 90,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "lines.linewidth": 2.0,
        "lines.markersize": 5,
        "legend.fontsize": 10,
        "figure.titlesize": 13,
    },
    "classroom": {
        "figure.figsize": (9, 6),
        "figure.dpi": 100,
        "font.size": 17,
        "axes.titlesize": 20,
        "axes.labelsize": 18,
        "xtick.labelsize": 15,
        "ytick.labelsize": 15,
        "lines.linewidth": 3.5,
        "lines.markersize": 9,
        "legend.fontsize": 15,
        "legend.title_fontsize": 15,
        "figure.titlesize": 21,
        # room between a title and the top tick label, and between the two axes' tick labels
        "axes.titlepad": 14,
        "xtick.major.pad": 6,
        "ytick.major.pad": 6,
    },
}


def use_style(name="default"):
    """Set the course's matplotlib style: ``"default"`` or ``"classroom"`` (for projectors)."""
    checks.one_of(
        "style", name, _STYLES, f"use_style({sorted(_STYLES)[1]!r}) or use_style('classroom')"
    )
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.cmap": SEQUENTIAL_CMAP,
            # Constrained layout makes room for titles, suptitles, labels, colorbars and legends
            # outside the axes, so nothing overlaps at any font size (autolayout does not).
            "figure.autolayout": False,
            "figure.constrained_layout.use": True,
        }
    )
    # keys that only the other style sets go back to matplotlib's defaults (classroom, then
    # default, must not keep the classroom's 15 pt ticks)
    others = {k for style in _STYLES.values() for k in style} - set(_STYLES[name])
    mpl.rcParams.update({k: mpl.rcParamsDefault[k] for k in others})
    mpl.rcParams.update(_STYLES[name])
    _register_log_scale()
    return name


class _ReadableLogFormatter(mticker.LogFormatter):
    """Log-axis tick labels as plain numbers (0.001, 0.5, 100) rather than ``6×10⁻¹`` with
    a tiny superscript; scientific ``1e-06`` only outside 0.001..100000."""

    def _num_to_string(self, x, vmin, vmax):
        if x == 0:
            return "0"
        if 1e-3 <= abs(x) < 1e5:
            return f"{x:.4g}"
        return f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e")


class _ReadableLogScale(mscale.LogScale):
    def __init__(self, *, base=10, subs=None, nonpositive="clip"):
        super().__init__(None, base=base, subs=subs, nonpositive=nonpositive)

    def set_default_locators_and_formatters(self, axis):
        super().set_default_locators_and_formatters(axis)
        axis.set_major_formatter(_ReadableLogFormatter(self.base))
        axis.set_minor_formatter(_ReadableLogFormatter(self.base, labelOnlyBase=False))


def _register_log_scale():
    """``set_yscale("log")``/``semilogy`` get readable tick labels (see the formatter)."""
    mscale.register_scale(_ReadableLogScale)


def class_style(c):
    """Colour and marker of class ``c``: ``ax.scatter(..., **class_style(c))``."""
    c = _class_index("c", c)
    return {"color": OKABE_ITO[c % len(OKABE_ITO)], "marker": CLASS_MARKERS[c % len(CLASS_MARKERS)]}


def _class_index(what, c):
    """A class label 0, 1, 2 ... (an int, or a whole float such as 1.0)."""
    ok = isinstance(c, (int, np.integer, float, np.floating)) and not isinstance(c, bool)
    if not ok or not np.isfinite(c) or c != int(c) or c < 0:
        raise (ValueError if ok else TypeError)(
            f"{what} must be a class label 0, 1, 2 ..., got {checks.describe(c)}. "
            f"Fix: class_style(int(label)) with labels encoded as 0..k-1."
        )
    return int(c)


def _axes(what, ax, n=1):
    """``ax`` must be None or matplotlib Axes (``n`` of them for several panels)."""
    if ax is None:
        return None
    many = np.atleast_1d(np.asarray(ax, dtype=object)).ravel()
    if not all(isinstance(a, mpl.axes.Axes) for a in many):
        raise TypeError(
            f"{what} must be matplotlib Axes (or None for a new figure), got "
            f"{checks.describe(ax)}. Fix: fig, {what} = plt.subplots(), or leave {what} out."
        )
    if len(many) < n:
        raise ValueError(
            f"{what} must hold {n} Axes (one per panel), got {len(many)}. "
            f"Fix: fig, {what} = plt.subplots(1, {n}), or leave {what} out."
        )
    return many


def _scale():
    """How much larger than the default style the current fonts are (1 in "default")."""
    return mpl.rcParams["font.size"] / _STYLES["default"]["font.size"]


def _as_2d_points(X):
    fix = "two features per sample, e.g. X[:, :2], or a model on 2 features."
    X = checks.numbers_array("X", X, fix, finite=False, empty_ok=True)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) for a 2-D plot, got {X.shape}. Fix: {fix}")
    return checks.numbers_array("X", X, "drop the rows with NaN or inf.")


def _labels_from_output(out, n):
    """Turn a predict function's output into class labels: probabilities, scores or labels."""
    fix = "predict must return one label or probability per row of its (m, 2) input."
    if out is None or isinstance(out, (str, bytes)):
        raise TypeError(
            f"predict must return an array of {n} labels or probabilities, got "
            f"{checks.describe(out)}. Fix: {fix}"
        )
    out = checks.numbers_array("predict's output", out, "predict must return numbers.")
    if len(out) != n or (out.ndim == 2 and out.shape[1] == 1 and out.size != n) or out.ndim > 2:
        raise ValueError(
            f"predict must return {n} labels or probabilities for {n} points, got shape "
            f"{out.shape}. Fix: {fix}"
        )
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(n)
    if np.issubdtype(out.dtype, np.integer) or np.issubdtype(out.dtype, np.bool_):
        return out.astype(int)
    return (out >= 0.5).astype(int)


def plot_decision_boundary(
    predict, X, y, ax=None, title="Decision boundary", resolution=150, padding=0.5
):
    """Colour the plane by the class that ``predict`` gives and scatter the data on top.

    ``predict`` takes an array of shape (m, 2) and returns labels (m,), probabilities of class 1
    ((m,) or (m, 1), thresholded at 0.5) or class scores (m, k) (argmax is used).
    """
    X = _as_2d_points(X)
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(
            f"y must be an array of class labels, got {checks.describe(y)}. "
            "Fix: the labels of the points in X, e.g. plot_decision_boundary(model.predict, X, y)."
        )
    checks.same_length("X", X, "y", np.asarray(y).reshape(-1), "pass the labels of X's points.")
    y = checks.class_labels("y", y)
    if not callable(predict):
        raise TypeError(
            f"predict must be a function, got {type(predict).__name__} ({checks.describe(predict)})"
            ". Fix: pass model.predict (the method, without calling it)."
        )
    _axes("ax", ax)
    checks.count("resolution", resolution, 2, "grid points per side, e.g. resolution=150.")
    padding = checks.nonnegative("padding", padding, "a margin around the data, e.g. padding=0.5.")
    ax = ax or plt.subplots()[1]
    x0, x1 = X[:, 0].min() - padding, X[:, 0].max() + padding
    y0, y1 = X[:, 1].min() - padding, X[:, 1].max() + padding
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.c_[xx.ravel(), yy.ravel()]
    zz = _labels_from_output(predict(grid), len(grid)).reshape(xx.shape)
    n_classes = int(max(zz.max(), y.max())) + 1
    cmap = ListedColormap(OKABE_ITO[:n_classes])
    ax.contourf(xx, yy, zz, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    for c in range(n_classes):
        m = y == c
        ax.scatter(
            X[m, 0],
            X[m, 1],
            s=18 * _scale(),
            **class_style(c),
            edgecolor="white",
            linewidth=0.5,
            label=f"class {c}",
        )
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(x0, x1), ylim=(y0, y1))
    ax.legend(loc="best", framealpha=0.8)
    return ax


def _history_dict(history):
    if isinstance(history, dict):
        return history
    if hasattr(history, "history") and isinstance(history.history, dict):
        return history.history  # Keras History or nnlib History
    raise TypeError(
        f"history must be a dict or an object with a .history dict (Keras or nnlib), "
        f"got {type(history).__name__}. Fix: history = model.fit(...); plot_history(history)."
    )


def plot_history(history, axes=None, title="Training history"):
    """Loss (and accuracy, if recorded) per epoch, training vs validation."""
    h = _history_dict(history)
    if "loss" not in h:
        raise ValueError(
            f"history must have a 'loss' entry, got no 'loss' entry; keys are {sorted(h)}. "
            "Fix: pass the History that fit returned, or {'loss': [...], ...}."
        )
    for key, values in h.items():
        checks.numbers_array(
            f"history[{key!r}]",
            values,
            "one number per epoch, as fit records them.",
            finite=False,
            empty_ok=True,
        )
    if not len(h["loss"]):
        raise ValueError(
            "history must hold at least one epoch, got an empty 'loss' list. "
            "Fix: plot after fit(..., epochs=1 or more)."
        )
    short = {k: len(v) for k, v in h.items() if np.ndim(v) != 1 or len(v) != len(h["loss"])}
    if short:
        raise ValueError(
            f"every entry of history needs one value per epoch, like 'loss' ({len(h['loss'])}); "
            f"got {short}. Fix: pass the History that fit returned, or lists of equal length."
        )
    acc_key = next((k for k in ("accuracy", "acc") if k in h), None)
    n_panels = 2 if acc_key else 1
    _axes("axes", axes, n_panels)
    if axes is None:
        k = _scale()
        fig, axes = plt.subplots(1, n_panels, figsize=(5.5 * k * n_panels, 3.8 * k))
    axes = np.atleast_1d(axes)
    epochs = np.arange(1, len(h["loss"]) + 1)
    panels = [("loss", "Loss")] + ([(acc_key, "Accuracy")] if acc_key else [])
    for ax, (key, label) in zip(axes, panels):
        ax.plot(epochs, h[key], color=OKABE_ITO[0], label="training")
        if f"val_{key}" in h:
            ax.plot(epochs, h[f"val_{key}"], color=OKABE_ITO[1], linestyle="--", label="validation")
        ax.set(title=f"{title}: {label.lower()}", xlabel="epoch", ylabel=label)
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))  # whole epochs, not 1.25
        if len(epochs) == 1:  # one point: ticks 0.945, 0.960, ... would crowd the axis
            ax.set_xlim(0.5, 1.5)
            ax.set_xticks([1])
        ax.legend()
    return axes


def _class_names(what, names, k, exact=False):
    """``names`` must be None or a list of k names (at least k, unless ``exact``)."""
    if names is None:
        return
    if isinstance(names, (str, bytes)) or not hasattr(names, "__len__"):
        raise TypeError(
            f"{what} must be a list of names, one per class, got {checks.describe(names)}. "
            f"Fix: {what}=['cat', 'dog', ...]."
        )
    if len(names) < k or (exact and len(names) != k):
        raise ValueError(
            f"{what} must hold {k} names (one per class 0..{k - 1}), got {len(names)}. "
            f"Fix: one name per class, in the order of the labels."
        )


def plot_image_grid(images, labels, predictions=None, class_names=None, n=16, ncols=8, title=None):
    """Show up to ``n`` images with their labels; with ``predictions``, mistakes are framed in
    vermillion and titled ``pred (true)``, correct ones in green."""
    images = checks.numbers_array(
        "images", images, "an array of images (n, h, w), e.g. x_test[:16].", finite=False
    )
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(
                f"flat images must have a square number of pixels, got {images.shape}. "
                "Fix: reshape them to (n, h, w) first."
            )
        images = images.reshape(-1, side, side)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4):
        raise ValueError(
            f"images must have shape (n, h, w), (n, h, w, 1|3) or (n, h*w), got {images.shape}. "
            "Fix: one image per row, e.g. x_test[:16]."
        )
    if labels is None or isinstance(labels, (str, bytes)) or np.ndim(labels) == 0:
        raise TypeError(
            f"labels must be an array with one label per image, got {checks.describe(labels)}. "
            "Fix: plot_image_grid(images, labels) with labels such as y_test[:16]."
        )
    if len(np.asarray(labels).reshape(-1)) != len(images):
        raise ValueError(
            f"got {len(images)} images but {len(np.asarray(labels).reshape(-1))} labels: labels "
            "must have one label per image. Fix: slice images and labels alike."
        )
    labels = checks.class_labels("labels", labels)
    if predictions is not None:
        if isinstance(predictions, (str, bytes)) or np.ndim(predictions) == 0:
            raise TypeError(
                f"predictions must be an array with one prediction per image, got "
                f"{checks.describe(predictions)}. Fix: predictions=model.predict(x).argmax(axis=1)."
            )
        predictions = checks.numbers_array("predictions", predictions, "model.predict(x) output.")
        if predictions.ndim == 2 and predictions.shape[1] > 1:
            predictions = predictions.argmax(axis=1)
        if len(predictions) != len(images):
            raise ValueError(
                f"got {len(images)} images but {len(predictions)} predictions: predictions must "
                "have one per image. Fix: predict on the same images."
            )
        predictions = checks.class_labels("predictions", predictions)
    n = checks.count("n", n, 1, "how many images to show, e.g. n=16.")
    ncols = checks.count("ncols", ncols, 1, "images per row, e.g. ncols=8.")
    largest = labels.max() if predictions is None else max(labels.max(), predictions.max())
    _class_names("class_names", class_names, int(largest) + 1)
    n = min(n, len(images))
    nrows = int(np.ceil(n / ncols))
    ncols = min(ncols, n)
    k = _scale()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(1.3 * k * ncols, (1.5 * nrows + 0.4) * k), squeeze=False
    )
    name = (lambda c: class_names[int(c)]) if class_names is not None else (lambda c: str(int(c)))
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(images[i], cmap="gray_r" if images.ndim == 3 else None)
        if predictions is None:
            ax.set_title(name(labels[i]), fontsize="small")
            continue
        ok = predictions[i] == labels[i]
        color = CORRECT_COLOR if ok else MISTAKE_COLOR
        text = name(predictions[i]) if ok else f"{name(predictions[i])} ({name(labels[i])})"
        ax.set_title(text, fontsize="small", color=color, fontweight="normal" if ok else "bold")
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color(color)
            spine.set_linewidth(1 if ok else 3)
    if title is None and predictions is not None:
        title = "Predictions - mistakes framed in vermillion as pred (true)"
    if title:
        fig.suptitle(title)
    return fig


def plot_confusion_matrix(
    y_true, y_pred, class_names=None, normalize=False, ax=None, title="Confusion matrix"
):
    """Rows: true class; columns: predicted class.  ``normalize=True`` shows row fractions."""
    cm = confusion_matrix(y_true, y_pred)
    normalize = checks.flag("normalize", normalize, "normalize=True for row fractions")
    _axes("ax", ax)
    _class_names("class_names", class_names, len(cm), exact=True)
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    k = len(cm)
    names = class_names if class_names is not None else [str(i) for i in range(k)]
    z = _scale()
    ax = ax or plt.subplots(figsize=((1.6 + 0.55 * k) * z, (0.8 + 0.5 * k) * z))[1]
    im = ax.imshow(shown, cmap=SEQUENTIAL_CMAP)
    ax.grid(False)
    ax.set(
        xticks=range(k),
        yticks=range(k),
        xticklabels=names,
        yticklabels=names,
        xlabel="predicted class",
        ylabel="true class",
        title=title,
    )
    thresh = shown.max() / 2 if shown.max() > 0 else 0.5
    for i in range(k):
        for j in range(k):
            text = f"{shown[i, j]:.2f}" if normalize else str(cm[i, j])
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize="x-small",
                color="black" if shown[i, j] > thresh else "white",
            )
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax
