# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 02 — Activation functions
#
# **Learning goals** — after this lesson you can
#
# 1. explain why a network needs a *non-linear* activation at all — with the algebra and with a
#    picture of ReLUs bending a line;
# 2. write down step, sigmoid, tanh, ReLU, leaky ReLU and softmax, their derivatives and output ranges;
# 3. choose an activation for a hidden layer and for the output layer of a given task;
# 4. show with numbers why deep stacks of sigmoids learn slowly (the **vanishing gradient**) and why ReLU helps,
#    and recognise a *dead* ReLU;
# 5. compute a softmax that does not overflow for large inputs.
#
# **Estimated time:** 50–60 minutes.
#
# **Quick mode:** nothing here is slow; the network in section 5 has the same size in both modes, so
# all numbers are the same with and without `NNLIB_QUICK`.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

from nnlib import nn
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import activation_curves, activation_explorer, plot_activations

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Why a non-linear activation?
#
# A layer computes $\mathbf{z} = \mathbf{x}W + \mathbf{b}$ (lesson 03 has the details). Stack two such
# layers *without* an activation:
# $$(\mathbf{x}W_1 + \mathbf{b}_1)W_2 + \mathbf{b}_2 = \mathbf{x}\underbrace{(W_1W_2)}_{W} + \underbrace{(\mathbf{b}_1W_2 + \mathbf{b}_2)}_{\mathbf{b}}$$
# — one linear layer again. However many layers we stack, the network stays a linear function and can
# only draw straight decision lines: it could not even learn XOR (lesson 01). The activation between
# the layers is what breaks this. Let's check the algebra with random numbers:

# %% slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(0)
x = rng.normal(size=(5, 3))  # 5 examples, 3 features
W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
W2, b2 = rng.normal(size=(4, 2)), rng.normal(size=2)

two_layers = (x @ W1 + b1) @ W2 + b2
one_layer = x @ (W1 @ W2) + (b1 @ W2 + b2)
print("max difference, no activation:  ", np.abs(two_layers - one_layer).max())
assert np.allclose(two_layers, one_layer)

with_relu = nn.relu(x @ W1 + b1) @ W2 + b2  # a ReLU in between
print("max difference, ReLU in between:", np.abs(with_relu - one_layer).max())
assert not np.allclose(with_relu, one_layer)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same point as a picture: ReLUs bend a line
#
# What does the activation buy us? Take one input $x$ and a hidden layer of $K$ ReLU units, unit $k$
# computing $\operatorname{relu}(x - t_k)$: zero left of its **kink** $t_k$, a line of slope 1 right of
# it. The output layer adds them up with weights $a_k$, plus a bias $c$:
# $$\hat y(x) = c + \sum_{k=1}^{K} a_k \operatorname{relu}(x - t_k) .$$
# Every unit adds one bend, so the sum is a broken line with $K$ pieces — and with enough pieces a
# broken line follows any smooth curve. Below we spread the kinks evenly over $[-3, 3]$ and choose
# the output weights $a_k, c$ that fit the curve $y = \sin(1.5x) + 0.2x^2$ best (least squares,
# `np.linalg.lstsq`); training (lessons 04–06) would find the kinks too.


# %% slideshow={"slide_type": "subslide"}
x_curve = np.linspace(-3, 3, 301)
y_curve = np.sin(1.5 * x_curve) + 0.2 * x_curve**2


def relu_sum_fit(n_units, activation=nn.relu):
    """Kinks t_k spread over [-3, 3), units activation(x - t_k), output weights by least squares.
    Returns the fitted curve, the kinks and the root-mean-square error."""
    kinks = np.linspace(-3, 3, n_units + 1)[:-1]
    hidden = activation(x_curve[:, None] - kinks)  # (301, n_units): one column per unit
    design = np.c_[np.ones_like(x_curve), hidden]  # the bias c, then the a_k
    coef = np.linalg.lstsq(design, y_curve, rcond=None)[0]
    fit = design @ coef
    return fit, kinks, coef, float(np.sqrt(np.mean((fit - y_curve) ** 2)))


units = [2, 4, 16]
fits = {k: relu_sum_fit(k) for k in units}
err_line = relu_sum_fit(1)[3]  # one unit: relu(x + 3) is a straight line on [-3, 3]
err_linear16 = relu_sum_fit(16, activation=lambda z: z)[3]  # 16 units, no activation
print(f"a straight line: error {err_line:.3f};  16 units without activation: {err_linear16:.3f}")
for k in units:
    print(f"{k:>2} ReLU units: error {fits[k][3]:.4f}")
errors = [err_line] + [fits[k][3] for k in units]
assert all(a > b for a, b in zip(errors, errors[1:]))  # more units, smaller error
assert fits[16][3] < 0.02 < 0.1 < fits[4][3]
assert np.isclose(err_linear16, err_line)  # without the ReLU, 16 units are one straight line

fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), sharey=True, layout="constrained")
fit4, kinks4, coef4, _ = fits[4]
partial = np.full_like(x_curve, coef4[0])  # the bias c, then one unit after the other
for k, (t, a) in enumerate(zip(kinks4, coef4[1:])):
    partial = partial + a * nn.relu(x_curve - t)
    style = dict(color=OKABE_ITO[k + 1], linestyle=["-", "--", "-.", ":"][k], marker="os^D"[k])
    axes[0].plot(
        x_curve, partial, markevery=50, label=f"{k + 1} unit{'s' * (k > 0)}, kink at {t:g}", **style
    )
axes[0].set(title="4 units, added one by one", xlabel="x", ylabel="y", ylim=(-2.5, 3.5))
axes[0].legend(loc="lower right")
for ax, k in zip(axes[1:], units):
    fit, kinks, _, err = fits[k]
    ax.plot(x_curve, y_curve, color="grey", linestyle="--", label="target")
    ax.plot(x_curve, fit, color=OKABE_ITO[5], label="sum of ReLUs")
    ax.plot(kinks, np.interp(kinks, x_curve, fit), linestyle="none", marker="o",
            color=OKABE_ITO[5], label="kinks")  # fmt: skip
    ax.set(title=f"{k} ReLU units: error {err:.3f}", xlabel="x")
    ax.legend(loc="upper center")
fig.suptitle("A sum of ReLUs is a broken line: more units, more bends, a closer fit")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# On the left, the 4-unit fit is built unit by unit: each new unit leaves the curve alone left of
# its kink and bends it right of it. Two units leave a bent stick (error printed above), four follow the shape roughly, sixteen are
# hard to tell from the curve. The same sixteen units *without* the activation add up to a single
# straight line — exactly as bad as one unit: the algebra of the cell before, as a picture. This is
# the heart of why neural networks can fit almost anything (the *universal approximation*
# theorem): enough non-linear units, suitably weighted.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The usual suspects
#
# | name | $f(z)$ | $f'(z)$ | range |
# |---|---|---|---|
# | step | $1$ if $z \ge 0$ else $0$ | $0$ (undefined at 0) | $\{0, 1\}$ |
# | sigmoid $\sigma$ | $\dfrac{1}{1+e^{-z}}$ | you derive it in exercise 1; at most $\tfrac14$ | $(0, 1)$ |
# | tanh | $\dfrac{e^{z}-e^{-z}}{e^{z}+e^{-z}}$ | $1-\tanh^2 z$, at most $1$ | $(-1, 1)$ |
# | ReLU | $\max(0, z)$ | $1$ if $z>0$ else $0$ | $[0, \infty)$ |
# | leaky ReLU | $z$ if $z>0$ else $\alpha z$ | $1$ if $z>0$ else $\alpha$ | $(-\infty, \infty)$ |
# | softmax | $\dfrac{e^{z_i}}{\sum_j e^{z_j}}$ (a vector) | a Jacobian matrix | $(0,1)$, sums to 1 |
#
# All of them are in `nnlib.nn` (`nn.sigmoid`, `nn.sigmoid_grad`, ...). Here they are side by side —
# each function (solid) with its derivative (dashed):

# %% slideshow={"slide_type": "subslide"}
z = np.linspace(-5, 5, 501)
names = ["step", "sigmoid", "tanh", "relu", "leaky_relu"]
curves = activation_curves(names, z)  # leaky ReLU with alpha = 0.1 so the slope is visible

fig, axes = plt.subplots(1, 5, figsize=(16, 3.4), sharex=True, sharey=True)
for ax, name in zip(axes, names):
    f, df = curves[name]
    ax.plot(z, f, color=OKABE_ITO[0], label="f(z)")
    ax.plot(z, df, color=OKABE_ITO[1], linestyle="--", label="f'(z)")
    ax.set(title=name, xlabel="z", ylim=(-1.3, 2.3))
axes[0].set_ylabel("value")
axes[0].legend(loc="upper left")
fig.suptitle("Activation functions (solid) and their derivatives (dashed)")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Things to notice:
#
# * the **step** is flat everywhere: its derivative is 0, so gradient descent (lesson 04) gets no signal from it — that is why the perceptron needed its own rule;
# * **sigmoid** and **tanh** are smooth S-curves; they *saturate*: for large $|z|$ the curve is flat and the derivative nearly 0;
# * **ReLU** has slope exactly 1 for every positive input and 0 for negative ones; **leaky ReLU** keeps a small slope $\alpha$ on the left so a neuron can never go completely "dead".

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The ranges and the formulas, checked
#
# The table makes claims; numbers should back them. First the output ranges, on a million random
# inputs:

# %% slideshow={"slide_type": "subslide"}
z_big = np.random.default_rng(1).normal(0, 10, size=1_000_000)
for name in ["sigmoid", "tanh", "relu", "leaky_relu"]:
    f = nn.get_activation(name)[0]
    out = f(z_big)
    print(f"{name:>10}: min {out.min():10.4f}   max {out.max():10.4f}")
s, t = nn.sigmoid(z_big), nn.tanh(z_big)
assert np.all((s >= 0) & (s <= 1)) and np.all(np.abs(t) <= 1)
assert s.min() > 0 and s.max() == 1.0  # the computed range on these inputs is (0, 1]
assert nn.relu(z_big).min() == 0 and nn.leaky_relu(z_big).min() < 0
# tanh is a stretched and shifted sigmoid: tanh(z) = 2 sigmoid(2z) - 1
assert np.allclose(nn.tanh(z_big), 2 * nn.sigmoid(2 * z_big) - 1)

# %% [markdown] slideshow={"slide_type": "fragment"}
# (Mathematically the sigmoid never reaches 0 or 1. In floating point, $\sigma(40)$ rounds to exactly
# 1.0, so on these inputs the computed values lie in $(0, 1]$: the smallest one, printed above as
# 0.0000 after rounding, is still above 0 (the `assert` checks it). Only below $z \approx -745$ does $e^{z}$ underflow, and $\sigma(z)$ becomes 0.0.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The derivatives, checked against finite differences
#
# A derivative is the slope $\frac{f(z+h) - f(z-h)}{2h}$ for tiny $h$. Comparing `nnlib`'s formulas
# with that slope at 200 points (away from the kink at 0):

# %% slideshow={"slide_type": "subslide"}
zs = np.random.default_rng(2).uniform(-6, 6, size=200)
zs = zs[np.abs(zs) > 1e-3]  # ReLU and step have a kink at 0
h = 1e-6
for name in ["sigmoid", "tanh", "relu", "leaky_relu", "step"]:
    f, f_grad = nn.get_activation(name)
    numeric = (f(zs + h) - f(zs - h)) / (2 * h)
    err = np.abs(numeric - f_grad(zs)).max()
    print(f"{name:>10}: max |formula - finite difference| = {err:.1e}")
    assert err < 1e-6
assert np.isclose(nn.sigmoid_grad(np.array(0.0)), 0.25) and nn.sigmoid_grad(z_big).max() <= 0.25

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Try it: compare activations
#
# Tick the activations you want to compare and drag the range of $z$. **Predict first** — write
# your guesses down from the table above, then use the widget to test them:
#
# * Where is the sigmoid's derivative largest, and how large is it?
# * From which $|z|$ on is the sigmoid's derivative below 0.01? And tanh's — sooner or later?
# * Which activations are zero-centred (outputs spread on both sides of 0, so that for inputs
#   centred on 0 their average is about 0)? Careful: ReLU outputs 0 at $z = 0$ — is that enough?
#
# The cell after the widget measures the answers; the text below it explains them.

# %%
explorer = activation_explorer(names=("sigmoid", "tanh", "relu"), z_range=(-6.0, 6.0))
explorer

# %% slideshow={"slide_type": "skip"}
# The explorer is driven by activation_curves - check the answers to the questions above.
zq = np.linspace(-10, 10, 20001)
cq = activation_curves(["sigmoid", "tanh", "relu"], zq)
print(f"max sigmoid' = {cq['sigmoid'][1].max():.4f} at z = {zq[cq['sigmoid'][1].argmax()]:.2f}")
flat_sig = np.abs(zq[cq["sigmoid"][1] < 0.01]).min()
flat_tanh = np.abs(zq[cq["tanh"][1] < 0.01]).min()
print(f"sigmoid' < 0.01 from |z| = {flat_sig:.2f} on; tanh' < 0.01 from |z| = {flat_tanh:.2f} on")
assert 4.5 < flat_sig < 4.7 and 2.9 < flat_tanh < 3.1
# zero-centred: the mean output over inputs symmetric around 0 is ~0 for tanh, not for sigmoid/ReLU
means = {name: float(cq[name][0].mean()) for name in ["sigmoid", "tanh", "relu"]}
print("mean output over z in [-10, 10]:", {k: round(v, 3) for k, v in means.items()})
assert abs(means["tanh"]) < 1e-9 and round(means["sigmoid"], 3) == 0.5
assert round(means["relu"], 2) == 2.5  # ReLU: 0 at z = 0, but never negative
# Ticking a box redraws without an error - tried on a fresh copy, so your widget stays as you left it.
probe = activation_explorer(names=("sigmoid",), z_range=(-6.0, 6.0))
probe.checkboxes["leaky_relu"].value = True
assert probe.axes[0].get_legend() is not None and len(probe.axes[0].get_legend().texts) == 2


# %% [markdown] slideshow={"slide_type": "fragment"}
# **Answers.**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# The sigmoid's slope is largest at $z = 0$, where it is exactly $\tfrac14$. It falls below 0.01
# from about $|z| = 4.6$ on; tanh's, although it starts 4 times higher, already from about
# $|z| = 3$ (its curve is steeper, so it saturates sooner). Only tanh is zero-centred: its
# outputs average 0 over inputs symmetric around 0. ReLU outputs 0 at $z = 0$ but is never
# negative, so its average is far above 0 (2.5 on $[-10, 10]$), and the sigmoid's is 0.5.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. When to use which
#
# **Hidden layers**
#
# * **ReLU** — the default. Cheap, does not saturate for $z > 0$, trains deep networks well.
# * **leaky ReLU** — when many ReLU units "die" (stuck at $z<0$, gradient 0 forever).
# * **tanh** — zero-centred; still common inside recurrent networks (lesson on RNNs).
# * **sigmoid** — rarely in hidden layers today (section 5 shows why).
# * **step** — historical; no useful gradient.
#
# **Output layer** — follows from the task:
#
# | task | output activation | output means |
# |---|---|---|
# | regression (a number) | none (linear) | the number |
# | binary classification | sigmoid, 1 unit | $P(\text{class } 1)$ |
# | $k$ classes, one label each | softmax, $k$ units | $P(\text{class } i)$, summing to 1 |
# | several yes/no labels at once | sigmoid, $k$ units | one probability per label |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The vanishing gradient
#
# Training (lesson 04–05) sends a gradient backwards through the network. By the chain rule, each
# layer multiplies it by $f'(z)$ (and by its weights). Through $L$ sigmoid layers that is a product of
# $L$ factors, each at most $\tfrac14$:
#
# $$\frac{\partial a_L}{\partial a_0} = \prod_{k=1}^{L} w_k\,\sigma'(z_k), \qquad |\sigma'| \le \tfrac14 .$$
#
# ### A chain of single neurons
#
# Take a chain $a_k = f(w\,a_{k-1} + b)$ with $w = 1, b = 0$ and start at $a_0 = 0.5$.
# Backpropagation multiplies the local derivatives:


# %% slideshow={"slide_type": "subslide"}
def chain_gradient(f, f_grad, depth, a0=0.5, w=1.0, b=0.0):
    """d a_depth / d a_0 for the chain a_k = f(w * a_(k-1) + b): forward, then the chain rule."""
    a, zs = a0, []
    for _ in range(depth):
        z = w * a + b
        zs.append(z)
        a = f(np.array(z))
    grad = 1.0
    for z in reversed(zs):  # backward: multiply the local derivatives
        grad *= w * f_grad(np.array(z))
    return float(grad)


depths = np.arange(1, 21)
chain = {
    name: [chain_gradient(*nn.get_activation(name), d) for d in depths]
    for name in ["sigmoid", "tanh", "relu"]
}
for name, g in chain.items():
    print(f"{name:>8}: depth 5: {g[4]:.1e}   depth 10: {g[9]:.1e}   depth 20: {g[19]:.1e}")
assert chain["sigmoid"][19] < 1e-12 and chain["relu"][19] == 1.0
assert 0.01 < chain["tanh"][19] < 1

# %% [markdown] slideshow={"slide_type": "fragment"}
# After 20 sigmoid layers the gradient is about $10^{-13}$: the first layer would learn
# $10^{13}$ times more slowly than the last. ReLU passes the gradient through unchanged (slope 1).
# tanh is in between: its slope is 1 only at $z = 0$, so the product still shrinks, but to about
# 0.1 — its slope near 0 is four times the sigmoid's best.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A real deep network
#
# A chain of single neurons is a cartoon. Here is a real 20-layer network (`nnlib.nn.Sequential`,
# 32 units per layer, the standard initialisations: Glorot for sigmoid/tanh, He for ReLU). We push a
# batch of 64 random inputs forward, send a gradient of ones backward, and measure the size of the
# gradient of each layer's weights, $\lVert\partial L/\partial W_k\rVert$:

# %% slideshow={"slide_type": "subslide"}
depth, width = 20, 32
X_deep = np.random.default_rng(3).normal(size=(64, width))


def weight_gradient_norms(activation, init, seed=0):
    def dense(**kwargs):
        return nn.Dense(width, activation=activation, kernel_initializer=init, **kwargs)

    model = nn.Sequential(
        [dense(input_dim=width)] + [dense() for _ in range(depth - 1)], dtype="float64", seed=seed
    )
    out = model.forward(X_deep)
    model.backward(np.ones_like(out) / len(out))  # the gradient of the mean output
    return np.array([np.linalg.norm(layer.dW) for layer in model.layers])


norms = {
    "sigmoid": weight_gradient_norms("sigmoid", "glorot_uniform"),
    "tanh": weight_gradient_norms("tanh", "glorot_uniform"),
    "relu": weight_gradient_norms("relu", "he_normal"),
}
for name, g in norms.items():
    print(f"{name:>8}: |dW| layer 1 = {g[0]:.1e}, layer 20 = {g[-1]:.1e}, ratio {g[0] / g[-1]:.1e}")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7.5, 4.2))
for (name, g), ls, marker in zip(norms.items(), ["-", "--", ":"], ["o", "s", "^"]):
    ax.semilogy(np.arange(1, depth + 1), g, linestyle=ls, marker=marker, label=name)
ax.set(
    title="Gradient size per layer in a 20-layer network",
    xlabel="layer (1 = next to the input)",
    ylabel="‖∂L/∂W‖ (log scale)",
)
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The sigmoid network's first layer gets a gradient about $10^{13}$ times smaller than its last
# layer: it would barely move during training. ReLU (with He initialisation) keeps the gradient
# within a factor of a few across all 20 layers — and so does tanh with Glorot initialisation, which
# was designed for exactly this. Checked for five different random initialisations:

# %% slideshow={"slide_type": "subslide"}
for seed in range(5):
    g_sig = weight_gradient_norms("sigmoid", "glorot_uniform", seed=seed)
    g_relu = weight_gradient_norms("relu", "he_normal", seed=seed)
    r_sig, r_relu = g_sig[0] / g_sig[-1], g_relu[0] / g_relu[-1]
    print(f"seed {seed}: first/last layer  sigmoid {r_sig:.1e}   relu {r_relu:.2f}")
    assert r_sig < 1e-11  # shrinks by more than eleven orders of magnitude
    assert 0.05 < r_relu < 20  # stays within about one order of magnitude

# %% [markdown] slideshow={"slide_type": "fragment"}
# This is one reason deep learning took off only after ReLU (2010–2012) and careful initialisation
# (Glorot & Bengio 2010, He et al. 2015) — and why the sigmoid now lives mostly in output layers.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A dead ReLU gets no gradient at all
#
# ReLU's weak spot is the other half of its derivative: 0 for every $z < 0$. Take one hidden unit
# $h = \operatorname{relu}(wx + b)$ in the network $\hat y = a\,h + c$ of the ReLU-sum picture above,
# with the squared error $L = \operatorname{mean}\big((\hat y - y)^2\big)$. The chain rule gives
# $$\frac{\partial L}{\partial w} = \operatorname{mean}\big(2(\hat y - y)\cdot a\cdot \operatorname{relu}'(wx+b)\cdot x\big).$$
# If $wx + b < 0$ for **every** input $x$, every term has the factor $\operatorname{relu}'= 0$: the
# gradient of $w$ and $b$ is exactly zero, gradient descent never moves them, and the unit stays
# off forever — a **dead ReLU**. (A too large learning-rate step can push a unit there; lesson 06
# counts the units it kills.)
#
# **Predict first:** a unit with $w = 0.5, b = -2$ on inputs $x \in [-3, 3]$ — is it alive? And with
# leaky ReLU instead?


# %% slideshow={"slide_type": "subslide"}
def unit_gradients(w, b, act=nn.relu, act_grad=nn.relu_grad, a=1.0, c=0.0):
    """dL/dw and dL/db of L = mean((a * act(w x + b) + c - y)^2) on the curve of section 1."""
    z_unit = w * x_curve + b
    y_hat = a * act(z_unit) + c
    upstream = 2 * (y_hat - y_curve) / len(x_curve) * a * act_grad(z_unit)
    return float(np.sum(upstream * x_curve)), float(np.sum(upstream))


units_wb = {"alive": (1.0, 0.5), "dead": (0.5, -2.0)}
for name, (w_u, b_u) in units_wb.items():
    z_max = (w_u * x_curve + b_u).max()
    dw, db = unit_gradients(w_u, b_u)
    print(f"{name:>5} unit: largest z = {z_max:+.2f};  dL/dw = {dw:+.4f}, dL/db = {db:+.4f}")
dead_w, dead_b = units_wb["dead"]
assert (dead_w * x_curve + dead_b).max() < 0  # z < 0 for every input ...
assert unit_gradients(dead_w, dead_b) == (0.0, 0.0)  # ... so exactly zero gradient
assert all(g != 0 for g in unit_gradients(*units_wb["alive"]))

# 100 gradient-descent steps: the dead unit does not move at all
w_u, b_u = units_wb["dead"]
for _ in range(100):
    dw, db = unit_gradients(w_u, b_u)
    w_u, b_u = w_u - 0.1 * dw, b_u - 0.1 * db
assert (w_u, b_u) == units_wb["dead"]


def leaky_grad(z):
    return nn.leaky_relu_grad(z, alpha=0.1)


dw_leaky, db_leaky = unit_gradients(dead_w, dead_b, lambda z: nn.leaky_relu(z, 0.1), leaky_grad)
print(
    f"the same unit with leaky ReLU (alpha = 0.1): dL/dw = {dw_leaky:+.4f}, dL/db = {db_leaky:+.4f}"
)
assert dw_leaky != 0 and db_leaky != 0

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
for k, (name, (w_u, b_u)) in enumerate(units_wb.items()):
    style = dict(color=OKABE_ITO[k + 1], linestyle=["-", "--"][k], marker="os"[k], markevery=30)
    axes[0].plot(x_curve, w_u * x_curve + b_u, label=f"{name}: z = {w_u:g}x {b_u:+g}", **style)
    axes[1].plot(x_curve, nn.relu(w_u * x_curve + b_u), label=f"{name}: relu(z)", **style)
for ax in axes:
    ax.axhline(0, color="grey", lw=0.8)
    ax.legend(loc="upper left")
axes[0].set(title="Pre-activation z: the dead unit's is below 0 everywhere", xlabel="x", ylabel="z")
axes[1].set(title="Output: the dead unit is 0 for every input", xlabel="x", ylabel="relu(z)")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Answer.**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# Dead. Its largest pre-activation is $-0.5$: it outputs 0 for every input, its gradients are
# exactly 0, and 100 gradient-descent steps leave $w$ and $b$ where they were. With leaky ReLU the
# same unit gets a small but non-zero gradient and can come back to life — that is what leaky ReLU
# is for (section 4).
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Softmax — and how it overflows
#
# Softmax turns $k$ scores ("logits") into $k$ probabilities:
# $$\operatorname{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_{j=1}^{k} e^{z_j}} .$$
# Every output is in $(0,1)$, they sum to 1, and the largest logit gets the largest probability.

# %% slideshow={"slide_type": "subslide"}
logits = np.array([2.0, 1.0, 0.1])
probs = nn.softmax(logits)
print("logits:", logits, "-> probabilities:", probs.round(3), "sum:", probs.sum())
assert np.isclose(probs.sum(), 1.0) and probs.argmax() == logits.argmax()

fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
axes[0].bar(["cat", "dog", "bird"], logits, color=OKABE_ITO[0])
axes[0].set(title="Logits (any real numbers)", xlabel="class", ylabel="score")
axes[1].bar(["cat", "dog", "bird"], probs, color=OKABE_ITO[1])
axes[1].set(title="softmax(logits) (sum to 1)", xlabel="class", ylabel="probability", ylim=(0, 1))
plt.show()


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The naive formula breaks on large logits
#
# $e^{710}$ is larger than the largest float64 ($\approx 1.8\times10^{308}$), so `np.exp(1000.0)` is
# `inf`, and `inf / inf` is `nan`. NumPy warns about that; here we first turn the warning into an
# error to see it, then silence it (`np.errstate`) to look at the result:


# %% slideshow={"slide_type": "subslide"}
def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


big = np.array([1000.0, 1001.0, 1002.0])
try:
    with np.errstate(over="raise"):
        naive_softmax(big)
except FloatingPointError as err:
    print("FloatingPointError:", err)

with np.errstate(over="ignore", invalid="ignore"):
    naive = naive_softmax(big)
print("naive softmax: ", naive)
assert np.all(np.isnan(naive))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The fix: subtract the maximum
#
# Multiplying top and bottom by $e^{-m}$ changes nothing:
# $$\frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j .$$
# After the shift the largest exponent is $e^0 = 1$ — no overflow, and at least one term of the sum
# is 1, so no division by zero. `nnlib.nn.softmax` does exactly this:

# %% slideshow={"slide_type": "subslide"}
stable = nn.softmax(big)
print("stable softmax:", stable)
assert np.all(np.isfinite(stable)) and np.isclose(stable.sum(), 1.0)
# softmax only cares about differences: [1000, 1001, 1002] behaves like [0, 1, 2]
assert np.allclose(stable, nn.softmax(np.array([0.0, 1.0, 2.0])))
# and it works row by row on a batch
batch = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
assert np.allclose(nn.softmax(batch).sum(axis=1), 1.0)
# the naive sigmoid at z = -1000: the right value 0.0, reached through an overflow (NumPy warns)
with np.errstate(over="ignore"):
    assert 1 / (1 + np.exp(1000.0)) == 0.0
with np.errstate(over="raise"):
    try:
        np.exp(1000.0)
        raise AssertionError("expected an overflow")
    except FloatingPointError:
        pass
assert nn.sigmoid(np.array(-1000.0)) == 0.0  # nn.sigmoid: same value, no overflow


# %% [markdown] slideshow={"slide_type": "fragment"}
# The naive sigmoid $1/(1 + e^{-z})$ is luckier than the naive softmax: at $z = -1000$, $e^{1000}$
# overflows to `inf` and $1/(1 + \infty) = 0.0$ — the right answer, but NumPy warns about the
# overflow, and an `inf` passed on to other formulas (such as the logarithm in the loss of lesson
# 04) does harm. `nn.sigmoid` never overflows: it uses $e^{-|z|}$ only (look at its source).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Exercises
#
# ### Exercise 1 — derive the sigmoid's derivative
#
# The table of section 2 leaves the sigmoid's derivative for you; `nn.sigmoid_grad` has it, and
# section 2 checked it by finite differences, but nowhere does the lesson say where it comes from.
# **Derive it, on paper:** write $\sigma(z) = u^{-1}$ with $u = 1 + e^{-z}$ and apply the chain
# rule. Then take the last step: rewrite your result **with $\sigma(z)$ only**, no $e^{-z}$
# left. Write `sigmoid_grad(z)` with that form, elementwise for scalars and arrays; you may
# use `nn.sigmoid`, not `nn.sigmoid_grad`. The check compares it with the slope at values of $z$
# from $-1000$ to $1000$. **Predict first:** why does the check insist on the last step — what
# does $e^{-z}$ do at $z = -1000$?


# %%
def sigmoid_grad(z):
    # BEGIN SOLUTION
    s = nn.sigmoid(z)  # the overflow-free sigmoid, not 1 / (1 + np.exp(-z))
    return s * (1 - s)
    # END SOLUTION


# %%
check("02.sigmoid_grad", sigmoid_grad)

# %% [markdown]
# <details><summary>Open after you have made your prediction.</summary>
#
# The chain rule gives $\sigma'(z) = e^{-z} / (1 + e^{-z})^2$: right, but at $z = -1000$ the
# factor $e^{-z} = e^{1000}$ overflows to `inf`, and `inf / inf` is `nan`. Written with
# $\sigma$ only, the formula needs no $e^{-z}$ of its own: `nn.sigmoid` never overflows, and
# the slope far out is simply $0$.
#
# </details>


# %%
# hint("02.sigmoid_grad")  # solution("02.sigmoid_grad")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — leaky ReLU
#
# Write `leaky_relu(z, alpha=0.01)`: $z$ where $z > 0$, else $\alpha z$. No Python loop — one NumPy
# call does it.


# %%
def leaky_relu(z, alpha=0.01):
    # BEGIN SOLUTION
    return np.where(z > 0, z, alpha * z)
    # END SOLUTION


# %%
check("02.leaky_relu", leaky_relu)


# %%
# hint("02.leaky_relu")  # solution("02.leaky_relu")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — debug a softmax that fails on a batch
#
# A classmate made the naive softmax safe the way section 6 does — subtract the maximum — and
# tested it on `big`: it works. On the batch of section 6 (the rows $[1000, 1001, 1002]$ and
# $[-5, 0, 5]$) it returns `nan` in one row. **Predict first:** which row, and why is the other
# one right? Run the cell, find the cause, then write `softmax(z)` over the **last axis**: the
# right probabilities for one vector of logits and for every row of a batch, however far apart
# the rows are, with no overflow.


# %%
def softmax_classmate(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


print("one vector:", softmax_classmate(big).round(4))
with np.errstate(under="ignore", invalid="ignore"):  # 0 / 0 warns; here we look at the result
    rows_classmate = softmax_classmate(batch)
print("the batch: ", rows_classmate.round(4).tolist())
assert np.allclose(softmax_classmate(big), nn.softmax(big))
assert np.all(np.isfinite(rows_classmate[0])) and np.all(np.isnan(rows_classmate[1]))


# %%
def softmax(z):
    # BEGIN SOLUTION
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
    # END SOLUTION


# %%
check("02.stable_softmax", softmax)

# %% [markdown]
# <details><summary>Open after you have made your prediction.</summary>
#
# The row $[-5, 0, 5]$ fails. The classmate subtracts one number, the maximum of the whole
# batch (1002), from every row: the first row, which holds that maximum, is shifted just as
# section 6 does, but the second row ends up between $-1007$ and $-997$, where every $e^x$
# underflows to 0, and $0 / 0$ is `nan`. Each row needs its own shift, its own maximum.
#
# </details>

# %%
# hint("02.stable_softmax")  # solution("02.stable_softmax")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — debug a sigmoid that overflows
#
# `naive_sigmoid` below is the textbook formula. Its values are right, but for very negative $z$
# NumPy overflows on the way (section 6) — the next cell turns that warning into an error to show
# it. **Find the cause**, then write `safe_sigmoid(z)`: the same values for every $z$ (a number or
# an array of any shape), with no overflow anywhere — using `np.exp` yourself, not `nn.sigmoid`.
# Careful: `np.where(cond, a, b)` computes *both* `a` and `b` for every entry before it chooses.


# %%
def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


z_test = np.array([-1000.0, -10.0, 0.0, 10.0, 1000.0])
try:
    with np.errstate(over="raise"):
        naive_sigmoid(z_test)
except FloatingPointError as err:
    print("naive_sigmoid:", type(err).__name__, "-", err)


# %%
def safe_sigmoid(z):
    # BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # the exponent is never positive: no overflow
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # e/(1+e) = 1/(1+e^-z) for z < 0
    # END SOLUTION


# %%
check("02.safe_sigmoid", safe_sigmoid)

# %%
# hint("02.safe_sigmoid")  # solution("02.safe_sigmoid")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * Without a non-linear activation, any stack of layers collapses into **one linear layer**.
# * A sum of $K$ ReLUs is a broken line with $K$ pieces: more units, more bends, a closer fit
#   (2, 4, 16 units: error printed in section 1, falling each time).
# * A **dead ReLU** ($z < 0$ for every input) gets exactly zero gradient and never recovers; leaky
#   ReLU keeps a small slope so it can.
# * step $\{0,1\}$, sigmoid $(0,1)$, tanh $(-1,1)$, ReLU $[0,\infty)$, leaky ReLU $\mathbb{R}$;
#   softmax maps a vector to probabilities that sum to 1.
# * Derivatives: $\sigma' = \sigma(1-\sigma) \le \tfrac14$, $\tanh' = 1 - \tanh^2 \le 1$, ReLU' $\in \{0, 1\}$, step' $= 0$.
# * **Vanishing gradient**: through 20 sigmoid layers the gradient shrinks by about 13 orders of
#   magnitude; with ReLU (and He initialisation) it stays within a factor of a few.
# * Use **ReLU** in hidden layers; pick the output activation from the task (linear / sigmoid / softmax).
# * Compute softmax as $e^{z - \max z} / \sum e^{z - \max z}$: mathematically the same, numerically safe.
# * Next: lesson 03 wires neurons into layers and runs the forward pass of a whole network.
