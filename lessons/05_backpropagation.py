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
#    cross-entropy loss from the scalar chain rule, and implement it in NumPy as layers with
#    `forward` and `backward` methods;
# 3. verify any gradient with finite differences (`nnlib.nn.gradient_check`), read the relative
#    error, choose the step size, and use the check to find a bug in a backward pass;
# 4. show that TensorFlow's automatic differentiation (`GradientTape`) gives the same numbers.
#
# **Estimated time:** 90–105 minutes. Quick mode (`NNLIB_QUICK=1`) only shrinks the data set of
# section 3 (`pick(full=300, quick=120)`); every check holds in both modes.

# %% slideshow={"slide_type": "skip"}
# Setup: after a kernel restart, run this cell first (it imports everything the lesson uses).
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
from IPython.display import display

import nnlib
from nnlib import check, data, hint, nn, pick, solution
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import release_note

nnlib.start_lesson(seed=0)


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
    ax = ax or plt.subplots(figsize=(9, 4.4))[1]
    nodes = {  # name: (position, forward value, gradient)
        "x": ((0, 2.6), x, g["dL_dx"]),
        "w": ((0, 1.3), w, g["dL_dw"]),
        "b": ((0, 0), b, g["dL_db"]),
        "z = wx+b": ((1.7, 1.3), g["z"], g["dL_dz"]),
        "a = σ(z)": ((3.4, 1.3), g["a"], g["dL_da"]),
        "L = (a-y)²": ((5.1, 1.3), g["L"], 1.0),
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
            arrowprops=dict(arrowstyle="->", color="gray", shrinkA=30, shrinkB=45),
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
        ax.text(px, py + 0.36, f"{value:.3g}", ha="center", color=OKABE_ITO[0], fontsize="small")
        ax.text(
            px,
            py - 0.36,
            f"∂L={grad:.3g}",
            ha="center",
            va="top",
            color=OKABE_ITO[5],
            fontsize="small",
        )
    ax.set(
        xlim=(-0.7, 5.9),
        ylim=(-0.8, 3.3),
        title=f"Values (blue) and gradients ∂L/∂· (orange), target y = {y:g}",
    )
    ax.axis("off")
    return ax


draw_graph(2.0, -0.5, 0.5, 1.0)
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Try it: push numbers through the graph
#
# **Predict first.** Keep $x = 2$, $b = 0$ and the target $y = 1$, and compare two weights:
# $w = 0$ ($z = 0$) and $w = -4$ ($z = -8$, the neuron's output is almost 0 while the target is
# 1 — a big error). Will $\partial L/\partial w$ be larger or smaller at $w = -4$, and by about
# how much? Then, still at $w = -4$, set the target $y$ to 0: now the output is right. Is
# $\partial L/\partial w$ small again — and is that a problem this time? Write your guesses
# down, then set the sliders and read the orange numbers.


# %%
def show_graph(x=2.0, w=-0.5, b=0.5, y=1.0):
    draw_graph(x, w, b, y)
    plt.show()


slider = dict(step=0.1, continuous_update=False)  # a redraw of the graph takes ~0.2 s
graph_widget = widgets.interactive(
    show_graph,
    x=widgets.FloatSlider(value=2.0, min=-3, max=3, description="input x", **slider),
    w=widgets.FloatSlider(value=-0.5, min=-4, max=4, description="weight w", **slider),
    b=widgets.FloatSlider(value=0.5, min=-4, max=4, description="bias b", **slider),
    y=widgets.FloatSlider(value=1.0, min=0, max=1, description="target y", **slider),
)
display(release_note(graph_widget))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Answer.**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# Smaller — hundreds of times smaller, although the error is larger. At $z = -8$ the sigmoid is
# *saturated*: its local derivative $a(1-a)$ is tiny, and every gradient to its left is multiplied
# by it. This is the *vanishing gradient* you will meet again in deep networks.
#
# With $y = 0$ the gradient at $w = -4$ is smaller still, but for a different reason: the output
# $a \approx 0$ is right, the loss is almost 0, and there is nothing left to learn. A small
# gradient alone does not tell the two cases apart; the loss does — near 1 when the neuron is
# saturated and wrong, near 0 when it is right.
#
# </details>

# %%
g_mid = neuron_forward_backward(x=2.0, w=0.0, b=0.0, y=1.0)  # z = 0
g_sat = neuron_forward_backward(x=2.0, w=-4.0, b=0.0, y=1.0)  # z = -8
print(f"z = 0: dL/dw = {g_mid['dL_dw']:.5f};   z = -8: dL/dw = {g_sat['dL_dw']:.5f}")
print(
    f"smaller by a factor of {g_mid['dL_dw'] / g_sat['dL_dw']:.0f}; the error |a - y| is ", end=""
)
print(f"{abs(g_mid['a'] - 1):.2f} at z = 0 and {abs(g_sat['a'] - 1):.4f} at z = -8")
assert abs(g_sat["dL_dw"]) < abs(g_mid["dL_dw"]) / 100
assert abs(g_sat["a"] - 1) > abs(g_mid["a"] - 1)
g_right = neuron_forward_backward(x=2.0, w=-4.0, b=0.0, y=0.0)  # z = -8, and a ~ 0 is right
print(
    f"z = -8: target 1 -> loss {g_sat['L']:.3f}, dL/dw = {g_sat['dL_dw']:.2e};  "
    f"target 0 -> loss {g_right['L']:.1e}, dL/dw = {g_right['dL_dw']:.1e}"
)
assert abs(g_right["dL_dw"]) < abs(g_sat["dL_dw"]) / 100  # smaller still ...
assert g_right["L"] < 1e-6 < 0.99 < g_sat["L"]  # ... but the loss tells right from saturated

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### When a value is used twice, gradients add
#
# In a network one activation feeds many neurons of the next layer. **Predict first:** for
# $f = u\cdot v + u$ at $u = 3$, $v = -2$, what is $\partial f/\partial u$? ($u$ reaches $f$
# along two paths.) Then run the cell.

# %%
u, v = 3.0, -2.0
grad_u = v + 1  # path through u*v plus path through "+ u"
fd_u = ((u + eps) * v + (u + eps) - ((u - eps) * v + (u - eps))) / (2 * eps)
print(f"df/du: by the chain rule {grad_u}, by finite differences {fd_u:.6f}")
assert abs(grad_u - fd_u) < 1e-6

# %% [markdown]
# **Answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# $\partial f/\partial u = v + 1 = -1$. The chain rule **sums** over every path (here the path
# through $u \cdot v$ gives $v$, the path through $+\,u$ gives 1).
#
# </details>
#
# In the next section this sum over paths is exactly what makes the matrix products.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. From one weight to a whole layer: deriving the matrix formulas
#
# A Dense layer works on a whole batch: $X$ is $(n, d_{in})$, $W$ is $(d_{in}, d_{out})$,
# $b$ is $(d_{out},)$, and $Z = XW + b$. Written out for **one entry**, that is a plain sum of
# products — the scalar graph of section 1, many times over:
#
# $$Z_{nj} = \sum_i X_{ni} W_{ij} + b_j .$$
#
# Suppose the layers above have already given us $G_{nj} = \partial L / \partial Z_{nj}$ (one
# number per entry of $Z$, so $G$ has the shape of $Z$). Which entries of $Z$ does the weight
# $W_{ij}$ touch? $Z_{nj}$ for **every sample** $n$ — it is used $n$ times, so its gradients
# **add** (section 2), and each path contributes $\partial Z_{nj}/\partial W_{ij} = X_{ni}$:
#
# $$\frac{\partial L}{\partial W_{ij}} = \sum_n \frac{\partial L}{\partial Z_{nj}}
# \frac{\partial Z_{nj}}{\partial W_{ij}} = \sum_n X_{ni}\, G_{nj} = (X^\top G)_{ij} .$$
#
# The same reasoning for $b_j$ (used by every sample, local derivative 1) and for $X_{ni}$ (used
# by every output $j$ of its own row, local derivative $W_{ij}$) gives
#
# $$\frac{\partial L}{\partial b_j} = \sum_n G_{nj}, \qquad
# \frac{\partial L}{\partial X_{ni}} = \sum_j G_{nj} W_{ij} = (G W^\top)_{ni} .$$

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A 2 × 2 case with numbers
#
# Two samples, two inputs, two outputs, and a squared-error loss
# $L = \frac14 \sum_{n,j} (Z_{nj} - T_{nj})^2$ (the mean over the 4 entries), so
# $G = \partial L/\partial Z = 2(Z - T)/4$. First every weight's gradient from the index formula,
# one sum at a time, then the matrix formula:

# %%
X2 = np.array([[1.0, 2.0], [3.0, -1.0]])  # 2 samples, 2 inputs
W2x2 = np.array([[0.5, -1.0], [2.0, 1.0]])  # (inputs, outputs)
b2x2 = np.array([0.0, 0.5])
T2 = np.array([[1.0, 0.0], [0.0, 1.0]])  # targets


def loss_2x2(W, b, X=X2):
    return np.mean((X @ W + b - T2) ** 2)


Z2x2 = X2 @ W2x2 + b2x2
G = 2 * (Z2x2 - T2) / Z2x2.size  # dL/dZ of the mean squared error
print("Z =", Z2x2.tolist(), "  G = dL/dZ =", G.tolist())
dW_by_index = np.zeros_like(W2x2)
for i in range(2):
    for j in range(2):
        terms = [X2[n, i] * G[n, j] for n in range(2)]
        dW_by_index[i, j] = sum(terms)
        names = " + ".join(f"X[{n},{i}]·G[{n},{j}]" for n in range(2))
        numbers = " + ".join(f"({X2[n, i]:g})·({G[n, j]:g})" for n in range(2))
        print(f"dL/dW[{i},{j}] = {names} = {numbers} = {dW_by_index[i, j]:g}")
print("X.T @ G =", (X2.T @ G).tolist())
assert np.allclose(dW_by_index, X2.T @ G)

# %% [markdown]
# The sums are the matrix product. And the matrix product is the true gradient — nudge each
# weight and compare (the finite differences of section 1):

# %%
fd_W = nn.numerical_gradient(lambda: loss_2x2(W2x2, b2x2), W2x2)
fd_b = nn.numerical_gradient(lambda: loss_2x2(W2x2, b2x2), b2x2)
fd_X = nn.numerical_gradient(lambda: loss_2x2(W2x2, b2x2), X2)
formulas = {"dW = X.T @ G": (X2.T @ G, fd_W), "db = G summed over samples": (G.sum(axis=0), fd_b)}
formulas["dX = G @ W.T"] = (G @ W2x2.T, fd_X)
for name, (by_formula, by_nudging) in formulas.items():
    print(f"{name:<28} {np.round(by_formula, 6).tolist()}   finite differences agree:", end=" ")
    print(np.allclose(by_formula, by_nudging, atol=1e-8))
    assert np.allclose(by_formula, by_nudging, atol=1e-8)

# %% [markdown] slideshow={"slide_type": "subslide"}
# An activation $A = f(Z)$ works entry by entry: $Z_{nj}$ touches only $A_{nj}$, so there is no
# sum, just the local derivative — $G_Z = G_A \odot f'(Z)$ (elementwise product). Together, the
# backward pass of a Dense layer you have now derived:
#
# | gradient | formula | where it comes from | shape |
# |---|---|---|---|
# | $\partial L / \partial Z$ | $G_Z = G_A \odot f'(Z)$ | one path per entry | $(n, d_{out})$ |
# | $\partial L / \partial W$ | $X^\top G_Z$ | $\sum_n X_{ni} G_{nj}$: every sample uses $W$ | $(d_{in}, d_{out})$ |
# | $\partial L / \partial b$ | $\sum_{\text{rows}} G_Z$ | every sample uses $b$ | $(d_{out},)$ |
# | $\partial L / \partial X$ | $G_Z W^\top$ | $\sum_j G_{nj} W_{ij}$: sent to the previous layer | $(n, d_{in})$ |
#
# The shapes are a check, not the reason: $\partial W$ must have $W$'s shape, and
# $X^\top G_Z$ is the only product of $X$ and $G_Z$ that has it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Softmax + cross-entropy: $(P - Y)/n$, derived
#
# The output layer of a classifier is $P = \mathrm{softmax}(Z)$ with the loss
# $L = -\frac1n \sum_n \log P_{n, y_n}$. Take one sample with logits $z$ and true class $c$:
#
# $$\log p_c = \log \frac{e^{z_c}}{\sum_k e^{z_k}} = z_c - \log \sum_k e^{z_k} .$$
#
# Differentiate with respect to one logit $z_j$: the first term gives $[j = c]$ (1 if $j$ is the
# true class, else 0); the second gives $\frac{e^{z_j}}{\sum_k e^{z_k}} = p_j$. So
#
# $$\frac{\partial (-\log p_c)}{\partial z_j} = p_j - [j = c] = p_j - y_j$$
#
# with $y$ the one-hot label. The mean over $n$ samples divides by $n$:
# $\partial L / \partial Z = (P - Y)/n$. Every wrong class is pushed down by its probability; the
# true class is pulled up by $1 - p_c$. Check it against finite differences on random logits:

# %%
Z_check = np.random.default_rng(1).normal(0, 2, size=(4, 3))  # 4 samples, 3 classes
labels_check = np.array([0, 2, 1, 2])
Y_check = np.eye(3)[labels_check]


def ce_of_logits():
    P_ = nn.softmax(Z_check)
    return -np.mean(np.log(P_[np.arange(4), labels_check]))


derived = (nn.softmax(Z_check) - Y_check) / len(Z_check)
numeric = nn.numerical_gradient(ce_of_logits, Z_check)
err_ce = nn.relative_error(derived, numeric)
print("(P - Y)/n, first row:   ", np.round(derived[0], 6))
print("finite differences, row:", np.round(numeric[0], 6))
print(f"relative error over all 12 entries: {err_ce:.1e}")
assert err_ce < 1e-8

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Our own forward and backward pass
#
# A two-layer network (tanh hidden layer, softmax output) for the three-class spirals, written
# out with nothing but NumPy. Each line of `backward` is one row of the table above, starting
# from $(P - Y)/n$ and working back to the first layer:

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
# `nnlib.nn.Sequential` does exactly these steps, one layer object at a time
# (`Dense.backward`, `Activation.backward`, and the $(P - Y)/n$ shortcut in
# `Sequential.backward_from_loss`); you will write such layers yourself in Exercise 3. Give it
# our weights and compare:

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
start = time.perf_counter()
model.loss_and_grads(X, Y)  # backprop: one forward and one backward pass
t_backprop = time.perf_counter() - start
start = time.perf_counter()
errors = nn.gradient_check(model, X, Y)  # one relative error per parameter array
t_check = time.perf_counter() - start
for name, err in zip(["W1", "b1", "W2", "b2"], errors):
    print(f"{name}: relative error {err:.1e}")
print(f"{model.count_params()} parameters; backprop {t_backprop * 1e3:.2f} ms, ", end="")
print(
    f"the finite-difference check {t_check * 1e3:.0f} ms ({t_check / t_backprop:.0f} times longer)"
)
assert max(errors) < 1e-6
assert model.count_params() == 99 and t_check > t_backprop


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
# **Predict first:** the finite difference becomes the derivative as $\varepsilon \to 0$. So
# should the *smallest* $\varepsilon$ give the smallest error? And does it matter whether the
# network computes in float64 or float32? The next cell sweeps $\varepsilon$ from $10^{-10}$ to
# $10^{-1}$ for the same network in both precisions.

# %%
eps_values = np.logspace(-10, -1, 19)
curves = {}
for dtype in ["float64", "float32"]:
    m = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(3, "softmax")], dtype=dtype)
    m.compile(nn.SGD(0.1), loss="categorical_crossentropy")
    m.set_weights([W1, b1, W2, b2])
    curves[dtype] = [max(nn.gradient_check(m, X[:40], Y[:40], eps=e)) for e in eps_values]

fig, ax = plt.subplots(figsize=(8, 4.5))
for (dtype, errs), color, style, marker in zip(curves.items(), OKABE_ITO, ["-", "--"], "os"):
    ax.loglog(eps_values, errs, style, marker=marker, color=color, label=dtype)
ax.axhline(1e-6, color="gray", lw=1, linestyle=":", label="threshold 1e-6")
ax.set(
    title="Gradient check: relative error vs step size ε",
    xlabel="step size ε",
    ylabel="max relative error",
)
# every second decade on x, every third on y: readable in the classroom style too
ax.xaxis.set_major_locator(mticker.FixedLocator([1e-9, 1e-7, 1e-5, 1e-3, 1e-1]))
ax.yaxis.set_major_locator(mticker.FixedLocator([1e-10, 1e-7, 1e-4, 1e-1]))
ax.xaxis.set_minor_locator(mticker.NullLocator())
ax.yaxis.set_minor_locator(mticker.NullLocator())
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
plt.show()
best = {}
for dtype, errs in curves.items():
    i = int(np.argmin(errs))
    best[dtype] = (eps_values[i], errs[i])
    print(f"{dtype}: best relative error {errs[i]:.1e} at eps = {eps_values[i]:.0e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Answer.**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# No: the error falls, reaches a best $\varepsilon$, and rises again. Two errors
# pull in opposite directions. The *truncation* error of the formula grows like $\varepsilon^2$
# (the right branch: ten times larger $\varepsilon$, a hundred times larger error). The
# *round-off* error grows like $u/\varepsilon$, where $u$ is the machine precision: the two
# losses $L(\theta \pm \varepsilon)$ are each rounded by about $u$, and their tiny difference is
# divided by $2\varepsilon$ (the left branch). The sum $\varepsilon^2 + u/\varepsilon$ is smallest
# near $\varepsilon \approx u^{1/3}$, where the error is about $u^{2/3}$. And yes, the precision
# matters: float32's $u$ is far larger than float64's, and so is its best error (the next cell
# prints both).
#
# </details>
#
# The prediction $\varepsilon \approx u^{1/3}$, error $\approx u^{2/3}$, against the measurement:

# %%
for dtype in ["float64", "float32"]:
    u = float(np.finfo(dtype).eps)
    eps_best, err_best = best[dtype]
    print(
        f"{dtype}: u = {u:.1e}.  Predicted: eps ~ {u ** (1 / 3):.0e}, error ~ {u ** (2 / 3):.0e}.",
        end="",
    )
    print(f"  Measured: eps = {eps_best:.0e}, error {err_best:.1e}")
    assert 0.1 < eps_best / u ** (1 / 3) < 10 and 0.1 < err_best / u ** (2 / 3) < 10
assert best["float64"][1] < 1e-9 < 1e-6 < best["float32"][1]
print(f"float64's best is {1e-6 / best['float64'][1]:.0e} times below the threshold 1e-6; ", end="")
print(f"float32's best is {best['float32'][1] / 1e-6:.0f} times above it")

# %% [markdown]
# That is why gradient checks run in **float64**. Its best error (about $10^{-10}$) is more
# than a thousand times below the usual threshold of $10^{-6}$, and a real bug gives $10^{-2}$ or
# more (the missing $1/n$ above gave more than $0.5$): correct and wrong code are a factor of a
# million apart. In float32 even the best $\varepsilon$ leaves an error *above* the threshold
# (printed above): a correct gradient fails the check, and a bug whose relative error is
# $10^{-4}$ looks like round-off.

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
# Section 3 derived $\partial L/\partial Z = (P - Y)/n$ for $P = \mathrm{softmax}(Z)$ and
# $L = -\frac1n\sum_n \log P_{n, y_n}$. Implement it as `softmax_ce_backward(logits, labels)` for
# **integer** labels (no one-hot matrix given), computing the softmax yourself (not
# `nn.softmax`). It must stay finite for large logits such as `[1000, 0]`.


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
# ### Exercise 3 — layers with `forward` and `backward`: build backprop yourself
#
# This is how `nnlib.nn`, Keras and PyTorch are organised (and micrograd, one number at a time):
# every layer is an object with two methods.
#
# * `forward(x)` computes the layer's output **and remembers** what its backward pass will need;
# * `backward(grad_out)` receives $\partial L/\partial(\text{its output})$, **stores** the
#   gradients of its own parameters, and **returns** $\partial L/\partial(\text{its input})$ —
#   which is the `grad_out` of the layer before it.
#
# The backward pass of a whole network is then a loop over the layers in **reverse** order.
# Write the methods of `Dense` (no activation: $z = xW + b$, the table of section 3) and `ReLU`
# ($\max(0, z)$, whose derivative is 1 where $z > 0$ and 0 elsewhere), and `backward_pass`.
# `forward_pass` is given — the reverse loop mirrors it.
#
# `check("05.layers", backward_pass)` tests your `Dense` and `ReLU` on their own, then builds a
# small network from them (Dense 3→4, ReLU, Dense 4→2, mean squared error) and compares every
# gradient with `nnlib.nn`'s (to $10^{-8}$).


# %%
class Dense:
    """A fully connected layer without activation: z = x @ W + b."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        # BEGIN SOLUTION
        self.x = x  # the backward pass needs the input
        return x @ self.W + self.b
        # END SOLUTION

    def backward(self, grad_out):
        """grad_out = dL/dz, shape (batch, out). Store self.dW and self.db; return dL/dx."""
        # BEGIN SOLUTION
        self.dW = self.x.T @ grad_out
        self.db = grad_out.sum(axis=0)
        return grad_out @ self.W.T
        # END SOLUTION


class ReLU:
    """max(0, z), entry by entry."""

    def forward(self, z):
        # BEGIN SOLUTION
        self.mask = z > 0  # where the gradient may pass
        return np.where(self.mask, z, 0.0)
        # END SOLUTION

    def backward(self, grad_out):
        # BEGIN SOLUTION
        return grad_out * self.mask
        # END SOLUTION


def forward_pass(layers, x):
    for layer in layers:
        x = layer.forward(x)
    return x


def backward_pass(layers, grad):
    """Send dL/d(network output) back through all layers; return dL/d(network input)."""
    # BEGIN SOLUTION
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad
    # END SOLUTION


# %%
check("05.layers", backward_pass)

# %%
# hint("05.layers")  # solution("05.layers")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — find the bugs with a gradient check
#
# `buggy_grads` computes the loss and the four gradients of a ReLU network with a mean squared
# error — and has **bugs**. Do not hunt by reading: let the gradient check point at them.
# `gradient_report` compares each gradient with finite differences.
#
# **Predict first:** if the only bug were a missing factor 2 in $\partial L/\partial\,\text{out}$
# (every gradient half its true size), what relative error would every line of the report show?


# %%
def buggy_grads(X, T, W1, b1, W2, b2):
    """Loss and [dW1, db1, dW2, db2] of out = relu(X W1 + b1) W2 + b2, L = mean((out - T)^2)."""
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    out = A1 @ W2 + b2
    loss = np.mean((out - T) ** 2)
    d_out = (out - T) / out.size
    dW2 = A1.T @ d_out
    db2 = d_out.sum(axis=0)
    dA1 = d_out @ W2.T
    dZ1 = dA1 * (Z1 > 0)
    dW1 = X.T @ dZ1
    db1 = dA1.sum(axis=0)
    return loss, [dW1, db1, dW2, db2]


def gradient_report(grads_fn, seed=3):
    """Each gradient of grads_fn against finite differences, on random data."""
    rng = np.random.default_rng(seed)
    X_, T_ = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    params = [
        rng.normal(size=(3, 5)),
        rng.normal(size=5),
        rng.normal(size=(5, 2)),
        rng.normal(size=2),
    ]
    grads = grads_fn(X_, T_, *params)[1]
    report = {}
    for name, p, g in zip(["dW1", "db1", "dW2", "db2"], params, grads):
        numeric = nn.numerical_gradient(lambda: grads_fn(X_, T_, *params)[0], p)
        report[name] = nn.relative_error(g, numeric)
        print(f"{name}: relative error {report[name]:.2e}")
    return report


buggy_report = gradient_report(buggy_grads)

# %% [markdown]
# **Answer to the prediction:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# $\frac{|g - g/2|}{|g| + |g/2|} = \frac{1/2}{3/2} = \frac13$ — and three lines show exactly
# $0.333$: those gradients are only missing the factor 2. The fourth line is different: it has a
# second bug of its own.
#
# </details>
#
# Now write `fixed_grads` (copy the body of
# `buggy_grads` and fix it) until `gradient_report(fixed_grads)` shows errors below $10^{-6}$,
# then check it.

# %%
assert sum(abs(e - 1 / 3) < 1e-6 for e in buggy_report.values()) == 3
assert abs(buggy_report["db1"] - 1 / 3) > 0.01


# %%
def fixed_grads(X, T, W1, b1, W2, b2):
    # BEGIN SOLUTION
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    out = A1 @ W2 + b2
    loss = np.mean((out - T) ** 2)
    d_out = 2 * (out - T) / out.size  # the derivative of the square brings a factor 2
    dW2 = A1.T @ d_out
    db2 = d_out.sum(axis=0)
    dA1 = d_out @ W2.T
    dZ1 = dA1 * (Z1 > 0)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)  # b1 sits before the ReLU: its gradient is dZ1's, not dA1's
    return loss, [dW1, db1, dW2, db2]
    # END SOLUTION


# %%
check("05.debug_backward", fixed_grads)

# %%
# hint("05.debug_backward")  # solution("05.debug_backward")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A network is a **computational graph**. Forward: values left to right. Backward: gradients
#   right to left, each node multiplying by its *local* derivative (chain rule); where a value is
#   used twice, gradients **add**.
# * Vectorized, for a Dense layer — derived from $\partial L/\partial W_{ij} = \sum_n X_{ni} G_{nj}$:
#   $G_Z = G_A \odot f'(Z)$, $\;\partial W = X^\top G_Z$, $\;\partial b = \sum_{\text{rows}} G_Z$,
#   $\;\partial X = G_Z W^\top$; softmax + cross-entropy gives $G_Z = (P - Y)/n$. The shapes
#   check the formulas.
# * In code, each layer has `forward` (remember the input) and `backward` (store the parameter
#   gradients, return the input gradient); backprop is a loop over the layers in reverse.
# * **Gradient checking** with central finite differences (`nn.gradient_check`) in float64:
#   relative error $\approx 10^{-10}$ means correct, $> 10^{-2}$ means a bug. The best step
#   size balances truncation ($\varepsilon^2$) against round-off ($u/\varepsilon$); float32's
#   round-off is too large for the check.
# * TensorFlow's `GradientTape` is the same chain rule, automated: same weights, same gradients
#   ($< 10^{-5}$ in float32, $< 10^{-12}$ in float64).
# * Next lesson: put the gradients to work — **training** a network end to end.
