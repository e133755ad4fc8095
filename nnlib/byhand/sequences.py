"""Sequences by hand (lesson 10): an RNN step and its unrolling; time series (a split by time,
the naive forecast and its errors).  The windows a series is cut into are
:func:`nnlib.data.make_windows`; text as integer sequences is in :mod:`nnlib.data.text`.

NumPy only.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "simple_rnn_step",
    "simple_rnn_forward",
    "split_by_time",
    "naive_forecast",
    "forecast_errors",
]

# ----------------------------------------------------------------------------- RNN by hand


def simple_rnn_step(x_t, h_prev, W_x, W_h, b):
    """One step of a simple RNN: ``h_t = tanh(x_t W_x + h_prev W_h + b)``.

    ``x_t`` (batch, d), ``h_prev`` (batch, units), ``W_x`` (d, units), ``W_h`` (units, units),
    ``b`` (units,) - the order of Keras' ``SimpleRNN.get_weights()``.
    """
    x_t, h_prev = np.asarray(x_t, dtype=np.float64), np.asarray(h_prev, dtype=np.float64)
    W_x, W_h = np.asarray(W_x, dtype=np.float64), np.asarray(W_h, dtype=np.float64)
    if x_t.shape[-1] != W_x.shape[0]:
        raise ValueError(f"x_t has {x_t.shape[-1]} features but W_x expects {W_x.shape[0]}")
    if h_prev.shape[-1] != W_h.shape[0]:
        raise ValueError(f"h_prev has {h_prev.shape[-1]} units but W_h expects {W_h.shape[0]}")
    return np.tanh(x_t @ W_x + h_prev @ W_h + b)


def simple_rnn_forward(x, W_x, W_h, b, h0=None):
    """Unroll :func:`simple_rnn_step` over time.

    ``x`` (batch, T, d).  Returns all hidden states (batch, T, units); the last one,
    ``[:, -1]``, is what ``keras.layers.SimpleRNN`` returns by default.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features), got {x.shape}")
    units = np.shape(W_h)[0]
    h = np.zeros((x.shape[0], units)) if h0 is None else np.asarray(h0, dtype=np.float64)
    states = []
    for t in range(x.shape[1]):
        h = simple_rnn_step(x[:, t], h, W_x, W_h, b)
        states.append(h)
    return np.stack(states, axis=1)


# ----------------------------------------------------------------------------- time series


def split_by_time(series, train_fraction=0.8):
    """Split a series into its first ``train_fraction`` (training) and the rest (held out).

    No shuffling: the model is judged on a period that comes after everything it saw.
    """
    series = np.asarray(series)
    if series.ndim < 1 or len(series) < 2:
        raise ValueError(f"series must have at least 2 values, got shape {series.shape}")
    if not isinstance(train_fraction, (float, int)) or not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction!r}")
    n_train = int(round(len(series) * train_fraction))
    n_train = min(max(n_train, 1), len(series) - 1)
    return series[:n_train], series[n_train:]


def naive_forecast(windows, horizon=1):
    """The "tomorrow equals today" baseline: the last value of each window.

    For differences/returns the naive forecast of "no change" is ``0``; pass those to
    :func:`forecast_errors` directly instead.
    """
    w = np.asarray(windows, dtype=np.float64)
    if w.ndim == 3 and w.shape[-1] == 1:
        w = w[..., 0]
    if w.ndim != 2:
        raise ValueError(f"windows must have shape (n, window) or (n, window, 1), got {w.shape}")
    return w[:, -1].copy()


def forecast_errors(y_true, y_pred):
    """``{"mae": ..., "rmse": ...}`` of a forecast."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {t.size} and {p.size}")
    err = p - t
    return {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err**2)))}
