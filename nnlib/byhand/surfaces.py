"""Loss surfaces with two parameters and the paths optimizers take on them (lesson 4).

The main surface is real: the mean squared error of a straight line ``y = w x + b`` fitted to
the scikit-learn diabetes data (body-mass index -> disease progression one year later).  With
two parameters the whole loss surface fits in one contour plot, and because the BMI values are
far from zero the surface is a long, narrow valley - the shape that makes plain gradient
descent slow and that momentum and Adam were invented for.

The optimizers are nnlib's own (:class:`nnlib.nn.SGD`, :class:`nnlib.nn.Adam`): they update a
parameter vector ``p = [w, b]`` exactly as they update a network's weights.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..show.plotting import OKABE_ITO

__all__ = ["LineFit", "load_bmi_data", "optimize", "plot_paths"]


def load_bmi_data():
    """The diabetes data set bundled with scikit-learn (442 patients, always offline).

    Returns ``x`` = body-mass index / 10 (so 1.8 .. 4.2) and ``y`` = disease progression after
    one year / 100 (0.25 .. 3.46), both float64 of shape (442,).
    """
    from sklearn.datasets import load_diabetes

    d = load_diabetes(scaled=False)
    return d.data[:, 2] / 10.0, d.target / 100.0


class LineFit:
    """Mean squared error of the line ``w * x + b`` on data ``x, y``: a loss with two parameters.

    >>> surface = LineFit(*load_bmi_data())
    >>> surface.loss(1.0, -1.0)           # works on numbers and on grids of w and b
    >>> surface.grad(np.array([1.0, -1.0]))   # dL/dw, dL/db
    """

    def __init__(self, x, y):
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
        self.x, self.y = x, y
        A = np.c_[x, np.ones_like(x)]
        self.minimum = np.linalg.lstsq(A, y, rcond=None)[0]  # the best (w, b)
        self.min_loss = float(self.loss(*self.minimum))

    def loss(self, w, b):
        """MSE for parameters ``w, b`` (numbers or arrays of the same shape)."""
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        errors = w[..., None] * self.x + b[..., None] - self.y
        return np.mean(errors**2, axis=-1)

    def grad(self, p, idx=None):
        """Gradient ``[dL/dw, dL/db]`` at ``p = [w, b]``, on all data or on the rows ``idx``."""
        x, y = (self.x, self.y) if idx is None else (self.x[idx], self.y[idx])
        error = p[0] * x + p[1] - y
        return np.array([2 * np.mean(error * x), 2 * np.mean(error)])

    def hessian(self):
        """The (constant) matrix of second derivatives; its eigenvalues set the valley's shape."""
        return 2 * np.array([[np.mean(self.x**2), np.mean(self.x)], [np.mean(self.x), 1.0]])


def optimize(surface, optimizer, start, steps, batch_size=None, seed=0):
    """Run ``optimizer`` (an nnlib optimizer) on ``surface`` for ``steps`` steps.

    ``batch_size=None`` uses all data for every gradient (full-batch gradient descent); a
    number uses a fresh mini-batch each step, reshuffling the data after each pass (an epoch).
    Returns the path: an array of shape (steps + 1, 2) with ``[w, b]`` after each step.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    p = np.array(start, dtype=np.float64)
    if p.shape != (2,):
        raise ValueError(f"start must be two numbers [w, b], got shape {p.shape}")
    rng = np.random.default_rng(seed)
    n = len(surface.x)
    order, pos = rng.permutation(n), 0
    path = [p.copy()]
    for _ in range(steps):
        idx = None
        if batch_size is not None:
            if pos + batch_size > n:  # next epoch
                order, pos = rng.permutation(n), 0
            idx = order[pos : pos + batch_size]
            pos += batch_size
        optimizer.update([p], [surface.grad(p, idx)])  # changes p in place
        path.append(p.copy())
    return np.array(path)


def plot_paths(
    surface, paths, ax=None, window=None, title="Loss surface and optimizer paths", resolution=120
):
    """Contours of ``surface.loss`` (log-spaced levels) with each path of ``paths``
    (``{label: array (steps + 1, 2)}``) drawn on top; the minimum is marked with a star."""
    ax = ax or plt.subplots(figsize=(9.6, 4.8))[1]  # room for the legend on the right
    if window is None:
        pts = np.concatenate([np.asarray(p) for p in paths.values()] + [surface.minimum[None]])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.15 * (hi - lo) + 0.1
        window = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    w, b = np.meshgrid(
        np.linspace(window[0], window[1], resolution), np.linspace(window[2], window[3], resolution)
    )
    L = surface.loss(w, b)
    levels = surface.min_loss + np.geomspace(1e-3, max(L.max() - surface.min_loss, 1e-2), 15)
    cs = ax.contour(w, b, L, levels=levels, cmap="viridis", linewidths=0.8)
    ax.clabel(cs, cs.levels[::3], fmt="%.2g", fontsize="x-small")  # relative: the style sizes it
    markers = "osD^v<>p"
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path)
        color = OKABE_ITO[i % len(OKABE_ITO)]
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.5, label=label)
        ax.plot(path[-1, 0], path[-1, 1], markers[i % len(markers)], color=color, ms=7)
    start = np.asarray(next(iter(paths.values())))[0]
    ax.plot(*start, "x", color="black", ms=9, mew=2, label="start")
    ax.plot(*surface.minimum, "*", color="black", ms=13, label="minimum")
    ax.set(title=title, xlabel="slope $w$", ylabel="intercept $b$")
    ax.set_xlim(window[0], window[1])
    ax.set_ylim(window[2], window[3])
    # outside, right of the axes (constrained layout makes room): inside, it hid contour labels
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return ax
