"""A learner's journey in a real browser (headless Chromium, Playwright), the lab started the way
`make lab` starts it: a clean clone of the course, `tools/workspace.py` making work/, JupyterLab
with jupyter_server_config.py, opened at the URL it prints (the welcome lesson).

For each lesson 01-13 (quick mode), opened from the file browser with the earlier tabs left open:
Kernel > Restart Kernel and Run All Cells, wait until idle, no error and no stderr output, use one
control (slider, drop-down or text box) and see its output change, a screenshot in
build/browser/journey_NN.png. Then wait past an
autosave (5 s here, through the settings overrides) and check `git status --porcelain` of the
course is empty. Prints the journey's total time.

Heavy (~3 min): `make test-journey` (`pytest -m journey`) runs it; CI runs that.
"""

import os
import time

import pytest
from lab_fixtures import (
    LAB_SETTINGS,
    PANEL,
    SHOTS,
    api,
    git_status,
    launch_browser,
    run_all,
    wait_for_connected_kernel,
)
from lab_walk import LESSONS, course_lab

pytestmark = pytest.mark.journey
AUTOSAVE_S = 5
SETTINGS = {
    **LAB_SETTINGS,
    "docmanager-extension/plugin": {"autosave": True, "autosaveInterval": AUTOSAVE_S},
}


def _open(page, name):
    """Double-click the lesson in the file browser (the earlier tabs stay open)."""
    item = page.locator(".jp-DirListing-item", has=page.locator(f"text='{name}'")).first
    item.dblclick()
    page.wait_for_selector(f".lm-TabBar-tab.lm-mod-current:has-text('{name}')", timeout=60_000)
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-CodeCell")
    page.wait_for_selector(
        f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
    )


def _move_a_widget(page):
    """Use the lesson's first control as a learner would: ArrowRight five times on a slider, else
    the next entry of a drop-down, else a new text in a text box (and Enter).  Return True when
    that cell's output (text or figure) changed, None when the lesson has no such control."""
    slider = page.locator(f"{PANEL} .widget-slider .noUi-handle")
    dropdown = page.locator(f"{PANEL} .widget-dropdown select")
    text = page.locator(f"{PANEL} .widget-text input[type='text']")
    control = next((c.first for c in (slider, dropdown, text) if c.count()), None)
    if control is None:
        return None
    cell = control.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea')][1]")
    control.scroll_into_view_if_needed()
    state_js = """el => el.innerText + '|' + Array.from(el.querySelectorAll('img'))
        .map(i => i.getAttribute('src')).join('|')"""
    before = cell.evaluate(state_js)
    if slider.count():
        control.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
    elif dropdown.count():
        options = control.locator("option").all_inner_texts()
        current = control.evaluate("el => el.options[el.selectedIndex].text")
        control.select_option(label=next(o for o in options if o != current))
    else:
        control.fill("a dull and boring film with a weak story")
        control.press("Enter")
    try:
        page.wait_for_function(
            f"([el, before]) => ({state_js})(el) !== before",
            arg=[cell.element_handle(), before],
            timeout=30_000,
        )
    except Exception:  # noqa: BLE001 - reported as a failed assertion below
        return False
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")
    return True


def test_learner_journey_through_the_course():
    only = os.environ.get("NNLIB_JOURNEY_ONLY")  # e.g. "01,02" to try a shorter journey
    names = [n for n in LESSONS[1:] if not only or n[:2] in only.split(",")]
    start = time.time()
    times, widgets, broken = {}, {}, []
    with launch_browser() as browser, course_lab(cull_idle_s=0, settings=SETTINGS) as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        outside = []
        page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
        name = "start"
        try:
            page.goto(lab["url"] + "/")  # the URL `make lab` prints leads to the welcome lesson
            page.wait_for_selector(".lm-TabBar-tab.lm-mod-current:has-text('00_welcome.ipynb')")
            wait_for_connected_kernel(lab["url"])
            assert page.locator(".jp-Dialog").count() == 0
            for name in names:
                t0 = time.time()
                _open(page, name)
                stderr = run_all(page, timeout_s=240, restart=True)
                assert stderr == [], f"{name}: stderr/error output: {stderr[0][:1500]}"
                # a widget whose view failed shows "Click to show javascript error" (collected,
                # asserted at the end so that the rest of the journey still runs)
                if page.locator(f"{PANEL} :text('Click to show javascript error')").count():
                    broken.append(name)
                widgets[name] = _move_a_widget(page)
                assert widgets[name] is not False, f"{name}: using the widget changed nothing"
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"journey_{name[:2]}.png"))
                times[name] = time.time() - t0
                print(f"{name:<32} {times[name]:6.1f} s  widget: {widgets[name]}", flush=True)
            open_tabs = page.locator(".jp-NotebookPanel").count()
            assert open_tabs == len(names) + 1, f"{open_tabs} notebook tabs open"
            page.wait_for_timeout((AUTOSAVE_S + 3) * 1000)  # past an autosave
            saved = api(lab["url"], f"/api/contents/work/{names[-1]}?content=1")
            assert any(c.get("outputs") for c in saved["content"]["cells"]), "no autosave"
            status = git_status((), cwd=lab["course"])
            assert status == "", status
            assert outside == [], f"the page tried to reach the network: {outside[:5]}"
            moved = sum(1 for v in widgets.values() if v)
            print(
                f"journey {names[0][:2]}-{names[-1][:2]}: {time.time() - start:.0f} s in total, lessons "
                f"{sum(times.values()):.0f} s; a widget moved in {moved} of {len(widgets)} lessons "
                f"(the others have no control); widget javascript errors in {broken or 'none'}",
                flush=True,
            )
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "journey_failure.png"))
            print(f"failed at {name}; server log:\n", lab["log"].read_text()[-5000:])
            raise
        finally:
            page.close(run_before_unload=False)
    assert moved == len(names), f"a lesson without a control that changed its output: {widgets}"
    assert broken == [], f"a widget failed to display (javascript error) in {broken}"
