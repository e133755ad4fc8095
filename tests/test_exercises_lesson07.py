"""Lesson 07 exercises: the references pass; typical wrong answers fail with a message that
names the problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson07 as L


# --------------------------------------------------------------------------- 07.dense_params
def test_dense_params_reference_passes():
    assert run("07.dense_params", L.dense_params)
    assert L.dense_params(784, 128) + L.dense_params(128, 10) == 101_770


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda n, u: n * u, "forget the biases"),
        (lambda n, u: n * u + n, "one bias per unit"),
        (lambda n, u: None, "None"),
        (lambda n, u: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_dense_params_wrong_answers(wrong, words):
    result = run("07.dense_params", wrong)
    assert not result and words in result.message


# --------------------------------------------------------------------------- 07.scale_images
def test_scale_images_reference_passes():
    result = run("07.scale_images", L.scale_images)
    assert result and "float32" in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x: x, "dtype uint8"),
        (lambda x: x // 255, "Integer division"),
        (lambda x: x.astype("float32"), "divide by 255"),
        (lambda x: x.reshape(len(x), -1) / 255.0, "expected the input's shape"),
        (lambda x: x / 256.0, "not equal to x / 255"),
        (lambda x: None, "returned None"),
        (lambda x: x.nope(), "AttributeError"),
    ],
)
def test_scale_images_wrong_answers(wrong, words):
    result = run("07.scale_images", wrong)
    assert not result and words in result.message, result.message


def test_scale_images_float64_passes_with_a_tip():
    result = run("07.scale_images", lambda x: x / 255.0)
    assert result and "float64" in result.message


# --------------------------------------------------------------------------- 07.build_mnist_model
keras = pytest.importorskip("keras")


def _model(*layers):
    return lambda: keras.Sequential([keras.Input(shape=(28, 28)), *layers])


def test_build_mnist_model_reference_passes():
    result = run("07.build_mnist_model", L.build_mnist_model)
    assert result and "101,770" in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (
            _model(
                keras.layers.Dense(128, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ),
            "forget the Flatten",
        ),
        (
            _model(
                keras.layers.Flatten(),
                keras.layers.Dense(128, activation="relu"),
                keras.layers.Dense(10),
            ),
            "'softmax'",
        ),
        (
            _model(
                keras.layers.Flatten(),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ),
            "[64, 10]",
        ),
        (
            _model(
                keras.layers.Flatten(),
                keras.layers.Dense(128, activation="sigmoid"),
                keras.layers.Dense(10, activation="softmax"),
            ),
            "expected 'relu'",
        ),
        (lambda: None, "returned None"),
        (lambda: "model", "keras model"),
        (
            lambda: keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)]),
            "(2, 28, 28)",
        ),
    ],
)
def test_build_mnist_model_wrong_answers(wrong, words):
    result = run("07.build_mnist_model", wrong)
    assert not result and words in result.message, result.message


def test_mnist_param_count_matches_keras():
    assert L.build_mnist_model().count_params() == L.MNIST_PARAMS == 101_770
    assert np.isclose(L.MNIST_PARAMS, 784 * 128 + 128 + 128 * 10 + 10)
