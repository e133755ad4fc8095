"""Lesson 09 exercises: references pass; typical wrong answers fail with a message naming the
problem."""

import numpy as np
import pytest
from helpers import run
from scipy.signal import correlate2d as sp_correlate2d

from nnlib.exercises import lesson09 as L


def test_references_pass_and_agree_with_scipy():
    assert run("09.conv_output_size", L.conv_output_size)
    assert run("09.correlate2d", L.correlate2d)
    assert run("09.conv_params", L.CONV_PARAMS)
    img, ker = np.random.default_rng(0).normal(size=(6, 7)), np.ones((2, 3))
    np.testing.assert_allclose(L.correlate2d(img, ker), sp_correlate2d(img, ker, "valid"))


@pytest.mark.parametrize(
    "wrong, words",
    [
        (
            lambda n, k, s, p: (n + p - k) // s + 1,
            "(28, 3, 1, 1) is 27, expected 28",
        ),  # pads one side only
        (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "is 14.5, expected 14"),  # / instead of //
        (lambda n, k, s, p: None, "None"),
        (lambda n, k, s, p: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_output_size_wrong_answers(wrong, words):
    result = run("09.conv_output_size", wrong)
    assert not result and words in result.message


def test_correlate2d_wrong_answers():
    flipped = run("09.correlate2d", lambda img, k: L.correlate2d(img, k[::-1, ::-1]))
    assert not flipped and "flipped the kernel" in flipped.message
    same = run("09.correlate2d", lambda img, k: sp_correlate2d(img, k, "same"))
    assert not same and "shape" in same.message
    assert "None" in run("09.correlate2d", lambda img, k: None).message


@pytest.mark.parametrize(
    "value, words",
    [
        (1200, "biases"),
        (416, "all 3 input channels"),
        (99, "too small by a factor of 10 or more"),
        ("1216", "number"),
    ],
)
def test_conv_params_wrong_answers(value, words):
    result = run("09.conv_params", value)
    assert not result and words in result.message
