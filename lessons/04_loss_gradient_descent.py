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
#    use for regression and which for classification — and *why* (maximum likelihood, and the
#    gradients at confident mistakes);
# 2. run gradient descent by hand on a loss with one and with two parameters, and draw its path;
# 3. recognise a learning rate that is too small, good, overshooting or diverging from the loss
#    curve, and explain why standardising the input lets gradient descent converge in a few steps;
# 4. explain what mini-batch SGD, momentum and Adam change, and compare them on the same surface
#    with nnlib's own optimizer classes.
#
# **Estimated time:** 75–90 minutes. Nothing in this lesson is slow, so there are no quick-mode
# settings except the contour resolution (`pick(full=..., quick=...)` in the 2-D section).
#
# **After a kernel restart** run this first cell again: it holds every import the lesson needs.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import ipywidgets as widgets
from IPython.display import display

import nnlib
from nnlib import check, hint, nn, pick, solution
from nnlib.byhand import surfaces
from nnlib.show.figures import describe
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import release_note

nnlib.start_lesson(seed=0)

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
bmi, progression = surfaces.load_bmi_data()  # the input x and the target y of the text
print(
    f"{len(bmi)} patients; BMI/10 from {bmi.min():.2f} to {bmi.max():.2f}; "
    f"target/100 from {progression.min():.2f} to {progression.max():.2f}"
)


def mse(y_true, y_pred):
    return np.mean((y_pred - y_true) ** 2)


lines = {
    "flat line w=0, b=1.5": (0.0, 1.5),
    "too steep w=2, b=-3": (2.0, -3.0),
    "w=1, b=-1.1": (1.0, -1.1),
}
for label, (w, b) in lines.items():
    print(f"{label:<22} MSE = {mse(progression, w * bmi + b):.3f}")

# nnlib's version is the same formula (it is what Sequential.compile(loss="mse") uses)
assert np.isclose(mse(progression, 1.0 * bmi - 1.1), nn.mse(progression, 1.0 * bmi - 1.1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The best line has the smallest MSE. Here we can see it: the third line is clearly better.

# %%
fig, ax = plt.subplots(figsize=(10, 4.2))
ax.scatter(bmi, progression, s=10, color="gray", alpha=0.6, label="patients")
xs = np.linspace(bmi.min(), bmi.max(), 2)
for (label, (w, b)), color, ls in zip(lines.items(), OKABE_ITO, ["-", "--", ":"]):
    ax.plot(
        xs,
        w * xs + b,
        color=color,
        linestyle=ls,
        label=f"{label} (MSE {mse(progression, w * bmi + b):.2f})",
    )
ax.set(
    title="Three candidate lines\nand their mean squared error",
    xlabel="BMI / 10",
    ylabel="progression / 100",
)
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))  # beside the data, hiding none
plt.show()
errors = {label: mse(progression, w * bmi + b) for label, (w, b) in lines.items()}
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
# ### Where the formula comes from: maximum likelihood
#
# Cross-entropy is not an arbitrary choice. Read the network's output as a claim: "sample $i$
# has label 1 with probability $p_i$". Then the probability the model gives to the label we
# actually saw is
#
# $$P(y_i) = p_i^{\,y_i}\,(1 - p_i)^{1 - y_i} \qquad (= p_i \text{ if } y_i = 1,\; 1 - p_i \text{ if } y_i = 0).$$
#
# A good model makes the **observed labels likely**. For independent samples the probability of
# all labels together is the product $\prod_i P(y_i)$, the **likelihood**. Make it as large as
# possible; equivalently make $-\frac1n \log \prod_i P(y_i)$ as small as possible (the log
# turns the product into a sum and does not move the maximum):
#
# $$-\frac1n \log \prod_i P(y_i) = -\frac1n \sum_i \big[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\big] = \mathrm{BCE}.$$
#
# **Minimising cross-entropy = maximising the likelihood of the labels.** (The same argument with
# Gaussian noise around a regression line gives the MSE.) Checked on the three samples above, and
# a reason for the log: the product of many probabilities underflows to 0 in floating point.

# %%
likelihood = np.prod(p_bin**y_bin * (1 - p_bin) ** (1 - y_bin))
print(f"likelihood of the labels {y_bin} under the model: {likelihood:.5f}")
print(f"-(1/n) log(likelihood) = {-np.log(likelihood) / len(y_bin):.4f}")
print(f"binary cross-entropy   = {nn.binary_crossentropy(y_bin, p_bin):.4f}")
assert np.isclose(-np.log(likelihood) / len(y_bin), nn.binary_crossentropy(y_bin, p_bin))

# 3000 samples, each given probability 0.7: the product is below the smallest float64
print(f"0.7 ** 3000 = {0.7**3000}  but  3000 * log(0.7) = {3000 * np.log(0.7):.1f}")
assert 0.7**3000 == 0.0 and np.isfinite(3000 * np.log(0.7))

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
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)  # below: hides no curve
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
    return np.mean((np.multiply.outer(w, bmi) - progression) ** 2, axis=-1)


def grad_1d(w):
    return 2 * np.mean((w * bmi - progression) * bmi)


def gradient_descent_1d(w0, lr, steps):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad_1d(ws[-1]))
    return np.array(ws)


ws = gradient_descent_1d(w0=-0.5, lr=0.04, steps=20)
w_best = np.sum(bmi * progression) / np.sum(bmi * bmi)  # where L'(w) = 0
print(f"after 20 steps w = {ws[-1]:.4f}; the exact minimum is w = {w_best:.4f}")
assert abs(ws[-1] - w_best) < 1e-3 and round(w_best, 2) == 0.59  # the text says "near 0.59"

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
# The path above starts at $w = -0.5$ and walks right to the minimum near $w = 0.59$.
# **Predict first, then move the slider:** with $\eta = 0.1$ (2.5× the step above), does the
# path still arrive from the left, jump back and forth across the minimum, or fly off? And with
# $\eta = 0.16$? Write your guesses down. Then look for four behaviours: **crawls**, **good**,
# **zig-zags but still arrives**, **flies off**.


# %%
def lr_regime(lr, steps=20, w0=-0.5):
    """Run gradient descent; return its path, losses and a verdict."""
    path = gradient_descent_1d(w0, lr, steps)
    losses = loss_1d(path)
    gap = losses - loss_1d(w_best)  # how far above the minimum
    side = np.sign(path - w_best)  # left (-1) or right (+1) of the minimum
    if gap[-1] > gap[0]:
        verdict = "diverges"
    elif np.any(side[1:] != side[:-1]):
        verdict = "overshoots but converges"
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
    ax1.set(title=f"learning rate {lr:.4f}:\n{verdict}", xlabel="weight w", ylabel="MSE")
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
# **The answer.**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# With $\eta = 0.1$ the path jumps back and forth across the minimum but still arrives; with
# $\eta = 0.16$ it flies off. Why: for this loss the curvature $L''(w) = \frac2n\sum_i x_i^2$
# is the same everywhere, and one step multiplies the distance to the minimum by $1 - \eta L''$:
#
# * $0 < \eta < 1/L''$: the factor is between 0 and 1 — the path approaches from one side
#   (**too small** when the factor is close to 1: it crawls);
# * $1/L'' < \eta < 2/L''$: the factor is between $-1$ and 0 — every step jumps **across** the
#   minimum but lands closer: **overshoots but converges** (a zig-zag that settles);
# * $\eta > 2/L''$: the factor is below $-1$ — every jump lands further away: **diverges**.
#
# Overshooting is not yet failure; diverging is.
#
# </details>
#
# The four behaviours, checked (the slider calls the same `lr_regime`):

# %%
curvature = 2 * np.mean(bmi**2)
print(
    f"L''(w) = {curvature:.2f}: overshooting starts at 1/L'' = {1 / curvature:.4f}, "
    f"divergence at 2/L'' = {2 / curvature:.4f}"
)
for lr_try in [0.002, 0.04, 0.1, 0.16]:
    path, losses, verdict = lr_regime(lr_try)
    print(
        f"lr = {lr_try:<6} factor 1 - lr L'' = {1 - lr_try * curvature:+.3f}; loss after 0/5/20 steps: "
        f"{losses[0]:.3f} / {losses[5]:.3f} / {losses[-1]:.3g} -> {verdict}"
    )
assert lr_regime(0.002)[2] == "too small" and lr_regime(0.04)[2] == "good"
assert lr_regime(0.1)[2] == "overshoots but converges" and lr_regime(0.16)[2] == "diverges"
assert 0.04 < 1 / curvature < 0.1 < 2 / curvature < 0.16
assert np.all(np.diff(lr_regime(0.16)[1]) > 0)  # divergence: every step makes it worse
assert np.all(np.diff(lr_regime(0.1)[1]) < 0)  # overshooting: every step still gets better

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Two parameters: the loss surface
#
# With both $w$ and $b$ the loss is a surface over the $(w, b)$ plane; the gradient
# $\nabla L = \big(\frac{\partial L}{\partial w}, \frac{\partial L}{\partial b}\big)$ points
# uphill, and gradient descent updates both at once:
# $(w, b) \leftarrow (w, b) - \eta \nabla L$.
#
# `nnlib.byhand.surfaces.LineFit` holds the loss and its gradient; the update itself is done by
# **nnlib's own optimizer**, `nn.SGD(learning_rate)` — the very object `Sequential.fit` uses to
# update a network's weights. It changes the parameter array in place:

# %%
surface = surfaces.LineFit(bmi, progression)
params = np.array([-0.5, 1.5])  # start: w = -0.5, b = 1.5
opt = nn.SGD(learning_rate=0.1)
print("gradient at the start:", surface.grad(params))
opt.update([params], [surface.grad(params)])  # params <- params - 0.1 * gradient
print("after one step:       ", params)
assert np.allclose(params, np.array([-0.5, 1.5]) - 0.1 * surface.grad(np.array([-0.5, 1.5])))

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
    f"after 100 steps: w = {gd_path[-1, 0]:.3f}, b = {gd_path[-1, 1]:.3f}; "
    f"MSE above the minimum: {gap_gd:.4f}"
)
assert surface.loss(*gd_path[-1]) < surface.loss(*gd_path[0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why so slow? A long, narrow valley
#
# The path runs quickly down the steep wall, then crawls along the valley floor. Section 4's
# rule holds in every direction: cut the surface along a straight line through the minimum and
# you get a parabola with its own curvature. Across the valley the curvature is large, along
# its floor it is tiny. One learning rate has to serve both: below $2/\text{(steepest
# curvature)}$ or we diverge across the valley, and then along the floor each step shrinks the
# distance only by $1 - \eta \cdot \text{(flattest curvature)}$, a factor close to 1.
#
# The ratio *steepest / flattest curvature* is the problem's **condition number**: 1 for a round
# bowl, large for a narrow valley. We measure it below by cutting the surface in 1,800
# directions. Where does the valley come from? The BMI values lie far from 0 (1.8 to 4.2), so
# $w$ and $b$ do nearly the same job: raising $w$ by 0.1 lifts every prediction by about 0.26,
# raising $b$ by 0.1 lifts them all by 0.1. Many $(w, b)$ pairs fit almost equally well — the
# valley floor.


# %%
def curvatures(surf, n_directions=1800):
    """The curvature of surf's loss along n_directions straight lines through its minimum."""
    angles = np.linspace(0, np.pi, n_directions, endpoint=False)
    d = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # unit vectors
    w0, b0 = surf.minimum
    # second difference with step 1: exact for a quadratic like the MSE of a line
    up = surf.loss(w0 + d[:, 0], b0 + d[:, 1])
    down = surf.loss(w0 - d[:, 0], b0 - d[:, 1])
    return up + down - 2 * surf.min_loss


curv = curvatures(surface)
condition = curv.max() / curv.min()
print(f"curvature: steepest {curv.max():.3f}, flattest {curv.min():.4f}")
print(f"condition number: {condition:.0f}")
print(f"largest stable learning rate 2 / steepest = {2 / curv.max():.3f}")
print(f"per step at lr 0.1 the flat direction shrinks by only {1 - 0.1 * curv.min():.4f}")
assert condition > 300  # an ill-conditioned valley
assert round(0.1 * bmi.mean(), 2) == 0.26  # "raising w by 0.1 lifts every prediction by 0.26"
assert 0.1 < 2 / curv.max() < 0.13
diverged = surfaces.optimize(surface, nn.SGD(0.13), start, 50)[-1]
assert surface.loss(*diverged) > surface.loss(*start)  # above 2 / steepest: diverges

# %% [markdown] slideshow={"slide_type": "subslide"}
# > **Optional — for readers who know eigenvalues.** The matrix of second derivatives, the
# > **Hessian** $H = \begin{pmatrix} \partial^2 L/\partial w^2 & \partial^2 L/\partial w\,\partial b \\ \partial^2 L/\partial b\,\partial w & \partial^2 L/\partial b^2 \end{pmatrix} = 2\begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix}$,
# > holds every curvature at once: the curvature along a unit direction $d$ is $d^\top H d$, the
# > steepest and flattest are its two **eigenvalues**, and the condition number is their ratio.
# > Skip this box freely; the rest of the course does not need it.

# %%
eigenvalues = np.linalg.eigvalsh(surface.hessian())  # ascending
print(f"Hessian eigenvalues: {eigenvalues.round(4)}; ratio {eigenvalues[1] / eigenvalues[0]:.0f}")
assert np.allclose([curv.min(), curv.max()], eigenvalues, rtol=1e-4)

# %% [markdown] slideshow={"slide_type": "slide"}
# ### The cure: standardise the input
#
# Shift and scale the input to **mean 0 and spread 1**, $x' = (x - \bar x)/s$. Nothing is lost —
# $w x + b$ and $w' x' + b'$ describe the same lines (with $w' = w s$, $b' = b + w \bar x$), so
# the best line and its MSE are the same — but now $w'$ and $b'$ do different jobs ($x'$ is
# positive for patients above the mean BMI and negative for those below it).
#
# **Predict first:** what is the condition number after standardising — about 339, about 30,
# or about 1? Then the answer, and gradient descent from the *same starting line* on both
# surfaces:

# %%
bmi_mean, bmi_spread = bmi.mean(), bmi.std()
bmi_standard = (bmi - bmi_mean) / bmi_spread
surface_standard = surfaces.LineFit(bmi_standard, progression)
start_standard = [start[0] * bmi_spread, start[1] + start[0] * bmi_mean]  # the same line
assert np.isclose(surface_standard.loss(*start_standard), surface.loss(*start))
assert np.isclose(surface_standard.min_loss, surface.min_loss)  # the same best line

curv_standard = curvatures(surface_standard)
condition_standard = curv_standard.max() / curv_standard.min()
print(f"condition number: raw BMI {condition:.0f}, standardised {condition_standard:.4f}")
assert condition > 300 and abs(condition_standard - 1) < 1e-6  # a round bowl

lr_standard = 0.3  # stable below 2 / steepest curvature = 2 / 2 = 1
steps_compare = 100
path_raw = surfaces.optimize(surface, nn.SGD(0.1), start, steps_compare)
path_standard = surfaces.optimize(surface_standard, nn.SGD(lr_standard), start_standard, 100)
gap_raw = surface.loss(path_raw[:, 0], path_raw[:, 1]) - surface.min_loss
gap_standard = surface_standard.loss(*path_standard.T) - surface_standard.min_loss


def steps_to(gap, target=1e-4):
    """The first step at which the loss is within target of the minimum (None: never)."""
    below = np.flatnonzero(gap < target)
    return int(below[0]) if len(below) else None


print(
    f"steps until MSE - min < 1e-4: raw BMI (lr 0.1) {steps_to(gap_raw) or 'not within 100'}, "
    f"standardised (lr {lr_standard}) {steps_to(gap_standard)}"
)
print(f"after {steps_compare} steps: raw BMI {gap_raw[-1]:.4f} above the minimum")
assert steps_to(gap_raw) is None and gap_raw[-1] > 0.05
assert steps_to(gap_standard) <= 10

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(12, 5.2))
w_min, b_min = surface_standard.minimum
surfaces.plot_paths(
    surface_standard,
    {f"gradient descent, lr {lr_standard}": path_standard},
    ax=axes[0],
    window=(w_min - 1.5, w_min + 1.5, b_min - 1.5, b_min + 1.5),  # a square window
    title="Standardised input:\na round bowl",
)
axes[0].legend(loc="upper left")
axes[0].set(xlabel="slope $w'$ (standardised BMI)", ylabel="intercept $b'$")
axes[0].set_aspect("equal", adjustable="box")  # equal units: circles look round
floor = 1e-12  # the log scale cannot show 0: the standardised run reaches it, drawn at 1e-12
axes[1].semilogy(
    np.maximum(gap_raw, floor), "o-", ms=3, color=OKABE_ITO[0], label="raw BMI, lr 0.1"
)
axes[1].semilogy(
    np.maximum(gap_standard, floor),
    "s--",
    ms=3,
    color=OKABE_ITO[1],
    label=f"standardised BMI, lr {lr_standard}",
)
axes[1].set(
    title="Same starting line:\nloss above the minimum",
    xlabel="step",
    ylabel="MSE - min MSE (log)",
)
axes[1].legend()
describe(
    fig,
    f"Standardised: circular contours, gradient descent straight to the minimum, within 1e-4 "
    f"after {steps_to(gap_standard)} steps; raw BMI still {gap_raw[-1]:.3f} above it after "
    f"{steps_compare} steps.",
)
plt.show()

# %% [markdown]
# **The answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# About 1 — exactly 1 (printed above). After standardising, the mean of $x'$ is 0 and the mean of
# $x'^2$ is 1, so the loss curves equally in every direction: the valley has become a round bowl,
# and gradient descent walks straight down to the minimum.
#
# </details>
#
# Every network in this course gets inputs of a similar scale for this reason (pixels scaled to
# $[0, 1]$ in lesson 07, the sunspot series standardised by its mean and spread in lesson 10). With both curvatures equal to 2,
# even $\eta = 1/2$ lands on the minimum in **one** step:

# %%
one_step = surfaces.optimize(surface_standard, nn.SGD(0.5), start_standard, 1)[-1]
print(
    f"one step with lr 0.5: MSE above the minimum {surface_standard.loss(*one_step) - surface_standard.min_loss:.1e}"
)
assert surface_standard.loss(*one_step) - surface_standard.min_loss < 1e-12

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
# optimizer object changes. **Predict first:** which of the four ends closest to the minimum
# after 100 steps, and which furthest? Then run the cells.

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
fig, axes = plt.subplots(1, 2, figsize=(12, 5.6))
surfaces.plot_paths(
    surface, paths, ax=axes[0], title=f"{steps} steps of four optimizers", resolution=resolution
)
axes[0].get_legend().remove()  # one legend for both panels, below them: it hides no contour label
for (name, path), color, marker in zip(paths.items(), OKABE_ITO, "osD^"):
    axes[1].semilogy(
        surface.loss(path[:, 0], path[:, 1]) - surface.min_loss,
        color=color,
        marker=marker,
        markevery=10,
        label=name,
    )
axes[1].set(title="Loss above the minimum, per step", xlabel="step", ylabel="MSE - min MSE (log)")
handles, names = axes[1].get_legend_handles_labels()
more = [(h, n) for h, n in zip(*axes[0].get_legend_handles_labels()) if n in ("start", "minimum")]
fig.legend(
    handles + [h for h, _ in more], names + [n for _, n in more], loc="outside lower center", ncol=3
)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The answer** (asserted below, same in quick and full mode — nothing here depends on it):
#
# <details><summary>Open after you have made your prediction.</summary>
#
# * momentum and Adam end **more than 10× closer** to the minimum than plain gradient descent;
# * on this smooth quadratic, momentum wins outright;
# * mini-batch SGD is noisy, but each of its steps looked at 32 samples instead of 442. Compared
#   at the same number of samples processed (about 7 full-batch steps), it ends somewhat closer
#   to the minimum than full-batch descent — the ratio is printed below; the gain, not its size,
#   is what holds here. With millions of samples it is the only option.
#
# </details>

# %%
gd, mb, mom, adam = (gaps[name] for name in runs)
assert mom < gd / 10 and adam < gd / 10
assert mom < adam < gd
samples_seen = steps * 32
gd_steps_same_work = samples_seen // len(bmi)
gd_same_work = surface.loss(*gd_path[gd_steps_same_work]) - surface.min_loss
print(
    f"full-batch GD after {gd_steps_same_work} steps ({gd_steps_same_work * len(bmi)} samples): "
    f"{gd_same_work:.4f} above the minimum"
)
print(f"mini-batch SGD after {samples_seen} samples: {mb:.4f} above the minimum")
print(f"mini-batch SGD is {gd_same_work / mb:.2f}x closer for the same work")
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
# ### Exercise 2 — debug a cross-entropy that a lazy model wins
#
# A classmate typed the binary cross-entropy as `bce_classmate` below. The next cell scores two
# models on the same four labels: an *honest* one, and a *lazy* one that answers $p = 0.999$
# for every sample, whatever its label. **Predict first:** which of the two should have the
# lower loss? Run the cell: the classmate's loss prefers the lazy model. Find out why (which
# samples cost the lazy model nothing?), and look at what it returns for a confident mistake.
# Then write `binary_crossentropy(y_true, p)`: the mean BCE of section 2, with `p` clipped to
# $[10^{-7}, 1 - 10^{-7}]$ so that a confident mistake ($p = 0$ for label 1) costs a large but
# finite amount. Return a Python float.


# %%
def bce_classmate(y_true, p):
    return float(-np.mean(y_true * np.log(p)))


y_four = np.array([1.0, 0.0, 1.0, 0.0])
p_honest = np.array([0.9, 0.1, 0.8, 0.2])
p_lazy = np.full(4, 0.999)  # "class 1", whatever the input
bce_honest, bce_lazy = bce_classmate(y_four, p_honest), bce_classmate(y_four, p_lazy)
print(f"the classmate's loss: honest model {bce_honest:.4f}, lazy model {bce_lazy:.4f}")
with np.errstate(divide="ignore"):  # log(0): NumPy would warn
    confident = bce_classmate(np.array([1.0]), np.array([0.0]))
print(f"the classmate's loss for p = 0 on a label 1: {confident}")
assert bce_lazy < bce_honest and np.isinf(confident)


# %%
def binary_crossentropy(y_true, p, eps=1e-7):
    # BEGIN SOLUTION
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))
    # END SOLUTION


# %%
check("04.bce", binary_crossentropy)

# %% [markdown]
# <details><summary>Open after you have made your prediction.</summary>
#
# The honest model should win. The classmate's loss keeps only the $y \log p$ term, so a
# sample with label 0 costs nothing, whatever $p$ is: the lazy model pays only for its two
# label-1 samples, where $p = 0.999$ is nearly perfect. With the $(1 - y)\log(1 - p)$ term,
# each of its label-0 samples costs $-\log(1 - 0.999) = -\log 0.001$, far more. And $\log 0 = -\infty$ makes a
# confident mistake cost `inf` unless $p$ is clipped. The next cell scores both models with
# `nn.binary_crossentropy` (run it after your check).
#
# </details>

# %%
right_honest = nn.binary_crossentropy(y_four, p_honest)
right_lazy = nn.binary_crossentropy(y_four, p_lazy)
print(f"the mean BCE: honest model {right_honest:.4f}, lazy model {right_lazy:.4f}")
print(f"for p = 0 on a label 1: {nn.binary_crossentropy(np.array([1.0]), np.array([0.0])):.2f}")
assert right_honest < right_lazy


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
# `lr=0.1` on the BMI data (`bmi`, `progression`) and compare with `gd_path[-1]` from section 5 —
# they should agree.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — choose the learning rate
#
# Five points on the line $y = 2x + 1$: `x_toy = [0, 1, 2, 3, 4]`, `y_toy = 2 * x_toy + 1`.
# Starting from $w = b = 0$, **50** calls of `gd_step` should bring the MSE **below 0.01**.
# Choose the learning rate `lr_choice` **by section 5's rule, not by a sweep**: measure the
# steepest curvature of this problem's $(w, b)$ loss (section 5's `curvatures` works on
# `surfaces.LineFit(x_toy, y_toy)` too), and take a rate that is **large but safely below** the
# divergence limit $2/\text{(steepest curvature)}$: at least a quarter of that limit, and under
# it. Then confirm it with your `gd_step` in the cell below (a loop of 50 steps, print the MSE).
# The check runs the model `gd_step` with your rate and says whether it was too small or too
# large; a rate below a quarter of the limit is refused even when 50 steps happen to be enough
# (a sweep finds such a rate, the rule does not).

# %%
x_toy = np.arange(5.0)
y_toy = 2 * x_toy + 1
lr_choice = None
# BEGIN SOLUTION
lr_choice = 0.1  # steepest curvature 13.4: limit 2 / 13.4 = 0.149; 0.1 is large, safely below
# END SOLUTION

# %%
check("04.choose_lr", lr_choice)

# %%
# hint("04.choose_lr")  # solution("04.choose_lr")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A **loss** turns "how wrong" into one number. **MSE** for regression; **cross-entropy** for
#   classification, because its gradient $p - y$ stays large for confident mistakes where
#   MSE + sigmoid saturates ($2(p-y)\,p(1-p) \to 0$).
# * Cross-entropy is **maximum likelihood**: $-\frac1n\log$ of the probability the model gives to
#   the observed labels.
# * **Gradient descent**: $\theta \leftarrow \theta - \eta \nabla L(\theta)$. The learning rate
#   decides everything: too small crawls; above $1/L''$ it overshoots but still converges; above
#   $2/L''$ it diverges.
# * Real loss surfaces are **ill-conditioned valleys** (condition number over 300 for raw BMI); plain
#   gradient descent zig-zags or crawls. **Standardising the input** made it a round bowl
#   (condition number 1) and gradient descent converged in a few steps.
# * **Mini-batch SGD** trades exact gradients for cheap steps; **momentum** builds speed along
#   the valley; **Adam** rescales each parameter's step. nnlib's `SGD` and `Adam` are the same
#   objects that train networks in `Sequential.fit` — next lesson we compute the gradient for a
#   whole network: **backpropagation**.
