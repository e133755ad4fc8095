"""Issue-3 numbers for the NumPy network of lessons 4-6 (nnlib.nn), printed as Markdown tables.

1. Gradients: backprop vs central finite differences (float64) for every layer, activation
   and loss; target relative error < 1e-6.
2. The same gradients from TensorFlow's GradientTape on the same weights; target < 1e-5.
3. XOR from scratch (nnlib) vs the Keras version as commonly taught (2-4-1, 1000 epochs,
   ``model.fit`` on the 4 samples), same run; nnlib target < 0.2 s.
4. Three-class spirals to >= 95 % training accuracy with a small MLP; target <= 10 s.
5. One MNIST-sized epoch (784-128-10, batch 128, float32, Adam) of nnlib vs the same Keras
   epoch, same run; target: nnlib within 2x of Keras.  Offline, ``load_mnist`` gives 4 000
   training digits: they are resampled (with replacement) to 60 000 so the epoch has the real
   size.

Usage::

    python benchmarks/bench_numpy_net.py            # full: 60 000-sample epoch, best of 3
    python benchmarks/bench_numpy_net.py --quick    # 15 000-sample epoch, one timing each

Exit status 1 if a gradient check fails (timings only print "yes"/"no" against their targets).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import nnlib  # noqa: E402
from nnlib import data, nn  # noqa: E402

ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
# (output activation, loss, outputs): every loss, with the outputs it is used with
OUTPUTS = [
    ("linear", "mse", 2),
    ("sigmoid", "binary_crossentropy", 1),
    ("softmax", "categorical_crossentropy", 3),
    ("softmax", "sparse_categorical_crossentropy", 3),
    ("softmax", "mse", 3),
]


def targets(loss, n, k, rng):
    if loss == "sparse_categorical_crossentropy":
        return rng.integers(0, k, size=n)
    if loss == "categorical_crossentropy":
        return np.eye(k)[rng.integers(0, k, size=n)]
    if loss == "binary_crossentropy":
        return rng.integers(0, 2, size=(n, k)).astype(float)
    return rng.normal(size=(n, k))


def make_case(hidden, out_act, loss, k, seed=0):
    """A float64 3-5-4-k network and a batch of 16, ready for a gradient check."""
    rng = np.random.default_rng(seed)
    model = nn.Sequential(
        [nn.Dense(5, hidden, input_dim=3), nn.Dense(4, "tanh"), nn.Dense(k, out_act)],
        dtype="float64",
        seed=seed,
    )
    model.compile(nn.SGD(0.1), loss)
    X = rng.normal(size=(16, 3))
    return model, X, targets(loss, 16, k, rng)


def gradient_cases():
    for act in ACTIVATIONS:
        yield f"Dense + {act} (hidden)", (act, "linear", "mse", 2)
    for out_act, loss, k in OUTPUTS:
        yield f"Dense + {out_act} + {loss}", ("tanh", out_act, loss, k)


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- 1 and 2: gradients


def bench_gradients():
    rows, ok = [], True
    for name, case in gradient_cases():
        model, X, y = make_case(*case)
        err = max(nn.gradient_check(model, X, y))
        ok &= err < 1e-6
        rows.append((name, f"{err:.1e}", "yes" if err < 1e-6 else "**NO**"))
    return rows, ok


def tf_gradients(model, X, y):
    """Loss gradients of the same network (same weights) written in TensorFlow ops."""
    import keras
    import tensorflow as tf

    weights = [tf.Variable(w) for w in model.get_weights()]
    losses = {
        "mse": keras.losses.MeanSquaredError(),
        "binary_crossentropy": keras.losses.BinaryCrossentropy(),
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy(),
        "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy(),
    }
    with tf.GradientTape() as tape:
        a = tf.constant(X)
        for i, layer in enumerate(model.layers):
            act = keras.activations.get(layer.activation.name)
            if layer.activation.name == "leaky_relu":
                act = lambda z: tf.nn.leaky_relu(z, alpha=0.01)  # nnlib's slope
            a = act(a @ weights[2 * i] + weights[2 * i + 1])
        loss = losses[model.loss_name](tf.constant(y), a)
    return [g.numpy() for g in tape.gradient(loss, weights)]


def bench_tensorflow():
    rows, ok = [], True
    for name, case in gradient_cases():
        model, X, y = make_case(*case)
        model.loss_and_grads(X, y)
        ours = model.grads()
        theirs = tf_gradients(model, X, y)
        err = max(nn.relative_error(a, b) for a, b in zip(ours, theirs))
        ok &= err < 1e-5
        rows.append((name, f"{err:.1e}", "yes" if err < 1e-5 else "**NO**"))
    return rows, ok


# --------------------------------------------------------------------------- 3: XOR


def xor_nnlib():
    X, y = data.xor_data()
    model = nn.Sequential([nn.Dense(4, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], seed=0)
    model.compile(nn.Adam(0.1), "binary_crossentropy", ["accuracy"])
    t0 = time.perf_counter()
    model.fit(X, y, epochs=1000, batch_size=4)
    seconds = time.perf_counter() - t0
    return seconds, model.evaluate(X, y)[1]


def xor_keras(epochs):
    import keras

    keras.utils.set_random_seed(0)
    X, y = data.xor_data()
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, "tanh"), keras.layers.Dense(1, "sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    t0 = time.perf_counter()
    model.fit(X, y, epochs=epochs, verbose=0)
    seconds = time.perf_counter() - t0
    acc = float(np.mean((model.predict(X, verbose=0)[:, 0] > 0.5) == y))
    return seconds, acc


# --------------------------------------------------------------------------- 4: spirals


def spirals(max_epochs=500):
    X, y = data.make_spirals(300, n_classes=3, seed=0)
    model = nn.Sequential(
        [nn.Dense(64, "relu", input_dim=2), nn.Dense(64, "relu"), nn.Dense(3, "softmax")], seed=0
    )
    model.compile(nn.Adam(0.01), "sparse_categorical_crossentropy", ["accuracy"])

    class StopAt95:
        def set_model(self, m):
            self.model = m

        def on_epoch_end(self, epoch, logs):
            self.acc = self.model.evaluate(X, y)[1]
            self.epochs = epoch + 1
            self.model.stop_training = self.acc >= 0.95

    stop = StopAt95()
    t0 = time.perf_counter()
    model.fit(X, y, epochs=max_epochs, batch_size=32, callbacks=[stop])
    return time.perf_counter() - t0, stop.acc, stop.epochs


# --------------------------------------------------------------------------- 5: MNIST epoch


def mnist_like(n):
    (x, y), _ = data.load_mnist(verbose=False)
    X = x.reshape(len(x), -1).astype(np.float32) / 255.0
    idx = np.random.default_rng(0).choice(len(X), size=n, replace=n > len(X))
    return X[idx], y[idx].astype(np.int64), len(x)


def time_best(fn, repeats):
    return min(fn() for _ in range(repeats))


def mnist_epoch(n, repeats):
    import keras

    X, y, n_source = mnist_like(n)

    model = nn.Sequential([nn.Dense(128, "relu", input_dim=784), nn.Dense(10, "softmax")])
    model.compile(nn.Adam(1e-3), "sparse_categorical_crossentropy", ["accuracy"])

    def ours():
        t0 = time.perf_counter()
        model.fit(X, y, epochs=1, batch_size=128)
        return time.perf_counter() - t0

    def ours_numpy_threads():  # nn.BLAS_THREADS = None: NumPy's default number of BLAS threads
        nn.BLAS_THREADS = None
        try:
            return ours()
        finally:
            nn.BLAS_THREADS = 1

    keras.utils.set_random_seed(0)
    from bench_keras_lessons import mnist_mlp  # the same model as the Keras benchmark

    kmodel = mnist_mlp(keras, input_shape=(784,))
    kmodel.fit(X[:1280], y[:1280], epochs=1, batch_size=128, verbose=0)  # trace the graph once

    def theirs():
        t0 = time.perf_counter()
        kmodel.fit(X, y, epochs=1, batch_size=128, verbose=0)
        return time.perf_counter() - t0

    t_ours, t_keras = time_best(ours, repeats), time_best(theirs, repeats)
    t_ours_np = time_best(ours_numpy_threads, repeats)
    acc_ours = model.evaluate(X, y)[1]
    acc_keras = kmodel.evaluate(X, y, verbose=0)[1]
    return t_ours, t_ours_np, t_keras, acc_ours, acc_keras, n_source


# --------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="15 000-sample MNIST epoch, 200 Keras XOR epochs, no repeats",
    )
    args = parser.parse_args(argv)
    n_mnist, repeats, keras_xor_epochs = (15_000, 1, 200) if args.quick else (60_000, 3, 1000)

    import keras  # noqa: F401  (imported up front so no timing below includes it)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# bench_numpy_net ({'quick' if args.quick else 'full'}) - Python "
        f"{platform.python_version()}, NumPy {np.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}\n"
    )
    nnlib.seed_everything(0)

    grad_rows, grad_ok = bench_gradients()
    print("## Gradients: backprop vs finite differences (float64, target < 1e-6)\n")
    print(md_table(["layer / activation / loss", "max rel. error", "< 1e-6"], grad_rows))

    tf_rows, tf_ok = bench_tensorflow()
    print("\n## Gradients: nnlib vs TensorFlow GradientTape, same weights (target < 1e-5)\n")
    print(md_table(["layer / activation / loss", "max rel. error", "< 1e-5"], tf_rows))

    t_xor, acc_xor = min(xor_nnlib() for _ in range(repeats))
    t_kxor, acc_kxor = xor_keras(keras_xor_epochs)
    per_epoch_ratio = (t_kxor / keras_xor_epochs) / (t_xor / 1000)
    t_spi, acc_spi, ep_spi = min(spirals() for _ in range(repeats))
    t_ours, t_ours_np, t_keras, acc_ours, acc_keras, n_src = mnist_epoch(n_mnist, repeats)

    rows = [
        (
            "XOR 2-4-1, 1000 full-batch epochs, nnlib",
            f"{t_xor:.3f} s",
            f"accuracy {acc_xor:.0%}",
            "< 0.2 s and 100 %",
            "yes" if t_xor < 0.2 and acc_xor == 1 else "**NO**",
        ),
        (
            f"XOR 2-4-1, {keras_xor_epochs} epochs, Keras model.fit",
            f"{t_kxor:.2f} s",
            f"accuracy {acc_kxor:.0%}; per epoch Keras / nnlib = {per_epoch_ratio:.0f}x",
            "-",
            "-",
        ),
        (
            "Spirals (300 points, 3 classes), 2-64-64-3 ReLU, Adam",
            f"{t_spi:.2f} s",
            f"train accuracy {acc_spi:.1%} after {ep_spi} epochs",
            "<= 10 s and >= 95 %",
            "yes" if t_spi <= 10 and acc_spi >= 0.95 else "**NO**",
        ),
        (
            f"MNIST-sized epoch ({n_mnist} samples), 784-128-10, Keras {keras.__version__} (CPU)",
            f"{t_keras:.2f} s",
            f"train accuracy {acc_keras:.1%} (after all timed epochs)",
            "-",
            "-",
        ),
        (
            "Same epoch, nnlib (default: nn.BLAS_THREADS = 1)",
            f"{t_ours:.2f} s",
            f"nnlib / Keras = {t_ours / t_keras:.2f}; train accuracy {acc_ours:.1%}",
            "nnlib <= 2x Keras",
            "yes" if t_ours <= 2 * t_keras else "**NO**",
        ),
        (
            "Same epoch, nnlib with NumPy's default BLAS threads (nn.BLAS_THREADS = None)",
            f"{t_ours_np:.2f} s",
            f"nnlib / Keras = {t_ours_np / t_keras:.2f}",
            "(for comparison)",
            "-",
        ),
    ]
    print(f"\n## Speed (best of {repeats}; Keras XOR: one run)\n")
    print(md_table(["what", "time", "result", "target", "met"], rows))
    print(
        f"\nMNIST: {n_mnist} samples resampled with replacement from the {n_src} training "
        "digits that load_mnist returned (offline fallback: 4 000)."
    )
    return 0 if grad_ok and tf_ok else 1


if __name__ == "__main__":
    sys.exit(main())
