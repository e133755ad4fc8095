"""Slides: every lesson carries slide metadata, and `make slides` (tools/build_slides.py) makes
reveal.js decks that load nothing from the network."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import offline_html
import pytest
import sample_lesson

ROOT = Path(__file__).resolve().parents[2]


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# A cell without a slide_type continues the current (sub)slide - nbconvert calls that "-".  The
# lessons never write "-" itself: jupyterlab-slideshow (live presenting) hides such cells.
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", None}


def slide_types(nb):
    return [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_has_slide_metadata_on_every_cell(path):
    nb = nbformat.read(str(path), as_version=4)
    types = slide_types(nb)
    bad = [(i, t) for i, t in enumerate(types) if t not in SLIDE_TYPES]
    assert not bad, f"cells with an invalid slideshow.slide_type (use none for '-'): {bad}"
    assert types.count("slide") >= 3, f"only {types.count('slide')} 'slide' cells"
    assert types[0] == "slide", "the title cell should start the first slide"


def expected_sections(nb):
    """nbconvert writes one <section> per slide and one nested <section> per (sub)slide."""
    types = [t for t in slide_types(nb) if t != "skip"]
    slides = types.count("slide") + (types[0] != "slide")
    return 2 * slides + types.count("subslide")


def build(tmp_path, *notebooks):
    out = tmp_path / "slides"
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_slides.py"), "--out", str(out)]
        + [str(n) for n in notebooks],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return out


def check_deck(deck: Path, nb_path: Path):
    html = deck.read_text(encoding="utf-8")
    nb = nbformat.read(str(nb_path), as_version=4)
    assert html.count("<section") == expected_sections(nb)
    assert offline_html.offline_problems(deck) == []
    local = [u for u in offline_html.resources_of(html) if not u.startswith(("data:", "#"))]
    assert any("_static/reveal.js/dist/reveal.css" in u for u in local)
    assert any("_static/requirejs/require.js" in u for u in local)
    for url in local:  # every file the deck loads is there
        assert (deck.parent / url.split("?")[0]).exists(), url
    for name in ["dist/reveal.js", "plugin/notes/notes.js", "dist/theme/white.css"]:
        assert (deck.parent / "_static" / "reveal.js" / name).exists(), name
    return html


def test_sample_deck_is_offline_and_has_its_slides(tmp_path):
    nb = sample_lesson.write(tmp_path / "99_sample.ipynb")
    out = build(tmp_path, nb)
    html = check_deck(out / "99_sample.slides.html", nb)
    assert html.count("<section") == 9  # 4 slides (outer + inner) + 1 subslide
    assert "import ipywidgets" not in html  # the `skip` setup cell is not on a slide
    assert "A sample lesson" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="99_sample.slides.html"' in index


def test_the_checker_sees_cdn_resources():
    assert offline_html.external_resources('<script src="https://unpkg.com/x.js"></script>')
    assert offline_html.external_resources('<link rel="stylesheet" href="//cdn.x/y.css">')
    assert not offline_html.external_resources('<a href="https://en.wikipedia.org">w</a>')
    assert not offline_html.external_resources('<script src="_static/x.js"></script>')


@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_deck_of_a_real_lesson(tmp_path):
    path = next((p for p in LESSONS if p.name.startswith("01_")), LESSONS[0])
    out = build(tmp_path, path)
    html = check_deck(out / f"{path.stem}.slides.html", path)
    title = offline_html.lesson_title(path)
    assert re.sub(r"\s+", " ", title).split(" ")[0] in html


def _fetch_error(monkeypatch, tmp_path):
    import vendor_web

    monkeypatch.setenv("NNLIB_WEB_CACHE", str(tmp_path / "cache"))
    name, spec = next(iter(vendor_web.packages().items()))
    with pytest.raises(SystemExit) as err:
        vendor_web.fetch(name, spec)
    return name, spec, str(err.value)


def test_offline_vendor_fetch_failure_keeps_npms_error_and_says_what_to_do(monkeypatch, tmp_path):
    """npm fails (no network): the message holds npm's own words and the two ways out."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "npm").write_text(
        "#!/bin/sh\necho 'npm error code EAI_AGAIN' >&2\n"
        "echo 'npm error request to https://registry.npmjs.org/x failed' >&2\nexit 1\n"
    )
    (fake / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    name, spec, msg = _fetch_error(monkeypatch, tmp_path)
    assert f"npm pack {name}@{spec['version']} failed (exit status 1)" in msg
    assert "npm error code EAI_AGAIN" in msg and "registry.npmjs.org/x failed" in msg
    assert "build/vendor/" in msg and "NNLIB_WEB_CACHE" in msg
    assert not list((tmp_path / "cache").glob("*.tgz"))


def test_offline_vendor_fetch_with_real_npm_and_no_registry(monkeypatch, tmp_path):
    """The real npm against a registry that refuses connections: its error reaches the user
    (npm's --silent used to swallow it, leaving `npm pack reveal.js@4.6.0 failed:`)."""
    import shutil

    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    # vendor_web asks for one retry; npm waits 10 s before it unless told otherwise
    monkeypatch.setenv("npm_config_fetch_retry_mintimeout", "100")
    monkeypatch.setenv("npm_config_fetch_retry_maxtimeout", "200")
    _, _, msg = _fetch_error(monkeypatch, tmp_path)
    said = msg.split("npm said:", 1)[1].split("What to do:", 1)[0]
    assert "ECONNREFUSED" in said, msg
    assert "NNLIB_WEB_CACHE" in msg


def test_no_npm_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm there
    _, _, msg = _fetch_error(monkeypatch, tmp_path)
    assert "apt-get install npm" in msg and "build/vendor/" in msg
