"""The class view's service (deploy/classview/class_view.py), without a hub: the strict event
schema, the numbers on the instructors' page, retention, the anonymised export, and the tornado
app in this process with a stand-in for the hub's token check (and the real ``HubAuth`` against
a stand-in hub API, to prove that a cached token costs no hub request).
tests/deploy/test_class_view_hub.py runs it in a real hub."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import csv
import importlib.util
import io
import json
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from helpers import call_site_key
from jupyterhub.services.auth import HubAuth, HubOAuth
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

ROOT = Path(__file__).resolve().parents[2]
SERVICE_FILE = ROOT / "deploy" / "classview" / "class_view.py"


def _load():
    spec = importlib.util.spec_from_file_location("class_view", SERVICE_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["class_view"] = module
    spec.loader.exec_module(module)
    return module


cv = _load()
PREFIX = cv.PREFIX
# the contract's own expressions (issue 26), to check the service's stricter per-field checks
CONTRACT_EXERCISE = re.compile(r"^[0-9]{2}\.[a-z0-9_]{1,40}$")
CONTRACT_MISTAKE = re.compile(
    r"^(lesson[0-9]{2}|core|init):[0-9]{1,5}$|^error:[A-Za-z_][A-Za-z0-9_]{0,60}$"
)
T0 = 1_780_000_000.0


LEAKY_ALPHA = call_site_key("lesson02", "leaky_relu should take a second")


def event(**over) -> dict:
    base = {
        "v": 1,
        "exercise": "02.sigmoid_grad",
        "action": "check",
        "outcome": "passed",
        "mistake": None,
        "hint_step": None,
        "t": T0,
        "seq": 0,
        "kernel": "0123456789abcdef",
    }
    base.update(over)
    return base


def body(*events) -> bytes:
    return json.dumps({"events": list(events)}).encode()


# ------------------------------------------------------------------ the schema

GOOD = [
    event(),
    event(outcome="not_yet", mistake="lesson02:118"),
    event(outcome="not_yet", mistake="core:220"),
    event(outcome="not_yet", mistake="init:12"),
    event(outcome="not_yet", mistake=None),
    event(outcome="error", mistake="error:TypeError"),
    event(outcome="error", mistake=None),
    event(outcome="not_attempted"),
    event(outcome="time_limit"),
    event(action="hint", outcome=None, hint_step=1),
    event(action="hint", outcome=None, hint_step=3),
    event(action="solution", outcome=None),
    event(t=int(T0), seq=2**40),
]


@pytest.mark.parametrize("good", GOOD, ids=range(len(GOOD)))
def test_the_schema_accepts_every_kind_of_event(good):
    assert cv.parse_events(body(good)) == [good]
    assert CONTRACT_EXERCISE.match(good["exercise"])
    if good["mistake"] is not None:
        assert CONTRACT_MISTAKE.match(good["mistake"])


def test_the_schema_accepts_100_events_and_64_kb():
    events = [event(seq=i) for i in range(100)]
    assert len(cv.parse_events(body(*events))) == 100
    padded = body(event())[:-1] + b" " * (cv.MAX_BODY - len(body(event()))) + b"}"
    assert len(padded) == cv.MAX_BODY
    assert len(cv.parse_events(padded)) == 1


CODE = "__import__('os').system('rm -rf ~')"
BAD = {
    # code or values where an id or a key belongs
    "code as the exercise": (event(exercise=CODE), r"'exercise' must be an exercise id"),
    "code after an exercise id": (event(exercise="02.x;import os"), r"'exercise'"),
    "a newline after the id": (event(exercise="02.sigmoid_grad\n"), r"'exercise'"),
    "capitals in the id": (event(exercise="02.Sigmoid"), r"'exercise'"),
    "an id too long": (event(exercise="02." + "a" * 41), r"'exercise'"),
    "code as the mistake": (
        event(outcome="not_yet", mistake=CODE),
        r"'mistake' of a not_yet must be the call site",
    ),
    "a value as the mistake": (
        event(outcome="not_yet", mistake="got 0.731, expected 0.25"),
        r"call site",
    ),
    "a value after the key": (event(outcome="not_yet", mistake="lesson02:118 z=[1, 2]"), "call"),
    "a line number too long": (event(outcome="not_yet", mistake="lesson02:123456"), "call site"),
    "an unknown module": (event(outcome="not_yet", mistake="numpy:12"), "call site"),
    "an error's message": (
        event(outcome="error", mistake="error:TypeError: 'x' is not callable"),
        r'"error:<ExceptionType>"',
    ),
    "an error key on not_yet": (event(outcome="not_yet", mistake="error:TypeError"), "call site"),
    "a call site on error": (event(outcome="error", mistake="lesson02:118"), "ExceptionType"),
    "a mistake with passed": (
        event(outcome="passed", mistake="lesson02:118"),
        r"'mistake' is for the outcomes not_yet and error only",
    ),
    "an answer as the outcome": (event(outcome="0.25"), r"'outcome' of a check must be one of"),
    "a check without outcome": (event(outcome=None), r"'outcome' of a check"),
    "an outcome on a hint": (
        event(action="hint", outcome="passed", hint_step=1),
        r"'outcome' is for a check only",
    ),
    "an unknown action": (event(action="run"), r"'action' must be one of"),
    # extra or missing keys, names in the body
    "a student key": (event(student="bob"), r"unknown key\(s\) \['student'\]"),
    "a user key": (event(user="bob"), r"unknown key\(s\) \['user'\]"),
    "a code key": (event(code="print(1)"), r"unknown key\(s\) \['code'\]"),
    "a value key": (event(value=[0.25]), r"unknown key\(s\) \['value'\]"),
    "a missing key": ({k: v for k, v in event().items() if k != "seq"}, r"missing key\(s\)"),
    # wrong types
    "v as a string": (event(v="1"), r"'v' must be 1"),
    "v as true": (event(v=True), r"'v' must be 1"),
    "v 2": (event(v=2), r"'v' must be 1"),
    "hint_step missing": (event(action="hint", outcome=None), r"'hint_step' of a hint"),
    "hint_step as text": (event(action="hint", outcome=None, hint_step="2"), "hint_step"),
    "hint_step true": (event(action="hint", outcome=None, hint_step=True), "hint_step"),
    "hint_step 0": (event(action="hint", outcome=None, hint_step=0), "hint_step"),
    "hint_step on a check": (event(hint_step=1), r"'hint_step' is for a hint only"),
    "t as text": (event(t="now"), r"'t' must be the kernel's time"),
    "t negative": (event(t=-1.0), r"'t'"),
    "seq as float": (event(seq=1.0), r"'seq' must be a whole number"),
    "seq negative": (event(seq=-1), r"'seq'"),
    "kernel too short": (event(kernel="abc"), r"'kernel' must be 16 lowercase hex"),
    "kernel with code": (event(kernel="'; DROP TABLE e"), r"'kernel'"),
    "kernel in capitals": (event(kernel="0123456789ABCDEF"), r"'kernel'"),
    "an event as a list": ([1, 2], r"an event is a JSON object"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_the_schema_rejects_with_a_message_saying_what_is_wrong(name):
    bad, message = BAD[name]
    with pytest.raises(cv.BadRequest, match=message):
        cv.parse_events(body(event(seq=7), bad))
    with pytest.raises(cv.BadRequest, match="event 1: "):  # it names the event
        cv.parse_events(body(event(seq=7), bad))


@pytest.mark.parametrize(
    "raw, message",
    [
        (body(*[event(seq=i) for i in range(101)]), r"101 events; 1 to 100"),
        (body(), r"0 events; 1 to 100"),
        (json.dumps({"events": [event()], "student": "bob"}).encode(), r"\['student'\]"),
        (json.dumps({"events": [event()], "user": "bob"}).encode(), r"never a name"),
        (json.dumps([event()]).encode(), r"must be a JSON object"),
        (json.dumps({"events": event()}).encode(), r"'events' must be a list"),
        (b"events=1", r"not JSON"),
        (b'{"events": [], "events": []}', r"twice"),
        (body(event(t=1.0)).replace(b"1.0", b"NaN"), r"NaN is not a number"),
        (b'{"events": ' + b"[" * 30000, r"not JSON"),
        (b"\xff\xfe", r"not UTF-8"),
        (body(event()) + b" " * cv.MAX_BODY, r"at most 65536 \(64 KB\)"),
    ],
    ids=[
        "101 events",
        "no events",
        "a student in the body",
        "a user in the body",
        "a list",
        "events not a list",
        "a form",
        "duplicate keys",
        "NaN",
        "nested too deep",
        "not UTF-8",
        "over 64 KB",
    ],
)
def test_the_body_is_checked_too(raw, message):
    with pytest.raises(cv.BadRequest, match=message):
        cv.parse_events(raw)


# ------------------------------------------------------------------ the numbers


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


def three_students(store: cv.Store, clock: Clock):
    """annq passes after 2 tries (3 minutes apart); benq fails twice, first with a named mistake,
    and asks for the hint's steps 1 and 2; catq only views the solution."""
    ex = "02.leaky_relu"
    clock.now = T0
    store.add(
        "annq",
        [event(exercise=ex, outcome="not_yet", mistake=LEAKY_ALPHA, seq=0, t=T0)],
    )
    store.add("benq", [event(exercise=ex, outcome="not_yet", mistake=LEAKY_ALPHA, seq=0)])
    clock.now = T0 + 60
    store.add(
        "benq",
        [
            event(exercise=ex, action="hint", outcome=None, hint_step=1, seq=1),
            event(exercise=ex, action="hint", outcome=None, hint_step=2, seq=2),
            event(exercise=ex, outcome="error", mistake="error:TypeError", seq=3),
        ],
    )
    store.add("catq", [event(exercise=ex, action="solution", outcome=None, kernel="f" * 16)])
    clock.now = T0 + 180
    store.add("annq", [event(exercise=ex, outcome="passed", seq=1, t=T0 + 180)])
    store.add(
        "annq", [event(exercise=ex, outcome="not_yet", mistake=LEAKY_ALPHA, seq=1)]
    )  # seq 1 again
    store.add("annq", [event(exercise=ex, outcome="passed", seq=2)])  # checked again after passing


@pytest.fixture
def store(tmp_path):
    clock = Clock()
    s = cv.Store(tmp_path / "events.sqlite", retention_days=120, clock=clock)
    yield s, clock
    s.close()


def test_the_numbers_of_three_simulated_students(store):
    s, clock = store
    three_students(s, clock)
    folder = cv.nnlib_dir()
    known = cv.catalogue(folder).get("02", {}).get("exercises", [])
    [leaky] = [
        e
        for e in cv.summarize(s.rows(lesson="02"), known, lambda k: cv.mistake_text(k, folder))
        if e["id"] == "02.leaky_relu"
    ]
    assert leaky["students"] == 3
    assert (leaky["attempted"], leaky["passed"], leaky["not_passed"]) == (2, 1, 1)
    assert leaky["median_tries"] == 2  # ann: not yet, then passed; the same seq was stored once
    assert leaky["median_minutes"] == 3.0
    assert (leaky["hint_students"], leaky["hint_steps"], leaky["hint_max_step"]) == (1, 2, 2)
    assert leaky["solution_students"] == 1
    top = [(m["key"], m["students"], m["times"]) for m in leaky["mistakes"]]
    assert top == [(LEAKY_ALPHA, 2, 2), ("error:TypeError", 1, 1)]
    if folder is not None:  # nnlib's own words for the call site (this checkout has nnlib)
        assert leaky["mistakes"][0]["message"].startswith("leaky_relu should take a second")
    assert leaky["mistakes"][1]["message"] == "the learner's code raised TypeError"
    # the other exercises of the lesson are listed, in the course's order, with zeros
    if known:
        ids = [e["id"] for e in cv.summarize(s.rows(lesson="02"), known)]
        assert ids == [ex for ex, _ in known] and "02.leaky_relu" in ids
    waiting = cv.not_passed(s.rows(exercise="02.leaky_relu"), "02.leaky_relu")
    assert [(w["name"], w["tries"], w["last_mistake"]) for w in waiting] == [
        ("benq", 2, "error:TypeError")
    ]


def test_medians_and_the_top_three_mistakes_of_a_larger_class(store):
    s, clock = store
    ex = "03.dense_forward"
    tries = {"a": 1, "b": 3, "c": 4, "d": 6}  # median tries to pass: 3.5
    for who, n in tries.items():
        for i in range(n):
            clock.now = T0 + 60 * i * n  # minutes to pass: 0, 6, 12, 30 -> median 9
            outcome = "passed" if i == n - 1 else "not_yet"
            key = f"lesson03:{10 + i}" if outcome == "not_yet" else None
            s.add(who, [event(exercise=ex, outcome=outcome, mistake=key, seq=i)])
    [e] = cv.summarize(s.rows(lesson="03"))
    assert e["median_tries"] == statistics.median([1, 3, 4, 6]) == 3.5
    assert e["median_minutes"] == 9.0
    assert [(m["key"], m["students"]) for m in e["mistakes"]] == [
        ("lesson03:10", 3),
        ("lesson03:11", 3),
        ("lesson03:12", 2),
    ]
    assert e["mistakes"][0]["message"] == "lesson03:10"  # no messages given: the key itself


def test_the_mistake_message_is_nnlibs_text_or_the_key(tmp_path, monkeypatch):
    lib = tmp_path / "nnlib"
    (lib / "exercises").mkdir(parents=True)
    (lib / "exercises" / "lesson05.py").write_text(
        "def check(x):\n"
        "    if x:\n"
        "        return not_yet(\n"
        '            f"expected {x!r} to be "\n'
        '            "smaller"\n'
        "        )\n"
        "    return not_yet(problem)\n"
        '    return core.not_yet("a" + f"b{1}")\n'
    )
    assert cv.call_site_message("lesson05:3", lib) == "expected … to be smaller"
    assert cv.call_site_message("lesson05:5", lib) == "expected … to be smaller"  # a later line
    assert cv.call_site_message("lesson05:7", lib) == "(a message built when the check runs)"
    assert cv.call_site_message("lesson05:8", lib) == "ab…"
    assert cv.mistake_text("lesson05:1", lib) == "lesson05:1"  # no not_yet there
    assert cv.mistake_text("lesson05:3", None) == "lesson05:3"  # no nnlib (a hub pod)
    assert cv.mistake_text("lesson06:3", lib) == "lesson06:3"  # no such module
    monkeypatch.setenv("NNLIB_CLASS_VIEW_NNLIB", str(lib))
    assert cv.nnlib_dir() == lib
    monkeypatch.setenv("NNLIB_CLASS_VIEW_NNLIB", str(tmp_path / "nowhere"))
    assert cv.nnlib_dir() is None


# ------------------------------------------------------------------ retention, export, delete


def test_retention_deletes_old_events_and_keeps_new_ones(tmp_path):
    clock = Clock(T0)
    path = tmp_path / "events.sqlite"
    s = cv.Store(path, retention_days=120, clock=clock)
    s.add("annq", [event(seq=0, t=T0)])
    clock.now = T0 + 100 * 86400
    # the kernel's clock says 1970: retention goes by the service's receive time, not by t
    s.add("benq", [event(seq=0, t=1.0)])
    clock.now = T0 + 121 * 86400
    assert s.purge() == 1
    assert [r[0] for r in s.rows()] == ["benq"]
    s.close()
    assert path.stat().st_mode & 0o777 == 0o600  # the database: its owner only
    # at start: a service started much later deletes what is over the retention
    clock.now = T0 + 221 * 86400
    again = cv.Store(path, retention_days=120, clock=clock)
    assert again.purge() == 1 and again.rows() == []
    again.close()


def test_export_is_anonymised_unless_names_are_asked_for(store, tmp_path, capsys):
    s, clock = store
    three_students(s, clock)
    out = io.StringIO()
    n = s.export(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == len(rows) == 8
    text = out.getvalue()
    for name in ("annq", "benq", "catq"):
        assert name not in text
    pseudonyms = {r["student"] for r in rows}
    assert len(pseudonyms) == 3 and all(
        re.fullmatch(r"student-[0-9a-f]{10}", p) for p in pseudonyms
    )
    again = io.StringIO()
    s.export(again)
    assert again.getvalue() == text  # stable: the same pseudonyms in every export
    assert rows[0]["received_utc"].endswith("+00:00") and rows[0]["exercise"] == "02.leaky_relu"
    named = io.StringIO()
    s.export(named, names=True)
    assert {r["student"] for r in csv.DictReader(io.StringIO(named.getvalue()))} == {
        "annq",
        "benq",
        "catq",
    }
    # the command line
    db = str(s.path)
    target = tmp_path / "out.csv"
    assert cv.main(["export", "--db", db, "--csv", str(target)]) == 0
    with open(target, newline="", encoding="utf-8") as f:
        assert f.read() == text
    assert target.stat().st_mode & 0o777 == 0o600
    assert "(names replaced by pseudonyms)" in capsys.readouterr().out
    assert cv.main(["export", "--db", db, "--names"]) == 0
    assert "annq" in capsys.readouterr().out
    assert cv.main(["export", "--db", str(tmp_path / "missing.sqlite")]) == 2
    assert "no class-view database" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite").exists()


def test_delete_before_a_date_and_all(store, capsys):
    s, clock = store
    clock.now = time.mktime((2026, 3, 1, 12, 0, 0, 0, 0, -1))
    s.add("annq", [event(seq=0)])
    clock.now = time.mktime((2026, 3, 3, 12, 0, 0, 0, 0, -1))
    s.add("annq", [event(seq=1)])
    first = s.pseudonym("annq")
    assert cv.main(["delete", "--db", str(s.path), "--before", "2026-03-02"]) == 0
    assert "deleted 1 events" in capsys.readouterr().out
    assert len(s.rows()) == 1
    assert cv.main(["delete", "--db", str(s.path), "--all"]) == 0
    assert s.rows() == []
    assert s.pseudonym("annq") != first  # a new term: new pseudonyms
    with pytest.raises(SystemExit):
        cv.main(["delete", "--db", str(s.path)])  # --before or --all: nothing by accident
    assert "one of the arguments --before --all is required" in capsys.readouterr().err


# ------------------------------------------------------------------ the app, in this process

STUDENT_SCOPES = ["access:servers!user=alice", "read:users:name!user=alice"]
VIEW_SCOPE = "access:services!service=class-view"
USERS = {
    "alice-token": {"kind": "user", "name": "alice", "admin": False, "groups": []},
    "bob-token": {"kind": "user", "name": "bob", "admin": False, "groups": []},
    "teacher-token": {
        "kind": "user",
        "name": "teacher",
        "admin": False,
        "groups": ["instructors"],
        "scopes": [VIEW_SCOPE],
    },
    "admin-token": {"kind": "user", "name": "boss", "admin": True, "groups": [], "scopes": []},
    # has access to the service (a role given by mistake) but is neither admin nor instructor
    "ta-token": {
        "kind": "user",
        "name": "ta",
        "admin": False,
        "groups": [],
        "scopes": [VIEW_SCOPE],
    },
    "service-token": {"kind": "service", "name": "course-admin", "scopes": ["access:services"]},
}
for _model in USERS.values():
    _model.setdefault("scopes", STUDENT_SCOPES)
USERS["admin-token"]["scopes"] = ["access:services", "admin:users"]


class FakeHubAuth(HubOAuth):
    """HubOAuth as in the service (scopes, cookies, xsrf, the login redirect), with the hub's
    token lookup replaced by USERS."""

    def __init__(self):
        super().__init__(
            api_token="service-secret",
            oauth_client_id="service-class-view",
            api_url="http://127.0.0.1:9/hub/api",
            base_url=PREFIX,
            hub_prefix="/hub/",
            access_scopes={"access:services", VIEW_SCOPE},
        )
        self.lookups = 0

    def user_for_token(self, token, use_cache=True, session_id="", *, sync=True):
        async def look():
            self.lookups += 1
            return copy.deepcopy(USERS.get(token))

        return look()


class FakeRoster:
    async def users(self):
        return [
            {"kind": "user", "name": n, "admin": n == "boss", "groups": g}
            for n, g in [
                ("alice", []),
                ("bob", []),
                ("dan", []),
                ("catq", []),
                ("boss", []),
                ("teacher", ["instructors"]),
            ]
        ]


@contextlib.asynccontextmanager
async def serving(app):
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app, max_body_size=1024 * 1024)
    server.add_sockets(sockets)
    client = AsyncHTTPClient(force_instance=True)
    try:
        yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}", client
    finally:
        client.close()
        server.stop()
        await server.close_all_connections()


async def call(client, url, method="GET", data=None, token=None, **kw):
    headers = {"Authorization": f"token {token}"} if token else {}
    req = HTTPRequest(
        url,
        method=method,
        body=data,
        headers=headers,
        follow_redirects=False,
        allow_nonstandard_methods=True,
        **kw,
    )
    return await client.fetch(req, raise_error=False)


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def app_store(tmp_path):
    clock = Clock()
    s = cv.Store(tmp_path / "events.sqlite", clock=clock)
    auth = FakeHubAuth()
    app = cv.make_app(s, auth, folder=cv.nnlib_dir(), roster=FakeRoster(), per_minute=300)
    yield app, s, auth, clock
    s.close()


def test_events_are_stored_as_the_tokens_owner_and_bad_ones_refused(app_store):
    app, s, _, _ = app_store

    async def go():
        async with serving(app) as (url, client):
            api = url + PREFIX + "api/events"
            r = await call(client, api, "POST", body(event(seq=1)), token="alice-token")
            assert r.code == 200, r.body
            assert json.loads(r.body) == {"stored": 1}
            # a body naming someone else is refused; the stored name is always the token's owner
            bob = json.dumps({"events": [event(seq=2)], "student": "bob"}).encode()
            r = await call(client, api, "POST", bob, token="alice-token")
            assert r.code == 400 and "never a name" in json.loads(r.body)["error"]
            r = await call(client, api, "POST", body(event(seq=3, user="bob")), token="alice-token")
            assert r.code == 400 and "['user']" in json.loads(r.body)["error"]
            for token in (None, "forged", "service-token"):
                r = await call(client, api, "POST", body(event(seq=4)), token=token)
                assert r.code == 403, (token, r.code)
                assert json.loads(r.body)["error"]
            r = await call(
                client, api, "POST", body(event(seq=5)) + b" " * 65536, token="bob-token"
            )
            assert r.code == 400 and "64 KB" in json.loads(r.body)["error"]
            r = await call(client, api, "GET", token="alice-token")
            assert r.code == 405

    run(go())
    assert [(r[0], r[8]) for r in s.rows()] == [("alice", 1)]


def test_a_cached_token_costs_no_hub_request(app_store, tmp_path):
    """The real HubAuth (as in the hub) against a stand-in hub API that counts its requests."""
    _, s, auth, _ = app_store
    asked = []

    class Who(web.RequestHandler):
        def get(self):
            token = self.request.headers["Authorization"].split()[-1]
            asked.append(token)
            if token not in USERS:
                raise web.HTTPError(403)
            self.finish(USERS[token])

    async def go():
        hub = web.Application([("/hub/api/user", Who)])
        async with serving(hub) as (hub_url, _):
            token_auth = HubAuth(api_url=hub_url + "/hub/api", api_token="svc", cache_max_age=300)
            app = cv.make_app(s, auth, token_auth=token_auth, per_minute=10_000)
            async with serving(app) as (url, client):
                api = url + PREFIX + "api/events"
                # the first requests arrive together: one hub request between them
                first = await asyncio.gather(
                    *(
                        call(client, api, "POST", body(event(seq=i)), token="alice-token")
                        for i in range(5)
                    )
                )
                assert [r.code for r in first] == [200] * 5
                times = []
                for i in range(5, 105):
                    t0 = time.perf_counter()
                    r = await call(client, api, "POST", body(event(seq=i)), token="alice-token")
                    times.append(time.perf_counter() - t0)
                    assert r.code == 200
                for _ in range(5):  # a wrong token: asked once, then its "no" is cached too
                    r = await call(client, api, "POST", body(event()), token="forged")
                    assert r.code == 403
                return times

    times = run(go())
    assert asked == ["alice-token", "forged"], asked
    assert len(s.rows()) == 105
    # never in the learner's way: a stored event answers within milliseconds here
    assert statistics.median(times) < 0.05, f"median {statistics.median(times) * 1000:.1f} ms"


def test_a_kernel_in_a_loop_is_limited(app_store):
    app, s, _, _ = app_store

    async def go():
        async with serving(app) as (url, client):
            api = url + PREFIX + "api/events"
            codes = []
            for i in range(4):
                events = [event(seq=100 * i + j) for j in range(100)]
                r = await call(client, api, "POST", body(*events), token="alice-token")
                codes.append(r.code)
            r = await call(client, api, "POST", body(event(seq=999)), token="bob-token")
            return codes, r.code

    codes, bob = run(go())
    assert codes == [200, 200, 200, 429]  # 300 a minute
    assert bob == 200  # one student's limit is theirs alone
    assert len(s.rows()) == 301


def _attrs(html_text, attr):
    return re.findall(rf'{attr}="([^"]*)"', html_text)


def test_the_page_for_instructors_and_a_friendly_403_for_others(app_store):
    app, s, _, clock = app_store
    three_students(s, clock)

    async def go():
        async with serving(app) as (url, client):
            out = {}
            for who in ("teacher-token", "admin-token", "alice-token", "ta-token", None):
                out[who] = await call(client, url + PREFIX + "?lesson=02", token=who)
            out["summary-alice"] = await call(
                client, url + PREFIX + "api/summary?lesson=02", token="alice-token"
            )
            out["summary-none"] = await call(client, url + PREFIX + "api/summary?lesson=02")
            out["summary"] = await call(
                client, url + PREFIX + "api/summary?lesson=02", token="teacher-token"
            )
            out["summary-bad"] = await call(
                client, url + PREFIX + "api/summary?lesson=2x", token="teacher-token"
            )
            out["names"] = await call(
                client, url + PREFIX + "names?exercise=02.leaky_relu", token="teacher-token"
            )
            out["names-alice"] = await call(
                client, url + PREFIX + "names?exercise=02.leaky_relu", token="alice-token"
            )
            out["health"] = await call(client, url + PREFIX + "api/health")
            return out

    r = run(go())
    page = r["teacher-token"].body.decode()
    assert r["teacher-token"].code == 200 and r["admin-token"].code == 200
    for who in ("alice-token", "ta-token"):
        assert r[who].code == 403
        text = r[who].body.decode()
        assert "This page is for the instructors" in text and "instructors</code>" in text
        assert "annq" not in text
    assert "<strong>alice</strong>" in r["alice-token"].body.decode()
    # not logged in: to the hub's login (OAuth), never the page
    assert r[None].code == 302
    assert urlparse(r[None].headers["Location"]).path == "/hub/api/oauth2/authorize"
    assert r["summary-alice"].code == 403 and r["summary-none"].code == 403
    assert json.loads(r["summary-none"].body)["error"]
    assert r["summary-bad"].code == 400
    assert r["health"].code == 200

    # the projector page: no names, numbers in text, charts with a text alternative
    for student in ("annq", "benq", "catq"):
        assert student not in page
    assert '<html lang="en">' in page
    title = "Lesson 02 (activation functions)" if cv.nnlib_dir() else "Lesson 02"
    assert f"<h1>Class view: {title}</h1>" in page
    labels = [a for a in _attrs(page, "aria-label") if a.startswith("02.leaky_relu")]
    assert labels == [
        "02.leaky_relu, out of 3 students active in this lesson: 2 attempted, 1 passed, "
        "1 asked for a hint, 1 saw the solution"
    ]
    assert page.count('role="img"') == page.count('class="chart"') >= 1
    assert 'aria-live="polite"' in page and 'id="updated"' in page
    assert 'data-stat="median_tries">2<' in page and 'data-stat="median_minutes">3<' in page
    if cv.nnlib_dir():
        assert "“leaky_relu should take a second argument `alpha`" in page
    assert "names?exercise=02.leaky_relu" in page
    for lesson in cv.LESSONS:
        assert f'?lesson={lesson}"' in page
    # nothing from elsewhere: no external script, style, image or font
    for attr in ("src", "href"):
        for value in _attrs(page, attr):
            assert not re.match(r"(https?:)?//", value), value
    assert "<link" not in page and "@import" not in page and "url(" not in page
    csp = r["teacher-token"].headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert page.count(f'nonce="{nonce}"') == 2  # the one style and the one script
    assert r["teacher-token"].headers["Cache-Control"] == "no-store"

    summary = json.loads(r["summary"].body)
    leaky = next(e for e in summary["exercises"] if e["id"] == "02.leaky_relu")
    assert (leaky["attempted"], leaky["passed"], leaky["solution_students"]) == (2, 1, 1)
    assert summary["students"] == 3 and "annq" not in r["summary"].body.decode()

    names = r["names"].body.decode()
    assert r["names"].code == 200 and "keep it off the projector" in names
    attempted, never = names.split("Never attempted it")
    assert "<td>benq</td>" in attempted and "annq" not in names  # annq passed
    # who only saw the solution never attempted it; the admin and the instructor are no students
    assert "Never attempted it (4)" in names
    for student in ("alice", "bob", "catq", "dan"):
        assert f"<li>{student}</li>" in never
    assert "boss" not in never and "teacher" not in never
    assert r["names-alice"].code == 403


def _luminance(hex_colour):
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a, b):
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_page_is_readable_on_a_projector():
    css = cv.CSS
    body_px = int(re.search(r"body \{ font: (\d+)px", css).group(1))
    assert body_px >= 18
    sizes = {
        h: float(re.search(rf"{h} \{{ font-size: ([\d.]+)rem", css).group(1))
        for h in "h1 h2 h3".split()
    }
    assert sizes["h1"] > sizes["h2"] > sizes["h3"] > 1
    # Okabe-Ito colours, and each bar a pattern of its own and a marker in its label
    okabe_ito = {"#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"}
    assert set(cv.COLOURS.values()) <= okabe_ito
    patterns = set()
    for kind, colour in cv.COLOURS.items():
        rule = re.search(rf"\.fill\.{kind} \{{([^}}]*)\}}", css).group(1)
        assert colour in rule and "gradient" in rule
        patterns.add(re.sub(r"#\w+", "", rule))
        assert re.search(rf'\.key\.{kind}::before \{{ content: "[^"]+"', css)
    assert len(patterns) == len(cv.COLOURS)
    # text colours against the white page (and the note's background): WCAG AA, 4.5:1
    for colour in re.findall(
        r"(?<!background: )(?<!border-left: 6px solid )color: (#[0-9a-fA-F]{6})", css
    ):
        assert _contrast(colour, "#ffffff") >= 4.5, colour
    assert _contrast("#000000", "#fff4ec") >= 4.5
    assert _contrast("#004f9e", "#ffe680") >= 4.5  # a focused link


# ------------------------------------------------------------------ the README's deployment


def test_the_zero_to_jupyterhub_values_fit_the_chart_and_each_other():
    import jsonschema
    import yaml
    from jupyterhub.services.service import Service
    from test_z2jh import merge as _merge  # helm's merge of values files

    readme = (SERVICE_FILE.parent / "README.md").read_text(encoding="utf-8")
    values_file = ROOT / "deploy" / "z2jh" / "class-view.yaml"
    section = values_file.read_text(encoding="utf-8")  # its header gives the helm command
    values = yaml.safe_load(section)
    assert "deploy/z2jh/class-view.yaml" in readme.split("## Zero to JupyterHub", 1)[1]
    chart = ROOT / "deploy" / "z2jh" / "chart"
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    hub = values["hub"]
    key, extra = next(iter(hub["extraFiles"].items()))
    assert f"--set-file hub.extraFiles.{key}.stringData=deploy/classview/class_view.py" in section
    with_file = _merge(values, {"hub": {"extraFiles": {key: {"stringData": "..."}}}})
    jsonschema.validate(_merge(defaults, with_file), schema)

    service = hub["services"]["class-view"]
    unknown = set(service) - set(Service.class_trait_names())
    assert not unknown, f"not fields of a JupyterHub service: {unknown}"
    assert service["command"][1] == extra["mountPath"] and service["command"][2] == "serve"
    port = urlparse(service["url"]).port
    [extra_port] = hub["service"]["extraPorts"]
    assert extra_port["port"] == extra_port["targetPort"] == port
    for rules in (
        hub["networkPolicy"]["ingress"],
        values["proxy"]["chp"]["networkPolicy"]["egress"],
        values["singleuser"]["networkPolicy"]["egress"],
    ):
        assert [p["port"] for rule in rules for p in rule["ports"]] == [port]
    assert values["singleuser"]["extraEnv"]["NNLIB_CLASS_EVENTS_URL"] == (
        service["url"] + PREFIX + "api/events"
    )
    assert service["environment"]["NNLIB_CLASS_VIEW_IP"] == "0.0.0.0"
    # the same roles as the one-machine hub's
    config = (ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py").read_text()
    roles = hub["loadRoles"]
    assert roles["class-view"]["services"] == ["class-view"]
    assert roles["class-view-instructors"]["groups"] == ["instructors"]
    for role in roles.values():
        for scope in role["scopes"]:
            assert f'"{scope}"' in config, scope
    # every setting the README names is one the service reads
    for name in set(re.findall(r"NNLIB_CLASS_VIEW_[A-Z_]+", readme)):
        assert name in SERVICE_FILE.read_text(), name
