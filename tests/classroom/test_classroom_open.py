"""The course links' last step (nnlib.classroom): ``<base_url>nnlib/open/<course>/<lesson>`` on a
real Jupyter server on 127.0.0.1, started with the literal argument the hub uses
(``nnlib.classroom.ENABLE_ARG``). It brings a new lesson into the learner workspace and opens it
there, puts a changed lesson beside the student's copy, opens notebooks/ when the workspace
cannot be made, and refuses anything that is not a lesson of a course folder under the server's
root (400, with a message). One server for the module (~2-3 s); tests/classroom/test_hub_nbgitpuller.py
follows a whole course link through nbgitpuller (``make test-hub``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
import workspace
from lab_fixtures import stop_process

from nnlib.classroom import ENABLE_ARG, check_lesson_path, lesson_urlpath, server_args

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = "t0ken"
BASE = "/user/student/"  # as on the hub: links are relative to the server's base URL
STUDENT_LINE = "student_answer = 42  # the student's own line"
# Extensions a unit test does not need (a second less to start); the hub test loads them all.
LIGHT = [
    f"--ServerApp.jpserver_extensions={name}=False"
    for name in (
        "jupyterlab",
        "jupyterlab_jupytext",
        "jupyter_lsp",
        "notebook_shim",
        "nbgitpuller",
        "jupyter_server_terminals",
    )
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http_get(url, token=TOKEN, timeout=120):
    """(status, Location header, body) of a GET, redirects not followed."""
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=timeout) as resp:
            return resp.status, resp.headers.get("Location"), resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location"), err.read().decode()


@contextlib.contextmanager
def classroom_server(home: Path, *extra: str, base_url: str = BASE):
    """``jupyter server`` on 127.0.0.1 in ``home`` (its root and $HOME) with ``ENABLE_ARG``;
    yields the server's URL (ending in the base URL)."""
    port = free_port()
    log = open(home / ".server.log", "w")
    server = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "server",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={home}",
            f"--ServerApp.base_url={base_url}",
            f"--IdentityProvider.token={TOKEN}",
            ENABLE_ARG,
            *extra,
        ],
        cwd=home,
        env={**os.environ, "HOME": str(home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{base_url}"
    try:
        deadline = time.monotonic() + 60  # bounded: the server has 60 s to come up
        while True:
            try:
                if http_get(url + "api/status", timeout=5)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"no Jupyter server:\n{(home / '.server.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        stop_process(server)
        log.close()


def make_course(home: Path, name: str, lessons=("00_welcome.ipynb", "01_neuron.ipynb"), tools=True):
    """A pulled course in ``home/name``: notebooks/ and (``tools``) the real tools/workspace.py."""
    course = home / name
    (course / "notebooks").mkdir(parents=True)
    for lesson in lessons:
        shutil.copy(ROOT / "notebooks" / lesson, course / "notebooks" / lesson)
    if tools:
        (course / "tools").mkdir()
        for script in ("workspace.py", "make_student.py"):
            shutil.copy(ROOT / "tools" / script, course / "tools" / script)
    return course


def edit_code_cell(path, line, index=0):
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[index].source += "\n" + line
    nbformat.write(nb, str(path))


def sources(path):
    return "\n".join(c.source for c in nbformat.read(str(path), as_version=4).cells)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with classroom_server(home, *LIGHT) as url:
        yield home, url


def test_enable_arg_and_urlpath():
    assert ENABLE_ARG == "--ServerApp.jpserver_extensions=nnlib.classroom=True"
    assert server_args() == [ENABLE_ARG]
    assert lesson_urlpath("course", "07_keras.ipynb") == "nnlib/open/course/07_keras.ipynb"
    assert lesson_urlpath("classes/nn-2026", "00_welcome.ipynb").startswith("nnlib/open/classes/")
    for course, lesson in [
        ("course", "../07_keras.ipynb"),
        ("course", "07_keras.updated-20261201.ipynb"),
        ("course", "keras.ipynb"),
        ("course", "07_keras.py"),
        ("..", "07_keras.ipynb"),
        ("course/..", "07_keras.ipynb"),
        ("/home/student/course", "07_keras.ipynb"),
        (".hidden", "07_keras.ipynb"),
        ("", "07_keras.ipynb"),
        ("a\\..\\b", "07_keras.ipynb"),
    ]:
        with pytest.raises(ValueError, match="is not a"):
            check_lesson_path(course, lesson)


def test_extension_module_imports_nothing_heavy():
    """The extension itself loads no numpy, matplotlib or TensorFlow (``nnlib/__init__.py``, which
    Python runs first, is bypassed here: it imports numpy and matplotlib)."""
    code = (
        "import sys, types; import jupyter_server.base.handlers; "
        f"pkg = types.ModuleType('nnlib'); pkg.__path__ = [{str(ROOT / 'nnlib')!r}]; "
        "sys.modules['nnlib'] = pkg; import nnlib.classroom.open_lesson; "
        "print(sorted({'numpy', 'matplotlib', 'tensorflow'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


def test_new_lesson_is_added_to_work_and_opened_there(server):
    home, url = server
    course = make_course(home, "course")
    workspace.sync(course / "notebooks", course / "work")  # as at server start (pull-course.sh)
    mine = course / "work" / "01_neuron.ipynb"
    edit_code_cell(mine, STUDENT_LINE)
    # The instructor publishes lesson 02 and changes lesson 01; nbgitpuller has merged them.
    shutil.copy(ROOT / "notebooks" / "02_activations.ipynb", course / "notebooks")
    edit_code_cell(course / "notebooks" / "01_neuron.ipynb", "# Course update", index=-1)
    status, location, _ = http_get(url + "nnlib/open/course/02_activations.ipynb")
    assert (status, location) == (302, f"{BASE}lab/tree/course/work/02_activations.ipynb")
    assert (course / "work" / "02_activations.ipynb").exists()
    assert STUDENT_LINE in sources(mine)  # the student's copy is never replaced ...
    (beside,) = (course / "work").glob("01_neuron.updated-*.ipynb")  # ... the update is beside
    assert "# Course update" in sources(beside)
    assert "02_activations.ipynb" in (home / ".course-workspace.log").read_text()


def test_lesson_opens_from_notebooks_when_the_workspace_cannot_be_made(server):
    home, url = server
    broken = make_course(home, "broken")
    (broken / "tools" / "workspace.py").write_text("import sys\nsys.exit('cannot write work/')\n")
    status, location, _ = http_get(url + "nnlib/open/broken/01_neuron.ipynb")
    assert (status, location) == (302, f"{BASE}lab/tree/broken/notebooks/01_neuron.ipynb")
    assert "cannot write work/" in (home / ".course-workspace.log").read_text()
    make_course(home, "no-workspace", tools=False)  # a course without tools/workspace.py
    status, location, _ = http_get(url + "nnlib/open/no-workspace/00_welcome.ipynb")
    assert (status, location) == (302, f"{BASE}lab/tree/no-workspace/notebooks/00_welcome.ipynb")
    assert http_get(url + "api/status")[0] == 200  # the server is fine


@pytest.mark.parametrize(
    "path, says",
    [
        ("../course/00_welcome.ipynb", "not a course folder"),
        ("%2e%2e/%2e%2e/etc/00_welcome.ipynb", "not a course folder"),
        ("course/%2e%2e/course/00_welcome.ipynb", "not a course folder"),
        ("%2Fetc/00_welcome.ipynb", "not a course folder"),
        ("course/00_welcome.ipynb%2F..%2F..%2Fx", "not a lesson file name"),
        ("course/secret.txt", "not a lesson file name"),
        ("00_welcome.ipynb", "not a course folder"),
        ("course/", "not a lesson file name"),
    ],
)
def test_traversal_and_odd_names_are_refused(server, path, says):
    home, url = server
    status, location, body = http_get(url + "nnlib/open/" + path)
    assert status == 400 and location is None
    assert "Cannot open this course link" in body and says in body


def test_a_link_out_of_the_root_through_a_symlink_is_refused(server, tmp_path):
    home, url = server
    outside = make_course(tmp_path, "course", tools=False)
    (home / "linked").symlink_to(outside)
    status, _, body = http_get(url + "nnlib/open/linked/00_welcome.ipynb")
    assert status == 400 and "outside the server" in body


def test_missing_course_or_lesson_says_so(server):
    home, url = server
    make_course(home, "small", lessons=("00_welcome.ipynb",), tools=False)
    status, _, body = http_get(url + "nnlib/open/small/07_keras.ipynb")
    assert status == 404 and "has no lesson" in body and "07_keras.ipynb" in body
    status, _, body = http_get(url + "nnlib/open/not-pulled/00_welcome.ipynb")
    assert status == 404 and "could not be pulled" in body


def test_needs_login(server):
    home, url = server
    course = make_course(home, "private")
    status, location, _ = http_get(url + "nnlib/open/private/00_welcome.ipynb", token=None)
    assert status == 302 and location.startswith(f"{BASE}login?next=")
    status, _, _ = http_get(url + "nnlib/open/private/00_welcome.ipynb", token="wrong")
    assert status in (302, 403)
    assert not (course / "work").exists()  # nothing ran


def test_a_workspace_run_past_its_time_is_stopped(tmp_path):
    from nnlib.classroom.open_lesson import run_workspace

    course = make_course(tmp_path, "slow", lessons=(), tools=False)
    (course / "tools").mkdir()
    (course / "tools" / "workspace.py").write_text("import time\ntime.sleep(60)\n")
    start = time.monotonic()
    ok = asyncio.run(run_workspace(course, tmp_path / "ws.log", timeout=0.5))
    assert not ok and time.monotonic() - start < 10
    assert "stopped after 0.5 s" in (tmp_path / "ws.log").read_text()
    # No log file (a read-only home): the workspace is still made.
    quick = make_course(tmp_path, "quick", lessons=(), tools=False)
    (quick / "tools").mkdir()
    (quick / "tools" / "workspace.py").write_text(
        "import pathlib, sys\npathlib.Path(sys.argv[sys.argv.index('--dest') + 1]).mkdir()\n"
    )
    assert asyncio.run(run_workspace(quick, tmp_path / "no" / "such" / "dir.log"))
    assert (quick / "work").is_dir()
