# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 09 — Convolutional networks
#
# **Learning goals** — after this lesson you can
#
# 1. compute a 2-D convolution by hand in NumPy and explain what edge and blur kernels do to a real photo;
# 2. predict the output shape of a convolution or pooling layer from kernel size, stride and padding;
# 3. count the parameters of a `Conv2D` layer and explain why it needs far fewer than a `Dense` layer;
# 4. train a small convolutional network (CNN) on MNIST with Keras and look inside it: learned
#    filters, feature maps, mistakes;
# 5. compute a saliency map — which pixels the prediction depends on — with `tf.GradientTape`.
#
# **Estimated time:** 85–100 minutes.
#
# **Quick mode:** the MNIST trainings in sections 5 and 6 have a quick setting (the CNN: 1 500
# training digits and 3 epochs instead of all of them and 6 epochs on real MNIST / 15 epochs on the
# offline subset, its curves drawn once at the end instead of after every epoch; the five smaller
# models of the shifted-digit race and section 6: 1 000 digits instead of 6 000, scored on 500
# shifted test digits instead of 2 000 by calling each model directly instead of `evaluate`).
# Every number the text claims is checked by an `assert` in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import time

import ipywidgets as widgets
import tensorflow as tf
from IPython.display import display
from scipy.signal import correlate2d as scipy_correlate2d

from nnlib import data
from nnlib.byhand import vision
from nnlib.show.diagram import draw_pipeline
from nnlib.show.figures import describe
from nnlib.show.liveplot import LivePlot
from nnlib.show.plotting import OKABE_ITO, plot_image_grid
from nnlib.widgets import kernel_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Why not just `Dense` layers?
#
# In lesson 7 we flattened each 28×28 digit into 784 numbers and fed them to a `Dense` layer. That
# works, but it throws away what makes an image an image:
#
# * **Locality.** A pixel is related to its neighbours — strokes, edges and corners are small,
#   local patterns.
# * **Translation.** A "7" shifted by three pixels is still a "7". A `Dense` layer has to learn
#   every position separately.
# * **Size.** A 640×427 colour photo has 819 840 inputs; one `Dense` layer with 100 units on it
#   has 82 million weights.
#
# A **convolution** slides one small set of weights — a *kernel* or *filter* — over the whole image.
# The same few weights are used at every position (*weight sharing*), and each output only looks
# at a small neighbourhood (*local connectivity*).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A convolution by hand, on a real photograph
#
# For a grey image $X$ and a $k_h \times k_w$ kernel $K$, the output at row $i$, column $j$ is the
# weighted sum of the patch under the kernel:
#
# $$
# Y_{ij} = \sum_{u=0}^{k_h-1} \sum_{v=0}^{k_w-1} X_{i+u,\; j+v}\; K_{uv}
# $$
#
# Strictly speaking this is a *cross-correlation*; the textbook *convolution* flips the kernel first.
# Deep-learning libraries (Keras `Conv2D` included) compute the un-flipped version and call it
# convolution — so will we. Our photo ships with scikit-learn, so it works offline:

# %%
photo = data.load_photo("china", gray=True)  # float64 in 0..1
print("photo:", photo.shape, photo.dtype, f"values {photo.min():.2f}..{photo.max():.2f}")


def correlate2d_loops(image, kernel):
    """The formula above, written as two loops over output positions (slow but clear)."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


small = photo[200:240, 300:350]  # the loops are slow in Python: try them on a 40x50 crop
edge = vision.KERNELS["vertical edges (Sobel x)"]
print("kernel:\n", edge)
ours = correlate2d_loops(small, edge)
reference = scipy_correlate2d(small, edge, mode="valid")
print("our output:", ours.shape, " max |ours - scipy| =", np.abs(ours - reference).max())
assert ours.shape == (40 - 3 + 1, 50 - 3 + 1)
assert np.allclose(ours, reference, atol=1e-12)

# %% [markdown] slideshow={"slide_type": "fragment"}
# `nnlib.byhand.vision.correlate2d` does the same thing without Python loops (NumPy's
# `sliding_window_view` gives every 3×3 patch at once), so it filters the whole photo in a few
# milliseconds. It agrees with SciPy exactly, and flipping the kernel gives SciPy's *convolution*:

# %%
from scipy.signal import convolve2d as scipy_convolve2d

t0 = time.perf_counter()
fast = vision.correlate2d(photo, edge)
print(f"whole photo {photo.shape} -> {fast.shape} in {1000 * (time.perf_counter() - t0):.0f} ms")
assert np.allclose(fast, scipy_correlate2d(photo, edge, mode="valid"), atol=1e-12)
assert np.allclose(vision.correlate2d(small, edge), ours, atol=1e-12)
assert np.allclose(vision.convolve2d(photo, edge), scipy_convolve2d(photo, edge, mode="valid"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Edge and blur kernels
#
# * **Blur** kernels are positive and sum to 1: each output pixel is an average of its neighbourhood.
# * **Edge** kernels sum to 0: on a flat region the output is 0; it is large only where brightness
#   changes. Sobel-x responds to *vertical* edges (left–right changes), Sobel-y to horizontal ones.

# %%
names = [
    "gaussian blur",
    "vertical edges (Sobel x)",
    "horizontal edges (Sobel y)",
    "edges (Laplacian)",
]
fig, axes = plt.subplots(1, 5, figsize=(16, 4.6))
axes[0].imshow(photo, cmap="gray")
axes[0].set_title("original (grey)")
for ax, name in zip(axes[1:], names):
    out = vision.correlate2d(photo, vision.KERNELS[name], padding="same")
    ax.imshow(np.abs(out) if "edge" in name else out, cmap="gray")
    ax.set_title(name.replace(" (", "\n("))
for ax in axes:
    ax.set(xlabel="column (pixel)", ylabel="row (pixel)")
    ax.grid(False)
fig.suptitle("One 3x3 kernel, slid over the whole photo (absolute value shown for edges)")
plt.show()

for name in ["box blur", "gaussian blur"]:
    assert np.isclose(vision.KERNELS[name].sum(), 1.0)
for name in names[1:]:
    assert np.isclose(vision.KERNELS[name].sum(), 0.0)
flat = np.full((10, 10), 0.7)  # a flat patch: edges give 0, blur keeps the brightness
assert np.allclose(vision.correlate2d(flat, vision.KERNELS["edges (Laplacian)"]), 0.0)
assert np.allclose(vision.correlate2d(flat, vision.KERNELS["box blur"]), 0.7)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Stride, padding and pooling
#
# * **Padding** $p$: add $p$ rows/columns of zeros on every side, so the kernel can also sit on the
#   border. With a 3×3 kernel, $p = 1$ keeps the size (Keras: `padding="same"`; no padding is
#   `padding="valid"`).
# * **Stride** $s$: move the kernel $s$ pixels at a time; $s = 2$ halves the size.
# * **Pooling** shrinks a feature map: **max pooling** keeps the largest value of each (usually 2×2)
#   window, **average pooling** the mean. It has no weights.
#
# For an input of size $n$, kernel $k$, padding $p$ and stride $s$ the output size is
#
# $$
# n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1 .
# $$

# %%
rows = []
for k, s, p in [(3, 1, 0), (3, 1, 1), (3, 2, 1), (5, 2, 0), (7, 3, 3)]:
    out = vision.correlate2d(photo, np.ones((k, k)) / k**2, stride=s, padding=p)
    predicted = (vision.conv_output_size(427, k, s, p), vision.conv_output_size(640, k, s, p))
    rows.append((k, s, p, out.shape, predicted))
    assert out.shape == predicted, (k, s, p, out.shape, predicted)
print("kernel stride padding  output shape   formula")
for k, s, p, shape, pred in rows:
    print(f"{k:>6} {s:>6} {p:>7}  {str(shape):<14} {pred}")

# %% slideshow={"slide_type": "subslide"}
x = np.array([[1, 3, 2, 0], [4, 6, 5, 1], [0, 2, 9, 8], [1, 1, 7, 3]], dtype=float)
print("input:\n", x)
print("2x2 max pooling:\n", vision.max_pool2d(x, 2))
print("2x2 average pooling:\n", vision.avg_pool2d(x, 2))
assert np.array_equal(vision.max_pool2d(x, 2), [[6, 5], [2, 9]])
assert np.allclose(vision.avg_pool2d(x, 2), [[3.5, 2.0], [1.0, 6.75]])
pooled = vision.max_pool2d(photo, 2)
print("photo after 2x2 max pooling:", photo.shape, "->", pooled.shape)
assert pooled.shape == (vision.conv_output_size(427, 2, 2), vision.conv_output_size(640, 2, 2))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Parameters: convolution vs dense
#
# A `Conv2D` layer with $F$ filters of size $k_h \times k_w$ on an input with $C$ channels has
#
# $$
# k_h \, k_w \, C \, F + F \quad \text{parameters (weights + one bias per filter)},
# $$
#
# *independent of the image size*. A `Dense` layer producing an output of the same size connects
# every input to every output. Keras counts them for us — and agrees:

# %%
conv = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3)])
n_out = 26 * 26 * 32  # the conv layer's output size, flattened
dense = keras.Sequential([keras.Input((28 * 28,)), keras.layers.Dense(n_out)])
print(f"Conv2D(32, 3x3) on 28x28x1:     {conv.count_params():>10,} parameters")
print(f"Dense with the same output size: {dense.count_params():>10,} parameters")
assert conv.count_params() == vision.conv_params(3, 1, 32) == 3 * 3 * 1 * 32 + 32 == 320
assert dense.count_params() == vision.dense_params(784, n_out) == 784 * n_out + n_out

rgb = keras.Sequential([keras.Input((427, 640, 3)), keras.layers.Conv2D(16, 5)])
assert rgb.count_params() == vision.conv_params(5, 3, 16) == 1216
print(f"Conv2D(16, 5x5) on the whole colour photo: {rgb.count_params():,} parameters")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Our NumPy convolution = Keras `Conv2D`
#
# A `Conv2D` layer applies every filter to every input channel and adds the results
# (`nnlib.byhand.vision.conv2d`). Give Keras' layer random weights, run the same input through both:

# %%
rng = np.random.default_rng(0)
layer = keras.layers.Conv2D(4, 3, strides=2, padding="valid")
x_batch = rng.normal(size=(2, 11, 9, 3)).astype("float32")
keras_out = layer(x_batch).numpy()  # builds the layer (random kernels, zero bias)
W, b = rng.normal(size=(3, 3, 3, 4)), rng.normal(size=4)
layer.set_weights([W.astype("float32"), b.astype("float32")])
keras_out = layer(x_batch).numpy()
numpy_out = vision.conv2d(x_batch, W, b, stride=2)
diff = np.abs(keras_out - numpy_out).max()
print("output shape", keras_out.shape, "- max |Keras - NumPy| =", f"{diff:.1e}")
assert keras_out.shape == numpy_out.shape == (2, 5, 4, 4)
assert diff < 1e-4  # float32 round-off only

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. A convolutional network on MNIST
#
# The classic small CNN: two blocks of *convolution + ReLU + max pooling* learn local features,
# then a `Dense` head classifies them.
#
# One new layer: `Rescaling(1/255)` does lesson 7's "divide by 255" *inside* the model, batch by
# batch. The 60 000 training images then stay `uint8` in memory (47 MB instead of 188 MB as
# `float32`, and Keras' internal copies shrink the same way) — this keeps the lesson within 1.2 GB.
#
# $$
# 28{\times}28{\times}1 \xrightarrow{\text{Conv 3×3, 32}} 26{\times}26{\times}32
# \xrightarrow{\text{pool}} 13{\times}13{\times}32
# \xrightarrow{\text{Conv 3×3, 64}} 11{\times}11{\times}64
# \xrightarrow{\text{pool}} 5{\times}5{\times}64 \to 1600 \to 128 \to 10
# $$
#
# **Time budget.** Full mode on real MNIST (60 000 digits): 6 epochs, one to two minutes on
# 2 CPU cores (9 to 20 s an epoch on the course's build machines, depending on the day; the cell
# prints your time, and the curves grow while it trains); target **≥ 99.0 %** test accuracy,
# asserted. Offline, the 4 000-digit fallback subset is used (15 epochs, well under a minute),
# and fewer training digits mean a lower accuracy — the cell prints what it reaches. Quick mode
# trains on 1 500 digits for 3 epochs. The shifted-digit race below (about 25–40 s) and section 6
# (about 15 s) train smaller models on 6 000 digits and print a line as each finishes: the whole
# lesson trains for at most about 3 minutes at full size on 2 cores (2.9 min on the slower day).

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
real_mnist = len(x_train) == 60000
x_train, x_test = x_train[..., None], x_test[..., None]  # (n, 28, 28, 1): one channel, still uint8
n_train = pick(full=len(x_train), quick=1500)
epochs = pick(full=6 if real_mnist else 15, quick=3)


def build_cnn():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Rescaling(1 / 255, name="scale"),  # 0..255 -> 0..1, inside the model
            keras.layers.Conv2D(32, 3, activation="relu", name="conv1"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", name="conv2"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, name="logits"),  # class scores ...
            keras.layers.Activation("softmax"),  # ... turned into probabilities
        ],
        name="cnn",
    )


cnn = build_cnn()
cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cnn.summary()
# Rescaling and pooling have no parameters:
assert cnn.count_params() == 320 + 18496 + (1600 * 128 + 128) + (128 * 10 + 10)  # 225,034

# The same network as a diagram, with every shape read from the model itself
names = {"conv1": "Conv 3×3, 32", "conv2": "Conv 3×3, 64"}
stages = [("input", "28×28×1")] + [
    (names.get(layer.name, type(layer).__name__), "×".join(map(str, layer.output.shape[1:])))
    for layer in cnn.layers
    if not isinstance(
        layer, (keras.layers.Rescaling, keras.layers.Dropout, keras.layers.Activation)
    )
]
draw_pipeline(stages, title="The CNN: layers and the shape of what each one outputs")
plt.show()
assert [shape for _, shape in stages] == [
    "28×28×1",
    "26×26×32",
    "13×13×32",
    "11×11×64",
    "5×5×64",
    "1600",
    "128",
    "10",
]  # the chain of shapes in the text above

# %% slideshow={"slide_type": "subslide"}
t0 = time.perf_counter()
history = cnn.fit(
    x_train[:n_train],
    y_train[:n_train],
    epochs=epochs,
    batch_size=128,
    validation_split=0.1,
    verbose=0,
    # full: redraw after every epoch; quick: draw once, at the end (3 short epochs)
    callbacks=[
        LivePlot(
            every=pick(full=1, quick=epochs), metrics=("loss", "accuracy"), title="CNN on MNIST"
        )
    ],
)
seconds = time.perf_counter() - t0
test_loss, test_acc = cnn.evaluate(x_test, y_test, verbose=0)
source = "real MNIST" if real_mnist else "offline MNIST subset"
print(f"{source}: {n_train} training digits, {epochs} epochs, {seconds:.0f} s")
print(f"test accuracy {test_acc:.4f} on {len(x_test)} test digits")
if real_mnist and not nnlib.is_quick():
    assert test_acc >= 0.99, test_acc  # the target on real MNIST
else:
    assert test_acc >= pick(full=0.96, quick=0.80), test_acc

# %% [markdown] slideshow={"slide_type": "fragment"}
# Sharing a few kernels across all positions is a strong prior for images: on real MNIST this
# network passes 99 %, where lesson 7's `Dense` network stopped around 98 %. On the offline subset it
# sees 15× fewer training digits, so it lands lower — the cell above prints the number.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Shifted digits: "a `Dense` layer has to learn every position separately"
#
# Section 1 claimed this; now we test it. Shift every test digit by 0 to 4 pixels to the right
# (MNIST digits are centred in their box, so a shifted digit is a position the networks rarely saw)
# and compare four models, **all trained on the same digits for the same number of epochs** (the
# first `n_small` training digits: 6 000 on real MNIST, all 4 000 of the offline subset, 1 000 in
# quick mode — fewer than above, so that four trainings fit the time budget; a fair race needs
# equal data, so even the CNN is trained again here):
#
# * lesson 7's **MLP** (`Flatten` → `Dense`);
# * the same MLP trained with **data augmentation**: a `RandomTranslation` layer that shifts every
#   training image at random by up to 15 % (4 pixels) — active only during training;
# * the **CNN** of this section (same layers as above);
# * the same CNN with the same augmentation.
#
# **Time:** about 25–40 s at full size (one line per model as it finishes).


# %%
def shifted(images, pixels):
    """Move digits `pixels` to the right, filling with black (no wrap-around)."""
    out = np.zeros_like(images)
    out[:, :, pixels:] = images[:, :, : images.shape[2] - pixels]
    return out


def augmentation(augment):
    """A random shift of up to 15 % (4 pixels) left or right, during training only."""
    return (
        [keras.layers.RandomTranslation(0.0, 0.15, fill_mode="constant", seed=0)] if augment else []
    )


def build_mlp(augment):
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            *augmentation(augment),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def build_small_cnn(augment):
    """build_cnn()'s layers, with the augmentation layer in front when `augment`."""
    return keras.Sequential([keras.Input((28, 28, 1)), *augmentation(augment), *build_cnn().layers])


n_small = min(len(x_train), pick(full=6000, quick=1000))
small_epochs = 3


def train_small(model, name):
    """Train on the first n_small digits (same digits, epochs and batches for every model);
    print one line when done; return the training time in seconds."""
    keras.utils.set_random_seed(0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    t0 = time.perf_counter()
    model.fit(x_train[:n_small], y_train[:n_small], epochs=small_epochs, batch_size=32, verbose=0)
    seconds = time.perf_counter() - t0
    print(f"  {name:<19} trained on {n_small} digits, {small_epochs} epochs: {seconds:4.1f} s")
    return seconds


shift_models, train_seconds = {}, {}
builders = {
    "MLP": lambda: build_mlp(False),
    "MLP + augmentation": lambda: build_mlp(True),
    "CNN": lambda: build_small_cnn(False),
    "CNN + augmentation": lambda: build_small_cnn(True),
}
for name, build in builders.items():
    keras.utils.set_random_seed(0)
    shift_models[name] = build()
    train_seconds[name] = train_small(shift_models[name], name)

x_probe, y_probe = x_test[: pick(full=2000, quick=500)], y_test[: pick(full=2000, quick=500)]
shifts = [0, 1, 2, 3, 4]


def accuracy_vs_shift(model):
    if nnlib.is_quick():  # 500 digits: call the model directly (no compiled evaluate step to build)
        hits = [
            model(shifted(x_probe, s), training=False).numpy().argmax(axis=1) == y_probe
            for s in shifts
        ]
        return [float(np.mean(h)) for h in hits]
    return [model.evaluate(shifted(x_probe, s), y_probe, verbose=0)[1] for s in shifts]


shift_acc = {name: accuracy_vs_shift(model) for name, model in shift_models.items()}

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7.5, 4.5))
styles = zip(OKABE_ITO[1:], ["o", "^", "s", "D"], ["-", "--", "-", "--"])
for (name, accs), (color, marker, line) in zip(shift_acc.items(), styles):
    ax.plot(shifts, accs, marker=marker, linestyle=line, color=color, label=name)
ax.set(
    title=f"Test digits shifted to the right (all trained on the same {n_small} digits)",
    xlabel="shift (pixels)",
    ylabel="test accuracy",
    xticks=shifts,
)
ax.legend()
describe(
    fig,
    "Accuracy against shift in pixels for four models trained on the same digits: the MLP "
    "falls fastest, the CNN more slowly, both augmented models stay high.",
)
plt.show()
for name, accs in shift_acc.items():
    print(f"{name:>19}: " + "  ".join(f"{s} px {a:.3f}" for s, a in zip(shifts, accs)))
mlp, aug, cnn_s, cnn_aug = (shift_acc[n] for n in builders)
assert mlp[0] - mlp[-1] > 0.3  # the MLP falls apart on shifted digits ...
assert cnn_s[-1] > mlp[-1] + 0.05  # ... the CNN less (shared kernels, pooling) ...
assert cnn_s[0] - cnn_s[-1] > 0.2  # ... but it is far from shift-proof ...
assert aug[-1] > mlp[-1] + 0.2  # ... augmentation teaches the MLP the missing positions ...
assert cnn_aug[-1] > cnn_s[-1] + 0.1  # ... and the CNN too
assert aug[3] > cnn_s[3] and aug[4] > cnn_s[4]  # at 3-4 px the augmented MLP beats the plain CNN
for px in [3, 4]:  # ... and the augmented CNN is the best of the four
    assert cnn_aug[px] == max(mlp[px], aug[px], cnn_s[px], cnn_aug[px])

# %% [markdown] slideshow={"slide_type": "fragment"}
# The curves (numbers printed above; every model saw the same digits) bear the claim out. The MLP's
# accuracy collapses as the digits move: it learned "a 7 has ink *here*", pixel by pixel. The CNN
# degrades more slowly, but it is **not** translation invariant: from 3 pixels on it loses to the
# *augmented MLP*. A convolution is translation *equivariant* (shift the input and its feature maps
# shift with it); only the 2×2 pooling adds a little invariance, and the `Flatten` → `Dense` head
# still reads *where* each feature is. Augmentation attacks the problem from the data side: show
# the network shifted digits, and it learns them — the CNN with augmentation is the best of the four
# from 3 pixels on. The next section removes the position-reading head instead.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. A modern CNN: batch normalisation, a residual block, global average pooling
#
# Today's CNNs (ResNet and its descendants) add three ingredients to the classic stack:
#
# * **Batch normalisation** (`BatchNormalization`, after a convolution): for each channel, subtract
#   the mean and divide by the standard deviation *over the batch* (and all positions), then apply a
#   learnable scale $\gamma$ and shift $\beta$: $\hat x = \gamma \, (x - \mu_B)/\sqrt{\sigma_B^2 +
#   \epsilon} + \beta$. Every layer then sees inputs of a steady scale, which is what lets deep
#   stacks train, also at larger learning rates (the original papers' finding; a 2-core lesson
#   cannot measure it, see the end of this section). **Train vs inference:** during training
#   $\mu_B, \sigma_B$ come from the current batch; the layer also keeps *moving averages* of them,
#   and at inference (`evaluate`, `predict`) it uses those — one image's prediction must not depend
#   on the others in its batch.
# * A **residual block**: $y = \text{ReLU}(x + F(x))$, where $F$ is two Conv–BN layers. The
#   *skip connection* $x \to y$ means the block only has to learn a correction $F$, and the
#   gradient has a direct path back: before the ReLU, $\partial (x + F(x)) / \partial x = I +
#   \partial F / \partial x$, so it does not have to pass through every layer's weights (which, in
#   a deep plain stack, can shrink it or blow it up).
# * **Global average pooling** (`GlobalAveragePooling2D`) instead of `Flatten`: each channel's map
#   is averaged to one number, so the head gets one number per feature and no position at all.
#   The `Dense` layer after it is tiny (channels × 10 weights instead of 1600 × 128), and the
#   network cannot learn "ink *here*" in its head.
#
# First, what `BatchNormalization` does to a batch of feature maps (conv1's outputs for 64 test
# digits) — a fresh layer, $\gamma = 1$, $\beta = 0$. In inference mode its averages are still the
# initial 0 and 1, so it changes almost nothing (it divides by $\sqrt{1 + \epsilon}$: the
# difference is printed); in training mode every channel comes out with mean 0
# and standard deviation 1 (less for a channel whose variance is not much larger than
# $\epsilon = 0.001$: the formula divides by $\sqrt{\sigma_B^2 + \epsilon}$), and the
# moving averages take one step towards this batch's statistics ($1 -$ `momentum` $= 1\,\%$ of
# the way):

# %%
bn = keras.layers.BatchNormalization()
maps = cnn.get_layer("conv1")((x_test[:64] / 255.0).astype("float32")).numpy()  # 64x26x26x32
infer_out = bn(maps, training=False).numpy()  # inference: the moving averages (fresh: 0 and 1)
train_out = bn(maps, training=True).numpy()  # training: this batch's statistics (and an update)
axes_bhw = (0, 1, 2)  # one statistic per channel: over the batch and all positions
in_mean, in_std = maps.mean(axis=axes_bhw), maps.std(axis=axes_bhw)
out_mean, out_std = train_out.mean(axis=axes_bhw), train_out.std(axis=axes_bhw)
print("channel:             ", np.arange(4))
print("input          mean  ", in_mean[:4].round(3), " std", in_std[:4].round(3))
print("training=True  mean  ", out_mean[:4].round(3), " std", out_std[:4].round(3))
print(f"training=False: max |output - input| = {np.abs(infer_out - maps).max():.4f}")
assert np.allclose(out_mean, 0, atol=1e-3)
assert np.allclose(out_std, in_std / np.sqrt(in_std**2 + bn.epsilon), atol=1e-3)  # 1, bar epsilon
assert np.allclose(infer_out, maps / np.sqrt(1 + bn.epsilon), atol=1e-5)  # averages still 0, 1
print("weights:", [w.name for w in bn.weights], "- the first two are trained, the averages not")
moved = bn.moving_mean.numpy()
print("moving mean after that one training call:", moved[:4].round(4), f"(momentum {bn.momentum})")
assert np.allclose(moved, (1 - bn.momentum) * in_mean, atol=1e-5)  # 1 % of the way to the batch
assert bn.count_params() == 4 * 32 and len(bn.trainable_weights) == 2

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now a small modern CNN: two Conv–BN–ReLU–pool stages, one residual block, global average pooling,
# one `Dense` layer. (The convolutions before a BN have no bias: BN's shift $\beta$ replaces it.)
# It trains on the same `n_small` digits, with the same optimiser, epochs and batches, as the CNN
# above. **Time:** about 15–20 s at full size.


# %%
def conv_bn(x, filters):
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    return keras.layers.BatchNormalization(momentum=0.9)(x)  # faster-moving averages: few steps


def build_modern_cnn():
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Rescaling(1 / 255)(inputs)
    x = keras.layers.MaxPooling2D(2)(keras.layers.ReLU()(conv_bn(x, 16)))  # 14x14x16
    x = keras.layers.MaxPooling2D(2)(keras.layers.ReLU()(conv_bn(x, 32)))  # 7x7x32
    f = conv_bn(keras.layers.ReLU()(conv_bn(x, 32)), 32)  # the residual branch F(x)
    x = keras.layers.ReLU()(keras.layers.Add()([x, f]))  # y = ReLU(x + F(x)), 7x7x32
    x = keras.layers.GlobalAveragePooling2D()(x)  # 32 numbers, one per channel
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="modern_cnn")


keras.utils.set_random_seed(0)
modern = build_modern_cnn()
train_seconds["modern CNN"] = train_small(modern, "modern CNN")
shift_acc["modern CNN"] = accuracy_vs_shift(modern)

# %% slideshow={"slide_type": "subslide"}
small_cnn = shift_models["CNN"]
rows = {
    "CNN (Flatten)": (small_cnn, shift_acc["CNN"], train_seconds["CNN"]),
    "modern CNN (GAP)": (modern, shift_acc["modern CNN"], train_seconds["modern CNN"]),
}
print(f"same {n_small} digits, {small_epochs} epochs; accuracy on {len(y_probe)} test digits")
print(f"{'':>17} {'parameters':>10} {'0 px':>6} {'4 px':>6} {'training':>9}")
for name, (model, accs, secs) in rows.items():
    print(f"{name:>17} {model.count_params():>10,} {accs[0]:>6.3f} {accs[-1]:>6.3f} {secs:>7.1f} s")
cnn_acc, modern_acc = shift_acc["CNN"], shift_acc["modern CNN"]
moving_mean = modern.layers[3].moving_mean.numpy()  # the first BN layer's learned statistics
print("first BN layer's moving means (first 4 channels):", moving_mean[:4].round(3))
assert isinstance(modern.layers[3], keras.layers.BatchNormalization)
assert 0.08 < modern.count_params() / small_cnn.count_params() < 0.12  # about a tenth ...
assert modern_acc[0] > 0.7  # ... it learns ...
assert modern_acc[0] < cnn_acc[0] + 0.005  # ... but is no better on centred digits here ...
assert modern_acc[0] - modern_acc[-1] < (cnn_acc[0] - cnn_acc[-1]) / 2  # ... and shifts hurt less
assert np.abs(moving_mean).max() > 0.01  # the averages moved away from 0 during training

# %% [markdown] slideshow={"slide_type": "fragment"}
# What the table says, at this small budget (all numbers printed above). The modern CNN has about a
# tenth of the parameters, yet trains in about the CNN's time (both printed: BatchNorm and the
# residual block add work per step). On centred digits it is **no more accurate** than the
# classic CNN — equal or behind, depending on the data you loaded: this small network has not
# converged in 3 epochs on these few digits. What it buys is in the last columns: it barely cares where the digit is (its head sees
# only channel averages, after global average pooling; it also pads, normalises and has a
# residual block, and this lesson does not separate their shares), where the classic CNN loses a large part of its accuracy at 4 pixels — and no
# augmentation was needed. BatchNorm and residual blocks pay off mostly in *deep* networks (tens to
# hundreds of layers, where they let the gradient through and tolerate larger learning rates),
# which we cannot train on two CPU cores in a lesson; this one shows the pieces working.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Inside the network: filters and feature maps
#
# The first layer's 32 filters are 3×3 kernels like the ones in section 2 — but *learned*. Many look
# like edge or stroke detectors. A **feature map** is one filter's output for one image: the
# photo-filtering of section 2, done by the network. We compute them with our own NumPy
# `conv2d` and the learned weights, and check against Keras:

# %%
W1, b1 = cnn.get_layer("conv1").get_weights()
print("conv1 weights:", W1.shape, "(kh, kw, channels, filters)")
fig, axes = plt.subplots(4, 8, figsize=(10, 5.4))
for f, ax in enumerate(axes.flat):
    ax.imshow(W1[:, :, 0, f], cmap="RdBu_r", vmin=-np.abs(W1).max(), vmax=np.abs(W1).max())
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(f"filter {f}", fontsize="x-small")
fig.suptitle("Learned 3x3 filters of conv1 (red = positive weight, blue = negative)")
plt.show()

# %% slideshow={"slide_type": "subslide"}
digit = x_test[:1] / 255.0  # scaled, as the Rescaling layer does
maps_numpy = np.maximum(vision.conv2d(digit, W1, b1), 0)  # convolution + ReLU, by hand
maps_keras = cnn.get_layer("conv1")(digit.astype("float32")).numpy()  # the trained Keras layer
print(
    "feature maps:",
    maps_keras.shape,
    " max |Keras - NumPy| =",
    f"{np.abs(maps_keras - maps_numpy).max():.1e}",
)
assert np.abs(maps_keras - maps_numpy).max() < 1e-4

fig, axes = plt.subplots(2, 8, figsize=(12, 3.6))
axes.flat[0].imshow(digit[0, :, :, 0], cmap="gray_r")
axes.flat[0].set_title(f"input: {y_test[0]}", fontsize="small")
for f, ax in enumerate(axes.flat[1:]):
    ax.imshow(maps_keras[0, :, :, f], cmap="viridis")
    ax.set_title(f"map {f}", fontsize="small")
for ax in axes.flat:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
fig.suptitle("Feature maps of conv1 for one test digit (bright = strong response)")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. What does it get wrong?

# %%
probs = cnn.predict(x_test, verbose=0)
pred = probs.argmax(axis=1)
wrong = np.flatnonzero(pred != y_test)
print(f"{len(wrong)} of {len(y_test)} test digits misclassified")
assert len(wrong) == int(round((1 - test_acc) * len(y_test)))
if len(wrong):
    plot_image_grid(
        x_test[wrong[:16]],
        y_test[wrong[:16]],
        pred[wrong[:16]],
        title="Misclassified test digits: predicted (true)",
    )
    plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Many mistakes are digits a person would hesitate over too: open 4s that look like 9s, 7s with a
# bar, 3s that could be 5s.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Saliency: which pixels does the decision depend on?
#
# The **saliency map** of an image is the size of the gradient of the class score (the *logit*,
# before the softmax — a confident softmax output is flat, so its gradient is almost zero) with
# respect to each input pixel, $\left| \partial\, \text{score}_c / \partial x_{ij} \right|$: pixels where a small
# change would move the score most. `tf.GradientTape` records the forward pass and gives the gradient
# (`nnlib.byhand.vision.saliency_map` wraps these lines):
#
# ```python
# with tf.GradientTape() as tape:
#     tape.watch(x)
#     score = model(x)[0, c]
# grad = tape.gradient(score, x)
# ```

# %%
# The same trained layers, without the Rescaling and the softmax: input pixels in 0..1 -> logits.
scores = keras.Sequential([keras.Input((28, 28, 1))] + cnn.layers[1:-1], name="scores")
images = x_test[:4] / 255.0
assert np.allclose(keras.ops.softmax(scores(images)).numpy(), cnn(x_test[:4]).numpy(), atol=1e-5)
idx = [0, 1, 2, 3]
fig, axes = plt.subplots(2, 4, figsize=(10, 5))
for col, i in enumerate(idx):
    sal, c = vision.saliency_map(scores, images[i])
    axes[0, col].imshow(x_test[i, :, :, 0], cmap="gray_r")
    axes[0, col].set_title(f"digit {y_test[i]}, predicted {c}", fontsize="small")
    axes[1, col].imshow(sal, cmap="viridis")
    axes[1, col].set_title(f"saliency for class {c}", fontsize="small")
for ax in axes.flat:
    ax.set(xlabel="column", ylabel="row")
    ax.grid(False)
fig.suptitle("Saliency maps: |d score / d pixel| (bright = the score is sensitive here)")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Is the gradient right? Nudge the most salient pixel by a tiny amount and watch the score move — a
# finite difference, as in lesson 5:

# %%
sal, c = vision.saliency_map(scores, images[0])
eps = 5e-4
rel_errors = []
for flat_index in np.argsort(-sal.ravel())[:5]:  # the five most salient pixels
    r, col = np.unravel_index(flat_index, sal.shape)
    x_plus, x_minus = images[:1].copy(), images[:1].copy()
    x_plus[0, r, col, 0] += eps
    x_minus[0, r, col, 0] -= eps
    fd = (scores(x_plus)[0, c] - scores(x_minus)[0, c]).numpy() / (2 * eps)
    rel_errors.append(abs(abs(fd) - sal[r, col]) / sal[r, col])
    print(f"pixel ({r:2d}, {col:2d}): saliency {sal[r, col]:.4f}, finite difference {abs(fd):.4f}")
n_close = sum(e < 0.01 for e in rel_errors)
print(f"median relative difference: {np.median(rel_errors):.3f}; {n_close} of 5 pixels within 1 %")
assert sal.shape == (28, 28) and np.all(sal >= 0) and sal.max() > 1e-2
assert np.median(rel_errors) < 0.05

# %% [markdown] slideshow={"slide_type": "fragment"}
# (Most of the five agree closely: the median difference is under 5 %, asserted; the line above
# says how many agree within 1 % for the data you loaded. They need not all agree: a ReLU network is
# piecewise linear, so a nudge that crosses a "kink" — a unit switching on or off — changes the
# slope, and that pixel's finite difference can be several percent off. The median over five pixels
# is robust to that.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10. Try it: your own kernel on the photo
#
# Pick a kernel — or choose "custom" and type nine numbers (rows separated by `;`). Ideas: make
# the kernel asymmetric, make it sum to 0 or to 1, multiply the blur by 2.

# %%
photo_small = photo[::2, ::2]  # half size keeps the redraw fast
# One figure, updated in place when you pick a kernel (nnlib.widgets.kernel_explorer).
kernel_widget = kernel_explorer(photo_small, "sharpen", custom="0 -1 0; -1 5 -1; 0 -1 0")
display(kernel_widget)

# %% slideshow={"slide_type": "skip"}
# What the widget computes (vision.apply_kernel), checked without touching your widget.
assert np.allclose(vision.apply_kernel(photo_small, "identity"), photo_small)
assert np.allclose(
    vision.apply_kernel(photo_small, "custom", "0 -1 0; -1 5 -1; 0 -1 0"),
    vision.apply_kernel(photo_small, "sharpen"),
)
assert (
    vision.apply_kernel(photo_small, "edges (Laplacian)").std()
    < vision.apply_kernel(photo_small, "sharpen").std()
)
assert kernel_widget.result is None or kernel_widget.result.shape == photo_small.shape
try:
    vision.parse_kernel("1 2 3; 4 5 6")
except ValueError as err:
    print("ValueError:", err)
plt.close("all")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 11. Exercises
#
# Write your answer where the model solution sits, then run the check. Stuck? `hint(...)` /
# `solution(...)` (uncomment to use).
#
# ### Exercise 1 — the padding that keeps the size
#
# Keras' `padding="same"` pads just enough that, at stride 1, the output is as large as the input
# (section 3: $p = 1$ for a 3×3 kernel). How much padding does a $k \times k$ kernel need, for any
# odd $k$? Derive it from section 3's formula — set $n_\text{out} = n$ with $s = 1$ and solve for
# $p$ — and write `same_padding(k)`, returning a whole number. The cell after the check tries your
# padding on the photo with kernels of size 3, 5 and 7.


# %%
def same_padding(k):
    # BEGIN SOLUTION
    # n_out = n + 2p - k + 1 should equal n, so 2p = k - 1 (k odd: a whole number)
    padding = (k - 1) // 2
    return padding
    # END SOLUTION


# %%
check("09.same_padding", same_padding)


# %%
# hint("09.same_padding")  # solution("09.same_padding")

# %%
for k in [3, 5, 7]:
    try:
        out = vision.correlate2d(photo, np.ones((k, k)) / k**2, padding=same_padding(k))
    except (TypeError, ValueError) as err:  # e.g. a padding of None or -1
        print(f"k = {k}: padding {same_padding(k)!r} does not work here: {err}")
    else:
        print(f"k = {k}: padding {same_padding(k)} -> output {out.shape} (photo {photo.shape})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — design a kernel that finds diagonal lines
#
# Section 2's kernels find *edges*. Design a 3×3 kernel `line_kernel` (a NumPy array) that finds
# thin **diagonal lines running from top-left to bottom-right** (↘): a strong response on such a
# line, and (close to) nothing on a flat region, on vertical or horizontal lines, or on lines
# running the other way (↙).
#
# The check slides your kernel over five small test images (a ↘ line, a ↙ line, a vertical line, a
# horizontal line and a flat grey square) and wants the strongest response on the ↘ line to be at
# least **twice** the strongest on any of the others, and 0 (to 1e-6) on the flat square. There is
# more than one answer. The cell after the check shows your kernel on the photo.

# %%
line_kernel = None
# BEGIN SOLUTION
line_kernel = np.array([[2, -1, -1], [-1, 2, -1], [-1, -1, 2]])
# END SOLUTION

# %%
check("09.line_kernel", line_kernel)

# %%
# hint("09.line_kernel")  # solution("09.line_kernel")

# %%
if line_kernel is None:
    print("Write your kernel in the cell above first.")
else:
    response = vision.correlate2d(photo, np.asarray(line_kernel, dtype=float), padding="same")
    fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.imshow(np.abs(response), cmap="gray")
    ax.set(
        title="Your line kernel on the photo (absolute response)",
        xlabel="column (pixel)",
        ylabel="row (pixel)",
    )
    ax.grid(False)
    plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — predict a conv stack's output shape and parameters
#
# Without building it, predict what this stack makes of one 64×64 colour image: the **shape of its
# output** (height, width, channels — no batch dimension) and its **number of parameters**.
#
# ```python
# keras.Sequential(
#     [
#         keras.Input((64, 64, 3)),
#         keras.layers.Conv2D(8, 5, strides=2, padding="same"),
#         keras.layers.MaxPooling2D(2),
#         keras.layers.Conv2D(32, 3),
#     ]
# )
# ```
#
# Write `stack_answer = ((height, width, channels), n_params)`, with whole numbers (the formulas of
# sections 3 and 4; Keras' `"same"` padding with stride 2 gives $\lceil 64/2 \rceil$). The cell
# after the check builds the stack and shows what Keras says.

# %%
stack_answer = None
# BEGIN SOLUTION
stack_answer = ((14, 14, 32), (5 * 5 * 3 * 8 + 8) + (3 * 3 * 8 * 32 + 32))
# END SOLUTION

# %%
check("09.predict_stack", stack_answer)

# %%
# hint("09.predict_stack")  # solution("09.predict_stack")

# %%
stack = keras.Sequential(
    [
        keras.Input((64, 64, 3)),
        keras.layers.Conv2D(8, 5, strides=2, padding="same"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3),
    ]
)
stack_shape = stack.compute_output_shape((1, 64, 64, 3))[1:]  # one image; [1:] drops the batch
print(f"Keras says: output {stack_shape}, {stack.count_params()} parameters")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A convolution slides one small kernel over the image: $Y_{ij} = \sum_{u,v} X_{i+u,j+v} K_{uv}$.
#   Deep-learning "convolution" does not flip the kernel (cross-correlation); ours matches SciPy and
#   Keras `Conv2D` to round-off.
# * Blur kernels sum to 1, edge kernels sum to 0. A CNN *learns* its kernels.
# * Output size: $\lfloor (n + 2p - k)/s \rfloor + 1$; `"same"` padding keeps the size, stride 2 and
#   2×2 pooling halve it.
# * A `Conv2D` layer has $k_h k_w C F + F$ parameters whatever the image size — 320 for 32 3×3
#   filters on MNIST, versus 17 million for a `Dense` layer with the same output size.
# * A two-block CNN reaches ≥ 99 % on real MNIST in a few minutes on a laptop CPU (less on the
#   4 000-digit offline subset: your run prints it).
# * A CNN is translation *equivariant*, not invariant: trained on the same digits, it loses less
#   than an MLP on shifted digits, but from 3 pixels on the augmented MLP beats it; augmentation
#   helps both, and the modern CNN of section 6 (its head reads channel averages after global
#   average pooling: no position left to read) almost removes the loss.
# * Batch normalisation normalises each channel over the batch (batch statistics in training,
#   moving averages at inference); a residual block computes $x + F(x)$; global average pooling
#   replaces `Flatten` with one number per channel — our modern CNN has a tenth of the parameters,
#   is no more accurate on centred digits at this small budget, and barely loses accuracy on
#   shifted ones.
# * Feature maps, misclassified examples and saliency maps (`tf.GradientTape`) show what a network
#   looks at.
#
# **Next:** lesson 10 — networks with memory for sequences: recurrent networks and LSTMs.
