"""The course walked as a learner would, in ONE JupyterLab server under a 2 GB memory limit for the
server and all its kernels (cgroup v1): lessons 00 -> 13 in order, in the workspace `make lab`
creates, every earlier lesson's kernel left running (tabs left open). No kernel may die: the
one-line memory warning of start_lesson() (acted on as a learner would: shutting down the kernels
it names) and the server's idle-kernel culling (30 s here) must keep the walk under the limit.
Afterwards `git status` of the course is clean.

Heavy (~4 min): `make test-journey` (`pytest -m journey`) runs it, not `make test`; CI runs that.
benchmarks/bench_memory_walk.py prints the walk's numbers.
"""

import pytest
from lab_walk import MB, MemoryGroup, walk

LIMIT = 2048 * MB

pytestmark = pytest.mark.journey


def test_walk_the_course_in_2_gb_with_tabs_left_open():
    why = MemoryGroup.available()
    if why:
        pytest.skip(why)
    result = walk(LIMIT, cull_idle_s=30)
    print(result["summary"])
    for rec in result["lessons"]:
        assert rec["errors"] == [], (rec["lesson"], rec["errors"])
        assert rec["stderr"] == [], (rec["lesson"], rec["stderr"])
    assert result["oom_kills"] == 0, "the memory limit killed a process"
    assert result["died"] == [], f"kernels died: {result['died']}"
    assert result["peak"] <= LIMIT
    # What kept it alive: the warnings (acted on) and/or the culler shut kernels down; with every
    # tab left open, no kernel would otherwise end before the walk does.
    shut = sum(len(r["shut_down"]) for r in result["lessons"])
    assert shut + result["culled"] >= 1, "no kernel was shut down: nothing kept memory in check"
    assert result["lessons"][-1]["open_kernels"] < len(result["lessons"])
    assert result["git_status"] == "", result["git_status"]
