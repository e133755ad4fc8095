"""Lesson 06 (training a network): a mini-batch iterator, a training step to debug (a loss
gradient without its 1/n), four runs to diagnose, and a result: a network of at most 80
parameters that learns the spirals."""

import contextlib
import functools
import itertools
import re

import numpy as np

from .. import data, nn
from .core import Exercise, not_yet, ok, raised
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 06.minibatches


minibatches = lesson_solution("06.minibatches")


def _collect(fn, n, batch_size, seed):
    X = np.c_[np.arange(n) * 2.0, np.arange(n) * 2.0 + 1]  # row i is [2i, 2i + 1]
    y = np.arange(n)
    result = fn(X, y, batch_size, np.random.default_rng(seed))
    if result is None:
        raise ValueError("returned None")
    if isinstance(result, tuple):  # `return X_b, y_b` where `yield` belongs
        raise ValueError("used return")
    most = -(-n // batch_size)  # ceil(n / batch_size)
    batches = list(itertools.islice(result, most + 1))  # an endless generator stops here
    if len(batches) > most:
        raise ValueError(
            f"with {n} samples and batch_size={batch_size} expected {most} batches, but it "
            f"yields more - does the loop stop after the last sample?"
        )
    return batches


def _check_minibatches(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    n, bs = 10, 4
    try:
        batches = _collect(fn, n, bs, seed=1)
    except ValueError as exc:
        if "returned None" in str(exc):
            return not_yet("minibatches returned None - `yield` each (X_batch, y_batch) pair.")
        if "used return" in str(exc):
            return not_yet(
                "minibatches returned one result instead of handing out batches: a `return` "
                "inside the loop ends the function at the first batch. Use `yield X_batch, "
                "y_batch` in the loop - the function then becomes a generator."
            )
        return not_yet(f"minibatches raised ValueError: {exc}")
    except Exception as exc:
        return not_yet(f"minibatches raised {type(exc).__name__}: {exc}")
    if not batches or not all(isinstance(b, (tuple, list)) and len(b) == 2 for b in batches):
        return not_yet("each item must be a pair (X_batch, y_batch).")
    sizes = [len(b[1]) for b in batches]
    seen = np.concatenate([np.asarray(b[1]) for b in batches])
    if len(seen) < n:
        return not_yet(
            f"with 10 samples and batch_size=4 the batches have sizes {sizes}: {n - len(seen)} "
            "samples are missing - keep the last, smaller batch (expected sizes [4, 4, 2])."
        )
    if sizes != [4, 4, 2]:
        return not_yet(
            f"with 10 samples and batch_size=4 expected batch sizes [4, 4, 2], got {sizes}."
        )
    if sorted(seen.tolist()) != list(range(n)):
        return not_yet("some samples appear twice and others never: use one permutation.")
    for Xb, yb in batches:
        if not np.array_equal(np.asarray(Xb)[:, 0], 2.0 * np.asarray(yb)):
            return not_yet(
                "X and y rows no longer match: shuffle both with the SAME index array "
                "(order = rng.permutation(n); X[order], y[order])."
            )
    if np.array_equal(seen, np.arange(n)):
        return not_yet("the samples come in their original order: shuffle with rng.permutation.")
    again = np.concatenate([np.asarray(b[1]) for b in _collect(fn, n, bs, seed=1)])
    if not np.array_equal(seen, again):
        return not_yet("the same rng seed gave a different order: draw the shuffle from `rng`.")
    return ok("every sample once per epoch, shuffled, X and y still paired, last batch kept.")


# --------------------------------------------------------------------------- 06.train_step


train_step = lesson_solution("06.train_step")


def _fresh_model():
    model = nn.Sequential(
        [nn.Dense(6, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], dtype="float64", seed=4
    )
    return model.compile(nn.SGD(0.5), "binary_crossentropy")


def _swapped_step(model, X, y):
    """The slip of swapping (y_true, y_pred) in the loss gradient."""
    out = model.forward(X, training=True)
    model.backward(model.loss_grad(out, y))
    model.optimizer.update(model.params(), model.grads())


def _ref_out(X):
    return _fresh_model().forward(X, training=True)


def _check_train_step(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    rng = np.random.default_rng(2)
    X = rng.normal(size=(8, 2))
    y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    ref, mine = _fresh_model(), _fresh_model()
    start = ref.get_weights()
    expected_loss = train_step(ref, X, y)
    try:
        loss = fn(mine, X.copy(), y.copy())
    except AttributeError as exc:
        if "'dW'" in str(exc) or "'db'" in str(exc) or "backward" in str(exc):
            return not_yet(
                f"train_step raised AttributeError ({exc}): the layers have no gradients yet. "
                f"Call model.backward(...) with the loss gradient BEFORE the optimizer update - "
                f"the backward pass is what fills in each layer's gradients."
            )
        return not_yet(f"train_step raised AttributeError: {exc}")
    except Exception as exc:
        return not_yet(f"train_step raised {type(exc).__name__}: {exc}")
    got, want = mine.get_weights(), ref.get_weights()
    if loss is None and all(np.array_equal(a, b) for a, b in zip(got, start)):
        return not_yet(
            "train_step returned None and changed no weight: it does nothing yet. Write the "
            "four steps of section 1 in its body (forward, the loss gradient, backward, the "
            "update) and return the loss of the forward pass."
        )
    if all(np.array_equal(a, b) for a, b in zip(got, start)):
        return not_yet(
            "the weights did not change: after backward, call "
            "model.optimizer.update(model.params(), model.grads())."
        )
    moved = [a - s for a, s in zip(got, start)]
    should = [w - s for w, s in zip(want, start)]
    if all(np.allclose(m, -s) for m, s in zip(moved, should)):
        return not_yet("the weights moved uphill: the optimizer already subtracts lr * grad.")
    n = len(X)
    if all(np.allclose(m, n * s, rtol=1e-4, atol=1e-12) for m, s in zip(moved, should)):
        return not_yet(
            f"your step moves every weight {n} times as far as one step of gradient descent, and "
            f"{n} is the batch size of this test: like the classmate's, your loss gradient "
            "has no factor 1/n. The loss is the MEAN over the batch, L = (1/n) * sum of the "
            "samples' losses, so dL/dp of each sample carries 1/n - on one sample (n = 1) the "
            "missing factor changes nothing, which is why the classmate's step is right there. "
            "model.loss_grad(y, out) includes it."
        )
    swapped = _fresh_model()
    _swapped_step(swapped, X, y)
    if all(np.allclose(a, b) for a, b in zip(got, swapped.get_weights())):
        return not_yet(
            "the arguments of the loss are swapped: nnlib (like Keras) takes the true values "
            "first, then the predictions - model.loss_grad(y, out), and model.loss_fn(y, out)."
        )
    if all(np.allclose(m, 2 * s, rtol=1e-3) for m, s in zip(moved, should)):
        return not_yet("the weights moved twice as far as one step: update only once.")
    if not all(np.allclose(a, b, rtol=1e-6, atol=1e-9) for a, b in zip(got, want)):
        return not_yet(
            "the weights after your step differ from one step of gradient descent: "
            "forward, loss_grad, backward, then one optimizer update."
        )
    if loss is None:
        return not_yet("the weights are right, but train_step returned None: return the loss.")
    if np.isclose(float(loss), ref.loss_fn(_ref_out(X), y)) and not np.isclose(
        float(loss), expected_loss
    ):
        return not_yet(
            "the weights are right, but the loss you return has its arguments swapped: "
            "model.loss_fn(y, out) - the true values first, then the predictions."
        )
    if not np.isclose(float(loss), expected_loss):
        return not_yet(
            f"you returned {float(loss):.5g}, but the loss before the step is "
            f"{expected_loss:.5g}: return the loss of the forward pass."
        )
    return ok(
        "one step: forward, loss, backward, update - on a batch of 8 the weights match one step "
        "of gradient descent on the MEAN loss (the 1/n the classmate's gradient lacked)."
    )


# --------------------------------------------------------------------------- 06.small_spirals

SPIRALS_BUDGET = 80  # parameters
SPIRALS_TARGET = 0.95  # accuracy on new points
#: The training budget, counted in optimizer steps (one per batch), so that the verdict is the
#: same on every computer: the model solution takes 2 400 (300 epochs of 8 batches); 50 000 is
#: about 20 times that (e.g. 6 000 epochs of batch 32, or 1 600 of batch 8).
SPIRALS_MAX_STEPS = 50_000
#: Only a safety net for a loop that never ends (and never trains): a slow computer needs far
#: less than this for the step budget.
SPIRALS_TIME_LIMIT_S = 300.0


class _TooManySteps(BaseException):
    """Raised inside the learner's training when it passes :data:`SPIRALS_MAX_STEPS` (a
    ``BaseException``, so that an ``except Exception:`` in their code does not swallow it)."""


@contextlib.contextmanager
def _count_steps(limit):
    """Count the optimizer steps of every nnlib optimizer while the block runs; raise
    :class:`_TooManySteps` at step ``limit + 1``. Yields a dict whose ``"steps"`` is the count."""
    counter = {"steps": 0}
    classes = [
        c for c in vars(nn.optimizers).values() if isinstance(c, type) and hasattr(c, "update")
    ]
    originals = {c: c.__dict__.get("update") for c in classes}

    def counting(original):
        def update(self, params, grads):
            counter["steps"] += 1
            if counter["steps"] > limit:
                raise _TooManySteps(counter["steps"])
            return original(self, params, grads)

        return update

    for cls, original in originals.items():
        if original is not None:
            cls.update = counting(original)
    try:
        yield counter
    finally:
        for cls, original in originals.items():
            if original is not None:
                cls.update = original


small_spirals_model = lesson_solution("06.small_spirals")


@functools.cache
def spirals_data():
    """The check's data: the lesson's full-size training split (240 points) to train on, and 600
    new spiral points (another seed) to measure on."""
    X, y = data.make_spirals(300, n_classes=3, noise=0.2, seed=0)
    train, _ = data.train_val_split(X, y, val_fraction=0.2, seed=0)
    new = data.make_spirals(600, n_classes=3, noise=0.2, seed=1)
    return train, new


_SPIRALS_INPUTS = (
    "X is a (240, 2) array of points, y a vector of 240 integer classes 0, 1, 2; build, train "
    "and return an nnlib model."
)


def _check_small_spirals(fn):
    if not callable(fn):
        return not_yet(
            f"expected the function small_spirals_model(X, y) that returns a trained model, got "
            f"{type(fn).__name__} - pass the function itself, without calling it."
        )
    (X, y), (X_new, y_new) = spirals_data()
    try:
        with _count_steps(SPIRALS_MAX_STEPS):
            model = fn(X.copy(), y.copy())
    except _TooManySteps:
        return not_yet(
            f"your training takes more than {SPIRALS_MAX_STEPS:,} gradient steps (one per batch: "
            f"epochs x {len(X)} / batch_size), the budget of this exercise - about 20 times what "
            "this problem needs, and the same budget on every computer. The loop itself is fine; "
            "it is just far more training than needed. Use fewer epochs or larger batches (and, "
            "if it learns too slowly, a larger learning rate)."
        )
    except Exception as exc:
        return raised("small_spirals_model(X, y)", exc, None, _SPIRALS_INPUTS)
    if model is None:
        return not_yet(
            "small_spirals_model returned None: end it with `return model` (the trained model)."
        )
    if isinstance(model, nn.History):
        return not_yet(
            "small_spirals_model returned the History that fit returns, not the model: call "
            "model.fit(X, y, ...) on its own line, then `return model`."
        )
    if not (hasattr(model, "predict") and hasattr(model, "count_params")):
        return not_yet(
            f"small_spirals_model returned a {type(model).__name__}; return the trained nnlib "
            f"model (an nn.Sequential)."
        )
    try:
        out = np.asarray(model.predict(X_new))
        n_params = int(model.count_params())
    except Exception as exc:
        return not_yet(
            f"model.predict on the new points (shape {X_new.shape}) raised {type(exc).__name__}: "
            f"{exc}. The network takes 2 inputs (x1, x2): input_dim=2."
        )
    if out.ndim != 2 or out.shape != (len(X_new), 3):
        return not_yet(
            f"for {len(X_new)} points the model outputs shape {out.shape}; it needs 3 numbers per "
            f'point, one per class: end with nn.Dense(3, "softmax") and the loss '
            f'"sparse_categorical_crossentropy".'
        )
    if n_params > SPIRALS_BUDGET:
        return not_yet(
            f"the model has {n_params} parameters; the budget is {SPIRALS_BUDGET}. A Dense layer "
            f"from a inputs to u units has a*u + u of them (lesson 03 counts them): fewer units, "
            f"or fewer layers."
        )
    acc = float(np.mean(out.argmax(axis=1) == y_new))
    hidden = [getattr(layer, "activation", None) for layer in getattr(model, "layers", [])[:-1]]
    names = [getattr(a, "name", None) for a in hidden]
    if acc < SPIRALS_TARGET and names and all(n == "linear" for n in names):
        return not_yet(
            f"the model classifies {acc:.1%} of the {len(X_new)} new points correctly: its hidden "
            f'layers have no non-linear activation ("linear" or none given), so the whole '
            f"network is one linear map and can only cut the plane with straight lines (lesson "
            f'02). Give the hidden layer an activation such as "relu" or "tanh".'
        )
    if acc < 0.45:
        return not_yet(
            f"the model classifies {acc:.1%} of the {len(X_new)} new points correctly - about "
            f"chance (33 % for 3 classes). Is it trained (model.fit(X, y, ...) before the "
            f'return)? Does its hidden layer have a non-linear activation (not "linear")?'
        )
    if acc < SPIRALS_TARGET:
        return not_yet(
            f"{n_params} parameters (within the budget), and the model classifies {acc:.1%} of "
            f"the {len(X_new)} new points correctly; it needs at least {SPIRALS_TARGET:.0%}. Read "
            f"its loss curve (section 4): still falling - more epochs or a larger learning "
            f"rate; bouncing - a smaller one. Or spend the budget differently (one hidden layer)."
        )
    return ok(
        f"{n_params} parameters (budget {SPIRALS_BUDGET}), and {acc:.1%} of {len(X_new)} new "
        f"spiral points correct (target {SPIRALS_TARGET:.0%})."
    )


# --------------------------------------------------------------------------- 06.diagnose

DIAGNOSES = ("too small", "good", "too large", "overfitting")

# The four runs the learner diagnoses: (data set, samples, noise, hidden layers, activation,
# optimizer, learning rate).  Which is which is the answer, so the lesson shows only the curves.
_MYSTERY = {
    "A": ("circles", 60, 0.25, (64, 64), "relu", "adam", 0.01),
    "B": ("circles", 200, 0.1, (16,), "relu", "sgd", 0.001),
    "C": ("moons", 200, 0.2, (32,), "relu", "sgd", 8.0),
    "D": ("moons", 200, 0.2, (16,), "tanh", "adam", 0.02),
}
_TRUTH = {"A": "overfitting", "B": "too small", "C": "too large", "D": "good"}
_WHERE_TO_LOOK = {
    "too small": "how far does its training loss fall from the first epoch to the last, "
    "compared with the loss of guessing (ln 2 = 0.69 for two classes)?",
    "too large": "look at the training curve on its own: does it fall smoothly, or jump up "
    "and down and stay high?",
    "overfitting": "compare the two curves: what does the validation loss do while the "
    "training loss keeps falling?",
    "good": "both of its curves fall and end low, close together - is anything wrong with it?",
}


@functools.cache
def _mystery_runs():
    runs = {}
    for name, (ds, n, noise, hidden, act, opt, lr) in _MYSTERY.items():
        X, y = data.make_toy(ds, n_samples=n, noise=noise, seed=0)
        (Xt, yt), (Xv, yv) = data.train_val_split(X, y, val_fraction=0.5 if n < 100 else 0.2)
        layers, dim = [], 2
        for units in hidden:
            layers.append(nn.Dense(units, act, input_dim=dim))
            dim = units
        layers.append(nn.Dense(2, "softmax", input_dim=dim))
        model = nn.Sequential(layers, seed=0)
        model.compile((nn.Adam if opt == "adam" else nn.SGD)(lr), "sparse_categorical_crossentropy")
        h = model.fit(Xt, yt, epochs=100, batch_size=16, validation_data=(Xv, yv)).history
        runs[name] = {
            "loss": np.array(h["loss"]),
            "val_loss": np.array(h["val_loss"]),
            "n_train": len(Xt),
            "params": model.count_params(),
        }
    return runs


def mystery_runs():
    """Four training runs (A-D) on two-class toy data, 100 epochs each: a dict name -> {"loss",
    "val_loss" (arrays per epoch), "n_train", "params"}.  Copies, so a learner can change them."""
    return {k: {**v, "loss": v["loss"].copy(), "val_loss": v["val_loss"].copy()}
            for k, v in _mystery_runs().items()}  # fmt: skip


def _diagnosis_word(value):
    """The one diagnosis a learner's text names, or None (none or several)."""
    words = set(re.findall(r"[a-z]+", str(value).lower()))
    found = set()
    if any(w.startswith("overfit") for w in words):
        found.add("overfitting")
    if words & {"small", "low", "tiny"}:
        found.add("too small")
    if words & {"large", "high", "big"}:
        found.add("too large")
    if words & {"good", "fine", "ok", "healthy"}:
        found.add("good")
    return found.pop() if len(found) == 1 else None


def _check_diagnose(answer):
    choices = ", ".join(repr(d) for d in DIAGNOSES)
    if not isinstance(answer, dict):
        return not_yet(
            f"expected a dict like {{'A': 'good', 'B': ..., 'C': ..., 'D': ...}} with one of "
            f"{choices} per run, got {type(answer).__name__}."
        )
    keys = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [k for k in _TRUTH if keys.get(k) is None or keys.get(k) is Ellipsis]
    if missing:
        return not_yet(f"no diagnosis yet for run(s) {', '.join(missing)}: one entry per run A-D.")
    words = {}
    for k in _TRUTH:
        words[k] = _diagnosis_word(keys[k])
        if words[k] is None:
            return not_yet(
                f"run {k}: {keys[k]!r} is not one of the four diagnoses (or names more than "
                f"one); choose one of {choices}."
            )
    wrong = [k for k in _TRUTH if words[k] != _TRUTH[k]]
    if wrong:
        lines = [f"run {k}: not {words[k]!r} - {_WHERE_TO_LOOK[_TRUTH[k]]}" for k in wrong]
        return not_yet(f"{4 - len(wrong)} of 4 right. Look again at\n* " + "\n* ".join(lines))
    return ok(
        "all four diagnosed: A learns its 30 points by heart (validation rises), B barely "
        "moves, C bounces high, D is healthy."
    )


EXERCISES = [
    Exercise(
        id="06.minibatches",
        check=_check_minibatches,
        hint=[
            "This is a generator: it hands out one batch at a time with `yield`, not one "
            "`return` of everything.",
            "Shuffle once per call with rng (a random order of the indices 0..n-1), then walk "
            "through that order in steps of batch_size.",
            "For each start in range(0, n, batch_size), take the next batch_size indices of "
            "the shuffled order (the last batch may be smaller) and yield the X rows and y "
            "rows for them.",
        ],
    ),
    Exercise(
        id="06.train_step",
        check=_check_train_step,
        hint=[
            "Write the loss of a batch of n samples as a formula: is it a sum or a mean of the "
            "samples' losses? Differentiate it with respect to ONE sample's prediction p_i - "
            "what factor does n bring, and what is that factor when n = 1?",
            "The classmate's (p - y) / (p (1 - p)) is the gradient of ONE sample's loss; the "
            "batch's loss averages n of them. model.loss_grad(y, out) is the gradient of the "
            "mean - or divide by n yourself.",
            "Forward in training mode, the loss of (y, out), model.backward(model.loss_grad(y, "
            "out)), then model.optimizer.update(model.params(), model.grads()); return the loss "
            "of the forward pass.",
        ],
    ),
    Exercise(
        id="06.small_spirals",
        check=_check_small_spirals,
        time_limit=SPIRALS_TIME_LIMIT_S,
        hint=[
            "Start with the parameter count: for one hidden layer of h units between 2 inputs "
            "and 3 outputs, count the weights and biases of both Dense layers and solve for the "
            "largest h that stays within 80. Section 2 showed that one hidden layer is enough.",
            "Build it like section 2's one-layer network, only narrower: a ReLU hidden layer, "
            "a 3-unit softmax output, Adam, sparse categorical cross-entropy. Check "
            "model.count_params() before training.",
            "A narrow network learns more slowly: 2*h + h + 3*h + 3 = 6h + 3 <= 80 gives h = 12; "
            "train it with Adam(0.02) for about 300 epochs (batch_size=32), then return the "
            "model.",
        ],
    ),
    Exercise(
        id="06.diagnose",
        check=_check_diagnose,
        hint=[
            "Read each panel in two steps: first the training curve on its own (does it fall? "
            "smoothly or in jumps? how far?), then the training curve against the validation "
            "curve (do they stay together?).",
            "Section 4's table and section 5: too small - barely falls from the loss of guessing; "
            "too large - jumps and stays high; overfitting - training falls while validation "
            "rises; good - both fall and end low, together.",
            "One run barely moves from ln 2 = 0.69; one has a training curve that jumps around; "
            "one has only 30 training points and over 4 000 parameters, and its curves part; "
            "the last one is the healthy one.",
        ],
    ),
]
