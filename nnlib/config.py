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
    _KERAS_QUIET.append(True)
    return keras


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
