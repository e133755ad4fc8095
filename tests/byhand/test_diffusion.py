"""nnlib.byhand.diffusion (lesson 13): the schedules, the forward process in closed form against
step-by-step noising (in distribution, within 4 standard errors on a seeded sample), the eps/x0
conversions, the reverse step, and every argument's validation."""

import numpy as np
import pytest

from nnlib.byhand import diffusion as D

COSINE = D.make_schedule("cosine", 1000)
LINEAR = D.make_schedule("linear", 1000)


@pytest.mark.parametrize("schedule", [COSINE, LINEAR], ids=["cosine", "linear"])
def test_schedule_arrays(schedule):
    assert schedule.T == 1000 and len(schedule.betas) == 1000
    np.testing.assert_allclose(schedule.alphas, 1 - schedule.betas)
    np.testing.assert_allclose(schedule.alpha_bars, np.cumprod(schedule.alphas))
    assert schedule.alpha_bars.dtype == np.float64
    assert np.all(np.diff(schedule.alpha_bars) < 0)  # every step removes signal
    assert schedule.alpha_bars[0] > 0.99 and schedule.alpha_bars[-1] < 1e-4  # clean -> noise
    assert np.all((schedule.betas > 0) & (schedule.betas <= 0.999))
    assert schedule.name in repr(schedule)


def test_cosine_keeps_more_signal_halfway_than_linear():
    assert COSINE.alpha_bars[499] > 2 * LINEAR.alpha_bars[499]


# The forward process: a fixed "image" of 16 pixels in [-1, 1], 3000 copies noised independently
X0 = np.linspace(-1, 1, 16)
N = 3000


@pytest.mark.parametrize("schedule", [COSINE, LINEAR], ids=["cosine", "linear"])
def test_closed_form_equals_step_by_step_in_distribution(schedule):
    """Per pixel and at three steps, the mean and the standard deviation of step-by-step noising
    match the closed form's sqrt(abar) x0 and sqrt(1 - abar) within 4 standard errors, and so do
    the closed form's own samples."""
    rng = np.random.default_rng(0)
    x0 = np.tile(X0, (N, 1))
    for t in (9, 499, 999):
        ab = schedule.alpha_bars[t]
        mean, sd = np.sqrt(ab) * X0, np.sqrt(1 - ab)
        slow = D.noise_step_by_step(x0, t, rng, schedule)
        fast = D.noise_closed_form(x0, t, rng.standard_normal(x0.shape), schedule)
        for xt in (slow, fast):
            assert np.all(np.abs(xt.mean(0) - mean) < 4 * sd / np.sqrt(N)), t
            assert np.all(np.abs(xt.std(0) - sd) < 4 * sd / np.sqrt(2 * N)), t
        # and the two samples against each other (two-sample standard error)
        assert np.all(np.abs(slow.mean(0) - fast.mean(0)) < 4 * sd * np.sqrt(2 / N)), t


def test_step_by_step_stops_each_sample_at_its_own_step():
    x0 = np.tile(X0, (2, 1))
    both = D.noise_step_by_step(x0, np.array([3, 7]), np.random.default_rng(1), COSINE)
    short = D.noise_step_by_step(x0, np.array([3, 3]), np.random.default_rng(1), COSINE)
    np.testing.assert_array_equal(both[0], short[0])  # the same first 4 draws
    assert not np.allclose(both[1], short[1])
    one = D.noise_step_by_step(x0[:1], 0, np.random.default_rng(2), COSINE)
    noise = np.random.default_rng(2).standard_normal((1, 16))
    np.testing.assert_allclose(
        one, np.sqrt(COSINE.alphas[0]) * X0 + np.sqrt(COSINE.betas[0]) * noise
    )


def test_closed_form_with_one_step_per_sample():
    x0 = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28))
    eps = np.random.default_rng(1).standard_normal(x0.shape)
    t = np.array([0, 10, 500, 999])
    xt = D.noise_closed_form(x0, t, eps, COSINE)
    for i in range(4):
        np.testing.assert_allclose(
            xt[i], D.noise_closed_form(x0[i : i + 1], int(t[i]), eps[i : i + 1], COSINE)[0]
        )


def test_eps_and_x0_conversions_invert_each_other():
    rng = np.random.default_rng(3)
    x0 = rng.uniform(-1, 1, (5, 784))
    eps = rng.standard_normal(x0.shape)
    t = np.array([0, 1, 250, 700, 999])
    xt = D.noise_closed_form(x0, t, eps, LINEAR)
    np.testing.assert_allclose(D.eps_from_x0(xt, x0, t, LINEAR), eps, atol=1e-9)
    np.testing.assert_allclose(D.x0_from_eps(xt, eps, t, LINEAR), x0, atol=1e-6)
    other = rng.standard_normal(x0.shape)  # any x_t: the two maps are inverse to each other
    back = D.x0_from_eps(other, D.eps_from_x0(other, x0, 300, COSINE), 300, COSINE)
    np.testing.assert_allclose(back, x0, atol=1e-9)


def test_reverse_step_at_t0_returns_x0_pred():
    rng = np.random.default_rng(4)
    xt, x0 = rng.standard_normal((3, 784)), rng.uniform(-1, 1, (3, 784))
    np.testing.assert_array_equal(D.reverse_step(xt, x0, 0, COSINE, rng), x0)
    mean, var = D.posterior(xt, x0, 0, COSINE)
    np.testing.assert_array_equal(mean, x0)
    assert np.all(var == 0)
    # per sample: only the rows at t = 0 are x0_pred
    out = D.reverse_step(xt, x0, np.array([0, 5, 0]), COSINE, rng)
    np.testing.assert_array_equal(out[[0, 2]], x0[[0, 2]])
    assert not np.allclose(out[1], x0[1])


def test_posterior_is_the_ddpm_formula():
    t, s = 400, COSINE
    ab, ab_prev, beta = s.alpha_bars[t], s.alpha_bars[t - 1], s.betas[t]
    xt, x0 = np.full((1, 3), 0.3), np.full((1, 3), -0.5)
    mean, var = D.posterior(xt, x0, t, s)
    c0 = np.sqrt(ab_prev) * beta / (1 - ab)
    c1 = np.sqrt(s.alphas[t]) * (1 - ab_prev) / (1 - ab)
    np.testing.assert_allclose(mean, c0 * x0 + c1 * xt)
    np.testing.assert_allclose(var, (1 - ab_prev) / (1 - ab) * beta)


@pytest.mark.parametrize("t, t_prev", [(300, None), (300, 200), (999, -1)])
def test_reverse_step_with_the_true_x0_goes_back_to_q(t, t_prev):
    """x_t ~ q(x_t | x0), then one reverse step with the true x0: a sample of q(x_prev | x0)."""
    rng = np.random.default_rng(5)
    x0 = np.tile(X0, (N, 1))
    xt = D.noise_closed_form(x0, t, rng.standard_normal(x0.shape), COSINE)
    back = D.reverse_step(xt, x0, t, COSINE, rng, t_prev=t_prev)
    prev = t - 1 if t_prev is None else t_prev
    ab = COSINE.alpha_bars[prev] if prev >= 0 else 1.0
    sd = np.sqrt(1 - ab)
    if prev < 0:
        np.testing.assert_allclose(back, x0)
        return
    assert np.all(np.abs(back.mean(0) - np.sqrt(ab) * X0) < 4 * sd / np.sqrt(N))
    assert np.all(np.abs(back.std(0) - sd) < 4 * sd / np.sqrt(2 * N))


def test_sampling_steps():
    np.testing.assert_array_equal(D.sampling_steps(1000), np.arange(999, -1, -1))
    strided = D.sampling_steps(COSINE, 250)
    assert len(strided) == 250 and strided[0] == 999 and strided[-1] == 0
    assert np.all(np.diff(strided) < 0)
    np.testing.assert_array_equal(D.sampling_steps(10, 1), [9])


# ----------------------------------------------------------------------------- validation
X = np.zeros((2, 784))
RNG = np.random.default_rng(0)

BAD = [
    # (function, arguments, error, words in the message)
    (D.make_schedule, ("quadratic", 1000), ValueError, "one of ('cosine', 'linear')"),
    (D.make_schedule, ("cosine", 10.0), TypeError, "T must be an int"),
    (D.make_schedule, ("cosine", 1), ValueError, "at least 2"),
    (D.noise_closed_form, ([[np.nan]], 0, [[0.0]], COSINE), ValueError, "NaN"),
    (D.noise_closed_form, ("img", 0, X, COSINE), TypeError, "x0 must be an array"),
    (D.noise_closed_form, (X, 1000, X, COSINE), ValueError, "from 0 to T-1 = 999"),
    (D.noise_closed_form, (X, 2.0, X, COSINE), TypeError, "t must be an int"),
    (D.noise_closed_form, (X, np.array([1, 2, 3]), X, COSINE), ValueError, "shape (2,)"),
    (D.noise_closed_form, (X, np.array([1, -1]), X, COSINE), ValueError, "every t"),
    (D.noise_closed_form, (X, 5, X[:1], COSINE), ValueError, "same shape as x0"),
    (D.noise_closed_form, (X, 5, X, "cosine"), TypeError, "make_schedule"),
    (D.noise_step_by_step, (7.0, 5, RNG, COSINE), ValueError, "single number"),
    (D.noise_step_by_step, (X, -1, RNG, COSINE), ValueError, "from 0 to T-1"),
    (D.noise_step_by_step, (X, 5, "seed", COSINE), TypeError, "default_rng"),
    (D.noise_step_by_step, (X, 5, RNG, None), TypeError, "Schedule"),
    (D.eps_from_x0, (None, X, 5, COSINE), TypeError, "x_t must be an array"),
    (D.eps_from_x0, (X, X[:, :10], 5, COSINE), ValueError, "x0 must have the same shape as x_t"),
    (D.eps_from_x0, (X, X, "5", COSINE), TypeError, "t must be an int"),
    (D.eps_from_x0, (X, X, 5, 1000), TypeError, "Schedule"),
    (D.x0_from_eps, ([["a"]], X, 5, COSINE), TypeError, "x_t must be an array"),
    (D.x0_from_eps, (X, X[:1], 5, COSINE), ValueError, "eps must have the same shape"),
    (D.x0_from_eps, (X, X, 1000, COSINE), ValueError, "T-1 = 999"),
    (D.x0_from_eps, (X, X, 5, LINEAR.betas), TypeError, "Schedule"),
    (D.reverse_step, (X[0, 0], X, 5, COSINE, RNG), ValueError, "single number"),
    (D.reverse_step, (X, X.T, 5, COSINE, RNG), ValueError, "x0_pred must have the same shape"),
    (D.reverse_step, (X, X, True, COSINE, RNG), TypeError, "t must be an int"),
    (D.reverse_step, (X, X, 5, {}, RNG), TypeError, "Schedule"),
    (D.reverse_step, (X, X, 5, COSINE, 0.5), TypeError, "rng must be a NumPy Generator"),
    (D.reverse_step, (X, X, 5, COSINE, RNG, 5), ValueError, "t_prev must be below t"),
    (D.posterior, (X, X, 5, COSINE, 1.5), TypeError, "t_prev must be an int"),
    (D.sampling_steps, (1000, 0), ValueError, "from 1 to T = 1000"),
    (D.sampling_steps, (1000, 2.5), TypeError, "steps must be an int"),
    (D.sampling_steps, ("T", 10), TypeError, "positive int or a Schedule"),
]


@pytest.mark.parametrize(
    "fn, args, error, words", BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_arguments_are_named(fn, args, error, words):
    with pytest.raises(error) as info:
        fn(*args)
    assert words in str(info.value), str(info.value)


def test_every_argument_of_every_function_has_a_validation_test():
    import inspect

    tried = {}
    for fn, args, _, _ in BAD:
        names = list(inspect.signature(fn).parameters)
        tried.setdefault(fn.__name__, set()).update(names[: len(args)])
    for name in ("make_schedule", "noise_closed_form", "noise_step_by_step", "eps_from_x0",
                 "x0_from_eps", "reverse_step", "sampling_steps"):  # fmt: skip
        params = set(inspect.signature(getattr(D, name)).parameters)
        assert params <= tried[name], (name, params - tried[name])
