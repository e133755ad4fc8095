"""Gradient checking (lesson 5): compare backprop with finite differences."""

import numpy as np

from . import _checks as checks


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, tiny): the usual score for gradient checks."""
    a, b = checks.relative_error_args(a, b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-12))


def numerical_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function ``f()`` w.r.t. array ``x`` (changed in
    place and restored)."""
    checks.numerical_gradient_args(f, x, eps)
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
    Use a float64 model: in float32 rounding alone leaves relative errors of about 5e-5 even at
    the best step (lesson 05 measures 4.7e-5 at eps = 1e-2), above the 1e-6 that means correct.
    """
    checks.gradient_check_args(model, eps)
    model._require_compiled()
    X, y = model._check_X(X), model._check_y(y, len(X))
    model.loss_and_grads(X, y)
    analytic = [g.copy() for g in model.grads()]
    errors = []
    for p, g in zip(model.params(), analytic):
        num = numerical_gradient(lambda: model.loss_fn(y, model.forward(X)), p, eps)
        errors.append(relative_error(g, num))
    return errors
