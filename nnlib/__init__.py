"""nnlib - the helper package of the course "Neural Networks, hands-on".

Start here.  A lesson gets from ``import nnlib``: ``check``, ``hint``, ``solution`` (the exercise
checks), ``pick``, ``is_quick``, ``is_offline``, ``seed_everything``, ``start_lesson``, and the
wings.  Each wing is a folder with one role (the README's module table lists every module):

* :mod:`nnlib.config`     switches (quick, offline, data folder, strict checks), seeding, quiet Keras
* :mod:`nnlib.nn`         the NumPy network that lessons 1-6 build, and its metrics
* :mod:`nnlib.data`       every data set, each working offline: toy, real, text
* :mod:`nnlib.byhand`     what the lessons derive by hand besides ``nn``: the perceptron rule,
  loss surfaces, convolution, RNNs and time series, attention
* :mod:`nnlib.show`       pictures: plots, diagrams, alt text and layout checks, live curves
* :mod:`nnlib.widgets`    every "Try it" nnlib provides, on one base (``FigureImage``)
* :mod:`nnlib.session`    what ``start_lesson`` installs in the kernel
* :mod:`nnlib.exercises`  ``check``, ``hint``, ``solution`` and each lesson's checks
* :mod:`nnlib.classroom`  for a class hub: course links, the class view's events

Imports run down the floors, never up (``tests/repo/test_package_layout.py``):
``config, nn`` < ``data, show, classroom`` < ``byhand, session`` < ``widgets, exercises`` < this
file.  A learner reads ``nn`` and ``byhand``; the rest is the classroom around them.

Nothing is imported before it is used (:func:`__getattr__` below), so ``import nnlib`` loads
neither NumPy nor matplotlib nor TensorFlow: a Jupyter server that loads ``nnlib.classroom``
pays for nothing else.  The old module paths (``nnlib.plotting`` ...) still work for a term
(:mod:`nnlib._moved`).
"""

import os as _os

# Keep TensorFlow's C++ log lines (and its alarming "failed call to cuInit" on machines
# without a GPU) out of the lessons; must be set before TF is imported.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from . import _moved  # noqa: E402

_moved.install()

__version__ = "0.1.0"

#: what a lesson gets, and the wing each name comes from
_FROM = {
    "check": "exercises",
    "hint": "exercises",
    "solution": "exercises",
    "pick": "config",
    "is_quick": "config",
    "is_offline": "config",
    "seed_everything": "config",
    "start_lesson": "session",
}
_WINGS = ("config", "nn", "data", "byhand", "show", "widgets", "session", "exercises", "classroom")

__all__ = [*_FROM, *_WINGS]


def __getattr__(name):
    """``nnlib.check``, ``nnlib.data`` ...: import the wing on first use (PEP 562)."""
    import importlib

    if name in _FROM:
        value = getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
    elif name in _WINGS or name in _moved.MOVED:  # an old path says where it lives now
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *__all__})
