"""Interactive "Try it" widgets of lessons 1-2, built from ipywidgets sliders and one matplotlib
figure that is updated in place and shown in an ``ipywidgets.Image`` (:class:`FigureImage`:
only the changed artists are redrawn, so a slider step costs tens of milliseconds).

Every widget is a thin shell around plain functions, so the numbers a widget shows can be
computed (and tested) without a browser:

* :func:`neuron_predict`, :func:`neuron_accuracy`, :func:`accuracy_text`, :func:`plot_neuron`
  drive :func:`neuron_widget` (lesson 1: one neuron as a linear classifier).
* :func:`activation_curves`, :func:`plot_activations` drive :func:`activation_explorer`
  (lesson 2: activation functions and their derivatives).

``ipywidgets`` is imported only when a widget is built, so the plain functions work without it.
"""

from __future__ import annotations

import numpy as np

from . import nn
from .plotting import OKABE_ITO

__all__ = [
    "neuron_predict",
    "neuron_accuracy",
    "accuracy_text",
    "plot_neuron",
    "neuron_widget",
    "EXPLORER_ACTIVATIONS",
    "activation_curves",
    "plot_activations",
    "activation_explorer",
    "FigureImage",
    "image_widget",
    "release_note",
]


# --------------------------------------------------------------------------- lesson 1: one neuron


def _check_xy(X, y):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y is not None:
        y = np.asarray(y).reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    return X, y


def _check_number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r})")
    return float(value)


def neuron_predict(X, w1, w2, b):
    """Class labels of one neuron with a step activation: ``1`` where ``w1*x1 + w2*x2 + b >= 0``.

    ``X`` has shape (n, 2); returns an int array of shape (n,).
    """
    X, _ = _check_xy(X, None)
    w = np.array([_check_number(w1, "w1"), _check_number(w2, "w2")])
    return (X @ w + _check_number(b, "b") >= 0).astype(np.int64)


def neuron_accuracy(X, y, w1, w2, b):
    """Fraction of points of ``X`` (n, 2) that :func:`neuron_predict` labels as ``y`` (n,)."""
    X, y = _check_xy(X, y)
    return float(np.mean(neuron_predict(X, w1, w2, b) == y))


def accuracy_text(accuracy):
    """The label the neuron widget shows, e.g. ``accuracy_text(0.875) == "accuracy: 87.5 %"``."""
    acc = _check_number(accuracy, "accuracy")
    if not 0 <= acc <= 1:
        raise ValueError(f"accuracy must be between 0 and 1, got {acc!r}")
    return f"accuracy: {100 * acc:.1f} %"


def plot_neuron(X, y, w1, w2, b, ax=None, padding=0.5, marker_size=20):
    """Scatter ``X`` coloured by ``y``, shade the half-plane the neuron calls class 1, and draw the
    decision line ``w1*x1 + w2*x2 + b = 0`` with the weight vector as an arrow (it points
    towards class 1).  Returns the axes."""
    import matplotlib.pyplot as plt

    X, y = _check_xy(X, y)
    w1, w2, b = (_check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
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
    line, arrow = _neuron_geometry(w1, w2, b, (x0, x1, y0, y1))
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


def _neuron_geometry(w1, w2, b, window):
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


def image_widget(width, height):
    """An ``ipywidgets.Image`` for a PNG of ``width`` x ``height`` pixels whose ``tooltip`` works
    as its text alternative.  ipywidgets 8.1's front end sets the ``title`` of the ``<img>``
    from ``tooltip`` only when ``description`` is empty - and ``Image`` has no ``description``
    (``undefined.length`` would throw), so this one syncs an empty ``description``."""
    import ipywidgets as widgets
    from traitlets import Unicode

    global _AltImage
    if _AltImage is None:

        class _AltImage(widgets.Image):  # noqa: N801 - built once, on first use
            description = Unicode("").tag(sync=True)

    return _AltImage(format="png", layout={"width": f"{width}px", "height": f"{height}px"})


_AltImage = None


class FigureImage:
    """One matplotlib figure, kept alive and shown as PNG in an ``ipywidgets.Image``.

    A widget builds its figure once; each redraw changes only the ``animated`` artists
    (``set_data``, ``set_text``...) and calls :meth:`refresh`: the rest of the figure (axes,
    ticks, labels, legend) is rendered once into a background (matplotlib "blitting"), so a
    redraw costs a few artists and a PNG encoding - about 10-30 ms instead of the 100-200 ms of
    a new figure shown through ``plt.show()``.  ``refresh(full=True)`` redraws the background
    too (after axis limits change).
    """

    def __init__(self, figsize, dpi=80, animated=()):
        import matplotlib as mpl
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # Fixed margins (blitting needs a fixed layout) fit the default style's fonts.  A style
        # with larger fonts (classroom: 17 pt instead of 11) gets a figure larger in inches by the
        # same factor k at dpi / k - the same layout, text no more crowded - shown 25 % larger.
        k = max(1.0, mpl.rcParams["font.size"] / 11.0)
        zoom = 1.25 if k > 1 else 1.0
        self.fig = Figure(
            figsize=(figsize[0] * k, figsize[1] * k), dpi=dpi * zoom / k, layout="none"
        )
        FigureCanvasAgg(self.fig)
        self.animated = list(animated)
        self._background = None
        self._image = None

    def animate(self, *artists):
        """Mark ``artists`` as the ones that change between redraws (drawn in this order)."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def invalidate(self):
        """The static part changed (axis limits, labels): the next :meth:`png` redraws it."""
        self._background = None

    @property
    def image(self):
        """The ``ipywidgets.Image`` that shows the figure (built on first use)."""
        if self._image is None:
            w, h = self.fig.canvas.get_width_height()
            self._image = image_widget(w, h)
        return self._image

    def png(self, full=False):
        """Render the figure now and return PNG bytes."""
        import io

        from PIL import Image

        canvas = self.fig.canvas
        if full or self._background is None:
            canvas.draw()  # animated artists are left out of this
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.animated:
            if artist.get_visible():
                (artist.axes or self.fig).draw_artist(artist)
        buf = io.BytesIO()
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
            buf, format="png", compress_level=1
        )
        return buf.getvalue()

    def refresh(self, full=False, alt=None):
        """Redraw into the widget's image.  Its tooltip (the ``title`` of the ``<img>``, which
        screen readers and axe-core take as the text alternative) is the figure's alt text
        (:func:`nnlib.figures.alt_text`: titles, labels, legends) followed by ``alt``."""
        from .figures import alt_text, report_problems

        self.image.value = self.png(full)
        self.image.tooltip = alt_text(self.fig) + (f" {alt}" if alt else "")
        if not getattr(self, "_checked", False):  # NNLIB_FIGURE_CHECK=1: the first picture
            self._checked = True
            report_problems(self.fig)


class _PlanePicture:
    """Two-class points on a plane whose class-1 side is shaded, in one :class:`FigureImage`
    updated in place: the part the neuron widget and the perceptron stepper share.  Sets
    ``window``, ``grid`` (the plane's points, row by row), ``shape``, ``view``, ``ax``,
    ``shade`` (set its data to a 0/1 grid) and ``points`` (one scatter per class)."""

    def __init__(self, X, y, padding, resolution, margins, point_size, edge=("white", 0.5)):
        from matplotlib.colors import ListedColormap

        x0, x1 = X[:, 0].min() - padding, X[:, 0].max() + padding
        y0, y1 = X[:, 1].min() - padding, X[:, 1].max() + padding
        self.window = (x0, x1, y0, y1)
        xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
        self.grid, self.shape = np.c_[xx.ravel(), yy.ravel()], xx.shape
        self.view = FigureImage((5.6, 5.0))
        self.view.fig.subplots_adjust(**margins)
        ax = self.ax = self.view.fig.add_subplot()
        self.shade = ax.imshow(
            np.zeros(self.shape), extent=self.window, origin="lower", aspect="auto",
            cmap=ListedColormap(OKABE_ITO[:2]), vmin=-0.5, vmax=1.5, alpha=0.18,
            interpolation="nearest",
        )  # fmt: skip
        self.points = [
            ax.scatter(
                X[y == c, 0],
                X[y == c, 1],
                s=point_size,
                color=OKABE_ITO[c],
                marker="os"[c],
                edgecolor=edge[0],
                linewidth=edge[1],
                label=f"class {c}",
                zorder=3,
            )  # fmt: skip
            for c in (0, 1)
        ]
        ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x_1$", ylabel="$x_2$")


class _LiveNeuron(_PlanePicture):
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
        line, arrow = _neuron_geometry(w1, w2, b, self.window)
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


def release_note(widget, text="The sliders apply when you release them."):
    """Say on the widget that its sliders update on release (a line under the controls of an
    ``ipywidgets.interactive``, or at the end of a box); returns the widget."""
    import ipywidgets as widgets

    note = widgets.HTML(f"<small>{text}</small>").add_class("nnlib-release-note")
    children = list(widget.children)
    at = len(children) - 1 if isinstance(widget, widgets.interactive) else len(children)
    widget.children = (*children[:at], note, *children[at:])
    return widget


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
    limit = _check_number(limit, "limit")
    if limit <= 0:
        raise ValueError(f"limit must be > 0, got {limit}")
    start = {"w1": w1, "w2": w2, "b": b}
    sliders = {}
    for name, value in start.items():
        value = _check_number(value, name)
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


# --------------------------------------------------------------------------- lesson 2: activations

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

    z_min, z_max = _check_number(z_min, "z_min"), _check_number(z_max, "z_max")
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
