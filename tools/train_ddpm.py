"""Train lesson 13's shipped checkpoints reproducibly: the diffusion denoiser (``ddpm``) and the
digit classifier that judges its samples (``digit_classifier``, lesson 09's CNN), on the real
MNIST of the data folder (``make data-dir``), and write beside each its training log and its
summary (.json: steps, CPU and wall minutes, the quality the judge measures).

    make data-dir
    flock /tmp/heavy.lock nice -n 10 .venv/bin/python tools/train_ddpm.py        # both, ~10 min
    .venv/bin/python tools/train_ddpm.py --only classifier
    .venv/bin/python tools/train_ddpm.py --tiny --out /tmp/ckpt                  # a few seconds

Reproducible: one thread (TensorFlow intra/inter-op and OpenMP), every seed fixed, the training
step compiled with XLA: the same arguments give the same weights in a fresh process.  Times are
this process's CPU time (one thread: the single-core time even on a shared machine) and wall
time.  The denoiser's quality: 100 samples for each of 3 sampling seeds, judged by the
classifier (fraction with p >= 0.9, classes present), 1000-step ancestral sampling and strided
250 steps; the scale's two ends are 100 real test digits and 100 images of pure noise.

``--tiny`` (a 32-wide model, 8 steps, 500 digits, run eagerly, the offline data allowed) only
checks that the script runs (tests/tools/test_train_ddpm.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "nnlib" / "data" / "checkpoints"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder of the checkpoints")
    p.add_argument("--only", choices=["denoiser", "classifier"], help="train only this one")
    p.add_argument("--name", default="ddpm", help="the denoiser checkpoint's name")
    p.add_argument("--steps", type=int, default=4000, help="denoiser training steps")
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--blocks", type=int, default=3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--schedule", default="cosine", choices=["cosine", "linear"])
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=200, help="one log line per this many steps")
    p.add_argument("--classifier-epochs", type=int, default=3)
    p.add_argument("--eval-seeds", type=int, nargs="*", default=[1, 2, 3])
    p.add_argument("--eval-n", type=int, default=100, help="samples per sampling seed")
    p.add_argument("--samplers", type=int, nargs="*", default=[1000, 250],
                   help="sampling steps to evaluate (T = ancestral, fewer = strided)")  # fmt: skip
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-jit", dest="jit", action="store_false", help="no XLA (faster start)")
    p.add_argument("--data-dir", type=Path, help="folder with mnist.npz (default: build/data)")
    p.add_argument("--tiny", action="store_true", help="a few seconds: checks the script runs")
    args = p.parse_args(argv)
    if args.tiny:
        args.hidden, args.blocks, args.steps, args.log_every = 32, 1, 8, 4
        args.classifier_epochs, args.eval_seeds, args.eval_n, args.samplers = 1, [1], 20, [10]
        args.batch, args.jit = 32, False
    return args


def setup(threads, seed, data_dir):
    """Threads and seeds before TensorFlow starts; the data folder for nnlib.data."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if data_dir is not None:
        os.environ["NNLIB_DATA_DIR"] = str(data_dir)
    elif not os.environ.get("NNLIB_DATA_DIR") and (ROOT / "build" / "data" / "mnist.npz").exists():
        os.environ["NNLIB_DATA_DIR"] = str(ROOT / "build" / "data")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf  # threads are set before the first op runs

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    from nnlib.config import import_keras, seed_everything

    keras = import_keras()
    seed_everything(seed, keras=True)
    return keras


class Log:
    """Lines to stdout and to ``path`` (started afresh)."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.write_text("", encoding="utf-8")

    def __call__(self, line):
        print(line, flush=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


def _minutes(seconds):
    return round(seconds / 60, 3)


def _peak_rss_mb():
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def environment(args):
    import keras
    import numpy as np
    import tensorflow as tf

    return {
        "threads": args.threads,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def train_classifier(args, keras, data):
    """Lesson 09's CNN on the training digits (uint8, rescaled inside the model)."""
    import numpy as np

    from nnlib.byhand.denoiser import save_weights
    from nnlib.byhand.judge import CLASSIFIER, build_classifier, judge

    (x_train, y_train), (x_test, y_test), source = data
    if args.tiny:
        x_train, y_train, x_test, y_test = x_train[:500], y_train[:500], x_test[:100], y_test[:100]
    log = Log(args.out / f"{CLASSIFIER}.log")
    env = environment(args)
    log(f"# digit classifier (lesson 09's CNN) on {source}: {len(x_train)} training digits, "
        f"{args.classifier_epochs} epochs, batch 128, seed {args.seed}; {json.dumps(env)}")  # fmt: skip
    keras.utils.set_random_seed(args.seed)
    model = build_classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    w0, c0 = time.perf_counter(), time.process_time()

    class EpochLog(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            log(f"epoch {epoch + 1}  loss {logs['loss']:.4f}  accuracy {logs['accuracy']:.4f}  "
                f"cpu {time.process_time() - c0:6.1f} s  wall {time.perf_counter() - w0:6.1f} s")  # fmt: skip

    model.fit(x_train[..., None], y_train, epochs=args.classifier_epochs, batch_size=128,
              verbose=0, callbacks=[EpochLog()])  # fmt: skip
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    acc = float(model.evaluate(x_test[..., None], y_test, verbose=0)[1])
    real = judge(x_test[:100] / 127.5 - 1.0, model)
    noise = judge(np.random.default_rng(0).standard_normal((100, 28, 28)).clip(-1, 1), model)
    info = {
        "kind": "classifier",
        "architecture": "lesson 09's CNN (nnlib.byhand.judge.build_classifier)",
        "data": source,
        "train_digits": len(x_train),
        "epochs": args.classifier_epochs,
        "seed": args.seed,
        "test_accuracy": round(acc, 4),
        "test_digits": len(x_test),
        "real_confident": real.confident,
        "real_classes": len(real.classes),
        "noise_confident": noise.confident,
        "noise_classes": len(noise.classes),
        "cpu_minutes": _minutes(cpu),
        "wall_minutes": _minutes(wall),
        "params": model.count_params(),
        "log": f"{CLASSIFIER}.log",
        "environment": env,
        "command": "python tools/train_ddpm.py " + " ".join(sys.argv[1:]),
    }
    log(f"test accuracy {acc:.4f} on {len(x_test)} test digits; the judge's scale: real test "
        f"digits {real}; pure noise {noise}")  # fmt: skip
    save_weights(model, args.out / f"{CLASSIFIER}.npz", info)
    model.info = info
    return model


def train_denoiser_checkpoint(args, keras, data, classifier):
    import numpy as np

    from nnlib.byhand.denoiser import build_denoiser, sample, save_weights, train_denoiser
    from nnlib.byhand.diffusion import make_schedule
    from nnlib.byhand.judge import judge

    (x_train, _), _, source = data
    if args.tiny:
        x_train = x_train[:500]
    log = Log(args.out / f"{args.name}.log")
    env = environment(args)
    schedule = make_schedule(args.schedule, args.T)
    keras.utils.set_random_seed(args.seed)
    model = build_denoiser(args.hidden, args.blocks, args.seed, args.T)
    log(f"# DDPM denoiser (predicts x0) {args.hidden}x{args.blocks}, {model.count_params()} "
        f"parameters, {schedule.name} schedule T={schedule.T}, batch {args.batch}, Adam 1e-3 "
        f"clipnorm 1, EMA 0.999, seed {args.seed}, {args.steps} steps on {source} "
        f"({len(x_train)} digits); {json.dumps(env)}")  # fmt: skip

    def report(step, loss, wall, cpu):
        log(f"step {step:6d}  loss {loss:.5f}  cpu {cpu:7.1f} s  wall {wall:7.1f} s")

    result = train_denoiser(model, x_train, schedule, args.steps, batch=args.batch,
                            seed=args.seed, progress=False, report=report,
                            report_every=args.log_every, jit=args.jit)  # fmt: skip
    quality = {}
    for steps in args.samplers:
        runs = []
        for seed in args.eval_seeds:
            w0, c0 = time.perf_counter(), time.process_time()
            images, _ = sample(model, schedule, n=args.eval_n, seed=seed, steps=steps, keep=0)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            verdict = judge(images, classifier)
            runs.append({"seed": seed, "confident": verdict.confident,
                         "classes": len(verdict.classes), "counts": verdict.counts,
                         "sample_wall_s": round(wall, 2), "sample_cpu_s": round(cpu, 2)})  # fmt: skip
            log(f"sampling {steps} steps, seed {seed}: {verdict}; {args.eval_n} samples in "
                f"{cpu:.1f} s CPU, {wall:.1f} s wall")  # fmt: skip
        name = "ancestral" if steps == schedule.T else "strided"
        quality[f"{name}_{steps}"] = {
            "steps": steps,
            "n": args.eval_n,
            "mean_confident": round(float(np.mean([r["confident"] for r in runs])), 4),
            "min_confident": min(r["confident"] for r in runs),
            "min_classes": min(r["classes"] for r in runs),
            "runs": runs,
        }
    cinfo = getattr(classifier, "info", {})
    info = {
        "kind": "denoiser",
        "predicts": "x0",
        "hidden": args.hidden,
        "blocks": args.blocks,
        "params": model.count_params(),
        "T": schedule.T,
        "schedule": schedule.name,
        "batch": args.batch,
        "seed": args.seed,
        "steps": args.steps,
        "data": source,
        "cpu_minutes": _minutes(result["cpu_seconds"]),
        "wall_minutes": _minutes(result["seconds"]),
        "final_loss": round(float(result["losses"][-args.log_every :].mean()), 5),
        "quality": quality,
        "scale_ends": {
            "real_confident": cinfo.get("real_confident"),
            "noise_confident": cinfo.get("noise_confident"),
        },
        "classifier_test_accuracy": cinfo.get("test_accuracy"),
        "peak_rss_mb": _peak_rss_mb(),
        "log": f"{args.name}.log",
        "environment": env,
        "command": "python tools/train_ddpm.py " + " ".join(sys.argv[1:]),
    }
    save_weights(model, args.out / f"{args.name}.npz", info)
    log(f"# done: {args.steps} steps in {info['cpu_minutes']:.2f} CPU min, "
        f"{info['wall_minutes']:.2f} wall min; " + "; ".join(
            f"{k}: {v['mean_confident']:.0%} confident (min {v['min_confident']:.0%}, "
            f">= {v['min_classes']} classes)" for k, v in quality.items()))  # fmt: skip
    return info


def main(argv=None):
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    keras = setup(args.threads, args.seed, args.data_dir)
    if args.tiny:  # tracing the training step costs more than 20 tiny steps
        import tensorflow as tf

        tf.config.run_functions_eagerly(True)
    from nnlib.data import load_mnist

    train, test = load_mnist(verbose=True)
    source = "real MNIST" if len(train[0]) == 60000 else "offline MNIST subset"
    if source != "real MNIST" and not args.tiny:
        sys.exit("train_ddpm.py: the shipped checkpoints need the real MNIST: run `make data-dir`")
    data = (train, test, source)
    if args.only != "denoiser":
        classifier = train_classifier(args, keras, data)
    if args.only != "classifier":
        if args.only == "denoiser":
            from nnlib.byhand.judge import load_digit_classifier

            classifier = load_digit_classifier(args.out)
        train_denoiser_checkpoint(args, keras, data, classifier)
    return 0


if __name__ == "__main__":
    sys.exit(main())
