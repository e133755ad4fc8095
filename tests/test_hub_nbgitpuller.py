"""A student's copy of the course through nbgitpuller: their edits survive a course update.

The "course remote" is a local git repository (no network): the course's notebooks 00 and 01,
and tools/workspace.py when the course has it. A fresh home gets the course the way a hub gives
it (deploy/jupyterhub/pull-course.sh: gitpuller, then the learner workspace); the student edits
lesson 01 (in the course folder, and in the workspace); the instructor changes another cell of
lesson 01 and adds lesson 02; the student clicks a course link (tools/course_link.py), which runs
nbgitpuller's /git-pull handler in a real Jupyter server on 127.0.0.1; their edit survived, the
update arrived. Run by ``make test-hub`` (NNLIB_HUB_TEST=1; a server start is too slow for
``make test``).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from course_link import course_link
from lab_fixtures import stop_process

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "deploy" / "jupyterhub"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    os.environ.get("NNLIB_HUB_TEST") != "1", reason="hub test: make test-hub (NNLIB_HUB_TEST=1)"
)
HAS_WORKSPACE = (ROOT / "tools" / "workspace.py").exists()
STUDENT_LINE = "student_answer = 42  # the student's own line"
UPDATE_LINE = "# Course update: a clearer explanation."


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(cwd, *args):
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def commit_all(repo, message):
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=Instructor",
        "-c",
        "user.email=i@example.org",
        "commit",
        "-qm",
        message,
    )


def pull_course(home, remote):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "NNLIB_HUB_BIN": str(BIN),
        "NNLIB_HUB_COURSE_REPO": str(remote),
        "NNLIB_HUB_COURSE_BRANCH": "main",
        "NNLIB_HUB_COURSE_DIR": "course",
    }
    out = subprocess.run(
        [str(HUB / "pull-course.sh")], env=env, capture_output=True, text=True, timeout=200
    )
    assert out.returncode == 0 and not out.stderr, out.stderr
    return out


def edit_code_cell(path, line, index=0):
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[index].source = code[index].source + "\n" + line
    nbformat.write(nb, str(path))


def sources(path):
    return "\n".join(c.source for c in nbformat.read(str(path), as_version=4).cells)


@pytest.fixture
def course_remote(tmp_path):
    remote = tmp_path / "remote"
    (remote / "notebooks").mkdir(parents=True)
    for name in ("00_welcome.ipynb", "01_neuron.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, remote / "notebooks" / name)
    if HAS_WORKSPACE:
        (remote / "tools").mkdir()
        for name in ("workspace.py", "make_student.py"):
            shutil.copy(ROOT / "tools" / name, remote / "tools" / name)
    (remote / ".gitignore").write_text("work/\n")
    git(tmp_path, "init", "-q", "-b", "main", str(remote))
    commit_all(remote, "course v1")
    return remote


def git_pull_via_link(home, link):
    """Follow a course link the way the hub does after login: nbgitpuller's /git-pull API in a
    Jupyter server on 127.0.0.1 (the hub's /hub/user-redirect/ would only add the user prefix)."""
    query = parse_qs(urlsplit(link).query)
    port, token = free_port(), "t0ken"
    server = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "server",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={home}",
            f"--IdentityProvider.token={token}",
        ],
        env={**os.environ, "HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        params = "&".join(f"{k}={urllib.request.quote(v[0], safe='')}" for k, v in query.items())
        url = f"http://127.0.0.1:{port}/git-pull/api?{params}"
        req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
        deadline = time.monotonic() + 60
        while True:  # bounded: the server has 60 s to come up
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    events = [
                        json.loads(line[5:])
                        for line in resp.read().decode().splitlines()
                        if line.startswith("data:")
                    ]
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        phases = [e.get("phase") for e in events]
        assert phases[-1] == "finished", events[-3:]
        return query
    finally:
        stop_process(server)


def test_student_edit_survives_course_update(tmp_path, course_remote):
    home = tmp_path / "home"
    home.mkdir()
    pull_course(home, course_remote)  # first server start: clone (+ workspace)
    course = home / "course"
    lesson = course / "notebooks" / "01_neuron.ipynb"
    assert lesson.exists() and git(course, "status", "--porcelain") == ""

    # The student works: in the course folder (a hub without the workspace) and in work/.
    edit_code_cell(lesson, STUDENT_LINE, index=0)
    if HAS_WORKSPACE:
        mine = course / "work" / "01_neuron.ipynb"
        assert mine.exists(), "the workspace was not created at server start"
        edit_code_cell(mine, STUDENT_LINE, index=0)

    # The instructor updates the course: another cell of lesson 01, and a new lesson 02.
    edit_code_cell(course_remote / "notebooks" / "01_neuron.ipynb", UPDATE_LINE, index=-1)
    shutil.copy(ROOT / "notebooks" / "02_activations.ipynb", course_remote / "notebooks")
    commit_all(course_remote, "course v2")

    # The student clicks the course link for lesson 02 (nbgitpuller merges).
    link = course_link("http://127.0.0.1:8000", str(course_remote), "02", plain=not HAS_WORKSPACE)
    query = git_pull_via_link(home, link)
    assert query["targetpath"] == ["course"]
    text = sources(lesson)
    assert STUDENT_LINE in text, "nbgitpuller lost the student's edit"
    assert UPDATE_LINE in text, "the course update to the same lesson did not arrive"
    assert (course / "notebooks" / "02_activations.ipynb").exists()

    if HAS_WORKSPACE:
        # The next server start brings the update into work/ without replacing the student's copy.
        pull_course(home, course_remote)
        work = course / "work"
        assert STUDENT_LINE in sources(work / "01_neuron.ipynb")
        beside = sorted(work.glob("01_neuron.updated-*.ipynb"))
        assert len(beside) == 1 and UPDATE_LINE in sources(beside[0])
        assert (work / "02_activations.ipynb").exists()
        assert query["urlpath"] == ["lab/tree/course/work/02_activations.ipynb"]
    else:
        assert query["urlpath"] == ["lab/tree/course/notebooks/02_activations.ipynb"]
