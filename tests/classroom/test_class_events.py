"""See the class learn (nnlib.classroom.events): what check / hint / solution send to a class hub.

Outside a hub nothing leaves the kernel (no thread, no socket). On a hub, with a real HTTP server
on 127.0.0.1, the events arrive with the token and exactly the service's schema, for every
outcome, with the call-site key of the message and never the learner's code, values or the
message. With the service down or slow, ``check`` answers the same, as fast, and silently; the
counters say what was lost. Opting out stops sending; the queue is bounded; the interpreter
exits at once. Last, the welcome lesson and lesson 02 run under nbval with the service stopped
(~15 s).
"""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import nnlib.exercises as exercises
from nnlib.classroom import events
from nnlib.exercises import all_exercises, check, core, get_exercise, hint, solution

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "class-token-3141"
# What the service accepts (the contract).
EXERCISE_RE = re.compile(r"^[0-9]{2}\.[a-z0-9_]{1,40}$")
MISTAKE_RE = re.compile(
    r"^(lesson[0-9]{2}|core|init):[0-9]{1,5}$|^error:[A-Za-z_][A-Za-z0-9_]{0,60}$"
)
KEYS = ["v", "exercise", "action", "outcome", "mistake", "hint_step", "t", "seq", "kernel"]
THREAD = "nnlib-class-events"


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    """No hub, a fresh HOME (the opt-out file), lenient checks, short batches, a fresh sender."""
    for name in (events.URL_ENV, events.TOKEN_ENV, events.SWITCH_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)
    monkeypatch.delenv("NNLIB_HIDE_SOLUTIONS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(events, "BATCH_WAIT_S", 0.05)
    monkeypatch.setattr(exercises, "_hints_shown", {})
    events._reset()
    yield
    events._reset()


class Service:
    """The class-events service on 127.0.0.1: keeps every request; ``delay`` makes it slow."""

    def __init__(self, delay=0.0):
        self.requests, self.delay, self.started = [], delay, threading.Event()
        self.release = threading.Event()
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                service.started.set()
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if service.delay:
                    service.release.wait(service.delay)
                service.requests.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_port}/class/events"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def events(self):
        return [e for _, _, body in self.requests for e in json.loads(body)["events"]]

    def wait_for(self, n, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.events()) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.events()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service(monkeypatch):
    svc = Service()
    monkeypatch.setenv(events.URL_ENV, svc.url)
    monkeypatch.setenv(events.TOKEN_ENV, TOKEN)
    yield svc
    svc.close()


@pytest.fixture
def slow_service(monkeypatch):
    svc = Service(delay=10.0)
    monkeypatch.setenv(events.URL_ENV, svc.url)
    monkeypatch.setenv(events.TOKEN_ENV, TOKEN)
    yield svc
    svc.close()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def sender_threads():
    return [t for t in threading.enumerate() if t.name == THREAD]


def line_of_not_yet(module, text):
    """The line of the ``not_yet(`` call whose message contains ``text`` in ``module``'s source."""
    lines = inspect.getsource(module).splitlines()
    at = next(i for i, line in enumerate(lines) if text in line)
    while "not_yet(" not in lines[at]:
        at -= 1
    return at + 1


def sigmoid_grad(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


# --------------------------------------------------------------------------- the contract


def test_every_exercise_id_is_one_the_service_accepts():
    ids = [ex.id for ex in all_exercises()]
    assert len(ids) > 20
    bad = [i for i in ids if not EXERCISE_RE.match(i)]
    assert not bad, f"exercise ids the class-events service would refuse: {bad}"


def test_not_yet_records_its_call_site_cheaply():
    result = core.not_yet("a message")
    assert result.key is None  # not written in nnlib/exercises: no key
    res = get_exercise("00.predict_z").check("a text")
    assert res.key == f"lesson00:{line_of_not_yet(exercises.lesson00, 'your answer is the text')}"
    res = get_exercise("00.weighted_sum").check(lambda x, w, b: np.dot(x, w))
    assert res.key == f"core:{line_of_not_yet(core, 'return not_yet(problem + _foreign_sizes')}"
    assert MISTAKE_RE.match(res.key) and res.error is None
    assert core.builtin_type_name(np.exceptions.AxisError) == "ValueError"
    assert core.builtin_type_name(type("LearnersOwnError", (KeyError,), {})) == "KeyError"


# --------------------------------------------------------------------------- outside a hub


@pytest.mark.parametrize(
    "env",
    [{}, {events.URL_ENV: "http://127.0.0.1:9/x"}, {events.TOKEN_ENV: TOKEN}],
    ids=["neither", "only-url", "only-token"],
)
def test_outside_a_hub_nothing_is_sent_and_no_thread_starts(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def no_socket(*args, **kwargs):
        raise AssertionError("a socket was opened outside a class hub")

    monkeypatch.setattr(socket, "create_connection", no_socket)
    monkeypatch.setattr(socket.socket, "connect", no_socket)
    threads = len(sender_threads())
    assert check("00.weighted_sum", lambda x, w, b: np.dot(x, w) + b)
    assert not check("00.weighted_sum", ...)
    with contextlib.redirect_stdout(None):
        hint("00.weighted_sum")
        solution("00.weighted_sum")
    assert not events.enabled() and not events.record("00.weighted_sum", "hint", hint_step=1)
    assert events._sender is None and len(sender_threads()) == threads
    assert events.stats() == {"sent": 0, "dropped": 0, "failed": 0, "queued": 0}


def test_importing_the_module_starts_nothing_and_needs_only_the_standard_library():
    code = (
        "import importlib.util, sys, threading\n"
        f"spec = importlib.util.spec_from_file_location('ev', {str(events.__file__)!r})\n"
        "ev = importlib.util.module_from_spec(spec); spec.loader.exec_module(ev)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "third = [m for m in ('nnlib', 'numpy', 'urllib.request') if m in sys.modules]\n"
        "assert not third, third\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in (events.URL_ENV, events.TOKEN_ENV)}
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, env=env
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, "ok\n", "")


# --------------------------------------------------------------------------- on a hub


SECRET_TEXT = "zebra-quartz-answer"
SECRET_NUMBER = 123456.789


class LearnersOwnError(ValueError):
    pass


def my_secret_named_function(z):
    return z * 0.123987  # a wrong derivative, values nobody else has


def learner_raises(z):
    raise ZeroDivisionError("the learner's words: " + SECRET_TEXT)


def learner_raises_own(z):
    raise LearnersOwnError(SECRET_TEXT)


def not_written(z):
    raise NotImplementedError


def empty_body(z):
    """Write me."""
    ...


def endless(z):
    while True:
        pass


def test_events_arrive_with_the_token_and_exactly_the_schema(service, monkeypatch):
    monkeypatch.setattr(get_exercise("02.sigmoid_grad"), "time_limit", 0.2)
    leaky = get_exercise("02.leaky_relu")
    escapes = get_exercise("00.predict_z")
    expected = []  # (exercise, action, outcome, mistake, hint_step)

    def expect(exercise, action, outcome=None, mistake=None, step=None):
        expected.append((exercise, action, outcome, mistake, step))

    assert check("02.sigmoid_grad", sigmoid_grad)
    expect("02.sigmoid_grad", "check", "passed")
    res = check("02.sigmoid_grad", my_secret_named_function)
    assert not res and "my_secret_named_function" in res.message  # the learner sees it ...
    expect("02.sigmoid_grad", "check", "not_yet", res.key)  # ... the instructor a key
    assert res.key == f"core:{line_of_not_yet(core, 'return not_yet(problem + _foreign_sizes')}"
    res = check("02.leaky_relu", lambda z: z)  # no alpha: a message written in the lesson module
    key = f"lesson02:{line_of_not_yet(exercises.lesson02, 'should take a second argument')}"
    assert res.key == key
    expect("02.leaky_relu", "check", "not_yet", key)
    assert not check("00.predict_z", SECRET_TEXT)
    expect(
        "00.predict_z",
        "check",
        "not_yet",
        f"lesson00:{line_of_not_yet(exercises.lesson00, 'your answer is the text')}",
    )
    assert not check("00.predict_z", SECRET_NUMBER)
    key = f"lesson00:{line_of_not_yet(exercises.lesson00, 'which {off}')}"
    expect("00.predict_z", "check", "not_yet", key)
    for blank in (..., None, empty_body, not_written):
        assert not check("02.sigmoid_grad", blank)
        expect("02.sigmoid_grad", "check", "not_attempted")
    assert not check("02.sigmoid_grad", learner_raises)  # caught by the check, explained
    expect("02.sigmoid_grad", "check", "error", "error:ZeroDivisionError")
    assert not check("02.sigmoid_grad", learner_raises_own)  # their own class is never named
    expect("02.sigmoid_grad", "check", "error", "error:ValueError")
    monkeypatch.setattr(escapes, "check", lambda answer: answer())  # an exception escapes
    assert "raised KeyError" in check("00.predict_z", lambda: {}[SECRET_TEXT]).message
    expect("00.predict_z", "check", "error", "error:KeyError")
    res = check("02.sigmoid_grad", endless)
    assert "did not return within 0.2 s" in res.message
    expect("02.sigmoid_grad", "check", "time_limit")
    with contextlib.redirect_stdout(None):
        for step in [1, 2, 3, 3]:  # three steps; the fourth call shows the last again
            hint("02.leaky_relu")
            expect("02.leaky_relu", "hint", step=step)
        solution("02.leaky_relu")
        expect("02.leaky_relu", "solution")
        monkeypatch.setenv("NNLIB_HIDE_SOLUTIONS", "1")
        solution("02.leaky_relu")  # hidden: nothing was shown, nothing recorded
    assert len(leaky.hint_steps) == 3, "the test assumes 02.leaky_relu has three hint steps"

    got = service.wait_for(len(expected))
    time.sleep(0.2)  # nothing more arrives
    got = service.events()
    fields = ["exercise", "action", "outcome", "mistake", "hint_step"]
    assert [tuple(e[f] for f in fields) for e in got] == expected
    for path, headers, _ in service.requests:
        assert path == "/class/events"
        assert headers["Authorization"] == f"token {TOKEN}"
        assert headers["Content-Type"] == "application/json"
    kernel = got[0]["kernel"]
    assert re.fullmatch(r"[0-9a-f]{16}", kernel)
    seqs = [e["seq"] for e in got]
    assert seqs == list(range(seqs[0], seqs[0] + len(got)))
    for e in got:
        assert list(e) == KEYS and e["v"] == 1 and e["kernel"] == kernel
        assert EXERCISE_RE.match(e["exercise"]) and e["action"] in events.ACTIONS
        assert (e["outcome"] in events.OUTCOMES) == (e["action"] == "check")
        assert e["mistake"] is None or MISTAKE_RE.match(e["mistake"])
        assert (isinstance(e["hint_step"], int) and e["hint_step"] >= 1) == (e["action"] == "hint")
        assert isinstance(e["t"], float) and abs(e["t"] - time.time()) < 60
        assert isinstance(e["seq"], int)
    assert 1 <= max(len(json.loads(b)["events"]) for _, _, b in service.requests) <= 100

    # Never the learner's code, values or the message text.
    sent = b"".join(body for _, _, body in service.requests).decode()
    for secret in [SECRET_TEXT, "123456", "123457", "0.123987", "my_secret_named_function",
                   "learner_raises", "LearnersOwnError", "endless", "lambda", "Not yet",
                   "z * ", "raise", "hint(", "alpha", "Hint", "Solution"]:  # fmt: skip
        assert secret not in sent, secret
    assert events.stats()["sent"] == len(expected)


def test_the_class_view_service_accepts_every_kind_of_event(service, monkeypatch):
    """The service's own validator (deploy/classview/class_view.py) takes what is sent."""
    path = ROOT / "deploy" / "classview" / "class_view.py"
    if not path.exists():
        pytest.skip("no deploy/classview/class_view.py in this checkout")
    pytest.importorskip("jupyterhub")
    spec = importlib.util.spec_from_file_location("class_view_for_test", path)
    class_view = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(class_view)
    monkeypatch.setattr(get_exercise("02.sigmoid_grad"), "time_limit", 0.1)
    for answer in (sigmoid_grad, my_secret_named_function, ..., learner_raises, endless):
        check("02.sigmoid_grad", answer)
    check("02.leaky_relu", lambda z: z)
    with contextlib.redirect_stdout(None):
        hint("02.sigmoid_grad")
        solution("02.sigmoid_grad")
    got = service.wait_for(8)
    assert len(got) == 8
    for _, _, body in service.requests:
        assert class_view.parse_events(body) == json.loads(body)["events"]


def test_a_strict_check_records_before_it_raises(service, monkeypatch):
    monkeypatch.setenv("NNLIB_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        check("00.weighted_sum", ...)
    assert [e["outcome"] for e in service.wait_for(1)] == ["not_attempted"]


# --------------------------------------------------------------------------- never in the way


def fifty_checks():
    """50 checks (passed and not yet) and their messages; the seconds they took."""
    right, wrong = get_exercise("00.weighted_sum").reference, lambda x, w, b: np.dot(x, w)
    start = time.perf_counter()
    messages = [check("00.weighted_sum", (right, wrong)[i % 2]).message for i in range(50)]
    return messages, time.perf_counter() - start


@pytest.mark.parametrize("kind", ["down", "slow"])
def test_the_service_down_or_slow_changes_nothing_for_the_learner(kind, monkeypatch, capfd):
    svc = Service(delay=10.0) if kind == "slow" else None
    url = svc.url if svc else f"http://127.0.0.1:{closed_port()}/class/events"
    monkeypatch.setenv(events.TOKEN_ENV, TOKEN)
    try:
        if svc:  # the sender is stuck in a POST while the learner checks
            monkeypatch.setenv(events.URL_ENV, url)
            assert events.record("00.weighted_sum", "hint", hint_step=1)
            assert svc.started.wait(5)
        baseline, _ = fifty_checks()  # also warms up
        without, with_events = [], []
        for _ in range(3):  # interleaved, the best of three: robust to a busy machine
            monkeypatch.delenv(events.URL_ENV, raising=False)  # not a hub: no events
            messages, took = fifty_checks()
            without.append(took)
            assert messages == baseline
            monkeypatch.setenv(events.URL_ENV, url)
            messages, took = fifty_checks()
            with_events.append(took)
            assert messages == baseline  # the same answers ...
        took, base_s = min(with_events), min(without)
        assert took <= 2 * base_s + 0.1, f"50 checks took {took:.3f} s, {base_s:.3f} s without"
        assert wait_until(lambda: events.stats()["failed"] >= 1, timeout=events.TIMEOUT_S + 3)
        assert events.stats()["sent"] == 0
    finally:
        if svc:
            svc.close()  # (its late answers may still count as sent)
    out, err = capfd.readouterr()
    assert err == "" and out == ""  # ... in silence


def test_the_queue_is_bounded_and_recording_costs_microseconds(slow_service, monkeypatch):
    monkeypatch.setattr(events, "QUEUE_MAX", 50)
    # stuck until the service closes: with the 2 s timeout, a pause of the test's thread on a busy
    # machine can let the sender give up and take more events (failed once in a full run)
    monkeypatch.setattr(events, "TIMEOUT_S", 30.0)
    assert events.record("00.weighted_sum", "hint", hint_step=1)
    assert slow_service.started.wait(5)  # the sender is stuck in its first POST
    start = time.perf_counter()
    kept = [events.record("00.weighted_sum", "hint", hint_step=1) for _ in range(200)]
    per_event = (time.perf_counter() - start) / 200
    assert kept == [True] * 50 + [False] * 150
    stats = events.stats()
    assert stats["queued"] == 50 and stats["dropped"] == 150
    assert per_event < 1e-3, f"recording an event took {per_event * 1e6:.0f} µs"


def test_the_interpreter_exits_at_once_and_silently_with_the_service_slow(slow_service):
    code = (
        "import sys, time\n"
        "from nnlib.classroom import events\n"
        "events.BATCH_WAIT_S = 0.05\n"
        "assert events.record('00.weighted_sum', 'solution')\n"
        "time.sleep(0.5)\n"  # the sender is in its POST, waiting for the slow service
        "print(time.monotonic())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    ended = time.monotonic()
    assert proc.returncode == 0 and proc.stderr == ""
    assert slow_service.started.is_set()
    assert ended - float(proc.stdout) < 0.5, "the interpreter waited for the sender at exit"


# --------------------------------------------------------------------------- switching it off


def test_opt_out_stops_sending_and_opt_in_starts_again(service, monkeypatch, tmp_path, capsys):
    events.opt_out()
    assert capsys.readouterr().out.startswith("Class view off: your instructor no longer sees")
    assert (tmp_path / ".nnlib" / "class-view-off").exists()
    assert not events.enabled() and events.notice_text() == ""
    assert check("00.weighted_sum", get_exercise("00.weighted_sum").reference)
    with contextlib.redirect_stdout(None):
        hint("00.weighted_sum")
    assert events.stats()["queued"] == 0
    events.opt_in()
    assert capsys.readouterr().out.startswith("Class view on: your instructor sees counts")
    assert not (tmp_path / ".nnlib" / "class-view-off").exists()
    check("00.weighted_sum", ...)
    assert [e["outcome"] for e in service.wait_for(1)] == ["not_attempted"]

    monkeypatch.setenv(events.SWITCH_ENV, "off")
    assert not events.record("00.weighted_sum", "solution") and not events.enabled()
    events.opt_in()
    assert "stays off" in capsys.readouterr().out
    monkeypatch.delenv(events.SWITCH_ENV)

    # Switched off after recording, before the batch left: those events are dropped, not sent.
    monkeypatch.setattr(events, "BATCH_WAIT_S", 0.5)
    for _ in range(3):
        assert events.record("00.weighted_sum", "solution")
    events.opt_out()
    assert wait_until(lambda: events.stats()["dropped"] == 3)
    assert capsys.readouterr().err == ""
    assert len(service.events()) == 1 and events.stats()["sent"] == 1


def test_the_welcome_lesson_tells_a_hub_student_what_is_seen(monkeypatch, capsys):
    source = (ROOT / "lessons" / "00_welcome.py").read_text(encoding="utf-8")
    cell = next(c for c in source.split("# %%") if "notice()" in c)
    cell = cell.split("\n", 1)[1]
    exec(cell, {"nnlib": __import__("nnlib")})  # outside a hub: nothing
    assert capsys.readouterr() == ("", "")

    monkeypatch.setenv(events.URL_ENV, "http://127.0.0.1:9/x")
    monkeypatch.setenv(events.TOKEN_ENV, TOKEN)
    exec(cell, {"nnlib": __import__("nnlib")})
    out, err = capsys.readouterr()
    assert err == "" and out.count("\n") == 1, out
    for words in ["instructor sees", "checks, hints and solutions", "never your code",
                  "events.opt_out()", "from nnlib.classroom import events"]:  # fmt: skip
        assert words in out
    events.opt_out()
    assert "Class view off" in capsys.readouterr().out
    exec(cell, {"nnlib": __import__("nnlib")})
    assert capsys.readouterr() == ("", "")
    assert events._sender is None  # the notice sends nothing


def test_opt_out_says_what_to_do_when_the_home_folder_is_read_only(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").write_text("a file where the home folder should be")
    with pytest.raises(OSError, match="NNLIB_CLASS_VIEW=off instead"):
        events.opt_out()
    events.opt_in()  # nothing to remove: fine
    assert "sends nothing: it is not a class hub" in capsys.readouterr().out


# --------------------------------------------------------------------------- the lessons


def test_lessons_run_under_nbval_with_the_service_stopped():
    """`make test`'s nbval run of lessons 00 and 02 on a "hub" whose service is down: every cell
    passes and none writes to stderr (conftest.py), as before (~15 s)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NNLIB_"))}
    env.update(
        NNLIB_CLASS_EVENTS_URL=f"http://127.0.0.1:{closed_port()}/class/events",
        JUPYTERHUB_API_TOKEN="fake-token",
        NNLIB_QUICK="1",
        NNLIB_OFFLINE="1",
        NNLIB_STRICT_CHECKS="1",
        MPLBACKEND="Agg",
    )
    notebooks = ["notebooks/00_welcome.ipynb", "notebooks/02_activations.ipynb"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *notebooks, "--nbval-lax", "--nbval-current-env"]
        + ["-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout
