"""The cosine family: cosine (with warmup), restarts (SGDR), linear cosine, noisy linear
cosine, and tensorflow/tpu's cosine with linear warmup."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import GeometricCycles
from lrdecay._registry import register

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "CosineDecayWithLinearWarmup",
    "LinearCosineDecay",
    "NoisyLinearCosineDecay",
]

_PI = math.pi
_HALF_PI = 0.5 * math.pi


def _half_cosine_left(left: Any, xp: Any) -> Any:
    """``(1 + cos(pi * t)) / 2`` given ``left = 1 - t``: 1 at t = 0, 0 at t = 1.

    Written as ``sin(pi / 2 * left) ** 2``, the same number, because near the end of a
    decay ``1 + cos(pi * t)`` cancels: one step before the end of 2**40 steps the true
    value is 2e-24 and ``1 + cos`` gives 0. Callers compute `left` as
    ``(T - step) / T``, whose subtraction is exact for integer steps, so the result keeps
    its relative precision down to the last step.
    """
    x = xp.sin(_HALF_PI * left)
    return x * x


def _ramp(s: Any, start: float, end: float, steps: float) -> Any:
    """The straight line from `start` at step 0 to `end` at `steps`.

    Always the lower end plus a non-negative slope times a fraction, so nothing cancels
    and every rounding is monotone (the ramp never wiggles): up, TensorFlow's
    ``(end - start) * (s / steps) + start``; down, ``(start - end) * ((steps - s) / steps)
    + end``, whose ``steps - s`` is exact for integer steps. (TensorFlow's form for a ramp
    down to 0 loses the relative precision of its last steps: 1e-12 at 4e4 steps.)
    """
    if end >= start:
        return (end - start) * (s / steps) + start
    return (start - end) * ((steps - s) / steps) + end


@register
@dataclasses.dataclass(frozen=True, repr=False)
class CosineDecay(Schedule):
    """Half a cosine from the initial rate down to ``alpha`` times it, with optional warmup.

    >>> from lrdecay import CosineDecay
    >>> s = CosineDecay(1.0, decay_steps=1000)
    >>> [round(s(step), 6) for step in (0, 250, 500, 1000, 5000)]
    [1.0, 0.853553, 0.5, 0.0, 0.0]
    >>> w = CosineDecay(0.0, decay_steps=1000, warmup_target=10.0, warmup_steps=2000)
    >>> [round(w(step), 6) for step in (0, 1000, 2000, 2500, 3000)]
    [0.0, 5.0, 10.0, 5.0, 0.0]

    Formula (Keras 3): without warmup,
    ``initial * ((1 - alpha) * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2 + alpha)``.
    With `warmup_target`, the rate first goes linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps`, then decays from `warmup_target` as above over
    the next `decay_steps` (the warmup adds to `decay_steps`). It holds
    ``alpha * peak`` after the end.

    Args:
        initial_learning_rate: the rate at step 0, >= 0.
        decay_steps: length of the cosine, > 0 (not counting the warmup).
        alpha: the floor as a fraction of the peak, in [0, 1].
        name: kept in the config.
        warmup_target: the peak reached at the end of the warmup, >= 0, or None for no
            warmup.
        warmup_steps: length of the warmup, >= 0; needs `warmup_target`.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``, `alpha`
            outside [0, 1], `warmup_steps` > 0 without `warmup_target`.
        TypeError: a non-number.
    """

    initial_learning_rate: float
    decay_steps: float
    alpha: float = 0.0
    name: str | None = None
    warmup_target: float | None = None
    warmup_steps: float = 0

    def __post_init__(self) -> None:
        target = self.warmup_target
        if target is not None:
            target = v.number("warmup_target", target, lower=0)
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            decay_steps=v.number("decay_steps", self.decay_steps, lower=0, lower_op=">"),
            alpha=v.number("alpha", self.alpha, lower=0, upper=1),
            name=v.name(self.name),
            warmup_target=target,
            warmup_steps=v.number("warmup_steps", self.warmup_steps, lower=0),
        )
        if target is None and self.warmup_steps > 0:
            # Keras silently ignores warmup_steps here; a user who asked for a warmup
            # would get none, so say so.
            raise ValueError(
                "Argument `warmup_steps` needs `warmup_target` (the rate the warmup "
                f"reaches). Received: warmup_steps={self.warmup_steps!r}, warmup_target=None"
            )
        initial = float(self.initial_learning_rate)
        peak = initial if target is None else float(target)
        self._set(
            _peak=peak,
            _initial=initial,
            _warmup=target is not None and self.warmup_steps > 0,
            # peak * ((1 - alpha) * (1 + cos) / 2 + alpha) as amplitude * sin**2 + floor
            # (see _half_cosine_left), the floor exact at the end.
            _amplitude=peak * (1.0 - self.alpha),
            _floor=peak * self.alpha,
            _half_pi_per_step=_HALF_PI / self.decay_steps,
        )
        if not self._warmup:
            # Without a warmup the formula is the decay: one call less inside compositions
            # too (the torch OneCycleLR preset's phases).
            self._set_formula(CosineDecay, self._decay)

    def _decay(self, s: Any, xp: Any) -> Any:
        """The cosine part, `s` counted from its start."""
        # sin(pi / 2 * (d - min(s, d)) / d) ** 2 with pi / 2d precomputed: d - s is exact
        # for integer steps, so the last steps keep their relative precision.
        x = xp.sin((self.decay_steps - xp.minimum(s, self.decay_steps)) * self._half_pi_per_step)
        value = self._amplitude * (x * x)
        return value + self._floor if self.alpha else value

    def _f(self, s: Any, xp: Any) -> Any:
        if not self._warmup:
            return self._decay(s, xp)
        w = self.warmup_steps
        # Before the warmup ends s - w < 0, where the cosine is still finite.
        return xp.where(s < w, _ramp(s, self._initial, self._peak, w), self._decay(s - w, xp))


@register
@dataclasses.dataclass(frozen=True, repr=False)
class CosineDecayRestarts(Schedule):
    """Cosine decay that restarts, each period `t_mul` times longer and `m_mul` times lower (SGDR).

    >>> from lrdecay import CosineDecayRestarts
    >>> s = CosineDecayRestarts(1.0, first_decay_steps=1000)
    >>> [round(s(step), 6) for step in (0, 500, 999, 1000, 2000, 3000)]
    [1.0, 0.5, 2e-06, 1.0, 0.5, 1.0]
    >>> round(CosineDecayRestarts(1.0, 1000, m_mul=0.9)(3000), 6)
    0.81

    Formula: with ``f = step / first_decay_steps``, period ``i`` is the one with
    ``(1 - t_mul**i) / (1 - t_mul) <= f`` (``i = floor(f)`` when ``t_mul == 1``);
    ``r`` is the fraction of it done; the rate is
    ``initial * ((1 - alpha) * m_mul**i * (1 + cos(pi * r)) / 2 + alpha)``.

    The period index is corrected after the logarithm, so every restart lands exactly
    on its step (TensorFlow's float32 arithmetic misses some, e.g. step 8,191,000 with
    first_decay_steps=1000). With ``t_mul < 1`` the periods add up to
    ``first_decay_steps / (1 - t_mul)`` steps; after that the rate holds
    ``alpha * initial`` (TensorFlow returns NaN).

    Args:
        initial_learning_rate: >= 0.
        first_decay_steps: length of the first period, > 0.
        t_mul: period growth factor, > 0.
        m_mul: peak factor per restart, >= 0.
        alpha: the floor as a fraction of `initial_learning_rate`, in [0, 1].
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``first_decay_steps <= 0``,
            ``t_mul <= 0``, `alpha` outside [0, 1].
        TypeError: a non-number.
    """

    initial_learning_rate: float
    first_decay_steps: float
    t_mul: float = 2.0
    m_mul: float = 1.0
    alpha: float = 0.0
    name: str | None = None

    def __post_init__(self) -> None:
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            first_decay_steps=v.number("first_decay_steps", self.first_decay_steps, lower=0, lower_op=">"),
            t_mul=v.number("t_mul", self.t_mul, lower=0, lower_op=">"),
            m_mul=v.number("m_mul", self.m_mul, lower=0),
            alpha=v.number("alpha", self.alpha, lower=0, upper=1),
            name=v.name(self.name),
        )
        self._set(
            _lr=float(self.initial_learning_rate),
            _locate=GeometricCycles(self.first_decay_steps, self.t_mul).locate,
        )

    def _f(self, s: Any, xp: Any) -> Any:
        i, local, length, finished = self._locate(s, xp)
        left = (length - local) / length
        alpha = self.alpha
        value = self._lr * ((1.0 - alpha) * self.m_mul**i * _half_cosine_left(left, xp) + alpha)
        if finished is not None:
            value = xp.where(finished, self._lr * alpha, value)
        return value


def _linear_cosine(
    self: LinearCosineDecay | NoisyLinearCosineDecay, s: Any, xp: Any, noise: Any = 0.0
) -> Any:
    """TensorFlow's linear cosine: ``initial * ((alpha + linear + noise) * cosine + beta)``.

    The cosine ``(1 + cos(pi * x)) / 2`` of ``x = 2 * num_periods * t`` is taken as
    ``sin(pi / 2 * (1 - x mod 2)) ** 2`` with the reduction done in steps,
    ``u = 2 * num_periods * s`` modulo ``2 * T``: exact for integer steps when
    ``2 * num_periods`` is an integer, so the rate keeps its relative precision next to
    the cosine's zeros (with ``num_periods=0.5``, at the end).
    """
    steps = self.decay_steps
    s = xp.minimum(s, steps)
    linear = (steps - s) / steps
    u = s * self._two_periods if self._two_periods != 1.0 else s
    if self._two_periods > 1.0:  # x beyond 1: reduce modulo 2 (in steps: 2 T)
        u = u - self._two_steps * xp.floor(u / self._two_steps)
    x = xp.sin((steps - u) * self._half_pi_per_step)
    return self._lr * ((self.alpha + linear + noise) * (x * x) + self.beta)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class LinearCosineDecay(Schedule):
    """A cosine whose amplitude falls linearly to zero (Bello et al., 2017).

    >>> from lrdecay import LinearCosineDecay
    >>> s = LinearCosineDecay(1.0, decay_steps=1000)
    >>> [round(s(step), 6) for step in (0, 250, 500, 1000)]
    [1.001, 0.641165, 0.251, 0.001]

    Formula: with ``t = min(step, decay_steps) / decay_steps``,
    ``initial * ((alpha + 1 - t) * (1 + cos(2 * pi * num_periods * t)) / 2 + beta)``.
    Note the value at step 0 is ``initial * (1 + alpha + beta)``, above `initial`,
    exactly as in TensorFlow.

    Args:
        initial_learning_rate: >= 0.
        decay_steps: > 0.
        num_periods: cosine periods over `decay_steps`, >= 0.
        alpha: added to the linear factor, in [0, 1].
        beta: added floor, as a fraction of `initial_learning_rate`, >= 0.
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``, `alpha`
            outside [0, 1].
        TypeError: a non-number.
    """

    initial_learning_rate: float
    decay_steps: float
    num_periods: float = 0.5
    alpha: float = 0.0
    beta: float = 0.001
    name: str | None = None

    def __post_init__(self) -> None:
        self._check_linear_cosine()

    def _check_linear_cosine(self) -> None:
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            decay_steps=v.number("decay_steps", self.decay_steps, lower=0, lower_op=">"),
            num_periods=v.number("num_periods", self.num_periods, lower=0),
            alpha=v.number("alpha", self.alpha, lower=0, upper=1),
            beta=v.number("beta", self.beta, lower=0),
            name=v.name(self.name),
        )
        self._set(
            _lr=float(self.initial_learning_rate),
            _two_periods=2.0 * self.num_periods,
            _two_steps=2.0 * self.decay_steps,
            _half_pi_per_step=_HALF_PI / self.decay_steps,
        )

    _f = _linear_cosine


@register
@dataclasses.dataclass(frozen=True, repr=False)
class NoisyLinearCosineDecay(Schedule):
    """Linear cosine decay plus Gaussian noise whose variance shrinks with the step.

    >>> from lrdecay import NoisyLinearCosineDecay
    >>> s = NoisyLinearCosineDecay(1.0, decay_steps=1000, seed=7)
    >>> s(10) == s(10)  # the noise is a function of (seed, step): no drift, no state
    True
    >>> s(10) != NoisyLinearCosineDecay(1.0, decay_steps=1000, seed=8)(10)
    True
    >>> round(s(1000), 6)  # the noise is multiplied by the cosine, 0 at the end
    0.001

    Formula: `LinearCosineDecay`'s, with ``eps`` added to the linear factor, where
    ``eps ~ Normal(0, sqrt(initial_variance / (1 + t_step) ** variance_decay))`` and
    ``t_step = min(step, decay_steps)``. Unlike TensorFlow, whose draw changes on every
    call, ``eps`` is a deterministic function of ``(seed, floor(t_step))``: the same on
    every call, rank and resume, and held after `decay_steps`.

    As in TensorFlow, nothing keeps the result positive: with the default
    ``initial_variance=1.0`` the noise is as large as the linear term early on and the
    rate dips below zero at some steps (``NoisyLinearCosineDecay(0.1, 1000)(3)`` is
    about -0.029). Use a smaller `initial_variance` (e.g. 0.01) for a rate that stays
    positive in practice.

    Args:
        initial_learning_rate: >= 0.
        decay_steps: > 0.
        initial_variance: variance of the noise at step 0, >= 0.
        variance_decay: exponent of the variance decay, >= 0.
        num_periods: cosine periods over `decay_steps`, >= 0 (as in `LinearCosineDecay`).
        alpha: added to the linear factor, in [0, 1].
        beta: added floor, as a fraction of `initial_learning_rate`, >= 0.
        seed: int >= 0 selecting the noise sequence (None, as Keras 2 writes, means 0).
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``, `alpha`
            outside [0, 1].
        TypeError: a non-number, a non-integer seed.
    """

    initial_learning_rate: float
    decay_steps: float
    initial_variance: float = 1.0
    variance_decay: float = 0.55
    num_periods: float = 0.5
    alpha: float = 0.0
    beta: float = 0.001
    seed: int | None = 0
    name: str | None = None

    def __post_init__(self) -> None:
        LinearCosineDecay._check_linear_cosine(self)  # type: ignore[arg-type]
        seed: int | float | None = self.seed
        if seed is not None:
            seed = v.number("seed", seed, lower=0)
            if not isinstance(seed, int):
                raise TypeError(
                    f"Argument `seed` must be an int or None. Received: seed={seed!r} of type float"
                )
        self._set(
            initial_variance=v.number("initial_variance", self.initial_variance, lower=0),
            variance_decay=v.number("variance_decay", self.variance_decay, lower=0),
            seed=seed,
            _seed=seed or 0,
        )

    def _f(self, s: Any, xp: Any) -> Any:
        held = xp.minimum(s, self.decay_steps)
        std = xp.sqrt(self.initial_variance / (1.0 + held) ** self.variance_decay)
        return _linear_cosine(self, s, xp, noise=std * xp.normal(self._seed, held))


@register
@dataclasses.dataclass(frozen=True, repr=False)
class CosineDecayWithLinearWarmup(Schedule):
    """tensorflow/tpu's cosine with linear warmup: a line to the peak, then half a cosine to 0.

    >>> from lrdecay import CosineDecayWithLinearWarmup
    >>> s = CosineDecayWithLinearWarmup(0.08, 0.0067, warmup_steps=500, total_steps=22500)
    >>> [round(s(step), 6) for step in (0, 250, 500, 11500, 22500, 44500)]
    [0.0067, 0.04335, 0.08, 0.04, 0.0, 0.0]

    Formula: ``warmup_learning_rate + step / warmup_steps * (init - warmup_learning_rate)``
    before `warmup_steps`, then
    ``init * (1 + cos(pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2``.
    It holds 0 from `total_steps` on (the tpu code's cosine climbs back up: not here).
    This is `CosineDecay` from `warmup_learning_rate` with ``warmup_target=init``.

    Args:
        init_learning_rate: the peak, reached at `warmup_steps`, >= 0.
        warmup_learning_rate: the rate at step 0, >= 0.
        warmup_steps: >= 0 (0: start at the peak).
        total_steps: where the rate reaches 0, > `warmup_steps`.
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``total_steps <= warmup_steps``.
        TypeError: a non-number.
    """

    init_learning_rate: float
    warmup_learning_rate: float
    warmup_steps: float
    total_steps: float
    name: str | None = None

    def __post_init__(self) -> None:
        warmup = v.number("warmup_steps", self.warmup_steps, lower=0)
        self._set(
            init_learning_rate=v.number("init_learning_rate", self.init_learning_rate, lower=0),
            warmup_learning_rate=v.number("warmup_learning_rate", self.warmup_learning_rate, lower=0),
            warmup_steps=warmup,
            total_steps=v.number("total_steps", self.total_steps, lower=warmup, lower_op=">"),
            name=v.name(self.name),
        )
        self._set(
            _cosine=CosineDecay(
                self.warmup_learning_rate,
                decay_steps=self.total_steps - warmup,
                warmup_target=self.init_learning_rate,
                warmup_steps=warmup,
            )
        )

    def _f(self, s: Any, xp: Any) -> Any:
        return self._cosine._f(s, xp)
