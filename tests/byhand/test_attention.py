"""nnlib.byhand.attention and nnlib.data.text (lesson 12): the NumPy pieces against the reference maths and
against Keras on the same weights, the causal mask, shapes, and clear errors for bad input."""

import subprocess
import sys

import numpy as np
import pytest

from nnlib.byhand import attention as A
from nnlib.data import text


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_attention_is_the_formula_written_out():
    rng = np.random.default_rng(0)
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    out, w = A.scaled_dot_product_attention(Q, K, V)
    expected_w = np.array(
        [[np.exp(q @ k / 2) for k in K] / sum(np.exp(q @ k / 2) for k in K) for q in Q]
    )  # sqrt(d) = 2, one query at a time
    np.testing.assert_allclose(w, expected_w)
    np.testing.assert_allclose(out, expected_w @ V)
    assert out.shape == (3, 2) and w.shape == (3, 5)


def test_attention_is_stable_for_large_scores_and_batches():
    rng = np.random.default_rng(1)
    Q, K, V = (
        1e3 * rng.normal(size=(2, 3, 3, 8)),
        rng.normal(size=(2, 3, 4, 8)),
        np.ones((2, 3, 4, 1)),
    )
    out, w = A.scaled_dot_product_attention(Q, K, V)
    assert np.all(np.isfinite(w)) and np.allclose(w.sum(-1), 1) and np.allclose(out, 1)


def test_causal_mask_and_masked_attention():
    m = A.causal_mask(4)
    assert m.dtype == bool and m.shape == (4, 4)
    assert m[3].all() and m[0].sum() == 1 and not m[1, 2]  # query i sees keys 0..i
    X = np.random.default_rng(2).normal(size=(4, 3))
    out, w = A.scaled_dot_product_attention(X, X, X, m)
    assert np.all(w[~m] == 0) and np.allclose(w.sum(-1), 1)
    np.testing.assert_allclose(out[0], X[0])  # the first position only sees itself
    # masking equals computing each prefix separately
    for i in range(4):
        prefix_out, _ = A.scaled_dot_product_attention(X[i : i + 1], X[: i + 1], X[: i + 1])
        np.testing.assert_allclose(out[i], prefix_out[0])


@pytest.mark.parametrize(
    "args, words",
    [
        ((np.ones((2, 3)), np.ones((4, 5)), np.ones((4, 2))), "same feature size"),
        ((np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 2))), "one row per key"),
        ((np.ones(3), np.ones((4, 3)), np.ones((4, 2))), "at least 2 dimensions"),
    ],
)
def test_attention_bad_shapes_are_named(args, words):
    with pytest.raises(ValueError, match=words):
        A.scaled_dot_product_attention(*args)


def test_bad_masks_and_lengths_are_named():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match="does not fit"):
        A.scaled_dot_product_attention(X, X, X, np.ones((2, 2), bool))
    with pytest.raises(ValueError, match="at least one key"):
        A.scaled_dot_product_attention(X, X, X, np.zeros((3, 3), bool))
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="positive int"):
            A.causal_mask(bad)
    with pytest.raises(ValueError, match="8 arrays"):
        A.multi_head_attention(np.ones((1, 2, 4)), np.ones((1, 2, 4)), [np.ones(1)] * 3)
    with pytest.raises(TypeError, match="integers"):
        A.embedding(np.array([0.5]), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"0\.\.2"):
        A.embedding(np.array([3]), np.ones((3, 2)))
    with pytest.raises(ValueError, match="even"):
        A.sinusoidal_positions(4, 3)


def test_layer_norm_and_positions_reference_maths():
    x = np.array([[1.0, 2.0, 3.0, 6.0]])
    y = A.layer_norm(x, np.ones(4), np.zeros(4), eps=0.0)
    assert np.isclose(y.mean(), 0) and np.isclose(y.std(), 1)
    pe = A.sinusoidal_positions(10, 6)
    assert pe.shape == (10, 6) and np.allclose(pe[0], [0, 1, 0, 1, 0, 1])
    np.testing.assert_allclose(pe[3, 0], np.sin(3.0))


def test_matches_keras_layers_on_the_same_weights():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(3).normal(size=(2, 5, 8)).astype("float32")
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    k_out, k_att = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    out, att = A.multi_head_attention(x, x, mha.get_weights(), A.causal_mask(5))
    np.testing.assert_allclose(out, np.asarray(k_out), atol=1e-5)
    np.testing.assert_allclose(att, np.asarray(k_att), atol=1e-6)
    ln = keras.layers.LayerNormalization()
    ln.build((None, 8))
    ln.set_weights([np.linspace(0.5, 2, 8), np.linspace(-1, 1, 8)])
    np.testing.assert_allclose(A.layer_norm(x, *ln.get_weights()), np.asarray(ln(x)), atol=1e-5)
    emb = keras.layers.Embedding(7, 3)
    ids = np.array([[0, 6, 2]])
    np.testing.assert_allclose(np.asarray(emb(ids)), A.embedding(ids, emb.get_weights()[0]))


def test_transformer_block_residuals_and_causality():
    rng = np.random.default_rng(4)
    d, h, k = 8, 2, 4
    mha = [rng.normal(size=s) * 0.3 for s in [(d, h, k), (h, k)] * 3 + [(h, k, d), (d,)]]
    w = {
        "ln1": (np.ones(d), np.zeros(d)),
        "ln2": (np.ones(d), np.zeros(d)),
        "mha": mha,
        "mlp": [rng.normal(size=(d, 16)), np.zeros(16), rng.normal(size=(16, d)), np.zeros(d)],
    }
    x = rng.normal(size=(1, 6, d))
    y = A.transformer_block(x, w, A.causal_mask(6))
    assert y.shape == x.shape
    x2 = x.copy()
    x2[:, 4:] += 5.0  # change the future
    np.testing.assert_allclose(A.transformer_block(x2, w, A.causal_mask(6))[:, :4], y[:, :4])
    zero = dict(
        w,
        mha=mha[:6] + [np.zeros((h, k, d)), np.zeros(d)],
        mlp=[w["mlp"][0], np.zeros(16), np.zeros((16, d)), np.zeros(d)],
    )
    np.testing.assert_allclose(A.transformer_block(x, zero), x)  # both branches 0: identity


def test_importing_attention_and_text_never_imports_tensorflow():
    code = "import nnlib.byhand.attention, nnlib.data.text, sys; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_web_bible_loads_offline_and_splits_by_chapter():
    train, val = text.load_web_bible(verbose=False)
    assert train.startswith("In the beginning God created the heavens and the earth.\n")
    assert "{" not in train + val and "}" not in train + val  # footnotes removed
    assert train.count("\n") + val.count("\n") == 31102  # one verse per line
    assert 0.08 < len(val) / (len(train) + len(val)) < 0.12
    vocab = text.CharVocab(train + val)
    assert len(vocab) == len(set(train + val)) and vocab.decode(vocab.encode(val[:50])) == val[:50]


def test_the_held_out_chapters_span_the_bible_but_not_every_book():
    """What lesson 12 and load_web_bible's docstring say: every 10th chapter, counted through the
    whole Bible, is held out; 47 of the 66 books have one (Genesis and Revelation do)."""
    import csv
    import gzip

    books, held, n, last = [], set(), -1, None
    with gzip.open(text._web_file(), "rt", encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for _id, book, chapter, _verse, _text in rows:
            if (book, chapter) != last:
                n, last = n + 1, (book, chapter)
                books += [] if books and books[-1] == book else [book]
                if n % 10 == 9:
                    held.add(book)
    assert (len(books), len(held)) == (66, 47)
    assert books[0] in held and books[-1] in held


def test_text_helpers_and_their_errors():
    vocab = text.CharVocab("abca")
    assert vocab.chars == ["a", "b", "c"] and list(vocab.encode("cab")) == [2, 0, 1]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode("abz")
    with pytest.raises(TypeError, match="non-empty str"):
        text.CharVocab("")
    ids = np.arange(100)
    x, y = text.random_windows(ids, 7, 10, seed=0)
    assert x.shape == y.shape == (7, 10) and np.all(y == x + 1)
    with pytest.raises(ValueError, match="longer than context"):
        text.random_windows(ids[:5], 2, 10)
    P = text.bigram_counts(np.array([0, 1, 0, 1]), 2, smoothing=0.0)
    np.testing.assert_allclose(P, [[0, 1], [1, 0]])
    assert text.bits_per_char([0.5, 0.25]) == 1.5
    with pytest.raises(ValueError, match="probabilities"):
        text.bits_per_char([0.0, 0.5])
    with pytest.raises(ValueError, match="every must be"):
        text.load_web_bible(every=1)


@pytest.mark.parametrize("norm", ["pre", "post"])
def test_transformer_block_diagram(norm):
    """Lesson 12's block diagram: the boxes in the order of its norm, alt text, clear errors."""
    import matplotlib.pyplot as plt

    from nnlib.show.figures import alt_text
    from nnlib.show.transformer_diagram import BLOCK_WORDS, draw_transformer_block

    ax = draw_transformer_block(norm=norm)
    labels = [t.get_text() for t in ax.texts if hasattr(t, "_nnlib_box_width")]
    first = {"pre": "LayerNorm", "post": "causal multi-head\nattention"}[norm]
    assert labels[0] == first and labels.count("LayerNorm") == 2 and len(labels) == 4
    assert f"{norm.title()}-norm" in ax.get_title()
    assert BLOCK_WORDS[norm] in alt_text(ax.figure)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match='"pre" or "post"'):
        draw_transformer_block(norm="sandwich")
