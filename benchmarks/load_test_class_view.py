"""The class view under a class's load: N simulated students post check/hint/solution events.

    flock /tmp/heavy.lock .venv/bin/python benchmarks/load_test_class_view.py \
        --students 300 --per-minute 20 --minutes 5 --json docs/numbers/class_view_load.json

Starts the hub of deploy/jupyterhub/ on 127.0.0.1 as root with the class view on
(``NNLIB_HUB_CLASS_VIEW=on``), creates N students and an API token for each, then for
``--minutes`` every student posts one event every 60 / ``--per-minute`` seconds (their starts
spread over the first interval) to ``NNLIB_CLASS_EVENTS_URL`` with their own token, one event
per request (the worst case: a kernel batches what it records within a second). The events are
a lesson's realistic mix: checks that fail with one of three mistakes, then pass; hints; a few
solutions. Meanwhile:

* a probe student posts a marker check every 5 s, and the instructor's API
  (``api/summary``, what the page polls every 2.5 s) is polled until it counts it: the time
  from the check to the numbers the page shows (add up to 2.5 s for the page's own poll);
* the instructor's page (HTML) and its summary are loaded every 10 s: their times;
* the service's memory (RSS) is sampled every second.

At the end: events sent, answered 200, stored (counted in the service's database), lost
(200 but not stored, and not answered 200), p50/p95 of the probe's latency and of the page
loads, the service's peak RSS. Requests go only to 127.0.0.1; every wait is bounded; the hub,
the servers and the Unix users are removed at the end. Exit status 1 when an event was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from load_test_hub import Hub, free_port  # noqa: E402

LESSON = "02"
EXERCISES = ["02.sigmoid", "02.relu", "02.leaky_relu", "02.softmax", "02.sigmoid_grad"]
MISTAKES = ["lesson02:40", "lesson02:58", "core:220", "error:TypeError"]


def event(i: int, kernel: str, exercise: str, rng: random.Random) -> dict:
    """One realistic event: mostly checks (not yet, then passed), some hints, few solutions."""
    roll = rng.random()
    base = {"v": 1, "exercise": exercise, "t": time.time(), "seq": i, "kernel": kernel}
    if roll < 0.15:
        return {**base, "action": "hint", "outcome": None, "mistake": None, "hint_step": 1 + i % 3}
    if roll < 0.18:
        return {**base, "action": "solution", "outcome": None, "mistake": None, "hint_step": None}
    if roll < 0.70:
        mistake = rng.choice(MISTAKES)
        outcome = "error" if mistake.startswith("error:") else "not_yet"
        return {
            **base,
            "action": "check",
            "outcome": outcome,
            "mistake": mistake,
            "hint_step": None,
        }
    return {**base, "action": "check", "outcome": "passed", "mistake": None, "hint_step": None}


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


class Run:
    def __init__(self, hub: Hub, url: str, args):
        self.hub, self.url, self.args = hub, url, args
        self.http = AsyncHTTPClient(
            force_instance=True, max_clients=args.students + 20, defaults={"request_timeout": 30}
        )
        self.sent = self.ok = 0
        self.errors: dict[str, int] = {}
        self.probe_latency: list[float] = []
        self.page_s: list[float] = []
        self.summary_s: list[float] = []
        self.rss_peak = 0

    async def post(self, token: str, events: list[dict]) -> bool:
        self.sent += len(events)
        req = HTTPRequest(
            self.url,
            method="POST",
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
            body=json.dumps({"events": events}),
        )
        try:
            resp = await self.http.fetch(req, raise_error=False)
        except Exception as err:  # noqa: BLE001 - any failure is counted
            key = type(err).__name__
            self.errors[key] = self.errors.get(key, 0) + len(events)
            return False
        if resp.code == 200:
            self.ok += len(events)
            return True
        key = f"HTTP {resp.code}"
        self.errors[key] = self.errors.get(key, 0) + len(events)
        return False

    async def student(self, token: str, n: int, deadline: float):
        rng = random.Random(n)
        kernel = f"{rng.getrandbits(64):016x}"
        period = 60 / self.args.per_minute
        await asyncio.sleep(rng.random() * period)
        i = 0
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            await self.post(token, [event(i, kernel, EXERCISES[(i // 4) % len(EXERCISES)], rng)])
            i += 1
            await asyncio.sleep(max(0.0, period - (time.monotonic() - t0)))

    async def summary(self, token: str) -> dict:
        resp = await self.http.fetch(
            HTTPRequest(
                f"{self.hub.url}/services/class-view/api/summary?lesson={LESSON}",
                headers={"Authorization": f"token {token}"},
            )
        )
        return json.loads(resp.body)

    async def probe(self, token: str, instructor: str, deadline: float):
        """A marker check every 5 s; the time until the instructor's summary counts it."""
        kernel = "feedfacecafebeef"
        i = 0
        while time.monotonic() < deadline:
            exercise = "02.probe_" + f"{i:04d}"
            t0 = time.monotonic()
            mark = {"v": 1, "exercise": exercise, "action": "check", "outcome": "passed"}
            mark.update(mistake=None, hint_step=None, t=time.time(), seq=i, kernel=kernel)
            if await self.post(token, [mark]):
                while time.monotonic() - t0 < 30:
                    ex = {e["id"]: e for e in (await self.summary(instructor))["exercises"]}
                    if ex.get(exercise, {}).get("passed"):
                        self.probe_latency.append(time.monotonic() - t0)
                        break
                    await asyncio.sleep(0.1)
            i += 1
            await asyncio.sleep(max(0.0, 5 - (time.monotonic() - t0)))

    async def pages(self, instructor: str, deadline: float):
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            resp = await self.http.fetch(
                HTTPRequest(
                    f"{self.hub.url}/services/class-view/?lesson={LESSON}",
                    headers={"Authorization": f"token {instructor}"},
                ),
                raise_error=False,
            )
            if resp.code == 200:
                self.page_s.append(time.monotonic() - t0)
            t1 = time.monotonic()
            await self.summary(instructor)
            self.summary_s.append(time.monotonic() - t1)
            await asyncio.sleep(10)

    async def memory(self, deadline: float):
        proc = None
        while time.monotonic() < deadline:
            if proc is None:
                for p in psutil.process_iter(["cmdline"]):
                    cmd = " ".join(p.info["cmdline"] or [])
                    if "class_view.py" in cmd and "serve" in cmd:
                        proc = p
            try:
                if proc:
                    self.rss_peak = max(self.rss_peak, proc.memory_info().rss)
            except psutil.Error:
                proc = None
            await asyncio.sleep(1)


async def main_async(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="nnlib-class-view-load-") as tmp:
        view_port = free_port()
        env = {"NNLIB_HUB_CLASS_VIEW": "on", "NNLIB_HUB_CLASS_VIEW_PORT": str(view_port)}
        hub = Hub(Path(tmp), "1G", "1", 3600, env=env)
        try:
            await hub.wait_up()
            for _ in range(60):  # the service starts with the hub: wait until it answers
                try:
                    await hub.api("GET", "/services/class-view/api/health")
                    break
                except RuntimeError:
                    await asyncio.sleep(0.5)
            names = [f"s{i:03d}" for i in range(args.students)] + ["probe"]
            for i in range(0, len(names), 100):
                await hub.api("POST", "/hub/api/users", {"usernames": names[i : i + 100]})

            async def token(name):
                body = {"note": "load test", "expires_in": 3600}
                return (await hub.api("POST", f"/hub/api/users/{name}/tokens", body))["token"]

            tokens = [await token(n) for n in names]
            instructor = await token("instructor")
            url = f"http://127.0.0.1:{view_port}/services/class-view/api/events"
            run = Run(hub, url, args)
            deadline = time.monotonic() + args.minutes * 60
            t0 = time.monotonic()
            await asyncio.gather(
                *(run.student(tok, i, deadline) for i, tok in enumerate(tokens[:-1])),
                run.probe(tokens[-1], instructor, deadline),
                run.pages(instructor, deadline),
                run.memory(deadline),
            )
            wall = time.monotonic() - t0
            await asyncio.sleep(1)
            db = hub.state / "class-view" / "events.sqlite"
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                stored = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        finally:
            hub.stop()
    return {
        "students": args.students,
        "per_minute": args.per_minute,
        "minutes": args.minutes,
        "wall_s": round(wall, 1),
        "events_sent": run.sent,
        "events_answered_200": run.ok,
        "events_stored": stored,
        "events_lost": run.sent - stored,
        "errors": run.errors,
        "events_per_s": round(run.sent / wall, 1),
        "check_to_summary_p50_s": round(pct(run.probe_latency, 50), 3),
        "check_to_summary_p95_s": round(pct(run.probe_latency, 95), 3),
        "probes": len(run.probe_latency),
        "page_load_p50_s": round(pct(run.page_s, 50), 3),
        "page_load_p95_s": round(pct(run.page_s, 95), 3),
        "summary_p50_s": round(pct(run.summary_s, 50), 3),
        "summary_p95_s": round(pct(run.summary_s, 95), 3),
        "service_rss_peak_mb": round(run.rss_peak / 2**20, 1),
        "cores": psutil.cpu_count(),
        "load_average_end": [round(x, 1) for x in psutil.getloadavg()],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--per-minute", type=float, default=20)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--json", help="write the numbers to this file")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= 1000 or not 0 < args.minutes <= 30:
        ap.error("--students 1..1000 and --minutes up to 30")
    out = asyncio.run(main_async(args))
    print(json.dumps(out, indent=1))
    print(
        f"\n{out['students']} students x {out['per_minute']:g} events/min for "
        f"{out['minutes']:g} min: {out['events_sent']} sent, {out['events_stored']} stored, "
        f"{out['events_lost']} lost; check -> summary p95 {out['check_to_summary_p95_s']} s "
        f"(+ the page's 2.5 s poll); page p95 {out['page_load_p95_s']} s; service RSS "
        f"{out['service_rss_peak_mb']} MB"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    return 1 if out["events_lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
