"""Lesson 01's step button: the perceptron rule, one update at a time.

:class:`PerceptronStepper` is the plain logic (no widgets, testable headless): it goes through
the points in order, as ``perceptron_train`` of lesson 01 does, skips the ones the neuron already
gets right, and applies the rule ``w += lr * (y - y_hat) * x``, ``b += lr * (y - y_hat)`` to the
next misclassified one.  :func:`perceptron_stepper` wraps it in a *Step* / *Reset* widget that
shows that point, the old line (dotted) and the new one (solid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .plotting import OKABE_ITO

__all__ = ["PerceptronStepper", "StepResult", "perceptron_stepper"]


@dataclass
class StepResult:
    """What one press of *Step* did.

    ``index`` is the point that was updated on (``None`` when every point is right: converged),
    ``point``/``target``/``predicted`` describe it; ``w_old, b_old`` and ``w, b`` are the line
    before and after; ``visited`` is how many points were looked at (right ones included).
    """

    index: int | None
    point: np.ndarray | None
    target: int | None
    predicted: int | None
    w_old: np.ndarray
    b_old: float
    w: np.ndarray
    b: float
    visited: int

    @property
    def converged(self) -> bool:
        return self.index is None

    def text(self) -> str:
        """One line for a learner: which point, what went wrong, the new line."""
        new = f"new line {_line(self.w, self.b)}"
        if self.converged:
            return f"Every point is right: no update. The line stays {_line(self.w, self.b)}."
        x = ", ".join(f"{v:g}" for v in self.point)
        sign = "+" if self.target > self.predicted else "-"
        return (
            f"Point ({x}) has target {self.target} but the neuron said {self.predicted}: "
            f"w {sign}= lr·x, b {sign}= lr → {new}."
        )


def _line(w, b):
    return f"{w[0]:g}·x1 {w[1]:+g}·x2 {b:+g} ≥ 0"


class PerceptronStepper:
    """The perceptron rule on ``X`` (n, d), ``y`` (n,) of 0/1, one update per :meth:`step`.

    Starts from ``w = 0, b = 0`` (as lesson 01's ``perceptron_train``) and visits the points in
    order, cycling; the sequence of updates is exactly the one ``perceptron_train`` makes, so
    stepping until :attr:`StepResult.converged` ends at the same ``w, b``.
    """

    def __init__(self, X, y, lr=1.0):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y).reshape(-1)
        if X.ndim != 2 or len(X) != len(y) or len(X) == 0:
            raise ValueError(f"X must be (n, d) and y (n,), got {X.shape} and {y.shape}")
        if not np.isin(y, (0, 1)).all():
            raise ValueError("y must hold 0/1 labels")
        self.X, self.y, self.lr = X, y.astype(np.int64), float(lr)
        self.reset()

    def reset(self):
        """Back to ``w = 0, b = 0``, before the first point."""
        self.w = np.zeros(self.X.shape[1])
        self.b = 0.0
        self.position = 0  # the next point to look at
        self.updates = 0
        self.last = None

    def predict(self, X=None):
        X = self.X if X is None else np.asarray(X, dtype=np.float64)
        return (X @ self.w + self.b >= 0).astype(np.int64)

    def mistakes(self) -> int:
        """How many points the current line gets wrong."""
        return int((self.predict() != self.y).sum())

    def step(self) -> StepResult:
        """Apply the rule to the next misclassified point (after one full pass with no mistake,
        report convergence and change nothing)."""
        w_old, b_old = self.w.copy(), self.b
        n = len(self.X)
        for k in range(n):
            i = (self.position + k) % n
            predicted = int(self.X[i] @ self.w + self.b >= 0)
            if predicted != self.y[i]:
                error = self.y[i] - predicted
                self.w = self.w + self.lr * error * self.X[i]
                self.b = self.b + self.lr * error
                self.position = (i + 1) % n
                self.updates += 1
                self.last = StepResult(
                    i, self.X[i].copy(), int(self.y[i]), predicted,
                    w_old, b_old, self.w.copy(), self.b, k + 1,
                )  # fmt: skip
                return self.last
        self.last = StepResult(None, None, None, None, w_old, b_old, self.w.copy(), self.b, n)
        return self.last

    def run(self, max_updates=1000) -> int:
        """Step until converged (or ``max_updates``); returns the number of updates made."""
        for _ in range(max_updates):
            if self.step().converged:
                break
        return self.updates


class _StepperFigure:
    """The stepper's figure: points, class-1 side shaded, the old line dotted, the new line
    solid, the point just used circled.  One figure, updated in place."""

    def __init__(self, X, y, padding=0.6):
        from .widgets import _PlanePicture

        small = len(X) <= 20
        plane = _PlanePicture(
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
        from .widgets import _neuron_geometry

        line, _ = _neuron_geometry(float(w[0]), float(w[1]), float(b), self.window)
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
    ``output`` (the figure's Image) and ``update()``.
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
        title = f"after {stepper.updates} updates: {_line(stepper.w, stepper.b)}, {wrong} wrong"
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
    box.status, box.output, box.update = status, figure.view.image, update
    box.press_step, box.press_reset = on_step, on_reset
    update()
    return box
