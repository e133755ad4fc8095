"""Peak total memory of a learner's walk through the course (lessons 00 -> 11, quick mode) in one
JupyterLab server whose server and kernels share a cgroup v1 memory limit (default 2048 MB), earlier
kernels left running; start_lesson()'s warnings are acted on and idle kernels are culled.

    flock /tmp/heavy.lock python benchmarks/bench_memory_walk.py [--limit-mb 2048] [--cull-s 30]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lab_walk import MB, MemoryGroup, walk  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit-mb", type=int, default=2048)
    ap.add_argument("--cull-s", type=int, default=30)
    args = ap.parse_args()
    why = MemoryGroup.available()
    if why:
        sys.exit(f"cannot impose the memory limit here: {why}")
    result = walk(args.limit_mb * MB, args.cull_s)
    print(result["summary"])
    for w in result["warned"]:
        print("warning:", w)


if __name__ == "__main__":
    main()
