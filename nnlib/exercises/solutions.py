"""The model solutions, taken from the lessons: one source per solution.

Each exercise's solution is written once, in its lesson (``lessons/NN_name.py``, between
``# BEGIN SOLUTION`` and ``# END SOLUTION``).  ``python tools/lessons.py build`` copies those
blocks into ``solutions.json`` next to this file (package data, so ``solution()`` also works where
nnlib is installed without the lessons); ``tools/lessons.py check`` fails when it is stale.

* :func:`solution_code` - the block as the lesson has it (what ``solution()`` prints);
* :func:`lesson_solution` - the block run: the function it defines (run on first call, so
  ``import keras`` in a solution costs nothing until it is used) or the value it assigns.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

SOLUTIONS_FILE = Path(__file__).with_name("solutions.json")


@functools.cache
def _all() -> dict:
    return json.loads(SOLUTIONS_FILE.read_text(encoding="utf-8"))


def _entry(exercise_id: str) -> dict:
    try:
        return _all()[exercise_id]
    except KeyError:
        raise LookupError(
            f"no solution block for exercise {exercise_id!r} in {SOLUTIONS_FILE.name}: put the "
            f"answer between `# BEGIN SOLUTION` and `# END SOLUTION` in the lesson, in the cell "
            f"before `check({exercise_id!r}, ...)`, and run `python tools/lessons.py build`"
        ) from None


def solution_code(exercise_id: str) -> str:
    """The solution block of ``exercise_id``, exactly as its lesson has it."""
    return _entry(exercise_id)["code"]


@functools.cache
def lesson_solution(exercise_id: str):
    """The lesson's solution of ``exercise_id``: the function its block defines, or the value it
    assigns.  The lines of the lesson it needs (``import numpy as np``, ``keras =
    nnlib.config.import_keras()``) run first; for a function, on its first call, not before."""
    entry = _entry(exercise_id)
    namespace = {"__name__": "nnlib.exercises.solutions"}
    where = f"<solution of {exercise_id} in lessons/{entry['lesson']}>"
    setup = "\n".join(entry["setup"])
    if entry["kind"] != "function":
        exec(compile(setup + "\n" + entry["code"], where, "exec"), namespace)
        return namespace[entry["name"]]
    exec(compile(entry["code"], where, "exec"), namespace)  # a `def`: runs no body yet
    fn = namespace[entry["name"]]

    @functools.wraps(fn)  # same name, docstring and signature as the lesson's function
    def reference(*args, **kwargs):
        if setup and "__set_up__" not in namespace:
            exec(compile(setup, where, "exec"), namespace)
            namespace["__set_up__"] = True
        return fn(*args, **kwargs)

    return reference
