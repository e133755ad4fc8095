# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 04 — Loss and gradient descent
#
# A network learns by **making a number smaller**: the *loss*, which says how wrong its
# predictions are. This lesson is about that number and about the simplest way to shrink it,
# walking downhill.
#
# **Learning goals** — after this lesson you can
#
# 1. compute the mean squared error and binary / categorical cross-entropy, and say which one to
#    use for regression and which for classification — and *why* (gradients at confident mistakes);
# 2. run gradient descent by hand on a loss with one and with two parameters, and draw its path;
# 3. recognise a learning rate that is too small, good, or too large from the loss curve;
# 4. explain what mini-batch SGD, momentum and Adam change, and compare them on the same surface
#    with nnlib's own optimizer classes.
#
# **Estimated time:** 60–75 minutes. Nothing in this lesson is slow, so there are no quick-mode
# settings except the contour resolution (`pick(full=..., quick=...)` in the 2-D section).

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

# %% slideshow={"slide_type": "skip"}
import ipywidgets as widgets
from IPython.display import display

from nnlib import nn, surfaces
from nnlib.plotting import OKABE_ITO
from nnlib.widgets import release_note

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A real regression problem and the mean squared error
#
# The diabetes data set bundled with scikit-learn follows 442 patients. We take one input, the
# **body-mass index** (BMI, divided by 10), and one target, a measure of **disease progression
# one year later** (divided by 100). A straight line $\hat y = w x + b$ is our first "network":
# one neuron, no activation.
#
# How wrong is a line? For each patient the error is $\hat y_i - y_i$. Squaring makes every error
# positive and punishes big misses most; averaging gives the **mean squared error**
#
# $$\mathrm{MSE}(w, b) = \frac{1}{n}\sum_{i=1}^{n} (\hat y_i - y_i)^2 .$$

# %%
x, y = surfaces.load_bmi_data()
print(
    f"{len(x)} patients; BMI/10 from {x.min():.2f} to {x.max():.2f}; target/100 from {y.min():.2f} to {y.max():.2f}"
)


def mse(y_true, y_pred):
    return np.mean((y_pred - y_true) ** 2)


lines = {
    "flat line w=0, b=1.5": (0.0, 1.5),
    "too steep w=2, b=-3": (2.0, -3.0),
    "w=1, b=-1.1": (1.0, -1.1),
}
for label, (w, b) in lines.items():
    print(f"{label:<22} MSE = {mse(y, w * x + b):.3f}")

# nnlib's version is the same formula (it is what Sequential.compile(loss="mse") uses)
assert np.isclose(mse(y, 1.0 * x - 1.1), nn.mse(y, 1.0 * x - 1.1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The best line has the smallest MSE. Here we can see it: the third line is clearly better.

# %%
fig, ax = plt.subplots(figsize=(6.4, 4.2))
ax.scatter(x, y, s=10, color="gray", alpha=0.6, label="patients")
xs = np.linspace(x.min(), x.max(), 2)
for (label, (w, b)), color in zip(lines.items(), OKABE_ITO):
    ax.plot(xs, w * xs + b, color=color, label=f"{label} (MSE {mse(y, w * x + b):.2f})")
ax.set(
    title="Three candidate lines and their mean squared error",
    xlabel="BMI / 10",
    ylabel="progression / 100",
)
ax.legend()
plt.show()
errors = {label: mse(y, w * x + b) for label, (w, b) in lines.items()}
assert min(errors, key=errors.get) == "w=1, b=-1.1"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Losses for classification: cross-entropy
#
# For a yes/no question the network outputs a probability $p = \sigma(z)$ (sigmoid of the last
# neuron's sum $z$). The **binary cross-entropy** of a label $y \in \{0, 1\}$ is
#
# $$\mathrm{BCE} = -\frac{1}{n}\sum_i \big[\, y_i \log p_i + (1 - y_i)\log(1 - p_i) \,\big].$$
#
# Only one of the two terms is active per sample: $-\log p$ if the answer is 1, $-\log(1-p)$ if
# it is 0. Predicting $p = 0.99$ for the right class costs $0.01$; predicting $p = 0.01$ costs
# $4.6$ — and $p \to 0$ costs $\to \infty$ (Keras and nnlib clip $p$ to $[10^{-7}, 1 - 10^{-7}]$).
#
# For $k$ classes the output is a softmax and the label is one-hot; the **categorical
# cross-entropy** is $-\frac1n\sum_i \log p_{i, y_i}$, minus the log of the probability given to
# the right class.

# %%
y_bin = np.array([1.0, 1.0, 0.0])
p_bin = np.array([0.99, 0.01, 0.2])
per_sample = -(y_bin * np.log(p_bin) + (1 - y_bin) * np.log(1 - p_bin))
print("per-sample BCE:", per_sample.round(3), "  mean:", per_sample.mean().round(3))
assert np.isclose(per_sample.mean(), nn.binary_crossentropy(y_bin, p_bin))
assert per_sample[1] > 100 * per_sample[0]  # confidently wrong costs far more

probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
labels = np.array([0, 1])  # the second sample is class 1, predicted 0.1
cce = -np.mean(np.log(probs[np.arange(2), labels]))
print(f"categorical cross-entropy: {cce:.3f}")
assert np.isclose(cce, nn.sparse_categorical_crossentropy(labels, probs))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why not MSE for classification? Look at the gradient
#
# Learning follows the gradient. Take one sample with label $y = 1$ and output $p = \sigma(z)$.
# By the chain rule, with $\sigma'(z) = p(1-p)$:
#
# * MSE: $\;\frac{\partial}{\partial z}(p - y)^2 = 2(p - y)\,p(1 - p)$
# * BCE: $\;\frac{\partial}{\partial z}\big[-\log p\big] = -\frac{1}{p}\,p(1-p) = p - 1 = p - y$
#
# When the network is **confidently wrong** ($z \ll 0$, so $p \approx 0$), the factor $p(1-p)$
# makes the MSE gradient vanish — the sigmoid *saturates* and learning stalls exactly when it is
# needed most. Cross-entropy's $\frac1p$ cancels that factor: the gradient stays close to $-1$.

# %%
z = np.linspace(-8, 8, 401)
p = nn.sigmoid(z)
grad_mse = 2 * (p - 1) * p * (1 - p)
grad_bce = p - 1

# check both formulas against finite differences of the losses themselves
eps = 1e-6
fd_mse = ((nn.sigmoid(z + eps) - 1) ** 2 - (nn.sigmoid(z - eps) - 1) ** 2) / (2 * eps)
fd_bce = (-np.log(nn.sigmoid(z + eps)) + np.log(nn.sigmoid(z - eps))) / (2 * eps)
assert np.allclose(grad_mse, fd_mse, atol=1e-6) and np.allclose(grad_bce, fd_bce, atol=1e-6)

fig, ax = plt.subplots(figsize=(8, 5))
ax.plot(z, grad_mse, color=OKABE_ITO[0], label=r"MSE + sigmoid: $2(p-1)p(1-p)$")
ax.plot(z, grad_bce, color=OKABE_ITO[1], linestyle="--", label="cross-entropy + sigmoid: $p-1$")
ax.axvspan(-8, -3, color=OKABE_ITO[5], alpha=0.1, label="confidently wrong")
ax.set(
    title="Gradient w.r.t. z for a sample with label 1",
    xlabel="z (the neuron's sum)",
    ylabel=r"$\partial L / \partial z$",
)
ax.legend()
plt.show()

i = np.argmin(np.abs(z + 8))  # z = -8: p = 0.0003, a confident mistake
print(f"at z = -8: MSE gradient {grad_mse[i]:.5f}, cross-entropy gradient {grad_bce[i]:.5f}")
assert abs(grad_mse[i]) < 1e-3 and abs(grad_bce[i]) > 0.99


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Gradient descent with one parameter
#
# To find the best line we could try every $w$ — impossible with a million weights. Instead,
# **walk downhill**: the derivative $L'(w)$ points uphill, so step the other way,
#
# $$w \leftarrow w - \eta\, L'(w),$$
#
# with a small **learning rate** $\eta$. Here the line goes through the origin, $\hat y = wx$,
# so $L(w) = \frac1n\sum_i (w x_i - y_i)^2$ and $L'(w) = \frac2n \sum_i (w x_i - y_i)\,x_i$.


# %%
def loss_1d(w):
    return np.mean((np.multiply.outer(w, x) - y) ** 2, axis=-1)


def grad_1d(w):
    return 2 * np.mean((w * x - y) * x)


def gradient_descent_1d(w0, lr, steps):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad_1d(ws[-1]))
    return np.array(ws)


ws = gradient_descent_1d(w0=-0.5, lr=0.04, steps=20)
w_best = np.sum(x * y) / np.sum(x * x)  # where L'(w) = 0
print(f"after 20 steps w = {ws[-1]:.4f}; the exact minimum is w = {w_best:.4f}")
assert abs(ws[-1] - w_best) < 1e-3

# %% slideshow={"slide_type": "subslide"}
w_grid = np.linspace(-0.7, 1.6, 200)
fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.plot(w_grid, loss_1d(w_grid), color="gray", label="$L(w)$")
ax.plot(
    ws, loss_1d(ws), "o-", color=OKABE_ITO[0], ms=4, lw=1, label="gradient descent, $\\eta = 0.04$"
)
ax.plot(w_best, loss_1d(w_best), "*", color="black", ms=12, label="minimum")
ax.set(title="Gradient descent on a one-parameter loss", xlabel="weight w", ylabel="MSE")
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Try it: the learning rate
#
# Move the slider. For this loss $L''(w) = \frac2n\sum x_i^2$ is constant, and gradient descent
# converges only if $\eta < 2 / L''(w)$ (each step multiplies the distance to the minimum by
# $1 - \eta L''$). Find the three regimes: **too small** (crawls), **good** (a few steps),
# **too large** (overshoots, further away after every step).

# %%
curvature = 2 * np.mean(x**2)
lr_limit = 2 / curvature
print(
    f"L''(w) = {curvature:.2f}, so gradient descent diverges for learning rates above {lr_limit:.4f}"
)


def lr_regime(lr, steps=20, w0=-0.5):
    """Run gradient descent; return its path, losses and a verdict."""
    path = gradient_descent_1d(w0, lr, steps)
    losses = loss_1d(path)
    gap = losses - loss_1d(w_best)  # how far above the minimum
    if gap[-1] > gap[0]:
        verdict = "diverges"
    elif gap[-1] > 0.1 * gap[0]:
        verdict = "too small"
    else:
        verdict = "good"
    return path, losses, verdict


def show_lr(lr=0.04):
    path, losses, verdict = lr_regime(lr)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    ax1.plot(w_grid, loss_1d(w_grid), color="gray")
    shown = np.clip(path, w_grid[0], w_grid[-1])
    ax1.plot(shown, loss_1d(shown), "o-", color=OKABE_ITO[0], ms=4, lw=1)
    ax1.set(title=f"learning rate {lr:.4f}: {verdict}", xlabel="weight w", ylabel="MSE")
    ax2.semilogy(losses - loss_1d(w_best) + 1e-12, "o-", color=OKABE_ITO[1], ms=3)
    ax2.set(title="distance to the minimum", xlabel="step", ylabel="MSE - min MSE (log)")
    plt.show()


lr_slider = widgets.FloatLogSlider(
    value=0.04,
    base=10,
    min=-3.5,
    max=-0.7,
    step=0.05,
    description="learning rate",
    continuous_update=False,
)
display(release_note(widgets.interactive(show_lr, lr=lr_slider)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The three behaviours, checked numerically (the slider calls the same `lr_regime`):

# %%
for lr in [0.002, 0.04, 0.14]:
    path, losses, verdict = lr_regime(lr)
    print(
        f"lr = {lr:<6} loss after 0/5/20 steps: {losses[0]:.3f} / {losses[5]:.3f} / {losses[-1]:.3g} -> {verdict}"
    )
assert lr_regime(0.002)[2] == "too small" and lr_regime(0.04)[2] == "good"
assert lr_regime(0.14)[2] == "diverges" and 0.14 > lr_limit > 0.04
assert np.all(np.diff(lr_regime(0.14)[1]) > 0)  # divergence: every step makes it worse

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Two parameters: the loss surface
#
# With both $w$ and $b$ the loss is a surface over the $(w, b)$ plane; the gradient
# $\nabla L = \big(\frac{\partial L}{\partial w}, \frac{\partial L}{\partial b}\big)$ points
# uphill, and gradient descent updates both at once:
# $(w, b) \leftarrow (w, b) - \eta \nabla L$.
#
# `nnlib.surfaces.LineFit` holds the loss and its gradient; the update itself is done by
# **nnlib's own optimizer**, `nn.SGD(learning_rate)` — the very object `Sequential.fit` uses to
# update a network's weights. It changes the parameter array in place:

# %%
surface = surfaces.LineFit(x, y)
p = np.array([-0.5, 1.5])  # start: w = -0.5, b = 1.5
opt = nn.SGD(learning_rate=0.1)
print("gradient at the start:", surface.grad(p))
opt.update([p], [surface.grad(p)])  # p <- p - 0.1 * gradient
print("after one step:       ", p)
assert np.allclose(p, np.array([-0.5, 1.5]) - 0.1 * surface.grad(np.array([-0.5, 1.5])))

# %% slideshow={"slide_type": "subslide"}
start = [-0.5, 1.5]
gd_path = surfaces.optimize(surface, nn.SGD(0.1), start, steps=100)
ax = surfaces.plot_paths(
    surface,
    {"gradient descent, lr 0.1": gd_path},
    title="Gradient descent on the (w, b) loss surface",
)
plt.show()
gap_gd = surface.loss(*gd_path[-1]) - surface.min_loss
print(
    f"after 100 steps: w = {gd_path[-1, 0]:.3f}, b = {gd_path[-1, 1]:.3f}; MSE above the minimum: {gap_gd:.4f}"
)
assert surface.loss(*gd_path[-1]) < surface.loss(*gd_path[0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why so slow? A long, narrow valley
#
# The path runs quickly down the steep wall, then crawls along the valley floor. The valley's
# shape is set by the eigenvalues of the Hessian (the matrix of second derivatives): a steep
# direction and a flat one. The learning rate must stay below $2/\lambda_{\max}$ or we diverge
# across the steep direction, and then along the flat direction each step shrinks the distance
# only by the factor $1 - \eta\lambda_{\min}$. BMI values lie far from 0 (1.8 to 4.2), which
# couples $w$ and $b$ — one reason networks train faster on **standardised inputs** (mean 0, spread 1).

# %%
eigenvalues = np.linalg.eigvalsh(surface.hessian())
print(
    f"Hessian eigenvalues: {eigenvalues.round(3)}; ratio (condition number) {eigenvalues[1] / eigenvalues[0]:.0f}"
)
print(f"largest stable learning rate 2/lambda_max = {2 / eigenvalues[1]:.3f}")
print(
    f"per step, the flat direction shrinks by only 1 - 0.1 * {eigenvalues[0]:.3f} = {1 - 0.1 * eigenvalues[0]:.4f}"
)
assert eigenvalues[1] / eigenvalues[0] > 100  # an ill-conditioned valley
assert surface.loss(*surfaces.optimize(surface, nn.SGD(0.13), start, 50)[-1]) > surface.loss(
    *start
)  # above 2/lambda_max: diverges

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Mini-batch SGD, momentum and Adam on the same valley
#
# Three changes to plain gradient descent, all available in nnlib (and in Keras, under the same
# names):
#
# * **Mini-batch SGD** — estimate the gradient from a random batch of 32 patients instead of all
#   442: each step is 14× cheaper but noisy. With millions of samples this is the only option.
# * **Momentum** (`SGD(lr, momentum=0.9)`) — keep a velocity
#   $v \leftarrow 0.9\,v - \eta\nabla L$ and move by $v$. Along the valley floor the gradients
#   agree and the velocity builds up; across the valley they alternate and cancel.
# * **Adam** (`Adam(lr)`) — momentum, plus each parameter's step divided by the *square root* of
#   a running average of its squared gradients (roughly the gradient's typical size), so flat and
#   steep directions get similar step sizes.
#
# All four run the **same** `surfaces.optimize` loop for the same number of steps; only the
# optimizer object changes.

# %%
steps = 100
runs = {
    "gradient descent, lr 0.1": dict(optimizer=nn.SGD(0.1)),
    "mini-batch SGD (32), lr 0.05": dict(optimizer=nn.SGD(0.05), batch_size=32),
    "momentum 0.9, lr 0.05": dict(optimizer=nn.SGD(0.05, momentum=0.9)),
    "Adam, lr 0.3": dict(optimizer=nn.Adam(0.3)),
}
paths = {
    name: surfaces.optimize(surface, start=start, steps=steps, seed=0, **kw)
    for name, kw in runs.items()
}
gaps = {name: surface.loss(*path[-1]) - surface.min_loss for name, path in paths.items()}
for name, gap in gaps.items():
    print(f"{name:<30} MSE above the minimum after {steps} steps: {gap:.5f}")

# %% slideshow={"slide_type": "subslide"}
resolution = pick(full=160, quick=80)  # quick mode: coarser contour grid
fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
surfaces.plot_paths(
    surface, paths, ax=axes[0], title=f"{steps} steps of four optimizers", resolution=resolution
)
for (name, path), color in zip(paths.items(), OKABE_ITO):
    axes[1].semilogy(
        surface.loss(path[:, 0], path[:, 1]) - surface.min_loss, color=color, label=name
    )
axes[1].set(title="Loss above the minimum, per step", xlabel="step", ylabel="MSE - min MSE (log)")
axes[1].legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the numbers say (asserted below, same in quick and full mode — nothing here depends on it):
#
# * momentum and Adam end **more than 10× closer** to the minimum than plain gradient descent;
# * on this smooth quadratic, momentum wins outright;
# * mini-batch SGD is noisy, but each of its steps looked at 32 samples instead of 442: per sample
#   processed it ends closer to the minimum than full-batch descent after the same number of
#   samples seen (about 7 full-batch steps; both numbers are printed below).

# %%
gd, mb, mom, adam = (gaps[name] for name in runs)
assert mom < gd / 10 and adam < gd / 10
assert mom < adam < gd
samples_seen = steps * 32
gd_same_work = surface.loss(*gd_path[samples_seen // len(x)]) - surface.min_loss
print(
    f"full-batch GD after {samples_seen // len(x)} steps ({samples_seen // len(x) * len(x)} samples): {gd_same_work:.4f}; mini-batch SGD after {samples_seen} samples: {mb:.4f}"
)
assert mb < gd_same_work


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise has a cell for your answer, a `check(...)` cell, and `hint(...)` /
# `solution(...)` if you get stuck.
#
# ### Exercise 1 — the gradient of the MSE
#
# Write `mse_grad(y_true, y_pred)`: the gradient of $L = \mathrm{mean}\big((\hat y - y)^2\big)$
# with respect to every entry of `y_pred`. The mean runs over **all** entries (for a batch of
# shape (3, 2) that is 6 of them). This is what `nnlib.nn.mse_grad` does inside `fit`.


# %%
def mse_grad(y_true, y_pred):
    # BEGIN SOLUTION
    return 2 * (y_pred - y_true) / y_pred.size
    # END SOLUTION


# %%
check("04.mse_grad", mse_grad)


# %%
# hint("04.mse_grad")  # solution("04.mse_grad")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — binary cross-entropy
#
# Write `binary_crossentropy(y_true, p)`: the mean BCE of section 2, with `p` clipped to
# $[10^{-7}, 1 - 10^{-7}]$ so that a confident mistake ($p = 0$ for label 1) costs a large but
# finite amount. Return a Python float.


# %%
def binary_crossentropy(y_true, p, eps=1e-7):
    # BEGIN SOLUTION
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
    # END SOLUTION


# %%
check("04.bce", binary_crossentropy)


# %%
# hint("04.bce")  # solution("04.bce")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — one step of gradient descent
#
# Write `gd_step(w, b, x, y, lr)` that returns the new `(w, b)` after one gradient-descent step on
# the MSE of the line $\hat y = wx + b$. You need both partial derivatives:
# $\frac{\partial L}{\partial w} = \frac2n\sum_i (\hat y_i - y_i)\,x_i$ and
# $\frac{\partial L}{\partial b} = \frac2n\sum_i (\hat y_i - y_i)$.


# %%
def gd_step(w, b, x, y, lr):
    # BEGIN SOLUTION
    error = w * x + b - y
    dw = 2 * np.mean(error * x)
    db = 2 * np.mean(error)
    return w - lr * dw, b - lr * db
    # END SOLUTION


# %%
check("04.gd_step", gd_step)

# %%
# hint("04.gd_step")  # solution("04.gd_step")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Bonus (no check):** run your `gd_step` 100 times from $(w, b) = (-0.5, 1.5)$ with
# `lr=0.1` on the BMI data and compare with `gd_path[-1]` from section 5 — they should agree.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A **loss** turns "how wrong" into one number. **MSE** for regression; **cross-entropy** for
#   classification, because its gradient $p - y$ stays large for confident mistakes where
#   MSE + sigmoid saturates ($2(p-y)\,p(1-p) \to 0$).
# * **Gradient descent**: $\theta \leftarrow \theta - \eta \nabla L(\theta)$. The learning rate
#   decides everything: too small crawls, too large diverges (here above $2/L''$).
# * Real loss surfaces are **ill-conditioned valleys**; plain gradient descent zig-zags or crawls.
# * **Mini-batch SGD** trades exact gradients for cheap steps; **momentum** builds speed along
#   the valley; **Adam** rescales each parameter's step. nnlib's `SGD` and `Adam` are the same
#   objects that train networks in `Sequential.fit` — next lesson we compute the gradient for a
#   whole network: **backpropagation**.
