"""nnlib.config: quick/offline switches, pick(), seeding, start_lesson()."""

import os
import random
import subprocess
import sys

import numpy as np
import pytest

import nnlib
from nnlib import config


def test_pick_follows_quick_mode(monkeypatch):
    monkeypatch.setenv("NNLIB_QUICK", "1")
    assert config.is_quick() and config.pick(full=5, quick=1) == 1
    for off in ("", "0", "no"):
        monkeypatch.setenv("NNLIB_QUICK", off)
        assert not config.is_quick() and config.pick(full=5, quick=1) == 5
    monkeypatch.delenv("NNLIB_QUICK")
    assert config.pick(full=5, quick=1) == 5


def test_offline_flag(monkeypatch):
    monkeypatch.setenv("NNLIB_OFFLINE", "true")
    assert config.is_offline()
    monkeypatch.delenv("NNLIB_OFFLINE")
    assert not config.is_offline()


def test_seed_everything_repeats_python_and_numpy():
    config.seed_everything(7, keras=False)
    a = (random.random(), np.random.rand(3))
    config.seed_everything(7, keras=False)
    b = (random.random(), np.random.rand(3))
    assert a[0] == b[0] and np.array_equal(a[1], b[1])
    config.seed_everything(8, keras=False)
    assert random.random() != a[0]


@pytest.mark.parametrize("bad", [1.5, "0", None, True])
def test_seed_must_be_an_int(bad):
    with pytest.raises(TypeError, match="seed must be an int"):
        config.seed_everything(bad)


def test_start_lesson_banner_only_in_quick_mode(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_QUICK", "1")
    nnlib.start_lesson(seed=0)
    assert capsys.readouterr().out.startswith("QUICK MODE")
    monkeypatch.delenv("NNLIB_QUICK")
    nnlib.start_lesson(seed=0)
    assert capsys.readouterr().out == ""


def test_start_lesson_sets_the_style(monkeypatch):
    import matplotlib as mpl

    nnlib.start_lesson(style="classroom")
    assert mpl.rcParams["font.size"] == 17
    monkeypatch.setenv("NNLIB_STYLE", "classroom")
    nnlib.start_lesson()
    assert mpl.rcParams["font.size"] == 17
    nnlib.start_lesson(style="default")
    assert mpl.rcParams["font.size"] == 11


def test_import_nnlib_does_not_import_tensorflow():
    code = (
        "import sys, nnlib, nnlib.exercises, nnlib.data, nnlib.nn, nnlib.show.plotting;"
        "nnlib.start_lesson();"
        "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"  # (quick mode prints a banner first)


# One Python process with TensorFlow serves the two tests below (importing it costs ~5 s of CPU).
KERAS_PROCESS = """
import os, sys
from nnlib.config import import_keras
keras = import_keras()
import tensorflow as tf
m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
m.compile(optimizer='sgd', loss='mse')
m.fit(tf.zeros((4, 2)), tf.zeros((4,)), verbose=0)
assert import_keras() is keras
os.write(2, b'fd 2 restored\\n')
print('trained')

import numpy as np, nnlib
def draw():
    nnlib.seed_everything(3)
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    return float(m.get_weights()[0].sum()), float(np.random.rand())
a, b = draw(), draw()
from tensorflow.python.framework import config as tf_config
print('seeding', a == b, a != (0.0, 0.0), tf_config.is_op_determinism_enabled())
"""


@pytest.fixture(scope="module")
def keras_process():
    """stdout lines and stderr of KERAS_PROCESS, run without TF_CPP_MIN_LOG_LEVEL."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    out = subprocess.run(
        [sys.executable, "-c", KERAS_PROCESS], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines(), out.stderr


def test_seed_everything_seeds_keras_reproducibly(keras_process):
    lines, _ = keras_process
    assert lines[-1].split() == ["seeding", "True", "True", "True"]


def test_import_keras_silences_tensorflow_start_up_lines(keras_process):
    """TF 2.21 writes absl/oneDNN/CUDA/CPU-feature lines to fd 2 at import and at its first op,
    whatever TF_CPP_MIN_LOG_LEVEL says; import_keras() keeps them out, and fd 2 works after."""
    lines, stderr = keras_process
    assert lines[0] == "trained"
    assert stderr == "fd 2 restored\n", f"TensorFlow still prints:\n{stderr}"


def test_quiet_fd_is_restored_when_the_body_raises():
    before = os.fstat(2)
    with pytest.raises(RuntimeError):
        with config._quiet_stderr_fd():
            raise RuntimeError("boom")
    after = os.fstat(2)
    assert (before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)


def _train_once(keras, seed):
    """A small Adam + accuracy model trained, evaluated and asked to predict; the traces counted."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.random((200, 8)).astype("float32")
    y = (x.sum(axis=1) > 4).astype("int32")
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(6, activation="relu"), keras.layers.Dropout(0.2)]
        + [keras.layers.Dense(2, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    traces = []
    train_step = model.train_step
    model.train_step = lambda data: traces.append(1) or train_step(data)
    history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.2, verbose=0)
    return (
        len(traces),
        history.history,
        model.evaluate(x, y, verbose=0),
        model.predict(x[:5], verbose=0),
    )


def test_keras_builds_before_tracing_once_with_the_same_numbers(monkeypatch):
    keras = config.import_keras()
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    ours = TensorFlowTrainer._maybe_symbolic_build
    assert ours._nnlib_builds_first
    traces, history, scores, probs = _train_once(keras, seed=3)
    assert traces == 1  # Keras' own way traces the training step twice (below)

    monkeypatch.setattr(TensorFlowTrainer, "_maybe_symbolic_build", ours._keras_deferred)
    keras_traces, keras_history, keras_scores, keras_probs = _train_once(keras, seed=3)
    assert keras_traces == 2
    assert history == keras_history and scores == keras_scores  # bit for bit
    np.testing.assert_array_equal(probs, keras_probs)


def test_a_wrong_input_shape_still_gets_keras_own_message():
    keras = config.import_keras()
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="incompatible with the layer"):
        model.fit(np.zeros((4, 5)), np.zeros((4, 2)), verbose=0)
