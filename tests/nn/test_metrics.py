"""nnlib.nn.metrics agree with scikit-learn and reject bad input clearly."""

import numpy as np
import pytest
from sklearn import metrics as skm

from nnlib.nn import metrics


def _sample(seed=0, n=300, k=4):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n))
    return y, p


def test_against_sklearn():
    y, p = _sample()
    assert metrics.accuracy(y, p) == pytest.approx(skm.accuracy_score(y, p))
    np.testing.assert_array_equal(metrics.confusion_matrix(y, p), skm.confusion_matrix(y, p))
    prec, rec, f1 = metrics.precision_recall_f1(y, p)
    sk = skm.precision_recall_fscore_support(y, p, zero_division=0)
    np.testing.assert_allclose(prec, sk[0])
    np.testing.assert_allclose(rec, sk[1])
    np.testing.assert_allclose(f1, sk[2])


def test_accepts_one_hot_and_probabilities():
    y = np.array([0, 1, 2, 1])
    probs = np.eye(3)[[0, 2, 2, 1]] * 0.8 + 0.05
    assert metrics.accuracy(np.eye(3)[y], probs) == 0.75
    assert metrics.confusion_matrix(y, probs, n_classes=4).shape == (4, 4)


def test_undefined_precision_is_zero():
    prec, rec, f1 = metrics.precision_recall_f1([0, 0, 1], [0, 0, 0])
    assert prec[1] == 0 and rec[1] == 0 and f1[1] == 0


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(3,\) and \(2,\)"):
        metrics.accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="class labels"):
        metrics.accuracy([0.5, 1.0], [0, 1])
