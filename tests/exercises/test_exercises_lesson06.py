"""Lesson 06 exercises: references pass, typical mistakes get a message naming the problem."""

import numpy as np
import pytest
from helpers import mutant, run

from nnlib import nn
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


_no_update = mutant(
    "06.train_step", ("    model.optimizer.update(model.params(), model.grads())\n", "")
)
_twice = mutant(
    "06.train_step",
    (
        "    model.optimizer.update(model.params(), model.grads())\n",
        "    model.optimizer.update(model.params(), model.grads())\n" * 2,
    ),
)
_uphill = mutant(
    "06.train_step", ("model.backward(model.loss_grad", "model.backward(-model.loss_grad")
)


def _no_return(model, X, y):
    L.train_step(model, X, y)


def _loss_after(model, X, y):
    L.train_step(model, X, y)
    return model.loss_fn(y, model.forward(X))


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_no_update, "did not change"),
        (lambda model, X, y: None, "does nothing yet"),  # the blank answer cell: a body of `...`
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


_swapped_loss = mutant(
    "06.train_step",
    ("loss_fn(y, out)", "loss_fn(out, y)"),
    ("loss_grad(y, out)", "loss_grad(out, y)"),
)
_swapped_loss_value_only = mutant("06.train_step", ("loss_fn(y, out)", "loss_fn(out, y)"))
_no_backward = mutant("06.train_step", ("    model.backward(model.loss_grad(y, out))\n", ""))


def test_train_step_swapped_loss_arguments_are_named():
    res = run("06.train_step", _swapped_loss)
    assert not res and "swapped" in res.message and "loss_grad(y, out)" in res.message
    res = run("06.train_step", _swapped_loss_value_only)
    assert not res and "swapped" in res.message and "loss_fn(y, out)" in res.message


def test_train_step_missing_backward_is_named():
    res = run("06.train_step", _no_backward)
    assert not res and "model.backward" in res.message and "no gradients yet" in res.message


# --------------------------------------------------------------------------- 06.small_spirals


def _spirals_net(hidden=(12,), activation="relu", outputs=3, out_act="softmax"):
    layers, dim = [], 2
    for units in hidden:
        layers.append(nn.Dense(units, activation, input_dim=dim))
        dim = units
    layers.append(nn.Dense(outputs, out_act, input_dim=dim))
    model = nn.Sequential(layers, seed=0)
    loss = "sparse_categorical_crossentropy" if outputs > 1 else "binary_crossentropy"
    return model.compile(nn.Adam(0.02), loss)


def _trained(hidden=(12,), activation="relu", epochs=300):
    def fn(X, y):
        model = _spirals_net(hidden, activation)
        model.fit(X, y, epochs=epochs, batch_size=32)
        return model

    return fn


def _returns_history(X, y):
    return _spirals_net().fit(X, y, epochs=5)


def _untrained(X, y):
    return _spirals_net()


def _one_output(X, y):
    model = _spirals_net(outputs=1, out_act="sigmoid")
    model.fit(X, (y > 0).astype(float).reshape(-1, 1), epochs=2)
    return model


def _wrong_input(X, y):
    model = nn.Sequential([nn.Dense(12, "relu", input_dim=3), nn.Dense(3, "softmax")])
    return model.compile("adam", "sparse_categorical_crossentropy")


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda X, y: None, "returned None"),
        (_returns_history, "History"),
        (lambda X, y: "model", "returned a str"),
        (_untrained, "Is it trained"),
        (_trained(activation="linear", epochs=50), "non-linear"),
        (_trained(activation=None, epochs=50), "one linear map"),
        (_trained(hidden=(64,), epochs=1), "the budget is 80"),
        (_trained(hidden=(4,), epochs=100), "at least 95%"),
        (_one_output, "3 numbers per point"),
        (_wrong_input, "input_dim=2"),
        (lambda X, y: 1 / 0, "raised ZeroDivisionError"),
        (_trained, "returned a function"),
        (_untrained(None, None), "without calling it"),  # the model passed, not the function
    ],
)
def test_small_spirals_mistakes(wrong, words):
    result = run("06.small_spirals", wrong)
    assert not result and words in result.message, result.message


def test_small_spirals_wrong_messages_do_not_reveal_a_solution():
    result = run("06.small_spirals", _trained(hidden=(4,), epochs=100))
    assert "12" not in result.message and "Adam(0.02)" not in result.message


def test_small_spirals_data_is_what_the_lesson_says():
    (X, y), (X_new, y_new) = L.spirals_data()
    assert len(X) == 240 and len(X_new) == 600 and set(np.unique(y_new)) == {0, 1, 2}
    assert L.SPIRALS_BUDGET == 80 and L.SPIRALS_TARGET == 0.95
    nearest = np.min(np.linalg.norm(X_new[:, None, :] - X[None, :, :], axis=2), axis=1)
    assert np.mean(nearest < 1e-9) < 0.01  # new points (only the centre, (0, 0), is shared)


def test_small_spirals_a_different_correct_answer_passes():
    """Two hidden layers of 5 (63 parameters) is also a correct answer."""
    assert run("06.small_spirals", _trained(hidden=(5, 5), epochs=400))


# --------------------------------------------------------------------------- 06.diagnose

RIGHT = {"A": "overfitting", "B": "too small", "C": "too large", "D": "good"}


def test_the_mystery_runs_show_what_their_diagnosis_says():
    runs, ln2 = L.mystery_runs(), np.log(2)
    a, b, c, d = (runs[k] for k in "ABCD")
    # A: training falls far, validation turns and rises; few points, many parameters
    assert a["loss"][-1] < a["loss"][0] / 4 and a["val_loss"][-1] > 1.5 * a["val_loss"].min()
    assert a["n_train"] == 30 and a["params"] > 4000
    # B: hardly moves from the loss of guessing
    assert b["loss"][-1] > 0.9 * ln2 and b["loss"][0] - b["loss"][-1] < 0.05
    # C: high and ragged: its last 20 epochs far above D's, and it goes up on many epochs
    assert c["loss"][-20:].mean() > 4 * d["loss"][-20:].mean()
    assert np.sum(np.diff(c["loss"]) > 0) > 30
    # D: both curves low and together
    assert d["val_loss"][-1] < 0.2 and abs(d["val_loss"][-1] - d["loss"][-1]) < 0.1


@pytest.mark.parametrize(
    "answer, words",
    [
        ([1, 2, 3, 4], "expected a dict"),
        ({"A": None, "B": None, "C": None, "D": None}, "no diagnosis yet for run(s) A, B, C, D"),
        ({**RIGHT, "D": "great"}, "run D: 'great' is not one of"),
        ({**RIGHT, "A": "overfitting or too large"}, "names more than one"),
        ({**RIGHT, "A": "too large"}, "what does the validation loss do"),
        ({**RIGHT, "B": "too large"}, "how far does its training loss fall"),
        ({**RIGHT, "C": "overfitting"}, "jump up and down"),
        ({**RIGHT, "D": "overfitting"}, "is anything wrong with it"),
        ({**RIGHT, "B": "too large", "C": "too small"}, "2 of 4 right"),
    ],
)
def test_diagnose_mistakes(answer, words):
    result = run("06.diagnose", answer)
    assert not result and words in result.message, result.message


def test_diagnose_accepts_other_words_and_lowercase_keys():
    answer = {"a": "Overfitting!", "b": "learning rate too low", "c": "lr too high", "d": "fine"}
    assert run("06.diagnose", answer)


def test_diagnose_wrong_answers_do_not_name_the_right_one():
    result = run("06.diagnose", {**RIGHT, "A": "too large", "B": "good"})
    line_a = next(line for line in result.message.splitlines() if "run A" in line)
    assert "overfitting" not in line_a.replace("'too large'", "")


# ------------------------------------------------------ 06.train_step (a debug: the missing 1/n)


def train_step_classmate(model, X, y):  # the lesson's cell, unchanged
    out = model.forward(X, training=True)
    loss = model.loss_fn(y, out)
    p = np.clip(out, 1e-7, 1 - 1e-7)
    model.backward((p - y) / (p * (1 - p)))  # dL/dp of the cross-entropy, by hand
    model.optimizer.update(model.params(), model.grads())
    return loss


def test_train_step_the_classmates_code_unchanged_is_named():
    res = run("06.train_step", train_step_classmate)
    assert not res and "like the classmate's" in res.message and "1/n" in res.message
    assert "8 times as far" in res.message and "8 is the batch size" in res.message
    assert "precision" not in res.message and "scale" not in res.message


def test_train_step_the_classmates_fix_by_dividing_by_n_passes():
    def divided(model, X, y):
        out = model.forward(X, training=True)
        loss = model.loss_fn(y, out)
        p = np.clip(out, 1e-7, 1 - 1e-7)
        model.backward((p - y) / (p * (1 - p)) / len(y))
        model.optimizer.update(model.params(), model.grads())
        return loss

    assert run("06.train_step", divided)


def test_train_step_backward_of_the_loss_value_is_explained():
    def loss_backward(model, X, y):
        out = model.forward(X, training=True)
        loss = model.loss_fn(y, out)
        model.backward(loss)
        model.optimizer.update(model.params(), model.grads())
        return loss

    res = run("06.train_step", loss_backward)
    assert not res and "raised TypeError" in res.message and "loss_grad(y, out)" in res.message


def test_train_step_the_classmates_step_is_right_on_one_sample_only():
    """The lesson's claim: the same weights as train_on_batch on 1 sample, not on 32."""
    from nnlib import data, nn

    X, y = data.make_moons(200, noise=0.1, seed=0)
    y_col = y.reshape(-1, 1).astype(float)

    def same(n):
        models = []
        for _ in range(2):
            m = nn.Sequential([nn.Dense(16, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], seed=0)
            models.append(
                m.compile(optimizer=nn.SGD(0.3, momentum=0.9), loss="binary_crossentropy")
            )
        train_step_classmate(models[0], X[:n], y_col[:n])
        models[1].train_on_batch(X[:n], y_col[:n])
        weights = zip(models[0].get_weights(), models[1].get_weights())
        return all(np.allclose(a, b) for a, b in weights)

    assert same(1) and not same(32)
