"""A small neural network in NumPy, derived step by step in lessons 1-6.

Keras-like on purpose, so lesson 7's jump to Keras is short::

    model = Sequential([Dense(16, activation="tanh", input_dim=2), Dense(1, activation="sigmoid")])
    model.compile(optimizer=Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=200, batch_size=32)
    model.predict(X_new)

Everything is vectorized over the batch: a batch ``X`` has shape ``(n, features)``.
Works in float32 or float64 (``Sequential(..., dtype="float64")`` for gradient checks).
"""

from __future__ import annotations

import contextlib
import time

import numpy as np

# Threads for the matrix products (BLAS) during ``fit``.  NumPy's OpenBLAS threads spin while
# they wait for each other; when other programs share the CPU (a classroom server, CI, several
# notebooks at once) that makes our small per-batch products up to 10x slower, while one thread
# never waits (numbers: docs/numbers/lessons-04-06.md).  ``None`` keeps NumPy's default.
BLAS_THREADS = 1
_blas_controller = None


def _blas_threads():
    """A context that runs BLAS on ``BLAS_THREADS`` threads (needs threadpoolctl, which comes
    with scikit-learn; without it, or with ``BLAS_THREADS = None``, it changes nothing)."""
    global _blas_controller
    if BLAS_THREADS is None:
        return contextlib.nullcontext()
    if _blas_controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return contextlib.nullcontext()
        _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=BLAS_THREADS, user_api="blas")


# --------------------------------------------------------------------------- activations
# Each activation f has a derivative f_grad(z) = df/dz, elementwise (softmax is special).


def linear(z):
    return z


def linear_grad(z):
    return np.ones_like(z)


def step(z):
    """Heaviside step: 1 where z >= 0 else 0 (the original perceptron)."""
    return (z >= 0).astype(z.dtype if np.issubdtype(np.asarray(z).dtype, np.floating) else float)


def step_grad(z):
    z = np.asarray(z)
    dtype = z.dtype if z.dtype.kind == "f" else float
    return np.zeros_like(z, dtype=dtype)  # zero almost everywhere: why it can't be trained by GD


def sigmoid(z):
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(z)


def tanh_grad(z):
    return 1 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0)


def relu_grad(z):
    return (np.asarray(z) > 0).astype(
        np.asarray(z).dtype if np.asarray(z).dtype.kind == "f" else float
    )


def leaky_relu(z, alpha=0.01):
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, alpha).astype(np.result_type(z, np.float32))


def softmax(z, axis=-1):
    """Stable softmax: subtracting the row maximum changes nothing mathematically but keeps
    ``exp`` from overflowing for large logits."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "linear": (linear, linear_grad),
    "step": (step, step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "softmax": (softmax, None),  # its backward pass is a Jacobian-vector product, see Activation
}


def get_activation(name):
    """The pair ``(f, f_grad)`` for an activation name (``None`` means linear)."""
    if name is None:
        name = "linear"
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str) or None, got {type(name).__name__}")
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid names are {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]


# --------------------------------------------------------------------------- losses
# Each loss returns the mean over the batch; its gradient is d(loss)/d(y_pred).

_EPS = 1e-7


def mse(y_true, y_pred):
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_true, y_pred):
    return 2 * (y_pred - y_true) / y_pred.size


def binary_crossentropy(y_true, y_pred):
    p = np.clip(y_pred, _EPS, 1 - _EPS)
    return float(-np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)))


def binary_crossentropy_grad(y_true, y_pred):
    p = np.clip(y_pred, _EPS, 1 - _EPS)
    return (p - y_true) / (p * (1 - p)) / y_pred.size


def categorical_crossentropy(y_true, y_pred):
    """``y_true`` one-hot (n, k), ``y_pred`` probabilities (n, k)."""
    return float(-np.mean(np.sum(y_true * np.log(np.clip(y_pred, _EPS, 1.0)), axis=1)))


def categorical_crossentropy_grad(y_true, y_pred):
    return -y_true / np.clip(y_pred, _EPS, 1.0) / len(y_pred)


def _one_hot(labels, k, dtype):
    out = np.zeros((len(labels), k), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out


def sparse_categorical_crossentropy(y_true, y_pred):
    """``y_true`` integer labels (n,), ``y_pred`` probabilities (n, k)."""
    p = np.clip(y_pred[np.arange(len(y_pred)), y_true.astype(int)], _EPS, 1.0)
    return float(-np.mean(np.log(p)))


def sparse_categorical_crossentropy_grad(y_true, y_pred):
    return categorical_crossentropy_grad(
        _one_hot(y_true.astype(int), y_pred.shape[1], y_pred.dtype), y_pred
    )


LOSSES = {
    "mse": (mse, mse_grad),
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_grad),
    "categorical_crossentropy": (categorical_crossentropy, categorical_crossentropy_grad),
    "sparse_categorical_crossentropy": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_grad,
    ),
}


def get_loss(name):
    """The pair ``(loss, loss_grad)`` for a loss name."""
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name (str), got {type(name).__name__}")
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; valid names are {sorted(LOSSES)}")
    return LOSSES[name]


# --------------------------------------------------------------------------- layers


class Layer:
    """A layer maps a batch forward and sends gradients backward."""

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


_INITIALIZERS = ("glorot_uniform", "he_normal", "normal", "zeros")


class Dense(Layer):
    """Fully connected layer: ``a = activation(x @ W + b)`` with ``W`` (in, out) and ``b`` (out,).

    Weights start as in Keras (Glorot uniform, zero bias) unless ``kernel_initializer`` says
    otherwise: one of ``"glorot_uniform"``, ``"he_normal"``, ``"normal"`` (std 0.01) or
    ``"zeros"``.
    """

    trainable = True

    def __init__(self, units, activation=None, input_dim=None, kernel_initializer="glorot_uniform"):
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units < 1:
            raise ValueError(f"units must be a positive int, got {units!r}")
        if kernel_initializer not in _INITIALIZERS:
            raise ValueError(
                f"unknown kernel_initializer {kernel_initializer!r}; valid names are "
                f"{list(_INITIALIZERS)}"
            )
        self.units = int(units)
        self.activation = Activation(activation)
        self.input_dim = input_dim
        self.kernel_initializer = kernel_initializer
        self.built = False
        self.W = self.b = None

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
        if x.ndim != 2 or x.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"Dense({self.units}) expects input of shape (batch, {self.W.shape[0]}), "
                f"got {x.shape}"
            )
        self.x = x
        self.z = x @ self.W
        self.z += self.b  # in place: one array less per batch
        return self.activation.forward(self.z, training)

    def backward(self, grad_a, input_grad=True):
        """Given dL/da (batch, out): store dL/dW and dL/db, return dL/dx (batch, in).

        ``input_grad=False`` skips dL/dx (returns None): the first layer's dL/dx is the
        gradient w.r.t. the data, which training never needs."""
        return self.backward_z(self.activation.backward(grad_a), input_grad)

    def backward_z(self, grad_z, input_grad=True):
        """The same, starting from dL/dz (used when the loss gives dL/dz directly)."""
        self.dW = self.x.T @ grad_z  # (in, batch) @ (batch, out): summed over the batch
        self.db = grad_z.sum(axis=0)
        return grad_z @ self.W.T if input_grad else None

    def params(self):
        return [self.W, self.b]

    def grads(self):
        return [self.dW, self.db]


# --------------------------------------------------------------------------- optimizers


class SGD:
    """Stochastic gradient descent, optionally with momentum: ``v = m v - lr g; p += v``."""

    def __init__(self, learning_rate=0.01, momentum=0.0):
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.learning_rate, self.momentum = learning_rate, momentum
        self.velocity = {}

    def update(self, params, grads):
        """Change each array of ``params`` in place, using the matching gradient."""
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.momentum:
                if i not in self.velocity:
                    self.velocity[i] = np.zeros_like(p)
                v = self.velocity[i]
                v *= self.momentum
                v -= self.learning_rate * g
                p += v
            else:
                p -= self.learning_rate * g


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient and on its square, bias-corrected."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = (
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
        )
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        """Change each array of ``params`` in place, using the matching gradient."""
        self.t += 1
        lr_t = self.learning_rate * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        for i, (p, g) in enumerate(zip(params, grads)):
            if i not in self.m:
                self.m[i], self.v[i] = np.zeros_like(p), np.zeros_like(p)
            m, v = self.m[i], self.v[i]  # running means of g and of g^2
            m *= self.beta_1
            m += (1 - self.beta_1) * g
            v *= self.beta_2
            v += (1 - self.beta_2) * (g * g)
            p -= lr_t * m / (np.sqrt(v) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(opt):
    if isinstance(opt, str):
        if opt not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {opt!r}; valid names are {sorted(OPTIMIZERS)}")
        return OPTIMIZERS[opt]()
    if not hasattr(opt, "update"):
        raise TypeError(f"optimizer must be a name or an object with .update(), got {opt!r}")
    return opt


# --------------------------------------------------------------------------- the model


class History:
    """What ``fit`` returns: ``history.history`` maps ``"loss"``, ``"accuracy"``, ``"val_loss"``,
    ``"val_accuracy"`` to one value per epoch, as in Keras."""

    def __init__(self):
        self.history = {}
        self.epoch = []
        self.stopped_reason = None

    def _record(self, epoch, logs):
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)


class Sequential:
    """A stack of layers trained by backpropagation, with Keras's names.

    ``dtype`` is ``"float32"`` (fast, as in Keras) or ``"float64"`` (for gradient checks).
    ``seed`` fixes the initial weights and the shuffling.
    """

    def __init__(self, layers=(), dtype="float32", seed=0):
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
        self.dtype = np.dtype(dtype)
        self.rng = np.random.default_rng(seed)
        self.layers = []
        self.loss_name = self.optimizer = None
        self.metrics = []
        self.stop_training = False
        for layer in layers:
            self.add(layer)

    # -- building
    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"expected a layer such as Dense(...), got {type(layer).__name__}")
        if not self.layers:
            if getattr(layer, "input_dim", None) is not None:
                layer.build(layer.input_dim, self.rng, self.dtype)
        elif self.layers[-1].built:
            layer.build(self.layers[-1].output_dim, self.rng, self.dtype)
        self.layers.append(layer)
        return self

    def build(self, input_dim):
        dim = input_dim
        for layer in self.layers:
            if not layer.built:
                layer.build(dim, self.rng, self.dtype)
            elif layer.input_dim != dim:
                raise ValueError(f"layer expects {layer.input_dim} inputs, got {dim}")
            dim = layer.output_dim

    @property
    def built(self):
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def compile(self, optimizer="adam", loss="mse", metrics=None):
        get_loss(loss)  # validates the name
        self.loss_name = loss
        self.loss_fn, self.loss_grad = get_loss(loss)
        self.optimizer = get_optimizer(optimizer)
        metrics = list(metrics or [])
        for m in metrics:
            if m not in ("accuracy", "acc"):
                raise ValueError(f"unknown metric {m!r}; valid names are ['accuracy']")
        self.metrics = ["accuracy"] if metrics else []
        return self

    # -- parameters
    def params(self):
        return [p for layer in self.layers for p in layer.params()]

    def grads(self):
        return [g for layer in self.layers for g in layer.grads()]

    def get_weights(self):
        return [p.copy() for p in self.params()]

    def set_weights(self, weights):
        params = self.params()
        if len(weights) != len(params):
            raise ValueError(f"expected {len(params)} arrays, got {len(weights)}")
        for p, w in zip(params, weights):
            w = np.asarray(w)
            if w.shape != p.shape:
                raise ValueError(f"weight of shape {p.shape} cannot be set from shape {w.shape}")
            p[...] = w

    def count_params(self):
        return int(sum(layer.count_params() for layer in self.layers))

    def summary(self):
        lines = [f"{'Layer':<28}{'Output shape':<16}{'Params':>10}", "-" * 54]
        for i, layer in enumerate(self.layers):
            name = type(layer).__name__
            if isinstance(layer, Dense):
                name = f"Dense({layer.units}, {layer.activation.name})"
            shape = f"(None, {layer.output_dim})" if layer.built else "?"
            lines.append(f"{i}: {name:<25}{shape:<16}{layer.count_params():>10,}")
        lines += ["-" * 54, f"Total params: {self.count_params():,}"]
        print("\n".join(lines))

    # -- forward and backward
    def _check_X(self, X):
        if not isinstance(X, np.ndarray):
            if isinstance(X, (list, tuple)):
                X = np.asarray(X)
            else:
                raise TypeError(f"X must be a NumPy array, got {type(X).__name__}")
        if X.dtype.kind not in "biuf":
            raise TypeError(f"X must hold numbers, got an array of dtype {X.dtype}")
        if X.ndim != 2:
            hint = " (flatten images first, e.g. X.reshape(len(X), -1))" if X.ndim > 2 else ""
            raise ValueError(f"X must have shape (n_samples, n_features), got {X.shape}{hint}")
        if not self.built:
            self.build(X.shape[1])
        if X.shape[1] != self.layers[0].input_dim:
            raise ValueError(
                f"model expects X of shape (n, {self.layers[0].input_dim}), got {X.shape}"
            )
        return X.astype(self.dtype, copy=False)

    def forward(self, X, training=False):
        a = X
        for layer in self.layers:
            a = layer.forward(a, training)
        return a

    def backward(self, grad):
        """Send dL/d(output) back through the layers; each layer stores its own gradients."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def _fused_output(self):
        """True when the last layer is softmax + categorical cross-entropy or sigmoid + binary
        cross-entropy.  Then dL/dz of the last layer is simply (p - y) / n (lesson 5), which is
        cheaper and - unlike going through dL/dp = -y / p - never vanishes when p is tiny."""
        last = self.layers[-1]
        act = getattr(getattr(last, "activation", None), "name", None)
        if not hasattr(last, "backward_z"):
            return False
        return (act == "softmax" and "categorical_crossentropy" in self.loss_name) or (
            act == "sigmoid" and self.loss_name == "binary_crossentropy"
        )

    def backward_from_loss(self, y, out):
        """Backpropagate the loss for targets ``y`` and network output ``out``: afterwards
        ``self.grads()`` holds dL/d(every parameter).  What training uses (fit, loss_and_grads).

        Two savings over ``self.backward(loss_grad(y, out))``: the fused (p - y) / n start
        (see ``_fused_output``), and no dL/dX for the data (a third of the work on MNIST)."""
        layers = list(self.layers)
        if self._fused_output():
            if self.loss_name == "sparse_categorical_crossentropy":
                grad_z = out.copy()
                grad_z[np.arange(len(out)), y] -= 1  # p - one_hot(y)
                grad_z /= len(out)
            else:
                n = out.size if self.loss_name == "binary_crossentropy" else len(out)
                grad_z = (out - y) / n
            grad = layers.pop().backward_z(grad_z, input_grad=bool(layers))
        else:
            grad = self.loss_grad(y, out).astype(self.dtype, copy=False)
        while layers:
            layer = layers.pop()
            if not layers and isinstance(layer, Dense):
                layer.backward(grad, input_grad=False)  # the first layer: no dL/dX needed
            else:
                grad = layer.backward(grad)

    def predict(self, X, batch_size=None):
        X = self._check_X(X)
        if batch_size is None:
            return self.forward(X)
        return np.concatenate(
            [self.forward(X[i : i + batch_size]) for i in range(0, len(X), batch_size)]
        )

    # -- targets
    def _check_y(self, y, n):
        y = np.asarray(y)
        if len(y) != n:
            raise ValueError(f"X and y must have the same number of samples, got {n} and {len(y)}")
        k = self.layers[-1].output_dim
        if self.loss_name == "sparse_categorical_crossentropy":
            if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
                raise ValueError(
                    f"sparse_categorical_crossentropy expects integer labels of shape "
                    f"({n},), got {y.shape}"
                )
            y = y.reshape(-1)
            if y.min() < 0 or y.max() >= k:
                raise ValueError(
                    f"labels must be in 0..{k - 1} for {k} outputs, got {y.min()}..{y.max()}"
                )
            return y.astype(np.int64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape[1] != k:
            hint = ""
            if self.loss_name == "categorical_crossentropy" and y.shape[1] == 1:
                hint = " (one-hot encode the labels, or use sparse_categorical_crossentropy)"
            raise ValueError(
                f"y must have shape ({n}, {k}) to match the model's output, got {y.shape}{hint}"
            )
        return y.astype(self.dtype)

    def _accuracy(self, y, out):
        if self.loss_name == "sparse_categorical_crossentropy":
            return float(np.mean(out.argmax(axis=1) == y))
        if out.shape[1] == 1:
            return float(np.mean((out >= 0.5) == (y >= 0.5)))
        return float(np.mean(out.argmax(axis=1) == y.argmax(axis=1)))

    def _require_compiled(self):
        if self.optimizer is None:
            raise RuntimeError("call model.compile(optimizer=..., loss=...) before training")

    def loss_and_grads(self, X, y):
        """One forward and backward pass; returns the loss (gradients are in ``model.grads()``)."""
        out = self.forward(X, training=True)
        loss = self.loss_fn(y, out)
        self.backward_from_loss(y, out)
        return loss

    def train_on_batch(self, X, y):
        """One gradient step on one batch; returns the batch loss."""
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        loss = self.loss_and_grads(X, y)
        self.optimizer.update(self.params(), self.grads())
        return loss

    def evaluate(self, X, y, batch_size=1024):
        """Loss (and accuracy, if compiled with ``metrics=["accuracy"]``) on ``X, y``."""
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        out = self.predict(X, batch_size=batch_size)
        loss = self.loss_fn(y, out)
        return [loss, self._accuracy(y, out)] if self.metrics else loss

    def fit(
        self,
        X,
        y,
        epochs=1,
        batch_size=32,
        validation_data=None,
        shuffle=True,
        verbose=0,
        callbacks=(),
    ):
        """Train with mini-batch gradient descent; returns a :class:`History`.

        Each epoch shuffles the data (``shuffle=True``), splits it into batches of
        ``batch_size``, and takes one optimizer step per batch.  As in Keras, an epoch's
        ``loss`` and ``accuracy`` are averages over its batches, each measured just before that
        batch's step (use :meth:`evaluate` for the values after training).  ``callbacks`` are objects with
        any of ``on_train_begin(logs)``, ``on_epoch_end(epoch, logs)``, ``on_train_end(logs)``;
        a callback may set ``model.stop_training = True``.  Training stops with a message if the
        loss becomes NaN or infinite.
        """
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        if validation_data is not None:
            Xv = self._check_X(validation_data[0])
            validation_data = (Xv, self._check_y(validation_data[1], len(Xv)))
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive int, got {epochs!r}")
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        with _blas_threads():
            return self._fit_loop(
                X, y, epochs, batch_size, validation_data, shuffle, verbose, callbacks
            )

    def _fit_loop(self, X, y, epochs, batch_size, validation_data, shuffle, verbose, callbacks):
        """The loop of :meth:`fit`, with its arguments already checked."""
        history = History()
        self.history = history
        self.stop_training = False
        callbacks = list(callbacks or [])
        for cb in callbacks:
            if hasattr(cb, "set_model"):
                cb.set_model(self)
            if hasattr(cb, "on_train_begin"):
                cb.on_train_begin({})
        n = len(X)
        for epoch in range(epochs):
            t0 = time.perf_counter()
            order = self.rng.permutation(n) if shuffle else np.arange(n)
            total, correct, seen = 0.0, 0.0, 0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                Xb, yb = X[idx], y[idx]
                out = self.forward(Xb, training=True)  # 1. forward
                loss = self.loss_fn(yb, out)  # 2. loss
                if not np.isfinite(loss):
                    history.stopped_reason = (
                        f"Training stopped at epoch {epoch + 1}: the loss became {loss}. The "
                        f"steps are too large - try a lower learning rate (now "
                        f"{getattr(self.optimizer, 'learning_rate', '?')})."
                    )
                    print(history.stopped_reason)
                    self.stop_training = True
                    break
                self.backward_from_loss(yb, out)  # 3. backward
                self.optimizer.update(self.params(), self.grads())  # 4. step
                total += loss * len(idx)
                if self.metrics:
                    correct += self._accuracy(yb, out) * len(idx)
                seen += len(idx)
            if history.stopped_reason:
                break
            logs = {"loss": total / seen}
            if self.metrics:
                logs["accuracy"] = correct / seen
            if validation_data is not None:
                val = self.evaluate(*validation_data)
                logs["val_loss"] = val[0] if self.metrics else val
                if self.metrics:
                    logs["val_accuracy"] = val[1]
            history._record(epoch, logs)
            if verbose:
                parts = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
                print(f"Epoch {epoch + 1}/{epochs} - {time.perf_counter() - t0:.2f}s - {parts}")
            for cb in callbacks:
                if hasattr(cb, "on_epoch_end"):
                    cb.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        for cb in callbacks:
            if hasattr(cb, "on_train_end"):
                cb.on_train_end({})
        return history


# --------------------------------------------------------------------------- gradient checking


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, tiny): the usual score for gradient checks."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-12))


def numerical_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function ``f()`` w.r.t. array ``x`` (changed in
    place and restored)."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradient_check(model, X, y, eps=1e-6):
    """Compare backprop's gradients with finite differences for every parameter of ``model``.

    Returns a list of relative errors, one per parameter array (``W``, ``b``, ... in order).
    Use a float64 model: in float32 rounding alone gives errors around 1e-3.
    """
    model._require_compiled()
    X = model._check_X(X)
    y = model._check_y(y, len(X))
    model.loss_and_grads(X, y)
    analytic = [g.copy() for g in model.grads()]
    errors = []
    for p, g in zip(model.params(), analytic):
        num = numerical_gradient(lambda: model.loss_fn(y, model.forward(X)), p, eps)
        errors.append(relative_error(g, num))
    return errors
