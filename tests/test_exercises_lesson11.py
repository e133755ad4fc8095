"""Lesson 11 exercises: references pass; typical wrong answers fail with a message naming the
problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson11 as L
from nnlib.nn import softmax


def test_references_pass():
    assert run("11.attention", L.attention)
    assert run("11.predict_rating", L.predict_rating)
    Q, K, V = np.eye(3), np.eye(3), np.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose(L.attention(Q, K, V), softmax(Q @ K.T / np.sqrt(3), axis=1) @ V)


def _unstable(Q, K, V):  # overflows on large scores
    s = np.exp(Q @ K.T / np.sqrt(K.shape[1]))
    return s / s.sum(axis=1, keepdims=True) @ V


@pytest.mark.parametrize(
    "wrong, words",
    [
        (
            lambda Q, K, V: softmax(Q @ K.T, axis=1) @ V,
            "got 1.53788, expected 1.66048",
        ),  # no scaling
        (
            lambda Q, K, V: softmax(Q @ K.T / np.sqrt(K.shape[1]), axis=0) @ V,
            "differs in",
        ),  # softmax over columns
        (
            lambda Q, K, V: softmax(Q @ K.T / np.sqrt(K.shape[1]), axis=1),
            "differs in",
        ),  # forgets @ V
        (_unstable, "NaN"),
    ],
)
def test_attention_wrong_answers(wrong, words):
    with np.errstate(all="ignore"):
        result = run("11.attention", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, q, bu, bm, mu: np.dot(p, q), "is 0.5, expected 3.9"),  # no biases
        (lambda p, q, bu, bm, mu: mu + bu + bm + p * q, "shape"),  # elementwise
        (lambda p, q, bu, bm, mu: None, "None"),
    ],
)
def test_predict_rating_wrong_answers(wrong, words):
    result = run("11.predict_rating", wrong)
    assert not result and words in result.message
