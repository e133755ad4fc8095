"""Lesson 11 (applications): dot-product attention, a recommendation score, and a recommender
diagnosed and tuned to reach a target on the real MovieLens ratings (the check trains the
learner's choice with the lesson's own ``build_recommender`` and ratings, found in the kernel,
judges it on a validation split of the training ratings, and reports the held-out RMSE once)."""

import numpy as np

from .core import Exercise, not_yet, ok
from .solutions import lesson_solution

attention = lesson_solution("11.attention")
predict_rating = lesson_solution("11.predict_rating")
CHOICE = lesson_solution("11.reach_rmse")  # {"dim": ..., "l2": ..., "learning_rate": ...}


_rng = np.random.default_rng(11)
_ATT_CASES = [
    (np.eye(2), np.eye(2), np.array([[1.0, 2.0], [3.0, 4.0]])),
    (_rng.normal(size=(3, 4)), _rng.normal(size=(5, 4)), _rng.normal(size=(5, 2))),
    (30 * _rng.normal(size=(2, 8)), 30 * _rng.normal(size=(4, 8)), _rng.normal(size=(4, 3))),
]
_REC_CASES = [
    (np.array([1.0, 0.0]), np.array([0.5, 2.0]), 0.1, -0.2, 3.5),
    (_rng.normal(size=4), _rng.normal(size=4), 0.3, 0.4, 3.0),
]

# --------------------------------------------------------------------------- reach a target

EPOCHS, BATCH = 2, 256
MAX_DIM, MAX_RATE = 256, 0.05


def _from_lesson(name):
    """A name lesson 11 defines (``build_recommender``, the ratings), from the learner's kernel:
    the check trains the choice with the lesson's own code, not a copy of it."""
    from ..config import ipython_shell

    shell = ipython_shell("user_ns")
    return None if shell is None else shell.user_ns.get(name)


_LESSON_NAMES = (
    "keras", "build_recommender", "shrunk_mean", "ml_user", "ml_movie", "ml_stars", "ml_tr",
    "ml_te", "user_ids", "movie_ids", "two_epoch_rmse",
)  # fmt: skip
VAL_FRACTION = 0.1  # of the training ratings: the validation split the choice is judged on


def _validation_protocol():
    """``(train, target)`` from the lesson's kernel, or ``(None, None)``: ``train(dim, l2,
    learning_rate)`` trains like ``two_epoch_rmse`` (2 epochs, seeded) on the training ratings
    minus a validation split (the last 10 % of them, already in random order) and returns
    ``(training, validation, held-out RMSE)``; ``target`` is the '+ user bias' rung fitted the
    lesson's way on the same ratings and measured on the validation split. The choice is judged
    on validation (lesson 08); the held-out ratings are reported once."""
    found = {name: _from_lesson(name) for name in _LESSON_NAMES}
    if any(value is None for value in found.values()):
        return None, None
    keras, build = found["keras"], found["build_recommender"]
    users, movies, stars = found["ml_user"], found["ml_movie"], found["ml_stars"]
    n_users, n_movies = len(found["user_ids"]), len(found["movie_ids"])
    tr, te = np.asarray(found["ml_tr"]), np.asarray(found["ml_te"])
    n_fit = int(round((1 - VAL_FRACTION) * len(tr)))
    fit, val = tr[:n_fit], tr[n_fit:]
    mu = float(stars[fit].mean())
    b_m = found["shrunk_mean"](movies[fit], stars[fit] - mu, n_movies)
    b_u = found["shrunk_mean"](users[fit], stars[fit] - mu - b_m[movies[fit]], n_users)

    def rmse(pred, part):
        return float(np.sqrt(np.mean((pred[part] - stars[part]) ** 2)))

    biases = mu + b_m[movies] + b_u[users]
    target = rmse(biases, val)

    def train(dim, l2, learning_rate):
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        model = build(n_users, n_movies, dim=dim, l2=l2)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
        model.fit(
            [users[fit], movies[fit]], stars[fit] - mu, epochs=EPOCHS, batch_size=BATCH, verbose=0
        )
        pred = model.predict([users, movies], verbose=0, batch_size=8192)[:, 0] + mu
        return rmse(pred, fit), rmse(pred, val), rmse(pred, te)

    return train, target


def _number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_choice(choice, train=None, target=None):
    keys = ("dim", "l2", "learning_rate")
    if not isinstance(choice, dict):
        return not_yet(
            'expected a dict {"dim": ..., "l2": ..., "learning_rate": ...}, got '
            f"{type(choice).__name__}"
        )
    missing = [k for k in keys if k not in choice]
    if missing:
        return not_yet(f"your dict lacks the key(s) {missing}; it needs {list(keys)}")
    dim, l2, rate = (choice[k] for k in keys)
    if not (isinstance(dim, (int, np.integer)) and not isinstance(dim, bool)):
        return not_yet(f'"dim" (the embedding size) should be a whole number, got {dim!r}')
    if not 1 <= dim <= MAX_DIM:
        return not_yet(f'"dim" should be between 1 and {MAX_DIM} (the check trains it), got {dim}')
    if not (_number(l2) and l2 >= 0):
        return not_yet(f'"l2" should be a number >= 0 (0 means no penalty), got {l2!r}')
    if not (_number(rate) and 0 < rate <= MAX_RATE):
        return not_yet(
            f'"learning_rate" should be a number above 0 and at most {MAX_RATE} (Adam is usually '
            f"run between 1e-4 and 1e-2), got {rate!r}"
        )
    if train is None or target is None:
        train, target = _validation_protocol()
    if train is None or target is None:
        return not_yet(
            "the check trains your choice with the lesson's code (build_recommender, the "
            "ratings, two_epoch_rmse): run the cells of section 2 and the cell with the "
            "colleague's first try first (or Run > Run All Above)."
        )
    train_rmse, val_rmse, held_out = train(int(dim), float(l2), float(rate))
    said = f"training RMSE {train_rmse:.3f}, validation {val_rmse:.3f} stars"
    judged = (
        f"(the check judges a choice on a validation split - {VAL_FRACTION:.0%} of the training "
        "ratings, held back from training - never on the held-out ratings; lesson 08)"
    )
    if not np.isfinite(val_rmse):
        return not_yet(f"training diverged ({said}): lower the learning rate.")
    if val_rmse < target:
        return ok(
            f"{said}: below the '+ user bias' rung on the same validation ratings "
            f"({target:.3f}) after {EPOCHS} epochs {judged}. Reported once, on the held-out "
            f"ratings: {held_out:.3f} stars."
        )
    if train_rmse < val_rmse - 0.05:
        why = (
            "the model fits its training ratings much better than the validation ones: it is "
            "overfitting. Penalise the vectors (a larger l2) and/or give them fewer dimensions"
        )
    else:
        why = (
            "the training error is close to the validation one, both high: in 2 epochs the "
            "model has not learned enough yet. A larger learning rate (or a weaker l2) lets it "
            "move further"
        )
    return not_yet(
        f"{said}, not below the '+ user bias' rung on the same validation ratings "
        f"({target:.3f}) {judged}: {why}. A choice tuned to the held-out ratings can miss "
        "here - that is the point of a validation split."
    )


EXERCISES = [
    Exercise(
        id="11.attention",
        cases=_ATT_CASES,
        hint=[
            "Attention = how well each query matches each key (a score), turned into weights "
            "that sum to 1 per query, used to average the values.",
            "The scores are Q @ K.T, scaled by the square root of the key dimension d = "
            "K.shape[1].",
            "Take a stable softmax over each ROW of the scores (axis=1, subtract the row max "
            "first), then multiply the weights by V.",
        ],
    ),
    Exercise(
        id="11.predict_rating",
        cases=_REC_CASES,
        hint=[
            "The lesson's model adds up a baseline, how generous the user is, how popular the "
            "item is, and how well their tastes match.",
            "The taste match is the dot product of the user's and the item's embedding vectors.",
            "Add the global mean, the user bias, the item bias and np.dot of the two vectors.",
        ],
    ),
    Exercise(
        id="11.reach_rmse",
        check=_check_choice,
        tags=["lesson-namespace"],  # trains with the lesson's two_epoch_rmse: nbval runs it
        time_limit=300,  # the check trains the choice for 2 epochs (about 5 s on 2 cores)
        hint=[
            "Compare the first try's training and validation RMSE, as lesson 08 did with "
            "training and validation curves: which of the two is bad tells you what to change.",
            "Its training error is far below its validation error: it memorised the training "
            "ratings (overfitting). Section 2's model used an L2 penalty on the looked-up "
            "vectors; 64 free dimensions and no penalty is the opposite.",
            "Keep the learning rate large enough to learn in 2 epochs (about 0.005 to 0.01), "
            "add an L2 strength of about 0.1 and use fewer dimensions (8 to 32); try them with "
            "two_epoch_rmse before you check. The check judges the choice on a validation split "
            "of the training ratings, so prefer a setting that wins clearly, not by a hair.",
        ],
    ),
]
