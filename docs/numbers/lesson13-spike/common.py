"""Shared pieces of the DDPM feasibility spike (issue 28, lesson 13).

Everything here could move into the lesson / ``tools/train_ddpm.py``:

* ``setup_threads``      -- one TensorFlow thread (the spike measures single-thread time)
* ``load_digits01``      -- MNIST scaled to [-1, 1], shape (n, 28, 28, 1) (optionally 14 x 14)
* ``cosine_schedule`` / ``linear_schedule`` -- the noise schedules (NumPy)
* ``time_features``      -- sinusoidal features of the time step (fed to the denoiser)
* ``build_mlp`` / ``build_unet`` -- two denoisers eps_theta(x_t, t)
* ``sample``             -- DDPM ancestral / DDIM sampling with a stride (eta=1: DDPM-like)
* ``score``              -- the quality measure: fraction of samples a CNN classifies with p >= 0.9
* ``peak_rss_mb`` / ``log``
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOG = HERE / "runs.log"


def setup_threads(n: int = 1):
    """Restrict TensorFlow (and OpenMP/MKL) to ``n`` threads; call before any TF op."""
    os.environ.setdefault("OMP_NUM_THREADS", str(n))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(n)
    tf.config.threading.set_inter_op_parallelism_threads(n)
    return tf


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(record: dict, also_print: bool = True):
    """Append one JSON line to runs.log (the spike's lab notebook)."""
    record = {"time": time.strftime("%Y-%m-%d %H:%M:%S"), **record}
    with open(LOG, "a") as f:
        f.write(json.dumps(record) + "\n")
    if also_print:
        print(json.dumps(record), flush=True)


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------
def load_mnist_raw():
    """(x_train, y_train), (x_test, y_test) as uint8, from build/data/mnist.npz via nnlib."""
    import numpy as np

    candidates = [Path(os.environ.get("NNLIB_DATA_DIR", HERE.parent / "data")), HERE / "data"]
    for path in (c / "mnist.npz" for c in candidates):
        if not path.exists():
            continue
        with np.load(path) as d:
            print(f"MNIST from {path}")
            return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    from nnlib.data import load_mnist

    return load_mnist()


def to_pm1(x_uint8, size: int = 28):
    """uint8 (n, 28, 28) -> float32 (n, size, size, 1) in [-1, 1]; size 14 = 2x2 average pooling."""
    import numpy as np

    x = x_uint8.astype(np.float32) / 127.5 - 1.0
    if size == 14:
        x = x.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4))
    return x[..., None]


def upsample_to_28(x):
    """(n, 14, 14, 1) -> (n, 28, 28, 1) by bilinear resizing (for the 28 x 28 classifier)."""
    import tensorflow as tf

    return tf.image.resize(x, (28, 28), method="bilinear").numpy()


# ----------------------------------------------------------------------------------------------
# Noise schedules: alpha_bar[t] = prod_{s<=t} (1 - beta_s), t = 0..T-1
# ----------------------------------------------------------------------------------------------
def cosine_schedule(T: int, s: float = 0.008):
    """Nichol & Dhariwal (2021): alpha_bar(t) = cos^2(((t/T + s)/(1 + s)) * pi/2), beta <= 0.999."""
    import numpy as np

    steps = np.arange(T + 1, dtype=np.float64) / T
    f = np.cos((steps + s) / (1 + s) * np.pi / 2) ** 2
    betas = np.clip(1 - f[1:] / f[:-1], 0, 0.999)
    return betas


def linear_schedule(T: int, beta_1: float = 1e-4, beta_T: float = 0.02):
    """Ho et al. (2020), rescaled so that T steps end at the same total noise as 1000 steps."""
    import numpy as np

    scale = 1000 / T
    return np.linspace(beta_1 * scale, beta_T * scale, T, dtype=np.float64)


def make_schedule(name: str, T: int):
    import numpy as np

    betas = cosine_schedule(T) if name == "cosine" else linear_schedule(T)
    alpha_bar = np.cumprod(1 - betas)
    return betas, alpha_bar


def time_features(t, T: int, dim: int = 32):
    """Sinusoidal features of integer steps t (any shape) -> (..., dim) float32 (Transformer-style)."""
    import tensorflow as tf

    t = tf.cast(t, tf.float32) / T * 1000.0  # the usual 0..1000 range of the frequencies
    half = dim // 2
    freqs = tf.exp(-tf.math.log(10000.0) * tf.range(half, dtype=tf.float32) / half)
    args = t[..., None] * freqs
    return tf.concat([tf.sin(args), tf.cos(args)], axis=-1)


# ----------------------------------------------------------------------------------------------
# Denoisers eps_theta(x_t, time features)
# ----------------------------------------------------------------------------------------------
def build_mlp(size: int = 28, hidden: int = 512, blocks: int = 3, tdim: int = 32):
    """A residual MLP on the flattened image; each block gets the time embedding added."""
    import keras
    from keras import layers

    x_in = keras.Input((size, size, 1), name="x_t")
    t_in = keras.Input((tdim,), name="t_features")
    temb = layers.Dense(hidden, activation="swish")(t_in)
    temb = layers.Dense(hidden, activation="swish")(temb)
    h = layers.Dense(hidden)(layers.Flatten()(x_in))
    h = layers.Add()([h, temb])
    for _ in range(blocks):
        r = layers.LayerNormalization()(h)
        r = layers.Dense(hidden, activation="swish")(r)
        r = layers.Add()([r, layers.Dense(hidden)(temb)])
        r = layers.Dense(hidden, activation="swish")(r)
        h = layers.Add()([h, r])
    h = layers.Activation("swish")(layers.LayerNormalization()(h))
    out = layers.Dense(size * size, kernel_initializer="zeros")(h)
    out = layers.Reshape((size, size, 1))(out)
    return keras.Model([x_in, t_in], out, name=f"mlp{hidden}x{blocks}")


def build_unet(size: int = 28, ch=(32, 64, 128), tdim: int = 32, temb_dim: int = 128, norm=False,
               patch: int = 1):
    """A small U-Net: one residual block per resolution (28 -> 14 -> 7 and back), skip
    connections by concatenation, the time embedding added inside every block.

    ``patch`` = 2 first folds each 2 x 2 block of pixels into 4 channels (space-to-depth, lossless)
    so that the network works at 14 x 14 and 7 x 7 (4x cheaper per conv), and unfolds the output.
    """
    import keras
    from keras import layers
    import tensorflow as tf

    def block(h, c, temb):
        skip = h if h.shape[-1] == c else layers.Conv2D(c, 1)(h)
        r = layers.GroupNormalization(8)(h) if norm else h
        r = layers.Conv2D(c, 3, padding="same", activation="swish")(r)
        r = layers.Add()([r, layers.Reshape((1, 1, c))(layers.Dense(c)(temb))])
        r = layers.GroupNormalization(8)(r) if norm else r
        r = layers.Conv2D(c, 3, padding="same", activation="swish")(r)
        return layers.Add()([skip, r])

    x_in = keras.Input((size, size, 1), name="x_t")
    t_in = keras.Input((tdim,), name="t_features")
    temb = layers.Dense(temb_dim, activation="swish")(t_in)
    temb = layers.Dense(temb_dim, activation="swish")(temb)

    h = x_in
    if patch > 1:
        h = layers.Lambda(lambda z: tf.nn.space_to_depth(z, patch))(h)
    h = layers.Conv2D(ch[0], 3, padding="same")(h)
    skips = []
    for i, c in enumerate(ch):
        h = block(h, c, temb)
        if i < len(ch) - 1:
            skips.append(h)
            h = layers.Conv2D(ch[i + 1], 3, strides=2, padding="same")(h)
    h = block(h, ch[-1], temb)  # middle
    for c, s in zip(reversed(ch[:-1]), reversed(skips)):
        h = layers.UpSampling2D(2)(h)
        h = layers.Concatenate()([h, s])
        h = block(h, c, temb)
    out = layers.Conv2D(patch * patch, 3, padding="same", kernel_initializer="zeros")(h)
    if patch > 1:
        out = layers.Lambda(lambda z: tf.nn.depth_to_space(z, patch))(out)
    return keras.Model([x_in, t_in], out, name=f"unet-p{patch}-" + "-".join(map(str, ch)))


# ----------------------------------------------------------------------------------------------
# Sampling
# ----------------------------------------------------------------------------------------------
def sample(model, alpha_bar, n: int, size: int = 28, steps: int | None = None, eta: float = 1.0,
           seed: int = 0, tdim: int = 32, clip: bool = True, pred: str = "eps",
           shape=None):
    """Generate ``n`` images from pure noise.

    With ``steps`` = T and ``eta`` = 1 this is exactly DDPM ancestral sampling (Ho et al.,
    sigma_t^2 = beta_tilde).  Fewer ``steps`` visit a strided subset of the time steps
    (DDIM, Song et al. 2021); ``eta`` = 0 is the deterministic DDIM sampler.
    ``clip`` clamps the predicted x_0 to [-1, 1] at every step (standard for images).
    ``pred`` says what the network outputs: the noise ``eps`` or the clean image ``x0``.
    """
    import numpy as np
    import tensorflow as tf

    T = len(alpha_bar)
    steps = steps or T
    ts = np.linspace(T - 1, 0, steps).round().astype(int)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, *(shape or (size, size, 1)))).astype(np.float32)

    @tf.function(reduce_retracing=True)
    def predict(x, t):
        return model([x, time_features(t, T, tdim)], training=False)

    for i, t in enumerate(ts):
        ab = alpha_bar[t]
        ab_prev = alpha_bar[ts[i + 1]] if i + 1 < len(ts) else 1.0
        out = predict(tf.constant(x), tf.fill([n], int(t))).numpy()
        if pred == "eps":
            eps, x0 = out, (x - np.sqrt(1 - ab) * out) / np.sqrt(ab)
        else:
            x0 = out
            eps = (x - np.sqrt(ab) * x0) / np.sqrt(1 - ab)
        if clip:  # the images live in [-1, 1]
            x0 = np.clip(x0, -1, 1)
            eps = (x - np.sqrt(ab) * x0) / np.sqrt(1 - ab)
        sigma = eta * np.sqrt((1 - ab_prev) / (1 - ab) * (1 - ab / ab_prev))
        x = (np.sqrt(ab_prev) * x0 + np.sqrt(max(1 - ab_prev - sigma**2, 0)) * eps
             + sigma * rng.standard_normal(x.shape)).astype(np.float32)
    return x


# ----------------------------------------------------------------------------------------------
# Quality measure
# ----------------------------------------------------------------------------------------------
CLASSIFIER = HERE / "classifier.keras"


def score(images_pm1, classifier=None, threshold: float = 0.9):
    """images in [-1, 1], (n, 28|14, 28|14, 1) -> dict(frac_confident, classes histogram, ...)."""
    import keras
    import numpy as np

    if images_pm1.shape[1] == 14:
        images_pm1 = upsample_to_28(images_pm1)
    classifier = classifier or keras.models.load_model(CLASSIFIER)
    x01 = (np.clip(images_pm1, -1, 1) + 1) / 2  # the classifier takes [0, 1]
    p = classifier.predict(x01, verbose=0, batch_size=100)
    conf, label = p.max(axis=1), p.argmax(axis=1)
    hist = np.bincount(label[conf >= threshold], minlength=10)
    return {
        "frac_conf": float((conf >= threshold).mean()),
        "mean_conf": float(conf.mean()),
        "hist_conf": hist.tolist(),
        "hist_all": np.bincount(label, minlength=10).tolist(),
        "classes_present": int((np.bincount(label, minlength=10) > 0).sum()),
        "classes_conf": int((hist > 0).sum()),
    }


def save_grid(images_pm1, path, ncol: int = 10):
    """Save a grid of images as PNG (for looking at the samples)."""
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(images_pm1)
    nrow = (n + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(ncol, nrow))
    for ax, img in zip(np.ravel(axes), images_pm1):
        ax.imshow(img[..., 0], cmap="gray", vmin=-1, vmax=1)
    for ax in np.ravel(axes):
        ax.axis("off")
    fig.savefig(path, dpi=60, bbox_inches="tight")
    plt.close(fig)
