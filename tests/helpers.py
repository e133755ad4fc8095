"""Helpers shared by the test files (``from helpers import run``; pytest puts ``tests/`` on
``sys.path``, as it does for ``sample_lesson``)."""

from nnlib.exercises import get_exercise


def run(exercise_id, answer):
    """The checker of ``exercise_id`` on ``answer``, called directly: a ``CheckResult``, never an
    ``AssertionError`` (``NNLIB_STRICT_CHECKS`` applies to ``check()`` only)."""
    return get_exercise(exercise_id).check(answer)
