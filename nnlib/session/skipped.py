"""A name that is not defined because a cell was skipped: say which section defines it.

A learner who skips a cell (or restarts the kernel and runs one cell further down) gets
``NameError: name 'X' is not defined`` - true, but it does not say what to do.  Every lesson
knows which of its cells binds each name: ``python tools/lessons.py build`` writes that into
``nnlib/exercises/lesson_names.json``, next to the solutions (lesson -> name -> the ``## ``
section that first binds it).  :func:`install` (called by ``nnlib.start_lesson()``) registers
an IPython handler for ``NameError`` that puts one line above the usual error::

    `X` is defined in section 2 ('A neuron is a linear classifier') - run that cell first
    (or Run > Run All Above Selected Cell).

Which lesson is running: the notebook's name when the kernel knows it (``__session__`` /
``JPY_SESSION_NAME``, set by Jupyter Server), else the lesson whose names fill the kernel most.
Outside IPython :func:`install` does nothing.  A name no lesson defines (a typo) gets the plain
error.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from pathlib import Path

from ..config import ipython_shell

NAMES_FILE = Path(__file__).parent.parent / "exercises" / "lesson_names.json"
SETUP = ""  # the section of names bound before the lesson's first "## " heading
RUN_ABOVE = "Run > Run All Above Selected Cell"


@functools.cache
def lesson_names() -> dict[str, dict[str, str]]:
    """``{lesson stem: {name: section heading}}`` from ``lesson_names.json`` ({} if absent)."""
    try:
        return json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def where(section: str) -> str:
    """'section 2 ('A neuron ...')' for '2. A neuron ...', 'the section 'Title'' otherwise."""
    if section == SETUP:
        return "the lesson's first code cell (the setup)"
    m = re.match(r"^(\d+)\.\s*(.+)$", section)
    if m:
        return f"section {m.group(1)} ('{m.group(2)}')"
    return f"the section '{section}'"


def _session_lesson(user_ns, names) -> str | None:
    """The lesson named by the notebook's path, when the kernel knows it."""
    path = user_ns.get("__session__") or os.environ.get("JPY_SESSION_NAME") or ""
    number = re.match(r"^(\d\d)_", Path(str(path)).name)
    if not number:
        return None
    hits = [lesson for lesson in names if lesson.startswith(number.group(0))]
    return hits[0] if len(hits) == 1 else None


def guess_lesson(user_ns, names=None) -> str | None:
    """The running lesson: from the notebook's name, else the lesson that defines the most of
    the names the kernel holds (None on a tie or no overlap)."""
    names = lesson_names() if names is None else names
    lesson = _session_lesson(user_ns, names)
    if lesson:
        return lesson
    held = {n for n in user_ns if not n.startswith("_")}
    scores = sorted(((len(held & set(defined)), lesson) for lesson, defined in names.items()))
    if not scores or scores[-1][0] == 0 or (len(scores) > 1 and scores[-1][0] == scores[-2][0]):
        return None
    return scores[-1][1]


def message(name: str, user_ns, names=None) -> str | None:
    """The one line for a missing ``name``, or None when no lesson section defines it (or the
    kernel does hold it: then the error came from somewhere else)."""
    if not name or name in user_ns:
        return None
    names = lesson_names() if names is None else names
    lesson = guess_lesson(user_ns, names)
    if lesson is None:  # the lesson is unknown: only a name one lesson alone defines will do
        owners = [n for n, defined in names.items() if name in defined]
        lesson = owners[0] if len(owners) == 1 else None
    if lesson is None or name not in names.get(lesson, {}):
        return None
    return (
        f"`{name}` is defined in {where(names[lesson][name])} - run that cell first "
        f"(or {RUN_ABOVE})."
    )


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: shows the usual traceback, with our line on top.

    IPython's ``run_code`` only calls the handler (it shows nothing itself), so the handler
    shows the error through ``shell._showtraceback`` - in a kernel that is what sends the error
    message, so the cell still counts as failed."""
    stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    try:
        line = message(getattr(value, "name", None), shell.user_ns)
    except Exception:  # never let the helper hide the learner's error
        line = None
    stb = [line, *stb] if line else stb
    shell._showtraceback(etype, value, stb)
    return stb


def install(shell=None) -> bool:
    """Register the handler in the running IPython shell; False (and nothing done) outside
    IPython."""
    shell = shell or ipython_shell("set_custom_exc")
    if shell is None:
        return False
    shell.set_custom_exc((NameError,), _handler)
    if not getattr(shell.showtraceback, "_nnlib", False):
        shell.showtraceback = _for_widgets(shell, shell.showtraceback)
    return True


def _for_widgets(shell, showtraceback):
    """A widget's callback (``ipywidgets.interactive``) reports its error with
    ``shell.showtraceback()``, not through the custom handler: for a missing lesson name it
    shows our line and the one-line error instead of a traceback on every slider move."""

    def show(exc_tuple=None, *args, **kwargs):
        etype, value, _ = exc_tuple or sys.exc_info()
        line = None
        if isinstance(value, NameError) and not kwargs.get("running_compiled_code"):
            try:
                line = message(getattr(value, "name", None), shell.user_ns)
            except Exception:  # never let the helper hide the learner's error
                line = None
        if line is None:
            return showtraceback(exc_tuple, *args, **kwargs)
        shell._showtraceback(etype, value, [line, f"{etype.__name__}: {value}"])

    show._nnlib = True
    return show
