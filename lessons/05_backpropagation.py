# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 05 — Backpropagation
#
# Gradient descent needs $\partial L / \partial \theta$ for **every** weight $\theta$ — a small
# network has thousands, a large one billions. **Backpropagation** computes all of them in one
# backward sweep that costs about as much as the forward pass. It is nothing but the chain rule,
# applied in the right order.
#
# **Learning goals** — after this lesson you can
#
# 1. draw a computational graph and push numbers forward and gradients backward through it by hand;
# 2. derive the vectorized backward pass of a Dense layer, an activation and the softmax +
#    cross-entropy loss, and implement it in NumPy;
# 3. verify any gradient with finite differences (`nnlib.nn.gradient_check`) and read the relative
#    error;
# 4. show that TensorFlow's automatic differentiation (`GradientTape`) gives the same numbers.
#
# **Estimated time:** 75–90 minutes. Quick mode (`NNLIB_QUICK=1`) only shrinks the data set of
# section 3 (`pick(full=300, quick=120)`); every check holds in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

# %% slideshow={"slide_type": "skip"}
import ipywidgets as widgets
from IPython.display import display

from nnlib import data, nn
from nnlib.plotting import OKABE_ITO
from nnlib.widgets import release_note


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A computational graph, by hand
#
# One neuron, one sample, squared error — every step is a node:
#
# $$z = w x + b, \qquad a = \sigma(z), \qquad L = (a - y)^2 .$$
#
# **Forward:** compute the values left to right. **Backward:** start with
# $\frac{\partial L}{\partial L} = 1$ and go right to left; at each node multiply the incoming
# gradient by the node's *local* derivative (the chain rule):
#
# $$\frac{\partial L}{\partial w} = \underbrace{2(a - y)}_{\partial L/\partial a}\;
# \underbrace{a(1-a)}_{\partial a/\partial z}\; \underbrace{x}_{\partial z/\partial w},
# \qquad \frac{\partial L}{\partial b} = 2(a-y)\, a(1-a) \cdot 1 .$$


# %%
def neuron_forward_backward(x, w, b, y):
    """Forward and backward pass of the one-neuron graph; returns all values and gradients."""
    z = w * x + b
    a = 1 / (1 + np.exp(-z))
    L = (a - y) ** 2
    dL_da = 2 * (a - y)  # local derivative of the square
    dL_dz = dL_da * a * (1 - a)  # times the sigmoid's local derivative
    dL_dw = dL_dz * x  # z = w x + b: dz/dw = x
    dL_db = dL_dz * 1.0  # dz/db = 1
    dL_dx = dL_dz * w  # dz/dx = w
    return dict(z=z, a=a, L=L, dL_da=dL_da, dL_dz=dL_dz, dL_dw=dL_dw, dL_db=dL_db, dL_dx=dL_dx)


g = neuron_forward_backward(x=2.0, w=-0.5, b=0.5, y=1.0)
for k, v in g.items():
    print(f"{k:>6} = {v: .5f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Never trust a gradient you derived by hand** — check it. Nudge $w$ by a tiny $\varepsilon$
# both ways and measure the slope (a *central finite difference*):
# $\frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$.

# %%
eps = 1e-6


def L_of(x=2.0, w=-0.5, b=0.5, y=1.0):
    return neuron_forward_backward(x, w, b, y)["L"]


fd = {
    "dL_dw": (L_of(w=-0.5 + eps) - L_of(w=-0.5 - eps)) / (2 * eps),
    "dL_db": (L_of(b=0.5 + eps) - L_of(b=0.5 - eps)) / (2 * eps),
    "dL_dx": (L_of(x=2.0 + eps) - L_of(x=2.0 - eps)) / (2 * eps),
}
for k, v in fd.items():
    print(f"{k}: chain rule {g[k]: .8f}   finite differences {v: .8f}")
    assert abs(g[k] - v) < 1e-8


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The graph as a picture
#
# Values travel forward (blue, above each node); gradients travel backward (orange, below). The
# drawing function is at the end of this cell; the numbers come from `neuron_forward_backward`.


# %%
def draw_graph(x, w, b, y, ax=None):
    g = neuron_forward_backward(x, w, b, y)
    ax = ax or plt.subplots(figsize=(9, 3.2))[1]
    nodes = {  # name: (position, forward value, gradient)
        "x": ((0, 2), x, g["dL_dx"]),
        "w": ((0, 1), w, g["dL_dw"]),
        "b": ((0, 0), b, g["dL_db"]),
        "z = wx+b": ((1.4, 1), g["z"], g["dL_dz"]),
        "a = σ(z)": ((2.8, 1), g["a"], g["dL_da"]),
        "L = (a-y)²": ((4.2, 1), g["L"], 1.0),
    }
    for src, dst in [
        ("x", "z = wx+b"),
        ("w", "z = wx+b"),
        ("b", "z = wx+b"),
        ("z = wx+b", "a = σ(z)"),
        ("a = σ(z)", "L = (a-y)²"),
    ]:
        ax.annotate(
            "",
            xy=nodes[dst][0],
            xytext=nodes[src][0],
            arrowprops=dict(arrowstyle="->", color="gray", shrinkA=22, shrinkB=22),
        )
    for name, ((px, py), value, grad) in nodes.items():
        ax.text(
            px,
            py,
            name,
            ha="center",
            va="center",
            fontsize="small",
            bbox=dict(boxstyle="round", fc="white", ec="black"),
        )
        ax.text(px, py + 0.32, f"{value:.3f}", ha="center", color=OKABE_ITO[0], fontsize="small")
        ax.text(px, py - 0.36, f"∂L={grad:.3f}", ha="center", color=OKABE_ITO[5], fontsize="small")
    ax.set(
        xlim=(-0.6, 4.9),
        ylim=(-0.6, 2.6),
        title=f"Forward values (blue) and gradients ∂L/∂· (orange), target y = {y}",
    )
    ax.axis("off")
    return ax


draw_graph(2.0, -0.5, 0.5, 1.0)
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Try it: push numbers through the graph
#
# Change the weight, bias and input. Watch the gradient of $w$: when the neuron is saturated
# ($|z|$ large) the sigmoid's local derivative $a(1-a)$ is tiny, and so is **every** gradient
# to its left — the *vanishing gradient* you will meet again in deep networks.


# %%
def show_graph(x=2.0, w=-0.5, b=0.5):
    draw_graph(x, w, b, 1.0)
    plt.show()


slider = dict(step=0.1, continuous_update=False)  # a redraw of the graph takes ~0.2 s
display(
    release_note(
        widgets.interactive(
            show_graph,
            x=widgets.FloatSlider(value=2.0, min=-3, max=3, description="input x", **slider),
            w=widgets.FloatSlider(value=-0.5, min=-4, max=4, description="weight w", **slider),
            b=widgets.FloatSlider(value=0.5, min=-4, max=4, description="bias b", **slider),
        )
    )
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the widget shows, in numbers: a saturated neuron ($z = -8$) passes back a gradient
# hundreds of times smaller than one near $z = 0$.

# %%
g_mid = neuron_forward_backward(x=2.0, w=0.0, b=0.0, y=1.0)  # z = 0
g_sat = neuron_forward_backward(x=2.0, w=-4.0, b=0.0, y=1.0)  # z = -8
print(f"z = 0: dL/dw = {g_mid['dL_dw']:.5f};   z = -8: dL/dw = {g_sat['dL_dw']:.5f}")
assert abs(g_sat["dL_dw"]) < abs(g_mid["dL_dw"]) / 100

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### When a value is used twice, gradients add
#
# In a network one activation feeds many neurons of the next layer. The chain rule then **sums**
# over every path: for $f = u\cdot v + u$ with $u$ used twice,
# $\frac{\partial f}{\partial u} = v + 1$. In matrix form this sum is exactly what the matrix
# products of the next section do.

# %%
u, v = 3.0, -2.0
grad_u = v + 1  # path through u*v plus path through "+ u"
fd_u = ((u + eps) * v + (u + eps) - ((u - eps) * v + (u - eps))) / (2 * eps)
print(f"df/du: by the chain rule {grad_u}, by finite differences {fd_u:.6f}")
assert abs(grad_u - fd_u) < 1e-6

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The vectorized backward pass
#
# A Dense layer works on a whole batch: $X$ is $(n, d_{in})$, $W$ is $(d_{in}, d_{out})$,
# $b$ is $(d_{out},)$:
#
# $$Z = XW + b, \qquad A = f(Z).$$
#
# Given the gradient $G_A = \partial L / \partial A$ (same shape as $A$), the chain rule gives —
# and each result must have the shape of the thing it belongs to, which is a good way to remember
# the formulas:
#
# | gradient | formula | shape |
# |---|---|---|
# | $\partial L / \partial Z$ | $G_Z = G_A \odot f'(Z)$ (elementwise) | $(n, d_{out})$ |
# | $\partial L / \partial W$ | $X^\top G_Z$ — sums over the batch | $(d_{in}, d_{out})$ |
# | $\partial L / \partial b$ | $\sum_{\text{rows}} G_Z$ | $(d_{out},)$ |
# | $\partial L / \partial X$ | $G_Z W^\top$ — sent to the previous layer | $(n, d_{in})$ |
#
# For the output layer **softmax + cross-entropy** the two combine into something very simple
# (derivation in the exercise): $\partial L / \partial Z = (P - Y)/n$, predicted probabilities
# minus one-hot labels, divided by the batch size.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Our own forward and backward pass
#
# A two-layer network (tanh hidden layer, softmax output) for the three-class spirals, written
# out with nothing but NumPy:

# %%
n_samples = pick(full=300, quick=120)  # quick mode: a smaller data set
X, y = data.make_spirals(n_samples, n_classes=3, seed=0)
Y = np.eye(3)[y]  # one-hot labels, (n, 3)
rng = np.random.default_rng(0)
W1, b1 = rng.normal(0, 0.5, size=(2, 16)), np.zeros(16)
W2, b2 = rng.normal(0, 0.5, size=(16, 3)), np.zeros(3)


def forward(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    P = nn.softmax(Z2)
    loss = -np.mean(np.sum(Y * np.log(P), axis=1))
    return loss, (Z1, A1, P)


def backward(X, W1, b1, W2, b2, cache):
    Z1, A1, P = cache
    n = len(X)
    dZ2 = (P - Y) / n  # softmax + cross-entropy
    dW2 = A1.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dA1 = dZ2 @ W2.T  # back into the hidden layer
    dZ1 = dA1 * (1 - A1**2)  # tanh'(z) = 1 - tanh(z)^2
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return [dW1, db1, dW2, db2]


loss, cache = forward(X, W1, b1, W2, b2)
ours = backward(X, W1, b1, W2, b2, cache)
print(f"loss {loss:.4f}; gradient shapes:", [g.shape for g in ours])
assert [g.shape for g in ours] == [W1.shape, b1.shape, W2.shape, b2.shape]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same network in nnlib
#
# `nnlib.nn.Sequential` does exactly these steps (`Dense.backward`, `Activation.backward`, and the
# $(P - Y)/n$ shortcut in `Sequential.backward_from_loss`). Give it our weights and compare:

# %%
model = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(3, "softmax")], dtype="float64")
model.compile(nn.SGD(0.1), loss="categorical_crossentropy")
model.set_weights([W1, b1, W2, b2])
nnlib_loss = model.loss_and_grads(X, Y)
for name, a, b in zip(["dW1", "db1", "dW2", "db2"], ours, model.grads()):
    print(f"{name}: max |ours - nnlib| = {np.max(np.abs(a - b)):.1e}")
    assert np.allclose(a, b, rtol=1e-10, atol=1e-12)
assert np.isclose(loss, nnlib_loss)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Gradient checking
#
# Finite differences give every gradient without any calculus — but one parameter at a time,
# two forward passes each: for this network's 99 parameters that is 198 forward passes, for a
# million parameters two million. Too slow to train with, perfect to **test** backprop with.
# We compare with the *relative error*
# $\frac{\max|g_{\text{backprop}} - g_{\text{numeric}}|}{\max(|g_{\text{backprop}}| + |g_{\text{numeric}}|)}$:
# in float64, correct code gives about $10^{-9}$; a bug gives $10^{-2}$ or worse.

# %%
errors = nn.gradient_check(model, X, Y)  # one relative error per parameter array
for name, err in zip(["W1", "b1", "W2", "b2"], errors):
    print(f"{name}: relative error {err:.1e}")
assert max(errors) < 1e-6


# %% [markdown] slideshow={"slide_type": "subslide"}
# A gradient check catches bugs. Forget the $1/n$ of the mean in our `backward` and check our
# own function with `nn.numerical_gradient` (it nudges each entry of an array in place):


# %%
def buggy_backward(X, W1, b1, W2, b2, cache):
    grads = backward(X, W1, b1, W2, b2, cache)
    return [g * len(X) for g in grads]  # the bug: no division by n


numeric_W2 = nn.numerical_gradient(lambda: forward(X, W1, b1, W2, b2)[0], W2)
good = nn.relative_error(backward(X, W1, b1, W2, b2, cache)[2], numeric_W2)
bad = nn.relative_error(buggy_backward(X, W1, b1, W2, b2, cache)[2], numeric_W2)
print(f"correct backward: {good:.1e}    buggy backward: {bad:.1e}")
assert good < 1e-6 and bad > 0.5

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why float64? Choosing $\varepsilon$
#
# The finite difference has two errors: the *truncation* error of the formula (grows like
# $\varepsilon^2$) and the *rounding* error of the subtraction (grows like
# $\text{machine precision}/\varepsilon$). In float64 (precision $10^{-16}$) the best
# $\varepsilon$ is around $10^{-5}$ to $10^{-6}$ and gives $10^{-10}$; in float32 (precision
# $10^{-7}$) the best possible is between $10^{-5}$ and $10^{-4}$, and only at a large
# $\varepsilon$ (the measured value is printed below the plot). That is above the usual
# threshold of $10^{-6}$ at *every* $\varepsilon$: a correct float32 gradient fails the check, and a
# small bug (a relative error of $10^{-4}$) would look like rounding. In float64 the gap between
# rounding ($10^{-10}$) and a bug is a factor of a million.

# %%
eps_values = np.logspace(-10, -1, 19)
curves = {}
for dtype in ["float64", "float32"]:
    m = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(3, "softmax")], dtype=dtype)
    m.compile(nn.SGD(0.1), loss="categorical_crossentropy")
    m.set_weights([W1, b1, W2, b2])
    curves[dtype] = [max(nn.gradient_check(m, X[:40], Y[:40], eps=e)) for e in eps_values]

fig, ax = plt.subplots(figsize=(6.4, 3.8))
for (dtype, errs), color, style in zip(curves.items(), OKABE_ITO, ["-", "--"]):
    ax.loglog(eps_values, errs, style, marker="o", ms=3, color=color, label=dtype)
ax.axhline(1e-6, color="gray", lw=1, linestyle=":", label="threshold 1e-6")
ax.set(
    title="Gradient check: relative error vs step size ε", xlabel="ε", ylabel="max relative error"
)
ax.legend()
plt.show()
best64, best32 = min(curves["float64"]), min(curves["float32"])
eps32 = eps_values[int(np.argmin(curves["float32"]))]
print(f"best relative error: float64 {best64:.1e}, float32 {best32:.1e} (at eps = {eps32:.0e})")
assert best64 < 1e-8 and 1e-5 < best32 < 1e-4 and eps32 >= 1e-3

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The same gradients from TensorFlow
#
# Keras never asks you for a backward pass: TensorFlow records the forward computation on a
# `GradientTape` and runs the chain rule for you (**automatic differentiation**). It is the same
# algorithm, so it must give the same numbers. Importing TensorFlow takes about 4–5 seconds —
# this is the only cell of the lesson that does it.
#
# We build the same network in Keras, copy **our** weights into it, and ask the tape for the
# gradient of Keras's own cross-entropy:

# %%
keras = nnlib.config.import_keras()  # Keras without TensorFlow's start-up log lines
import tensorflow as tf

keras_model = keras.Sequential(
    [
        keras.Input((2,)),
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
keras_model.set_weights([W1, b1, W2, b2])  # Keras computes in float32
keras_loss = keras.losses.CategoricalCrossentropy()

with tf.GradientTape() as tape:
    P_keras = keras_model(X.astype("float32"))
    loss_keras = keras_loss(Y.astype("float32"), P_keras)
tf_grads = [g.numpy() for g in tape.gradient(loss_keras, keras_model.trainable_variables)]

print(f"loss: ours {loss:.6f}, Keras {float(loss_keras):.6f}")
for name, a, b in zip(["dW1", "db1", "dW2", "db2"], ours, tf_grads):
    print(f"{name}: relative error ours vs GradientTape = {nn.relative_error(a, b):.1e}")
    assert nn.relative_error(a, b) < 1e-5

# %% [markdown] slideshow={"slide_type": "subslide"}
# The agreement is about $10^{-7}$ — float32's precision, since Keras computes in float32. In
# float64 the tape agrees with our backward pass to rounding error:

# %%
weights64 = [tf.Variable(w) for w in (W1, b1, W2, b2)]
with tf.GradientTape() as tape:
    A1_tf = tf.tanh(X @ weights64[0] + weights64[1])
    P_tf = tf.nn.softmax(A1_tf @ weights64[2] + weights64[3])
    loss_tf = -tf.reduce_mean(tf.reduce_sum(Y * tf.math.log(P_tf), axis=1))
tf64 = [g.numpy() for g in tape.gradient(loss_tf, weights64)]
err64 = max(nn.relative_error(a, b) for a, b in zip(ours, tf64))
print(f"float64: max relative error ours vs GradientTape = {err64:.1e}")
assert err64 < 1e-12

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 — the chain rule on numbers
#
# For the one-neuron graph of section 1 with $x = 1.5$, $w = 0.8$, $b = -0.2$, $y = 0$, compute
# $\partial L / \partial w$ **by hand** (a calculator, or NumPy as a calculator — not
# `neuron_forward_backward`). Assign the number to `answer`, with at least 3 significant
# digits.

# %%
answer = None
# BEGIN SOLUTION
z = 0.8 * 1.5 - 0.2
a = 1 / (1 + np.exp(-z))
answer = 2 * (a - 0.0) * a * (1 - a) * 1.5
# END SOLUTION

# %%
check("05.chain_rule", answer)


# %%
# hint("05.chain_rule")  # solution("05.chain_rule")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — backward pass of softmax + cross-entropy
#
# Show that for $P = \mathrm{softmax}(Z)$ and $L = -\frac1n\sum_i \log P_{i, y_i}$ the gradient is
# $\partial L/\partial Z = (P - Y)/n$. (Hint for the maths:
# $\partial \log P_{c} / \partial Z_{j} = [j = c] - P_j$.) Then implement
# `softmax_ce_backward(logits, labels)` for integer labels. Keep it stable for large logits.


# %%
def softmax_ce_backward(logits, labels):
    # BEGIN SOLUTION
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
    # END SOLUTION


# %%
check("05.softmax_ce", softmax_ce_backward)


# %%
# hint("05.softmax_ce")  # solution("05.softmax_ce")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — backward pass of a Dense layer
#
# For $Z = xW + b$, write `dense_backward(x, W, grad_z)` that returns the tuple
# `(dW, db, dx)` from the table in section 3.


# %%
def dense_backward(x, W, grad_z):
    # BEGIN SOLUTION
    return x.T @ grad_z, grad_z.sum(axis=0), grad_z @ W.T
    # END SOLUTION


# %%
check("05.dense_backward", dense_backward)

# %%
# hint("05.dense_backward")  # solution("05.dense_backward")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A network is a **computational graph**. Forward: values left to right. Backward: gradients
#   right to left, each node multiplying by its *local* derivative (chain rule); where a value is
#   used twice, gradients **add**.
# * Vectorized, for a Dense layer: $G_Z = G_A \odot f'(Z)$, $\;\partial W = X^\top G_Z$,
#   $\;\partial b = \sum_{\text{rows}} G_Z$, $\;\partial X = G_Z W^\top$; softmax + cross-entropy
#   gives $G_Z = (P - Y)/n$. The shapes tell you the formulas.
# * **Gradient checking** with central finite differences (`nn.gradient_check`) in float64:
#   relative error $\approx 10^{-9}$ means correct, $> 10^{-2}$ means a bug.
# * TensorFlow's `GradientTape` is the same chain rule, automated: same weights, same gradients
#   ($< 10^{-5}$ in float32, $< 10^{-12}$ in float64).
# * Next lesson: put the gradients to work — **training** a network end to end.
