"""Exercise checks: ``check``, ``hint`` and ``solution``.

In a lesson::

    from nnlib import check, hint, solution
    check("02.sigmoid_grad", sigmoid_grad)   # ✅ or a friendly message saying what is off
    hint("02.sigmoid_grad")
    solution("02.sigmoid_grad")

Exercises live in ``nnlib/exercises/lessonNN.py``; each module has a list ``EXERCISES`` of
:class:`Exercise`.  An exercise id is ``"NN.name"`` where ``NN`` is the lesson number.

A wrong answer never raises: the check returns a :class:`CheckResult` that is false and shows a
message.  Under ``NNLIB_STRICT_CHECKS=1`` (set by ``make test``) a failed check raises
``AssertionError``, so the course's reference solutions are tested for real.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .config import STRICT_ENV, _flag

HIDE_SOLUTIONS_ENV = "NNLIB_HIDE_SOLUTIONS"


@dataclass
class CheckResult:
    """The outcome of a check: truthy when passed; shows its message in a notebook."""

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _repr_markdown_(self):
        return self.message


def ok(message="Correct!"):
    return CheckResult(True, "✅ " + message)


def not_yet(message):
    return CheckResult(False, "❌ Not yet: " + message)


@dataclass
class Exercise:
    """One exercise.

    ``check(answer) -> CheckResult`` judges an answer; ``reference`` is the model solution (a
    function, shown by :func:`solution` as source, or a value/text shown as is).
    """

    id: str
    title: str
    check: Callable[[Any], CheckResult]
    hint: str
    reference: Any = None
    solution_text: str | None = None
    tags: list = field(default_factory=list)

    def solution_source(self):
        if self.solution_text is not None:
            return self.solution_text
        if callable(self.reference):
            return inspect.getsource(self.reference)
        return repr(self.reference)


# --------------------------------------------------------------------------- registry


def _module_for(exercise_id):
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ValueError(f"exercise id must look like '02.sigmoid_grad', got {exercise_id!r}")
    lesson = exercise_id.split(".", 1)[0]
    if not (lesson.isdigit() and len(lesson) == 2):
        raise ValueError(
            f"exercise id must start with a two-digit lesson number, got {exercise_id!r}"
        )
    try:
        return importlib.import_module(f"nnlib.exercises.lesson{lesson}")
    except ModuleNotFoundError as exc:
        raise ValueError(f"no exercises for lesson {lesson} (looked for {exc.name})") from None


def get_exercise(exercise_id):
    module = _module_for(exercise_id)
    for ex in module.EXERCISES:
        if ex.id == exercise_id:
            return ex
    known = ", ".join(repr(e.id) for e in module.EXERCISES)
    raise ValueError(f"unknown exercise {exercise_id!r}; this lesson has {known}")


def all_exercises():
    """Every exercise of every lesson, in lesson order."""
    import pkgutil

    from . import exercises

    out = []
    for info in sorted(pkgutil.iter_modules(exercises.__path__), key=lambda m: m.name):
        if info.name.startswith("lesson"):
            out.extend(importlib.import_module(f"nnlib.exercises.{info.name}").EXERCISES)
    return out


# --------------------------------------------------------------------------- the learner's API


def check(exercise_id, answer):
    """Check ``answer`` for exercise ``exercise_id``; returns a :class:`CheckResult`.

    Never raises for a wrong answer (the message says what is off) unless
    ``NNLIB_STRICT_CHECKS=1``.
    """
    ex = get_exercise(exercise_id)
    if answer is Ellipsis or answer is None:
        result = not_yet(
            "no answer yet - replace the `...` / `None` with your answer and run the cell again."
        )
    else:
        try:
            result = ex.check(answer)
        except Exception as exc:  # a bug in the learner's code must not become a traceback
            result = not_yet(f"checking your answer raised {type(exc).__name__}: {exc}")
    if not result.passed:
        result.message += f"\n\nNeed help? `hint({exercise_id!r})`"
    if _flag(STRICT_ENV) and not result.passed:
        raise AssertionError(f"exercise {exercise_id} failed its check: {result.message}")
    return result


def hint(exercise_id):
    """Print the hint of an exercise."""
    ex = get_exercise(exercise_id)
    print(f"Hint for {ex.id} ({ex.title}): {ex.hint}")


def solution(exercise_id):
    """Print the model solution of an exercise (hidden when ``NNLIB_HIDE_SOLUTIONS=1``)."""
    ex = get_exercise(exercise_id)
    if _flag(HIDE_SOLUTIONS_ENV):
        print("Solutions are hidden in this copy of the course - ask your instructor.")
        return
    print(f"Solution for {ex.id} ({ex.title}):\n")
    print(ex.solution_source())


# --------------------------------------------------------------------------- checking helpers


def _fmt(x):
    """A short text for a value shown in a message."""
    a = np.asarray(x)
    if not np.issubdtype(a.dtype, np.number):
        return repr(x)
    if a.size > 6:
        return f"array of shape {a.shape}"
    if a.ndim == 0:
        return f"{a.item():.6g}"
    return np.array2string(a, precision=4, separator=", ")


def compare_arrays(got, expected, what="your answer", rtol=1e-5, atol=1e-8):
    """``None`` if ``got`` matches ``expected`` (shape and values), else a message saying what is
    off: the type, the shape, or which entries differ."""
    if got is None:
        return f"{what} is None - did you forget a `return`?"
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should be a number or array, got {type(got).__name__}"
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return f"{what} has shape {g.shape}, expected shape {e.shape}"
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
        return f"{what} contains NaN or inf: {_fmt(g)}"
    if not np.allclose(g, e, rtol=rtol, atol=atol):
        bad = np.argwhere(~np.isclose(g, e, rtol=rtol, atol=atol))
        if g.ndim == 0:
            return f"{what} is {_fmt(g)}, expected {_fmt(e)}"
        i = tuple(int(v) for v in bad[0])
        return (
            f"{what} differs in {len(bad)} of {g.size} entries; e.g. at index {i}: "
            f"got {g[i]:.6g}, expected {e[i]:.6g}"
        )
    return None


def check_function(fn, reference, cases, rtol=1e-5, atol=1e-8, name=None):
    """Call ``fn`` and ``reference`` on each case (a tuple of arguments) and compare the results.

    Returns a :class:`CheckResult` naming the first input that gives a wrong value or shape.
    """
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    name = name or getattr(fn, "__name__", "your function")
    for args in cases:
        args = args if isinstance(args, tuple) else (args,)
        shown = ", ".join(_fmt(a) for a in args)
        try:
            got = fn(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
        except NotImplementedError:
            return not_yet(f"{name} is not written yet (it raises NotImplementedError).")
        except Exception as exc:
            return not_yet(f"{name}({shown}) raised {type(exc).__name__}: {exc}")
        expected = reference(*args)
        problem = compare_arrays(got, expected, f"{name}({shown})", rtol=rtol, atol=atol)
        if problem:
            return not_yet(problem)
    return ok(f"{name} gives the right values on {len(cases)} test inputs.")


def check_value(value, expected, rtol=1e-6, atol=1e-9, what="your answer"):
    """Compare a number or array with the expected one."""
    problem = compare_arrays(value, expected, what, rtol=rtol, atol=atol)
    return not_yet(problem) if problem else ok()
