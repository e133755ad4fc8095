"""The environment check of the welcome lesson: versions, quick/offline mode, where data comes from."""

from __future__ import annotations

import importlib
import os
import platform
import sys
from importlib import metadata

from ..config import data_dir, is_offline, is_quick

PACKAGES = [
    "numpy",
    "matplotlib",
    "ipywidgets",
    "jupyterlab",
    "scikit-learn",
    "mlxtend",
    "tensorflow",
    "keras",
    "nbval",
]


def package_versions(packages=PACKAGES):
    """``{name: version}`` for each package, ``None`` when it is not installed."""
    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def keras_cache_has(filename="mnist.npz"):
    """True when a Keras data set file is already in the Keras cache (no download needed)."""
    base = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.exists(os.path.join(base, "datasets", filename))


def environment_report(check_network=False):
    """A dict describing this environment; ``check_network=True`` also tries to reach the MNIST
    download server (a few seconds at most)."""
    report = {
        "python": platform.python_version(),
        "supported_python": sys.version_info[:2] in {(3, 11), (3, 12), (3, 13)},
        "packages": package_versions(),
        "quick_mode": is_quick(),
        "offline_mode": is_offline(),
        "mnist_cached": keras_cache_has("mnist.npz"),
        "imdb_cached": keras_cache_has("imdb.npz"),
    }
    if check_network and not is_offline():
        import urllib.request

        try:
            urllib.request.urlopen(
                "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
                timeout=3,
            ).close()
            report["network"] = True
        except Exception:
            report["network"] = False
    else:
        report["network"] = None
    folder = data_dir()
    if folder is not None and (folder / "mnist.npz").is_file():
        report["mnist_source"] = f"real MNIST from the data folder NNLIB_DATA_DIR={folder}"
    elif report["offline_mode"]:
        report["mnist_source"] = (
            "offline fallback (NNLIB_OFFLINE=1): the 5 000-digit MNIST subset bundled with mlxtend"
        )
    elif report["mnist_cached"]:
        report["mnist_source"] = "real MNIST from the Keras cache (60 000 + 10 000 digits)"
    elif report["network"]:
        report["mnist_source"] = "real MNIST, downloaded on first use (11 MB)"
    else:
        report["mnist_source"] = (
            "offline fallback: the 5 000-digit MNIST subset bundled with mlxtend"
        )
    return report


def print_environment_report(check_network=True):
    """Print the report as a short table; returns the dict."""
    r = environment_report(check_network=check_network)
    ok = "supported" if r["supported_python"] else "NOT supported (use 3.11, or 3.12-3.13)"
    print(f"Python {r['python']} ({ok})")
    for name, version in r["packages"].items():
        print(f"  {name:<14}{version or 'MISSING - run: pip install -r requirements.txt'}")
    print(f"Quick mode:   {'ON (NNLIB_QUICK=1)' if r['quick_mode'] else 'off (full-size lessons)'}")
    print(f"Offline mode: {'ON (NNLIB_OFFLINE=1)' if r['offline_mode'] else 'off'}")
    net = {True: "reachable", False: "not reachable", None: "not checked"}[r["network"]]
    print(f"Download server: {net}")
    print(f"MNIST will come from: {r['mnist_source']}")
    return r


def import_time(module="keras"):
    """Seconds to import a module (for the welcome lesson's note on TensorFlow's start-up)."""
    import time

    t0 = time.perf_counter()
    importlib.import_module(module)
    return time.perf_counter() - t0
