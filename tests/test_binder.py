"""The Binder configuration (binder/) builds the same pinned environment as requirements.txt."""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
LAUNCH = "https://mybinder.org/v2/gh/OWNER/REPO/HEAD?urlpath=lab/tree/work/00_welcome.ipynb"


def test_binder_requirements_are_the_same_as_the_projects():
    ours = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    binder = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    assert binder == ours, "binder/requirements.txt differs: run `cp requirements.txt binder/`"


def test_requirements_are_pinned_and_have_what_launch_needs():
    lines = [
        ln.split("#")[0].strip()
        for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    reqs = [ln for ln in lines if ln]
    unpinned = [r for r in reqs if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*", r)]
    assert not unpinned, f"not pinned with ==: {unpinned}"
    names = {r.split("==")[0].lower().replace("_", "-") for r in reqs}
    for needed in [
        "jupyterlab",
        "ipywidgets",
        "jupyterlab-slideshow",
        "nbconvert",
        "playwright",
        "keras",
    ]:
        assert needed in names, f"{needed} missing from requirements.txt"


def test_runtime_is_python_3_11_as_tested():
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    import tomllib

    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "3.11" in SpecifierSet(project["requires-python"])  # Binder's Python is supported


def test_binder_folder_has_no_competing_configuration():
    # repo2docker picks environment.yml / Pipfile / setup.py over requirements.txt
    for other in ["environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml"]:
        assert not (BINDER / other).exists(), f"binder/{other} would replace requirements.txt"


def test_postbuild_is_executable_and_parses():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    mode = subprocess.run(
        ["git", "ls-files", "-s", "binder/postBuild"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    if mode:  # committed: git must record the executable bit too
        assert mode.startswith("100755"), f"git does not record +x: {mode}"
    text = post.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash")
    assert "set -euo pipefail" in text
    res = subprocess.run(["bash", "-n", str(post)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_postbuild_installs_nnlib_and_fills_the_keras_cache():
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"^pip install .*--no-deps -e \.$", text, flags=re.M)
    calls = re.findall(r'^python -c "([^"]+)"$', text, flags=re.M)
    assert len(calls) == 1, "expected one python -c line downloading the data"
    code = calls[0]
    compile(code, "postBuild", "exec")
    assert "keras.datasets.mnist.load_data()" in code
    assert "keras.datasets.imdb.load_data()" in code


def test_binder_readme_gives_the_launch_url_of_an_existing_lesson():
    readme = (BINDER / "README.md").read_text(encoding="utf-8")
    assert LAUNCH in readme
    lessons = list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if lessons:  # the launch URL opens the welcome lesson
        assert (ROOT / "notebooks" / "00_welcome.ipynb").exists()


def test_the_course_readme_has_the_launch_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({LAUNCH})" in readme
