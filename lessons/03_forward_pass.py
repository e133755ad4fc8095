# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 03 — The forward pass
#
# **Learning goals** — after this lesson you can
#
# 1. write a layer of neurons as one matrix product, $Z = XW + \mathbf{b}$, for a whole batch at once;
# 2. predict (and check) the shape of every array in a network's forward pass;
# 3. name the input, hidden and output layers of a network and count its parameters;
# 4. build a small network with `nnlib.nn.Dense` / `Sequential` and give it your own weights;
# 5. solve XOR with hand-chosen weights — and see *how*: the hidden layer bends the space until a
#    straight line separates the classes; wire XOR from your own NAND, OR and AND neurons;
# 6. explain why the starting weights must be random (symmetry) and scaled to the layer's size
#    (Glorot, He), and which start `nnlib.nn.Dense` uses.
#
# **Estimated time:** 55–70 minutes.
#
# **Quick mode:** only the size of the noisy XOR data set (section 5) has a quick setting; every
# number the text claims holds in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

import ipywidgets as widgets

from nnlib import data, nn
from nnlib.show.diagram import draw_network
from nnlib.show.figures import describe
from nnlib.show.plotting import OKABE_ITO, plot_decision_boundary
from nnlib.widgets import release_note

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. From one neuron to a layer
#
# Lesson 01's neuron computes $z = \mathbf{x}\cdot\mathbf{w} + b$. A **layer** is several neurons that
# all read the same inputs, each with its own weights. Put neuron $j$'s weights in column $j$ of a
# matrix $W$ and its bias in entry $j$ of $\mathbf{b}$:
# $$\mathbf{z} = \mathbf{x}W + \mathbf{b}, \qquad \mathbf{x}: (n_\text{in}),\; W: (n_\text{in}, n_\text{out}),\; \mathbf{b}: (n_\text{out}),\; \mathbf{z}: (n_\text{out}).$$
# One matrix–vector product computes every neuron of the layer.

# %% slideshow={"slide_type": "subslide"}
x = np.array([1.0, 2.0])  # one example with 2 inputs
W = np.array([[0.5, -1.0, 0.0], [0.25, 1.0, -2.0]])  # 2 inputs -> 3 neurons (one per column)
b = np.array([0.0, 0.5, 1.0])

z_loop = np.array([x @ W[:, j] + b[j] for j in range(3)])  # neuron by neuron
z = x @ W + b  # the whole layer at once
print("x:", x.shape, " W:", W.shape, " b:", b.shape, " ->  z:", z.shape, z)
assert np.allclose(z, z_loop) and z.shape == (3,)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A whole batch at once
#
# We never feed one example at a time: a **batch** of $n$ examples is a matrix $X$ with one example per
# row. The same formula handles all of them:
# $$Z = XW + \mathbf{b}, \qquad X: (n, n_\text{in}),\; W: (n_\text{in}, n_\text{out}) \;\Rightarrow\; Z: (n, n_\text{out}).$$
# $\mathbf{b}$ has shape $(n_\text{out},)$ and is added to every row (NumPy *broadcasting*). Row $i$
# of $Z$ is exactly what the single-example formula gives for row $i$ of $X$.

# %% slideshow={"slide_type": "subslide"}
X = np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 3.0], [2.0, -1.0]])  # a batch of 4 examples
Z = X @ W + b
print(f"X {X.shape} @ W {W.shape} + b {b.shape}  ->  Z {Z.shape}")
for i in range(len(X)):
    assert np.allclose(Z[i], X[i] @ W + b)  # row i = the layer applied to example i
assert Z.shape == (4, 3)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read shapes like dominoes: $(4, \underline{2}) \cdot (\underline{2}, 3) \to (4, 3)$ — the inner
# numbers must match and disappear. Shape mismatches are the most common bug in neural network code,
# and NumPy tells you exactly which numbers disagree:

# %% slideshow={"slide_type": "subslide"}
try:
    W @ X  # the wrong order
except ValueError as err:
    print("ValueError:", err)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Layers: input, hidden, output
#
# A **network** chains layers: the output of one is the input of the next, with an activation in
# between (lesson 02 showed why it must be non-linear):
# $$H = f_1(XW_1 + \mathbf{b}_1), \qquad \hat Y = f_2(HW_2 + \mathbf{b}_2).$$
#
# * the **input layer** is just the data $X$ — no weights, no computation;
# * **hidden layers** compute intermediate features $H$ that nobody prescribes — the network chooses them;
# * the **output layer** gives the prediction $\hat Y$ (with the output activation of lesson 02).
#
# Computing $\hat Y$ from $X$, layer by layer, is the **forward pass**. Drawn with `nnlib.show.diagram.draw_network`:

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), width_ratios=[2, 3])
draw_network([2, 3, 1], ax=axes[0], title="A 2-3-1 network")
draw_network(
    [784, 128, 64, 10], ax=axes[1], max_neurons=8, title="An MNIST classifier: 784-128-64-10"
)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every line is one weight. Large layers are drawn in part ("⋮"): the right network has
# $784\cdot128 + 128\cdot64 + 64\cdot10$ weights — far too many lines to draw.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The forward pass in raw NumPy
#
# The 2-3-1 network with random weights, on a batch of 5 examples. Watch the shapes:

# %% slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(0)
X5 = rng.normal(size=(5, 2))
W1, b1 = rng.normal(size=(2, 3)), rng.normal(size=3)
W2, b2 = rng.normal(size=(3, 1)), rng.normal(size=1)

Z1 = X5 @ W1 + b1
H = nn.relu(Z1)  # hidden layer: ReLU
Z2 = H @ W2 + b2
Y_hat = nn.sigmoid(Z2)  # output layer: sigmoid -> probability of class 1

for name, arr in [
    ("X", X5),
    ("Z1 = X W1 + b1", Z1),
    ("H = relu(Z1)", H),
    ("Z2 = H W2 + b2", Z2),
    ("Y_hat = sigmoid(Z2)", Y_hat),
]:
    print(f"{name:<22} shape {arr.shape}")
assert H.shape == (5, 3) and Y_hat.shape == (5, 1)
assert np.all((Y_hat > 0) & (Y_hat < 1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same network with `nnlib.nn`
#
# `nnlib.nn.Dense(units, activation)` is exactly one such layer (`W` of shape (inputs, units), `b` of
# shape (units,)), and `Sequential` chains them — the names are Keras's, so lesson 07 will look
# familiar. `set_weights` takes our own arrays, in the order `[W1, b1, W2, b2]`:

# %% slideshow={"slide_type": "subslide"}
model = nn.Sequential(
    [nn.Dense(3, activation="relu", input_dim=2), nn.Dense(1, activation="sigmoid")],
    dtype="float64",
)
model.set_weights([W1, b1, W2, b2])
model.summary()

Y_model = model.predict(X5)
print("largest difference to the raw NumPy forward pass:", np.abs(Y_model - Y_hat).max())
assert np.allclose(Y_model, Y_hat)
assert model.count_params() == (2 * 3 + 3) + (3 * 1 + 1)  # weights + biases per layer

# %% [markdown] slideshow={"slide_type": "fragment"}
# Same numbers. `Sequential.forward` is a for-loop over the layers, and `Dense.forward` is one line,
# `x @ self.W + self.b`, then the activation — open `nnlib/nn/model.py` and `nnlib/nn/layers.py`
# and see.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Shapes through a real-sized network
#
# An MNIST classifier reads 28×28 images flattened to 784 numbers, and ends in a softmax over the 10
# digits. A batch of 32:

# %% slideshow={"slide_type": "subslide"}
mnist_net = nn.Sequential(
    [
        nn.Dense(128, activation="relu", input_dim=784),
        nn.Dense(64, activation="relu"),
        nn.Dense(10, activation="softmax"),
    ],
    seed=0,
)
batch = np.random.default_rng(1).uniform(0, 1, size=(32, 784)).astype("float32")
a = batch
print(f"input            {a.shape}")
shapes = []
for layer in mnist_net.layers:
    a = layer.forward(a)
    shapes.append(a.shape)
    print(
        f"Dense({layer.units:>3}, {layer.activation.name:<7}) {a.shape}   W {layer.W.shape}, b {layer.b.shape}"
    )
assert shapes == [(32, 128), (32, 64), (32, 10)]
assert np.allclose(a.sum(axis=1), 1.0, atol=1e-5)  # softmax: each row is a distribution
n_params = mnist_net.count_params()
print(f"parameters: {n_params:,}")
assert n_params == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10 == 109_386

# %% [markdown] slideshow={"slide_type": "fragment"}
# The batch size (32) passes through untouched; only the second dimension changes, from 784 features to
# 128, 64 and finally 10 class probabilities. Almost all of the 109,386 parameters sit in the first
# layer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. XOR by hand
#
# Lesson 01 proved that no single neuron computes XOR. Two hidden neurons and one output neuron do.
# The idea, with step activations:
#
# * hidden neuron 1 computes **OR**: $h_1 = \operatorname{step}(x_1 + x_2 - 0.5)$
# * hidden neuron 2 computes **AND**: $h_2 = \operatorname{step}(x_1 + x_2 - 1.5)$
# * the output computes "**OR but not AND**": $\hat y = \operatorname{step}(h_1 - h_2 - 0.5)$
#
# In matrix form: $W_1 = \begin{pmatrix}1 & 1\\1 & 1\end{pmatrix}$, $\mathbf{b}_1 = (-0.5, -1.5)$,
# $W_2 = \begin{pmatrix}1\\-1\end{pmatrix}$, $b_2 = -0.5$.

# %% slideshow={"slide_type": "subslide"}
X4, y4 = data.xor_data()
W1_xor = np.array([[1.0, 1.0], [1.0, 1.0]])
b1_xor = np.array([-0.5, -1.5])
W2_xor = np.array([[1.0], [-1.0]])
b2_xor = np.array([-0.5])

# raw NumPy
H4 = nn.step(X4 @ W1_xor + b1_xor)
y_hat4 = nn.step(H4 @ W2_xor + b2_xor).ravel()
print(" x1 x2 | h1 h2 | y_hat  XOR")
for (x1, x2), (h1, h2), p, t in zip(X4, H4, y_hat4, y4):
    print(f"  {x1:.0f}  {x2:.0f} |  {h1:.0f}  {h2:.0f} |   {p:.0f}     {t}")
assert np.array_equal(y_hat4, y4)  # 100 % right

# the same with nnlib.nn
xor_step = nn.Sequential(
    [nn.Dense(2, activation="step", input_dim=2), nn.Dense(1, activation="step")], dtype="float64"
)
xor_step.set_weights([W1_xor, b1_xor, W2_xor, b2_xor])
assert np.array_equal(xor_step.predict(X4).ravel(), y4)

# %% slideshow={"slide_type": "subslide"}
draw_network(
    [2, 2, 1],
    weights=[W1_xor, W2_xor],
    biases=[b1_xor, b2_xor],
    layer_labels=["input\n(x1, x2)", "hidden\n(OR, AND)", "output\n(XOR)"],
    title="XOR with hand-chosen weights",
)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. How the hidden layer bends the space
#
# Why does this work when one neuron cannot? Look at the data **as the output neuron sees it**: not
# $(x_1, x_2)$ but the hidden activations $(h_1, h_2)$. In that space, XOR *is* linearly separable.
#
# For a clearer picture we swap the step for a steep sigmoid, $\sigma(k z)$ with $k = 10$ (same weights,
# times $k$): the network is then smooth — the kind lessons 04–06 can train — and computes the same
# answers on the corners. And we use noisy XOR data (`nnlib.data.make_xor`) instead of four points.

# %% slideshow={"slide_type": "subslide"}
n_xor = pick(full=400, quick=200)
X_xor, y_xor = data.make_xor(n_samples=n_xor, noise=0.15, seed=0)


def xor_network(k=10.0, b1=(-0.5, -1.5)):
    """The hand-made XOR network with sigmoid activations of steepness k."""
    net = nn.Sequential(
        [nn.Dense(2, activation="sigmoid", input_dim=2), nn.Dense(1, activation="sigmoid")],
        dtype="float64",
    )
    net.set_weights([k * W1_xor, k * np.asarray(b1), k * W2_xor, k * b2_xor])
    return net


def xor_accuracy(k=10.0, b1=(-0.5, -1.5)):
    return float(np.mean((xor_network(k, b1).predict(X_xor).ravel() >= 0.5) == y_xor))


xor_smooth = xor_network(k=10.0)
assert np.array_equal((xor_smooth.predict(X4).ravel() >= 0.5).astype(int), y4)  # the 4 corners
acc_smooth = xor_accuracy(k=10.0)
print(f"hand-made network on {n_xor} noisy XOR points: accuracy {acc_smooth:.1%}")
assert acc_smooth >= 0.95


# %% slideshow={"slide_type": "subslide"}
def plot_hidden_space(k=10.0, b1=(-0.5, -1.5), axes=None):
    """Left: input space with the two hidden neurons' lines. Right: hidden space (h1, h2) with the
    output neuron's line. Returns the accuracy on the noisy XOR data."""
    net = xor_network(k, b1)
    hidden = net.layers[0].forward(X_xor)  # (n, 2): what the output neuron sees
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(11, 6))[1]
    ax_in, ax_h = axes
    for c, marker in ((0, "o"), (1, "s")):
        m = y_xor == c
        ax_in.scatter(*X_xor[m].T, s=14, color=OKABE_ITO[c], marker=marker, label=f"XOR = {c}")
        ax_h.scatter(*hidden[m].T, s=14, color=OKABE_ITO[c], marker=marker, label=f"XOR = {c}")
    xs = np.array([-0.6, 1.6])
    for j, (name, ls) in enumerate([("h1 (OR)", "-"), ("h2 (AND)", "--")]):
        ax_in.plot(xs, -b1[j] - xs, color=OKABE_ITO[2 + j], linestyle=ls, label=f"{name} = 0.5")
    hs = np.array([-0.1, 1.1])
    ax_h.plot(hs, hs - 0.5, color="black", label="output = 0.5")  # h1 - h2 - 0.5 = 0
    ax_in.set(xlim=(-0.6, 1.6), ylim=(-0.6, 1.6), xlabel="$x_1$", ylabel="$x_2$")
    ax_in.set_title("Input space:\nnot linearly separable")
    ax_h.set(xlim=(-0.1, 1.1), ylim=(-0.1, 1.1), xlabel="$h_1$ (OR neuron)")
    ax_h.set(ylabel="$h_2$ (AND neuron)", title="Hidden space:\none line separates")
    for ax in axes:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.24), ncol=2)  # below the x label
    acc = xor_accuracy(k, b1)
    ax_in.figure.suptitle(
        f"k = {k:g}, hidden biases {tuple(float(v) for v in b1)}: accuracy {acc:.1%}"
    )
    return acc


plot_hidden_space(k=10.0)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Left: the two hidden neurons each draw one line. Right: the same points after the hidden layer.
# All class-0 points — the two far-apart corners $(0,0)$ and $(1,1)$! — now sit in the bottom-left and the
# top-right corners, the class-1 points in the bottom-right corner, and the output neuron's single
# straight line separates them. **A hidden layer is a learned change of coordinates** that makes
# the problem easy for the next layer. Let's check that claim with numbers: in hidden space a linear
# classifier (the output neuron) is right on almost every point; in input space lesson 01 showed
# that none can get more than 3 of the 4 corners.

# %% slideshow={"slide_type": "subslide"}
H_xor = xor_smooth.layers[0].forward(X_xor)
out_line = (H_xor[:, 0] - H_xor[:, 1] - 0.5 >= 0).astype(int)  # the line drawn on the right
acc_hidden = np.mean(out_line == y_xor)
print(f"one straight line in hidden space: {acc_hidden:.1%} correct")
assert acc_hidden >= 0.95

# the best single straight line in INPUT space (a fine grid search, as in lesson 01)
angles = np.linspace(0, np.pi, 181)
best_line = 0.0
for t in angles:
    proj = X_xor @ np.array([np.cos(t), np.sin(t)])
    for c in np.quantile(proj, np.linspace(0, 1, 101)):
        hit = np.mean((proj >= c) == y_xor)
        best_line = max(best_line, hit, 1 - hit)
print(f"best single straight line in input space: {best_line:.1%} correct")
assert best_line < 0.8

# %% [markdown] slideshow={"slide_type": "subslide"}
# And the decision regions of the whole network in input space: the two hidden lines together carve
# out a diagonal band.

# %% slideshow={"slide_type": "subslide"}
plot_decision_boundary(
    lambda P: xor_smooth.predict(P),
    X_xor,
    y_xor,
    title=f"Hand-made XOR network: accuracy {acc_smooth:.1%}",
)
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Try it: bend the space yourself
#
# **Predict first, write your guesses down, then move the sliders** and watch both panels:
#
# * **k** (steepness): with small $k$ the sigmoids are soft and the hidden points no longer reach the
#   corners. Guess: below which $k$ does the network stop working — 1, 3 or 8? And why?
# * the **biases** of the two hidden neurons move their lines in input space. What happens to the
#   accuracy when both lines lie on the same side of a class-1 corner?
#
# The answers are under the widget.


# %%
def show_hidden_space(k=10.0, b1_1=-0.5, b1_2=-1.5):
    acc = plot_hidden_space(k, (b1_1, b1_2))
    plt.show()
    print(f"accuracy: {acc:.1%}")


slider = dict(continuous_update=False, step=0.1)
try_it = widgets.interactive(
    show_hidden_space,
    k=widgets.FloatSlider(value=10.0, min=0.5, max=20.0, description="k", **slider),
    b1_1=widgets.FloatSlider(value=-0.5, min=-2.5, max=0.5, description="b hidden 1", **slider),
    b1_2=widgets.FloatSlider(value=-1.5, min=-2.5, max=0.5, description="b hidden 2", **slider),
)
release_note(try_it)

# %% slideshow={"slide_type": "skip"}
# The widget calls plain functions - check the answers to the questions above.
acc_by_k = {k: xor_accuracy(k=k) for k in (1.0, 2.0, 3.0, 5.0, 10.0, 20.0)}
print("accuracy by k:", {k: f"{v:.0%}" for k, v in acc_by_k.items()})
assert acc_by_k[1.0] <= 0.55 and acc_by_k[2.0] <= 0.55
assert acc_by_k[3.0] >= 0.9 and acc_by_k[5.0] >= 0.95
# both hidden lines below (0,1) and (1,0): those corners look like (1,1) to the output neuron
acc_same_side = xor_accuracy(k=10.0, b1=(-0.5, -0.8))
print(f"both lines close to the origin: accuracy {acc_same_side:.1%}")
assert acc_same_side < acc_smooth - 0.3


# %% [markdown] slideshow={"slide_type": "fragment"}
# **The answers.**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# With $k \le 2$ the output is stuck on one side of 0.5: the hidden values $h_1 - h_2$ never
# exceed 0.5, so the output neuron never says "1" (accuracy 50 %). Around $k = 3$ it starts to
# work; from $k = 5$ on it is as good as the step version. When both lines lie on the same side
# of a class-1 corner, the hidden layer maps that corner to the same point as $(1,1)$, so the
# output neuron gets it wrong: the accuracy drops by more than 30 points (printed above).
#
# </details>
#
# In lesson 06 training (with the gradients of lesson 05) will find weights like these by itself.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Where the weights start: initialisation
#
# Above we chose every weight by hand. Training (lesson 06) instead *starts* from some weights and
# improves them step by step — so where it starts matters. Two things can go wrong.
#
# ### Symmetry: neurons that start equal stay equal
#
# **Predict first:** a 2-4-1 network on the noisy XOR data starts with *every* weight equal to
# 0.5. After 100 epochs of training, will its four hidden neurons have learned four different
# features, or still be four copies of one? Then run the cell (`compile` / `fit` train the network:
# lesson 06 opens them up; here they are a black box).

# %%
X_sym, y_sym = data.make_xor(n_samples=200, noise=0.15, seed=0)


def train_xor(equal_start):
    net = nn.Sequential(
        [nn.Dense(4, activation="tanh", input_dim=2), nn.Dense(1, activation="sigmoid")],
        dtype="float64",
        seed=0,
    )
    if equal_start:  # every weight 0.5, every bias 0
        net.set_weights([np.full((2, 4), 0.5), np.zeros(4), np.full((4, 1), 0.5), np.zeros(1)])
    net.compile(optimizer=nn.SGD(0.5), loss="binary_crossentropy")
    net.fit(X_sym, y_sym.reshape(-1, 1), epochs=100, batch_size=32)
    accuracy = float(np.mean((net.predict(X_sym).ravel() >= 0.5) == y_sym))
    return net.get_weights()[0], accuracy


for equal_start in (True, False):
    W1_trained, acc_trained = train_xor(equal_start)
    start_name = "all weights 0.5" if equal_start else "random (nnlib's default)"
    print(f"start: {start_name:<25} accuracy {acc_trained:.1%}; W1 after training:")
    print(W1_trained.round(2))
    same_columns = np.allclose(W1_trained, W1_trained[:, :1])
    if equal_start:
        acc_equal = acc_trained
        assert same_columns  # four identical hidden neurons: the gradients were identical too
    else:
        acc_random = acc_trained
        assert not same_columns
assert acc_equal < 0.8 < 0.95 < acc_random

# %% [markdown]
# **The answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# Still four copies. Neurons that compute the same thing receive the same gradient, so they change
# in the same way and never become different: the network behaves like one with a *single* hidden
# neuron, which cannot solve XOR (accuracy printed above). All-zero weights are the extreme case.
#
# </details>
#
# The cure is to start from **random** weights — each neuron gets its own.
#
# ### Scale: how large should the random weights be?
#
# **Predict first:** 10 ReLU layers of 256 neurons each, weights drawn with standard deviation 1.
# The input has standard deviation 1. After 10 layers, is the activations' standard deviation
# about 1, about 1000, or far beyond that? And with standard deviation 0.01?

# %%
width, depth = 256, 10
scales = {
    "std 1": 1.0,
    "std 0.01": 0.01,
    "std 1/√n (Glorot)": 1 / np.sqrt(width),
    "std √(2/n) (He)": np.sqrt(2 / width),
}
rng_init = np.random.default_rng(0)
X_deep = rng_init.normal(size=(500, width))
stds = {}
for name, scale in scales.items():
    a = X_deep
    stds[name] = [a.std()]
    for _ in range(depth):
        a = nn.relu(a @ rng_init.normal(0.0, scale, size=(width, width)))
        stds[name].append(a.std())
    print(f"{name:<20} std after {depth} layers: {stds[name][-1]:.3g}")

fig, ax = plt.subplots(figsize=(9, 4.8))
for (name, values), color, marker in zip(stds.items(), OKABE_ITO, "osD^"):
    ax.semilogy(range(depth + 1), values, marker=marker, color=color, label=name)
ax.set(
    title=f"Activations through {depth} ReLU layers\n({width} neurons each)",
    xticks=range(0, depth + 1, 2),
    xlabel="layer",
    ylabel="standard deviation (log)",
)
ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
describe(
    fig,
    "Standard deviation after 10 layers: "
    + ", ".join(f"{name} {values[-1]:.2g}" for name, values in stds.items())
    + ".",
)
plt.show()

assert stds["std 1"][-1] > 1e10  # explodes: each layer multiplies by about sqrt(n / 2) = 11
assert 10 < stds["std 1"][-1] ** (1 / depth) < 12.6
assert stds["std 0.01"][-1] < 1e-8  # vanishes: each layer multiplies by about 0.11
assert 0.5 < stds["std √(2/n) (He)"][-1] < 2  # stays
assert 0.01 < stds["std 1/√n (Glorot)"][-1] < 0.1  # halves its variance per ReLU layer

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# Far beyond 1000. With std 1 each layer multiplies the spread by about $\sqrt{n/2} \approx 11$
# (a sum of 256 random products; ReLU zeroes half of them), so after 10 layers the numbers are
# astronomically large — and with std 0.01 they vanish. Training cannot start from either.
#
# </details>
#
# The fix is to scale the weights with the layer's number of inputs $n$:
#
# * **Glorot (Xavier) initialisation**, std $\approx 1/\sqrt{n}$ (precisely $\sqrt{2/(n_\text{in} + n_\text{out})}$):
#   keeps the spread for layers without ReLU (tanh, sigmoid near 0, linear); through ReLU layers
#   it still shrinks slowly (by $\sqrt 2$ per layer, curve above);
# * **He initialisation**, std $\sqrt{2/n}$: the factor 2 makes up for the half that ReLU zeroes,
#   so the spread stays put through ReLU layers.
#
# `nnlib.nn.Dense` starts as Keras does: **Glorot uniform** weights (uniform in
# $\pm\sqrt{6/(n_\text{in} + n_\text{out})}$, which has exactly Glorot's std) and **zero biases** —
# zero biases are fine, the random weights already break the symmetry. `kernel_initializer=
# "he_normal"` gives He's. Checked:

# %%
rng_linear = np.random.default_rng(1)  # its own generator: the same numbers on every run
a = X_deep
for _ in range(depth):  # without an activation, Glorot's 1/sqrt(n) keeps the spread
    a = a @ rng_linear.normal(0.0, 1 / np.sqrt(width), size=(width, width))
print(f"10 layers without activation, std 1/√n: std {a.std():.3f}")
assert 0.5 < a.std() < 2

layer = nn.Dense(width, input_dim=width)
layer.build(width, np.random.default_rng(0), np.float64)
glorot_std = np.sqrt(2 / (width + width))
print(
    f"nnlib Dense({width}) on {width} inputs: W std {layer.W.std():.4f}, Glorot's {glorot_std:.4f}"
)
print(f"largest |W| {np.abs(layer.W).max():.4f} <= limit {np.sqrt(6 / (2 * width)):.4f}")
print(f"biases all zero: {not layer.b.any()}")
assert layer.kernel_initializer == "glorot_uniform" and not layer.b.any()
assert abs(layer.W.std() / glorot_std - 1) < 0.02
assert np.abs(layer.W).max() <= np.sqrt(6 / (2 * width))
he = nn.Dense(width, input_dim=width, kernel_initializer="he_normal")
he.build(width, np.random.default_rng(0), np.float64)
assert abs(he.W.std() / np.sqrt(2 / width) - 1) < 0.02

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Exercises
#
# ### Exercise 1 — debug a Dense layer that only works when it is square
#
# A classmate wrote `dense_forward_classmate(X, W, b)`: a Dense layer with ReLU activation for a
# batch `X` of shape `(batch, inputs)`, `W` of shape `(inputs, units)` and `b` of shape
# `(units,)`. They tested it on a layer with 3 inputs and 3 units, and the output had the right
# shape (next cell). **Predict first, without running anything:** (a) does it run on a layer
# with 2 inputs and 3 units? (b) are its values on the 3 → 3 layer right? Then find the bug and
# write `dense_forward(X, W, b)`, right for every layer size, returning `(batch, units)`. No
# loops. The cell after the check answers (a) and (b).


# %%
def dense_forward_classmate(X, W, b):
    return np.maximum(X @ W.T + b, 0)


rng_sq = np.random.default_rng(5)
X_sq, W_sq, b_sq = rng_sq.normal(size=(4, 3)), rng_sq.normal(size=(3, 3)), rng_sq.normal(size=3)
out_sq = dense_forward_classmate(X_sq, W_sq, b_sq)
print(f"the classmate's test, a 3 -> 3 layer on 4 examples: output shape {out_sq.shape}")
assert out_sq.shape == (4, 3)


# %%
def dense_forward(X, W, b):
    # BEGIN SOLUTION
    return np.maximum(X @ W + b, 0)
    # END SOLUTION


# %%
check("03.dense_forward", dense_forward)

# %% [markdown]
# <details><summary>Open after you have made your prediction.</summary>
#
# (a) No: for 2 inputs and 3 units `W` is $(2, 3)$, so `W.T` is $(3, 2)$, and `X @ W.T` needs
# 3 columns in `X`, which has 2. (b) No: `W[i, j]` is the weight from input $i$ to unit $j$, so
# unit $j$ must use column $j$ of `W`; `W.T` hands it row $j$ instead. On a square layer the
# shapes fit, so nothing complains — the values are simply wrong. The cell below measures both
# against `nn.Dense` with the same weights (run it after your check).
#
# </details>

# %%
layer_sq = nn.Dense(3, activation="relu")
layer_sq.build(3, np.random.default_rng(0), np.float64)
layer_sq.W[...], layer_sq.b[...] = W_sq, b_sq
try:
    dense_forward_classmate(X_sq[:, :2], rng_sq.normal(size=(2, 3)), b_sq)
    ran = True
except ValueError as err:
    ran = False
    print(f"(a) 2 -> 3: ValueError - {err}")
same_sq = np.allclose(out_sq, layer_sq.forward(X_sq))
print(f"(b) 3 -> 3: the classmate's values equal nn.Dense's: {same_sq}")
assert not ran and not same_sq

# %%
# hint("03.dense_forward")  # solution("03.dense_forward")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — predict the shapes
#
# A new network, not shown anywhere above: a batch of **50 colour images** of 32×32 pixels with
# 3 colour channels (red, green, blue), each flattened to one row, goes through `Dense(256)`,
# `Dense(100)` and `Dense(10)`. **On paper, without running anything:** what is the shape of each
# layer's weight matrix `W`, and of each layer's output? The cell after the check builds the
# network and prints them.

# %%
shapes_answer = {"W": [None, None, None], "output": [None, None, None]}
# BEGIN SOLUTION
shapes_answer = {
    "W": [(3072, 256), (256, 100), (100, 10)],
    "output": [(50, 256), (50, 100), (50, 10)],
}
# END SOLUTION

# %%
check("03.output_shapes", shapes_answer)

# %% [markdown]
# The answer, computed (run it after your check):

# %%
colour_net = nn.Sequential(
    [
        nn.Dense(256, activation="relu", input_dim=32 * 32 * 3),
        nn.Dense(100, activation="relu"),
        nn.Dense(10, activation="softmax"),
    ],
    seed=0,
)
a = np.zeros((50, 32 * 32 * 3), dtype="float32")  # 50 flattened colour images
for layer in colour_net.layers:
    a = layer.forward(a)
    print(f"Dense({layer.units:>3}): W {layer.W.shape}, output {a.shape}")
assert [layer.W.shape for layer in colour_net.layers] == [(3072, 256), (256, 100), (100, 10)]
assert a.shape == (50, 10)


# %%
# hint("03.output_shapes")  # solution("03.output_shapes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — counting parameters
#
# Write `count_params(layer_sizes)`: the number of weights **and** biases of a fully connected network
# with the given layer sizes, input first. Example: `count_params([2, 3, 1])` is
# $2\cdot3 + 3 + 3\cdot1 + 1 = 13$.


# %%
def count_params(layer_sizes):
    # BEGIN SOLUTION
    pairs = zip(layer_sizes[:-1], layer_sizes[1:])
    return sum(n_in * n_out + n_out for n_in, n_out in pairs)
    # END SOLUTION


# %%
check("03.count_params", count_params)

# %%
# hint("03.count_params")  # solution("03.count_params")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — XOR from your own neurons
#
# Section 3 built XOR as "OR but not AND". Here is another way: **XOR = AND(NAND, OR)** — check it
# on the four corners on paper first. Choose the weights $(w_1, w_2, b)$ of three step neurons
# (output 1 where $w_1 x_1 + w_2 x_2 + b \ge 0$): a **NAND** neuron (lesson 01's exercise 3), an
# **OR** neuron and an **AND** neuron. `wire_xor` below puts NAND and OR in the hidden layer and
# AND at the output of a 2-2-1 `nn.Sequential`, and prints the truth table of *your* network.


# %%
def wire_xor(gates):
    """A 2-2-1 step network: hidden = (NAND, OR), output = AND of the hidden values."""
    (n1, n2, nb), (o1, o2, ob), (a1, a2, ab) = gates["NAND"], gates["OR"], gates["AND"]
    net = nn.Sequential(
        [nn.Dense(2, activation="step", input_dim=2), nn.Dense(1, activation="step")],
        dtype="float64",
    )
    W1, b1 = np.array([[n1, o1], [n2, o2]]), np.array([nb, ob])  # one column per hidden neuron
    net.set_weights([W1, b1, np.array([[a1], [a2]]), np.array([ab])])
    return net


my_gates = {"NAND": None, "OR": None, "AND": None}  # each: (w1, w2, b)
# BEGIN SOLUTION
my_gates = {"NAND": (-1.0, -1.0, 1.5), "OR": (1.0, 1.0, -0.5), "AND": (1.0, 1.0, -1.5)}
# END SOLUTION

# %%
check("03.xor_gates", my_gates)

# %%
# hint("03.xor_gates")  # solution("03.xor_gates")

# %% [markdown]
# Your network's truth table (it works once the check passes):

# %%
if all(isinstance(my_gates[k], (tuple, list)) for k in ("NAND", "OR", "AND")):
    my_xor = wire_xor(my_gates)
    hidden_mine = my_xor.layers[0].forward(X4)
    out_mine = my_xor.predict(X4).ravel()
    print(" x1 x2 | NAND OR | AND = output   XOR")
    for (x1, x2), (h1, h2), o, t in zip(X4, hidden_mine, out_mine, y4):
        print(f"  {x1:.0f}  {x2:.0f} |   {h1:.0f}   {h2:.0f} |      {o:.0f}         {t}")
    print("all four right" if np.array_equal(out_mine, y4) else "not XOR yet: see the check")
else:
    print("Set my_gates above first (three numbers per neuron).")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A layer is one matrix product: $Z = XW + \mathbf{b}$ with $X: (n, n_\text{in})$,
#   $W: (n_\text{in}, n_\text{out})$, $\mathbf{b}: (n_\text{out})$ broadcast over the rows, then an
#   activation. The whole batch goes through at once.
# * Follow the shapes: the batch dimension stays, the feature dimension changes layer by layer.
# * A network = input layer (the data), hidden layers, output layer. Parameters per Dense layer:
#   $n_\text{in}\cdot n_\text{out} + n_\text{out}$.
# * `nnlib.nn.Dense` / `Sequential` do exactly the raw NumPy forward pass; `set_weights` lets you
#   choose the weights yourself.
# * Two hidden neurons (OR, AND) plus one output neuron solve XOR: **the hidden layer maps the data to
#   a space where the classes are linearly separable**.
# * Training starts from **random** weights (equal weights keep hidden neurons identical) scaled
#   to the layer's inputs: std 1 explodes through 10 layers, std 0.01 vanishes, **Glorot**
#   ($1/\sqrt n$, nnlib's and Keras's default) and **He** ($\sqrt{2/n}$, for ReLU) keep the spread.
# * Next: lesson 04 — how to measure how wrong a network is (loss) and improve its weights by
#   gradient descent, instead of choosing them by hand.
