"""nnlib.byhand.sequences and nnlib.data.text: the RNN step, windows and split by time, the naive
baseline, padding, and the IMDB loader's labelled offline fallback."""

import numpy as np
import pytest

from nnlib import data
from nnlib.byhand import sequences as S
from nnlib.data import text as T

rng = np.random.default_rng(0)


def test_simple_rnn_forward_unrolls_step():
    x = rng.normal(size=(2, 5, 3))
    W_x, W_h, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)
    states = S.simple_rnn_forward(x, W_x, W_h, b)
    assert states.shape == (2, 5, 4)
    h = np.zeros((2, 4))
    for t in range(5):
        h = np.tanh(x[:, t] @ W_x + h @ W_h + b)
        np.testing.assert_allclose(states[:, t], h)
    with pytest.raises(ValueError, match="features but W_x expects"):
        S.simple_rnn_step(np.ones((1, 2)), np.ones((1, 4)), W_x, W_h, b)
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        S.simple_rnn_forward(np.ones((5, 3)), W_x, W_h, b)


def test_simple_rnn_matches_keras():
    keras = pytest.importorskip("keras")
    x = rng.normal(size=(2, 6, 3)).astype("float32")
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    layer(x)
    W_x, W_h, _ = layer.get_weights()
    b = rng.normal(size=4).astype("float32")
    layer.set_weights([W_x, W_h, b])
    assert np.abs(layer(x).numpy() - S.simple_rnn_forward(x, W_x, W_h, b)).max() < 1e-5


def test_split_by_time_keeps_order():
    s = np.arange(10)
    a, b = S.split_by_time(s, 0.8)
    np.testing.assert_array_equal(a, np.arange(8))
    np.testing.assert_array_equal(b, [8, 9])
    for bad in (0, 1, 1.5, "0.8"):
        with pytest.raises(ValueError, match="train_fraction"):
            S.split_by_time(s, bad)


def test_windows_and_naive_forecast():
    X, y = data.make_windows(np.arange(10.0), 3)
    np.testing.assert_array_equal(X[0], [0, 1, 2])
    assert y[0] == 3 and len(X) == len(y) == 7
    np.testing.assert_array_equal(S.naive_forecast(X), X[:, -1])
    np.testing.assert_array_equal(S.naive_forecast(X[..., None]), X[:, -1])
    err = S.forecast_errors(y, S.naive_forecast(X))
    assert err == {"mae": 1.0, "rmse": 1.0}
    with pytest.raises(ValueError, match="same length"):
        S.forecast_errors([1, 2], [1])
    with pytest.raises(ValueError, match=r"\(n, window\)"):
        S.naive_forecast(np.ones(4))


def test_pad_sequences_like_keras():
    out = T.pad_sequences([[1, 2, 3], [4], []], 2)
    np.testing.assert_array_equal(out, [[2, 3], [0, 4], [0, 0]])
    keras = pytest.importorskip("keras")
    seqs = [[1, 2, 3, 4], [5, 6], [7]]
    np.testing.assert_array_equal(T.pad_sequences(seqs, 3), keras.utils.pad_sequences(seqs, 3))


def test_encode_text_uses_imdb_conventions():
    wi = {"good": 1, "film": 2, "rare": 50}
    assert T.encode_text("Good film, unknown!", wi) == [T.START, 4, 5, T.OOV]
    assert T.encode_text("rare film", wi, num_words=10) == [T.START, T.OOV, 5]
    with pytest.raises(TypeError, match="str"):
        T.tokenize(42)


def test_load_imdb_offline_fallback_is_labelled(offline, capsys):
    (xtr, ytr), (xte, yte), info = data.load_imdb(num_words=50, with_info=True)
    line = capsys.readouterr().out
    assert "OFFLINE FALLBACK" in line and "HAND-WRITTEN" in line and "not IMDB" in line
    assert line.count("\n") == 1
    assert info["source"] == "fallback"
    assert len(xtr) + len(xte) == len(data.fallback_reviews())
    assert set(ytr) == set(yte) == {0, 1}
    assert abs(ytr.mean() - 0.5) < 0.05  # balanced
    assert all(s[0] == T.START for s in xtr) and max(max(s) for s in xtr) < 50
    # word index built from training sentences only; same call gives the same data
    (xtr2, _), _ = data.load_imdb(num_words=50, verbose=False)
    assert all(list(a) == list(b) for a, b in zip(xtr, xtr2))
    assert len(info["test_texts"]) == len(xte)


def test_fallback_reviews_are_a_data_file_shipped_with_the_package():
    import tomllib
    from pathlib import Path

    reviews = data.fallback_reviews()
    assert len(reviews) == 140 and sum(label for _, label in reviews) == 70
    assert all(text and text == text.strip() and label in (0, 1) for text, label in reviews)
    assert data.FALLBACK_REVIEWS_FILE.parent.name == "datafiles"
    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["nnlib.data"]
    assert "datafiles/*.tsv" in shipped
    assert "_POSITIVE" not in (root / "nnlib" / "data" / "text.py").read_text(encoding="utf-8")


def test_load_imdb_maxlen_and_bad_arguments(offline):
    (xtr, _), (xte, _) = data.load_imdb(maxlen=6, verbose=False)
    assert all(len(s) <= 6 for s in list(xtr) + list(xte))
    with pytest.raises(TypeError, match="num_words must be an int"):
        data.load_imdb(num_words="all")
    with pytest.raises(ValueError, match="num_words must be >="):
        data.load_imdb(num_words=2)
    with pytest.raises(ValueError, match="maxlen"):
        data.load_imdb(maxlen=1)


def test_import_sequences_and_vision_does_not_import_tensorflow():
    import subprocess
    import sys

    code = "import sys, nnlib, nnlib.byhand.vision, nnlib.byhand.sequences, nnlib.data.text; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_load_imdb_online_path_returns_keras_data(monkeypatch, capsys):
    keras = pytest.importorskip("keras")
    fake = (
        (np.array([[1, 5, 6]], dtype=object), np.array([1])),
        (np.array([[1, 7]], dtype=object), np.array([0])),
    )
    calls = {}

    def fake_load_data(num_words, maxlen):
        calls.update(num_words=num_words, maxlen=maxlen)
        return fake

    monkeypatch.delenv("NNLIB_OFFLINE", raising=False)
    monkeypatch.delenv("NNLIB_DATA_DIR", raising=False)
    monkeypatch.setattr(data.text, "download", lambda name: name)  # as if in the Keras cache
    monkeypatch.setattr(keras.datasets.imdb, "load_data", fake_load_data)
    monkeypatch.setattr(keras.datasets.imdb, "get_word_index", lambda: {"great": 2})
    train, test, info = data.load_imdb(num_words=100, maxlen=50, with_info=True)
    assert calls == {"num_words": 100, "maxlen": 50}
    assert train is fake[0] and test is fake[1]
    assert info["source"] == "imdb" and info["word_index"] == {"great": 2}
    assert "IMDB: the real movie reviews from the Keras cache: 1 training + 1 test" in (
        capsys.readouterr().out
    )

    def broken(name):
        raise data.DownloadError("no network")

    monkeypatch.setattr(data.text, "download", broken)
    (xtr, _), _ = data.load_imdb()
    assert "OFFLINE FALLBACK: IMDB not available (no network)" in capsys.readouterr().out
    assert len(xtr) > 50
