"""Lesson 12 (attention): the causal mask, two bugs in masked attention, bits per character."""

import numpy as np

from .core import (
    Exercise,
    call_quietly,
    check_function,
    compare_arrays,
    not_yet,
    ok,
    raised,
    warned,
)
from .solutions import lesson_solution


def _softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------- 12.causal_mask


def _check_causal_mask(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    masks = {}
    for n in (1, 3, 6):
        try:
            got, _ = call_quietly(fn, n)
        except Exception as exc:
            return raised(f"my_causal_mask({n})", exc, (n,), _MASK_INPUTS)
        if got is None:
            return not_yet(f"my_causal_mask({n}) returned None - did you forget a `return`?")
        g = np.asarray(got)
        if g.shape != (n, n):
            return not_yet(f"my_causal_mask({n}) has shape {g.shape}, expected ({n}, {n})")
        masks[n] = g
    for n, g in sorted(masks.items(), reverse=True):  # n = 1 alone cannot tell them apart
        expected = np.tril(np.ones((n, n), dtype=bool))
        if g.dtype.kind == "f" and np.all((g == 0) | (g < -1e3)) and not np.all(g == 0):
            return not_yet(
                f"my_causal_mask({n}) is an ADDITIVE mask (0 where a query may look, a large "
                "negative number or -inf where it may not) - the kind one adds to the scores. "
                "This exercise asks for the boolean mask itself: True where query i may see key "
                "j. (The attention cell turns it into -inf later, with np.where.)"
            )
        if np.array_equal(g.astype(bool), expected):
            continue
        if n > 1 and np.array_equal(g.astype(bool), ~expected):
            return not_yet(
                f"my_causal_mask({n}) is inverted: it is True exactly where a query may NOT look "
                "(the convention of some libraries, e.g. PyTorch's attn_mask). Here, as in Keras, "
                "True means 'may attend': True for key <= query, False for the future."
            )
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


_MASK_INPUTS = "n is one whole number; return an (n, n) boolean array (rows queries, columns keys)."


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


def _variant(Q, K, V, mask, axis, mask_first, scale=True):
    scores = Q @ K.T / (np.sqrt(K.shape[1]) if scale else 1.0)
    if mask_first == "multiply":
        weights = _softmax(scores * mask, axis)  # a masked score of 0 still gets weight e^0
    elif mask_first:
        weights = _softmax(np.where(mask, scores, -np.inf), axis)
    else:
        weights = _softmax(scores, axis) * mask
    return weights @ V


_SCORES_TIMES_MASK = (
    "scores * mask sets a masked score to 0, not to 'never': the softmax still gives it the "
    "weight e^0 / sum, as much as any score of 0, so the future still leaks in. A masked "
    "score must become -inf (or a very large negative number) BEFORE the softmax, so that "
    "its weight comes out exactly 0: np.where(mask, scores, -np.inf)."
)


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
        got = np.asarray(call_quietly(fn, Q.copy(), K.copy(), V.copy(), mask.copy())[0], float)
    except Exception:
        return result
    for axis, mask_first, advice in [
        (1, "multiply", _SCORES_TIMES_MASK),
        (
            0,
            "multiply",
            _SCORES_TIMES_MASK + " (And the softmax must run over each row, axis=1.)",
        ),
        (
            1,
            True,
            "the mask and the softmax's axis are right, but the scores are no longer divided by "
            "sqrt(d) (d = K.shape[1]): keep that scaling from the original function.",
        ),
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
        scale = not advice.startswith("the mask and the softmax's axis are right")
        with np.errstate(all="ignore"):
            wrong = _variant(Q, K, V, mask, axis, mask_first, scale)
        if got.shape == (4, 3) and np.allclose(got, wrong):
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
            got, said = call_quietly(fn, logits.copy(), targets.copy())
        except Exception as exc:
            return raised(
                f"bits_per_char(logits of shape {logits.shape}, ...)", exc, None, _BPC_INPUTS
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
            return not_yet(_not_finite(g, logits, targets, said))
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


_BPC_INPUTS = (
    "logits is an (n, vocabulary) array of raw scores (any real numbers, not probabilities); "
    "targets a vector of n integer character ids. Return one number."
)


def _not_finite(g, logits, targets, said):
    """The message for a NaN or inf result: the log of a raw logit, an overflowing exp, or
    else what NumPy warned about."""
    picked = logits[np.arange(len(targets)), targets]
    with np.errstate(all="ignore"):
        raw = -np.mean(np.log2(picked))
    shown = f"got {g} for logits of shape {logits.shape}"
    if np.all(logits == 0) or (np.isnan(g) and np.isnan(raw)) or (g == raw):
        return (
            f"{shown}, although nothing can overflow here (for all-zero logits every "
            "probability is 1/8): a log of 0 or of a negative number is what gives inf or NaN. "
            "Logits are raw scores, not probabilities - turn each row into probabilities with a "
            "(stable) softmax first, then take -log2 of the right character's probability."
            + warned(said)
        )
    if np.abs(logits).max() > 700 and any("overflow" in t or "invalid" in t for t in said):
        return (
            f"{shown}, whose scores reach {np.abs(logits).max():.0f}: e^{np.abs(logits).max():.0f} "
            "overflows to inf (inf / inf is NaN). Subtract each row's maximum before np.exp: the "
            "softmax does not change, and the largest exponent becomes 0." + warned(said)
        )
    return (
        f"{shown}: a NaN or inf means a log of 0 or of a negative number, or an overflowing "
        "exp, somewhere in your function." + warned(said)
    )


EXERCISES = [
    Exercise(
        id="12.causal_mask",
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


# --------------------------------------------------------------------------- 12.cold_limit
# (appended for the decoding section: the limit of softmax(z / T) as T -> 0)

_COLD_Z = np.array([2.0, 1.0, 3.0, 3.0, -1.0])  # the lesson's z_demo


def _check_cold_limit(cold):
    if cold is None:
        return not_yet("`cold` is still None: write the 5 probabilities as an array.")
    try:
        got = np.asarray(cold, dtype=float)
    except (TypeError, ValueError):
        return not_yet(f"expected an array of 5 probabilities, got {type(cold).__name__}")
    if got.ndim == 0:
        return not_yet(
            f"{got.item():g} is one number (an index?); the answer is a distribution: one "
            "probability for each of the 5 characters."
        )
    if got.shape != (5,):
        return not_yet(f"expected 5 probabilities (one per character), got shape {got.shape}")
    if not np.all(np.isfinite(got)):
        return not_yet(
            "your array holds nan or inf: dividing by a tiny T makes exp() overflow. Reason "
            "about the limit instead: what happens to the gaps between the scores?"
        )
    if np.allclose(got, lesson_solution("12.cold_limit")):
        return ok(
            "as T -> 0 only the highest scores keep probability, shared by ties: sampling at a "
            "tiny temperature is greedy decoding (up to ties)."
        )
    if np.any(got < 0) or not np.isclose(got.sum(), 1):
        return not_yet("probabilities are >= 0 and sum to 1; yours do not.")
    if np.allclose(got, 1 / 5):
        return not_yet(
            "all equal: that is the limit for T -> infinity (very hot: z / T -> 0 for every "
            "character). Which way do the gaps between scores go when T gets small?"
        )
    e = np.exp(_COLD_Z - _COLD_Z.max())
    if np.allclose(got, e / e.sum(), atol=1e-3):
        return not_yet("that is softmax(z) itself, T = 1. Now let T shrink towards 0.")
    if np.count_nonzero(got > 0.99) == 1 and np.argmax(got) in (2, 3):
        return not_yet(
            "one character gets everything - but two characters share the highest score. "
            "Which of them should win, and why?"
        )
    return not_yet(
        "not the limit. Divide the scores by a small T: the gap between each score and the "
        "highest one grows like 1/T, and its probability shrinks like exp(-gap / T)."
    )


EXERCISES.append(
    Exercise(
        id="12.cold_limit",
        check=_check_cold_limit,
        hint=[
            "Try decode_probs(z_demo, T) for T = 1, 0.5 and 0.1: which probabilities grow, "
            "which vanish?",
            "Dividing by a small T multiplies every gap between two scores by 1/T: a character "
            "below the highest score ends with exp(-gap / T) times the top one's probability.",
            "Only the highest score keeps probability as T -> 0; two equal highest scores stay "
            "equal at every T, so they split it. Everything else gets 0.",
        ],
    )
)
