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


# --------------------------------------------------------------------------- 08.threshold_for_precision
def _stop_at_first_failure(scores, is_positive, min_precision):
    """Walks down from the highest score and stops when the precision first drops below the
    target: misses a lower threshold where it recovers."""
    best = None
    for t in np.unique(scores)[::-1]:
        says_yes = scores >= t
        if (says_yes & is_positive).sum() / says_yes.sum() < min_precision:
            return best
        best = t
    return best


def _recall_target(scores, is_positive, min_precision):
    """Confuses the two: the highest threshold whose RECALL reaches the target."""
    for t in np.unique(scores)[::-1]:
        if ((scores >= t) & is_positive).sum() / is_positive.sum() >= min_precision:
            return float(t)


def test_threshold_for_precision_reference_passes_and_is_optimal():
    assert run("08.threshold_for_precision", L.threshold_for_precision)
    for _, scores, is_positive, min_p in L._threshold_cases():
        t = L.threshold_for_precision(scores, is_positive, min_p)
        precision, recall = L._precision_recall_at(scores, is_positive, t)
        assert precision >= min_p
        for lower in np.unique(scores[scores < t]):  # every lower threshold fails the target
            assert L._precision_recall_at(scores, is_positive, lower)[0] < min_p


def test_threshold_for_precision_the_trap_case_has_a_dip():
    _, scores, is_positive, min_p = L._threshold_cases()[1]
    precisions = [
        L._precision_recall_at(scores, is_positive, t)[0] for t in np.unique(scores)[::-1]
    ]
    first_fail = next(i for i, p in enumerate(precisions) if p < min_p)
    assert any(p >= min_p for p in precisions[first_fail:])  # it recovers below the dip


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_stop_at_first_failure, "dip and recover"),
        (lambda s, p, m: float(s.max()), "the highest score gives the best precision"),
        (_recall_target, "is it the RECALL"),
        (lambda s, p, m: 0.5, "precision is below"),
        (lambda s, p, m: (0.9, 0.5), "ONE number"),
        (lambda s, p, m: s >= 0.5, "ONE number"),
        (lambda s, p, m: None, "returned None"),
        (lambda s, p, m: 1 / 0, "ZeroDivisionError"),
        ("0.5", "pass the function itself"),
    ],
)
def test_threshold_for_precision_wrong_answers(wrong, words):
    result = run("08.threshold_for_precision", wrong)
    assert not result and words in result.message, result.message


def test_threshold_for_precision_never_reveals_the_threshold():
    result = run("08.threshold_for_precision", lambda s, p, m: float(s.max()))
    for _, scores, is_positive, min_p in L._threshold_cases():
        best = L.threshold_for_precision(scores, is_positive, min_p)
        assert f"{best:.4g}" not in result.message.replace(f"{scores.max():.4g}", "")
