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
def jupyterlab(
    tmp: Path,
    root_dir: Path,
    env_extra=None,
    extra_args=(),
    settings=None,
    *,
    app="jupyterlab",
    clean_env=False,
    preexec_fn=None,
    start_timeout=60,
):
    """Run a token-less JupyterLab (or a bare ``jupyter_server``: ``app``) on a free localhost
    port with its own runtime, config, settings and workspace dirs under ``tmp``; yield its URL;
    stop it afterwards.  ``clean_env`` drops the caller's NNLIB_* and MEM_LIMIT variables;
    ``preexec_fn`` runs in the server process before it starts (e.g. entering a cgroup)."""
    for key, value in (settings or {}).items():
        folder, name = key.rsplit("/", 1)
        scope = "" if folder.startswith("@") or "/" in folder else "@jupyterlab/"
        path = tmp / "settings" / f"{scope}{folder}" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not (clean_env and k.startswith(("NNLIB_", "MEM_LIMIT")))
    }
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
        app,
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
    if app != "jupyterlab":
        cmd = [c for c in cmd if not c.startswith("--LabApp")]
    log_path = tmp / "lab.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root_dir, preexec_fn=preexec_fn
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + start_timeout
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
        stop_process(proc)
        log.close()


def stop_process(proc, timeout=20):
    """Terminate a server process; kill it if it has not ended within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


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


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the current tab
STDERR_JS = f"""() => Array.from(document.querySelectorAll(
    '{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.textContent)"""


def menu(page, menu_name, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=menu_name).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page, timeout_s=None, restart=False):
    """Run > Run All Cells (or Kernel > Restart Kernel and Run All Cells); wait until every code
    cell of the current tab has an execution count and the kernel is idle; return the tab's
    stderr outputs (tracebacks included)."""
    if restart:
        menu(page, "Kernel", "Restart Kernel and Run All Cells")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_timeout(1000)
    else:
        menu(page, "Run", "Run All Cells")
    n_code = len(page.evaluate(PROMPTS_JS))
    timeout_s = timeout_s or int(os.environ.get("NNLIB_BROWSER_TIMEOUT", "120"))
    page.wait_for_function(
        f"""() => {{
            const p = ({PROMPTS_JS})();
            return p.length === {n_code} && p.every(t => /^\\[\\d+\\]:$/.test(t));
        }}""",
        timeout=timeout_s * 1000,
    )
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")
    return page.evaluate(STDERR_JS)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def api(url, path, method="GET", body=None):
    """One call of the server's REST API (JSON in, JSON out)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
    return json.loads(text) if text else None


def git_status(paths=("notebooks", "lessons"), cwd=ROOT) -> str:
    """``git status --porcelain`` of the course files (empty when nothing changed)."""
    res = subprocess.run(
        ["git", "status", "--porcelain", "--", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    return res.stdout
