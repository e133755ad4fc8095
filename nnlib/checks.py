"""The old home of ``check``, ``hint`` and ``solution``: they live in :mod:`nnlib.exercises` now,
next to the exercises, and the helpers checks are written with in :mod:`nnlib.exercises.core`.
This alias keeps ``from nnlib.checks import ...`` in older code working; new code imports from
:mod:`nnlib.exercises`."""

from .exercises import all_exercises, check, get_exercise, hint, solution  # noqa: F401
from .exercises.core import (  # noqa: F401
    CheckResult,
    Exercise,
    check_function,
    check_value,
    compare_arrays,
    not_yet,
    ok,
)
