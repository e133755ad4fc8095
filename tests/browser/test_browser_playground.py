"""The playground of lesson 06 in a real browser (JupyterLab + headless Chromium), as a learner
uses it: open the lesson in the workspace, run its set-up cells and the playground cell, press
**Train** and watch the boundary move while it trains, **Pause**, **Resume** and **Stop** a long
run, and move another widget of the notebook while training runs.  Prints the time from the click
on Train to the last frame of 500 epochs (the learner's wait; docs/benchmarks.md).

The served notebook is a temporary copy of lesson 06 with one cell added after the playground:
a slider whose label shows its square, the "other widget" of the lesson (it answers only if the
kernel handles comm messages while the playground trains).  Screenshots go to build/browser/.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from lab_fixtures import ROOT, jupyterlab_for, launch_browser, open_notebook, shot

pytestmark = pytest.mark.browser

LESSON = ROOT / "notebooks" / "06_training.ipynb"
SET_UP = re.compile(r"^(import |from |nnlib\.start_lesson\(|#|$)")
PROBE = """\
import ipywidgets as widgets

probe = widgets.IntSlider(0, 0, 10, description="probe")
probe_label = widgets.Label("square 0").add_class("probe-square")
probe.observe(lambda change: setattr(probe_label, "value", f"square {change['new'] ** 2}"), "value")
widgets.HBox([probe, probe_label]).add_class("probe-box")"""
# The kernel's side of the last run (run after it, from the test).
KERNEL_TIME = """\
print(f"kernel: start to last frame {playground.last_run_seconds:.2f} s, {playground.frames} frames")"""

STATUS = ".nnlib-playground .nnlib-playground-status"
IMAGE = ".nnlib-playground .nnlib-playground-figure"
NEURONS = ".nnlib-playground .nnlib-playground-neurons"
# Every change of an <img src> (one per frame), with the status line at that moment.
WATCH_FRAMES_JS = """([img, status, key]) => {
    window[key] = [];
    new MutationObserver(() => window[key].push(
        {t: performance.now(), status: status.textContent})
    ).observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def _served_copy(tmp: Path) -> tuple[Path, list[int], int, int]:
    """Lesson 06 with the probe cell (and the kernel-time cell) after the playground; returns its
    path, the indexes (among code cells) of the set-up cells, of the playground cell and of the
    probe cell (the kernel-time cell comes next)."""
    nb = nbformat.read(LESSON, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    pg = next(i for i, c in enumerate(code) if "playground.show()" in c.source)
    setup = [
        i for i, c in enumerate(code[:pg]) if all(SET_UP.match(s) for s in c.source.splitlines())
    ]
    at = nb.cells.index(code[pg]) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(PROBE))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(KERNEL_TIME))
    path = tmp / LESSON.name
    nbformat.write(nb, path)
    return path, setup, pg, pg + 1


def _run_cell(page, index):
    """Select code cell ``index`` (by its prompt) and run it (Ctrl+Enter: run, stay); wait until
    it has an execution count and the kernel is idle."""
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell").nth(
        index
    )
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "el => /^\\[\\d+\\]:$/.test(el.textContent.trim())",
        arg=cell.locator(".jp-InputArea-prompt").first.element_handle(),
        timeout=60_000,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    return cell


def _status(page):
    return page.locator(STATUS).first.inner_text()


def _epoch(text):
    m = re.search(r"epoch (\d+)", text)
    assert m, f"no epoch in the status line {text!r}"
    return int(m.group(1))


def _wait_status(page, condition_js, timeout=30_000):
    page.wait_for_function(
        f"el => {{ const t = el.textContent; return {condition_js}; }}",
        arg=page.locator(STATUS).first.element_handle(),
        timeout=timeout,
        polling=10,
    )


@pytest.fixture(scope="module")
def lab_page():
    if not LESSON.exists():
        pytest.skip("no lesson 06")
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-pg-"))
    served, setup, pg, probe = _served_copy(tmp)
    with launch_browser() as browser, jupyterlab_for([served]) as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            open_notebook(page, lab["url"], served.name)
            for i in setup:
                _run_cell(page, i)
            _run_cell(page, pg)
            page.wait_for_selector(f"{IMAGE}[src]")
            _run_cell(page, probe)
            page.wait_for_selector(".probe-box .noUi-handle")
            yield {"page": page, "lab": lab, "errors": errors, "probe": probe}
        except Exception:
            shot(page, "playground_failure.png")
            print("server log:\n", lab["log"].read_text()[-5000:])
            raise
        finally:
            page.close()


def test_train_animates_500_epochs_and_other_widgets_answer(lab_page):
    page = lab_page["page"]
    try:
        box = page.locator(".nnlib-playground").first
        box.scroll_into_view_if_needed()
        assert re.match(r"epoch 0 ", _status(page)), _status(page)
        # the benchmark's network (docs/benchmarks.md): spirals, 16-16, ReLU, learning rate 0.01
        before = _status(page)
        box.locator(".widget-dropdown", has_text="activation").locator("select").select_option(
            "relu"
        )
        page.wait_for_function(
            "([el, t]) => el.textContent !== t && /^epoch 0 /.test(el.textContent)",
            arg=[page.locator(STATUS).first.element_handle(), before],
        )
        epochs = box.locator(".widget-slider", has_text="epochs per click")
        assert epochs.locator(".widget-readout").inner_text().strip() == "500"
        img, neurons = page.locator(IMAGE).first, page.locator(NEURONS).first
        assert neurons.is_visible(), "the hidden neurons are on by default"
        status = page.locator(STATUS).first.element_handle()
        page.evaluate(WATCH_FRAMES_JS, [img.element_handle(), status, "__frames"])
        page.evaluate(WATCH_FRAMES_JS, [neurons.element_handle(), status, "__neurons"])
        shot(page, "playground_before.png")
        first_src, first_neurons = img.get_attribute("src"), neurons.get_attribute("src")

        t0 = time.perf_counter()
        box.locator("button", has_text="Train").click()
        _wait_status(page, "/^epoch 500 /.test(t) && !/training|failed/i.test(t)")
        seconds = time.perf_counter() - t0
        frames = page.evaluate("window.__frames")
        neuron_frames = page.evaluate("window.__neurons")
        status = _status(page)
        shot(page, "playground_after_500.png")
        kernel = _run_cell(page, lab_page["probe"] + 1).locator(".jp-OutputArea").inner_text()
        print(
            f"\nload average {os.getloadavg()[0]:.1f}; {kernel.strip()}"
            f"\nplayground in the browser: 500 epochs, click to last frame {seconds:.2f} s, "
            f"{len(frames)} changes of the figure, {len(neuron_frames)} of the hidden neurons; "
            f"{status!r}"
        )
        assert "Training failed" not in status, status
        accuracy = float(re.search(r"accuracy ([\d.]+)%", status).group(1))
        assert accuracy >= 90, f"the spirals should be learnt in 500 epochs: {status!r}"
        live = [f for f in frames if "training" in f["status"]]
        assert len(live) >= 2, f"the boundary did not move while training: {frames}"
        assert img.get_attribute("src") != first_src
        live = [f for f in neuron_frames if "training" in f["status"]]
        assert len(live) >= 2, f"the hidden neurons did not move while training: {neuron_frames}"
        assert neurons.get_attribute("src") != first_neurons
        assert not lab_page["errors"], lab_page["errors"]
    except Exception:
        shot(page, "playground_failure.png")
        raise


def test_pause_resume_stop_and_another_widget_while_training(lab_page):
    page = lab_page["page"]
    try:
        box = page.locator(".nnlib-playground").first
        box.scroll_into_view_if_needed()
        # a long run: the epochs slider to its end with the keyboard (End), as a learner might
        handle = box.locator(".widget-slider", has_text="epochs per click").locator(".noUi-handle")
        handle.focus()
        page.keyboard.press("End")
        readout = box.locator(".widget-slider", has_text="epochs per click").locator(
            ".widget-readout"
        )
        page.wait_for_function(
            "el => el.textContent.trim() === '2000'", arg=readout.element_handle()
        )
        start = _epoch(_status(page))
        box.locator("button", has_text="Train").click()
        _wait_status(
            page, f"/training/.test(t) && +(t.match(/epoch (\\d+)/) || [0, 0])[1] >= {start + 20}"
        )

        # another widget answers while the playground trains
        probe = page.locator(".probe-box .noUi-handle").first
        probe.focus()
        t = time.perf_counter()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "el => el.textContent === 'square 9'",
            arg=page.locator(".probe-square").first.element_handle(),
            timeout=5_000,
        )
        probe_ms = 1000 * (time.perf_counter() - t)
        assert "training" in _status(page), "the run ended before the probe was tested"

        # Pause: the run stops moving, Resume goes on
        box.locator("button", has_text="Pause").click()
        _wait_status(page, "/paused/.test(t)")
        paused, src = _status(page), page.locator(IMAGE).first.get_attribute("src")
        page.wait_for_timeout(700)
        assert _status(page) == paused and page.locator(IMAGE).first.get_attribute("src") == src
        assert "epochs left" in paused, paused
        box.locator("button", has_text="Resume").click()
        _wait_status(page, f"/training/.test(t) && +t.match(/epoch (\\d+)/)[1] > {_epoch(paused)}")

        # Stop: the run ends, the weights stay, nothing moves any more
        box.locator("button", has_text="Stop").click()
        _wait_status(page, "!/training|paused/.test(t)")
        stopped = _status(page)
        page.wait_for_timeout(700)
        assert _status(page) == stopped and _epoch(stopped) < start + 2000, stopped
        assert "Training failed" not in stopped, stopped
        assert box.locator("button", has_text="Train").count() == 1
        shot(page, "playground_stopped.png")
        print(
            f"\nprobe widget answered 3 steps in {probe_ms:.0f} ms while training; "
            f"paused at {paused!r}; stopped at {stopped!r}"
        )
        assert not lab_page["errors"], lab_page["errors"]
    except Exception:
        shot(page, "playground_failure.png")
        raise


def test_a_setting_changed_while_training_starts_over_and_the_tick_box_answers(lab_page):
    """A reset from a slider while a run trains: epoch 0 and no run any more.  (The run lives
    in a kernel subshell's thread: before the playground's lock, the old run finished its epoch
    on the new network and the status read "epoch 1".)  The hidden-neurons tick box hides and
    shows the neurons while a run goes on."""
    page = lab_page["page"]
    try:
        box = page.locator(".nnlib-playground").first
        box.scroll_into_view_if_needed()
        rate = box.locator(".widget-slider", has_text="learning rate").locator(".noUi-handle")
        neurons, tick = page.locator(NEURONS).first, box.locator("input[type=checkbox]").first
        for k, key in enumerate(["ArrowLeft", "ArrowRight", "ArrowLeft"]):
            box.locator("button", has_text="Train").click()
            _wait_status(
                page, "/training/.test(t) && +(t.match(/epoch (\\d+)/) || [0, 0])[1] >= 20"
            )
            if k == 0:  # the tick box while training: the neurons go and come back
                tick.click()
                page.wait_for_function("el => !el.checkVisibility()", arg=neurons.element_handle())
                assert "training" in _status(page), _status(page)
                tick.click()
                page.wait_for_function("el => el.checkVisibility()", arg=neurons.element_handle())
            rate.focus()
            page.keyboard.press(key)  # a new learning rate: fresh weights
            _wait_status(page, "/^epoch 0 /.test(t) && !/training|paused/.test(t)")
            page.wait_for_timeout(400)  # an old run would go on here
            status = _status(page)
            assert status.startswith("epoch 0 ") and "training" not in status, (k, status)
            assert box.locator("button", has_text="Train").count() == 1
        shot(page, "playground_reset_while_training.png")
        assert not lab_page["errors"], lab_page["errors"]
    except Exception:
        shot(page, "playground_failure.png")
        raise
