"""One Unix account per student, with memory and CPU limits the student cannot change.

JupyterHub's ``LocalProcessSpawner`` starts each student's server as that student's Unix user
but neither creates the users nor enforces ``mem_limit``/``cpu_limit`` (only the container and
systemd spawners do; The Littlest JupyterHub uses ``systemdspawner``, the right tool where
systemd runs). ``StudentSpawner`` adds both, for a hub run as root on one machine, with or
without systemd, on cgroup v2 (current Linux) and cgroup v1:

* **the account**: a system user ``<prefix><name>`` (``nn-alice``) is created on first start,
  with a home only they can read (mode 700) under ``homes_root``, no password and no login
  shell; the server runs as that uid, so every kernel does too;
* **the limits**: the root hub makes a group ``<hub's group>/nnlib-hub-<port>/<unix name>``
  and writes the limits into it (v2: ``memory.max``, ``memory.swap.max`` = 0, ``cpu.max``;
  v1: ``memory.limit_in_bytes``, ``memory.memsw.limit_in_bytes``, ``cpu.cfs_quota_us``), then
  the server process joins it *before* it drops to the student's uid (``preexec_fn``), so the
  server and every kernel it starts are inside. The group's files belong to root: the student
  can neither raise a limit nor move a process out (moving needs write access to a group above);
* a student over the memory limit loses the process that allocated (the OOM killer of that
  group: JupyterLab says "kernel died, restarting"), never another student's;
* the group is removed when the server stops.

``check_limits()`` is called by jupyterhub_config.py at start: when limits are asked for and
cannot be set, the hub refuses to start and says why (the tests in tests/deploy/test_hub.py and
tests/deploy/test_hub_security.py prove the limits and the isolation from a student's seat).
"""

from __future__ import annotations

import asyncio
import errno
import grp
import hashlib
import os
import pwd
import re
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Bool, Unicode

CGROUP_ROOT = Path(os.environ.get("NNLIB_CGROUP_ROOT", "/sys/fs/cgroup"))
PROC_CGROUP = "/proc/self/cgroup"
CONTROLLERS = ("memory", "cpu")
CFS_PERIOD_US = 100_000


class LimitsUnavailable(RuntimeError):
    pass


# ---------------------------------------------------------------- cgroups, v2 and v1


def cgroup_version(proc_cgroup: str | None = None) -> int:
    """1 where the memory controller is a v1 hierarchy, 2 where it is on the unified one."""
    proc_cgroup = proc_cgroup or PROC_CGROUP
    fields = [line.split(":", 2) for line in Path(proc_cgroup).read_text().splitlines()]
    if any("memory" in names.split(",") for _, names, _ in fields):
        return 1
    if any(hid == "0" and not names for hid, names, _ in fields):
        if "memory" in (CGROUP_ROOT / "cgroup.controllers").read_text().split():
            return 2
    raise LimitsUnavailable(f"no cgroup memory controller for this process ({proc_cgroup})")


def own_group(controller: str, proc_cgroup: str | None = None) -> Path:
    """The folder of this process's group: for ``controller`` on v1, the unified one on v2."""
    proc_cgroup = proc_cgroup or PROC_CGROUP
    lines = Path(proc_cgroup).read_text().splitlines()
    if cgroup_version(proc_cgroup) == 2:
        path = next(line for line in lines if line.startswith("0::")).split(":", 2)[2]
        return CGROUP_ROOT / path.lstrip("/")
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return CGROUP_ROOT / controller / path.lstrip("/")
    raise LimitsUnavailable(f"no cgroup v1 '{controller}' controller in {proc_cgroup}")


def group_dirs(parent: str, name: str) -> dict[str, Path]:
    """{controller: folder} of the group ``parent/name`` below this process's own groups (on v2
    both controllers share one folder)."""
    return {c: own_group(c) / parent / name for c in CONTROLLERS}


def _enable_v2_controllers(base: Path, parent: Path) -> None:
    """Let the hub's groups below ``base`` use memory and cpu (``cgroup.subtree_control``).

    cgroup v2 allows controllers below a group only while that group has no processes of its
    own (except at the root). Where the hub's own group has processes (a container, a login
    shell), they are moved into a leaf ``nnlib-hub-init`` first, as container init systems do.
    """
    for group in (base, parent):
        group.mkdir(exist_ok=True)
        control = group / "cgroup.subtree_control"
        missing = [c for c in CONTROLLERS if c not in control.read_text().split()]
        if not missing:
            continue
        wanted = " ".join(f"+{c}" for c in missing)
        try:
            control.write_text(wanted)
        except OSError as err:
            if err.errno != errno.EBUSY or group != base:
                raise
            leaf = base / "nnlib-hub-init"
            leaf.mkdir(exist_ok=True)
            for pid in (base / "cgroup.procs").read_text().split():
                try:
                    (leaf / "cgroup.procs").write_text(pid)
                except OSError:
                    pass  # a kernel thread, or a process that just ended
            control.write_text(wanted)


def create_group(dirs: dict[str, Path], mem_limit: int | None, cpu_limit: float | None) -> None:
    """Make the group and write the limits; raise LimitsUnavailable with the fix in words."""
    try:
        if cgroup_version() == 2:
            group = dirs["memory"]
            _enable_v2_controllers(group.parent.parent, group.parent)
            group.mkdir(parents=True, exist_ok=True)
            if mem_limit:
                (group / "memory.max").write_text(str(int(mem_limit)))
                if (group / "memory.swap.max").exists():  # no swapping past the limit either
                    (group / "memory.swap.max").write_text("0")
            if cpu_limit:
                (group / "cpu.max").write_text(f"{int(cpu_limit * CFS_PERIOD_US)} {CFS_PERIOD_US}")
            return
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        if mem_limit:
            (dirs["memory"] / "memory.limit_in_bytes").write_text(str(int(mem_limit)))
            swap = dirs["memory"] / "memory.memsw.limit_in_bytes"
            if swap.exists():  # no swapping past the limit either
                swap.write_text(str(int(mem_limit)))
        if cpu_limit:
            (dirs["cpu"] / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
            (dirs["cpu"] / "cpu.cfs_quota_us").write_text(str(int(cpu_limit * CFS_PERIOD_US)))
    except OSError as err:
        raise LimitsUnavailable(
            f"cannot set per-student limits in {sorted(set(map(str, dirs.values())))}: {err}. "
            "Expected the cgroup v2 (or v1) memory and cpu controllers, writable by the hub: run "
            "the hub as root (in a container: with its own cgroup namespace, e.g. docker run "
            "--cgroupns=private; under systemd: a service with Delegate=yes). On a server with "
            "systemd, The Littlest JupyterHub (systemdspawner) is the standard route "
            "(docs/instructor/hub.md). NNLIB_HUB_LIMITS=off starts the hub without limits."
        ) from err


def join_group(dirs: dict[str, Path], pid: int | None = None) -> None:
    """Move process ``pid`` (default: this one) into the group."""
    pid = os.getpid() if pid is None else pid
    for d in {str(d): d for d in dirs.values()}.values():
        (d / "cgroup.procs").write_text(str(pid))


def group_pids(dirs: dict[str, Path]) -> list[int]:
    procs = dirs["memory"] / "cgroup.procs"
    return [int(p) for p in procs.read_text().split()] if procs.exists() else []


def remove_group(dirs: dict[str, Path]) -> None:
    """Remove the group once its processes are gone (a group with processes stays)."""
    for d in dirs.values():
        try:
            d.rmdir()
        except OSError:
            pass


def memory_limit_file(dirs: dict[str, Path]) -> Path:
    v2 = dirs["memory"] / "memory.max"
    return v2 if v2.exists() else dirs["memory"] / "memory.limit_in_bytes"


def peak_memory(dirs: dict[str, Path]) -> int:
    """The group's peak memory in bytes (v2: ``memory.peak``, else ``memory.current``)."""
    d = dirs["memory"]
    for name in ("memory.max_usage_in_bytes", "memory.peak", "memory.current"):
        if (d / name).exists():
            return int((d / name).read_text().split()[0])
    raise FileNotFoundError(f"no memory usage file in {d}")


def private_memory(dirs: dict[str, Path]) -> int:
    """The group's anonymous memory in bytes: what is the student's alone (not shared code)."""
    stat = dict(line.split() for line in (dirs["memory"] / "memory.stat").read_text().splitlines())
    return int(stat.get("total_rss", stat.get("anon", 0)))


def check_limits(parent: str) -> int:
    """At hub start: make and remove a probe group with limits; the cgroup version in use."""
    dirs = group_dirs(parent, "nnlib-limits-probe")
    create_group(dirs, 2**30, 1.0)
    remove_group(dirs)
    return cgroup_version()


# ---------------------------------------------------------------- Unix accounts

NAME_OK = re.compile(r"^[a-z_][a-z0-9_-]*$")


def unix_name(prefix: str, username: str, max_len: int = 32) -> str:
    """The Unix account of a hub user: ``nn-alice``; names Unix would not take (``Ann.Lee@x``,
    too long) become a safe spelling plus 7 characters of their hash, so two names never meet."""
    safe = re.sub(r"[^a-z0-9_-]", "-", username.lower())
    name = prefix + safe
    if name != prefix + username or len(name) > max_len or not NAME_OK.match(name):
        digest = hashlib.sha256(username.encode()).hexdigest()[:7]
        name = f"{(prefix + safe)[: max_len - 8]}-{digest}"
    return name


def ensure_account(name: str, homes_root: Path) -> pwd.struct_passwd:
    """The student's system account with a private home, created when missing."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        homes_root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "useradd",
                "--system",
                "--user-group",
                "--create-home",
                "--home-dir",
                str(homes_root / name),
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "course student (nnlib hub)",
                name,
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)  # nobody else may list, read or write it
    return entry


def remove_account(name: str) -> None:
    """Delete a student's account and home (tests and the end of term)."""
    subprocess.run(["userdel", "--remove", name], capture_output=True, timeout=30)
    try:
        grp.getgrnam(name)
        subprocess.run(["groupdel", name], capture_output=True, timeout=30)
    except KeyError:
        pass


class StudentSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with an account per student created on demand and cgroup limits."""

    limits = Bool(True, config=True, help="Enforce mem_limit/cpu_limit with cgroups.")
    group_parent = Unicode("nnlib-hub", config=True, help="Parent group of the students' groups.")
    user_prefix = Unicode("nn-", config=True, help="Prefix of the students' Unix names.")
    homes_root = Unicode("/home", config=True, help="Folder of the students' homes.")

    @property
    def unix_name(self) -> str:
        return unix_name(self.user_prefix, self.user.name)

    @property
    def group(self) -> dict[str, Path]:
        return group_dirs(self.group_parent, self.unix_name)

    def make_preexec_fn(self, name):
        drop = set_user_setuid(self.unix_name)  # the student's uid, gid and home
        dirs = self.group if self.limits else None

        def preexec():
            if dirs is not None:
                join_group(dirs)  # as root, before exec: everything the server starts is limited
            drop()

        return preexec

    def user_env(self, env):
        entry = pwd.getpwnam(self.unix_name)
        env.update(USER=entry.pw_name, LOGNAME=entry.pw_name, HOME=entry.pw_dir, SHELL="/bin/bash")
        return env

    async def start(self):
        entry = ensure_account(self.unix_name, Path(self.homes_root))
        self.log.info(
            "%s runs as Unix user %s (uid %d)", self.user.name, entry.pw_name, entry.pw_uid
        )
        if self.limits:
            create_group(self.group, self.mem_limit, self.cpu_limit)
            self.log.info(
                "limits for %s: memory %s bytes, %s CPU (cgroup %s)",
                self.user.name,
                self.mem_limit,
                self.cpu_limit,
                self.group["memory"],
            )
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        if self.limits:
            # kernels the server left behind (it normally shuts them down) go with the group
            for pid in group_pids(self.group):
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            for _ in range(50):  # bounded: 5 s for the killed processes to go
                remove_group(self.group)
                if not self.group["memory"].exists():
                    break
                await asyncio.sleep(0.1)
