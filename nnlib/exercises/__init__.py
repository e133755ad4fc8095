"""The exercises and the learner's three functions: ``check``, ``hint`` and ``solution``.

In a lesson::

    from nnlib import check, hint, solution
    check("02.sigmoid_grad", sigmoid_grad)   # ✅ or a friendly message saying what is off
    hint("02.sigmoid_grad")                  # the next step of the hint
    solution("02.sigmoid_grad")              # the lesson's model solution

An exercise id is ``"NN.name"``: ``nnlib/exercises/lessonNN.py`` has a list ``EXERCISES`` of
:class:`~nnlib.exercises.core.Exercise` whose checks are written with the helpers of
:mod:`nnlib.exercises.core`; the model solutions are the lessons' solution blocks
(:mod:`nnlib.exercises.solutions`).  Imports run one way: this module looks the lesson modules
up, they import ``core`` and ``solutions``, and those import no lesson.

A wrong answer never raises: the check returns a :class:`CheckResult` that is false and shows a
message.  A learner's function that does not return within the exercise's ``time_limit`` is
stopped, with a message, and the kernel stays usable.  Under ``NNLIB_STRICT_CHECKS=1`` (set by
``make test``) a failed check raises ``AssertionError``, so the lessons' solutions are tested.

On a class hub that turned the class view on, each call records a small event (which exercise,
the outcome, the key of the ``not_yet`` call or the exception type, the hint step) for the
instructor: :mod:`nnlib.classroom.events`. Never the answer or the message; nowhere else.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..classroom import events as _events
from ..config import STRICT_ENV, _flag
from .core import (
    CheckResult,
    Exercise,
    TimeLimitExceeded,
    builtin_type_name,
    call_with_time_limit,
    check_function,
    check_value,
    compare_arrays,
    has_empty_body,
    not_yet,
    ok,
)

HIDE_SOLUTIONS_ENV = "NNLIB_HIDE_SOLUTIONS"

__all__ = [
    "CheckResult",
    "Exercise",
    "all_exercises",
    "check",
    "check_function",
    "check_value",
    "compare_arrays",
    "get_exercise",
    "hint",
    "not_yet",
    "ok",
    "passed",
    "solution",
]

# --------------------------------------------------------------------------- lookup


def _module_for(exercise_id):
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(f"exercise id must look like '02.sigmoid_grad', got {exercise_id!r}")
    lesson = exercise_id.split(".", 1)[0]
    if not (lesson.isdigit() and len(lesson) == 2):
        raise ValueError(
            f"exercise id must start with a two-digit lesson number, got {exercise_id!r}"
        )
    try:
        return importlib.import_module(f"{__name__}.lesson{lesson}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.lesson{lesson}":
            raise
        raise ValueError(f"no exercises for lesson {lesson} (looked for {exc.name})") from None


def get_exercise(exercise_id):
    """The :class:`Exercise` with this id (``ValueError`` naming the known ids if none)."""
    module = _module_for(exercise_id)
    for ex in module.EXERCISES:
        if ex.id == exercise_id:
            return ex
    known = ", ".join(repr(e.id) for e in module.EXERCISES)
    raise ValueError(f"unknown exercise {exercise_id!r}; this lesson has {known}")


def all_exercises():
    """Every exercise of every lesson, in lesson order."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("lesson"))
    return [ex for name in names for ex in importlib.import_module(f"{__name__}.{name}").EXERCISES]


# --------------------------------------------------------------------------- the learner's API


def check(exercise_id, answer):
    """Check ``answer`` for exercise ``exercise_id``; returns a :class:`CheckResult`.

    Never raises for a wrong answer (the message says what is off) unless
    ``NNLIB_STRICT_CHECKS=1``.  On a class hub with the class view on, records which exercise
    and the outcome (:mod:`nnlib.classroom.events`), never the answer or the message.
    """
    ex = get_exercise(exercise_id)
    outcome = None  # else from the result: passed, not_yet, or error when the learner's code raised
    if answer is Ellipsis or answer is None:
        outcome = "not_attempted"
        result = not_yet(
            "no answer yet - replace the `...` / `None` with your answer and run the cell again."
        )
    elif callable(answer) and has_empty_body(answer):
        outcome = "not_attempted"
        name = getattr(answer, "__name__", "your function")
        result = not_yet(
            f"the body of {name} is still empty (only `pass` or `...`), so it returns None. "
            f"Write the function's code in place of the `...`, then run the cell again."
        )
    else:
        try:
            result = call_with_time_limit(ex.check, ex.time_limit, answer)
        except TimeLimitExceeded:
            outcome = "time_limit"
            result = not_yet(
                f"your function did not return within {ex.time_limit:g} s — is there a loop "
                f"that never ends? (Stopped; the kernel is fine, fix the loop and run the cell "
                f"again.)"
            )
        except Exception as exc:  # a bug in the learner's code must not become a traceback
            result = not_yet(f"checking your answer raised {type(exc).__name__}: {exc}")
            result.error = builtin_type_name(type(exc))
    _record_check(exercise_id, result, outcome)
    _passed[exercise_id] = result.passed
    if not result.passed:
        result.message += f"\n\nNeed help? `hint({exercise_id!r})`"
    if _flag(STRICT_ENV) and not result.passed:
        raise AssertionError(f"exercise {exercise_id} failed its check: {result.message}")
    return result


_passed: dict[str, bool] = {}


def passed(exercise_id):
    """True when the latest ``check(exercise_id, ...)`` in this kernel passed.  A lesson cell that
    goes on with the learner's answer asks this first, so that Run All on blank exercises prints
    a line instead of an error."""
    get_exercise(exercise_id)  # an unknown id is a ValueError naming the known ones
    return _passed.get(exercise_id, False)


def _record_check(exercise_id, result, outcome):
    """The class view's event of a check: the outcome and which kind of mistake (the key of the
    ``not_yet`` call, or the exception type), never the message (nnlib.classroom.events)."""
    try:
        mistake = None
        error = getattr(result, "error", None)
        if outcome is None and error == "NotImplementedError":  # `raise NotImplementedError`
            outcome = "not_attempted"
        elif outcome is None and error:
            outcome, mistake = "error", f"error:{error}"
        elif outcome is None:
            outcome = "passed" if result.passed else "not_yet"
            mistake = None if result.passed else getattr(result, "key", None)
        _events.record(exercise_id, "check", outcome=outcome, mistake=mistake)
    except Exception:  # never in the learner's way
        pass


_hints_shown: dict[str, int] = {}


def hint(exercise_id):
    """Print the next step of an exercise's hint (all of it when it has one step)."""
    ex = get_exercise(exercise_id)
    steps = ex.hint_steps
    shown = _hints_shown.get(exercise_id, 0)
    i = min(shown, len(steps) - 1)
    _hints_shown[exercise_id] = shown + 1
    _events.record(exercise_id, "hint", hint_step=i + 1)
    if len(steps) == 1:
        print(f"Hint for {ex.id} ({ex.title}): {steps[0]}")
        return
    if shown >= len(steps):
        print(
            f"No more hints for {ex.id}: all {len(steps)} steps were shown; here is the last "
            f"again.\n{steps[-1]}\n(solution({exercise_id!r}) shows the model solution.)"
        )
        return
    more = (
        f"run hint({exercise_id!r}) again for step {i + 2}."
        if i + 1 < len(steps)
        else f"that was the last step; solution({exercise_id!r}) shows the model solution."
    )
    print(f"Hint {i + 1} of {len(steps)} for {ex.id} ({ex.title}): {steps[i]}\n({more})")


def solution(exercise_id):
    """Print the model solution of an exercise (hidden when ``NNLIB_HIDE_SOLUTIONS=1``)."""
    ex = get_exercise(exercise_id)
    if _flag(HIDE_SOLUTIONS_ENV):
        print("Solutions are hidden in this copy of the course - ask your instructor.")
        return
    _events.record(exercise_id, "solution")
    print(f"Solution for {ex.id} ({ex.title}):\n")
    print(ex.solution_source(), end="")
