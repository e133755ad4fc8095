"""Course links that always open the lesson: a small Jupyter server extension.

A course link (tools/course_link.py) makes nbgitpuller pull the course and then send the student
to ``nnlib/open/<course>/<lesson>`` on their own server (``urlpath``, relative to the server's
base URL). That page (:mod:`nnlib.classroom.open_lesson`) brings the pulled course's lessons
into the learner workspace ``<course>/work/`` with the course's own ``tools/workspace.py`` (a new
lesson is added, a changed one put beside the student's copy, nothing of theirs replaced), then
redirects to ``lab/tree/<course>/work/<lesson>``, or to ``lab/tree/<course>/notebooks/<lesson>``
when the workspace could not be made.

Enable it in the student's server (JupyterHub's ``Spawner.cmd`` / ``Spawner.args``)::

    jupyterhub-singleuser --ServerApp.jpserver_extensions=nnlib.classroom=True

This module only uses the standard library: importing it (and reading :data:`ENABLE_ARG`) loads
no Jupyter code; the handler module is imported when the server loads the extension.
"""

from __future__ import annotations

import re

EXTENSION = "nnlib.classroom"
#: The command-line argument that enables the extension in ``jupyter server`` /
#: ``jupyter lab`` / ``jupyterhub-singleuser`` (merged with the extensions enabled elsewhere).
ENABLE_ARG = f"--ServerApp.jpserver_extensions={EXTENSION}=True"
#: Where the extension answers, below the server's base URL.
URL_PREFIX = "nnlib/open"

LESSON_RE = re.compile(r"[0-9]{2}_[A-Za-z0-9_-]+\.ipynb")
FOLDER_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def check_lesson_path(course: str, lesson: str) -> None:
    """Raise ValueError unless ``course`` is a relative folder (``course``, ``classes/nn``; no
    ``..``, no hidden or absolute parts) and ``lesson`` a lesson file name, ``NN_name.ipynb``."""
    if not LESSON_RE.fullmatch(lesson):
        raise ValueError(f"{lesson!r} is not a lesson file name like 07_keras.ipynb")
    parts = course.split("/")
    if not course or not all(FOLDER_RE.fullmatch(p) and ".." not in p for p in parts):
        raise ValueError(
            f"{course!r} is not a course folder relative to the server's root, like 'course'"
        )


def lesson_urlpath(course: str, lesson: str) -> str:
    """The ``urlpath`` of a course link: ``nnlib/open/<course>/<lesson>``, relative to the
    server's base URL (nbgitpuller redirects to ``{base_url}{urlpath}`` after the pull)."""
    check_lesson_path(course, lesson)
    return f"{URL_PREFIX}/{course}/{lesson}"


def server_args() -> list[str]:
    """Arguments for the student's server that enable the extension (for a start script)."""
    return [ENABLE_ARG]


def _jupyter_server_extension_points():
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp) -> None:
    from .open_lesson import load

    load(serverapp)
