"""Shared test set-up: a non-interactive matplotlib backend and closed figures after each test."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def offline(monkeypatch):
    """Offline mode, as in `make test` and in a classroom without network."""
    monkeypatch.setenv("NNLIB_OFFLINE", "1")


@pytest.fixture
def lenient(monkeypatch):
    """A failed ``check()`` returns a false result instead of raising (``make test`` sets
    NNLIB_STRICT_CHECKS=1)."""
    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)


@pytest.fixture
def ipython():
    """A real IPython shell for the notebook hooks, cleared afterwards: a shell left behind makes
    ``get_ipython()`` answer in every later test of the same worker (the order under xdist varies),
    so code that must do nothing outside IPython would then install itself."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()
