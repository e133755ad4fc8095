"""Speed-ups of the core, kept out of its way.  Each one changes how fast, never what.

* ``blas_threads()``: run NumPy's matrix products on ``nnlib.nn.BLAS_THREADS`` threads in ``fit``.
* ``backward_from_loss()``: the backward pass that ``Sequential`` trains with.
"""

import contextlib

import numpy as np

_controller = None


def blas_threads():
    """A context that runs BLAS on ``nnlib.nn.BLAS_THREADS`` threads.

    NumPy's OpenBLAS threads spin while they wait for each other; when other programs share the
    CPU (a classroom server, CI, several notebooks at once) that makes our small per-batch
    products up to 10x slower, while one thread never waits (numbers:
    docs/numbers/lessons-04-06.md).  Needs threadpoolctl (it comes with scikit-learn); without
    it, or with ``nnlib.nn.BLAS_THREADS = None``, it changes nothing."""
    global _controller
    from . import BLAS_THREADS  # read at call time, so that `nn.BLAS_THREADS = None` works

    if BLAS_THREADS is None:
        return contextlib.nullcontext()
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return contextlib.nullcontext()
        _controller = ThreadpoolController()
    return _controller.limit(limits=BLAS_THREADS, user_api="blas")


def fused_output(model):
    """True when the last layer is softmax + categorical cross-entropy or sigmoid + binary
    cross-entropy.  Then dL/dz of the last layer is simply (p - y) / n (lesson 5), which is
    cheaper and - unlike going through dL/dp = -y / p - never vanishes when p is tiny."""
    last = model.layers[-1]
    act = getattr(getattr(last, "activation", None), "name", None)
    if not hasattr(last, "backward_z"):
        return False
    return (act == "softmax" and "categorical_crossentropy" in model.loss_name) or (
        act == "sigmoid" and model.loss_name == "binary_crossentropy"
    )


def backward_from_loss(model, y, out):
    """``model.backward(model.loss_grad(y, out))`` with two savings: the fused (p - y) / n
    start (see ``fused_output``), and no dL/dX for the data (a third of the work on MNIST)."""
    from .layers import Dense

    layers = list(model.layers)
    if fused_output(model):
        if model.loss_name == "sparse_categorical_crossentropy":
            grad_z = out.copy()
            grad_z[np.arange(len(out)), y] -= 1  # p - one_hot(y)
            grad_z /= len(out)
        else:
            n = out.size if model.loss_name == "binary_crossentropy" else len(out)
            grad_z = (out - y) / n
        grad = layers.pop().backward_z(grad_z, input_grad=bool(layers))
    else:
        grad = model.loss_grad(y, out).astype(model.dtype, copy=False)
    while layers:
        layer = layers.pop()
        if not layers and isinstance(layer, Dense):
            layer.backward(grad, input_grad=False)  # the first layer: no dL/dX needed
        else:
            grad = layer.backward(grad)
