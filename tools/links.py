#!/usr/bin/env python3
"""Write the course repository's public address into every place that needs it.

    python tools/links.py            # (make links) rewrite the places from pyproject.toml
    python tools/links.py --check    # exit 1 and list the places that disagree

The address is kept in ONE place, ``pyproject.toml``::

    [tool.nnlib]
    repository = "https://github.com/<owner>/<name>"

(empty until the course is published: an empty ``[project.urls]`` value would make
``pip install .`` fail, so it lives in the project's own table). From it this script writes:

* ``README.md``, between ``<!-- binder:begin -->`` and ``<!-- binder:end -->``: the Binder
  launch badge; while the address is empty, no badge (a dead link) but one sentence pointing
  to binder/README.md;
* ``binder/README.md``, between the same markers: the launch link and the badge's Markdown;
* ``deploy/z2jh/config.yaml``: ``singleuser.extraEnv.NNLIB_COURSE_REPO``, the repository every
  student's server pulls on Zero to JupyterHub (empty: the hub refuses to start and says so).

``tools/course_link.py`` reads the same value as its default ``--repo``. tests/deploy/test_binder.py
fails when a place disagrees with pyproject.toml.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- binder:begin -->", "<!-- binder:end -->"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
WELCOME = "lab/tree/work/00_welcome.ipynb"  # the learner workspace that binder/postBuild makes
README = Path("README.md")
BINDER_README = Path("binder/README.md")
Z2JH_VALUES = Path("deploy/z2jh/config.yaml")
_Z2JH_LINE = re.compile(r"^(?P<indent>[ \t]*)NNLIB_COURSE_REPO:[^\n]*$", re.M)


def repository(root: Path = ROOT) -> str:
    """``[tool.nnlib] repository`` from ``pyproject.toml`` ("" while unset); raises
    ``ValueError`` when it is set but is not an https address of a git repository."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    repo = str(data.get("tool", {}).get("nnlib", {}).get("repository", "")).strip()
    if repo:
        parts = urlsplit(repo)
        path = [p for p in parts.path.split("/") if p]
        if parts.scheme != "https" or not parts.netloc or len(path) < 2 or "OWNER" in repo:
            raise ValueError(
                "pyproject.toml: [tool.nnlib] repository must be the course's public git "
                f"address, like https://github.com/<owner>/<name>, or empty; got {repo!r}"
            )
    return repo


def binder_launch(repo: str) -> str:
    """The mybinder.org link that opens the welcome lesson of ``repo`` ("" for no address)."""
    if not repo:
        return ""
    parts = urlsplit(repo)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.netloc == "github.com":
        spec = f"gh/{path}/HEAD"
    elif parts.netloc == "gitlab.com":
        spec = f"gl/{quote(path, safe='')}/HEAD"
    else:  # any other public git server
        spec = f"git/{quote(repo, safe='')}/HEAD"
    return f"https://mybinder.org/v2/{spec}?urlpath={WELCOME}"


def badge(repo: str) -> str:
    return f"[![Launch on Binder]({BINDER_BADGE})]({binder_launch(repo)})"


def readme_block(repo: str) -> str:
    if not repo:
        return (
            "To run the course in your browser with nothing installed, see "
            "[binder/README.md](binder/README.md)\n(its launch badge appears here once the "
            "repository's public address is set)."
        )
    return (
        f"{badge(repo)}\n"
        "— run the course in your browser with nothing installed "
        "([binder/README.md](binder/README.md))."
    )


def binder_readme_block(repo: str) -> str:
    if not repo:
        return (
            "The launch link is made from the course repository's public address, which is not "
            "set yet: put it\ninto `pyproject.toml` (`[tool.nnlib] repository = "
            '"https://github.com/<owner>/<name>"`) and run\n`make links` (`tools/links.py`): '
            "it writes the launch link here, the badge at the top of the README\n"
            "and the repository into `deploy/z2jh/config.yaml`. Until then the README shows no "
            "badge."
        )
    return (
        "Launch link (opens JupyterLab on the welcome lesson in the workspace `work/`):\n\n"
        f"    {binder_launch(repo)}\n\n"
        "Badge (`make links` writes it at the top of the README):\n\n"
        f"    {badge(repo)}\n\n"
        f"Made by `make links` from `[tool.nnlib] repository` in `pyproject.toml` ({repo})."
    )


def _replace_block(text: str, block: str, name: Path) -> str:
    pattern = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"{name}: expected one {BEGIN} ... {END} block")
    return pattern.sub(lambda _: f"{BEGIN}\n{block}\n{END}", text)


def _replace_z2jh(text: str, repo: str) -> str:
    if len(_Z2JH_LINE.findall(text)) != 1:
        raise ValueError(f"{Z2JH_VALUES}: expected one line 'NNLIB_COURSE_REPO: ...'")
    return _Z2JH_LINE.sub(lambda m: f"{m['indent']}NNLIB_COURSE_REPO: {json.dumps(repo)}", text)


def render(root: Path = ROOT, repo: str | None = None) -> dict[Path, tuple[str, str]]:
    """``{file: (current text, text with the address written in)}`` for every place."""
    repo = repository(root) if repo is None else repo
    out = {}
    for rel, make in (
        (README, lambda t: _replace_block(t, readme_block(repo), README)),
        (BINDER_README, lambda t: _replace_block(t, binder_readme_block(repo), BINDER_README)),
        (Z2JH_VALUES, lambda t: _replace_z2jh(t, repo)),
    ):
        current = (root / rel).read_text(encoding="utf-8")
        out[root / rel] = (current, make(current))
    return out


def check(root: Path = ROOT) -> list[str]:
    """The places (relative paths) that do not agree with ``pyproject.toml``."""
    return [str(p.relative_to(root)) for p, (old, new) in render(root).items() if old != new]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="The address: [tool.nnlib] repository in pyproject.toml.",
    )
    ap.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    ap.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    root = args.root.resolve()
    try:
        repo = repository(root)
        places = render(root, repo)
    except (ValueError, OSError, tomllib.TOMLDecodeError) as err:
        print(f"links: {err}", file=sys.stderr)
        return 2
    stale = [p for p, (old, new) in places.items() if old != new]
    shown = repo or "(not set: no badge, and the Z2JH hub refuses to start)"
    if args.check:
        for p in stale:
            print(
                f"links: {p.relative_to(root)} disagrees with pyproject.toml "
                "([tool.nnlib] repository): run `make links`",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for p in stale:
        p.write_text(places[p][1], encoding="utf-8")
        print(f"links: wrote {p.relative_to(root)}")
    print(f"links: repository {shown}; {len(places) - len(stale)} place(s) already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
