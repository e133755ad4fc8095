"""Lesson 1's "Try it": one neuron as a linear classifier, with sliders for ``w1``, ``w2`` and
``b`` (:func:`neuron_widget`).  The widget is a thin shell around plain functions, so the numbers
it shows can be computed (and tested) without a browser: :func:`neuron_predict`,
:func:`neuron_accuracy`, :func:`accuracy_text`, :func:`plot_neuron`, and
:func:`neuron_geometry` (the decision line and the weight arrow in a window).
"""

from __future__ import annotations

import numpy as np

from ..show.plotting import OKABE_ITO
from .base import PlanePicture, check_number

__all__ = [
    "neuron_predict",
    "neuron_accuracy",
    "accuracy_text",
    "plot_neuron",
    "neuron_geometry",
    "neuron_widget",
]


def _check_xy(X, y):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y is not None:
        y = np.asarray(y).reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    return X, y


def neuron_predict(X, w1, w2, b):
    """Class labels of one neuron with a step activation: ``1`` where ``w1*x1 + w2*x2 + b >= 0``.

    ``X`` has shape (n, 2); returns an int array of shape (n,).
    """
    X, _ = _check_xy(X, None)
    w = np.array([check_number(w1, "w1"), check_number(w2, "w2")])
    return (X @ w + check_number(b, "b") >= 0).astype(np.int64)


def neuron_accuracy(X, y, w1, w2, b):
    """Fraction of points of ``X`` (n, 2) that :func:`neuron_predict` labels as ``y`` (n,)."""
    X, y = _check_xy(X, y)
    return float(np.mean(neuron_predict(X, w1, w2, b) == y))


def accuracy_text(accuracy):
    """The label the neuron widget shows, e.g. ``accuracy_text(0.875) == "accuracy: 87.5 %"``."""
    acc = check_number(accuracy, "accuracy")
    if not 0 <= acc <= 1:
        raise ValueError(f"accuracy must be between 0 and 1, got {acc!r}")
    return f"accuracy: {100 * acc:.1f} %"


def plot_neuron(X, y, w1, w2, b, ax=None, padding=0.5, marker_size=20):
    """Scatter ``X`` coloured by ``y``, shade the half-plane the neuron calls class 1, and draw the
    decision line ``w1*x1 + w2*x2 + b = 0`` with the weight vector as an arrow (it points
    towards class 1).  Returns the axes."""
    import matplotlib.pyplot as plt

    X, y = _check_xy(X, y)
    w1, w2, b = (check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    ax = ax or plt.subplots(figsize=(5.2, 4.6))[1]
    x0, x1 = X[:, 0].min() - padding, X[:, 0].max() + padding
    y0, y1 = X[:, 1].min() - padding, X[:, 1].max() + padding
    xx, yy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    zz = neuron_predict(np.c_[xx.ravel(), yy.ravel()], w1, w2, b).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=OKABE_ITO[:2], alpha=0.18)
    for c in (0, 1):
        m = y == c
        ax.scatter(
            X[m, 0],
            X[m, 1],
            s=marker_size,
            color=OKABE_ITO[c],
            marker="os"[c],
            edgecolor="white",
            linewidth=0.5,
            label=f"class {c}",
        )
    line, arrow = neuron_geometry(w1, w2, b, (x0, x1, y0, y1))
    if line is None:
        ax.text(0.5, 0.95, "w = 0: no line", transform=ax.transAxes, ha="center", va="top")
    else:
        ax.plot(*line, color="black", label="decision line")
    if arrow is not None:  # the weight vector, drawn from the point of the line closest to 0
        ax.annotate(
            "", xy=arrow[1], xytext=arrow[0], arrowprops={"arrowstyle": "->", "lw": 2},
            annotation_clip=False,
        )  # fmt: skip
    acc = neuron_accuracy(X, y, w1, w2, b)
    ax.set(
        xlim=(x0, x1),
        ylim=(y0, y1),
        xlabel="$x_1$",
        ylabel="$x_2$",
        title=f"{w1:.2f}·x1 {w2:+.2f}·x2 {b:+.2f} ≥ 0 → class 1   ({accuracy_text(acc)})",
    )
    ax.title.set_fontsize("medium")  # a long title: body size, set by the style (it wraps)
    ax.legend(loc="best", framealpha=0.8)
    return ax


def neuron_geometry(w1, w2, b, window):
    """The decision line ``w1*x1 + w2*x2 + b = 0`` across ``window = (x0, x1, y0, y1)`` as
    ``(xs, ys)`` (``None`` when ``w = 0``) and the weight arrow ``(start, end)`` (``None`` when
    ``w = 0`` or its start is outside the window)."""
    x0, x1, y0, y1 = window
    if w1 == 0 and w2 == 0:
        return None, None
    if abs(w2) >= abs(w1):  # x2 = -(w1 x1 + b) / w2
        xs = np.array([x0, x1])
        line = (xs, -(w1 * xs + b) / w2)
    else:  # x1 = -(w2 x2 + b) / w1
        ys = np.array([y0, y1])
        line = (-(w2 * ys + b) / w1, ys)
    norm = np.hypot(w1, w2)
    p = -b * np.array([w1, w2]) / norm**2
    d = 0.15 * min(x1 - x0, y1 - y0) * np.array([w1, w2]) / norm
    arrow = (p, p + d) if x0 <= p[0] <= x1 and y0 <= p[1] <= y1 else None
    return line, arrow


class _LiveNeuron(PlanePicture):
    """The neuron widget's figure: :func:`plot_neuron`'s picture, updated in place."""

    def __init__(self, X, y, padding=0.5):
        self.X, self.y = X, y
        margins = {"left": 0.13, "right": 0.97, "top": 0.92, "bottom": 0.24}
        super().__init__(X, y, padding, 120, margins, point_size=20)
        ax, points = self.ax, self.points
        (self.line,) = ax.plot([], [], color="black", label="decision line")
        self.no_line = ax.text(
            0.5, 0.95, "w = 0: no line", transform=ax.transAxes, ha="center", va="top"
        )
        self.arrow = ax.annotate(
            "", xy=(0, 0), xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 2},
            annotation_clip=False,
        )  # fmt: skip
        ax.set_title(" ", fontsize="small")  # relative: the style sets the size
        self.view.fig.legend(
            handles=[*points, self.line], loc="lower center", ncol=3, frameon=False
        )
        self.view.animate(self.shade, *points, self.line, self.no_line, self.arrow, ax.title)

    def update(self, w1, w2, b, accuracy):
        zz = neuron_predict(self.grid, w1, w2, b).reshape(self.shape)
        self.shade.set_data(zz)
        line, arrow = neuron_geometry(w1, w2, b, self.window)
        self.line.set_visible(line is not None)
        self.no_line.set_visible(line is None)
        if line is not None:
            self.line.set_data(*line)
        self.arrow.set_visible(arrow is not None)
        if arrow is not None:
            self.arrow.set_position(arrow[0])
            self.arrow.xy = tuple(arrow[1])
        title = f"{w1:.2f}·x1 {w2:+.2f}·x2 {b:+.2f} ≥ 0 → class 1   ({accuracy_text(accuracy)})"
        self.ax.title.set_text(title)
        self.view.refresh(alt=f"Neuron decision line: {title}")


def neuron_widget(X, y, w1=1.0, w2=0.0, b=0.0, limit=3.0):
    """Sliders for ``w1``, ``w2`` and ``b`` that move a neuron's decision line over 2-D data.

    Parameters
    ----------
    X, y : arrays of shape (n, 2) and (n,) with labels 0/1 (e.g. ``nnlib.data.make_blobs()``).
    w1, w2, b : float
        Starting values of the sliders.
    limit : float
        The sliders run from ``-limit`` to ``limit``.

    Returns
    -------
    ipywidgets.VBox
        Display it (it is the last expression of a cell, or ``display(box)``).  It has the CSS
        class ``nnlib-neuron-widget`` and these attributes:

        * ``box.sliders`` - dict ``{"w1": FloatSlider, "w2": ..., "b": ...}``;
        * ``box.accuracy_label`` - an ``HTML`` widget with CSS class ``nnlib-accuracy`` whose
          value is :func:`accuracy_text` of the current weights, e.g. ``"accuracy: 87.5 %"``;
        * ``box.output`` - the ``Image`` that shows the figure (:func:`plot_neuron`'s picture,
          updated in place: one figure, only the changed parts redrawn, ~20 ms a step);
        * ``box.update()`` - redraw now (moving a slider calls it).

    Setting ``box.sliders["w1"].value = 2.0`` from code updates the label and the figure, just as
    dragging the slider does.
    """
    import ipywidgets as widgets

    X, y = _check_xy(X, y)
    limit = check_number(limit, "limit")
    if limit <= 0:
        raise ValueError(f"limit must be > 0, got {limit}")
    start = {"w1": w1, "w2": w2, "b": b}
    sliders = {}
    for name, value in start.items():
        value = check_number(value, name)
        if not -limit <= value <= limit:
            raise ValueError(f"{name} must be between {-limit} and {limit}, got {value}")
        sliders[name] = widgets.FloatSlider(
            value=value,
            min=-limit,
            max=limit,
            step=0.05,
            description=name,
            continuous_update=True,
            readout_format=".2f",
        )
    label = widgets.HTML().add_class("nnlib-accuracy")
    live = _LiveNeuron(X, y)
    output = live.view.image

    def update(_change=None):
        v = {k: s.value for k, s in sliders.items()}
        acc = neuron_accuracy(X, y, v["w1"], v["w2"], v["b"])
        label.value = accuracy_text(acc)
        live.update(v["w1"], v["w2"], v["b"], acc)

    for s in sliders.values():
        s.observe(update, names="value")
    box = widgets.VBox(
        [widgets.HBox([widgets.VBox(list(sliders.values())), label]), output]
    ).add_class("nnlib-neuron-widget")
    box.sliders, box.accuracy_label, box.output, box.update = sliders, label, output, update
    update()
    return box
