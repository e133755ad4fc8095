"""A class on one JupyterHub, measured: N students at once run lesson 01, then lesson 07.

    flock /tmp/heavy.lock .venv/bin/python benchmarks/load_test_hub.py --students 1 5 10

Starts the hub of deploy/jupyterhub/ on 127.0.0.1 (its own state folder in a temporary
directory, per-student memory and CPU limits through cgroups, the idle culler running) and, for
each N:

1. creates N students and starts their servers at the same time through the hub's REST API
   (each server pulls the course with nbgitpuller and builds its workspace, as in a class);
2. every student, at the same time, opens ``notebooks/01_neuron.ipynb`` from their own copy of
   the course and runs all its cells through the kernel websocket API, then
   ``notebooks/07_keras.ipynb`` with ``NNLIB_QUICK=1``, or at full size with ``--full`` (the lessons with their solutions, so that
   every cell runs, as a student who finished the exercises);
3. prints time to spawn (median/worst), time to finish each lesson (median/worst), peak memory per
   student (cgroup peak: server + kernels + the files they read; and the machine's peak memory
   in use above the idle baseline, divided by N), and failures (a cell that raised, a kernel
   that died, a timeout).

Every wait is bounded (--spawn-timeout, --cell-timeout, --lesson-timeout); all servers and the
hub are stopped at the end, whatever happened. Requests go only to 127.0.0.1. Exit status 1 when
any student failed. ``--json FILE`` writes the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
HUB_DIR = ROOT / "deploy" / "jupyterhub"
sys.path.insert(0, str(HUB_DIR))
from cgroup_spawner import (  # noqa: E402
    LimitsUnavailable,
    group_dirs,
    peak_memory,
    private_memory,
    remove_account,
    unix_name,
)

QUICK_PRELUDE = "import os; os.environ['NNLIB_QUICK'] = '1'"


def free_port() -> int:
    # the hub uses port, port+1 (hub API), port+2 (proxy API): find three free in a row
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65000 and all(_free(port + i) for i in (1, 2)):
            return port
    raise RuntimeError("no three free ports in a row on 127.0.0.1")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Hub:
    """The course's hub in a temporary folder: its state (mode 700), the students' homes, Unix
    names with a prefix of this run's own (removed again by stop()); an admin service token."""

    def __init__(
        self,
        tmp: Path,
        mem_limit: str,
        cpu_limit: str,
        cull_timeout: int,
        env: dict | None = None,
        service_token: bool = True,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16) if service_token else None
        tmp.chmod(0o755)  # the homes below must be reachable by their students
        self.state = tmp / "hub"
        self.state.mkdir(mode=0o700)
        self.homes = tmp / "homes"
        self.homes.mkdir(mode=0o755)
        self.user_prefix = f"nnt{os.getpid() % 100000}x{self.port}-"
        self.password = secrets.token_hex(8)
        self.admin_password = secrets.token_hex(20)
        self.env = {
            **os.environ,
            "NNLIB_HUB_PORT": str(self.port),
            "NNLIB_HUB_STATE": str(self.state),
            "NNLIB_HUB_HOMES": str(self.homes),
            "NNLIB_HUB_USER_PREFIX": self.user_prefix,
            "NNLIB_HUB_PASSWORD": self.password,
            "NNLIB_HUB_ADMINS": "instructor",
            "NNLIB_HUB_ADMIN_PASSWORD": self.admin_password,
            "NNLIB_HUB_MEM_LIMIT": mem_limit,
            "NNLIB_HUB_CPU_LIMIT": cpu_limit,
            "NNLIB_HUB_CULL_TIMEOUT": str(cull_timeout),
            "NNLIB_OFFLINE": "1",
            **(env or {}),
        }
        if self.token:
            self.env["NNLIB_HUB_API_TOKEN"] = self.token
        self.log = open(self.state / "hub.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HUB_DIR / "jupyterhub_config.py")],
            cwd=self.state,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.http = AsyncHTTPClient(force_instance=True, defaults={"request_timeout": 60})

    def unix_name(self, name: str) -> str:
        return unix_name(self.user_prefix, name)

    async def api(self, method, path, body=None, ok=(200, 201, 202, 204), token=None):
        req = HTTPRequest(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {token or self.token}"},
            body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
            allow_nonstandard_methods=True,
        )
        try:
            resp = await self.http.fetch(req, raise_error=False)
        except OSError as err:
            raise RuntimeError(f"{method} {path}: {err}") from err
        if resp.code not in ok:
            raise RuntimeError(f"{method} {path}: HTTP {resp.code} {resp.body[:300]!r}")
        return json.loads(resp.body) if resp.body else None

    async def wait_up(self, timeout=60):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.proc.returncode}); see {self.log.name}")
            try:
                resp = await self.http.fetch(self.url + "/hub/api/", raise_error=False)
                if resp.code == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.5)
        raise RuntimeError(f"the hub did not answer within {timeout} s; see {self.log.name}")

    def stop(self):
        """Stop the hub (it stops every server: cleanup_servers), then anything left in the
        students' groups, and remove this run's Unix accounts with their homes, bounded."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        try:
            parents = set(group_dirs(f"nnlib-hub-{self.port}", "").values())
        except LimitsUnavailable:
            parents = set()
        for parent in parents:
            if not parent.exists():
                continue
            for d in [p for p in parent.iterdir() if p.is_dir()] + [parent]:
                for pid in (d / "cgroup.procs").read_text().split():
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                for _ in range(50):
                    try:
                        d.rmdir()
                        break
                    except OSError:
                        time.sleep(0.1)
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(self.user_prefix):
                remove_account(entry.pw_name)
        self.log.close()


class Student:
    def __init__(self, hub: Hub, name: str, token: str | None = None):
        self.hub, self.name = hub, name
        self.token = token  # the student's own API token; default: the hub's service token
        self.spawn_s = None
        self.lesson_s: dict[str, float] = {}
        self.failures: list[str] = []
        self.peak_rss = 0  # sum of the RSS of the student's processes (shared libraries too)
        self.peak_anon = 0  # the group's anonymous memory: what is the student's alone

    @property
    def dirs(self):
        return group_dirs(f"nnlib-hub-{self.hub.port}", self.hub.unix_name(self.name))

    async def spawn(self, timeout):
        t0 = time.monotonic()
        path = f"/hub/api/users/{self.name}"
        await self.hub.api("POST", f"{path}/server", ok=(201, 202), token=self.token)
        while time.monotonic() - t0 < timeout:
            user = await self.hub.api("GET", path, token=self.token)
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                self.spawn_s = time.monotonic() - t0
                return
            if not server or server.get("stopped"):
                break
            await asyncio.sleep(0.5)
        self.failures.append(f"server not ready within {timeout} s")

    async def run_lesson(self, path: str, prelude: str | None, cell_timeout, lesson_timeout):
        base = f"/user/{self.name}/api"
        t0 = time.monotonic()
        model = await self.hub.api("GET", f"{base}/contents/{path}?content=1", token=self.token)
        cells = [c["source"] for c in model["content"]["cells"] if c["cell_type"] == "code"]
        kernel, ws = await self.open_kernel()
        session = uuid.uuid4().hex
        try:
            for i, code in enumerate(([prelude] if prelude else []) + cells):
                left = lesson_timeout - (time.monotonic() - t0)
                err = await asyncio.wait_for(
                    self._execute(ws, session, code), timeout=max(1, min(cell_timeout, left))
                )
                if err:
                    self.failures.append(f"{path} cell {i}: {err}")
                    return
            self.lesson_s[path] = time.monotonic() - t0
        except TimeoutError:
            self.failures.append(f"{path}: timed out (cell {cell_timeout} s / lesson limit)")
        finally:
            await self.close_kernel(kernel, ws, path)

    async def open_kernel(self):
        """A new kernel in the student's server and its websocket."""
        base = f"/user/{self.name}/api"
        kernel = await self.hub.api(
            "POST", f"{base}/kernels", {"name": "python3"}, token=self.token
        )
        ws_url = self.hub.url.replace("http", "ws", 1) + f"{base}/kernels/{kernel['id']}/channels"
        ws = await websocket_connect(
            HTTPRequest(ws_url, headers={"Authorization": f"token {self.token or self.hub.token}"}),
            max_message_size=256 * 2**20,
        )
        return kernel, ws

    async def close_kernel(self, kernel, ws, what=""):
        ws.close()
        try:
            path = f"/user/{self.name}/api/kernels/{kernel['id']}"
            await self.hub.api("DELETE", path, token=self.token)
        except RuntimeError as e:
            self.failures.append(f"{what}: kernel shutdown: {e}")

    async def run_code(self, code: str, timeout: float = 120) -> tuple[str | None, str]:
        """Run ``code`` in a fresh kernel of the student's server: (error or None, stdout)."""
        kernel, ws = await self.open_kernel()
        out: list[str] = []
        try:
            err = await asyncio.wait_for(
                self._execute(ws, uuid.uuid4().hex, code, out), timeout=timeout
            )
        finally:
            await self.close_kernel(kernel, ws, "run_code")
        return err, "".join(out)

    async def _execute(self, ws, session, code, out: list | None = None):
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {
                "msg_id": msg_id,
                "username": self.name,
                "session": session,
                "msg_type": "execute_request",
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "content": {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            "channel": "shell",
        }
        await ws.write_message(json.dumps(msg))
        reply, idle, error = None, False, None
        while reply is None or not idle:
            raw = await ws.read_message()
            if raw is None:
                return "websocket closed (kernel or server gone)"
            if isinstance(raw, bytes):
                continue  # a message with binary buffers (widgets' comm messages): not ours
            m = json.loads(raw)
            kind = m.get("msg_type") or m["header"]["msg_type"]
            if kind == "status" and m["content"].get("execution_state") in ("dead", "restarting"):
                return f"kernel {m['content']['execution_state']} (memory limit?)"
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "stream" and out is not None and m["content"].get("name") == "stdout":
                out.append(m["content"]["text"])
            if kind == "execute_reply":
                reply = m["content"]
                if reply.get("status") == "error":
                    error = f"{reply.get('ename')}: {reply.get('evalue', '')[:200]}"
            elif kind == "status" and m["content"].get("execution_state") == "idle":
                idle = True
        return error

    def sample(self):
        procs = self.dirs["memory"] / "cgroup.procs"
        if not procs.exists():
            return
        rss = 0
        for pid in procs.read_text().split():
            try:
                rss += psutil.Process(int(pid)).memory_info().rss
            except psutil.Error:
                pass
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_anon = max(self.peak_anon, private_memory(self.dirs))


async def sampler(students, box, stop: asyncio.Event):
    """Every 0.5 s (until stop): each student's processes' RSS and the machine's memory in use."""
    while not stop.is_set():
        for s in students:
            s.sample()
        box["used"] = max(box["used"], psutil.virtual_memory().used)
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.5)
        except TimeoutError:
            pass


def stats(values):
    return (statistics.median(values), max(values)) if values else (float("nan"), float("nan"))


async def one_round(hub: Hub, n: int, args) -> dict:
    students = [Student(hub, f"s{n:02d}x{i:02d}") for i in range(n)]
    await hub.api("POST", "/hub/api/users", {"usernames": [s.name for s in students]})
    baseline = psutil.virtual_memory().used
    box, stop = {"used": baseline}, asyncio.Event()
    watch = asyncio.create_task(sampler(students, box, stop))
    t0 = time.monotonic()
    try:
        await asyncio.gather(*(s.spawn(args.spawn_timeout) for s in students))
        ready = [s for s in students if s.spawn_s is not None]
        lessons = [("course/notebooks/01_neuron.ipynb", None)]
        if not args.no_keras:
            lessons.append(
                ("course/notebooks/07_keras.ipynb", None if args.full else QUICK_PRELUDE)
            )

        async def walk(s):
            for path, prelude in lessons:
                try:
                    await s.run_lesson(path, prelude, args.cell_timeout, args.lesson_timeout)
                except Exception as err:  # noqa: BLE001 - any error is one student's failure
                    s.failures.append(f"{path}: {type(err).__name__}: {err}")
                if s.failures:
                    return

        await asyncio.gather(*(walk(s) for s in ready))
    finally:
        stop.set()
        await watch
        wall = time.monotonic() - t0
        cg_peaks = []
        for s in students:
            try:
                cg_peaks.append(peak_memory(s.dirs))
            except OSError:
                pass
        for s in students:
            try:
                await hub.api("DELETE", f"/hub/api/users/{s.name}/server", ok=(202, 204))
            except RuntimeError as e:
                s.failures.append(f"stop: {e}")
        for _ in range(120):  # bounded: 60 s for every server to stop
            users = await asyncio.gather(
                *(hub.api("GET", f"/hub/api/users/{s.name}") for s in students)
            )
            if not any(u.get("servers") for u in users):
                break
            await asyncio.sleep(0.5)
        for s in students:
            await hub.api("DELETE", f"/hub/api/users/{s.name}", ok=(204,))
    mb = 2**20
    spawn = stats([s.spawn_s for s in students if s.spawn_s is not None])
    out = {"students": n, "wall_s": wall, "spawn_median_s": spawn[0], "spawn_worst_s": spawn[1]}
    for path, _ in lessons:
        key = Path(path).stem[:2]
        med, worst = stats([s.lesson_s[path] for s in students if path in s.lesson_s])
        out[f"lesson{key}_median_s"], out[f"lesson{key}_worst_s"] = med, worst
        out[f"lesson{key}_done"] = sum(path in s.lesson_s for s in students)
    out["peak_rss_mb_median"], out["peak_rss_mb_worst"] = stats([s.peak_rss / mb for s in students])
    out["private_mb_median"], out["private_mb_worst"] = stats([s.peak_anon / mb for s in students])
    out["cgroup_peak_mb_worst"] = max(cg_peaks) / mb if cg_peaks else float("nan")
    out["machine_mb_per_student"] = (box["used"] - baseline) / mb / n
    out["failures"] = [f"{s.name}: {f}" for s in students for f in s.failures]
    return out


def mode07(args) -> str:
    return "at full size" if args.full else "with NNLIB_QUICK=1"


def print_table(rows, args):
    print(
        f"\nhub load test: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB; per student {args.mem_limit} memory, "
        f"{args.cpu_limit} CPU; lesson 01 full, lesson 07 {mode07(args)}"
    )
    print(
        f"| N | spawn median / worst (s) | 01 median / worst (s) | 07 {mode07(args)} median / worst (s) "
        "| private memory per student median / worst (MB) | RSS per student median / worst (MB) "
        "| cgroup peak worst (MB) | machine memory in use / N (MB) | failures |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['students']} | {r['spawn_median_s']:.1f} / {r['spawn_worst_s']:.1f} "
            f"| {r['lesson01_median_s']:.1f} / {r['lesson01_worst_s']:.1f} "
            f"| {r.get('lesson07_median_s', float('nan')):.1f} / "
            f"{r.get('lesson07_worst_s', float('nan')):.1f} "
            f"| {r['private_mb_median']:.0f} / {r['private_mb_worst']:.0f} "
            f"| {r['peak_rss_mb_median']:.0f} / {r['peak_rss_mb_worst']:.0f} "
            f"| {r['cgroup_peak_mb_worst']:.0f} | {r['machine_mb_per_student']:.0f} "
            f"| {len(r['failures'])} |"
        )
    for r in rows:
        for f in r["failures"][:10]:
            print(f"  N={r['students']} failure: {f}")


async def main_async(args):
    with tempfile.TemporaryDirectory(prefix="nnlib-hub-load-") as tmp:
        hub = Hub(Path(tmp), args.mem_limit, args.cpu_limit, args.cull_timeout)
        rows = []
        try:
            await hub.wait_up()
            for n in args.students:
                print(f"N={n}: spawning, then lesson 01 and 07 for every student ...", flush=True)
                rows.append(await one_round(hub, n, args))
                print(json.dumps(rows[-1]), flush=True)
        finally:
            hub.stop()
            if args.keep_log:
                Path(args.keep_log).write_text((hub.state / "hub.log").read_text())
    print_table(rows, args)
    if args.json:
        info = {
            "cores": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30),
            "mem_limit": args.mem_limit,
            "cpu_limit": args.cpu_limit,
            "lessons": f"01 full, then 07 {mode07(args)}",
            "rounds": rows,
        }
        Path(args.json).write_text(json.dumps(info, indent=1) + "\n")
    return 1 if any(r["failures"] for r in rows) else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, nargs="+", default=[3])
    ap.add_argument("--mem-limit", default="2.5G")
    ap.add_argument("--cpu-limit", default="1")
    ap.add_argument("--cull-timeout", type=int, default=3600)
    ap.add_argument("--spawn-timeout", type=float, default=120)
    ap.add_argument("--cell-timeout", type=float, default=300)
    ap.add_argument("--lesson-timeout", type=float, default=600)
    ap.add_argument("--no-keras", action="store_true", help="lesson 01 only")
    ap.add_argument("--full", action="store_true", help="lesson 07 at full size (not quick)")
    ap.add_argument("--json", help="write the numbers to this file")
    ap.add_argument("--keep-log", help="copy the hub's log here")
    args = ap.parse_args(argv)
    if any(n < 1 or n > 60 for n in args.students):
        ap.error(f"--students: each N must be 1..60, got {args.students}")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
