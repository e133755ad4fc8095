"""Sanity check: noising step by step, x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps_t,
has the same distribution as the closed form x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps.
Pure NumPy; 4 000 copies of 50 pixels of one digit."""
import numpy as np
from common import load_mnist_raw, log, make_schedule

(x, _), _ = load_mnist_raw()
x0 = (x[0].astype(np.float64) / 127.5 - 1).ravel()[350:400]  # 50 pixels of the first digit
rng = np.random.default_rng(0)
n = 4000
out = {"run": "forward_check"}
for sched, T in (("cosine", 1000), ("linear", 1000), ("cosine", 100)):
    betas, ab = make_schedule(sched, T)
    xt = np.tile(x0, (n, 1))
    worst_mean = worst_std = 0.0
    for t in range(T):
        xt = np.sqrt(1 - betas[t]) * xt + np.sqrt(betas[t]) * rng.standard_normal(xt.shape)
        if t in (T // 10, T // 2, T - 1):
            m_err = np.abs(xt.mean(0) - np.sqrt(ab[t]) * x0).max()
            s_err = np.abs(xt.std(0) - np.sqrt(1 - ab[t])).max()
            worst_mean, worst_std = max(worst_mean, m_err), max(worst_std, s_err)
    out[f"{sched}{T}"] = {"abar_end": float(ab[-1]), "abar_mid": float(ab[T // 2]),
                          "max_mean_err": worst_mean, "max_std_err": worst_std,
                          "tolerance_4se": 4 / np.sqrt(n)}
log(out)
