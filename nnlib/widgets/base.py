"""What every "Try it" widget is built on: one matplotlib figure, kept alive and redrawn in place
(:class:`FigureImage`: only the changed artists are redrawn, so a slider step costs tens of
milliseconds), shown in an ``ipywidgets.Image`` whose tooltip is its alt text
(:func:`image_widget`); a note that sliders apply on release (:func:`release_note`); the
two-class plane that the neuron widget and the perceptron stepper share (:class:`PlanePicture`).

``ipywidgets`` is imported only when a widget is built, so the plain functions work without it.
"""

from __future__ import annotations

import numpy as np

from ..show.figures import alt_text, report_problems
from ..show.plotting import OKABE_ITO

__all__ = ["FigureImage", "image_widget", "release_note", "PlanePicture", "check_number"]


def check_number(value, name):
    """``value`` as a float, or a ``TypeError`` naming ``name`` (sliders' numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r})")
    return float(value)


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
        (:func:`nnlib.show.figures.alt_text`: titles, labels, legends) followed by ``alt``."""
        self.image.value = self.png(full)
        self.image.tooltip = alt_text(self.fig) + (f" {alt}" if alt else "")
        if not getattr(self, "_checked", False):  # NNLIB_FIGURE_CHECK=1: the first picture
            self._checked = True
            report_problems(self.fig)


class PlanePicture:
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


def release_note(widget, text="The sliders apply when you release them."):
    """Say on the widget that its sliders update on release (a line under the controls of an
    ``ipywidgets.interactive``, or at the end of a box); returns the widget."""
    import ipywidgets as widgets

    note = widgets.HTML(f"<small>{text}</small>").add_class("nnlib-release-note")
    children = list(widget.children)
    at = len(children) - 1 if isinstance(widget, widgets.interactive) else len(children)
    widget.children = (*children[:at], note, *children[at:])
    return widget
