"""The class hub (deploy/): limits enforced, Helm values in step, course links, idle culler.

Fast tests run in ``make test``; the ones that start a hub run in ``make test-hub``
(`pytest -m hub`), with tests/classroom/test_hub_nbgitpuller.py and the N = 3 load test.
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

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "deploy" / "jupyterhub"

hub_test = pytest.mark.hub


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


def fake_cgroup_v2(tmp_path, monkeypatch, own="/system.slice/nnlib-hub.service"):
    """A cgroup v2 tree as files (this machine is cgroup v1): the unified root with its
    controllers, the hub's own group with a process in it."""
    root = tmp_path / "cgroup"
    (root / own.lstrip("/")).mkdir(parents=True)
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / own.lstrip("/") / "cgroup.subtree_control").write_text("")
    (root / own.lstrip("/") / "cgroup.procs").write_text("4242\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(f"0::{own}\n")
    monkeypatch.setattr(cg, "CGROUP_ROOT", root)
    monkeypatch.setattr(cg, "PROC_CGROUP", str(proc))
    return root / own.lstrip("/")


def test_cgroup_v2_limits_are_written_where_the_kernel_reads_them(tmp_path, monkeypatch):
    """On cgroup v2 (tested on a tree of files: this machine runs v1): the hub's group passes
    memory and cpu down, the student's group gets memory.max, no swap and cpu.max."""
    own = fake_cgroup_v2(tmp_path, monkeypatch)
    assert cg.cgroup_version() == 2
    dirs = cg.group_dirs("nnlib-hub-8000", "nn-alice")
    assert dirs["memory"] == dirs["cpu"] == own / "nnlib-hub-8000" / "nn-alice"

    def kernel_files(path):  # what the kernel creates in a new v2 group
        path.mkdir(parents=True, exist_ok=True)
        for name in ("cgroup.subtree_control", "cgroup.procs", "memory.swap.max"):
            (path / name).touch()

    kernel_files(own / "nnlib-hub-8000")
    kernel_files(dirs["memory"])
    cg.create_group(dirs, 1536 * 2**20, 0.5)
    assert (own / "cgroup.subtree_control").read_text() == "+memory +cpu"
    assert (own / "nnlib-hub-8000" / "cgroup.subtree_control").read_text() == "+memory +cpu"
    assert (dirs["memory"] / "memory.max").read_text() == str(1536 * 2**20)
    assert (dirs["memory"] / "memory.swap.max").read_text() == "0"
    assert (dirs["memory"] / "cpu.max").read_text() == "50000 100000"
    assert cg.memory_limit_file(dirs).name == "memory.max"


def test_cgroup_version_is_detected(tmp_path, monkeypatch):
    fake_cgroup_v2(tmp_path, monkeypatch)
    assert cg.cgroup_version() == 2
    v1 = tmp_path / "v1"
    v1.write_text("5:memory:/docker/abc\n4:cpu:/docker/abc\n0::/\n")  # hybrid: v1 memory
    assert cg.cgroup_version(str(v1)) == 1
    assert cg.own_group("memory", str(v1)) == cg.CGROUP_ROOT / "memory" / "docker" / "abc"
    none = tmp_path / "none"
    none.write_text("1:name=systemd:/\n")
    with pytest.raises(cg.LimitsUnavailable, match="no cgroup memory controller"):
        cg.cgroup_version(str(none))


def test_unix_names_are_safe_and_distinct():
    assert cg.unix_name("nn-", "alice") == "nn-alice"
    odd = [cg.unix_name("nn-", n) for n in ("Ann.Lee@uni.edu", "ann-lee-uni-edu", "x" * 40)]
    assert all(cg.NAME_OK.match(n) and len(n) <= 32 for n in odd)
    assert len(set(odd)) == 3
    assert cg.unix_name("nn-", "Ann.Lee@uni.edu") != cg.unix_name("nn-", "ann.lee@uni.edu")


CLASS_PW = "a-class-password"
ADMIN_PW = "an-admin-password-of-32-characters!"


def load_hub_config(monkeypatch, tmp_path, root=True, limits_ok=True, **env) -> Config:
    """Execute jupyterhub_config.py as the hub would (as root, limits available, a course
    environment in a temporary prefix), with only the given NNLIB_HUB_* settings."""
    for key in list(os.environ):
        if key.startswith("NNLIB_HUB_"):
            monkeypatch.delenv(key)
    prefix = tmp_path / "prefix"
    (prefix / "env" / "bin").mkdir(parents=True, exist_ok=True)
    (prefix / "env" / "bin" / "jupyterhub-singleuser").touch()
    monkeypatch.setenv("NNLIB_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("NNLIB_HUB_PREFIX", str(prefix))
    monkeypatch.setattr(os, "geteuid", lambda: 0 if root else 1000)

    def check_limits(parent):
        if not limits_ok:
            raise cg.LimitsUnavailable("no cgroups here (test)")
        return 1

    monkeypatch.setattr(cg, "check_limits", check_limits)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    c = Config()
    path = HUB / "jupyterhub_config.py"
    exec(
        compile(path.read_text(), str(path), "exec"),
        {"get_config": lambda: c, "__file__": str(path), "load_subconfig": lambda f: None},
    )
    return c


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "NNLIB_HUB_PASSWORD .* must have 8 characters or more, got 0"),
        ({"NNLIB_HUB_PASSWORD": "short"}, "must have 8 characters or more, got 5"),
        (
            {"NNLIB_HUB_PASSWORD": CLASS_PW, "NNLIB_HUB_ADMINS": "instructor"},
            "NNLIB_HUB_ADMIN_PASSWORD .* 32 characters or more, got 0.*openssl rand",
        ),
        (
            {
                "NNLIB_HUB_PASSWORD": CLASS_PW * 3,
                "NNLIB_HUB_ADMINS": "instructor",
                "NNLIB_HUB_ADMIN_PASSWORD": CLASS_PW * 3,
            },
            "must differ from the class password",
        ),
        (
            {"NNLIB_HUB_PASSWORD": CLASS_PW, "NNLIB_HUB_AUTHENTICATOR": "dummy"},
            "NNLIB_HUB_AUTHENTICATOR='dummy': expected 'shared-password' or one of",
        ),
        (
            {"NNLIB_HUB_PASSWORD": CLASS_PW, "NNLIB_HUB_AUTHENTICATOR": "../../x"},
            "expected 'shared-password'",
        ),
    ],
)
def test_the_hub_refuses_to_start_without_its_secrets(monkeypatch, tmp_path, env, message):
    with pytest.raises(SystemExit, match=message):
        load_hub_config(monkeypatch, tmp_path, **env)


def test_the_hub_refuses_to_start_without_root_or_limits(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="must run as root"):
        load_hub_config(monkeypatch, tmp_path, root=False, NNLIB_HUB_PASSWORD=CLASS_PW)
    with pytest.raises(SystemExit, match="no cgroups here"):
        load_hub_config(monkeypatch, tmp_path, limits_ok=False, NNLIB_HUB_PASSWORD=CLASS_PW)
    c = load_hub_config(
        monkeypatch, tmp_path, limits_ok=False, NNLIB_HUB_PASSWORD=CLASS_PW, NNLIB_HUB_LIMITS="off"
    )
    assert not c.StudentSpawner.limits
    with pytest.raises(SystemExit, match="no course environment"):
        load_hub_config(
            monkeypatch, tmp_path, NNLIB_HUB_PASSWORD=CLASS_PW, NNLIB_HUB_PREFIX=str(tmp_path)
        )


def test_one_machine_config(monkeypatch, tmp_path):
    c = load_hub_config(
        monkeypatch,
        tmp_path,
        NNLIB_HUB_PASSWORD=CLASS_PW,
        NNLIB_HUB_ADMINS="instructor",
        NNLIB_HUB_ADMIN_PASSWORD=ADMIN_PW,
    )
    assert c.JupyterHub.ip == "127.0.0.1"
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == CLASS_PW
    assert c.SharedPasswordAuthenticator.admin_password == ADMIN_PW
    assert c.Authenticator.admin_users == {"instructor"} and c.Authenticator.allow_all
    assert c.JupyterHub.spawner_class is cg.StudentSpawner and c.StudentSpawner.limits
    assert c.StudentSpawner.user_prefix == "nn-" and c.StudentSpawner.homes_root == "/home"
    assert (tmp_path / "state").stat().st_mode & 0o777 == 0o700
    assert Path(c.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"
    culler = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"][0]
    assert "--timeout=3600" in culler["command"]
    prefix = tmp_path / "prefix"
    env = c.Spawner.environment
    assert env["NNLIB_HUB_COURSE_REPO"] == str(prefix / "course.git")
    assert env["PATH"].startswith(str(prefix / "env" / "bin"))
    assert env["GIT_CONFIG_SYSTEM"] == str(prefix / "gitconfig")
    assert not [k for k in env if "PASSWORD" in k or "TOKEN" in k], "a secret reaches students"
    assert c.LocalProcessSpawner.env_keep == ["LANG", "LC_ALL"]
    assert c.Spawner.cmd == [str(prefix / "bin" / "singleuser-start.sh")]
    for script in ("pull-course.sh", "singleuser-start.sh", "install-course-env.sh"):
        assert os.access(HUB / script, os.X_OK), script


def test_helm_values_in_step_with_one_machine(monkeypatch, tmp_path):
    """Zero to JupyterHub: valid YAML without repeated keys, the same limits and culling as
    the one-machine hub, a guarantee no lower than the measured private memory per student."""

    class NoDuplicates(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            assert len(keys) == len(set(keys)), f"repeated key in {keys} ({node.start_mark})"
            return super().construct_mapping(node, deep=deep)

    values = yaml.load((ROOT / "deploy" / "z2jh" / "config.yaml").read_text(), NoDuplicates)
    c = load_hub_config(monkeypatch, tmp_path, NNLIB_HUB_PASSWORD=CLASS_PW)
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
        "&branch=main&targetpath=course&urlpath=nnlib%2Fopen%2Fcourse%2F07_keras.ipynb"
    )  # nnlib.classroom brings the lesson into course/work/ and opens it there
    plain = course_link("http://127.0.0.1:8000", "/srv/course", "01_neuron", plain=True)
    assert plain.endswith("urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F01_neuron.ipynb")
    other = course_link("https://hub.example.org", "https://github.com/o/r", "00", target="nn")
    assert other.endswith("targetpath=nn&urlpath=nnlib%2Fopen%2Fnn%2F00_welcome.ipynb")
    with pytest.raises(ValueError, match="--target: '../x' is not a course folder"):
        course_link("https://hub.example.org", "https://github.com/o/r", "01", target="../x")
    with pytest.raises(ValueError, match="expected a lesson number or name"):
        course_link("https://hub.example.org", "https://github.com/o/r", "42")
    with pytest.raises(ValueError, match="expected the hub's address"):
        course_link("hub.example.org", "https://github.com/o/r", "01")


@hub_test
def test_hub_starts_and_culls_an_idle_server():
    """The hub of deploy/jupyterhub starts (proxy from npm, cgroup limits); a student's server
    left idle is stopped by jupyterhub-idle-culler (timeout 4 s here), its cgroup removed."""
    import asyncio
    import tempfile

    from load_test_hub import Hub, Student

    async def scenario(tmp):
        hub = Hub(Path(tmp), "1G", "1", cull_timeout=4)
        try:
            await hub.wait_up()
            await hub.api("POST", "/hub/api/users", {"usernames": ["idle"]})
            student = Student(hub, "idle")
            await student.spawn(timeout=90)
            assert student.spawn_s is not None, student.failures
            assert int(cg.memory_limit_file(student.dirs).read_text()) == 2**30
            for _ in range(120):  # bounded: 60 s
                user = await hub.api("GET", "/hub/api/users/idle")
                if not user["servers"]:
                    break
                await asyncio.sleep(0.5)
            assert not user["servers"], "the idle server was not culled within 60 s"
            assert not student.dirs["memory"].exists()
            return (hub.state / "hub.log").read_text()
        finally:
            hub.stop()

    with tempfile.TemporaryDirectory() as tmp:
        log = asyncio.run(scenario(tmp))
    assert "Culling server" in log or "culling" in log.lower()


def test_hub_guide_table_is_the_measured_load_test():
    """docs/instructor/hub.md's load-test table is docs/numbers/hub_load_test.json, rounded."""
    import re

    doc = (ROOT / "docs" / "instructor" / "hub.md").read_text()
    block = doc.split("<!-- hub-load:begin -->")[1].split("<!-- hub-load:end -->")[0]
    rows = [r for r in block.splitlines() if re.match(r"^\| \d+ \|", r)]
    measured = json.loads((ROOT / "docs" / "numbers" / "hub_load_test.json").read_text())
    assert len(rows) == len(measured["rounds"])
    for row, r in zip(rows, measured["rounds"]):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == str(r["students"])
        assert cells[1] == f"{r['spawn_median_s']:.1f} / {r['spawn_worst_s']:.1f}"
        assert cells[2] == f"{r['lesson01_median_s']:.1f} / {r['lesson01_worst_s']:.1f}"
        assert cells[3] == f"{r['lesson07_median_s']:.0f} / {r['lesson07_worst_s']:.0f}"
        assert cells[4] == f"{r['private_mb_median']:.0f} / {r['private_mb_worst']:.0f}"
        assert cells[5] == f"{r['peak_rss_mb_worst']:.0f}"
        assert cells[6] == str(len(r["failures"]))
    assert "at full size" in measured["lessons"]
