"""Lesson 08 (evaluation and tuning): precision and recall from a confusion matrix, the best
epoch of a training history, the L2 penalty Keras adds to the loss, and the threshold that gives
a detector the precision it must have with the most recall (a result)."""

import numpy as np

from .core import Exercise, compare_arrays, not_yet, ok
from .solutions import lesson_solution

# --------------------------------------------------------------------------- 08.precision_recall
precision_recall = lesson_solution("08.precision_recall")


_CMS = [
    np.array([[5, 1], [2, 7]]),
    np.array([[50, 3, 2], [4, 40, 6], [1, 9, 35]]),
    np.array([[4, 0, 1], [2, 0, 3], [0, 0, 6]]),  # class 1 is never predicted
]


def _check_precision_recall(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for cm in _CMS:
        shown = np.array2string(cm, separator=", ").replace("\n", "")
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                got = fn(cm.copy())
        except Exception as exc:
            return not_yet(f"precision_recall({shown}) raised {type(exc).__name__}: {exc}")
        if got is None:
            return not_yet("precision_recall returned None - did you forget a `return`?")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return not_yet(
                f"return two arrays, `return precision, recall`; got {type(got).__name__}"
                + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "")
            )
        p_ref, r_ref = precision_recall(cm)
        p, r = (np.asarray(a, dtype=float) for a in got)
        if p.shape == p_ref.shape and r.shape == r_ref.shape:
            if np.allclose(p, r_ref) and np.allclose(r, p_ref) and not np.allclose(p, p_ref):
                return not_yet(
                    f"for {shown} precision and recall are swapped. Precision divides the "
                    f"diagonal by the COLUMN sums (how often a class was predicted), recall by the "
                    f"ROW sums (how often it really occurs)."
                )
            if np.any(np.isnan(p)) or np.any(np.isnan(r)):
                return not_yet(
                    f"for {shown} your result contains NaN: a class that is never predicted has "
                    f"0/0. Count its precision as 0, e.g. with np.divide(..., where=sums > 0)."
                )
        for name, a, ref in (("precision", p, p_ref), ("recall", r, r_ref)):
            problem = compare_arrays(a, ref, f"{name} for cm = {shown}")
            if problem:
                return not_yet(problem)
    return ok("precision = diagonal / column sums, recall = diagonal / row sums.")


# --------------------------------------------------------------------------- 08.best_epoch
best_epoch = lesson_solution("08.best_epoch")


_HISTORIES = [
    {"loss": [0.9, 0.5, 0.3, 0.2, 0.1], "val_loss": [1.0, 0.6, 0.45, 0.5, 0.7]},
    {"loss": [2.0, 1.0, 0.8, 0.7], "val_loss": [1.5, 1.2, 1.1, 1.05]},
    {"loss": [0.5, 0.4, 0.3, 0.2, 0.15, 0.1], "val_loss": [0.3, 0.5, 0.6, 0.7, 0.8, 0.9]},
]


def _check_best_epoch(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for h in _HISTORIES:
        try:
            got = fn({k: list(v) for k, v in h.items()})
        except Exception as exc:
            return not_yet(f"best_epoch({h}) raised {type(exc).__name__}: {exc}")
        if got is None:
            return not_yet("best_epoch returned None - did you forget a `return`?")
        if np.ndim(got) != 0:
            return not_yet(f"return one epoch number, got {type(got).__name__} {got!r}")
        got = int(got)
        expected = best_epoch(h)
        if got == expected:
            continue
        where = f"for val_loss = {h['val_loss']} you return {got}, expected {expected}"
        if got == expected - 1:
            return not_yet(
                f"{where}: off by one - epochs count from 1 (Keras prints 'Epoch 1/...')"
            )
        if got in (int(np.argmax(h["val_loss"])), int(np.argmax(h["val_loss"])) + 1):
            return not_yet(f"{where}: that is the epoch with the HIGHEST validation loss")
        if got in (int(np.argmin(h["loss"])), int(np.argmin(h["loss"])) + 1):
            return not_yet(
                f"{where}: that is the best TRAINING loss; judge epochs on the validation loss"
            )
        return not_yet(where)
    return ok("the lowest val_loss, counted from epoch 1.")


# --------------------------------------------------------------------------- 08.l2_penalty
l2_penalty = lesson_solution("08.l2_penalty")


def _check_l2_penalty(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    rng = np.random.default_rng(8)
    cases = [
        ([np.array([[1.0, -2.0], [3.0, 0.5]])], 0.1),
        ([rng.normal(size=(4, 3)), rng.normal(size=(3, 2))], 0.01),
        ([rng.normal(size=(5, 5)), rng.normal(size=(5, 1))], 1e-3),
    ]
    for kernels, lam in cases:
        shapes = [w.shape for w in kernels]
        try:
            got = fn([w.copy() for w in kernels], lam)
        except Exception as exc:
            return not_yet(
                f"l2_penalty(kernels of shapes {shapes}, {lam}) raised {type(exc).__name__}: {exc}"
            )
        if got is None:
            return not_yet("l2_penalty returned None - did you forget a `return`?")
        if np.ndim(got) != 0:
            return not_yet(
                f"return ONE number (the sum over all layers), got an array of shape {np.shape(got)}"
            )
        expected = l2_penalty(kernels, lam)
        got = float(got)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        where = f"for kernels of shapes {shapes} and lam = {lam} you return {got:.6g}, expected {expected:.6g}"
        sq = sum(float(np.sum(w**2)) for w in kernels)
        if np.isclose(got, lam * sum(float(np.sum(np.abs(w))) for w in kernels)):
            return not_yet(f"{where}: that is the L1 penalty - square the weights")
        if np.isclose(got, 0.5 * lam * sq):
            return not_yet(f"{where}: Keras's L2 has no factor 1/2 - it adds lam * sum(w**2)")
        if np.isclose(got, lam * np.sqrt(sq)):
            return not_yet(f"{where}: use the SQUARED norm (no square root)")
        if np.isclose(got, sq):
            return not_yet(f"{where}: multiply by lam")
        if np.isclose(got, lam * float(np.sum(kernels[0] ** 2))):
            return not_yet(f"{where}: add the penalties of ALL layers")
        return not_yet(where)
    return ok("lam times the sum of all squared weights - exactly what Keras adds.")


# --------------------------------------------------------------------------- 08.threshold_for_precision
threshold_for_precision = lesson_solution("08.threshold_for_precision")


def _threshold_cases():
    """(name, scores, is_positive, min_precision): score sets with a reachable precision."""
    rng = np.random.default_rng(8)
    # 1. a rare class (10 % positives), scores like a network's: positives mostly high, with ties
    pos = rng.random(400) < 0.1
    s1 = np.where(pos, rng.beta(5, 2, 400), rng.beta(1.2, 6, 400)).round(2)
    top = int(np.argmax(s1))
    pos[top] = True  # the highest score is a positive: some threshold reaches any precision
    # 2. the trap: from the top, precision dips below 0.9 (2 of 3) and recovers (9 of 10) lower
    s2 = np.array([0.99, 0.97, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3, 0.2])
    p2 = np.array([1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0], dtype=bool)
    # 3. balanced classes and another precision target
    pos3 = np.arange(300) % 2 == 0
    s3 = np.clip(np.where(pos3, 0.65, 0.35) + rng.normal(0, 0.18, 300), 0, 1)
    return [
        ("a rare class (10 % positives)", s1, pos, 0.9),
        ("14 hand-made scores", s2, p2, 0.9),
        ("balanced classes", s3, pos3, 0.8),
    ]


def _precision_recall_at(scores, is_positive, threshold):
    says_yes = scores >= threshold
    tp = int(np.sum(says_yes & is_positive))
    precision = tp / says_yes.sum() if says_yes.sum() else 1.0
    return float(precision), tp / int(is_positive.sum())


def _check_threshold_for_precision(fn):
    if not callable(fn):
        return not_yet(
            f"expected the function threshold_for_precision(scores, is_positive, min_precision), "
            f"got {type(fn).__name__} - pass the function itself, without calling it."
        )
    for name, scores, is_positive, min_p in _threshold_cases():
        where = f"for {name} with min_precision = {min_p}"
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                got = fn(scores.copy(), is_positive.copy(), min_p)
        except Exception as exc:
            return not_yet(f"{where} your function raised {type(exc).__name__}: {exc}")
        if got is None:
            return not_yet(
                f"{where} your function returned None, but a threshold exists (the highest "
                f"score is a positive). Did you forget a `return`?"
            )
        if isinstance(got, (tuple, list)) or np.ndim(got) != 0:
            return not_yet(
                f"{where} your function returned {type(got).__name__} {np.shape(got)}; return "
                f"ONE number, the threshold (not the precision and recall, not an array)."
            )
        try:
            t = float(got)
        except (TypeError, ValueError):
            return not_yet(f"{where} return a number, got {type(got).__name__}")
        precision, recall = _precision_recall_at(scores, is_positive, t)
        best = threshold_for_precision(scores, is_positive, min_p)
        _, best_recall = _precision_recall_at(scores, is_positive, best)
        said = (
            f"{where} your threshold {t:.4g} gives precision {precision:.3f}, recall {recall:.3f}"
        )
        if precision < min_p:
            extra = ""
            if recall >= min_p:
                extra = " (is it the RECALL that reaches the target? Precision = TP / all yes)"
            return not_yet(
                f"{said}: the precision is below {min_p} - that threshold is too low{extra}. "
                f"Yes means score >= threshold."
            )
        if recall < best_recall - 1e-12:
            if t >= scores.max():
                why = (
                    "the highest score gives the best precision, but a lower threshold still "
                    "meets the target and finds more positives"
                )
            else:
                why = (
                    "a lower threshold still meets the precision target and finds more "
                    "positives. Precision does not always fall as the threshold falls: it can "
                    "dip and recover, so try every candidate (the scores themselves), not only "
                    "until the first one that fails"
                )
            return not_yet(f"{said}: {why}.")
    return ok(
        "the lowest threshold that still has the precision you need: the most positives found."
    )


EXERCISES = [
    Exercise(
        id="08.precision_recall",
        check=_check_precision_recall,
        hint=[
            "In this lesson's confusion matrix rows are the true classes and columns the "
            "predicted ones. Where are the correct predictions?",
            "The true positives are the diagonal. Precision divides them by how often each "
            "class was PREDICTED (a column sum), recall by how often it really OCCURS (a row "
            "sum).",
            "Use np.diag(cm) and cm.sum(axis=0) / cm.sum(axis=1) as floats; where a sum is 0 "
            "return 0 (np.divide with out=np.zeros_like(tp) and where=sum > 0).",
        ],
    ),
    Exercise(
        id="08.best_epoch",
        check=_check_best_epoch,
        hint=[
            "The best epoch is the one with the lowest VALIDATION loss, not training loss.",
            "np.argmin gives the position of the smallest value - counted from 0.",
            "Epochs are counted from 1: add 1 to the position, and return a plain int.",
        ],
    ),
    Exercise(
        id="08.l2_penalty",
        check=_check_l2_penalty,
        hint=[
            "The lesson's L2 penalty is lam times the sum of the squares of all the weights, "
            "over every layer.",
            "For one kernel w the sum of squares is np.sum(w ** 2); add those up over the list"
            " of kernels.",
            "Multiply the total by lam. No square root and no factor 1/2.",
        ],
    ),
    Exercise(
        id="08.threshold_for_precision",
        check=_check_threshold_for_precision,
        hint=[
            "Lowering the threshold says yes more often: recall can only go up, precision can go"
            " either way. So you want the LOWEST threshold whose precision still meets the "
            "target. Which thresholds are worth trying?",
            "Only the scores themselves change the answers: try each distinct score as the "
            "threshold (np.unique sorts them), compute the precision of `scores >= t`, and keep "
            "the lowest one that reaches min_precision.",
            "Loop over np.unique(scores) in ascending order; for each t compute says_yes = "
            "scores >= t and TP = np.sum(says_yes & is_positive); return the first t with "
            "TP / says_yes.sum() >= min_precision.",
        ],
    ),
]
