"""Lesson 05 exercises: references pass, typical mistakes get a message naming the problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson05 as L


@pytest.mark.parametrize("ex", L.EXERCISES, ids=lambda e: e.id)
def test_reference_passes(ex):
    assert run(ex.id, ex.reference)


def test_chain_rule_reference_matches_finite_differences():
    def loss(w):
        a = 1 / (1 + np.exp(-(w * 1.5 - 0.2)))
        return (a - 0.0) ** 2

    assert np.isclose(L.CHAIN_RULE_DW, (loss(0.8 + 1e-6) - loss(0.8 - 1e-6)) / 2e-6)


def _a():
    return 1 / (1 + np.exp(-1.0))


@pytest.mark.parametrize(
    "wrong, words",
    [
        (2 * _a() * _a() * (1 - _a()), "dL/db"),
        (2 * _a(), "dL/da only"),
        (2 * _a() * 1.5, "a(1 - a)"),
        (-L.CHAIN_RULE_DW, "sign"),
        (0.5, "dL/dw = 0.5 is too large"),
        ("0.3", "one number"),
    ],
)
def test_chain_rule_mistakes(wrong, words):
    result = run("05.chain_rule", wrong)
    assert not result and words in result.message


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _sm_no_mean(z, labels):
    p = _softmax(z)
    p[np.arange(len(labels)), labels] -= 1
    return p


def _sm_unstable(z, labels):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda z, t: -L.softmax_ce_backward(z, t), "sign"),
        (_sm_no_mean, "batch size"),
        (lambda z, t: _softmax(z), "probabilities p"),
        (lambda z, t: _softmax(z) / len(z), "subtract 1"),
        (_sm_unstable, "NaN"),
        (lambda z, t: None, "None"),
    ],
)
def test_softmax_ce_mistakes(wrong, words):
    result = run("05.softmax_ce", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, W, g: (g.T @ x, g.sum(axis=0), g @ W.T), "not grad_z.T @ x"),
        (lambda x, W, g: (x.T @ g, g, g @ W.T), "axis=0"),
        (lambda x, W, g: (x.T @ g, g.sum(axis=0), g @ W), "does not fit"),
        (lambda x, W, g: (x.T @ g, g.sum(axis=0), -(g @ W.T)), "dx for x of shape"),
        (lambda x, W, g: (x.T @ g, g.mean(axis=0), g @ W.T), "db"),
        (lambda x, W, g: x.T @ g, "three arrays"),
        (lambda x, W, g: None, "None"),
    ],
)
def test_dense_backward_mistakes(wrong, words):
    result = run("05.dense_backward", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize("wrong", [0.5, 0.9, 0.2, 0.001, 100.0, -0.2, 0.43, 0.432, 0.4, 0.45])
def test_chain_rule_wrong_numbers_never_show_the_answer(wrong):
    res = run("05.chain_rule", wrong)
    assert not res
    for shown in ("0.431", "0.4312", f"{L.CHAIN_RULE_DW:.6g}", "431"):
        assert shown not in res.message, (wrong, res.message)
    assert "3 significant digits" in res.message


@pytest.mark.parametrize("good", [0.431, 0.4312, 0.43121, np.float32(0.431205), 0.4315 - 1e-12])
def test_chain_rule_accepts_a_calculator_answer_to_3_significant_digits(good):
    assert L.CHAIN_RULE_DW == pytest.approx(0.431205, abs=1e-6)  # the tolerance below is for it
    assert run("05.chain_rule", good)


def test_chain_rule_a_2_digit_answer_is_told_the_precision():
    res = run("05.chain_rule", 0.43)
    assert not res and "right to 2 significant digits, but not to 3" in res.message
    res = run("05.chain_rule", 0.432)  # wrongly rounded
    assert not res and "check how you rounded" in res.message


def test_softmax_ce_column_indexing_slip_is_named():
    def columns(z, labels):
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        p[:, labels] -= 1
        return p / len(labels)

    res = run("05.softmax_ce", columns)
    assert not res and "p[:, labels]" in res.message and "once per row" in res.message


def test_softmax_ce_without_the_max_shift_is_named():
    def no_shift(z, labels):
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p / len(labels)

    with np.errstate(all="ignore"):
        res = run("05.softmax_ce", no_shift)
    assert not res and "overflows" in res.message and "maximum" in res.message


def test_dense_backward_slips_are_named():
    res = run("05.dense_backward", lambda x, W, g: (x.T @ g, g.sum(axis=0), g @ W))
    assert not res and "does not fit" in res.message and "matmul" not in res.message
    res = run("05.dense_backward", lambda x, W, g: (g @ W.T, g.sum(axis=0), x.T @ g))
    assert not res and "dL/dx in dW's place" in res.message


def test_chain_rule_missing_factor_2_is_named():
    a = _a()
    res = run("05.chain_rule", (a - 0.0) * a * (1 - a) * 1.5)
    assert not res and "factor 2" in res.message
