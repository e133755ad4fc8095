"""Lesson 06 exercises: references pass, typical mistakes get a message naming the problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson06 as L


@pytest.mark.parametrize("ex", L.EXERCISES, ids=lambda e: e.id)
def test_reference_passes(ex):
    assert run(ex.id, ex.reference)


def _drops_last(X, y, bs, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X) - bs + 1, bs):
        idx = order[start : start + bs]
        yield X[idx], y[idx]


def _no_shuffle(X, y, bs, rng):
    for start in range(0, len(X), bs):
        yield X[start : start + bs], y[start : start + bs]


def _separate_shuffles(X, y, bs, rng):
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    for start in range(0, len(X), bs):
        yield X[start : start + bs], y[start : start + bs]


def _global_rng(X, y, bs, rng):
    order = np.random.permutation(len(X))
    for start in range(0, len(X), bs):
        idx = order[start : start + bs]
        yield X[idx], y[idx]


def _with_replacement(X, y, bs, rng):
    for start in range(0, len(X), bs):
        idx = rng.integers(0, len(X), size=min(bs, len(X) - start))
        yield X[idx], y[idx]


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_drops_last, "keep the last"),
        (_no_shuffle, "original order"),
        (_separate_shuffles, "no longer match"),
        (_global_rng, "from `rng`"),
        (_with_replacement, "appear twice"),
        (lambda X, y, bs, rng: None, "returned None"),
        (lambda X, y, bs, rng: [X], "pair"),
    ],
)
def test_minibatches_mistakes(wrong, words):
    result = run("06.minibatches", wrong)
    assert not result and words in result.message


def _no_update(model, X, y):
    out = model.forward(X)
    model.backward(model.loss_grad(y, out))
    return model.loss_fn(y, out)


def _twice(model, X, y):
    out = model.forward(X)
    model.backward(model.loss_grad(y, out))
    model.optimizer.update(model.params(), model.grads())
    model.optimizer.update(model.params(), model.grads())
    return model.loss_fn(y, out)


def _uphill(model, X, y):
    out = model.forward(X)
    model.backward(-model.loss_grad(y, out))
    model.optimizer.update(model.params(), model.grads())
    return model.loss_fn(y, out)


def _no_return(model, X, y):
    L.train_step(model, X, y)


def _loss_after(model, X, y):
    L.train_step(model, X, y)
    return model.loss_fn(y, model.forward(X))


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_no_update, "did not change"),
        (_twice, "twice as far"),
        (_uphill, "uphill"),
        (_no_return, "returned None"),
        (_loss_after, "loss before the step"),
        (lambda model, X, y: model.fit(X, y, epochs=3), "differ from one step"),
    ],
)
def test_train_step_mistakes(wrong, words):
    result = run("06.train_step", wrong)
    assert not result and words in result.message


# --------------------------------------------------------------------------- messages that name the slip


def _return_not_yield(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        return X[idx], y[idx]


def _empty(X, y, batch_size, rng):
    pass


def _only_ellipsis(model, X, y):
    """Do one step."""
    ...


def test_minibatches_return_instead_of_yield_is_named():
    res = run("06.minibatches", _return_not_yield)
    assert not res and "`return`" in res.message and "yield" in res.message
    assert "pair" not in res.message


@pytest.mark.usefixtures("lenient")
@pytest.mark.parametrize(
    "exercise_id, fn", [("06.minibatches", _empty), ("06.train_step", _only_ellipsis)]
)
def test_an_empty_body_is_named(exercise_id, fn):
    from nnlib.exercises import check

    res = check(exercise_id, fn)
    assert not res and "still empty" in res.message and "return`?" not in res.message


def _swapped_loss(model, X, y):
    out = model.forward(X, training=True)
    loss = model.loss_fn(out, y)
    model.backward(model.loss_grad(out, y))
    model.optimizer.update(model.params(), model.grads())
    return loss


def _swapped_loss_value_only(model, X, y):
    out = model.forward(X, training=True)
    loss = model.loss_fn(out, y)
    model.backward(model.loss_grad(y, out))
    model.optimizer.update(model.params(), model.grads())
    return loss


def _no_backward(model, X, y):
    out = model.forward(X, training=True)
    loss = model.loss_fn(y, out)
    model.optimizer.update(model.params(), model.grads())
    return loss


def test_train_step_swapped_loss_arguments_are_named():
    res = run("06.train_step", _swapped_loss)
    assert not res and "swapped" in res.message and "loss_grad(y, out)" in res.message
    res = run("06.train_step", _swapped_loss_value_only)
    assert not res and "swapped" in res.message and "loss_fn(y, out)" in res.message


def test_train_step_missing_backward_is_named():
    res = run("06.train_step", _no_backward)
    assert not res and "model.backward" in res.message and "no gradients yet" in res.message
