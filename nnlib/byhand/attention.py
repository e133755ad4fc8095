"""Attention and the transformer block in NumPy (lesson 12), with Keras' weight layouts, so each
piece can be checked against ``keras.layers.MultiHeadAttention``, ``LayerNormalization`` and
``Embedding`` on the same weights.

* :func:`scaled_dot_product_attention` - ``softmax(Q K^T / sqrt(d) + mask) V``;
* :func:`causal_mask` - position ``i`` may look at positions ``0..i`` only;
* :func:`multi_head_attention` - heads side by side, with Keras' ``MultiHeadAttention`` weights;
* :func:`layer_norm`, :func:`embedding`, :func:`sinusoidal_positions`;
* :func:`transformer_block` - pre-norm: ``x + MHA(LN(x))``, then ``x + MLP(LN(x))``.

NumPy only; never imports TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "scaled_dot_product_attention",
    "causal_mask",
    "multi_head_attention",
    "layer_norm",
    "embedding",
    "sinusoidal_positions",
    "transformer_block",
]


def _softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)  # stable: exp never overflows
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def causal_mask(n):
    """``(n, n)`` booleans: ``True`` where query ``i`` may attend to key ``j``, i.e. ``j <= i``."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"causal_mask needs a positive int length, got {n!r}")
    return np.tril(np.ones((n, n), dtype=bool))


def scaled_dot_product_attention(Q, K, V, mask=None):
    """``softmax(Q K^T / sqrt(d_k))`` with masked-out scores set to -inf, times ``V``.

    ``Q`` (..., n, d_k), ``K`` (..., m, d_k), ``V`` (..., m, d_v); ``mask`` broadcasts to
    (..., n, m), ``True`` = may attend. Returns ``(output (..., n, d_v), weights (..., n, m))``.
    """
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError(
            f"Q, K, V need at least 2 dimensions (positions, features); got shapes "
            f"{Q.shape}, {K.shape}, {V.shape}"
        )
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(
            f"queries and keys must have the same feature size to be compared: Q has "
            f"{Q.shape[-1]}, K has {K.shape[-1]}"
        )
    if K.shape[-2] != V.shape[-2]:
        raise ValueError(
            f"K and V need one row per key position: K has {K.shape[-2]}, V has {V.shape[-2]}"
        )
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        try:
            mask = np.broadcast_to(mask, scores.shape)
        except ValueError:
            raise ValueError(
                f"mask of shape {mask.shape} does not fit the scores of shape {scores.shape} "
                "(queries x keys)"
            ) from None
        if not mask.any(axis=-1).all():
            raise ValueError(
                "every query must be allowed to see at least one key (a mask row is all False)"
            )
        scores = np.where(mask, scores, -np.inf)
    weights = _softmax(scores, axis=-1)
    return weights @ V, weights


def multi_head_attention(x_q, x_kv, weights, mask=None):
    """Keras' ``MultiHeadAttention`` forward pass in NumPy.

    ``x_q`` (batch, n, d_model) and ``x_kv`` (batch, m, d_model); ``weights`` is the list
    ``layer.get_weights()`` gives: query, key and value kernels (d_model, heads, key_dim) and
    biases (heads, key_dim), the output kernel (heads, key_dim, d_model) and bias (d_model).
    Returns ``(output (batch, n, d_model), attention weights (batch, heads, n, m))``.
    """
    if len(weights) != 8:
        raise ValueError(
            f"expected the 8 arrays of MultiHeadAttention.get_weights() (use_bias=True), "
            f"got {len(weights)}"
        )
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = (np.asarray(w, dtype=np.float64) for w in weights)
    x_q, x_kv = np.asarray(x_q, dtype=np.float64), np.asarray(x_kv, dtype=np.float64)
    if x_q.ndim != 3 or x_q.shape[-1] != Wq.shape[0]:
        raise ValueError(f"x_q must have shape (batch, positions, {Wq.shape[0]}), got {x_q.shape}")
    # (batch, n, d) x (d, heads, k) -> (batch, heads, n, k): one set of Q, K, V per head
    Q = np.einsum("bnd,dhk->bhnk", x_q, Wq) + bq[:, None, :]
    K = np.einsum("bmd,dhk->bhmk", x_kv, Wk) + bk[:, None, :]
    V = np.einsum("bmd,dhk->bhmk", x_kv, Wv) + bv[:, None, :]
    heads, att = scaled_dot_product_attention(Q, K, V, mask)
    out = np.einsum("bhnk,hkd->bnd", heads, Wo) + bo  # heads concatenated, then projected
    return out, att


def layer_norm(x, gamma, beta, eps=1e-3):
    """Normalise each position's feature vector to mean 0, variance 1, then scale and shift
    (Keras' ``LayerNormalization``; its default ``epsilon`` is 1e-3)."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def embedding(ids, table):
    """Row ``ids`` of ``table`` (Keras' ``Embedding``): ids of any shape -> shape + (dim,)."""
    ids, table = np.asarray(ids), np.asarray(table)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"embedding ids must be integers, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= len(table)):
        raise ValueError(
            f"ids must lie in 0..{len(table) - 1} (the table has {len(table)} rows), got "
            f"{ids.min()}..{ids.max()}"
        )
    return table[ids]


def sinusoidal_positions(n, d):
    """The fixed positional encoding of *Attention Is All You Need*: ``(n, d)``, sines in the even
    columns and cosines in the odd ones, wavelengths from 2π to 10000·2π."""
    if d % 2:
        raise ValueError(f"d must be even (sine/cosine pairs), got {d}")
    pos = np.arange(n)[:, None]
    freq = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(pos * freq), np.cos(pos * freq)
    return pe


def transformer_block(x, w, mask=None, eps=1e-3):
    """One pre-norm transformer block: ``x + MHA(LN1(x))`` then ``x + W2 relu(W1 LN2(x))``.

    ``w`` is a dict: ``ln1`` and ``ln2`` (gamma, beta), ``mha`` (the 8 Keras arrays), ``mlp``
    (W1, b1, W2, b2).
    """
    h = layer_norm(x, *w["ln1"], eps=eps)
    x = x + multi_head_attention(h, h, w["mha"], mask)[0]
    h = layer_norm(x, *w["ln2"], eps=eps)
    W1, b1, W2, b2 = w["mlp"]
    return x + np.maximum(h @ W1 + b1, 0) @ W2 + b2
