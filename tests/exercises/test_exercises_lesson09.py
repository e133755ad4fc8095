"""Lesson 09 exercises: references pass; typical wrong answers fail with a message naming the
problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson09 as L


def test_references_pass():
    assert run("09.same_padding", L.same_padding)
    assert run("09.line_kernel", L.LINE_KERNEL)
    assert run("09.predict_stack", L.STACK_ANSWER)


def test_the_stack_answer_is_what_keras_builds():
    import nnlib

    keras = nnlib.config.import_keras()
    stack = keras.Sequential(
        [
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(8, 5, strides=2, padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(32, 3),
        ]
    )
    assert (stack.compute_output_shape((1, 64, 64, 3))[1:], stack.count_params()) == L.STACK_ANSWER


def test_same_padding_keeps_the_size():
    from nnlib.byhand.vision import conv_output_size

    for k in [1, 3, 5, 7, 11]:
        assert conv_output_size(28, k, 1, L.same_padding(k)) == 28


@pytest.mark.parametrize(
    "right",
    [lambda k: k // 2, lambda k: int((k - 1) / 2), lambda k: np.int64((k - 1) // 2)],  # other ways
)
def test_same_padding_other_answers_pass(right):
    assert run("09.same_padding", right)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda k: k - 1, "only ONE side were padded"),  # forgot the 2 in 2p
        (lambda k: (k + 1) // 2, "one pixel too many on each side"),
        (lambda k: k, "padding by the whole kernel size"),
        (lambda k: 1, "gives 1 for every kernel"),  # right for 3x3 only
        (lambda k: (k - 1) // 2 + 1 if k > 5 else (k - 1) // 2, "same_padding(7) is 4"),  # other
        (lambda k: None, "None"),
        (lambda k: 1 / 0, "ZeroDivisionError"),
        # the right value as a float: the next cell (vision.correlate2d, like Keras) refuses 1.0
        (lambda k: (k - 1) / 2, "a float"),
    ],
)
def test_same_padding_wrong_answers(wrong, words):
    result = run("09.same_padding", wrong)
    assert not result and words in result.message


@pytest.mark.parametrize(
    "kernel",
    [
        np.eye(3) - 1 / 3,  # the last hint step, not scaled
        [[1, -1, 0], [-1, 2, -1], [0, -1, 1]],  # another answer: there is more than one
    ],
)
def test_other_line_kernels_pass(kernel):
    assert run("09.line_kernel", kernel)


@pytest.mark.parametrize(
    "kernel, words",
    [
        (np.eye(3), "weights that sum to 0"),  # the diagonal alone: bright on flat regions too
        ([[0, 1, 1], [-1, 0, 1], [-1, -1, 0]], "every column of the kernel sum to 0"),  # an edge
        ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], "every column of the kernel sum to 0"),  # Sobel x
        ([[2, -1, -1], [-1, 2, -1], [-1, -1, 2]][::-1], "the ↙ line is 6, on the ↘ line 2"),
        ([[-1, -1, 2], [-1, 2, -1], [2, -1, -1]], "finds the other diagonal (↙)"),  # anti-diagonal
        ([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], "the same when mirrored left-right"),  # an X
        (
            (np.eye(3) - 1 / 3) + 0.6 * (np.fliplr(np.eye(3)) - 1 / 3),
            "responds to the ↙ line almost as strongly",
        ),
        ([[1, 1, 0], [0, -2, -1], [0, 0, 1]], "nothing on the ↘ line"),  # every diagonal sums to 0
        (np.ones((2, 2)), "shape (2, 2), but should be 3x3"),
        ("2 -1 -1; -1 2 -1; -1 -1 2", "3x3 array of numbers, got str"),
        ([[np.nan] * 3] * 3, "NaN"),
    ],
)
def test_line_kernel_wrong_answers(kernel, words):
    result = run("09.line_kernel", kernel)
    assert not result and words in result.message


def test_horizontal_line_message():
    # rows that do not sum to 0 (columns do): responds to horizontal lines
    kernel = np.array([[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]) + np.array([[2], [0], [-2]])
    result = run("09.line_kernel", kernel)
    assert not result and "every row of the kernel sum to 0" in result.message


@pytest.mark.parametrize(
    "answer, words",
    [
        (((13, 13, 32), 2944), "padding='valid' would give"),
        (((16, 16, 32), 2944), "trims the border"),
        (((30, 30, 32), 2944), "halved twice"),
        (((14, 14, 8), 2944), "number of filters"),
        (((14, 14, 32), 2904), "left out the biases"),
        (((14, 14, 32), 2544), "all 3 colour channels"),
        (((14, 14, 32), 1504), "sees the 8 channels"),
        (((14, 14, 32), 3000), "is a little too large"),
        (((None, 14, 14, 32), 2944), "batch dimension"),
        (((14, 14, 32), "2944"), "whole number"),
        (((14, 14), 2944), "3 numbers"),
        ((14, 14, 32), "expected a pair"),
    ],
)
def test_predict_stack_wrong_answers(answer, words):
    result = run("09.predict_stack", answer)
    assert not result and words in result.message
    assert "2944" not in result.message.replace(str(answer[-1]), "")  # the count is never given
