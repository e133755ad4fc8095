"""Where a data file comes from: the data folder, the Keras cache, or a download with a time limit.

The real MNIST and IMDB (:mod:`nnlib.data.real`, :mod:`nnlib.data.text`) are looked for, in this
order, in the folder named by ``NNLIB_DATA_DIR`` (``mnist.npz``, ``imdb.npz`` and
``imdb_word_index.json`` as Keras ships them; built by ``tools/build_data_dir.py``), in the Keras
cache, and then downloaded (unless ``NNLIB_OFFLINE=1``) with a connect/read time limit of
:data:`DOWNLOAD_TIMEOUT_S` seconds.  A failed download is named in words (``no network``,
``timed out after 10 s``, ``server answered 403``); the loaders then fall back to offline data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..config import data_dir

__all__ = [
    "KERAS_DATA_URL",
    "DOWNLOAD_TIMEOUT_S",
    "KERAS_FILES",
    "DownloadError",
    "keras_cache_dir",
    "download",
    "from_data_dir",
    "to_keras_cache",
]

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


def from_data_dir(name, keras_file=False):
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


def to_keras_cache(path):
    """Copy a Keras data file from ``NNLIB_DATA_DIR`` into the Keras cache (if not there yet)."""
    target = keras_cache_dir() / path.name
    if not (target.exists() and _hash_ok(target, KERAS_FILES[path.name])):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
