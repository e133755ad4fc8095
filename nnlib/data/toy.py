"""Toy data sets, small and seeded (lessons 1-6, 10): ``X`` is ``float64`` of shape ``(n, 2)``
(or ``(n, 1)``) and class labels ``y`` are ``int64`` of shape ``(n,)``.  Every generator takes a
``seed`` and gives the same data for the same seed.  Also a series cut into windows, and a
shuffled train/validation split.

NumPy only.
"""

from __future__ import annotations

import inspect

import numpy as np

from ..nn import _checks as checks

__all__ = [
    "xor_data",
    "make_xor",
    "make_blobs",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_regression_1d",
    "make_sine_sequence",
    "make_windows",
    "TOY_DATASETS",
    "make_toy",
    "train_val_split",
]


def _check_n(n, name="n_samples", minimum=1):
    return checks.count(name, n, minimum, f"a whole number such as {name}={max(minimum, 2) * 100}.")


def _check_noise(noise, name="noise"):
    return checks.nonnegative(name, noise, f"a spread such as {name}=0.1 (0 for no noise).")


def _rng(seed):
    return np.random.default_rng(checks.seed(seed))


def xor_data():
    """The four XOR points: ``X`` (4, 2) float64 and ``y`` (4,) int64 = [0, 1, 1, 0]."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def make_xor(n_samples=200, noise=0.15, seed=0):
    """Noisy XOR: four clouds around the corners of the unit square, labelled like XOR."""
    n = _check_n(n_samples)
    noise = _check_noise(noise)
    rng = _rng(seed)
    corners, labels = xor_data()
    idx = np.arange(n) % 4
    X = corners[idx] + rng.normal(0.0, noise, size=(n, 2))
    return X, labels[idx].copy()


def make_blobs(n_samples=200, centers=((-1.0, -1.0), (1.0, 1.0)), std=0.5, seed=0):
    """Gaussian blobs, one class per centre (two by default, linearly separable)."""
    n = _check_n(n_samples)
    fix = "one (x, y) point per class, e.g. centers=[(-1, -1), (1, 1)]."
    centers = checks.numbers_array("centers", centers, fix, dtype=np.float64, finite=False)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}. Fix: {fix}")
    checks.numbers_array("centers", centers, fix)  # finite
    std = _check_noise(std, "std")
    rng = _rng(seed)
    y = np.arange(n) % len(centers)
    X = centers[y] + rng.normal(0.0, std, size=(n, 2))
    return X, y.astype(np.int64)


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (classes 0 and 1)."""
    n = _check_n(n_samples, minimum=2)
    noise = _check_noise(noise)
    rng = _rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    X = np.concatenate(
        [np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]]
    ) + rng.normal(0.0, noise, size=(n, 2))
    y = np.r_[np.zeros(n0), np.ones(n - n0)].astype(np.int64)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0)."""
    n = _check_n(n_samples, minimum=2)
    factor = checks.fraction("factor", factor, "the inner circle's radius, e.g. factor=0.5.")
    noise = _check_noise(noise)
    rng = _rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    X = X + rng.normal(0.0, noise, size=(n, 2))
    y = np.r_[np.zeros(n0), np.ones(n - n0)].astype(np.int64)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, seed=0):
    """``n_classes`` interleaved spiral arms (the classic CS231n data set)."""
    n = _check_n(n_samples, minimum=1)
    k = _check_n(n_classes, "n_classes", minimum=2)
    noise = _check_noise(noise)
    rng = _rng(seed)
    y = np.arange(n) % k
    per_class_pos = np.arange(n) // k
    n_per = int(np.ceil(n / k))
    r = per_class_pos / max(n_per - 1, 1)  # radius 0..1
    t = y * (2 * np.pi / k) + r * 4.0 + rng.normal(0.0, noise, size=n)
    X = np.c_[r * np.sin(t), r * np.cos(t)]
    perm = rng.permutation(n)
    return X[perm], y[perm].astype(np.int64)


def make_regression_1d(n_samples=100, noise=0.1, seed=0, kind="sine"):
    """Noisy 1-D regression: ``x`` (n, 1) in [-1, 1] and ``y`` (n, 1), both float64.

    ``kind`` is ``"sine"`` (y = sin(3x)), ``"linear"`` (y = 2x + 0.5) or ``"quadratic"``.
    """
    n = _check_n(n_samples)
    funcs = {
        "sine": lambda x: np.sin(3 * x),
        "linear": lambda x: 2 * x + 0.5,
        "quadratic": lambda x: x**2 - 0.5,
    }
    checks.one_of("kind", kind, funcs)
    noise = _check_noise(noise)
    rng = _rng(seed)
    x = np.sort(rng.uniform(-1, 1, size=(n, 1)), axis=0)
    y = funcs[kind](x) + rng.normal(0.0, noise, size=(n, 1))
    return x, y


def make_sine_sequence(n_steps=500, period=50, trend=0.0, noise=0.1, seed=0):
    """A seasonal series: ``sin(2 pi t / period) + trend * t + noise``, float64 of shape (n_steps,)."""
    n = _check_n(n_steps, "n_steps", minimum=2)
    checks.finite_number("period", period, low=0, fix="steps per cycle, e.g. period=50.")
    checks.finite_number("trend", trend, fix="a slope per step, e.g. trend=0.01 (0 for none).")
    noise = _check_noise(noise)
    rng = _rng(seed)
    t = np.arange(n, dtype=np.float64)
    return np.sin(2 * np.pi * t / period) + trend * t + rng.normal(0.0, noise, n)


def make_windows(series, window, horizon=1):
    """Cut a 1-D series into inputs ``X`` (n, window) and targets ``y`` (n,).

    ``y[i]`` is the value ``horizon`` steps after the end of window ``X[i]``.
    """
    fix = "one value per time step, e.g. a column: series = table[:, 0]."
    series = checks.numbers_array("series", series, fix, finite=False, empty_ok=True)
    if series.ndim != 1:
        raise ValueError(f"series must be 1-D, got shape {series.shape}. Fix: {fix}")
    checks.numbers_array("series", series, "drop or fill in the missing values.", empty_ok=True)
    window = _check_n(window, "window")
    horizon = _check_n(horizon, "horizon")
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"series of length {len(series)} is too short for window={window} and "
            f"horizon={horizon}: the series must be longer than window + horizon - 1 = "
            f"{window + horizon - 1}, got {len(series)} values. Fix: a smaller window (at most "
            f"{max(len(series) - horizon, 0)}), or a longer series."
        )
    idx = np.arange(window)[None, :] + np.arange(n)[:, None]
    return series[idx], series[window + horizon - 1 : window + horizon - 1 + n]


TOY_DATASETS = {
    "xor": make_xor,
    "blobs": make_blobs,
    "moons": make_moons,
    "circles": make_circles,
    "spirals": make_spirals,
}


def make_toy(name, n_samples=200, seed=0, **kwargs):
    """Any 2-D toy classification set by name: one of ``TOY_DATASETS``."""
    if not isinstance(name, str) or name not in TOY_DATASETS:
        fix = checks._suggest(name, TOY_DATASETS)
        raise (ValueError if isinstance(name, str) else TypeError)(
            f"unknown data set {name!r}: name must be one of {sorted(TOY_DATASETS)}, got "
            f"{checks.describe(name)}.{checks._close(str(name), TOY_DATASETS)} "
            f"Fix: make_toy({fix!r})."
        )
    make = TOY_DATASETS[name]
    allowed = [p for p in inspect.signature(make).parameters if p not in ("n_samples", "seed")]
    for key in kwargs:
        if key not in allowed:
            raise TypeError(
                f"make_toy({name!r}) got the unknown argument {key!r}; {make.__name__} expects "
                f"only {allowed} besides n_samples and seed.{checks._close(key, allowed)} "
                f"Fix: one of {allowed}."
            )
    return make(n_samples=n_samples, seed=seed, **kwargs)


def train_val_split(X, y, val_fraction=0.2, seed=0):
    """Shuffle and split into ``(X_train, y_train), (X_val, y_val)``."""
    for what, a in (("X", X), ("y", y)):
        if a is None or isinstance(a, (str, bytes, dict)) or np.ndim(a) == 0:
            raise TypeError(
                f"{what} must be an array with one row per sample, got {checks.describe(a)}. "
                "Fix: train_val_split(X, y) with arrays of the same length."
            )
    X, y = np.asarray(X), np.asarray(y)
    checks.same_length("X", X, "y", y, "split X and y of the same samples.")
    if len(X) < 2:
        raise ValueError(
            f"X must hold at least 2 samples to split into training and validation, got "
            f"{len(X)}. Fix: check the loading or the slice that made X."
        )
    val_fraction = checks.fraction(
        "val_fraction", val_fraction, "a fraction such as val_fraction=0.2 (not a percent)."
    )
    perm = _rng(seed).permutation(len(X))
    n_val = max(1, int(round(len(X) * val_fraction)))
    val, train = perm[:n_val], perm[n_val:]
    return (X[train], y[train]), (X[val], y[val])
