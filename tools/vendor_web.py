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


def fetch(name: str, spec: dict) -> Path:
    """The unpacked, trimmed package folder ``build/vendor/<name>-<version>/``; fetched once."""
    cache = cache_dir()
    out = cache / f"{name}-{spec['version']}"
    if (out / ".complete").exists():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{name}-{spec['version']}.tgz"
    if not tgz.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed once to fetch reveal.js/MathJax (apt-get install npm)")
        res = subprocess.run(
            [
                npm,
                "pack",
                "--silent",
                "--pack-destination",
                str(cache),
                f"{name}@{spec['version']}",
            ],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            raise SystemExit(f"npm pack {name}@{spec['version']} failed:\n{res.stderr}")
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
