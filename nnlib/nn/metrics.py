"""Classification metrics, written out so a learner can read them (lesson 8)."""

from __future__ import annotations

import numpy as np

from . import _checks as checks


def _labels(y, name):
    """Class labels 0..k-1 from labels, one-hot rows, class probabilities (n, k) or a column of
    probabilities of class 1 (n, 1), as ``model.predict`` gives for a sigmoid output."""
    if y is None or isinstance(y, (str, bytes, dict)):
        raise TypeError(
            f"{name} must be an array of class labels (integers 0..k-1), got "
            f"{checks.describe(y)}. Fix: pass an array, e.g. np.asarray({name})."
        )
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold class labels (integers 0..k-1), got an array of dtype {y.dtype}. "
            "Fix: encode the classes as integers first, e.g. with np.unique(y, return_inverse=True)."
        )
    if y.ndim > 2:
        raise ValueError(
            f"{name} must be labels (n,), one-hot rows or probabilities (n, k), got shape "
            f"{y.shape}. Fix: one label per sample, e.g. {name}.reshape(len({name}), -1)."
        )
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot or probabilities
        y = y.argmax(axis=1)
    elif y.ndim == 2 and y.dtype.kind == "f" and y.size and np.all((y >= 0) & (y <= 1)):
        y = (y >= 0.5).astype(np.int64)  # a sigmoid output (n, 1): class 1 where p >= 0.5
    y = y.reshape(-1)
    if y.size and y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(
                f"{name} must hold class labels, got NaN or inf. Fix: check the predictions."
            )
        if np.any(y != np.round(y)):
            raise ValueError(
                f"{name} must hold class labels (integers), got values like {y[:3]}. Fix: for "
                "probabilities of class 1 use (p >= 0.5).astype(int)."
            )
        y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(
            f"{name} must hold class labels 0..k-1, got the label {y.min()}. Fix: map the "
            "classes to 0, 1, 2, ... (e.g. -1/1 labels: (y > 0).astype(int))."
        )
    return y


def _pair(y_true, y_pred):
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {t.shape} and {p.shape}. "
            "Fix: compare the predictions with the labels of the same samples."
        )
    if t.size == 0:
        raise ValueError(
            "y_true and y_pred must hold at least one label, got empty arrays. "
            "Fix: check the slice or the predictions that made them."
        )
    return t, p


def accuracy(y_true, y_pred):
    """Fraction of labels that agree.  Accepts labels, one-hot rows or class probabilities."""
    t, p = _pair(y_true, y_pred)
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """``cm[i, j]`` = number of samples of true class ``i`` predicted as ``j``."""
    t, p = _pair(y_true, y_pred)
    largest = int(max(t.max(), p.max()))
    if n_classes is not None:
        checks.positive_int("n_classes", n_classes, "the number of classes, or leave it out.")
    k = n_classes or largest + 1
    if largest >= k:
        raise ValueError(
            f"n_classes={k} allows labels 0..{k - 1}, so n_classes must be larger than every "
            f"label, got the label {largest}. "
            f"Fix: n_classes={largest + 1}, or leave n_classes out."
        )
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm


def precision_recall_f1(y_true, y_pred, n_classes=None):
    """Per-class precision, recall and F1 (arrays of length k); 0 where undefined."""
    cm = confusion_matrix(y_true, y_pred, n_classes)
    tp = np.diag(cm).astype(float)
    predicted = cm.sum(axis=0)
    actual = cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return precision, recall, f1
