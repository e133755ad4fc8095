"""Activations (lessons 1-2): each ``f`` has a derivative ``f_grad(z) = df/dz``, elementwise.

Softmax is the exception: its backward pass is a Jacobian-vector product (see
:class:`nnlib.nn.layers.Activation`).
"""

import numpy as np

from . import _checks as checks


def _float_dtype(z):
    """``z``'s dtype if it is a float array, else float64 (so integer inputs give floats)."""
    z = np.asarray(z)
    return z.dtype if z.dtype.kind == "f" else np.float64


def linear(z):
    checks.activation_input("linear", z)
    return z


def linear_grad(z):
    checks.activation_input("linear_grad", z)
    return np.ones_like(z)


def step(z):
    """Heaviside step: 1 where z >= 0 else 0 (the original perceptron)."""
    checks.activation_input("step", z)
    return (np.asarray(z) >= 0).astype(_float_dtype(z))


def step_grad(z):
    checks.activation_input("step_grad", z)
    return np.zeros_like(z, dtype=_float_dtype(z))  # zero almost everywhere: GD can't train it


def sigmoid(z):
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    checks.activation_input("sigmoid", z)
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    checks.activation_input("sigmoid_grad", z)
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    checks.activation_input("tanh", z)
    return np.tanh(z)


def tanh_grad(z):
    checks.activation_input("tanh_grad", z)
    return 1 - np.tanh(z) ** 2


def relu(z):
    checks.activation_input("relu", z)
    return np.maximum(z, 0)


def relu_grad(z):
    checks.activation_input("relu_grad", z)
    return (np.asarray(z) > 0).astype(_float_dtype(z))


def leaky_relu(z, alpha=0.01):
    checks.activation_input("leaky_relu", z)
    checks.leaky_alpha(alpha)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    checks.activation_input("leaky_relu_grad", z)
    checks.leaky_alpha(alpha)
    return np.where(np.asarray(z) > 0, 1.0, alpha).astype(np.result_type(z, np.float32))


def softmax(z, axis=-1):
    """Stable softmax: subtracting the row maximum changes nothing mathematically but keeps
    ``exp`` from overflowing for large logits."""
    z = checks.softmax_args(z, axis)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "linear": (linear, linear_grad),
    "step": (step, step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "softmax": (softmax, None),  # its backward pass is a Jacobian-vector product
}


def get_activation(name):
    """The pair ``(f, f_grad)`` for an activation name (``None`` means linear)."""
    name = "linear" if name is None else name
    checks.name_in("activation", name, ACTIVATIONS)
    return ACTIVATIONS[name]
