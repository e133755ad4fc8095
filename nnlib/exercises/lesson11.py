"""Lesson 11 (applications): dot-product attention, a recommendation score, and a recommender
diagnosed and tuned to reach a held-out target on the real MovieLens ratings (the check trains
the learner's choice with the lesson's own ``two_epoch_rmse``, found in the kernel)."""

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
    """A name lesson 11 defines (``two_epoch_rmse``, ``target``), from the learner's kernel: the
    check trains the choice with the lesson's own code, not a copy of it."""
    from ..config import ipython_shell

    shell = ipython_shell("user_ns")
    return None if shell is None else shell.user_ns.get(name)


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
    train = train or _from_lesson("two_epoch_rmse")
    target = target if target is not None else _from_lesson("target")
    if train is None or target is None:
        return not_yet(
            "the check trains your choice with the lesson's `two_epoch_rmse` and compares it with "
            "`target`, both defined in the cell with the colleague's first try: run that cell "
            "first (or Run > Run All Above)."
        )
    train_rmse, held_out = train(int(dim), float(l2), float(rate))
    said = f"training RMSE {train_rmse:.3f}, held-out {held_out:.3f} stars"
    if not np.isfinite(held_out):
        return not_yet(f"training diverged ({said}): lower the learning rate.")
    if held_out < target:
        return ok(
            f"{said}: below the '+ user bias' rung ({target:.3f}) after {EPOCHS} epochs - the "
            "taste vectors add something on ratings the model never saw."
        )
    if train_rmse < held_out - 0.05:
        why = (
            "the model fits its training ratings much better than new ones: it is overfitting. "
            "Penalise the vectors (a larger l2) and/or give them fewer dimensions"
        )
    else:
        why = (
            "the training error is close to the held-out one, both high: in 2 epochs the model "
            "has not learned enough yet. A larger learning rate (or a weaker l2) lets it move further"
        )
    return not_yet(f"{said}, not below the '+ user bias' rung ({target:.3f}): {why}.")


EXERCISES = [
    Exercise(
        id="11.attention",
        title="Scaled dot-product attention",
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
        title="A recommendation score",
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
        title="Diagnose a recommender, then reach a target RMSE",
        check=_check_choice,
        tags=["lesson-namespace"],  # trains with the lesson's two_epoch_rmse: nbval runs it
        time_limit=300,  # the check trains the choice for 2 epochs (about 5 s on 2 cores)
        hint=[
            "Compare the first try's training and held-out RMSE, as lesson 08 did with "
            "training and validation curves: which of the two is bad tells you what to change.",
            "Its training error is far below its held-out error: it memorised the training "
            "ratings (overfitting). Section 2's model used an L2 penalty on the looked-up "
            "vectors; 64 free dimensions and no penalty is the opposite.",
            "Keep the learning rate large enough to learn in 2 epochs (about 0.005 to 0.01), "
            "add an L2 strength of about 0.1 and use fewer dimensions (8 to 32); try them with "
            "two_epoch_rmse before you check.",
        ],
    ),
]
