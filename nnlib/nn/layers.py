"""Layers (lesson 3): a layer maps a batch forward and sends gradients backward (lesson 5)."""

import numpy as np

from . import _checks as checks
from .activations import get_activation


class Layer:
    """The base class: no parameters, output as wide as the input."""

    trainable = False

    def build(self, input_dim, rng, dtype):
        self.input_dim = self.output_dim = input_dim
        self.built = True

    def params(self):
        return []

    def grads(self):
        return []

    def count_params(self):
        return int(sum(p.size for p in self.params()))


class Activation(Layer):
    """An activation applied elementwise (softmax: along the last axis)."""

    def __init__(self, name):
        self.name = name if name is not None else "linear"
        self.f, self.f_grad = get_activation(name)

    def forward(self, z, training=False):
        self.z = z
        self.a = self.f(z)
        return self.a

    def backward(self, grad_a):
        if self.name == "softmax":  # Jacobian-vector product: s * (g - sum(g * s))
            s = self.a
            return s * (grad_a - np.sum(grad_a * s, axis=-1, keepdims=True))
        return grad_a * self.f_grad(self.z)


INITIALIZERS = ("glorot_uniform", "he_normal", "normal", "zeros")


class Dense(Layer):
    """Fully connected layer: ``a = activation(x @ W + b)`` with ``W`` (in, out) and ``b`` (out,).

    Weights start as in Keras (Glorot uniform, zero bias) unless ``kernel_initializer`` says
    otherwise: one of ``"glorot_uniform"``, ``"he_normal"``, ``"normal"`` (std 0.01) or
    ``"zeros"``.
    """

    trainable = True

    def __init__(self, units, activation=None, input_dim=None, kernel_initializer="glorot_uniform"):
        checks.dense_args(units, activation, input_dim, kernel_initializer, INITIALIZERS)
        self.units = int(units)
        self.activation = Activation(activation)
        self.input_dim = input_dim
        self.kernel_initializer = kernel_initializer
        self.built = False
        self.W = self.b = self.z = None

    def build(self, input_dim, rng, dtype):
        n_in, n_out = int(input_dim), self.units
        if self.kernel_initializer == "glorot_uniform":
            limit = np.sqrt(6.0 / (n_in + n_out))
            W = rng.uniform(-limit, limit, size=(n_in, n_out))
        elif self.kernel_initializer == "he_normal":
            W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
        elif self.kernel_initializer == "normal":
            W = rng.normal(0.0, 0.01, size=(n_in, n_out))
        else:
            W = np.zeros((n_in, n_out))
        self.W = W.astype(dtype)
        self.b = np.zeros(n_out, dtype=dtype)
        self.input_dim, self.output_dim = n_in, n_out
        self.built = True

    def forward(self, x, training=False):
        checks.dense_input(self, x)
        self.x = x
        self.z = x @ self.W
        self.z += self.b  # in place: one array less per batch
        return self.activation.forward(self.z, training)

    def backward(self, grad_a, input_grad=True):
        """Given dL/da (batch, out): store dL/dW and dL/db, return dL/dx (batch, in).

        ``input_grad=False`` skips dL/dx (returns None): the first layer's dL/dx is the
        gradient w.r.t. the data, which training never needs."""
        checks.dense_backward(self, grad_a)
        return self.backward_z(self.activation.backward(grad_a), input_grad)

    def backward_z(self, grad_z, input_grad=True):
        """The same, starting from dL/dz (used when the loss gives dL/dz directly)."""
        checks.dense_backward(self, grad_z, "grad_z")
        self.dW = self.x.T @ grad_z  # (in, batch) @ (batch, out): summed over the batch
        self.db = grad_z.sum(axis=0)
        return grad_z @ self.W.T if input_grad else None

    def params(self):
        return [self.W, self.b]

    def grads(self):
        return [self.dW, self.db]

    def __repr__(self):
        return f"Dense({self.units}, activation={self.activation.name!r})"
