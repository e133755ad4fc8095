"""Presenting a lesson live from JupyterLab (jupyterlab-slideshow's deck mode), in a real browser:
the deck starts from the notebook toolbar, advances slide by slide, and lesson 01's "Try it"
widget is a real slider there - moving it with the mouse changes the output.  Presenting writes
nothing into the served notebook, and the course files stay as committed.

(jupyterlab-rise 0.43.1, used before, showed every ipywidgets 8 widget as the text of its repr.)
Screenshots go to build/browser/.  Run under `flock /tmp/heavy.lock` when sharing a machine.
"""

from __future__ import annotations

import hashlib

import pytest
from lab_fixtures import (
    ROOT,
    git_status,
    jupyterlab_for,
    launch_browser,
    open_notebook,
    run_all,
    shot,
)

pytestmark = pytest.mark.browser

LESSON = ROOT / "notebooks" / "01_neuron.ipynb"

# The slide(s) the deck shows now: the cells that are on screen, by their index in the notebook.
VISIBLE_CELLS_JS = """() => {
    const cells = Array.from(document.querySelectorAll('.jp-Deck .jp-Notebook .jp-Cell'));
    const seen = [];
    cells.forEach((c, i) => {
        const r = c.getBoundingClientRect();
        const st = getComputedStyle(c);
        if (r.width > 0 && r.height > 0 && st.display !== 'none' && st.visibility !== 'hidden'
            && r.bottom > 0 && r.top < window.innerHeight) seen.push(i);
    });
    return seen;
}"""


@pytest.fixture(scope="module")
def presented():
    if not LESSON.exists():
        pytest.skip("no lesson 01")
    rel = str(LESSON.relative_to(ROOT))
    before, course_sha = git_status([rel]), _sha(LESSON)
    with launch_browser() as browser, jupyterlab_for([LESSON]) as lab:
        served = lab["dir"] / LESSON.name
        yield {"browser": browser, "lab": lab, "served": served, "sha": _sha(served)}
    assert git_status([rel]) == before and _sha(LESSON) == course_sha, (
        "presenting changed the course file"
    )


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_present_lesson_01_live_with_working_widgets(presented):
    lab = presented["lab"]
    page = presented["browser"].new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    try:
        open_notebook(page, lab["url"], LESSON.name)
        errors = run_all(page)  # what the guide says: Run All once, then present
        assert errors == [], errors[0][:2000]
        # start at the title: select the first cell, then the deck button of the notebook toolbar
        page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputPrompt").click()
        page.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='deck']").click()
        page.wait_for_selector(".jp-NotebookPanel.jp-Deck")
        page.wait_for_timeout(500)
        assert page.locator(".jp-Deck-Remote").is_visible(), "no deck remote on screen"
        first = page.evaluate(VISIBLE_CELLS_JS)
        assert first and first[0] == 0, f"the deck should open on the title slide, shows {first}"
        shot(page, "present_title.png")

        # Advance slide by slide (the remote's keys) until the neuron widget is on screen.
        shown = [first]
        slider = page.locator(".nnlib-neuron-widget .widget-slider .noUi-handle")
        for _ in range(80):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(250)
            now = page.evaluate(VISIBLE_CELLS_JS)
            if now != shown[-1]:
                shown.append(now)
            if slider.count() and slider.first.is_visible():
                break
        assert len(shown) >= 3, f"the deck did not advance: {shown}"
        assert all(a != b for a, b in zip(shown, shown[1:]))
        assert slider.count() and slider.first.is_visible(), (
            f"no visible slider after {len(shown)} slides"
        )
        box = page.locator(".nnlib-neuron-widget").first
        # a slider, not the text of its repr (what jupyterlab-rise showed)
        assert "FloatSlider(" not in box.inner_text()
        assert box.locator(".widget-slider").count() >= 3
        label = box.locator(".nnlib-accuracy")
        img = box.locator("img").first
        before_text, before_src = label.inner_text(), img.get_attribute("src")
        shot(page, "present_widget_before.png")

        # Drag the first slider's handle to the right, as a presenter does with the mouse.
        handle = slider.first.bounding_box()
        track = box.locator(".widget-slider .noUi-target").first.bounding_box()
        y = handle["y"] + handle["height"] / 2
        page.mouse.move(handle["x"] + handle["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(track["x"] + 0.9 * track["width"], y, steps=8)
        page.mouse.up()
        page.wait_for_function(
            """([lab, img, text, src]) => lab.innerText !== text || img.getAttribute('src') !== src""",
            arg=[label.element_handle(), img.element_handle(), before_text, before_src],
            timeout=20_000,
        )
        page.wait_for_timeout(500)
        shot(page, "present_widget_after.png")
        assert img.get_attribute("src") != before_src, "the figure did not redraw"

        # The deck still moves on after the widget, and back.
        here = page.evaluate(VISIBLE_CELLS_JS)
        # (the slider has the keyboard now: the on-screen remote's "next" button moves on)
        page.locator(".jp-Deck-Remote .jp-deck-mod-direction-forward").click()
        page.wait_for_timeout(400)
        assert page.evaluate(VISIBLE_CELLS_JS) != here, "the deck did not advance after the widget"
        shot(page, "present_next.png")
        page.locator(".jp-Deck-Remote .jp-deck-mod-stop").click()  # leave the deck
        page.wait_for_selector(".jp-NotebookPanel.jp-Deck", state="detached")
        assert outside == [], f"the page tried to reach the network: {outside[:5]}"
    except Exception:
        shot(page, "present_failure.png")
        print("server log:\n", lab["log"].read_text()[-4000:])
        raise
    finally:
        page.close()
    # Presenting saved nothing: the served copy is byte for byte what was copied.
    assert _sha(presented["served"]) == presented["sha"], "presenting wrote into the notebook"
