"""Real-browser tests: JupyterLab in headless Chromium runs a lesson the way a learner does
(Run menu -> Run All Cells), the widgets render and react to the keyboard; and a slide deck
opens and advances.  Screenshots go to build/browser/.

Needs Debian's Chromium (/usr/bin/chromium; `.ci/run` installs it) driven by Playwright.
Skipped with a reason when Chromium is missing - except under CI=true, where that fails.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lab_fixtures import (
    PROMPTS_JS,
    ROOT,
    SHOTS,
    jupyterlab,
    jupyterlab_for,
    launch_browser,
    open_notebook,
    run_all,
    shot,
    wait_for_connected_kernel,
)

pytestmark = pytest.mark.browser


def _lesson():
    """Lesson 01 (the neuron widget) when it exists, else the welcome lesson."""
    for name in ["01_neuron.ipynb", "00_welcome.ipynb"]:
        if (ROOT / "notebooks" / name).exists():
            return ROOT / "notebooks" / name
    return None


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def lab():
    """A token-less JupyterLab serving a temporary copy of the lesson (nothing is saved into
    notebooks/), with its own runtime, settings and workspace dirs."""
    lesson = _lesson()
    if lesson is None:
        pytest.skip("no lesson 00 or 01 in notebooks/ yet")
    with jupyterlab_for([lesson]) as lab:
        yield {**lab, "lesson": lesson.name}


def test_lesson_runs_all_cells_in_jupyterlab(browser, lab):
    (SHOTS / "failure.png").unlink(missing_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    try:
        open_notebook(page, lab["url"], lab["lesson"])
        # The kernel comes from the notebook's kernelspec: no "Select Kernel" dialog.
        assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
        errors = run_all(page, timeout_s=int(os.environ.get("NNLIB_BROWSER_TIMEOUT", "90")))
        shot(page, "lesson_top.png")
        assert errors == [], errors[0][:2000]
        assert page.locator(".jp-OutputArea-output img").count() >= 1, "no figure rendered"
        assert page.locator(".widget-slider").count() >= 1, "no slider rendered"

        if "01_" in lab["lesson"]:
            box = page.locator(".nnlib-neuron-widget").first
            label = box.locator(".nnlib-accuracy")
            watched = label
        else:
            box = page.locator(".widget-slider").first.locator(
                "xpath=ancestor::div[contains(@class,'widget-vbox')][1]"
            )
            watched = box
        box.scroll_into_view_if_needed()
        before_text = watched.inner_text()
        imgs = box.locator("img")
        before_src = imgs.first.get_attribute("src") if imgs.count() else None
        shot(page, "widget_before.png")

        handle = box.locator(".widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """([el, text, src]) => el.innerText !== text ||
                 (src !== null && el.closest('.widget-vbox, .nnlib-neuron-widget')
                     .querySelector('img')?.getAttribute('src') !== src)""",
            arg=[watched.element_handle(), before_text, before_src],
            timeout=20_000,
        )
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        page.wait_for_timeout(500)  # let the figure redraw for the screenshot
        shot(page, "widget_after.png")
        after_src = imgs.first.get_attribute("src") if imgs.count() else None
        assert watched.inner_text() != before_text or after_src != before_src
        assert outside == [], f"the page tried to reach the network: {outside[:5]}"
    except Exception:
        shot(page, "failure.png")  # what the page showed when the test failed
        print("prompts:", page.evaluate(PROMPTS_JS), "\nserver log:\n", lab["log"].read_text())
        raise
    finally:
        page.close()


def test_slide_deck_opens_and_advances(browser, tmp_path):
    import sample_lesson

    lesson = _lesson() or sample_lesson.write(tmp_path / "99_sample.ipynb")
    out = tmp_path / "slides"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_slides.py"), "--out", str(out), str(lesson)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    deck = out / f"{Path(lesson).stem}.slides.html"
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30_000)
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total >= 3
        first = page.evaluate("Reveal.getIndices()")
        shot(page, "slides_first.png")
        page.evaluate("Reveal.next()")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(800)  # the slide transition
        moved = page.evaluate("Reveal.getIndices()")
        assert (moved["h"], moved["v"]) != (first["h"], first["v"])
        assert page.evaluate("Reveal.getProgress()") > 0
        shot(page, "slides_next.png")
        remote = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert remote == [], f"the deck tried to reach the network: {remote}"
    finally:
        page.close()


def _makefile_welcome_url():
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("WELCOME_URL"):
            return line.split(":=", 1)[1].strip()
    raise AssertionError("Makefile defines no WELCOME_URL for `make lab`")


def _makefile_lab_recipe():
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index("lab: $(STAMP)")
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return " ".join(recipe).replace("\\ ", "")


def test_make_lab_opens_the_welcome_lesson(browser, tmp_path):
    """`make lab` creates the learner's workspace work/ (tools/workspace.py) and starts JupyterLab
    with jupyter_server_config.py and --LabApp.default_url=$(WELCOME_URL): the URL a learner opens
    shows the workspace's welcome lesson with its kernel running - no launcher, no "Select
    Kernel" dialog - with JupyterLab's default settings, and the server culls idle kernels."""
    welcome = _makefile_welcome_url()
    assert welcome == "/lab/tree/work/00_welcome.ipynb"
    recipe = _makefile_lab_recipe()
    assert "tools/workspace.py --course notebooks --dest work" in recipe, recipe
    assert "--config=jupyter_server_config.py" in recipe, recipe
    work = tmp_path / "course"
    (work / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "00_welcome.ipynb", work / "notebooks")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "workspace.py"),
            "--course",
            str(work / "notebooks"),
            "--dest",
            str(work / "work"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    config = f"--config={ROOT / 'jupyter_server_config.py'}"
    with jupyterlab(tmp_path, work, {}, [config, f"--LabApp.default_url={welcome}"]) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        try:
            page.goto(url + "/")  # what the printed URL leads to
            page.wait_for_selector(".jp-Notebook .jp-CodeCell")
            wait_for_connected_kernel(url)
            tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
            assert "00_welcome.ipynb" in tabs.inner_text()
            assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
            assert "Python 3" in page.locator(".jp-Toolbar-kernelName").first.inner_text()
            # Opening the lesson marks nothing modified (the kernel's language_info is in it).
            page.wait_for_timeout(1500)
            assert page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").count() == 0
            shot(page, "make_lab_welcome.png")
            log = (tmp_path / "lab.log").read_text()
            assert "Culling kernels with idle durations > 1800 seconds" in log, log[-3000:]
        finally:
            page.close()
