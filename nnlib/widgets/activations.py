"""Lesson 2's "Try it": tick boxes for activation functions and a range slider for ``z``; the
curves and their derivatives side by side (:func:`activation_explorer`).  The plain functions
behind it, :func:`activation_curves` and :func:`plot_activations`, use :mod:`nnlib.nn`.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..show.plotting import OKABE_ITO
from .base import FigureImage, check_number

__all__ = ["EXPLORER_ACTIVATIONS", "activation_curves", "plot_activations", "activation_explorer"]


#: Activations the explorer offers (softmax is left out: it maps a vector to a vector).
EXPLORER_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "linear")


def activation_curves(names, z):
    """``{name: (f(z), f'(z))}`` for each activation name, using :mod:`nnlib.nn`.

    ``names`` is a name or a list of names from :data:`EXPLORER_ACTIVATIONS`; ``z`` a 1-D array.
    Leaky ReLU uses ``alpha = 0.1`` here so its slope is visible.
    """
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)):
        raise TypeError(f"names must be a name or a list of names, got {type(names).__name__}")
    for n in names:
        if n not in EXPLORER_ACTIVATIONS:
            raise ValueError(
                f"unknown activation {n!r}; expected one of {list(EXPLORER_ACTIVATIONS)}"
            )
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 1:
        raise ValueError(f"z must be 1-D, got shape {z.shape}")
    out = {}
    for n in names:
        if n == "leaky_relu":
            out[n] = (nn.leaky_relu(z, alpha=0.1), nn.leaky_relu_grad(z, alpha=0.1))
        else:
            f, f_grad = nn.get_activation(n)
            out[n] = (f(z), f_grad(z))
    return out


def plot_activations(names, z_min=-5.0, z_max=5.0, axes=None):
    """Two panels: the activations ``names`` (left) and their derivatives (right) on
    ``[z_min, z_max]``.  Returns the two axes."""
    import matplotlib.pyplot as plt

    z_min, z_max = check_number(z_min, "z_min"), check_number(z_max, "z_max")
    if z_min >= z_max:
        raise ValueError(f"z_min must be smaller than z_max, got {z_min} and {z_max}")
    z = np.linspace(z_min, z_max, 401)
    curves = activation_curves(list(names), z)
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(10, 3.8))[1]
    styles = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1))]
    for i, (n, (f, g)) in enumerate(curves.items()):
        color = OKABE_ITO[EXPLORER_ACTIVATIONS.index(n)]
        ls = styles[i % len(styles)]
        axes[0].plot(z, f, color=color, linestyle=ls, label=n)
        axes[1].plot(z, g, color=color, linestyle=ls, label=n)
    axes[0].set(title="Activation f(z)", xlabel="z", ylabel="f(z)")
    axes[1].set(title="Derivative f'(z)", xlabel="z", ylabel="f'(z)")
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(0, color="grey", lw=0.8)
        if curves:
            ax.legend(loc="upper left", framealpha=0.8)
    return axes


def activation_explorer(names=("sigmoid", "relu"), z_range=(-5.0, 5.0)):
    """Tick boxes for the activations of :data:`EXPLORER_ACTIVATIONS` and a range slider for
    ``z``; shows :func:`plot_activations` of the ticked ones.

    Returns an ``ipywidgets.VBox`` with CSS class ``nnlib-activation-explorer`` and attributes
    ``box.checkboxes`` (dict name -> Checkbox), ``box.z_range`` (FloatRangeSlider, applies on
    release), ``box.output`` (the ``Image`` of the figure), ``box.axes`` (its two axes) and
    ``box.update()``.  The curves are drawn once; an update shows, hides and zooms them.
    """
    import ipywidgets as widgets

    for n in names:
        if n not in EXPLORER_ACTIVATIONS:
            raise ValueError(
                f"unknown activation {n!r}; expected one of {list(EXPLORER_ACTIVATIONS)}"
            )
    checkboxes = {
        n: widgets.Checkbox(
            value=n in names, description=n, indent=False, layout={"width": "110px"}
        )
        for n in EXPLORER_ACTIVATIONS
    }
    z_slider = widgets.FloatRangeSlider(
        value=z_range, min=-10, max=10, step=0.5, description="z range", continuous_update=False
    )
    view = FigureImage((10, 3.8))
    view.fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.14, wspace=0.22)
    axes = view.fig.subplots(1, 2)
    output = view.image
    # Every curve is drawn once on the slider's whole range; an update only shows, hides and
    # zooms (no new figure, no new lines).
    plot_activations(list(EXPLORER_ACTIVATIONS), z_slider.min, z_slider.max, axes=axes)
    curves = {n: (axes[0].lines[i], axes[1].lines[i]) for i, n in enumerate(EXPLORER_ACTIVATIONS)}

    def update(_change=None):
        chosen = [n for n, c in checkboxes.items() if c.value]
        z0, z1 = z_slider.value
        for n, pair in curves.items():
            for line in pair:
                line.set_visible(n in chosen)
        for k, ax in enumerate(axes):
            ax.set_xlim(z0, z1)
            shown = [curves[n][k] for n in chosen]
            ys = [ln.get_ydata()[(ln.get_xdata() >= z0) & (ln.get_xdata() <= z1)] for ln in shown]
            ys = np.concatenate(ys) if ys else np.zeros(1)
            pad = 0.08 * (ys.max() - ys.min()) + 0.05
            ax.set_ylim(ys.min() - pad, ys.max() + pad)
            if shown:
                ax.legend(handles=shown, loc="upper left", framealpha=0.8)
            elif ax.get_legend() is not None:
                ax.get_legend().remove()
        view.refresh(
            full=True,
            alt=f"Activations {', '.join(chosen) or '(none)'} on z in [{z0}, {z1}] "
            "and their derivatives",
        )

    for c in checkboxes.values():
        c.observe(update, names="value")
    z_slider.observe(update, names="value")
    note = widgets.HTML("<small>The z range applies when you release the slider.</small>")
    box = widgets.VBox(
        [widgets.HBox(list(checkboxes.values())), widgets.HBox([z_slider, note]), output]
    ).add_class("nnlib-activation-explorer")
    box.checkboxes, box.z_range, box.output, box.update = checkboxes, z_slider, output, update
    box.axes = axes
    update()
    return box
