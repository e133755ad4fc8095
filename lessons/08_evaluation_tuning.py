# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 08 — Evaluation and tuning
#
# **Learning goals** — after this lesson you can
#
# 1. split data into training, validation and test sets, and say what each one is for;
# 2. compute accuracy, precision, recall and F1 per class and read a confusion matrix;
# 3. run a small hyperparameter sweep (layers, neurons, learning rate, activation, batch size) and
#    read its results;
# 4. recognise overfitting in the training and validation curves and reduce it with dropout, L2
#    regularisation and early stopping;
# 5. use Keras callbacks: `EarlyStopping`, `ModelCheckpoint` and a live plot of the curves.
#
# **Estimated time:** 85–100 minutes.
#
# **Quick mode:** fewer epochs for the baseline (section 2), a smaller cross-validation
# (section 3: 3 folds of 2 epochs instead of 5 of 20), a tiny sweep on 800 digits (section 4:
# one alternative per hyperparameter, 1 epoch) and 12 instead of 30 epochs for the overfitting runs
# (sections 5–6); the live plots redraw less often (once at the end of a 2-epoch run).
# Every number the text claims is checked by an `assert` in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import tempfile
import time
from pathlib import Path

import ipywidgets as widgets
import sklearn.metrics

from nnlib import data
from nnlib.nn import metrics
from nnlib.show.liveplot import LivePlot
from nnlib.show.plotting import OKABE_ITO, plot_confusion_matrix, plot_history
from nnlib.show.predictions import check_images
from nnlib.widgets import release_note

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Three sets, three jobs
#
# | set | used for | touched |
# |---|---|---|
# | **training** | fitting the weights (gradient descent) | every step |
# | **validation** | choosing *everything else*: architecture, learning rate, epochs, regularisation | after every epoch / every trial |
# | **test** | one final, honest estimate of performance on new data | **once**, at the very end |
#
# Every decision we base on a set leaks a little information about it into the model. If we tuned on
# the test set, its accuracy would be optimistic — it would no longer measure new data. So we carve
# the validation set out of the *training* data and lock the test set away.

# %% slideshow={"slide_type": "subslide"}
(x_train_all, y_train_all), (x_test, y_test) = data.load_mnist()
(x_train, y_train), (x_val, y_val) = data.train_val_split(
    x_train_all, y_train_all, val_fraction=0.2, seed=0
)
n_train_all = len(x_train_all)
del x_train_all  # the split made copies: free the original (Binder gives us about 2 GB)

# The pixels stay bytes (uint8, 0..255): a quarter of the memory of float32 (60 000 MNIST
# images: 47 MB instead of 188 MB). The models scale them to 0..1 themselves, with a
# Rescaling layer as their first step (see build_mlp) - the scaling of lesson 07, done inside
# the model. On Binder's 2 GB this is what keeps the lesson in memory.
check_images(x_train[:100] / 255)  # shape (n, 28, 28) and range 0..1 after scaling: fine
print(f"training {len(x_train)}, validation {len(x_val)}, test {len(x_test)}")
assert len(x_train) + len(x_val) == n_train_all

fig, ax = plt.subplots(figsize=(8, 3.5))
for i, (name, labels) in enumerate(
    [("training", y_train), ("validation", y_val), ("test", y_test)]
):
    share = np.bincount(labels, minlength=10) / len(labels)
    ax.bar(np.arange(10) + (i - 1) * 0.27, share, width=0.27, color=OKABE_ITO[i], label=name)
ax.set(
    title="Each split has every digit in similar proportions",
    xlabel="digit",
    ylabel="fraction of the split",
    xticks=range(10),
)
ax.legend()
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A baseline, watched live
#
# Lesson 7's MLP (Flatten → Dense 128 ReLU → Dense 10 softmax). We pass the validation set to `fit`,
# so Keras reports `val_loss` and `val_accuracy` after every epoch, and a **callback** —
# `nnlib.show.liveplot.LivePlot`, about 100 lines you can read — redraws both curves while it trains.
# A callback is an object whose methods Keras calls at fixed moments (`on_epoch_end`, ...).
#
# **Quick mode:** 2 epochs (full: 5), and the live plot is drawn once, at the end.


# %% slideshow={"slide_type": "subslide"}
def build_mlp(hidden=(128,), activation="relu", learning_rate=1e-3, dropout=0.0, l2=0.0):
    """An MLP for 28x28 uint8 images: scale to 0..1, Flatten, hidden Dense layers (+ optional
    Dropout / L2), softmax."""
    layers = [keras.Input(shape=(28, 28)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten()]
    for units in hidden:
        reg = keras.regularizers.L2(l2) if l2 else None
        layers.append(keras.layers.Dense(units, activation=activation, kernel_regularizer=reg))
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        # the plain cross-entropy as a metric: Keras's "loss" also contains the L2 penalty
        metrics=["accuracy", keras.metrics.SparseCategoricalCrossentropy(name="ce")],
    )
    return model


baseline = build_mlp()
history = baseline.fit(
    x_train,
    y_train,
    epochs=pick(full=5, quick=2),
    batch_size=32,
    validation_data=(x_val, y_val),
    verbose=0,
    # quick mode: one redraw, at the end (a redraw costs more than a quick epoch)
    callbacks=[
        LivePlot(every=pick(full=1, quick=2), metrics=("loss", "accuracy"), title="Baseline")
    ],
)
print("validation accuracy per epoch:", np.round(history.history["val_accuracy"], 3))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Beyond accuracy: precision, recall, F1
#
# Accuracy is one number for all classes. Per class $c$, count
#
# * **TP** (true positives): digits $c$ predicted as $c$; **FP**: other digits predicted as $c$;
#   **FN**: digits $c$ predicted as something else.
#
# $$\text{precision}_c = \frac{TP}{TP + FP}\qquad \text{recall}_c = \frac{TP}{TP + FN}\qquad
# F_1 = \frac{2\,\text{precision}\cdot\text{recall}}{\text{precision} + \text{recall}}$$
#
# *Precision*: when the model says "7", how often is it a 7? *Recall*: of all the 7s, how many does it
# find? All of them come from the **confusion matrix** $C$ (row = true class, column = prediction):
# TP is the diagonal, precision divides it by the column sums, recall by the row sums.

# %% slideshow={"slide_type": "subslide"}
val_probs = baseline.predict(x_val, verbose=0)
val_pred = val_probs.argmax(axis=1)
cm = metrics.confusion_matrix(y_val, val_pred, n_classes=10)
precision, recall, f1 = metrics.precision_recall_f1(y_val, val_pred, n_classes=10)
print(f"validation accuracy: {metrics.accuracy(y_val, val_pred):.3f}")
print("class      precision  recall   F1")
for c in range(10):
    print(f"{c:>5}      {precision[c]:9.3f} {recall[c]:7.3f} {f1[c]:6.3f}")
print(f"macro avg  {precision.mean():9.3f} {recall.mean():7.3f} {f1.mean():6.3f}")

# nnlib's hand-written metrics agree with scikit-learn's
sk_p, sk_r, sk_f1, _ = sklearn.metrics.precision_recall_fscore_support(
    y_val, val_pred, labels=range(10), zero_division=0
)
assert np.array_equal(cm, sklearn.metrics.confusion_matrix(y_val, val_pred, labels=range(10)))
assert np.allclose(precision, sk_p) and np.allclose(recall, sk_r) and np.allclose(f1, sk_f1)
assert np.isclose(
    metrics.accuracy(y_val, val_pred), sklearn.metrics.accuracy_score(y_val, val_pred)
)

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1.1, 1]})
plot_confusion_matrix(y_val, val_pred, ax=axes[0], title="Confusion matrix (validation)")
for i, (name, values) in enumerate([("precision", precision), ("recall", recall), ("F1", f1)]):
    axes[1].bar(np.arange(10) + (i - 1) * 0.27, values, width=0.27, color=OKABE_ITO[i], label=name)
axes[1].set(
    title="Per-class scores (validation)",
    xlabel="digit",
    ylabel="score",
    xticks=range(10),
    ylim=(min(0.5, f1.min() - 0.05), 1.0),
)
axes[1].legend(loc="lower right")
plt.show()
worst = int(np.argmin(f1))
off = cm - np.diag(np.diag(cm))
t, p = np.unravel_index(off.argmax(), off.shape)
print(
    f"hardest digit (lowest F1): {worst}; most common confusion: true {t} predicted as {p} "
    f"({off[t, p]} times)"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: trading precision for recall
#
# A classifier's yes/no needs a **threshold**. Treat one digit as "positive" and call a validation
# image positive when the model's probability for that digit is at least the threshold. A *high*
# threshold: few, confident "yes" answers → high precision, low recall. A *low* threshold: the
# opposite. Move the slider and watch the point travel along the curve.

# %% tags=["nnlib-widget"]
thresholds = np.linspace(0.02, 0.98, 49)


def precision_recall_at(digit, threshold):
    """Precision and recall of "is it a <digit>?" when we say yes at p >= threshold."""
    says_yes = val_probs[:, digit] >= threshold
    is_digit = y_val == digit
    tp = np.sum(says_yes & is_digit)
    precision = tp / says_yes.sum() if says_yes.sum() else 1.0
    return float(precision), float(tp / is_digit.sum())


def show_threshold(digit=9, threshold=0.5):
    curve = np.array([precision_recall_at(digit, t) for t in thresholds])
    p, r = precision_recall_at(digit, threshold)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(curve[:, 1], curve[:, 0], color=OKABE_ITO[0], label="all thresholds")
    ax.plot([r], [p], "o", color=OKABE_ITO[5], markersize=10, label=f"threshold {threshold:.2f}")
    ax.set(
        title=f'"Is it a {digit}?" precision {p:.3f}, recall {r:.3f}',
        xlabel="recall",
        ylabel="precision",
        xlim=(0, 1.02),
        ylim=(0, 1.02),
    )
    ax.legend(loc="lower left")
    plt.show()
    return p, r


threshold_widget = widgets.interactive(
    show_threshold,
    digit=widgets.Dropdown(options=list(range(10)), value=9, description="digit"),
    threshold=widgets.FloatSlider(
        0.5, min=0.02, max=0.98, step=0.02, description="threshold", continuous_update=False
    ),
)
release_note(threshold_widget, "The slider applies when you release it (or use the arrow keys).")

# %% slideshow={"slide_type": "skip"}
# What the widget shows, checked: a higher threshold gives higher precision and lower recall;
# at 0.5 the one-vs-rest recall is close to the multi-class recall of section 3.
p_lo, r_lo = precision_recall_at(9, 0.1)
p_hi, r_hi = precision_recall_at(9, 0.9)
print(
    f"digit 9: threshold 0.1 -> P {p_lo:.3f} R {r_lo:.3f}; threshold 0.9 -> P {p_hi:.3f} R {r_hi:.3f}"
)
assert r_hi <= r_lo and p_hi >= p_lo
assert abs(precision_recall_at(9, 0.5)[1] - recall[9]) < 0.1
plt.close("all")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The accuracy paradox
#
# "Is it a 9?" is a **rare-class** question: only about one image in ten is a 9. A "model" that
# always answers *no* is right on every other image — about 90 % accuracy — and finds not a single
# 9. Accuracy hides that; recall does not. For rare classes, look at precision and recall, or at
# the curves below, which sweep every threshold at once:
#
# * the **precision–recall curve** (the widget's curve) and its summary, the *average precision*;
# * the **ROC curve**: the true-positive rate (recall) against the false-positive rate, the share of
#   non-9s wrongly called 9; its summary is the area under it, **ROC AUC** (1 = perfect, 0.5 = coin).
#   With many negatives the false-positive rate stays small even when the false positives outnumber
#   the 9s found, so ROC can look better than precision–recall on rare classes.

# %%
is_nine = (y_val == 9).astype(int)
always_no = np.zeros_like(is_nine)
print(f"share of 9s in the validation set: {is_nine.mean():.3f}")
print(
    f'"always no": accuracy {metrics.accuracy(is_nine, always_no):.3f}, '
    f"recall {sklearn.metrics.recall_score(is_nine, always_no, zero_division=0):.3f}"
)
says_nine = (val_probs[:, 9] >= 0.5).astype(int)
print(
    f"the network at 0.5: accuracy {metrics.accuracy(is_nine, says_nine):.3f}, "
    f"recall {sklearn.metrics.recall_score(is_nine, says_nine):.3f}"
)
assert metrics.accuracy(is_nine, always_no) > 0.85  # the paradox: high accuracy ...
assert sklearn.metrics.recall_score(is_nine, always_no, zero_division=0) == 0  # ... finds no 9

fpr, tpr, _ = sklearn.metrics.roc_curve(is_nine, val_probs[:, 9])
prec_curve, rec_curve, _ = sklearn.metrics.precision_recall_curve(is_nine, val_probs[:, 9])
auc = sklearn.metrics.roc_auc_score(is_nine, val_probs[:, 9])
ap = sklearn.metrics.average_precision_score(is_nine, val_probs[:, 9])
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
axes[0].plot(rec_curve, prec_curve, color=OKABE_ITO[0], label=f"network (AP {ap:.3f})")
axes[0].axhline(is_nine.mean(), color=OKABE_ITO[7], linestyle="--", label="guessing")
axes[0].set(title='"Is it a 9?" precision–recall', xlabel="recall", ylabel="precision")
axes[1].plot(fpr, tpr, color=OKABE_ITO[0], label=f"network (AUC {auc:.3f})")
axes[1].plot([0, 1], [0, 1], color=OKABE_ITO[7], linestyle="--", label="guessing")
axes[1].set(title='"Is it a 9?" ROC', xlabel="false-positive rate", ylabel="true-positive rate")
for ax in axes:
    ax.legend(loc="lower center")
plt.show()
print(f"ROC AUC {auc:.3f}, average precision {ap:.3f}")
assert auc > ap > is_nine.mean()  # both far above guessing; ROC looks rosier on a rare class

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How much does one split's number move? K-fold cross-validation
#
# Our validation accuracy comes from *one* random split. With little data, another split would give
# another number. **K-fold cross-validation** splits the data into $K$ folds, trains $K$ times —
# each time validating on a different fold — and reports the mean and the spread. It costs $K$
# trainings, so it is used on small data sets; here scikit-learn's 1 797 8×8 digits (offline), a
# small MLP and $K = 5$ (quick mode: $K = 3$, 2 epochs per fold):

# %%
from sklearn.model_selection import StratifiedKFold

digits_x, digits_y = data.load_digits()
digits_x = digits_x.reshape(len(digits_x), -1) / 16.0  # 64 pixels in 0..1
n_folds = pick(full=5, quick=3)
fold_acc = []
for fold, (fit_idx, val_idx) in enumerate(
    StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0).split(digits_x, digits_y)
):
    keras.utils.set_random_seed(fold)
    small = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    small.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    small.fit(
        digits_x[fit_idx],
        digits_y[fit_idx],
        epochs=pick(full=20, quick=2),
        batch_size=32,
        verbose=0,
    )
    fold_acc.append(small.evaluate(digits_x[val_idx], digits_y[val_idx], verbose=0)[1])
    print(f"fold {fold + 1} of {n_folds}: accuracy {fold_acc[-1]:.3f}", flush=True)  # progress
fold_acc = np.array(fold_acc)
print("accuracy per fold:", np.round(fold_acc, 3))
print(
    f"{n_folds}-fold estimate: {fold_acc.mean():.3f} ± {fold_acc.std():.3f} (spread between folds {np.ptp(fold_acc):.3f})"
)
assert (
    fold_acc.min() > 0.85 and np.ptp(fold_acc) > 0
)  # one split could have said anything in that range

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. A small hyperparameter sweep
#
# *Hyperparameters* are the choices gradient descent does not make: number of layers, neurons per
# layer, learning rate, activation, batch size, ... We change **one at a time** from the baseline
# (128 ReLU neurons, 1 layer, learning rate $10^{-3}$, batch 32), train each variant for the same
# number of epochs, and compare **validation** accuracy. (A full grid would multiply the runs; random
# search is the usual next step.)
#
# **Quick mode:** 800 training digits, 1 epoch, and one alternative per hyperparameter, so the
# numbers are rough; the full run uses up to 10 000 digits, 4 epochs and two alternatives each.

# %% slideshow={"slide_type": "subslide"}
BASE = {"layers": 1, "neurons": 128, "learning rate": 1e-3, "activation": "relu", "batch size": 32}
SWEEP = pick(
    full={
        "layers": [1, 2, 3],
        "neurons": [32, 128, 512],
        "learning rate": [1e-4, 1e-3, 1e-2],
        "activation": ["relu", "tanh", "sigmoid"],
        "batch size": [16, 32, 128],
    },
    quick={
        "layers": [1, 2],
        "neurons": [32, 128],
        "learning rate": [1e-3, 1e-2],
        "activation": ["relu", "sigmoid"],
        "batch size": [32, 128],
    },
)
n_sweep = min(len(x_train), pick(full=10_000, quick=800))
sweep_epochs = pick(full=4, quick=1)


def train_config(config):
    keras.backend.clear_session()  # forget the previous variant's model (frees its memory now)
    keras.utils.set_random_seed(0)  # the same initial weights for every variant
    model = build_mlp(
        hidden=(config["neurons"],) * config["layers"],
        activation=config["activation"],
        learning_rate=config["learning rate"],
    )
    t0 = time.perf_counter()
    h = model.fit(
        x_train[:n_sweep],
        y_train[:n_sweep],
        epochs=sweep_epochs,
        batch_size=config["batch size"],
        validation_data=(x_val, y_val),
        verbose=0,
    )
    return {"val_accuracy": h.history["val_accuracy"][-1], "seconds": time.perf_counter() - t0}


results = {}  # (hyperparameter, value) -> result
base_result = train_config(BASE)
for name, values in SWEEP.items():
    for value in values:
        results[name, value] = (
            base_result if value == BASE[name] else train_config({**BASE, name: value})
        )
        print(
            f"{name:>14} = {value!s:<8} val accuracy {results[name, value]['val_accuracy']:.3f}"
            f"  ({results[name, value]['seconds']:.1f} s)"
        )

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, len(SWEEP), figsize=(3.2 * len(SWEEP), 3.6), sharey=True)
for ax, (name, values) in zip(axes, SWEEP.items()):
    accs = [results[name, v]["val_accuracy"] for v in values]
    colors = [OKABE_ITO[1] if v == BASE[name] else OKABE_ITO[0] for v in values]
    ax.bar([str(v) for v in values], accs, color=colors)
    ax.set(title=name, xlabel=name, ylim=(max(0.0, min(accs) - 0.1), 1.0))
axes[0].set_ylabel("validation accuracy")
fig.suptitle(
    f"One hyperparameter at a time (baseline in orange; {n_sweep} digits, {sweep_epochs} epoch(s))"
)
plt.show()

best_name, best_value = max(results, key=lambda k: results[k]["val_accuracy"])
best = {**BASE, best_name: best_value}
print("best variant on the validation set:", best)
lr_accs = {v: results["learning rate", v]["val_accuracy"] for v in SWEEP["learning rate"]}
assert all(
    0.1 <= r["val_accuracy"] <= 1 for r in results.values()
)  # every variant learned something
assert max(lr_accs.values()) - min(lr_accs.values()) > 0.005  # the learning rate matters

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read the sweep with care: the differences between neighbours are often a point or two — about the
# noise you get from a different random seed. The learning rate usually matters most; too small and
# the model has not got anywhere after a few epochs. Only now, with the choice made **on the
# validation set**, do we train the chosen variant on all training data and report its **test**
# accuracy — once (the end of section 6 does exactly that with `best`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Overfitting — and three cures
#
# Give a big network (2 × 256 neurons, 270 000 parameters) only **300** training digits and train
# long. It can memorise them: the training loss goes to almost zero while the validation loss stops
# improving and turns up. The distance between the curves — the **generalisation gap** — is
# overfitting.
#
# **Quick mode:** 12 epochs (full: 30).

# %% slideshow={"slide_type": "subslide"}
x_small, y_small = x_train[:300], y_train[:300]
x_val_small, y_val_small = x_val[:500], y_val[:500]
over_epochs = pick(full=30, quick=12)


def train_small(callbacks=(), **regularisation):
    keras.utils.set_random_seed(0)  # the same initial weights for every run
    model = build_mlp(hidden=(256, 256), **regularisation)
    h = model.fit(
        x_small,
        y_small,
        epochs=over_epochs,
        batch_size=32,
        verbose=0,
        validation_data=(x_val_small, y_val_small),
        callbacks=list(callbacks),
    )
    return model, h.history


def gap(h):
    """Final validation cross-entropy minus final training cross-entropy."""
    return h["val_ce"][-1] - h["ce"][-1]


plain_model, plain = train_small()
plot_history(
    {
        "loss": plain["ce"],
        "val_loss": plain["val_ce"],
        "accuracy": plain["accuracy"],
        "val_accuracy": plain["val_accuracy"],
    },
    title="300 digits, no regularisation",
)
plt.show()
print(
    f"final training accuracy {plain['accuracy'][-1]:.3f}, validation {plain['val_accuracy'][-1]:.3f}"
)
print(
    f"validation loss: lowest {min(plain['val_ce']):.3f} at epoch "
    f"{int(np.argmin(plain['val_ce'])) + 1}, final {plain['val_ce'][-1]:.3f}; gap {gap(plain):.3f}"
)
assert plain["accuracy"][-1] >= 0.99  # memorised the training digits
assert plain["accuracy"][-1] - plain["val_accuracy"][-1] > 0.08  # ... but not the validation ones
assert plain["val_ce"][-1] > min(plain["val_ce"])  # validation loss has turned up
assert gap(plain) > 0.3

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Cure 1: dropout
#
# `Dropout(0.5)` after each hidden layer switches off a random half of the neurons at every training
# step, and none at prediction time. So that the next layer sees inputs of the same expected size in
# both cases, Keras scales the surviving outputs **during training** by $1/(1-p)$ (here × 2:
# "inverted dropout"); at prediction time `Dropout` passes its input through unchanged. No neuron can
# rely on a particular other one, so the network cannot simply memorise.
#
# ### Cure 2: L2 regularisation (weight decay)
#
# `kernel_regularizer=keras.regularizers.L2(λ)` adds $\lambda \sum w^2$ to the loss, pulling every
# weight towards 0: smaller weights, smoother functions, less confident outputs. (That is why we
# compare the plain cross-entropy `ce`: Keras's `loss` includes the penalty.)

# %% slideshow={"slide_type": "subslide"}
# Inverted dropout, seen on ten ones: training zeroes about half and doubles the rest (1 / (1 - 0.5));
# prediction passes them through unchanged.
ones = np.ones((1, 10), dtype="float32")
dropout_layer = keras.layers.Dropout(0.5, seed=0)
in_training = keras.ops.convert_to_numpy(dropout_layer(ones, training=True))
print(
    "training:", in_training[0], "| prediction:", keras.ops.convert_to_numpy(dropout_layer(ones))[0]
)
assert set(np.unique(in_training)) <= {0.0, 2.0}
assert np.array_equal(keras.ops.convert_to_numpy(dropout_layer(ones, training=False)), ones)

dropout_model, dropped = train_small(dropout=0.5)
l2_model, l2 = train_small(l2=1e-2)


def squared_weights(model):
    return sum(float(np.sum(w**2)) for w in model.get_weights()[::2])  # kernels only


fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), sharey=True)
for ax, (name, h) in zip(
    axes, [("no regularisation", plain), ("dropout 0.5", dropped), ("L2 0.01", l2)]
):
    epochs_axis = np.arange(1, len(h["ce"]) + 1)
    ax.plot(epochs_axis, h["ce"], color=OKABE_ITO[0], label="training")
    ax.plot(epochs_axis, h["val_ce"], color=OKABE_ITO[1], linestyle="--", label="validation")
    ax.set(title=f"{name}: gap {gap(h):.2f}", xlabel="epoch")
    ax.legend()
axes[0].set_ylabel("cross-entropy")
plt.show()
for name, h, m in [
    ("none", plain, plain_model),
    ("dropout", dropped, dropout_model),
    ("L2", l2, l2_model),
]:
    print(
        f"{name:>8}: train acc {h['accuracy'][-1]:.3f}, val acc {h['val_accuracy'][-1]:.3f}, "
        f"val loss {h['val_ce'][-1]:.3f}, gap {gap(h):.3f}, sum of w^2 {squared_weights(m):8.1f}"
    )
print(
    f"the gap shrinks by {100 * (1 - gap(dropped) / gap(plain)):.0f} % with dropout, "
    f"by {100 * (1 - gap(l2) / gap(plain)):.0f} % with L2"
)
assert gap(dropped) < 0.9 * gap(plain)  # dropout shrinks the gap (by how much: printed above)
assert gap(l2) < 0.95 * gap(plain)  # so does L2 ...
assert squared_weights(l2_model) < 0.5 * squared_weights(
    plain_model
)  # ... by keeping weights small
if over_epochs >= 30:  # trained long: the plain run's validation loss has climbed well above both
    assert dropped["val_ce"][-1] < plain["val_ce"][-1] and l2["val_ce"][-1] < plain["val_ce"][-1]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Honest reading: both cures shrink the gap, and L2 visibly keeps the weights small. (Part of
# dropout's smaller gap is bookkeeping: Keras averages the *training* loss over the epoch with dropout
# switched on, so that curve sits higher than the network's real fit.) Whether they
# also *improve* the validation loss depends on how long we train: after 30 epochs (full mode) both
# end below the unregularised network (the assert checks it), whose validation loss keeps climbing;
# after 12 epochs (quick mode) the differences are small. Neither buys much validation accuracy here — the dropout
# rate and λ are more hyperparameters to tune on the validation set, and with only 300 examples
# nothing beats **more data** (compare section 2).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Callbacks: stop early, keep the best
#
# The plain run's validation loss was lowest after a few epochs — everything after that was wasted
# or harmful. Two callbacks automate "stop there and keep that model":
#
# * `keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)`
#   stops when `val_loss` has not improved for 3 epochs and puts back the weights of the best epoch.
# * `keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)` saves the model
#   to a `.keras` file every time `val_loss` improves — so the best model survives even a crash.
#
# Same network, same seed as the plain run — this time with both callbacks and the live plot.

# %% slideshow={"slide_type": "subslide"}
with tempfile.TemporaryDirectory() as folder:
    best_path = Path(folder) / "best.keras"
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(best_path, monitor="val_loss", save_best_only=True),
        LivePlot(every=pick(full=3, quick=5), metrics=("loss", "accuracy"), title="Early stopping"),
    ]
    stopped_model, stopped = train_small(callbacks=callbacks)
    best_from_file = keras.models.load_model(best_path)
# kept for the final comparison in the next subsection (on all the validation digits)
val_acc_300 = stopped_model.evaluate(x_val, y_val, verbose=0)[1]

best_epoch = int(np.argmin(stopped["val_loss"])) + 1
print(
    f"trained {len(stopped['val_loss'])} of {over_epochs} epochs; best epoch {best_epoch} "
    f"with val_loss {min(stopped['val_loss']):.4f}"
)
val_loss_file = best_from_file.evaluate(x_val_small, y_val_small, verbose=0)[0]
val_loss_restored = stopped_model.evaluate(x_val_small, y_val_small, verbose=0)[0]
print(
    f"val_loss of the checkpoint file {val_loss_file:.4f}, of the restored model {val_loss_restored:.4f}"
)
assert len(stopped["val_loss"]) < over_epochs  # it stopped early
assert np.isclose(
    val_loss_file, min(stopped["val_loss"]), rtol=1e-4
)  # the file holds the best epoch
assert np.isclose(val_loss_restored, min(stopped["val_loss"]), rtol=1e-4)  # and so does the model
assert val_loss_restored < plain["val_loss"][-1]  # better than training to the end

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The final, honest number
#
# The early-stopped network above saw only 300 training digits: it taught us about overfitting,
# but it is not the model we chose. Our choice is section 4's best variant, `best`. We train it on
# **all** the training digits, with early stopping on the validation set, compare it with the
# 300-digit model **on the validation set** — and only then touch the test set, once, with the
# winner. Note how close the test accuracy is to the validation estimate: the validation set did
# its job.

# %% slideshow={"slide_type": "subslide"}
# let the earlier models go (memory); assigning None, not `del`, so the cell can be run again
baseline = history = plain_model = dropout_model = stopped_model = best_from_file = callbacks = None
keras.backend.clear_session()  # free the earlier models (it runs Python's garbage collector too)
keras.utils.set_random_seed(0)
final_model = build_mlp(
    hidden=(best["neurons"],) * best["layers"],
    activation=best["activation"],
    learning_rate=best["learning rate"],
)
final_history = final_model.fit(
    x_train,
    y_train,
    epochs=pick(full=5, quick=2),
    batch_size=best["batch size"],
    validation_data=(x_val, y_val),
    verbose=0,
    callbacks=[
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
        LivePlot(
            every=pick(full=1, quick=2),
            metrics=("loss", "accuracy"),
            title="The chosen variant, all digits",
        ),
    ],
)
val_acc = final_model.evaluate(x_val, y_val, verbose=0)[1]
print(f"validation accuracy: chosen variant {val_acc:.3f}, 300-digit model {val_acc_300:.3f}")
assert val_acc > val_acc_300  # the chosen variant wins on the validation set ...
test_loss, test_acc = final_model.evaluate(x_test, y_test, verbose=0)[
    :2
]  # ... so it alone is tested
print(
    f"validation accuracy {val_acc:.3f}, test accuracy {test_acc:.3f} ({len(x_test)} test digits)"
)
assert test_acc > 0.85 and abs(test_acc - val_acc) < 0.04

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How `LivePlot` works
#
# A Keras callback is a class with methods Keras calls during `fit`. `LivePlot` collects the `logs`
# dictionary after every epoch and redraws its figure every `every` epochs:
#
# ```python
# class LiveCurves:
#     def on_epoch_end(self, epoch, logs=None):
#         for k, v in logs.items():
#             self.history.setdefault(k, []).append(float(v))
#         if (epoch + 1) % self.every == 0:
#             self.redraw()
# ```
#
# Because `nnlib.nn.Sequential.fit` calls the same method names, the same object also watches our
# NumPy network train (`LivePlot` is `nnlib.show.liveplot.LiveCurves` plus Keras' `Callback` base class):

# %% slideshow={"slide_type": "subslide"}
from nnlib.nn import Adam, Dense, Sequential

numpy_model = Sequential([Dense(64, "relu", input_dim=784), Dense(10, "softmax")], seed=0)
numpy_model.compile(Adam(1e-3), "sparse_categorical_crossentropy", ["accuracy"])
live = LivePlot(every=5, title="nnlib network")
numpy_model.fit(
    x_small.reshape(300, -1) / 255,  # nnlib's network has no Rescaling layer: scale here
    y_small,
    epochs=10,
    batch_size=32,
    validation_data=(x_val_small.reshape(500, -1) / 255, y_val_small),
    callbacks=[live],
)
print("redraws:", live.n_draws, "| logged:", sorted(live.history))
assert live.n_draws == 2 and len(live.history["val_accuracy"]) == 10


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Exercises
#
# Each exercise has a code cell for your answer, a cell that checks it, and a cell with
# `hint(...)` / `solution(...)` (uncomment to use).
#
# ### Exercise 1 — precision and recall from a confusion matrix
#
# Write `precision_recall(cm)` returning two arrays, the per-class precision and recall, from a
# confusion matrix `cm` (rows: true class, columns: predicted class). A class that is never predicted
# gets precision 0 (and a class that never occurs gets recall 0).


# %%
def precision_recall(cm):
    # BEGIN SOLUTION
    cm = np.asarray(cm, dtype=float)
    tp = np.diag(cm)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    return precision, recall
    # END SOLUTION


# %%
check("08.precision_recall", precision_recall)


# %%
# hint("08.precision_recall")  # solution("08.precision_recall")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — pick the best epoch
#
# Write `best_epoch(history)`: given a Keras-style history dictionary (`history.history`, with lists
# `"loss"` and `"val_loss"`), return the epoch — **counting from 1**, as Keras prints it — with the
# lowest validation loss. Then try it on `stopped`, the history of section 6: is it the epoch
# `EarlyStopping` restored?


# %%
def best_epoch(history):
    # BEGIN SOLUTION
    return int(np.argmin(history["val_loss"])) + 1
    # END SOLUTION


# %%
check("08.best_epoch", best_epoch)


# %%
# hint("08.best_epoch")  # solution("08.best_epoch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — the L2 penalty
#
# Write `l2_penalty(kernels, lam)`: the number `keras.regularizers.L2(lam)` adds to the loss for a list
# of weight matrices: $\lambda \sum_{\text{layers}} \sum_{i,j} w_{ij}^2$. Then compare it with
# `l2_model.losses` (the penalties Keras computed for the model of section 5).


# %%
def l2_penalty(kernels, lam):
    # BEGIN SOLUTION
    return lam * sum(float(np.sum(np.square(w))) for w in kernels)
    # END SOLUTION


# %%
check("08.l2_penalty", l2_penalty)

# %%
# hint("08.l2_penalty")  # solution("08.l2_penalty")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — a "9 detector" you can trust (a result)
#
# A colleague wants to use the network as a detector for the digit 9, with one requirement: **when
# it says "9", it must be right at least 90 % of the time** (precision ≥ 0.9). Among the
# thresholds that meet this, the best one finds the most 9s (the highest recall). Write
# `threshold_for_precision(scores, is_positive, min_precision)`: it gets one score per image (the
# probability of the class), the true answers (`True` for a positive) and the precision required,
# and returns that best threshold — "yes" means `score >= threshold`, as in the widget.
#
# The check tries your function on score sets it makes itself (one of them is a trap: walking down
# from the highest threshold, the precision dips below the target and comes back). The cell after
# it then asks your function for the 9 detector on the validation set: is the threshold above or
# below the usual 0.5?


# %%
def threshold_for_precision(scores, is_positive, min_precision):
    # BEGIN SOLUTION
    scores, is_positive = np.asarray(scores), np.asarray(is_positive, dtype=bool)
    for t in np.unique(scores):  # ascending: the first that works says yes most often
        says_yes = scores >= t
        if np.sum(says_yes & is_positive) / np.sum(says_yes) >= min_precision:
            return float(t)
    return None  # no threshold reaches the precision
    # END SOLUTION


# %%
check("08.threshold_for_precision", threshold_for_precision)

# %%
# hint("08.threshold_for_precision")  # solution("08.threshold_for_precision")

# %%
t9 = threshold_for_precision(val_probs[:, 9], y_val == 9, 0.9)
if t9 is None:
    print("threshold_for_precision returned None: write it first (exercise 4, above)")
else:
    p9, r9 = precision_recall_at(9, t9)
    p9_half, r9_half = precision_recall_at(9, 0.5)
    print(f"the 9 detector: threshold {t9:.3f} -> precision {p9:.3f}, recall {r9:.3f}")
    print(f"at the usual 0.5:          precision {p9_half:.3f}, recall {r9_half:.3f}")
    assert p9 >= 0.9  # the requirement holds on the validation set ...
    assert r9 >= r9_half or p9_half < 0.9  # ... with 0.5's recall or more when 0.5 meets it too

# %% [markdown]
# The threshold was chosen on the **validation** set, like every other choice in this lesson; on
# new images its precision will be near 0.9, not guaranteed. To report the detector honestly, you
# would measure its precision and recall once on the test set.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * **Training** set to fit, **validation** set to choose, **test** set to report — once.
# * Per class: precision $= TP/(TP+FP)$, recall $= TP/(TP+FN)$, $F_1$ their harmonic mean; all from
#   the confusion matrix (columns for precision, rows for recall). A threshold trades one for the other;
#   choose it on the validation set for the precision (or recall) you need (exercise 4).
# * Sweep hyperparameters on the validation set; the learning rate usually matters most, and small
#   differences are often noise.
# * Overfitting = training loss falls, validation loss turns up. Dropout and L2 shrink the gap;
#   `EarlyStopping(restore_best_weights=True)` and `ModelCheckpoint(save_best_only=True)` keep the
#   best epoch's model; more data helps most.
# * Callbacks hook into `fit`; `LivePlot` shows the curves as they grow, for Keras and for `nnlib`.
#
# **Next:** lesson 9 — convolutional networks, which use the fact that the inputs are *images*.
