# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 06 — Training a network
#
# Lessons 4 and 5 gave us the two ingredients: a loss with its gradient (backpropagation) and a
# way to walk downhill (an optimizer). Training is the loop that repeats them: **forward, loss,
# backward, update** — over and over, on shuffled mini-batches, for several epochs.
#
# **Learning goals** — after this lesson you can
#
# 1. write the complete training loop (epochs, shuffling, mini-batches) yourself;
# 2. train the same way in one line with `Sequential.fit`, and read its loss and accuracy curves;
# 3. watch a decision boundary form over the epochs, and explain what more neurons, other
#    activations and other learning rates change (the playground);
# 4. train XOR from scratch in pure NumPy — and see that training can get stuck.
#
# **Estimated time:** 75–90 minutes. Quick mode (`NNLIB_QUICK=1`) uses smaller data sets for the
# moons and spirals (cells with `pick(full=..., quick=...)`); every check holds in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

# %% slideshow={"slide_type": "skip"}
import time

from nnlib import data, nn
from nnlib.playground import Playground
from nnlib.plotting import OKABE_ITO, plot_decision_boundary, plot_history

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
# with the same arguments — lesson 7 is the same code with `keras.` in front.
#
# Harder data: three interleaved **spirals**. A straight line cannot separate them; we need at
# least one hidden layer (we use two; section 5's playground lets you try one). We keep 20 % of the points aside to see how well the model does on points it
# never trained on.

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
# ## 4. XOR from scratch
#
# No nnlib this time: the weights are four NumPy arrays, the backward pass is lesson 5's table,
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
# Run the same code from other random starting weights. Most runs solve XOR; some end in a
# **local minimum** or a flat region where two outputs sit near 0.5 and the gradient is almost
# zero. Remedies: more hidden neurons (more ways down), momentum or Adam, or simply another seed.

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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Try it: the playground
#
# In the spirit of [TensorFlow Playground](https://playground.tensorflow.org): choose a data set,
# the number of hidden layers and neurons, the activation and the learning rate, then press
# **Train** — it trains *epochs per click* epochs while the boundary and the loss curve move,
# about 10 frames a second. The same button pauses and resumes; **Stop** ends the run. Changing a
# setting starts over with fresh weights (sliders apply when you release them). Things to try:
#
# * *xor* or *circles* with **0 hidden layers** — a straight line is all you get;
# * *spirals* with 1 layer of 4 neurons, then 2 layers of 16 (ReLU);
# * a learning rate of 1 or more: the loss curve gets ragged or stalls high (the status line suggests a lower learning rate if the loss becomes NaN);
# * *linear* activation with many layers: still a straight line (lesson 02).
#
# The code behind it is `nnlib/playground.py`: `Playground.train(epochs)` is `Sequential.fit`.

# %%
playground = Playground(dataset="spirals", hidden=(16, 16), activation="relu", learning_rate=0.01)
playground.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The widget's buttons call plain methods, so we can check what it shows: 0 hidden layers
# cannot separate the circles, one hidden layer can.

# %%
epochs_pg = pick(full=60, quick=30)  # quick mode: fewer epochs
flat = Playground(dataset="circles", hidden=(), learning_rate=0.03)
flat.train(epochs_pg)
deep = Playground(dataset="circles", hidden=(8,), activation="tanh", learning_rate=0.03)
deep.train(epochs_pg)
print(
    f"circles after {epochs_pg} epochs: no hidden layer {flat.accuracy:.0%}, one hidden layer of 8 {deep.accuracy:.0%}"
)
assert flat.accuracy < 0.75 and deep.accuracy > 0.95


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
# ### Exercise 2 — one training step
#
# Write `train_step(model, X, y)` for a compiled nnlib model: the four steps of section 1 on one
# batch; return the loss **of the forward pass** (before the update).


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

# %%
# hint("06.train_step")  # solution("06.train_step")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Bonus (no check):** train the moons model of section 1 with your `minibatches` and
# `train_step` and compare the loss curve with `epoch_losses`. With the same `rng` seed they are
# identical — why?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * Training = repeat **forward → loss → backward → update**, on shuffled mini-batches, for
#   several epochs. That loop is all `fit` does (plus checks, history and callbacks).
# * Read the **loss curve**: falling = learning; flat = stuck or learning rate too small;
#   ragged or rising = learning rate too large. Compare training and validation.
# * Hidden layers bend the decision boundary; more neurons and layers allow more complex shapes
#   (the spirals need at least one hidden layer; we used two of 64).
# * Training from random weights can get **stuck** (XOR with 4 hidden units, some seeds); wider
#   networks, momentum/Adam and other seeds help.
# * You have now built every part of a neural network yourself. Next lesson: **Keras**, the same
#   ideas with a production-grade library.
