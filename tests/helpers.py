"""Helpers shared by the test files (``from helpers import run, mutant``; pytest's pythonpath
puts ``tests/`` on ``sys.path``)."""

from nnlib.exercises import get_exercise
from nnlib.exercises.solutions import _entry


def run(exercise_id, answer):
    """The checker of ``exercise_id`` on ``answer``, called directly: a ``CheckResult``, never an
    ``AssertionError`` (``NNLIB_STRICT_CHECKS`` applies to ``check()`` only)."""
    return get_exercise(exercise_id).check(answer)


def mutant(exercise_id, *edits, name=None):
    """A learner's wrong answer made from the lesson's own solution of ``exercise_id``: each edit
    ``(old, new)`` replaces text that must be in the solution (so the mistake tests follow the
    lesson when it changes).  Returns the function the edited block defines."""
    entry = _entry(exercise_id)
    code = entry["code"]
    for old, new in edits:
        assert old in code, f"{old!r} is not in the solution of {exercise_id}:\n{code}"
        code = code.replace(old, new)
    namespace = {}
    exec("\n".join(entry["setup"]) + "\n" + code, namespace)
    return namespace[name or entry["name"]]
