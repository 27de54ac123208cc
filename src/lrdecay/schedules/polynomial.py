"""Polynomial decay, optionally cycling."""

from __future__ import annotations

import dataclasses
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._registry import register

__all__ = ["PolynomialDecay"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class PolynomialDecay(Schedule):
    """Go from the initial rate to `end_learning_rate` along ``(1 - t) ** power``.

    >>> from lrdecay import PolynomialDecay
    >>> s = PolynomialDecay(0.05, decay_steps=10, end_learning_rate=0.001)
    >>> [round(s(step), 6) for step in (0, 5, 10, 15)]
    [0.05, 0.0255, 0.001, 0.001]
    >>> c = PolynomialDecay(0.05, 10, 0.001, cycle=True)
    >>> [round(c(step), 6) for step in (10, 11, 15, 20)]
    [0.001, 0.02305, 0.01325, 0.001]

    Formula: ``(initial - end) * (1 - step / decay_steps) ** power + end``, with the
    step held at `decay_steps` afterwards. With ``cycle=True`` the horizon instead
    grows to ``decay_steps * ceil(step / decay_steps)`` (at least `decay_steps`), as in
    TensorFlow: each restart is lower than the last, and an exact multiple of
    `decay_steps` gives `end_learning_rate` (the restart shows one step later).

    Args:
        initial_learning_rate: the rate at step 0, >= 0.
        decay_steps: > 0.
        end_learning_rate: the final rate, >= 0 (may exceed the initial rate: a ramp up).
        power: > 0.
        cycle: restart the decay with a longer horizon after each `decay_steps`.
        name: kept in the config.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``, ``power <= 0``.
        TypeError: a non-number, or a non-bool `cycle`.
    """

    initial_learning_rate: float
    decay_steps: float
    end_learning_rate: float = 0.0001
    power: float = 1.0
    cycle: bool = False
    name: str | None = None

    def __post_init__(self) -> None:
        self._set(
            initial_learning_rate=v.number("initial_learning_rate", self.initial_learning_rate, lower=0),
            decay_steps=v.number("decay_steps", self.decay_steps, lower=0, lower_op=">"),
            end_learning_rate=v.number("end_learning_rate", self.end_learning_rate, lower=0),
            power=v.number("power", self.power, lower=0, lower_op=">"),
            cycle=v.boolean("cycle", self.cycle),
            name=v.name(self.name),
        )
        self._set(
            _span=float(self.initial_learning_rate) - self.end_learning_rate,
            _end=float(self.end_learning_rate),
            _integer_steps=float(self.decay_steps).is_integer(),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        steps = self.decay_steps
        if self.cycle:
            # Steps are >= 0, so max(ceil, 1) is TensorFlow's "multiplier 1 at step 0".
            k = xp.maximum(xp.ceil(s / steps), 1.0)
            # s / steps rounds across an integer when the step is within its last bit of
            # a cycle end (near 2**53): put k back so that (k - 1) T < s <= k T.
            k = xp.where((k - 1.0) * steps >= s, xp.maximum(k - 1.0, 1.0), k)
            horizon = k * steps
            if self._integer_steps:
                # What is left of the cycle from the step itself: T - (s - (k - 1) T) is
                # exact for integer steps, even where k T is past 2**53.
                left = steps - xp.maximum(s - (k - 1.0) * steps, 0.0)
            else:
                # k T - s: exact while k T is a float64 (a multiple of 1/8 up to 2**50).
                left = horizon - s
            remaining = xp.maximum(left, 0.0) / horizon
        else:
            remaining = (steps - xp.minimum(s, steps)) / steps
        # 1 - t written as (horizon - s) / horizon: the subtraction is exact for integer
        # steps, so the fraction left keeps its relative precision near the end, where a
        # power < 1 would amplify the rounding of 1 - s / horizon.
        return self._span * remaining**self.power + self._end
