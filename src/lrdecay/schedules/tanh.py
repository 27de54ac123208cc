"""Hyperbolic-tangent decay (Hsueh et al., 2019; timm's ``TanhLRScheduler``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._registry import register

__all__ = ["TanhDecay"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class TanhDecay(Schedule):
    """``initial * (1 - tanh(lower + (upper - lower) * step / decay_steps)) / 2``, then its end value.

    >>> from lrdecay import TanhDecay
    >>> s = TanhDecay(1.0, decay_steps=100)  # timm's bounds: lower=-7, upper=3
    >>> [round(s(k), 6) for k in (0, 50, 70, 100, 200)]
    [0.999999, 0.982014, 0.5, 0.002473, 0.002473]

    The curve stays near `initial_learning_rate` for the first part of the decay, falls
    through half of it where the argument crosses 0 (step 70 above), and flattens near
    ``initial * (1 - tanh(upper)) / 2``. Neither end is exactly `initial` or 0: step 0
    gives ``initial * (1 - tanh(lower)) / 2``, as in the paper and in timm. After
    `decay_steps` the rate holds its end value.

    Computed as ``1 / (1 + exp(2x))`` (the same number) from ``exp(-2|x|)``, so the
    tail keeps its relative precision where ``1 - tanh(x)`` cancels, and nothing
    overflows for any bounds.

    Args:
        initial_learning_rate: >= 0.
        decay_steps: the length of the decay, > 0.
        lower: the argument of tanh at step 0 (the curve's "lower bound").
        upper: the argument at `decay_steps`; ``upper > lower`` for a decay.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``.
        TypeError: a non-number.
    """

    initial_learning_rate: float
    decay_steps: float
    lower: float = -7.0
    upper: float = 3.0

    def __post_init__(self) -> None:
        lower = v.number("lower", self.lower)
        upper = v.number("upper", self.upper)
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            decay_steps=v.number("decay_steps", self.decay_steps, lower=0, lower_op=">"),
            lower=lower,
            upper=upper,
            _lr=float(self.initial_learning_rate),
            _lower=float(lower),
            _span=float(upper) - float(lower),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        d = self.decay_steps
        x = self._lower + self._span * (xp.minimum(s, d) / d)
        e = xp.exp(-2.0 * xp.maximum(x, -x))  # in (0, 1]: no overflow
        return self._lr * xp.where(x >= 0, e, 1.0) / (1.0 + e)
