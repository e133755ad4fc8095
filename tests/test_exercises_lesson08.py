"""Lesson 08 exercises: the references pass (and agree with scikit-learn / Keras); typical wrong
answers fail with a message that names the problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson08 as L


# --------------------------------------------------------------------------- 08.precision_recall
def test_precision_recall_reference_passes_and_matches_sklearn():
    assert run("08.precision_recall", L.precision_recall)
    from sklearn.metrics import precision_score, recall_score

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    cm = np.zeros((4, 4), int)
    np.add.at(cm, (y_true, y_pred), 1)
    p, r = L.precision_recall(cm)
    np.testing.assert_allclose(p, precision_score(y_true, y_pred, average=None))
    np.testing.assert_allclose(r, recall_score(y_true, y_pred, average=None))


def _swapped(cm):
    p, r = L.precision_recall(cm)
    return r, p


def _naive(cm):  # no guard against a class that is never predicted
    tp = np.diag(cm)
    return tp / cm.sum(axis=0), tp / cm.sum(axis=1)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_swapped, "swapped"),
        (_naive, "NaN"),
        (lambda cm: L.precision_recall(cm)[0], "return two arrays"),
        (lambda cm: None, "returned None"),
        (lambda cm: (np.diag(cm) / cm.sum(), np.diag(cm) / cm.sum()), "differs"),
        (lambda cm: cm.nope, "AttributeError"),
    ],
)
def test_precision_recall_wrong_answers(wrong, words):
    result = run("08.precision_recall", wrong)
    assert not result and words in result.message, result.message


# --------------------------------------------------------------------------- 08.best_epoch
def test_best_epoch_reference_passes():
    assert run("08.best_epoch", L.best_epoch)
    assert L.best_epoch({"val_loss": [0.5, 0.4, 0.6]}) == 2


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda h: int(np.argmin(h["val_loss"])), "off by one"),
        (lambda h: int(np.argmax(h["val_loss"])) + 1, "HIGHEST"),
        (lambda h: int(np.argmin(h["loss"])) + 1, "TRAINING"),
        (lambda h: None, "returned None"),
        (lambda h: h["val_loss"], "one epoch number"),
        (lambda h: h["val_accuracy"], "KeyError"),
    ],
)
def test_best_epoch_wrong_answers(wrong, words):
    result = run("08.best_epoch", wrong)
    assert not result and words in result.message, result.message


# --------------------------------------------------------------------------- 08.l2_penalty
def test_l2_penalty_reference_passes_and_matches_keras():
    assert run("08.l2_penalty", L.l2_penalty)
    keras = pytest.importorskip("keras")
    w = np.arange(6, dtype="float32").reshape(2, 3) / 10
    assert np.isclose(float(keras.regularizers.L2(0.01)(w)), L.l2_penalty([w], 0.01), rtol=1e-5)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda ks, lam: lam * sum(np.abs(w).sum() for w in ks), "L1 penalty"),
        (lambda ks, lam: 0.5 * lam * sum((w**2).sum() for w in ks), "no factor 1/2"),
        (lambda ks, lam: lam * np.sqrt(sum((w**2).sum() for w in ks)), "no square root"),
        (lambda ks, lam: sum((w**2).sum() for w in ks), "multiply by lam"),
        (lambda ks, lam: lam * (ks[0] ** 2).sum(), "ALL layers"),
        (lambda ks, lam: [lam * (w**2).sum() for w in ks], "ONE number"),
        (lambda ks, lam: None, "returned None"),
    ],
)
def test_l2_penalty_wrong_answers(wrong, words):
    result = run("08.l2_penalty", wrong)
    assert not result and words in result.message, result.message
