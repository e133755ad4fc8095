"""Lesson 01 exercises: the references pass, typical wrong answers fail with a helpful message."""

import numpy as np
import pytest
from helpers import mutant, run

from nnlib.exercises import check, get_exercise

pytestmark = pytest.mark.usefixtures("lenient")


# --------------------------------------------------------------------------- 01.neuron_output


def test_neuron_output_reference_passes():
    ex = get_exercise("01.neuron_output")
    assert run("01.neuron_output", ex.reference)


def test_neuron_output_without_activation_fails():
    res = run("01.neuron_output", lambda x, w, b: np.dot(x, w) + b)
    assert not res
    assert "expected 0" in res.message or "expected 1" in res.message


def test_neuron_output_without_bias_fails():
    res = run("01.neuron_output", lambda x, w, b: int(np.dot(x, w) >= 0))
    assert not res and "expected" in res.message


def test_neuron_output_returning_none_fails():
    def no_return(x, w, b):
        np.dot(x, w) + b

    res = run("01.neuron_output", no_return)
    assert not res and "None" in res.message


def test_neuron_output_that_raises_is_reported():
    res = run("01.neuron_output", lambda x, w, b: x @ w.reshape(1, -1))
    assert not res and "raised ValueError" in res.message


# --------------------------------------------------------------------------- 01.perceptron_update


def test_perceptron_update_reference_passes():
    ex = get_exercise("01.perceptron_update")
    assert run("01.perceptron_update", ex.reference)


@pytest.mark.parametrize(
    "answer, words",
    [
        (mutant("01.perceptron_update", ("w + lr", "w - lr"), ("b + lr", "b - lr")), ["new w"]),
        (mutant("01.perceptron_update", (", b + lr * error", ", b")), ["new b"]),
        (lambda w, b, x, y, lr: w, ["two things"]),
        (lambda w, b, x, y, lr: None, ["None"]),
    ],
    ids=["wrong_sign_names_w", "forgotten_bias_names_b", "returning_only_w", "returning_none"],
)
def test_perceptron_update_mistakes_are_named(answer, words):
    res = run("01.perceptron_update", answer)
    assert not res and all(word in res.message for word in words), res.message


# --------------------------------------------------------------------------- 01.nand_weights


def test_nand_reference_and_other_correct_answers_pass():
    assert run("01.nand_weights", get_exercise("01.nand_weights").reference)
    assert run("01.nand_weights", (-2.0, -2.0, 3.0))  # any NAND neuron is accepted
    assert run("01.nand_weights", np.array([-1, -1, 1.9]))


def test_nand_with_and_weights_fails_and_names_the_input():
    res = run("01.nand_weights", (1.0, 1.0, -1.5))  # AND, not NAND
    assert not res and "(0, 0)" in res.message and "NAND needs 1" in res.message


def test_nand_wrong_length_and_type():
    assert "three numbers" in run("01.nand_weights", (1.0, 1.0)).message
    assert "three numbers" in run("01.nand_weights", "abc").message


def test_check_wrapper_does_not_raise_for_a_missing_answer():
    res = check("01.nand_weights", None)
    assert not res and "no answer yet" in res.message


def test_perceptron_update_an_array_bias_is_not_silently_cut():
    def array_bias(w, b, x, y, lr):
        error = y - (1 if np.dot(x, w) + b >= 0 else 0)
        return w + lr * error * x, b + lr * error * x  # b moved like w: an array

    res = run("01.perceptron_update", array_bias)
    assert not res and "b is one number" in res.message and "shape (2,)" in res.message


# --------------------------------------------------------------------------- 01.debug_perceptron


# the classmate's function, as the lesson shows it: error = prediction - target
_buggy = mutant(
    "01.debug_perceptron", ("error = yi - y_hat", "error = y_hat - yi"), name="perceptron_fixed"
)


def test_debug_perceptron_reference_and_a_differently_written_fix_pass():
    assert run("01.debug_perceptron", get_exercise("01.debug_perceptron").reference)

    def vectorised(X, y, epochs=20, lr=1.0):
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(epochs):
            for xi, yi in zip(X, y):
                step = lr * (yi - int(xi @ w + b >= 0))
                w, b = w + step * xi, b + step
        return list(w), np.float64(b)

    assert run("01.debug_perceptron", vectorised)


def test_debug_perceptron_the_unchanged_bug_is_named():
    res = run("01.debug_perceptron", _buggy)
    assert not res and "still the classmate's bug" in res.message and "on AND" in res.message


def test_debug_perceptron_half_fixes_are_named():
    only_w = mutant("01.debug_perceptron", ("b = b + lr * error", "b = b - lr * error"))

    res = run("01.debug_perceptron", only_w)
    assert not res and "b still moves the wrong way" in res.message


def test_debug_perceptron_other_wrong_answers():
    res = run("01.debug_perceptron", lambda X, y, epochs=20, lr=1.0: None)
    assert not res and "return w, b" in res.message
    res = run("01.debug_perceptron", lambda X, y, epochs=20, lr=1.0: np.zeros(2))
    assert not res and "two things" in res.message
    res = run("01.debug_perceptron", lambda X, y, epochs=20, lr=1.0: (np.zeros(2), 0.0, []))
    assert not res and "length 3" in res.message
    res = run("01.debug_perceptron", lambda X, y, epochs=20, lr=1.0: (np.zeros(2), 0.0))
    assert not res and "of 4 points right" in res.message and "section 4" in res.message
    res = run("01.debug_perceptron", lambda X, y, epochs=20, lr=1.0: (np.zeros(3), 0.0))
    assert not res and "one per input column" in res.message
    res = run("01.debug_perceptron", lambda X, y, epochs, lr: X @ y)
    assert not res and "raised ValueError" in res.message
    assert "expected a function" in run("01.debug_perceptron", 3).message


def test_debug_perceptron_never_shows_a_traceback_for_a_wrong_signature():
    res = check("01.debug_perceptron", lambda X, y: (np.zeros(2), 0.0))
    assert not res and "raised TypeError" in res.message
