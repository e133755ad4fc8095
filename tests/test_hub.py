"""The class hub (deploy/): limits enforced, Helm values in step, course links, idle culler.

Fast tests run in ``make test``; the ones that start a hub run in ``make test-hub``
(NNLIB_HUB_TEST=1), with tests/test_hub_nbgitpuller.py and the N = 3 load test.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cgroup_spawner as cg
import pytest
import yaml
from course_link import course_link
from jupyterhub.traitlets import ByteSpecification
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "deploy" / "jupyterhub"

hub_test = pytest.mark.skipif(
    os.environ.get("NNLIB_HUB_TEST") != "1", reason="hub test: make test-hub (NNLIB_HUB_TEST=1)"
)


def bytes_of(spec) -> int:
    return ByteSpecification().validate(None, spec) if isinstance(spec, str) else int(spec)


@pytest.fixture
def group(request):
    """A fresh cgroup below this process's own (skipped where cgroup v1 is not writable)."""
    dirs = cg.group_dirs("nnlib-hub-test", f"g{os.getpid()}-{request.node.name[-20:]}")
    yield dirs
    for d in dirs.values():
        procs = d / "cgroup.procs"
        for pid in procs.read_text().split() if procs.exists() else []:
            try:
                os.kill(int(pid), 9)
            except ProcessLookupError:
                pass
    time.sleep(0.2)
    cg.remove_group(dirs)
    for d in dirs.values():
        try:
            d.parent.rmdir()
        except OSError:
            pass


def run_in_group(dirs, code, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=lambda: cg.join_group(dirs),
        capture_output=True,
        timeout=timeout,
    )


ALLOCATE = "import numpy as np; a = np.ones({mb} * 2**20 // 8); print(a.sum())"


def make_group(dirs, mem, cpu):
    try:
        cg.create_group(dirs, mem, cpu)
    except cg.LimitsUnavailable as err:
        pytest.skip(str(err))


def test_memory_limit_is_enforced(group):
    """Under a 150 MB limit, 40 MB is fine and 400 MB is killed (SIGKILL from the OOM killer)."""
    make_group(group, 150 * 2**20, None)
    assert run_in_group(group, ALLOCATE.format(mb=40)).returncode == 0
    over = run_in_group(group, ALLOCATE.format(mb=400))
    assert over.returncode == -9, (over.returncode, over.stderr[-300:])
    assert cg.peak_memory(group) <= 150 * 2**20


def test_cpu_limit_is_enforced(group):
    """A quarter of a core: 1.2 s of busy looping gets at most ~0.35 s of CPU."""
    make_group(group, None, 0.25)
    busy = (
        "import os, time; t = time.monotonic()\n"
        "while time.monotonic() - t < 1.2: pass\n"
        "print(sum(os.times()[:2]))"
    )
    out = run_in_group(group, busy)
    assert out.returncode == 0
    assert float(out.stdout) < 0.45, f"used {out.stdout} s of CPU under a 0.25-core limit"


def test_missing_cgroups_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(cg, "CGROUP_ROOT", tmp_path / "nowhere")
    dirs = {c: tmp_path / "ro" / c for c in cg.CONTROLLERS}
    (tmp_path / "ro").write_text("not a folder")
    with pytest.raises(cg.LimitsUnavailable, match="NNLIB_HUB_LIMITS=off"):
        cg.create_group(dirs, 2**30, 1)


def load_hub_config(monkeypatch, tmp_path, **env) -> Config:
    for key in list(os.environ):
        if key.startswith("NNLIB_HUB_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NNLIB_HUB_STATE", str(tmp_path))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    c = Config()
    path = HUB / "jupyterhub_config.py"
    exec(
        compile(path.read_text(), str(path), "exec"),
        {"get_config": lambda: c, "__file__": str(path)},
    )
    return c


def test_dummy_authenticator_needs_a_password(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="NNLIB_HUB_PASSWORD is not set"):
        load_hub_config(monkeypatch, tmp_path)


def test_one_machine_config(monkeypatch, tmp_path):
    c = load_hub_config(
        monkeypatch, tmp_path, NNLIB_HUB_PASSWORD="pw", NNLIB_HUB_COURSE_BRANCH="main"
    )
    assert c.JupyterHub.ip == "127.0.0.1"
    assert c.JupyterHub.spawner_class is cg.CgroupSpawner and c.CgroupSpawner.limits
    assert Path(c.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"
    culler = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"][0]
    assert "--timeout=3600" in culler["command"]
    assert c.Spawner.environment["NNLIB_HUB_COURSE_REPO"] == str(ROOT)
    assert (HUB / "pull-course.sh").exists() and os.access(HUB / "pull-course.sh", os.X_OK)


def test_helm_values_in_step_with_one_machine(monkeypatch, tmp_path):
    """Zero to JupyterHub: valid YAML without repeated keys, the same limits and culling as
    the one-machine hub, a guarantee no lower than the measured private memory per student."""

    class NoDuplicates(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            assert len(keys) == len(set(keys)), f"repeated key in {keys} ({node.start_mark})"
            return super().construct_mapping(node, deep=deep)

    values = yaml.load((ROOT / "deploy" / "z2jh" / "config.yaml").read_text(), NoDuplicates)
    c = load_hub_config(
        monkeypatch, tmp_path, NNLIB_HUB_PASSWORD="pw", NNLIB_HUB_COURSE_BRANCH="main"
    )
    user = values["singleuser"]
    assert bytes_of(user["memory"]["limit"]) == bytes_of(c.Spawner.mem_limit)
    assert float(user["cpu"]["limit"]) == c.Spawner.cpu_limit
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == 3600
    culler = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"][0]
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    hook = " ".join(user["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "gitpuller" in hook and "tools/workspace.py" in hook
    assert user["defaultUrl"] == "/lab/tree/course/work/00_welcome.ipynb"
    measured = json.loads((ROOT / "docs" / "numbers" / "hub_load_test.json").read_text())
    worst = max(r["private_mb_worst"] for r in measured["rounds"]) * 2**20
    assert bytes_of(user["memory"]["guarantee"]) >= worst
    assert worst < bytes_of(user["memory"]["limit"])
    for pkg in ("jupyterhub==", "nbgitpuller==", "jupyterhub-idle-culler=="):
        assert pkg in (ROOT / "binder" / "requirements.txt").read_text()


def test_course_link():
    link = course_link("https://hub.example.org/", "https://github.com/o/r", "7")
    assert link == (
        "https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fr"
        "&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fwork%2F07_keras.ipynb"
    )
    plain = course_link("http://127.0.0.1:8000", "/srv/course", "01_neuron", plain=True)
    assert plain.endswith("urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F01_neuron.ipynb")
    with pytest.raises(ValueError, match="expected a lesson number or name"):
        course_link("https://hub.example.org", "https://github.com/o/r", "42")
    with pytest.raises(ValueError, match="expected the hub's address"):
        course_link("hub.example.org", "https://github.com/o/r", "01")


@hub_test
def test_hub_starts_and_culls_an_idle_server():
    """The hub of deploy/jupyterhub starts (proxy from npm, cgroup limits); a student's server
    left idle is stopped by jupyterhub-idle-culler (timeout 4 s here), its cgroup removed."""
    import asyncio

    from load_test_hub import Hub, Student

    async def scenario(tmp):
        hub = Hub(Path(tmp), "1G", "1", cull_timeout=4)
        try:
            await hub.wait_up()
            await hub.api("POST", "/hub/api/users", {"usernames": ["idle"]})
            student = Student(hub, "idle")
            await student.spawn(timeout=90)
            assert student.spawn_s is not None, student.failures
            limit = (student.dirs["memory"] / "memory.limit_in_bytes").read_text()
            assert int(limit) == 2**30
            for _ in range(120):  # bounded: 60 s
                user = await hub.api("GET", "/hub/api/users/idle")
                if not user["servers"]:
                    break
                await asyncio.sleep(0.5)
            assert not user["servers"], "the idle server was not culled within 60 s"
            assert not student.dirs["memory"].exists()
        finally:
            hub.stop()
        return (Path(tmp) / "hub.log").read_text()

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        log = asyncio.run(scenario(tmp))
    assert "Culling server" in log or "culling" in log.lower()
