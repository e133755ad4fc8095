"""Lesson 02 exercises: the references pass, typical wrong answers fail with a helpful message."""

import numpy as np
import pytest
from helpers import run

from nnlib import nn
from nnlib.exercises import get_exercise

pytestmark = pytest.mark.usefixtures("lenient")


def sig(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("exercise_id", ["02.sigmoid_grad", "02.leaky_relu", "02.stable_softmax"])
def test_reference_passes(exercise_id):
    assert run(exercise_id, get_exercise(exercise_id).reference)


def test_nnlib_versions_pass_too():
    from nnlib import nn

    assert run("02.sigmoid_grad", nn.sigmoid_grad)
    assert run("02.leaky_relu", nn.leaky_relu)
    assert run("02.stable_softmax", nn.softmax)


# --------------------------------------------------------------------------- 02.sigmoid_grad


@pytest.mark.parametrize(
    "wrong, shown",
    [
        (lambda z: sig(z) * (1 + sig(z)), "is 0.75, expected 0.25"),  # sign slip
        (lambda z: z * (1 - z), "is 0, expected 0.25"),  # derivative of the wrong thing
        (sig, "is 0.5, expected 0.25"),  # the sigmoid itself
    ],
)
def test_sigmoid_grad_wrong_formulas_show_input_and_values(wrong, shown):
    res = run("02.sigmoid_grad", wrong)
    assert not res and shown in res.message


def test_sigmoid_grad_scalar_only_fails_on_arrays():
    import math

    res = run("02.sigmoid_grad", lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2)
    assert not res and "raised TypeError" in res.message


def test_sigmoid_grad_none():
    def forgot_return(z):
        sig(z) * (1 - sig(z))

    res = run("02.sigmoid_grad", forgot_return)
    assert not res and "None" in res.message


# --------------------------------------------------------------------------- 02.leaky_relu


def test_leaky_relu_without_alpha_parameter():
    res = run("02.leaky_relu", lambda z: np.maximum(z, 0.01 * z))
    assert not res and "alpha" in res.message


def test_leaky_relu_plain_relu_and_swapped_sides():
    res = run("02.leaky_relu", lambda z, alpha=0.01: np.maximum(z, 0))
    assert not res and "got 0, expected -0.02" in res.message
    res = run("02.leaky_relu", lambda z, alpha=0.01: np.where(z > 0, alpha * z, z))
    assert not res and "got -2, expected -0.02" in res.message


def test_leaky_relu_ignoring_alpha():
    res = run("02.leaky_relu", lambda z, alpha=0.01: np.where(z > 0, z, 0.01 * z))
    assert not res and "0.2" in res.message  # the case with alpha = 0.2 fails


# --------------------------------------------------------------------------- 02.stable_softmax


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def whole_array_sum(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def test_softmax_naive_overflows():
    res = run("02.stable_softmax", naive)
    assert not res and "NaN or inf" in res.message and "subtract the maximum" in res.message


def test_softmax_global_max_fails_on_rows_of_different_scale():
    res = run("02.stable_softmax", global_max)
    assert not res and "EACH ROW" in res.message


def test_softmax_batch_normalised_over_everything():
    res = run("02.stable_softmax", whole_array_sum)
    assert not res and "axis=-1" in res.message


def test_softmax_wrong_shape():
    res = run("02.stable_softmax", lambda z: naive(z - z.max(axis=-1, keepdims=True)).ravel())
    assert not res and "shape" in res.message


# --------------------------------------------------------------------------- 02.safe_sigmoid


def test_safe_sigmoid_reference_and_other_correct_fixes_pass():
    assert run("02.safe_sigmoid", get_exercise("02.safe_sigmoid").reference)

    def with_masks(z):
        z = np.asarray(z, dtype=float)
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1 / (1 + np.exp(-z[pos]))
        e = np.exp(z[~pos])
        out[~pos] = e / (1 + e)
        return out

    def clipped(z):  # clipping the exponent is a fix too: the values agree within 1e-15
        return 1 / (1 + np.exp(-np.clip(z, -500, 500)))

    assert run("02.safe_sigmoid", with_masks)
    assert run("02.safe_sigmoid", clipped)


def test_safe_sigmoid_the_naive_formula_is_told_where_it_overflows():
    res = run("02.safe_sigmoid", lambda z: 1 / (1 + np.exp(-z)))
    assert not res and "overflow" in res.message and "-1000" in res.message
    assert "<= 0" in res.message


def test_safe_sigmoid_np_where_with_both_formulas_is_explained():
    def both_branches(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    res = run("02.safe_sigmoid", both_branches)
    assert not res and "np.where" in res.message and "computes both" in res.message


def test_safe_sigmoid_if_on_an_array_and_math_exp_get_their_own_messages():
    import math

    def with_if(z):
        if z >= 0:
            return 1 / (1 + np.exp(-z))
        return np.exp(z) / (1 + np.exp(z))

    res = run("02.safe_sigmoid", with_if)
    assert not res and "decides once for the whole array" in res.message

    res = run("02.safe_sigmoid", lambda z: 1 / (1 + math.exp(-float(np.ravel(z)[0]))))
    assert not res and "math.exp" in res.message


def test_safe_sigmoid_wrong_values_and_the_answer_key_are_refused():
    res = run("02.safe_sigmoid", lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    assert not res and "differs" in res.message  # the z < 0 formula used for every z

    def answer_key(z):
        return nn.sigmoid(z)

    res = run("02.safe_sigmoid", answer_key)
    assert not res and "answer key" in res.message
    assert "expected a function" in run("02.safe_sigmoid", 0.5).message
