"""Toy data sets, small and seeded (lessons 1-6, 10): ``X`` is ``float64`` of shape ``(n, 2)``
(or ``(n, 1)``) and class labels ``y`` are ``int64`` of shape ``(n,)``.  Every generator takes a
``seed`` and gives the same data for the same seed.  Also a series cut into windows, and a
shuffled train/validation split.

NumPy only.
"""

from __future__ import annotations

import numpy as np

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
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"{name} must be an int, got {type(n).__name__} ({n!r})")
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return int(n)


def _check_noise(noise):
    if not isinstance(noise, (int, float, np.floating)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    return float(noise)


def xor_data():
    """The four XOR points: ``X`` (4, 2) float64 and ``y`` (4,) int64 = [0, 1, 1, 0]."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def make_xor(n_samples=200, noise=0.15, seed=0):
    """Noisy XOR: four clouds around the corners of the unit square, labelled like XOR."""
    n = _check_n(n_samples)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    corners, labels = xor_data()
    idx = np.arange(n) % 4
    X = corners[idx] + rng.normal(0.0, noise, size=(n, 2))
    return X, labels[idx].copy()


def make_blobs(n_samples=200, centers=((-1.0, -1.0), (1.0, 1.0)), std=0.5, seed=0):
    """Gaussian blobs, one class per centre (two by default, linearly separable)."""
    n = _check_n(n_samples)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(centers)
    X = centers[y] + rng.normal(0.0, _check_noise(std), size=(n, 2))
    return X, y.astype(np.int64)


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (classes 0 and 1)."""
    n = _check_n(n_samples, minimum=2)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
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
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor!r}")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    X = X + rng.normal(0.0, _check_noise(noise), size=(n, 2))
    y = np.r_[np.zeros(n0), np.ones(n - n0)].astype(np.int64)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, seed=0):
    """``n_classes`` interleaved spiral arms (the classic CS231n data set)."""
    n = _check_n(n_samples, minimum=1)
    k = _check_n(n_classes, "n_classes", minimum=2)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    per_class_pos = np.arange(n) // k
    n_per = int(np.ceil(n / k))
    r = per_class_pos / max(n_per - 1, 1)  # radius 0..1
    t = y * (2 * np.pi / k) + r * 4.0 + rng.normal(0.0, _check_noise(noise), size=n)
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
    if kind not in funcs:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(funcs)}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, size=(n, 1)), axis=0)
    y = funcs[kind](x) + rng.normal(0.0, _check_noise(noise), size=(n, 1))
    return x, y


def make_sine_sequence(n_steps=500, period=50, trend=0.0, noise=0.1, seed=0):
    """A seasonal series: ``sin(2 pi t / period) + trend * t + noise``, float64 of shape (n_steps,)."""
    n = _check_n(n_steps, "n_steps", minimum=2)
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    return np.sin(2 * np.pi * t / period) + trend * t + rng.normal(0.0, _check_noise(noise), n)


def make_windows(series, window, horizon=1):
    """Cut a 1-D series into inputs ``X`` (n, window) and targets ``y`` (n,).

    ``y[i]`` is the value ``horizon`` steps after the end of window ``X[i]``.
    """
    series = np.asarray(series)
    if series.ndim != 1:
        raise ValueError(f"series must be 1-D, got shape {series.shape}")
    window = _check_n(window, "window")
    horizon = _check_n(horizon, "horizon")
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"series of length {len(series)} is too short for window={window} and horizon={horizon}"
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
    if name not in TOY_DATASETS:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(TOY_DATASETS)}")
    return TOY_DATASETS[name](n_samples=n_samples, seed=seed, **kwargs)


def train_val_split(X, y, val_fraction=0.2, seed=0):
    """Shuffle and split into ``(X_train, y_train), (X_val, y_val)``."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction!r}")
    perm = np.random.default_rng(seed).permutation(len(X))
    n_val = max(1, int(round(len(X) * val_fraction)))
    val, train = perm[:n_val], perm[n_val:]
    return (X[train], y[train]), (X[val], y[val])
