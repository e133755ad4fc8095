"""The maths of a small diffusion model (DDPM, lesson 13) in NumPy: noise schedules, the forward
noising process in closed form and step by step, the conversions between the predicted noise
and the predicted clean image, and one step of the reverse (ancestral) process.

Notation (Ho et al. 2020), with the step index ``t = 0 .. T-1``:

* ``betas[t]``: the noise variance added at step ``t``; ``alphas = 1 - betas``;
* ``alpha_bars[t] = prod(alphas[:t + 1])``: what is left of the clean image's signal power;
* forward, one step: ``x_t = sqrt(alphas[t]) x_{t-1} + sqrt(betas[t]) noise`` (``x_{-1} = x0``);
* forward, closed form: ``x_t = sqrt(alpha_bars[t]) x0 + sqrt(1 - alpha_bars[t]) eps``;
* reverse: a sample of ``q(x_{t-1} | x_t, x0)`` with the network's guess of ``x0``.

* :class:`Schedule`, :func:`make_schedule` - the ``"cosine"`` and ``"linear"`` schedules;
* :func:`noise_closed_form`, :func:`noise_step_by_step` - the forward process, two ways;
* :func:`eps_from_x0`, :func:`x0_from_eps` - the same ``x_t`` seen from either side;
* :func:`posterior`, :func:`reverse_step` - one step back;
* :func:`sampling_steps` - the time steps a strided sampler visits.

``t`` is an int (the same step for every sample) or an int array with one entry per sample
(first axis of ``x0``).  NumPy only; never imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "SCHEDULES",
    "Schedule",
    "make_schedule",
    "noise_closed_form",
    "noise_step_by_step",
    "eps_from_x0",
    "x0_from_eps",
    "posterior",
    "reverse_step",
    "sampling_steps",
]

SCHEDULES = ("cosine", "linear")


@dataclass(frozen=True, eq=False)
class Schedule:
    """A noise schedule: ``name``, ``T`` and the float64 arrays (length ``T``, index ``t``)
    ``betas``, ``alphas = 1 - betas`` and ``alpha_bars[t] = prod(alphas[:t + 1])``."""

    name: str
    T: int
    betas: np.ndarray
    alphas: np.ndarray
    alpha_bars: np.ndarray

    def __repr__(self):
        return (
            f"Schedule({self.name!r}, T={self.T}: alpha_bar from {self.alpha_bars[0]:.4f} "
            f"at t=0 to {self.alpha_bars[-1]:.2e} at t={self.T - 1})"
        )


def _cosine_betas(T, s=0.008):
    """Nichol & Dhariwal (2021): ``alpha_bar(t) = cos^2(((t/T + s)/(1 + s)) pi/2)``, each beta
    capped at 0.999 (the last steps would otherwise be 1: all signal gone in one step)."""
    f = np.cos((np.arange(T + 1, dtype=np.float64) / T + s) / (1 + s) * np.pi / 2) ** 2
    return np.clip(1 - f[1:] / f[:-1], 0.0, 0.999)


def _linear_betas(T, beta_1=1e-4, beta_T=0.02):
    """Ho et al. (2020): betas from 1e-4 to 0.02 over 1000 steps, scaled by 1000/T so that a
    shorter chain ends about as noisy (capped at 0.999)."""
    scale = 1000 / T
    return np.clip(np.linspace(beta_1 * scale, beta_T * scale, T, dtype=np.float64), 0.0, 0.999)


def make_schedule(name="cosine", T=1000):
    """The :class:`Schedule` ``name`` (``"cosine"`` or ``"linear"``) with ``T`` steps.

    >>> s = make_schedule("cosine", 1000)
    >>> round(float(s.alpha_bars[-1]), 6) < 1e-4
    True
    """
    if not isinstance(name, str) or name not in SCHEDULES:
        raise ValueError(
            f"make_schedule: name must be one of {SCHEDULES}, got {name!r}; "
            'e.g. make_schedule("cosine", 1000)'
        )
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)):
        raise TypeError(f"make_schedule: T must be an int number of steps, got {T!r}; e.g. T=1000")
    if T < 2:
        raise ValueError(f"make_schedule: T must be at least 2 steps, got {T}; e.g. T=1000")
    T = int(T)
    betas = _cosine_betas(T) if name == "cosine" else _linear_betas(T)
    alphas = 1.0 - betas
    alpha_bars = np.cumprod(alphas)
    for a in (betas, alphas, alpha_bars):
        a.setflags(write=False)
    return Schedule(name, T, betas, alphas, alpha_bars)


# ------------------------------------------------------------------------------- validation
def _check_schedule(schedule, fn):
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"{fn}: schedule must be a Schedule from make_schedule(...), got "
            f"{type(schedule).__name__}; e.g. schedule = make_schedule('cosine', 1000)"
        )


def _check_array(x, name, fn, like=None, like_name=""):
    """``x`` as a float64 array (at least 1-D); same shape as ``like`` when given."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{fn}: {name} must be an array of numbers, got {type(x).__name__}")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{fn}: {name} must be an array of numbers, got {type(x).__name__}"
        ) from None
    if a.ndim == 0:
        raise ValueError(
            f"{fn}: {name} must be an array of images (first axis: samples), got a single number"
        )
    if like is not None and a.shape != like.shape:
        raise ValueError(
            f"{fn}: {name} must have the same shape as {like_name}, {like.shape}; got {a.shape}"
        )
    if not np.isfinite(a).all():
        raise ValueError(f"{fn}: {name} contains NaN or infinite values")
    return a


def _check_t(t, x, schedule, fn, name="t"):
    """``t`` as an int array broadcastable against ``x`` (shape (n, 1, 1, ...) or ())."""
    T = schedule.T
    if isinstance(t, (bool, np.bool_)) or isinstance(t, (float, np.floating)):
        raise TypeError(f"{fn}: {name} must be an int step (0..{T - 1}) or an int array, got {t!r}")
    if isinstance(t, (int, np.integer)):
        if not 0 <= t < T:
            raise ValueError(
                f"{fn}: {name} must be a step from 0 to T-1 = {T - 1}, got {t}; the steps are "
                f"counted from 0 (t=0: one step of noise; t={T - 1}: almost pure noise)"
            )
        return np.asarray(int(t))
    try:
        a = np.asarray(t)
    except (TypeError, ValueError):
        a = np.asarray([None])
    if a.dtype.kind not in "iu":
        raise TypeError(
            f"{fn}: {name} must be an int step (0..{T - 1}) or an int array with one step per "
            f"sample, got {type(t).__name__} of dtype {a.dtype}; e.g. rng.integers(0, {T}, n)"
        )
    if a.ndim == 0:
        return _check_t(int(a), x, schedule, fn, name)
    if a.ndim != 1 or len(a) != x.shape[0]:
        raise ValueError(
            f"{fn}: {name} must be one int or one step per sample, shape ({x.shape[0]},), "
            f"got shape {a.shape}"
        )
    if a.min() < 0 or a.max() >= T:
        raise ValueError(
            f"{fn}: every {name} must be a step from 0 to T-1 = {T - 1}, got values from "
            f"{a.min()} to {a.max()}"
        )
    return a.astype(np.int64).reshape((-1,) + (1,) * (x.ndim - 1))


def _check_rng(rng, fn):
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{fn}: rng must be a NumPy Generator (or an int seed), got {type(rng).__name__}; "
            "e.g. rng = np.random.default_rng(0)"
        )
    return rng


# ------------------------------------------------------------------------------- forward
def noise_closed_form(x0, t, eps, schedule):
    """``x_t = sqrt(alpha_bars[t]) x0 + sqrt(1 - alpha_bars[t]) eps`` (float64, shape of ``x0``):
    the distribution ``q(x_t | x0)`` reached in one jump, given the noise ``eps``."""
    fn = "noise_closed_form"
    _check_schedule(schedule, fn)
    x0 = _check_array(x0, "x0", fn)
    eps = _check_array(eps, "eps", fn, like=x0, like_name="x0")
    t = _check_t(t, x0, schedule, fn)
    ab = schedule.alpha_bars[t]
    return np.asarray(np.sqrt(ab) * x0 + np.sqrt(1 - ab) * eps)


def noise_step_by_step(x0, t, rng, schedule):
    """``t + 1`` single steps ``x <- sqrt(alphas[s]) x + sqrt(betas[s]) noise``, ``s = 0..t``,
    from ``x0`` (fresh noise from ``rng`` at every step); a sample of ``q(x_t | x0)``."""
    fn = "noise_step_by_step"
    _check_schedule(schedule, fn)
    x0 = _check_array(x0, "x0", fn)
    t = _check_t(t, x0, schedule, fn)
    rng = _check_rng(rng, fn)
    x = x0.copy()
    for s in range(int(t.max()) + 1):
        stepped = np.sqrt(schedule.alphas[s]) * x + np.sqrt(
            schedule.betas[s]
        ) * rng.standard_normal(x.shape)
        x = np.where(s <= t, stepped, x)  # a sample whose t is below s stops
    return x


def eps_from_x0(x_t, x0, t, schedule):
    """The noise that turns ``x0`` into ``x_t`` at step ``t``:
    ``(x_t - sqrt(alpha_bars[t]) x0) / sqrt(1 - alpha_bars[t])``."""
    fn = "eps_from_x0"
    _check_schedule(schedule, fn)
    x_t = _check_array(x_t, "x_t", fn)
    x0 = _check_array(x0, "x0", fn, like=x_t, like_name="x_t")
    t = _check_t(t, x_t, schedule, fn)
    ab = schedule.alpha_bars[t]
    return np.asarray((x_t - np.sqrt(ab) * x0) / np.sqrt(1 - ab))


def x0_from_eps(x_t, eps, t, schedule):
    """The clean image that ``x_t`` came from with noise ``eps`` at step ``t``:
    ``(x_t - sqrt(1 - alpha_bars[t]) eps) / sqrt(alpha_bars[t])``."""
    fn = "x0_from_eps"
    _check_schedule(schedule, fn)
    x_t = _check_array(x_t, "x_t", fn)
    eps = _check_array(eps, "eps", fn, like=x_t, like_name="x_t")
    t = _check_t(t, x_t, schedule, fn)
    ab = schedule.alpha_bars[t]
    return np.asarray((x_t - np.sqrt(1 - ab) * eps) / np.sqrt(ab))


# ------------------------------------------------------------------------------- reverse
def _posterior_coefs(t, t_prev, schedule):
    """(coef of x0, coef of x_t, variance) of q(x_{t_prev} | x_t, x0); t_prev = -1 means x0."""
    ab_t = schedule.alpha_bars[t]
    ab_prev = np.where(t_prev >= 0, schedule.alpha_bars[np.maximum(t_prev, 0)], 1.0)
    beta = 1 - ab_t / ab_prev  # the noise added between t_prev and t (= betas[t] for one step)
    c_x0 = np.sqrt(ab_prev) * beta / (1 - ab_t)
    c_xt = np.sqrt(ab_t / ab_prev) * (1 - ab_prev) / (1 - ab_t)
    var = (1 - ab_prev) / (1 - ab_t) * beta
    return c_x0, c_xt, var


def _check_t_prev(t_prev, t, x, schedule, fn):
    if t_prev is None:
        return t - 1
    if isinstance(t_prev, (int, np.integer)) and not isinstance(t_prev, bool) and t_prev == -1:
        tp = np.asarray(-1)
    else:
        tp = _check_t(t_prev, x, schedule, fn, name="t_prev")
    if np.any(tp >= t):
        raise ValueError(
            f"{fn}: t_prev must be below t (the reverse process goes back in time), got "
            f"t_prev={np.ravel(tp)[:3]} for t={np.ravel(t)[:3]}"
        )
    return tp


def posterior(x_t, x0_pred, t, schedule, t_prev=None):
    """Mean and variance of ``q(x_{t_prev} | x_t, x0)`` (``t_prev`` defaults to ``t - 1``):
    ``mean = c0 x0 + c1 x_t`` with ``c0 = sqrt(ab_prev) beta / (1 - ab_t)``,
    ``c1 = sqrt(ab_t / ab_prev) (1 - ab_prev) / (1 - ab_t)``,
    ``var = (1 - ab_prev) / (1 - ab_t) beta``, where ``beta = 1 - ab_t / ab_prev``
    (``betas[t]`` for a single step).  Returns ``(mean, var)``; at ``t = 0`` ``(x0, 0)``."""
    fn = "posterior"
    _check_schedule(schedule, fn)
    x_t = _check_array(x_t, "x_t", fn)
    x0_pred = _check_array(x0_pred, "x0_pred", fn, like=x_t, like_name="x_t")
    t = _check_t(t, x_t, schedule, fn)
    t_prev = _check_t_prev(t_prev, t, x_t, schedule, fn)
    c_x0, c_xt, var = _posterior_coefs(t, t_prev, schedule)
    return np.asarray(c_x0 * x0_pred + c_xt * x_t), np.asarray(var + 0 * x_t)


def reverse_step(x_t, x0_pred, t, schedule, rng, t_prev=None):
    """One ancestral step back: a sample of ``q(x_{t-1} | x_t, x0_pred)`` (the mean and variance
    of :func:`posterior`, noise from ``rng``).  At ``t = 0`` it returns ``x0_pred`` itself.

    ``t_prev`` (default ``t - 1``) jumps further back in one step - the strided sampler of
    :func:`sampling_steps`; ``t_prev = -1`` goes straight to the clean image.
    """
    fn = "reverse_step"
    _check_schedule(schedule, fn)
    x_t = _check_array(x_t, "x_t", fn)
    x0_pred = _check_array(x0_pred, "x0_pred", fn, like=x_t, like_name="x_t")
    t = _check_t(t, x_t, schedule, fn)
    t_prev = _check_t_prev(t_prev, t, x_t, schedule, fn)
    rng = _check_rng(rng, fn)
    c_x0, c_xt, var = _posterior_coefs(t, t_prev, schedule)
    noise = rng.standard_normal(x_t.shape)
    return np.asarray(c_x0 * x0_pred + c_xt * x_t + np.sqrt(var) * noise)


def sampling_steps(T, steps=None):
    """The time steps a sampler visits, from ``T - 1`` down to 0: all ``T`` of them, or ``steps``
    evenly spaced ones (strided sampling; ``steps`` from 1 to ``T``)."""
    if isinstance(T, Schedule):
        T = T.T
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise TypeError(f"sampling_steps: T must be a positive int or a Schedule, got {T!r}")
    if steps is None:
        steps = T
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"sampling_steps: steps must be an int from 1 to T = {T}, got {steps!r}")
    if not 1 <= steps <= T:
        raise ValueError(f"sampling_steps: steps must be from 1 to T = {T}, got {steps}")
    if steps == 1:
        return np.array([T - 1])
    return np.unique(np.linspace(0, T - 1, int(steps)).round().astype(np.int64))[::-1]
