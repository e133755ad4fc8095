"""nnlib - the helper package of the course "Neural Networks, hands-on".

Start here.  ``import nnlib`` gives a lesson these modules (the README's module table lists
every module, what it is for and its size; read it by module, not in one sitting):

* :mod:`nnlib.config`    quick mode, offline mode, seeding, ``start_lesson``
* :mod:`nnlib.nn`        the NumPy network built in lessons 1-6 (Dense, Sequential, SGD, Adam ...)
* :mod:`nnlib.data`      seeded toy data and real data sets that work offline
* :mod:`nnlib.plotting`  decision boundaries, training curves, image grids, confusion matrices
* :mod:`nnlib.metrics`   accuracy, confusion matrix, precision / recall / F1
* :mod:`nnlib.exercises` exercise checks: ``check``, ``hint``, ``solution``

Lesson-specific helpers (widgets, diagrams, Keras helpers, live plots, vision, sequences) live in
their own modules and are imported where needed, so ``import nnlib`` stays fast and never
imports TensorFlow.
"""

import os as _os

# Keep TensorFlow's C++ log lines (and its alarming "failed call to cuInit" on machines
# without a GPU) out of the lessons; must be set before TF is imported.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from . import config, data, exercises, metrics, nn, plotting  # noqa: E402
from .config import is_offline, is_quick, pick, seed_everything, start_lesson  # noqa: E402
from .exercises import check, hint, solution  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "check",
    "config",
    "data",
    "exercises",
    "hint",
    "is_offline",
    "is_quick",
    "metrics",
    "nn",
    "pick",
    "plotting",
    "seed_everything",
    "solution",
    "start_lesson",
]
