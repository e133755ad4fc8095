"""Train a small unconditional DDPM on MNIST on the CPU and score it at several training lengths.

    OMP_NUM_THREADS=1 nice -n 19 ../../.venv/bin/python train_ddpm.py --arch mlp --name A \\
        --minutes 1 2 3 4 8 16

Training time is measured as this process's CPU time (``time.process_time``): with one thread it
is the single-thread time even when other jobs share the cores.  At each checkpoint (CPU minutes
of *training*, sampling excluded) the EMA weights draw 100 samples with fixed seeds, the CNN
classifier scores them, and one JSON line goes to runs.log.

DDPM in five lines (Ho et al. 2020), epsilon-prediction:
    x_0 ~ data, t ~ U{0..T-1}, eps ~ N(0, I)
    x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps          (closed form of q(x_t | x_0))
    loss = || eps - eps_theta(x_t, t) ||^2
and sampling runs the learnt reverse chain from x_T ~ N(0, I) (see common.sample).
"""
import argparse
import time

import numpy as np

from common import (HERE, build_mlp, build_unet, load_mnist_raw, log, make_schedule, peak_rss_mb,
                    sample, save_grid, score, setup_threads, time_features, to_pm1)

p = argparse.ArgumentParser()
p.add_argument("--name", required=True)
p.add_argument("--arch", default="mlp", choices=["mlp", "unet"])
p.add_argument("--hidden", type=int, default=512)
p.add_argument("--blocks", type=int, default=3)
p.add_argument("--ch", type=int, nargs="+", default=[32, 64])
p.add_argument("--patch", type=int, default=1)
p.add_argument("--size", type=int, default=28, choices=[14, 28])
p.add_argument("--pred", default="x0", choices=["eps", "x0"],
               help="x0: the net predicts the clean image (an MLP with a hidden layer narrower "
                    "than 784 cannot copy its input, which eps-prediction needs)")
p.add_argument("--T", type=int, default=1000)
p.add_argument("--schedule", default="cosine", choices=["cosine", "linear"])
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--decay-steps", type=int, default=0,
               help="> 0: cosine learning-rate decay to 5 %% over this many steps")
p.add_argument("--batch", type=int, default=128)
p.add_argument("--ema", type=float, default=0.999)
p.add_argument("--minutes", type=float, nargs="+", default=[1, 2, 3, 4, 8, 16])
p.add_argument("--samplers", nargs="+", default=["ddpm100", "ddim50"],
               help="ddpmN = N strided ancestral steps (eta=1), ddimN = N DDIM steps (eta=0)")
p.add_argument("--jit", type=int, default=1)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--threads", type=int, default=1)
args = p.parse_args()

tf = setup_threads(args.threads)
import keras  # noqa: E402

keras.utils.set_random_seed(args.seed)
classifier = keras.models.load_model(HERE / "classifier.keras")

(xtr, _), _ = load_mnist_raw()
# keep the digits as uint8 (47 MB, not 188 MB of float32) and scale each batch to [-1, 1]
if args.size == 14:
    xtr = xtr.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4)).round().astype(np.uint8)
data = tf.constant(xtr[..., None])
del xtr
n_data = int(data.shape[0])

betas, alpha_bar = make_schedule(args.schedule, args.T)
sqrt_ab = tf.constant(np.sqrt(alpha_bar), tf.float32)
sqrt_1mab = tf.constant(np.sqrt(1 - alpha_bar), tf.float32)

if args.arch == "mlp":
    model = build_mlp(args.size, args.hidden, args.blocks)
    ema_model = build_mlp(args.size, args.hidden, args.blocks)
else:
    model = build_unet(args.size, tuple(args.ch), patch=args.patch)
    ema_model = build_unet(args.size, tuple(args.ch), patch=args.patch)
ema_model.set_weights(model.get_weights())
lr = (keras.optimizers.schedules.CosineDecay(args.lr, args.decay_steps, alpha=0.05)
      if args.decay_steps else args.lr)
opt = keras.optimizers.Adam(lr, global_clipnorm=1.0)
gen = tf.random.Generator.from_seed(args.seed)
step_var = tf.Variable(0, dtype=tf.int64)


@tf.function(jit_compile=bool(args.jit))
def train_step():
    idx = gen.uniform([args.batch], 0, n_data, tf.int32)
    x0 = tf.cast(tf.gather(data, idx), tf.float32) / 127.5 - 1.0
    t = gen.uniform([args.batch], 0, args.T, tf.int32)
    eps = gen.normal(tf.shape(x0))
    xt = (tf.gather(sqrt_ab, t)[:, None, None, None] * x0
          + tf.gather(sqrt_1mab, t)[:, None, None, None] * eps)
    with tf.GradientTape() as tape:
        pred = model([xt, time_features(t, args.T)], training=True)
        loss = tf.reduce_mean(tf.square(pred - (eps if args.pred == "eps" else x0)))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    # EMA of the weights, with a warm-up so that early checkpoints are not stuck at the init
    step_var.assign_add(1)
    s = tf.cast(step_var, tf.float32)
    d = tf.minimum(args.ema, (1.0 + s) / (10.0 + s))
    for e, w in zip(ema_model.trainable_variables, model.trainable_variables):
        e.assign(d * e + (1 - d) * w)
    return loss


def evaluate(cpu_train, wall_train, losses):
    stamp = f"{cpu_train / 60:.1f}min"
    rec = {"run": args.name, "cfg": vars(args), "params": model.count_params(),
           "steps": int(step_var.numpy()), "epochs": int(step_var.numpy()) * args.batch / n_data,
           "train_cpu_min": cpu_train / 60, "train_wall_min": wall_train / 60,
           "loss_last200": float(np.mean(losses[-200:]))}
    for sp in args.samplers:
        kind, steps = sp[:4], int(sp[4:])
        c0, w0 = time.process_time(), time.time()
        x = sample(ema_model, alpha_bar, 100, args.size, steps=steps,
                   eta=1.0 if kind == "ddpm" else 0.0, seed=123, pred=args.pred)
        sc = score(x, classifier)
        rec[sp] = {**sc, "sample_cpu_s": time.process_time() - c0, "sample_wall_s": time.time() - w0}
        save_grid(x, HERE / f"samples_{args.name}_{stamp}_{sp}.png")
    w = [v.astype(np.float16) for v in ema_model.get_weights()]
    ck = HERE / f"ckpt_{args.name}_{stamp}.npz"
    np.savez_compressed(ck, *w)
    rec["ckpt_kb"] = ck.stat().st_size / 1024
    rec["peak_rss_mb"] = peak_rss_mb()
    log(rec)


train_step()  # trace + compile outside the clock
losses, cpu_train, wall_train = [], 0.0, 0.0
for target in args.minutes:
    c0, w0 = time.process_time(), time.time()
    while cpu_train + (time.process_time() - c0) < target * 60:
        for _ in range(20):
            losses.append(float(train_step()))
    cpu_train += time.process_time() - c0
    wall_train += time.time() - w0
    evaluate(cpu_train, wall_train, losses)
