"""Classification metrics, written out so a learner can read them (lesson 8)."""

from __future__ import annotations

import numpy as np


def _labels(y, name):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot or probabilities
        y = y.argmax(axis=1)
    y = y.reshape(-1)
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if np.any(y != np.round(y)):
            raise ValueError(f"{name} must hold class labels (integers), got values like {y[:3]}")
        y = y.astype(np.int64)
    return y


def accuracy(y_true, y_pred):
    """Fraction of labels that agree.  Accepts labels, one-hot rows or class probabilities."""
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {t.shape} and {p.shape}"
        )
    return float(np.mean(t == p))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """``cm[i, j]`` = number of samples of true class ``i`` predicted as ``j``."""
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same length, got {t.shape} and {p.shape}"
        )
    k = n_classes or int(max(t.max(initial=0), p.max(initial=0))) + 1
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
