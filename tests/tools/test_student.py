"""Student copies (`make student`, tools/make_student.py): solutions are stripped, the copies
still run, and `check` on the empty answer says "Not yet"."""

import subprocess
import sys
from pathlib import Path

import build_site
import make_student
import nbformat
import pytest
import sample_lesson
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parents[2]


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_strip_keeps_indentation_and_counts_blocks():
    src = "def f(x):\n    # BEGIN SOLUTION\n    y = x + 1\n    return y\n    # END SOLUTION\nz = 2"
    out, n = make_student.strip_source(src)
    assert n == 1
    assert out == "def f(x):\n    ...  # YOUR CODE HERE\nz = 2"


def test_strip_value_answer_stays_none():
    src = "answer = None\n# BEGIN SOLUTION\nanswer = 42\n# END SOLUTION\nprint(answer)"
    out, n = make_student.strip_source(src)
    assert (out, n) == ("answer = None\n...  # YOUR CODE HERE\nprint(answer)", 1)


@pytest.mark.parametrize(
    "src, problem",
    [
        ("# BEGIN SOLUTION\nx = 1", "without END"),
        ("x = 1\n# END SOLUTION", "without BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n# END SOLUTION", "inside another"),
        ("if x:\n    # BEGIN SOLUTION\n    y = 1\n# END SOLUTION", "indented unlike"),
        ("x = 1  # BEGIN SOLUTION", "alone on its line"),
    ],
)
def test_unbalanced_markers_are_errors(src, problem):
    with pytest.raises(make_student.MarkerError, match=problem):
        make_student.strip_source(src)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_markers_balanced_and_student_code_parses(path):
    nb = nbformat.read(str(path), as_version=4)
    make_student.count_blocks(nb)  # raises MarkerError if unbalanced
    student = make_student.student_notebook(nb)
    tm = TransformerManager()
    for i, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            assert "# BEGIN SOLUTION" not in cell.source and "# END SOLUTION" not in cell.source
            code = tm.transform_cell(cell.source)  # %magics -> Python
            compile(code, f"{path.name} cell {i}", "exec")  # still valid Python


def _run(nb, cwd, monkeypatch):
    """Execute like a learner would: quick and offline, but NOT strict."""
    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)
    monkeypatch.delenv("NNLIB_HIDE_SOLUTIONS", raising=False)
    monkeypatch.setenv("NNLIB_QUICK", "1")
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return build_site.run_notebook(nb, cwd, timeout=300)  # raises on any cell error


def _text(cell):
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        for mime in ("text/plain", "text/markdown"):
            parts.append(out.get("data", {}).get(mime, ""))
    return "\n".join(parts)


def test_student_copy_of_sample_lesson(tmp_path, monkeypatch):
    src = sample_lesson.write(tmp_path / "99_sample.ipynb")
    out = tmp_path / "student"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_student.py"), "--out", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    nb = nbformat.read(str(out / "99_sample.ipynb"), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "np.dot(x, w) + b" not in code and "answer = 3" not in code
    assert "BEGIN SOLUTION" not in code and "END SOLUTION" not in code
    assert code.count("...  # YOUR CODE HERE") == 2
    assert nb.metadata["nnlib"]["student"] is True
    nb.cells.append(nbformat.v4.new_code_cell('solution("00.weighted_sum")'))
    _run(nb, tmp_path, monkeypatch)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    texts = [_text(c) for c in code_cells]
    check_out = next(_text(c) for c in code_cells if c.source.startswith('check("00.'))
    assert "Not yet" in check_out and "None" in check_out, check_out
    assert "answer: None" in "\n".join(texts)
    assert "Solutions are hidden" in texts[-1]
    assert "np.dot" not in texts[-1]


@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_student_copy_of_first_lesson_runs(tmp_path, monkeypatch):
    path = LESSONS[0]  # 00_welcome: short, and it has an exercise
    nb = make_student.student_notebook(nbformat.read(str(path), as_version=4))
    nbformat.write(nb, str(tmp_path / path.name))
    _run(nb, tmp_path, monkeypatch)
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("check(")]
    for cell in checks:
        assert "Not yet" in _text(cell), cell.source
