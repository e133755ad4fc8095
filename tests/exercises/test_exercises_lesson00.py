"""Lesson 00 exercises: the references pass, typical wrong answers fail with a message that names
the slip and never gives the predicted value away."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import check, get_exercise

pytestmark = pytest.mark.usefixtures("lenient")


def test_weighted_sum_reference_passes_and_a_forgotten_bias_fails():
    assert run("00.weighted_sum", get_exercise("00.weighted_sum").reference)
    res = run("00.weighted_sum", lambda x, w, b: np.dot(x, w))
    assert not res and "expected" in res.message


# --------------------------------------------------------------------------- 00.predict_z


def test_predict_z_reference_and_other_spellings_pass():
    assert run("00.predict_z", get_exercise("00.predict_z").reference)
    assert run("00.predict_z", -2)
    assert run("00.predict_z", np.float32(-2.0))
    assert run("00.predict_z", 2 * 1 - 0.5 * 2 - 3)


# The named slips (lesson00._SLIPS): tests/exercises/test_exercise_mistakes.py


def test_predict_z_other_wrong_numbers_say_how_far_off_without_the_answer():
    res = run("00.predict_z", 2.0)
    assert not res and "too large" in res.message and "exactly" in res.message
    assert "sign" not in res.message  # 2 and "the wrong sign" would give -2 away
    res = run("00.predict_z", -7.0)
    assert not res and "too small" in res.message and "-2" not in res.message
    assert "factor" not in res.message  # -7 and a factor 3.5 would give -2 away
    assert "too large" in run("00.predict_z", -1.5).message


def test_predict_z_wrong_types_get_words():
    assert "without quotes" in run("00.predict_z", "-2").message
    assert "one number" in run("00.predict_z", np.array([-2.0, 1.0])).message
    assert "one number" in run("00.predict_z", True).message
    assert "finite" in run("00.predict_z", float("nan")).message


def test_predict_z_blank_answer():
    res = check("00.predict_z", ...)
    assert not res and "no answer yet" in res.message
