"""For every notebook pytest runs with nbval (`make test`, `make test-full`): no cell may write to
stderr. A learner sees stderr as a red block (TensorFlow's start-up log lines, warnings), so a
cell that prints any fails here, with the text it printed. tests/lessons/test_no_stderr.py tests this."""

import os

import pytest


def pytest_configure(config):
    """nbval's kernel must see C-level writes to file descriptor 2 (TensorFlow logs there) as
    stderr outputs, as JupyterLab's kernel does. ipykernel only captures them when the kernel
    does not inherit PYTEST_CURRENT_TEST, so nbval's kernels start without it."""
    try:
        import nbval.kernel as nbval_kernel
    except ImportError:
        return
    original = nbval_kernel.start_new_kernel
    if getattr(original, "nnlib_fd_capture", False):
        return

    def start_new_kernel(*args, **kwargs):
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        kwargs.setdefault("env", env)
        return original(*args, **kwargs)

    start_new_kernel.nnlib_fd_capture = True
    nbval_kernel.start_new_kernel = start_new_kernel


def stderr_text(outputs) -> str:
    """All text a cell's outputs wrote to stderr ("" if none)."""
    return "".join(
        out.get("text", "")
        for out in outputs or []
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # an error in the cell fails the test as before
    noise = stderr_text(getattr(item, "test_outputs", None))
    if noise:
        pytest.fail(
            f"{item.name} wrote to stderr (a learner sees this as a red block):\n{noise[:3000]}",
            pytrace=False,
        )
    return result
