"""See the class learn: a JupyterHub service that collects the students' check/hint/solution
events and an instructors' page that shows, live, how each exercise of a lesson is going.

One self-contained file (the standard library, tornado and jupyterhub; nnlib's source is read
when it can be found, never imported), so that a Zero to JupyterHub hub pod can mount it with
``hub.extraFiles`` (deploy/classview/README.md). Off unless the class configuration turns it on
(``NNLIB_HUB_CLASS_VIEW=on`` in deploy/jupyterhub/jupyterhub_config.py):

* ``POST {prefix}api/events`` - a student's kernel sends ``{"events": [EVENT, ...]}`` with its
  server's token; every field is checked strictly against the schema below (anything else is
  a 400 with a message saying what is wrong), so events never carry code or values. The
  student is the token's owner (asked of the hub once, then cached), never a name in the body.
* ``GET {prefix}`` - the instructors' page (admins and the group ``instructors``): per exercise of
  a lesson, how many students attempted and passed, the median tries and minutes to pass, the
  commonest mistakes with their message, hints and solutions used; live, without names (safe
  for the projector). ``GET {prefix}names?exercise=ID``: who has not passed yet (names).
* ``GET {prefix}api/summary?lesson=NN`` - the page's numbers as JSON (polled every 2.5 s).

Stored per event: the student's hub name, the exercise, the action, the outcome, a mistake key
(where in nnlib the check said "not yet", or an exception's type name), the hint step, the
kernel's time and a random per-kernel id and counter, and the time the service received it.
Events older than the retention (``NNLIB_CLASS_VIEW_DAYS``, 120) are deleted at start and every
hour. The command line, for the end of term::

    python class_view.py export --db FILE [--csv OUT] [--names]   # pseudonyms unless --names
    python class_view.py delete --db FILE (--before YYYY-MM-DD | --all)

EVENT (version 1), exactly these keys::

    {"v": 1, "exercise": "02.sigmoid_grad", "action": "check" | "hint" | "solution",
     "outcome": "passed" | "not_yet" | "not_attempted" | "error" | "time_limit" | null,
     "mistake": "lesson02:118" | "error:TypeError" | null, "hint_step": int | null,
     "t": float, "seq": int, "kernel": "16 lowercase hex characters"}

``outcome`` is set for "check" only; ``mistake`` only with the outcome "not_yet" (``lessonNN``,
``core`` or ``init`` and the line of the ``not_yet(...)`` call in nnlib/exercises/) or "error"
(``error:<ExceptionType>``); ``hint_step`` (1-based) for "hint" only.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import csv
import datetime as dt
import hashlib
import hmac
import html
import importlib.util
import json
import logging
import math
import os
import re
import secrets
import signal
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlparse

from jupyterhub.services.auth import (
    HubAuth,
    HubOAuth,
    HubOAuthCallbackHandler,
    HubOAuthenticated,
    UserNotAllowed,
)
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.ioloop import PeriodicCallback

SERVICE = "class-view"
PREFIX = f"/services/{SERVICE}/"
LESSONS = [f"{n:02d}" for n in range(14)]  # the course's lessons 00-13
log = logging.getLogger(SERVICE)

# ------------------------------------------------------------------ the schema, checked strictly

SCHEMA_VERSION = 1
MAX_EVENTS = 100
MAX_BODY = 64 * 1024
EVENT_KEYS = ("v", "exercise", "action", "outcome", "mistake", "hint_step", "t", "seq", "kernel")
ACTIONS = ("check", "hint", "solution")
OUTCOMES = ("passed", "not_yet", "not_attempted", "error", "time_limit")
ATTEMPTS = ("passed", "not_yet", "error", "time_limit")  # a check of an answer: a try
EXERCISE_RE = re.compile(r"[0-9]{2}\.[a-z0-9_]{1,40}")
CALL_SITE_RE = re.compile(r"(lesson[0-9]{2}|core|init):([0-9]{1,5})")
ERROR_RE = re.compile(r"error:([A-Za-z_][A-Za-z0-9_]{0,60})")
KERNEL_RE = re.compile(r"[0-9a-f]{16}")
MAX_HINT_STEP = 99
MAX_T = 1e11  # seconds since 1970: the year 5138


class BadRequest(ValueError):
    """An event or a body that does not follow the schema; the message says what is wrong."""


def _shown(value) -> str:
    """A short, safe description of a value in an error message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "a list" if isinstance(value, list) else "an object"
    )


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise BadRequest(f"a JSON object has the key(s) {dup} twice")
    return dict(pairs)


def _no_constants(name):
    raise BadRequest(f"{name} is not a number JSON allows")


def parse_events(raw: bytes) -> list[dict]:
    """The events of a request body, each checked against the schema; BadRequest otherwise."""
    if len(raw) > MAX_BODY:
        raise BadRequest(f"the body has {len(raw)} bytes; at most {MAX_BODY} (64 KB) are taken")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest("the body is not UTF-8 text") from err
    try:
        body = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except BadRequest:
        raise
    except (ValueError, RecursionError) as err:
        raise BadRequest(f"the body is not JSON ({err})") from err
    if not isinstance(body, dict):
        raise BadRequest(f'the body must be a JSON object {{"events": [...]}}, got {_kind(body)}')
    unknown = sorted(set(body) - {"events"})
    if unknown:
        raise BadRequest(
            f"unknown key(s) {unknown} in the body: it has exactly one key, 'events' (the "
            "student is the owner of the token, never a name in the body)"
        )
    events = body.get("events")
    if not isinstance(events, list):
        raise BadRequest(f"'events' must be a list of events, got {_kind(events)}")
    if not 1 <= len(events) <= MAX_EVENTS:
        raise BadRequest(f"'events' has {len(events)} events; 1 to {MAX_EVENTS} are taken")
    return [check_event(event, i) for i, event in enumerate(events)]


def _int(value) -> bool:
    return type(value) is int  # not bool, not float


def check_event(event, i: int = 0) -> dict:
    """One event, checked against the schema (version 1); the same dict, or BadRequest."""
    where = f"event {i}"
    if not isinstance(event, dict):
        raise BadRequest(f"{where}: an event is a JSON object, got {_kind(event)}")
    unknown = sorted(set(event) - set(EVENT_KEYS))
    if unknown:
        raise BadRequest(
            f"{where}: unknown key(s) {unknown}; an event has exactly the keys {list(EVENT_KEYS)}"
        )
    missing = [k for k in EVENT_KEYS if k not in event]
    if missing:
        raise BadRequest(f"{where}: missing key(s) {missing}")
    v, exercise, action = event["v"], event["exercise"], event["action"]
    outcome, mistake, step = event["outcome"], event["mistake"], event["hint_step"]
    if not (_int(v) and v == SCHEMA_VERSION):
        raise BadRequest(
            f"{where}: 'v' must be {SCHEMA_VERSION} (the schema's version), got {_shown(v)}"
        )
    if not (isinstance(exercise, str) and EXERCISE_RE.fullmatch(exercise)):
        raise BadRequest(
            f"{where}: 'exercise' must be an exercise id like \"02.sigmoid_grad\" "
            f"(^[0-9]{{2}}\\.[a-z0-9_]{{1,40}}$), got {_shown(exercise)}"
        )
    if action not in ACTIONS or not isinstance(action, str):
        raise BadRequest(f"{where}: 'action' must be one of {list(ACTIONS)}, got {_shown(action)}")
    if action == "check":
        if outcome not in OUTCOMES or not isinstance(outcome, str):
            raise BadRequest(
                f"{where}: 'outcome' of a check must be one of {list(OUTCOMES)}, got "
                f"{_shown(outcome)}"
            )
    elif outcome is not None:
        raise BadRequest(f"{where}: 'outcome' is for a check only; a {action} has null")
    if mistake is not None:
        if outcome == "not_yet":
            if not (isinstance(mistake, str) and CALL_SITE_RE.fullmatch(mistake)):
                raise BadRequest(
                    f"{where}: 'mistake' of a not_yet must be the call site of not_yet(...) "
                    f'in nnlib/exercises/, like "lesson02:118" or "core:220", got '
                    f"{_shown(mistake)}"
                )
        elif outcome == "error":
            if not (isinstance(mistake, str) and ERROR_RE.fullmatch(mistake)):
                raise BadRequest(
                    f"{where}: 'mistake' of an error must be \"error:<ExceptionType>\", like "
                    f'"error:TypeError", got {_shown(mistake)}'
                )
        else:
            raise BadRequest(
                f"{where}: 'mistake' is for the outcomes not_yet and error only; this event "
                f"has outcome {_shown(outcome)}, so null"
            )
    if action == "hint":
        if not (_int(step) and 1 <= step <= MAX_HINT_STEP):
            raise BadRequest(
                f"{where}: 'hint_step' of a hint must be a whole number 1 to {MAX_HINT_STEP}, "
                f"got {_shown(step)}"
            )
    elif step is not None:
        raise BadRequest(f"{where}: 'hint_step' is for a hint only; a {action} has null")
    t = event["t"]
    if not (type(t) in (int, float) and math.isfinite(t) and 0 < t < MAX_T):
        raise BadRequest(
            f"{where}: 't' must be the kernel's time in seconds since 1970, got {_shown(t)}"
        )
    seq = event["seq"]
    if not (_int(seq) and 0 <= seq < 2**53):
        raise BadRequest(f"{where}: 'seq' must be a whole number >= 0, got {_shown(seq)}")
    kernel = event["kernel"]
    if not (isinstance(kernel, str) and KERNEL_RE.fullmatch(kernel)):
        raise BadRequest(
            f"{where}: 'kernel' must be 16 lowercase hex characters (random per kernel), "
            f"got {_shown(kernel)}"
        )
    return event


# ------------------------------------------------------------------ the store (SQLite)

TABLES = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL,
    exercise TEXT NOT NULL,
    lesson TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT,
    mistake TEXT,
    hint_step INTEGER,
    t REAL NOT NULL,
    received REAL NOT NULL,
    seq INTEGER NOT NULL,
    kernel TEXT NOT NULL,
    UNIQUE (student, kernel, seq)
);
CREATE INDEX IF NOT EXISTS events_by_lesson ON events (lesson, exercise);
CREATE INDEX IF NOT EXISTS events_by_received ON events (received);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
COLUMNS = "student, exercise, action, outcome, mistake, hint_step, t, received, seq, kernel"


class Store:
    """The events in one SQLite file (WAL), used from one thread. ``clock`` gives the time the
    service received an event (retention and durations use it; the kernel's ``t`` is kept)."""

    def __init__(self, path, retention_days: float = 120, clock=time.time, create=True):
        path = Path(path)
        if not path.exists():
            if not create:
                raise FileNotFoundError(f"no class-view database at {path}")
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)  # readable by its owner only
            os.close(fd)
        self.path, self.retention_days, self.clock = path, retention_days, clock
        self.db = sqlite3.connect(path, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(TABLES)

    def close(self):
        self.db.close()

    def add(self, student: str, events: list[dict]) -> int:
        """Store checked events of ``student`` in one transaction; the same event sent twice
        (same kernel and seq) is stored once. Returns the number of events in the request."""
        received = self.clock()
        rows = [
            (
                student,
                e["exercise"],
                e["exercise"][:2],
                e["action"],
                e["outcome"],
                e["mistake"],
                e["hint_step"],
                float(e["t"]),
                received,
                e["seq"],
                e["kernel"],
            )
            for e in events
        ]
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO events (student, exercise, lesson, action, outcome, "
                "mistake, hint_step, t, received, seq, kernel) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
        return len(rows)

    def purge(self) -> int:
        """Delete the events received longer ago than the retention; how many."""
        cutoff = self.clock() - self.retention_days * 86400
        with self.db:
            n = self.db.execute("DELETE FROM events WHERE received < ?", (cutoff,)).rowcount
        if n:
            log.info("retention: deleted %d events older than %g days", n, self.retention_days)
        return n

    def delete_before(self, when: float) -> int:
        with self.db:
            return self.db.execute("DELETE FROM events WHERE received < ?", (when,)).rowcount

    def delete_all(self) -> int:
        with self.db:
            n = self.db.execute("DELETE FROM events").rowcount
            self.db.execute("DELETE FROM meta WHERE key = 'salt'")  # new term, new pseudonyms
        self.db.execute("VACUUM")
        return n

    def rows(self, lesson: str | None = None, exercise: str | None = None) -> list[tuple]:
        where, args = [], []
        if lesson is not None:
            where.append("lesson = ?")
            args.append(lesson)
        if exercise is not None:
            where.append("exercise = ?")
            args.append(exercise)
        sql = f"SELECT {COLUMNS} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY student, exercise, received, t, seq"
        return self.db.execute(sql, args).fetchall()

    def lessons(self) -> dict[str, int]:
        """Students seen per lesson."""
        q = "SELECT lesson, COUNT(DISTINCT student) FROM events GROUP BY lesson"
        return dict(self.db.execute(q).fetchall())

    def latest_lesson(self) -> str | None:
        row = self.db.execute("SELECT lesson FROM events ORDER BY received DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def salt(self) -> bytes:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        if row:
            return bytes.fromhex(row[0])
        salt = secrets.token_bytes(16)
        with self.db:
            self.db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", (salt.hex(),))
        return salt

    def pseudonym(self, name: str, salt: bytes | None = None) -> str:
        """A stable pseudonym: the same name gives the same one in every export of this
        database (a keyed hash: without the database, it cannot be turned back into a name)."""
        digest = hmac.new(salt or self.salt(), name.encode("utf-8"), hashlib.sha256)
        return "student-" + digest.hexdigest()[:10]

    def export(self, out, names: bool = False) -> int:
        salt = self.salt()
        writer = csv.writer(out)
        writer.writerow(
            [
                "student",
                "exercise",
                "action",
                "outcome",
                "mistake",
                "hint_step",
                "t_utc",
                "received_utc",
                "seq",
                "kernel",
            ]
        )
        n = 0
        q = f"SELECT {COLUMNS} FROM events ORDER BY received, student, seq"
        for student, ex, action, outcome, mistake, step, t, rec, seq, kernel in self.db.execute(q):
            who = student if names else self.pseudonym(student, salt)
            writer.writerow(
                [who, ex, action, outcome or "", mistake or "", "" if step is None else step]
                + [_iso(t), _iso(rec), seq, kernel]
            )
            n += 1
        return n


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------ what the numbers are


def _median(values):
    return statistics.median(values) if values else None


def summarize(rows, exercises: list[tuple[str, str]] = (), messages=None) -> list[dict]:
    """Per exercise, from its events (rows of ``Store.rows``): students who attempted (checked
    an answer: passed, not_yet, error or time_limit) and passed, the median tries up to the
    first pass and minutes from the first try to it (the service's receive times), the three
    commonest mistakes, hints (students, and student-steps seen) and solutions (students).
    ``exercises``: (id, title) known from nnlib, shown even without events, in course order."""
    messages = messages or (lambda key: key)
    by_ex: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_ex[row[1]][row[0]].append(row)
    titles = dict(exercises)
    order = [ex for ex, _ in exercises] + sorted(set(by_ex) - set(titles))
    out = []
    for ex in order:
        attempted = passed = 0
        tries, minutes = [], []
        hint_students, hint_steps, max_step, solution_students = 0, 0, 0, 0
        mistake_students: dict[str, set] = defaultdict(set)
        mistake_times: dict[str, int] = defaultdict(int)
        for student, events in by_ex.get(ex, {}).items():
            first = None
            n_tries = 0
            done = False
            steps = set()
            solution = False
            for _, _, action, outcome, mistake, step, _, received, _, _ in events:
                if action == "hint":
                    steps.add(step)
                elif action == "solution":
                    solution = True
                elif outcome in ATTEMPTS:
                    if first is None:
                        first = received
                    if not done:
                        n_tries += 1
                        if outcome == "passed":
                            done = True
                            tries.append(n_tries)
                            minutes.append((received - first) / 60)
                    if outcome != "passed":
                        key = mistake or {"not_yet": "not_yet", "error": "error"}.get(
                            outcome, outcome
                        )
                        mistake_students[key].add(student)
                        mistake_times[key] += 1
            attempted += first is not None
            passed += done
            if steps:
                hint_students += 1
                hint_steps += len(steps)
                max_step = max(max_step, max(steps))
            solution_students += solution
        top = sorted(
            mistake_students, key=lambda k: (-len(mistake_students[k]), -mistake_times[k], k)
        )
        out.append(
            {
                "id": ex,
                "title": titles.get(ex, ""),
                "students": len(by_ex.get(ex, {})),
                "attempted": attempted,
                "passed": passed,
                "not_passed": attempted - passed,
                "median_tries": _median(tries),
                "median_minutes": None if not minutes else round(_median(minutes), 1),
                "mistakes": [
                    {
                        "key": k,
                        "message": messages(k),
                        "students": len(mistake_students[k]),
                        "times": mistake_times[k],
                    }
                    for k in top[:3]
                ],
                "hint_students": hint_students,
                "hint_steps": hint_steps,
                "hint_max_step": max_step,
                "solution_students": solution_students,
            }
        )
    return out


def not_passed(rows, exercise: str) -> list[dict]:
    """The students who attempted ``exercise`` and have not passed it: name, tries, last
    outcome and mistake key, and when (service time) they last tried."""
    per: dict[str, dict] = {}
    for student, ex, action, outcome, mistake, _, _, received, _, _ in rows:
        if ex != exercise or action != "check" or outcome not in ATTEMPTS:
            continue
        s = per.setdefault(student, {"name": student, "tries": 0, "passed": False})
        s["tries"] += 1
        s["passed"] |= outcome == "passed"
        s.update(last_outcome=outcome, last_mistake=mistake, last_received=received)
    return sorted((s for s in per.values() if not s["passed"]), key=lambda s: s["name"])


# ------------------------------------------------------------------ nnlib's own words


def nnlib_dir() -> Path | None:
    """nnlib's package folder: NNLIB_CLASS_VIEW_NNLIB (the copy the students run), else where
    ``find_spec`` finds it (found, not imported); None when there is none (a hub pod)."""
    configured = os.environ.get("NNLIB_CLASS_VIEW_NNLIB")
    if configured:
        return Path(configured) if Path(configured, "exercises").is_dir() else None
    try:
        spec = importlib.util.find_spec("nnlib")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder if (folder / "exercises").is_dir() else None


def _module_file(folder: Path, module: str) -> Path:
    return folder / "exercises" / ("__init__.py" if module == "init" else f"{module}.py")


_parsed: dict[Path, tuple[float, ast.Module | None]] = {}


def _parse(path: Path) -> ast.Module | None:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _parsed.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError, ValueError):
        tree = None
    _parsed[path] = (mtime, tree)
    return tree


def _literal(node) -> str | None:
    """The text of a string or f-string literal, ``{...}`` shown as "…"; None for any other
    expression (a message built at run time)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            else:
                parts.append("…")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def call_site_message(key: str, folder: Path | None = None) -> str | None:
    """The message of the ``not_yet(...)`` call, or of the ``Mistake(name, wrong, message)``
    entry, at ``key`` ("lesson02:118"): the literal of its message, placeholders (``{got}``,
    ``{problem}``, an f-string's ``{...}``) as "…"; None when nnlib or the call cannot be found."""
    m = CALL_SITE_RE.fullmatch(key)
    if not m or folder is None:
        return None
    tree = _parse(_module_file(folder, m.group(1)))
    if tree is None:
        return None
    line = int(m.group(2))
    best, best_span = None, 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _message_arg(node) is None:
            continue
        if not node.lineno <= line <= (node.end_lineno or node.lineno):
            continue
        span = (node.end_lineno or node.lineno) - node.lineno
        if best is None or (node.lineno != line, span) < (best.lineno != line, best_span):
            best, best_span = node, span
    if best is None:
        return None
    text = _literal(_message_arg(best))
    if text is None:
        return "(a message built when the check runs)"
    return text.replace("{got}", "…").replace("{problem}", "…")


def _message_arg(node):
    """The message argument of a ``not_yet(message)`` or ``Mistake(name, wrong, message)`` call,
    else None."""
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    position = {"not_yet": 0, "Mistake": 2}.get(name)
    if position is None:
        return None
    if len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == "message"), None)


def mistake_text(key: str, folder: Path | None = None) -> str:
    """What a mistake key means, for the page: nnlib's message, else the key itself."""
    if key == "time_limit":
        return "the function did not return within the exercise's time limit"
    if key == "not_yet":
        return "not yet (the place in nnlib was not sent)"
    if key == "error":
        return "the check raised an error"
    m = ERROR_RE.fullmatch(key)
    if m:
        return f"the learner's code raised {m.group(1)}"
    return call_site_message(key, folder) or key


_catalogues: dict[Path, tuple[float, dict]] = {}


def catalogue(folder: Path | None) -> dict[str, dict]:
    """The course's lessons from nnlib's source: {"02": {"title": ..., "exercises": [(id,
    title), ...]}}; empty without nnlib. Read again after a minute (a new course version)."""
    out: dict[str, dict] = {}
    if folder is None:
        return out
    cached = _catalogues.get(folder)
    if cached and time.monotonic() - cached[0] < 60:
        return cached[1]
    _catalogues[folder] = (time.monotonic(), out)
    for path in sorted((folder / "exercises").glob("lesson[0-9][0-9].py")):
        tree = _parse(path)
        if tree is None:
            continue
        lesson = path.stem[-2:]
        doc = ast.get_docstring(tree) or ""
        m = re.match(r"Lesson \d\d \(([^)]*)\)", doc)
        exercises = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Exercise":
                kw = {k.arg: k.value for k in node.keywords}
                ex, title = _literal(kw.get("id")), _literal(kw.get("title"))
                if ex and EXERCISE_RE.fullmatch(ex):
                    exercises.append((node.lineno, ex, title or ""))
        out[lesson] = {
            "title": m.group(1) if m else "",
            "exercises": [(ex, title) for _, ex, title in sorted(exercises)],
        }
    return out


# ------------------------------------------------------------------ the page (HTML, CSS, JS)

COLOURS = {  # Okabe-Ito, each with a pattern of its own and a text label
    "attempted": "#0072B2",
    "passed": "#009E73",
    "hint": "#E69F00",
    "solution": "#CC79A7",
}
CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 20px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #000; background: #fff; margin: 0 auto; padding: 0 1.5rem 3rem; max-width: 120rem; }
h1 { font-size: 2.1rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.6rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1.4rem; margin: 0 0 .5rem; }
h4 { font-size: 1.15rem; margin: .75rem 0 .25rem; }
a { color: #004f9e; text-decoration-thickness: 2px; text-underline-offset: 3px; }
a:focus-visible { outline: 4px solid #000; outline-offset: 3px; background: #ffe680; }
code { font-size: .9em; background: #eee; padding: 0 .2em; border-radius: .2em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
           white-space: nowrap; }
.status { font-size: 1.1rem; }
.stale { color: #9a3900; font-weight: bold; }
.note { border-left: 6px solid #D55E00; padding: .25rem .75rem; background: #fff4ec; }
nav ul { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap;
         gap: .4rem; }
nav a { display: inline-block; min-width: 4.2em; padding: .3em .6em; border: 2px solid #000;
        border-radius: .4em; text-align: center; text-decoration: none; color: #000; }
nav a[aria-current="page"] { background: #000; color: #fff; }
nav .seen { display: block; font-size: .8em; }
.cards { display: grid; gap: 1.25rem;
         grid-template-columns: repeat(auto-fill, minmax(min(100%, 34rem), 1fr)); }
.card { border: 3px solid #000; border-radius: .6rem; padding: .75rem 1rem; }
.card .title { font-weight: normal; }
.chart { display: grid; grid-template-columns: max-content 1fr max-content;
         gap: .35rem .6rem; align-items: center; margin: .25rem 0 .5rem; }
.bar { display: block; height: 1.5em; border: 2px solid #000; background: #fff; }
.fill { display: block; height: 100%; border-right: 2px solid #000; }
.fill.w0 { border-right: 0; }
.fill.attempted { background: repeating-linear-gradient(45deg, transparent 0 6px,
                  rgba(255,255,255,.6) 6px 10px), #0072B2; }
.fill.passed { background: radial-gradient(circle, rgba(255,255,255,.75) 2.5px, transparent 3px)
               0 0 / 10px 10px, #009E73; }
.fill.hint { background: repeating-linear-gradient(0deg, transparent 0 5px,
             rgba(0,0,0,.45) 5px 7px), #E69F00; }
.fill.solution { background: repeating-linear-gradient(90deg, transparent 0 5px,
                 rgba(255,255,255,.7) 5px 8px), #CC79A7; }
.key { font-weight: bold; }
.key::before { display: inline-block; width: 1.1em; }
.key.attempted::before { content: "◆"; color: #0072B2; }
.key.passed::before { content: "✔"; color: #007a59; }
.key.hint::before { content: "▲"; color: #9a6600; }
.key.solution::before { content: "■"; color: #a8487f; }
table.facts { border-collapse: collapse; width: 100%; }
table.facts th, table.facts td { text-align: left; padding: .15rem .4rem;
                                 border-bottom: 1px solid #666; }
table.facts td { font-variant-numeric: tabular-nums; font-weight: bold; }
ol.mistakes { margin: .25rem 0; padding-left: 1.6rem; }
ol.mistakes li { margin-bottom: .35rem; }
.count { font-weight: bold; }
table.names { border-collapse: collapse; }
table.names th, table.names td { text-align: left; padding: .25rem .75rem;
                                 border-bottom: 1px solid #666; }
@media (forced-colors: active) {
  .fill { forced-color-adjust: none; background: CanvasText; }
  .bar { border-color: CanvasText; }
}
""" + "".join(f".w{i} {{ width: {i}%; }}" for i in range(101))

JS = r"""
(() => {
  const live = document.getElementById('live');
  const updated = document.getElementById('updated');
  const news = document.getElementById('news');
  const active = document.getElementById('active');
  const xsrf = document.querySelector('meta[name="xsrf-token"]').content;
  const every = Number(live.dataset.every) || 2500;
  let previous = new Map(JSON.parse(document.getElementById('numbers').textContent)
    .map(e => [e.id, e]));
  let lastOk = new Date();
  const hms = d => d.toLocaleTimeString('en-GB', {hour12: false});
  function apply(data) {
    const focused = document.activeElement && document.activeElement.id;
    const want = data.exercises.map(e => e.id).join('|');
    const have = [...live.querySelectorAll('[data-exercise]')]
      .map(s => s.dataset.exercise).join('|');
    if (want !== have) {
      live.innerHTML = data.html;
    } else {
      for (const e of data.exercises) {
        const card = live.querySelector(`[data-exercise="${CSS.escape(e.id)}"]`);
        if (card && card.dataset.digest !== e.digest) card.outerHTML = e.html;
      }
    }
    if (focused && document.activeElement.id !== focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    active.textContent = data.active_text;
    const changes = [];
    for (const e of data.exercises) {
      const p = previous.get(e.id);
      if (p && (p.passed !== e.passed || p.attempted !== e.attempted)) {
        changes.push(`${e.id}: ${e.passed} of ${e.attempted} passed`);
      }
    }
    if (changes.length) news.textContent = 'Changed: ' + changes.join('; ') + '.';
    previous = new Map(data.exercises.map(e => [e.id, e]));
  }
  async function poll() {
    try {
      const r = await fetch(live.dataset.api, {
        headers: {'X-XSRFToken': xsrf, 'Accept': 'application/json'},
        credentials: 'same-origin', cache: 'no-store'});
      if (r.status === 403) throw new Error('your login has expired: reload the page');
      if (!r.ok) throw new Error(`the service answered ${r.status}`);
      apply(await r.json());
      lastOk = new Date();
      updated.textContent = `updated ${hms(lastOk)}`;
      updated.classList.remove('stale');
    } catch (err) {
      updated.textContent = `NOT updated since ${hms(lastOk)}: ${err.message}`;
      updated.classList.add('stale');
    } finally {
      setTimeout(poll, document.hidden ? 4 * every : every);
    }
  }
  updated.textContent = `updated ${hms(lastOk)}`;
  setTimeout(poll, every);
})();
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _width(count: int, total: int) -> int:
    return 0 if total <= 0 else max(0, min(100, round(100 * count / total)))


def _num(value) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


def card_html(ex: dict, total: int, prefix: str = PREFIX) -> tuple[str, str]:
    """One exercise: bars (colour, pattern and label) with a text alternative, its numbers in
    a table, the commonest mistakes with nnlib's message, a link to the names."""
    eid = ex["id"]
    bars = [
        ("attempted", "attempted", ex["attempted"]),
        ("passed", "passed", ex["passed"]),
        ("hint", "asked for a hint", ex["hint_students"]),
        ("solution", "saw the solution", ex["solution_students"]),
    ]
    alt = f"{eid}, out of {_n(total, 'student')} active in this lesson: " + ", ".join(
        f"{count} {label}" for _, label, count in bars
    )
    rows = "".join(
        f'<span class="key {cls}">{_e(label)}</span>'
        f'<span class="bar"><span class="fill {cls} w{_width(count, total)}"></span></span>'
        f"<span>{count} of {total}</span>"
        for cls, label, count in bars
    )
    hints = f"{_n(ex['hint_students'], 'student')}, {_n(ex['hint_steps'], 'step')}" + (
        f" (up to step {ex['hint_max_step']})" if ex["hint_max_step"] else ""
    )
    facts = [
        ("attempted", "attempted", ex["attempted"]),
        ("passed", "passed", ex["passed"]),
        ("not_passed", "attempted, not passed yet", ex["not_passed"]),
        ("median_tries", "median tries to pass", _num(ex["median_tries"])),
        ("median_minutes", "median minutes, first try to pass", _num(ex["median_minutes"])),
        ("hints", "hints", hints),
        ("solutions", "solution shown to", _n(ex["solution_students"], "student")),
    ]
    table = "".join(
        f'<tr><th scope="row">{_e(label)}</th><td data-stat="{key}">{_e(value)}</td></tr>'
        for key, label, value in facts
    )
    if ex["mistakes"]:
        items = "".join(
            f'<li><span class="count">{_n(m["students"], "student")} ({m["times"]}×)</span>: '
            f"“{_e(m['message'])}” <code>{_e(m['key'])}</code></li>"
            for m in ex["mistakes"]
        )
        mistakes = f'<ol class="mistakes">{items}</ol>'
    else:
        mistakes = "<p>None so far.</p>"
    title = f' <span class="title">{_e(ex["title"])}</span>' if ex["title"] else ""
    body = (
        f'<h3 id="h-{_e(eid)}">{_e(eid)}{title}</h3>'
        f'<div class="chart" role="img" aria-label="{_e(alt)}">{rows}</div>'
        f'<table class="facts"><caption class="sr-only">{_e(eid)} in numbers</caption>'
        f"{table}</table>"
        f"<h4>Commonest mistakes</h4>{mistakes}"
        f'<p><a id="names-{_e(eid)}" href="{_e(prefix)}names?exercise={quote(eid)}">'
        "who has not passed yet (names)</a> <small>a page with names: not for the "
        "projector</small></p>"
    )
    digest = hashlib.sha1(body.encode("utf-8")).hexdigest()[:12]
    card = (
        f'<section class="card" data-exercise="{_e(eid)}" data-digest="{digest}" '
        f'aria-labelledby="h-{_e(eid)}">{body}</section>'
    )
    return card, digest


def lesson_view(store: Store, lesson: str, folder: Path | None, prefix: str = PREFIX) -> dict:
    """The numbers of one lesson and their HTML: the page's first render and the API's JSON."""
    known = catalogue(folder).get(lesson, {})
    rows = store.rows(lesson=lesson)
    exercises = summarize(rows, known.get("exercises", []), lambda key: mistake_text(key, folder))
    total = len({r[0] for r in rows})
    cards = []
    for ex in exercises:
        card, digest = card_html(ex, total, prefix)
        cards.append({**ex, "html": card, "digest": digest})
    if cards:
        content = '<div class="cards">' + "".join(c["html"] for c in cards) + "</div>"
    else:
        content = (
            f"<p>No events for lesson {_e(lesson)} yet. They arrive when students run "
            "<code>check()</code>, <code>hint()</code> or <code>solution()</code>.</p>"
        )
    return {
        "lesson": lesson,
        "title": known.get("title", ""),
        "students": total,
        "active_text": f"{_n(total, 'student')} active in lesson {lesson}.",
        "exercises": cards,
        "html": content,
        "server_time": time.time(),
    }


def page(title: str, body: str, nonce: str, xsrf: str = "", script: str = "") -> str:
    script_tag = f'<script nonce="{nonce}">{script}</script>' if script else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="xsrf-token" content="{_e(xsrf)}">'
        f'<title>{_e(title)}</title><style nonce="{nonce}">{CSS}</style></head>'
        f"<body>{body}{script_tag}</body></html>"
    )


def lesson_nav(store: Store, current: str, prefix: str = PREFIX) -> str:
    seen = store.lessons()
    items = []
    for lesson in sorted(set(LESSONS) | set(seen)):
        n = seen.get(lesson, 0)
        here = ' aria-current="page"' if lesson == current else ""
        items.append(
            f'<li><a href="{_e(prefix)}?lesson={lesson}"{here}>{lesson}'
            f'<span class="seen">{_n(n, "student")}</span></a></li>'
        )
    return f'<nav aria-label="Lessons"><ul>{"".join(items)}</ul></nav>'


# ------------------------------------------------------------------ the web service


class TokenOwners:
    """Who owns a token, asked of the hub (``HubAuth.user_for_token``, which caches answers,
    also "no one", for ``cache_max_age``); lookups of the same token at the same time share
    one request. So an event costs no hub request once its token is known."""

    def __init__(self, hub_auth):
        self.hub_auth = hub_auth
        self.pending: dict[str, asyncio.Future] = {}

    async def owner(self, token: str) -> dict | None:
        key = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        if key in self.pending:
            return await asyncio.shield(self.pending[key])
        future = asyncio.ensure_future(self.hub_auth.user_for_token(token, sync=False))
        self.pending[key] = future
        try:
            return await future
        finally:
            self.pending.pop(key, None)


class RateLimit:
    """At most ``per_minute`` events per student (a token bucket): a kernel in a loop must not
    fill the disk. Over it: 429, and the kernel drops the events."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, student: str, n: int) -> bool:
        now = self.clock()
        level, then = self.buckets.get(student, (float(self.per_minute), now))
        level = min(self.per_minute, level + (now - then) * self.per_minute / 60)
        if level < n:
            self.buckets[student] = (level, now)
            return False
        self.buckets[student] = (level - n, now)
        return True


class Roster:
    """The hub's users (the service's own token: list:users, read:users:name, ...:groups),
    cached for 30 s; None when the hub does not give them."""

    def __init__(self, api_url: str, token: str, ttl: float = 30):
        self.api_url, self.token, self.ttl = api_url.rstrip("/"), token, ttl
        self.cached: tuple[float, list[dict] | None] | None = None

    async def users(self) -> list[dict] | None:
        if self.cached and time.monotonic() - self.cached[0] < self.ttl:
            return self.cached[1]
        users: list[dict] | None = []
        offset = 0
        client = AsyncHTTPClient()
        try:
            while True:
                req = HTTPRequest(
                    f"{self.api_url}/users?offset={offset}&limit=200",
                    headers={
                        "Authorization": f"token {self.token}",
                        "Accept": "application/jupyterhub-pagination+json",
                    },
                    request_timeout=10,
                )
                resp = await client.fetch(req, raise_error=False)
                if resp.code != 200:
                    log.warning("the hub gave no class list (HTTP %s)", resp.code)
                    users = None
                    break
                data = json.loads(resp.body)
                items = data["items"] if isinstance(data, dict) else data
                users.extend(items)
                nxt = data.get("_pagination", {}).get("next") if isinstance(data, dict) else None
                if not nxt or not items:
                    break
                offset = nxt["offset"]
        except (OSError, ValueError, KeyError) as err:
            log.warning("the hub gave no class list: %s", err)
            users = None
        self.cached = (time.monotonic(), users)
        return users


def _is_instructor(model: dict, group: str) -> bool:
    return bool(model.get("admin")) or group in (model.get("groups") or [])


class JSONError(web.RequestHandler):
    def write_error(self, status_code, **kwargs):
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message % exc.args if exc.args else exc.log_message
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": reason}))


class EventsHandler(JSONError):
    """POST api/events: a student's kernel sends events with its server's token."""

    def initialize(self, store: Store, owners: TokenOwners, limit: RateLimit):
        self.store, self.owners, self.limit = store, owners, limit

    def check_xsrf_cookie(self):
        pass  # token-authenticated only: no cookie is ever accepted here

    def _fail(self, code: int, message: str):
        self.set_status(code)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message}))

    async def post(self):
        m = HubAuth.auth_header_pat.match(self.request.headers.get("Authorization", ""))
        if not m:
            return self._fail(403, "no token: send 'Authorization: token <the server's token>'")
        try:
            model = await self.owners.owner(m.group(1).strip())
        except web.HTTPError as err:
            log.warning("the hub could not check a token: %s", err)
            return self._fail(503, "the hub could not check the token; the events are not stored")
        if not model or model.get("kind", "user") != "user":
            return self._fail(403, "the token is not a user's token of this hub")
        try:
            events = parse_events(self.request.body)
        except BadRequest as err:
            return self._fail(400, str(err))
        student = model["name"]
        if not self.limit.take(student, len(events)):
            return self._fail(
                429, f"more than {self.limit.per_minute} events a minute: these are not stored"
            )
        n = self.store.add(student, events)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"stored": n}))


class HealthHandler(JSONError):
    def get(self):
        self.finish({"ok": True})


class InstructorHandler(HubOAuthenticated, web.RequestHandler):
    """Pages for the hub's admins and the instructors' group: the hub lets through only those
    with access to this service (its OAuth), then this checks admin or group again."""

    def initialize(self, store: Store, group: str, folder, roster: Roster | None, prefix: str):
        self.store, self.group, self.folder = store, group, folder
        self.roster, self.prefix = roster, prefix
        self.hub_auth = self.settings["hub_auth"]
        self.nonce = secrets.token_urlsafe(16)
        self.denied: dict | None = None

    def set_default_headers(self):
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def csp(self):
        self.set_header(
            "Content-Security-Policy",
            f"default-src 'none'; script-src 'nonce-{self.nonce}'; "
            f"style-src 'nonce-{self.nonce}'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )

    async def prepare(self):
        # who is asking, without blocking the service's loop (get_current_user would)
        model = await self.hub_auth.get_user(self, sync=False)
        allowed = None
        if model:
            try:
                allowed = self.check_hub_user(model)
            except UserNotAllowed:
                allowed = None
            if allowed is not None and not _is_instructor(allowed, self.group):
                allowed = None
            if allowed is None:
                self.denied = model
        self._hub_auth_user_cache = allowed
        self.current_user = allowed
        if allowed is None:
            self.refuse()

    def refuse(self):
        if self.denied is None and self.request.method == "GET" and not self.is_api:
            return self.redirect(self.get_login_url())
        self.set_status(403)
        if self.is_api:
            self.set_header("Content-Type", "application/json")
            why = "log in as an instructor" if self.denied is None else "for instructors only"
            return self.finish(json.dumps({"error": f"403: {why}"}))
        who = _e(self.denied.get("name", "?"))
        body = (
            "<main><h1>This page is for the instructors</h1>"
            f"<p>You are logged in as <strong>{who}</strong>. The class view shows how the "
            "class is doing with the exercises; only the hub's admins and the members of the "
            f"group <code>{_e(self.group)}</code> can open it.</p>"
            "<p>If you teach this class, ask an admin to add you to that group.</p>"
            '<p><a href="/hub/home">Back to your hub</a></p></main>'
        )
        self.csp()
        self.finish(page("Class view: for the instructors", body, self.nonce))

    is_api = False


class PageHandler(InstructorHandler):
    def get(self):
        lesson = self.get_argument("lesson", None)
        if lesson is None or not re.fullmatch(r"[0-9]{2}", lesson):
            lesson = self.store.latest_lesson() or "00"
        view = lesson_view(self.store, lesson, self.folder, self.prefix)
        numbers = json.dumps(
            [
                {"id": e["id"], "passed": e["passed"], "attempted": e["attempted"]}
                for e in view["exercises"]
            ]
        ).replace("</", "<\\/")
        title = f"Lesson {lesson}" + (f" ({view['title']})" if view["title"] else "")
        api = f"{self.prefix}api/summary?lesson={lesson}"
        body = (
            f"<header><h1>Class view: {_e(title)}</h1>{lesson_nav(self.store, lesson, self.prefix)}"
            f'<p class="status"><span id="active">{_e(view["active_text"])}</span> '
            '<span id="updated">updated</span> · live, every 2.5 s · no names on this page</p>'
            '<p id="news" class="sr-only" aria-live="polite"></p></header>'
            f"<main><h2>Exercises of lesson {_e(lesson)}</h2>"
            f'<div id="live" data-api="{_e(api)}" data-every="2500">{view["html"]}</div></main>'
            f'<script type="application/json" id="numbers">{numbers}</script>'
        )
        self.csp()
        self.finish(page(f"Class view: {title}", body, self.nonce, self.xsrf_token.decode(), JS))


class SummaryHandler(InstructorHandler):
    is_api = True

    def get(self):
        lesson = self.get_argument("lesson", "")
        if not re.fullmatch(r"[0-9]{2}", lesson):
            self.set_status(400)
            return self.finish({"error": "lesson must be two digits, e.g. ?lesson=02"})
        self.finish(lesson_view(self.store, lesson, self.folder, self.prefix))


class NamesHandler(InstructorHandler):
    async def get(self):
        exercise = self.get_argument("exercise", "")
        if not EXERCISE_RE.fullmatch(exercise):
            self.set_status(400)
            self.csp()
            body = "<main><h1>Which exercise?</h1><p>Open this page from the class view.</p></main>"
            return self.finish(page("Class view: which exercise?", body, self.nonce))
        rows = self.store.rows(exercise=exercise)
        waiting = not_passed(rows, exercise)
        seen = {r[0] for r in rows if r[2] == "check" and r[3] in ATTEMPTS}
        users = await self.roster.users() if self.roster else None
        now = time.time()
        lines = "".join(
            f"<tr><td>{_e(s['name'])}</td><td>{s['tries']}</td>"
            f"<td>{_e(s['last_outcome'].replace('_', ' '))}: "
            f"{_e(mistake_text(s['last_mistake'] or s['last_outcome'], self.folder))}</td>"
            f"<td>{max(0, round((now - s['last_received']) / 60))} min ago</td></tr>"
            for s in waiting
        )
        table = (
            '<table class="names"><thead><tr><th scope="col">student</th>'
            '<th scope="col">tries</th><th scope="col">last result</th>'
            f'<th scope="col">last try</th></tr></thead><tbody>{lines}</tbody></table>'
            if waiting
            else "<p>Nobody: everyone who attempted it has passed.</p>"
        )
        if users is None:
            never = (
                "<p>The hub did not give the class list (the service needs the scope "
                "<code>list:users</code>), so only students who attempted are shown.</p>"
            )
        else:
            names = sorted(
                u["name"]
                for u in users
                if u.get("kind", "user") == "user"
                and not _is_instructor(u, self.group)
                and u["name"] not in seen
            )
            never = (
                "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in names) + "</ul>"
                if names
                else "<p>Nobody.</p>"
            )
            never = f"<h2>Never attempted it ({len(names)})</h2>{never}"
        lesson = exercise[:2]
        body = (
            f"<main><h1>Who has not passed {_e(exercise)} yet</h1>"
            '<p class="note">This page shows students\' names: keep it off the projector.</p>'
            f'<p><a href="{_e(self.prefix)}?lesson={lesson}">Back to lesson {lesson}</a> · '
            f'<a href="{_e(self.prefix)}names?exercise={quote(exercise)}">refresh</a></p>'
            f"<h2>Attempted, not passed yet ({len(waiting)})</h2>{table}{never}</main>"
        )
        self.csp()
        self.finish(page(f"Class view: who has not passed {exercise}", body, self.nonce))


class CallbackHandler(HubOAuthCallbackHandler):
    """The end of the OAuth login: the same HubOAuth as the pages (it keeps the OAuth state)."""

    def initialize(self):
        self.hub_auth = self.settings["hub_auth"]


def _log_request(handler):
    """Log what went wrong or was slow; not every event (the hub's log stays readable)."""
    status, ms = handler.get_status(), 1000 * handler.request.request_time()
    if status >= 400 or ms > 500:
        level = logging.WARNING if status < 500 else logging.ERROR
        log.log(level, "%d %s %s %.0f ms", status, handler.request.method, handler.request.path, ms)


def make_app(
    store: Store,
    hub_auth=None,
    *,
    prefix: str = PREFIX,
    group: str = "instructors",
    folder: Path | None = None,
    roster: Roster | None = None,
    per_minute: int = 600,
    token_auth=None,
    cookie_secret: bytes | None = None,
) -> web.Application:
    """The service's tornado application. ``hub_auth``: HubOAuth for the pages (default: from
    JupyterHub's environment); ``token_auth``: what identifies a kernel's token (default: the
    same object)."""
    hub_auth = hub_auth or HubOAuth(cache_max_age=300)
    owners = TokenOwners(token_auth or hub_auth)
    pages = {"store": store, "group": group, "folder": folder, "roster": roster, "prefix": prefix}
    return web.Application(
        [
            (
                prefix + "api/events",
                EventsHandler,
                {"store": store, "owners": owners, "limit": RateLimit(per_minute)},
            ),
            (prefix + "api/health", HealthHandler),
            (prefix + "api/summary", SummaryHandler, pages),
            (prefix + "names", NamesHandler, pages),
            (prefix + "oauth_callback", CallbackHandler),
            (prefix, PageHandler, pages),
        ],
        hub_auth=hub_auth,
        cookie_secret=cookie_secret or secrets.token_bytes(32),
        log_function=_log_request,
    )


def _env_number(name: str, default: str, kind=float):
    raw = os.environ.get(name, default)
    try:
        value = kind(raw)
    except ValueError:
        sys.exit(f"class-view: {name}={raw!r} is not a number")
    if value <= 0:
        sys.exit(f"class-view: {name} must be more than 0, got {raw}")
    return value


async def serve() -> None:
    """Run as a JupyterHub-managed service: JupyterHub sets JUPYTERHUB_SERVICE_URL and the
    rest; NNLIB_CLASS_VIEW_DB (the database), _DAYS, _GROUP, _IP (listen on another address
    than the URL's, e.g. 0.0.0.0 in a hub pod), _MAX_PER_MINUTE, _NNLIB (nnlib's folder)."""
    logging.basicConfig(
        level=logging.INFO, format="[%(levelname).1s %(asctime)s class-view] %(message)s"
    )
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    db = os.environ.get("NNLIB_CLASS_VIEW_DB")
    if not url or not os.environ.get("JUPYTERHUB_API_TOKEN"):
        sys.exit(
            "class-view runs as a JupyterHub-managed service (JUPYTERHUB_SERVICE_URL and "
            "JUPYTERHUB_API_TOKEN come from the hub): see deploy/classview/README.md"
        )
    if not db:
        sys.exit("class-view: set NNLIB_CLASS_VIEW_DB, the path of its database")
    os.umask(0o077)
    days = _env_number("NNLIB_CLASS_VIEW_DAYS", "120")
    store = Store(db, retention_days=days)
    store.purge()
    folder = nnlib_dir()
    hub_auth = HubOAuth(cache_max_age=300)
    roster = Roster(hub_auth.api_url, hub_auth.api_token)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", PREFIX)
    app = make_app(
        store,
        hub_auth,
        prefix=prefix,
        group=os.environ.get("NNLIB_CLASS_VIEW_GROUP", "instructors"),
        folder=folder,
        roster=roster,
        per_minute=_env_number("NNLIB_CLASS_VIEW_MAX_PER_MINUTE", "600", int),
    )
    where = urlparse(url)
    address = os.environ.get("NNLIB_CLASS_VIEW_IP", where.hostname or "127.0.0.1")
    server = app.listen(where.port or 80, address, max_body_size=1024 * 1024)
    PeriodicCallback(store.purge, 3600 * 1000).start()
    log.info(
        "listening on %s:%s%s; database %s, kept %g days; nnlib messages: %s",
        address,
        where.port,
        prefix,
        db,
        days,
        folder or "none (mistake keys shown)",
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
    store.close()


# ------------------------------------------------------------------ the command line


def _date(text: str) -> float:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-07-31") from err
    return when.timestamp()  # a date without a zone: 00:00 local time


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="class_view.py", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command")
    sub.add_parser("serve", help="run as a JupyterHub-managed service (the default)")
    ex = sub.add_parser("export", help="write the events as CSV (student names as pseudonyms)")
    ex.add_argument("--db", required=True, help="the class view's database")
    ex.add_argument("--csv", help="write here (default: standard output)")
    ex.add_argument("--names", action="store_true", help="the students' names, not pseudonyms")
    de = sub.add_parser("delete", help="delete events, e.g. at the end of term")
    de.add_argument("--db", required=True, help="the class view's database")
    which = de.add_mutually_exclusive_group(required=True)
    which.add_argument("--before", type=_date, help="received before this date (YYYY-MM-DD)")
    which.add_argument("--all", action="store_true", help="every event, and the pseudonyms' key")
    args = ap.parse_args(argv)
    if args.command in (None, "serve"):
        asyncio.run(serve())
        return 0
    try:
        store = Store(args.db, create=False)
    except FileNotFoundError as err:
        print(f"class_view.py: {err}", file=sys.stderr)
        return 2
    try:
        if args.command == "export":
            if args.csv:
                fd = os.open(args.csv, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
                with open(fd, "w", newline="", encoding="utf-8") as out:
                    n = store.export(out, names=args.names)
                print(
                    f"{n} events written to {args.csv}"
                    + ("" if args.names else " (names replaced by pseudonyms)")
                )
            else:
                store.export(sys.stdout, names=args.names)
        else:
            if args.all:
                n = store.delete_all()
            else:
                n = store.delete_before(args.before)
            print(f"deleted {n} events from {args.db}")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
