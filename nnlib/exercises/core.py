"""What an exercise is and the helpers its check is written with.

:class:`Exercise` (id, title, check, hint, time limit), :class:`CheckResult` (``ok`` /
``not_yet``), and :func:`check_function` / :func:`check_value` / :func:`compare_arrays`, which
compare a learner's answer with the reference and say what is off.  :func:`call_with_time_limit`
stops a learner's function that does not return (a loop that never ends) and leaves the kernel
usable.  This module imports no lesson: the lessons' modules import it.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DEFAULT_TIME_LIMIT_S = 5.0


@dataclass
class CheckResult:
    """The outcome of a check: truthy when passed; shows its message in a notebook."""

    passed: bool
    message: str
    #: The ``not_yet(...)`` call that wrote the message, ``lessonNN:<line>``, ``core:<line>`` or
    #: ``init:<line>``: which kind of mistake, as a stable key (the class view sends it, never
    #: the message).
    key: str | None = field(default=None, compare=False)
    #: The built-in type of the exception (``"TypeError"``) when the message explains one that
    #: the learner's code raised inside the check.
    error: str | None = field(default=None, compare=False)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _repr_markdown_(self):
        return self.message


def ok(message="Correct!"):
    return CheckResult(True, "✅ " + message)


def not_yet(message):
    """A failed check. Called while handling an exception that the learner's code raised, the
    message gets a line saying what that error means (:func:`explain_error`), unless it has it."""
    error = _learner_error()
    if error is not None:
        meaning = explain_error(sys.exc_info()[1])
        if meaning and meaning not in message:
            message = f"{message.rstrip()}\n\n{meaning}"
    return CheckResult(False, "❌ Not yet: " + message, _key(sys._getframe(1)), error)


# Which kind of mistake, for the class view (nnlib.classroom.events): where the message was
# written, and the exception the learner's code raised. A few microseconds; the names are cached.
_HERE = os.path.dirname(os.path.abspath(__file__))
_LIBRARY = tuple(
    os.path.join(os.path.abspath(p), "")
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    if p and os.path.abspath(p) != os.path.abspath(os.sep)
) + (os.path.join(os.path.dirname(_HERE), ""),)  # Python, its packages, and nnlib
_SHORT_NAMES: dict[str, str | None] = {}
_LEARNER_FILES: dict[str, bool] = {}


def _short_name(filename):
    """``lessonNN``, ``core`` or ``init`` for a file of this package, else None."""
    if filename not in _SHORT_NAMES:
        folder, base = os.path.split(os.path.abspath(filename))
        short = {"core.py": "core", "__init__.py": "init"}.get(base)
        if re.fullmatch(r"lesson[0-9]{2}\.py", base):
            short = base[:-3]
        _SHORT_NAMES[filename] = short if folder == _HERE else None
    return _SHORT_NAMES[filename]


def _key(frame):
    short = _short_name(frame.f_code.co_filename)
    return f"{short}:{frame.f_lineno}" if short else None


def _is_learner_file(filename):
    """A notebook cell or the learner's own module: not Python's, a package's or nnlib's."""
    if filename not in _LEARNER_FILES:
        if filename.startswith("<"):
            mine = not filename.startswith("<frozen")
        else:
            path = os.path.abspath(filename)
            mine = not (path.startswith(_LIBRARY) or "-packages" + os.sep in path)
        _LEARNER_FILES[filename] = mine
    return _LEARNER_FILES[filename]


def _learner_error():
    """The built-in type name of the exception being handled, when a check caught it and the
    learner's code raised it (a frame of theirs in its traceback), else None."""
    exc = sys.exc_info()[1]
    tb = getattr(exc, "__traceback__", None)
    if tb is None or _short_name(tb.tb_frame.f_code.co_filename) is None:
        return None  # no exception, or one caught outside the checks (the learner's own except)
    while tb is not None:
        if _is_learner_file(tb.tb_frame.f_code.co_filename):
            return builtin_type_name(type(exc))
        tb = tb.tb_next
    return None


def builtin_type_name(exc_type):
    """The name of ``exc_type``, or of its nearest built-in base class (a learner's own
    exception class, or a library's, is never named: ``numpy.exceptions.AxisError`` ->
    ``ValueError``)."""
    for cls in exc_type.__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return "Exception"


# --------------------------------------------------------------------------- learner errors

#: What a NumPy (or Python) error raised inside a learner's function means, in the learner's
#: words: (pattern of the error's text, explanation).  The first that matches is used.
_ERROR_MEANINGS = [
    (
        r"truth value of an array with more than one element is ambiguous",
        "What it means: an `if`, `and`, `or` or Python's max()/min() needs ONE True/False, but "
        "it got an array of them. Decide per entry instead: np.where(condition, a, b), a boolean "
        "mask, or np.maximum / np.minimum.",
    ),
    (
        r"only (0-dimensional|length-1|size-1|one-element) arrays can be converted|"
        r"only length-1 arrays",
        "What it means: a function that takes ONE number (math.exp, math.log, math.sqrt, float(), "
        "int()) got an array. Use NumPy's version, which works entry by entry on arrays of any "
        "shape: np.exp, np.log, np.sqrt (and .astype(float) instead of float()).",
    ),
    (
        r"only integer scalar arrays can be converted to a scalar index",
        "What it means: an array was given where NumPy expects one whole number (an axis or an "
        "index). A common cause: np.max(a, b) reads b as the AXIS; the larger of two arrays, entry "
        "by entry, is np.maximum(a, b).",
    ),
    (
        r"could not be broadcast together",
        "What it means: an elementwise operation (+, -, *, /, np.where) got two arrays whose "
        "shapes do not fit: NumPy lines the shapes up from the right, and each pair of sizes must "
        "be equal or 1. A matrix product is @, not *.",
    ),
    (
        r"matmul|not aligned|core dimension",
        "What it means: in A @ B the last size of A must equal the first size of B: (n, k) @ "
        "(k, m) gives (n, m). Swap the two factors or transpose one of them (.T).",
    ),
    (
        r"axis -?\d+ is out of bounds for array of dimension",
        "What it means: the array has fewer dimensions than the axis you named. axis=-1 (the last "
        "axis) works for a 1-D vector and a 2-D batch alike.",
    ),
    (
        r"too many indices for array",
        "What it means: you index with more dimensions than the array has (e.g. x[:, 0] on a 1-D "
        "vector).",
    ),
    (
        r"index -?\d+ is out of bounds for axis",
        "What it means: an index runs past the end of an axis (valid indices are 0 to size - 1).",
    ),
    (
        r"cannot reshape array",
        "What it means: a reshape must keep the number of entries: the sizes must multiply to "
        "the same total.",
    ),
    (
        r"math range error",
        "What it means: math.exp (or math.pow) overflowed; it also works on one number only. Use "
        "np.exp on arrays, with exponents that stay small.",
    ),
    (
        r"setting an array element with a sequence",
        "What it means: a list or an array was put where ONE number belongs (e.g. float() or an "
        "array entry).",
    ),
    (
        r"unsupported operand type\(s\).*'NoneType'|'NoneType' object is not",
        "What it means: a value is None - a function you call (maybe one of your own) returns "
        "nothing: is a `return` missing?",
    ),
    (
        r"name '\w+' is not defined",
        "What it means: the check runs your function on its own, so every name it uses must be "
        "an argument, imported, or defined in a cell you ran.",
    ),
]


def explain_error(exc):
    """One line saying what the error ``exc`` (raised in a learner's function) means, or ''."""
    if exc is None:
        return ""
    text = str(exc)
    for pattern, meaning in _ERROR_MEANINGS:
        if re.search(pattern, text):
            return meaning
    return ""


def describe_inputs(args):
    """The shapes and types of a test input, in words: ``an array of shape (4, 2), the number
    0.1``."""

    def one(a):
        if isinstance(a, np.ndarray):
            if a.ndim == 0:
                return "one number (a 0-d array)"
            kind = "integers" if a.dtype.kind in "iu" else "booleans" if a.dtype.kind == "b" else ""
            return f"an array of shape {a.shape}" + (f" ({kind})" if kind else "")
        if isinstance(a, (bool, np.bool_)):
            return f"the boolean {a}"
        if isinstance(a, (int, float, np.number)):
            return f"the number {a:g}"
        return f"a {type(a).__name__}"

    return ", ".join(one(a) for a in args)


def raised(call, exc, args=None, inputs=None):
    """The message for an exception ``exc`` that a learner's function raised on ``call`` (the
    call as shown): the error, what it means (:func:`explain_error`), and what the inputs are
    (``inputs``, the exercise's own words, else the shapes of ``args``).  Call it inside the
    ``except`` block (the class view records the error's type)."""
    lines = [f"{call} raised {type(exc).__name__}: {exc}"]
    meaning = explain_error(exc)
    if meaning:
        lines.append(meaning)
    if inputs:
        lines.append(f"In this exercise: {inputs}")
    elif args is not None and meaning:
        lines.append(f"The test input here: {describe_inputs(args)}.")
    return not_yet("\n\n".join(lines))


def call_quietly(fn, *args):
    """``(fn(*args), warnings)``: the learner's function run with NumPy's floating-point
    warnings (overflow, divide by zero, invalid value) and any other warning recorded instead of
    printed - a check must not leak a red RuntimeWarning - so a message can name them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            result = fn(*args)
    return result, _unique([str(w.message) for w in caught])


def _unique(items):
    return list(dict.fromkeys(items))


def warned(texts):
    """`` (NumPy warned inside your function: 'overflow encountered in exp'.)`` or ''."""
    if not texts:
        return ""
    shown = "; ".join(f"'{t}'" for t in texts[:3])
    return f" (NumPy warned inside your function: {shown}.)"


# --------------------------------------------------------------------------- forbidden helpers


def _code_names(code):
    """Every global or attribute name that ``code`` and the functions defined inside it use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def uses_forbidden(fn, forbidden):
    """The name (``"nn.softmax"``) of the first of ``forbidden`` (nnlib functions) that ``fn``
    calls, found in its byte code: ``nn.softmax(...)``, ``nnlib.nn.softmax(...)`` and a
    ``from nnlib.nn import softmax`` all count; else None."""
    code = getattr(fn, "__code__", None)
    if code is None or not forbidden:
        return None
    names = _code_names(code)
    scope = dict(getattr(fn, "__globals__", {}))
    for cell_name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or ()):
        try:
            scope[cell_name] = cell.cell_contents
        except ValueError:
            pass
    for target in forbidden:
        short = target.__name__
        label = f"nn.{short}"
        for name in names | set(code.co_freevars):
            value = scope.get(name)
            if value is target:
                return label
            if short in names and getattr(value, short, None) is target:
                return label  # nn.softmax, or nnlib.nn via a module chain
            sub = getattr(value, "nn", None)
            if short in names and getattr(sub, short, None) is target:
                return label  # nnlib.nn.softmax
    return None


@dataclass
class Mistake:
    """A known wrong answer and what to say about it, written once: the check names it when the
    learner's function gives what ``wrong`` gives (``wrong`` takes the case's arguments), and
    ``tests/exercises/test_exercise_mistakes.py`` checks that ``wrong`` earns exactly this ``message``.

    ``message`` may contain ``{got}`` (the learner's output, shortened) and ``{problem}`` (what
    :func:`compare_arrays` says about it).  :attr:`key` is where the
    ``Mistake(...)`` is written (``lessonNN:<line>``), the class view's key of the mistake."""

    name: str
    wrong: Callable[..., Any] | float  # a number for a number exercise (``digits=``)
    message: str
    key: str | None = field(default=None, init=False, compare=False)

    def __post_init__(self):
        self.key = _key(sys._getframe(2))  # the line of `Mistake(` in the lesson module

    def gives(self, got, args):
        """True when ``wrong(*args)`` gives ``got`` (a NaN or inf matches any NaN or inf)."""
        if got is None:
            return False
        try:
            with np.errstate(all="ignore"):
                wrong = np.asarray(self.wrong(*args), dtype=np.float64)
            got = np.asarray(got, dtype=np.float64)
        except Exception:
            return False
        finite = np.isfinite(wrong)
        return (
            got.shape == wrong.shape
            and np.array_equal(finite, np.isfinite(got))
            and np.allclose(got[finite], wrong[finite])
        )

    def result(self, got, problem=""):
        message = self.message.replace("{problem}", problem)
        message = message.replace("{got}", _fmt(got)) if "{got}" in message else message
        return CheckResult(False, "❌ Not yet: " + message, self.key)


@dataclass
class Exercise:
    """One exercise.

    ``check(answer) -> CheckResult`` judges an answer.  ``hint`` is a text, or a list of steps
    that :func:`nnlib.hint` shows one more of on each call.  The model solution is the lesson's
    solution block (:mod:`nnlib.exercises.solutions`): :attr:`reference` runs it, and
    :meth:`solution_source` is its text.  ``time_limit`` (seconds) stops a learner's function
    that does not return.

    A *declarative* exercise ("this function against the lesson's solution") gives ``cases``
    (tuples of arguments) and ``mistakes`` (:class:`Mistake`) instead of ``check``: its check
    runs the learner's function on each case and compares it with :attr:`reference`
    (:func:`compare_arrays`, ``rtol``/``atol``); at the first difference it names the first
    mistake that reproduces the learner's output, else says what differs.  ``name`` is the
    function's name in the messages (default: the learner's function's own name).  ``guard``
    (optional) looks at the function before it runs (its signature) and returns a
    :class:`CheckResult` to stop there, or None; ``passed`` is the message of a pass.

    A declarative *number* exercise gives ``digits`` (and ``what``, the number's name) instead
    of ``cases``: the answer is compared with :attr:`reference` by :func:`check_value`, after
    the mistakes (each ``wrong`` a number, matched within 1 %).

    ``title`` is set from the lesson's heading (``### Exercise NN.k — title``, written once:
    :mod:`nnlib.exercises.titles`), never given here.
    """

    id: str
    title: str = ""
    check: Callable[[Any], CheckResult] | None = None
    hint: str | list[str] = ""
    time_limit: float | None = DEFAULT_TIME_LIMIT_S
    tags: list = field(default_factory=list)
    cases: list | None = None
    mistakes: list[Mistake] = field(default_factory=list)
    name: str | None = None
    rtol: float = 1e-5
    atol: float = 1e-8
    guard: Callable[[Any], CheckResult | None] | None = None
    passed: str | None = None
    digits: int | None = None
    what: str = "your answer"
    #: nnlib functions this exercise must not call (its answer key, or what the task forbids):
    #: the check refuses a function that calls one, with ``forbid_reason``, before running it.
    forbid: tuple = ()
    forbid_reason: str = "this exercise asks you to write it yourself"
    #: What to do instead, after the refusal (``{used}``: the forbidden function's name).
    forbid_advice: str = "Write it with NumPy (np.exp, np.sum, ...) instead of calling {used}."
    #: What the learner's function is given and returns, in words (``"z is an array of any
    #: shape, alpha one number"``): added to the message when the learner's code raised.
    inputs: str | None = None
    #: False where the answer is a choice (a key of a table, a label), not a quantity: a wrong
    #: value is then named without "too small by a factor of ..." (:func:`how_far_off`).
    how_far: bool = True

    def __post_init__(self):
        from .titles import title_of

        self.title = title_of(self.id) or self.title or self.id
        if self.check is None:
            if self.cases is None and self.digits is None:
                raise TypeError(f"exercise {self.id} needs check=, cases= or digits=")
            self.check = self._check_cases if self.cases is not None else self._check_number
        if self.forbid or self.inputs:
            self.check = self._with_rules(self.check)

    def _with_rules(self, inner):
        """``inner`` (the check), after the forbidden-helper rule; a message about an error the
        learner's code raised gets the exercise's ``inputs`` line."""

        def check(answer):
            used = uses_forbidden(answer, self.forbid) if callable(answer) else None
            if used is not None:
                name = getattr(answer, "__name__", "your function")
                return not_yet(
                    f"{name} calls {used}, nnlib's own version - {self.forbid_reason}. "
                    + self.forbid_advice.format(used=used)
                )
            result = inner(answer)
            if (
                not result.passed
                and result.error
                and self.inputs
                and self.inputs not in result.message
            ):
                result.message += f"\n\nIn this exercise: {self.inputs}"
            return result

        check.__wrapped__ = inner
        return check

    def _check_number(self, value):
        """The check of a declarative number exercise (see the class docstring)."""
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            return not_yet(f"the answer should be one number, got {type(value).__name__}")
        for mistake in self.mistakes:
            if np.isclose(value, mistake.wrong, rtol=1e-2):
                return mistake.result(value)
        return check_value(value, self.reference, what=self.what, digits=self.digits)

    def _check_cases(self, fn):
        """The check of a declarative exercise (see the class docstring)."""
        if not callable(fn):
            return not_yet(f"expected a function, got {type(fn).__name__}")
        stop = self.guard(fn) if self.guard is not None else None
        if stop is not None:
            return stop
        name = self.name or getattr(fn, "__name__", "your function")
        reference = self.reference
        cases = [args if isinstance(args, tuple) else (args,) for args in self.cases]
        for i, args in enumerate(cases):
            shown = ", ".join(_fmt(a) for a in args)
            try:
                got, said = _call_on_copies(fn, args, record=True)
            except NotImplementedError:
                return not_yet(f"{name} is not written yet (it raises NotImplementedError).")
            except Exception as exc:
                return raised(f"{name}({shown})", exc, args, self.inputs)
            expected = reference(*args)
            problem = compare_arrays(
                got,
                expected,
                f"{name}({shown})",
                rtol=self.rtol,
                atol=self.atol,
                how_far=self.how_far,
            )
            if problem:
                mistake = self._mistake_of(fn, cases, i, got, expected)
                if mistake is not None:
                    return mistake.result(got, problem)
                if "NaN or inf" in problem:
                    problem += warned(said)
                return not_yet(problem + _foreign_sizes(got, args))
        return ok(self.passed or f"{name} gives the right values on {len(self.cases)} test inputs.")

    def _mistake_of(self, fn, cases, failed, got, expected):
        """The first mistake that gives what ``fn`` gives on every case (``got`` on the case
        that failed, where the mistake is not the right answer), else None."""
        candidates = [m for m in self.mistakes if m.gives(got, cases[failed])]
        candidates = [m for m in candidates if not m.gives(expected, cases[failed])]
        for j, args in enumerate(cases):
            if not candidates:
                break
            if j != failed:
                try:
                    theirs = _call_on_copies(fn, args)
                except Exception:
                    continue  # a case their function cannot run says nothing either way
                candidates = [m for m in candidates if m.gives(theirs, args)]
        return candidates[0] if candidates else None

    @property
    def reference(self):
        from .solutions import lesson_solution

        return lesson_solution(self.id)

    def solution_source(self):
        from .solutions import solution_code

        return solution_code(self.id)

    @property
    def hint_steps(self) -> list[str]:
        return [self.hint] if isinstance(self.hint, str) else list(self.hint)


def _call_on_copies(fn, args, record=False):
    """``fn(*args)`` on copies of the arrays (a learner's in-place edit must not change the
    cases), with NumPy's warnings recorded, not printed (the message says what came out);
    ``record=True`` returns ``(result, warnings)``."""
    copies = [np.array(a) if isinstance(a, np.ndarray) else _copy(a) for a in args]
    result, said = call_quietly(fn, *copies)
    return (result, said) if record else result


def _foreign_sizes(got, args):
    """A remark when the learner's result has a size that no input has (their function read a
    variable from outside it, such as the lesson's own data), else ''."""
    try:
        shape = np.shape(got)
    except Exception:
        return ""
    sizes = {n for a in args for n in np.shape(a)} | {1}
    odd = [n for n in shape if n not in sizes]
    if not odd or not isinstance(got, np.ndarray):
        return ""
    return (
        f" - its size {odd[0]} is the size of none of the inputs: does the function use a "
        "variable from outside it (the lesson's data, a global) instead of its arguments?"
    )


def _copy(value):
    return list(value) if isinstance(value, list) else value


# --------------------------------------------------------------------------- time limit


class TimeLimitExceeded(BaseException):
    """Raised inside a learner's code that runs past its time limit.  A ``BaseException``, so
    that an ``except Exception:`` in the learner's loop does not swallow it."""


def call_with_time_limit(fn, seconds, *args):
    """``fn(*args)``, stopped with :class:`TimeLimitExceeded` after ``seconds``.

    In the main thread (a Jupyter kernel runs cells there) a ``SIGALRM`` timer interrupts the
    code between two bytecodes, so ``while True: pass`` stops and the kernel stays usable.
    Elsewhere (another thread, Windows) ``fn`` runs in a worker thread and the exception is
    raised into it with ``PyThreadState_SetAsyncExc``.  A single C call that never returns
    (e.g. one huge NumPy operation) cannot be interrupted by either.
    """
    if seconds is None:
        return fn(*args)
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_alarm(fn, seconds, args)
    return _with_thread(fn, seconds, args)


def _with_alarm(fn, seconds, args):
    def on_alarm(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _with_thread(fn, seconds, args):
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, name="nnlib-check", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(TimeLimitExceeded)
        )
        worker.join(1.0)
        raise TimeLimitExceeded(seconds)
    if "error" in box:
        raise box["error"]
    return box.get("value")


# --------------------------------------------------------------------------- checking helpers


def has_empty_body(fn):
    """True when ``fn`` is a function whose body is only ``pass``, ``...`` and/or a docstring
    (a blank exercise cell), judged from its byte code so it works without the source."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_name == "<lambda>":
        return False
    import dis

    ops = [i.opname for i in dis.get_instructions(code)]
    ops = [o for o in ops if o not in ("RESUME", "NOP", "CACHE")]
    return ops in (["RETURN_CONST"], ["LOAD_CONST", "RETURN_VALUE"]) and all(
        c in (None, Ellipsis) or isinstance(c, str) for c in code.co_consts
    )


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


def how_far_off(got, expected):
    """Say how a number is off without giving the expected value away: the sign, a factor, or
    too large / too small."""
    g, e = float(got), float(expected)
    if e == 0:
        return "should be 0" if g != 0 else "is right"
    ratio = g / e
    if g == 0:
        return "is 0, but it should not be"
    if ratio < 0:
        if np.isclose(ratio, -1, rtol=1e-3):
            return "has the wrong sign (the size is right)"
        return "has the wrong sign"
    bigger = "too large" if abs(g) > abs(e) else "too small"
    if e < 0:
        bigger += " in size"  # -0.1 against -0.5 is too small in size, not "too large"
    factor = max(ratio, 1 / ratio)
    if factor >= 1.5:
        if factor >= 10:  # an order of magnitude only: a factor of 431 would give 0.431 away
            return f"is {bigger} by a factor of {10 ** int(np.floor(np.log10(factor))):g} or more"
        return f"is {bigger} by a factor of about {round(factor * 2) / 2:g}"
    if factor >= 1.1:
        return f"is {bigger} (off by {int(round((factor - 1) * 10)) * 10 or 10} % or so)"
    return f"is a little {bigger} (less than 10 % off)"


def compare_arrays(
    got, expected, what="your answer", rtol=1e-5, atol=1e-8, reveal=True, how_far=True
):
    """``None`` if ``got`` matches ``expected`` (shape and values), else a message saying what is
    off: the type, the shape, or which entries differ and how (too large, a factor, the sign).

    ``reveal=True`` (a function's output on a test input the message names) also shows the
    expected value; ``reveal=False`` (an exercise whose answer IS the number) never does: the
    value is for ``solution()`` only.  ``how_far=False`` (a choice, not a quantity: a key of a
    table) names a wrong number and the expected one without saying how far off it is."""
    if got is None:
        return f"{what} is None - did you forget a `return`?"
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{what} should be a number or array, got {type(got).__name__}"
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return f"{what} {_shape_words(g.shape, e.shape)}"
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
        return f"{what} contains NaN or inf: {_fmt(g)}"
    if not np.allclose(g, e, rtol=rtol, atol=atol):
        bad = np.argwhere(~np.isclose(g, e, rtol=rtol, atol=atol))
        if g.ndim == 0:
            if reveal and not how_far:
                return f"{what} is {_fmt(g)}, expected {_fmt(e)}"
            if reveal:
                return f"{what} is {_fmt(g)}, expected {_fmt(e)} ({how_far_off(g, e)})"
            return f"{what} is {_fmt(g)}, which {how_far_off(g, e)}"
        i = tuple(int(v) for v in bad[0])
        shown = f"got {g[i]:.6g}, expected {e[i]:.6g}" if reveal else f"you have {g[i]:.6g}, which"
        return (
            f"{what} differs in {len(bad)} of {g.size} entries; e.g. at index {i}: {shown} "
            f"({how_far_off(g[i], e[i])})"
            if reveal
            else f"{what} differs in {len(bad)} of {g.size} entries; e.g. at index {i} {shown} "
            f"{how_far_off(g[i], e[i])}"
        )
    return None


def _shape_words(got, expected):
    """A shape mismatch in a learner's words (one number / one per row / a table)."""

    def words(shape):
        if shape == ():
            return "one number"
        if len(shape) == 1:
            return f"a vector of {shape[0]} numbers, shape {shape}"
        return f"an array of shape {shape}"

    text = f"is {words(got)}, but should be {words(expected)}"
    if got == () and len(expected) >= 1:
        text += (
            " - return one value per entry (per row, per sample), not one number for all of "
            "them: did a mean or sum collapse the array?"
        )
    elif len(got) == 1 and len(expected) == 2 and got[0] == expected[0]:
        text += " - keep one row per sample: a sum or index over axis 1 may have dropped it"
    elif len(got) == len(expected) == 2 and got == expected[::-1]:
        text += " - it is transposed"
    return text


def check_function(fn, reference, cases, rtol=1e-5, atol=1e-8, name=None, inputs=None):
    """Call ``fn`` and ``reference`` on each case (a tuple of arguments) and compare the results.

    Returns a :class:`CheckResult` naming the first input that gives a wrong value or shape; an
    error the function raised is explained (:func:`raised`, ``inputs`` the exercise's words).
    """
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    name = name or getattr(fn, "__name__", "your function")
    for args in cases:
        args = args if isinstance(args, tuple) else (args,)
        shown = ", ".join(_fmt(a) for a in args)
        try:
            got, said = _call_on_copies(fn, args, record=True)
        except NotImplementedError:
            return not_yet(f"{name} is not written yet (it raises NotImplementedError).")
        except Exception as exc:
            return raised(f"{name}({shown})", exc, args, inputs)
        expected = reference(*args)
        problem = compare_arrays(got, expected, f"{name}({shown})", rtol=rtol, atol=atol)
        if problem:
            problem += warned(said) if "NaN or inf" in problem else ""
            return not_yet(problem + _foreign_sizes(got, args))
    return ok(f"{name} gives the right values on {len(cases)} test inputs.")


def call_for_pair(fn, args, call, returns="w, b"):
    """Call a learner's function that must return two things (``return w, b``): ``(result,
    None)``, or ``(None, not_yet(...))`` saying it raised (``call`` shows the call), returned
    None, or returned something other than a pair."""
    name = call.split("(")[0].split()[-1]
    try:
        got = fn(*args)
    except Exception as exc:  # every learner error becomes a message
        return None, raised(call, exc, args)
    if got is None:
        return None, not_yet(f"{name} returned None - did you forget `return {returns}`?")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        size = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
        return None, not_yet(
            f"{name} should return two things (`return {returns}`), got {type(got).__name__}{size}"
        )
    return got, None


def significant_digits_tolerance(expected, digits):
    """Half a unit in the ``digits``-th significant digit of ``expected``: the largest error of a
    correctly rounded answer with that many significant digits."""
    e = abs(float(expected))
    if e == 0:
        return 0.5 * 10.0 ** (-digits)
    return 0.5 * 10.0 ** (np.floor(np.log10(e)) - digits + 1) * (1 + 1e-9)


def check_value(value, expected, rtol=1e-6, atol=1e-9, what="your answer", digits=None):
    """Compare a number or array with the expected one.

    With ``digits``, a number is accepted when it is correct to that many significant digits
    (``0.431`` for ``0.431205`` with ``digits=3``), and the message says so; the expected value
    is never shown.
    """
    if digits is None:
        problem = compare_arrays(value, expected, what, rtol=rtol, atol=atol, reveal=False)
        return not_yet(problem) if problem else ok()
    try:
        if isinstance(value, (str, bytes)):
            raise TypeError(value)
        v = float(value)
    except (TypeError, ValueError):
        return not_yet(f"{what} should be one number, got {type(value).__name__}")
    if not np.isfinite(v):
        return not_yet(f"{what} is {v} - a finite number is needed")
    want = f"Give at least {digits} significant digits (e.g. 0.123 or 1.23e-05)."
    if abs(v - expected) <= significant_digits_tolerance(expected, digits):
        return ok()
    right_to = next(
        (f for f in range(digits - 1, 0, -1)
         if abs(v - expected) <= significant_digits_tolerance(expected, f)),
        0,
    )  # fmt: skip
    given = significant_digits_given(v)
    plural = "s" if right_to > 1 else ""
    if given < digits and right_to >= given:  # the right value, rounded too early
        return not_yet(
            f"{what} = {v:g} is right to {right_to} significant digit{plural}, but not to "
            f"{digits}: you gave only {given}. {want}"
        )
    if given < digits:  # a wrong value, and short as well
        return not_yet(
            f"{what} = {v:g} {how_far_off(v, expected)}: the value itself is off, not just its "
            f"rounding - recheck the computation. (Once it is right: {want[0].lower()}{want[1:]})"
        )
    if right_to == digits - 1 and abs(v - expected) <= 0.01 * abs(expected):
        why = (
            "check how you rounded (round the full-precision result, once, at the end), or "
            "keep full precision in the intermediate steps."
            if given == digits
            else f"you gave {given} digits, so it is not the final rounding: did you round a "
            "number on the way (keep full precision in the intermediate steps), or is one "
            "input slightly off?"
        )
        return not_yet(
            f"{what} = {v:g} is close (less than 1 % off), but not right to {digits} "
            f"significant digits: {why}"
        )
    return not_yet(
        f"{what} = {v:g} {how_far_off(v, expected)}: a wrong value, not a rounding problem - it "
        f"already has {given} significant digits, and more digits will not change that. Recheck "
        f"the computation, step by step."
    )


def significant_digits_given(value):
    """How many significant digits the number ``value`` has as written (its shortest repr):
    0.43 -> 2, 0.43884 -> 5, 4.0 -> 1, a computed 0.4312059... -> 16 or so."""
    mantissa = repr(float(value)).lower().split("e")[0].lstrip("-").replace(".", "")
    return max(len(mantissa.strip("0")), 1)
