"""Latent DDPM: the same DDPM, run on the 16-number codes of an autoencoder instead of pixels.

1. train a small dense autoencoder 784 -> 16 -> 784 (the lesson trains one anyway),
2. standardise the codes of the training digits (mean 0, std 1 per dimension),
3. train an MLP denoiser eps_theta(z_t, t) on those codes (eps-prediction, cosine schedule),
4. sample codes with the reverse chain and decode them into images.

    OMP_NUM_THREADS=1 nice -n 19 ../../.venv/bin/python latent_ddpm.py --name L1 --ae-min 1 \\
        --minutes 0.5 1 2
"""
import argparse
import time

import numpy as np

from common import HERE, log, make_schedule, peak_rss_mb, sample, save_grid, score, setup_threads
from common import load_mnist_raw, time_features

p = argparse.ArgumentParser()
p.add_argument("--name", required=True)
p.add_argument("--latent", type=int, default=16)
p.add_argument("--ae-min", type=float, default=1.0, help="CPU minutes for the autoencoder")
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--blocks", type=int, default=3)
p.add_argument("--T", type=int, default=1000)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--batch", type=int, default=256)
p.add_argument("--minutes", type=float, nargs="+", default=[0.5, 1, 2])
p.add_argument("--samplers", nargs="+", default=["ddpm1000", "ddpm100", "ddim50"])
p.add_argument("--seed", type=int, default=0)
args = p.parse_args()

tf = setup_threads(1)
import keras  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(args.seed)
classifier = keras.models.load_model(HERE / "classifier.keras")
(xtr, _), _ = load_mnist_raw()
x01 = tf.constant(xtr.reshape(-1, 784))  # uint8
del xtr
n_data = int(x01.shape[0])

# ---- 1. the autoencoder ------------------------------------------------------------------------
enc = keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="relu"),
                        layers.Dense(256, activation="relu"), layers.Dense(args.latent)])
dec = keras.Sequential([keras.Input((args.latent,)), layers.Dense(256, activation="relu"),
                        layers.Dense(512, activation="relu"), layers.Dense(784, activation="sigmoid")])
ae_opt = keras.optimizers.Adam(2e-3)
gen = tf.random.Generator.from_seed(args.seed)


@tf.function(jit_compile=True)
def ae_step():
    x = tf.cast(tf.gather(x01, gen.uniform([128], 0, n_data, tf.int32)), tf.float32) / 255
    with tf.GradientTape() as tape:
        xh = dec(enc(x, training=True), training=True)
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(x, xh))
    v = enc.trainable_variables + dec.trainable_variables
    ae_opt.apply_gradients(zip(tape.gradient(loss, v), v))
    return loss


ae_step()
c0 = time.process_time()
ae_steps = 0
while time.process_time() - c0 < args.ae_min * 60:
    for _ in range(20):
        ae_loss = float(ae_step())
    ae_steps += 20
ae_cpu = time.process_time() - c0
codes = np.concatenate([enc(tf.cast(x01[i:i + 5000], tf.float32) / 255, training=False).numpy()
                        for i in range(0, n_data, 5000)])
mu, sd = codes.mean(0), codes.std(0)
z_data = tf.constant(((codes - mu) / sd).astype(np.float32))
recon = dec(enc(tf.cast(x01[:100], tf.float32) / 255)).numpy().reshape(-1, 28, 28, 1) * 2 - 1
rec_score = score(recon, classifier)
log({"run": args.name + "_ae", "ae_cpu_min": ae_cpu / 60, "ae_steps": ae_steps, "ae_loss": ae_loss,
     "score_recon_train100": rec_score})

# ---- 2. the DDPM on the codes ------------------------------------------------------------------
D = args.latent
_, alpha_bar = make_schedule("cosine", args.T)
sab = tf.constant(np.sqrt(alpha_bar), tf.float32)
s1ab = tf.constant(np.sqrt(1 - alpha_bar), tf.float32)


def build_denoiser():
    z_in = keras.Input((1, 1, D), name="z_t")  # shaped like an image so common.sample works
    t_in = keras.Input((32,), name="t_features")
    temb = layers.Dense(args.hidden, activation="swish")(t_in)
    h = layers.Add()([layers.Dense(args.hidden)(layers.Flatten()(z_in)), temb])
    for _ in range(args.blocks):
        r = layers.Dense(args.hidden, activation="swish")(layers.LayerNormalization()(h))
        r = layers.Add()([r, layers.Dense(args.hidden)(temb)])
        h = layers.Add()([h, layers.Dense(args.hidden, activation="swish")(r)])
    out = layers.Dense(D, kernel_initializer="zeros")(h)
    return keras.Model([z_in, t_in], layers.Reshape((1, 1, D))(out))


model, ema = build_denoiser(), build_denoiser()
ema.set_weights(model.get_weights())
opt = keras.optimizers.Adam(args.lr, global_clipnorm=1.0)
step_var = tf.Variable(0, dtype=tf.int64)


@tf.function(jit_compile=True)
def train_step():
    z0 = tf.gather(z_data, gen.uniform([args.batch], 0, n_data, tf.int32))[:, None, None, :]
    t = gen.uniform([args.batch], 0, args.T, tf.int32)
    eps = gen.normal(tf.shape(z0))
    zt = tf.gather(sab, t)[:, None, None, None] * z0 + tf.gather(s1ab, t)[:, None, None, None] * eps
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model([zt, time_features(t, args.T)], training=True) - eps))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    step_var.assign_add(1)
    s = tf.cast(step_var, tf.float32)
    d = tf.minimum(0.999, (1.0 + s) / (10.0 + s))
    for e, w in zip(ema.trainable_variables, model.trainable_variables):
        e.assign(d * e + (1 - d) * w)
    return loss


train_step()
losses, cpu_train = [], 0.0
for target in args.minutes:
    c0 = time.process_time()
    while cpu_train + time.process_time() - c0 < target * 60:
        for _ in range(20):
            losses.append(float(train_step()))
    cpu_train += time.process_time() - c0
    rec = {"run": args.name, "cfg": vars(args), "ae_cpu_min": ae_cpu / 60,
           "train_cpu_min": cpu_train / 60, "train_wall_min": float("nan"),
           "steps": int(step_var.numpy()), "epochs": int(step_var.numpy()) * args.batch / n_data,
           "loss_last200": float(np.mean(losses[-200:])), "params": model.count_params()}
    for sp in args.samplers:
        c1 = time.process_time()
        z = sample(ema, alpha_bar, 100, steps=int(sp[4:]), eta=1.0 if sp[:4] == "ddpm" else 0.0,
                   seed=123, clip=False, shape=(1, 1, D))  # codes are not bounded: no clipping
        x = dec(z.reshape(-1, D) * sd + mu, training=False).numpy().reshape(-1, 28, 28, 1) * 2 - 1
        rec[sp] = {**score(x, classifier), "sample_cpu_s": time.process_time() - c1}
        save_grid(x, HERE / f"samples_{args.name}_{cpu_train / 60:.1f}min_{sp}.png")
    ck = HERE / f"ckpt_{args.name}.npz"
    np.savez_compressed(ck, *[w.astype(np.float16) for w in ema.get_weights() + dec.get_weights()])
    rec["ckpt_kb"] = ck.stat().st_size / 1024
    rec["peak_rss_mb"] = peak_rss_mb()
    log(rec)
