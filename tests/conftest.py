"""Shared test set-up: a non-interactive matplotlib backend and closed figures after each test."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

# The heavy suites (markers registered in pyproject.toml) and the make target that runs each.
HEAVY = {
    "browser": "make test-browser",
    "figures": "make test-figures",
    "hub": "make test-hub",
    "journey": "make test-journey",
    "rerun": "make test-rerun",
}


def pytest_collection_modifyitems(config, items):
    """A heavy test runs only when asked for with -m (``pytest -m hub``, as its make target
    does); otherwise it is skipped with the command that runs it."""
    if config.option.markexpr:
        return
    for item in items:
        for name, target in HEAVY.items():
            if item.get_closest_marker(name):
                reason = f"{name} test: `{target}` runs it (pytest -m {name})"
                item.add_marker(pytest.mark.skip(reason=reason))
                break


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
