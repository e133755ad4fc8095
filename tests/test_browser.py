"""Real-browser tests: JupyterLab in headless Chromium runs a lesson the way a learner does
(Run menu -> Run All Cells), the widgets render and react to the keyboard; and a slide deck
opens and advances.  Screenshots go to build/browser/.

Needs Debian's Chromium (/usr/bin/chromium; `.ci/run` installs it) driven by Playwright.
Skipped with a reason when Chromium is missing - except under CI=true, where that fails.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from lab_fixtures import jupyterlab as _jupyterlab  # the one JupyterLab starter of the tests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "build" / "browser"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _lesson():
    """Lesson 01 (the neuron widget) when it exists, else the welcome lesson."""
    for name in ["01_neuron.ipynb", "00_welcome.ipynb"]:
        if (ROOT / "notebooks" / name).exists():
            return ROOT / "notebooks" / name
    return None


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        msg = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(msg + " - CI must run the browser tests")
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lab():
    """A token-less JupyterLab on a free localhost port, serving a temporary copy of the lesson
    (so nothing is saved into notebooks/), with its own runtime, settings and workspace dirs."""
    lesson = _lesson()
    if lesson is None:
        pytest.skip("no lesson 00 or 01 in notebooks/ yet")
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
    work = tmp / "work"
    work.mkdir()
    shutil.copy(lesson, work / lesson.name)
    user_settings = {
        # Every cell in the DOM (no virtual scrolling), so the test sees all outputs; start the
        # notebook's own kernel (its kernelspec) without asking.
        "notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
        # No "get notified about Jupyter news?" toast, no update check: no network.
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for key, value in user_settings.items():
        folder, name = key.split("/")
        path = tmp / "settings" / "@jupyterlab" / folder / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {
        "NNLIB_QUICK": "1",
        "NNLIB_OFFLINE": "1",
        # inline figures (MPLBACKEND=Agg, as `make test` sets, would show none)
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    with _jupyterlab(tmp, work, env) as url:
        try:
            yield {"url": url, "lesson": lesson.name, "log": tmp / "lab.log"}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent.trim())"""


def _wait_for_connected_kernel(url, timeout=60):
    """Until the server has a kernel that is idle and that the page is connected to."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with urllib.request.urlopen(url + "/api/kernels", timeout=5) as r:
            kernels = json.load(r)
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.5)
    raise TimeoutError(f"no connected idle kernel after {timeout} s: {kernels}")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def test_lesson_runs_all_cells_in_jupyterlab(browser, lab):
    (SHOTS / "failure.png").unlink(missing_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    try:
        page.goto(f"{lab['url']}/lab/tree/{lab['lesson']}")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell")
        # The kernel comes from the notebook's kernelspec: no "Select Kernel" dialog.
        _wait_for_connected_kernel(lab["url"])
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()

        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        n_code = len(page.evaluate(PROMPTS_JS))
        page.wait_for_function(
            f"""() => {{
                const p = ({PROMPTS_JS})();
                return p.length === {n_code} && p.every(t => /^\\[\\d+\\]:$/.test(t));
            }}""",
            timeout=int(os.environ.get("NNLIB_BROWSER_TIMEOUT", "90")) * 1000,
        )
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        _shot(page, "lesson_top.png")

        errors = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                .map(e => e.textContent).filter(t => /Traceback|Error:/.test(t))"""
        )
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
        _shot(page, "widget_before.png")

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
        _shot(page, "widget_after.png")
        after_src = imgs.first.get_attribute("src") if imgs.count() else None
        assert watched.inner_text() != before_text or after_src != before_src
        assert outside == [], f"the page tried to reach the network: {outside[:5]}"
    except Exception:
        _shot(page, "failure.png")  # what the page showed when the test failed
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
        _shot(page, "slides_first.png")
        page.evaluate("Reveal.next()")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(800)  # the slide transition
        moved = page.evaluate("Reveal.getIndices()")
        assert (moved["h"], moved["v"]) != (first["h"], first["v"])
        assert page.evaluate("Reveal.getProgress()") > 0
        _shot(page, "slides_next.png")
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
    with _jupyterlab(tmp_path, work, {}, [config, f"--LabApp.default_url={welcome}"]) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        try:
            page.goto(url + "/")  # what the printed URL leads to
            page.wait_for_selector(".jp-Notebook .jp-CodeCell")
            _wait_for_connected_kernel(url)
            tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
            assert "00_welcome.ipynb" in tabs.inner_text()
            assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
            assert "Python 3" in page.locator(".jp-Toolbar-kernelName").first.inner_text()
            # Opening the lesson marks nothing modified (the kernel's language_info is in it).
            page.wait_for_timeout(1500)
            assert page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").count() == 0
            _shot(page, "make_lab_welcome.png")
            log = (tmp_path / "lab.log").read_text()
            assert "Culling kernels with idle durations > 1800 seconds" in log, log[-3000:]
        finally:
            page.close()
