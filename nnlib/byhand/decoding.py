"""Decoding: turning a language model's scores into text (lesson 12).

A model gives one score (logit) per character; **decoding** picks the next character from them:

* **greedy**: always the most likely character (``temperature=0``);
* **temperature** ``T``: sample from ``softmax(logits / T)``: ``T < 1`` sharpens the distribution
  (safer, more repetitive), ``T > 1`` flattens it (more surprising, more mistakes), ``T = 1`` is
  the model's own distribution;
* **top-k**: keep the ``k`` most likely characters only (the others get probability 0), then
  sample among them.

* :func:`decode_probs` - the distribution a decoding rule samples from;
* :func:`generate` - ``n`` characters, one at a time, from any ``next_logits(ids) -> logits``.

NumPy only; the model is passed in as a function, so this works with a Keras model, the NumPy
transformer of :mod:`~nnlib.byhand.attention`, or a count table.
"""

from __future__ import annotations

import numpy as np

__all__ = ["decode_probs", "generate"]


def _check_rule(temperature, top_k, size):
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
    if not np.isfinite(temperature) or temperature < 0:
        raise ValueError(
            f"temperature must be a finite number >= 0 (0 = greedy), got {temperature}"
        )
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
            raise TypeError(f"top_k must be an int or None (no limit), got {type(top_k).__name__}")
        if not 1 <= top_k <= size:
            raise ValueError(f"top_k must be from 1 to the {size} characters, got {top_k}")


def decode_probs(logits, temperature=1.0, top_k=None):
    """The distribution that decoding with ``temperature`` and ``top_k`` samples from.

    ``logits``: (..., V) scores.  ``temperature=0`` is greedy: all probability on the highest
    score (split evenly between tied highest scores, the limit of ``softmax(logits / T)`` as
    ``T -> 0``).  ``top_k``: only the ``k`` highest scores keep probability (ties at the ``k``-th
    score are all kept).  Returns float64 probabilities of the same shape, summing to 1.
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim < 1 or z.shape[-1] < 1:
        raise ValueError(f"logits need a last axis of scores, got shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("logits must be finite numbers")
    _check_rule(temperature, top_k, z.shape[-1])
    keep = np.ones(z.shape, dtype=bool)
    if top_k is not None:
        kth = np.sort(z, axis=-1)[..., -top_k][..., None]
        keep = z >= kth
    if temperature == 0:
        top = z == np.where(keep, z, -np.inf).max(axis=-1, keepdims=True)
        return top / top.sum(axis=-1, keepdims=True)
    s = np.where(keep, z / temperature, -np.inf)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def generate(next_logits, prompt_ids, n, temperature=1.0, top_k=None, seed=0):
    """``n`` new ids after ``prompt_ids``, one at a time: ``next_logits(ids)`` gives the scores
    (V,) of the id after the list ``ids``; each new id is drawn from :func:`decode_probs`
    (greedy when ``temperature=0``) with a ``numpy`` generator seeded by ``seed``."""
    if not callable(next_logits):
        raise TypeError(f"next_logits must be a function ids -> logits, got {next_logits!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    rng, ids = np.random.default_rng(seed), [int(i) for i in np.asarray(prompt_ids).ravel()]
    start = len(ids)
    for _ in range(n):
        p = decode_probs(np.asarray(next_logits(ids)).ravel(), temperature, top_k)
        ids.append(int(p.argmax()) if temperature == 0 else int(rng.choice(len(p), p=p)))
    return ids[start:]
