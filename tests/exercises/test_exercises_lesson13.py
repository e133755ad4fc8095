"""Lesson 13 exercises: the references pass, typical wrong answers fail with a message that
names the slip (scaffolded by `make new-lesson`: one test per mistake the checks name)."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise

pytestmark = pytest.mark.usefixtures("lenient")


def test_mean_squared_error_reference_passes():
    assert run("13.mean_squared_error", get_exercise("13.mean_squared_error").reference)


def test_mean_squared_error_without_the_square_is_named():
    res = run("13.mean_squared_error", lambda y, p: np.mean(np.abs(p - y)))
    assert not res and "absolute" in res.message


def test_mean_squared_error_a_sum_instead_of_a_mean_fails():
    res = run("13.mean_squared_error", lambda y, p: np.sum((p - y) ** 2))
    assert not res and res.message


def test_predict_mse_reference_and_spellings_pass_and_a_wrong_number_fails():
    assert run("13.predict_mse", get_exercise("13.predict_mse").reference)
    assert run("13.predict_mse", 1)
    res = run("13.predict_mse", 2.0)
    assert not res and res.message
    assert "without quotes" in run("13.predict_mse", "1").message
