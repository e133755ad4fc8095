"""The maps are true: the README's "Repository layout" names every top-level folder and file of the
repository (and deploy/'s parts), tools/README.md lists every script in tools/, and neither names
anything that is not there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def repository_entries() -> list[str]:
    """The repository's paths, tracked or new, without what git ignores (.venv, build, work ...)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: git lists what the repository holds")
    return [line for line in out.splitlines() if (ROOT / line).exists()]


def top_level() -> tuple[set[str], set[str]]:
    """(folders, files) at the top of the repository; dot-files (.gitignore) left out."""
    folders, files = set(), set()
    for path in repository_entries():
        first, _, rest = path.partition("/")
        (folders if rest else files).add(first)
    return folders, {f for f in files if not f.startswith(".")}


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Repository layout") :]
    return section[section.index("```") + 3 : section.index("```", section.index("```") + 3)]


def test_the_readme_layout_names_every_top_level_folder_and_nothing_else():
    block = layout_block()
    named = set(re.findall(r"^([.\w-]+)/", block, re.M))
    folders, _ = top_level()
    assert folders - named == set(), f"README 'Repository layout' does not name {folders - named}"
    assert named - folders == set(), f"README 'Repository layout' names missing {named - folders}"


def test_the_readme_layout_names_every_top_level_file():
    first_line = layout_block().strip().splitlines()[0].split()
    _, files = top_level()
    assert set(first_line) == files, (
        f"not named: {files - set(first_line)}; named but missing: {set(first_line) - files}"
    )


def test_the_readme_layout_names_the_parts_of_deploy():
    block = layout_block()
    deploy = block[block.index("\ndeploy/") :]
    deploy = deploy[: re.search(r"\n\S", deploy[1:]).start() + 1]  # the deploy/ lines
    parts = {p.name for p in (ROOT / "deploy").iterdir() if p.is_dir()}
    named = set(re.findall(r"(\w+)/ \(", deploy))
    assert parts == named, f"deploy/ has {sorted(parts)}, the layout names {sorted(named)}"


def tools_table() -> set[str]:
    text = (ROOT / "tools" / "README.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| (`.+?) \|", text, re.M)
    return {name for cell in first_cells for name in re.findall(r"`([^`]+)`", cell)}


def test_tools_readme_lists_every_script_and_nothing_else():
    listed = {name.rstrip("/") for name in tools_table()}
    present = {
        p.split("/", 2)[1]
        for p in repository_entries()
        if p.startswith("tools/") and p.count("/") >= 1 and not p.endswith("README.md")
    }
    assert present - listed == set(), f"tools/README.md does not list {sorted(present - listed)}"
    assert listed - present == set(), f"tools/README.md lists missing {sorted(listed - present)}"


# The folders of tests/ that are not nnlib subpackages, and what each holds.
HOUSE_TEST_FOLDERS = {
    "api": "the public API as learners misuse it, across modules",
    "lessons": "the lessons: sources, built notebooks, places, reruns, stderr, builds per Python",
    "tools": "the course's build tools: site, slides, student copies, workspace, runner",
    "deploy": "the class hub, Kubernetes values, class view, Binder, JupyterLab settings",
    "browser": "JupyterLab in headless Chromium: a lesson, presenting, a11y, journey, memory walk",
    "repo": "the maps: README, tools/README.md, the package layout",
}
TEST_HELPERS = {"conftest.py", "helpers.py", "lab_fixtures.py", "lab_walk.py", "sample_lesson.py"}


def test_tests_are_laid_out_like_the_package():
    """tests/<subpackage>/ for each part of nnlib, tests/<house folder>/ for the rest; only the
    shared helpers (importable everywhere: pyproject's pythonpath) at the top."""
    tests = ROOT / "tests"
    subpackages = {p.parent.name for p in (ROOT / "nnlib").glob("*/__init__.py")}
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    assert subpackages <= folders, f"no tests/ folder for nnlib.{sorted(subpackages - folders)}"
    assert folders == subpackages | set(HOUSE_TEST_FOLDERS), (
        f"tests/ folders {sorted(folders)}: neither a subpackage of nnlib nor in "
        f"HOUSE_TEST_FOLDERS: {sorted(folders - subpackages - set(HOUSE_TEST_FOLDERS))}"
    )
    loose = {p.name for p in tests.glob("*.py")} - TEST_HELPERS
    assert loose == set(), (
        f"test files at the top of tests/: {sorted(loose)} (put each in a folder)"
    )
    assert not list(tests.glob("*/*/test_*.py")), "tests/ is one level deep"
    names = [p.name for p in tests.glob("*/test_*.py")]
    assert len(names) == len(set(names)), "two test files share a name (pytest imports by name)"


def test_the_readme_layout_names_every_tests_folder():
    block = layout_block()
    part = block[block.index("\ntests/") :]
    part = part[: re.search(r"\n\S", part[1:]).start() + 1]
    named = set(re.findall(r"(\w+)/", part)) - {"tests", "notebooks"}
    folders = {p.parent.name for p in (ROOT / "tests").glob("*/test_*.py")}
    assert named == folders, (
        f"tests/ has {sorted(folders)}, the README layout names {sorted(named)}"
    )
