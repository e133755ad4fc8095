"""Course-wide switches: quick mode, offline mode, the data folder, strict checks; seeding, a quiet
Keras, and the running IPython shell.  The ground floor of nnlib: it imports no other part of it
(what ``start_lesson`` installs is :mod:`nnlib.session`).

Quick mode
    ``NNLIB_QUICK=1`` (set by ``make test`` and the benchmark's quick run) shrinks data and
    epochs in every lesson so the whole course runs in minutes.  Lessons ask for sizes with
    :func:`pick`, e.g. ``epochs = pick(full=5, quick=1)``.  Without the variable, lessons run
    at real size.
Offline mode
    ``NNLIB_OFFLINE=1`` makes the data loaders skip the network and use the bundled fallbacks
    straight away (useful in a classroom with bad Wi-Fi).  Without it they try the real
    download/cache first and announce any fallback in one line.
Data folder
    ``NNLIB_DATA_DIR=/some/folder`` (default: unset) is where the loaders look first for the real
    data sets in their usual file formats (``mnist.npz``, ``imdb.npz``); it works offline too.
    ``python tools/build_data_dir.py`` fills such a folder.
Quiet TensorFlow
    :func:`import_keras` imports Keras and TensorFlow without the start-up log lines TensorFlow
    writes straight to file descriptor 2 (``TF_CPP_MIN_LOG_LEVEL`` alone does not stop them).
"""

from __future__ import annotations

import os
import random
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

QUICK_ENV = "NNLIB_QUICK"
OFFLINE_ENV = "NNLIB_OFFLINE"
STRICT_ENV = "NNLIB_STRICT_CHECKS"
DATA_DIR_ENV = "NNLIB_DATA_DIR"

_TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def is_quick() -> bool:
    """True when quick mode is on (environment variable ``NNLIB_QUICK=1``)."""
    return _flag(QUICK_ENV)


def is_offline() -> bool:
    """True when the loaders must not try the network (``NNLIB_OFFLINE=1``)."""
    return _flag(OFFLINE_ENV)


def data_dir() -> Path | None:
    """The folder named by ``NNLIB_DATA_DIR`` (``~`` expanded), or ``None`` when it is unset."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


@contextmanager
def _quiet_stderr_fd():
    """Send file descriptor 2 to /dev/null for the body (C++ code writes there directly, past
    ``sys.stderr``); restore it in a ``finally``."""
    try:
        sys.stderr.flush()
    except (AttributeError, ValueError):
        pass
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """Import and return ``keras`` without TensorFlow's start-up noise in the notebook.

    TensorFlow 2.21 writes absl/oneDNN/CUDA/CPU-feature lines to file descriptor 2 while it loads
    and when it first runs an op, whatever ``TF_CPP_MIN_LOG_LEVEL`` says.  The first call imports
    TensorFlow and Keras and runs one tiny op with file descriptor 2 sent to /dev/null, then sets
    the Python loggers of TensorFlow and absl to errors only.  Later calls just return ``keras``.

    >>> keras = import_keras()
    """
    if "keras" in sys.modules and "tensorflow" in sys.modules and _KERAS_QUIET:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _quiet_stderr_fd():
        import keras
        import tensorflow as tf

        tf.constant(0.0) + 1.0  # the first op prints the CPU-feature line: let it print here
    import logging

    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    _build_before_tracing()
    _KERAS_QUIET.append(True)
    return keras


def _build_before_tracing():
    """One graph trace per ``fit``/``evaluate``/``predict`` instead of two: a speed-up only.

    Keras 3 on TensorFlow creates the optimizer's slots (Adam's moments) and the metrics' counters
    inside the first trace of the training step when no ``tf.distribute`` strategy is set
    (``TensorFlowTrainer._maybe_symbolic_build``: "defer building ... for backwards
    compatibility"), and a ``tf.function`` that creates variables is traced twice.  On 2 cores
    that second trace costs 1-2 s for every new model, more than a quick-mode model trains.  This
    builds them first, the way Keras itself does on JAX and PyTorch and under a strategy: the same
    variables with the same initial values, so every loss, accuracy and prediction is unchanged
    (``tests/session/test_config.py`` checks one trace and identical numbers).  If the symbolic
    build fails (a learner's wrong input shape, say), Keras goes on its usual way and raises its
    usual message.  With a Keras that lacks the private method, nothing is changed.
    """
    try:
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    except ImportError:  # another backend or another Keras layout: nothing to speed up
        return
    deferred = getattr(TensorFlowTrainer, "_maybe_symbolic_build", None)
    if deferred is None or getattr(deferred, "_nnlib_builds_first", False):
        return

    def build_first(self, iterator=None, data_batch=None):
        if getattr(self, "_distribute_strategy", None) is None:
            try:
                if data_batch is None and iterator is not None:
                    # shapes and dtypes only (batch size None): no batch is read from the data
                    data_batch = iterator.data_adapter.get_tf_dataset().element_spec
                if data_batch is not None:
                    self._symbolic_build(data_batch=data_batch)
            except Exception:  # noqa: BLE001 - leave it to Keras' own build and message
                pass
            return None
        return deferred(self, iterator=iterator, data_batch=data_batch)

    build_first._nnlib_builds_first = True
    build_first._keras_deferred = deferred  # Keras' own method (tests compare the two)
    build_first.__doc__ = deferred.__doc__
    TensorFlowTrainer._maybe_symbolic_build = build_first


_KERAS_QUIET: list = []


def pick(full, quick):
    """Return ``quick`` in quick mode and ``full`` otherwise.

    >>> epochs = pick(full=5, quick=1)
    """
    return quick if is_quick() else full


def seed_everything(seed: int = 0, *, keras: bool | None = None) -> int:
    """Seed every random source the course uses: Python, NumPy and (if used) Keras/TensorFlow.

    Parameters
    ----------
    seed : int
        The seed. The same seed gives the same numbers on every run.
    keras : bool or None
        Seed Keras/TensorFlow too and switch TensorFlow to deterministic ops.  ``None`` (the
        default) does so only when Keras or TensorFlow has already been imported, so NumPy-only
        lessons do not pay the 4 s / 650 MB it costs to import TensorFlow.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} ({seed!r})")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    if keras is None:
        keras = "keras" in sys.modules or "tensorflow" in sys.modules
    if keras:
        _keras = import_keras()
        import tensorflow as tf

        _keras.utils.set_random_seed(seed)  # seeds Python, NumPy and TensorFlow
        tf.config.experimental.enable_op_determinism()
    return seed


def ipython_shell(needs: str):
    """The running IPython shell if it has the attribute ``needs``, else None (a script, or
    pytest without a kernel): how nnlib's notebook hooks find where to install themselves."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with every Jupyter install
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, needs) else None
