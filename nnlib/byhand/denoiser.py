"""Lesson 13's diffusion denoiser in Keras: a residual MLP on the flattened 28 x 28 image that
predicts the clean image ``x0`` from the noisy ``x_t`` and the step ``t`` (the recipe the lesson-13
spike measured: docs/numbers/lesson13-spike/), its training with an exponential moving average
(EMA) of the weights, sampling (ancestral, all ``T`` steps or strided), and the checkpoints that
``tools/train_ddpm.py`` trains and ships in ``nnlib/data/checkpoints/``.

* :func:`build_denoiser` - ``model([x_t (n, 784), t (n,)]) -> x0 (n, 784)``;
* :func:`train_denoiser` - Adam, EMA weights put into the model at the end;
* :func:`sample` - pure noise to digits, with snapshots for the scrubbing widget;
* :func:`load_checkpoint` - the shipped, longer-trained model and what it cost.

Keras is imported (quietly, through :func:`nnlib.config.import_keras`) only when a function
needs it; the maths lives in :mod:`nnlib.byhand.diffusion`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from .diffusion import Schedule, _posterior_coefs, sampling_steps

__all__ = [
    "CHECKPOINTS",
    "build_denoiser",
    "train_denoiser",
    "sample",
    "load_checkpoint",
    "checkpoint_info",
    "save_weights",
]

CHECKPOINTS = Path(__file__).resolve().parents[1] / "data" / "checkpoints"
TIME_DIM = 32


def _keras():
    from ..config import import_keras

    return import_keras()


def _time_layer_class():
    """The Keras layer of sinusoidal step features (built once, when Keras is imported)."""
    global _TimeFeatures
    if _TimeFeatures is not None:
        return _TimeFeatures
    keras = _keras()
    ops = keras.ops

    class TimeFeatures(keras.layers.Layer):
        """Integer steps ``t`` (n,) -> (n, dim) features ``sin(t w_k), cos(t w_k)`` with
        frequencies ``w_k = 10000^(-k / (dim/2))`` on the 0..1000 range (as a Transformer's
        positions, lesson 12)."""

        def __init__(self, T=1000, dim=TIME_DIM, **kwargs):
            super().__init__(**kwargs)
            self.T, self.dim = int(T), int(dim)

        def call(self, t):
            t = ops.cast(ops.reshape(t, (-1,)), "float32") * (1000.0 / self.T)
            half = self.dim // 2
            freqs = ops.exp(-np.log(10000.0) * ops.arange(half, dtype="float32") / half)
            args = t[:, None] * freqs[None, :]
            return ops.concatenate([ops.sin(args), ops.cos(args)], axis=-1)

        def compute_output_shape(self, input_shape):
            return (input_shape[0], self.dim)

        def get_config(self):
            return {**super().get_config(), "T": self.T, "dim": self.dim}

    _TimeFeatures = TimeFeatures
    return TimeFeatures


_TimeFeatures = None


def _check_int(value, name, fn, low=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{fn}: {name} must be an int, got {type(value).__name__} ({value!r})")
    if value < low:
        raise ValueError(f"{fn}: {name} must be at least {low}, got {value}")
    return int(value)


def build_denoiser(hidden=512, blocks=3, seed=0, T=1000):
    """A residual MLP that predicts the clean image: ``model([x_t, t]) -> x0``.

    ``x_t`` (n, 784): the noisy images, flattened, in about [-1, 1]; ``t`` (n,) int: the step
    (0..T-1).  The step enters as sinusoidal features through two ``Dense`` layers (the "time
    embedding"), added after the input layer and inside each of the ``blocks`` residual blocks
    (LayerNorm -> Dense(swish) -> + time -> Dense(swish), added back).  The output layer starts at
    zero.  ``hidden=512, blocks=3``: 3.45 M parameters.  ``seed`` fixes the initial weights.
    """
    fn = "build_denoiser"
    hidden = _check_int(hidden, "hidden", fn)
    blocks = _check_int(blocks, "blocks", fn, low=0)
    seed = _check_int(seed, "seed", fn, low=0)
    T = _check_int(T, "T", fn, low=2)
    keras = _keras()
    layers = keras.layers
    count = iter(range(10**6))

    def dense(units, activation=None, zeros=False):
        init = (
            "zeros" if zeros else keras.initializers.GlorotUniform(seed=seed * 1000 + next(count))
        )
        return layers.Dense(units, activation=activation, kernel_initializer=init)

    x_in = keras.Input((28 * 28,), name="x_t")
    t_in = keras.Input((), dtype="int32", name="t")
    temb = _time_layer_class()(T, TIME_DIM, name="time_features")(t_in)
    temb = dense(hidden, "swish")(temb)
    temb = dense(hidden, "swish")(temb)
    h = layers.Add()([dense(hidden)(x_in), temb])
    for _ in range(blocks):
        r = layers.LayerNormalization()(h)
        r = dense(hidden, "swish")(r)
        r = layers.Add()([r, dense(hidden)(temb)])
        r = dense(hidden, "swish")(r)
        h = layers.Add()([h, r])
    h = layers.Activation("swish")(layers.LayerNormalization()(h))
    out = dense(28 * 28, zeros=True)(h)
    model = keras.Model([x_in, t_in], out, name=f"denoiser_{hidden}x{blocks}")
    model.nnlib_config = {"hidden": hidden, "blocks": blocks, "seed": seed, "T": T}
    return model


def _check_model(model, fn):
    keras = _keras()
    if not isinstance(model, keras.Model) or len(model.inputs) != 2:
        raise TypeError(
            f"{fn}: model must be a denoiser from build_denoiser() or load_checkpoint(), got "
            f"{type(model).__name__}"
        )


def _check_schedule(schedule, fn):
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"{fn}: schedule must be a Schedule from nnlib.byhand.diffusion.make_schedule(), got "
            f"{type(schedule).__name__}"
        )


def _check_images(images, fn):
    a = np.asarray(images) if not hasattr(images, "dtype") else images
    if not isinstance(a, np.ndarray) or a.dtype != np.uint8:
        raise TypeError(
            f"{fn}: images_uint8 must be a uint8 NumPy array of digits (0..255), got "
            f"{type(images).__name__}"
            + (f" of dtype {a.dtype}" if hasattr(a, "dtype") else "")
            + "; pass x_train as load_mnist() returns it (the conversion to [-1, 1] is done "
            "batch by batch, so the 60 000 digits stay 47 MB)"
        )
    if a.ndim < 2 or a.shape[0] < 1 or int(np.prod(a.shape[1:])) != 784:
        raise ValueError(
            f"{fn}: images_uint8 must have shape (n, 28, 28) or (n, 784), got {a.shape}"
        )
    return a.reshape(len(a), 784)


def train_denoiser(
    model,
    images_uint8,
    schedule,
    steps,
    batch=128,
    seed=0,
    progress=True,
    lr=1e-3,
    ema=0.999,
    report=None,
    report_every=100,
    jit=True,
):
    """Train ``model`` to predict ``x0`` from ``x_t``: each step draws ``batch`` digits, a step
    ``t`` and a noise ``eps`` per digit, makes ``x_t`` in closed form and takes one Adam step
    (learning rate ``lr``, gradients clipped to norm 1) on ``mean (model(x_t, t) - x0)^2``.

    Keeps an exponential moving average of the weights (decay ``ema`` with a warm-up,
    ``min(ema, (1 + k) / (10 + k))`` at step ``k``) and puts it into the model at the end: the
    averaged weights make visibly cleaner samples than the last ones.  ``progress`` prints one
    line to stdout every few seconds.  The step is compiled with XLA (``jit=False``: plain
    TensorFlow graph, quicker to start for a few steps); with one thread the same seed gives the
    same weights in a fresh process.

    ``report(step, mean_loss, wall_seconds, cpu_seconds)``, when given, is called every
    ``report_every`` steps and after the last (the training script's log).

    Returns ``{"losses": float array (steps,), "seconds": wall seconds, "cpu_seconds",
    "steps"}``.
    """
    fn = "train_denoiser"
    _check_model(model, fn)
    x_all = _check_images(images_uint8, fn)
    _check_schedule(schedule, fn)
    steps = _check_int(steps, "steps", fn, low=0)
    batch = _check_int(batch, "batch", fn)
    seed = _check_int(seed, "seed", fn, low=0)
    report_every = _check_int(report_every, "report_every", fn)
    if report is not None and not callable(report):
        raise TypeError(f"{fn}: report must be a function or None, got {type(report).__name__}")
    keras = _keras()
    import tensorflow as tf

    T = schedule.T
    n_data = len(x_all)
    sqrt_ab = tf.constant(np.sqrt(schedule.alpha_bars), tf.float32)
    sqrt_1mab = tf.constant(np.sqrt(1 - schedule.alpha_bars), tf.float32)
    opt = keras.optimizers.Adam(lr, global_clipnorm=1.0)
    gen = tf.random.Generator.from_seed(seed)
    weights = model.trainable_variables
    averages = [tf.Variable(w, trainable=False) for w in weights]
    k_var = tf.Variable(0.0)

    # The digits stay a NumPy array (no 47 MB copy inside TensorFlow): one function draws the
    # batch's indices, NumPy gathers them, the step draws t and eps from the same generator (the
    # same random numbers, in the same order, as drawing all three in one function).
    @tf.function(jit_compile=bool(jit))
    def draw_indices():
        return gen.uniform([batch], 0, n_data, tf.int32)

    @tf.function(jit_compile=bool(jit))
    def train_step(x0_uint8):
        x0 = tf.cast(x0_uint8, tf.float32) / 127.5 - 1.0
        t = gen.uniform([batch], 0, T, tf.int32)
        eps = gen.normal(tf.shape(x0))
        xt = tf.gather(sqrt_ab, t)[:, None] * x0 + tf.gather(sqrt_1mab, t)[:, None] * eps
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model([xt, t], training=True) - x0))
        opt.apply_gradients(zip(tape.gradient(loss, weights), weights))
        k_var.assign_add(1.0)
        d = tf.minimum(ema, (1.0 + k_var) / (10.0 + k_var))
        for a, w in zip(averages, weights):
            a.assign(d * a + (1.0 - d) * w)
        return loss

    losses = np.zeros(steps, dtype=np.float64)
    w0, c0 = time.perf_counter(), time.process_time()
    last, reported = w0, 0
    for k in range(steps):
        losses[k] = float(train_step(x_all[draw_indices().numpy()]))
        now = time.perf_counter()
        if report is not None and (k + 1 - reported >= report_every or k == steps - 1):
            report(
                k + 1, float(losses[reported : k + 1].mean()), now - w0, time.process_time() - c0
            )
            reported = k + 1
        if progress and (now - last >= 5 or k == steps - 1):
            last = now
            window = losses[max(0, k - 99) : k + 1].mean()
            print(f"step {k + 1:5d}/{steps}  loss {window:.4f}  {now - w0:5.1f} s", flush=True)
    seconds, cpu = time.perf_counter() - w0, time.process_time() - c0
    for a, w in zip(averages, weights):
        w.assign(a)
    return {"losses": losses, "seconds": seconds, "cpu_seconds": cpu, "steps": steps}


def sample(model, schedule, n=100, seed=0, steps=None, keep=10, clip=True):
    """Make ``n`` images from pure noise with the reverse process.

    Starts from ``x ~ N(0, I)`` (NumPy, ``seed``) and, at each visited step ``t`` (all ``T``, or
    ``steps`` evenly spaced ones: strided sampling, fewer and larger steps), asks the model for
    ``x0``, clips it to [-1, 1] (``clip``) and draws ``x`` from ``q(x_prev | x_t, x0)``
    (:func:`nnlib.byhand.diffusion.reverse_step`'s formula).

    Returns ``(images, trajectory)``: ``images`` float32 (n, 28, 28) in [-1, 1]; ``trajectory``
    a list of ``keep`` snapshots ``(t, images (n, 28, 28))`` from the pure noise to the result,
    evenly spaced over the visited steps, where ``t`` counts the noising steps still in the
    images: ``T`` = pure noise, ``0`` = the finished sample.
    """
    fn = "sample"
    _check_model(model, fn)
    _check_schedule(schedule, fn)
    n = _check_int(n, "n", fn)
    seed = _check_int(seed, "seed", fn, low=0)
    if steps is not None:
        steps = _check_int(steps, "steps", fn)
        if steps > schedule.T:
            raise ValueError(f"{fn}: steps must be from 1 to T = {schedule.T}, got {steps}")
    keep = _check_int(keep, "keep", fn, low=0)
    import tensorflow as tf

    ts = sampling_steps(schedule.T, steps)
    if keep > len(ts) + 1:
        raise ValueError(
            f"{fn}: keep must be at most the number of visited steps + 1 = {len(ts) + 1}, "
            f"got {keep}"
        )
    snap_at = set(np.linspace(0, len(ts), keep).round().astype(int).tolist()) if keep else set()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 784)).astype(np.float32)

    @tf.function(reduce_retracing=True)
    def predict(x, t):
        return model([x, t], training=False)

    trajectory = []
    t_batch = np.zeros(n, dtype=np.int32)
    for i, t in enumerate(ts):
        if i in snap_at:
            trajectory.append((int(t) + 1, x.reshape(n, 28, 28).copy()))
        t_batch[:] = t
        x0 = predict(tf.constant(x), tf.constant(t_batch)).numpy()
        if clip:
            x0 = np.clip(x0, -1.0, 1.0)
        t_prev = int(ts[i + 1]) if i + 1 < len(ts) else -1
        c_x0, c_xt, var = (
            float(c) for c in _posterior_coefs(np.asarray(t), np.asarray(t_prev), schedule)
        )
        x = (c_x0 * x0 + c_xt * x).astype(np.float32)
        if var > 0:
            x += np.float32(np.sqrt(var)) * rng.standard_normal(x.shape, dtype=np.float32)
    images = np.clip(x, -1.0, 1.0).reshape(n, 28, 28)
    if len(ts) in snap_at:
        trajectory.append((0, images.copy()))
    return images, trajectory


# ------------------------------------------------------------------------------- checkpoints
def save_weights(model, path, info):
    """Save ``model``'s weights as float16 ``path`` (.npz) and ``info`` beside it (.json)."""
    path = Path(path)
    weights = {f"w{i:02d}": w.astype(np.float16) for i, w in enumerate(model.get_weights())}
    np.savez_compressed(path.with_suffix(".npz"), **weights)
    path.with_suffix(".json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return path.with_suffix(".npz")


def _available():
    return sorted(p.stem for p in CHECKPOINTS.glob("*.npz") if (p.with_suffix(".json")).exists())


def checkpoint_info(name, folder=None):
    """The ``info`` dict of checkpoint ``name`` (its .json), ``log`` as the full path."""
    folder = Path(folder) if folder is not None else CHECKPOINTS
    if not isinstance(name, str):
        raise TypeError(f"checkpoint name must be a str, got {type(name).__name__} ({name!r})")
    path = folder / f"{name}.json"
    if not path.exists() or not path.with_suffix(".npz").exists():
        have = sorted(p.stem for p in folder.glob("*.npz") if p.with_suffix(".json").exists())
        raise ValueError(
            f"no checkpoint {name!r} in {folder}; the checkpoints there are {have}. "
            "tools/train_ddpm.py trains them."
        )
    info = json.loads(path.read_text(encoding="utf-8"))
    info["name"] = name
    info["log"] = str(folder / info.get("log", f"{name}.log"))
    return info


def _load_weights(model, path):
    with np.load(path) as f:
        weights = [f[k].astype(np.float32) for k in sorted(f.files)]
    model.set_weights(weights)
    return model


def load_checkpoint(name="ddpm", folder=None):
    """The denoiser checkpoint ``name`` (trained by ``tools/train_ddpm.py``, shipped in
    ``nnlib/data/checkpoints/``) as ``(model, info)``.  ``info`` holds at least ``steps``,
    ``cpu_minutes``, ``wall_minutes``, ``hidden``, ``blocks``, ``seed``, ``T``, ``schedule``
    and ``log`` (the path of the training log committed beside it)."""
    info = checkpoint_info(name, folder)
    if info.get("kind", "denoiser") != "denoiser":
        raise ValueError(
            f"checkpoint {name!r} is a {info.get('kind')}, not a denoiser; "
            "nnlib.byhand.judge.load_digit_classifier() loads the classifier"
        )
    model = build_denoiser(info["hidden"], info["blocks"], info["seed"], info.get("T", 1000))
    _load_weights(model, Path(info["log"]).with_name(f"{name}.npz"))
    return model, info
