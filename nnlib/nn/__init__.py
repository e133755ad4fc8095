"""A small neural network in NumPy, derived step by step in lessons 1-6.

Keras-like on purpose, so lesson 7's jump to Keras is short::

    model = Sequential([Dense(16, activation="tanh", input_dim=2), Dense(1, activation="sigmoid")])
    model.compile(optimizer=Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=200, batch_size=32)
    model.predict(X_new)

Everything is vectorized over the batch: a batch ``X`` has shape ``(n, features)``.
Works in float32 or float64 (``Sequential(..., dtype="float64")`` for gradient checks).

Read it in this order (each module is a small core; the input checks live in ``_checks.py``
and the speed-ups in ``_fast.py``, below the core):

* ``activations.py``  sigmoid, tanh, relu, softmax ... and their derivatives (lessons 1-2)
* ``losses.py``       mse and the cross-entropies, with their gradients (lesson 4)
* ``layers.py``       ``Dense``: forward ``x @ W + b``, backward (lessons 3, 5)
* ``optimizers.py``   ``SGD`` (with momentum) and ``Adam`` (lessons 4, 6)
* ``model.py``        ``Sequential`` with ``compile``, ``fit``, ``evaluate``, ``predict`` (lesson 6)
* ``gradcheck.py``    finite differences to check backpropagation (lesson 5)
"""

from .activations import (
    ACTIVATIONS,
    get_activation,
    leaky_relu,
    leaky_relu_grad,
    linear,
    linear_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    step,
    step_grad,
    tanh,
    tanh_grad,
)
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .layers import Activation, Dense, Layer
from .losses import (
    LOSSES,
    binary_crossentropy,
    binary_crossentropy_grad,
    categorical_crossentropy,
    categorical_crossentropy_grad,
    get_loss,
    mse,
    mse_grad,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_grad,
)
from .model import History, Sequential
from .optimizers import OPTIMIZERS, SGD, Adam, get_optimizer

# Threads for the matrix products (BLAS) during ``fit`` (see ``_fast.blas_threads``): one
# thread never waits for another on a shared CPU.  ``None`` keeps NumPy's default.
BLAS_THREADS = 1

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "Activation",
    "Adam",
    "BLAS_THREADS",
    "Dense",
    "History",
    "Layer",
    "SGD",
    "Sequential",
    "binary_crossentropy",
    "binary_crossentropy_grad",
    "categorical_crossentropy",
    "categorical_crossentropy_grad",
    "get_activation",
    "get_loss",
    "get_optimizer",
    "gradient_check",
    "leaky_relu",
    "leaky_relu_grad",
    "linear",
    "linear_grad",
    "mse",
    "mse_grad",
    "numerical_gradient",
    "relative_error",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "sparse_categorical_crossentropy",
    "sparse_categorical_crossentropy_grad",
    "step",
    "step_grad",
    "tanh",
    "tanh_grad",
]
