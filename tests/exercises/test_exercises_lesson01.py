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
    assert run("01.perceptron_update", [0, -0.5, -1])  # a list, integers: the same numbers
    assert run("01.perceptron_update", np.array([0.0, -0.5, -1.0]))


def test_perceptron_update_the_answer_is_what_the_lessons_rule_gives():
    """The model answer (typed in the lesson) is the lesson's own perceptron rule, run."""
    w, b = np.zeros(2), 0.0
    for x, y in [(np.array([-1.0, -1.0]), 0), (np.array([1.0, 2.0]), 0)]:
        error = y - (1 if np.dot(w, x) + b >= 0 else 0)
        w, b = w + 0.5 * error * x, b + 0.5 * error
    assert np.allclose(get_exercise("01.perceptron_update").reference, [*w, b])


@pytest.mark.parametrize(
    "answer, words",
    [
        ((0.0, 0.0, 0.0), ["z = 0", "z >= 0", "an update"]),  # > instead of >=: no update
        ((-0.5, -0.5, 0.5), ["wrong way", "y - y_hat"]),  # error = prediction - label
        ((0.0, -0.5, 0.0), ["b never moved"]),  # the bias forgotten
        ((0.0, -1.0, -2.0), ["learning rate"]),  # lr forgotten
        ((0.5, 0.5, -0.5), ["after the FIRST point"]),  # stopped after one point
        ((0.0, -0.5, 3.0), ["w is right; recheck b"]),
        ((1.0, 1.0, -1.0), ["b is right; recheck w"]),
        ((3.0, 3.0, 3.0), ["follow the two points again"]),
        (None, ["set after_two"]),
        ((1.0, 2.0), ["three numbers"]),
        ("w", ["three numbers"]),
    ],
    ids=[
        "strict",
        "flipped",
        "no_b",
        "no_lr",
        "one_point",
        "b",
        "w",
        "other",
        "none",
        "two",
        "str",
    ],
)
def test_perceptron_update_mistakes_are_named(answer, words):
    res = run("01.perceptron_update", answer)
    assert not res and all(word in res.message for word in words), res.message
    assert "-0.5" not in res.message or answer == (0.0, -0.5, 3.0)  # the answer is not shown


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
