"""Per-student memory and CPU limits on one machine without systemd: cgroup v1.

JupyterHub's local spawners do not enforce ``mem_limit``/``cpu_limit`` (only the container and
systemd spawners do). On a server with systemd, The Littlest JupyterHub's ``SystemdSpawner`` is
the right tool. In a container (no systemd, like the machines this course is tested on) this
spawner does the same job with the kernel's cgroup v1 controllers:

* each student's single-user server is started inside its own group
  ``<hub's group>/nnlib-hub-<port>/<username>`` of the ``memory`` and ``cpu`` hierarchies, *before*
  it runs (from ``preexec_fn``), so every kernel it starts is inside the group too;
* ``memory.limit_in_bytes`` = ``mem_limit``: when a student's server and kernels together pass
  it, the kernel's OOM killer kills the largest process of that group (usually the kernel that
  allocated; JupyterLab says "kernel died, restarting"), never another student's;
* ``cpu.cfs_quota_us`` = ``cpu_limit`` x ``cpu.cfs_period_us``: a student gets at most that many
  cores, however many cells they run;
* the group is removed when the server stops.

``tests/test_hub.py`` proves the limit is enforced (a process over it is killed) and the load test
(benchmarks/load_test_hub.py) reads each student's peak from ``memory.max_usage_in_bytes``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Bool, Unicode

CGROUP_ROOT = Path(os.environ.get("NNLIB_CGROUP_ROOT", "/sys/fs/cgroup"))
CONTROLLERS = ("memory", "cpu")
CFS_PERIOD_US = 100_000


class LimitsUnavailable(RuntimeError):
    pass


def own_group(controller: str, proc_cgroup: str = "/proc/self/cgroup") -> Path:
    """The folder of this process's cgroup v1 group for ``controller``."""
    for line in Path(proc_cgroup).read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return CGROUP_ROOT / controller / path.lstrip("/")
    raise LimitsUnavailable(f"no cgroup v1 '{controller}' controller in {proc_cgroup}")


def group_dirs(parent: str, name: str) -> dict[str, Path]:
    """{controller: folder} of the group ``parent/name`` below this process's own groups."""
    return {c: own_group(c) / parent / name for c in CONTROLLERS}


def create_group(dirs: dict[str, Path], mem_limit: int | None, cpu_limit: float | None) -> None:
    """Make the groups and write the limits; raise LimitsUnavailable with the fix in words."""
    try:
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
            f"cannot set per-student limits in {dirs}: {err}. Expected the cgroup v1 memory and "
            "cpu controllers, writable (run the hub as root in a container). On a server with "
            "systemd use SystemdSpawner (see docs/instructor/hub.md), or start the hub with "
            "NNLIB_HUB_LIMITS=off to run without limits."
        ) from err


def join_group(dirs: dict[str, Path], pid: int | None = None) -> None:
    """Move process ``pid`` (default: this one) into the groups."""
    pid = os.getpid() if pid is None else pid
    for d in dirs.values():
        (d / "cgroup.procs").write_text(str(pid))


def remove_group(dirs: dict[str, Path]) -> None:
    """Remove the groups once their processes are gone (a group with processes stays)."""
    for d in dirs.values():
        try:
            d.rmdir()
        except OSError:
            pass


def peak_memory(dirs: dict[str, Path]) -> int:
    """The group's peak memory in bytes (``memory.max_usage_in_bytes``)."""
    return int((dirs["memory"] / "memory.max_usage_in_bytes").read_text())


class CgroupSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner (every student a folder under ``home_dir_template``, one Unix
    account) with ``mem_limit`` and ``cpu_limit`` enforced through cgroup v1."""

    limits = Bool(True, config=True, help="Enforce mem_limit/cpu_limit with cgroups.")
    group_parent = Unicode("nnlib-hub", config=True, help="Parent group of the students' groups.")

    @property
    def group(self) -> dict[str, Path]:
        return group_dirs(self.group_parent, self.user.name)

    def make_preexec_fn(self, name):
        base = super().make_preexec_fn(name)
        dirs = self.group if self.limits else None

        def preexec():
            if dirs is not None:
                join_group(dirs)  # before exec: everything the server starts is limited too
            base()

        return preexec

    async def start(self):
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
            procs = self.group["memory"] / "cgroup.procs"
            for pid in procs.read_text().split() if procs.exists() else []:
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, ValueError):
                    pass
            for _ in range(50):  # bounded: 5 s for the killed processes to go
                remove_group(self.group)
                if not self.group["memory"].exists():
                    break
                await asyncio.sleep(0.1)
