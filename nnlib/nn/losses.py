"""Losses (lesson 4): each returns the mean over the batch; ``<loss>_grad`` is d(loss)/d(y_pred).

``y_pred`` is the network's output, shape (n, outputs); ``y_true`` has the same shape, except
for sparse categorical cross-entropy, whose targets are integer labels (n,).
"""

import numpy as np

from . import _checks as checks

_EPS = 1e-7  # probabilities are clipped to [eps, 1 - eps] so that log never sees 0


def mse(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("mse", y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("mse", y_true, y_pred)
    return 2 * (y_pred - y_true) / y_pred.size


def binary_crossentropy(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("binary_crossentropy", y_true, y_pred)
    p = np.clip(y_pred, _EPS, 1 - _EPS)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))


def binary_crossentropy_grad(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("binary_crossentropy", y_true, y_pred)
    p = np.clip(y_pred, _EPS, 1 - _EPS)
    return (p - y_true) / (p * (1 - p)) / y_pred.size


def categorical_crossentropy(y_true, y_pred):
    """``y_true`` one-hot (n, k), ``y_pred`` probabilities (n, k)."""
    y_true, y_pred = checks.loss_inputs("categorical_crossentropy", y_true, y_pred)
    return float(-np.mean(np.sum(y_true * np.log(np.clip(y_pred, _EPS, 1.0)), axis=1)))


def categorical_crossentropy_grad(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("categorical_crossentropy", y_true, y_pred)
    return -y_true / np.clip(y_pred, _EPS, 1.0) / len(y_pred)


def _one_hot(labels, k, dtype):
    out = np.zeros((len(labels), k), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out


def sparse_categorical_crossentropy(y_true, y_pred):
    """``y_true`` integer labels (n,), ``y_pred`` probabilities (n, k)."""
    y_true, y_pred = checks.loss_inputs("sparse_categorical_crossentropy", y_true, y_pred)
    p = np.clip(y_pred[np.arange(len(y_pred)), y_true.astype(int)], _EPS, 1.0)
    return float(-np.mean(np.log(p)))


def sparse_categorical_crossentropy_grad(y_true, y_pred):
    y_true, y_pred = checks.loss_inputs("sparse_categorical_crossentropy", y_true, y_pred)
    k = y_pred.shape[1]
    return categorical_crossentropy_grad(_one_hot(y_true.astype(int), k, y_pred.dtype), y_pred)


LOSSES = {
    "mse": (mse, mse_grad),
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_grad),
    "categorical_crossentropy": (categorical_crossentropy, categorical_crossentropy_grad),
    "sparse_categorical_crossentropy": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_grad,
    ),
}


def get_loss(name):
    """The pair ``(loss, loss_grad)`` for a loss name."""
    checks.name_in("loss", name, LOSSES)
    return LOSSES[name]
