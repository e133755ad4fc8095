"""No red in the lessons: every nbval run (`make test` in quick mode, `make test-full` at full size)
fails a cell that writes to stderr (conftest.py). These tests prove that check catches TensorFlow's
start-up lines and warnings, and that `nnlib.config.import_keras()` in a real kernel shows none.

The lessons themselves are checked by the nbval runs; this file runs small notebooks of its own.
"""

import importlib.util
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)
stderr_text = root_conftest.stderr_text

ENV_CELL = "import os; os.environ.pop('TF_CPP_MIN_LOG_LEVEL', None)"


def _nbval(tmp_dir, cells):
    """Run a notebook of ``cells`` under nbval the way `make test` does; return the result.
    The notebook lives under build/ so that the repository's conftest.py applies."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_dir / f"nb_{uuid.uuid4().hex[:8]}.ipynb"
    nbformat.write(nb, path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "--nbval-lax", "--nbval-current-env"]
        + ["-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def build_dir():
    folder = ROOT / "build" / f"test_no_stderr_{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    yield folder
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()


def test_stderr_text_reads_only_stderr_streams():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "fine\n"},
        {"output_type": "stream", "name": "stderr", "text": "W0000 noise\n"},
        {"output_type": "display_data", "data": {"text/plain": "x"}},
    ]
    assert stderr_text(outputs) == "W0000 noise\n"
    assert stderr_text(outputs[:1]) == "" and stderr_text(None) == ""


def test_a_cell_that_writes_to_stderr_fails_and_shows_the_text(build_dir):
    result = _nbval(
        build_dir,
        [
            "print('quiet cell')",
            "import warnings\nwarnings.warn('a learner would see this in red')",
            "import os\nos.write(2, b'I0000 oneDNN custom operations are on\\n')",
        ],
    )
    out = result.stdout
    assert result.returncode == 1, out
    assert "1 passed" in out and "2 failed" in out, out
    assert "a learner would see this in red" in out and "oneDNN custom operations" in out
    assert "wrote to stderr" in out


def test_plain_tensorflow_import_is_caught(build_dir):
    """TensorFlow's start-up lines fail a cell. The quiet way, nnlib.config.import_keras(), passes
    the same check in every Keras lesson of the nbval run (07-12) and in test_config.py."""
    noisy = _nbval(build_dir, [ENV_CELL, "import tensorflow as tf\ntf.constant(1.0) + 1"])
    assert noisy.returncode == 1 and "wrote to stderr" in noisy.stdout, noisy.stdout


def test_lessons_load_tensorflow_only_through_import_keras():
    """`import keras` / `import tensorflow` print TF's log lines unless import_keras() ran first:
    in every lesson that uses them, nnlib.config.import_keras() comes before any such import."""
    import re

    users = 0
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py")):
        code = path.read_text(encoding="utf-8")
        plain = re.search(
            r"^\s*(import (keras|tensorflow)\b|from (keras|tensorflow)\b)", code, re.M
        )
        quiet = code.find("import_keras()")
        if plain or quiet >= 0:
            users += 1
            assert quiet >= 0, f"{path.name} imports Keras/TensorFlow without import_keras()"
            assert plain is None or quiet < plain.start(), (
                f"{path.name}: `{plain.group(1)}` comes before nnlib.config.import_keras()"
            )
    assert users >= 6  # lessons 05 and 07-11
