"""Static site (`make site`, tools/build_site.py): a lesson is executed and rendered as an
offline HTML page with its figures, and the index links it."""

from pathlib import Path

import build_site  # tools/ is on pytest's pythonpath (pyproject.toml)
import offline_html
import pytest
import sample_lesson  # a test fixture in tests/

ROOT = Path(__file__).resolve().parents[2]

# build_site.main() in this process: what `python tools/build_site.py ...` runs (its last line
# calls it), without starting a second Python; the lesson still runs in a kernel of its own.


def test_site_of_one_small_lesson(tmp_path, capsys):
    nb = sample_lesson.write(tmp_path / "99_sample.ipynb")
    out, executed = tmp_path / "site", tmp_path / "executed"
    argv = ["--quick", "--out", str(out), "--executed", str(executed), str(nb)]
    build_site.main(argv)
    assert "executed in" in capsys.readouterr().out

    page = out / "99_sample.html"
    html = page.read_text(encoding="utf-8")
    assert offline_html.offline_problems(page) == []
    assert (
        html.count('src="data:image/png;base64,') == 1
    )  # the sigmoid; the widget's plot needs a kernel
    assert "✅" in html  # the check ran and passed on the reference solution
    assert "Traceback" not in html
    assert "nnlib-widget-note" in html  # the widget became a note (it needs a kernel)
    assert "application/vnd.jupyter.widget-view+json" not in html
    assert "_static/mathjax/MathJax.js" in html and (out / "_static/mathjax/MathJax.js").exists()

    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="99_sample.html">Lesson 99 — A sample lesson</a>' in index
    assert "quick mode" in index

    # A second build reuses the executed copy and only renders again.
    build_site.main(argv)
    assert "reused" in capsys.readouterr().out


def test_a_failing_lesson_stops_the_build(tmp_path):
    import nbformat

    nb = sample_lesson.sample_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    path = tmp_path / "98_broken.ipynb"
    nbformat.write(nb, str(path))
    argv = ["--quick", "--out", str(tmp_path / "site"), "--executed", str(tmp_path / "ex")]
    with pytest.raises(Exception, match="boom"):  # as a script: a traceback and exit status 1
        build_site.main([*argv, str(path)])
    assert not (tmp_path / "site" / "98_broken.html").exists()


def test_instructor_guide_links_resolve():
    import re

    guide = ROOT / "docs" / "instructor" / "README.md"
    text = guide.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)\)", text)
    assert links, "the guide links no lesson"
    missing = [u for u in links if "://" not in u and not (guide.parent / u).exists()]
    assert missing == [], f"broken links in docs/instructor/README.md: {missing}"
    for word in ["NNLIB_OFFLINE=1", "NNLIB_QUICK=1", "NNLIB_STYLE=classroom", "make slides"]:
        assert word in text
