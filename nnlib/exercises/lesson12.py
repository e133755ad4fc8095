"""Lesson 12 (attention): the causal mask, two bugs in masked attention, bits per character."""

import numpy as np

from .core import Exercise, check_function, compare_arrays, not_yet, ok
from .solutions import lesson_solution


def _softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------- 12.causal_mask


def _check_causal_mask(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for n in (1, 3, 6):
        try:
            got = fn(n)
        except Exception as exc:
            return not_yet(f"my_causal_mask({n}) raised {type(exc).__name__}: {exc}")
        expected = np.tril(np.ones((n, n), dtype=bool))
        if got is None:
            return not_yet(f"my_causal_mask({n}) returned None - did you forget a `return`?")
        g = np.asarray(got)
        if g.shape != (n, n):
            return not_yet(f"my_causal_mask({n}) has shape {g.shape}, expected ({n}, {n})")
        if np.array_equal(g.astype(bool), expected):
            continue
        if n > 1 and g[0, 1] and not g[1, 0]:
            return not_yet(
                f"in my_causal_mask({n}), query 0 may see key 1 - the future - and query 1 may "
                "not see key 0. Rows are queries, columns are keys: is it upside down?"
            )
        if not g[0, 0]:
            return not_yet(
                f"in my_causal_mask({n}), query 0 may not see key 0: a position must see itself "
                "(otherwise position 0 sees nothing at all)."
            )
        problem = compare_arrays(g.astype(float), expected.astype(float), f"my_causal_mask({n})")
        return not_yet(problem or "the mask is not the lower triangle.")
    return ok("query i sees keys 0..i: in a sequence of 6, query 3 sees positions 0, 1, 2 and 3.")


# --------------------------------------------------------------------------- 12.fix_attention

_rng = np.random.default_rng(12)


def _attention_cases():
    cases = []
    for n, d, dv in [(3, 2, 1), (4, 4, 3), (5, 8, 2)]:
        Q, K, V = _rng.normal(size=(n, d)), _rng.normal(size=(n, d)), _rng.normal(size=(n, dv))
        cases.append((Q, K, V, np.tril(np.ones((n, n), dtype=bool))))
    n, m = 2, 4  # a non-square mask: queries and keys of different lengths
    mask = np.array([[True, False, True, True], [False, True, True, False]])
    cases.append(
        (_rng.normal(size=(n, 3)), _rng.normal(size=(m, 3)), _rng.normal(size=(m, 2)), mask)
    )
    return cases


_ATT_CASES = _attention_cases()


def _variant(Q, K, V, mask, axis, mask_first):
    scores = Q @ K.T / np.sqrt(K.shape[1])
    if mask_first:
        weights = _softmax(np.where(mask, scores, -np.inf), axis)
    else:
        weights = _softmax(scores, axis) * mask
    return weights @ V


def _check_fix_attention(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    reference = lesson_solution("12.fix_attention")
    result = check_function(fn, reference, _ATT_CASES, name="fixed_attention")
    if result.passed:
        return ok(
            "both bugs fixed: the mask acts before the softmax, the softmax runs over each row."
        )
    Q, K, V, mask = _ATT_CASES[1]
    try:
        got = np.asarray(fn(Q.copy(), K.copy(), V.copy(), mask.copy()), dtype=float)
    except Exception:
        return result
    for axis, mask_first, advice in [
        (
            1,
            False,
            "the softmax now runs over each row, but the mask multiplies the weights after "
            "it: each row's weights no longer sum to 1. What must happen to a masked score *before* "
            "the softmax so that its weight comes out 0?",
        ),
        (
            0,
            True,
            "the mask is right now, but the softmax still normalises each column: the "
            "weights of one query (a row) must sum to 1.",
        ),
        (
            0,
            False,
            "this is still the original function: both bugs are in it. Print the weights "
            "for a 3x3 case and look at their row sums.",
        ),
    ]:
        if got.shape == (4, 3) and np.allclose(got, _variant(Q, K, V, mask, axis, mask_first)):
            return not_yet(advice)
    return result


# --------------------------------------------------------------------------- 12.bits_per_char


def _bpc_cases():
    cases = [(np.zeros((4, 8)), np.array([0, 1, 2, 3]))]  # uniform over 8: exactly 3 bits
    for n, v, scale in [(5, 3, 1.0), (20, 72, 3.0)]:
        cases.append((scale * _rng.normal(size=(n, v)), _rng.integers(0, v, size=n)))
    confident = 1000 * _rng.normal(size=(6, 10))  # exp() of these overflows unless shifted
    cases.append((confident, confident.argmax(axis=1)))
    return cases


_BPC_CASES = _bpc_cases()


def _check_bits(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    reference = lesson_solution("12.bits_per_char")
    for logits, targets in _BPC_CASES:
        try:
            got = fn(logits.copy(), targets.copy())
        except Exception as exc:
            return not_yet(
                f"bits_per_char(logits of shape {logits.shape}, ...) raised "
                f"{type(exc).__name__}: {exc}"
            )
        expected = reference(logits, targets)
        if got is None:
            return not_yet("bits_per_char returned None - did you forget a `return`?")
        if np.ndim(got) != 0:
            return not_yet(
                f"bits_per_char should return one number (the mean), got shape {np.shape(got)}"
            )
        g = float(got)
        if np.isclose(g, expected, rtol=1e-6):
            continue
        if not np.isfinite(g):
            return not_yet(
                f"got {g} for logits of scale up to {np.abs(logits).max():.0f}: "
                "exp of large scores overflows. Subtract each row's maximum first."
            )
        if np.isclose(g, expected * np.log(2), rtol=1e-6):
            return not_yet(
                f"got {g:.6g}, which is the answer in nats (natural log); bits use log base 2."
            )
        if np.isclose(g, -expected, rtol=1e-6):
            return not_yet(f"got {g:.6g}: the sign is off (log p is negative; the cost is -log p).")
        if np.isclose(g, expected * len(targets), rtol=1e-6):
            return not_yet(f"got {g:.6g}, the total over {len(targets)} positions: take the mean.")
        return not_yet(
            f"bits_per_char(logits of shape {logits.shape}, targets {targets[:4]}...)"
            f" is {g:.6g}, expected {expected:.6g}. For all-zero logits over 8 "
            "characters the answer is exactly 3."
        )
    return ok(f"bits_per_char is right on {len(_BPC_CASES)} inputs (uniform over 8 -> 3 bits).")


EXERCISES = [
    Exercise(
        id="12.causal_mask",
        title="The causal mask",
        check=_check_causal_mask,
        hint=[
            "Draw the 4x4 grid on paper: rows are queries, columns are keys. Tick each cell "
            "(query i, key j) that a language model may use - which shape do the ticks make?",
            "Query i may use keys 0, 1, ..., i (itself and the past). Compare two index "
            "arrays, one laid out along the rows and one along the columns.",
            "np.arange(n)[None, :] is the key index of each column, np.arange(n)[:, None] the "
            "query index of each row; key <= query. (np.tril of a matrix of ones works too.)",
        ],
    ),
    Exercise(
        id="12.fix_attention",
        title="Two bugs in masked attention",
        check=_check_fix_attention,
        hint=[
            "Call buggy_attention with Q = K = np.eye(3), V = np.eye(3) and a causal mask: the "
            "result *is* the weight matrix. What must each row sum to? What must the upper "
            "triangle be?",
            "One bug is the axis the softmax runs over: each query is one row of scores.",
            "The other is where the mask acts: a weight zeroed after the softmax leaves the row "
            "summing to less than 1. Give masked scores -inf before the softmax (np.where).",
        ],
    ),
    Exercise(
        id="12.bits_per_char",
        title="Bits per character",
        check=_check_bits,
        hint=[
            "Check your idea on a case you can do by heart: all-zero logits over 8 characters "
            "give every character p = 1/8, so the cost is exactly 3 bits whatever the targets.",
            "Turn each row of logits into probabilities (a stable softmax over axis 1), then pick "
            "the probability of the right character in each row with fancy indexing.",
            "probs[np.arange(len(targets)), targets] picks one probability per row; the answer is "
            "the mean of -np.log2 of those.",
        ],
    ),
]
