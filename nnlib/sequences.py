"""Sequences (lesson 10): an RNN step by hand, windows and a split by time, the naive forecast,
padding, and IMDB movie reviews with a small offline fallback.

NumPy only; Keras is imported lazily inside :func:`load_imdb` (and only when online).
"""

from __future__ import annotations

import re

import numpy as np

from .config import is_offline
from .data import make_windows

__all__ = [
    "simple_rnn_step",
    "simple_rnn_forward",
    "split_by_time",
    "make_windows",
    "naive_forecast",
    "forecast_errors",
    "pad_sequences",
    "tokenize",
    "encode_text",
    "load_imdb",
    "FALLBACK_REVIEWS",
    "PAD",
    "START",
    "OOV",
    "INDEX_FROM",
]

# ----------------------------------------------------------------------------- RNN by hand


def simple_rnn_step(x_t, h_prev, W_x, W_h, b):
    """One step of a simple RNN: ``h_t = tanh(x_t W_x + h_prev W_h + b)``.

    ``x_t`` (batch, d), ``h_prev`` (batch, units), ``W_x`` (d, units), ``W_h`` (units, units),
    ``b`` (units,) - the order of Keras' ``SimpleRNN.get_weights()``.
    """
    x_t, h_prev = np.asarray(x_t, dtype=np.float64), np.asarray(h_prev, dtype=np.float64)
    W_x, W_h = np.asarray(W_x, dtype=np.float64), np.asarray(W_h, dtype=np.float64)
    if x_t.shape[-1] != W_x.shape[0]:
        raise ValueError(f"x_t has {x_t.shape[-1]} features but W_x expects {W_x.shape[0]}")
    if h_prev.shape[-1] != W_h.shape[0]:
        raise ValueError(f"h_prev has {h_prev.shape[-1]} units but W_h expects {W_h.shape[0]}")
    return np.tanh(x_t @ W_x + h_prev @ W_h + b)


def simple_rnn_forward(x, W_x, W_h, b, h0=None):
    """Unroll :func:`simple_rnn_step` over time.

    ``x`` (batch, T, d).  Returns all hidden states (batch, T, units); the last one,
    ``[:, -1]``, is what ``keras.layers.SimpleRNN`` returns by default.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features), got {x.shape}")
    units = np.shape(W_h)[0]
    h = np.zeros((x.shape[0], units)) if h0 is None else np.asarray(h0, dtype=np.float64)
    states = []
    for t in range(x.shape[1]):
        h = simple_rnn_step(x[:, t], h, W_x, W_h, b)
        states.append(h)
    return np.stack(states, axis=1)


# ----------------------------------------------------------------------------- time series


def split_by_time(series, train_fraction=0.8):
    """Split a series into its first ``train_fraction`` (training) and the rest (held out).

    No shuffling: the model is judged on a period that comes after everything it saw.
    """
    series = np.asarray(series)
    if series.ndim < 1 or len(series) < 2:
        raise ValueError(f"series must have at least 2 values, got shape {series.shape}")
    if not isinstance(train_fraction, (float, int)) or not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction!r}")
    n_train = int(round(len(series) * train_fraction))
    n_train = min(max(n_train, 1), len(series) - 1)
    return series[:n_train], series[n_train:]


def naive_forecast(windows, horizon=1):
    """The "tomorrow equals today" baseline: the last value of each window.

    For differences/returns the naive forecast of "no change" is ``0``; pass those to
    :func:`forecast_errors` directly instead.
    """
    w = np.asarray(windows, dtype=np.float64)
    if w.ndim == 3 and w.shape[-1] == 1:
        w = w[..., 0]
    if w.ndim != 2:
        raise ValueError(f"windows must have shape (n, window) or (n, window, 1), got {w.shape}")
    return w[:, -1].copy()


def forecast_errors(y_true, y_pred):
    """``{"mae": ..., "rmse": ...}`` of a forecast."""
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {t.size} and {p.size}")
    err = p - t
    return {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err**2)))}


# ----------------------------------------------------------------------------- text

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


# Hand-written for this course (NOT the IMDB data set): short, clearly positive or negative
# movie-review sentences, used only when the real IMDB reviews cannot be downloaded.
_POSITIVE = """
a wonderful film with a great cast
i loved every minute of this movie
the acting was brilliant and the story was moving
one of the best films i have seen this year
a beautiful and touching story
the music is lovely and the photography is stunning
funny clever and full of heart
an excellent movie that the whole family will enjoy
the director did a fantastic job
a masterpiece great acting and a great script
i laughed and cried it was wonderful
a delightful little gem of a film
the performances are superb
this is a truly great movie
brilliant from start to finish
the best thriller in years gripping and smart
a charming and warm comedy
i would happily watch it again
a powerful and beautiful drama
the lead actress is fantastic in this role
an amazing movie with a perfect ending
really enjoyable and very well made
smart funny and surprisingly moving
highly recommended a must see
the story kept me hooked the whole time
a great film with wonderful characters
the cast is excellent and the jokes are funny
it was a joy to watch
an inspiring and uplifting story
beautifully shot and brilliantly acted
the best performance of his career
a fun exciting adventure
i enjoyed this film very much
a clever plot and great dialogue
one of my favourite movies of all time
a moving story told with great care
the characters are rich and the acting is strong
a gorgeous film full of life
entertaining from beginning to end
a superb thriller with a clever twist
i loved the music and the story
a touching and funny film
the writing is sharp and the acting is great
an outstanding film
wonderful performances all round
a brilliant script and a perfect cast
the film is smart beautiful and moving
a great night at the movies
fresh funny and very entertaining
i was moved by this beautiful film
the animation is gorgeous and the story is lovely
an excellent thriller tense and clever
a heartwarming film that made me smile
great acting great story great film
the best comedy i have seen in a long time
a remarkable and powerful movie
strong performances and a moving script
this film is a real treat
an enjoyable and clever movie
i recommend this film to everyone
a fine film with a wonderful ending
the actors are great and the story is fun
a beautiful movie i will never forget
a terrific film
it is funny warm and wise
the film works beautifully
excellent direction and a great soundtrack
a thrilling and satisfying movie
pure joy from start to finish
an instant classic
"""

_NEGATIVE = """
a boring film with a terrible cast
i hated every minute of this movie
the acting was awful and the story was dull
one of the worst films i have seen this year
a stupid and pointless story
the music is annoying and the photography is ugly
not funny not clever and no heart
a bad movie that nobody should watch
the director did a terrible job
a mess bad acting and a bad script
i was bored and wanted to leave
a dreadful waste of a film
the performances are weak
this is a truly awful movie
boring from start to finish
the worst thriller in years slow and dumb
a dull and lifeless comedy
i would never watch it again
a poor and tedious drama
the lead actress is terrible in this role
a horrible movie with a stupid ending
really boring and very badly made
dumb unfunny and painfully slow
avoid this film a waste of time
the story lost me after ten minutes
a bad film with annoying characters
the cast is poor and the jokes are not funny
it was a pain to watch
a depressing and pointless story
badly shot and badly acted
the worst performance of his career
a dull tiresome adventure
i disliked this film very much
a silly plot and awful dialogue
one of the worst movies of all time
a messy story told without any care
the characters are flat and the acting is weak
an ugly film with no life
boring from beginning to end
a weak thriller with a stupid twist
i hated the music and the story
a tedious and unfunny film
the writing is lazy and the acting is bad
a terrible film
awful performances all round
a lazy script and a poor cast
the film is dumb ugly and boring
a waste of an evening
stale unfunny and very boring
i fell asleep during this dull film
the animation is cheap and the story is silly
a poor thriller slow and predictable
a depressing film that made me angry
bad acting bad story bad film
the worst comedy i have seen in a long time
a forgettable and weak movie
weak performances and a dull script
this film is a real disappointment
a tiresome and silly movie
i would not recommend this film to anyone
a poor film with a terrible ending
the actors are bad and the story is boring
an awful movie i want to forget
a horrible film
it is dull cold and stupid
the film does not work at all
poor direction and an annoying soundtrack
a disappointing and frustrating movie
pure boredom from start to finish
an instant failure
"""

FALLBACK_REVIEWS = [(s.strip(), 1) for s in _POSITIVE.strip().splitlines()] + [
    (s.strip(), 0) for s in _NEGATIVE.strip().splitlines()
]


def _fallback_imdb(num_words, test_fraction=0.25, seed=0):
    texts = [t for t, _ in FALLBACK_REVIEWS]
    labels = np.array([y for _, y in FALLBACK_REVIEWS], dtype=np.int64)
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
    (``START`` = 1, ``OOV`` = 2, word ids from 3 on, ids < ``num_words``), ``y`` is 0/1
    (negative/positive).  ``maxlen`` drops reviews longer than that (as Keras does).

    Tries the real data set (25 000 + 25 000 reviews; a download or the Keras cache) unless
    ``NNLIB_OFFLINE=1``.  Otherwise it falls back to :data:`FALLBACK_REVIEWS`, a SMALL
    HAND-WRITTEN set of short review sentences (no real review text ships with the installed
    packages) and prints one line saying so.

    With ``with_info=True`` it also returns a dict ``{"source", "word_index", "test_texts"}``
    (``word_index`` maps word -> rank, as ``keras.datasets.imdb.get_word_index()``).
    """
    if not isinstance(num_words, (int, np.integer)) or isinstance(num_words, bool):
        raise TypeError(f"num_words must be an int, got {type(num_words).__name__}")
    if num_words < INDEX_FROM + 1:
        raise ValueError(f"num_words must be >= {INDEX_FROM + 1}, got {num_words}")
    if maxlen is not None and (not isinstance(maxlen, (int, np.integer)) or maxlen < 2):
        raise ValueError(f"maxlen must be None or an int >= 2, got {maxlen!r}")
    reason = "NNLIB_OFFLINE=1"
    if not is_offline():
        try:
            import keras

            train, test = keras.datasets.imdb.load_data(num_words=int(num_words), maxlen=maxlen)
            info = {"source": "imdb", "word_index": None, "test_texts": None}
            if with_info:
                try:  # a second small download; without it only text encoding is unavailable
                    info["word_index"] = keras.datasets.imdb.get_word_index()
                except Exception as exc:
                    print(f"IMDB word index not available ({type(exc).__name__}).")
            if verbose:
                print(
                    f"IMDB: real movie reviews, {len(train[0])} training + "
                    f"{len(test[0])} test reviews."
                )
            return (train, test, info) if with_info else (train, test)
        except Exception as exc:  # no network and no cache
            reason = f"download failed: {type(exc).__name__}"
    (xtr, ytr), (xte, yte), word_index, test_texts = _fallback_imdb(int(num_words))
    if maxlen is not None:
        keep_tr = np.array([len(s) <= maxlen for s in xtr], dtype=bool)
        keep_te = np.array([len(s) <= maxlen for s in xte], dtype=bool)
        xtr, ytr, xte, yte = xtr[keep_tr], ytr[keep_tr], xte[keep_te], yte[keep_te]
        test_texts = [t for t, k in zip(test_texts, keep_te) if k]
    if verbose:
        print(
            f"OFFLINE FALLBACK: IMDB not available ({reason}); using {len(FALLBACK_REVIEWS)} "
            f"short HAND-WRITTEN review sentences (not IMDB): {len(xtr)} training + "
            f"{len(xte)} test."
        )
    if with_info:
        info = {"source": "fallback", "word_index": word_index, "test_texts": test_texts}
        return (xtr, ytr), (xte, yte), info
    return (xtr, ytr), (xte, yte)
