"""Print the nbgitpuller link that opens a lesson of this course on a JupyterHub.

    python tools/course_link.py --hub https://hub.example.org   # --repo: pyproject's [tool.nnlib]
    python tools/course_link.py --hub https://hub.example.org --repo ... --lesson 07
    python tools/course_link.py --hub ... --repo ... --all        # one link per lesson

A student who clicks the link logs in to the hub; their server starts (or is already running);
nbgitpuller clones the course into ``~/course`` the first time and later merges the course's
updates without overwriting what the student changed; then it sends the student to
``nnlib/open/course/NN_name.ipynb`` on their server (the ``nnlib.classroom`` server extension,
enabled by the hub), which adds a lesson new in the course to the learner workspace
``course/work/`` (a changed lesson goes beside the student's copy, never over it) and opens
the student's own copy there, or ``course/notebooks/`` when the workspace could not be made.
With ``--plain`` the link opens ``course/notebooks/`` directly (a hub without the extension).
docs/instructor/hub.md says how to hand the links out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from links import repository as course_repository

from nnlib.classroom import lesson_urlpath

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def lessons() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def find_lesson(lesson: str) -> str:
    """``07``, ``7``, ``07_keras`` or ``07_keras.ipynb`` -> ``07_keras.ipynb``."""
    names = lessons()
    key = lesson.removesuffix(".ipynb")
    if key.isdigit():
        key = f"{int(key):02d}_"
    hits = [n for n in names if n.startswith(key)]
    if len(hits) != 1:
        raise ValueError(
            f"lesson {lesson!r}: expected a lesson number or name, one of "
            f"{', '.join(n.removesuffix('.ipynb') for n in names)}; "
            f"{'several match' if hits else 'none matches'}"
        )
    return hits[0]


def course_link(
    hub: str,
    repo: str,
    lesson: str = "00",
    branch: str = "main",
    target: str = "course",
    plain: bool = False,
) -> str:
    """The nbgitpuller link: ``<hub>/hub/user-redirect/git-pull?repo=...&urlpath=...``, where
    ``urlpath`` (relative to the student's server) is ``nnlib/open/<target>/<lesson>``, or
    ``lab/tree/<target>/notebooks/<lesson>`` with ``plain``."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"--hub: expected the hub's address, like https://hub.example.org, got {hub!r}"
        )
    if not repo:
        raise ValueError("--repo: expected the course's git URL, got nothing")
    name = find_lesson(lesson)
    try:
        urlpath = lesson_urlpath(target, name)  # checks the folder and the name
    except ValueError as err:
        raise ValueError(f"--target: {err}") from None
    if plain:
        urlpath = f"lab/tree/{target}/notebooks/{name}"
    query = {"repo": repo, "branch": branch, "targetpath": target, "urlpath": urlpath}
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hub", required=True, help="the hub's address, https://hub.example.org")
    ap.add_argument(
        "--repo",
        default=course_repository() or None,
        required=not course_repository(),
        help="the course's git URL (what students pull; default: [tool.nnlib] repository in "
        "pyproject.toml)",
    )
    ap.add_argument("--branch", default="main")
    ap.add_argument("--lesson", default="00", help="number or name (default: 00, the welcome)")
    ap.add_argument("--all", action="store_true", help="one line per lesson: name and link")
    ap.add_argument("--target", default="course", help="folder in each student's home")
    ap.add_argument("--plain", action="store_true", help="open notebooks/ directly (no extension)")
    args = ap.parse_args(argv)
    try:
        picked = [n[:2] for n in lessons()] if args.all else [args.lesson]
        for lesson in picked:
            link = course_link(args.hub, args.repo, lesson, args.branch, args.target, args.plain)
            print(f"{find_lesson(lesson).removesuffix('.ipynb')}\t{link}" if args.all else link)
    except ValueError as err:
        print(f"course_link: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
