"""``GET <base_url>nnlib/open/<course>/<lesson>``: bring the lesson into the learner workspace,
then open it in JupyterLab.

A course link's last step (nbgitpuller redirects here once the course is pulled):

1. ``<course>`` and ``<lesson>`` are checked: a relative folder inside the server's root and a
   lesson file name ``NN_name.ipynb``; anything else (``..``, an absolute path, a hidden folder)
   is refused with 400 and a message saying what was expected.
2. When the course has ``tools/workspace.py`` and ``notebooks/``, it is run with the server's own
   Python, as deploy/jupyterhub/pull-course.sh runs it at server start:
   ``workspace.py --course <course>/notebooks --dest <course>/work``. A lesson new in the course
   is added to ``work/``; a lesson changed in the course is put beside the student's copy
   (``NN_name.updated-DATE.ipynb``), never over it. The run is bounded in time
   (:data:`TIMEOUT_S`; ``c.ServerApp.tornado_settings = {"nnlib_classroom_timeout_s": 30}``
   changes it), one at a time, and its output goes to ``~/.course-workspace.log`` (the log
   pull-course.sh writes); a failure is logged, never raised.
3. 302 to ``lab/tree/<course>/work/<lesson>``; when that file is not there (the workspace could
   not be made, or the course has none) to ``lab/tree/<course>/notebooks/<lesson>``, so the
   lesson opens anyway; 404 with a message when the course has no such lesson.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import sys
from http.client import responses
from pathlib import Path
from urllib.parse import quote

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from . import URL_PREFIX, check_lesson_path

#: Seconds the workspace may take before the student is sent to notebooks/ (pull-course.sh: 60).
TIMEOUT_S = 60.0
LOG_NAME = ".course-workspace.log"


async def run_workspace(course_dir: Path, log_path: Path, timeout: float = TIMEOUT_S) -> bool:
    """Run ``<course_dir>/tools/workspace.py`` for ``<course_dir>/work``; True if it succeeded.

    Output (and any failure) goes to ``log_path``; a run past ``timeout`` seconds is killed.
    Never raises for a failed run."""
    script = course_dir / "tools" / "workspace.py"
    cmd = [
        sys.executable,
        str(script),
        "--course",
        str(course_dir / "notebooks"),
        "--dest",
        str(course_dir / "work"),
    ]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        log = open(log_path, "w")
    except OSError:  # no log (a full or read-only home): still bring the lesson in
        log = open(os.devnull, "w")
    with log:
        stamp = _dt.datetime.now().isoformat(timespec="seconds")
        log.write(f"# {stamp} nnlib.classroom (a course link): {' '.join(cmd)}\n")
        log.flush()
        try:
            proc = await asyncio.create_subprocess_exec(
                *cmd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                cwd=str(course_dir),
                env=env,
            )
        except OSError as err:  # the lesson still opens, from notebooks/
            log.write(f"# could not start: {err}\n")
            return False
        try:
            code = await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            log.write(f"\n# stopped after {timeout:g} s\n")
            return False
        if code != 0:
            log.write(f"\n# exit status {code}\n")
        return code == 0


class OpenLessonHandler(JupyterHandler):
    """Bring a lesson into the learner workspace, then redirect to it (see the module's doc)."""

    auth_resource = "contents"

    def write_error(self, status_code: int, **kwargs) -> None:
        """Our 400 and 404 say what is wrong (Jupyter's own 404 page shows no message)."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if not (isinstance(exc, web.HTTPError) and exc.log_message):
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html")
        html = self.render_template(
            "error.html",
            status_code=status_code,
            status_message=exc.reason or responses.get(status_code, "Error"),
            message=exc.log_message % exc.args,
            exception=exc,
        )
        self.write(html)

    @web.authenticated
    @authorized("write")  # it writes the student's work/ folder
    async def get(self, path: str):
        course, _, lesson = path.rpartition("/")
        try:
            check_lesson_path(course, lesson)
        except ValueError as err:
            raise web.HTTPError(400, "%s", f"Cannot open this course link: {err}.") from None
        root = Path(os.path.expanduser(self.settings["server_root_dir"])).resolve()
        course_dir = (root / course).resolve()
        if not course_dir.is_relative_to(root) or course_dir == root:
            raise web.HTTPError(
                400, "%s", f"Cannot open this course link: {course!r} is outside the server's root."
            )
        if not course_dir.is_dir():
            raise web.HTTPError(
                404,
                "%s",
                f"The course folder {course!r} is not there: the course could not be pulled. "
                f"Try the link again in a minute; see ~/.course-pull.log.",
            )

        if (course_dir / "tools" / "workspace.py").is_file() and (
            course_dir / "notebooks"
        ).is_dir():
            lock = self.settings.setdefault("nnlib_classroom_lock", asyncio.Lock())
            timeout = float(self.settings.get("nnlib_classroom_timeout_s", TIMEOUT_S))
            async with lock:  # two links clicked at once: one workspace run after the other
                try:
                    ok = await run_workspace(course_dir, Path.home() / LOG_NAME, timeout)
                except Exception:  # whatever happened, the lesson opens (from notebooks/)
                    self.log.exception("nnlib.classroom: running the workspace failed")
                    ok = False
            if not ok:
                self.log.warning(
                    "nnlib.classroom: the workspace %s/work was not updated (see ~/%s)",
                    course,
                    LOG_NAME,
                )

        for folder in ("work", "notebooks"):
            if (course_dir / folder / lesson).is_file():
                target = url_path_join(
                    self.base_url, "lab/tree", quote(f"{course}/{folder}/{lesson}")
                )
                return self.redirect(target)
        raise web.HTTPError(
            404, "%s", f"The course {course!r} has no lesson {lesson!r} (in notebooks/)."
        )


def load(serverapp) -> None:
    """Add the handler to ``serverapp`` (called by the extension's loader)."""
    web_app = serverapp.web_app
    pattern = url_path_join(web_app.settings["base_url"], URL_PREFIX, "(.*)")
    web_app.add_handlers(".*$", [(pattern, OpenLessonHandler)])
    serverapp.log.info("nnlib.classroom: course links open lessons at %s", pattern)
