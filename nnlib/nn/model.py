"""The model (lesson 6): ``Sequential`` stacks layers and trains them with Keras's names.

Training is four steps per batch: forward, loss, backward, optimizer step (see ``_fit_loop``).
"""

import time

import numpy as np

from . import _checks as checks
from . import _fast as fast
from .layers import Dense, Layer
from .losses import LOSSES, get_loss
from .optimizers import OPTIMIZERS, get_optimizer


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
        checks.sequential_args(layers, dtype, Layer, seed)
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
        checks.layer(layer, self, Layer)
        if not self.layers:
            if getattr(layer, "input_dim", None) is not None:
                layer.build(layer.input_dim, self.rng, self.dtype)
        elif self.layers[-1].built:
            layer.build(self.layers[-1].output_dim, self.rng, self.dtype)
        self.layers.append(layer)
        return self

    def build(self, input_dim):
        dim = checks.build_args(self, input_dim)
        for layer in self.layers:
            if not layer.built:
                layer.build(dim, self.rng, self.dtype)
            elif layer.input_dim != dim:
                checks.built_width(layer, dim)
            dim = layer.output_dim

    @property
    def built(self):
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def compile(self, optimizer="adam", loss="mse", metrics=None):
        metrics = checks.compile_args(self, optimizer, loss, metrics, LOSSES, OPTIMIZERS)
        self.loss_name = loss
        self.loss_fn, self.loss_grad = get_loss(loss)
        self.optimizer = get_optimizer(optimizer)
        self.metrics = ["accuracy"] if metrics else []
        return self

    # -- parameters
    def params(self):
        return [p for layer in self.layers for p in layer.params()]

    def grads(self):
        return [g for layer in self.layers for g in layer.grads()]

    def get_weights(self):
        checks.built(self, "get_weights()")
        return [p.copy() for p in self.params()]

    def set_weights(self, weights):
        params = self.params()
        checks.weights(self, params, weights)
        for p, w in zip(params, weights):
            p[...] = w

    def count_params(self):
        checks.built(self, "count_params()")
        return int(sum(layer.count_params() for layer in self.layers))

    def summary(self):
        lines = [f"{'Layer':<28}{'Output shape':<16}{'Params':>10}", "-" * 54]
        for i, layer in enumerate(self.layers):
            name = type(layer).__name__
            if isinstance(layer, Dense):
                name = f"Dense({layer.units}, {layer.activation.name})"
            shape = f"(None, {layer.output_dim})" if layer.built else "?"
            params = f"{layer.count_params():,}" if layer.built else "?"
            lines.append(f"{i}: {name:<25}{shape:<16}{params:>10}")
        total = f"{self.count_params():,}" if self.built else "? (not built yet: give input_dim)"
        lines += ["-" * 54, f"Total params: {total}"]
        print("\n".join(lines))

    # -- forward and backward
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

    def backward_from_loss(self, y, out):
        """Backpropagate the loss for targets ``y`` and network output ``out``: afterwards
        ``self.grads()`` holds dL/d(every parameter).  What training uses (fit, loss_and_grads).

        The same as ``self.backward(self.loss_grad(y, out))``, done faster by ``_fast``: the
        (p - y) / n start of lesson 5 for sigmoid/softmax + cross-entropy, and no dL/dX."""
        fast.backward_from_loss(self, y, out)

    def loss_and_grads(self, X, y):
        """One forward and backward pass; returns the loss (gradients are in ``model.grads()``)."""
        out = self.forward(X, training=True)
        loss = self.loss_fn(y, out)
        self.backward_from_loss(y, out)
        return loss

    def predict(self, X, batch_size=None):
        X = self._check_X(X)
        batch_size = checks.batch_size_arg(batch_size, "predict", optional=True)
        if batch_size is None:
            return self.forward(X)
        return np.concatenate(
            [self.forward(X[i : i + batch_size]) for i in range(0, len(X), batch_size)]
        )

    def _accuracy(self, y, out):
        if self.loss_name == "sparse_categorical_crossentropy":
            return float(np.mean(out.argmax(axis=1) == y))
        if out.shape[1] == 1:
            return float(np.mean((out >= 0.5) == (y >= 0.5)))
        return float(np.mean(out.argmax(axis=1) == y.argmax(axis=1)))

    # -- training
    def train_on_batch(self, X, y):
        """One gradient step on one batch; returns the batch loss."""
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        with checks.already_checked():
            loss = self.loss_and_grads(X, y)
            self.optimizer.update(self.params(), self.grads())
        return loss

    def evaluate(self, X, y, batch_size=1024):
        """Loss (and accuracy, if compiled with ``metrics=["accuracy"]``) on ``X, y``."""
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        out = self.predict(X, batch_size=checks.batch_size_arg(batch_size, "evaluate"))
        with checks.already_checked():
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
        batch's step (use :meth:`evaluate` for the values after training).  ``callbacks`` is a
        list of objects with any of ``on_train_begin(logs)``, ``on_epoch_end(epoch, logs)``,
        ``on_train_end(logs)``; a callback may set ``model.stop_training = True``.  Training
        stops with a message if the loss becomes NaN or infinite.
        """
        self._require_compiled()
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        if validation_data is not None:
            X_val, y_val = checks.validation_pair(validation_data)
            X_val = self._check_X(X_val)
            validation_data = (X_val, self._check_y(y_val, len(X_val)))
        callbacks = checks.fit_args(epochs, batch_size, callbacks, shuffle, verbose)
        with fast.blas_threads(), checks.already_checked():
            return self._fit_loop(
                X, y, epochs, batch_size, validation_data, shuffle, verbose, callbacks
            )

    def _fit_loop(self, X, y, epochs, batch_size, validation_data, shuffle, verbose, callbacks):
        """The loop of :meth:`fit`, with its arguments already checked."""
        history = self.history = History()
        self.stop_training = False
        _call(callbacks, "set_model", self)
        _call(callbacks, "on_train_begin", {})
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
            _call(callbacks, "on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        _call(callbacks, "on_train_end", {})
        return history

    # -- input checks (in _checks.py, below the core)
    def _check_X(self, X):
        """``X`` as an (n, features) array of this model's dtype; builds the model if needed."""
        X = checks.inputs(X)
        if not self.built:
            self.build(X.shape[1])
        checks.input_width(self, X)
        return X.astype(self.dtype, copy=False)

    def _check_y(self, y, n):
        """``y`` as targets that match the model's output and loss, or a clear error."""
        return checks.targets(self, y, n)

    def _require_compiled(self):
        checks.compiled(self)


def _call(callbacks, method, *args):
    """Call ``method(*args)`` on each callback that has it."""
    for cb in callbacks:
        if hasattr(cb, method):
            getattr(cb, method)(*args)
