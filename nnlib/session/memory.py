"""Memory a learner can see: warn before a lesson would push the session past its limit.

Each open notebook has its own kernel, and a kernel that imported Keras holds ~650 MB that no
other kernel shares.  On Binder (1-2 GB) the third TensorFlow lesson left open gets the whole
session killed.  :func:`start_lesson` calls :func:`warn_if_tight` once: when the memory the other
kernels use plus this lesson's measured peak would pass the limit, it prints one line naming the
kernels to shut down (Kernel > Shut Down Kernel, or the Running panel on the left).

* :func:`memory_limit` - the container's limit (``MEM_LIMIT`` as Binder sets it, cgroup v2
  ``memory.max``, cgroup v1 ``memory.limit_in_bytes``), else the machine's RAM;
* :func:`other_kernels` - the other ipykernel processes, their memory and their notebooks (from
  the Jupyter server's ``/api/sessions`` when it answers, else by process id);
* :data:`LESSON_PEAK_MB` - each lesson's measured peak (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..config import is_quick

MB = 1024 * 1024

# Peak memory (MB, ru_maxrss) of each lesson in a fresh kernel, (quick, full), from
# docs/benchmarks.md (full: the real MNIST where the lesson loads it).
# fmt: off
LESSON_PEAK_MB = {
    0: (101, 101), 1: (108, 150), 2: (177, 176), 3: (108, 108),
    4: (304, 383), 5: (782, 783), 6: (117, 133), 7: (1032, 1165),
    8: (994, 1167), 9: (1085, 1125), 10: (881, 882), 11: (1056, 1179),
    12: (1138, 1189),
    13: (1114, 1148),
}
# fmt: on
CGROUP = "the container's memory limit"
UNLIMITED = 1 << 60  # cgroup v1 writes ~2**63 for "no limit"


@dataclass
class Kernel:
    pid: int
    mb: float
    name: str  # the notebook's path when the server told us, else "kernel pid N"


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return None if text in {"", "max"} else int(text)


def _cgroup_limits(proc_cgroup: Path, root: Path) -> list[int]:
    """Every memory limit on the way from this process's cgroup up to the root (v1 and v2)."""
    limits = []
    try:
        lines = proc_cgroup.read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # cgroup v2
            base, name = root, "memory.max"
            if (root / "unified").is_dir() and not (root / "memory.max").exists():
                base = root / "unified"
        elif "memory" in controllers.split(","):
            base, name = root / "memory", "memory.limit_in_bytes"
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for i in range(len(parts), -1, -1):
            value = _read_int(base.joinpath(*parts[:i], name))
            if value is not None and value < UNLIMITED:
                limits.append(value)
    return limits


def memory_limit(proc_cgroup="/proc/self/cgroup", root="/sys/fs/cgroup") -> tuple[int, str]:
    """``(bytes, where it came from)``: the smallest of ``MEM_LIMIT``, the cgroup limits and the
    machine's total RAM."""
    import psutil

    found = [(psutil.virtual_memory().total, "the machine's RAM")]
    env = os.environ.get("MEM_LIMIT", "").strip()
    if env.isdigit() and int(env) > 0:
        found.append((int(env), "MEM_LIMIT"))
    found += [
        (v, "the container's memory limit") for v in _cgroup_limits(Path(proc_cgroup), Path(root))
    ]
    return min(found)


def _kernel_id(cmdline: list[str]) -> str | None:
    for arg in cmdline:
        m = re.search(r"kernel-([0-9a-f-]{36})\.json$", arg)
        if m:
            return m.group(1)
    return None


def _sessions() -> dict[str, str]:
    """kernel id -> notebook path, from the running Jupyter servers' ``/api/sessions``."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:
        return {}
    servers = []
    for info in Path(jupyter_runtime_dir()).glob("jpserver-*.json"):
        try:
            servers.append(json.loads(info.read_text()))
        except (OSError, ValueError):
            continue
    names = {}
    for server in servers:
        url = server.get("url", "").rstrip("/") + "/api/sessions"
        token = server.get("token") or ""
        req = urllib.request.Request(
            url, headers={"Authorization": f"token {token}"} if token else {}
        )
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                for s in json.load(r):
                    names[s["kernel"]["id"]] = s.get("path") or s.get("name") or ""
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return names


def _memory_cgroup(pid: int | str = "self") -> str | None:
    """The memory cgroup of a process (v1 ``memory`` line, else the v2 line), or None."""
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    groups = {c: path for _, c, path in (line.split(":", 2) for line in lines)}
    v1 = next((path for c, path in groups.items() if "memory" in c.split(",")), None)
    return v1 if v1 is not None else groups.get("")


def other_kernels(same_cgroup: bool = False) -> list[Kernel]:
    """The ipykernel processes other than this one, largest first, with their private memory;
    with ``same_cgroup`` only those that share this kernel's memory limit (its cgroup)."""
    import psutil

    me = os.getpid()
    mine = _memory_cgroup() if same_cgroup else None
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        cmd = p.info["cmdline"] or []
        if p.info["pid"] == me or not any("ipykernel" in a for a in cmd[:4]):
            continue
        if mine is not None and _memory_cgroup(p.info["pid"]) != mine:
            continue
        try:
            info = p.memory_full_info()
            mb = getattr(info, "uss", info.rss) / MB
        except (psutil.Error, OSError):
            continue
        found.append((p.info["pid"], mb, _kernel_id(cmd)))
    names = _sessions() if found else {}
    kernels = [Kernel(pid, mb, names.get(kid) or f"kernel pid {pid}") for pid, mb, kid in found]
    return sorted(kernels, key=lambda k: -k.mb)


def lesson_number(path: str | None = None) -> int | None:
    """The lesson number of this kernel's notebook (``JPY_SESSION_NAME``, set by Jupyter)."""
    name = Path(path or os.environ.get("JPY_SESSION_NAME", "")).name
    m = re.match(r"(\d\d)_", name)
    return int(m.group(1)) if m else None


def lesson_peak_mb(lesson: int | None, quick: bool) -> int:
    """This lesson's measured peak in MB (the largest lesson's when unknown)."""
    col = 0 if quick else 1
    if lesson in LESSON_PEAK_MB:
        return LESSON_PEAK_MB[lesson][col]
    return max(p[col] for p in LESSON_PEAK_MB.values())


def to_shut_down(kernels: list[Kernel], need_mb: float, limit_mb: float) -> list[Kernel]:
    """The fewest kernels, largest first, whose memory must go so that the rest plus ``need_mb``
    fit under ``limit_mb``."""
    used = sum(k.mb for k in kernels)
    chosen = []
    for k in kernels:
        if used + need_mb <= limit_mb:
            break
        chosen.append(k)
        used -= k.mb
    return chosen


def warning(kernels: list[Kernel], need_mb: float, limit: tuple[int, str]) -> str | None:
    """The one-line warning, or ``None`` when there is room."""
    limit_mb = limit[0] / MB
    used = sum(k.mb for k in kernels)
    if used + need_mb <= limit_mb:
        return None
    names = ", ".join(k.name for k in to_shut_down(kernels, need_mb, limit_mb))
    return (
        f"Memory: other kernels use {used:.0f} MB and this lesson needs up to {need_mb:.0f} MB, "
        f"over the {limit_mb:.0f} MB limit ({limit[1]}). Shut down: {names} "
        "(Kernel > Shut Down Kernel in that tab, or the Running panel on the left)."
    )


def warn_if_tight(lesson: int | None = None, quick: bool | None = None) -> str | None:
    """Print (and return) the warning line when the other kernels plus this lesson's peak would
    pass the memory limit.  Never raises: a failed measurement prints nothing."""
    try:
        lesson = lesson_number() if lesson is None else lesson
        quick = is_quick() if quick is None else quick
        limit = memory_limit()
        others = other_kernels(same_cgroup=limit[1] == CGROUP)
        line = warning(others, lesson_peak_mb(lesson, quick), limit)
    except Exception:  # noqa: BLE001 - a memory hint must never break a lesson
        return None
    if line:
        print(line)
    return line
