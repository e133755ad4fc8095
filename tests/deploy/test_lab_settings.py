"""JupyterLab's defaults for the course, one file (binder/overrides.json) installed as
``share/jupyter/lab/settings/overrides.json`` of every environment the course's JupyterLab runs
from: ``make lab``'s .venv (the Makefile's $(STAMP) recipe), Binder / the Z2JH image
(binder/postBuild) and the class hub's course environment (install-course-env.sh).  Its one
setting today: no "Would you like to get notified about official Jupyter news?" pop-up, and no
update check (both would ask a website from the learner's lab)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "binder" / "overrides.json"
SETTINGS = Path("share", "jupyter", "lab", "settings", "overrides.json")
PLUGIN = "@jupyterlab/apputils-extension:notification"
WANTED = {"fetchNews": "false", "checkForUpdates": False}


def test_the_source_turns_the_news_and_the_update_check_off():
    settings = json.loads(SOURCE.read_text(encoding="utf-8"))
    assert settings == {PLUGIN: WANTED}


def test_the_values_are_valid_for_this_jupyterlab():
    """A value the schema does not know would be dropped by JupyterLab, and the pop-up back."""
    from jupyterlab.commands import get_app_dir

    schema_file = Path(get_app_dir(), "schemas", *PLUGIN.split(":")[0].split("/"))
    schema = json.loads((schema_file / "notification.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    assert {"const": "false", "title": "Never"} in props["fetchNews"]["oneOf"]
    assert props["checkForUpdates"]["type"] == "boolean"


def test_the_installed_venv_has_the_override():
    prefix = Path(sys.prefix)
    if not (prefix / ".installed").exists():
        pytest.skip(f"{prefix} was not made by `make install` (no .installed stamp)")
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import _get_overrides

    app_settings = Path(get_app_dir(), "settings")
    assert app_settings == prefix / SETTINGS.parent, "JupyterLab reads another settings folder"
    installed = prefix / SETTINGS
    assert installed.exists(), f"{installed} is missing: run `make install` (the $(STAMP) recipe)"
    assert installed.read_bytes() == SOURCE.read_bytes(), f"{installed} differs from {SOURCE}"
    overrides, error = _get_overrides(str(app_settings))  # what the lab server serves
    assert not error and overrides[PLUGIN] == WANTED


def _install_lines(text):
    return [
        ln.strip()
        for ln in text.splitlines()
        if "share/jupyter/lab/settings" in ln and not ln.lstrip().startswith("#")
    ]


def _run(lines, tmp_path, **variables):
    """Run a script's install lines with its variables pointing into tmp_path."""
    script = "set -euo pipefail\n" + "".join(f'{k}="{v}"\n' for k, v in variables.items())
    script += "\n".join(lines) + "\n"
    res = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_binder_postbuild_installs_the_same_file(tmp_path):
    lines = _install_lines((ROOT / "binder" / "postBuild").read_text(encoding="utf-8"))
    assert len(lines) == 2, lines  # mkdir + cp, into the environment ($prefix), not $HOME
    assert all("$HOME" not in ln for ln in lines)
    _run(lines, tmp_path, prefix=tmp_path)
    assert (tmp_path / SETTINGS).read_bytes() == SOURCE.read_bytes()


def test_the_hub_course_env_installs_the_same_file(tmp_path):
    script = ROOT / "deploy" / "jupyterhub" / "install-course-env.sh"
    lines = _install_lines(script.read_text(encoding="utf-8"))
    assert len(lines) == 2, lines
    _run(lines, tmp_path, root=ROOT, env=tmp_path / "env")
    assert (tmp_path / "env" / SETTINGS).read_bytes() == SOURCE.read_bytes()


def test_the_makefile_installs_the_same_file(tmp_path):
    venv = tmp_path / "venv"
    dry = subprocess.run(
        ["make", "-n", "-B", f"{venv}/.installed", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert dry.returncode == 0, dry.stderr
    lines = [ln for ln in _install_lines(dry.stdout) if "pip" not in ln]
    assert len(lines) == 2, dry.stdout
    _run(lines, tmp_path)
    assert (venv / SETTINGS).read_bytes() == SOURCE.read_bytes()
    # a changed source re-runs the recipe: it is one of the stamp's prerequisites
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "binder/overrides.json" in makefile.split("$(STAMP):", 1)[1].splitlines()[0]
