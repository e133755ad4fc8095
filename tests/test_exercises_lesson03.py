"""Lesson 03 exercises: the references pass, typical wrong answers fail with a helpful message."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise
from nnlib.exercises import lesson03 as L03

pytestmark = pytest.mark.usefixtures("lenient")


@pytest.mark.parametrize("exercise_id", ["03.dense_forward", "03.output_shapes", "03.count_params"])
def test_reference_passes(exercise_id):
    assert run(exercise_id, get_exercise(exercise_id).reference)


# --------------------------------------------------------------------------- 03.dense_forward


def test_dense_forward_matches_nnlib_dense():
    from nnlib import nn

    def with_nnlib(X, W, b):
        layer = nn.Dense(W.shape[1], activation="relu")
        layer.build(W.shape[0], np.random.default_rng(0), np.float64)
        layer.W[...], layer.b[...] = W, b
        return layer.forward(X)

    assert run("03.dense_forward", with_nnlib)


def test_dense_forward_wrong_order_explains_shapes():
    res = run("03.dense_forward", lambda X, W, b: np.maximum(W @ X + b, 0))
    assert not res and "raised ValueError" in res.message and "X @ W" in res.message


def test_dense_forward_transposed_weights():
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W.T + b, 0))
    assert not res and "(batch, inputs)" in res.message


def test_dense_forward_without_relu_or_bias():
    res = run("03.dense_forward", lambda X, W, b: X @ W + b)
    assert not res and "expected 0" in res.message
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W, 0))
    assert not res and "differs" in res.message


def test_dense_forward_wrong_shape():
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W + b, 0).sum(axis=1))
    assert (
        not res
        and "a vector of 4 numbers, shape (4,), but should be an array of shape (4, 3)"
        in res.message
    )


# --------------------------------------------------------------------------- 03.output_shapes


def test_output_shapes_accepts_lists_and_arrays_of_ints():
    assert run("03.output_shapes", [[32, 128], [32, 64], [32, 10]])
    assert run("03.output_shapes", [np.array([32, 128]), (32, 64), (32, 10)])


@pytest.mark.parametrize(
    "answer, words",
    [
        ([(128, 32), (64, 32), (10, 32)], "batch dimension comes first"),
        ([(128,), (64,), (10,)], "two dimensions"),
        ([(32, 128), (32, 64)], "needs 3 shapes, got 2"),
        ([(32, 784), (32, 128), (32, 64)], "layer 1: you wrote (32, 784), but this layer does"),
        ([(1, 128), (1, 64), (1, 10)], "batch size never changes"),
        ("(32, 128)", "list of shapes"),
        ([(32, 128), "x", (32, 10)], "layer 2"),
    ],
)
def test_output_shapes_wrong_answers(answer, words):
    res = run("03.output_shapes", answer)
    assert not res and words in res.message


# --------------------------------------------------------------------------- 03.count_params


def test_count_params_matches_nnlib_sequential():
    from nnlib import nn

    def with_nnlib(sizes):
        layers = [nn.Dense(sizes[1], input_dim=sizes[0])] + [nn.Dense(s) for s in sizes[2:]]
        return nn.Sequential(layers).count_params()

    assert run("03.count_params", with_nnlib)


def test_count_params_without_biases():
    res = run("03.count_params", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])))
    assert not res and "biases" in res.message and "is 9, expected 13" in res.message


def test_count_params_with_input_biases():
    res = run("03.count_params", lambda s: sum(a * b + b for a, b in zip(s[:-1], s[1:])) + s[0])
    assert not res and "input layer has no biases" in res.message


def test_count_params_none_and_raising_and_not_a_function():
    assert "None" in run("03.count_params", lambda s: None).message
    assert "raised IndexError" in run("03.count_params", lambda s: s[10]).message
    assert "expected a function" in run("03.count_params", 13).message


@pytest.mark.parametrize(
    "answer",
    [
        [(32, 784), (32, 128), (32, 64)],
        [(32, 128), (32, 128), (32, 10)],
        [(128, 32), (64, 32), (10, 32)],
        [(1, 128), (1, 64), (1, 10)],
    ],
)
def test_output_shapes_never_show_the_answer(answer):
    res = run("03.output_shapes", answer)
    assert not res
    for i, shape in enumerate(L03.OUTPUT_SHAPES):
        if tuple(answer[i]) != shape:
            assert str(shape) not in res.message
