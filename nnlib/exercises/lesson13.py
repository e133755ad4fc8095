"""Lesson 13 (generative models): the codes between two codes (what the decoder is asked to
draw), the bug in a noising step (a square root missing on alpha_bar), and choosing the KL weight
from a measured table."""

import numpy as np

from .core import Exercise, Mistake, not_yet

_rng = np.random.default_rng(13)

# --------------------------------------------------------------------------- 13.between

_BETWEEN_CASES = [
    (np.array([0.0, 0.0]), np.array([1.0, 2.0]), 3),
    (np.array([-1.5, 0.5]), np.array([2.0, -1.0]), 5),
    (_rng.normal(size=4), _rng.normal(size=4), 4),
    (np.array([3.0, 1.0]), np.array([-3.0, 1.0]), 2),
]


def _takes(n, call):
    """A guard: the learner's function must take ``n`` arguments (``call`` shows them)."""

    def guard(fn):
        import inspect

        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            return None
        if any(p.kind is p.VAR_POSITIONAL for p in params):
            return None
        if len(params) != n:
            return not_yet(
                f"{call} takes {n} arguments, yours takes {len(params)}: keep the signature of "
                "the cell."
            )
        return None

    return guard


def _lerp(z_a, z_b, fractions):
    return z_a[None, :] + fractions[:, None] * (z_b - z_a)[None, :]


BETWEEN_MISTAKES = [
    Mistake(
        "endpoint left out",
        lambda a, b, n: _lerp(a, b, np.linspace(0, 1, n, endpoint=False)),
        "{problem}. Your last row stops one step short of z_b: np.linspace(0, 1, n, "
        "endpoint=False) leaves the end out. The row must start at z_a and end at z_b.",
    ),
    Mistake(
        "both ends left out",
        lambda a, b, n: _lerp(a, b, np.linspace(0, 1, n + 2)[1:-1]),
        "{problem}. Your points lie strictly between the two codes: the first row must be z_a "
        "itself and the last z_b (the two digits you start from, for comparison).",
    ),
    Mistake(
        "reversed",
        lambda a, b, n: _lerp(a, b, np.linspace(1, 0, n)),
        "{problem}. Your row runs from z_b back to z_a: start at z_a.",
    ),
    Mistake(
        "transposed",
        lambda a, b, n: _lerp(a, b, np.linspace(0, 1, n)).T,
        "{problem}. One row per point: the result is (n, d), each row one code of d numbers "
        "(np.linspace(z_a, z_b, n) already gives that shape).",
    ),
    Mistake(
        "the midpoint formula on the wrong side",
        lambda a, b, n: b[None, :] + np.linspace(0, 1, n)[:, None] * (b - a)[None, :],
        "{problem}. Your points go beyond z_b, away from z_a: the point a fraction s of the way "
        "is z_a + s (z_b - z_a).",
    ),
]


# --------------------------------------------------------------------------- 13.fix_noising


def _alpha_bars(T):
    """A cosine schedule's alpha_bar (the lesson's make_schedule('cosine', T)), float64."""
    steps = np.arange(T + 1, dtype=np.float64) / T
    f = np.cos((steps + 0.008) / 1.008 * np.pi / 2) ** 2
    return np.cumprod(1 - np.clip(1 - f[1:] / f[:-1], 0, 0.999))


def _noising_cases():
    cases = []
    # the first case is large enough that a message names its shapes, not 2 x 3 printed arrays
    for n, d, T, t in [(4, 6, 50, 37), (2, 3, 10, 4), (3, 5, 20, 0), (1, 784, 1000, 500)]:
        x0 = _rng.uniform(-1, 1, size=(n, d))
        cases.append((x0, t, _rng.normal(size=(n, d)), _alpha_bars(T)))
    return cases


_NOISING_CASES = _noising_cases()


def _noised(x0, t, eps, ab, signal=np.sqrt, noise=np.sqrt, shift=0):
    a = ab[max(t + shift, 0)]
    return signal(a) * x0 + noise(1 - a) * eps


_SAME = lambda v: v  # noqa: E731 - "no square root"

NOISING_MISTAKES = [
    Mistake(
        "the original bug",
        lambda x0, t, eps, ab: _noised(x0, t, eps, ab, signal=_SAME),
        "{problem}. This is still the colleague's version: alpha_bar[t] multiplies x0 without its "
        "square root. The signal's variance is then alpha_bar^2 instead of alpha_bar, and x_t "
        "loses variance at every t (print x_t.std() for x0 and eps of std 1).",
    ),
    Mistake(
        "no square roots",
        lambda x0, t, eps, ab: _noised(x0, t, eps, ab, signal=_SAME, noise=_SAME),
        "{problem}. Both square roots are missing: alpha_bar and 1 - alpha_bar are the "
        "VARIANCES of the two parts; the image and the noise are scaled by their square roots.",
    ),
    Mistake(
        "square root moved to the noise only",
        lambda x0, t, eps, ab: _noised(x0, t, eps, ab, noise=_SAME),
        "{problem}. The signal is right now, but the noise lost its square root: it must be "
        "sqrt(1 - alpha_bar[t]) * eps, so that the two variances add up to 1.",
    ),
    Mistake(
        "signal and noise swapped",
        lambda x0, t, eps, ab: np.sqrt(1 - ab[t]) * x0 + np.sqrt(ab[t]) * eps,
        "{problem}. Signal and noise are swapped: alpha_bar[t] is what is LEFT of the image (near "
        "1 at t = 0), so it goes with x0.",
    ),
    Mistake(
        "one step early",
        lambda x0, t, eps, ab: np.sqrt(ab[t - 1]) * x0 + np.sqrt(1 - ab[t - 1]) * eps,
        "{problem}. You read alpha_bar one step early (alpha_bars[t - 1]): alpha_bars[t] is "
        "already the product of the alphas up to and including step t.",
    ),
    Mistake(
        "one step early, kept at 0",
        lambda x0, t, eps, ab: _noised(x0, t, eps, ab, shift=-1),
        "{problem}. You read alpha_bar one step early (alpha_bars[t - 1]): alpha_bars[t] is "
        "already the product of the alphas up to and including step t.",
    ),
]


# --------------------------------------------------------------------------- 13.choose_beta

_BETA_CASES = [
    ({0.1: (0.040, 0.80), 1.0: (0.045, 0.93), 4.0: (0.050, 0.97)}, 0.9),
    ({0.1: (0.040, 0.80), 1.0: (0.045, 0.93), 4.0: (0.050, 0.97)}, 0.95),
    ({0.5: (0.031, 0.91), 2.0: (0.035, 0.96), 8.0: (0.047, 0.99)}, 0.9),
    ({0.1: (0.030, 0.70), 1.0: (0.032, 0.90), 10.0: (0.060, 1.00)}, 0.9),  # exactly at the bar
    ({3.0: (0.052, 0.98), 0.3: (0.041, 0.85), 1.0: (0.044, 0.95)}, 0.5),  # any order
    ({0.2: (0.030, 0.92), 1.0: (0.045, 0.99), 5.0: (0.060, 0.95)}, 0.9),  # not monotone
    # a larger beta that covers AND reconstructs better than a smaller one (runs vary: lesson 13's
    # own full-size table has such a row), so "the smallest beta that covers" is not the rule
    ({0.1: (0.040, 0.70), 1.0: (0.050, 0.92), 4.0: (0.045, 0.95)}, 0.9),
]


def _best_error(table, min_coverage):
    ok_betas = [b for b, (_, cov) in table.items() if cov >= min_coverage]
    return min(ok_betas, key=lambda b: table[b][0])


BETA_MISTAKES = [
    Mistake(
        "coverage ignored",
        lambda table, m: min(table, key=lambda b: table[b][0]),
        "{problem}. You chose the smallest reconstruction error of all, ignoring min_coverage: "
        "first keep only the betas whose coverage reaches min_coverage.",
    ),
    Mistake(
        "most coverage",
        lambda table, m: max(table, key=lambda b: table[b][1]),
        "{problem}. You chose the largest coverage; among the betas that cover enough, the "
        "sharpest (the smallest reconstruction error) is wanted.",
    ),
    Mistake(
        "largest error",
        lambda table, m: max((b for b in table if table[b][1] >= m), key=lambda b: table[b][0]),
        "{problem}. Among the betas with enough coverage you took the LARGEST reconstruction "
        "error: the blurriest. The sharpest samples have the smallest error.",
    ),
    Mistake(
        "smallest covering beta",
        lambda table, m: min(b for b in table if table[b][1] >= m),
        "{problem}. You took the SMALLEST beta among those that cover enough. Usually that is "
        "also the sharpest, but not always: training runs vary, and a larger beta can "
        "reconstruct better. Compare the reconstruction errors of the betas that cover enough.",
    ),
    Mistake(
        "strictly above",
        lambda table, m: min((b for b in table if table[b][1] > m), key=lambda b: table[b][0]),
        "{problem}. A coverage exactly equal to min_coverage is enough ('still cover': at "
        "least, >=).",
    ),
]


EXERCISES = [
    Exercise(
        id="13.between",
        cases=_BETWEEN_CASES,
        mistakes=BETWEEN_MISTAKES,
        name="codes_between",
        guard=_takes(3, "codes_between(z_a, z_b, n)"),
        inputs="z_a and z_b are two codes (vectors of d numbers), n >= 2 an int; return an "
        "(n, d) array whose first row is z_a and last row z_b.",
        passed="n evenly spaced codes from z_a to z_b, both ends included.",
        hint=[
            "The point a fraction s of the way from z_a to z_b is z_a + s (z_b - z_a): s = 0 "
            "gives z_a, s = 1 gives z_b. Which values of s do you need for n points?",
            "np.linspace(0, 1, n) gives the n fractions, both ends included; turn them into a "
            "column (s[:, None]) so that each fraction scales the whole vector z_b - z_a.",
        ],
    ),
    Exercise(
        id="13.fix_noising",
        cases=_NOISING_CASES,
        mistakes=NOISING_MISTAKES,
        name="fixed_noising",
        inputs="x0 and eps are arrays of the same shape (n, d), t an int step, alpha_bars the "
        "schedule's array (index t); return x_t of the shape of x0.",
        passed="sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) eps: the variances add up to 1.",
        hint=[
            "Run buggy_noising on x0 and eps drawn from N(0, 1) (10 000 numbers each) at "
            "t = 500 and print x_t.std(). What should the spread of x_t be, at every t?",
            "The variance of a x0 + b eps (independent, each of variance 1) is a^2 + b^2. "
            "With alpha_bar and 1 - alpha_bar as the two VARIANCES, what must a and b be?",
        ],
    ),
    Exercise(
        id="13.choose_beta",
        cases=_BETA_CASES,
        mistakes=BETA_MISTAKES,
        name="choose_beta",
        guard=_takes(2, "choose_beta(table, min_coverage)"),
        how_far=False,  # a beta is a choice from the table: never "too small by a factor of 4"
        inputs="table is a dict {beta: (reconstruction_error, coverage)}, min_coverage a "
        "number; return one key of the table (a beta).",
        passed="the sharpest decoder among those whose codes still cover the prior.",
        hint=[
            "Two steps: first keep the betas whose coverage is at least min_coverage, then "
            "pick among those.",
            "Which number says 'sharpest'? The reconstruction error: min(..., key=...) picks "
            "the beta whose error is smallest.",
        ],
    ),
]
