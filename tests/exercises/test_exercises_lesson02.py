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
# A derivation: the lesson no longer prints sigma' = sigma (1 - sigma); each slip of the chain
# rule, or of the rewrite in terms of sigma, is named.


def test_sigmoid_grad_reference_is_the_measured_slope():
    """The pass message says the derivation agrees with the finite-difference slope: it does."""
    ref = get_exercise("02.sigmoid_grad").reference
    z = np.linspace(-20, 20, 81)
    h = 1e-6
    slope = (nn.sigmoid(z + h) - nn.sigmoid(z - h)) / (2 * h)
    assert np.abs(ref(z) - slope).max() < 1e-6
    assert np.all(np.isfinite(ref(np.array([-1000.0, 1000.0]))))


@pytest.mark.parametrize(
    "wrong, words",
    [
        # the chain rule's result, right but not rewritten: nan at z = -1000
        (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, ["right wherever it is finite", "e^1000"]),
        (lambda z: np.exp(-z) * sig(z) ** 2, ["right wherever it is finite", "sigma(z) only"]),
        (lambda z: -sig(z) * (1 - sig(z)), ["two minus signs", "cancel"]),  # a lost minus
        (lambda z: sig(z) * (1 + sig(z)), ["at most 1/4", "1 - sigma(z)"]),  # the rewrite
        (lambda z: sig(z) ** 2, ["factor e^(-z)", "inner derivative"]),  # no inner derivative
        (lambda z: z * (1 - z), ["applied the rewritten formula to z"]),
        (sig, ["the sigmoid itself"]),
        (lambda z: 1 - np.tanh(z) ** 2, ["derivative of tanh"]),
    ],
    ids=["unsimplified", "unsimplified_2", "sign", "one_plus", "squared", "of_z", "sigma", "tanh"],
)
def test_sigmoid_grad_derivation_slips_are_named(wrong, words):
    with np.errstate(all="ignore"):
        res = run("02.sigmoid_grad", wrong)
    assert not res and all(w in res.message for w in words), res.message
    assert "precision" not in res.message and "scale" not in res.message


def test_sigmoid_grad_naive_sigmoid_inside_still_passes():
    """s (1 - s) with the textbook sigmoid gives the right values (0 at z = -1000, through an
    overflow that the check records, not prints): the derivation is what is asked."""
    with np.errstate(over="ignore"):
        assert run("02.sigmoid_grad", lambda z: sig(z) * (1 - sig(z)))


def test_sigmoid_grad_scalar_only_fails_on_arrays():
    import math

    res = run("02.sigmoid_grad", lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2)
    assert not res and "raised TypeError" in res.message


def test_sigmoid_grad_answer_key_points_at_the_derivation_not_at_np_exp():
    """The general "Write it with NumPy (np.exp, ...)" would point at the form that gives nan at
    z = -1000: this exercise's refusal points at the sigma-only form and nn.sigmoid."""

    def sigmoid_grad(z):
        return nn.sigmoid_grad(z)

    res = run("02.sigmoid_grad", sigmoid_grad)
    assert not res and "calls nn.sigmoid_grad, nnlib's own version" in res.message
    assert "answer key" in res.message and "sigma(z) only" in res.message
    assert "nn.sigmoid (allowed" in res.message and "np.exp" not in res.message
    assert run("02.sigmoid_grad", lambda z: nn.sigmoid(z) * (1 - nn.sigmoid(z)))


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
# A debug exercise: the classmate's softmax subtracts the maximum of the whole array.


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_classmate(z):  # the lesson's cell, unchanged
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def column_max(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def whole_array_sum(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def no_keepdims(z):
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1, keepdims=True)


def test_softmax_the_classmates_code_unchanged_is_named():
    with np.errstate(all="ignore"):
        res = run("02.stable_softmax", softmax_classmate)
    assert not res and "Like the classmate's" in res.message and "EACH ROW" in res.message
    assert "underflows to 0" in res.message and "0 / 0 = nan" in res.message


def test_softmax_the_lesson_cell_shows_the_classmates_nan_row():
    batch = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    with np.errstate(all="ignore"):
        rows = softmax_classmate(batch)
    assert np.all(np.isfinite(rows[0])) and np.all(np.isnan(rows[1]))
    assert np.allclose(get_exercise("02.stable_softmax").reference(batch), nn.softmax(batch))


def test_softmax_naive_overflows():
    with np.errstate(all="ignore"):
        res = run("02.stable_softmax", naive)
    assert not res and "NaN or inf" in res.message and "exp(1000) overflows" in res.message


def test_softmax_maximum_of_each_column():
    res = run("02.stable_softmax", column_max)
    assert not res and "each COLUMN" in res.message and "axis=-1" in res.message


def test_softmax_batch_normalised_over_everything():
    res = run("02.stable_softmax", whole_array_sum)
    assert not res and "every ROW must sum to 1" in res.message


def test_softmax_without_keepdims_is_explained():
    res = run("02.stable_softmax", no_keepdims)
    assert not res and "broadcast" in res.message and "keepdims=True" in res.message


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
