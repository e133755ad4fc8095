"""Shared pieces for real-browser tests: headless Debian Chromium (Playwright) and a token-less
JupyterLab on 127.0.0.1 serving temporary copies of lessons (nothing is written into notebooks/).

    from lab_fixtures import launch_browser, jupyterlab_for, run_all, wait_for_connected_kernel

Use one JupyterLab per test module (``scope="module"`` fixtures) - starting one costs seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

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
# Every cell in the DOM (no virtual scrolling); the notebook's own kernel starts without asking;
# no news toast and no update check (no network).
LAB_SETTINGS = {
    "notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
KERNEL_ENV = {
    "NNLIB_QUICK": "1",
    "NNLIB_OFFLINE": "1",
    # inline figures (MPLBACKEND=Agg, as `make test` sets, would show none)
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}
# The prompts of the notebook on screen (other open tabs stay in the DOM, hidden).
PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell .jp-InputArea-prompt'))
    .map(e => e.textContent.trim())"""


@contextlib.contextmanager
def launch_browser():
    """Headless Chromium; skips (fails under CI=true) when /usr/bin/chromium is missing."""
    if not os.path.exists(CHROMIUM):
        msg = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(msg + " - CI must run the browser tests")
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(tmp: Path, root_dir: Path, env_extra=None, extra_args=(), settings=None):
    """Run a token-less JupyterLab on a free localhost port with its own runtime, config,
    settings and workspace dirs under ``tmp``; yield its URL; stop it afterwards."""
    for key, value in (settings or {}).items():
        folder, name = key.rsplit("/", 1)
        scope = "" if folder.startswith("@") or "/" in folder else "@jupyterlab/"
        path = tmp / "settings" / f"{scope}{folder}" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port = free_port()
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        **(env_extra or {}),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
        "--allow-root",  # CI runs as root
        *extra_args,
    ]
    log_path = tmp / "lab.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/status", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(
                        "JupyterLab did not start:\n" + log_path.read_text()
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


@contextlib.contextmanager
def jupyterlab_for(lessons, env_extra=None, settings=None):
    """A JupyterLab serving temporary copies of ``lessons`` (paths), with the course's test
    settings and kernel environment; yields {"url", "dir", "log"}."""
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
    work = tmp / "work"
    work.mkdir()
    for lesson in lessons:
        shutil.copy(lesson, work / Path(lesson).name)
    try:
        with jupyterlab(
            tmp,
            work,
            {**KERNEL_ENV, **(env_extra or {})},
            settings={**LAB_SETTINGS, **(settings or {})},
        ) as url:
            yield {"url": url, "dir": work, "log": tmp / "lab.log"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def wait_for_connected_kernel(url, timeout=60):
    """Until the server has a kernel that is idle and that the page is connected to."""
    deadline = time.time() + timeout
    kernels = []
    while time.time() < deadline:
        with urllib.request.urlopen(url + "/api/kernels", timeout=5) as r:
            kernels = json.load(r)
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.5)
    raise TimeoutError(f"no connected idle kernel after {timeout} s: {kernels}")


def shutdown_kernels(url):
    """Stop every kernel of the server (frees their memory before the next lesson)."""
    with urllib.request.urlopen(url + "/api/kernels", timeout=5) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(f"{url}/api/kernels/{k['id']}", method="DELETE")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(req, timeout=10).close()


def open_notebook(page, url, name):
    page.goto(f"{url}/lab/tree/{name}?reset")  # ?reset: no tabs restored from before
    page.wait_for_selector(".jp-Notebook .jp-CodeCell")
    wait_for_connected_kernel(url)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")


def run_all(page, timeout_s=None):
    """Run → Run All Cells; wait until every code cell has an execution count and the kernel is
    idle; return the stderr outputs that hold a traceback."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    n_code = len(page.evaluate(PROMPTS_JS))
    timeout_s = timeout_s or int(os.environ.get("NNLIB_BROWSER_TIMEOUT", "120"))
    page.wait_for_function(
        f"""() => {{
            const p = ({PROMPTS_JS})();
            return p.length === {n_code} && p.every(t => /^\\[\\d+\\]:$/.test(t));
        }}""",
        timeout=timeout_s * 1000,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
            .map(e => e.textContent).filter(t => /Traceback|Error:/.test(t))"""
    )


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def git_status(paths=("notebooks", "lessons")) -> str:
    """``git status --porcelain`` of the course files (empty when nothing changed)."""
    res = subprocess.run(
        ["git", "status", "--porcelain", "--", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return res.stdout
