"""The perceptron rule, one update at a time (lesson 01).

:class:`PerceptronStepper` goes through the points in order, as ``perceptron_train`` of lesson 01
does, skips the ones the neuron already gets right, and applies the rule
``w += lr * (y - y_hat) * x``, ``b += lr * (y - y_hat)`` to the next misclassified one.  Plain
logic, no widgets: lesson 01's *Step* / *Reset* widget (:func:`nnlib.widgets.perceptron_stepper`)
shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PerceptronStepper", "StepResult", "line_text"]


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
        new = f"new line {line_text(self.w, self.b)}"
        if self.converged:
            return f"Every point is right: no update. The line stays {line_text(self.w, self.b)}."
        x = ", ".join(f"{v:g}" for v in self.point)
        sign = "+" if self.target > self.predicted else "-"
        return (
            f"Point ({x}) has target {self.target} but the neuron said {self.predicted}: "
            f"w {sign}= lr·x, b {sign}= lr → {new}."
        )


def line_text(w, b):
    """The line ``w, b`` as a learner reads it: ``'1·x1 -2·x2 +0.5 ≥ 0'``."""
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
