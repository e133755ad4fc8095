"""Lesson 07 exercises: the references pass; typical wrong answers fail with a message that
names the problem."""

import functools

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
        # the known mistakes (lesson07's table): tests/exercises/test_exercise_mistakes.py
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


# --------------------------------------------------------------------------- 07.fix_training
def _training(scale=True, lr=1e-3, epochs=5, fit=True, prescale=False, returns="model", out=10):
    """A variant of the lesson's training function: the fix, or one of the learner's mistakes."""

    def train(x, y):
        layers = [keras.Input(shape=(28, 28))]
        if scale:
            layers.append(keras.layers.Rescaling(1 / 255))
        layers += [
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(out, activation="softmax"),
        ]
        model = keras.Sequential(layers)
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=lr),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        history = None
        if fit:
            history = model.fit(x / 255 if prescale else x, y, epochs=epochs, verbose=0)
        return {"model": model, "history": history, "none": None}[returns]

    return train


def _fix_result(**settings):
    """The check's verdict on ``_training(**settings)``, trained once per module: the tests that
    look at the same run (its mistake, what its message reveals) share one training."""
    return _cached_fix_result(tuple(sorted(settings.items())))


@functools.cache
def _cached_fix_result(settings, op_determinism=False):
    """The verdict with TensorFlow's op determinism off, or on as ``start_lesson`` sets it in the
    lesson's kernel (it changes some error messages); the state before is restored."""
    from tensorflow.python.framework import config as tf_config

    was_on = tf_config.is_op_determinism_enabled()
    _set_op_determinism(op_determinism)
    try:
        return run("07.fix_training", _training(**dict(settings)))
    finally:
        _set_op_determinism(was_on)


def _set_op_determinism(on):
    from tensorflow.python.framework import config as tf_config

    tf_config.enable_op_determinism() if on else tf_config.disable_op_determinism()


def test_fix_training_broken_run_fails_on_both_bugs():
    result = _fix_result(scale=False, lr=1.0)
    assert not result
    assert "learning rate is 1" in result.message and "scales the pixels" in result.message
    assert "at least 80%" in result.message and "at most 0.6" in result.message


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"scale": True, "lr": 1.0}, "learning rate is 1"),  # only the scaling fixed
        ({"scale": False}, "nothing in the model scales the pixels"),  # only the rate
        ({"scale": False, "prescale": True}, "over-confident"),  # scaled x, not the model
        ({"fit": False}, "is it trained"),
        # what is returned decides these two, not how long it trained: one epoch
        ({"returns": "history", "epochs": 1}, "History"),
        ({"returns": "none", "epochs": 1}, "return model"),
        ({"out": 5}, "needs 10 units"),
    ],
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()),
)
def test_fix_training_wrong_answers(settings, words):
    result = _fix_result(**settings)
    assert not result and words in result.message, result.message


def test_too_few_output_units_are_named_in_the_lessons_kernel_too():
    """``start_lesson`` turns on op determinism, under which TensorFlow words an out-of-range
    label differently ("indices[4] = 7 is not in [0, 5)"): the learner still reads the cause."""
    result = _cached_fix_result((("out", 5),), op_determinism=True)
    assert not result and "needs 10 units" in result.message, result.message
    assert "Graph execution error" not in result.message, result.message  # TensorFlow's cause


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, y: 1 / 0, "ZeroDivisionError"),
        (lambda x, y: "model", "got str"),
        ("fixed_training", "pass the function itself"),
    ],
)
def test_fix_training_wrong_kinds_of_answer(wrong, words):
    result = run("07.fix_training", wrong)
    assert not result and words in result.message, result.message


def test_fix_training_never_reveals_more_than_the_targets():
    # the message states the targets and what was measured, with no hidden expected value
    result = _fix_result(scale=True, lr=1.0)  # the run of "only the scaling fixed" above
    assert "80%" in result.message and "0.6" in result.message


def test_fix_training_data_is_raw_bytes():
    (x, y), (x_new, y_new) = L.fix_training_data()
    assert x.dtype == np.uint8 and x.max() > 1 and x.shape == (L.FIX_N_TRAIN, 28, 28)
    assert x_new.shape == (L.FIX_N_TEST, 28, 28) and len(y_new) == L.FIX_N_TEST
