"""See the class learn: what ``check``, ``hint`` and ``solution`` tell a class hub, and only a hub.

On a class hub that turned the class view on, every ``check``/``hint``/``solution`` records one
small event: which exercise, what was asked, passed or which kind of mistake (the place in the
course's checks that wrote the message, or the type of the exception the learner's code raised),
the hint step shown. Never the learner's code, values or the message text::

    {"v": 1, "exercise": "02.sigmoid_grad", "action": "check", "outcome": "not_yet",
     "mistake": "core:270", "hint_step": null, "t": 1767000000.123, "seq": 7,
     "kernel": "3f9c0a1b2c3d4e5f"}

The events are sent (``POST {"events": [...]}``, header ``Authorization: token
$JUPYTERHUB_API_TOKEN``) to ``NNLIB_CLASS_EVENTS_URL`` only when both variables are set (the hub
sets them) and the student has not switched the class view off for themselves: :func:`opt_out`
(a file ``~/.nnlib/class-view-off``; :func:`opt_in` removes it) or ``NNLIB_CLASS_VIEW=off``.
Elsewhere (a laptop, Binder, the tests) nothing leaves the kernel: no thread, no socket.

Never in the learner's way: :func:`record` puts the event in a bounded queue (a few
microseconds; when full the event is dropped and counted) and returns. One daemon thread, started
at the first event, sends batches (up to 100 events, or what came within 1 s) with a short
timeout, without proxies or redirects; a batch that fails is dropped and counted
(:func:`stats`). It never prints, logs or raises, and the interpreter exits without waiting for
it. This module uses only the standard library and starts nothing when imported.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
import time

URL_ENV = "NNLIB_CLASS_EVENTS_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
#: ``NNLIB_CLASS_VIEW=off`` (or ``0``, ``no``, ``false``) switches the class view off.
SWITCH_ENV = "NNLIB_CLASS_VIEW"
OFF_FILE = os.path.join("~", ".nnlib", "class-view-off")

SCHEMA_VERSION = 1
QUEUE_MAX = 1000  # events waiting to be sent; more are dropped (and counted)
BATCH_MAX = 100  # events per POST (the service takes 1-100)
BATCH_WAIT_S = 1.0  # how long the first event of a batch waits for more
TIMEOUT_S = 2.0  # per connect / read of one POST

ACTIONS = ("check", "hint", "solution")
OUTCOMES = ("passed", "not_yet", "not_attempted", "error", "time_limit")

_OFF_WORDS = ("off", "0", "no", "false")


def _new_kernel_id() -> str:
    return os.urandom(8).hex()  # not the `random` module: the lessons seed that one


_kernel = _new_kernel_id()
_seq = itertools.count(1)
_sender: _Sender | None = None
_sender_lock = threading.Lock()


# --------------------------------------------------------------------------- switches


def _off_file() -> str:
    return os.path.expanduser(OFF_FILE)


def _switched_off() -> bool:
    if os.environ.get(SWITCH_ENV, "").strip().lower() in _OFF_WORDS:
        return True
    return os.path.exists(_off_file())


def on_a_hub() -> bool:
    """True when this kernel runs on a class hub with class view (both variables set)."""
    return bool(os.environ.get(URL_ENV) and os.environ.get(TOKEN_ENV))


def enabled() -> bool:
    """True when events are sent: on a class hub with class view, not switched off."""
    return on_a_hub() and not _switched_off()


def opt_out() -> None:
    """Switch the class view off for yourself, in every kernel from its next event on: your
    checks, hints and solutions are no longer counted for your instructor (a file
    ``~/.nnlib/class-view-off``; :func:`opt_in` switches it back on)."""
    path = _off_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("The class view is off for this account (nnlib.classroom.events.opt_in()).\n")
    except OSError as exc:
        raise OSError(
            f"could not switch the class view off: writing {path} failed ({exc}). Set the "
            f"environment variable {SWITCH_ENV}=off instead, or ask your instructor."
        ) from None
    print("Class view off: your instructor no longer sees your checks, hints and solutions.")


def opt_in() -> None:
    """Switch the class view back on for yourself (undoes :func:`opt_out`)."""
    path = _off_file()
    if os.path.exists(path):
        try:
            os.remove(path)
        except OSError as exc:
            raise OSError(
                f"could not switch the class view back on: removing {path} failed ({exc})."
            ) from None
    if os.environ.get(SWITCH_ENV, "").strip().lower() in _OFF_WORDS:
        print(f"The class view stays off in this kernel: {SWITCH_ENV} switches it off.")
    elif not on_a_hub():
        print("The class view is on, but this server sends nothing: it is not a class hub's.")
    else:
        print("Class view on: your instructor sees counts of your checks, hints and solutions.")


def notice_text() -> str:
    """The welcome lesson's line about the class view: what the instructor sees and how to
    switch it off ("" where nothing is sent: outside a class hub, or switched off)."""
    if not enabled():
        return ""
    return (
        "Class view is on: your instructor sees counts of your checks, hints and solutions - "
        "which exercise, passed or which kind of mistake; never your code or your answers. "
        "To switch it off for yourself: from nnlib.classroom import events; events.opt_out()"
    )


def notice() -> None:
    """Print :func:`notice_text` when there is one (on a class hub with the class view on)."""
    text = notice_text()
    if text:
        print(text)


# --------------------------------------------------------------------------- recording


def record(exercise, action, outcome=None, mistake=None, hint_step=None) -> bool:
    """Queue one event for the class hub (True), or do nothing where nothing is sent (False).

    Never raises and never waits: the learner's ``check`` goes on at once."""
    try:
        if not enabled():
            return False
        event = {
            "v": SCHEMA_VERSION,
            "exercise": exercise,
            "action": action,
            "outcome": outcome if action == "check" else None,
            "mistake": mistake if action == "check" else None,
            "hint_step": hint_step if action == "hint" else None,
            "t": round(time.time(), 3),
            "seq": next(_seq),
            "kernel": _kernel,
        }
        return _get_sender().put(event)
    except Exception:  # never in the learner's way
        return False


def stats() -> dict:
    """Counts of events since the kernel started: ``sent``, ``dropped`` (the queue was full, or
    the class view was switched off before they were sent), ``failed`` (their POST failed: the
    service down, slow or refusing), and ``queued`` (waiting now)."""
    sender = _sender
    if sender is None:
        return {"sent": 0, "dropped": 0, "failed": 0, "queued": 0}
    with sender.lock:
        counts = dict(sender.counts)
    counts["queued"] = sender.queue.qsize()
    return counts


def _get_sender() -> _Sender:
    """The sender, its thread started at the first event."""
    global _sender
    sender = _sender
    if sender is None or not sender.started:
        with _sender_lock:
            if _sender is None:
                _sender = _Sender(QUEUE_MAX)
            _sender.start()
            sender = _sender
    return sender


def _reset(new_kernel: bool = False) -> None:
    """Forget the queue, the counters and the thread (a new one starts at the next event); the
    old thread keeps its own queue. For the tests, and in a forked child."""
    global _sender, _kernel, _seq, _sender_lock
    _sender = None
    if new_kernel:
        _kernel, _seq, _sender_lock = _new_kernel_id(), itertools.count(1), threading.Lock()


if hasattr(os, "register_at_fork"):  # a child process is another kernel, without the thread
    os.register_at_fork(after_in_child=lambda: _reset(new_kernel=True))


class _Sender:
    """A bounded queue and the one daemon thread that posts its events in batches."""

    def __init__(self, maxsize: int):
        self.queue: queue.Queue = queue.Queue(maxsize)
        self.lock = threading.Lock()
        self.counts = {"sent": 0, "dropped": 0, "failed": 0}
        self.started = False
        self._opener = None

    def start(self) -> None:
        if not self.started:
            threading.Thread(target=self._run, name="nnlib-class-events", daemon=True).start()
            self.started = True

    def _count(self, what: str, n: int) -> None:
        with self.lock:
            self.counts[what] += n

    def put(self, event: dict) -> bool:
        try:
            self.queue.put_nowait(event)
            return True
        except queue.Full:
            self._count("dropped", 1)
            return False

    def _run(self) -> None:
        while True:
            try:
                batch = [self.queue.get()]
                if self.queue.qsize() < BATCH_MAX - 1:  # one wake-up per batch, not per event
                    time.sleep(BATCH_WAIT_S)
                while len(batch) < BATCH_MAX:
                    try:
                        batch.append(self.queue.get_nowait())
                    except queue.Empty:
                        break
                self._send(batch)
            except BaseException:  # the thread never raises (nor prints a traceback)
                try:
                    time.sleep(0.1)
                except BaseException:
                    return

    def _send(self, batch: list) -> None:
        url, token = os.environ.get(URL_ENV), os.environ.get(TOKEN_ENV)
        if not (url and token) or _switched_off():  # checked again at send time
            self._count("dropped", len(batch))
            return
        if not url.startswith(("http://", "https://")):
            self._count("failed", len(batch))
            return
        try:
            import json
            import urllib.request

            if self._opener is None:
                self._opener = _build_opener()
            request = urllib.request.Request(
                url,
                data=json.dumps({"events": batch}, separators=(",", ":")).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"token {token}"},
                method="POST",
            )
            with self._opener.open(request, timeout=TIMEOUT_S) as response:
                response.read(65536)
                ok = 200 <= response.status < 300
        except Exception:  # down, slow, refused, a redirect: drop the batch, count it
            ok = False
        self._count("sent" if ok else "failed", len(batch))


def _build_opener():
    """urllib without proxies (the service is inside the hub) and without redirects (the token
    goes to the configured URL only: a redirect is a failed POST)."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
