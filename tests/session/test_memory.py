"""nnlib.session.memory: the memory limit (MEM_LIMIT, cgroup v1/v2, RAM), the other kernels, and the
one-line warning start_lesson() prints when this lesson would not fit."""

import re

import pytest

from nnlib.session import memory
from nnlib.session.memory import MB, Kernel


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_cgroup_v1_limit_of_the_group_and_its_parents(tmp_path):
    root = tmp_path / "cg"
    _write(root / "memory" / "memory.limit_in_bytes", "9223372036854771712\n")  # no limit
    _write(root / "memory" / "walk" / "memory.limit_in_bytes", str(2048 * MB))
    _write(root / "memory" / "walk" / "lab" / "memory.limit_in_bytes", "9223372036854771712\n")
    proc = tmp_path / "cgroup"
    proc.write_text("5:cpu:/\n4:memory:/walk/lab\n0::/\n")
    assert memory._cgroup_limits(proc, root) == [2048 * MB]


def test_cgroup_v2_memory_max(tmp_path):
    root = tmp_path / "cg"
    _write(root / "memory.max", "max\n")
    _write(root / "user" / "memory.max", f"{1536 * MB}\n")
    proc = tmp_path / "cgroup"
    proc.write_text("0::/user\n")
    assert memory._cgroup_limits(proc, root) == [1536 * MB]


def test_limit_is_the_smallest_of_mem_limit_cgroup_and_ram(tmp_path, monkeypatch):
    monkeypatch.setenv("MEM_LIMIT", str(1024 * MB))  # as Binder sets it
    limit, where = memory.memory_limit(tmp_path / "none", tmp_path)
    assert (limit, where) == (1024 * MB, "MEM_LIMIT")
    monkeypatch.delenv("MEM_LIMIT")
    limit, where = memory.memory_limit(tmp_path / "none", tmp_path)
    assert where == "the machine's RAM" and limit > 256 * MB


def test_no_warning_when_it_fits():
    kernels = [Kernel(1, 300, "01_neuron.ipynb")]
    assert memory.warning(kernels, 1000, (2048 * MB, "MEM_LIMIT")) is None


def test_warning_names_the_fewest_largest_kernels_in_one_line():
    kernels = [
        Kernel(3, 900, "work/07_keras.ipynb"),
        Kernel(2, 700, "work/05_backpropagation.ipynb"),
        Kernel(1, 100, "work/01_neuron.ipynb"),
    ]
    line = memory.warning(kernels, 1300, (2048 * MB, "MEM_LIMIT"))
    assert "\n" not in line
    assert "1700 MB" in line and "1300 MB" in line and "2048 MB" in line
    shut = re.search(r"Shut down: (.*) \(Kernel", line).group(1)
    assert shut == "work/07_keras.ipynb, work/05_backpropagation.ipynb"  # 100 + 1300 fits
    assert "Kernel > Shut Down Kernel" in line and "Running panel" in line


def test_lesson_number_and_peaks(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/work/07_keras.ipynb")
    assert memory.lesson_number() == 7
    assert memory.lesson_peak_mb(7, quick=False) == memory.LESSON_PEAK_MB[7][1]
    assert memory.lesson_peak_mb(None, quick=True) == max(
        p[0] for p in memory.LESSON_PEAK_MB.values()
    )
    assert set(memory.LESSON_PEAK_MB) == set(range(14))


@pytest.fixture
def kernel():
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)  # started and imported: its memory and command line are set
    client.stop_channels()
    try:
        yield km
    finally:
        km.shutdown_kernel(now=True)


def test_a_real_other_kernel_is_found_and_named(kernel, monkeypatch, capsys):
    pid = kernel.provisioner.process.pid
    found = [k for k in memory.other_kernels() if k.pid == pid]
    assert found and found[0].mb > 5
    assert found[0].name == f"kernel pid {pid}"  # no Jupyter server knows this kernel
    monkeypatch.setenv("MEM_LIMIT", str(200 * MB))
    line = memory.warn_if_tight(lesson=7, quick=True)
    assert line and f"kernel pid {pid}" in line
    assert capsys.readouterr().out.strip() == line


def test_start_lesson_prints_nothing_when_there_is_room(monkeypatch, capsys):
    monkeypatch.delenv("MEM_LIMIT", raising=False)
    monkeypatch.setattr(memory, "other_kernels", lambda: [])
    assert memory.warn_if_tight(lesson=0, quick=True) is None
    from nnlib.session import start_lesson

    monkeypatch.delenv("NNLIB_QUICK", raising=False)
    start_lesson()
    assert "Memory:" not in capsys.readouterr().out


def test_under_a_cgroup_limit_only_kernels_sharing_it_count(kernel, monkeypatch):
    pid = kernel.provisioner.process.pid
    assert pid in [k.pid for k in memory.other_kernels(same_cgroup=True)]  # a child: same group
    real = memory._memory_cgroup
    monkeypatch.setattr(
        memory, "_memory_cgroup", lambda p="self": "/elsewhere" if p == pid else real(p)
    )
    assert pid not in [k.pid for k in memory.other_kernels(same_cgroup=True)]
    assert pid in [k.pid for k in memory.other_kernels()]
