"""Accessibility and projector readability of lessons 01, 06 and 09 in a real browser.

JupyterLab runs each lesson (Run All, quick and offline mode, ``NNLIB_STYLE=classroom``) and
axe-core - the npm package pinned in tests/axe/ and injected from that local file, never a CDN
(`make test` installs it with `npm ci`) - scans the page.  No violation may come from the course's
content (cell outputs and rendered markdown): every figure has a text alternative
(nnlib/show/figures.py).  JupyterLab's own violations are listed in ``KNOWN_JUPYTERLAB`` below; a new
one fails the test, so the list stays honest.

``NNLIB_FIGURE_CHECK=1`` makes every figure the lessons show check its own text
(nnlib.show.figures.text_problems): an overlapping or cut-off title, label, tick or legend prints a
``FigureTextError`` that fails the run.  One JupyterLab serves the three lessons.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lab_fixtures import (
    ROOT,
    jupyterlab_for,
    launch_browser,
    open_notebook,
    run_all,
    shot,
    shutdown_kernels,
)

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LESSONS = ["01_neuron.ipynb", "06_training.ipynb", "09_cnn.ipynb"]
# Course content: what the lessons put on the page (outputs, widgets, rendered markdown).
CONTENT = ".jp-OutputArea, .jp-RenderedMarkdown, .jp-MarkdownOutput"
# Violations of JupyterLab 4.6's own interface (not the course's), by axe rule id, as seen with
# axe-core 4.14.1 on lessons 01 and 06; the test fails on any rule that is not listed here.
KNOWN_JUPYTERLAB = {
    "aria-allowed-attr",  # toolbar <jp-button aria-pressed> (Upload Files, Debugger, ...)
    "aria-input-field-name",  # e.g. the kernel/cell-type selectors
    "aria-required-children",  # tab bars and menus without their required children
    "button-name",  # icon-only buttons without a name
    "region",  # content outside landmarks
}

# Violations inside course outputs that come from ipywidgets 8.1's own markup, not from the
# course: (axe rule, what the node's HTML starts with, why).  Listed so that nothing else hides.
KNOWN_IPYWIDGETS = [
    (
        "aria-input-field-name",
        '<div class="noUi-handle',
        "ipywidgets' slider handle (noUiSlider) has role=slider but no accessible name; the "
        "description label beside it is not linked to it (upstream ipywidgets)",
    ),
]


def _known_widget_issue(f):
    return any(
        f["id"] == rule and f["html"].startswith(start) for rule, start, _ in KNOWN_IPYWIDGETS
    )


SCAN_JS = """async (content) => {
    const res = await axe.run(document, {resultTypes: ['violations']});
    const out = [];
    for (const v of res.violations) {
        for (const n of v.nodes) {
            let el = null;
            try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
            out.push({
                id: v.id, impact: n.impact || v.impact, target: n.target.join(' '),
                html: n.html.slice(0, 200), course: !!(el && el.closest(content)),
                context: el && el.closest('.jp-Cell') ?
                    el.closest('.jp-Cell').innerText.slice(0, 300) : '',
            });
        }
    }
    return out;
}"""


def _axe_missing():
    msg = f"{AXE.relative_to(ROOT)} is missing: `make test` installs it (cd tests/axe && npm ci)"

    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(msg + " - CI must run the accessibility test")
    pytest.skip(msg)


@pytest.fixture(scope="module")
def lab_and_browser():
    if not AXE.exists():
        _axe_missing()
    paths = [ROOT / "notebooks" / n for n in LESSONS]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"lessons missing: {missing}")
    env = {"NNLIB_STYLE": "classroom", "NNLIB_FIGURE_CHECK": "1"}
    with launch_browser() as browser, jupyterlab_for(paths, env_extra=env) as lab:
        yield browser, lab


@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(n).stem for n in LESSONS])
def test_lesson_has_no_accessibility_violations_from_course_content(lab_and_browser, lesson):
    browser, lab = lab_and_browser
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    try:
        open_notebook(page, lab["url"], lesson)
        errors = run_all(page, timeout_s=240)
        assert errors == [], "\n".join(e[:800] for e in errors[:10])
        figures = page.locator(".jp-OutputArea-output img")
        assert figures.count() >= 1, "no figure rendered"
        # the alt of a displayed figure, or the title of a widget's <img> (ipywidgets.Image
        # has no alt; a title is its accessible name too)
        alts = [
            figures.nth(i).get_attribute("alt") or figures.nth(i).get_attribute("title") or ""
            for i in range(figures.count())
        ]
        assert all(a.startswith("Figure: ") and len(a) > 12 for a in alts), alts
        shot(page, f"a11y_{Path(lesson).stem}.png")

        page.add_script_tag(path=str(AXE))  # the local file's content, no URL
        found = page.evaluate(SCAN_JS, CONTENT)
        course = [f for f in found if f["course"] and not _known_widget_issue(f)]
        lab_rules = {f["id"] for f in found if not f["course"]}
        print(f"{lesson}: {len(found)} violation nodes, JupyterLab rules {sorted(lab_rules)}")
        assert course == [], "violations in course content:\n" + "\n".join(
            f"  {f['id']} ({f['impact']}): {f['target']}  {f['html']}\n    in: {f['context']!r}"
            for f in course[:20]
        )
        new = lab_rules - KNOWN_JUPYTERLAB
        assert not new, f"JupyterLab violations not in KNOWN_JUPYTERLAB: {sorted(new)}" + "\n".join(
            f"  {f['id']}: {f['target']}  {f['html']}" for f in found if f["id"] in new
        )
        assert outside == [], f"the page tried to reach the network: {outside[:5]}"
    except Exception:
        shot(page, f"a11y_failure_{Path(lesson).stem}.png")
        raise
    finally:
        page.close()
        shutdown_kernels(lab["url"])  # one TensorFlow kernel at a time
