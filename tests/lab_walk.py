"""A learner's walk through the course in one JupyterLab, started the way `make lab` starts it:
a clean clone of the course, `tools/workspace.py` creating work/, JupyterLab with
jupyter_server_config.py (idle-kernel culling) on 127.0.0.1 - optionally inside a cgroup v1
memory limit that holds the server and every kernel it starts.

Used by tests/browser/test_memory_walk.py, benchmarks/bench_memory_walk.py and tests/browser/test_journey.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from lab_fixtures import api, git_status, jupyterlab

ROOT = Path(__file__).resolve().parent.parent
# The walk: lessons 00-13 (a new lesson raises the bound: tests/lessons/test_lesson_places.py
# fails, naming this file, until it does).
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name < "14")
SHUT_DOWN = re.compile(r"Shut down: (.*?) \(Kernel > Shut Down Kernel")
MB = 1024 * 1024


def clone_course(dest: Path) -> Path:
    """A clean clone of the committed course (git status there is meaningful)."""
    subprocess.run(["git", "clone", "-q", "--shared", str(ROOT), str(dest)], check=True)
    return dest


class MemoryGroup:
    """A cgroup v1 memory group below this process's own, with ``limit`` bytes; processes moved
    into it (and their children) share the limit.  ``peak`` is memory.max_usage_in_bytes."""

    def __init__(self, limit: int):
        own = next(
            line.split(":", 2)[2]
            for line in Path("/proc/self/cgroup").read_text().splitlines()
            if line.split(":")[1].split(",").count("memory")
        )
        self.path = Path("/sys/fs/cgroup/memory" + own.rstrip("/")) / f"nnlib-walk-{os.getpid()}"
        self.path.mkdir()
        (self.path / "memory.limit_in_bytes").write_text(str(limit))
        with contextlib.suppress(OSError):  # no swap to escape to, where swap accounting exists
            (self.path / "memory.memsw.limit_in_bytes").write_text(str(limit))

    @staticmethod
    def available() -> str | None:
        """None when a group can be made here, else why not."""
        base = Path("/sys/fs/cgroup/memory")
        if not (base / "memory.limit_in_bytes").exists():
            return "no cgroup v1 memory controller at /sys/fs/cgroup/memory"
        if not os.access(base, os.W_OK):
            return "the cgroup memory hierarchy is not writable (needs root)"
        return None

    def read(self, name: str) -> str:
        return (self.path / name).read_text()

    @property
    def peak(self) -> int:
        return int(self.read("memory.max_usage_in_bytes"))

    @property
    def usage(self) -> int:
        return int(self.read("memory.usage_in_bytes"))

    def oom_kills(self) -> int:
        m = re.search(r"oom_kill (\d+)", self.read("memory.oom_control"))
        return int(m.group(1)) if m else 0

    def enter(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(str(pid))

    def remove(self) -> None:
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.2)


@contextlib.contextmanager
def course_lab(cull_idle_s: int, group: MemoryGroup | None = None, settings=None, lab=True):
    """Clone the course, make its workspace as `make lab` does, start JupyterLab (inside
    ``group`` from its first instruction); yield a dict with url, course, runtime, log."""
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-walk-"))
    course = clone_course(tmp / "course")
    subprocess.run(
        [sys.executable, "tools/workspace.py", "--course", "notebooks", "--dest", "work"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    env = {
        "NNLIB_CULL_IDLE_S": str(cull_idle_s),
        "NNLIB_QUICK": "1",
        "NNLIB_OFFLINE": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
    }
    args = [
        "--config=jupyter_server_config.py",  # as `make lab`
        "--LabApp.default_url=/lab/tree/work/00_welcome.ipynb",
        "--ServerApp.disable_check_xsrf=True",  # the walk drives the REST API directly
    ]
    enter = (lambda: group.enter(os.getpid())) if group else None
    try:
        with jupyterlab(
            tmp,
            course,
            env,
            args,
            settings,
            app="jupyterlab" if lab else "jupyter_server",
            clean_env=True,
            preexec_fn=enter,
            start_timeout=90,
        ) as url:
            try:
                yield {
                    "url": url,
                    "course": course,
                    "runtime": tmp / "runtime",
                    "log": tmp / "lab.log",
                }
            finally:
                with contextlib.suppress(OSError):
                    for k in api(url, "/api/kernels"):
                        api(url, f"/api/kernels/{k['id']}", method="DELETE")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Sampler(threading.Thread):
    """Samples a MemoryGroup's usage every 0.25 s (the kernel also keeps the exact peak)."""

    def __init__(self, group):
        super().__init__(daemon=True)
        self.group, self.top, self.stop = group, 0, threading.Event()

    def run(self):
        while not self.stop.wait(0.25):
            with contextlib.suppress(OSError):
                self.top = max(self.top, self.group.usage)


def run_lesson(lab, name, timeout=300):
    """Open ``work/<name>`` as a learner does (a session with a kernel), run every code cell in
    order through the kernel, act on the memory warning by shutting the named kernels down, and
    save the notebook (as autosave would).  Returns a record of what happened."""
    from jupyter_client import BlockingKernelClient

    url = lab["url"]
    path = f"work/{name}"
    session = api(
        url,
        "/api/sessions",
        "POST",
        {"path": path, "type": "notebook", "name": name, "kernel": {"name": "python3"}},
    )
    kid = session["kernel"]["id"]
    client = BlockingKernelClient(connection_file=str(lab["runtime"] / f"kernel-{kid}.json"))
    client.load_connection_file()
    client.start_channels()
    record = {
        "lesson": name,
        "kernel": kid,
        "errors": [],
        "stderr": [],
        "warnings": [],
        "shut_down": [],
    }
    nb = api(url, f"/api/contents/{path}?content=1")["content"]
    try:
        _wait_for_kernel_info(client, 120)
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            outputs = []
            reply = client.execute_interactive(
                cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"]),
                timeout=timeout,
                output_hook=lambda msg, outs=outputs: outs.append(msg),
            )
            cell["outputs"] = []
            for msg in outputs:
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    cell["outputs"].append(
                        {"output_type": "stream", "name": content["name"], "text": content["text"]}
                    )
                    if content["name"] == "stderr":
                        record["stderr"].append(content["text"])
                    for m in SHUT_DOWN.finditer(content["text"]):
                        record["warnings"].append(content["text"].strip())
                        record["shut_down"] += shut_down(url, m.group(1).split(", "))
                elif kind == "error":
                    record["errors"].append(f"{content['ename']}: {content['evalue']}")
            if reply["content"]["status"] != "ok":
                record["errors"].append(f"cell failed: {cell['source'][:80]!r}")
                break
        api(
            url,
            f"/api/contents/{path}",
            "PUT",
            {"type": "notebook", "format": "json", "content": nb},
        )
    finally:
        client.stop_channels()
    return record


def _wait_for_kernel_info(client, timeout):
    """Until the kernel answers kernel_info (no heartbeat check: a kernel starting on a busy
    machine may miss its first heartbeats without being dead)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg_id = client.kernel_info()
        end = min(deadline, time.time() + 10)
        while time.time() < end:
            try:
                reply = client.get_shell_msg(timeout=max(0.1, end - time.time()))
            except Exception:  # noqa: BLE001 - queue.Empty: ask again
                break
            if reply["parent_header"].get("msg_id") == msg_id:
                while True:  # drop the start-up iopub messages
                    try:
                        client.get_iopub_msg(timeout=0.2)
                    except Exception:  # noqa: BLE001 - queue.Empty
                        return
    raise TimeoutError(f"the kernel did not answer kernel_info within {timeout} s")


def shut_down(url, names):
    """Kernel > Shut Down Kernel on the tabs a warning named (by notebook path, or kernel pid)."""
    done = []
    for s in api(url, "/api/sessions"):
        if s["path"] in names and s.get("kernel"):
            api(url, f"/api/kernels/{s['kernel']['id']}", method="DELETE")
            done.append(s["path"])
    return done


def walk(limit: int, cull_idle_s: int = 30, lessons=LESSONS) -> dict:
    """Walk ``lessons`` in order in one lab inside a ``limit``-byte memory group."""
    group = MemoryGroup(limit)
    sampler = Sampler(group)
    sampler.start()
    start = time.time()
    records = []
    try:
        with course_lab(cull_idle_s, group, lab=True) as lab:
            for name in lessons:
                t0 = time.time()
                try:
                    rec = run_lesson(lab, name)
                except Exception as err:  # noqa: BLE001 - recorded; the test fails on it
                    rec = {
                        "lesson": name,
                        "errors": [f"{type(err).__name__}: {err}"],
                        "stderr": [],
                        "warnings": [],
                        "shut_down": [],
                    }
                rec["seconds"] = time.time() - t0
                rec["usage_mb"] = group.usage / MB
                rec["open_kernels"] = len(api(lab["url"], "/api/kernels"))
                records.append(rec)
            log = lab["log"].read_text()
            status = git_status((), cwd=lab["course"])
        sampler.stop.set()
        result = {
            "lessons": records,
            "seconds": time.time() - start,
            "peak": max(group.peak, sampler.top),
            "oom_kills": group.oom_kills(),
            "failcnt": int(group.read("memory.failcnt")),
            "culled": log.count("Culling '"),
            "died": re.findall(r"KernelRestarter: restarting kernel.*|Kernel died.*", log),
            "warned": [w for r in records for w in r["warnings"]],
            "git_status": status,
        }
    finally:
        sampler.stop.set()
        group.remove()
    lines = [f"{'lesson':<32}{'s':>7}{'MB after':>10}{'kernels':>9}  shut down on warning"]
    for r in records:
        lines.append(
            f"{r['lesson']:<32}{r['seconds']:>7.1f}{r['usage_mb']:>10.0f}{r['open_kernels']:>9}  "
            + (", ".join(r["shut_down"]) or "-")
        )
    lines.append(
        f"walk {lessons[0][:2]}-{lessons[-1][:2]} in one server under {limit / MB:.0f} MB: peak {result['peak'] / MB:.0f} MB, "
        f"{result['seconds']:.0f} s, {len(result['warned'])} warnings, {result['culled']} kernels "
        f"culled, {result['oom_kills']} OOM kills, {len(result['died'])} kernel deaths"
    )
    result["summary"] = "\n".join(lines)
    return result
