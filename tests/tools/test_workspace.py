"""The learner's workspace (tools/workspace.py): created from the course on first start with empty
answer cells, `check`/`hint`/`solution` working, and never overwritten on later starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import workspace
from make_student import BEGIN, PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _course(tmp_path, names=("00_welcome.ipynb", "01_neuron.ipynb")):
    course = tmp_path / "course"
    course.mkdir()
    for name in names:
        (course / name).write_bytes((ROOT / "notebooks" / name).read_bytes())
    return course


def _edit(path, text):
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, str(path))


def test_first_start_copies_every_lesson_with_empty_answers(tmp_path):
    notes = workspace.sync(ROOT / "notebooks", tmp_path / "work")
    work = tmp_path / "work"
    assert sorted(p.name for p in work.glob("*.ipynb")) == [p.name for p in LESSONS]
    assert len(notes) == len(LESSONS) and all(n.startswith("added") for n in notes)
    for lesson in LESSONS:
        nb = nbformat.read(str(work / lesson.name), as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert BEGIN not in code, lesson.name
        assert "NNLIB_HIDE_SOLUTIONS" not in code  # solution() keeps working for self-learners
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        assert nb.metadata.language_info.version  # as the kernel reports it: opening marks nothing
    blanks = (work / "01_neuron.ipynb").read_text().count(PLACEHOLDER)
    assert blanks >= 3
    manifest = json.loads((work / workspace.MANIFEST).read_text())
    assert set(manifest["files"]) == {p.name for p in LESSONS}
    assert (work / workspace.MANIFEST).name.startswith(".")  # hidden in the file browser


def test_second_start_changes_nothing(tmp_path):
    course = _course(tmp_path)
    work = tmp_path / "work"
    workspace.sync(course, work)
    before = {p.name: p.read_bytes() for p in work.iterdir()}
    assert workspace.sync(course, work) == []
    assert {p.name: p.read_bytes() for p in work.iterdir()} == before


def test_course_updates_never_replace_the_learners_work(tmp_path):
    course = _course(tmp_path)
    work = tmp_path / "work"
    workspace.sync(course, work, today="20260101")
    _edit(work / "01_neuron.ipynb", "my own notes")  # the learner works in lesson 01
    mine = (work / "01_neuron.ipynb").read_bytes()
    # The course changes both lessons and gains a new one.
    _edit(course / "00_welcome.ipynb", "course update A")
    _edit(course / "01_neuron.ipynb", "course update B")
    (course / "02_activations.ipynb").write_bytes(
        (ROOT / "notebooks" / "02_activations.ipynb").read_bytes()
    )
    notes = workspace.sync(course, work, today="20260102")
    assert (work / "01_neuron.ipynb").read_bytes() == mine  # the learner's copy is kept
    beside = work / "01_neuron.updated-20260102.ipynb"
    assert "course update B" in beside.read_text()
    assert any("01_neuron.ipynb changed in the course" in n and str(beside) in n for n in notes)
    assert "course update A" in (work / "00_welcome.ipynb").read_text()  # untouched: updated
    assert (work / "02_activations.ipynb").exists()  # new lesson: added
    # Once offered, the same course version is not offered again; nothing else moves.
    assert workspace.sync(course, work, today="20260103") == []
    assert not (work / "01_neuron.updated-20260103.ipynb").exists()
    # A lesson the learner deleted comes back.
    (work / "00_welcome.ipynb").unlink()
    assert workspace.sync(course, work) == [f"restored {work / '00_welcome.ipynb'}"]


def test_command_line_is_idempotent(tmp_path):
    course = _course(tmp_path)
    cmd = [sys.executable, str(ROOT / "tools" / "workspace.py"), "--course", str(course)]
    cmd += ["--dest", str(tmp_path / "work")]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "2 change(s)" in first and "0 change(s)" in second


def test_gitignore_keeps_the_workspace_out_of_git():
    res = subprocess.run(
        ["git", "check-ignore", "work/00_welcome.ipynb"], cwd=ROOT, capture_output=True, text=True
    )
    assert res.stdout.strip() == "work/00_welcome.ipynb"


def test_in_the_workspace_check_hint_and_solution_work(tmp_path):
    """Lesson 01 from the workspace runs top to bottom; the empty answer gets "Not yet", a hint
    helps, and solution() prints the lesson's model solution."""
    from nbclient import NotebookClient

    workspace.sync(_course(tmp_path), tmp_path / "work")
    path = tmp_path / "work" / "01_neuron.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('hint("01.neuron_output")'))
    nb.cells.append(nbformat.v4.new_code_cell('solution("01.neuron_output")'))
    env = {k: v for k, v in os.environ.items() if k not in {"NNLIB_STRICT_CHECKS"}}
    env.update(NNLIB_QUICK="1", NNLIB_OFFLINE="1", MPLBACKEND="Agg")
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(
            nb, timeout=240, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)

    def text(cell):
        return "".join(o.get("text", "") + str(o.get("data", "")) for o in cell.outputs)

    checks = [c for c in nb.cells if c.source.startswith('check("01.neuron_output"')]
    assert "Not yet" in text(checks[0])
    assert text(nb.cells[-2]).strip()
    shown = text(nb.cells[-1])
    from nnlib.exercises.solutions import solution_code

    assert solution_code("01.neuron_output").strip().splitlines()[0] in shown
