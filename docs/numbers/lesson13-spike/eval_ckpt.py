"""Score a saved float16 checkpoint with several samplers and sample seeds (100 samples each).

    OMP_NUM_THREADS=1 nice -n 19 ../../.venv/bin/python eval_ckpt.py ckpt_C_mlp512_x0_3.0min.npz \\
        --hidden 512 --blocks 3 --pred x0 --samplers ddpm1000 ddpm250 --seeds 1 2 3
"""
import argparse
import time

import numpy as np

from common import HERE, build_mlp, log, make_schedule, peak_rss_mb, sample, score, setup_threads

p = argparse.ArgumentParser()
p.add_argument("ckpt")
p.add_argument("--hidden", type=int, default=512)
p.add_argument("--blocks", type=int, default=3)
p.add_argument("--pred", default="x0")
p.add_argument("--T", type=int, default=1000)
p.add_argument("--samplers", nargs="+", default=["ddpm1000"])
p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
args = p.parse_args()
tf = setup_threads(1)
import keras  # noqa: E402

classifier = keras.models.load_model(HERE / "classifier.keras")
model = build_mlp(28, args.hidden, args.blocks)
with np.load(HERE / args.ckpt) as f:
    model.set_weights([f[f"arr_{i}"].astype(np.float32) for i in range(len(f.files))])
_, alpha_bar = make_schedule("cosine", args.T)
for sp in args.samplers:
    fracs, hist, cpu = [], np.zeros(10, int), []
    for seed in args.seeds:
        c = time.process_time()
        x = sample(model, alpha_bar, 100, steps=int(sp[4:]), eta=1.0 if sp[:4] == "ddpm" else 0.0,
                   seed=seed, pred=args.pred)
        cpu.append(time.process_time() - c)
        s = score(x, classifier)
        fracs.append(s["frac_conf"])
        hist += np.array(s["hist_all"])
    log({"run": "eval_ckpt", "ckpt": args.ckpt, "sampler": sp, "seeds": args.seeds,
         "frac_conf_each": fracs, "frac_conf_mean": float(np.mean(fracs)), "min_class_count": int(hist.min()),
         "hist_all_sum": hist.tolist(), "sample_cpu_s_each": cpu, "peak_rss_mb": peak_rss_mb()})
