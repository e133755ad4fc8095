"""The learner's own workspace: ``make lab`` (and Binder) open the lessons from ``work/``.

    python tools/workspace.py [--course notebooks] [--dest work]

``work/`` is ignored by git, so the learner's answers, outputs and autosaves never touch the
course's own ``notebooks/`` (which stay clean for ``git pull`` and ``make test``).

First start
    Every lesson is copied with its exercise answer cells empty (``...  # YOUR CODE HERE``, the
    same stripping as ``make student``).  ``check`` and ``hint`` work, and ``solution()`` still
    prints the model solution (self-learners may look; instructors' ``make student`` copies
    hide it).
Later starts (idempotent, nothing of the learner's is ever replaced - like nbgitpuller)
    * a lesson new in the course is added;
    * a lesson changed in the course that the learner has not touched is updated in place;
    * a lesson changed in the course that the learner *has* changed (answers, outputs) stays as
      it is; the new version is put beside it as ``NN_name.updated-YYYYMMDD.ipynb`` and a one-line
      note says so;
    * a lesson the learner deleted is restored.
    ``work/.nnlib-workspace.json`` (hidden) records, per file, the hash of the course version it
    came from and the hash of what was written, so "changed in the course" and "changed by the
    learner" are told apart.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import platform
import sys
from pathlib import Path

import nbformat
from make_student import MarkerError, strip_source

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ".nnlib-workspace.json"
PATTERN = "[0-9][0-9]_*.ipynb"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def workspace_notebook(nb):
    """A learner's copy of lesson ``nb``: answer blocks emptied, outputs cleared, ``solution()``
    left working; ``language_info.version`` filled in as the kernel reports it, so opening the
    lesson marks nothing modified."""
    nb = nbformat.from_dict(nb)  # deep copy
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.source, _ = strip_source(cell.source, f"cell {i}")
        cell.outputs = []
        cell.execution_count = None
    info = nb.metadata.get("language_info")
    if info is not None and info.get("name") == "python":
        info["version"] = platform.python_version()
    nb.metadata.setdefault("nnlib", {})["workspace"] = True
    return nb


def render(course_file: Path) -> bytes:
    nb = nbformat.read(str(course_file), as_version=4)
    try:
        out = workspace_notebook(nb)
    except MarkerError as err:
        sys.exit(f"{course_file}: {err}")
    return (nbformat.writes(out) + "\n").encode()


def sync(course: Path, dest: Path, today: str | None = None) -> list[str]:
    """Create or update workspace ``dest`` from the lessons in ``course``; return one line per
    thing done (empty when the workspace is up to date)."""
    course, dest = Path(course), Path(dest)
    lessons = sorted(course.glob(PATTERN))
    if not lessons:
        sys.exit(f"no lessons ({PATTERN}) in {course}")
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path = dest / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    files = manifest.setdefault("files", {})
    today = today or _dt.date.today().strftime("%Y%m%d")
    notes = []
    for src in lessons:
        course_hash = sha(src.read_bytes())
        target = dest / src.name
        entry = files.get(src.name)
        if entry is not None and entry["course"] == course_hash and target.exists():
            continue  # up to date (whatever the learner did to it)
        if entry is not None and entry.get("offered") == course_hash:
            continue  # this course version is already waiting beside the learner's copy
        data = render(src)
        if not target.exists():
            target.write_bytes(data)
            files[src.name] = {"course": course_hash, "written": sha(data)}
            notes.append(f"{'restored' if entry else 'added'} {target}")
            continue
        mine = sha(target.read_bytes())
        if entry is not None and mine == entry["written"]:
            target.write_bytes(data)  # untouched by the learner: nothing of theirs to lose
            files[src.name] = {"course": course_hash, "written": sha(data)}
            notes.append(f"updated {target} (you had not changed it)")
            continue
        if entry is None and mine == sha(data):
            files[src.name] = {"course": course_hash, "written": mine}
            continue
        beside = target.with_name(f"{target.stem}.updated-{today}.ipynb")
        beside.write_bytes(data)
        files[src.name] = {**(entry or {"course": None, "written": None}), "offered": course_hash}
        notes.append(
            f"{src.name} changed in the course; your copy is kept, the new version is {beside}"
        )
    manifest["course"] = str(course.resolve())
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return notes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--course", default=str(ROOT / "notebooks"), help="the course's lessons")
    ap.add_argument("--dest", default=str(ROOT / "work"), help="the learner's workspace")
    args = ap.parse_args(argv)
    notes = sync(Path(args.course), Path(args.dest))
    for line in notes:
        print(line)
    print(f"workspace {args.dest}: {len(notes)} change(s); your work there is never replaced")


if __name__ == "__main__":
    main()
