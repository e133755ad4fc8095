"""tools/runner.py, the one notebook runner of the benchmark, the site build and the tests."""

import os
from pathlib import Path

import nbformat
import pytest
import runner

ROOT = Path(__file__).resolve().parents[2]


def test_environment_is_restored_even_when_the_body_raises(monkeypatch):
    monkeypatch.setenv("NNLIB_RUNNER_A", "old")
    monkeypatch.delenv("NNLIB_RUNNER_B", raising=False)
    with pytest.raises(RuntimeError):
        with runner.environment({"NNLIB_RUNNER_A": None, "NNLIB_RUNNER_B": "new"}):
            assert "NNLIB_RUNNER_A" not in os.environ and os.environ["NNLIB_RUNNER_B"] == "new"
            raise RuntimeError("boom")
    assert os.environ["NNLIB_RUNNER_A"] == "old" and "NNLIB_RUNNER_B" not in os.environ


def test_run_notebook_passes_the_environment_and_raises_on_a_failing_cell(tmp_path, monkeypatch):
    monkeypatch.delenv("NNLIB_RUNNER_C", raising=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import os, pathlib; print(os.environ['NNLIB_RUNNER_C'])"),
        nbformat.v4.new_code_cell("print(pathlib.Path.cwd().name)"),
    ]
    runner.run_notebook(nb, tmp_path, timeout=60, env={"NNLIB_RUNNER_C": "seen"})
    assert runner.stdout_lines(nb) == ["seen", tmp_path.name]
    assert "NNLIB_RUNNER_C" not in os.environ

    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken lesson')"))
    with pytest.raises(Exception, match="broken lesson"):
        runner.run_notebook(nb, tmp_path, timeout=60, env={"NNLIB_RUNNER_C": "again"})
    assert "NNLIB_RUNNER_C" not in os.environ


def test_the_benchmarks_and_the_site_build_use_this_runner():
    scripts = ("benchmarks/run_notebooks.py", "benchmarks/bench_applications.py")
    for path in (*scripts, "tools/build_site.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "from runner import" in text, path
        assert "NotebookClient" not in text and "KernelManager" not in text, path
    for path in ("benchmarks/run_notebooks.py", "tools/build_site.py"):  # per-notebook env
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "os.environ[" not in text, f"{path} sets environment variables outside runner"
