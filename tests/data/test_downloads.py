"""Downloads end within their time limit and say what happened in one line (issue 14 item 3).

Servers on 127.0.0.1 stand in for the network: one that accepts the connection and never answers
(a captive portal, a broken proxy), one that sends half a file and stalls, one that answers 403,
a port where nothing listens, and one that serves the file.  ``nnlib.data.fetch.KERAS_DATA_URL`` points
the loaders at them and ``KERAS_HOME`` at an empty cache.
"""

import hashlib
import http.server
import io
import socket
import threading
import time

import numpy as np
import pytest

from nnlib import data

LIMIT_S = 0.5  # the download time limit in these tests (10 s in the course)


@pytest.fixture
def online(monkeypatch, tmp_path):
    """Online mode with an empty Keras cache and no data folder; a short time limit."""
    monkeypatch.delenv("NNLIB_OFFLINE", raising=False)
    monkeypatch.delenv("NNLIB_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data.fetch, "DOWNLOAD_TIMEOUT_S", LIMIT_S)
    data.real._mnist_fallback_arrays()  # read the fallback once: the timings measure the download


def _serve(handler_cls):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    server.daemon_threads = True
    server.block_on_close = False  # do not wait for a handler that is stalling on purpose
    # a short poll: shutdown() at the end of a test waits for it (0.5 s by default)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def stalled():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.05)  # the teardown waits for this accept to end
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


def _handler(status, body=b"", stall_after=None):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if stall_after is None:
                self.wfile.write(body)
            else:  # half the file, then silence longer than the time limit
                self.wfile.write(body[:stall_after])
                self.wfile.flush()
                time.sleep(LIMIT_S * 3)

        def log_message(self, *args):  # keep the test output clean
            pass

    return Handler


@pytest.fixture
def serve():
    servers = []

    def start(status, body=b"", stall_after=None):
        server = _serve(_handler(status, body, stall_after))
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _refusing_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: the connection is refused
    return f"http://127.0.0.1:{port}/"


def _tiny_mnist_bytes():
    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    np.savez(
        buf,
        x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        y_train=np.arange(20, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=np.arange(10, dtype=np.uint8),
    )
    return buf.getvalue()


def _load_mnist_timed(capfd, verbose=True):
    t0 = time.perf_counter()
    (x, _), _ = data.load_mnist(verbose=verbose)
    seconds = time.perf_counter() - t0
    out, err = capfd.readouterr()
    return x, seconds, out, err


def test_stalled_server_times_out_with_one_line(online, stalled, monkeypatch, capfd):
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", stalled)
    x, seconds, out, err = _load_mnist_timed(capfd)
    assert seconds < LIMIT_S + 3, f"the loader waited {seconds:.1f} s"
    assert x.shape == (4000, 28, 28)  # the offline fallback
    assert err == "" and out.count("\n") == 1
    assert out.startswith(
        f"OFFLINE FALLBACK: real MNIST not available (timed out after {LIMIT_S:g} s)"
    )


def test_server_that_stalls_mid_file_times_out(online, serve, monkeypatch, capfd):
    monkeypatch.setattr(
        data.fetch, "KERAS_DATA_URL", serve(200, _tiny_mnist_bytes(), stall_after=500)
    )
    x, seconds, out, err = _load_mnist_timed(capfd)
    assert seconds < LIMIT_S + 3 and x.shape == (4000, 28, 28)
    assert f"(timed out after {LIMIT_S:g} s)" in out and err == ""
    assert list((data.keras_cache_dir()).glob("*")) == []  # no half file left in the cache


def test_refusing_servers_say_so_in_words(online, serve, monkeypatch, capfd):
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", serve(403))
    _, seconds, out, err = _load_mnist_timed(capfd)
    assert "(server answered 403)" in out and out.count("\n") == 1 and err == ""
    assert seconds < LIMIT_S + 3
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", _refusing_url())
    _, seconds, out, err = _load_mnist_timed(capfd)
    assert "(no network (connection refused))" in out and out.count("\n") == 1 and err == ""


def test_quiet_loader_prints_nothing_at_all(online, stalled, monkeypatch, capfd):
    """verbose=False: no Keras 'Downloading data from' line, no fallback line, nothing on fd 2."""
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", stalled)
    x, seconds, out, err = _load_mnist_timed(capfd, verbose=False)
    assert (out, err) == ("", "") and x.shape == (4000, 28, 28) and seconds < LIMIT_S + 3


def test_imdb_falls_back_with_the_reason(online, serve, monkeypatch, capfd):
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", serve(404))
    (xtr, _), _ = data.load_imdb(verbose=True)
    out, err = capfd.readouterr()
    assert out.startswith("OFFLINE FALLBACK: IMDB not available (server answered 404)")
    assert out.count("\n") == 1 and err == "" and len(xtr) > 50


def test_a_working_download_lands_in_the_keras_cache(online, serve, monkeypatch, capfd):
    body = _tiny_mnist_bytes()
    monkeypatch.setitem(data.KERAS_FILES, "mnist.npz", hashlib.sha256(body).hexdigest())
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", serve(200, body))
    x, _, out, err = _load_mnist_timed(capfd)
    assert x.shape == (20, 28, 28) and err == ""
    assert out.startswith("MNIST: the real digits from the Keras cache") and out.count("\n") == 1
    assert (data.keras_cache_dir() / "mnist.npz").read_bytes() == body
    # the second call reads the cache: the server is not needed any more
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", _refusing_url())
    x2, _, out, _ = _load_mnist_timed(capfd, verbose=False)
    assert out == "" and np.array_equal(x, x2)


def test_a_damaged_download_is_rejected(online, serve, monkeypatch, capfd):
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", serve(200, b"not the MNIST file"))
    x, _, out, _ = _load_mnist_timed(capfd)
    assert "(download damaged (checksum does not match))" in out and x.shape == (4000, 28, 28)
    assert not (data.keras_cache_dir() / "mnist.npz").exists()


def test_imdb_from_the_data_folder_must_be_the_keras_file(offline, monkeypatch, tmp_path, capfd):
    """A different imdb.npz would make Keras download again (no time limit): it is refused."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    (tmp_path / "imdb.npz").write_bytes(b"not the Keras file")
    (xtr, _), _ = data.load_imdb()
    out, err = capfd.readouterr()
    assert out.startswith(
        f"OFFLINE FALLBACK: IMDB not available (imdb.npz in NNLIB_DATA_DIR={tmp_path} is not the "
        "file Keras ships (checksum); NNLIB_OFFLINE=1)"
    )
    assert err == "" and len(xtr) > 50


def test_a_name_lookup_that_hangs_times_out(online, monkeypatch, capfd):
    """A broken DNS server: getaddrinfo blocks far longer than the time limit."""
    real = socket.getaddrinfo

    def slow_lookup(host, *args, **kwargs):
        if host == "mnist.example":
            time.sleep(LIMIT_S * 4)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    monkeypatch.setattr(data.fetch, "KERAS_DATA_URL", "http://mnist.example/")
    x, seconds, out, err = _load_mnist_timed(capfd)
    assert seconds < LIMIT_S + 2 and x.shape == (4000, 28, 28)
    assert f"(timed out after {LIMIT_S:g} s)" in out and out.count("\n") == 1 and err == ""
