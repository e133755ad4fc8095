"""The Binder configuration (binder/) builds the same pinned environment as requirements.txt, puts
what the lessons need outside $HOME, and every place that names the repository's public address
agrees with pyproject.toml (tools/links.py)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import links
import yaml

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
WELCOME = "lab/tree/work/00_welcome.ipynb"


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


def postbuild_commands() -> list[str]:
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_postbuild_installs_into_the_environment_not_into_home():
    """On Zero to JupyterHub the student's volume hides the image's $HOME: nnlib, the data and
    the server settings go into $NB_PYTHON_PREFIX (tests/deploy/test_z2jh.py runs the script)."""
    commands = postbuild_commands()
    text = "\n".join(commands)
    assert 'prefix="${NB_PYTHON_PREFIX:?' in text
    pips = [c for c in commands if c.startswith("pip ")]
    assert pips == ["pip install --no-cache-dir --no-deps ."], pips  # not editable (-e)
    assert 'data="$prefix/share/nnlib-data"' in commands
    assert 'python tools/build_data_dir.py --out "$data"' in commands
    assert '} >"$prefix/etc/jupyter/jupyter_server_config.py"' in commands
    assert "cat jupyter_server_config.py" in text and "NNLIB_DATA_DIR" in text
    assert "python tools/workspace.py --course notebooks --dest work" in commands
    for c in commands:  # nothing the lessons need is written into $HOME
        assert "$HOME" not in c and "~/" not in c and "keras.datasets" not in c, c


def test_no_start_script():
    """repo2docker runs binder/start from the repository folder, $HOME: on Zero to JupyterHub the
    home volume hides it and no student's server would start."""
    assert not (BINDER / "start").exists()


def test_binder_readme_gives_the_launch_url_of_an_existing_lesson():
    readme = (BINDER / "README.md").read_text(encoding="utf-8")
    repo = links.repository()
    assert (ROOT / "notebooks" / "00_welcome.ipynb").exists()  # work/ is made from notebooks/
    if repo:
        launch = links.binder_launch(repo)
        assert launch.endswith(f"?urlpath={WELCOME}") and launch in readme
    else:
        assert "mybinder.org/v2/" not in readme
        assert "[tool.nnlib] repository" in readme and "make links" in readme


def test_the_readme_badge_agrees_with_pyproject():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = readme.split("\n\n## ")[0]
    assert links.check() == [], "run `make links`"
    if links.repository():
        assert links.badge(links.repository()) in top
    else:  # no dead badge: one sentence pointing to binder/README.md
        assert "mybinder.org/v2/" not in readme and "[binder/README.md](binder/README.md)" in top


def test_no_placeholder_address_anywhere():
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard", "README.md", "binder", "deploy"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    files = [ROOT / p.decode() for p in listed if p]
    assert ROOT / "deploy" / "z2jh" / "config.yaml" in files
    for f in files:
        if f.is_file():
            assert "OWNER/REPO" not in f.read_text(encoding="utf-8", errors="replace"), f


def run_links(root, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "links.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_links_writes_every_place_and_check_fails_when_one_disagrees(tmp_path):
    for rel in ["pyproject.toml", "README.md", "binder/README.md", "deploy/z2jh/config.yaml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, tmp_path / rel)
    assert run_links(tmp_path, "--check").returncode == 0
    unset_readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    repo = "https://github.com/example-org/nn-course"
    pyproject.write_text(
        re.sub(r'(?m)^repository = ".*"$', f'repository = "{repo}"', text), encoding="utf-8"
    )
    res = run_links(tmp_path, "--check")
    assert res.returncode == 1
    for place in ["README.md", "binder/README.md", "deploy/z2jh/config.yaml"]:
        assert f"{place} disagrees" in res.stderr
    assert run_links(tmp_path).returncode == 0 and run_links(tmp_path, "--check").returncode == 0
    launch = f"https://mybinder.org/v2/gh/example-org/nn-course/HEAD?urlpath={WELCOME}"
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({launch})" in readme
    assert launch in (tmp_path / "binder" / "README.md").read_text(encoding="utf-8")
    values = yaml.safe_load((tmp_path / "deploy" / "z2jh" / "config.yaml").read_text())
    assert values["singleuser"]["extraEnv"]["NNLIB_COURSE_REPO"] == repo
    pyproject.write_text(text, encoding="utf-8")  # unset again: no badge, empty value
    assert run_links(tmp_path).returncode == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == unset_readme
    for bad in ["https://github.com/OWNER/REPO", "http://github.com/o/r", "github.com/o/r"]:
        pyproject.write_text(text.replace('repository = ""', f'repository = "{bad}"'))
        res = run_links(tmp_path, "--check")
        assert res.returncode == 2 and "[tool.nnlib] repository must be" in res.stderr, bad


def test_binder_launch_links_for_other_git_servers():
    assert links.binder_launch("") == ""
    assert links.binder_launch("https://github.com/o/r.git").startswith(
        "https://mybinder.org/v2/gh/o/r/HEAD?"
    )
    assert links.binder_launch("https://gitlab.com/g/sub/r").startswith(
        "https://mybinder.org/v2/gl/g%2Fsub%2Fr/HEAD?"
    )
    assert links.binder_launch("https://git.example.org/r.git").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.org%2Fr.git/HEAD?"
    )
