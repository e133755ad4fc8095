"""Lesson 01's *Step* / *Reset* widget: the perceptron rule (:mod:`nnlib.byhand.perceptron`) one
update at a time, showing the point it used, the old line (dotted) and the new one (solid).
"""

from __future__ import annotations

from ..byhand.perceptron import PerceptronStepper, line_text
from ..show.plotting import OKABE_ITO
from .base import PlanePicture
from .neuron import neuron_geometry

__all__ = ["perceptron_stepper"]


class _StepperFigure:
    """The stepper's figure: points, class-1 side shaded, the old line dotted, the new line
    solid, the point just used circled.  One figure, updated in place."""

    def __init__(self, X, y, padding=0.6):
        small = len(X) <= 20
        plane = PlanePicture(
            X, y, padding, 100, {"left": 0.15, "right": 0.97, "top": 0.9, "bottom": 0.24},
            point_size=140 if small else 20, edge=("black", 0.6),
        )  # fmt: skip
        self.window, self.grid, self.shape = plane.window, plane.grid, plane.shape
        self.view, self.shade, ax, points = plane.view, plane.shade, plane.ax, plane.points
        self.ax = ax
        (self.old,) = ax.plot([], [], color="grey", linestyle=":", label="line before")
        (self.new,) = ax.plot([], [], color="black", label="line after")
        (self.ring,) = ax.plot(
            [], [], linestyle="none", marker="o", markersize=24 if small else 12,
            markerfacecolor="none", markeredgecolor=OKABE_ITO[5], markeredgewidth=2.5,
            label="point updated on", zorder=4,
        )  # fmt: skip
        ax.set_title(" ")
        self.view.fig.legend(
            handles=[*points, self.old, self.new, self.ring], loc="lower center", ncol=3,
            frameon=False,
        )  # fmt: skip
        self.view.animate(self.shade, self.old, self.new, self.ring, *points, ax.title)

    def _set_line(self, artist, w, b):
        line, _ = neuron_geometry(float(w[0]), float(w[1]), float(b), self.window)
        artist.set_visible(line is not None)
        if line is not None:
            artist.set_data(*line)

    def update(self, stepper: PerceptronStepper, title: str):
        self.shade.set_data((self.grid @ stepper.w + stepper.b >= 0).reshape(self.shape))
        last = stepper.last
        self._set_line(self.new, stepper.w, stepper.b)
        if last is None or last.converged:
            self.old.set_visible(False)
            self.ring.set_visible(False)
        else:
            self._set_line(self.old, last.w_old, last.b_old)
            self.ring.set_visible(True)
            self.ring.set_data([last.point[0]], [last.point[1]])
        self.ax.title.set_text(title)
        self.view.refresh(alt=title)


def perceptron_stepper(X, y, lr=1.0):
    """A *Step* / *Reset* widget for the perceptron rule on 2-D data ``X``, ``y``.

    Each *Step* applies one update (:meth:`PerceptronStepper.step`) and shows the point it used,
    the line before and after, and a line of text saying what happened.  Returns an
    ``ipywidgets.VBox`` (CSS class ``nnlib-perceptron-stepper``) with attributes ``stepper``
    (the :class:`PerceptronStepper`), ``step_button``, ``reset_button``, ``status`` (HTML),
    ``output`` (the figure's Image), ``view`` (its :class:`~nnlib.widgets.base.FigureImage`) and
    ``update()``.
    """
    import html

    import ipywidgets as widgets

    stepper = PerceptronStepper(X, y, lr=lr)
    if stepper.X.shape[1] != 2:
        raise ValueError(f"the stepper draws 2-D data, got {stepper.X.shape[1]} features")
    figure = _StepperFigure(stepper.X, stepper.y)
    step_button = widgets.Button(description="Step", icon="step-forward", tooltip="one update")
    reset_button = widgets.Button(description="Reset", icon="undo", tooltip="back to w = 0, b = 0")
    status = widgets.HTML().add_class("nnlib-stepper-status")

    def update():
        last = stepper.last
        text = (
            "Start: w = (0, 0), b = 0. Press Step for the first update."
            if last is None
            else f"Update {stepper.updates}: {last.text()}"
        )
        wrong = stepper.mistakes()
        status.value = html.escape(f"{text} Points wrong now: {wrong} of {len(stepper.X)}.")
        title = f"after {stepper.updates} updates: {line_text(stepper.w, stepper.b)}, {wrong} wrong"
        figure.update(stepper, title)

    def on_step(_button=None):
        stepper.step()
        update()

    def on_reset(_button=None):
        stepper.reset()
        update()

    step_button.on_click(on_step)
    reset_button.on_click(on_reset)
    box = widgets.VBox(
        [widgets.HBox([step_button, reset_button]), status, figure.view.image]
    ).add_class("nnlib-perceptron-stepper")
    box.stepper, box.step_button, box.reset_button = stepper, step_button, reset_button
    box.status, box.output, box.view, box.update = status, figure.view.image, figure.view, update
    box.press_step, box.press_reset = on_step, on_reset
    update()
    return box
