"""A course link on a running server: the student's edits survive, a new lesson opens at once.

The "course remote" is a local git repository (no network): the course's notebooks 00 and 01
and its tools/workspace.py. A fresh home gets the course the way a hub gives it at server start
(deploy/jupyterhub/pull-course.sh: gitpuller, then the learner workspace ``course/work/``); a
Jupyter server starts on 127.0.0.1 in that home, with the hub's base URL and the argument that
enables nnlib.classroom (nnlib.classroom.ENABLE_ARG), and keeps running. The student edits
lesson 01 (in the course folder and in the workspace); the instructor changes another cell of
lesson 01 and publishes lesson 02; the student clicks the course link for 02
(tools/course_link.py) and the test does what their browser does: nbgitpuller's /git-pull page,
its /git-pull/api pull, then its redirect to ``{base_url}{urlpath}``, which is nnlib.classroom's
``nnlib/open/course/02_activations.ipynb``; that redirects to
``lab/tree/course/work/02_activations.ipynb``, and the file is there right away (no second
server start). The student's edits survived; the changed 01 is beside their copy. A lesson the
workspace cannot take (a broken solution marker) opens from ``course/notebooks/``; a link out of
the server's root is refused. Run by ``make test-hub`` (``pytest -m hub``).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import nbformat
import pytest
from course_link import course_link
from test_classroom_open import classroom_server, edit_code_cell, http_get, sources

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "deploy" / "jupyterhub"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.hub
STUDENT_LINE = "student_answer = 42  # the student's own line"
UPDATE_LINE = "# Course update: a clearer explanation."
HUB_URL = "http://127.0.0.1:8000"


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
    """What the hub does before each server start (deploy/jupyterhub/pull-course.sh)."""
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


def follow_course_link(server_url, link):
    """Follow ``link`` as the student's browser does once the hub has logged them in; return
    (nbgitpuller's events, the redirect target of the lesson page).

    1. The hub's /hub/user-redirect/ sends the browser to the same path on the student's server.
    2. nbgitpuller's /git-pull page carries the pull's parameters in data- attributes; its script
       (static/js/gitsync.js) calls /git-pull/api (a server-sent event stream) and, when the
       pull has finished, goes to ``baseUrl + path`` (``path`` is the link's urlpath)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server_url))
    rest = link.split("/hub/user-redirect/", 1)[1]
    status, _, page = http_get(server_url + rest)
    assert status == 200, page[-2000:]
    data = {k: unquote(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', page)}
    api = {"_xsrf": data["xsrf"], "repo": data["repo"], "targetpath": data["targetpath"]}
    if "branch" in data:
        api["branch"] = data["branch"]
    status, _, stream = http_get(f"{origin}{data['base-url']}git-pull/api?{urlencode(api)}")
    events = [json.loads(line[5:]) for line in stream.splitlines() if line.startswith("data:")]
    assert status == 200 and events and events[-1].get("phase") == "finished", events[-3:]
    status, location, body = http_get(origin + data["base-url"] + data["path"])
    assert status == 302, body[-2000:]
    return events, location


@pytest.fixture
def course_remote(tmp_path):
    remote = tmp_path / "remote"
    (remote / "notebooks").mkdir(parents=True)
    for name in ("00_welcome.ipynb", "01_neuron.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, remote / "notebooks" / name)
    (remote / "tools").mkdir()
    for name in ("workspace.py", "make_student.py"):
        shutil.copy(ROOT / "tools" / name, remote / "tools" / name)
    (remote / ".gitignore").write_text("work/\n")
    git(tmp_path, "init", "-q", "-b", "main", str(remote))
    commit_all(remote, "course v1")
    return remote


def test_course_link_opens_a_new_lesson_and_keeps_the_students_edits(tmp_path, course_remote):
    home = tmp_path / "home"
    home.mkdir()
    pull_course(home, course_remote)  # the server's start: clone + workspace
    course = home / "course"
    lesson, mine = course / "notebooks" / "01_neuron.ipynb", course / "work" / "01_neuron.ipynb"
    assert lesson.exists() and mine.exists() and git(course, "status", "--porcelain") == ""

    with classroom_server(home) as url:  # the student's server, running from now on
        # The student works: in the course folder (a hub without the workspace) and in work/.
        edit_code_cell(lesson, STUDENT_LINE, index=0)
        edit_code_cell(mine, STUDENT_LINE, index=0)

        # The instructor updates the course: another cell of lesson 01, and a new lesson 02.
        edit_code_cell(course_remote / "notebooks" / "01_neuron.ipynb", UPDATE_LINE, index=-1)
        shutil.copy(ROOT / "notebooks" / "02_activations.ipynb", course_remote / "notebooks")
        commit_all(course_remote, "course v2")

        # The student clicks the course link for lesson 02, while their server runs.
        link = course_link(HUB_URL, str(course_remote), "02")
        assert "urlpath=nnlib%2Fopen%2Fcourse%2F02_activations.ipynb" in link
        _, location = follow_course_link(url, link)
        base = urlsplit(url).path
        assert location == f"{base}lab/tree/course/work/02_activations.ipynb"
        work = course / "work"
        assert (work / "02_activations.ipynb").exists(), "the new lesson is not in work/"
        status, _, body = http_get(f"{url}api/contents/course/work/02_activations.ipynb")
        assert status == 200 and json.loads(body)["type"] == "notebook"  # JupyterLab opens it

        # nbgitpuller merged: the student's line and the instructor's update are both in 01.
        text = sources(lesson)
        assert STUDENT_LINE in text, "nbgitpuller lost the student's edit"
        assert UPDATE_LINE in text, "the course update to the same lesson did not arrive"
        # The workspace: the student's copy kept, the changed lesson beside it.
        assert STUDENT_LINE in sources(mine) and UPDATE_LINE not in sources(mine)
        beside = sorted(work.glob("01_neuron.updated-*.ipynb"))
        assert len(beside) == 1 and UPDATE_LINE in sources(beside[0])

        # A lesson the workspace cannot take (an unclosed solution marker: workspace.py stops)
        # still opens, from the course folder.
        broken = course_remote / "notebooks" / "03_forward_pass.ipynb"
        shutil.copy(ROOT / "notebooks" / "03_forward_pass.ipynb", broken)
        nb = nbformat.read(str(broken), as_version=4)
        next(c for c in nb.cells if c.cell_type == "code").source += "\n# BEGIN SOLUTION"
        nbformat.write(nb, str(broken))
        commit_all(course_remote, "course v3")
        _, location = follow_course_link(url, course_link(HUB_URL, str(course_remote), "03"))
        assert location == f"{base}lab/tree/course/notebooks/03_forward_pass.ipynb"
        assert (course / "notebooks" / "03_forward_pass.ipynb").exists()
        assert not (work / "03_forward_pass.ipynb").exists()
        assert "BEGIN SOLUTION" in (home / ".course-workspace.log").read_text()
        assert STUDENT_LINE in sources(mine)

        # A link that leaves the course folder is refused, with a message.
        status, _, body = http_get(f"{url}nnlib/open/course/%2e%2e/%2e%2e/02_activations.ipynb")
        assert status == 400 and "not a course folder" in body
