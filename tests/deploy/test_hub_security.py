"""The class hub, tried from a student's seat: what a student can and cannot reach.

Starts the documented class setup of deploy/jupyterhub/ (as root: a class password, an admin
with their own password, per-student limits) on 127.0.0.1; two students log in through the login
form with the class password, start their servers, and student alice runs probes in her own
kernel: every attempt to reach bob's work, the hub's secrets, her own limits, the course checkout
or the installed nnlib must fail with PermissionError. The class password must not open the
admin's account. Run by ``make test-hub`` (``pytest -m hub``, as root, with the course
environment of install-course-env.sh).
"""

import asyncio
import json
import os
import pwd
import tempfile
from pathlib import Path

import psutil
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PREFIX = Path(os.environ.get("NNLIB_HUB_PREFIX", "/opt/nnlib-course"))

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(os.geteuid() != 0, reason="the class hub runs as root"),
]

# Run in alice's kernel: each probe must end in PermissionError (or, for a folder she cannot
# enter, in PermissionError on the first step). Prints one JSON line: {probe: outcome}.
PROBES = r"""
import json, os, pathlib
P = json.loads({paths!r})
out = {{"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups()}}
def attempt(name, fn):
    try:
        fn()
        out[name] = "ALLOWED"
    except PermissionError:
        out[name] = "denied"
    except OSError as err:
        out[name] = f"{{type(err).__name__}}: {{err}}"
attempt("list bob's home", lambda: os.listdir(P["bob_home"]))
attempt("read bob's lesson", lambda: open(P["bob_lesson"]).read())
attempt("write bob's lesson", lambda: open(P["bob_lesson"], "a").write("x"))
attempt("read the hub database", lambda: open(P["db"], "rb").read(10))
attempt("read the cookie secret", lambda: open(P["cookie_secret"], "rb").read())
attempt("list the hub state", lambda: os.listdir(P["state"]))
attempt("read the proxy's environment", lambda: open(f"/proc/{{P['proxy_pid']}}/environ").read())
attempt("read the hub's environment", lambda: open(f"/proc/{{P['hub_pid']}}/environ").read())
attempt("raise her memory limit", lambda: open(P["limit_file"], "w").write(str(8 * 2**30)))
attempt("leave her group", lambda: open(P["parent_procs"], "w").write(str(os.getpid())))
attempt("make a group of her own", lambda: os.mkdir(os.path.join(P["group"], "mine")))
attempt("write the course checkout", lambda: open(P["checkout_file"], "a").write("x"))
attempt("add a file to the checkout", lambda: open(P["checkout_new"], "w").write("x"))
attempt("write the installed nnlib", lambda: open(P["nnlib_file"], "a").write("x"))
attempt("add a module to the course env", lambda: open(P["site_new"], "w").write("x"))
attempt("write the course remote", lambda: open(P["remote_file"], "a").write("x"))
import nnlib
out["nnlib"] = nnlib.__file__
out["home"] = os.path.expanduser("~")
out["home_mode"] = oct(os.stat(out["home"]).st_mode & 0o777)
print(json.dumps(out))
"""


def login(url: str, name: str, password: str) -> requests.Session | None:
    """Log in through the hub's form; the session, or None when the hub refused."""
    s = requests.Session()
    s.get(f"{url}/hub/login", timeout=30)
    xsrf = s.cookies.get("_xsrf")
    r = s.post(
        f"{url}/hub/login",
        data={"username": name, "password": password, "_xsrf": xsrf},
        allow_redirects=False,
        timeout=30,
    )
    if r.status_code != 302 or not any(c.name.startswith("jupyterhub-") for c in s.cookies):
        return None
    return s


def api_token(url: str, s: requests.Session, name: str) -> str:
    r = s.post(
        f"{url}/hub/api/users/{name}/tokens",
        json={"note": "test", "expires_in": 3600},
        headers={"X-XSRFToken": s.cookies.get("_xsrf")},
        timeout=30,
    )
    assert r.status_code in (200, 201), (r.status_code, r.text[:300])
    return r.json()["token"]


def proxy_pid(port: int) -> int:
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if "configurable-http-proxy" in cmd and f"--port {port}" in cmd:
            return p.pid
    raise AssertionError(f"no configurable-http-proxy on port {port}")


@pytest.fixture(scope="module")
def class_hub():
    """The documented class setup, with a small memory limit (the over-limit probe)."""
    from load_test_hub import Hub, Student

    async def start(tmp):  # inside the loop: the hub's HTTP client belongs to it
        hub = Hub(Path(tmp), "700M", "1", cull_timeout=3600, service_token=False)
        await hub.wait_up()
        return hub

    tmp = tempfile.TemporaryDirectory(prefix="nnlib-hub-sec-")
    loop = asyncio.new_event_loop()
    hub = loop.run_until_complete(start(tmp.name))
    try:
        students = {}
        for name in ("alice", "bob"):
            session = login(hub.url, name, hub.password)
            assert session is not None, f"{name} could not log in with the class password"
            student = Student(hub, name, token=api_token(hub.url, session, name))
            loop.run_until_complete(student.spawn(timeout=120))
            assert student.spawn_s is not None, (student.failures, hub_log(hub))
            students[name] = student
        yield hub, students, loop
    finally:
        hub.stop()
        loop.close()
        tmp.cleanup()


def hub_log(hub) -> str:
    return (hub.state / "hub.log").read_text()[-3000:]


def test_admin_is_not_reached_with_the_class_password(class_hub):
    hub, _, _ = class_hub
    assert login(hub.url, "instructor", hub.password) is None
    admin = login(hub.url, "instructor", hub.admin_password)
    assert admin is not None, "the admin's own password must work (else this test proves nothing)"
    token = api_token(hub.url, admin, "instructor")
    me = requests.get(
        f"{hub.url}/hub/api/user", headers={"Authorization": f"token {token}"}, timeout=30
    ).json()
    assert me["admin"] is True
    for name in ("alice", "bob"):
        user = requests.get(
            f"{hub.url}/hub/api/users/{name}",
            headers={"Authorization": f"token {token}"},
            timeout=30,
        ).json()
        assert user["admin"] is False


def test_a_student_runs_as_herself_and_reaches_nothing_of_others(class_hub):
    hub, students, loop = class_hub
    alice, bob = students["alice"], students["bob"]
    bob_home = Path(pwd.getpwnam(hub.unix_name("bob")).pw_dir)
    bob_lesson = bob_home / "course" / "work" / "00_welcome.ipynb"
    assert bob_lesson.exists(), "bob's workspace was not made at server start"
    group = alice.dirs["memory"]
    site = next((PREFIX / "env" / "lib").glob("python3*/site-packages"))
    paths = {
        "bob_home": str(bob_home),
        "bob_lesson": str(bob_lesson),
        "state": str(hub.state),
        "db": str(hub.state / "jupyterhub.sqlite"),
        "cookie_secret": str(hub.state / "jupyterhub_cookie_secret"),
        "proxy_pid": proxy_pid(hub.port),
        "hub_pid": hub.proc.pid,
        "limit_file": str(
            group / ("memory.max" if (group / "memory.max").exists() else "memory.limit_in_bytes")
        ),
        "parent_procs": str(group.parent / "cgroup.procs"),
        "group": str(group),
        "checkout_file": str(ROOT / "nnlib" / "__init__.py"),
        "checkout_new": str(ROOT / "probe-by-a-student.txt"),
        "nnlib_file": str(site / "nnlib" / "__init__.py"),
        "site_new": str(site / "probe_by_a_student.py"),
        "remote_file": str(PREFIX / "course.git" / "HEAD"),
    }
    for key in ("db", "cookie_secret"):
        assert Path(paths[key]).exists(), f"{key} missing: the probe would prove nothing"
    err, out = loop.run_until_complete(
        alice.run_code(PROBES.format(paths=json.dumps(paths)), timeout=120)
    )
    assert err is None, err
    seen = json.loads(out.strip().splitlines()[-1])
    entry = pwd.getpwnam(hub.unix_name("alice"))
    assert seen["uid"] == seen["euid"] == entry.pw_uid != 0
    assert 0 not in seen["groups"]
    assert seen["home"] == entry.pw_dir and seen["home_mode"] == "0o700"
    assert seen["nnlib"].startswith(str(site)), seen["nnlib"]
    probes = {k: v for k, v in seen.items() if k[0].islower() and " " in k}
    assert len(probes) == 16
    allowed = {k: v for k, v in probes.items() if v != "denied"}
    assert not allowed, f"a student reached: {allowed}"
    assert not (ROOT / "probe-by-a-student.txt").exists()
    # and through the hub: alice's token does not open bob's server
    r = requests.get(
        f"{hub.url}/user/bob/api/contents",
        headers={"Authorization": f"token {alice.token}"},
        timeout=30,
    )
    assert r.status_code in (403, 404), r.status_code
    assert bob.spawn_s is not None


def test_a_student_over_her_memory_limit_loses_only_her_kernel(class_hub):
    hub, students, loop = class_hub
    alice, bob = students["alice"], students["bob"]
    limit = int(
        alice.dirs["memory"]
        .joinpath(
            "memory.max"
            if (alice.dirs["memory"] / "memory.max").exists()
            else "memory.limit_in_bytes"
        )
        .read_text()
    )
    assert limit == 700 * 2**20
    err, _ = loop.run_until_complete(
        alice.run_code("import numpy as np; a = np.ones(900 * 2**20 // 8); print(a.sum())", 120)
    )
    assert err and ("dead" in err or "restarting" in err or "closed" in err), err
    err, out = loop.run_until_complete(bob.run_code("print(6 * 7)", 60))
    assert err is None and out.strip() == "42"
    err, out = loop.run_until_complete(alice.run_code("print(6 * 7)", 60))
    assert err is None and out.strip() == "42", "alice's server should survive her kernel's death"


def test_a_course_link_opens_the_lesson_through_the_students_server(class_hub):
    """The hub's servers load nnlib.classroom: the course links' last step answers."""
    hub, students, _ = class_hub
    alice = students["alice"]
    r = requests.get(
        f"{hub.url}/user/alice/nnlib/open/course/01_neuron.ipynb",
        headers={"Authorization": f"token {alice.token}"},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 302, (r.status_code, r.text[:300])
    assert r.headers["Location"].endswith("/user/alice/lab/tree/course/work/01_neuron.ipynb")
