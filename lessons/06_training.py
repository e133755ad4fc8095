# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 06 — Training a network
#
# Lessons 04 and 05 gave us the two ingredients: a loss with its gradient (backpropagation) and
# a way to walk downhill (an optimizer). Training is the loop that repeats them: **forward, loss,
# backward, update** — over and over, on shuffled mini-batches, for several epochs.
#
# **Learning goals** — after this lesson you can
#
# 1. write the complete training loop (epochs, shuffling, mini-batches) yourself;
# 2. train the same way in one line with `Sequential.fit`, and read its loss and accuracy curves;
# 3. tell from a loss curve whether the learning rate is too small, good, too large or
#    diverging, and recognise overfitting in the training and validation curves;
# 4. watch a decision boundary form, and fix a network that does not learn (the playground);
# 5. train XOR from scratch in pure NumPy — and see that training can get stuck.
#
# **Estimated time:** 90–110 minutes. Quick mode (`NNLIB_QUICK=1`) uses smaller data sets for the
# moons and spirals (cells with `pick(full=..., quick=...)`); every check holds in both modes.
#
# Cells marked **Predict first** ask a question before the cell that answers it: write your
# guess down, then run the cell.

# %% slideshow={"slide_type": "skip"}
import time

import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, data, hint, nn, pick, solution
from nnlib.show.figures import describe
from nnlib.show.plotting import CLASS_MARKERS, OKABE_ITO, plot_decision_boundary, plot_history
from nnlib.widgets import Playground

nnlib.start_lesson(seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The training loop, written out
#
# Data: two interleaving half moons, 2 inputs, label 0 or 1. Model: 2 → 16 tanh → 1 sigmoid,
# built from nnlib's layers. One **epoch** is one pass over all samples; within an epoch we
# **shuffle**, cut the data into **mini-batches** of 32, and for each batch do the four steps.
#
# Why shuffle? Without it every epoch sees the batches in the same order, and if the data are
# sorted (all class 0 first) the steps pull the weights back and forth between classes.

# %%
n_moons = pick(full=400, quick=200)  # quick mode: fewer samples
X, y = data.make_moons(n_moons, noise=0.1, seed=0)
y_col = y.reshape(-1, 1).astype(float)  # the sigmoid output has shape (n, 1)

model = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], seed=0)
model.compile(optimizer=nn.SGD(0.3, momentum=0.9), loss="binary_crossentropy")
rng = np.random.default_rng(0)
epochs, batch_size = 30, 32
epoch_losses = []

for epoch in range(epochs):
    order = rng.permutation(len(X))  # shuffle once per epoch
    batch_losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        Xb, yb = X[idx], y_col[idx]
        out = model.forward(Xb, training=True)  # 1. forward
        loss = model.loss_fn(yb, out)  # 2. loss
        model.backward(model.loss_grad(yb, out))  # 3. backward: every layer stores its gradients
        model.optimizer.update(model.params(), model.grads())  # 4. update
        batch_losses.append(loss)
    epoch_losses.append(np.mean(batch_losses))
    if epoch % 10 == 0 or epoch == epochs - 1:
        print(f"epoch {epoch + 1:>2}: loss {epoch_losses[-1]:.4f}")

moons_acc = np.mean((model.predict(X)[:, 0] > 0.5) == y)
print(f"training accuracy: {moons_acc:.1%}")
assert moons_acc > 0.97 and epoch_losses[-1] < epoch_losses[0] / 5

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].plot(np.arange(1, epochs + 1), epoch_losses, color=OKABE_ITO[0])
axes[0].set(
    title="Our loop: mean batch loss per epoch",
    xlabel="epoch",
    ylabel="binary cross-entropy",
    yscale="log",
)
plot_decision_boundary(
    model.predict, X, y, ax=axes[1], title=f"Moons after {epochs} epochs ({moons_acc:.0%})"
)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The same loop in one line: `fit`
#
# `Sequential.fit` is the loop above plus bookkeeping: it checks the shapes of `X` and `y`,
# records the loss and accuracy per epoch in a `History`, evaluates on validation data, calls
# callbacks, and stops with a clear message if the loss becomes NaN. Keras has the same method
# with the same arguments — lesson 07 is the same code with `keras.` in front.
#
# Harder data: three interleaved **spirals**. A straight line cannot separate them, so the
# network needs at least one hidden layer; we start with two of 64 ReLU units. We keep 20 % of
# the points aside (the **validation** set) to see how well the model does on points it never
# trained on — section 5 shows why that matters.

# %%
n_spirals = pick(full=300, quick=150)  # quick mode: fewer points
X_s, y_s = data.make_spirals(n_spirals, n_classes=3, noise=0.2, seed=0)
(X_train, y_train), (X_val, y_val) = data.train_val_split(X_s, y_s, val_fraction=0.2, seed=0)

spiral_model = nn.Sequential(
    [nn.Dense(64, "relu", input_dim=2), nn.Dense(64, "relu"), nn.Dense(3, "softmax")], seed=0
)
spiral_model.compile(
    optimizer=nn.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
spiral_model.summary()

t0 = time.perf_counter()
history = spiral_model.fit(
    X_train, y_train, epochs=200, batch_size=32, validation_data=(X_val, y_val)
)
seconds = time.perf_counter() - t0
train_loss, train_acc = spiral_model.evaluate(X_train, y_train)
val_loss, val_acc = spiral_model.evaluate(X_val, y_val)
print(
    f"200 epochs in {seconds:.2f} s: training accuracy {train_acc:.1%}, validation accuracy {val_acc:.1%}"
)
assert train_acc >= 0.95 and val_acc >= 0.9

# %% [markdown] slideshow={"slide_type": "subslide"}
# `plot_history` draws what `fit` recorded. The training curve is an average over each epoch's
# batches (measured before each step, as in Keras), so it is a little noisier than the
# validation curve.

# %%
plot_history(history, title="Spirals, 2-64-64-3")
plt.show()
assert history.history["loss"][-1] < history.history["loss"][0] / 5

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Do we need two hidden layers?
#
# **Predict first:** the same training with only **one** hidden layer of 64 units (387
# parameters instead of 4 547). Will its validation accuracy be clearly lower, about the same,
# or higher? Write your guess down, then run the cell.

# %%
one_layer = nn.Sequential([nn.Dense(64, "relu", input_dim=2), nn.Dense(3, "softmax")], seed=0)
one_layer.compile(
    optimizer=nn.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
one_layer.fit(X_train, y_train, epochs=200, batch_size=32)
one_train_acc = one_layer.evaluate(X_train, y_train)[1]
one_val_acc = one_layer.evaluate(X_val, y_val)[1]
print(
    f"2-64-64-3 ({spiral_model.count_params()} parameters): training {train_acc:.1%}, validation {val_acc:.1%}"
)
print(
    f"2-64-3    ({one_layer.count_params()} parameters):  training {one_train_acc:.1%}, validation {one_val_acc:.1%}"
)
assert abs(one_train_acc - train_acc) <= 0.02 and abs(one_val_acc - val_acc) <= 0.02

# %% [markdown]
# **Answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# About the same — here one hidden layer of 64 is enough (the printed numbers). A second layer is
# not what the spirals need; enough bends in the boundary are, and 64 ReLU units give plenty.
#
# </details>
#
# How *few* parameters still do the job is exercise 4.


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Watching the boundary form
#
# A callback is any object with an `on_epoch_end(epoch, logs)` method; `fit` calls it after
# every epoch. This one keeps a copy of the weights at a few chosen epochs, so we can draw the
# decision boundary as it was then — six small multiples of one training run.


# %%
class Snapshots:
    def __init__(self, model, at_epochs):
        self.model, self.at, self.weights = model, set(at_epochs), {0: model.get_weights()}

    def on_epoch_end(self, epoch, logs):
        if epoch + 1 in self.at:
            self.weights[epoch + 1] = self.model.get_weights()


movie_model = nn.Sequential(
    [nn.Dense(64, "relu", input_dim=2), nn.Dense(64, "relu"), nn.Dense(3, "softmax")], seed=1
)
movie_model.compile(
    optimizer=nn.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
snaps = Snapshots(movie_model, at_epochs=[2, 10, 30, 80, 200])
movie_model.fit(X_train, y_train, epochs=200, batch_size=32, callbacks=[snaps])

fig, axes = plt.subplots(2, 3, figsize=(12, 7.5))
accs = {}
for ax, (epoch, weights) in zip(axes.flat, snaps.weights.items()):
    movie_model.set_weights(weights)
    accs[epoch] = movie_model.evaluate(X_train, y_train)[1]
    plot_decision_boundary(
        movie_model.predict,
        X_train,
        y_train,
        ax=ax,
        resolution=pick(full=120, quick=60),
        title=f"epoch {epoch}: accuracy {accs[epoch]:.0%}",
    )
    ax.get_legend().remove()
fig.suptitle("The decision boundary of one training run, over the epochs")
plt.show()
print({e: round(a, 3) for e, a in accs.items()})
assert accs[200] > accs[10] > accs[0] and accs[200] >= 0.95

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. When training goes wrong: the learning rate
#
# So far every run went well. Most runs you will meet do not, and the loss curve is where you see
# why. Here is the spirals network of section 2 four times, from the same starting weights, with
# plain SGD and four learning rates: 0.001, 0.3, 2 and 30.
#
# **Predict first:** which curve ends lowest? Which one ends barely below where it started? And
# which one never even gets below the loss of guessing (ln 3 ≈ 1.10 for three classes — the
# loss of a network that says ⅓, ⅓, ⅓ for every point)?

# %%
lr_runs = {"too small": 0.001, "good": 0.3, "too large": 2.0, "diverging": 30.0}
lr_losses, lr_nets = {}, {}  # the networks are kept: section 4 counts their dead units
for regime, lr in lr_runs.items():
    net = nn.Sequential(
        [nn.Dense(64, "relu", input_dim=2), nn.Dense(64, "relu"), nn.Dense(3, "softmax")], seed=0
    )
    net.compile(optimizer=nn.SGD(lr), loss="sparse_categorical_crossentropy")
    lr_losses[regime] = np.array(
        net.fit(X_train, y_train, epochs=200, batch_size=32).history["loss"]
    )
    lr_nets[regime] = net

guessing = np.log(3)
fig, ax = plt.subplots(figsize=(9, 5))
for i, (regime, losses) in enumerate(lr_losses.items()):
    ax.plot(
        np.arange(1, len(losses) + 1),
        losses,
        color=OKABE_ITO[i],
        marker=CLASS_MARKERS[i],
        markevery=20,
        label=f"{regime}: lr = {lr_runs[regime]:g}",
    )
ax.axhline(guessing, color="grey", linestyle=":", label="guessing: ln 3")
ax.set(xlabel="epoch", ylabel="training loss (cross-entropy, log scale)", yscale="log")
ax.set_title("Spirals, 2-64-64-3, plain SGD: four learning rates")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
for regime, losses in lr_losses.items():
    print(
        f"{regime:>10} (lr {lr_runs[regime]:>5g}): epoch 1 {losses[0]:.3f}, lowest "
        f"{losses.min():.3f}, last {losses[-1]:.3f}"
    )
describe(fig, "; ".join(f"{r}: last loss {v[-1]:.3f}" for r, v in lr_losses.items()) + ".")
plt.show()

# %% [markdown]
# **Answer — how to read the four curves:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# | the curve | what it means | what to do |
# |---|---|---|
# | falls, but hardly: still near ln 3 at the end | **too small**: each step is tiny | raise the learning rate ×10 (or train much longer) |
# | falls (with some noise from the mini-batches) to a low value | **good** | — |
# | falls at first, then jumps back up again and again and stays high | **too large**: the steps overshoot, and here they do not settle (in lesson 04's one-parameter valley an overshoot could still converge; a network's ReLUs can be knocked dead for good: counted below) | lower it ×3–10 |
# | jumps *above* ln 3 in the first epoch and stays | **diverging**: the first steps threw the weights so far that the network is confidently wrong | lower it ×10–100 |
#
# </details>
#
# The asserts below check each row on the measured curves.

# %%
small, good, large, diverging = (lr_losses[r] for r in lr_runs)
assert small[-1] > 0.9 * guessing and small[0] - small[-1] < 0.1  # too small: still high
assert good[-1] < 0.1  # good: low
assert large[-50:].mean() > 5 * good[-50:].mean()  # too large: ends high ...
jumps = {r: int((np.diff(v) > 0.1).sum()) for r, v in lr_losses.items()}  # epochs it rose by > 0.1
assert jumps["too large"] >= 10 and jumps["too large"] >= 3 * jumps["good"]  # ... jumping back up
assert diverging.min() > guessing  # diverging: never even as good as guessing
assert 4 < diverging.min() and diverging.max() < -np.log(1e-7)  # ... between 4 and the cap
print(
    f"too large: lowest loss {large.min():.3f}, mean of the last 50 epochs "
    f"{large[-50:].mean():.3f} (good: {good.min():.3f} and {good[-50:].mean():.3f}); the loss "
    f"rose by more than 0.1 in {jumps['too large']} epochs (good: {jumps['good']})"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Dead ReLUs, counted
#
# The "too large" row blames dead ReLUs. A hidden unit is **dead** when its ReLU outputs 0 for
# every training point (lesson 02, section 5): then every gradient of its weights is exactly 0,
# and gradient descent no longer moves them. We kept the networks of the four runs; here are the
# dead units of the good one and of the too-large one (both 2-64-64-3), on the training points.


# %%
def dead_units(net, X):
    """Per hidden ReLU layer: a mask of the units that output 0 for every row of X."""
    net.forward(X)
    return [(layer.z <= 0).all(axis=0) for layer in net.layers[:-1]]


n_hidden = sum(layer.units for layer in lr_nets["good"].layers[:-1])  # 64 + 64
dead = {regime: dead_units(lr_nets[regime], X_train) for regime in ("good", "too large")}
n_dead = {regime: sum(int(m.sum()) for m in masks) for regime, masks in dead.items()}
for regime, masks in dead.items():
    per_layer = " + ".join(str(int(m.sum())) for m in masks)
    print(
        f"{regime:>9} (lr {lr_runs[regime]:g}): {per_layer} = {n_dead[regime]} of {n_hidden} dead"
    )
assert n_dead["good"] <= n_hidden / 5 and n_dead["too large"] >= 3 / 4 * n_hidden
# on the whole training set (so on every mini-batch too) each dead unit's gradients are exactly 0
lr_nets["too large"].loss_and_grads(X_train, y_train)
for layer, mask in zip(lr_nets["too large"].layers, dead["too large"]):
    assert not layer.dW[:, mask].any() and not layer.db[mask].any()

# %% [markdown]
# At the good rate a few units are dead (at most one in five); at a learning rate of 2 more than
# three quarters of the 128 are, and every gradient into them is exactly 0. A dead unit of the
# first layer is dead for good: its input, the data, never changes. One of the second layer could
# only come back if the layer below it changed. Either way, the network that is left is far
# smaller than the one we built.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### When the loss becomes infinite
#
# Why does the diverging curve stay between about 4 and 10 instead of going to infinity? nnlib's
# cross-entropy (like Keras's) clips the predicted probabilities at 10⁻⁷, so it can never exceed
# −ln 10⁻⁷ ≈ 16. A loss without such a cap — the mean squared error of lesson 04 — just keeps
# growing. The same mistake, a learning rate of 2, on a small regression network (1 input → 16
# ReLU → 1 output): every epoch multiplies the loss by a thousand or more, within about ten epochs
# it overflows float32 (infinity), and `fit` stops with a message (naming the epoch) instead of
# training on with NaN.

# %%
X_reg, y_reg = data.make_regression_1d(100, seed=0)
reg = nn.Sequential([nn.Dense(16, "relu", input_dim=1), nn.Dense(1)], seed=0)
reg.compile(optimizer=nn.SGD(2.0), loss="mse")
with np.errstate(over="ignore"):  # NumPy would warn about the overflow too; fit says it in words
    reg_history = reg.fit(X_reg, y_reg, epochs=100, batch_size=32)
reg_losses = np.array(reg_history.history["loss"])
print("loss per epoch:", ", ".join(f"{v:.1e}" for v in reg_losses))
assert reg_history.stopped_reason and "lower learning rate" in reg_history.stopped_reason
growth = reg_losses[1:] / reg_losses[:-1]
print(f"{len(reg_losses)} epochs recorded; growth per epoch ×{growth.min():.0f} or more")
assert len(reg_losses) < 15 and growth.min() > 1000  # a thousand times or more per epoch

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Overfitting: why we keep a validation set
#
# A network with many parameters and few, noisy training points can learn the points **by
# heart**: noise included. The training loss keeps falling, while the loss on points it never saw
# gets *worse*. Here: 60 very noisy moons, 30 for training and 30 for validation, and the
# network 2-64-64-2 (about 4 500 parameters: some 150 per training point) trained for 300
# epochs. A callback remembers the weights of the epoch with the lowest validation loss.
#
# **Predict first:** the training loss will fall all the way. What does the validation loss do —
# fall with it, flatten out, or turn around and rise?

# %%
X_few, y_few = data.make_moons(60, noise=0.5, seed=0)
(X_few_train, y_few_train), (X_few_val, y_few_val) = data.train_val_split(
    X_few, y_few, val_fraction=0.5, seed=0
)


class KeepBest:
    """Remember the weights of the epoch with the lowest validation loss."""

    def __init__(self, model):
        self.model, self.best_loss, self.best_epoch = model, np.inf, 0

    def on_epoch_end(self, epoch, logs):
        if logs["val_loss"] < self.best_loss:
            self.best_loss, self.best_epoch = logs["val_loss"], epoch + 1
            self.weights = self.model.get_weights()


big = nn.Sequential(
    [nn.Dense(64, "relu", input_dim=2), nn.Dense(64, "relu"), nn.Dense(2, "softmax")], seed=0
)
big.compile(optimizer=nn.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
keep = KeepBest(big)
over = big.fit(
    X_few_train, y_few_train, epochs=300, batch_size=16,
    validation_data=(X_few_val, y_few_val), callbacks=[keep],
).history  # fmt: skip
last_weights = big.get_weights()

fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
ep = np.arange(1, len(over["loss"]) + 1)
axes[0].plot(ep, over["loss"], color=OKABE_ITO[0], marker="o", markevery=25, label="training")
axes[0].plot(ep, over["val_loss"], color=OKABE_ITO[1], marker="s", markevery=25, label="validation")
axes[0].axvline(
    keep.best_epoch, color="grey", linestyle=":", label=f"best epoch ({keep.best_epoch})"
)
axes[0].set(
    title="Loss: training falls, validation turns",
    xlabel="epoch",
    ylabel="cross-entropy (log scale)",
    yscale="log",
)
axes[0].legend()
few_acc = {}
for ax, (name, weights) in zip(axes[1:], [("best", keep.weights), ("last", last_weights)]):
    big.set_weights(weights)
    few_acc[name] = (
        big.evaluate(X_few_train, y_few_train)[1],
        big.evaluate(X_few_val, y_few_val)[1],
    )
    epoch_shown = keep.best_epoch if name == "best" else len(ep)
    plot_decision_boundary(
        big.predict, X_few_train, y_few_train, ax=ax, resolution=pick(full=150, quick=80),
        title=f"epoch {epoch_shown}: training {few_acc[name][0]:.0%},\nvalidation {few_acc[name][1]:.0%}",
    )  # fmt: skip
big.set_weights(last_weights)
fig.suptitle(f"{len(X_few_train)} noisy training points, {big.count_params()} parameters")
describe(
    fig,
    f"Validation loss lowest at epoch {keep.best_epoch} ({keep.best_loss:.2f}), "
    f"{over['val_loss'][-1]:.2f} at epoch {len(ep)}; the last boundary bends around single "
    f"training points.",
)
plt.show()
print(
    f"best epoch {keep.best_epoch}: training loss {over['loss'][keep.best_epoch - 1]:.3f}, "
    f"validation loss {keep.best_loss:.3f}"
)
print(
    f"last epoch {len(ep)}: training loss {over['loss'][-1]:.4f}, validation loss {over['val_loss'][-1]:.3f}"
)
print(
    "accuracy (training, validation): best epoch "
    f"{few_acc['best'][0]:.1%}, {few_acc['best'][1]:.1%}; last {few_acc['last'][0]:.1%}, "
    f"{few_acc['last'][1]:.1%}"
)

# %% [markdown]
# **Answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# It turns around. Until the best epoch both losses fall — the network learns the
# moons. After it, the training loss keeps falling by memorising single points: the last boundary
# (right; the dots are the training points) grows tongues around points that the noise put on
# the wrong side, until every training point is right.
# Those bends are wrong for new points, so the validation loss rises. Without a validation set
# you would see only the falling training curve and believe the last epoch is the best.
#
# </details>
#
# The remedies: more data, a smaller network, stopping at the best epoch (**early stopping** —
# our `KeepBest` does it by hand), or regularisation. Lesson 08 does the last two in Keras
# (`EarlyStopping`, dropout, L2).

# %%
gap = np.array(over["val_loss"]) - np.array(over["loss"])
assert keep.best_epoch < len(ep) / 2  # the validation minimum comes long before the last epoch
assert over["loss"][-1] < over["loss"][keep.best_epoch - 1] / 2  # training loss still falls ...
assert over["val_loss"][-1] > 2 * keep.best_loss  # ... while validation loss rises
assert gap[-1] > 5 * max(gap[keep.best_epoch - 1], 0.05)  # the gap grows
assert few_acc["last"][0] > few_acc["best"][0] and few_acc["last"][1] < few_acc["best"][1]
assert len(X_few_train) == 30 and 4400 < big.count_params() < 4600  # "some 150 per point"
assert few_acc["last"][0] == 1.0  # every training point right, the noisy ones included
print(
    f"gap (validation − training loss): {gap[keep.best_epoch - 1]:.3f} at the best epoch, {gap[-1]:.3f} at the last"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. XOR from scratch
#
# No nnlib this time: the weights are four NumPy arrays, the backward pass is lesson 05's,
# and the update is plain gradient descent on all four samples at once. XOR is the problem a
# single neuron cannot solve (lesson 01); one hidden layer of 4 tanh neurons can.

# %%
X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_xor = np.array([[0], [1], [1], [0]], dtype=float)


def train_xor(seed, steps=1000, lr=1.0, hidden=4):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(0, 1, size=(2, hidden)), np.zeros(hidden)
    W2, b2 = rng.normal(0, 1, size=(hidden, 1)), np.zeros(1)
    for _ in range(steps):
        A1 = np.tanh(X_xor @ W1 + b1)  # forward
        P = nn.sigmoid(A1 @ W2 + b2)
        dZ2 = (P - y_xor) / 4  # backward: sigmoid + binary cross-entropy
        dW2, db2 = A1.T @ dZ2, dZ2.sum(axis=0)
        dZ1 = (dZ2 @ W2.T) * (1 - A1**2)
        dW1, db1 = X_xor.T @ dZ1, dZ1.sum(axis=0)
        W1 -= lr * dW1  # update
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    return P[:, 0]


t0 = time.perf_counter()
p_xor = train_xor(seed=1)
print(
    f"1000 steps in {time.perf_counter() - t0:.3f} s; outputs {p_xor.round(3)} for targets {y_xor[:, 0]}"
)
assert np.all((p_xor > 0.5) == y_xor[:, 0])  # 100 % accuracy

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training can get stuck
#
# **Predict first:** we run the same code from 8 different random starting weights (seeds 0–7).
# How many of the 8 will solve XOR with 4 hidden neurons? And with 16?

# %%
results = {seed: float(np.mean((train_xor(seed) > 0.5) == y_xor[:, 0])) for seed in range(8)}
print("accuracy per seed (4 hidden):", results)
wide = {
    seed: float(np.mean((train_xor(seed, hidden=16) > 0.5) == y_xor[:, 0])) for seed in range(8)
}
print("accuracy per seed (16 hidden):", wide)
assert min(results.values()) < 1.0  # at least one start gets stuck ...
assert sum(a == 1.0 for a in results.values()) >= 6  # ... but most succeed
assert sum(a == 1.0 for a in wide.values()) >= sum(a == 1.0 for a in results.values())
print(
    f"solved: {sum(a == 1.0 for a in results.values())} of 8 with 4 hidden neurons, "
    f"{sum(a == 1.0 for a in wide.values())} of 8 with 16"
)

# %% [markdown]
# **Answer:**
#
# <details><summary>Open after you have made your prediction.</summary>
#
# Most runs solve XOR, but not all (the printed counts). A run that fails ends in a
# **local minimum** or a flat region where two outputs sit near 0.5 and the gradient is almost
# zero — the loss curve is flat, like a learning rate that is too small, and a larger learning
# rate is no reliable way out (a big step may jump out of a flat region, or overshoot). Remedies:
# more hidden neurons (more ways down), momentum or Adam, or simply another seed.
#
# </details>
#
# Where the run starts is decided by how the first weights are drawn — their
# scale, and why they must not all be equal: see lesson 03's initialisation section.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Try it: fix the playground
#
# In the spirit of [TensorFlow Playground](https://playground.tensorflow.org): choose a data set,
# the number of hidden layers and neurons, the activation and the learning rate, then press
# **Train** — it trains *epochs per click* epochs while the boundary and the loss curve move,
# about 10 frames a second. The same button pauses and resumes; **Stop** ends the run. Changing a
# setting starts over with fresh weights (sliders apply when you release them).
#
# **This playground opens on a problem.** Its network has two hidden layers of 16 neurons and a
# sensible learning rate, yet it does **not** learn the spirals. Press **Train** and watch the
# boundary and the accuracy. Then find the one setting that is wrong and fix it with the
# controls — before you read the answer below the widget. (Stuck? What shape do the boundaries
# between the colours have, whatever you do?)

# %%
playground = Playground(dataset="spirals", hidden=(16, 16), activation="linear", learning_rate=0.01)
playground.show()

# %% [markdown]
# When it learns, try these — **predict first** what you will see, then look:
#
# * *xor* or *circles* with **0 hidden layers**: what accuracy can it reach at best?
# * *spirals* with 1 layer of 4 neurons, then 1 layer of 16 (ReLU): which one is enough?
# * the learning rate at 1 or more (section 4's table tells you what to expect).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Answer:**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# The activation was *linear*. A stack of linear layers is one linear map (lesson
# 02), so however many layers and neurons, the classes are split by straight lines and the
# spirals stay far from learned. With *relu* (or *tanh*) the same network learns them. The
# widget's buttons call plain methods, so we check both — and the three questions above: the
# circles need a hidden layer too; on the spirals one hidden layer of 16 is enough where 4 fall
# short; and a learning rate of 1 (with Adam, the playground's optimizer) is *too large*: the loss
# stays near ln 3 ≈ 1.10, the loss of guessing.
#
# </details>

# %%
epochs_pg = 50
broken = Playground(dataset="spirals", hidden=(16, 16), activation="linear", learning_rate=0.01)
broken.train(epochs_pg)
fixed = Playground(dataset="spirals", hidden=(16, 16), activation="relu", learning_rate=0.01)
fixed.train(epochs_pg)
print(f"spirals after {epochs_pg} epochs: linear {broken.accuracy:.0%}, relu {fixed.accuracy:.0%}")
assert broken.accuracy < 0.65 and fixed.accuracy > 0.95

flat = Playground(dataset="circles", hidden=(), learning_rate=0.03)
flat.train(epochs_pg)
deep = Playground(dataset="circles", hidden=(8,), activation="tanh", learning_rate=0.03)
deep.train(epochs_pg)
print(
    f"circles after {epochs_pg} epochs: no hidden layer {flat.accuracy:.0%}, one hidden layer of 8 {deep.accuracy:.0%}"
)
assert flat.accuracy < 0.75 and deep.accuracy > 0.95

narrow = Playground(dataset="spirals", hidden=(4,), activation="relu", learning_rate=0.01)
narrow.train(100)
enough = Playground(dataset="spirals", hidden=(16,), activation="relu", learning_rate=0.01)
enough.train(100)
too_fast = Playground(dataset="spirals", hidden=(16, 16), activation="relu", learning_rate=1.0)
too_fast.train(100)
print(
    f"spirals after 100 epochs: 1 layer of 4 {narrow.accuracy:.0%}, 1 layer of 16 "
    f"{enough.accuracy:.0%}; 2 of 16 at learning rate 1: {too_fast.accuracy:.0%}, loss "
    f"{too_fast.history['loss'][-1]:.2f}"
)
assert narrow.accuracy < 0.9 < 0.95 < enough.accuracy
assert too_fast.accuracy < 0.5 and too_fast.history["loss"][-1] > 0.9 * np.log(3)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 — a mini-batch iterator
#
# Write a generator `minibatches(X, y, batch_size, rng)` that yields `(X_batch, y_batch)` pairs:
# every sample exactly once per call, in an order shuffled with `rng`, X and y rows still
# matching, and the last batch smaller if `batch_size` does not divide `len(X)`.


# %%
def minibatches(X, y, batch_size, rng):
    # BEGIN SOLUTION
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]
    # END SOLUTION


# %%
check("06.minibatches", minibatches)


# %%
# hint("06.minibatches")  # solution("06.minibatches")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — debug a training step that only works on one sample
#
# A classmate wrote the loss gradient of step 3 by hand instead of calling `model.loss_grad`:
# the derivative of the cross-entropy with respect to the prediction,
# $\partial L / \partial p = (p - y) / \big(p\,(1 - p)\big)$, with $p$ clipped like the loss.
# On the moons of section 1 their step does not learn (next cell) — and yet on a batch of
# **one** sample it moves the weights exactly as nnlib's `train_on_batch` does. **Predict
# first:** what changes between a batch of 1 and a batch of 32 that their formula ignores?
# Then write `train_step(model, X, y)` for a compiled nnlib model: the four steps of section 1
# on one batch, right for every batch size; return the loss **of the forward pass** (before the
# update).


# %%
def train_step_classmate(model, X, y):
    out = model.forward(X, training=True)
    loss = model.loss_fn(y, out)
    p = np.clip(out, 1e-7, 1 - 1e-7)
    model.backward((p - y) / (p * (1 - p)))  # dL/dp of the cross-entropy, by hand
    model.optimizer.update(model.params(), model.grads())
    return loss


def moons_model():
    """Section 1's model, freshly initialised."""
    fresh = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], seed=0)
    return fresh.compile(optimizer=nn.SGD(0.3, momentum=0.9), loss="binary_crossentropy")


def same_first_step(n):
    """Do the classmate's step and train_on_batch give the same weights on n samples?"""
    theirs, nnlibs = moons_model(), moons_model()
    train_step_classmate(theirs, X[:n], y_col[:n])
    nnlibs.train_on_batch(X[:n], y_col[:n])
    return all(np.allclose(a, b) for a, b in zip(theirs.get_weights(), nnlibs.get_weights()))


classmate_model, rng_classmate = moons_model(), np.random.default_rng(0)
for _ in range(epochs):  # section 1's loop, with the classmate's step
    order = rng_classmate.permutation(len(X))
    batches = [order[start : start + batch_size] for start in range(0, len(X), batch_size)]
    classmate_losses = [train_step_classmate(classmate_model, X[i], y_col[i]) for i in batches]
print(
    f"last epoch's loss: section 1's loop {epoch_losses[-1]:.4f}, the classmate's step "
    f"{np.mean(classmate_losses):.4f}"
)
same_one, same_32 = same_first_step(1), same_first_step(32)
print(f"one step, the same weights as train_on_batch? on 1 sample: {same_one}, on 32: {same_32}")
assert np.mean(classmate_losses) > 10 * epoch_losses[-1]
assert same_one and not same_32


# %%
def train_step(model, X, y):
    # BEGIN SOLUTION
    out = model.forward(X, training=True)
    loss = model.loss_fn(y, out)
    model.backward(model.loss_grad(y, out))
    model.optimizer.update(model.params(), model.grads())
    return loss
    # END SOLUTION


# %%
check("06.train_step", train_step)

# %% [markdown]
# <details><summary>Open after you have made your prediction.</summary>
#
# The batch size $n$. The loss of a batch is the *mean* of its samples' losses, so the gradient
# with respect to one sample's prediction carries a factor $1/n$; the classmate's formula is
# the gradient of one sample's loss. On one sample $1/n = 1$ and nothing is missing; on 32
# every step is 32 times too long (measured below), and with the learning rate of section 1
# the network overshoots instead of learning. `model.loss_grad(y, out)` includes the $1/n$.
#
# </details>

# %%
theirs, nnlibs = moons_model(), moons_model()
before = theirs.get_weights()
train_step_classmate(theirs, X[:32], y_col[:32])
nnlibs.train_on_batch(X[:32], y_col[:32])
step_ratios = [
    np.abs(a - w).sum() / np.abs(b - w).sum()
    for a, b, w in zip(theirs.get_weights(), nnlibs.get_weights(), before)
]
low, high = min(step_ratios), max(step_ratios)
print(f"on 32 samples the classmate's step is {low:.2f} to {high:.2f} times train_on_batch's")
assert np.isclose(low, 32, rtol=1e-3) and np.isclose(high, 32, rtol=1e-3)

# %%
# hint("06.train_step")  # solution("06.train_step")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Bonus (no check):** train the moons model of section 1 with your `minibatches` and
# `train_step` and compare the loss curve with `epoch_losses`. With the same `rng` seed they are
# identical — why?

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — diagnose four training runs (a result)
#
# Four runs, A to D, on two-class toy data: each panel shows the training and the validation
# loss over 100 epochs, with the number of training points and of parameters. The settings are
# hidden — that is the puzzle. For each run choose one diagnosis: `"too small"` (learning rate),
# `"good"`, `"too large"` (learning rate) or `"overfitting"`.

# %%
from nnlib.exercises.lesson06 import mystery_runs

runs = mystery_runs()
fig, axes = plt.subplots(1, 4, figsize=(16, 4), sharey=True)
for ax, (name, run) in zip(axes, runs.items()):
    ep = np.arange(1, len(run["loss"]) + 1)
    ax.plot(ep, run["loss"], color=OKABE_ITO[0], marker="o", markevery=10, label="training")
    ax.plot(ep, run["val_loss"], color=OKABE_ITO[1], marker="s", markevery=10, label="validation")
    ax.axhline(np.log(2), color="grey", linestyle=":", label="guessing: ln 2")
    ax.set(
        title=f"run {name}: {run['n_train']} points,\n{run['params']} parameters",
        xlabel="epoch",
        yscale="log",
    )
axes[0].set_ylabel("cross-entropy (log scale)")
axes[0].legend()
fig.suptitle("Four training runs: what went wrong?")
plt.show()

# %%
diagnosis = {"A": None, "B": None, "C": None, "D": None}  # your four choices
# BEGIN SOLUTION
diagnosis = {"A": "overfitting", "B": "too small", "C": "too large", "D": "good"}
# END SOLUTION

# %%
check("06.diagnose", diagnosis)

# %%
# hint("06.diagnose")  # solution("06.diagnose")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — a small network that still learns the spirals (a result)
#
# Section 2's networks have 4 547 and 387 parameters. How small can it be? Write
# `small_spirals_model(X, y)`: build an nnlib network, train it on `X, y` and return the trained
# model. It passes when
#
# * it has **at most 80 parameters** (`model.count_params()`), and
# * it classifies **at least 95 %** of 600 *new* spiral points correctly (the check draws them
#   itself, with another seed, and trains your function on its own 240 training points, so
#   your recipe must work on data it has not seen).
#
# There is more than one answer: choose the layers, the activation, the optimizer, the learning
# rate and the number of epochs. The training budget is **at most 50 000 gradient steps** (one
# optimizer step per batch: epochs × 240 / batch size; the same budget on every computer, about
# 20 times what this problem needs). The check says how many parameters your model has and how
# many of the new points it gets right.


# %%
def small_spirals_model(X, y):
    # BEGIN SOLUTION
    model = nn.Sequential([nn.Dense(12, "relu", input_dim=2), nn.Dense(3, "softmax")], seed=0)
    model.compile(
        optimizer=nn.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(X, y, epochs=300, batch_size=32)
    return model
    # END SOLUTION


# %%
check("06.small_spirals", small_spirals_model)

# %%
# hint("06.small_spirals")  # solution("06.small_spirals")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * Training = repeat **forward → loss → backward → update**, on shuffled mini-batches, for
#   several epochs. That loop is all `fit` does (plus checks, history and callbacks).
# * Read the **loss curve**: still near the start = learning rate too small; falling steadily =
#   good; jumping back up again and again, staying high = too large; above the loss of guessing,
#   or NaN/inf = diverging (`fit` stops with a message). Change the learning rate by factors of
#   3–10.
# * **Overfitting**: the training loss keeps falling while the validation loss turns and rises;
#   the boundary wraps single noisy points. That is why we keep a validation set — and stop at
#   its best epoch.
# * Hidden layers with a non-linear activation bend the decision boundary; the spirals need one
#   hidden layer, and one of 64 does as well as two. A *linear* activation gives straight lines
#   however deep the network.
# * Training from random weights can get **stuck** (XOR with 4 hidden units, some seeds); wider
#   networks, momentum/Adam and other seeds help.
# * You have now built every part of a neural network yourself. Next lesson: **Keras**, the same
#   ideas with a production-grade library.
