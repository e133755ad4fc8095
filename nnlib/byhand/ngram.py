"""Count tables of characters (lesson 12): the n-gram rungs of the language-model ladder.

An **n-gram** model predicts the next character from the ``n - 1`` characters before it, by
counting in the training text how often each character followed that context.  Long contexts are
rare, so the counts need **smoothing**.  The one here is the simplest that stays a proper
probability and never gives 0 ("back-off by pseudo-counts", also called Dirichlet or
Jelinek-Mercer-style interpolation):

    P_n(c | context) = (count(context, c) + k * P_{n-1}(c | shorter context))
                       / (count(context) + k)

as if we had seen ``k`` extra characters after this context, spread the way the model with one
character less of context predicts.  A context seen thousands of times follows its own counts; a
context seen once or never falls back to the shorter one.  The bottom rung (no context at all) is
the add-one character frequency.

* :class:`NGramModel` - ``NGramModel(train_ids, vocab_size, order=4, k=1.0)``;
  ``.probs_of(ids)`` the probability it gives each character of a text (from the characters
  before it), ``.bits_per_char(ids)``, ``.bits_by_order(ids)`` (every shorter order too),
  ``.next_probs(context_ids)``, ``.shrink(order)``;
* :func:`ngram_ladder` - bits per character for orders 1..n on the same held-out text (one
  table of the largest order answers for every smaller one: ``order=`` uses the shorter tables).

NumPy only.  Contexts are counted as integer codes (base ``vocab_size``) with ``np.unique``, so a
5-gram table over 3.6 million characters takes about a second and a few tens of MB.
"""

from __future__ import annotations

import ctypes

import numpy as np

__all__ = ["NGramModel", "ngram_ladder"]


def _return_free_memory():
    """Hand the heap's free memory back to the system (glibc's ``malloc_trim``): freed arrays of a
    few MB stay in the process otherwise, and the lesson trains networks right after counting.
    Does nothing where there is no glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _check_ids(ids, vocab_size, name):
    ids = np.asarray(ids)
    if ids.ndim == 1 and ids.size == 0:
        ids = ids.astype(np.int64)  # an empty list: no context
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of character ids, got shape {ids.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= vocab_size):
        raise ValueError(f"{name} holds ids outside 0..{vocab_size - 1}")
    return ids.astype(np.int64)


def _codes(ids, length, vocab_size):
    """The integer code of every run of ``length`` consecutive ids (base ``vocab_size``)."""
    n = len(ids) - length + 1
    code = np.zeros(max(n, 0), dtype=np.int64)
    for j in range(length):
        code = code * vocab_size + ids[j : j + n]
    return code


class NGramModel:
    """Character n-gram counts with back-off smoothing (see the module's docstring).

    ``order`` = n: the model reads ``n - 1`` characters of context (``order=2`` is a bigram).
    ``k`` > 0: the pseudo-count given to the shorter context's prediction.
    """

    def __init__(self, train_ids, vocab_size, order=4, k=1.0):
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)):
            raise TypeError(f"vocab_size must be an int, got {type(vocab_size).__name__}")
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
            raise ValueError(f"order must be an int >= 1 (2 = bigram), got {order!r}")
        if vocab_size**order >= 2**62:
            raise ValueError(f"order {order} is too long for {vocab_size} characters")
        if not (isinstance(k, (int, float, np.floating)) and k > 0):
            raise ValueError(f"k (the back-off pseudo-count) must be a number > 0, got {k!r}")
        self.vocab_size, self.order, self.k = int(vocab_size), int(order), float(k)
        ids = _check_ids(train_ids, self.vocab_size, "train_ids")
        if len(ids) < order:
            raise ValueError(f"train_ids needs at least {order} characters, got {len(ids)}")
        self.unigram = (np.bincount(ids, minlength=vocab_size) + 1.0) / (len(ids) + vocab_size)
        # tables[m] for m = 1..order-1: (sorted codes of (m context chars + next char), counts,
        # sorted codes of the m-character contexts, counts of each context as a context)
        self.tables = {}
        for m in range(1, order):
            grams, gram_counts = np.unique(_codes(ids, m + 1, vocab_size), return_counts=True)
            ctx, ctx_counts = np.unique(_codes(ids[:-1], m, vocab_size), return_counts=True)
            self.tables[m] = (grams, gram_counts, ctx, ctx_counts)
        _return_free_memory()  # the counting's temporaries (tens of MB each)

    @staticmethod
    def _lookup(sorted_codes, counts, queries):
        at = np.minimum(np.searchsorted(sorted_codes, queries), len(sorted_codes) - 1)
        return np.where(sorted_codes[at] == queries, counts[at], 0).astype(np.float64)

    def _order(self, order):
        order = self.order if order is None else order
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)):
            raise TypeError(f"order must be an int, got {type(order).__name__}")
        if not 1 <= order <= self.order:
            raise ValueError(f"order must be from 1 to this model's {self.order}, got {order}")
        return int(order)

    def _probs_by_order(self, ids, order):
        """Yields the probabilities of ``ids[1:]`` under orders 1, 2, ..., ``order``."""
        ids = _check_ids(ids, self.vocab_size, "ids")
        if len(ids) < 2:
            raise ValueError("ids needs at least 2 characters (a context and a next one)")
        p = self.unigram[ids[1:]]
        yield p
        V = self.vocab_size
        for m in range(1, order):
            grams, gram_counts, ctx, ctx_counts = self.tables[m]
            # position t >= m has m characters of context; earlier ones keep the shorter model
            gram_code = _codes(ids, m + 1, V)  # the code of ids[t-m .. t], for t = m .. len-1
            c_gram = self._lookup(grams, gram_counts, gram_code)
            c_ctx = self._lookup(ctx, ctx_counts, gram_code // V)
            p = p.copy()
            p[m - 1 :] = (c_gram + self.k * p[m - 1 :]) / (c_ctx + self.k)
            yield p

    def probs_of(self, ids, order=None):
        """The probability the model gives to each character ``ids[t]`` (t >= 1) from the
        characters before it (at most ``order - 1`` of them; ``order`` defaults to the model's,
        a smaller one uses the shorter tables only): an array of ``len(ids) - 1``."""
        *_, p = self._probs_by_order(ids, self._order(order))
        return p

    def bits_by_order(self, ids):
        """``{n: bits per character of ids[1:]}`` for every order n = 1 .. ``self.order`` (one
        pass: each order starts from the one below)."""
        return {
            n: float(-np.mean(np.log2(p)))
            for n, p in enumerate(self._probs_by_order(ids, self.order), start=1)
        }

    def context_counts(self, ids, order=None):
        """How often the ``order - 1`` characters before each ``ids[t]`` (t >= order - 1) came
        as a context in the training text: an array of ``len(ids) - order + 1`` counts."""
        order = self._order(order)
        if order == 1:
            raise ValueError("an order-1 model reads no context: ask for order >= 2")
        ids = _check_ids(ids, self.vocab_size, "ids")
        _, _, ctx, ctx_counts = self.tables[order - 1]
        return self._lookup(ctx, ctx_counts, _codes(ids[:-1], order - 1, self.vocab_size))

    def shrink(self, order):
        """Keep the tables up to ``order`` only (in place; the longer ones are dropped and their
        memory handed back to the system).  Returns the model."""
        order = self._order(order)
        self.tables = {m: self.tables[m] for m in range(1, order)}
        self.order = order
        _return_free_memory()
        return self

    def bits_per_char(self, ids, order=None):
        """Mean of -log2 p over the characters ``ids[1:]`` (each from the ones before it)."""
        return float(-np.mean(np.log2(self.probs_of(ids, order))))

    def next_probs(self, context_ids, order=None):
        """The distribution (``vocab_size``,) of the character after ``context_ids``."""
        order = self._order(order)
        context = _check_ids(context_ids, self.vocab_size, "context_ids")
        p = self.unigram.copy()
        V, every = self.vocab_size, np.arange(self.vocab_size, dtype=np.int64)
        for m in range(1, min(order - 1, len(context)) + 1):
            grams, gram_counts, ctx, ctx_counts = self.tables[m]
            ctx_code = _codes(context[-m:], m, V)[0]
            c_gram = self._lookup(grams, gram_counts, ctx_code * V + every)
            c_ctx = self._lookup(ctx, ctx_counts, np.array([ctx_code]))[0]
            p = (c_gram + self.k * p) / (c_ctx + self.k)
        return p


def ngram_ladder(train_ids, val_ids, vocab_size, max_order=5, k=1.0):
    """``{order: bits per character on val_ids}`` for orders 1..``max_order``."""
    return NGramModel(train_ids, vocab_size, order=max_order, k=k).bits_by_order(val_ids)
