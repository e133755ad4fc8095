"""Each exercise's title, written once: the lesson's heading ``### Exercise NN.k — title``.

``tools/lessons.py build`` puts each title into the exercise's entry of ``solutions.json`` (with
:func:`lesson_titles`, the parser; the build refuses an exercise without a heading).
:func:`title_of` reads it from there, or from the lessons' text (``lessons/*.py`` next to the
package, in a checkout) for an exercise without a solution block; :class:`~.core.Exercise` uses
its id when neither names it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"

#: A markdown heading of an exercise in a jupytext percent cell: ``# ### Exercise 1 — title``.
HEADING_RE = re.compile(r"^#\s*#{2,4}\s*Exercise\s+[0-9.]+\s*[—–-]\s*(?P<title>.+?)\s*$", re.M)
#: The check call that names the exercise below its heading.
CHECK_RE = re.compile(r"""\bcheck\(\s*["'](?P<id>[0-9]{2}\.[A-Za-z0-9_]+)["']""")


def lesson_titles(text: str) -> dict[str, str]:
    """``{exercise id: heading title}`` of one lesson's text: each heading ``### Exercise k —
    title`` belongs to the first ``check("NN.name", ...)`` after it."""
    titles: dict[str, str] = {}
    headings = list(HEADING_RE.finditer(text))
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        call = CHECK_RE.search(text, heading.end(), end)
        if call and call.group("id") not in titles:
            titles[call.group("id")] = heading.group("title")
    return titles


@functools.cache
def _from_lessons() -> dict[str, str]:
    titles: dict[str, str] = {}
    if LESSONS_DIR.is_dir():
        for path in sorted(LESSONS_DIR.glob("[0-9][0-9]_*.py")):
            titles.update(lesson_titles(path.read_text(encoding="utf-8")))
    return titles


def title_of(exercise_id: str) -> str | None:
    """The title of ``exercise_id``: the built data's, else its lesson heading's, else None."""
    from .solutions import _all

    built = _all().get(exercise_id, {}).get("title")
    return built or _from_lessons().get(exercise_id)
