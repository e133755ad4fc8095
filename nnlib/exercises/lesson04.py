"""Lesson 04 (loss and gradient descent): the MSE gradient, binary cross-entropy, and one step
of gradient descent for a straight line."""

import numpy as np

from .. import nn
from .core import Exercise, Mistake, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 04.mse_grad


_MSE_CASES = [
    (np.array([[1.0], [0.0], [2.0], [-1.0]]), np.array([[0.5], [0.5], [2.0], [1.0]])),
    (
        np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]),
        np.array([[0.9, 0.2], [0.3, 0.3], [0.5, 1.0]]),
    ),
    (np.array([3.0]), np.array([-1.0])),
]

_MSE_MISTAKES = [
    Mistake(
        "sign flipped",
        lambda y, p: 2 * (y - p) / p.size,
        "the sign is flipped: the derivative of (p - y)^2 w.r.t. p is 2(p - y), not 2(y - p).",
    ),
    Mistake(
        "no factor 2",
        lambda y, p: (p - y) / p.size,
        "the factor 2 from the square's derivative is missing.",
    ),
    Mistake(
        "mean over rows",
        lambda y, p: 2 * (p - y) / len(p),
        "for a (3, 2) batch you divided by 3 (the rows); the mean runs over all 6 entries, so "
        "divide by y_pred.size.",
    ),
    Mistake(
        "no mean",
        lambda y, p: 2 * (p - y),
        "you returned the loss's per-entry errors without averaging (divide by y_pred.size).",
    ),
]


# --------------------------------------------------------------------------- 04.bce


_BCE_CASES = [
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.1, 0.6, 0.3])),
    (np.array([1.0, 1.0]), np.array([0.5, 0.99])),
    (np.array([1.0, 0.0]), np.array([0.0, 1.0])),  # confidently wrong: needs the clip
]


def _bce(y, p):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


_BCE_MISTAKES = [  # the clip first: without it, every wrong formula also gives NaN
    Mistake(
        "no clip",
        _bce,
        "for p = [0. 1.] (confidently wrong) you return {got}: clip p to [1e-7, 1 - 1e-7] "
        "before taking the log, as Keras does.",
    ),
    Mistake(
        "no minus",
        lambda y, p: -_bce(y, p),
        "your loss is negative: it needs a minus sign in front (log p < 0).",
    ),
    Mistake(
        "sum", lambda y, p: _bce(y, p) * len(y), "you summed instead of averaging over the samples."
    ),
    Mistake(
        "sum, clipped",
        lambda y, p: _bce(y, np.clip(p, 1e-7, 1 - 1e-7)) * len(y),
        "your loss is n times too large, n = the number of samples (4 in the first test): you "
        "summed the samples' losses. The loss is their MEAN, so that it does not grow with the "
        "batch size.",
    ),
    Mistake(
        "the classmate's code, unchanged",
        lambda y, p: -np.mean(y * np.log(p)),
        "like the classmate's, your loss has only the y * log(p) term. A sample with label 0 "
        "then costs nothing, whatever p is - that is why the lazy model (p = 0.999 for "
        "everything) wins. Add (1 - y) * log(1 - p), the cost of the label-0 samples. The "
        "classmate's second bug is there too: log(0) = -inf for a confident mistake, so clip "
        "p to [1e-7, 1 - 1e-7] first.",
    ),
    Mistake(
        "clipped, still no (1 - y) term",
        lambda y, p: -np.mean(y * np.log(np.clip(p, 1e-7, 1 - 1e-7))),
        "the clip is right, but only the y * log(p) term is there: a sample with label 0 costs "
        "nothing, whatever p is - that is why the lazy model wins. Add (1 - y) * log(1 - p) "
        "for the samples with label 0.",
    ),
    Mistake(
        "the label-0 term with p instead of 1 - p",
        lambda y, p: (
            -np.mean(
                y * np.log(np.clip(p, 1e-7, 1 - 1e-7))
                + (1 - y) * np.log(np.clip(p, 1e-7, 1 - 1e-7))
            )
        ),
        "a sample with label 0 is right when p is SMALL, so its cost is -log(1 - p), not "
        "-log(p): with log(p) the lazy model is still rewarded on the label-0 samples.",
    ),
]


# --------------------------------------------------------------------------- 04.gd_step


_GD_CASES = [
    (0.0, 0.0, np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]), 0.1),
    (1.0, -1.0, np.array([2.0, 2.5, 3.0, 4.0]), np.array([1.0, 1.4, 2.5, 2.6]), 0.05),
    (-0.5, 1.5, np.array([0.0, 1.0]), np.array([1.0, -1.0]), 0.5),
]


def _grads(w, b, x, y):
    error = w * x + b - y
    return 2 * np.mean(error * x), 2 * np.mean(error)


def _uphill(w, b, x, y, lr):
    dw, db = _grads(w, b, x, y)
    return w + lr * dw, b + lr * db


def _no_x(w, b, x, y, lr):
    db = _grads(w, b, x, y)[1]
    return w - lr * db, b - lr * db


def _w_first(w, b, x, y, lr):
    w = w - lr * _grads(w, b, x, y)[0]
    return w, b - lr * _grads(w, b, x, y)[1]


_GD_MISTAKES = [
    Mistake(
        "uphill",
        _uphill,
        "you stepped uphill: subtract lr * gradient (w - lr * dw), don't add it.",
    ),
    Mistake(
        "returns the gradient",
        lambda w, b, x, y, lr: _grads(w, b, x, y),
        "you returned the gradient (dw, db), not the new parameters.",
    ),
    Mistake("no factor x", _no_x, "dL/dw needs the factor x: dw = 2 * mean(error * x)."),
    Mistake(
        "w updated first",
        _w_first,
        "w is right, but b was computed with the NEW w: you updated w before computing db. "
        "Compute both gradients from the old w and b first, then update both.",
    ),
]


EXERCISES = [
    Exercise(
        id="04.mse_grad",
        cases=_MSE_CASES,
        mistakes=_MSE_MISTAKES,
        name="mse_grad",
        forbid=(nn.mse_grad,),
        forbid_reason="that is the answer key: the exercise is to derive and write it yourself",
        inputs="y_true and y_pred are NumPy arrays of the same shape (a vector, or (batch, "
        "outputs)); return an array of that shape.",
        hint=[
            "Differentiate the loss with respect to one prediction p_i: only one term of the "
            "mean depends on it.",
            "d/dp (p - y)^2 is 2 (p - y); the mean contributes a factor 1/n. What is n for a "
            "2-D array of predictions?",
            "n counts every entry, not just the rows (y_pred.size). The result has the shape "
            "of y_pred.",
        ],
    ),
    Exercise(
        id="04.bce",
        cases=_BCE_CASES,
        mistakes=_BCE_MISTAKES,
        name="binary_crossentropy",
        forbid=(nn.binary_crossentropy,),
        forbid_reason="that is the answer key: the exercise is to write it yourself",
        inputs="y (labels 0 or 1) and p (probabilities) are vectors of the same length; return "
        "one number, the mean loss.",
        passed="binary_crossentropy is right, also for confident mistakes - and it prefers "
        "the honest model to the lazy one.",
        hint=[
            "Compute the classmate's loss for the lazy model by hand, sample by sample: what "
            "does a sample with label 0 add to it, whatever p is? What should a wrong, "
            "confident answer on a label-0 sample cost?",
            "The loss is minus the log of the probability the model gives to the TRUE label: "
            "p for label 1, 1 - p for label 0. The formula y log p + (1 - y) log(1 - p) covers "
            "both. And log(0) = -inf: clip p into [eps, 1 - eps] first.",
            "Clip p, then take minus the mean of y * log(p) + (1 - y) * log(1 - p), and return "
            "it as a Python float.",
        ],
    ),
    Exercise(
        id="04.gd_step",
        cases=_GD_CASES,
        mistakes=_GD_MISTAKES,
        name="gd_step",
        hint=[
            "Gradient descent moves each parameter against its own gradient, and both "
            "gradients are computed from the SAME (old) w and b.",
            "With the error e = prediction - y (prediction w * x + b), the lesson's MSE "
            "gradients are dw = 2 mean(e * x) and db = 2 mean(e).",
            "Compute both gradients first, then return the two updated values, each minus lr "
            "times its gradient. Updating w before computing db uses a wrong w.",
        ],
    ),
]


# --------------------------------------------------------------------------- 04.choose_lr

_TOY_X = np.arange(5.0)
_TOY_Y = 2 * _TOY_X + 1
_TOY_STEPS = 50
_TOY_TARGET = 0.01
#: The rule the exercise teaches: a rate chosen from 2 / (steepest curvature) is not far below
#: it. Rates below this fraction of it also reach the target in 50 steps (from 0.015 up), but
#: only a sweep finds those; every rate the rule suggests (1 / or just under 2 / the steepest
#: curvature, 0.1, the one-parameter 1 / L''(w)) is above it.
_RULE_FRACTION = 0.25


def _toy_run(lr):
    """The MSE after each of 50 model gd_steps from w = b = 0 on the toy line."""
    w = b = 0.0
    losses = [float(np.mean((w * _TOY_X + b - _TOY_Y) ** 2))]
    with np.errstate(all="ignore"):
        for _ in range(_TOY_STEPS):
            w, b = lesson_solution("04.gd_step")(w, b, _TOY_X, _TOY_Y, lr)
            losses.append(float(np.mean((w * _TOY_X + b - _TOY_Y) ** 2)))
    return np.array(losses)


def _toy_curvatures():
    """The flattest and steepest curvature of the toy problem's MSE (Hessian eigenvalues)."""
    x = _TOY_X
    hessian = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    return np.linalg.eigvalsh(hessian)


def _check_choose_lr(lr):
    if lr is None:
        return not_yet(
            "lr_choice is still None: set it to a learning rate (a positive number) and run the check"
        )
    if isinstance(lr, (bool, str, bytes)) or np.ndim(lr) != 0:
        return not_yet(f"lr_choice should be one positive number, got {lr!r}")
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        return not_yet(f"lr_choice should be one positive number, got {type(lr).__name__}")
    if not np.isfinite(lr) or lr <= 0:
        return not_yet(
            f"lr_choice = {lr:g}: a learning rate is a positive number (a step of size 0 or "
            "below never goes downhill)."
        )
    losses = _toy_run(lr)
    final = losses[-1]
    overshoot_from, diverge_from = 1 / _toy_curvatures()[1], 2 / _toy_curvatures()[1]
    if np.isfinite(final) and final < _TOY_TARGET and lr < _RULE_FRACTION * diverge_from:
        return not_yet(
            f"lr = {lr:g} does reach MSE {final:.2g} in {_TOY_STEPS} steps, but it is a rate "
            f"found by trying, not by the lesson's rule: it is more than "
            f"{1 / _RULE_FRACTION:g} times below the largest rate that still converges here, so "
            "most of its steps are wasted crawling. Use the rule of sections 4 and 5: work out "
            "the steepest curvature of this problem's loss, the rate 2 / (steepest curvature) "
            "where gradient descent starts to diverge, and choose a rate not far below it."
        )
    if np.isfinite(final) and final < _TOY_TARGET:
        return ok(
            f"lr = {lr:g}: MSE {final:.2g} after {_TOY_STEPS} steps (target < {_TOY_TARGET}). "
            f"Rates above {overshoot_from:.3f} overshoot (zig-zag) but still converge; above "
            f"2 / steepest curvature = {diverge_from:.3f} they diverge."
        )
    one_d = 2 / (2 * np.mean(_TOY_X**2))  # the rule for w alone, ignoring b
    if (not np.isfinite(final) or lr >= diverge_from) and abs(lr / one_d - 1) < 0.05:
        return not_yet(
            f"lr = {lr:g} diverges: 2 / L''(w) with L''(w) = 2 mean(x^2) is the limit for w "
            "alone (section 4's one-parameter loss). Here b is learned as well, and the steepest "
            "curvature of the (w, b) loss (section 5) is larger than L''(w), so the limit is "
            "lower. Make the learning rate smaller."
        )
    if not np.isfinite(final) or final > losses[0] or lr >= diverge_from:
        return not_yet(
            f"lr = {lr:g} is too large: gradient descent diverges - every step jumps across "
            "the minimum and lands further away than it started, so the MSE never settles "
            f"(after {_TOY_STEPS} steps it is {final:.3g}; it started at {losses[0]:.3g}). "
            "Make the learning rate smaller."
        )
    if lr > overshoot_from:
        return not_yet(
            f"lr = {lr:g} is too large: it overshoots - each step jumps across the minimum and "
            f"lands only a little closer - so after {_TOY_STEPS} steps the MSE is still "
            f"{final:.3g}, above {_TOY_TARGET}. It converges, but too slowly: make the learning "
            "rate a little smaller."
        )
    return not_yet(
        f"lr = {lr:g} is too small: the MSE goes down at every step but is still {final:.3g} "
        f"after {_TOY_STEPS} steps (target < {_TOY_TARGET}). Take larger steps."
    )


EXERCISES.append(
    Exercise(
        id="04.choose_lr",
        check=_check_choose_lr,
        hint=[
            "Predict before you sweep: section 4's rule says gradient descent diverges above "
            "2 / L'' (the loss's curvature) and overshoots but converges between 1 / L'' and "
            "2 / L''. The best rates for 50 steps sit in the upper part of what converges.",
            "Here two parameters are learned (w and b), so it is section 5's version that "
            "counts: the STEEPEST curvature of the (w, b) loss sets the limit. Measure it as "
            "section 5 does (the curvature along many directions through the minimum), then "
            "check your rate with a loop of 50 gd_steps.",
            "For these five points the steepest curvature is about 13.4 (the larger eigenvalue "
            "of 2 [[mean x^2, mean x], [mean x, 1]]), so rates above 2 / 13.4 = 0.149 diverge; "
            "a rate between 1 / 13.4 and a little under 0.149 (e.g. 0.14) reaches the target.",
        ],
    )
)
